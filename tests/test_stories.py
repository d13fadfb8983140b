"""Stories: syndicated copies, incremental clustering, summaries and blindspots (core/stories)."""

from __future__ import annotations

import ast
import json
import pickle
import random
import re
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from datasketch import MinHash

from bench.bench_stories import Labelled, evaluate, load_eval
from core.models import BLOCS, ActorMention, Analysis
from core.stories import (
    Assignment,
    StoryIndex,
    StoryInput,
    StoryMember,
    blindspots,
    is_copy,
    prepare,
    shingles,
    summarize,
)
from core.stories.clustering import WINDOW
from core.stories.copies import (
    _PERMUTATIONS,
    NUM_PERM,
    shingles_many,
    sketch_of,
    sketches_of,
    split_words,
    words_of,
)

EVAL = Path(__file__).parent / "data" / "stories_eval.jsonl"
T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)

WIRE = (
    "The United States and Russia will hold their first formal strategic stability talks in "
    "more than three years in Geneva on Thursday, officials on both sides said on Monday, as "
    "the expiry of the last treaty limiting their nuclear arsenals leaves a gap.\n\n"
    "The delegations will be led by Deputy Foreign Minister Sergei Ryabkov and the Under "
    "Secretary of State for Arms Control, a State Department spokesperson said. The talks are "
    "expected to cover deployed strategic warheads and notification of missile launches.\n\n"
    '"We are not expecting a breakthrough, but the fact that the experts are sitting down '
    'again matters," a senior U.S. official told reporters on condition of anonymity.'
)


def item(article_id: str, text: str, title: str = "A headline", **fields: object) -> StoryInput:
    values: dict[str, object] = {
        "published": T0,
        "outlet": "Reuters",
        "bloc": "wire",
    }
    values.update(fields)
    return StoryInput(article_id, title=title, text=text, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def labelled() -> list[Labelled]:
    return load_eval()


def by_id(rows: list[Labelled], *ids: str) -> list[StoryInput]:
    found = {row.item.article_id: row.item for row in rows}
    return [found[article_id] for article_id in ids]


# --- syndicated copy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Russia, US to meet in Geneva on nuclear arms", WIRE),
        ("A headline", "GENEVA, Nov 2 (Reuters) - " + WIRE),
        (
            "A headline",
            WIRE + "\n\nThe Moscow Times is an independent news outlet. Follow us on Telegram.",
        ),
        (
            "A headline",
            WIRE + "\n\nIndian refiners, which have become major buyers of discounted Russian "
            "crude, are watching the talks closely, industry sources said.",
        ),
        ("A headline", WIRE.rsplit("\n\n", 1)[0]),  # the last paragraph cut
    ],
    ids=["changed headline", "dateline", "boilerplate", "appended paragraph", "truncated"],
)
def test_a_syndicated_copy_is_a_copy_of_the_original_across_outlets(title: str, text: str) -> None:
    index = StoryIndex()
    original = index.add(item("reuters-1", WIRE, "U.S. and Russia agree to Geneva talks"))
    copy = index.add(
        item(
            "paper-1",
            text,
            title,
            outlet="The Times of India",
            bloc="other",
            published=T0 + timedelta(hours=1),
        )
    )
    assert original == Assignment("reuters-1")
    assert copy == Assignment("reuters-1", copy_of="reuters-1")


def test_a_copy_of_a_copy_points_at_the_earliest_original() -> None:
    index = StoryIndex()
    index.add(item("wire", WIRE))
    index.add(item("first", "MOSCOW (Reuters) - " + WIRE, published=T0 + timedelta(hours=1)))
    third = index.add(
        item("second", WIRE + "\n\nFollow us on Telegram.", published=T0 + timedelta(hours=2))
    )
    assert third.copy_of == "wire"


def test_two_reports_of_one_event_in_their_own_words_are_not_copies(
    labelled: list[Labelled],
) -> None:
    reuters, tass = by_id(labelled, "e01-reuters", "e01-tass")
    assert not is_copy(shingles(reuters.text), shingles(tass.text))
    index = StoryIndex()
    index.add(reuters)
    second = index.add(tass)
    assert second.copy_of is None
    assert second.story_id == "e01-reuters"


def test_short_texts_are_never_copies() -> None:
    index = StoryIndex()
    index.add(item("a", "Sanctions announced today."))
    assert (
        index.add(
            item("b", "Sanctions announced today.", published=T0 + timedelta(minutes=5))
        ).copy_of
        is None
    )


# --- stories ------------------------------------------------------------------------------------


