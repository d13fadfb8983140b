"""A seeded database for the dashboard tests: the demo corpus, one hostile article, two stories
with relations events, and feeds with a history of failures (so health, gaps and empty states
have something to show)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.analysis.analyzer import analyze
from core.ingest.demo import load_demo
from core.ingest.stories import StoryStep
from core.models import AnalyzedArticle, Article, FeedConfig
from core.storage import PollOutcome, Store

HOSTILE_TITLE = (
    '<script>alert("t")</script> <img src=x onerror=alert(1)> '
    "[link](javascript:alert(1)) :red[sanctions]"
)
HOSTILE_TEXT = (
    "![img](x) The Kremlin said Washington must lift sanctions. $$\\LaTeX$$ "
    "<b>bold</b> <iframe src=javascript:alert(2)></iframe> :red[red] **strong** "
    "The talks on New START were constructive."
)
PATH_TITLE = ".streamlit/secrets.toml"
FORMULA_TITLES = (
    '=HYPERLINK("http://evil.example/x","Kremlin sanctions")',
    "+1+cmd|' /C calc'!A0 Kremlin sanctions",
    "-2+3 Kremlin sanctions",
    "@SUM(1+1)*cmd|' /C calc'!A0 Kremlin sanctions",
)
"""Cells a spreadsheet would evaluate (OWASP CSV injection): every download must neutralise them."""
FORMULA_OUTLET = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_FEED = ("https://formula.example/feed", '=HYPERLINK("http://evil.example/feed")')
FORMULA_ERROR = '=HYPERLINK("http://evil.example/error")'
ANCIENT_YEARS = (1, 1000, 1600)
"""Publication years a lying feed gave (issue 13): before the dashboard's floor (2000-01-01)."""
ESTIMATED_UID = "estimated:1"


def hostile_articles() -> list[AnalyzedArticle]:
    when = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)
    items = []
    formulas = [
        (f"formula:{n}", title, "-1+2 The Kremlin said Washington must lift sanctions.")
        for n, title in enumerate(FORMULA_TITLES)
    ]
    for uid, title, text in (
        ("hostile:1", HOSTILE_TITLE, HOSTILE_TEXT),
        ("hostile:2", PATH_TITLE, PATH_TITLE),
        *formulas,
    ):
        formula = uid.startswith("formula:")
        article = Article(
            uid=uid,
            url="=1+2" if formula else "javascript:alert(3)",
            title=title,
            summary=text,
            content="",
            published=when,
            published_estimated=False,
            fetched=when,
            feed_url=FORMULA_FEED[0] if formula else "https://hostile.example/feed",
            outlet=FORMULA_OUTLET if formula else "Hostile Outlet",
            bloc="other",
        )
        items.append(AnalyzedArticle(article, analyze(article.title, article.body)))
    return items


def lying_date_articles() -> list[AnalyzedArticle]:
    """Relevant, themed articles dated years 1, 1000 and 1600, as an older database may hold,
    and one whose date ingest estimated (the feed gave none: the time first seen stands in)."""
    text = (
        "The Kremlin said Washington must lift sanctions before talks on New START. "
        "Russian and American diplomats met in Geneva."
    )
    seen = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    dated = [(f"ancient:{year}", datetime(year, 6, 1, 12, 0, tzinfo=UTC), False)
             for year in ANCIENT_YEARS]  # fmt: skip
    items = []
    for uid, when, estimated in [*dated, (ESTIMATED_UID, seen, True)]:
        article = Article(
            uid=uid,
            url=f"https://ancient.example/{uid}",
            title=f"Sanctions and arms control talks ({uid})",
            summary=text,
            content="",
            published=when,
            published_estimated=estimated,
            fetched=seen,
            feed_url="https://ancient.example/feed",
            outlet="Ancient Outlet",
            bloc="other",
        )
        items.append(AnalyzedArticle(article, analyze(article.title, article.body)))
    return items


