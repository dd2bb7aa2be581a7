"""The quick record builders make exactly the records the frozen classes make."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields

import pytest

from skating_db.loaders.records import Person, Placement, new_person, new_placement


def test_new_person_is_a_frozen_person_equal_to_one_built_plainly() -> None:
    made = new_person("Kim A-Lang", "women", "KOR", "A", ("Kim Alang",), 12)
    assert type(made) is Person
    assert made == Person("Kim A-Lang", "women", "KOR", "A", ("Kim Alang",), 12)
    assert hash(made) == hash(Person("Kim A-Lang", "women", "KOR", "A", ("Kim Alang",), 12))
    with pytest.raises(FrozenInstanceError):
        made.name = "other"  # type: ignore[misc]


def test_new_person_defaults_are_the_records_defaults() -> None:
    assert new_person("Kim A-Lang", "women") == Person("Kim A-Lang", "women")


def test_new_placement_sets_every_field_of_placement() -> None:
    values = {f.name: f"value of {f.name}" for f in fields(Placement)}
    made = new_placement(**values)  # type: ignore[arg-type]
    assert type(made) is Placement
    assert {f.name: getattr(made, f.name) for f in fields(Placement)} == values
    assert new_placement(3, 1, None, "CAN") == Placement(3, 1, None, "CAN")


def test_new_person_takes_every_field_of_person() -> None:
    values = {f.name: f"value of {f.name}" for f in fields(Person)}
    made = new_person(**values)  # type: ignore[arg-type]
    assert {f.name: getattr(made, f.name) for f in fields(Person)} == values
