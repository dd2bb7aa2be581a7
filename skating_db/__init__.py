"""skating-db: short-track speed skating results as one clean SQL database.

Client programs: `open_session(url)` for the ORM, `make_engine(resolve_url(url))`
for pandas or Core. Importing this package is cheap; SQLAlchemy loads on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `--help` is that fast
if TYPE_CHECKING:
    from typing import Any

    from skating_db.db import make_engine, open_session, resolve_url

__all__ = ["make_engine", "open_session", "resolve_url"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from skating_db import db

        return getattr(db, name)
    raise AttributeError(name)
