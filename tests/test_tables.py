"""skating_db.tables says what the ORM models say (the writer reads it instead of them)."""

from __future__ import annotations

import pprint

from skating_db import models as m
from skating_db.tables import LENGTHS, TABLE_ORDER


def test_table_order_is_the_models_order() -> None:
    order = tuple(t.name for t in m.Base.metadata.sorted_tables)
    assert order == TABLE_ORDER, f"paste into skating_db/tables.py: {order}"


def test_lengths_are_the_models_lengths() -> None:
    lengths = {
        t.name: {
            c.name: c.type.length for c in t.c if isinstance(getattr(c.type, "length", None), int)
        }
        for t in m.Base.metadata.sorted_tables
    }
    assert lengths == LENGTHS, f"paste into skating_db/tables.py:\n{pprint.pformat(lengths)}"
    assert LENGTHS["athletes"]["name"] > LENGTHS["athletes"]["disambiguation"] > 0
