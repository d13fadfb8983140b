"""The Stories page through AppTest against the seeded database (tests/seed.py: the demo corpus
clustered, hostile articles): the list with coverage bars and blindspot badges, a story view
with its timeline and headlines by bloc, links to the annotated articles, escaped feed text,
the sidebar's filters, and malformed story ids."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.models import Filters
from core.storage import Store
from tests.app_pages import ok, page
from tests.seed import HOSTILE_TITLE

ALL = Filters(relevant_only=False)
UNESCAPED = re.compile(r"(?<!\\)[<\[]")
"""A '<' or '[' that Markdown would read as HTML or a link (core/dashboard/notices.py plain)."""


def plain_text(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


STORIES = "pages/7_Stories.py"


def test_the_list_shows_stories_coverage_bars_and_blindspot_badges(app_db: str) -> None:
    app = ok(page(STORIES))
    table = app.dataframe[0].value
    with Store.open(app_db) as store:
        assert len(table) == min(100, store.count_stories(Filters()))
        spots = store.list_stories(Filters(), blindspots_only=True)
    assert len(app.get("plotly_chart")) == 1
    assert [b.proto.label for b in app.get("download_button")] == ["Download CSV"] * 2
    assert any("independent reports" in c.value for c in app.caption)
    badged = table[table["blindspot"] != ""]
    assert len(badged) == len(spots) > 0
    assert all(text.startswith("⚠ ") for text in badged["blindspot"])


def test_the_blindspots_toggle_keeps_only_blindspots(app_db: str) -> None:
    app = ok(page(STORIES))
    app.toggle(key="s_blind").set_value(True).run()
    table = ok(app).dataframe[0].value
    assert len(table) > 0 and all(table["blindspot"].str.startswith("⚠ "))


def test_the_sidebar_filters_apply_to_stories(app_db: str) -> None:
    app = ok(page(STORIES, bloc="ukrainian"))
    table = app.dataframe[0].value
    assert len(table) > 0 and all("ukrainian" in c for c in table["coverage"])
    with Store.open(app_db) as store:
        assert len(table) == min(100, store.count_stories(Filters(blocs=("ukrainian",))))


def test_a_story_opens_with_its_timeline_blocs_and_article_links(app_db: str) -> None:
    with Store.open(app_db) as store:
        biggest = store.list_stories(ALL, sort="size", limit=1)
    story_id = int(biggest["id"].iloc[0])
    app = ok(page(STORIES, story=str(story_id)))
    assert len(app.get("plotly_chart")) == 1  # the timeline by outlet
    frames = [d.value for d in app.dataframe]
    framing = frames[0]
    assert len(framing) >= 2 and {"mean tone", "themes", "actors"} <= set(framing.columns)
    headlines = frames[1:]
    assert len(headlines) == len(framing)  # one table of headlines per bloc
    links = [link for frame in headlines for link in frame["open"]]
    assert len(links) == int(biggest["articles"].iloc[0])
    assert all(link.startswith("/Articles?article=") for link in links)
    buttons = app.get("download_button")
    assert len(buttons) == 2 + len(headlines)


def test_a_blindspot_story_shows_its_badge(app_db: str) -> None:
    with Store.open(app_db) as store:
        spot = store.list_stories(ALL, blindspots_only=True, limit=1)
    app = ok(page(STORIES, story=str(int(spot["id"].iloc[0]))))
    badges = [m.value for m in app.markdown if "badge[" in m.value]
    assert badges and all(":orange-badge[" in b for b in badges)
    first = spot["blindspot"].iloc[0].split("; ")[0]
    assert any(first.split()[-1] in b for b in badges)


def test_an_article_names_its_story_and_copies(app_db: str) -> None:
    with Store.open(app_db) as store:
        biggest = store.list_stories(ALL, sort="size", limit=1)
        detail = store.get_story(int(biggest["id"].iloc[0]))
    assert detail is not None
    copies = detail.members[detail.members["copy_of"].notna()]
    copy = int(copies["id"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(copy)))
    line = next(m.value for m in app.markdown if m.value.startswith("Story: "))
    assert f"/Stories?story={detail.id}" in line and "syndicated copy of article" in line
    original = int(copies["copy_of"].iloc[0])
    app = ok(page("pages/3_Articles.py", article=str(original)))
    line = next(m.value for m in app.markdown if m.value.startswith("Story: "))
    assert f"/Articles?article={copy}" in line


def test_hostile_headlines_are_escaped_in_a_story(app_db: str) -> None:
    with Store.open(app_db) as store:
        found = store.list_articles(Filters(outlets=("Hostile Outlet",), relevant_only=False))
        hostile = int(found[found["title"] == HOSTILE_TITLE]["id"].iloc[0])
        story = store.story_of_article(hostile)
    assert story is not None
    app = ok(page(STORIES, story=str(story[0])))
    assert any(HOSTILE_TITLE[:8] in plain_text(h.value) for h in app.subheader)
    for element in [*app.caption, *app.markdown, *app.subheader]:
        assert not UNESCAPED.search(element.value), element.value  # Markdown shows it as text
        assert "](javascript" not in element.value
    chart = app.get("plotly_chart")[0].proto.spec
    assert "<script" not in chart and "<img" not in chart


@pytest.mark.parametrize("raw", ["abc", "-1", "²", "9" * 40])
def test_a_malformed_story_id_is_a_notice(app_db: str, raw: str) -> None:
    app = ok(page(STORIES, story=raw))
    assert any("not a story id" in w.value for w in app.warning)


def test_an_unknown_story_says_so(app_db: str) -> None:
    app = ok(page(STORIES, story="987654321"))
    assert any("No story with id 987654321" in w.value for w in app.warning)


def chart_total(app: AppTest) -> int:
    """The articles the Overview's volume chart shows (its first chart: bars per day and bloc)."""
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    total = 0
    for trace in spec["data"]:
        if trace.get("type") == "bar":
            y = trace["y"]  # plotly's typed array ({dtype, bdata}) or a plain list
            values = (
                np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
                if isinstance(y, dict)
                else y
            )
            total += int(sum(values))
    return total


def test_the_overview_volume_switches_between_articles_and_independent_reports(
    app_db: str,
) -> None:
    """Issue 10: count=reports (or the Count switch) leaves syndicated copies out of the volume
    chart; the switch writes the URL; a bad value is a notice."""
    with Store.open(app_db) as store:
        every = int(store.volume_by_day(Filters(), "bloc")["articles"].sum())
        reports = int(store.volume_by_day(Filters(), "bloc", independent=True)["articles"].sum())
    assert every > reports > 0  # the seeded corpus holds syndicated copies
    app = ok(page("app.py"))
    assert app.radio(key="ov_count").value == "articles" and chart_total(app) == every
    app = ok(app.radio(key="ov_count").set_value("reports").run())
    assert app.query_params.get("count") in ("reports", ["reports"])
    assert chart_total(app) == reports
    assert any("Independent reports" in c.value for c in app.caption)
    linked = ok(page("app.py", count="reports"))
    assert linked.radio(key="ov_count").value == "reports" and chart_total(linked) == reports
    bad = ok(page("app.py", count="<script>"))
    assert bad.radio(key="ov_count").value == "articles"
    assert any("Ignored 'count=" in plain_text(w.value) for w in bad.warning)
