"""The closed sets of values the schema allows, declared once for the models (CHECK
constraints) and for code that must not import SQLAlchemy (the corrections file)."""

from __future__ import annotations

GENDERS = ("men", "women", "mixed")
SEVERITIES = ("info", "warning", "error")
