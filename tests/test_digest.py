"""The worker-process half of a refresh (core/ingest/read.py): bytes in, analysed articles out, and
back to the poller by pickle."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest

from core.ingest.read import Source, read_and_analyze, read_articles
from core.models import ActorMention, AnalyzedArticle, SentenceTone, ThemeMatch
from tests.fixtures_http import FIXTURES, RSS_TYPE, rss

SOURCE = Source("https://example.org/feed", "Example", "wire")
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
HEADERS = {"content-type": RSS_TYPE}


def test_a_feed_becomes_analysed_articles() -> None:
    body = rss([("g1", "Lavrov and Rubio meet", "The Kremlin said sanctions on Washington...")])
    analysed, ttl, problem = read_and_analyze(SOURCE, body, HEADERS, SOURCE.url, NOW)
    assert problem is None and ttl is None
    [item] = analysed
    assert item.article.outlet == "Example" and item.article.feed_url == SOURCE.url
    assert "sanctions" in item.analysis.theme_names
    assert {m.actor for m in item.analysis.actors} >= {"Sergei Lavrov", "Marco Rubio"}


def test_a_document_that_is_not_a_feed_is_a_problem_not_an_exception() -> None:
    html = b"<!doctype html><html><body>Hello</body></html>"
    assert read_articles(SOURCE, html, {"content-type": "text/html"}, SOURCE.url, NOW) == (
        [],
        None,
        "not a feed: the server sent an HTML page",
    )


NEWS = rss(
    [
        (f"n{i}", f"Lavrov and Rubio meet, day {i}", "Kremlin spokesman Peskov said new US "
         "sanctions would not help. The State Department disagreed. Talks on New START stall.")
        for i in range(20)
    ]
)  # fmt: skip


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (NEWS, RSS_TYPE),
        ((FIXTURES / "large_rss.xml").read_bytes(), "application/xml"),
        ((FIXTURES / "large_atom.xml").read_bytes(), "application/xml"),
    ],
    ids=["news", "large_rss", "large_atom"],
)
def test_analysed_articles_survive_the_trip_back_by_pickle(body: bytes, content_type: str) -> None:
    """The evidence dataclasses pickle through their constructors (faster); the values must
    come back equal, field for field."""
    analysed, _, _ = read_and_analyze(SOURCE, body, {"content-type": content_type}, "", NOW)
    assert len(analysed) >= 20
    back: list[AnalyzedArticle] = pickle.loads(pickle.dumps(analysed, pickle.HIGHEST_PROTOCOL))
    assert back == analysed
    assert [type(item.analysis.themes) for item in back] == [tuple] * len(back)


def test_every_kind_of_evidence_comes_back_as_itself() -> None:
    analysed, _, _ = read_and_analyze(SOURCE, NEWS, HEADERS, "", NOW)
    back: list[AnalyzedArticle] = pickle.loads(pickle.dumps(analysed))
    evidence = [
        e
        for item in back
        for e in (*item.analysis.sentences, *item.analysis.themes, *item.analysis.actors)
    ]
    assert {type(e) for e in evidence} == {SentenceTone, ThemeMatch, ActorMention}
    assert back[0].analysis.actors == analysed[0].analysis.actors


LYING_DATES = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Dates</title>'
    + b"".join(
        b"<item><guid>d%d</guid><title>Lavrov and Rubio, take %d</title>"
        b"<description>The Kremlin said sanctions.</description><pubDate>%s</pubDate></item>"
        % (i, i, date)
        for i, date in enumerate(
            [
                b"Mon, 01 Jan 0001 00:00:00 GMT",
                b"Wed, 01 Jan 1000 00:00:00 GMT",
                b"Sat, 01 Mar 1600 00:00:00 GMT",
                b"Fri, 01 Jan 2100 00:00:00 GMT",
                b"Mon, 24 Nov 2026 08:00:00 GMT",
            ]
        )
    )
    + b"</channel></rss>"
)


def test_the_estimated_flag_survives_the_trip_back_by_pickle() -> None:
    """Issue 13, item 2: the flag set in cleaning comes back from a worker process as it left."""
    analysed, _, _ = read_and_analyze(SOURCE, LYING_DATES, HEADERS, SOURCE.url, NOW)
    flags = [item.article.published_estimated for item in analysed]
    assert flags == [True, True, True, True, False]
    assert [item.article.published for item in analysed[:4]] == [NOW] * 4
    back: list[AnalyzedArticle] = pickle.loads(pickle.dumps(analysed, pickle.HIGHEST_PROTOCOL))
    assert back == analysed
    assert [item.article.published_estimated for item in back] == flags
