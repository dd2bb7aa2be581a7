"""The outline of a document: the headings above the block being read, and what each says.

A heading names a gender (`Men`), a section kind (events, standings, records to
ignore), a classification (`500 m`), a round (`Heats`) or a context (a venue or
a topic the tables below must explain). The nearest heading that says a thing
decides it for the tables under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lookups import gender_of, heading_kind, round_of, section_kind
from .records import Gender
from .standings import classification_in
from .tokens import Heading


@dataclass(slots=True)
class Section:
    """What one heading says about the text under it."""

    level: int
    text: str
    line: int
    kind: str | None = None  # events / standings / ignored / gender / label / context
    gender: Gender | None = None
    classification: str | None = None
    used: bool = False
    language: str | None = None
    round: tuple[str, int | None] | None = None


def section_of(block: Heading) -> Section:
    """The section a heading opens, with what its words say."""
    section = Section(block.level, block.text, block.line)
    kind = "ignored" if heading_kind(block.text) == "records" else section_kind(block.text)
    gender = gender_of(block.text)
    section.language = gender[1] if gender else None
    section.round = round_of(block.text)
    classification = classification_in(block.text) if kind != "ignored" else None
    if kind == "ignored":
        section.kind = "ignored"
    elif gender is not None and classification is not None:
        section.kind, section.gender = "label", gender[0]
        section.classification = classification
    elif gender is not None:
        section.kind, section.gender = "gender", gender[0]
    elif kind in ("events", "standings"):
        section.kind = kind
    elif classification is not None:
        section.kind, section.classification = "label", classification
    elif section.round is not None:
        section.kind = "round"
    else:
        section.kind = "context"
    return section


class Outline:
    """The sections open above the current block, innermost last."""

    def __init__(self) -> None:
        self.stack: list[Section] = []

    def gender(self) -> Gender | None:
        for section in reversed(self.stack):
            if section.gender is not None:
                return section.gender
        return None

    def kind(self) -> str | None:
        for section in reversed(self.stack):
            if section.kind in ("events", "standings", "ignored"):
                return section.kind
        return None

    def context(self) -> Section | None:
        """The nearest venue or topic heading above (a gender heading may stand below it)."""
        for section in reversed(self.stack):
            if section.kind == "context":
                return section
            if section.kind not in ("gender", "label", "round"):
                return None
        return None

    def use_context(self) -> None:
        """The venue or topic heading above a table was understood through the table."""
        context = self.context()
        if context is not None:
            context.used = True

    def label(self) -> Section | None:
        if self.stack and self.stack[-1].kind == "label":
            return self.stack[-1]
        return None

    def language(self) -> str | None:
        for section in reversed(self.stack):
            if section.language is not None:
                return section.language
        return None
