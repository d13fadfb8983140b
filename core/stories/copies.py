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
import zlib
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from datasketch import LeanMinHash, MinHash, MinHashLSH
from datasketch.minhash import _fmix
from datasketch.storage import UnorderedStorage

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
_SEED = 1
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme="affine32").permutations

Shingles = npt.NDArray[np.uint32]


_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128) if not _WORD.match(chr(c))})
"""Every ASCII character that is no word character (`\\w`), to a space."""


def words_of(text: str) -> list[str]:
    """The lower-cased words of the text's first MAX_CHARS characters: what `shingles` reads,
    and what the story vector takes its lead from (core/stories/clustering.py), read once."""
    return split_words(text[:MAX_CHARS].lower())


def split_words(text: str) -> list[str]:
    """`re.findall(r"\\w+", text)`. An ASCII text (most English copy) is split on its ASCII
    non-word characters turned to spaces instead, the same words at 0.6x the regex's cost
    (tests/test_stories.py checks both ways agree)."""
    if text.isascii():
        return text.translate(_ASCII_SPACES).split()
    return _WORD.findall(text)


def shingles(text: str) -> Shingles:
    """The sorted, unique 32-bit hashes of the text's 5-word shingles (lower-cased words)."""
    return shingles_of(words_of(text))


def shingles_of(words: list[str]) -> Shingles:
    """`shingles` from the text's words (`words_of`)."""
    return shingles_many([words])[0]


def shingles_many(texts: Sequence[list[str]]) -> list[Shingles]:
    """`shingles_of` for each word list, computed over all of them at once.

    Words are hashed with CRC-32 (stable across processes, unlike `hash`; memoised, since news
    repeats its words), and a shingle's hash mixes its five word hashes; a text shorter than
    five words has no shingle. The word hashes of all the texts go into one array and are mixed
    in one pass (a window that straddles two texts is dropped): numpy's per-call overhead is
    paid once per poll round, not once per article. Each set is then sorted and its repeats
    dropped by comparing neighbours (what `np.unique` does, without its overhead on arrays of a
    hundred values)."""
    empty = np.empty(0, dtype=np.uint32)
    found: list[Shingles] = [empty] * len(texts)
    spans: list[tuple[int, int, int]] = []  # (text, first word, shingle count)
    hashes: list[int] = []
    for position, words in enumerate(texts):
        if len(words) >= SHINGLE_WORDS:
            spans.append((position, len(hashes), len(words) - SHINGLE_WORDS + 1))
            hashes += _word_hashes(words)
    if not spans:
        return found
    hashed = np.array(hashes, dtype=np.uint64)
    count = len(hashed) - SHINGLE_WORDS + 1
    mixed = hashed[:count].copy()
    for offset in range(1, SHINGLE_WORDS):
        mixed *= _MIX
        mixed ^= hashed[offset : offset + count]
    low = mixed.astype(np.uint32)  # the low 32 bits
    for position, first, shingles_count in spans:
        own = np.sort(low[first : first + shingles_count])
        repeated = own[1:] == own[:-1]
        found[position] = own[np.concatenate(([True], ~repeated))] if repeated.any() else own
    return found


_CRC: dict[str, int] = {}
_CRC_LIMIT = 200_000


def _word_hashes(words: list[str]) -> list[int]:
    """The CRC-32 of each word's UTF-8 bytes, memoised (at most _CRC_LIMIT words)."""
    found: list[int | None] = list(map(_CRC.get, words))
    if None in found:
        crc, memo, room = zlib.crc32, _CRC, len(_CRC) < _CRC_LIMIT
        for position, value in enumerate(found):
            if value is None:
                word = words[position]
                value = found[position] = crc(word.encode())
                if room:
                    memo[word] = value
    return found  # type: ignore[return-value]  # no None is left


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


def sketch_of(hashes: Shingles) -> LeanMinHash | None:
    """The MinHash of a shingle set, or None when it is too short to be matched or indexed."""
    return sketches_of([hashes])[0]


