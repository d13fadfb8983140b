"""Reading Russian: sentences, themes, actors and relevance from the Russian terms in config/.

Russian inflects: Путин, Путина, Путину, Путиным; санкции, санкций, санкциями. A term is written
once in its dictionary form (config/themes.toml `[themes.<id>.ru]`, config/actors.toml
`[ru.aliases]` and `[ru.markers]`, read by core/analysis/russian_terms.py) and every word of it
is compared by KEY, not by spelling:

- `lemma`: pymorphy3's most likely dictionary form (санкциями -> санкция, Госдепом -> госдеп);
- `stem`: the Snowball Russian stemmer (PyStemmer);
- `hybrid` (the default, chosen on tests/data/ru_eval.jsonl by bench/bench_russian.py): the
  lemma, and for capitalised words (names) every lemma and the stem as well — the dictionary does
  not know most foreign surnames (Вэнсом, Бессентом) and reads some Russian ones as something
  else first (Рябкова as a place, Рябков as a bird).

Lemmas keep apart what a stemmer can merge and what an analyst must keep apart: «санкция» (a
sanction) is not «санкционировать» (to authorise), «мирный план» (peace) is not «в мире» (the
world). False friends (`exclude`) hide every term inside them, as in English: «санкция прокурора»
(a prosecutor's warrant), «с наступлением зимы» (the onset of winter), «торговый центр».

Term syntax is the English one (core/analysis/themes.py): a trailing `*` continues the last word
on its written form (кибер* = кибератака, киберпреступность), a leading `=` compares the written
words exactly (=ИГ is the Islamic State, not the pronoun «иг»), words are separated by spaces or
hyphens in the term and by spaces, hyphens, dashes or quotes in the text («Северный поток»).
The longest term wins where two overlap, and every span indexes the original text. An actor
alias that names someone else (a namesake, another person's office, a thing named after someone)
names only its side (core/analysis/russian_names.py); a capitalised word of an actor alias
matches only a capitalised word («Кремль» is not «Казанский кремль»).

Sentences come from razdel (which knows «т.е.», «г.», initials such as «В. В. Путин») with the
rule the English splitter also keeps: a blank line always ends a sentence. Tone stays None: no
Russian sentiment lexicon or model that works offline from a well-kept package exists (see
docs/analysis.md), so a Russian article is never scored with an English lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from typing import TYPE_CHECKING

from core.analysis import russian_kept
from core.analysis.analyzer import _new_actor_mention, _new_sentence_tone, _new_theme_match
from core.analysis.relations import read_relations
from core.analysis.relevance import RELEVANT_AT, SIDE_KINDS, both_sides_sentences, relevance_score
from core.analysis.russian_context import Contexts
from core.analysis.russian_model import (
    ThemeModel,
    default_theme_model,
    readable,
    sides_allow,
)
from core.analysis.russian_sentences import split_russian_sentences
from core.analysis.russian_terms import RussianTerms, load_russian_terms
from core.analysis.russian_words import (
    DEFAULT_BACKEND,
    RUSSIAN_MEMO_LIMIT,
    Backend,
    LemmaMatcher,
    Tokens,
)
from core.analysis.themes import Lexicon, read_themes
from core.models import (
    NO_RELATIONS,
    ActorMention,
    Analysis,
    TextField,
    ThemeMatch,
)

if TYPE_CHECKING:
    from core.analysis.relations_russian import RussianRelationsReader

RUSSIAN_VERSION = f"razdel-{version('razdel')} pymorphy3-{version('pymorphy3')}"
"""Added to the analyzer version of every Russian analysis."""

Evidence = tuple[list[ThemeMatch], list[ActorMention], list[tuple[str, int, int]]]
EvidenceOf = Callable[[str, TextField], Evidence]


# --- the reader ---------------------------------------------------------------------------------

_THEME, _ACTOR, _SIDE, _HIDE, _HIDE_OWN = range(5)
_Actions = tuple[tuple[tuple[int, str, str], ...], bool, bool]
"""A hit's actions (`RussianReader._actions_of`), whether one is _HIDE_OWN, whether one _THEME."""
_SECOND_WORD = re.compile(r"\w+\W+(\w)")


