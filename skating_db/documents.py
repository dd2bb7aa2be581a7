"""Reading a document from disk: deliberate decoding and plain-sentence refusals."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from skating_db.errors import UserError

IGNORED_NAMES = {"corrections.toml", "README.md", "README"}


@dataclass(frozen=True, slots=True)
class Document:
    path: Path
    name: str  # the file name: the source's identity in the database
    text: str
    sha256: str


def read_document(path: Path) -> Document:
    """Read UTF-8 text (with or without BOM, any line endings); refuse anything else clearly."""
    if not path.exists():
        raise UserError(f"{path}: no such file.")
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a document (use rebuild --seeds for a folder).")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from exc
    return Document(path, path.name, decode(data, path), hashlib.sha256(data).hexdigest())


def decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise UserError(f"{path}: the file is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise UserError(f"{path}: the text is UTF-16; save it as UTF-8 and load it again.")
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
    sample = data[:2000]
    return len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4


def _guess(data: bytes) -> str:
    high = sum(1 for b in data if b >= 0x80)
    printable = sum(1 for b in data if 0x20 <= b < 0x7F or b in b"\t\n\r")
    if printable + high < len(data) * 0.9:
        return "the bytes look binary"
    return "the bytes look like Latin-1 or Windows-1252 text"


def seed_paths(folder: Path) -> list[Path]:
    """The documents of a seeds folder, in name order (hidden files and the corrections skipped)."""
    if not folder.exists():
        raise UserError(f"{folder}: no such folder.")
    if not folder.is_dir():
        raise UserError(f"{folder}: is a file, not a folder of documents.")
    paths = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name not in IGNORED_NAMES
    )
    if not paths:
        raise UserError(f"{folder}: holds no documents.")
    return paths