_SKETCH_CHUNK = 4_096
"""Shingles permuted per numpy pass (a pass holds NUM_PERM 32-bit values per shingle: 4,096
shingles of 32 permutations are 512 KiB, which stays in the CPU cache; larger passes were
slower)."""


def sketches_of(sets: Sequence[Shingles]) -> list[LeanMinHash | None]:
    """`sketch_of` for each shingle set, computed over all of them at once.

    The shingles are 32-bit hashes already, so a MinHash of datasketch's "affine32" scheme over
    them is its MurmurHash3 pre-mix (datasketch's `_fmix`) and its NUM_PERM permutations
    a·h + b (mod 2³²) applied to every shingle, and the minimum per permutation. That is done
    here for the shingles of a whole poll round in a few numpy passes (the minimum per set by
    `np.minimum.reduceat`), with datasketch's own permutations (`_PERMUTATIONS`, seed 1), and
    each result is frozen as a LeanMinHash: the hash values are those of a MinHash updated
    shingle by shingle (tests/test_stories.py checks it), at a fraction of one
    `MinHash.update_batch` call per article."""
    found: list[LeanMinHash | None] = [None] * len(sets)
    kept = [position for position, hashes in enumerate(sets) if len(hashes) >= MIN_SHINGLES]
    a, b = _PERMUTATIONS
    start = 0
    while start < len(kept):
        end, size = start, 0
        while end < len(kept) and (end == start or size + len(sets[kept[end]]) <= _SKETCH_CHUNK):
            size += len(sets[kept[end]])
            end += 1
        group = kept[start:end]
        values = _fmix(np.concatenate([sets[position] for position in group]), 32)
        permuted = values[:, np.newaxis] * a
        permuted += b
        offsets = np.cumsum([0] + [len(sets[position]) for position in group[:-1]])
        minima = np.minimum.reduceat(permuted, offsets, axis=0)
        for position, row in zip(group, minima, strict=True):
            found[position] = LeanMinHash(seed=_SEED, hashvalues=row, scheme="affine32")
        start = end
    return found


Bands = list[bytes]
"""A sketch's LSH band keys, the keys datasketch's MinHashLSH files it under (`_BandedLSH`)."""


class _BandTable(UnorderedStorage):  # type: ignore[misc]  # datasketch has no type hints
    """One band's table of the LSH, datasketch's storage interface (`UnorderedStorage`) over a
    dict that holds a band key's one body key as itself and a set only once two bodies share
    the band key. datasketch's own dict storage keeps a set per band key: sixteen sets per
    body, most holding one key, were most of the objects the index keeps, and the garbage
    collector walked each of them before it reached its oldest generation."""

    def __init__(self) -> None:
        self._dict: dict[bytes, int | set[int]] = {}

    def keys(self) -> Iterable[bytes]:
        return self._dict.keys()

    def get(self, key: bytes) -> Collection[int]:
        found = self._dict.get(key)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found

    def insert(self, key: bytes, *vals: int, **kwargs: object) -> None:
        for val in vals:
            found = self._dict.get(key)
            if found is None:
                self._dict[key] = val
            elif isinstance(found, int):
                if found != val:
                    self._dict[key] = {found, val}
            else:
                found.add(val)

    def remove(self, *keys: bytes, **kwargs: object) -> None:
        for key in keys:
            self._dict.pop(key, None)

    def remove_val(self, key: bytes, val: int, **kwargs: object) -> None:
        found = self._dict[key]
        if isinstance(found, int):
            if found != val:
                raise KeyError(val)
            del self._dict[key]
            return
        found.remove(val)
        if len(found) == 1:
            self._dict[key] = next(iter(found))

    def size(self) -> int:
        return len(self._dict)

    def itemcounts(self, **kwargs: object) -> dict[bytes, int]:
        return {key: len(self.get(key)) for key in self._dict}

    def has_key(self, key: bytes) -> bool:
        return key in self._dict


