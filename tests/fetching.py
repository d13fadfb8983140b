"""What the fetcher's test modules share (tests/test_fetch*.py): fast settings, one feed body, and
fetching a URL through a fresh FeedClient; the `connections` fixture (a pytest plugin,
tests/conftest.py) records every address the fetcher connects to."""

from __future__ import annotations

import asyncio
from typing import Any

import httpcore
import pytest

from core.ingest.fetch import FeedClient, FetchSettings
from core.models import FetchResult
from tests.fixtures_http import rss

FAST = FetchSettings(total_deadline=1.0, allow_private_networks=True)
BODY = rss([("a1", "Lavrov and Rubio meet", "Talks in Riyadh.")])


def fetch(url: str, settings: FetchSettings = FAST, **kwargs: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with FeedClient(settings) as client:
            return await client.fetch(url, **kwargs)

    return asyncio.run(go())


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address the fetcher actually opens a TCP connection to."""
    opened: list[str] = []
    original = httpcore.AnyIOBackend.connect_tcp

    async def spy(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        opened.append(host)
        return await original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", spy)
    return opened