def test_two_events_on_one_theme_the_same_day_are_two_stories(labelled: list[Labelled]) -> None:
    # E02: US Treasury sanctions on oil traders; E03: the EU's 20th package — both 3 November.
    rows = [r for r in labelled if r.event in {"E02", "E03"}]
    assert len({r.item.published.date() for r in rows}) == 1
    index = StoryIndex()
    stories: dict[str, set[str]] = {r.event: set() for r in rows}
    for row in rows:
        stories[row.event].add(index.add(row.item).story_id)
    assert len(stories["E02"]) == len(stories["E03"]) == 1
    assert stories["E02"] != stories["E03"]


def test_the_same_event_days_later_joins_its_story(labelled: list[Labelled]) -> None:
    index = StoryIndex()
    story = {row.item.article_id: index.add(row.item).story_id for row in labelled}
    start = by_id(labelled, "e04-ap")[0].published
    follow = by_id(labelled, "e04-cnn-followup")[0]
    assert follow.published - start >= timedelta(days=2)
    assert story["e04-cnn-followup"] == story["e04-guardian-followup"] == story["e04-ap"]
    assert story["e05-ria-followup"] == story["e05-meduza-followup"] == story["e05-reuters"]
    assert story["e15-ria-followup"] == story["e15-afp"]
    assert story["e18-guardian-followup"] == story["e18-tass"]
    assert story["e01-ap-followup"] == story["e01-ria-followup"] == story["e01-reuters"]


def test_an_article_past_the_window_starts_a_new_story() -> None:
    index = StoryIndex()
    index.add(item("old", WIRE))
    late = index.add(item("late", WIRE, published=T0 + WINDOW + timedelta(hours=1)))
    assert late == Assignment("late")
    assert index.story_of("old") is None  # the old story left the index


def test_a_story_takes_articles_only_within_its_span() -> None:
    # The same words every day chain day to day; past MAX_SPAN (7 days) from the story's
    # first article, a report starts a new story instead of joining one that never ends.
    index = StoryIndex()
    text = "Ryabkov Rubio Geneva delegation envoy ceasefire sanctions"  # too short to be a copy
    stories = [
        index.add(
            item(f"d{day}", text, title="Geneva talks", published=T0 + timedelta(days=day))
        ).story_id
        for day in range(10)
    ]
    assert stories == ["d0"] * 8 + ["d8", "d8"]


def test_the_labelled_set_meets_the_targets(labelled: list[Labelled]) -> None:
    scores = evaluate(labelled)
    assert scores["story_f1"] >= 0.85
    assert scores["copy_precision"] >= 0.95
    assert scores["copy_recall"] >= 0.9


def test_the_same_input_order_gives_the_same_assignments(labelled: list[Labelled]) -> None:
    first, second = StoryIndex(), StoryIndex()
    assert [first.add(r.item) for r in labelled] == [second.add(r.item) for r in labelled]


def test_the_order_of_feeds_within_a_round_does_not_matter(labelled: list[Labelled]) -> None:
    items = [r.item for r in labelled]
    # Rounds of a day each, as a poller would bring them; each round in a different order.
    rounds: dict[date, list[StoryInput]] = {}
    for article in items:
        rounds.setdefault(article.published.date(), []).append(article)
    results = []
    for seed in (1, 2, 3):
        rng = random.Random(seed)
        index = StoryIndex()
        assigned = {}
        for day in sorted(rounds):
            batch = rounds[day][:]
            rng.shuffle(batch)
            for article, assignment in index.add_round(batch):
                assigned[article.article_id] = assignment
        results.append(assigned)
    assert results[0] == results[1] == results[2]


def test_adding_an_article_twice_keeps_its_assignment(labelled: list[Labelled]) -> None:
    index = StoryIndex()
    reuters, tass = by_id(labelled, "e01-reuters", "e01-tass")
    index.add(reuters)
    assignment = index.add(tass)
    assert index.add(tass) == assignment
    assert len(index.members("e01-reuters")) == 2


def test_restore_rebuilds_the_live_state_after_a_restart(labelled: list[Labelled]) -> None:
    cut = next(
        i
        for i, r in enumerate(labelled)
        if r.item.published >= datetime.fromisoformat("2026-11-10T00:00:00+00:00")
    )
    running = StoryIndex()
    stored = [(r.item, running.add(r.item)) for r in labelled[:cut]]
    restarted = StoryIndex()
    live = set(running.live_stories())
    for article, assignment in stored:
        if assignment.story_id in live:
            restarted.restore(article, assignment)
    assert restarted.live_stories() == running.live_stories()
    for row in labelled[cut:]:
        assert restarted.add(row.item) == running.add(row.item)


