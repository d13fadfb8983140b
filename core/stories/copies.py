"""Syndicated wire copy: which earlier article is this text a copy of?

A wire report republished by ten outlets is one report, not ten. Outlets change the headline,
put a dateline in front ("MOSCOW, Nov 3 (Reuters) -"), cut the last paragraphs or append their
own paragraph or boilerplate ("Follow us on Telegram"); the body stays the same wire text. So a
copy is found by the words of the body (never the headline), as a set of overlapping 5-word
shingles:

    copy of B  ⇔  Jaccard(S_A, S_B) ≥ COPY_JACCARD (0.5)
                  or  |S_A ∩ S_B| / min(|S_A|, |S_B|) ≥ COPY_CONTAINMENT (0.8)

computed exactly on the shingle sets of the candidates; the second clause catches a truncated
copy (an outlet runs the first three paragraphs of a ten-paragraph report). Candidates come from
datasketch's MinHash + MinHashLSH (32 permutations in 16 bands of 2 rows: a pair with Jaccard
J becomes a candidate with probability 1 − (1 − J²)¹⁶: 0.99 at 0.5, 0.78 at 0.3, 0.0016 at 0.01,
the share an outlet's boilerplate line gives two of its articles), so a new article is compared
with the few earlier ones that share much of its wording, not with the whole window. The
decision itself is exact; the sketch only finds candidates (copies in
tests/data/stories_eval.jsonl have J ≥ 0.64 with their original, other pairs J ≤ 0.07).
A text with fewer than MIN_SHINGLES shingles (under ~12 words) is never a copy nor an original:
a one-line summary says too little to tell wire copy from a shared quotation. Only the first
MAX_CHARS (4,000) characters are shingled, about 650 words: wire copy is recognised by the top
of the story (the part outlets keep), and a long or 1 MB text costs what a short one does.

The original is the earliest article of the group: a copy of a copy points at the first one
(`root`), and the first article the detector saw wins, so feed it in (published, id) order.

Why datasketch and not scikit-learn TF-IDF + sparse cosine: measured on 300 synthetic articles
of ~300 words (docs/stories.md), MinHash + LSH costs 0.28 ms per article including the index
query, and its cost does not grow with the window; scikit-learn's HashingVectorizer alone costs
0.47 ms per single-document call and a cosine against 300 earlier articles another 2.1 ms, which
grows with the window. Both count shared word n-grams; LSH is the one that indexes them.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_WORDS = 5
NUM_PERM = 32
LSH_BANDS = 16
COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8
MIN_SHINGLES = 8
MAX_CHARS = 4_000

_WORD = re.compile(r"\w+")
_MIX = np.uint64(1_000_003)
_LOW32 = np.uint64(0xFFFFFFFF)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations

Shingles = npt.NDArray[np.uint32]


def words_of(text: str) -> list[str]:
    """The lower-cased words of the text's first MAX_CHARS characters: what `shingles` reads,
    and what the story vector takes its lead from (core/stories/clustering.py), read once."""
    return _WORD.findall(text[:MAX_CHARS].lower())


def shingles(text: str) -> Shingles:
    """The sorted, unique 32-bit hashes of the text's 5-word shingles (lower-cased words)."""
    return shingles_of(words_of(text))


def shingles_of(words: list[str]) -> Shingles:
    """`shingles` from the text's words (`words_of`).

    Words are hashed with CRC-32 (stable across processes, unlike `hash`), and a shingle's hash
    mixes its five word hashes; a text shorter than five words has no shingle."""
    if len(words) < SHINGLE_WORDS:
        return np.empty(0, dtype=np.uint32)
    hashed = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64)
    count = len(words) - SHINGLE_WORDS + 1
    mixed = hashed[:count].copy()
    for offset in range(1, SHINGLE_WORDS):
        mixed = (mixed * _MIX) ^ hashed[offset : offset + count]
    return np.unique((mixed & _LOW32).astype(np.uint32))


def overlap(a: Shingles, b: Shingles) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two shingle sets; (0, 0) when one is empty."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def is_copy(a: Shingles, b: Shingles) -> bool:
    """The copy rule of this module, on two shingle sets of at least MIN_SHINGLES each."""
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return False
    jaccard, containment = overlap(a, b)
    return jaccard >= COPY_JACCARD or containment >= COPY_CONTAINMENT


def _whole(batch: Shingles) -> Shingles:
    return batch


_SKETCHERS = threading.local()


