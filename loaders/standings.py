"""Standings tables (families 1 and 2): `Rank | Name | Points` and `Distance | Winner | …`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .builder import Builder
from .competitors import Competitor, parse_competitor
from .records import CLASSIFICATIONS, Gender, Person, Standing, new_person
from .tokens import Row, Table
from .values import Distance, find_distance, parse_distance, parse_points, parse_rank
from .vocabulary import fold, vocabulary

PODIUM_ROLES = {"first": 1, "second": 2, "third": 3}


def classification_of(distance: Distance) -> str:
    """`500m`, …, or `relay` for a relay distance."""
    return "relay" if distance.is_relay else f"{distance.metres}m"


@lru_cache(maxsize=8192)
def classification_in(text: str) -> str | None:
    """The classification a label, heading or cell names (`500 m`, `Overall`), else None."""
    if not text:
        return None
    if fold(text) in vocabulary().sections.get("overall", frozenset()):
        return "overall"
    distance = parse_distance(text) or find_distance(text)
    return classification_of(distance) if distance else None


@dataclass(slots=True)
class RankedRow:
    rank: int
    who: Competitor | None
    points: float | None
    line: int


@dataclass(slots=True)
class RankingTable:
    """A `Rank | Name | Points` table whose classification may still be unknown."""

    table: Table
    rows: list[RankedRow] = field(default_factory=list)
    gender: Gender | None = None
    classification: str | None = None


def read_ranking(
    builder: Builder, table: Table, header: list[str | None], rows: list[Row]
) -> RankingTable:
    """Read the rows of a ranking table; ranks out of order or repeated are kept and reported."""
    rank_at = header.index("rank") if "rank" in header else 0
    name_at = header.index("athlete") if "athlete" in header else 1
    points_at = header.index("points") if "points" in header else len(header) - 1
    result = RankingTable(table)
    previous = 0
    seen: set[int] = set()
    for row in rows:
        cells = row.cells
        rank_text = cells[rank_at] if rank_at < len(cells) else ""
        rank = parse_rank(rank_text)
        if rank is None or rank <= 0:
            code = "rank_zero" if rank == 0 else "bad_rank"
            builder.warn(row.line, code, f"rank {rank_text!r} is not a rank; row skipped")
            continue
        if rank in seen:
            builder.warn(row.line, "rank_repeated", f"rank {rank} given twice; kept as given")
        elif rank < previous:
            builder.warn(row.line, "rank_out_of_order", f"rank {rank} after {previous}; kept")
        seen.add(rank)
        previous = max(previous, rank)
        who = parse_competitor(cells[name_at], "en") if name_at < len(cells) else None
        points_text = cells[points_at] if points_at < len(cells) else ""
        points = parse_points(points_text)
        if points is None and points_text.strip():
            builder.warn(row.line, "bad_points", f"points {points_text!r} are not a number")
        result.rows.append(RankedRow(rank, who, points, row.line))
    return result


def looks_like_nations(ranking: RankingTable) -> bool:
    """True when every named competitor of the table is a nation (a relay ranking)."""
    named = [r.who for r in ranking.rows if r.who is not None]
    return bool(named) and all(w.team and not w.members and w.name is None for w in named)


def emit_ranking(builder: Builder, ranking: RankingTable, series: str) -> None:
    """Turn a classified ranking table into standings rows."""
    assert ranking.gender is not None and ranking.classification is not None
    season = builder.season
    if season is None:
        builder.error(ranking.table.line, "season_unknown", "standings without a season; skipped")
        return
    if ranking.classification not in CLASSIFICATIONS:
        builder.info(
            ranking.table.line,
            "unusual_classification",
            f"classification {ranking.classification} is not in the usual list",
        )
    relay = ranking.classification == "relay"
    unnamed = [row.line for row in ranking.rows if row.who is None]
    if unnamed:
        builder.info(
            unnamed[0],
            "name_missing",
            f"{len(unnamed)} of {len(ranking.rows)} rows of this {ranking.gender}"
            f" {ranking.classification} table name no competitor; kept with rank and points",
        )
    for row in ranking.rows:
        athlete, nation = _athlete(row.who, ranking.gender, relay, row.line)
        builder.doc.standings.append(
            Standing(
                season,
                series,
                ranking.gender,
                ranking.classification,
                row.rank,
                athlete,
                nation,
                row.points,
                row.line,
            )
        )


def _athlete(
    who: Competitor | None, gender: Gender, relay: bool, line: int
) -> tuple[Person | None, str | None]:
    if who is None:
        return None, None
    if relay or who.team or who.name is None:
        return None, who.nation
    return new_person(who.name, gender, who.nation, who.disambiguation, line=line), who.nation


def read_podium_standings(
    builder: Builder,
    header: list[str | None],
    rows: list[Row],
    gender: Gender,
    series: str,
) -> None:
    """`Distance | Winner | Second | Third` rows: ranks 1-3 per classification, no points."""
    season = builder.season
    distance_at = header.index("distance") if "distance" in header else 0
    for row in rows:
        cells = row.cells
        label = cells[distance_at] if distance_at < len(cells) else ""
        classification = classification_in(label)
        if classification is None:
            builder.warn(row.line, "row_not_understood", f"no classification in {label!r}")
            continue
        if season is None:
            builder.error(row.line, "season_unknown", "standings without a season; skipped")
            continue
        relay = classification == "relay"
        for at, role in enumerate(header):
            rank = PODIUM_ROLES.get(role or "")
            if rank is None or at >= len(cells):
                continue
            who = parse_competitor(cells[at], "en", relay)
            if who is None:
                continue
            athlete, nation = _athlete(who, gender, relay, row.line)
            builder.doc.standings.append(
                Standing(
                    season, series, gender, classification, rank, athlete, nation, None, row.line
                )
            )


def settle_unlabelled(builder: Builder, tables: list[RankingTable], series: str) -> None:
    """Classify the ranking tables of one standings section, then emit them.

    A table whose heading was lost takes the one gender and classification its
    siblings leave open (a warning); with no single gap it is not understood.
    """
    known = [t for t in tables if t.gender is not None and t.classification is not None]
    unknown = [t for t in tables if t.gender is None or t.classification is None]
    genders = {t.gender for t in known}
    classes = {t.classification for t in known}
    missing = {(g, c) for g in genders for c in classes} - {
        (t.gender, t.classification) for t in known
    }
    if len(unknown) == 1 and len(missing) == 1:
        table = unknown[0]
        gender, classification = next(iter(missing))
        if (table.gender in (None, gender)) and (table.classification in (None, classification)):
            table.gender, table.classification = gender, classification
            builder.warn(
                table.table.line,
                "standings_inferred",
                f"table without a heading taken as {gender} {classification}: "
                "the only combination its sibling tables leave open",
            )
            unknown = []
    for table in unknown:
        builder.warn(
            table.table.line,
            "table_not_understood",
            "standings table of unknown gender or classification; skipped",
        )
    for table in tables:
        if table.gender is not None and table.classification is not None:
            emit_ranking(builder, table, series)