# --- bad input ----------------------------------------------------------------------------------

CHINESE = [
    (
        "俄美举行会谈",
        "俄罗斯和美国外长在日内瓦举行会谈，双方讨论了战略稳定问题，并同意明年继续对话。",
    ),
    ("北京降雪", "北京迎来今冬首场降雪，气象部门提醒市民注意出行安全，部分航班延误。"),
    ("股市上涨", "上海证券交易所综合指数今天上涨百分之二，科技股表现强劲，成交量明显放大。"),
    (
        "新能源汽车销量",
        "今年前十个月新能源汽车销量同比增长三成，多家企业推出新车型，价格竞争激烈。",
    ),
    ("足球比赛结果", "在昨晚结束的联赛中，上海队客场二比一战胜北京队，继续领跑积分榜。"),
]
URDU = [
    (
        "لاہور میں بارش",
        "لاہور میں شدید بارش کے بعد کئی علاقوں میں پانی جمع ہو گیا ہے اور "
        "شہریوں کو مشکلات کا سامنا ہے۔ "
        "محکمہ موسمیات نے کہا ہے کہ اگلے دو دن تک بارش کا سلسلہ جاری رہے گا۔",
    ),
    (
        "کرکٹ ٹیم کی جیت",
        "قومی کرکٹ ٹیم نے آسٹریلیا کے خلاف دوسرا ون ڈے میچ پانچ وکٹوں سے جیت "
        "لیا ہے۔ "
        "کپتان نے کہا کہ کھلاڑیوں نے بہت اچھا کھیل پیش کیا اور یہ جیت پوری قوم "
        "کے نام ہے۔",
    ),
    (
        "روس اور امریکہ کے مذاکرات",
        "روس اور امریکہ کے وزرائے خارجہ نے جنیوا میں ملاقات کی ہے جس میں اسلحے "
        "کے کنٹرول پر بات چیت ہوئی۔ "
        "دونوں ممالک نے کہا ہے کہ مذاکرات کا اگلا دور اگلے سال ہو گا۔",
    ),
    (
        "پٹرول کی قیمت",
        "حکومت نے پٹرول کی قیمت میں دس روپے فی لیٹر اضافہ کر دیا ہے جس کا اطلاق "
        "آج رات سے ہو گا۔ "
        "وزارت خزانہ کے مطابق عالمی منڈی میں تیل مہنگا ہونے کی وجہ سے یہ فیصلہ "
        "کیا گیا ہے۔",
    ),
    (
        "اسکولوں میں چھٹیاں",
        "پنجاب حکومت نے سردی کی شدت کے باعث تمام سرکاری اور نجی اسکولوں میں دو "
        "ہفتے کی چھٹیوں کا اعلان کر دیا ہے۔ "
        "وزیر تعلیم نے کہا کہ بچوں کی صحت سب سے اہم ہے۔",
    ),
]


def _bad_inputs(labelled: list[Labelled]) -> list[StoryInput]:
    megabyte = ("Sanctions talks Moscow Washington " * 40_000)[: 1 << 20]
    odd = [
        ("", ""),
        ("Sanctions", ""),
        ("", "Sanctions"),
        ("   ", "\n\n\n"),
        ("Headline", megabyte),
    ]
    odd += CHINESE + URDU
    items = [r.item for r in labelled[:40]]
    for number, (title, text) in enumerate(odd):
        items.append(item(f"odd-{number}", text, title, published=T0 + timedelta(minutes=number)))
    return sorted(items, key=lambda article: (article.published, article.article_id))


def test_bad_input_never_crashes_nor_joins_everything(labelled: list[Labelled]) -> None:
    index = StoryIndex()
    assigned = {article.article_id: index.add(article) for article in _bad_inputs(labelled)}
    stories = Counter(assignment.story_id for assignment in assigned.values())
    assert len(stories) >= 15
    # A text in a language without stop words (Chinese) or with short function words (Urdu),
    # an empty or one-word article: each stays its own story.
    for number in range(len(CHINESE) + len(URDU) + 4):
        assert assigned[f"odd-{number}"].copy_of is None
        if number < 4 or number >= 5:
            assert stories[assigned[f"odd-{number}"].story_id] == 1