def sketch_of(hashes: Shingles) -> LeanMinHash | None:
    """The MinHash of a shingle set, or None when it is too short to be matched or indexed.

    The shingles are hashed already (32-bit), so the whole array goes to datasketch's
    `update_batch` as one batch element that its hash function passes through: datasketch then
    applies its permutations to the array at once (numpy) instead of calling a hash function per
    shingle, with the same hash values (tests/test_stories.py checks it); four times faster
    on a 72-word article. One MinHash per thread is cleared and reused (building one costs
    more than the update) and the result is frozen as a LeanMinHash (no permutations kept)."""
    if len(hashes) < MIN_SHINGLES:
        return None
    sketcher: MinHash | None = getattr(_SKETCHERS, "sketcher", None)
    if sketcher is None:
        sketcher = MinHash(
            num_perm=NUM_PERM, permutations=_PERMUTATIONS, hashfunc=_whole, scheme="affine32"
        )
        _SKETCHERS.sketcher = sketcher
    sketcher.clear()
    sketcher.update_batch([hashes])
    return LeanMinHash(sketcher)


@dataclass(slots=True)
class _Indexed:
    order: int
    root: str
    body: _Body


@dataclass(slots=True)
class _Body:
    """One distinct shingle set and the ids indexed with it, in the order they were indexed
    (ids removed since are skipped lazily): the LSH holds one key per distinct body, so a wire
    text republished a thousand times costs one candidate, not a thousand."""

    key: int
    hashes: Shingles
    ids: deque[tuple[int, str]] = field(default_factory=deque)
    alive: int = 0


class CopyDetector:
    """An index of recent article bodies that names, for a new body, the original it copies.

    `match` finds the original; `add` indexes a body under its id with its original (`root`);
    `remove` drops an id (the story index removes articles that leave its window). Identical
    bodies share one LSH entry (`_Body`); the first indexed of them that is still present is
    the one the rule would pick among them (same overlap, lowest order), so the answers are
    those of an index holding every id, at a cost that does not grow with the republications."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, NUM_PERM // LSH_BANDS))
        self._indexed: dict[str, _Indexed] = {}
        self._bodies: dict[bytes, _Body] = {}
        self._by_key: dict[int, _Body] = {}
        self._order = 0
        self._keys = 0

    def __len__(self) -> int:
        return len(self._indexed)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._indexed

    def bodies(self) -> int:
        """How many distinct bodies the LSH holds (what a query may return at most)."""
        return len(self._by_key)

    def match(self, hashes: Shingles, sketch: LeanMinHash | None) -> str | None:
        """The id of the original this body copies, or None. The candidate with the highest
        Jaccard (or containment) wins, ties to the one indexed first; the answer is that
        candidate's original."""
        if sketch is None:
            return None
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(sketch):
            body = self._by_key[key]
            jaccard, containment = overlap(hashes, body.hashes)
            if jaccard < COPY_JACCARD and containment < COPY_CONTAINMENT:
                continue
            found = self._indexed[body.ids[0][1]]  # the first present: `_trim` keeps it first
            rank = (-max(jaccard, containment), found.order, found.root)
            if best is None or rank < best:
                best = rank
        return None if best is None else best[2]

    def add(self, article_id: str, hashes: Shingles, sketch: LeanMinHash | None, root: str) -> None:
        """Index a body (no-op for a body too short to be matched, or an id already indexed)."""
        if sketch is None or article_id in self._indexed:
            return
        digest = hashes.tobytes()
        body = self._bodies.get(digest)
        if body is None:
            body = _Body(self._keys, hashes)
            self._keys += 1
            self._bodies[digest] = body
            self._by_key[body.key] = body
            self._lsh.insert(body.key, sketch, check_duplication=False)  # a new key
        body.ids.append((self._order, article_id))
        body.alive += 1
        self._indexed[article_id] = _Indexed(self._order, root, body)
        self._order += 1

    def remove(self, article_id: str) -> None:
        found = self._indexed.pop(article_id, None)
        if found is None:
            return
        body = found.body
        body.alive -= 1
        if body.alive == 0:
            self._lsh.remove(body.key)
            del self._by_key[body.key]
            del self._bodies[body.hashes.tobytes()]
            return
        self._trim(body)

    def _present(self, entry: tuple[int, str]) -> bool:
        found = self._indexed.get(entry[1])
        return found is not None and found.order == entry[0]

    def _trim(self, body: _Body) -> None:
        """Drop removed ids from the front (the first entry is then present) and, when removed
        ids make up most of the queue, from everywhere (memory stays proportional to `alive`)."""
        ids = body.ids
        while not self._present(ids[0]):
            ids.popleft()
        if len(ids) > 2 * body.alive + 16:
            body.ids = deque(entry for entry in ids if self._present(entry))