class _BandedLSH(MinHashLSH):  # type: ignore[misc]  # datasketch has no type hints
    """datasketch's MinHashLSH, its band keys computed once per sketch instead of twice.

    `MinHashLSH.query` and `insert` each turn every band of the sketch into its key (a numpy
    byteswap and a copy to bytes per band: 15 µs a sketch), and a new body is queried, then
    inserted. Here the keys are computed once, with one byteswap of the whole sketch sliced
    into bands (the same bytes: tests/test_stories_scale.py checks them against the index's
    own key function and the answers against `query`), and used for the query and the insert,
    which go through the index's own storage (`hashtables`, `keys`), so `remove` and the
    stored state are datasketch's. Its band tables are `_BandTable`s."""

    def __init__(self, num_perm: int, params: tuple[int, int]) -> None:
        super().__init__(num_perm=num_perm, params=params)
        self.hashtables = [_BandTable() for _ in range(self.b)]

    def bands(self, sketch: LeanMinHash) -> Bands:
        blob = sketch.hashvalues.byteswap().tobytes()
        width = len(blob) // self.h * self.r
        return [blob[start : start + width] for start in range(0, width * self.b, width)]

    def query_bands(self, bands: Bands) -> set[int]:
        """The keys sharing a band with the sketch of these band keys (`query`)."""
        found: set[int] = set()
        for band, table in zip(bands, self.hashtables, strict=True):
            found.update(table.get(band))
        return found

    def insert_bands(self, key: int, bands: Bands) -> None:
        """`insert(key, sketch, check_duplication=False)` from the sketch's band keys."""
        self.keys.insert(key, *bands)
        for band, table in zip(bands, self.hashtables, strict=True):
            table.insert(band, key)

    def remove(self, key: int) -> None:
        """`MinHashLSH.remove` without its per-band `get` and `remove`: a `_BandTable` drops a
        band key itself once its last body leaves (`remove_val`). A key not indexed raises
        ValueError, as there (no band keys for `zip`)."""
        for band, table in zip(self.keys.get(key), self.hashtables, strict=True):
            table.remove_val(band, key)
        self.keys.remove(key)


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
        self._lsh = _BandedLSH(num_perm=NUM_PERM, params=(LSH_BANDS, NUM_PERM // LSH_BANDS))
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

    def bands(self, sketch: LeanMinHash | None) -> Bands | None:
        """The sketch's band keys, for `match` and `add` (None without a sketch)."""
        return None if sketch is None else self._lsh.bands(sketch)

    def match(
        self, hashes: Shingles, sketch: LeanMinHash | None, bands: Bands | None = None
    ) -> str | None:
        """The id of the original this body copies, or None. The candidate with the highest
        Jaccard (or containment) wins, ties to the one indexed first; the answer is that
        candidate's original. `bands` is `bands(sketch)` when the caller has it already."""
        if sketch is None:
            return None
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query_bands(bands or self._lsh.bands(sketch)):
            body = self._by_key[key]
            jaccard, containment = overlap(hashes, body.hashes)
            if jaccard < COPY_JACCARD and containment < COPY_CONTAINMENT:
                continue
            found = self._indexed[body.ids[0][1]]  # the first present: `_trim` keeps it first
            rank = (-max(jaccard, containment), found.order, found.root)
            if best is None or rank < best:
                best = rank
        return None if best is None else best[2]

    def add(
        self,
        article_id: str,
        hashes: Shingles,
        sketch: LeanMinHash | None,
        root: str,
        bands: Bands | None = None,
    ) -> None:
        """Index a body (no-op for a body too short to be matched, or an id already indexed);
        `bands` as in `match`."""
        if sketch is None or article_id in self._indexed:
            return
        digest = hashes.tobytes()
        body = self._bodies.get(digest)
        if body is None:
            body = _Body(self._keys, hashes)
            self._keys += 1
            self._bodies[digest] = body
            self._by_key[body.key] = body
            self._lsh.insert_bands(body.key, bands or self._lsh.bands(sketch))  # a new key
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