def test_naive_and_aware_times_mix_in_one_round() -> None:
    index = StoryIndex()
    naive = item("naive", WIRE, published=T0.replace(tzinfo=None) + timedelta(minutes=1))
    aware = item("aware", "MOSCOW (Reuters) - " + WIRE)
    assigned = index.add_round([naive, aware])
    assert [(a.article_id, b.copy_of) for a, b in assigned] == [("aware", None), ("naive", "aware")]


def test_a_megabyte_text_is_shingled_only_up_to_its_cap() -> None:
    assert len(shingles("word " * 500_000)) <= 1


def test_split_words_reads_the_words_the_regex_reads(labelled: list[Labelled]) -> None:
    # ASCII text is split by str.translate + str.split, other text by the regex: same words.
    texts = [row.item.text.lower() for row in labelled] + [row.item.title for row in labelled]
    texts += [
        "MOSCOW, Nov 3 (Reuters) - U.S.-Russia talks_resumed; 5,000 troops\t\x1chere\x7f!",
        "Lavrov’s “talks” — in Genève — 20 000 €, «Известия» сообщают",
        "",
        " \n ",
        "_ __ a_b",
    ]
    for text in texts:
        assert split_words(text) == re.findall(r"\w+", text), text


def test_the_vectorised_sketch_equals_datasketchs_per_shingle_update(
    labelled: list[Labelled],
) -> None:
    # sketches_of applies datasketch's pre-mix and permutations to many shingle sets at once;
    # each sketch must be the one a MinHash updated shingle by shingle with the same
    # permutations gives, and the batch of shingles the one computed text by text.
    texts = [row.item.text for row in labelled[:20]] + ["too short", ""]
    batch = shingles_many([words_of(text) for text in texts])
    assert [found.tolist() for found in batch] == [shingles(text).tolist() for text in texts]
    sketches = sketches_of(batch)
    assert sketches[-2:] == [None, None]
    for hashes, batched in zip(batch[:-2], sketches, strict=False):
        reference = MinHash(
            num_perm=NUM_PERM, permutations=_PERMUTATIONS, hashfunc=int, scheme="affine32"
        )
        for value in hashes.tolist():
            reference.update(value)
        sketch = sketch_of(hashes)
        assert sketch is not None and batched is not None
        assert sketch.hashvalues.tolist() == reference.hashvalues.tolist()
        assert batched.hashvalues.tolist() == reference.hashvalues.tolist()
        assert pickle.loads(pickle.dumps(sketch)) == sketch


# --- summaries and blindspots -------------------------------------------------------------------


def _analysis(tone: float | None, themes: tuple[str, ...], actors: tuple[str, ...]) -> Analysis:
    return Analysis(
        tone=tone,
        tone_label="neutral",
        sentences=(),
        themes=(),
        theme_names=themes,
        actors=tuple(ActorMention(a, "us", 0, 1) for a in actors),
        relevance=1.0,
        relevant=True,
        lang="en",
        lexicon_version="t",
        analyzer_version="t",
    )


def test_a_story_summary_counts_copies_apart_and_frames_each_bloc(labelled: list[Labelled]) -> None:
    index = StoryIndex()
    rows = [r for r in labelled if r.event == "E01"]
    readings = {
        "russian-state": _analysis(0.2, ("Arms control", "Diplomacy"), ("Sergei Ryabkov",)),
        "us": _analysis(-0.3, ("Arms control",), ("Donald Trump",)),
    }
    for row in rows:
        article = row.item
        reading = readings.get(article.bloc)
        index.add(
            StoryInput(
                article.article_id,
                article.published,
                article.outlet,
                article.bloc,
                article.title,
                article.text,
                reading,
                relations=1.5 if reading else None,
            )
        )
    summary = index.summary("e01-reuters")
    assert summary is not None
    gold_copies = sum(1 for r in rows if r.copy_of)
    assert summary.articles == len(rows) - 1  # e01-nyt is missed: its own story (see docs)
    assert summary.reports == summary.articles - gold_copies
    assert summary.first_seen == rows[0].item.published
    assert summary.blocs == tuple(b for b in BLOCS if b in summary.blocs)
    state = next(c for c in summary.by_bloc if c.bloc == "russian-state")
    assert (state.articles, state.reports, state.outlets) == (
        3,
        2,
        ("RIA Novosti", "Sputnik", "TASS"),
    )
    assert state.mean_tone == pytest.approx(0.2)
    assert state.mean_relations == pytest.approx(1.5)
    assert state.themes == ("Arms control", "Diplomacy")
    assert state.actors == ("Sergei Ryabkov",)
    wire = next(c for c in summary.by_bloc if c.bloc == "wire")
    assert wire.mean_tone is None and wire.themes == ()
    assert "Geneva" in summary.headline


