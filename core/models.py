"""Plain values that flow through the pipeline: fetch → parse → clean → analyze → store → query.

Everything here is a frozen dataclass so that a value can be cached, hashed and passed between
threads without surprises. Modules may add fields with defaults; they never remove one.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal, TypeVar

_D = TypeVar("_D")

DATE_FLOOR = date(2000, 1, 1)
"""The earliest publication day Détente believes: an earlier date is replaced by the time first
seen (core/ingest/clean.py), and no chart fills or defaults to days before it
(core/dashboard/charts.py)."""

BLOCS: tuple[str, ...] = (
    "russian-state",
    "russian-independent",
    "us",
    "european",
    "ukrainian",
    "wire",
    "other",
)
"""The blocs an outlet can belong to; the order is the order of legends and colours."""

SIDES: tuple[str, ...] = ("us", "russia", "ukraine", "other")
"""The sides an actor can stand on."""

ToneLabel = Literal["positive", "neutral", "negative", "n/a"]
TextField = Literal["title", "text"]


def _pickled_by_constructor(cls: type[_D]) -> type[_D]:
    """Pickle a frozen slots dataclass as `cls(*values)`. Analysed articles cross from worker
    processes by pickle, ~600 objects per feed; the generated __setstate__ looks up the fields
    anew for every object, and unpickling this way is four times faster (same values)."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[type[_D], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


def slot_constructor(cls: type[_D], names: tuple[str, ...]) -> Callable[..., _D]:
    """A constructor for a frozen slots dataclass that sets its slots directly: the same value
    as `cls(*args)` (tested), at a fraction of the cost of the generated __init__, which goes
    through object.__setattr__ per field. An article makes ~100 of these; that shows in the
    bench (bench/bench_analysis.py). Five and six fields are set without a loop; `names` are the
    fields in the order the constructor takes them."""
    setters = tuple(getattr(cls, name).__set__ for name in names)
    new = object.__new__
    if len(setters) == 5:
        s0, s1, s2, s3, s4 = setters

        def construct5(v0: object, v1: object, v2: object, v3: object, v4: object) -> _D:
            instance = new(cls)
            s0(instance, v0)
            s1(instance, v1)
            s2(instance, v2)
            s3(instance, v3)
            s4(instance, v4)
            return instance

        return construct5
    if len(setters) == 6:
        t0, t1, t2, t3, t4, t5 = setters

        def construct6(
            v0: object, v1: object, v2: object, v3: object, v4: object, v5: object
        ) -> _D:
            instance = new(cls)
            t0(instance, v0)
            t1(instance, v1)
            t2(instance, v2)
            t3(instance, v3)
            t4(instance, v4)
            t5(instance, v5)
            return instance

        return construct6

    def construct(*values: object) -> _D:
        instance = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(instance, value)
        return instance

    return construct


# --- analysis ---------------------------------------------------------------------------------


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class ToneAdjustment:
    """One phrase of the domain tone layer (config/tone.toml) found in a sentence:
    `field[start:end]` read as `phrase`, scored `valence` on VADER's -4 … +4 word scale where
    stock VADER's lexicon gave its words `vader_valence` in all (0 for words it lacks)."""

    start: int
    end: int
    phrase: str
    valence: float
    vader_valence: float
    field: TextField = "text"


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class SentenceTone:
    """One sentence of a field, by character offsets: `tone` is the compound score with the
    domain layer, `vader` stock VADER's compound of the same sentence (None when not scored),
    `adjustments` the domain phrases that made the two differ."""

    start: int
    end: int
    tone: float | None
    field: TextField = "text"
    vader: float | None = None
    adjustments: tuple[ToneAdjustment, ...] = ()


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class ThemeMatch:
    """One lexicon term found in the title or the text; `field[start:end]` is the matched text."""

    theme: str
    term: str
    start: int
    end: int
    field: TextField = "text"


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class ActorMention:
    """One mention of a gazetteer actor; `field[start:end]` is the matched alias."""

    actor: str
    side: str
    start: int
    end: int
    field: TextField = "text"


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class RelationEvent:
    """One act between the two sides (core/analysis/relations.py): `field[start:end]` is the
    phrase read; `category` a code of config/relations.toml; `weight` what it counts: its
    Goldstein weight (−10 … +10), −4 when negated cooperation, 0 when negated conflict, half when
    hypothetical; `source`/`target` are "us", "russia" or both "mutual"."""

    start: int
    end: int
    category: str
    weight: float
    source: str
    target: str
    negated: bool = False
    hypothetical: bool = False
    field: TextField = "text"
    quad: str = ""
    """The category's class in config/relations.toml (verbal_cooperation, material_cooperation,
    verbal_conflict, material_conflict): stored beside the event so a filter by class reads it."""