RELATIONS_STORIES = (
    (
        "relations:expel",
        "Moscow expels two US diplomats in tit-for-tat move",
        "MOSCOW, Nov 10 (TASS) - Russia's Foreign Ministry ordered two US diplomats to leave the "
        "country within a week, in response to Washington's expulsion of Russian embassy staff "
        "last month. Foreign Ministry spokeswoman Maria Zakharova said the American envoys had "
        "engaged in activities incompatible with their status. The State Department condemned "
        "the decision and warned that it could close the Russian consulate in New York. Kremlin "
        "spokesman Dmitry Peskov said Moscow did not want a further escalation but would respond "
        "to any new sanctions.",
        datetime(2026, 11, 10, 9, 0, tzinfo=UTC),
        ("TASS", "russian-state", "https://tass.com/rss/v2.xml"),
    ),
    (
        "relations:swap",
        "US and Russia agree to prisoner swap, freeing American journalist",
        "WASHINGTON, Nov 12 (AP) - The United States and Russia agreed to a prisoner swap on "
        "Thursday, freeing an American journalist held in Moscow for more than a year. The "
        "exchange, brokered by the United Arab Emirates, took place at Abu Dhabi airport. "
        "Secretary of State Marco Rubio thanked Russian officials for their cooperation and said "
        "the two countries would hold talks on restoring embassy staffing. The Kremlin welcomed "
        "the deal as a step in the right direction, and Peskov said Moscow was ready to discuss "
        "extending New START.",
        datetime(2026, 11, 12, 15, 0, tzinfo=UTC),
        ("Associated Press", "wire", "https://apnews.example/rss"),
    ),
)
"""Wire-style stories with cooperation and conflict events between the two capitals (issue 9):
Moscow expels US diplomats (Russia → US, material conflict); the two sides agree to a prisoner
swap (mutual, material cooperation)."""
EXPEL_TITLE, SWAP_TITLE = (story[1] for story in RELATIONS_STORIES)


def relations_articles() -> list[AnalyzedArticle]:
    items = []
    for uid, title, text, when, (outlet, bloc, feed_url) in RELATIONS_STORIES:
        article = Article(
            uid=uid,
            url=f"https://news.example/{uid.replace(':', '-')}",
            title=title,
            summary=text,
            content="",
            published=when,
            fetched=when,
            feed_url=feed_url,
            outlet=outlet,
            bloc=bloc,
        )
        items.append(AnalyzedArticle(article, analyze(article.title, article.body)))
    return items


def copy_seeded(template: Path, path: Path) -> str:
    """A copy at `path` of a file `seed()` wrote (the fixture seeded_template of
    tests/fixtures_seed.py): the same database, without loading the demo corpus again."""
    if Path(f"{template}-wal").exists():  # Store.close checkpoints; a leftover WAL would be lost
        raise RuntimeError(f"{template} has a write-ahead log: copy it only once closed")
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def seed_lying_dates(template: Path, path: Path) -> str:
    """A copy of the seeded database plus `lying_date_articles()`."""
    url = copy_seeded(template, path)
    with Store.open(url) as store:
        store.save_articles(lying_date_articles())
    return url


def seed(path: Path) -> str:
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        load_demo(store)
        store.save_articles(hostile_articles())
        store.save_articles(relations_articles())
        StoryStep().run(store)  # the articles saved after the demo get their stories too
        store.sync_feeds(
            [
                FeedConfig("https://tass.com/rss/v2.xml", "TASS", "russian-state", "RU"),
                FeedConfig("https://www.rt.com/rss/news/", "RT", "russian-state", "RU"),
                FeedConfig(*FORMULA_FEED, "other", "US"),
            ]
        )
        feeds = {row.url: row for row in store.list_feeds()}
        start = datetime(2026, 9, 1, tzinfo=UTC)
        for day in range(4):
            at = start + timedelta(days=day)
            ok = day == 3
            store.record_poll(
                feeds["https://www.rt.com/rss/news/"].id,
                PollOutcome(
                    status=200 if ok else 503,
                    error=None if ok else "HTTP 503 Service Unavailable",
                    etag=None,
                    last_modified=None,
                    next_check_at=at + timedelta(hours=1),
                    articles=(),
                    not_modified=False,
                    at=at,
                ),
            )
        store.record_poll(
            feeds[FORMULA_FEED[0]].id,
            PollOutcome(
                status=None,
                error=FORMULA_ERROR,
                etag=None,
                last_modified=None,
                next_check_at=datetime.now(UTC),
                articles=(),
                not_modified=False,
                at=datetime.now(UTC),
            ),
        )
        store.record_poll(
            feeds["https://tass.com/rss/v2.xml"].id,
            PollOutcome(
                status=None,
                error="cannot resolve tass.com: Temporary failure in name resolution",
                etag=None,
                last_modified=None,
                next_check_at=datetime.now(UTC),
                articles=(),
                not_modified=False,
                at=datetime.now(UTC),
            ),
        )
    return url
