"""The Russian half of config/themes.toml and config/actors.toml: read and checked here.

Schema (same term syntax as the English lists, core/analysis/themes.py; each word of a Russian
term is matched by its lemma, so a term is written once in its dictionary form and matches every
case and number — see core/analysis/russian.py):

    # config/themes.toml: one subtable per theme, beside its English terms
    [themes.sanctions.ru]
    terms = ["санкция", "санкционный", "заморозка активов", ...]
    exclude = ["санкция прокурора", ...]      # false friends, as in English
    exclude_own = ["задержание танкера", ...]  # false friends that hide only this theme's terms

    [[themes.prisoners_consular.ru.when]]     # terms that count only in a sentence that
    terms = ["задержать", ...]                # names both sides (`sides = "both"`) or one
    sides = "both"                            # ("either"), or holds one of `cues`, and no
    cues = ["обмен", "экстрадиция", ...]      # term of the `unless_themes` (all optional but
    unless_themes = ["ukraine_war"]           # one); `owned_by_side = true`: not the term of
    owned_by_side = true                      # another country («посол Индии»), see
                                              # core/analysis/russian_context.py

    # config/actors.toml
    [ru.markers]
    us = ["США", "Вашингтон", ...]            # a side named without an actor
    russia = ["Россия", "Москва", ...]
    joint = ["российско-американские отношения", "Москва и Вашингтон", ...]
    joint_if_both = ["обе стороны", ...]       # the relationship, only once both sides are named
    neutral = ["Латинская Америка", ...]       # look-alikes that hide the markers inside them

    [ru.aliases]
    "Vladimir Putin" = ["Путин", "Владимир Путин", "президент России", ...]

    [ru.someone_else]                          # words around an alias that make it name
    office_after = ["заместитель", ...]        # someone else (core/analysis/russian_names.py)
    office_before = ["бывший", ...]
    name_after = ["памятник", ...]
    name_before = ["младший"]
    bare = ["МИД", ...]                        # one-word aliases that need no other country

    [ru.unless_in_sentence]                   # not this actor in a sentence with these
    "White House" = ["Мишустин", ...]

Every theme needs Russian terms and every actor Russian aliases; problems raise ConfigError
naming the file, the line and the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.analysis.actors import DEFAULT_ACTORS_PATH
from core.analysis.themes import DEFAULT_THEMES_PATH, check_terms
from core.config import ConfigError, line_of, load_toml, required_version, table_lines

RU_MARKER_KINDS: tuple[str, ...] = ("us", "russia", "joint", "joint_if_both", "neutral")
SOMEONE_ELSE: tuple[str, ...] = (
    "office_after",
    "office_before",
    "name_after",
    "name_before",
    "bare",
)
RU_TABLES = frozenset({"aliases", "markers", "someone_else", "unless_in_sentence"})
ActorTables = tuple[
    dict[str, tuple[str, ...]],
    dict[str, str],
    dict[str, tuple[str, ...]],
    str,
    dict[str, tuple[str, ...]],
    dict[str, tuple[str, ...]],
]


@dataclass(frozen=True, slots=True)
class RussianTheme:
    id: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...]
    exclude_own: tuple[str, ...] = ()
    """False friends that hide only this theme's terms inside them: the other words they span
    (a side marker, another theme's term) are still read («задержание танкера»)."""
    when: tuple[Condition, ...] = ()
    """Terms that count only where their sentence meets a condition ([[themes.<id>.ru.when]])."""


SIDES_CONDITIONS = ("both", "either")
WHEN_KEYS = frozenset({"terms", "sides", "cues", "unless_themes", "owned_by_side"})


@dataclass(frozen=True, slots=True)
class Condition:
    """A [[themes.<id>.ru.when]] table: its `terms` count for the theme only in a sentence that
    names both sides or either (`sides`), or holds one of `cues` (when either is given), holds no
    term of `unless_themes`, and (`owned_by_side`) not where a name that is no side follows the
    term as its owner («посол Индии»). Read by core/analysis/russian_context.py."""

    terms: tuple[str, ...]
    sides: str = ""
    cues: tuple[str, ...] = ()
    unless_themes: tuple[str, ...] = ()
    owned_by_side: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class RussianTerms:
    """Everything the Russian reader matches, with the versions of the files it came from."""

    themes: tuple[RussianTheme, ...]
    aliases: dict[str, tuple[str, ...]]
    """Actor name (as in [[actor]]) -> Russian aliases."""
    sides: dict[str, str]
    """Actor name -> side."""
    markers: dict[str, tuple[str, ...]]
    """Marker kind (RU_MARKER_KINDS) -> terms."""
    version: str
    someone_else: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """[ru.someone_else]: SOMEONE_ELSE key -> single words (core/analysis/russian_names.py)."""
    unless_in_sentence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Actor name -> terms in whose sentence it is not read."""


def _terms(path: Path, value: object, what: str, line: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{path}:{line}: {what} must be a list of strings")
    for term, problem in check_terms(value):
        term_line = line_of(path, f'"{term}"', start_line=line) or line
        raise ConfigError(f"{path}:{term_line}: {what}: {problem}")
    return tuple(value)


def load_russian_themes(path: Path) -> tuple[tuple[RussianTheme, ...], str]:
    """The [themes.<id>.ru] tables of a lexicon, one per theme, and the file's version."""
    document = load_toml(path)
    version = required_version(path, document).strip()
    tables: Any = document.get("themes")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{path}:1: no [themes.<id>] tables")
    themes = []
    for theme_id, table in tables.items():
        header = line_of(path, f"[themes.{theme_id}]") or 1
        ru = table.get("ru") if isinstance(table, dict) else None
        if not isinstance(ru, dict):
            raise ConfigError(
                f"{path}:{header}: theme {theme_id!r} has no Russian terms "
                f"(a [themes.{theme_id}.ru] table with `terms`)"
            )
        line = line_of(path, f"[themes.{theme_id}.ru]") or header
        unknown = sorted(set(ru) - {"terms", "exclude", "exclude_own", "when"})
        if unknown:
            raise ConfigError(f"{path}:{line}: themes.{theme_id}.ru: unknown key {unknown[0]!r}")
        what = f"theme {theme_id!r} (ru)"
        terms = _terms(path, ru.get("terms"), f"{what} terms", line)
        if not terms:
            raise ConfigError(f"{path}:{line}: {what} has no terms")
        exclude = _terms(path, ru.get("exclude", []), f"{what} exclude", line)
        own = _terms(path, ru.get("exclude_own", []), f"{what} exclude_own", line)
        when = _conditions(path, theme_id, ru.get("when", []), line)
        themes.append(RussianTheme(theme_id, terms, exclude, own, when))
    _check_conditions(path, themes)
    return tuple(themes), version


def _conditions(path: Path, theme_id: str, tables: object, line: int) -> tuple[Condition, ...]:
    """The [[themes.<id>.ru.when]] tables of one theme, checked one by one."""
    header = f"[[themes.{theme_id}.ru.when]]"
    starts = table_lines(path, f"themes.{theme_id}.ru.when")
    if not isinstance(tables, list):
        raise ConfigError(f"{path}:{line}: themes.{theme_id}.ru.when must be {header} tables")
    conditions = []
    for index, table in enumerate(tables):
        at = starts[index] if index < len(starts) else line
        what = f"{header} #{index + 1}"
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:{at}: {what} must be a table")
        unknown = sorted(set(table) - WHEN_KEYS)
        if unknown:
            raise ConfigError(f"{path}:{at}: {what}: unknown key {unknown[0]!r}")
        terms = _terms(path, table.get("terms"), f"{what} terms", at)
        if not terms:
            raise ConfigError(f"{path}:{at}: {what} has no terms")
        sides = table.get("sides", "")
        if sides != "" and sides not in SIDES_CONDITIONS:
            raise ConfigError(
                f"{path}:{line_of(path, 'sides', start_line=at) or at}: {what}: sides must be "
                f"one of {', '.join(map(repr, SIDES_CONDITIONS))}, not {sides!r}"
            )
        cues = _terms(path, table.get("cues", []), f"{what} cues", at)
        unless = _terms(path, table.get("unless_themes", []), f"{what} unless_themes", at)
        owned = table.get("owned_by_side", False)
        if not isinstance(owned, bool):
            raise ConfigError(f"{path}:{at}: {what}: owned_by_side must be true or false")
        if not (sides or cues or unless or owned):
            raise ConfigError(
                f"{path}:{at}: {what}: no condition (sides, cues, unless_themes or owned_by_side)"
            )
        conditions.append(Condition(terms, sides, cues, unless, owned, at))
    return tuple(conditions)


def _check_conditions(path: Path, themes: list[RussianTheme]) -> None:
    """A conditional term is not also an unconditional one of its theme (it would count
    everywhere), and `unless_themes` names themes of the file."""
    ids = {theme.id for theme in themes}
    for theme in themes:
        for condition in theme.when:
            what = f"[[themes.{theme.id}.ru.when]]"
            for term in condition.terms:
                if term in theme.terms:
                    at = line_of(path, f'"{term}"', start_line=condition.line) or condition.line
                    raise ConfigError(
                        f"{path}:{at}: {what}: {term!r} is also in the theme's own terms"
                    )
            for other in condition.unless_themes:
                if other not in ids or other == theme.id:
                    at = line_of(path, f'"{other}"', start_line=condition.line) or condition.line
                    raise ConfigError(
                        f"{path}:{at}: {what}: unless_themes: {other!r} is no other theme"
                    )


def load_russian_actors(path: Path) -> ActorTables:
    """(aliases, sides, markers, version, someone_else, unless_in_sentence) from the
    [ru.aliases], [ru.markers], [ru.someone_else] and [ru.unless_in_sentence] tables."""
    document = load_toml(path)
    version = required_version(path, document).strip()
    actors = document.get("actor", [])
    starts = table_lines(path, "actor")
    sides: dict[str, str] = {}
    for index, table in enumerate(actors if isinstance(actors, list) else []):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            sides[table["name"].strip()] = str(table.get("side", "other"))
        elif index < len(starts):
            raise ConfigError(f"{path}:{starts[index]}: [[actor]] needs a name")
    ru = document.get("ru")
    if not isinstance(ru, dict):
        raise ConfigError(f"{path}:1: no [ru.aliases] and [ru.markers] tables (Russian names)")
    unknown_tables = sorted(set(ru) - RU_TABLES)
    if unknown_tables:
        line = line_of(path, f"[ru.{unknown_tables[0]}]") or 1
        raise ConfigError(f"{path}:{line}: unknown table 'ru.{unknown_tables[0]}'")
    aliases_line = line_of(path, "[ru.aliases]") or 1
    raw_aliases = ru.get("aliases")
    if not isinstance(raw_aliases, dict):
        raise ConfigError(f"{path}:{aliases_line}: [ru.aliases] must be a table")
    aliases: dict[str, tuple[str, ...]] = {}
    for name, terms in raw_aliases.items():
        line = line_of(path, f'"{name}" =', start_line=aliases_line) or aliases_line
        if name not in sides:
            raise ConfigError(f"{path}:{line}: ru.aliases: {name!r} is not an [[actor]] name")
        aliases[name] = _terms(path, terms, f"actor {name!r} (ru)", line)
        if not aliases[name]:
            raise ConfigError(f"{path}:{line}: actor {name!r} has no Russian aliases")
    missing = [name for name in sides if name not in aliases]
    if missing:
        where = table_lines(path, "actor")[list(sides).index(missing[0])]
        raise ConfigError(
            f"{path}:{where}: actor {missing[0]!r} has no Russian aliases in [ru.aliases]"
        )
    markers_line = line_of(path, "[ru.markers]") or 1
    raw_markers = ru.get("markers", {})
    if not isinstance(raw_markers, dict):
        raise ConfigError(f"{path}:{markers_line}: [ru.markers] must be a table")
    unknown = sorted(set(raw_markers) - set(RU_MARKER_KINDS))
    if unknown:
        line = line_of(path, f"{unknown[0]} =", start_line=markers_line) or markers_line
        raise ConfigError(f"{path}:{line}: ru.markers: unknown marker list {unknown[0]!r}")
    markers = {}
    for kind in RU_MARKER_KINDS:
        line = line_of(path, f"{kind} =", start_line=markers_line) or markers_line
        markers[kind] = _terms(path, raw_markers.get(kind, []), f"ru.markers.{kind}", line)
    return (
        aliases,
        sides,
        markers,
        version,
        _someone_else(path, ru.get("someone_else", {})),
        _unless(path, ru.get("unless_in_sentence", {}), sides),
    )


def _someone_else(path: Path, table: object) -> dict[str, tuple[str, ...]]:
    """[ru.someone_else]: lists of single words (head nouns: «заместитель», «памятник»)."""
    line = line_of(path, "[ru.someone_else]") or 1
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{line}: [ru.someone_else] must be a table")
    unknown = sorted(set(table) - set(SOMEONE_ELSE))
    if unknown:
        raise ConfigError(f"{path}:{line}: ru.someone_else: unknown key {unknown[0]!r}")
    lists = {}
    for key in SOMEONE_ELSE:
        words = _terms(path, table.get(key, []), f"ru.someone_else.{key}", line)
        for word in words:
            if not re.fullmatch(r"[^\W\d_]+", word):
                word_line = line_of(path, f'"{word}"', start_line=line) or line
                raise ConfigError(
                    f"{path}:{word_line}: ru.someone_else.{key}: {word!r} is not one word"
                )
        lists[key] = words
    return lists


def _unless(path: Path, table: object, sides: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """[ru.unless_in_sentence]: actor name -> terms."""
    line = line_of(path, "[ru.unless_in_sentence]") or 1
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{line}: [ru.unless_in_sentence] must be a table")
    unless = {}
    for name, terms in table.items():
        name_line = line_of(path, f'"{name}" =', start_line=line) or line
        if name not in sides:
            raise ConfigError(
                f"{path}:{name_line}: ru.unless_in_sentence: {name!r} is not an [[actor]] name"
            )
        unless[name] = _terms(path, terms, f"ru.unless_in_sentence {name!r}", name_line)
    return unless


def load_russian_terms(
    themes_path: Path | None = None, actors_path: Path | None = None
) -> RussianTerms:
    """The Russian terms of both files, checked; the version names both files' versions."""
    themes, themes_version = load_russian_themes(themes_path or DEFAULT_THEMES_PATH)
    aliases, sides, markers, actors_version, someone_else, unless = load_russian_actors(
        actors_path or DEFAULT_ACTORS_PATH
    )
    return RussianTerms(
        themes=themes,
        aliases=aliases,
        sides=sides,
        markers=markers,
        version=f"themes-{themes_version}+actors-{actors_version}",
        someone_else=someone_else,
        unless_in_sentence=unless,
    )
