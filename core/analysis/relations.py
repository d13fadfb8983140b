"""Relations events: what Washington and Moscow do to each other, sentence by sentence.

The lexicon (config/relations.toml) lists kinds of acts modelled on the CAMEO event codes, each
with a Goldstein weight (−10 … +10) and a quad class (verbal/material cooperation/conflict), the
parties beyond config/actors.toml (metonyms, "the two countries", third parties) and the cue
words read before an act. Only a sentence where a US-side and a Russia-side party meet (or a
mutual party such as "the two countries") is examined. docs/analysis.md, section 9, has the
method with examples; in short:
- **who acts on whom**: the source is the subject (the nearest party before the phrase in its
  clause, places skipped), the target the first party after it of another side, up to a comma
  or clause break; a third party there ("accused Kyiv") means no US–Russia event. Passives
  ("were expelled by Moscow") and causatives ("ordered the Russian Embassy to cut") turn them
  round. A mutual subject makes the event `mutual`; a conflict is mutual only with a reciprocal
  cue ("each other"). Without a target after the phrase: the other side that speaks, else the
  side spoken to, else the other side named earlier in the clause.
- **reported speech is the speaker's act**: a judging phrase (`speaker = true`: "interference",
  "double standards", "constructive") belongs to whoever says it ("Zakharova said US statements
  were interference" is Russia accusing the United States), never to the thing judged.
- **negation** (a cue in the five words before the phrase, within its clause: "did not",
  "refused to", "no"): the event is kept and marked `negated`. Negated cooperation is no
  cooperation but a refusal: it weighs REFUSAL_WEIGHT (−4, CAMEO 12 "reject"). Negated conflict
  weighs 0: no act, but it counts (Moscow did *not* expel anyone reads neutral).
- **hypotheticals** (a modal or intent cue in the five words before: "could", "would",
  "threatened to", "ready to", "demanded"; or "if"/"unless" earlier in the sentence): the event
  is kept, marked `hypothetical`, at HYPOTHETICAL_SHARE (half) of its weight. The verbal act that
  frames it ("threatened", "proposed") is an event of its own at full weight. Negation wins.

A reading (`read_relations`): score = mean of the events' weights / 10, in [−1, 1], `None` when
there is no event; label cooperation at ≥ LEANING (0.1), conflict at ≤ −LEANING, neutral
between. Pure: no I/O after the lexicon is loaded.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence

from core.analysis.actors import Gazetteer
from core.analysis.relations_clauses import (
    Party,
    breaks_between,
    clause_breaks,
    merge_parties,
    speaker_direction,
    target_side,
)
from core.analysis.relations_lexicon import (
    CUE_KINDS,
    PARTY_KINDS,
    WEIGHT_LIMIT,
    CueWords,
    RelationsLexicon,
    split_phrase,
    tail_regex,
)
from core.analysis.themes import MEMO_LIMIT, PhraseMatcher, fold
from core.models import (
    NO_RELATIONS,
    RelationEvent,
    RelationsLabel,
    RelationsReading,
    TextField,
)

LEANING = 0.1
"""A reading is cooperation at score ≥ 0.1, conflict at ≤ −0.1, neutral between."""
REFUSAL_WEIGHT = -4.0
"""What negated cooperation weighs: a refusal (CAMEO 12, "reject")."""
HYPOTHETICAL_SHARE = 0.5
"""A hypothetical event's share of its weight."""
CUE_WORDS = 5
"""Words before a phrase read for negation and hypothetical cues."""

