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
  core/analysis/relations_russian_phrases.py (the phrases, matched by lemma),
  relations_russian_grammar.py, relations_russian_roles.py (who acts on whom) and
  relations_russian_modality.py (what did not or may happen, guesses, questions, speakers).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from core.analysis import relations_russian_roles as roles
from core.analysis.relations import HYPOTHETICAL_SHARE, REFUSAL_WEIGHT
from core.analysis.relations_clauses import Party, merge_parties, speaker_direction
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
    intended_by,
    is_place,
    joins,
    nominal_direction,
    noun_agent,
    object_before,
    ordered_by,
    partner_needed,
    passive_direction,
    pronoun_subject,
    referred,
    relative_comma,
    shares_object,
    short_participle,
    target_side,
    third_recipient,
)
from core.analysis.relations_russian_modality import (
    asked,
    commentary,
    forgone,
    modality,
    no_plan,
    none_such,
    not_yet,
    predicate_after,
    speaker_party,
)
from core.analysis.relations_russian_phrases import BOTH, WORD, RussianPhraseMatcher
from core.analysis.russian_words import (
    Tokens,
    grammemes,
    lemma,
)
from core.models import RelationEvent, TextField

_ADJECTIVE_AFTER = frozenset({"к", "для"})  # «открыт к диалогу»: an adjective of disposition
_AND_THEN = re.compile(r"(и|а также)\s")  # «Лавров и госсекретарь США Марко Рубио»


class RussianRelationsReader(RussianPhraseMatcher):
    """Reads one field's events as the English `RelationsReader.events` does, from the side
    evidence of the Russian reader and the phrases RussianPhraseMatcher finds."""

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
            if "joint" not in kinds and not kinds >= BOTH:
                # the sides do not meet yet: scan only if a party of ours may complete them
                lowered = text[s_start:s_end].lower()
                if not self._hints[BOTH - kinds].search(lowered):
                    continue
            inside = bisect_left(words.spans, (s_start,)), bisect_left(words.spans, (s_end,))
            ours, heads = self._scan(text, words, inside)
            if not heads:
                continue
            parties = roles.paired(text, merge_parties(evidence, ours))
            present = {side for side, _, _ in parties}
            if "mutual" in present or present >= BOTH:
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
        cues: list[tuple[str, int, int]] = []
        for owners, start, end in self._cues.finditer(text, tokens, *words):
            kind = self._cue_kinds[owners[0]]
            if kind != "neutral":
                cues.append((kind, start, end))
        speaker: list[Party | None] = []

        def speaker_of() -> Party | None:
            if not speaker:
                speaker.append(speaker_party(text, sentence, parties, strong, cues))
            return speaker[0]

        found: list[RelationEvent] = []
        guessed: list[bool] = []  # whether a commentator or the press guesses: read once
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
            clause_left = s_start  # after the last break before the phrase
            for _, e in weak:
                if clause_left < e <= start:
                    clause_left = e
            if asked(text, clause_left, head_end, s_end):
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
                    text, sentence, parties, (start, head_end, end), (strong, weak, clause_left),
                    cues, speaker_of, weight, code,
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
        breaks: tuple[list[tuple[int, int]], list[tuple[int, int]], int],
        cues: list[tuple[str, int, int]],
        speaker_of: Callable[[], Party | None],
        weight: float,
        code: str = "",
    ) -> tuple[str, str] | None:
        """(source, target) of an act phrase (start, end of its head, end) of category `code`;
        `breaks`: the sentence's strong and weak breaks, and where the phrase's clause begins
        after the last break of either kind."""
        s_start, s_end = sentence
        strong, weak, weak_left = breaks
        start, head_end, end = phrase
        # (loops rather than comprehensions here: this runs for most act phrases read)
        clause = s_start  # where the phrase's clause begins, after a strong break
        for _, e in strong:
            if clause < e <= start:
                clause = e
        before = [
            p
            for p in parties
            if p[1] >= clause
            and (p[2] <= start or (p[0] == "mutual" and p[1] < start))  # «Стороны договорились»
            and not (p[0] == "other" and is_place(text, s_start, p))  # «В Стамбуле прошёл …»
        ]
        stop = s_end
        for b, e in weak:
            if (
                b >= end
                and not joins(text, parties, b, e)
                and not attributive(text, b, e)
                and not shares_object(text, end, b, e)
            ):
                stop = b
                break
        after = [p for p in parties if head_end <= p[1] < stop]
        if code in GIVING and third_recipient(text, head_end, after):
            return None  # «передать Киеву разведданные», «экстрадицию … в Казахстан»
        uncited: list[Party] = []
        places: list[Party] = []
        actors: list[Party] = []
        for party in before:
            if cited(text, party):  # «По данным Минфина США, …»
                continue
            uncited.append(party)
            if party[0] != "other" and is_place(text, s_start, party):
                places.append(party)  # (a third party left is no place: tested above)
            else:
                actors.append(party)
        before = uncited
        words = list(map(str.lower, WORD.findall(text, start, head_end)))
        if (
            not UNDERGO.isdisjoint(map(lemma, words))
            or (
                any(map(short_participle, words))
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
        pronoun = pronoun_subject(text, weak_left, start)  # (a strong break is a weak one too)
        subject: Party | None
        if pronoun and not any(pronoun <= p[1] < start for p in parties):
            # «…, которых она готова освободить»: the pronoun is the sentence's first party
            subject = next(
                (
                    p
                    for p in parties
                    if p[2] <= pronoun and p[0] in BOTH and can_be(text, p, "nomn")
                ),
                None,
            )
        elif intent:
            subject = intent
        else:
            subject = None
            for party in reversed(actors):
                if can_be(text, party, "nomn") and roles.agrees(text, party, words[0]):
                    subject = party
                    break
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
                    len(between) < 60 and _AND_THEN.match(between) is not None
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
            if said is not None and said[0] in BOTH - {side}:
                acted_on = said[0]
        if acted_on is None and not any(p[0] == "other" for p in after):
            comma = relative_comma(text, clause, subject[1])  # «…, Трамп ограничился звонком»
            earlier = [p[0] for p in before if p[0] in BOTH - {side} and p[1] > comma]
            acted_on = earlier[-1] if earlier else None
        if acted_on is None:
            return None
        if roles.received(text, clause, start):
            return acted_on, side  # «Посольство США в Москве получило ноту протеста»
        return side, acted_on
