"""One pure entry point: title + text → Analysis (tone, themes, actors, relevance, language).

No I/O after the lexicons and gazetteer are first loaded from config/, no Streamlit. The method
is documented in docs/analysis.md. `Analyzer(lexicon, gazetteer, tone_domain=…, russian=…,
relations=…)` takes explicit lexicons (tests, `detente retag` after an edit); `analyze` uses a
default instance built from config/.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import fields
from functools import lru_cache
from typing import TYPE_CHECKING

from core.analysis import tone
from core.analysis.actors import Gazetteer, default_gazetteer
from core.analysis.language import PREFIX, detect_language
from core.analysis.relations import RelationsReader
from core.analysis.relations_lexicon import RelationsLexicon, default_relations
from core.analysis.relevance import (
    RELEVANT_AT,
    SIDE_KINDS,
    both_sides_sentences,
    relevance_score,
)
from core.analysis.sentences import split_sentences
from core.analysis.themes import (
    MEMO_LIMIT,
    Lexicon,
    PhraseMatcher,
    default_lexicon,
    read_themes,
)
from core.analysis.tone_domain import ToneDomain, default_tone_domain
from core.models import (
    NO_RELATIONS,
    ActorMention,
    Analysis,
    SentenceTone,
    TextField,
    ThemeMatch,
    ToneAdjustment,
    slot_constructor,
)

if TYPE_CHECKING:  # imported when a Russian text comes (start-up is faster without it)
    from core.analysis.relations_russian import RussianRelationsReader
    from core.analysis.russian import RussianReader


def installed_version(distribution: str) -> str:
    """The installed version of a distribution, as `importlib.metadata.version` gives it (the
    `Version:` of the first `<name>-<version>.dist-info/METADATA` on sys.path), read without
    importing importlib.metadata, which costs ~30 ms of start-up (email, csv, zipfile…);
    anything unusual (an .egg-info, no such folder) is left to importlib.metadata."""
    prefix = distribution.lower().replace("-", "_").replace(".", "_") + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                try:
                    with open(os.path.join(entry, name, "METADATA"), encoding="utf-8") as meta:
                        for line in meta:
                            if line.startswith("Version:"):
                                return line[len("Version:") :].strip()
                            if not line.strip():
                                break  # the headers end at the first empty line
                except OSError:
                    pass
                from importlib.metadata import version

                return version(distribution)
    from importlib.metadata import version

    return version(distribution)


ANALYZER_VERSION = (
    f"detente-analyzer/7 vaderSentiment-{installed_version('vaderSentiment')} "
    f"nupunkt-{installed_version('nupunkt')} py3langid-{installed_version('py3langid')}"
)
"""Changes whenever the method or a library that scores changes; stored with every analysis."""

_THEME, _ACTOR, _SIDE, _HIDE = range(4)

Evidence = tuple[list[ThemeMatch], list[ActorMention], list[tuple[str, int, int]]]


class Analyzer:
    """A lexicon and a gazetteer compiled into one matcher; `analyze` is a pure function of its
    arguments (the matcher only memoises which terms a matched string belongs to)."""

    def __init__(
        self,
        lexicon: Lexicon,
        gazetteer: Gazetteer,
        *,
        tone_domain: ToneDomain | None = None,
        russian: RussianReader | None = None,
        relations: RelationsLexicon | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self._russian = russian  # the Russian terms of the same files; built on first use
        self._russian_relations: RussianRelationsReader | None = None  # likewise
        self.tone_domain = tone_domain or default_tone_domain()
        relations_lexicon = relations or default_relations()
        self.relations = RelationsReader(relations_lexicon, gazetteer)
        self.lexicon_version = (
            f"themes-{lexicon.version}+actors-{gazetteer.version}"
            f"+tone-{self.tone_domain.version}+relations-{relations_lexicon.version}"
        )
        # Theme terms, false friends, actor aliases and side markers in one matcher: one scan of
        # each field finds all the evidence, and the longest phrase wins where two overlap
        # ("Kremlin spokesperson" is Peskov, not the Kremlin; "open arms" is no arms).
        actions: list[tuple[int, str, str]] = []
        terms: list[str] = []
        for kind, theme, term in lexicon.entries:
            actions.append((_THEME, theme, term) if kind == "theme" else (_HIDE, "", ""))
            terms.append(term)
        for kind, owner, term in gazetteer.entries:
            if kind == "actor":
                actions.append((_ACTOR, owner, gazetteer.sides[owner]))
            elif kind in SIDE_KINDS or kind == "joint":
                actions.append((_SIDE, kind, ""))
            else:
                actions.append((_HIDE, "", ""))
            terms.append(term)
        self._actions = tuple(actions)
        self._matcher = PhraseMatcher(terms)
        self._memo: dict[str, tuple[tuple[int, str, str], ...]] = {}
        # A joint phrase made of names ("Lavrov and Rubio") wins over the names inside it as
        # the longest match; those actors are still mentioned, found by a second, actor-only
        # scan of the (rare, short) joint phrase.
        people = [(owner, term) for kind, owner, term in gazetteer.entries if kind == "actor"]
        self._people = PhraseMatcher([term for _, term in people])
        self._person = tuple((owner, gazetteer.sides[owner]) for owner, _ in people)
        self._inside: dict[str, tuple[tuple[str, str, int, int], ...]] = {}

    def evidence(self, body: str, field: TextField) -> Evidence:
        """Theme matches, actor mentions and (kind, start, end) side evidence of one field."""
        themes: list[ThemeMatch] = []
        actors: list[ActorMention] = []
        sides: list[tuple[str, int, int]] = []
        if not body:
            return themes, actors, sides
        memo, new_theme, new_actor = self._memo, _new_theme_match, _new_actor_mention
        for found in self._matcher.scan(body):
            # The scan runs on the folded text with one character in front (core/themes.py):
            # its (start + 1, end) is (start, end) in `body`.
            start, end = found.span()
            end -= 1
            matched = body[start:end]
            actions = memo.get(matched)
            if actions is None:
                actions = self._actions_of(matched)
            for action, owner, extra in actions:
                if action == _THEME:
                    themes.append(new_theme(owner, extra, start, end, field))
                elif action == _ACTOR:
                    actors.append(new_actor(owner, extra, start, end, field))
                    if extra in SIDE_KINDS:
                        sides.append((extra, start, end))
                else:
                    sides.append((owner, start, end))
                    if owner == "joint":
                        for actor, side, inner_start, inner_end in self._actors_inside(matched):
                            actors.append(
                                new_actor(
                                    actor, side, start + inner_start, start + inner_end, field
                                )
                            )
        return themes, actors, sides

    def _actors_inside(self, phrase: str) -> tuple[tuple[str, str, int, int], ...]:
        """(actor, side, start, end) of the actors named inside a joint phrase."""
        known = self._inside.get(phrase)
        if known is None:
            known = tuple(
                (*self._person[owners[0]], start, end)
                for owners, start, end in self._people.finditer(phrase)
            )
            if len(self._inside) < MEMO_LIMIT:
                self._inside[phrase] = known
        return known

    def _actions_of(self, matched: str) -> tuple[tuple[int, str, str], ...]:
        # A false friend (or a neutral look-alike) hides every term that reads the same.
        actions = tuple(self._actions[index] for index in self._matcher.owners(matched))
        if any(action == _HIDE for action, _, _ in actions):
            actions = ()
        if len(self._memo) < MEMO_LIMIT:
            self._memo[matched] = actions
        return actions

    def analyzer_versions(self) -> tuple[str, str]:
        """The analyzer versions this analyzer's readings carry now, English and Russian (with
        the Russian libraries and theme model, core/analysis/russian.py): what `retag --stale`
        and the stale notice compare stored readings with."""
        from core.analysis.russian import russian_analyzer_version
        from core.analysis.russian_model import default_theme_model

        if self._russian is not None:
            model = self._russian.model
        else:  # as default_russian_reader would build it
            default = default_theme_model()
            model = default if default.enabled else None
        return ANALYZER_VERSION, russian_analyzer_version(ANALYZER_VERSION, model)

    def analyze(self, title: str, text: str) -> Analysis:
        """Read one article: see docs/analysis.md for every rule applied here."""
        lang = detect_language(f"{title}\n{text[:PREFIX]}" if title else text)
        if lang == "ru":  # Russian terms, lemmas and sentences: core/analysis/russian.py
            from core.analysis.russian import analyze_russian, default_russian_reader

            self._russian = self._russian or default_russian_reader()
            if self._russian_relations is None and self.relations.lexicon.ru is not None:
                from core.analysis.relations_russian import RussianRelationsReader

                self._russian_relations = RussianRelationsReader(
                    self.relations.lexicon, self._russian.terms, self._russian.backend
                )
            return analyze_russian(
                self._russian,
                title,
                text,
                english=self.evidence,
                lexicon=self.lexicon,
                lexicon_version=self.lexicon_version,
                analyzer_version=ANALYZER_VERSION,
                relations=self._russian_relations,
            )
        title_spans = split_sentences(title)
        text_spans = split_sentences(text)
        new_sentence = _new_sentence_tone
        title_scores: Sequence[_Scored]
        text_scores: Sequence[_Scored]
        if lang == "en":
            score = self.tone_domain.score_field
            title_read, text_read = score(title, title_spans, "title"), score(text, text_spans)
            article_tone = tone.article_tone(
                [domain for _, domain, _ in title_read], [domain for _, domain, _ in text_read]
            )
            title_scores, text_scores = title_read, text_read
        else:
            title_scores, text_scores = (
                [_UNSCORED] * len(title_spans),
                [_UNSCORED] * len(text_spans),
            )
            article_tone = None
        sentences = [
            new_sentence(start, end, domain, "title", vader, adjustments)
            for (start, end), (vader, domain, adjustments) in zip(
                title_spans, title_scores, strict=True
            )
        ]
        sentences += [
            new_sentence(start, end, domain, "text", vader, adjustments)
            for (start, end), (vader, domain, adjustments) in zip(
                text_spans, text_scores, strict=True
            )
        ]
        title_themes, title_actors, title_sides = self.evidence(title, "title")
        text_themes, text_actors, text_sides = self.evidence(text, "text")
        themes = title_themes + text_themes
        sentence_starts = [start for start, _ in text_spans]
        relevance = relevance_score(
            title_spans=title_sides, text_spans=text_sides, sentence_starts=sentence_starts
        )
        reading = read_themes(
            self.lexicon, themes, sentence_starts, both_sides_sentences(text_sides, sentence_starts)
        )
        relations, title_relations = (  # only where the two sides meet (relations.py)
            self.relations.read(title, title_spans, title_sides, text, text_spans, text_sides)
            if relevance > 0.0
            else (NO_RELATIONS, NO_RELATIONS)
        )
        return _new_analysis(  # Analysis(…), its fields in order
            article_tone,
            tone.label(article_tone),
            tuple(sentences),
            tuple(themes),
            reading.names,
            tuple(title_actors + text_actors),
            relevance,
            relevance >= RELEVANT_AT,
            lang,
            self.lexicon_version,
            ANALYZER_VERSION,
            reading.salience,
            reading.central,
            relations,
            title_relations,
        )


_new_theme_match = slot_constructor(ThemeMatch, ("theme", "term", "start", "end", "field"))
_new_actor_mention = slot_constructor(ActorMention, ("actor", "side", "start", "end", "field"))
_new_sentence_tone = slot_constructor(
    SentenceTone, ("start", "end", "tone", "field", "vader", "adjustments")
)
_new_analysis = slot_constructor(Analysis, tuple(field.name for field in fields(Analysis)))
_Scored = tuple[float | None, float | None, tuple[ToneAdjustment, ...]]
_UNSCORED: _Scored = (None, None, ())


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The analyzer built from config/ (themes, actors, tone), once per process."""
    return Analyzer(default_lexicon(), default_gazetteer(), tone_domain=default_tone_domain())


def analyze(title: str, text: str) -> Analysis:
    """Analyze one article with the lexicon and gazetteer in config/."""
    return default_analyzer().analyze(title, text)
