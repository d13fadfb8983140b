"""Untrusted feed HTML → plain text; URLs → canonical form; a stable uid for every article.

Public API:
    html_to_text(html: str) -> str
    canonical_url(url: str) -> str                  # "" when unusable (see its docstring)
    article_uid(guid, canonical_url, title, text, *, feed_url="") -> str
    clean_entry(entry, *, feed_url, outlet, bloc, fetched) -> Article | None
    extract_main_text(html: str | bytes, url: str = "") -> str

HTML is read with lxml.html (a real, forgiving HTML parser, installed with trafilatura), never
with regular expressions; what comes out is plain text to be escaped wherever it is shown.

Article identity (`article_uid`). The issue asks for "GUID, else canonical URL, else title +
text" *and* for "the same canonical URL from two feeds is one article". GUIDs are only unique
within one feed (two feeds syndicating one story give it different GUIDs), so the URL has to
come first for the second rule to hold:
  1. `url:`  + sha256(canonical URL) when the entry links to an article page;
  2. `guid:` + sha256(feed URL, GUID) when it has no usable link (GUIDs are scoped by feed);
  3. `text:` + sha256(title, text) when it has neither.
A link to a site's front page (path "/" and no query) is not an article link — some feeds give
every item the homepage — so such entries fall through to the GUID, else title + text. The
hashes are sha256 hex digests cut to 40 characters (160 bits); they never change for the same
inputs, so a re-poll updates the stored article instead of adding one.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, time, timedelta
from html import unescape
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from core.ingest.parse import MAX_TEXT, MAX_TITLE
from core.models import DATE_FLOOR, Article, ParsedEntry

MAX_URL = 2048
PUBLISHED_FLOOR = datetime.combine(DATE_FLOOR, time(), tzinfo=UTC)
"""Publication dates before this are not believed (years 1, 1000, 1600 and the Unix epoch
arrive in real feeds): the article takes the time it was first seen, flagged as estimated."""
MAX_AHEAD = timedelta(days=1)
"""Nor are dates more than this ahead of the time the article was first seen."""
MAX_PAGE_CHARS = 5_000_000
"""Longest article page handed to trafilatura (its time grows with the page)."""

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid", "ocid",
        "cmpid", "at_medium", "at_campaign", "__twitter_impression",
    }
)  # fmt: skip
"""Query parameters that identify a click or a campaign, never the page (plus any utm_*)."""

_PARAGRAPHS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 blockquote pre ul ol dl table section article header footer "
    "main nav aside figure address hr form fieldset details summary".split()
)
_LINES = frozenset("li tr dd dt figcaption caption option".split())
_CELLS = frozenset({"td", "th"})
_DROP_TAGS = frozenset(
    "script style noscript iframe object embed template svg math head title".split()
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_RUN = re.compile(r"[ \t\n\r\f\v]+")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page, as a browser would lay it out: source line breaks
    and runs of spaces collapse, paragraphs are separated by a blank line, <br>, list items and
    table rows start a new line, <pre> keeps its lines, scripts and styles vanish, entities are
    decoded. Text without markup only has its entities decoded and its whitespace tidied."""
    if not html:
        return ""
    html = _CONTROL.sub("", html)
    if not _MARKUP.search(html):
        return _tidy(unescape(html))
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(unescape(_TAG.sub(" ", html)))
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    preformatted = {id(node) for pre in root.iter("pre") for node in pre.iter()}
    for element in root.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        inside_pre = id(element) in preformatted
        text = element.text or ""
        if not inside_pre:
            text = _RUN.sub(" ", text)
        tail = element.tail or ""
        if id(element.getparent()) not in preformatted or tag == "pre":
            tail = _RUN.sub(" ", tail)
        if tag in _PARAGRAPHS:
            text, tail = "\n\n" + text, "\n\n" + tail
        elif tag == "br":
            tail = "\n" + tail
        elif tag in _LINES:
            text = "\n" + text
        elif tag in _CELLS:
            tail = " " + tail
        element.text, element.tail = text or None, tail or None
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _is_tracking(piece: str) -> bool:
    key = unquote_plus(piece.split("=", 1)[0]).strip().lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS


def canonical_url(url: str) -> str:
    """The URL two feeds would agree on for one page: scheme and host lower-cased, default port,
    empty path as "/", fragment and tracking parameters (utm_*, fbclid, gclid, …) dropped, every
    other parameter kept verbatim and in order. Returns "" — never raises — for what is not an
    absolute http(s) URL (a malformed host or a port outside 1–65535 included), and for URLs
    longer than 2,048 characters (Media Cloud's limit)."""
    url = url.strip()
    if not url or len(url) > MAX_URL or _CONTROL.search(url) or any(c.isspace() for c in url):
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # an unclosed IPv6 literal, a port that is not a number up to 65535
        return ""
    if port == 0:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    query = "&".join(piece for piece in parts.query.split("&") if piece and not _is_tracking(piece))
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def _uid_hash(*parts: str) -> str:
    """The hash part of an article uid: sha256 of the parts joined by a unit separator, cut
    to 40 hex characters (160 bits)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _is_article_link(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.query) or parts.path not in ("", "/")


def article_uid(
    guid: str | None, canonical_url: str, title: str, text: str, *, feed_url: str = ""
) -> str:
    """Stable identity of an article (see the module docstring for the order and why):
    "url:…" from the canonical URL of an article page, else "guid:…" from the feed's GUID
    scoped to `feed_url`, else "text:…" from title and text."""
    if canonical_url and _is_article_link(canonical_url):
        return "url:" + _uid_hash(canonical_url)
    if guid and guid.strip():
        return "guid:" + _uid_hash(feed_url, guid.strip())
    return "text:" + _uid_hash(title, text)


def clean_entry(
    entry: ParsedEntry, *, feed_url: str, outlet: str, bloc: str, fetched: datetime
) -> Article | None:
    """One feed entry as a plain-text Article; None when it has neither title nor text.
    A publication time that is missing or lies — before PUBLISHED_FLOOR, or more than MAX_AHEAD
    past `fetched` (the time first seen) — becomes `fetched`, with `published_estimated=True`.
    Relative links are resolved against the feed URL; an item whose link is unusable (a
    malformed host, a port outside 1–65535) is kept without a link."""
    title = " ".join(html_to_text(entry.title).split())[:MAX_TITLE]
    summary = html_to_text(entry.summary_html)[:MAX_TEXT]
    content = html_to_text(entry.content_html)[:MAX_TEXT]
    if content == summary:
        content = ""
    if not title and not summary and not content:
        return None
    url = canonical_url(_resolve(entry.link or "", feed_url))
    published = entry.published
    estimated = published is None or not PUBLISHED_FLOOR <= published <= fetched + MAX_AHEAD
    return Article(
        uid=article_uid(entry.guid, url, title, content or summary, feed_url=feed_url),
        url=url,
        title=title,
        summary=summary,
        content=content,
        published=fetched if estimated or published is None else published,
        published_estimated=estimated,
        fetched=fetched,
        feed_url=feed_url,
        outlet=outlet,
        bloc=bloc,
        guid=entry.guid,
    )


def _resolve(link: str, feed_url: str) -> str:
    """The item's link made absolute against the feed's URL; "" when either will not parse
    (urljoin raises ValueError on an unclosed IPv6 literal): the item is kept without a link."""
    link = link.strip()
    if not link or not feed_url:
        return link
    try:
        return urljoin(feed_url, link)
    except ValueError:
        return ""


def extract_main_text(html: str | bytes, url: str = "") -> str:
    """The main text of an article page (trafilatura, no network), "" when none is found.
    Bytes are welcome: trafilatura then settles the page's charset itself."""
    import trafilatura  # imported here: it is slow to import and only --fulltext needs it

    if not html:
        return ""
    page = html[:MAX_PAGE_CHARS]
    try:
        text = trafilatura.extract(
            page,
            url=url or None,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception:  # trafilatura on hostile markup: no text rather than a failed poll
        return ""
    return _tidy(text)[:MAX_TEXT] if isinstance(text, str) else ""


__all__ = [
    "article_uid",
    "canonical_url",
    "clean_entry",
    "extract_main_text",
    "html_to_text",
]
