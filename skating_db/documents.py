"""Reading a document from disk: deliberate decoding and plain-sentence refusals."""

from __future__ import annotations

import errno
import hashlib
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from skating_db.errors import UserError

IGNORED_NAMES = {"corrections.toml", "README.md", "README"}
MAX_LINE_BYTES = 1 << 20  # a longer line is no results document; refused before it is parsed


@dataclass(frozen=True, slots=True)
class Document:
    path: Path
    name: str  # the file name: the source's identity in the database
    text: str
    sha256: str


def read_document(path: Path) -> Document:
    """Read UTF-8 text (with or without BOM, any line endings); refuse anything else clearly."""
    name = document_name(path)
    _stat(path)
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a document (use rebuild --seeds for a folder).")
    if not path.is_file():
        raise UserError(f"{path}: is not a regular file (a device, a pipe or a socket).")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from exc
    return Document(path, name, decode(data, path), hashlib.sha256(data).hexdigest())


def printable(path: Path) -> str:
    """The path as text any terminal can show (undecodable bytes as \\x escapes)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def document_name(path: Path) -> str:
    """A document's identity: its file name, in Unicode NFC (NFD spellings are the same)."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(
            f"{printable(path)}: the file name is not UTF-8; rename the file (for example with"
            " convmv) and load it again."
        ) from None
    if any(unicodedata.category(c) == "Cc" for c in path.name):
        raise UserError(
            f"{path.name!r}: the file name contains a control character (a line break, a tab);"
            " rename the file and load it again."
        )
    return unicodedata.normalize("NFC", path.name)


def _stat(path: Path) -> None:
    """Refuse a missing file, a dangling link or a link loop, each in its own words."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UserError(f"{path}: is a symbolic link that loops; fix or remove it.") from exc
        if path.is_symlink():
            raise UserError(f"{path}: is a symbolic link to a missing file.") from exc
        if exc.errno == errno.ENOENT:
            raise UserError(f"{path}: no such file.") from exc
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from exc


def refuse_same_names(paths: Sequence[Path]) -> None:
    """Two files of one name would be one source, the second replacing the first: refuse."""
    seen: dict[str, Path] = {}
    for path in paths:
        name = document_name(path)
        if name in seen and seen[name] != path:
            raise UserError(
                f"{seen[name]} and {path}: two documents with the same file name {name}, which"
                " is a document's identity; rename one, or load them in separate runs."
            )
        seen[name] = path


def _long_line(data: bytes) -> int | None:
    """The number of the first line longer than MAX_LINE_BYTES, or None (cheap: one search
    per MAX_LINE_BYTES of text)."""
    if len(data) <= MAX_LINE_BYTES:
        return None
    flat = data.replace(b"\r", b"\n") if b"\r" in data else data
    start = 0
    while len(flat) - start > MAX_LINE_BYTES:
        newline = flat.rfind(b"\n", start, start + MAX_LINE_BYTES + 1)
        if newline < 0:
            return data[:start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        start = newline + 1
    return None


def decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise UserError(f"{path}: the file is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise UserError(f"{path}: the text is UTF-16; save it as UTF-8 and load it again.")
    if data.startswith(b"\xef\xbb\xbf") and not data[3:].strip():
        raise UserError(f"{path}: the file is empty.")
    long_line = _long_line(data)
    if long_line is not None:
        raise UserError(
            f"{path}, line {long_line}: the line is longer than {MAX_LINE_BYTES // (1 << 20)} MB;"
            " this is not a results document."
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise UserError(f"{path}, line {line}: contains NUL bytes; this is not a text document.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{path}, line {line}: is not UTF-8 ({_guess(data)}); save it as UTF-8 and load it"
            " again."
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: NULs on one side of most byte pairs and almost none on the other."""
    sample = data[:4000]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) > pairs * 0.3 and min(even, odd) < pairs * 0.05


_SAMPLE = 1 << 16
_TEXT_BYTES = bytes([9, 10, 13, *range(0x20, 0x7F)])
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _guess(data: bytes) -> str:
    """What non-UTF-8 bytes look like, judged on a sample (cheap even for a huge file)."""
    sample = data[:_SAMPLE]
    printable = len(sample) - len(sample.translate(None, _TEXT_BYTES))
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if printable + high < len(sample) * 0.9 or high > len(sample) * 0.3:
        return "the bytes look binary"
    return "the bytes look like Latin-1 or Windows-1252 text"


def seed_paths(folder: Path) -> list[Path]:
    """The documents of a seeds folder, in name order (hidden files and the corrections skipped)."""
    if not folder.exists():
        raise UserError(f"{folder}: no such folder.")
    if not folder.is_dir():
        raise UserError(f"{folder}: is a file, not a folder of documents.")
    paths = [p for p in _entries(folder) if not p.is_dir()]
    for path in paths:
        _stat(path)  # a dangling link or a loop is said, not skipped
    paths = [p for p in paths if p.is_file()]
    if not paths:
        raise UserError(f"{folder}: holds no documents.")
    return paths


def passed_over(folder: Path) -> list[str]:
    """What a seeds folder holds that `seed_paths` does not read: subfolders (a rebuild is
    not recursive) and entries that are not regular files (a FIFO, a device)."""
    return [f"{p.name}/" if p.is_dir() else p.name for p in _entries(folder) if not p.is_file()]


def _entries(folder: Path) -> list[Path]:
    """A seeds folder's entries in name order, hidden files and the corrections left out."""
    return sorted(
        p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in IGNORED_NAMES
    )
