"""Who the persons of a document are: known athletes, new ones, their aliases and near misses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from skating_db.batch import PersonKey, PersonRow
from skating_db.identity import SEPARATOR, Key, NameKey, NearMissIndex
from skating_db.writer.dialect import Sql, chunks
from skating_db.writer.job import Job

ATHLETE_COLUMNS = ("id", "name", "gender", "nation_id", "disambiguation", "natural_key")


@dataclass(slots=True)
class Known:
    id: int
    nation_id: int | None
    name: str


class Athletes:
    """Every athlete of the database by identity key, read once per transaction."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self._known: dict[Key, Known] | None = None
        self._by_name: dict[NameKey, list[Key]] = defaultdict(list)
        self._near: NearMissIndex | None = None
        self.by_id: dict[int, Known] = {}
        self.nation_of: dict[int, int | None] = {}  # athlete id -> nation id, kept in step
        # (gender, name, suffix) -> the key it is known under, for as long as that holds
        self.identified: dict[tuple[str, str, str | None], Key] = {}

    def forget(self) -> None:
        """Rows may have been deleted: read them again when next needed."""
        self._known = None
        self.identified.clear()

    def known(self) -> dict[Key, Known]:
        if self._known is None:
            self._known = {}
            self._by_name.clear()
            self._near = None
            self.by_id = {}
            self.nation_of = {}
            for athlete_id, natural_key, nation_id, name in self.sql.rows(
                "SELECT id, natural_key, nation_id, name FROM athletes"
            ):
                self.remember(Key.parse(natural_key), Known(athlete_id, nation_id, name))
        return self._known

    def remember(self, key: Key, known: Known) -> None:
        assert self._known is not None
        self._known[key] = known
        self.by_id[known.id] = known
        self.nation_of[known.id] = known.nation_id
        self._by_name[key.name_key].append(key)
        if self._near is not None:
            self._near.add(key.name_key)

    def set_nation(self, known: Known, nation_id: int) -> None:
        known.nation_id = self.nation_of[known.id] = nation_id

    def near_misses(self, name: NameKey) -> set[NameKey]:
        """Known names one edit away from `name` (the index is built on first use)."""
        if self._near is None:
            self._near = NearMissIndex()
            self._near.add_all(self._by_name)
        return self._near.near(name)

    def namesakes(self, name: NameKey) -> list[Key]:
        return self._by_name.get(name, [])

    def add_name(self, name: NameKey) -> None:
        """Make a name known to the near-miss index before its athlete row exists."""
        self._by_name.setdefault(name, [])
        if self._near is not None:
            self._near.add(name)

    def display_name(self, name: NameKey) -> str:
        known = self.known()
        return ", ".join(known[k].name for k in self._by_name.get(name, [])) or SEPARATOR.join(name)


@dataclass(slots=True)
class _Plan:
    """What resolving a document's persons found: new rows, nation fills, aliases."""

    resolved: dict[PersonKey, Key] = field(default_factory=dict)
    new: dict[Key, dict[str, Any]] = field(default_factory=dict)
    new_lines: dict[Key, int] = field(default_factory=dict)
    nation_updates: dict[Key, int] = field(default_factory=dict)
    written: dict[str, tuple[PersonKey, int]] = field(default_factory=dict)


def resolve_persons(job: Job, athletes: Athletes) -> list[int]:
    """The athlete id of each of the document's persons, creating new athletes."""
    known = athletes.known()
    plan = _Plan()
    for person, pkey in zip(job.doc.persons, job.doc.person_keys, strict=True):
        for spelt in (person.spelling, *person.spellings):
            plan.written.setdefault(spelt, (pkey, person.line))
        if pkey in plan.resolved:
            continue
        key = plan.resolved[pkey] = _identify(job, athletes, person)
        nation_id = job.nations.get(person.nation) if person.nation else None
        if key in known:
            _known_nation(job, plan, person, key, known[key], nation_id)
        elif key in plan.new:
            if nation_id is not None and plan.new[key]["nation_id"] is None:
                plan.new[key]["nation_id"] = nation_id
        else:
            plan.new[key] = _new_row(job, person, key, nation_id)
            plan.new_lines[key] = person.line
    _insert_new(job, athletes, plan)
    _fill_nations(job, athletes, plan, known)
    aliases: dict[str, tuple[Key, int]] = {}
    for spelt, (pkey, line) in plan.written.items():
        aliases.setdefault(spelt, (plan.resolved[pkey], line))
    _aliases(job, aliases, known)
    return [known[plan.resolved[pkey]].id for pkey in job.doc.person_keys]


def _known_nation(
    job: Job, plan: _Plan, person: PersonRow, key: Key, k: Known, nation_id: int | None
) -> None:
    """A known athlete gains a nation they lacked, or is noted to skate for another here."""
    if nation_id is not None and k.nation_id is None:
        plan.nation_updates.setdefault(key, nation_id)
    elif nation_id is not None and k.nation_id != nation_id:
        job.issue(
            person.line,
            "info",
            "nation_differs",
            f"{person.spelling} is listed for {person.nation} here and for another"
            " nation elsewhere; kept as one athlete.",
        )