RelationsLabel = Literal["cooperation", "conflict", "neutral"]


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class RelationsReading:
    """Cooperation–conflict reading of a text: `score` in [−1, 1] and `label` are None when it
    holds no US–Russia event."""

    score: float | None = None
    label: RelationsLabel | None = None
    events: tuple[RelationEvent, ...] = ()


NO_RELATIONS = RelationsReading()


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Analysis:
    """How one article was read: tone, themes, actors, relevance, with every piece of evidence."""

    tone: float | None
    tone_label: ToneLabel
    sentences: tuple[SentenceTone, ...]
    themes: tuple[ThemeMatch, ...]
    theme_names: tuple[str, ...]
    actors: tuple[ActorMention, ...]
    relevance: float
    relevant: bool
    lang: str
    lexicon_version: str
    analyzer_version: str
    theme_salience: tuple[tuple[str, float], ...] = ()
    """(theme, salience in 0..1) for every theme with a match, most salient first."""
    central_themes: tuple[str, ...] = ()
    """The themes whose salience reaches themes.CENTRAL_AT (sorted); a subset of theme_names."""
    relations: RelationsReading = NO_RELATIONS
    """The article (headline and text): its events of both fields, each with its `field`."""
    title_relations: RelationsReading = NO_RELATIONS
    """The headline alone."""


# --- feeds and articles -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One `[[feed]]` table of config/feeds.toml."""

    url: str
    outlet: str
    bloc: str
    country: str = ""
    language: str = "en"
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one HTTP fetch produced. `error` is set when nothing usable came back."""

    url: str
    final_url: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    not_modified: bool = False
    error: str | None = None
    retry_after: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    elapsed: float = 0.0


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One feed entry as the feed gave it: untrusted, possibly HTML, already length-capped."""

    guid: str | None
    link: str | None
    title: str
    summary_html: str
    content_html: str
    author: str | None
    published: datetime | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed document. `error` is set when the document is not a usable feed."""

    title: str
    entries: tuple[ParsedEntry, ...]
    bozo: bool = False
    error: str | None = None
    ttl_minutes: int | None = None


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article, ready to analyze and store. Text fields are plain text."""

    uid: str
    url: str
    title: str
    summary: str
    content: str
    published: datetime
    fetched: datetime
    feed_url: str
    outlet: str
    bloc: str
    guid: str | None = None
    fulltext: str = ""
    is_demo: bool = False
    published_estimated: bool = False
    """True when `published` is the time first seen: the feed gave no date, or one that lies
    (before DATE_FLOOR, or more than a day ahead)."""

    @property
    def body(self) -> str:
        """The best text we have: full text, else feed content, else summary."""
        return self.fulltext or self.content or self.summary


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class AnalyzedArticle:
    article: Article
    analysis: Analysis


# --- the dashboard's questions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """The analyst's current view. Hashable, so cached loaders can key on it."""

    date_from: date | None = None
    date_to: date | None = None
    outlets: tuple[str, ...] = ()
    blocs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    tone_min: float = -1.0
    tone_max: float = 1.0
    relevant_only: bool = True
    query: str = ""
    event_categories: tuple[str, ...] = ()
    """Relations event categories (config/relations.toml ids, or the four quad classes
    verbal_cooperation, material_cooperation, verbal_conflict, material_conflict): only articles
    with such an event. Empty: no event filter."""
    mentions: bool = False
    """Theme counts include passing mentions (every theme in `theme_names`); by default charts
    count an article under its central themes only."""
    languages: tuple[str, ...] = ()
    """The articles' detected languages (ISO 639-1, e.g. "ru"); empty means every language."""


# --- watches and alerts (core/alerts) -----------------------------------------------------------

Sensitivity = Literal["low", "normal", "high"]
SENSITIVITIES: tuple[str, ...] = ("low", "normal", "high")


@dataclass(frozen=True, slots=True)
class Watch:
    """A saved view the desk checks after every poll round (core/alerts): the dashboard's
    filters (their dates are ignored: a check looks at the days around now), a name and how
    readily it alerts."""

    name: str
    filters: Filters
    sensitivity: Sensitivity = "normal"
    id: int | None = None
