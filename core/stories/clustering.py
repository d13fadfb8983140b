"""Incremental story clustering: a new article joins the best-matching live story or starts one.

The rule (docs/stories.md has the reasoning and the measured figures):

1. A **copy** (core/stories/copies.py) joins the story of its original, whatever its words.
2. Otherwise the article becomes a vector of the content words of its headline (counted twice)
   and its lead (the first LEAD_WORDS words of the text, dateline removed): English stop words
   and words under three letters out, a plural "s" folded, weight (1 + log tf) · idf with
   idf = ln((1 + N) / (1 + df)) + 1 over the N independent reports of the live stories, L2-norm.
3. Its similarity to a story is the cosine with the story's centroid (the sum of the vectors of
   the story's independent reports, copies excluded, each vector as it was when it joined).
   Candidate stories are those sharing one of the article's CANDIDATE_TERMS rarest terms among
   the terms found in at most CANDIDATE_STORIES (100) live stories.
4. It joins the most similar story whose last article is at most `window` (default WINDOW,
   5 days) older than it and whose first article is at most `max_span` (default MAX_SPAN,
   7 days) older than it, if the cosine is at least `link_at` (default LINK_AT); a tie goes
   to the story started first. Else it starts a story whose id is its own id. An article with
   fewer than MIN_TERMS content words (empty, one word, a text in a script without spaces)
   never joins a story by similarity, and no article joins its story by similarity.
5. A story is **live** until the newest publication time seen (the clock) is more than
   `window` after its last article; then it and its articles leave the index (centroid,
   document frequencies, candidate lists); the copy index keeps articles published within
   `window` of the clock.

Deterministic for the same input order. `add_round` sorts a poll round by (published, id), so
the order of feeds within a round does not matter; across rounds the arrival order stands (an
article never moves once assigned: storage has persisted it). Replaying the stored articles in
(published, id) order with `add` rebuilds the same assignments (`detente stories rebuild`);
`restore` reloads the live state after a restart without recomputing stored assignments.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import repeat

from datasketch import LeanMinHash

from core.models import Analysis
from core.stories.copies import (
    Bands,
    CopyDetector,
    Shingles,
    shingles_many,
    shingles_of,
    sketch_of,
    sketches_of,
    split_words,
    words_of,
)
from core.stories.summary import StoryMember, StorySummary, member, summarize

WINDOW = timedelta(days=5)
MAX_SPAN = timedelta(days=7)
"""The guard against a story that absorbs everything: without it, a theme reported daily in
similar words (tests/synthetic.py builds such texts) chains into one story for as long as
the theme lasts, each day's articles linking to the previous day's. A story takes articles by
similarity only within MAX_SPAN of its first article (the labelled events span at most 3.5
days; Europe Media Monitor links daily clusters over 7); a later report starts a new story.
A syndicated copy still joins its original's story."""
LINK_AT = 0.2
DECAY = 0.03
LEAD_WORDS = 90
TITLE_WEIGHT = 2
CANDIDATE_TERMS = 12
CANDIDATE_STORIES = 100
MIN_TERMS = 3
ROUND_SLICE = 64

_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]{1,40},?(?:\s+\w{3,9}\.?\s+\d{1,2},?)?\s*"
    r"(?:\([^)\n]{1,40}\)\s*)?[-–—]+\s*"
)
# Function words of English news prose (they carry no event); short words go by length.
STOP_WORDS = frozenset(
    """
    about above after again against all also although among and another any are around
    because been before being below between both but can could did does doing down during
    each either every few for from further had has have having her here hers herself him
    himself his how however into its itself just last least less made make many may might
    more most much must near neither never new next nor not now off once one only onto other
    our ours out over own per said same says say saying shall she should since some still
    such than that the their theirs them themselves then there these they this those though
    through thus told too two under until upon very was were what when where whether which
    while who whom whose why will with within without would yet you your also week weeks
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    year years time times day days told statement according reported report reports added
    """.split()
)


