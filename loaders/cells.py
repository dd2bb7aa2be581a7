"""Cell text: wiki, HTML and markdown markup stripped, MediaWiki cell attributes and spans
read, and a row's cells split outside links and templates (and escaped pipes)."""

from __future__ import annotations

import html
import re

from .memo import text_cache

_ATTRS = re.compile(r"""^\s*(?:[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s|"']+)\s*)+$""")
_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_FILE_LINK = re.compile(r"\[\[(?:File|Image|Datei|Slika|Fichier|Bestand|Immagine):[^\]]*\]\]", re.I)
_EXT_LINK = re.compile(r"\[(?:https?:)?//\S+(?:\s+([^\]]*))?\]")
_TEMPLATE = re.compile(r"\{\{([^{}]*)\}\}")
_REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.S)
_CODE_TEMPLATE = re.compile(r"^[A-Z]{3}$")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPAN = re.compile(r"""\b(rowspan|colspan)\s*=\s*["']?(\d{1,3})""", re.I)
MAX_SPAN = 50  # a larger rowspan or colspan is read as 1: it cannot be a results table's
BREAK = " / "  # what a line break inside a cell becomes: two names stay apart
_BOLD = re.compile(r"'{2,}")
_IMAGE_SIZE = re.compile(r"^(?:\d+px\s*)+")
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[\[{<&*`_\\]|''")
# GitHub markdown inside a cell: an image (dropped, as a wiki file link), a link (its text),
# code spans, and emphasis by `**`, `__`, `*` or `_` not inside a word (a lone `41.9*` stays).
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MD_CODE = re.compile(r"`+([^`]+?)`+")
_MD_EMPHASIS = re.compile(r"(?<![\w*\\])(\*{1,3}|_{1,3})(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]()#+.!~-])")  # `\*` is a star, no emphasis
_ESCAPED_PIPE = "\\|"  # `\|` in a markdown row: a pipe inside a cell, no cell border
_PIPE_HOLDER = "\x00"  # never in a text read (refused as binary), so free to stand in


@text_cache(limit=65536)
def clean(text: str) -> str:
    """Strip wiki and HTML markup from a cell or heading and collapse white space (cached:
    names, medal words and attributes repeat across thousands of rows)."""
    if _MARKUP.search(text):
        text = _REF.sub("", text)
        text = _FILE_LINK.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _EXT_LINK.sub(lambda m: m.group(1) or "", text)
        text = _TEMPLATE.sub(_template, text)
        text = _BREAK.sub(BREAK, text)
        text = _TAG.sub(" ", text)
        text = _BOLD.sub("", text)
        if "*" in text or "`" in text or "_" in text or "](" in text or "\\" in text:
            text = _markdown(text)
        if "&" in text:
            text = html.unescape(text).replace("\xa0", " ")
    text = text.strip()
    if "  " in text or "\t" in text or "\n" in text:
        text = _SPACE.sub(" ", text)
    if text[:1].isdigit() and "px" in text[:12]:
        text = _IMAGE_SIZE.sub("", text)
    return text


def _markdown(text: str) -> str:
    """`text` without markdown images, link targets, code ticks, emphasis marks and escapes."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    previous = None
    while previous != text:  # `***x***` and `**_x_**`: one layer at a time
        previous, text = text, _MD_EMPHASIS.sub(r"\2", text)
    return _MD_ESCAPE.sub(r"\1", text) if "\\" in text else text


def _template(match: re.Match[str]) -> str:
    """Render the few flag templates sources use; drop any other template."""
    parts = [p.strip() for p in match.group(1).split("|")]
    name = parts[0].casefold()
    args = [p for p in parts[1:] if "=" not in p]
    if name.startswith("flag") and name.endswith("athlete") and len(args) >= 2:
        return f"{args[0]} ({args[1]})"
    if name.startswith("flag") and args:
        return args[0] + " "
    if name in {"nowrap", "sortname"} and args:
        return " ".join(args)
    if len(parts) == 1 and _CODE_TEMPLATE.match(parts[0]):
        return parts[0] + " "  # `{{CAN}}`: a flag template named by the nation's code
    return ""


def strip_attributes(cell: str) -> tuple[str, tuple[int, int] | None]:
    """Drop a leading `attr="x" |` from a wiki cell; its (rowspan, colspan) when not 1, 1."""
    bar = cell.find("|")
    if bar > 0 and _ATTRS.match(cell[:bar]):
        spans = {k.lower(): int(v) for k, v in _SPAN.findall(cell[:bar])}
        rows, cols = spans.get("rowspan", 1), spans.get("colspan", 1)
        if (rows, cols) != (1, 1) and 0 < rows <= MAX_SPAN and 0 < cols <= MAX_SPAN:
            return cell[bar + 1 :], (rows, cols)
        return cell[bar + 1 :], None
    return cell, None


def split_cells(body: str, separator: str) -> list[str]:
    """Split `a || b` (or `a !! b`, or a pipe row's `a | b`) outside links and templates."""
    if separator not in body:
        return [body]
    if "[[" not in body and "{{" not in body:
        return body.split(separator)
    cells: list[str] = []
    depth = 0
    start = 0
    i = 0
    width = len(separator)
    while i < len(body):
        two = body[i : i + 2]
        if two in ("[[", "{{"):
            depth += 1
            i += 2
        elif two in ("]]", "}}"):
            depth = max(0, depth - 1)
            i += 2
        elif depth == 0 and body.startswith(separator, i):
            cells.append(body[start:i])
            i += width
            start = i
        else:
            i += 1
    cells.append(body[start:])
    return cells


def split_pipe_row(body: str) -> list[str]:
    """A GitHub-markdown row's cells, cleaned; an escaped pipe (`Han Tian\\|yu`) stays in its
    cell as a pipe."""
    if _ESCAPED_PIPE not in body:
        return list(map(clean, split_cells(body, "|")))
    held = split_cells(body.replace(_ESCAPED_PIPE, _PIPE_HOLDER), "|")
    return [clean(cell).replace(_PIPE_HOLDER, "|") for cell in held]


def needs_cleaning(text: str) -> bool:
    """True when `clean` may do more to the cells of `text` than strip them."""
    return (  # what `_MARKUP` finds, as `in` tests: a third of its cost on a plain row
        "[" in text
        or "{" in text
        or "<" in text
        or "&" in text
        or "''" in text
        or "*" in text
        or "`" in text
        or "_" in text
        or "\\" in text
        or "  " in text
        or "\t" in text
        or "\n" in text
        or "px" in text
    )