class RussianReader:
    """The Russian terms of config/ compiled into one matcher; `evidence` and `analyze` mirror
    the English ones in core/analysis/analyzer.py and return the same types.

    `model`: the learned theme model that adds themes the terms miss
    (core/analysis/russian_model.py): True (the default) for config/russian_theme_model.json
    when that file says `"enabled": true`, False for none (the terms alone), or a model."""

    def __init__(
        self,
        terms: RussianTerms,
        backend: Backend = DEFAULT_BACKEND,
        model: ThemeModel | bool = True,
    ) -> None:
        self.terms = terms
        self.backend = backend
        if model is True:
            model = default_theme_model()
            model = model if model.enabled else False
        self.model = model if isinstance(model, ThemeModel) else None
        if self.model is not None:
            unknown = set(self.model.themes) - {theme.id for theme in terms.themes}
            if unknown:
                raise ValueError(
                    f"theme model {self.model.version}: not themes of the terms: {sorted(unknown)}"
                )
        actions: list[tuple[int, str, str]] = []
        patterns: list[str] = []
        for theme in terms.themes:
            own = [*theme.terms, *(term for when in theme.when for term in when.terms)]
            actions += [(_THEME, theme.id, term) for term in own]
            actions += [(_HIDE, "", "")] * len(theme.exclude)
            actions += [(_HIDE_OWN, theme.id, "")] * len(theme.exclude_own)
            patterns += [*own, *theme.exclude, *theme.exclude_own]
        loose = range(len(patterns))  # theme terms and false friends; names are written whole
        written: dict[int, tuple[str, str]] = {}
        marked: dict[int, str] = {}
        for name, aliases in terms.aliases.items():
            written |= {len(patterns) + i: (name, alias) for i, alias in enumerate(aliases)}
            actions += [(_ACTOR, name, terms.sides[name])] * len(aliases)
            patterns += aliases
        for kind, markers in terms.markers.items():
            action = (_HIDE, "", "") if kind == "neutral" else (_SIDE, kind, "")
            marked |= {len(patterns) + i: marker for i, marker in enumerate(markers)}
            actions += [action] * len(markers)
            patterns += markers
        self._actions = tuple(actions)
        self._contexts = Contexts(terms.themes, backend)
        self._matcher = LemmaMatcher(patterns, backend, cased=written, loose=loose)
        from core.analysis.russian_names import SomeoneElse  # it builds on this module

        self._someone_else = SomeoneElse(terms, backend, written, marked)
        people = [(name, alias) for name, aliases in terms.aliases.items() for alias in aliases]
        self._people = LemmaMatcher([alias for _, alias in people], backend)
        self._person = tuple((name, terms.sides[name]) for name, _ in people)
        marks = [(kind, marker) for kind, found in terms.markers.items() for marker in found]
        self._marks = LemmaMatcher([marker for _, marker in marks], backend)
        self._mark = tuple(kind for kind, _ in marks)
        self._owned: dict[tuple[int, ...], _Actions] = {}
        self._inside: dict[str, tuple[tuple[str, str, int, int], ...]] = {}
        self._marked: dict[str, tuple[tuple[str, int, int], ...]] = {}
        russian_kept.save()  # the words of the terms, for the next process to build from

    def tokens(self, body: str) -> Tokens:
        """The words of a field with their keys (shared with the relations reading)."""
        return self._matcher.tokens(body)

    def evidence(
        self,
        body: str,
        field: TextField,
        tokens: Tokens | None = None,
        sentences: list[tuple[int, int]] | None = None,
        false_friends: list[tuple[int, int]] | None = None,
    ) -> Evidence:
        """Theme matches, actor mentions and (kind, start, end) side evidence of one field;
        a `joint_if_both` phrase is reported as is and settled by `settle_sides`. `tokens` and
        `sentences` (its sentence spans), when already made; the spans of the false friends
        read are added to `false_friends` when given (the theme model reads no word inside them)."""
        themes: list[ThemeMatch] = []
        actors: list[ActorMention] = []
        sides: list[tuple[str, int, int]] = []
        tokens = tokens or self.tokens(body)
        hits = self._matcher.finditer(body, tokens)
        others, nobody = (
            self._someone_else.judge(hits, tokens, body, sentences) if hits else (set(), set())
        )
        owned, new_theme, new_actor = self._owned, _new_theme_match, _new_actor_mention
        hidden = -1  # the end of the last false friend: the words it spread over stay hidden
        own: dict[str, int] = {}  # theme -> end of its last own false friend («задержание танкера»)
        read = -1  # the end of the last own false friend whose words were read inside it
        for position, (owners, start, end) in enumerate(hits):
            if end <= hidden:  # «сообщают американские СМИ» hides «СМИ» read again on its own
                continue
            actions, hides_own, themed = owned.get(owners) or self._actions_of(owners)
            if not actions:  # a false friend or a neutral marker
                hidden = end
                if false_friends is not None:
                    false_friends.append((start, end))
                continue
            # words an own false friend spread over come again on their own («заключить мирное
            # соглашение», then «мирное соглашение»): their themes and sides were read inside it
            again = end <= read
            if own or hides_own:
                mine = {owner: end for action, owner, _ in actions if action == _HIDE_OWN}
                if mine and false_friends is not None:
                    false_friends.append((start, end))
                if mine:  # the words after its first are read as usual, bar its own theme's
                    inner = self._after_first_word(body, start, end, field)
                    themes += [match for match in inner[0] if match.theme not in mine]
                    sides += [side for side in inner[2] if side not in sides]
                    read = max(read, end)
                own |= mine
                actions = tuple(
                    found
                    for found in actions
                    if found[0] != _HIDE_OWN
                    and not (found[0] == _THEME and (again or end <= own.get(found[1], -1)))
                )
                themed = any(action == _THEME for action, _, _ in actions)
            someone_else = position in others
            if position in nobody:  # «МИД Франции», «улица Вашингтона»: no side either
                actions = tuple(found for found in actions if found[0] == _THEME)
            if themed:  # its side markers count
                inside = self._sides_in(body[start:end])
                if inside:
                    sides += [(kind, start + left, start + right) for kind, left, right in inside]
            for action, owner, extra in actions:
                if action == _THEME:
                    themes.append(new_theme(owner, extra, start, end, field))
                elif action == _ACTOR and someone_else:
                    if extra in SIDE_KINDS and not again:
                        sides.append((extra, start, end))
                elif action == _ACTOR:
                    actors.append(new_actor(owner, extra, start, end, field))
                    if extra in SIDE_KINDS and not again:
                        sides.append((extra, start, end))
                else:
                    if not again:
                        sides.append((owner, start, end))
                    if owner == "joint":  # «Лавров и Рубио»: the names inside still count
                        actors += [
                            new_actor(name, side, start + left, start + right, field)
                            for name, side, left, right in self._people_in(body[start:end])
                        ]
        if own:  # what an own false friend spanned was read out of order
            themes.sort(key=lambda match: match.start)
            sides.sort(key=lambda side: side[1])
        return themes, actors, sides

    def _after_first_word(self, body: str, start: int, end: int, field: TextField) -> Evidence:
        """The evidence of `body[start:end]` from its second word on, at its place in `body`:
        what an `exclude_own` false friend spans («задержание танкера»: «танкер»)."""
        second = _SECOND_WORD.search(body, start, end)
        if second is None:
            return [], [], []
        left = second.start(1)
        found = self.evidence(body[left:end], field)
        return (
            [
                _new_theme_match(m.theme, m.term, m.start + left, m.end + left, field)
                for m in found[0]
            ],
            [],
            [(kind, a + left, b + left) for kind, a, b in found[2]],
        )

    def _actions_of(self, owners: tuple[int, ...]) -> _Actions:
        """The actions of a hit's terms, one per (action, owner), none when one hides them; and
        whether one is an own false friend, whether one a theme term. Kept per set of terms (few
        recur), so that `evidence` asks neither of each hit."""
        actions = tuple({self._actions[i][:2]: self._actions[i] for i in owners}.values())
        if any(action == _HIDE for action, _, _ in actions):
            actions = ()
        kinds = {action for action, _, _ in actions}
        known = actions, _HIDE_OWN in kinds, _THEME in kinds
        if len(self._owned) < RUSSIAN_MEMO_LIMIT:
            self._owned[owners] = known
        return known

    def _people_in(self, phrase: str) -> tuple[tuple[str, str, int, int], ...]:
        """(actor, side, start, end) of the people a joint phrase names, kept per phrase."""
        known = self._inside.get(phrase)
        if known is None:
            known = tuple(
                (*self._person[indexes[0]], start, end)
                for indexes, start, end in self._people.finditer(phrase)
            )
            if len(self._inside) < RUSSIAN_MEMO_LIMIT:
                self._inside[phrase] = known
        return known

    def _sides_in(self, phrase: str) -> tuple[tuple[str, int, int], ...]:
        """(kind, start, end) of the side markers inside a theme term's match, kept per phrase:
        «замороженные российские активы» is a sanctions term and says Russia is there, as
        «российские» alone would."""
        known = self._marked.get(phrase)
        if known is None:
            found = []
            for indexes, start, end in self._marks.finditer(phrase):
                kinds = {self._mark[i] for i in indexes}
                if "neutral" not in kinds:
                    found += [(kind, start, end) for kind in sorted(kinds)]
            known = tuple(found)
            if len(self._marked) < RUSSIAN_MEMO_LIMIT:
                self._marked[phrase] = known
        return known

    def read(
        self, title: str, text: str, english: EvidenceOf | None = None
    ) -> tuple[
        list[tuple[int, int]], list[tuple[int, int]], Evidence, Evidence, tuple[Tokens, Tokens],
        tuple[list[tuple[int, int]], list[tuple[int, int]]],
    ]:  # fmt: skip
        """Sentence spans of title and text, the evidence of each (Latin-script words read by
        `english`, the English analyzer's evidence, where they do not overlap Russian), their
        words (`tokens`) and the spans the theme model does not read in each: the false friends,
        the terms out of their context (core/analysis/russian_context.py), the actors' names
        and the side markers."""
        tokens = self.tokens(title), self.tokens(text)
        spans = split_russian_sentences(title), split_russian_sentences(text)
        hidden: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
        title_evidence = _merged(
            self.evidence(title, "title", tokens[0], spans[0], hidden[0]), title, "title", english
        )
        text_evidence = _merged(
            self.evidence(text, "text", tokens[1], spans[1], hidden[1]), text, "text", english
        )
        settle_sides(title_evidence[2], text_evidence[2])
        if self._contexts:  # terms that count only in context (core/analysis/russian_context.py)
            for body, evidence, words, sentences, read in (
                (title, title_evidence, tokens[0], spans[0], hidden[0]),
                (text, text_evidence, tokens[1], spans[1], hidden[1]),
            ):
                evidence[0][:] = self._contexts.apply(
                    body, words, sentences, evidence[0], evidence[2], read
                )
        for evidence, read in ((title_evidence, hidden[0]), (text_evidence, hidden[1])):
            # the theme model reads what the text is about, not whom it names («МИД»,
            # «Вашингтон» are in most relevant articles, whatever their theme)
            read += [(mention.start, mention.end) for mention in evidence[1]]
            read += [(start, end) for _, start, end in evidence[2]]
            read[:] = dict.fromkeys(read)  # a name is often its side's marker too: read once
        return spans[0], spans[1], title_evidence, text_evidence, tokens, hidden


