"""Synthetic analyzed articles, written straight into the database in bulk.

For benchmarks (the dashboard at 10k vs 1M articles) and tests that need volume. The articles are
not analyzed by core.analysis.analyzer (far too slow for a million); each one is *built* with its
evidence: every theme term and actor alias is placed in the generated text, so the recorded spans
slice the text exactly and the annotated view works on synthetic rows too. Distributions aim at
realism: outlets weighted by size, every bloc present, Zipf-like theme and term popularity,
weekday rhythm plus a few news spikes, tone that leans by bloc and theme, some non-English
outlets with tone n/a. Deterministic for a given seed; writing the same seed twice adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core.analysis.relations import read_relations
from core.analysis.relevance import RELEVANT_AT
from core.models import (
    BLOCS,
    NO_RELATIONS,
    ActorMention,
    Analysis,
    AnalyzedArticle,
    Article,
    RelationEvent,
    RelationsReading,
    SentenceTone,
    ThemeMatch,
    ToneLabel,
)
from core.storage import SaveCounts, Store

SYNTHETIC_LEXICON_VERSION = "synthetic-1"
SYNTHETIC_ANALYZER_VERSION = "synthetic-analyzer/1"
BATCH = 5000

# outlet, bloc, relative size, language
OUTLETS: tuple[tuple[str, str, float, str], ...] = (
    ("TASS", "russian-state", 9.0, "en"),
    ("RT", "russian-state", 7.0, "en"),
    ("Sputnik", "russian-state", 4.0, "en"),
    ("Kremlin.ru", "russian-state", 1.0, "ru"),
    ("RIA Novosti", "russian-state", 3.0, "ru"),
    ("Meduza", "russian-independent", 3.0, "en"),
    ("The Moscow Times", "russian-independent", 3.0, "en"),
    ("Novaya Gazeta Europe", "russian-independent", 1.5, "en"),
    ("The New York Times", "us", 6.0, "en"),
    ("The Washington Post", "us", 5.0, "en"),
    ("Politico", "us", 3.0, "en"),
    ("CNN", "us", 4.0, "en"),
    ("Fox News", "us", 3.0, "en"),
    ("BBC News", "european", 5.0, "en"),
    ("The Guardian", "european", 4.0, "en"),
    ("Deutsche Welle", "european", 3.0, "en"),
    ("France 24", "european", 2.5, "en"),
    ("Le Monde", "european", 1.5, "fr"),
    ("Kyiv Independent", "ukrainian", 4.0, "en"),
    ("Ukrainska Pravda", "ukrainian", 2.5, "en"),
    ("Reuters", "wire", 8.0, "en"),
    ("Associated Press", "wire", 6.0, "en"),
    ("Al Jazeera", "other", 3.0, "en"),
    ("GDELT Russia-US", "other", 2.0, "en"),
)
assert {bloc for _, bloc, _, _ in OUTLETS} == set(BLOCS)

THEMES: dict[str, tuple[str, ...]] = {
    "sanctions": ("sanctions", "asset freeze", "price cap", "export controls", "shadow fleet"),
    "arms_control": ("New START", "arms control", "nuclear test", "strategic stability", "ICBM"),
    "counterterrorism": ("counterterrorism", "Islamic State", "terror plot", "militants"),
    "diplomacy": ("summit", "talks", "envoy", "ambassador", "phone call", "dialogue"),
    "ukraine_war": ("ceasefire", "front line", "Donbas", "drone strike", "peace deal"),
    "energy_trade": ("oil", "natural gas", "tariffs", "Nord Stream", "trade"),
    "cyber_election": ("hackers", "election interference", "ransomware", "cyberattack"),
    "prisoners_consular": ("prisoner swap", "detained", "consular access", "espionage charges"),
    "military_nato": ("NATO", "troops", "military exercises", "Baltic"),
    "information_propaganda": ("propaganda", "disinformation", "state media", "censorship"),
}
THEME_WEIGHTS = (7.0, 4.0, 1.5, 9.0, 10.0, 4.0, 2.0, 1.5, 5.0, 2.5)
THEME_TONE = (-0.25, -0.1, -0.3, 0.15, -0.35, -0.05, -0.25, -0.1, -0.2, -0.2)
BLOC_TONE = {
    "russian-state": 0.05,
    "russian-independent": -0.15,
    "us": -0.05,
    "european": -0.1,
    "ukrainian": -0.2,
    "wire": 0.0,
    "other": 0.0,
}
# actor name, side, alias used in text
ACTORS: tuple[tuple[str, str, str], ...] = (
    ("Vladimir Putin", "russia", "Putin"),
    ("Dmitry Peskov", "russia", "Peskov"),
    ("Sergei Lavrov", "russia", "Lavrov"),
    ("Maria Zakharova", "russia", "Zakharova"),
    ("Dmitry Medvedev", "russia", "Medvedev"),
    ("Yuri Ushakov", "russia", "Ushakov"),
    ("Kirill Dmitriev", "russia", "Dmitriev"),
    ("Kremlin", "russia", "the Kremlin"),
    ("Russian Foreign Ministry", "russia", "the Russian Foreign Ministry"),
    ("Donald Trump", "us", "Trump"),
    ("Marco Rubio", "us", "Rubio"),
    ("JD Vance", "us", "Vance"),
    ("Steve Witkoff", "us", "Witkoff"),
    ("Joe Biden", "us", "Biden"),
    ("White House", "us", "the White House"),
    ("State Department", "us", "the State Department"),
    ("Pentagon", "us", "the Pentagon"),
    ("Volodymyr Zelensky", "ukraine", "Zelensky"),
    ("NATO", "other", "NATO"),
    ("UN Security Council", "other", "the UN Security Council"),
)
ACTOR_WEIGHTS = (10, 4, 5, 2, 2, 1.5, 1.5, 6, 2, 10, 4, 2, 3, 1.5, 4, 3, 2, 6, 3, 1)
TITLE_TEMPLATES = (
    "{actor} weighs {term} as pressure builds",
    "{actor} says {term} must stay on the table",
    "What the new {term} push means for Moscow and Washington",
    "{actor} rejects criticism over {term}",
    "Analysis: {term} returns to the agenda",
)
VERBS = ("discussed", "criticised", "defended", "questioned", "welcomed", "played down")
FILLER = (
    "Officials on both sides declined to give details.",
    "The statement followed days of speculation.",
    "Analysts said the move was expected.",
    "No date has been set for further contacts.",
)


def fill_synthetic(
    store: Store,
    n: int,
    *,
    seed: int = 0,
    days: int = 365,
    end: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> SaveCounts:
    """Write `n` synthetic analyzed articles spread over `days` days ending at `end` (today).

    `progress` is called with the number written after each batch. Returns the save counts.
    """
    end = end or datetime.now(UTC).date()
    new = updated = unchanged = 0
    for batch in _batches(n, seed=seed, days=days, end=end):
        counts = store.save_articles(batch)
        new, updated, unchanged = (
            new + counts.new,
            updated + counts.updated,
            unchanged + counts.unchanged,
        )
        if progress is not None:
            progress(len(batch))
    return SaveCounts(new=new, updated=updated, unchanged=unchanged)


def synthetic_articles(
    n: int, *, seed: int = 0, days: int = 365, end: date | None = None
) -> list[AnalyzedArticle]:
    """The same articles `fill_synthetic` writes, as values (for tests)."""
    end = end or datetime.now(UTC).date()
    return [item for batch in _batches(n, seed=seed, days=days, end=end) for item in batch]


def _day_weights(rng: random.Random, days: int, end: date) -> list[float]:
    """Weekday rhythm, a slow trend and a handful of news spikes."""
    weights = []
    spikes = set(rng.sample(range(days), k=min(days, max(1, days // 45))))
    for index in range(days):
        day = end - timedelta(days=days - 1 - index)
        weight = 0.6 if day.weekday() >= 5 else 1.0
        weight *= 0.7 + 0.6 * index / max(1, days - 1)
        if index in spikes:
            weight *= 4.0
        weights.append(weight)
    return weights


POOL = 4096
"""Distinct article bodies per seed; each article draws one and gets its own outlet, time, tone."""


@dataclass(frozen=True, slots=True)
class _Body:
    title: str
    text: str
    sentences: tuple[SentenceTone, ...]
    sentences_na: tuple[SentenceTone, ...]
    themes: tuple[ThemeMatch, ...]
    theme_names: tuple[str, ...]
    actors: tuple[ActorMention, ...]
    tone: float
    relevance: float


def _batches(n: int, *, seed: int, days: int, end: date) -> Iterator[list[AnalyzedArticle]]:
    rng = random.Random(seed)
    day_weights = _day_weights(rng, days, end)
    start = datetime.combine(end - timedelta(days=days - 1), time(), UTC)
    bodies = [_body(rng) for _ in range(min(POOL, max(1, n)))]
    outlet_weights = [w for _, _, w, _ in OUTLETS]
    # In publication order, as a poller would meet them: the time indexes then grow at their
    # end instead of being rewritten all over (a 1M fill stays fast).
    all_days = sorted(rng.choices(range(days), weights=day_weights, k=n))
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        moments = sorted((day, rng.randrange(86400)) for day in all_days[done : done + size])
        outlet_picks = rng.choices(OUTLETS, weights=outlet_weights, k=size)
        body_picks = rng.choices(bodies, k=size)
        batch = []
        for offset in range(size):
            outlet, bloc, _, lang = outlet_picks[offset]
            day, second = moments[offset]
            published = start + timedelta(days=day, seconds=second)
            batch.append(
                _article(
                    rng, seed, done + offset, outlet, bloc, lang, published, body_picks[offset]
                )
            )
        done += size
        yield batch


def _article(
    rng: random.Random,
    seed: int,
    index: int,
    outlet: str,
    bloc: str,
    lang: str,
    published: datetime,
    body: _Body,
) -> AnalyzedArticle:
    english = lang == "en"
    tone: float | None = None
    label: ToneLabel = "n/a"
    if english:
        tone = round(max(-0.95, min(0.95, body.tone + BLOC_TONE[bloc] + rng.gauss(0, 0.12))), 4)
        label = "positive" if tone >= 0.05 else "negative" if tone <= -0.05 else "neutral"
    relevance = round(max(0.0, min(1.0, body.relevance + rng.uniform(-0.1, 0.1))), 4)
    slug = outlet.lower().replace(" ", "-").replace(".", "-")
    article = Article(
        uid=f"synthetic:{seed}:{index}",
        url=f"https://synthetic.example/{slug}/{seed}/{index}",
        title=body.title,
        summary=body.text[:280],
        content=body.text,
        published=published,
        published_estimated=False,
        fetched=published + timedelta(minutes=rng.randrange(5, 120)),
        feed_url=f"https://synthetic.example/{slug}/feed.xml",
        outlet=outlet,
        bloc=bloc,
    )
    analysis = Analysis(
        tone=tone,
        tone_label=label,
        sentences=body.sentences if english else body.sentences_na,
        themes=body.themes,
        theme_names=body.theme_names,
        actors=body.actors,
        relevance=relevance,
        relevant=relevance >= RELEVANT_AT,
        lang=lang,
        lexicon_version=SYNTHETIC_LEXICON_VERSION,
        analyzer_version=SYNTHETIC_ANALYZER_VERSION,
        relations=_relations(seed, index, bloc, relevance) if english else NO_RELATIONS,
    )
    return AnalyzedArticle(article, analysis)


EVENTS = (
    # category, quad, weight, source, target
    ("praise", "verbal_cooperation", 3.4, "russia", "us"),
    ("consult", "verbal_cooperation", 2.0, "mutual", "mutual"),
    ("agree", "verbal_cooperation", 4.0, "mutual", "mutual"),
    ("swap_prisoners", "material_cooperation", 7.0, "mutual", "mutual"),
    ("ease_sanctions", "material_cooperation", 6.0, "us", "russia"),
    ("accuse", "verbal_conflict", -2.0, "russia", "us"),
    ("condemn", "verbal_conflict", -4.0, "us", "russia"),
    ("impose_sanctions", "material_conflict", -8.0, "us", "russia"),
    ("expel", "material_conflict", -7.0, "russia", "us"),
)
"""Relations events synthetic articles hold (weights as in config/relations.toml)."""
EVENT_WEIGHTS = (3, 5, 2, 1, 1, 5, 4, 3, 1)


def _relations(seed: int, index: int, bloc: str, relevance: float) -> RelationsReading:
    """0–3 events for a relevant article, from a generator of its own (the other values stay
    as they were before articles had events); state media report more conflict."""
    if relevance < RELEVANT_AT:
        return NO_RELATIONS
    rng = random.Random(seed * 1_000_003 + index)
    count = rng.choices((0, 1, 2, 3), weights=(0.45, 0.3, 0.17, 0.08))[0]
    weights = [w * (2 if bloc == "russian-state" and i >= 5 else 1) for i, w in
               enumerate(EVENT_WEIGHTS)]  # fmt: skip
    events = []
    for category, quad, weight, source, target in rng.choices(EVENTS, weights=weights, k=count):
        negated = rng.random() < 0.05
        hypothetical = not negated and rng.random() < 0.1
        effective = (
            (-4.0 if weight > 0 else 0.0) if negated else weight * (0.5 if hypothetical else 1.0)
        )
        events.append(
            RelationEvent(0, 4, category, effective, source, target, negated, hypothetical,
                          "text", quad)
        )  # fmt: skip
    return read_relations(events)


def _body(rng: random.Random) -> _Body:
    """One article text with its evidence: every term and alias placed where the spans say."""
    theme_ids = tuple(THEMES)
    theme_count = rng.choices((0, 1, 2, 3), weights=(0.12, 0.48, 0.3, 0.1))[0]
    themes = list(dict.fromkeys(rng.choices(theme_ids, weights=THEME_WEIGHTS, k=theme_count)))
    actor_count = rng.choices((0, 1, 2, 3, 4), weights=(0.15, 0.3, 0.3, 0.15, 0.1))[0]
    actors = list(
        dict.fromkeys(rng.choices(range(len(ACTORS)), weights=ACTOR_WEIGHTS, k=actor_count))
    )

    title_term = rng.choice(THEMES[themes[0]]) if themes else "relations"
    title_actor = ACTORS[actors[0]][2] if actors else "officials"
    title = rng.choice(TITLE_TEMPLATES).format(actor=title_actor, term=title_term)
    title = title[0].upper() + title[1:]

    theme_matches: list[ThemeMatch] = []
    actor_mentions: list[ActorMention] = []
    sentences: list[SentenceTone] = []
    if themes:
        at = title.find(title_term)
        theme_matches.append(ThemeMatch(themes[0], title_term, at, at + len(title_term), "title"))
    if actors:
        name, side, alias = ACTORS[actors[0]]
        at = title.find(alias)
        if at >= 0:
            actor_mentions.append(ActorMention(name, side, at, at + len(alias), "title"))

    center = sum(THEME_TONE[theme_ids.index(t)] for t in themes) / max(1, len(themes))
    parts: list[str] = []
    length = 0

    def add_sentence(text: str, found: list[tuple[int, int, str, str, bool]]) -> None:
        nonlocal length
        if parts:
            parts.append(" ")
            length += 1
        start = length
        parts.append(text)
        length += len(text)
        score = round(max(-0.95, min(0.95, rng.gauss(center, 0.35))), 4)
        sentences.append(SentenceTone(start, length, score, "text"))
        for rel_start, rel_end, key, term, is_theme in found:
            if is_theme:
                theme_matches.append(
                    ThemeMatch(key, term, start + rel_start, start + rel_end, "text")
                )
            else:
                name, side, _ = ACTORS[int(key)]
                actor_mentions.append(
                    ActorMention(name, side, start + rel_start, start + rel_end, "text")
                )

    for actor_index in actors:
        alias = ACTORS[actor_index][2]
        prefix = f"{alias[0].upper()}{alias[1:]} {rng.choice(VERBS)} "
        if not themes:
            add_sentence(
                f"{prefix}the latest contacts.", [(0, len(alias), str(actor_index), "", False)]
            )
            continue
        term_theme = rng.choice(themes)
        term = _zipf_pick(rng, THEMES[term_theme])
        add_sentence(
            f"{prefix}{term} this week.",
            [
                (0, len(alias), str(actor_index), "", False),
                (len(prefix), len(prefix) + len(term), term_theme, term, True),
            ],
        )
    for theme in themes:
        for _ in range(rng.choice((1, 2, 2, 3))):
            term = _zipf_pick(rng, THEMES[theme])
            prefix = "Reports on "
            add_sentence(
                f"{prefix}{term} dominated the day.",
                [(len(prefix), len(prefix) + len(term), theme, term, True)],
            )
    add_sentence(rng.choice(FILLER), [])

    sides = {ACTORS[i][1] for i in actors}
    relevance = min(
        1.0, 0.2 * len(themes) + (0.5 if {"us", "russia"} <= sides else 0.1 * len(sides))
    )
    scores = [s.tone for s in sentences if s.tone is not None]
    return _Body(
        title=title,
        text="".join(parts),
        sentences=tuple(sentences),
        sentences_na=tuple(SentenceTone(s.start, s.end, None, s.field) for s in sentences),
        themes=tuple(theme_matches),
        theme_names=tuple(sorted(themes)),
        actors=tuple(actor_mentions),
        tone=sum(scores) / len(scores),
        relevance=relevance,
    )


def _zipf_pick(rng: random.Random, terms: tuple[str, ...]) -> str:
    """The first terms of a theme are much more common than the last (as in real coverage)."""
    return rng.choices(terms, weights=[1.0 / (rank + 1) for rank in range(len(terms))])[0]