def content_words(title: str, text: str, words: list[str] | None = None) -> Counter[str]:
    """The counted content words of the headline (TITLE_WEIGHT times) and the lead, the first
    LEAD_WORDS words of the text after its dateline. `words` is `words_of(text)` (the copy
    detector's words: the text is read once); a dateline ends on a dash or a space, so its
    words are the first words of `words`."""
    if words is None:
        words = words_of(text)
    dateline = _DATELINE.match(text)
    skip = len(split_words(dateline.group(0).lower())) if dateline is not None else 0
    lead = words[skip : skip + LEAD_WORDS]
    head = split_words(title.lower())
    read = head + lead
    terms = list(map(_TERMS.get, read, repeat(_MISSING)))
    if _MISSING in terms:
        terms = [
            _remember(word) if term is _MISSING else term
            for word, term in zip(read, terms, strict=True)
        ]
    titled = terms[: len(head)]
    # the headline's terms TITLE_WEIGHT times, then the lead's; None (no term) filtered out
    return Counter(filter(None, titled * TITLE_WEIGHT + terms[len(head) :]))


_TERMS: dict[str, str | None] = {}
_TERMS_LIMIT = 200_000


_MISSING = "\0"


def _remember(word: str) -> str | None:
    """The index term of a lower-cased word, memoised (news repeats its words, and this runs
    for every word of every headline and lead)."""
    term = _fold(word)
    if len(_TERMS) < _TERMS_LIMIT:
        _TERMS[word] = term
    return term


def _fold(word: str) -> str | None:
    if len(word) < 3 and word not in ("us", "eu", "un", "uk"):
        return None
    if word in STOP_WORDS or word.isdigit():
        return None
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_LOGS: list[float] = [-math.inf] + [math.log(n) for n in range(1, 4_096)]
"""math.log(n) at index n: a TF-IDF weight reads two logarithms of small integers per word."""


def _grow_logs(size: int) -> None:
    _LOGS.extend(math.log(n) for n in range(len(_LOGS), max(size, 2 * len(_LOGS))))


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went: its story, the original it copies (None for an independent
    report) and the similarity that linked it, the cosine less the decay for the days since
    the story's last article (None for a copy or the first article of a story)."""

    story_id: str
    copy_of: str | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """The stateless half of the work on one article (`prepare`): body shingles, their sketch
    and the headline + lead words. Picklable, so worker processes can compute it beside the
    analysis and leave the polling process only the stateful half (`StoryIndex.add`)."""

    shingles: Shingles
    sketch: LeanMinHash | None
    words: Counter[str]


def prepare(title: str, text: str) -> Prepared:
    """Everything `StoryIndex.add` needs from the text that does not depend on the index."""
    words = words_of(text)
    hashes = shingles_of(words)
    return Prepared(hashes, sketch_of(hashes), content_words(title, text, words))


@dataclass(frozen=True, slots=True)
class StoryInput:
    """One article as the index needs it; `analysis` and `relations` are optional readings,
    `prepared` is `prepare(title, text)` when a worker computed it already."""

    article_id: str
    published: datetime
    outlet: str
    bloc: str
    title: str
    text: str
    analysis: Analysis | None = None
    relations: float | None = None
    prepared: Prepared | None = None


def _aware(item: StoryInput) -> StoryInput:
    """The item with a naive publication time read as UTC (naive and aware times never meet)."""
    if item.published.tzinfo is not None:
        return item
    return replace(item, published=item.published.replace(tzinfo=UTC))


@dataclass(slots=True)
class _Story:
    story_id: str
    order: int
    first_seen: datetime
    last_seen: datetime
    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    members: list[StoryMember] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    reports: list[tuple[str, ...]] = field(default_factory=list)


