"""Relations events in Russian: the reading of core/analysis/relations.py for Russian text.

The Russian half of config/relations.toml (`[categories.<code>.ru]`, `[ru.parties]`,
`[ru.cues]`) is written in dictionary forms and matched by lemma with the Russian reader's
matcher (core/analysis/russian.py): «ввести ... санкция|пошлина» reads «ввели новые санкции».
The sides come from the Russian reader's evidence (actors and markers of config/actors.toml)
plus these parties; the events, weights, negation (−4 for refused cooperation, 0 for conflict
that did not happen) and hypotheticals (half weight) are those of the English reading. What
differs is the grammar, which Russian marks by case and word form rather than by word order:

- **who acts**: the nearest party before the phrase in its clause that can be nominative and
  agrees with the verb; else a genitive after a head noun («представитель Госдепа»), else a
  place («в Вашингтоне ввели санкции»); a party before that can only be an object is acted upon.
- **passives** («были высланы», «попасть под»): the agent (instrumental, «указом Путина») or the
  other side acts; full participles used as adjectives («задержанный американец») are no act.
- **reported speech**: a judging phrase (`speaker = true`) is the speaker's act («…, заявил
  Песков»); a perfective future («введут») is hypothetical.
- **acts referred to** («годовщина встречи») or denied («опровергла сообщения о том, что …»)
  are no acts. The method: docs/analysis.md, section 10. Helpers:
  core/analysis/relations_russian_grammar.py, relations_russian_roles.py (who acts on whom)
  and relations_russian_modality.py (what did not or may happen, guesses, questions, speakers).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from core.analysis import relations_russian_roles as roles
from core.analysis import russian_kept
from core.analysis.relations import HYPOTHETICAL_SHARE, REFUSAL_WEIGHT
from core.analysis.relations_clauses import Party, merge_parties, speaker_direction
from core.analysis.relations_lexicon import (
    GAP_WORDS,
    PARTY_KINDS,
    RelationsLexicon,
    RussianRelations,
    split_phrase,
)
from core.analysis.relations_russian_grammar import (
    FRAMING,
    GIVING,
    HEAD_NOUNS,
    JOINING,
    NOMINAL,
    UNDERGO,
    agent_after,
    attributive,
    can_be,
    cited,
    first_word,
    fronted,
    intended_by,
    is_place,
    joins,
    nominal_direction,
    noun_agent,
    object_before,
    openings,
    ordered_by,
    partner_needed,
    passive_direction,
    pronoun_subject,
    referred,
    relative_comma,
    shadowed_forms,
    shares_object,
    short_participle,
    target_side,
    third_recipient,
    words_before,
)
from core.analysis.relations_russian_modality import (
    asked,
    commentary,
    forgone,
    may_ask,
    modality,
    no_plan,
    none_such,
    not_yet,
    predicate_after,
    speaker_party,
)
from core.analysis.russian_terms import RussianTerms
from core.analysis.russian_words import (
    DEFAULT_BACKEND,
    RUSSIAN_MEMO_LIMIT,
    Backend,
    LemmaMatcher,
    Tokens,
    find_in,
    grammemes,
    lemma,
)
from core.models import RelationEvent, TextField

_BOTH = frozenset({"us", "russia"})
_WORD = re.compile(r"\w+")
_NOT_MUTUAL_AFTER = frozenset("со с по одной другой той этой".split())
"""«со стороны США», «с другой стороны»: no «стороны» that means the two sides."""
_GAP = GAP_WORDS + 2  # Russian puts the recipient between: «вернули российской стороне одну из дач»
_ADJECTIVE_AFTER = frozenset({"к", "для"})  # «открыт к диалогу»: an adjective of disposition


class RussianRelationsReader:
    """The Russian phrases, false friends, parties and cues of a relations lexicon compiled into
    two lemma matchers (acts and parties; cues); `events` reads one field as the English
    `RelationsReader.events` does, from the side evidence of the Russian reader."""

    def __init__(
        self,
        lexicon: RelationsLexicon,
        terms: RussianTerms,
        backend: Backend = DEFAULT_BACKEND,
    ) -> None:
        if lexicon.ru is None:
            raise ValueError("the relations lexicon has no Russian half")
        ru: RussianRelations = lexicon.ru
        self.lexicon = lexicon
        texts: list[str] = []
        # Per term: ("event", code, tails), ("party", side, ()) or ("hide", "", ()).
        kinds: list[tuple[str, str, tuple[LemmaMatcher, ...]]] = []
        tails_of: dict[str, LemmaMatcher] = {}
        for category in lexicon.categories:
            for phrase in ru.phrases.get(category.code, ()):
                head, tails = split_phrase(phrase)
                matchers = tuple(  # one matcher per tail, built once (~0.3 s for them all)
                    tails_of[tail]
                    if tail in tails_of
                    else tails_of.setdefault(tail, LemmaMatcher(tail.split("|"), backend))
                    for tail in tails
                )
                texts.append(head)
                kinds.append(("event", category.code, matchers))
                if " " not in head and not head.startswith("=") and not head.endswith("*"):
                    # «закрыты», «пришли»: forms the dictionary reads first as another word
                    for form in shadowed_forms(head):
                        texts.extend(("=" + form, "=" + form.capitalize()))
                        kinds.extend([("event", category.code, matchers)] * 2)
            for term in ru.exclude.get(category.code, ()):
                texts.append(term)
                kinds.append(("hide", "", ()))
        for side in PARTY_KINDS:
            for term in ru.parties.get(side, ()):
                texts.append(term)
                kinds.append(("party", side, ()))
        for name, aliases in terms.aliases.items():
            if terms.sides[name] not in _BOTH:
                texts.extend(aliases)
                kinds.extend([("party", "other", ())] * len(aliases))
        for term in terms.markers.get("neutral", ()):
            texts.append(term)
            kinds.append(("hide", "", ()))
        self._kinds = tuple(kinds)
        self._owned: dict[tuple[int, ...], tuple[bool, tuple[str, ...], tuple[int, ...]]] = {}
        self._matcher = LemmaMatcher(texts, backend)
        cue_kinds = [(kind, term) for kind, cue_terms in ru.cues.items() for term in cue_terms]
        self._cue_kinds = tuple(kind for kind, _ in cue_kinds)
        self._cues = LemmaMatcher([term for _, term in cue_kinds], backend)
        self._weights = {category.code: category.weight for category in lexicon.categories}
        self._quads = lexicon.quads
        self._speaker_acts = frozenset(c.code for c in lexicon.categories if c.speaker)
        self._mutual_acts = frozenset(c.code for c in lexicon.categories if c.mutual)
        # Sentences without side evidence are scanned only when they hold a word that may begin
        # a mutual party («обе стороны», «две страны») or a missing side's party beyond the
        # markers («ФСБ», «Минюст США»): a cheap test on the lower-case text, per missing sides.
        self._hints = {
            missing: openings((ru.parties.get("mutual", ()), 3), *(
                (ru.parties.get(side, ()), 4) for side in missing
            ))
            for missing in (frozenset({"us"}), frozenset({"russia"}), _BOTH)
        }  # fmt: skip
        russian_kept.save()  # the words of the phrases, for the next process to build from

    # --- matching -------------------------------------------------------------------------------

    def _scan(
        self, text: str, tokens: Tokens, words: tuple[int, int]
    ) -> tuple[list[Party], list[tuple[list[int], int, int]]]:
        """(parties, act heads as (term indexes, start, end)) of a sentence: `words` (first,
        last excluded) of the `tokens` of `text`."""
        parties: list[Party] = []
        heads: list[tuple[list[int], int, int]] = []
        first, last = words
        left = tokens.spans[first][0] if first < last else 0
        known = self._owned
        for owners, start, end in self._matcher.finditer(text, tokens, first, last):
            hide, sides, events = known.get(owners) or self._owners(owners)
            if hide:
                continue
            if sides == ("mutual",) and set(words_before(text, left, start)) & _NOT_MUTUAL_AFTER:
                sides = ()
            if sides:
                side = "mutual" if "mutual" in sides else sides[0]
                parties.append((side, start, end))
            if events:
                heads.append((list(events), start, end))
        return parties, heads

    def _owners(self, owners: tuple[int, ...]) -> tuple[bool, tuple[str, ...], tuple[int, ...]]:
        """(hidden, party sides, act terms) of a hit's terms, kept per set of terms."""
        kinds = [self._kinds[index] for index in owners]
        read = (
            any(kind[0] == "hide" for kind in kinds),
            tuple(kind[1] for kind in kinds if kind[0] == "party"),
            tuple(index for index in owners if self._kinds[index][0] == "event"),
        )
        if len(self._owned) < RUSSIAN_MEMO_LIMIT:
            self._owned[owners] = read
        return read

    def _phrase_span(
        self, text: str, index: int, head_end: int, limit: int, tokens: Tokens | None = None
    ) -> tuple[int, int]:
        """(where its next part begins, where it ends) of the phrase of term `index` whose head
        ends at `head_end`, both `head_end` for a bare head; (-1, -1) when its later parts are
        not found (each within _GAP words, before a comma or `limit`). `tokens`: the words of the
        text (or of a stretch of it that holds the sentence), when already made."""
        end = nearest = head_end
        for position, tail in enumerate(self._kinds[index][2]):
            stop = min(
                [limit] + [at for at in (text.find(m, end, limit) for m in ",;:") if at >= 0]
            )
            hits = find_in(tail, text, end, stop, tokens)
            if not hits or len(_WORD.findall(text, end, hits[0][1])) > _GAP:
                return -1, -1
            if position == 0:
                nearest = hits[0][1]
            end = hits[0][2]
        return nearest, end

    def _best_phrase(
        self, text: str, indexes: list[int], head_end: int, limit: int, tokens: Tokens
    ) -> tuple[int, str]:
        """(end, category) of the phrase a head begins: a phrase with later parts before a bare
        head, the one whose next part is nearest (the verb's own object: «передала … данные о
        подозреваемых» is data, not a suspect), then the longest; (-1, "") when none is whole."""
        found: list[tuple[tuple[int, int, int], int, str]] = []
        for index in indexes:
            nearest, end = self._phrase_span(text, index, head_end, limit, tokens)
            if end >= 0:
                bare = not self._kinds[index][2]
                found.append(((int(bare), nearest, -end), end, self._kinds[index][1]))
        if not found:
            return -1, ""
        _, end, code = min(found)
        return end, code

    def _fronted(self, text: str, indexes: list[int], left: int, start: int) -> tuple[int, str]:
        """(start, category) of a fronted passive's object before its head (grammar.fronted)."""
        candidates = [
            (self._kinds[i][1], self._kinds[i][2][0]) for i in indexes if self._kinds[i][2]
        ]
        return fronted(text, candidates, left, start, _GAP + 4)

    def matches(self, code: str, fragment: str) -> bool:
        """Whether `fragment` is, from its first to its last character, a Russian phrase of
        category `code` (what an event's span must be: the tests rely on it), or a fronted
        passive of one: its object, then its participle («Ограничения … смягчены»)."""
        hits = self._matcher.finditer(fragment)
        if not hits:
            return False
        owners, start, head_end = hits[0]
        if start == 0 and any(
            self._kinds[index][:2] == ("event", code)
            and self._phrase_span(fragment, index, head_end, len(fragment))[1] == len(fragment)
            for index in owners
        ):
            return True
        owners, start, head_end = hits[-1]
        heads = [index for index in owners if self._kinds[index][:2] == ("event", code)]
        return (
            head_end == len(fragment)
            and bool(heads)
            and self._fronted(fragment, heads, 0, start) == (0, code)
        )

    # --- reading ----------------------------------------------------------------------------------

    def events(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        sides: Sequence[tuple[str, int, int]],
        field: TextField = "text",
        tokens: Tokens | None = None,
    ) -> list[RelationEvent]:
        """Every US–Russia event in `text` (`sentences`: spans, ascending; `sides`: the Russian
        reader's (kind, start, end) side evidence, kinds us, russia, joint; `tokens`: the words
        of `text` as the Russian reader's matcher read them, same backend)."""
        if not text or not sentences:
            return []
        words = tokens or self._matcher.tokens(text)
        starts = [start for start, _ in sentences]
        in_sentence: dict[int, list[tuple[str, int, int]]] = {}
        for side in sides:
            in_sentence.setdefault(bisect_right(starts, side[1]) - 1, []).append(side)
        found: list[RelationEvent] = []
        for index, (s_start, s_end) in enumerate(sentences):
            evidence = in_sentence.get(index, [])
            kinds = {kind for kind, _, _ in evidence}
            if "joint" not in kinds and not kinds >= _BOTH:
                # the sides do not meet yet: scan only if a party of ours may complete them
                lowered = text[s_start:s_end].lower()
                if not self._hints[_BOTH - kinds].search(lowered):
                    continue
            inside = bisect_left(words.spans, (s_start,)), bisect_left(words.spans, (s_end,))
            ours, heads = self._scan(text, words, inside)
            if not heads:
                continue
            parties = roles.paired(text, merge_parties(evidence, ours))
            present = {side for side, _, _ in parties}
            if "mutual" in present or present >= _BOTH:
                sentence = (s_start, s_end)
                found += self._read_sentence(text, sentence, parties, heads, field, words, inside)
        return found

    def _read_sentence(
        self,
        text: str,
        sentence: tuple[int, int],
        parties: list[Party],
        heads: list[tuple[list[int], int, int]],
        field: TextField,
        tokens: Tokens,
        words: tuple[int, int],
    ) -> list[RelationEvent]:
        """The events of one sentence: its `words` (first, last excluded) of `tokens`."""
        s_start, s_end = sentence
        weak: list[tuple[int, int]] = []
        strong: list[tuple[int, int]] = []
        for hit in roles.BREAKS.finditer(text[s_start:s_end].lower()):
            word = hit.group(1)  # a conjunction; else a mark, the whole match
            left, right = hit.span(1) if word else hit.span()
            span = (left + s_start, right + s_start)
            weak.append(span)
            if (word in roles.STRONG_WORDS) if word else (hit.group() in roles.STRONG_MARKS):
                strong.append(span)
        cues = [
            (self._cue_kinds[owners[0]], start, end)
            for owners, start, end in self._cues.finditer(text, tokens, *words)
            if self._cue_kinds[owners[0]] != "neutral"
        ]
        speaker: list[Party | None] = []

        def speaker_of() -> Party | None:
            if not speaker:
                speaker.append(speaker_party(text, sentence, parties, strong, cues))
            return speaker[0]

        found: list[RelationEvent] = []
        guessed: list[bool] = []  # whether a commentator or the press guesses: read once
        near = bisect_left(tokens.spans, (max(0, s_start - 60),))
        questions = may_ask(tokens.lowered[near : words[1]])  # what `asked` may find: read once
        last_end = previous = -1
        for position, (indexes, start, head_end) in enumerate(heads):
            if start < last_end:
                continue
            end, code = self._best_phrase(text, indexes, head_end, s_end, tokens)
            begin, subject_act = start, None
            if end < 0 and short_participle(first_word(text, start, head_end)):
                begin, code = self._fronted(text, indexes, s_start, start)
                end = head_end if begin >= 0 else -1
                while found and begin >= 0 and found[-1].end > begin:
                    subject_act = found.pop()  # «Санкции против X отменены»: no act; its sides
            if end < 0:
                continue
            readings = grammemes(first_word(text, start, head_end))
            if (
                readings
                and all("PRTF" in r for r in readings)
                and not agent_after(text, head_end, [p for p in parties if p[1] >= head_end])
            ):
                continue  # a participle used as an adjective: «задержанный американец»
            follows, previous = previous, end
            gone = roles.denied(text, sentence, start)  # «опровергла сообщения о том, что …»
            if gone or referred(text, (s_start, follows), start, readings, weak):
                last_end = end  # nothing inside it is an act: «запрос о продлении лицензии»
                continue  # «годовщина встречи»
            clause_left = max([s_start] + [e for b, e in weak if e <= start])
            if asked(text, clause_left, head_end, s_end, questions):
                continue  # «звонил ли Путин Трампу»: a question, no act
            weight = self._weights[code]
            following = heads[position + 1] if position + 1 < len(heads) else None
            if (
                code == "reject"
                and following
                and forgone(text, end, following[1])
                and self._weights.get(self._best_phrase(text, *following[::2], s_end, tokens)[1], 1)
                < 0
            ):
                continue  # «отказался от введения пошлин»: a hostile act forgone, no rejection
            direction: tuple[str, str] | None = None
            head = text[start:head_end]  # «экстрадирован из Испании в США»: a US arrest
            if code == "hand_over" and (moved := roles.extradited(text, parties, sentence, head)):
                code, weight, direction = "arrest", self._weights["arrest"], moved
            elif code in self._mutual_acts:
                direction = ("mutual", "mutual")
            elif code in self._speaker_acts:  # not of a third party's act: «израильские удары»
                third = roles.judged_third(text, parties, speaker_of(), (s_start, start, end))
                direction = None if third else speaker_direction(speaker_of(), parties, weight)
            elif subject_act is not None and subject_act.source != "mutual":
                direction = (subject_act.source, subject_act.target)
            else:
                direction = self._direction(
                    text, sentence, parties, (start, head_end, end), (strong, weak), cues,
                    speaker_of, weight, code,
                )  # fmt: skip
            if direction is None:
                continue
            negated, hypothetical = modality(text, s_start, start, weak, cues)
            if not negated and not hypothetical and readings and "futr" in readings[0]:
                hypothetical = True  # «введут»: not yet an act
            undone = False
            if readings and all(r & NOMINAL for r in readings):
                # «договорённостей … нет», «встреча может не состояться», «никаких
                # договорённостей»: not done (not refused) or not yet done
                after_negated, maybe = predicate_after(text, end, s_end, cues)
                undone = after_negated or none_such(text, s_start, start)
                negated, hypothetical = negated or undone, hypothetical or maybe
            if negated and weight < 0 and roles.lapsed(text, clause_left, (start, end)):
                code = roles.relief(code)  # «не стал продлевать запрет»: relief
                weight, negated = self._weights[code], False
            if hypothetical and weight > 0 and found and found[-1].category in FRAMING:
                continue  # «потребовал от Москвы освободить журналиста»: what is demanded
            if (negated or hypothetical) and not guessed:
                guessed.append(commentary(text, sentence, cues))
            if (negated or hypothetical) and guessed[0]:
                last_end = end  # nor anything inside it: «ожидают, что США продлят санкции против»
                continue  # «если Трамп и Путин встретятся…, считают аналитики»: a guess
            if negated:
                refused = weight > 0 and not (
                    undone or not_yet(text, s_start, start) or no_plan(text, cues, start)
                )
                weight = REFUSAL_WEIGHT if refused else 0.0
            elif hypothetical:
                weight *= HYPOTHETICAL_SHARE
            event = (begin, end, code, weight, direction[0], direction[1], negated)
            found.append(
                RelationEvent(*event, hypothetical and not negated, field, self._quads[code])
            )
            last_end = end
        return found

    def _direction(
        self,
        text: str,
        sentence: tuple[int, int],
        parties: list[Party],
        phrase: tuple[int, int, int],
        breaks: tuple[list[tuple[int, int]], list[tuple[int, int]]],
        cues: list[tuple[str, int, int]],
        speaker_of: Callable[[], Party | None],
        weight: float,
        code: str = "",
    ) -> tuple[str, str] | None:
        """(source, target) of an act phrase (start, end of its head, end) of category `code`."""
        s_start, s_end = sentence
        strong, weak = breaks
        start, head_end, end = phrase
        clause = max([s_start] + [e for b, e in strong if e <= start])
        before = [
            p
            for p in parties
            if p[1] >= clause
            and (p[2] <= start or (p[0] == "mutual" and p[1] < start))  # «Стороны договорились»
            and not (p[0] == "other" and is_place(text, s_start, p))  # «В Стамбуле прошёл …»
        ]
        stop = next(
            (
                b
                for b, e in weak
                if b >= end
                and not joins(text, parties, b, e)
                and not attributive(text, b, e)
                and not shares_object(text, end, b, e)
            ),
            s_end,
        )
        after = [p for p in parties if head_end <= p[1] < stop]
        if code in GIVING and third_recipient(text, head_end, after):
            return None  # «передать Киеву разведданные», «экстрадицию … в Казахстан»
        before = [p for p in before if not cited(text, p)]  # «По данным Минфина США, …»
        # (a third party left in `before` is no place: the filter above tested it)
        places = [p for p in before if p[0] != "other" and is_place(text, s_start, p)]
        actors = [p for p in before if p not in places]
        words = [word.lower() for word in _WORD.findall(text, start, head_end)]
        if (
            any(lemma(word) in UNDERGO for word in words)
            or (
                any(short_participle(word) for word in words)
                and not {*words, first_word(text, head_end, s_end)} & _ADJECTIVE_AFTER
            )
            or (  # «Помилованный Путиным американец»
                all("PRTF" in r for r in grammemes(words[0])) and agent_after(text, head_end, after)
            )
        ):
            host = roles.leaving(text, parties, start, s_end)
            return passive_direction(text, before, after, speaker_of, host)
        # the subject: the last actor that can be nominative (each tested only as needed)
        intent = intended_by(text, actors, start)  # «Решение Вашингтона ввести пошлины»
        pronoun = pronoun_subject(text, max([clause] + [e for b, e in weak if e <= start]), start)
        subject: Party | None
        if pronoun and not any(pronoun <= p[1] < start for p in parties):
            # «…, которых она готова освободить»: the pronoun is the sentence's first party
            subject = next(
                (
                    p
                    for p in parties
                    if p[2] <= pronoun and p[0] in _BOTH and can_be(text, p, "nomn")
                ),
                None,
            )
        elif intent:
            subject = intent
        else:
            subject = next(
                (
                    p
                    for p in reversed(actors)
                    if can_be(text, p, "nomn") and roles.agrees(text, p, words[0])
                ),
                None,
            )
        if subject is None:
            objects = actors
            if objects and (
                roles.paired_adjectives(
                    text, objects[-1]
                )  # «Переговоры российской и американской делегаций»
                or roles.headed(
                    text, s_start, objects[-1], HEAD_NOUNS
                )  # «представитель Госдепа заявил», «отношения Москвы и Вашингтона»
            ):
                subject = objects[-1]
            elif objects:  # «Российских дипломатов выслали из США»: acted upon
                scope = (start, s_end)
                return roles.acted_upon(
                    text, objects[-1], (after, parties, places), scope, speaker_of
                )
            elif places:
                subject = places[-1]  # «в Вашингтоне ввели санкции»
            else:
                subject = None
        if subject is None:
            if weight > 0 and any(p[0] == "mutual" for p in after):
                return "mutual", "mutual"  # «переговоры России и США»
            readings = grammemes(words[0])
            material = self._quads.get(code, "").startswith("material")
            if material and readings and all("NOUN" in r for r in readings):
                # «Высылка американских дипломатов из России», «введение санкций … Вашингтоном»
                return nominal_direction(text, after, {p[0] for p in parties}, end)
            return None
        side = subject[0]
        if side == "other":  # «по требованию Вашингтона власти Кипра заморозили …»
            return roles.at_request(text, parties, (clause, start), after)
        if side != "mutual" and subject in before:
            position = before.index(subject)
            for previous in reversed(before[:position]):
                if previous[0] in ("other", "mutual"):
                    break
                between = text[previous[2] : subject[1]].strip().lower()
                joined = between in JOINING or (
                    len(between) < 60 and re.match(r"(и|а также)\s", between) is not None
                )  # «Лавров и госсекретарь США Марко Рубио»
                if previous[0] != side and joined:
                    side = "mutual"  # «Лавров и Рубио договорились»
                    break
        speaking = noun_agent(text, words, head_end, after, parties)
        if speaking and speaking[0] != side and not self._quads[code].startswith("material"):
            side = speaking[0]  # «заверил Рубио в готовности Москвы»: Moscow is ready
        if side == "mutual":
            if roles.separately(text, clause, start):
                return None  # «по отдельности выразили соболезнования»: no joint act
            if weight < 0 and not any(kind == "reciprocal" for kind, _, _ in cues):
                return None
            return "mutual", "mutual"
        if partner_needed(text, start, after):
            return None  # «депутаты Госдумы обсудили российско-американские отношения»
        ordered = ordered_by(text, parties, side, clause, start)
        if ordered:  # «Генконсульство США … по решению Москвы прекратило работу»
            return ordered, side
        acted_on = object_before(text, before, subject, side, start)
        acted_on = acted_on or target_side(text, side, after)
        if acted_on is None and any(p[0] == "other" and not is_place(text, 0, p) for p in after):
            return None  # «ввели санкции против иранских компаний, Россия назвала их …»
        if acted_on is None:
            said = speaker_of()
            if said is not None and said[0] in _BOTH - {side}:
                acted_on = said[0]
        if acted_on is None and not any(p[0] == "other" for p in after):
            comma = relative_comma(text, clause, subject[1])  # «…, Трамп ограничился звонком»
            earlier = [p[0] for p in before if p[0] in _BOTH - {side} and p[1] > comma]
            acted_on = earlier[-1] if earlier else None
        if acted_on is None:
            return None
        if roles.received(text, clause, start):
            return acted_on, side  # «Посольство США в Москве получило ноту протеста»
        return side, acted_on
