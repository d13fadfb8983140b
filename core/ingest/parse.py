"""Feed bytes + response headers → ParsedFeed, with the defences feedparser lacks (README.md,
"Feeds that lie or attack").

Public API:
    parse_feed(body: bytes, headers: Mapping[str, str], *, url: str = "") -> ParsedFeed
    to_utf8(body: bytes, content_type: str = "") -> bytes
    defuse(body: bytes) -> tuple[bytes, str | None]

`parse_feed` never raises for a bad document: an empty body, malformed XML, an HTML page or a
hostile DOCTYPE come back as a ParsedFeed with `error` set and no entries. A bozo feed that still
yielded entries keeps them (`bozo=True`, `error=None`).

What happens before feedparser sees the bytes, and why:
- Encoding is settled here (Miniflux's `encoding` package is the model): bytes that are valid
  UTF-8 are UTF-8 whatever the prolog or the header claims (mislabelled UTF-8 is common, and valid
  UTF-8 is almost never anything else); a UTF-16/32 byte-order mark is obeyed; otherwise the
  prolog's encoding, then the Content-Type charset (a server's default charset lies more often
  than the document's own prolog), then windows-1252. Labels that claim UTF-8 for bytes that are
  not are skipped, and ISO-8859-1/ASCII are read as windows-1252 as browsers do. feedparser
  then always receives UTF-8 with a prolog and a header that say so.
- The DOCTYPE is removed, so expat never sees an internal entity declaration. Entities whose
  value is a single character reference (`<!ENTITY nbsp "&#160;">`, the only kind real feeds
  use) are substituted by us — they cannot grow the document. Any other declaration (nested
  references as in billion laughs, long values as in the quadratic blow-up, external or
  parameter entities) refuses the whole document with a clear error: nothing expands, nothing
  stalls.
- Author-like elements (author, dc:creator, name, email, managingEditor, …) are cut to
  MAX_AUTHOR_BYTES before feedparser's quadratic e-mail regex (feedparser issue #562) sees them.
- After parsing: at most MAX_ENTRIES entries; titles and texts are capped; dates become aware UTC
  datetimes; RSS <ttl> becomes ttl_minutes.
Everything returned is still untrusted (HTML in titles included): clean.py makes it plain text.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from core.models import ParsedEntry, ParsedFeed

MAX_ENTRIES = 2000
MAX_TITLE = 1000
MAX_TEXT = 200_000
MAX_AUTHOR_BYTES = 256
MAX_LINK = 4096
MAX_GUID = 2048

_PROLOG = re.compile(rb"^\s*<\?xml[^>]{0,500}\?>")
_PROLOG_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_UTF8_PROLOG = b'<?xml version="1.0" encoding="utf-8"?>'
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNICODE_CODECS = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"})
_LATIN1_LABELS = frozenset({"latin-1", "iso8859-1", "ascii", "iso-8859-1"})

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DECLARATION_TOKEN = re.compile(rb"\"[^\"]*\"|'[^']*'|<!--.*?-->|[\[\]>]", re.DOTALL)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\b(?:\"[^\"]*\"|'[^']*'|[^>\"'])*>", re.IGNORECASE)
_SAFE_ENTITY = re.compile(
    rb"<!ENTITY\s+([A-Za-z_][\w.-]{0,63})\s+[\"'](&#(?:x[0-9A-Fa-f]{1,6}|[0-9]{1,7});)[\"']\s*>"
)

_AUTHOR_OPEN = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,30}:)?(?:author|creator|publisher|contributor|managingEditor|"
    rb"webMaster|name|email)(?:\s[^<>]*)?>",
    re.IGNORECASE,
)
_CDATA_OPEN = b"<![CDATA["


# --- encoding ---------------------------------------------------------------------------------


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label; None for unknown labels and for UTF-*, which the
    bytes have already been found not to be."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name in _UNICODE_CODECS or name.startswith("utf"):
        return None
    return "cp1252" if name in _LATIN1_LABELS else name


def to_utf8(body: bytes, content_type: str = "") -> bytes:
    """The document as UTF-8 bytes, with a prolog that says so if it had one."""
    text: str | None = None
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            text = body[len(bom) :].decode(encoding, errors="replace")
            break
    if text is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode(_legacy_encoding(body, content_type), errors="replace")
    data = text.encode("utf-8", errors="replace")
    if _PROLOG.match(data):
        return _PROLOG.sub(_UTF8_PROLOG, data, count=1)
    return data


def _legacy_encoding(body: bytes, content_type: str) -> str:
    """For bytes that are not UTF-8: UTF-16 without a BOM, else the prolog, else the header,
    else a guess among the common single-byte encodings."""
    if body[:4] in (b"<\0?\0", b"\0<\0?"):
        return "utf-16-le" if body[0] == ord("<") else "utf-16-be"
    prolog = _PROLOG.match(body)
    declared = _PROLOG_ENCODING.search(prolog.group()) if prolog else None
    header = _CHARSET.search(content_type)
    return (
        _codec(declared.group(1).decode("ascii") if declared else None)
        or _codec(header.group(1) if header else None)
        or guess_single_byte(body)
    )


_GUESSES = ("cp1252", "cp1251", "koi8_r")
"""The single-byte encodings a feed without a usable label is most likely in: Western European
and the two Cyrillic ones (a Russian feed whose prolog says UTF-8 but whose bytes are KOI8-R or
windows-1251 is common, EXPECTED.tsv's Russian fixtures with their prologs rewritten)."""


def guess_single_byte(body: bytes) -> str:
    """For bytes that are not UTF-8 and carry no other label: which of _GUESSES reads them as
    the most plausible text (charset-normalizer's measure of mess and language coherence)."""
    from charset_normalizer import from_bytes

    best = from_bytes(body, cp_isolation=list(_GUESSES)).best()
    if best is None or best.encoding not in _GUESSES[1:]:
        return "cp1252"
    # A few accented letters ("Café") can read as Cyrillic too; words wholly in Cyrillic cannot.
    words = _CYRILLIC_WORD.findall(body.decode(best.encoding, errors="replace"), 0, 20_000)
    return best.encoding if len(words) >= _CYRILLIC_WORDS else "cp1252"


_CYRILLIC_WORD = re.compile(r"(?<![^\W\d_])[а-яё]{3,}(?![^\W\d_])", re.IGNORECASE)
_CYRILLIC_WORDS = 3


# --- defences ---------------------------------------------------------------------------------


class RefusedDocument(Exception):
    """The document declares entities we will not expand."""


def _doctype_end(data: bytes, start: int) -> int:
    """Index just past the DOCTYPE starting at `start` (quotes, comments and the internal subset
    skipped); the end of the data when it never closes."""
    depth = 0
    for token in _DECLARATION_TOKEN.finditer(data, start + 9):
        mark = token.group()
        if mark == b"[":
            depth += 1
        elif mark == b"]":
            depth = max(depth - 1, 0)
        elif mark == b">" and depth == 0:
            return token.end()
    return len(data)


def _strip_doctypes(data: bytes) -> tuple[bytes, dict[bytes, bytes]]:
    """Remove every DOCTYPE; return the safe character entities it declared."""
    safe: dict[bytes, bytes] = {}
    found = _DOCTYPE.search(data)
    while found is not None:
        end = _doctype_end(data, found.start())
        doctype = data[found.start() : end]
        for declaration in _ENTITY_DECLARATION.finditer(doctype):
            entity = _SAFE_ENTITY.fullmatch(declaration.group())
            if entity is None:
                shown = declaration.group()[:40].decode("utf-8", "replace")
                raise RefusedDocument(
                    f"refused: XML entity declarations are not expanded ({shown}…)"
                )
            safe[entity.group(1)] = entity.group(2)
        if b"<!entity" in doctype.lower() and not safe:
            raise RefusedDocument("refused: the feed declares XML entities")
        data = data[: found.start()] + data[end:]
        found = _DOCTYPE.search(data, found.start())
    return data, safe


def _cut_authors(data: bytes) -> bytes:
    """Shorten the text of author-like elements (plain or CDATA) to MAX_AUTHOR_BYTES."""
    pieces: list[bytes] = []
    kept = 0
    for opening in _AUTHOR_OPEN.finditer(data):
        start = opening.end()
        if start < kept or opening.group().endswith(b"/>"):
            continue
        stripped = start
        while stripped < len(data) and data[stripped] in b" \t\r\n":
            stripped += 1
        if data.startswith(_CDATA_OPEN, stripped):
            start = stripped + len(_CDATA_OPEN)
            end = data.find(b"]]>", start)
        else:
            end = data.find(b"<", start)
        if end < 0:
            end = len(data)
        if end - start <= MAX_AUTHOR_BYTES:
            continue
        cut = start + MAX_AUTHOR_BYTES
        while cut > start and data[cut] & 0xC0 == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        pieces.append(data[kept:cut])
        kept = end
    if not pieces:
        return data
    pieces.append(data[kept:])
    return b"".join(pieces)


def defuse(body: bytes) -> tuple[bytes, str | None]:
    """UTF-8 feed bytes made safe for feedparser: (bytes, None), or (b"", why) when refused."""
    data = body
    if _DOCTYPE.search(data) is not None:
        try:
            data, safe = _strip_doctypes(data)
        except RefusedDocument as refused:
            return b"", str(refused)
        if safe:
            names = re.compile(rb"&(" + b"|".join(map(re.escape, safe)) + rb");")
            data = names.sub(lambda found: safe[found.group(1)], data)
    return _cut_authors(data), None


# --- feedparser's output → our values ---------------------------------------------------------


def _datetime(parsed: Any) -> datetime | None:
    """feedparser's *_parsed values are UTC struct_times."""
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = tuple(parsed)[:6]
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _entry(raw: Any, base: str) -> ParsedEntry:
    content = raw.get("content") or []
    content_html = ""
    if content and isinstance(content, list):
        content_html = "\n".join(
            part.get("value", "") for part in content if isinstance(part, dict)
        )
    return ParsedEntry(
        guid=_text(raw.get("id"), MAX_GUID) or None,
        link=_link(_text(raw.get("link"), MAX_LINK), base) or None,
        title=_text(raw.get("title"), MAX_TITLE),
        summary_html=_text(raw.get("summary"), MAX_TEXT),
        content_html=content_html[:MAX_TEXT],
        author=_text(raw.get("author"), MAX_AUTHOR_BYTES) or None,
        published=_datetime(
            # plain dict lookups: FeedParserDict's own maps one key to the other with a warning
            dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")
        ),
    )


def _link(link: str, base: str) -> str:
    """The entry's link, resolved against the feed's URL when relative."""
    link = link.strip()
    if not link or not base or "://" in link[:12]:
        return link
    try:
        return urljoin(base, link)
    except ValueError:  # a malformed IPv6 host, say: keep it as given, clean decides
        return link


def _ttl(value: Any) -> int | None:
    """RSS <ttl> in minutes, when it is a number of minutes up to a week. ASCII digits only
    ("²" is a digit to str.isdigit, not to int) and no more than 12 of them (int refuses
    strings over 4,300 digits)."""
    if not isinstance(value, str):
        return None
    digits = value.strip().lstrip("0")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
        return None
    minutes = int(digits)
    return minutes if 0 < minutes <= 7 * 24 * 60 else None


def parse_feed(body: bytes, headers: Mapping[str, str], *, url: str = "") -> ParsedFeed:
    """Parse one feed document; problems come back in `error`, never as an exception."""
    if not body.strip():
        return ParsedFeed(title="", entries=(), bozo=True, error="empty body")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    data, refused = defuse(to_utf8(body, content_type))
    if refused is not None:
        return ParsedFeed(title="", entries=(), bozo=True, error=refused)
    mime = content_type.split(";", 1)[0].strip().lower() or "application/xml"
    try:
        parsed = feedparser.parse(
            io.BytesIO(data),
            # No content-location: with a base URL feedparser urljoins every element it reads
            # (a third of its time); the one link we keep is resolved against `url` below.
            response_headers={"content-type": f"{mime}; charset=utf-8"},
            sanitize_html=False,  # never rendered: clean.html_to_text reduces it to plain text
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser reports trouble as bozo; this is the rare rest
        return ParsedFeed(title="", entries=(), bozo=True, error=f"not a feed: {exc!r:.200}")
    feed = parsed.get("feed", {})
    entries = tuple(_entry(raw, url) for raw in parsed.get("entries", [])[:MAX_ENTRIES])
    bozo = bool(parsed.get("bozo"))
    error = None
    if not entries and (bozo or not parsed.get("version")):
        error = _not_a_feed(mime, data, parsed.get("bozo_exception"))
    return ParsedFeed(
        title=_text(feed.get("title"), MAX_TITLE),
        entries=entries,
        bozo=bozo,
        error=error,
        ttl_minutes=_ttl(feed.get("ttl")),
    )


def _not_a_feed(mime: str, data: bytes, reason: Any) -> str:
    head = data[:4096].lower()
    if (
        mime in ("text/html", "application/xhtml+xml")
        or b"<html" in head
        or b"<!doctype html" in head
    ):
        return "not a feed: the server sent an HTML page"
    if reason:
        text = " ".join(str(reason).split())[:200]
        return f"not a feed: malformed XML ({text})"
    return "not a feed: no RSS, Atom or RDF document found"


__all__ = ["MAX_ENTRIES", "MAX_TEXT", "MAX_TITLE", "defuse", "parse_feed", "to_utf8"]
