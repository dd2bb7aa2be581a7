"""Characters a results document never means: control codes and bidirectional overrides.

They come from copy and paste or from a hostile file; kept, they would reach names and,
through them, a terminal (an escape sequence can retitle it or hide text). They are removed
before reading, and each line that held one is named in a data issue.
"""

from __future__ import annotations

import re

from .lines import split_lines

# C0 controls but tab, newline and carriage return; DEL and the C1 block; the bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
# The same characters one at a time: `re` finds a lone character class three times faster.
_ANY_CONTROL = re.compile(CONTROLS.pattern[:-1])
# Whole terminal escape sequences go, not just their ESC: CSI (`ESC [ 31 m`), OSC ended by
# BEL or ST within its cell (`ESC ] 0;title BEL`), and two-character escapes.
SEQUENCES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n|]*(?:\x07|\x1b\\)|\x1b[@-_]")


def strip_controls(text: str) -> tuple[str, list[int]]:
    """`text` without control characters, and the 1-based lines that held any."""
    if text.replace("\n", "").isprintable() or _ANY_CONTROL.search(text) is None:
        return text, []  # `isprintable` first: a quarter of the search's cost on most texts
    found = [n for n, line in enumerate(split_lines(text), 1) if _ANY_CONTROL.search(line)]
    return CONTROLS.sub("", SEQUENCES.sub("", text)), found
