"""Where the database is when `--db` does not say: names only, cheap to import."""

from __future__ import annotations

import os

ENV_VAR = "SKATING_DB_URL"
DEFAULT_FILE = "skating.db"


def location(db: str | None) -> str:
    """`db`, else $SKATING_DB_URL, else ./skating.db, as the user wrote it (not resolved)."""
    return db or os.environ.get(ENV_VAR) or DEFAULT_FILE
