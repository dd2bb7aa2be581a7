"""Views over rounds, head-to-head, an athlete search index, and descriptions.

`podiums` keeps final-round races only and gains `marks` and `time`; `athlete_careers`
counts final-round podiums only; new views `medal_table_total`, `round_progress` and
`head_to_head`; an index on placements (athlete_id, race_id, rank) answers one pair of
`head_to_head` by two index look-ups and replaces the index on athlete_id alone. The
athlete search index (`athletes_fts`) is kept in step by triggers, so the writer needs
no change. Table and column descriptions (the models' `comment=`, frozen in
0004_comments.json) are stored on PostgreSQL; SQLite has no place for them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 17:45:00
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HERE = Path(__file__).parent
PAIR_INDEX = "ix_placements_athlete_id_race_id_rank"
SEARCH = "athletes_fts"

# `time_ms` as people write it: 41.802 under a minute, 1:29.109 from a minute on.
_MS = "SUBSTR(CAST(1000 + p.time_ms % 1000 AS TEXT), 2)"
TIME = f"""CASE WHEN p.time_ms IS NULL THEN NULL
       WHEN p.time_ms < 60000 THEN CAST(p.time_ms / 1000 AS TEXT) || '.' || {_MS}
       ELSE CAST(p.time_ms / 60000 AS TEXT) || ':'
            || SUBSTR(CAST(100 + p.time_ms / 1000 % 60 AS TEXT), 2) || '.' || {_MS}
  END"""

PODIUMS = f"""
CREATE VIEW podiums AS
SELECT s.name AS season, s.start_year, e.series, e.name AS event, v.city, r.race_date,
       r.gender, r.distance_m, r.is_relay, r.race_no, p.rank, a.name AS athlete,
       n.code AS nation, p.time_ms, src.name AS source,
       r.round, v.arena, p.status, p.source_line, a.disambiguation,
       e.id AS event_id, r.id AS race_id, p.id AS placement_id,
       p.marks, {TIME} AS time
FROM placements p
JOIN races r ON r.id = p.race_id
JOIN events e ON e.id = r.event_id
JOIN seasons s ON s.id = e.season_id
JOIN sources src ON src.id = p.source_id
LEFT JOIN venues v ON v.id = e.venue_id
LEFT JOIN athletes a ON a.id = p.athlete_id
LEFT JOIN nations n ON n.id = p.nation_id
WHERE r.round = 'final'
"""

MEDAL_TABLE_TOTAL = """
CREATE VIEW medal_table_total AS
SELECT s.name AS season, s.start_year, e.series, n.code AS nation,
       SUM(CASE WHEN p.rank = 1 THEN 1 ELSE 0 END) AS gold,
       SUM(CASE WHEN p.rank = 2 THEN 1 ELSE 0 END) AS silver,
       SUM(CASE WHEN p.rank = 3 THEN 1 ELSE 0 END) AS bronze,
       COUNT(*) AS total
FROM placements p
JOIN races r ON r.id = p.race_id
JOIN events e ON e.id = r.event_id
JOIN seasons s ON s.id = e.season_id
JOIN nations n ON n.id = p.nation_id
WHERE p.rank IS NOT NULL AND p.rank <= 3 AND r.round = 'final'
GROUP BY s.name, s.start_year, e.series, n.code
"""

ROUND_PROGRESS = """
CREATE VIEW round_progress AS
SELECT p.athlete_id, a.name AS athlete, e.id AS event_id, e.name AS event, r.gender,
       r.distance_m, r.round, r.race_no, p.rank, p.status, p.marks, p.time_ms,
       CASE r.round WHEN 'heat' THEN 1 WHEN 'repechage' THEN 2 WHEN 'quarterfinal' THEN 3
            WHEN 'semifinal' THEN 4 WHEN 'final_b' THEN 5 WHEN 'final' THEN 6 END AS stage,
       r.id AS race_id, p.id AS placement_id
FROM placements p
JOIN athletes a ON a.id = p.athlete_id
JOIN races r ON r.id = p.race_id
JOIN events e ON e.id = r.event_id
ORDER BY p.athlete_id, e.id, r.gender, r.distance_m, stage, r.race_no
"""

HEAD_TO_HEAD = """
CREATE VIEW head_to_head AS
SELECT p.athlete_id, a.name AS athlete, o.athlete_id AS opponent_id, b.name AS opponent,
       COUNT(*) AS races,
       SUM(CASE WHEN p.rank < o.rank THEN 1 ELSE 0 END) AS wins,
       SUM(CASE WHEN p.rank > o.rank THEN 1 ELSE 0 END) AS losses