def _new_row(job: Job, person: PersonRow, key: Key, nation_id: int | None) -> dict[str, Any]:
    canonical = job.corrections.canonical(person.gender, person.name)
    return {
        "name": canonical or " ".join(person.name.split()),
        "gender": person.gender,
        "nation_id": nation_id,
        "disambiguation": person.disambiguation,
        "natural_key": key.natural_key,
    }


def _insert_new(job: Job, athletes: Athletes, plan: _Plan) -> None:
    if not plan.new:
        return
    _flag_near_misses(job, athletes, plan.new, plan.new_lines)
    ids = job.pending.ids("athletes", len(plan.new))
    rows = {key: (i, *row.values()) for i, (key, row) in zip(ids, plan.new.items(), strict=True)}
    job.pending.add("athletes", ATHLETE_COLUMNS, list(rows.values()))
    # Remembered in the order a look-up by key returned them (sorted within each chunk),
    # which orders namesakes in the messages that list them.
    for chunk in chunks(list(rows)):
        for key in sorted(chunk, key=lambda k: k.natural_key):
            athlete_id, name, _gender, nation_id, _suffix, _natural_key = rows[key]
            athletes.remember(key, Known(athlete_id, nation_id, name))


def _fill_nations(job: Job, athletes: Athletes, plan: _Plan, known: dict[Key, Known]) -> None:
    for key, nation in plan.nation_updates.items():
        job.pending.fill_empty("athletes", "nation_id", known[key].id, nation)
        athletes.set_nation(known[key], nation)


def _identify(job: Job, athletes: Athletes, person: PersonRow) -> Key:
    """The identity key of a person: a correction, a known spelling, else their own.

    The first two answers stand while the athletes do, so they are kept for the next
    document that names the person; the others depend on who else is known by then.
    """
    who = (person.gender, person.name, person.disambiguation)
    key = athletes.identified.get(who)
    if key is not None:
        return key
    known = athletes.known()
    canonical = job.corrections.canonical(person.gender, person.name)
    if canonical is not None:
        key = athletes.identified[who] = Key.of(person.gender, canonical, person.disambiguation)
        return key
    key = Key.of(person.gender, person.name, person.disambiguation)
    if key in known:
        athletes.identified[who] = key
        return key
    for other in person.spellings:
        other_key = Key.of(person.gender, other, person.disambiguation)
        if other_key in known:
            return other_key
    if person.disambiguation is None:
        return _namesake(job, athletes, person, key)
    return key


def _namesake(job: Job, athletes: Athletes, person: PersonRow, key: Key) -> Key:
    """A name without a suffix is the only known namesake, else an athlete of its own."""
    namesakes = athletes.namesakes(key.name_key)
    if len(namesakes) == 1 and namesakes[0] in athletes.known():
        job.issue(
            person.line,
            "warning",
            "namesake_guessed",
            f"{person.name} has no namesake suffix; taken as the only known"
            f" {person.name} ({namesakes[0].suffix.upper()}).",
        )
        return namesakes[0]
    if len(namesakes) > 1:
        job.issue(
            person.line,
            "warning",
            "ambiguous_namesake",
            f"{person.name} has no namesake suffix and {len(namesakes)} athletes share"
            " the name; recorded as a separate athlete.",
        )
    return key


def _flag_near_misses(
    job: Job, athletes: Athletes, new: dict[Key, dict[str, Any]], lines: dict[Key, int]
) -> None:
    """A new name one edit from another is a possible duplicate: reported, never merged."""
    names: dict[NameKey, str] = {}
    for key, row in new.items():
        name_key = key.name_key
        if name_key not in names and not athletes.namesakes(name_key):
            for other in sorted(athletes.near_misses(name_key)):
                if job.corrections.are_distinct(name_key, other):
                    continue
                other_name = names.get(other) or athletes.display_name(other)
                job.issue(
                    lines[key],
                    "warning",
                    "possible_duplicate",
                    f"{row['name']} is one letter away from {other_name}; kept as different"
                    " athletes (add a correction if they are one person).",
                )
        names.setdefault(name_key, row["name"])
        athletes.add_name(name_key)


def _aliases(job: Job, aliases: dict[str, tuple[Key, int]], known: dict[Key, Known]) -> None:
    """Every spelling the document writes names its athlete, unless it names another already."""
    held = job.ledger.aliases()
    new = [a for a in aliases if a not in held]
    ids = job.pending.ids("athlete_aliases", len(new))
    rows = [(i, a, known[aliases[a][0]].id) for i, a in zip(ids, new, strict=True)]
    job.pending.add("athlete_aliases", ("id", "alias", "athlete_id"), rows)
    held.update((a, (i, athlete_id)) for i, a, athlete_id in rows)
    # In the order a look-up by alias returned them (sorted within each chunk): the order
    # of this document's alias_shared issues and attestations.
    for alias in (a for chunk in chunks(list(aliases)) for a in sorted(chunk)):
        alias_id, athlete_id = held[alias]
        key, line = aliases[alias]
        if athlete_id != known[key].id:
            job.issue(
                line,
                "info",
                "alias_shared",
                f"the spelling {alias} already names another athlete; this athlete keeps"
                " it only through the placement.",
            )
            continue
        job.attest_fact("athlete_aliases", alias_id, line)
