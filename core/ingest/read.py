"""The CPU-bound part of a feed refresh: response bytes → cleaned, analysed articles.

Kept apart from core.ingest.poller, and free of database and HTTP imports, because it runs in worker
processes: a spawned worker imports only parsing, cleaning and analysis (~50 ms, not ~500 ms).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.analysis.analyzer import analyze, default_analyzer
from core.ingest.clean import clean_entry, extract_main_text
from core.ingest.parse import parse_feed
from core.models import AnalyzedArticle, Article


@dataclass(frozen=True, slots=True)
class Source:
    """What a worker needs to know about the feed it reads."""

    url: str
    outlet: str
    bloc: str


Read = tuple[list[Article], timedelta | None, str | None]
"""Articles, the feed's own TTL, and the problem that made it unreadable (None when readable)."""


def read_articles(
    source: Source, body: bytes, headers: dict[str, str], final_url: str, fetched: datetime
) -> Read:
    """Bytes → cleaned articles; a document that is not a feed is a problem for this feed only."""
    parsed = parse_feed(body, headers, url=final_url)
    if parsed.error is not None and not parsed.entries:
        return [], None, parsed.error
    articles = []
    for entry in parsed.entries:
        article = clean_entry(
            entry, feed_url=source.url, outlet=source.outlet, bloc=source.bloc, fetched=fetched
        )
        if article is not None:
            articles.append(article)
    ttl = timedelta(minutes=parsed.ttl_minutes) if parsed.ttl_minutes else None
    return articles, ttl, None


def analyze_all(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    return [AnalyzedArticle(article, analyze(article.title, article.body)) for article in articles]


def read_and_analyze(
    source: Source, body: bytes, headers: dict[str, str], final_url: str, fetched: datetime
) -> tuple[list[AnalyzedArticle], timedelta | None, str | None]:
    """Parse, clean and analyse in one call: one trip to a worker process per feed."""
    articles, ttl, problem = read_articles(source, body, headers, final_url, fetched)
    return analyze_all(articles), ttl, problem


PAGE_ACCEPT = "text/html,application/xhtml+xml"
"""What --fulltext asks for when it fetches an article's page."""


def with_full_texts(
    pages: Sequence[tuple[Article, bytes, dict[str, str], str]],
) -> list[AnalyzedArticle | None]:
    """For each (article, page bytes, headers, final URL): the article with the page's main text,
    read again; None where the page has no main text (the first reading stands)."""
    read: list[AnalyzedArticle | None] = []
    for article, body, headers, url in pages:
        text = extract_main_text(body.decode(_charset(headers), errors="replace"), url)
        if text:
            article = dataclasses.replace(article, fulltext=text)
            read.append(AnalyzedArticle(article, analyze(article.title, article.body)))
        else:
            read.append(None)
    return read


def _charset(headers: dict[str, str]) -> str:
    found = re.search(r"charset=([\w-]+)", headers.get("content-type", ""), re.IGNORECASE)
    if found:
        try:
            "".encode(found.group(1))
        except LookupError:
            return "utf-8"
        return found.group(1)
    return "utf-8"


def warm_up() -> None:
    """Load the lexicons and models in a fresh worker while the first responses are awaited."""
    default_analyzer().analyze("Warm-up", "The Kremlin said talks with Washington went well.")
    # The Russian reader (pymorphy3's dictionaries, razdel) loads on its first Russian article.
    default_analyzer().analyze("Разминка", "Кремль заявил, что переговоры с Вашингтоном прошли.")
