"""Where every fact comes from: the documents loaded, what their loading repaired
or guessed, and which other documents give the same fact."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skating_db.domains import SEVERITIES
from skating_db.models.base import Base, one_of, surrogate_key

if TYPE_CHECKING:
    from skating_db.models.facts import Placement, Standing


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = ({"comment": "Documents loaded: every fact names the source it came from."},)

    id: Mapped[int] = surrogate_key()
    name: Mapped[str] = mapped_column(String(255), unique=True, comment="File name.")
    sha256: Mapped[str] = mapped_column(String(64), comment="SHA-256 of the file's bytes.")
    title: Mapped[str | None] = mapped_column(String(500), comment="Title the document gives.")
    format: Mapped[str] = mapped_column(String(40), comment="Document family the loader read.")
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), comment="When the document was last loaded."
    )
    url: Mapped[str | None] = mapped_column(
        String(2000), comment="Where the document says it is from."
    )
    license: Mapped[str | None] = mapped_column(String(200), comment="The licence it names.")

    placements: Mapped[list[Placement]] = relationship(back_populates="source")
    standings: Mapped[list[Standing]] = relationship(back_populates="source")
    issues: Mapped[list[DataIssue]] = relationship(back_populates="source")


class DataIssue(Base):
    __tablename__ = "data_issues"
    __table_args__ = (
        CheckConstraint(one_of("severity", SEVERITIES), name="severity"),
        {"comment": "What the loader repaired, guessed, skipped or reconciled, with its line."},
    )

    id: Mapped[int] = surrogate_key()
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True, comment="Document concerned."
    )
    line: Mapped[int | None] = mapped_column(Integer, comment="Line in that document.")
    severity: Mapped[str] = mapped_column(String(7), comment="info, warning or error.")
    code: Mapped[str] = mapped_column(
        String(60), comment="Issue code (loaders/ISSUE_CODES.md, docs/data-model.md)."
    )
    message: Mapped[str] = mapped_column(Text, comment="One sentence for a person to check.")

    source: Mapped[Source | None] = relationship(back_populates="issues")


class Attestation(Base):
    """That a source gives a shared fact (an event, race, placement, relay member or alias).

    A fact stays in the database while at least one source attests it, so that
    reloading one document never removes what another document gave.
    """

    __tablename__ = "attestations"
    __table_args__ = ({"comment": "Other documents that give a shared fact, with their line."},)

    fact_table: Mapped[str] = mapped_column(
        String(30), primary_key=True, comment="Table of the fact (placements, races …)."
    )
    fact_id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Id of the fact.")
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
        comment="Document that gives it.",
    )
    line: Mapped[int | None] = mapped_column(Integer, comment="Its line in that document.")
