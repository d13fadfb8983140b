"""The Russian sentence driver (core/analysis/russian_sentences.py) gives razdel's own spans:
`razdel.sentenize` of each paragraph, as the reader called it before, on every Russian text of
the test data and the demo feeds, at the edges of razdel's window and on generated text built
from what razdel's rules read; and the last token it reads backwards is razdel's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import razdel
from hypothesis import given, settings
from hypothesis import strategies as st
from razdel.segmenters.sentenize import LAST_TOKEN

from core.analysis.russian_sentences import _LAST_TOKEN_BACKWARDS, split_russian_sentences
from core.ingest.clean import html_to_text
from core.ingest.parse import parse_feed

ROOT = Path(__file__).resolve().parents[1]
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def razdel_spans(text: str) -> list[tuple[int, int]]:
    """The spans as razdel gives them: `razdel.sentenize` of every paragraph (a blank line ends
    one), empty sentences left out."""
    spans = []
    left = 0
    paragraphs = []
    for gap in re.finditer(r"\n[^\S\n]*\n\s*", text):
        paragraphs.append((left, gap.start()))
        left = gap.end()
    if left < len(text):
        paragraphs.append((left, len(text)))
    for left, right in paragraphs:
        for sentence in razdel.sentenize(text[left:right]):
            if sentence.stop > sentence.start:
                spans.append((left + sentence.start, left + sentence.stop))
    return spans


def _russian_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests/data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                texts += [item.get("title", ""), item.get("text", "")]
    for path in sorted((ROOT / "data/demo").glob("*.xml")):
        feed = parse_feed(path.read_bytes(), {"Content-Type": "application/rss+xml"})
        for entry in feed.entries:
            texts += [entry.title, html_to_text(entry.summary_html)]
            texts += [html_to_text(entry.content_html)]
    return [text for text in texts if _CYRILLIC.search(text)]


def test_every_russian_text_of_the_data_is_split_as_razdel_splits_it() -> None:
    texts = _russian_texts()
    assert len(texts) > 1900  # the labelled sets, the relation sets and the Russian demo feeds
    for text in texts:
        assert split_russian_sentences(text) == razdel_spans(text), text
    joined = "\n\n".join(texts)  # and a text of many paragraphs, as the bench's long article
    assert split_russian_sentences(joined) == razdel_spans(joined)


# razdel's window (10 characters each side) against a paragraph's edges, lists, smiles.
EDGES = [
    "Он ушёл. —\n\nи всё.",
    "Слово\n\n! Далее. Конец\n\n» Так",
    "Он ушёл. — и всё. Он ушёл. — Всё.",
    "Итак, т. е.\n\nДалее. См. \n\n стр. 5",
    ":-)) Привет. ;) и :-))))) Да!!! Нет?! «Так». (Да.) Так…",
    "1. Пункт. 2) Пункт.\n\nа) Да. б) Нет. IV. Да. § 2. Нет.",
]


def test_edges_of_razdels_window_are_split_as_razdel_splits_them() -> None:
    for text in EDGES:
        assert split_russian_sentences(text) == razdel_spans(text), text


# What razdel's rules read, by kind (each kind as likely as the others, so that the rarer
# neighbours meet: a delimiter, a dash and a blank line within razdel's window): words (lower,
# capitalised, Latin), abbreviations it joins after (alone, in pairs, before numbers),
# initials, numbers and Roman numerals, list bullets, quotes and brackets of each kind, every
# delimiter, dashes, smiles, whitespace of several kinds and paragraph breaks.
KINDS = [
    "и в что заявил года санкции переговоры сообщает её это".split(),
    "Москва Путин США Кремль Президент ТАСС В Д А И Reuters OFAC".split(),
    "т. е.|т.е.|т. д.|и т. п.|г.|гг.|др.|см.|им.|ул.|руб.|млн.|млрд|тыс.|в.|вв.|н. э.".split("|"),
    ["В. В. Путин", "Д. Трампом", "В.В.", "Дж.", "U.S.", "e.g.", "А."],
    "1 2026 14 3.5 8.1. XX IV. II".split(),
    "1. 2) а) б. в) § a) IV) (1) -".split(),
    "« » \" „ “ ” ' ’ ( ) [ ] { }".split(),
    ". ... … ! ? ?! !!! ; , :".split(),
    "- — – ‑ −".split(),
    ":) :-) ;) =((( :-)))) :( ;-( =)".split(),
    [" ", "  ", "\n", "\t", "\xa0", "\u2009"],
    ["\n\n", " \n \n", "\n\n\n", "\n\t\n "],
]
SEPARATORS = ["", " ", " ", "\n", "\xa0"]
PIECE = st.one_of([st.sampled_from(kind) for kind in KINDS])


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(PIECE, st.sampled_from(SEPARATORS)), max_size=40))
def test_generated_text_is_split_as_razdel_splits_it(pieces: list[tuple[str, str]]) -> None:
    text = "".join(piece + separator for piece, separator in pieces)
    assert split_russian_sentences(text) == razdel_spans(text)


SOUP = "аБв Г.д.\n\t\xa0.?!…;\"„'»”’)]}«“‘([{=:-—–1IVа)§ ,"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=SOUP, max_size=60))
def test_character_soup_is_split_as_razdel_splits_it(text: str) -> None:
    assert split_russian_sentences(text) == razdel_spans(text)


# Letters (both cases, two scripts, a stress mark, a superscript two, which counts as a letter
# to `\w`), digits (ASCII and Arabic-Indic), punctuation, whitespace of several kinds.
WINDOW = "аЯzZ_\u0301²19٣.,»)-:;!? \t\n\xa0\u2009"


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(alphabet=WINDOW, max_size=12), st.text(max_size=12)))
def test_the_last_token_read_backwards_is_razdels(left: str) -> None:
    theirs = LAST_TOKEN.search(left)
    ours = _LAST_TOKEN_BACKWARDS.match(left[::-1])
    assert (ours.group(1)[::-1] if ours else None) == (theirs.group(1) if theirs else None)
