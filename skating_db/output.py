"""Writing rows as a table, CSV, TSV, JSON or NDJSON, streamed: each batch as it comes.

Memory stays constant whatever the number of rows. The table takes its column widths
from the header and the first batch (display width, so Chinese, Japanese and Korean
names align); a later, wider value pushes its own line only.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

FORMATS = ("table", "csv", "tsv", "json", "ndjson")

Batches = Iterable[Sequence[Sequence[Any]]]


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """All rows at once, as one string (for short reports)."""
    buffer = io.StringIO()
    write_rows(buffer, columns, [rows], fmt)
    return buffer.getvalue()


def write_rows(out: TextIO, columns: Sequence[str], batches: Batches, fmt: str) -> int:
    """Write every batch to `out` in `fmt`, as it arrives; returns the number of rows."""
    if fmt in ("csv", "tsv"):
        return _write_delimited(out, columns, batches, "," if fmt == "csv" else "\t")
    if fmt in ("json", "ndjson"):
        return _write_json(out, columns, batches, lines=fmt == "ndjson")
    return _write_table(out, columns, batches)


def cell(value: Any) -> str:
    """A value as text: NULL is empty, booleans are true/false, 2.0 is 2."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _write_delimited(out: TextIO, columns: Sequence[str], batches: Batches, sep: str) -> int:
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for batch in batches:
        writer.writerows([[cell(v) for v in row] for row in batch])
        count += len(batch)
    return count


def _json_value(value: Any) -> Any:
    """A value JSON can hold: inf and nan become null, dates ISO text, decimals numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.hex()
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def distinct_names(columns: Sequence[str]) -> list[str]:
    """Column names as JSON keys: a repeated name gets `_2`, `_3`… (a JSON object cannot
    hold one key twice, and the first column would be lost)."""
    taken = set(columns)
    used: set[str] = set()
    out: list[str] = []
    for name in columns:
        unique, n = name, 1
        while unique in used or (unique != name and unique in taken):
            n += 1
            unique = f"{name}_{n}"
        used.add(unique)
        out.append(unique)
    return out


def _write_json(out: TextIO, columns: Sequence[str], batches: Batches, *, lines: bool) -> int:
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    columns = distinct_names(columns)
    count = 0
    if not lines:
        out.write("[")
    for batch in batches:
        for row in batch:
            record = encode(dict(zip(columns, map(_json_value, row), strict=True)))
            if lines:
                out.write(record + "\n")
            else:
                out.write(("\n  " if count == 0 else ",\n  ") + record)
            count += 1
    if not lines:
        out.write("\n]\n" if count else "]\n")
    return count


def _write_table(out: TextIO, columns: Sequence[str], batches: Batches) -> int:
    """An aligned plain-text table with a header rule; widths from the first batch."""
    if not columns:
        for _batch in batches:
            pass
        return 0
    widths: list[int] | None = None
    count = 0
    for batch in batches:
        cells = [[_shown(cell(v)) for v in row] for row in batch]
        if widths is None:
            widths = _widths(columns, cells)
            out.write(_line(list(columns), widths) + "\n")
            out.write("  ".join("-" * w for w in widths) + "\n")
        out.writelines(_line(row, widths) + "\n" for row in cells)
        count += len(cells)
    if widths is None:
        widths = _widths(columns, [])
        out.write(_line(list(columns), widths) + "\n" + "  ".join("-" * w for w in widths) + "\n")
    return count


# What a terminal would act on rather than show: controls (tab and newline too, which would
# break the table's columns) and bidirectional overrides.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(text: str) -> str:
    """A table cell as a terminal shows it: control characters written as escapes (\\x1b)."""
    if _UNSHOWABLE.search(text) is None:
        return text
    return _UNSHOWABLE.sub(lambda m: ascii(m.group())[1:-1], text)


def _width(text: str) -> int:
    """Columns `text` takes on a terminal (a wide character takes two)."""
    if text.isascii():
        return len(text)
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def _widths(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    return [max([_width(c), *(_width(r[i]) for r in cells)]) for i, c in enumerate(columns)]


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    padded = (v + " " * max(0, w - _width(v)) for v, w in zip(values, widths, strict=True))
    return "  ".join(padded).rstrip()
