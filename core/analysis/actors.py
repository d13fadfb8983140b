"""The actor gazetteer (config/actors.toml): people and institutions on every side, and the side
markers the relevance score reads. Same term syntax as the theme lexicon (core/themes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.analysis.themes import PhraseMatcher, check_terms
from core.config import (
    CONFIG_DIR,
    ConfigError,
    line_finder,
    line_of,
    load_toml,
    required_version,
    table_lines,
)
from core.models import SIDES, ActorMention, TextField

DEFAULT_ACTORS_PATH = CONFIG_DIR / "actors.toml"
MARKER_KINDS: tuple[str, ...] = ("us", "russia", "joint", "neutral")
"""[markers] lists: words that put a side in the text without naming an actor ("Washington",
"Russian"), phrases that name the relationship itself ("US–Russia"), and `neutral` look-alikes
that must not count for a side ("Latin America", "Washington Post")."""


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    side: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Markers:
    us: tuple[str, ...] = ()
    russia: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()
    neutral: tuple[str, ...] = ()


class Gazetteer:
    """Actors and side markers, compiled into one matcher (`scan` finds both in one pass)."""

    def __init__(self, actors: tuple[Actor, ...], markers: Markers, version: str) -> None:
        self.actors = actors
        self.markers = markers
        self.version = version
        self.names: tuple[str, ...] = tuple(actor.name for actor in actors)
        self.sides: dict[str, str] = {actor.name: actor.side for actor in actors}
        entries = [("actor", actor.name, alias) for actor in actors for alias in actor.aliases]
        for kind in MARKER_KINDS:
            entries += [(kind, kind, term) for term in getattr(markers, kind)]
        self.entries: tuple[tuple[str, str, str], ...] = tuple(entries)
        """(kind, owner, term): kind "actor" (owner = actor name) or a marker kind."""
        self._matcher = PhraseMatcher([term for _, _, term in self.entries])

    def mentions(self, text: str, field: TextField = "text") -> list[ActorMention]:
        return self.scan(text, field)[0]

    def scan(
        self, text: str, field: TextField = "text"
    ) -> tuple[list[ActorMention], list[tuple[str, int, int]]]:
        """Actor mentions and (kind, start, end) side markers, in one pass."""
        mentions: list[ActorMention] = []
        markers: list[tuple[str, int, int]] = []
        for indexes, start, end in self._matcher.finditer(text):
            if any(self.entries[index][0] == "neutral" for index in indexes):
                continue  # a look-alike ("Latin America") hides every term that reads the same
            for index in indexes:
                kind, owner, _ = self.entries[index]
                if kind == "actor":
                    mentions.append(ActorMention(owner, self.sides[owner], start, end, field))
                else:
                    markers.append((kind, start, end))
        return mentions, markers


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read and check a gazetteer; every problem raises ConfigError naming the file and line."""
    path = path or DEFAULT_ACTORS_PATH
    document = load_toml(path, keep=True)
    version = required_version(path, document)
    tables = document.get("actor", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}:1: no [[actor]] tables")
    starts = table_lines(path, "actor")
    actors: list[Actor] = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        where = f"{path}:{starts[index] if index < len(starts) else 1}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: each actor must be an [[actor]] table")
        name, side, aliases = table.get("name"), table.get("side"), table.get("aliases")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: [[actor]] needs a name")
        if name.strip() in seen:
            raise ConfigError(f"{where}: actor {name!r} is listed twice")
        if side not in SIDES:
            raise ConfigError(f"{where}: actor {name!r}: side must be one of {', '.join(SIDES)}")
        if not isinstance(aliases, list) or not aliases:
            raise ConfigError(f"{where}: actor {name!r} has no aliases")
        for _, problem in check_terms(aliases):
            raise ConfigError(f"{where}: actor {name!r}: {problem}")
        seen.add(name.strip())
        actors.append(Actor(name.strip(), side, tuple(aliases)))
    raw_markers = document.get("markers", {})
    if not isinstance(raw_markers, dict):
        raise ConfigError(f"{path}:{line_of(path, 'markers') or 1}: `markers` must be a table")
    unknown = sorted(set(raw_markers) - set(MARKER_KINDS))
    if unknown:
        line = line_of(path, f"{unknown[0]} =") or line_of(path, "[markers]") or 1
        raise ConfigError(f"{path}:{line}: unknown marker list {unknown[0]!r}")
    lists: dict[str, tuple[str, ...]] = {}
    line_at = line_finder(path)  # the file read once for all the lists' lines
    for kind in MARKER_KINDS:
        terms = raw_markers.get(kind, [])
        line = line_at(f"{kind} =") or line_at("[markers]") or 1
        if not isinstance(terms, list):
            raise ConfigError(f"{path}:{line}: markers.{kind} must be a list")
        for _, problem in check_terms(terms):
            raise ConfigError(f"{path}:{line}: markers.{kind}: {problem}")
        lists[kind] = tuple(terms)
    return Gazetteer(tuple(actors), Markers(**lists), version.strip())


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer in config/actors.toml, read once per process."""
    return load_gazetteer()
