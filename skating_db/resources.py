"""Files that ship with the package: Alembic scripts, alembic.ini and the default seed documents.

An installed wheel carries them inside `skating_db/`; a source checkout (editable
install, tests) has them at the top of the repository. Both are found through the
package, never through the working directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _first(installed: str, checkout: str) -> Path:
    candidate = _PACKAGE / installed
    return candidate if candidate.exists() else _CHECKOUT / checkout


def migrations_dir() -> Path:
    return _first("_migrations", "migrations")


def alembic_ini() -> Path:
    return _first("alembic.ini", "alembic.ini")


def seeds_dir() -> Path:
    return _first("_seeds", "seeds")
