"""The Articles page through AppTest: the list (Russian articles with their language and why they
have no tone) and one article annotated with its evidence, its relations events and an
estimated date; bad article ids are notices, hostile text is escaped."""

from __future__ import annotations

import pytest

from core.models import Filters
from core.storage import Store
from tests.app_pages import count, listed, ok, page
from tests.seed import ESTIMATED_UID, HOSTILE_TITLE, PATH_TITLE


@pytest.mark.parametrize("article", ["abc", "-1", "1e9", "99999999"])
def test_a_bad_article_id_is_a_notice(app_db: str, article: str) -> None:
    app = ok(page("pages/3_Articles.py", article=article))
    assert any("Ignored" in w.value or "No article" in w.value for w in app.warning)


def test_an_article_opens_annotated(app_db: str) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(Filters(themes=("sanctions",)), limit=1)
    app = ok(page("pages/3_Articles.py", article=str(int(listing["id"][0]))))
    html = app.get("html")[0].proto.body
    assert "dt-theme" in html and "dt-s" in html and "<sup>Sanctions</sup>" in html
    assert 'title="sentence tone ' in html


def test_a_non_english_article_says_its_tone_is_na(app_db: str) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(Filters(relevant_only=False), limit=1000)
    russian = int(listing[listing["lang"] == "ru"]["id"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(russian)))
    assert next(m.value for m in app.metric if m.label == "Tone") == "n/a"
    assert any("Tone is n/a" in i.value for i in app.info)


@pytest.mark.parametrize("title", [HOSTILE_TITLE, PATH_TITLE])
def test_hostile_text_is_escaped(app_db: str, title: str) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(
            Filters(outlets=("Hostile Outlet",), relevant_only=False), limit=5
        )
    article_id = int(listing[listing["title"] == title]["id"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(article_id)))
    html = app.get("html")[0].proto.body
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "&lt;script&gt;" in html or html.count(".streamlit/secrets.toml") == 2
    assert not app.get("link_button")  # a javascript: URL gets no link
    assert app.code[0].value == "javascript:alert(3)"  # shown as text instead
    for element in [*app.caption, *app.markdown]:
        assert "<script" not in element.value and "](javascript" not in element.value


def test_an_article_offers_its_evidence_as_a_table(app_db: str) -> None:
    with Store.open(app_db) as store:
        article_id = int(store.list_articles(Filters(themes=("sanctions",)), limit=1)["id"][0])
    app = ok(page("pages/3_Articles.py", article=str(article_id)))
    evidence = app.dataframe[0].value
    assert {"sentence", "theme term"} <= set(evidence["kind"])
    assert any(b.proto.label == "Download CSV" for b in app.get("download_button"))


def test_an_estimated_date_says_so(lying_db: str) -> None:
    with Store.open(lying_db) as store:
        listing = store.list_articles(Filters(outlets=("Ancient Outlet",)), limit=10)
    estimated = listing[listing["title"].str.contains(ESTIMATED_UID, regex=False)]
    app = ok(page("pages/3_Articles.py", article=str(int(estimated["id"].iloc[0]))))
    assert any("date estimated" in c.value for c in app.caption)
    plain_one = int(listing[~listing.index.isin(estimated.index)]["id"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(plain_one)))
    assert not any("date estimated" in c.value for c in app.caption)


@pytest.mark.parametrize("article", ["²", "1²", "١٢", "１", "", " ", "0x1", "1.0", "9" * 40])
def test_an_article_id_that_is_not_an_int_is_a_notice(app_db: str, article: str) -> None:
    app = ok(page("pages/3_Articles.py", article=article))
    assert any("not an article id" in w.value for w in app.warning)


def test_russian_articles_are_listed_with_their_language_and_no_tone(app_db: str) -> None:
    rows = listed(ok(page("pages/3_Articles.py", lang="ru")))
    assert len(rows) == count(app_db, languages=("ru",)) > 0
    assert set(rows["lang"]) == {"ru"}
    assert rows["tone"].isna().all()  # never a 0
    assert set(rows["tone_label"]) == {"n/a"}
    assert any("Путин" in title or "Песков" in title for title in rows["title"])
    assert {"TASS", "Meduza", "DW"} <= {o.split(", ")[0] for o in rows["outlets"]}


def test_the_article_list_says_why_russian_tone_is_na(app_db: str) -> None:
    app = ok(page("pages/3_Articles.py", lang="en,ru"))
    rows = listed(app)
    assert {"en", "ru"} <= set(rows["lang"])
    assert any("no offline Russian sentiment model" in c.value for c in app.caption)


def test_a_russian_article_opens_annotated_with_its_language_and_why_no_tone(
    app_db: str,
) -> None:
    with Store.open(app_db) as store:
        listing = store.list_articles(Filters(languages=("ru",), themes=("diplomacy",)), limit=5)
    app = ok(page("pages/3_Articles.py", article=str(int(listing["id"][0]))))
    assert any("language ru · Russian" in c.value for c in app.caption)
    assert next(m.value for m in app.metric if m.label == "Tone") == "n/a"
    assert any("no offline Russian sentiment model" in i.value for i in app.info)
    html = app.get("html")[0].proto.body
    assert "dt-theme" in html and "<sup>Diplomacy" in html  # Russian text annotated like English


def article_titled(db: str, title: str) -> int:
    with Store.open(db) as store:
        listing = store.list_articles(Filters(relevant_only=False, query=title), limit=5)
    return int(listing[listing["title"] == title]["id"].iloc[0])


def test_an_article_shows_its_relations_events(app_db: str) -> None:
    article = article_titled(app_db, "Moscow expels two US diplomats in tit-for-tat move")
    app = ok(page("pages/3_Articles.py", article=str(article)))
    html = app.get("html")[0].proto.body
    assert "dt-rel dt-rel-conf" in html and "RU→US Expel diplomats" in html
    assert "Russia → US: Expel diplomats, weight -7.0" in html
    assert next(m.value for m in app.metric if m.label == "Relations").endswith("conflict")
    evidence = app.dataframe[0].value
    events = evidence[evidence["kind"] == "event"]
    assert "ordered two US diplomats to leave" in list(events["text"])
    assert events["weight"].min() == -7.0


def test_a_swap_is_mutual_cooperation_in_the_annotated_article(app_db: str) -> None:
    article = article_titled(
        app_db, "US and Russia agree to prisoner swap, freeing American journalist"
    )
    html = ok(page("pages/3_Articles.py", article=str(article))).get("html")[0].proto.body
    assert "dt-rel dt-rel-coop" in html and "US⇄RU Swap prisoners" in html
    assert "dt-adj" in html and "stock VADER" in html  # "prisoner swap" read by the domain layer
