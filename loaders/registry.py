"""The loader registry: every family scores the text and the most confident one parses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from loaders.records import ParsedDocument

FAMILY_MODULES = ("loaders.season_tables", "loaders.calendar", "loaders.wikitable")
MIN_CONFIDENCE = 0.2


@dataclass(frozen=True, slots=True)
class Loader:
    """One document family: its name, its detector and its parser."""

    format: str
    detect: Callable[[str], float]
    parse: Callable[[str], ParsedDocument]


def loaders() -> list[Loader]:
    """Every registered loader, imported on first use."""
    found: list[Loader] = []
    for name in FAMILY_MODULES:
        module = import_module(name)
        found.append(Loader(module.FORMAT, module.detect, module.parse))
    return found


def best_loader(text: str) -> Loader | None:
    """The loader most confident about `text`, or None when none is confident enough."""
    best: tuple[float, Loader] | None = None
    for loader in loaders():
        score = loader.detect(text)
        if score >= MIN_CONFIDENCE and (best is None or score > best[0]):
            best = (score, loader)
    return best[1] if best else None
