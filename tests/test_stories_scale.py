"""The stories step's cost does not grow with a story's size, and its answers stay those of
the plain rule (core/stories/copies.py, core/storage/story_store.py)."""

from __future__ import annotations

import random
from collections import Counter

import pandas as pd
import pytest
from datasketch import MinHashLSH

from bench.bench_stories import Labelled, load_eval
from core.ingest.stories import StoryStep, rebuild
from core.storage import Store
from core.stories.copies import (
    COPY_CONTAINMENT,
    COPY_JACCARD,
    LSH_BANDS,
    NUM_PERM,
    CopyDetector,
    Shingles,
    _BandedLSH,
    overlap,
    shingles,
    sketch_of,
)
from tests.test_store_stories import ALL, stored

SENTENCES = [
    "Kremlin spokesperson Dmitry Peskov said Moscow was ready for talks with Washington.",
    "The Treasury announced new sanctions on Russian banks on Tuesday.",
    "Officials said the ceasefire proposal remained under discussion.",
    "Analysts warned that the New START limits could lapse next year.",
    "The State Department called the detention of the journalist unjustified.",
    "Follow us on Telegram for the latest updates from the region.",
]


@pytest.fixture(scope="module")
def labelled() -> list[Labelled]:
    return load_eval()


def _reference(present: dict[str, tuple[int, str, Shingles]], hashes: Shingles) -> str | None:
    """The copy rule over every present id, without LSH nor grouping."""
    best: tuple[float, int, str] | None = None
    for order, root, other in present.values():
        jaccard, containment = overlap(hashes, other)
        if jaccard < COPY_JACCARD and containment < COPY_CONTAINMENT:
            continue
        rank = (-max(jaccard, containment), order, root)
        if best is None or rank < best:
            best = rank
    return None if best is None else best[2]


def test_identical_bodies_share_one_entry_and_answer_as_if_each_were_indexed() -> None:
    rng = random.Random(3)
    detector = CopyDetector()
    present: dict[str, tuple[int, str, Shingles]] = {}
    order = 0
    for step in range(600):
        picked = rng.sample(range(len(SENTENCES)), rng.choice((2, 3)))
        hashes = shingles(" ".join(SENTENCES[i] for i in sorted(picked)))
        sketch = sketch_of(hashes)
        if sketch is not None:
            assert detector.match(hashes, sketch) == _reference(present, hashes)
        root = detector.match(hashes, sketch) or f"a{step}"
        detector.add(f"a{step}", hashes, sketch, root)
        if sketch is not None:
            present[f"a{step}"] = (order, root, hashes)
            order += 1
        if present and rng.random() < 0.4:  # removals out of order, as expiry may do
            gone = rng.choice(sorted(present))
            detector.remove(gone)
            del present[gone]
    assert len(detector) == len(present)
    distinct = {value[2].tobytes() for value in present.values()}
    assert detector.bodies() == len(distinct)


def test_the_band_keys_are_datasketchs_and_answer_as_its_query_does() -> None:
    # _BandedLSH computes each sketch's band keys once, then queries and inserts with them
    # through the index's own storage: the keys must be those MinHashLSH computes itself, and
    # the answers those of its `query` (a datasketch release that changed either fails here).
    lsh = _BandedLSH(num_perm=NUM_PERM, params=(LSH_BANDS, NUM_PERM // LSH_BANDS))
    own = _BandedLSH(num_perm=NUM_PERM, params=(LSH_BANDS, NUM_PERM // LSH_BANDS))
    rng = random.Random(4)
    texts = [" ".join(rng.choices(SENTENCES, k=rng.randint(2, 8))) for _ in range(200)]
    sketches = [sketch_of(shingles(text)) for text in texts]
    for key, sketch in enumerate(sketches):
        assert sketch is not None
        bands = lsh.bands(sketch)
        assert bands == [lsh._H(sketch.hashvalues[a:b]) for a, b in lsh.hashranges]
        assert lsh.query_bands(bands) == set(lsh.query(sketch))
        if key % 3:
            lsh.insert_bands(key, bands)
            own.insert(key, sketch)  # datasketch's own insert, into the same band tables
    for key in range(0, 200, 5):
        if key % 3:
            lsh.remove(key)  # _BandedLSH's removal
            MinHashLSH.remove(own, key)  # datasketch's own, from the stored keys
    assert [t._dict for t in lsh.hashtables] == [t._dict for t in own.hashtables]
    assert lsh.keys._dict == own.keys._dict
    shared = 0
    for sketch in sketches:
        assert sketch is not None
        found = lsh.query_bands(lsh.bands(sketch))
        assert found == set(lsh.query(sketch)) == set(own.query(sketch))
        shared += len(found) > 1
    assert shared  # band keys shared by several bodies (a set in the band table) were met


def test_a_thousand_republications_of_one_text_are_one_candidate() -> None:
    detector = CopyDetector()
    hashes = shingles(" ".join(SENTENCES[:2]))
    sketch = sketch_of(hashes)
    detector.add("first", hashes, sketch, "first")
    for number in range(1_000):
        assert detector.match(hashes, sketch) == "first"
        detector.add(f"copy{number}", hashes, sketch, "first")
    assert detector.bodies() == 1
    detector.remove("first")  # the next republication becomes the one matched, as before
    assert detector.match(hashes, sketch) == "first"  # its root
    detector.add("late", hashes, sketch, "late")
    for number in range(1_000):
        detector.remove(f"copy{number}")
    assert detector.match(hashes, sketch) == "late"
    assert detector.bodies() == 1
    detector.remove("late")
    assert detector.bodies() == 0
    assert detector.match(hashes, sketch) is None


def test_a_story_stored_over_many_rounds_reads_as_a_rebuild_does(
    fresh_db: Store, labelled: list[Labelled]
) -> None:
    """Stories touched round after round (each round rewrites its touched stories' rows) are
    stored as one `rebuild` over every article stores them (SQLite and PostgreSQL)."""
    rows = sorted(labelled, key=lambda row: (row.item.published, row.item.article_id))
    step = StoryStep(first_window_only=False)
    touched: Counter[int] = Counter()
    size = len(rows) // 8 + 1
    for start in range(0, len(rows), size):
        fresh_db.save_articles([stored(row) for row in rows[start : start + size]])
        step.run(fresh_db)
        for story_id in fresh_db.list_stories(ALL, limit=10_000)["id"]:
            touched[int(story_id)] += 1
    assert max(touched.values()) > 1
    by_rounds = fresh_db.list_stories(ALL, limit=10_000).sort_values("id", ignore_index=True)
    rebuild(fresh_db)
    rebuilt = fresh_db.list_stories(ALL, limit=10_000).sort_values("id", ignore_index=True)
    assert len(by_rounds) > 20
    pd.testing.assert_frame_equal(by_rounds, rebuilt)