class StoryIndex:
    """The live stories of the last `window`, and the rule that assigns each new article."""

    def __init__(
        self,
        window: timedelta = WINDOW,
        link_at: float = LINK_AT,
        decay: float = DECAY,
        max_span: timedelta = MAX_SPAN,
    ) -> None:
        self.window = window
        self.max_span = max_span
        self.link_at = link_at
        self.decay = decay
        self._stories: dict[str, _Story] = {}
        self._story_of: dict[str, str] = {}
        self._postings: dict[str, str | set[str]] = {}
        """The live stories of each word: the story's id while it is one story (most words), a
        set once it is several (a set per word and story would be most of the index's objects)."""
        self._df: dict[str, int] = {}  # a plain dict: Counter's update, subtract, del are Python
        self._reports = 0
        self._copies = CopyDetector()
        self._copy_expiry: list[tuple[datetime, str]] = []
        self._story_expiry: list[tuple[datetime, int, str]] = []
        self._clock: datetime | None = None
        self._started = 0

    # --- the public questions ---------------------------------------------------------------

    def __len__(self) -> int:
        """How many stories are live."""
        return len(self._stories)

    def story_of(self, article_id: str) -> str | None:
        """The story of an article still in the index, else None."""
        return self._story_of.get(article_id)

    def members(self, story_id: str) -> tuple[StoryMember, ...]:
        """The articles of a live story, in the order they joined (empty if not live)."""
        story = self._stories.get(story_id)
        return () if story is None else tuple(story.members)

    def summary(self, story_id: str) -> StorySummary | None:
        """The summary of a live story (core/stories/summary.py), None if not live."""
        story = self._stories.get(story_id)
        return None if story is None else summarize(story_id, story.members)

    def live_stories(self) -> tuple[str, ...]:
        """The ids of the live stories, in the order they started."""
        return tuple(sorted(self._stories, key=lambda key: self._stories[key].order))

    # --- adding articles --------------------------------------------------------------------

    def add_round(self, items: Iterable[StoryInput]) -> list[tuple[StoryInput, Assignment]]:
        """Assign one poll round, sorted by (published, id): feed order does not matter.

        The words, shingles and sketches of the articles that come without `prepared` are
        computed ROUND_SLICE articles at a time (core/stories/copies.py `shingles_many`,
        `sketches_of`), the same values `add` computes one article at a time: numpy's per-call
        overhead is paid once a slice, and a slice's word lists are gone before the garbage
        collector would move them to its oldest generation (holding a whole round's made the
        next full collection come sooner)."""
        ordered = sorted(map(_aware, items), key=lambda item: (item.published, item.article_id))
        assigned: list[tuple[StoryInput, Assignment]] = []
        for start in range(0, len(ordered), ROUND_SLICE):
            part = ordered[start : start + ROUND_SLICE]
            fresh = [item for item in part if item.prepared is None]
            words = [words_of(item.text) for item in fresh]
            hashes = shingles_many(words)
            ready = dict(
                zip(
                    map(id, fresh),
                    zip(words, hashes, sketches_of(hashes), strict=True),
                    strict=True,
                )
            )
            assigned += [(item, self._add(item, ready.get(id(item)))) for item in part]
        return assigned

    def add(self, item: StoryInput) -> Assignment:
        """Assign one article (an id seen before keeps its assignment) and index it."""
        return self._add(_aware(item), None)

    def _add(
        self, item: StoryInput, ready: tuple[list[str], Shingles, LeanMinHash | None] | None
    ) -> Assignment:
        """`add` of an item read as UTC; `ready` is (words, shingles, sketch) of its text when
        `add_round` computed them already."""
        known = self._story_of.get(item.article_id)
        if known is not None:
            story = self._stories[known]
            return story.assignments[[m.article_id for m in story.members].index(item.article_id)]
        self._advance(item.published)
        prepared, words = item.prepared, None
        if prepared is not None:
            hashes, sketch = prepared.shingles, prepared.sketch
        elif ready is not None:
            words, hashes, sketch = ready
        else:  # the headline + lead words only if it is not a copy
            words = words_of(item.text)
            hashes = shingles_of(words)
            sketch = sketch_of(hashes)
        bands = self._copies.bands(sketch)  # for the query and the insert
        root = self._copies.match(hashes, sketch, bands)
        if root is not None and root in self._story_of:
            assignment = Assignment(self._story_of[root], copy_of=root)
            self._join(self._stories[assignment.story_id], item, assignment, None)
            self._index_copy(item, hashes, sketch, root, bands)
            return assignment
        counts = content_words(item.title, item.text, words) if prepared is None else prepared.words
        vector = self._vector(counts)
        if len(vector) < MIN_TERMS:
            vector = {}  # too few words to link by, or to be linked to
        best, score, dot = self._best_story(item.published, vector)
        if best is not None:
            assignment = Assignment(best.story_id, similarity=round(score, 6))
        else:
            assignment = Assignment(item.article_id)
            best = self._start(item)
        self._join(best, item, assignment, vector, dot)
        self._index_copy(item, hashes, sketch, item.article_id, bands)
        return assignment

    def restore(self, item: StoryInput, assignment: Assignment) -> None:
        """Index an article with its stored assignment (after a restart), without matching.

        Call it for every article of every story last seen within `window` of the newest
        article, in (published, id) order; the index is then the one that assigned them."""
        item = _aware(item)
        if item.article_id in self._story_of:
            return
        self._advance(item.published)
        story = self._stories.get(assignment.story_id) or self._start(item, assignment.story_id)
        prepared = item.prepared or prepare(item.title, item.text)
        hashes, sketch = prepared.shingles, prepared.sketch
        if assignment.copy_of is not None:
            self._join(story, item, assignment, None)
            self._index_copy(item, hashes, sketch, assignment.copy_of)
        else:
            vector = self._vector(prepared.words)
            self._join(story, item, assignment, vector if len(vector) >= MIN_TERMS else None)
            self._index_copy(item, hashes, sketch, item.article_id)

    # --- the rule ---------------------------------------------------------------------------

    def _vector(self, counts: Mapping[str, int]) -> dict[str, float]:
        df, logs = self._df.get, _LOGS
        if self._reports + 2 > len(logs):
            _grow_logs(self._reports + 2)
        top = logs[1 + self._reports] + 1.0
        try:
            weights = {
                term: (1.0 + logs[count]) * (top - logs[1 + df(term, 0)])
                for term, count in counts.items()
            }
        except IndexError:  # a word counted more often than the table reaches (a huge headline)
            log = math.log
            weights = {
                term: (1.0 + log(count)) * (top - log(1 + df(term, 0)))
                for term, count in counts.items()
            }
        norm = math.sqrt(sum([weight * weight for weight in weights.values()]))
        return {term: weight / norm for term, weight in weights.items()} if norm else {}

    def _best_story(
        self, published: datetime, vector: Mapping[str, float]
    ) -> tuple[_Story | None, float, float]:
        """(the story to join or None, its score, the dot product of the vector with its
        centroid, which `_join` reuses)."""
        if len(vector) < MIN_TERMS:
            return None, 0.0, 0.0
        df, postings = self._df, self._postings
        # A word in more than CANDIDATE_STORIES live stories ("russia", "us") says nothing about
        # which one; it still counts in the cosine. Sorted by df, then text order.
        shared = []
        for position, term in enumerate(vector):
            posting = postings.get(term)
            if posting is not None and (
                isinstance(posting, str) or len(posting) <= CANDIDATE_STORIES
            ):
                shared.append((df[term], position, posting))
        shared.sort()
        candidates: set[str] = set()
        for _, _, posting in shared[:CANDIDATE_TERMS]:
            if isinstance(posting, str):
                candidates.add(posting)
            else:
                candidates.update(posting)
        oldest = published - self.window
        started = published - self.max_span
        keys = vector.keys()
        stories = self._stories
        best: _Story | None = None
        best_score = best_dot = 0.0
        for story_id in candidates:
            story = stories[story_id]
            if story.last_seen < oldest or story.first_seen < started or story.norm2 <= 0.0:
                continue
            centroid = story.centroid
            dot = math.fsum([vector[term] * centroid[term] for term in keys & centroid.keys()])
            gap = (published - story.last_seen).total_seconds() / 86_400.0
            score = dot / math.sqrt(story.norm2) - self.decay * max(gap, 0.0)
            if score > best_score or (
                score == best_score and best is not None and story.order < best.order
            ):
                best, best_score, best_dot = story, score, dot
        if best is None or best_score < self.link_at:
            return None, best_score, 0.0
        return best, best_score, best_dot

    # --- bookkeeping ------------------------------------------------------------------------

    def _start(self, item: StoryInput, story_id: str | None = None) -> _Story:
        story = _Story(story_id or item.article_id, self._started, item.published, item.published)
        self._started += 1
        self._stories[story.story_id] = story
        return story

    def _join(
        self,
        story: _Story,
        item: StoryInput,
        assignment: Assignment,
        vector: Mapping[str, float] | None,
        dot: float | None = None,
    ) -> None:
        """Add the article to the story; `dot` is the vector's dot product with the story's
        centroid when `_best_story` computed it (0 for a new story)."""
        story.members.append(
            member(
                item.article_id,
                item.published,
                item.outlet,
                item.bloc,
                item.title,
                assignment.copy_of,
                item.analysis,
                item.relations,
            )
        )
        story.assignments.append(assignment)
        story.first_seen = min(story.first_seen, item.published)
        if item.published > story.last_seen or len(story.members) == 1:
            # a new story, or a later last article: a new expiry (stale ones are skipped)
            story.last_seen = max(story.last_seen, item.published)
            heapq.heappush(self._story_expiry, (story.last_seen, story.order, story.story_id))
        self._story_of[item.article_id] = story.story_id
        if vector:
            centroid = story.centroid
            if dot is None:
                dot = math.fsum(
                    [vector[term] * centroid[term] for term in vector.keys() & centroid.keys()]
                )
            story.norm2 += 2.0 * dot + 1.0
            df, df_get, postings, story_id = self._df, self._df.get, self._postings, story.story_id
            fresh = not centroid  # a new story: every term is new to it
            if fresh:
                story.centroid = centroid = dict(vector)
            for term, weight in vector.items():
                df[term] = df_get(term, 0) + 1
                if not fresh:
                    known = centroid.get(term)
                    if known is not None:
                        centroid[term] = known + weight
                        continue
                    centroid[term] = weight
                posting = postings.get(term)
                if posting is None:
                    postings[term] = story_id
                elif isinstance(posting, str):
                    postings[term] = {posting, story_id}
                else:
                    posting.add(story_id)
            story.reports.append(tuple(vector))
            self._reports += 1

    def _index_copy(
        self,
        item: StoryInput,
        hashes: Shingles,
        sketch: LeanMinHash | None,
        root: str,
        bands: Bands | None = None,
    ) -> None:
        self._copies.add(item.article_id, hashes, sketch, root, bands)
        heapq.heappush(self._copy_expiry, (item.published, item.article_id))

    def _advance(self, published: datetime) -> None:
        if self._clock is not None and published <= self._clock:
            return
        self._clock = published
        oldest = published - self.window
        while self._copy_expiry and self._copy_expiry[0][0] < oldest:
            _, article_id = heapq.heappop(self._copy_expiry)
            self._copies.remove(article_id)
        while self._story_expiry and self._story_expiry[0][0] < oldest:
            last_seen, _, story_id = heapq.heappop(self._story_expiry)
            story = self._stories.get(story_id)
            if story is not None and story.last_seen == last_seen:
                self._expire(story)

    def _expire(self, story: _Story) -> None:
        del self._stories[story.story_id]
        for gone in story.members:
            self._story_of.pop(gone.article_id, None)
        postings, story_id = self._postings, story.story_id
        for term in story.centroid:
            posting = postings.get(term)
            if posting is None:
                continue
            if isinstance(posting, str):
                if posting == story_id:
                    del postings[term]
                continue
            posting.discard(story_id)
            if len(posting) == 1:
                postings[term] = next(iter(posting))
        df = self._df
        for terms in story.reports:
            for term in terms:
                left = df[term] - 1
                if left > 0:
                    df[term] = left
                else:
                    del df[term]
        self._reports -= len(story.reports)
