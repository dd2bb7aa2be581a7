"""How rows are written: the table format is for a terminal, the others carry data as it is."""

from __future__ import annotations

import io

import pytest

from skating_db.output import write_rows

HOSTILE = ("Aa\x1b]0;owned\x07\x1b[31mBb", "Cc\u202eDd\tEe")


def written(fmt: str) -> str:
    out = io.StringIO()
    write_rows(out, ["name", "other"], [[HOSTILE]], fmt)
    return out.getvalue()


def test_the_table_shows_control_characters_instead_of_obeying_them() -> None:
    text = written("table")
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert r"Aa\x1b]0;owned\x07\x1b[31mBb" in text
    assert r"Cc\u202eDd\tEe" in text


@pytest.mark.parametrize("fmt", ["csv", "tsv", "ndjson"])
def test_data_formats_keep_the_value_as_stored(fmt: str) -> None:
    text = written(fmt)
    assert ("Aa\x1b]0;owned\x07\x1b[31mBb" in text) or (r"\u001b" in text)
