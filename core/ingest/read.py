"""The CPU-bound part of a feed refresh: response bytes → cleaned, analysed articles.

Kept apart from core.ingest.poller, and free of database and HTTP imports, because it runs in worker
processes: a spawned worker imports only parsing, cleaning and analysis (~50 ms, not ~500 ms).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
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

MAX_ERROR = 300
"""Longest exception message recorded against a feed."""


class StageError(Exception):
    """A feed's reading raised at one stage (parse, clean, analyze). It carries the stage, the
    original exception's class name and message as plain text, so it crosses back from a worker
    process by pickle whatever the original was; the poller records `str(error)` on the feed."""

    def __init__(self, stage: str, kind: str, message: str) -> None:
        super().__init__(stage, kind, message)
        self.stage, self.kind, self.message = stage, kind, message

    @classmethod
    def of(cls, stage: str, exc: BaseException) -> StageError:
        return cls(stage, type(exc).__name__, " ".join(str(exc).split())[:MAX_ERROR])

    def __str__(self) -> str:
        return f"{self.stage} failed: {self.kind}: {self.message}".rstrip(": ")


FAULT_ENV = "DETENTE_TEST_ONLY_FAULT"
"""TEST ONLY — fault injection for the chaos tests (tests/test_isolation.py); never set it in
production. "STAGE:ACTION:TEXT" rules, separated by ";", make STAGE ("parse", "clean" or
"analyze") fail for every feed whose URL contains TEXT: ACTION "raise" raises RuntimeError,
"exit" ends the worker process at once (a crash; in the poller's own process it raises)."""


def _injected_fault(stage: str, url: str) -> None:
    """Test only: fail `stage` for `url` when $DETENTE_TEST_ONLY_FAULT says so (see FAULT_ENV)."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    for rule in spec.split(";"):
        rule_stage, _, rest = rule.partition(":")
        action, _, text = rest.partition(":")
        if rule_stage.strip() != stage or not text or text not in url:
            continue
        if action == "exit" and multiprocessing.parent_process() is not None:
            os._exit(70)
        raise RuntimeError(f"injected {stage} fault (test only)")


def read_articles(
    source: Source, body: bytes, headers: dict[str, str], final_url: str, fetched: datetime
) -> Read:
    """Bytes → cleaned articles; a document that is not a feed is a problem for this feed only.
    An exception at any step comes out as a StageError naming the step."""
    try:
        _injected_fault("parse", source.url)
        parsed = parse_feed(body, headers, url=final_url)
    except Exception as exc:
        raise StageError.of("parse", exc) from None
    if parsed.error is not None and not parsed.entries:
        return [], None, parsed.error
    articles = []
    try:
        _injected_fault("clean", source.url)
        for entry in parsed.entries:
            article = clean_entry(
                entry, feed_url=source.url, outlet=source.outlet, bloc=source.bloc, fetched=fetched
            )
            if article is not None:
                articles.append(article)
    except Exception as exc:
        raise StageError.of("clean", exc) from None
    ttl = timedelta(minutes=parsed.ttl_minutes) if parsed.ttl_minutes else None
    return articles, ttl, None


def analyze_all(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    return [AnalyzedArticle(article, analyze(article.title, article.body)) for article in articles]


def read_and_analyze(
    source: Source, body: bytes, headers: dict[str, str], final_url: str, fetched: datetime
) -> tuple[list[AnalyzedArticle], timedelta | None, str | None]:
    """Parse, clean and analyse in one call: one trip to a worker process per feed. An exception
    at any step comes out as a StageError naming the step."""
    articles, ttl, problem = read_articles(source, body, headers, final_url, fetched)
    try:
        _injected_fault("analyze", source.url)
        return analyze_all(articles), ttl, problem
    except Exception as exc:
        raise StageError.of("analyze", exc) from None


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
