"""Russian feeds whose labels lie: the real KOI8-R and windows-1251 fixtures served from loopback
with a wrong charset (in the Content-Type header, in the XML prolog, or both), UTF-8 Russian
labelled as a Cyrillic single-byte encoding, and a Russian feed configured as English."""

from __future__ import annotations

import asyncio

import pytest

from core.analysis.analyzer import analyze
from core.ingest.fetch import FeedClient, FetchSettings
from core.ingest.parse import guess_single_byte, parse_feed
from core.models import ParsedFeed
from tests.fixtures_http import FIXTURES, FeedServer, Route, expected_fixtures

EXPECTED = {row["file"]: row for row in expected_fixtures()}
TRUE_CHARSET = {"koi8r.xml": "KOI8-R", "encoding_WINDOWS-1251.xml": "windows-1251"}


def _fetch_and_parse(url: str) -> ParsedFeed:
    async def run() -> ParsedFeed:
        settings = FetchSettings(total_deadline=5.0, allow_private_networks=True)
        async with FeedClient(settings) as client:
            result = await client.fetch(url)
            assert result.error is None, result.error
            return parse_feed(result.body, result.headers, url=result.final_url)

    return asyncio.run(run())


def _check(parsed: ParsedFeed, name: str) -> None:
    row = EXPECTED[name]
    assert parsed.error is None, parsed.error
    assert len(parsed.entries) == int(row["entries"])
    assert parsed.title == row["feed_title"]
    assert parsed.entries[0].title == row["first_entry_title"]


def _prolog_says_utf8(name: str) -> bytes:
    body = (FIXTURES / name).read_bytes()
    label = TRUE_CHARSET[name].encode()
    head, rest = body[:100], body[100:]
    assert label in head
    return head.replace(label, b"UTF-8", 1) + rest


@pytest.mark.parametrize("lie", ["utf-8", "iso-8859-1", "windows-1252", "no-such-charset"])
@pytest.mark.parametrize("name", sorted(TRUE_CHARSET))
def test_a_cyrillic_feed_served_with_a_wrong_header_charset_reads_correctly(
    feed_server: FeedServer, name: str, lie: str
) -> None:
    route = Route(
        body=(FIXTURES / name).read_bytes(),
        headers={"Content-Type": f"application/rss+xml; charset={lie}"},
    )
    _check(_fetch_and_parse(feed_server.add("/" + name, route)), name)


@pytest.mark.parametrize("header", ["", "; charset=utf-8"], ids=["no-charset", "charset-utf-8"])
@pytest.mark.parametrize("name", sorted(TRUE_CHARSET))
def test_a_cyrillic_feed_whose_prolog_says_utf8_reads_correctly(
    feed_server: FeedServer, name: str, header: str
) -> None:
    route = Route(
        body=_prolog_says_utf8(name), headers={"Content-Type": f"application/xml{header}"}
    )
    _check(_fetch_and_parse(feed_server.add("/" + name, route)), name)


@pytest.mark.parametrize("label", ["KOI8-R", "windows-1251"])
def test_utf8_russian_labelled_as_a_cyrillic_single_byte_encoding_reads_as_utf8(
    feed_server: FeedServer, label: str
) -> None:
    body = (
        f'<?xml version="1.0" encoding="{label}"?><rss version="2.0"><channel>'
        "<title>Новости: Россия и США</title><link>https://example.org/</link>"
        "<item><guid>1</guid><title>Лавров и Рубио провели переговоры</title>"
        "<link>https://example.org/1</link></item></channel></rss>"
    ).encode()
    route = Route(body=body, headers={"Content-Type": f"text/xml; charset={label}"})
    parsed = _fetch_and_parse(feed_server.add("/utf8.xml", route))
    assert parsed.title == "Новости: Россия и США"
    assert parsed.entries[0].title == "Лавров и Рубио провели переговоры"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("koi8_r", "koi8_r"), ("cp1251", "cp1251"), ("cp1252", "cp1252")],
)
def test_unlabelled_single_byte_text_is_guessed(encoding: str, expected: str) -> None:
    text = (
        "Пресс-секретарь президента России заявил, что Москва готова к переговорам с Вашингтоном."
        if encoding != "cp1252"
        else "Le ministre a déclaré que les négociations reprendraient à Genève en décembre."
    )
    assert guess_single_byte(text.encode(encoding)) == expected


def test_a_russian_article_from_a_feed_configured_as_english_is_read_as_russian() -> None:
    # The feed's configured language plays no part: the analyzer detects the language.
    analysis = analyze(
        "Лавров и Рубио обсудили санкции",
        "Министр иностранных дел России Сергей Лавров провёл телефонный разговор с "
        "госсекретарём США Марко Рубио. Стороны обсудили санкции и подготовку встречи.",
    )
    assert analysis.lang == "ru"
    assert {"Sergei Lavrov", "Marco Rubio"} <= {mention.actor for mention in analysis.actors}
    assert "sanctions" in analysis.theme_names
    assert analysis.relevant