# Word tests on the few words around a party or a phrase (cheaper than regex searches).
_AUXILIARIES = frozenset("is are was were be been being get gets got".split())
_AGENT_WORDS = frozenset({"by"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we"})
_LOCATIVES = frozenset({"in", "at", "near", "over", "from"})
_CAUSATIVES = frozenset(
    "order ordered orders ordering forced forces forcing told tells instructed instructs "
    "required requires directed directs".split()
)
_IRREGULAR_PARTICIPLES = frozenset(
    "shut held met hit put set cut sent kept told struck brought caught built made".split()
)
_MODIFIERS = frozenset("the a an of its his her their two three several other all".split())
_JOINED = re.compile(r"\s*(?:,\s*)?(?:and|&|as well as)\b[^,;:]{0,40}")
_ADDRESSED = ("told", "tells")
_SPEAKER_REACH = 45
"""Characters between a speaker and the speech verb after it ("Peskov told reporters today")."""

_BOTH = frozenset({"us", "russia"})
_HINT_SIDES = ("us", "russia", "mutual")
_PUNCTUATION = '.,;:!?()[]"“”‘’«»'
"""(side, start, end) of a party in a field: side is us, russia, mutual or other."""


def _words_before(folded: str, left: int, right: int, count: int = 2) -> list[str]:
    """The last `count` words of `folded[max(left, right - 30):right]`, punctuation stripped."""
    lo = right - 30
    if lo < left:
        lo = left
    return [w.strip(_PUNCTUATION) for w in folded[lo:right].split()[-count:]]


def _is_agent(folded: str, end: int, party_start: int) -> bool:
    """Whether the party after a phrase is its agent: "… were expelled by Moscow"."""
    between = folded[end:party_start]
    if len(between) > 40 or any(mark in between for mark in ",;:"):
        return False
    words = between.split()
    if words and words[-1] == "the":
        words = words[:-1]
    return bool(words) and words[-1] in _AGENT_WORDS


def _is_location(folded: str, s_start: int, party: tuple[str, int, int]) -> bool:
    """Whether a party is named as a place ("in Moscow", "at the Kremlin"), not as an actor."""
    words = _words_before(folded, s_start, party[1])
    if words and words[-1] == "the":
        words = words[:-1]
    return bool(words) and words[-1] in _LOCATIVES


class RelationsReader:
    """The lexicon's phrases, false friends and parties, plus the gazetteer's third-side actors,
    compiled into one matcher; the two sides' actors and markers come from the analyzer's side
    evidence (or from the gazetteer when none is given). `events` reads one field."""

    def __init__(self, lexicon: RelationsLexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        terms: list[str] = []
        # Per term: ("event", category, tail regex), ("party", side, None) or ("hide", …).
        kinds: list[tuple[str, str, re.Pattern[str] | None]] = []
        for category in lexicon.categories:
            for phrase in category.phrases:
                head, tails = split_phrase(phrase)
                terms.append(head)
                kinds.append(("event", category.code, tail_regex(tails)))
            for term in category.exclude:
                terms.append(term)
                kinds.append(("hide", "", None))
        for kind, owner, term in gazetteer.entries:
            if kind == "actor" and gazetteer.sides[owner] not in _BOTH:
                terms.append(term)
                kinds.append(("party", "other", None))
            elif kind == "neutral":
                terms.append(term)
                kinds.append(("hide", "", None))
        for side in PARTY_KINDS:
            for term in lexicon.parties.get(side, ()):
                terms.append(term)
                kinds.append(("party", side, None))
        self._kinds = tuple(kinds)
        self._matcher = PhraseMatcher(terms)
        self._memo: dict[str, tuple[str | None, tuple[int, ...]]] = {}
        # This lexicon's own parties of the two sides, to find where the two sides meet beyond
        # the analyzer's evidence ("NORAD", "the two countries").
        hints = [(side, term) for side in _HINT_SIDES for term in lexicon.parties.get(side, ())]
        self._hints = PhraseMatcher([term for _, term in hints])
        self._hint_sides = tuple(side for side, _ in hints)
        self._cue_words = {kind: CueWords(lexicon.cues.get(kind, ())) for kind in CUE_KINDS}
        self._weights = {category.code: category.weight for category in lexicon.categories}
        self._quads = lexicon.quads
        self._speaker_acts = frozenset(c.code for c in lexicon.categories if c.speaker)
        self._mutual_acts = frozenset(c.code for c in lexicon.categories if c.mutual)

    def _actions(self, matched: str) -> tuple[str | None, tuple[int, ...]]:
        """(party side or None, event term indexes) of a matched string; a false friend hides
        every term that reads the same."""
        owners = self._matcher.owners(matched)
        kinds = [self._kinds[index][0] for index in owners]
        if "hide" in kinds:
            known: tuple[str | None, tuple[int, ...]] = (None, ())
        else:
            sides = [self._kinds[i][1] for i in owners if self._kinds[i][0] == "party"]
            side = "mutual" if "mutual" in sides else (sides[0] if sides else None)
            known = (side, tuple(i for i in owners if self._kinds[i][0] == "event"))
        if len(self._memo) < MEMO_LIMIT:
            self._memo[matched] = known
        return known

    def side_spans(self, text: str) -> list[tuple[str, int, int]]:
        """(kind, start, end) of the gazetteer's markers and two-side actors, as the analyzer
        finds them (kinds us, russia, joint)."""
        mentions, markers = self.gazetteer.scan(text)
        spans = [marker for marker in markers if marker[0] in ("us", "russia", "joint")]
        spans.extend((m.side, m.start, m.end) for m in mentions if m.side in _BOTH)
        return sorted(spans, key=lambda span: span[1])

    def read(
        self,
        title: str,
        title_spans: Sequence[tuple[int, int]],
        title_sides: Sequence[tuple[str, int, int]],
        text: str,
        text_spans: Sequence[tuple[int, int]],
        text_sides: Sequence[tuple[str, int, int]],
    ) -> tuple[RelationsReading, RelationsReading]:
        """(the article's reading, the headline's reading); see `events` for the sides."""
        title_events = self.events(title, title_spans, title_sides, "title")
        text_events = self.events(text, text_spans, text_sides, "text")
        return read_relations(title_events + text_events), read_relations(title_events)

    def events(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        sides: Sequence[tuple[str, int, int]] | None = None,
        field: TextField = "text",
    ) -> list[RelationEvent]:
        """Every US–Russia event in `text`, read sentence by sentence (`sentences`: spans into
        `text`, ascending). `sides`: the (kind, start, end) side evidence of the gazetteer
        (kinds us, russia, joint) the analyzer already found; None: found here. Only the
        sentences where both sides meet (counting this lexicon's own parties) are scanned."""
        if not text or not sentences:
            return []
        if sides is None:
            sides = self.side_spans(text)
        starts = [start for start, _ in sentences]
        kinds: dict[int, set[str]] = {}
        in_sentence: dict[int, list[tuple[str, int, int]]] = {}
        for evidence in sides:
            index = bisect_right(starts, evidence[1]) - 1
            kinds.setdefault(index, set()).add(evidence[0])
            in_sentence.setdefault(index, []).append(evidence)
        for owners, start, _ in self._hints.finditer(text):
            kinds.setdefault(bisect_right(starts, start) - 1, set()).add(
                self._hint_sides[owners[0]]
            )
        folded = ""
        found: list[RelationEvent] = []
        memo, actions, scan = self._memo, self._actions, self._matcher.scan
        for index in sorted(kinds):
            met = kinds[index]
            if index < 0 or not ("joint" in met or "mutual" in met or met >= _BOTH):
                continue
            s_start, s_end = sentences[index]
            sentence = text[s_start:s_end]
            ours: list[Party] = []
            heads: list[tuple[tuple[int, ...], int, int]] = []
            for hit in scan(sentence):
                # (start() + 1, end()) of a scan hit is its span in the scanned text
                start, end = hit.span()
                end -= 1
                matched = sentence[start:end]
                side, events = memo.get(matched) or actions(matched)
                if side is not None:
                    ours.append((side, start + s_start, end + s_start))
                if events:
                    heads.append((events, start + s_start, end + s_start))
            read: list[RelationEvent] = []
            if heads:
                parties = merge_parties(in_sentence.get(index, []), ours)
                present = {side for side, _, _ in parties}
                if "mutual" in present or present >= _BOTH:
                    folded = folded or fold(text)
                    read = self._read_sentence(folded, sentences[index], parties, heads, field)
            found.extend(read)
        return found

    def _read_sentence(
        self,
        folded: str,
        sentence: tuple[int, int],
        parties: list[Party],
        heads: list[tuple[tuple[int, ...], int, int]],
        field: TextField,
    ) -> list[RelationEvent]:
        s_start, s_end = sentence
        found: list[RelationEvent] = []
        last_end = -1
        # Clause breaks, found once per sentence: (start, end) pairs in order.
        strong, weak = clause_breaks(folded, s_start, s_end)
        located: dict[Party, bool] = {}  # whether a party is named as a place, when asked

        def place(party: Party) -> bool:
            known = located.get(party)
            if known is None:
                known = located[party] = _is_location(folded, s_start, party)
            return known

        speaker: list[Party | None] = []  # looked for once, when first needed

        def speaker_of() -> Party | None:
            if not speaker:
                speaker.append(self._speaker(folded, s_start, s_end, parties, strong, place))
            return speaker[0]

        for indexes, start, head_end in heads:
            if start < last_end:
                continue  # inside the previous event's phrase
            end, code = -1, ""
            for index in indexes:
                _, category, tail = self._kinds[index]
                if tail is None:
                    candidate = head_end
                else:
                    match = tail.match(folded, head_end, s_end)
                    candidate = match.end() if match else -1
                if candidate > end:
                    end, code = candidate, category
            if end < 0:
                continue
            word = folded[start:head_end]
            before_words = _words_before(folded, s_start, start)
            if (
                word.endswith(("ed", "en"))
                and before_words
                and (before_words[-1] in _MODIFIERS or before_words[-1].endswith(("'s", "’s")))
            ):
                continue  # a participle used as an adjective: "the detained reporter"
            weight = self._weights[code]
            if code in self._mutual_acts:
                direction: tuple[str, str] | None = ("mutual", "mutual")
            elif code in self._speaker_acts:
                direction = speaker_direction(speaker_of(), parties, weight)
            else:
                direction = self._act_direction(
                    folded, sentence, parties, (start, head_end, end), before_words,
                    (strong, weak), place, speaker_of, weight,
                )  # fmt: skip
            if direction is None:
                continue
            negated, hypothetical = self._modality(folded, s_start, start, weak)
            if negated:
                weight = REFUSAL_WEIGHT if weight > 0 else 0.0
            elif hypothetical:
                weight *= HYPOTHETICAL_SHARE
            found.append(
                RelationEvent(
                    start,
                    end,
                    code,
                    weight,
                    direction[0],
                    direction[1],
                    negated,
                    hypothetical and not negated,
                    field,
                    self._quads[code],
                )
            )
            last_end = end
        return found

    def _speaker(
        self,
        folded: str,
        s_start: int,
        s_end: int,
        parties: list[Party],
        strong: list[tuple[int, int]],
        place: Callable[[Party], bool],
    ) -> Party | None:
        """The party that speaks in the sentence: before a speech verb ("Peskov said", "the
        Kremlin told reporters"), after one ("said Zakharova", "according to the Kremlin"), or
        a headline's "Kremlin: …"."""
        first = parties[0]
        if first[1] - s_start < 3 and folded.startswith(":", first[2]) and first[0] != "other":
            return first
        for cue_start, cue_end, cue in self._cue_words["speech"].positions(folded, s_start, s_end):
            if _PRONOUNS.intersection(_words_before(folded, s_start, cue_start)):
                # "he called": the sentence's first party speaks
                subject = next((p for p in parties if p[2] <= cue_start), None)
                if subject is not None and subject[0] != "other":
                    return subject
                continue
            before = [
                p
                for p in parties
                if p[2] <= cue_start
                and cue_start - p[2] <= _SPEAKER_REACH
                and not breaks_between(strong, p[2], cue_start)
                and not place(p)
            ]
            if before and before[-1][0] != "other":
                return before[-1]
            after = [p for p in parties if 0 <= p[1] - cue_end <= 25]
            if after and after[0][0] != "other" and cue not in _ADDRESSED:
                return after[0]
        return None

    def _addressee(self, folded: str, s_start: int, s_end: int, parties: list[Party]) -> str | None:
        """The side spoken to: "Lavrov told his American counterpart"."""
        for _, cue_end, cue in self._cue_words["speech"].positions(folded, s_start, s_end):
            if cue in _ADDRESSED:
                after = [p for p in parties if 0 <= p[1] - cue_end <= 25]
                if after and after[0][0] in ("us", "russia"):
                    return after[0][0]
        return None

    def _act_direction(
        self,
        folded: str,
        sentence: tuple[int, int],
        parties: list[Party],
        phrase: tuple[int, int, int],
        before_words: list[str],
        breaks: tuple[list[tuple[int, int]], list[tuple[int, int]]],
        place: Callable[[Party], bool],
        speaker_of: Callable[[], Party | None],
        weight: float,
    ) -> tuple[str, str] | None:
        """(source, target) of an act phrase (start, end of its first part, end);
        `before_words`: the two words before it; `breaks`: the sentence's (strong, weak) clause
        breaks; `place`: whether a party is named as a place."""
        s_start, s_end = sentence
        strong, weak = breaks
        start, head_end, end = phrase
        clause = s_start
        for _, break_end in strong:
            if clause < break_end <= start:
                clause = break_end
        before = [p for p in parties if p[1] >= clause and p[2] <= start]
        stop = s_end
        for break_start, _ in weak:
            if break_start >= end:
                stop = break_start
                break
        after = [p for p in parties if head_end <= p[1] < stop]
        agent = None
        for party in after:
            if _is_agent(folded, end, party[1]):
                agent = party
                break
        verb = folded[start:head_end].split()[0]
        participle = (verb.endswith(("ed", "en")) or verb in _IRREGULAR_PARTICIPLES) and (
            head_end - start == len(verb)  # one word: "was interested in" is no passive
        )
        passive = (
            participle
            and bool(before_words)
            and (
                before_words[-1] in _AUXILIARIES
                or (before_words[0] in _AUXILIARIES and before_words[-1].endswith("ly"))
            )
        )
        if agent is not None or passive:
            # Passive: the party before is acted upon; the agent ("by Moscow") or the next
            # party of another side acts.
            if not before:
                return None
            target = before[-1]
            source = agent or next((p for p in after if p[0] not in (target[0], "other")), None)
            if source is None or source[0] in ("other", "mutual") or target[0] == "other":
                return None
            if target[0] == "mutual" or target[0] == source[0]:
                return None
            return source[0], target[0]
        subjects = [
            p for p in before if not place(p)
        ]  # "the U.S. embassy in Moscow warned": Moscow is where, not who
        if not subjects:
            return None
        subject = subjects[-1]
        side = subject[0]
        if side == "other":
            return None
        causative = _words_before(folded, clause, subject[1])
        if causative and causative[-1] == "the":
            causative = _words_before(folded, clause, subject[1], 3)[:-1]
        if causative and causative[-1] in _CAUSATIVES and side in ("us", "russia"):
            # "Washington ordered the Russian Embassy to cut its staff": who orders acts
            verb_at = folded.rfind(causative[-1], clause, subject[1])
            orderer = [p for p in subjects if p[2] <= verb_at]
            if orderer and orderer[-1][0] not in (side, "other", "mutual"):
                return orderer[-1][0], side
        if side != "mutual" and len(before) > 1:
            # "Lavrov and Secretary of State Marco Rubio agreed": a subject of both sides
            for previous in reversed(before[:-1]):
                if previous[0] in ("other", "mutual"):
                    break
                if previous[0] != side and _JOINED.fullmatch(folded, previous[2], subject[1]):
                    side = "mutual"
                    break
        if side == "mutual":
            if weight < 0 and not self._cue_words["reciprocal"].found_between(
                folded, s_start, s_end
            ):
                return None
            return "mutual", "mutual"
        acted_on = target_side(folded, side, after)
        speaker = speaker_of() if acted_on is None else None
        if speaker is not None:
            # an act reported by the other side, with no target of its own, is aimed at it
            left, right = sorted((speaker[1], start))
            if speaker[0] not in (side, "other", "mutual") and not breaks_between(
                strong, left, right
            ):
                acted_on = speaker[0]
        if acted_on is None:
            addressee = self._addressee(folded, s_start, s_end, parties)
            if addressee is not None and addressee != side:
                acted_on = addressee
        if acted_on is None and not any(p[0] == "other" for p in after):
            # "Moscow demanded that Washington return the compounds": the other side named
            # earlier in the same clause, when nothing after the phrase is a third party
            earlier = [p[0] for p in subjects if p[0] in _BOTH and p[0] != side]
            acted_on = earlier[-1] if earlier else None
        if acted_on is None:
            return None
        return side, acted_on

    def _modality(
        self, folded: str, s_start: int, start: int, weak: list[tuple[int, int]]
    ) -> tuple[bool, bool]:
        """(negated, hypothetical) from the cue words before a phrase."""
        left = start - 80
        if left < s_start:
            left = s_start
        for _, break_end in weak:
            if break_end > start:
                break
            if break_end > left:
                left = break_end
        window = [
            word.strip(_PUNCTUATION).replace("’", "'")
            for word in folded[left:start].split()[-CUE_WORDS:]
        ]
        cues = self._cue_words
        negated = cues["negation"].found_in(window)
        hypothetical = cues["hypothetical"].found_in(window)
        if not hypothetical:
            hypothetical = cues["conditional"].found_between(folded, s_start, start)
        return negated, hypothetical


def read_relations(events: Sequence[RelationEvent]) -> RelationsReading:
    """Score and label of a set of events (see the module docstring)."""
    if not events:
        return NO_RELATIONS
    mean = sum(event.weight for event in events) / len(events)
    score = round(max(-1.0, min(1.0, mean / WEIGHT_LIMIT)), 4)
    label: RelationsLabel
    if score >= LEANING:
        label = "cooperation"
    elif score <= -LEANING:
        label = "conflict"
    else:
        label = "neutral"
    return RelationsReading(score, label, tuple(events))
