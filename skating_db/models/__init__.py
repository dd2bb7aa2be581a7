"""Typed SQLAlchemy 2 models of the public data model (docs/data-model.md).

The models live in modules by subject (places, athletes, facts, provenance, views); every name
is importable from here: `from skating_db.models import Athlete, Placement`.
"""

from __future__ import annotations

from skating_db.domains import GENDERS, SEVERITIES
from skating_db.models.athletes import Athlete, AthleteAlias
from skating_db.models.base import NAMING_CONVENTION, SEARCH_TABLE, Base, is_mapped_name
from skating_db.models.facts import (
    HEAD_TO_HEAD_INDEX,
    Placement,
    Race,
    RaceNote,
    RelayMember,
    Standing,
)
from skating_db.models.places import Event, Nation, Season, Venue
from skating_db.models.provenance import Attestation, DataIssue, Source
from skating_db.models.views import COMPUTED_COLUMNS, VIEW_NAMES

__all__ = [
    "COMPUTED_COLUMNS",
    "GENDERS",
    "HEAD_TO_HEAD_INDEX",
    "NAMING_CONVENTION",
    "SEARCH_TABLE",
    "SEVERITIES",
    "VIEW_NAMES",
    "Athlete",
    "AthleteAlias",
    "Attestation",
    "Base",
    "DataIssue",
    "Event",
    "Nation",
    "Placement",
    "Race",
    "RaceNote",
    "RelayMember",
    "Season",
    "Source",
    "Standing",
    "Venue",
    "is_mapped_name",
]