def _merged(ours: Evidence, body: str, field: TextField, english: EvidenceOf | None) -> Evidence:
    if english is None or not _LATIN.search(body):
        return ours
    themes, actors, sides = ours
    taken = [(m.start, m.end) for m in themes] + [(m.start, m.end) for m in actors]
    taken += [(start, end) for _, start, end in sides]

    def free(start: int, end: int) -> bool:
        return all(end <= left or start >= right for left, right in taken)

    their_themes, their_actors, their_sides = english(body, field)
    themes += [m for m in their_themes if free(m.start, m.end)]
    actors += [m for m in their_actors if free(m.start, m.end)]
    sides += [s for s in their_sides if free(s[1], s[2])]
    return themes, actors, sides


_LATIN = re.compile(r"[A-Za-z]")


def settle_sides(
    title_sides: list[tuple[str, int, int]], text_sides: list[tuple[str, int, int]]
) -> None:
    """A `joint_if_both` phrase («обе стороны») names the relationship only when both sides are
    named somewhere in the article: then it counts as `joint`, otherwise as nothing."""
    kinds = {kind for kind, _, _ in title_sides} | {kind for kind, _, _ in text_sides}
    both = kinds >= SIDE_KINDS
    for sides in (title_sides, text_sides):
        sides[:] = [
            ("joint", start, end) if kind == "joint_if_both" else (kind, start, end)
            for kind, start, end in sides
            if kind != "joint_if_both" or both
        ]


