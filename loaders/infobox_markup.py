"""Infobox fields written as MediaWiki markup, as (key, value, line) for the tokenizer.

An `{| class="infobox"` table's label/value rows and an `{{Infobox … | venue = …}}`
template's parameters say what a `- Venue: …` list line says; the tokenizer turns them
into the same items, so one reader (the walker's `item`) reads all three forms.
"""

from __future__ import annotations

from collections.abc import Iterator

from .cells import clean, split_cells
from .vocabulary import vocabulary, words_of

Field = tuple[str, str, int]  # key, value, line
Line = tuple[int, str]  # number, stripped text


def names_infobox(text: str) -> bool:
    """True when a `{|` line's attributes or a `{{` template's name carry an infobox word."""
    markup = vocabulary().infobox_markup
    return any(word in markup for word in words_of(text))


def opens_infobox_template(stripped: str) -> bool:
    """A `{{Infobox …` line: a template whose name (up to its first `|`) says infobox."""
    if not stripped.startswith("{{"):
        return False
    return names_infobox(stripped[2:].split("|", 1)[0].split("}}", 1)[0])


def depth_change(text: str) -> int:
    """How many templates a line opens (`{{`) less those it closes (`}}`)."""
    return text.count("{{") - text.count("}}")


def row_fields(cells: list[str], lines: list[int]) -> list[Field]:
    """The label/value pairs of one infobox table row (`! Venue` / `| X`, `| Venue || X`);
    a row of one cell (a title, an image) has none."""
    return [(cells[k], cells[k + 1], lines[k + 1]) for k in range(0, len(cells) - 1, 2)]


def template_fields(parts: list[Line]) -> list[Field]:
    """The `key = value` parameters of a template written on `(line, text)` lines, one or
    several a line; the name and positional parameters are not fields."""
    first = parts[0][0]
    body = "\n".join(text for _, text in parts)
    body = body[2:] if body.startswith("{{") else body
    body = body[:-2] if body.endswith("}}") and depth_change(body) < 0 else body
    fields: list[Field] = []
    offset = 0
    for k, piece in enumerate(split_cells(body, "|")):
        start = offset + len(piece) - len(piece.lstrip())
        offset += len(piece) + 1
        key, equals, value = piece.partition("=")
        if k == 0 or not equals or not key.strip():
            continue
        fields.append((clean(key), clean(value), first + body.count("\n", 0, start)))
    return fields


def read_template(first: Line, numbered: Iterator[Line]) -> tuple[list[Field], Line | None]:
    """The fields of the template `first` opens, read on up to its `}}`; a heading or a
    table ends one left open, and is returned for the tokenizer to read."""
    parts = [first]
    depth = depth_change(first[1])
    while depth > 0:
        pair = next(numbered, None)
        if pair is None or pair[1].startswith(("=", "{|")):
            return template_fields(parts), pair
        parts.append(pair)
        depth += depth_change(pair[1])
    return template_fields(parts), None
