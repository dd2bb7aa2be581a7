"""The ER diagram in docs/data-model.md is the one the models give today."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

from skating_db import erd
from skating_db.models import Base

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"


def test_the_documented_diagram_matches_the_models() -> None:
    documented = erd.embedded(DOC.read_text(encoding="utf-8"))
    assert documented == erd.mermaid(), (
        "docs/data-model.md has an old ER diagram: run `python -m skating_db.erd`."
    )


def test_the_diagram_draws_every_table_and_foreign_key() -> None:
    diagram = erd.mermaid()
    for table in Base.metadata.tables.values():
        assert f"    {table.name} {{" in diagram
        for fk in table.foreign_keys:
            assert f'{table.name} : "{fk.parent.name}"' in diagram
    assert '    athletes |o--o{ placements : "athlete_id"' in diagram
    assert '    races ||--o{ placements : "race_id"' in diagram


def test_a_changed_model_changes_the_diagram() -> None:
    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    Table("medals", changed, Column("id", Integer, primary_key=True),
          Column("race_id", ForeignKey("races.id")))  # fmt: skip
    assert erd.mermaid(changed) != erd.mermaid()


def test_write_puts_the_diagram_between_the_markers(tmp_path: Path) -> None:
    doc = tmp_path / "model.md"
    doc.write_text(f"# Model\n\n{erd.START}\nold\n{erd.END}\n\nAfter.\n", encoding="utf-8")
    assert erd.write(doc)
    text = doc.read_text(encoding="utf-8")
    assert erd.embedded(text) == erd.mermaid()
    assert text.startswith("# Model\n\n") and text.endswith(f"{erd.END}\n\nAfter.\n")
    assert not erd.write(doc)