def russian_analyzer_version(analyzer_version: str, model: ThemeModel | None) -> str:
    """The analyzer version a Russian analysis carries: the analyzer's, its libraries' and its
    theme model's, so that a refit model or a new pymorphy3 makes stored readings stale."""
    suffix = f" ru-theme-model-{model.version}" if model is not None else ""
    return f"{analyzer_version} {RUSSIAN_VERSION}{suffix}"


def analyze_russian(
    reader: RussianReader,
    title: str,
    text: str,
    *,
    english: EvidenceOf | None,
    lexicon: Lexicon,
    lexicon_version: str,
    analyzer_version: str,
    relations: RussianRelationsReader | None = None,
) -> Analysis:
    """One Russian article read like an English one (core/analysis/analyzer.py), tone None;
    the relations events by `relations` (core/analysis/relations_russian.py) where a side is
    named."""
    title_spans, text_spans, title_evidence, text_evidence, tokens, hidden = reader.read(
        title, text, english
    )
    new = _new_sentence_tone
    sentences = [new(start, end, None, "title", None, ()) for start, end in title_spans]
    sentences += [new(start, end, None, "text", None, ()) for start, end in text_spans]
    themes = title_evidence[0] + text_evidence[0]
    sentence_starts = [start for start, _ in text_spans]
    relevance = relevance_score(
        title_spans=title_evidence[2], text_spans=text_evidence[2], sentence_starts=sentence_starts
    )
    relation_sentences = both_sides_sentences(text_evidence[2], sentence_starts)
    reading = read_themes(lexicon, themes, sentence_starts, relation_sentences)
    names = reading.names
    model = reader.model
    if model is not None:
        kinds = {kind for kind, _, _ in (*title_evidence[2], *text_evidence[2])}
        added = [
            theme
            for theme in model.predict_words(
                readable(tokens[0], hidden[0]) + readable(tokens[1], hidden[1])
            )
            if theme not in names and sides_allow(theme, kinds)
        ]
        if added:  # its evidence counts towards the salience of the themes it adds only
            fields: tuple[tuple[TextField, Tokens, list[tuple[int, int]]], ...] = (
                ("title", tokens[0], hidden[0]),
                ("text", tokens[1], hidden[1]),
            )
            themes += model.evidence(added, fields)
            reading = read_themes(lexicon, themes, sentence_starts, relation_sentences)
            names = tuple(sorted({*names, *added}))
    relations_reading = title_reading = NO_RELATIONS
    if relations is not None and relevance > 0.0:
        title_events = relations.events(title, title_spans, title_evidence[2], "title", tokens[0])
        text_events = relations.events(text, text_spans, text_evidence[2], "text", tokens[1])
        relations_reading = read_relations(title_events + text_events)
        title_reading = read_relations(title_events)
    return Analysis(
        tone=None,
        tone_label="n/a",
        sentences=tuple(sentences),
        themes=tuple(themes),
        theme_names=names,
        actors=tuple(title_evidence[1] + text_evidence[1]),
        relevance=relevance,
        relevant=relevance >= RELEVANT_AT,
        lang="ru",
        lexicon_version=lexicon_version,
        analyzer_version=russian_analyzer_version(analyzer_version, model),
        theme_salience=reading.salience,
        central_themes=reading.central,
        relations=relations_reading,
        title_relations=title_reading,
    )


@lru_cache(maxsize=1)
def default_russian_reader() -> RussianReader:
    """The reader built from the Russian terms in config/, once per process."""
    return RussianReader(load_russian_terms())