def _member(number: int, bloc: str, themes: tuple[str, ...] = ("Sanctions",)) -> StoryMember:
    return StoryMember(
        f"a{number}",
        T0 + timedelta(hours=number),
        f"Outlet {number}",
        bloc,
        f"Title {number}",
        themes=themes,
    )


def test_a_story_covered_by_one_bloc_only_is_a_blindspot() -> None:
    summary = summarize("s", [_member(n, "russian-state") for n in range(3)])
    spots = blindspots(summary, {})
    assert [(s.kind, s.message) for s in spots] == [("only", "covered only by Russian state media")]


def test_a_bloc_silent_on_a_story_of_a_theme_it_covers_is_a_blindspot() -> None:
    summary = summarize("s", [_member(0, "us"), _member(1, "european"), _member(2, "wire")])
    coverage = {
        "russian-state": {"Sanctions": 12},
        "russian-independent": {"Sanctions": 6},
        "ukrainian": {"Sanctions": 2},  # below MIN_THEME_ARTICLES: not active on the theme
    }
    spots = blindspots(summary, coverage)
    assert [(s.kind, s.blocs, s.message) for s in spots] == [
        ("missing", ("russian-state", "russian-independent"), "no Russian outlet reported it")
    ]
    coverage["russian-independent"] = {"Cyber": 9}
    assert [s.message for s in blindspots(summary, coverage)] == [
        "no Russian state outlet reported it"
    ]


def test_a_small_story_is_never_a_blindspot() -> None:
    summary = summarize("s", [_member(0, "russian-state"), _member(1, "russian-state")])
    assert blindspots(summary, {"us": {"Sanctions": 50}}) == ()


def test_an_empty_story_summarises() -> None:
    summary = summarize("s", [])
    assert (summary.articles, summary.headline, summary.by_bloc) == (0, "", ())


# --- the labelled set ---------------------------------------------------------------------------


def test_the_labelled_set_is_what_the_issue_asks_for() -> None:
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]
    ids = {row["id"] for row in rows}
    assert len(rows) >= 120 and len(ids) == len(rows)
    events = Counter(row["event"] for row in rows)
    assert len(events) >= 25
    for row in rows:
        assert set(row) == {
            "id",
            "outlet",
            "bloc",
            "published",
            "title",
            "text",
            "event",
            "copy_of",
        }
        assert row["bloc"] in BLOCS and row["title"] and row["text"]
        datetime.fromisoformat(row["published"])
        if row["copy_of"]:
            original = next(o for o in rows if o["id"] == row["copy_of"])
            assert original["copy_of"] is None and original["event"] == row["event"]
            assert original["published"] <= row["published"]
    copies = [row for row in rows if row["copy_of"]]
    assert len({row["outlet"] for row in copies}) >= 10
    assert {row["bloc"] for row in rows} >= set(BLOCS) - {"other"} | {"other"}
    # Same-day stories on one theme, and follow-ups two days or more after an event began.
    first = {e: min(r["published"] for r in rows if r["event"] == e) for e in events}
    last = {e: max(r["published"] for r in rows if r["event"] == e) for e in events}
    later = [
        e
        for e in events
        if datetime.fromisoformat(last[e]) - datetime.fromisoformat(first[e]) >= timedelta(days=2)
    ]
    assert len(later) >= 5


def test_an_outlets_boilerplate_does_not_make_its_articles_copies(labelled: list[Labelled]) -> None:
    boilerplate = "\n\nFollow RT on Telegram for the latest news. Share this story on social media."
    first, second = by_id(labelled, "e02-rt", "e06-rt")
    index = StoryIndex()
    index.add(replace(first, text=first.text + boilerplate))
    assert index.add(replace(second, text=second.text + boilerplate)).copy_of is None


def test_the_stories_stage_imports_no_storage_http_or_streamlit() -> None:
    allowed = ("core.models", "core.analysis", "core.stories", "numpy", "datasketch")
    for path in (Path(__file__).parent.parent / "core" / "stories").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert name.startswith(allowed) or top in sys.stdlib_module_names, (path, name)


def test_prepared_input_from_a_worker_gives_the_same_assignments(labelled: list[Labelled]) -> None:
    plain, prepared = StoryIndex(), StoryIndex()
    for row in labelled:
        article = row.item
        # As a worker process would send it: pickled and unpickled.
        ready = pickle.loads(pickle.dumps(prepare(article.title, article.text)))
        assert prepared.add(replace(article, prepared=ready)) == plain.add(article)