FROM placements p
JOIN placements o ON o.race_id = p.race_id AND o.athlete_id <> p.athlete_id
JOIN athletes a ON a.id = p.athlete_id
JOIN athletes b ON b.id = o.athlete_id
WHERE p.rank IS NOT NULL AND o.rank IS NOT NULL
GROUP BY p.athlete_id, a.name, o.athlete_id, b.name
"""


def _initial() -> ModuleType:
    """Revision 0001, whose view definitions a downgrade restores."""
    path = HERE / "0001_initial_schema.py"
    spec = importlib.util.spec_from_file_location("skating_db_revision_0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _athlete_careers() -> str:
    """0001's `athlete_careers`, counting podiums of final-round races only."""
    sql: str = _initial().ATHLETE_CAREERS
    return sql.replace("AND p.rank <= 3", "AND p.rank <= 3 AND r.round = 'final'")


NEW_VIEWS = {
    "medal_table_total": MEDAL_TABLE_TOTAL,
    "round_progress": ROUND_PROGRESS,
    "head_to_head": HEAD_TO_HEAD,
}

# Letters that do not decompose, folded like loaders.vocabulary.fold folds them.
LETTERS = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
}  # fmt: skip


def _letters(sql: str) -> str:
    """`sql` with the letters above replaced, as nested SQL REPLACE calls."""
    for letter, plain in LETTERS.items():
        sql = f"REPLACE({sql}, '{letter}', '{plain}')"
    return sql


def _sqlite_aliases(athlete: str) -> str:
    return (
        f"(SELECT group_concat({_letters('alias')}, char(10)) FROM athlete_aliases"
        f" WHERE athlete_id = {athlete})"
    )


def _sqlite_search() -> list[str]:
    """FTS5 over each athlete's name and aliases (rowid = athletes.id), and its triggers."""
    refresh = "UPDATE athletes_fts SET aliases = {a} WHERE rowid = {i};"
    return [
        f"CREATE VIRTUAL TABLE {SEARCH} USING fts5(name, aliases,"
        " tokenize = 'unicode61 remove_diacritics 2')",
        f"INSERT INTO {SEARCH} (rowid, name, aliases) SELECT id, {_letters('name')},"
        f" {_sqlite_aliases('athletes.id')} FROM athletes",
        f"CREATE TRIGGER athletes_fts_insert AFTER INSERT ON athletes BEGIN"
        f" INSERT INTO {SEARCH} (rowid, name, aliases) VALUES (new.id,"
        f" {_letters('new.name')}, {_sqlite_aliases('new.id')}); END",
        f"CREATE TRIGGER athletes_fts_update AFTER UPDATE OF name ON athletes BEGIN"
        f" UPDATE {SEARCH} SET name = {_letters('new.name')} WHERE rowid = new.id; END",
        f"CREATE TRIGGER athletes_fts_delete AFTER DELETE ON athletes BEGIN"
        f" DELETE FROM {SEARCH} WHERE rowid = old.id; END",
        "CREATE TRIGGER athlete_aliases_fts_insert AFTER INSERT ON athlete_aliases BEGIN "
        + refresh.format(a=_sqlite_aliases("new.athlete_id"), i="new.athlete_id")
        + " END",
        "CREATE TRIGGER athlete_aliases_fts_delete AFTER DELETE ON athlete_aliases BEGIN "
        + refresh.format(a=_sqlite_aliases("old.athlete_id"), i="old.athlete_id")
        + " END",
        "CREATE TRIGGER athlete_aliases_fts_update AFTER UPDATE ON athlete_aliases BEGIN "
        + refresh.format(a=_sqlite_aliases("old.athlete_id"), i="old.athlete_id")
        + " "
        + refresh.format(a=_sqlite_aliases("new.athlete_id"), i="new.athlete_id")
        + " END",
    ]


