"""The README's SQL examples run against the schema at head, on each backend: a renamed
column or view would make the front door lie."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from skating_db.db import make_engine
from skating_db.migrate import upgrade
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
ASK = README.split("## Ask it something", 1)[1].split("\n## ", 1)[0]


def readme_queries() -> Iterator[str]:
    """Each statement of the "Ask it something" section's SQL blocks, without comments."""
    for block in re.findall(r"```sql\n(.*?)```", ASK, flags=re.DOTALL):
        lines = [line for line in block.splitlines() if not line.startswith("--")]
        yield from (s.strip() for s in "\n".join(lines).split(";") if s.strip())
    yield from re.findall(r'skating-db query "([^"]+)"', ASK)


QUERIES = list(readme_queries())


def test_the_section_has_queries() -> None:
    assert len(QUERIES) >= 5


def query_id(number: int, sql: str) -> str:
    """`2-medal_table_total`: the statement's place in the section and what it reads."""
    source = re.findall(r"FROM (\w+)", sql, flags=re.IGNORECASE)[0]
    return f"{number}-{source}"


@pytest.mark.parametrize("sql", QUERIES, ids=[query_id(n, q) for n, q in enumerate(QUERIES)])
def test_readme_query_runs_at_head(db_url: str, sql: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn, conn.begin():
            upgrade(conn)
            conn.execute(text(sql)).fetchall()
    finally:
        engine.dispose()
