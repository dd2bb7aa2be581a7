"""Relay members of one team: spellings of one person kept together, near misses reported.

Members are indexed by identity key and by the keys one deletion away, so a team of
thousands of names costs linear time rather than a comparison of every pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .builder import Builder
from .competitors import identity, near_miss

INDEX_FROM = 16  # members before a team builds its index of near spellings


@dataclass(slots=True)
class Member:
    name: str
    spellings: list[str]
    line: int


@dataclass(slots=True)
class Team:
    """The members of one relay placement, with the indexes that find a spelling fast."""

    members: list[Member] = field(default_factory=list)
    exact: dict[str, Member] = field(default_factory=dict)
    nearby: dict[str, list[Member]] = field(default_factory=dict)

    def remember(self, key: str, member: Member) -> None:
        self.exact.setdefault(key, member)
        if len(self.members) == INDEX_FROM:
            for known in self.members:
                for variant in _deletions(identity(known.name)):
                    self.nearby.setdefault(variant, []).append(known)
        elif len(self.members) > INDEX_FROM:
            for variant in _deletions(key):
                self.nearby.setdefault(variant, []).append(member)

    def near(self, key: str) -> Member | None:
        """A member whose key is one edit from `key`, if any."""
        if len(self.members) <= INDEX_FROM:  # a real team: comparing names is cheaper
            candidates = list(self.members)
        else:
            candidates = [m for v in (key, *_deletions(key)) for m in self.nearby.get(v, ())]
            candidates += [self.exact[v] for v in _deletions(key) if v in self.exact]
        for member in candidates:
            if near_miss(identity(member.name), key):
                return member
        return None


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def add_member(builder: Builder, team: Team, name: str, line: int, rank: int) -> None:
    """Add `name` to `team`: a known spelling, a near miss of one (reported), or a new member."""
    key = identity(name)
    known = team.exact.get(key)
    if known is not None:
        if name != known.name and name not in known.spellings:
            known.spellings.append(name)
        return
    near = team.near(key)
    if near is not None:
        near.spellings.append(name)
        team.exact.setdefault(key, near)
        builder.warn(
            line,
            "near_miss_spelling",
            f"relay rank {rank}: {name!r} and {near.name!r} (line {near.line}) are"
            " one letter apart in the same team; taken as one person",
        )
        return
    member = Member(name, [], line)
    team.members.append(member)
    team.remember(key, member)