# Combining marks, as unicodedata.combining() sees them, removed after NFKD.
_COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def _postgresql_search() -> list[str]:
    """A folded copy of names and aliases per athlete, trigram-indexed when pg_trgm exists.

    Folding uses only built-in functions (NFKD, then combining marks removed), so the
    result is the same whether or not the `unaccent` extension is installed.
    """
    fold = (
        "CREATE FUNCTION skating_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$"
        f" SELECT lower(regexp_replace(normalize({_letters('value')}, NFKD),"
        f" '{_COMBINING}', '', 'g')) $$"
    )
    refresh = (
        "CREATE FUNCTION athletes_fts_refresh(target integer) RETURNS void LANGUAGE sql AS $$"
        f" DELETE FROM {SEARCH} WHERE athlete_id = target;"
        f" INSERT INTO {SEARCH} (athlete_id, name, aliases, folded)"
        " SELECT a.id, a.name, l.aliases,"
        " skating_fold(a.name || E'\\n' || coalesce(l.aliases, '')) FROM athletes a"
        " LEFT JOIN LATERAL (SELECT string_agg(alias, E'\\n' ORDER BY id) AS aliases"
        " FROM athlete_aliases WHERE athlete_id = a.id) l ON true WHERE a.id = target $$"
    )
    on_athletes = (
        "CREATE FUNCTION athletes_fts_athletes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" IF TG_OP = 'DELETE' THEN DELETE FROM {SEARCH} WHERE athlete_id = OLD.id;"
        " ELSE PERFORM athletes_fts_refresh(NEW.id); END IF; RETURN NULL; END $$"
    )
    on_aliases = (
        "CREATE FUNCTION athletes_fts_aliases() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF TG_OP <> 'INSERT' THEN PERFORM athletes_fts_refresh(OLD.athlete_id); END IF;"
        " IF TG_OP <> 'DELETE' THEN PERFORM athletes_fts_refresh(NEW.athlete_id); END IF;"
        " RETURN NULL; END $$"
    )
    trigram = (
        "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm;"
        f" CREATE INDEX ix_{SEARCH}_folded ON {SEARCH} USING gin (folded gin_trgm_ops);"
        " EXCEPTION WHEN OTHERS THEN"
        " RAISE NOTICE 'pg_trgm is not available: athlete search scans the table'; END $$"
    )
    return [
        f"CREATE TABLE {SEARCH} (athlete_id integer PRIMARY KEY, name text NOT NULL,"
        " aliases text, folded text NOT NULL)",
        fold,
        refresh,
        on_athletes,
        on_aliases,
        "CREATE TRIGGER athletes_fts_sync AFTER INSERT OR DELETE OR UPDATE OF name"
        " ON athletes FOR EACH ROW EXECUTE FUNCTION athletes_fts_athletes()",
        "CREATE TRIGGER athlete_aliases_fts_sync AFTER INSERT OR DELETE OR UPDATE"
        " ON athlete_aliases FOR EACH ROW EXECUTE FUNCTION athletes_fts_aliases()",
        "SELECT athletes_fts_refresh(id) FROM athletes",
        trigram,
    ]


def _drop_search(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS athletes_fts_sync ON athletes")
        op.execute("DROP TRIGGER IF EXISTS athlete_aliases_fts_sync ON athlete_aliases")
        for function in ("athletes_fts_athletes()", "athletes_fts_aliases()"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        op.execute("DROP FUNCTION IF EXISTS athletes_fts_refresh(integer)")
        op.execute("DROP FUNCTION IF EXISTS skating_fold(text)")
    else:
        for table in ("athletes", "athlete_aliases"):
            for what in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{what}")
    op.execute(f"DROP TABLE IF EXISTS {SEARCH}")


def _comments(clear: bool) -> None:
    """Store (or clear) the descriptions of 0004_comments.json; PostgreSQL only."""
    for sql in _comment_statements(clear):
        op.execute(sql)


def _comment_statements(clear: bool) -> list[str]:
    described = json.loads((HERE / "0004_comments.json").read_text(encoding="utf-8"))
    statements: list[str] = []
    for table, text in described.items():
        statements.append(
            f"COMMENT ON TABLE {table} IS {_literal(None if clear else text['table'])}"
        )
        for column, comment in text["columns"].items():
            value = _literal(None if clear else comment)
            statements.append(f'COMMENT ON COLUMN {table}."{column}" IS {value}')
    return statements


def _literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def postgresql_statements() -> list[str]:
    """The PostgreSQL-only objects this revision makes, and the descriptions it stores (read
    by the SQL dump of `export`, which recreates them after the data)."""
    return _postgresql_search() + _comment_statements(clear=False)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in ("podiums", "athlete_careers"):
        op.execute(f"DROP VIEW {name}")
    op.execute(PODIUMS)
    op.execute(_athlete_careers())
    for sql in NEW_VIEWS.values():
        op.execute(sql)
    op.create_index(PAIR_INDEX, "placements", ["athlete_id", "race_id", "rank"])
    op.drop_index("ix_placements_athlete_id", table_name="placements")
    for sql in _postgresql_search() if dialect == "postgresql" else _sqlite_search():
        op.execute(sql)
    if dialect == "postgresql":
        _comments(clear=False)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _comments(clear=True)
    _drop_search(dialect)
    op.create_index("ix_placements_athlete_id", "placements", ["athlete_id"])
    op.drop_index(PAIR_INDEX, table_name="placements")
    for name in (*reversed(NEW_VIEWS), "athlete_careers", "podiums"):
        op.execute(f"DROP VIEW {name}")
    initial = _initial()
    op.execute(initial.PODIUMS)
    op.execute(initial.ATHLETE_CAREERS)
