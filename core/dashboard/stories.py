"""The Stories page's parts (pages/7_Stories.py stays thin): the list of stories with coverage by
bloc and blindspot badges, and one story: the timeline of its articles by outlet, the headlines
side by side grouped by bloc, and each bloc's tone, relations reading, themes and actors.

Feed text is never rendered as HTML or Markdown: headlines go into tables (shown as text), into
plotly through `charts.safe_text`, and into Markdown widgets through `notices.plain`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.dashboard.charts import MARGIN, bar_chart, colour_of, safe_text
from core.dashboard.downloads import download_csv
from core.dashboard.labels import label
from core.dashboard.notices import plain
from core.dashboard.tables import opens, signed, table, wide
from core.models import BLOCS, Filters
from core.storage.reads_stories import StoryDetail
from core.stories.summary import BLOC_NAMES

PAGE_SIZE = 100
BLINDSPOT = "⚠ "
"""The badge a blindspot's message carries in the list (a text cell, never HTML)."""
APPLIED = (
    "Dates, outlets, blocs, themes, languages and 'relevant only' apply to stories (a story "
    "matches when one of its articles does); actors, tone, text search and events do not."
)


def articles_link(article_id: int) -> str:
    """The annotated view of an article on the Articles page."""
    return f"/Articles?article={int(article_id)}"


def story_link(story_id: int) -> str:
    return f"/Stories?story={int(story_id)}"


def story_line(story_id: int, copy_of: int | None, copies: list[int]) -> str:
    """Markdown naming an article's story, the original it copies and its copies (ids and
    links only: no feed text)."""
    parts = [f"Story: [{int(story_id)}]({story_link(story_id)})"]
    if copy_of is not None:
        parts.append(f"syndicated copy of article [{int(copy_of)}]({articles_link(copy_of)})")
    if copies:
        shown = ", ".join(f"[{int(c)}]({articles_link(c)})" for c in copies[:20])
        more = f" and {len(copies) - 20} more" if len(copies) > 20 else ""
        parts.append(f"copied by {len(copies)} article(s): {shown}{more}")
    return " · ".join(parts)


def list_table(stories: pd.DataFrame) -> pd.DataFrame:
    """The list as shown: a blindspot badge in front of its message, a link to each story."""
    shown = stories.copy()
    shown["blindspot"] = [BLINDSPOT + text if text else "" for text in shown["blindspot"]]
    shown["open"] = [story_link(i) for i in shown["id"]]
    return shown[
        ["id", "headline", "last_seen", "reports", "articles", "coverage", "blindspot", "gap",
         "first_seen", "outlets", "themes", "open"]
    ]  # fmt: skip


def coverage_frame(stories: pd.DataFrame) -> pd.DataFrame:
    """Articles per bloc of each listed story (long form), for the coverage bars."""
    rows = []
    for story_id, headline, coverage in zip(
        stories["id"], stories["headline"], stories["coverage"], strict=True
    ):
        for part in str(coverage).split(", "):
            if not part:
                continue
            bloc, _, count = part.rpartition(" ")
            rows.append((int(story_id), f"{headline[:60]} ({story_id})", bloc, int(count)))
    return pd.DataFrame(rows, columns=["story_id", "story", "bloc", "articles"])


def coverage_chart(frame: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: each story's articles by bloc, the listed order kept."""
    shown = frame.assign(story=frame["story"].map(safe_text))
    order = list(dict.fromkeys(shown["story"]))
    figure = bar_chart(
        shown, x="articles", y="story", color="bloc", by="bloc",
        orders={"story": order}, orientation="h",
    )  # fmt: skip
    figure.update_layout(barmode="stack", height=max(260, 26 * len(order) + 80), yaxis_title="")
    return figure


def timeline_chart(members: pd.DataFrame) -> go.Figure:
    """One marker per article at its publication time on its outlet's row, coloured by bloc;
    a syndicated copy is an open marker. Hover: the headline (escaped)."""
    figure = go.Figure()
    order = {bloc: index for index, bloc in enumerate(BLOCS)}
    for bloc in sorted(set(members["bloc"]), key=lambda b: (order.get(b, len(order)), b)):
        part = members[members["bloc"] == bloc]
        copies = part["copy_of"].notna()
        figure.add_trace(
            go.Scatter(
                x=part["published"],
                y=[safe_text(o) for o in part["outlet"]],
                mode="markers",
                name=safe_text(bloc),
                marker={
                    "color": colour_of("bloc", bloc),
                    "size": 12,
                    "symbol": ["circle-open" if c else "circle" for c in copies],
                },
                text=[safe_text(t) for t in part["title"]],
                hovertemplate="%{y}<br>%{x|%d %b %H:%M} UTC<br>%{text}<extra></extra>",
            )
        )
    outlets = len(set(members["outlet"]))
    figure.update_layout(
        margin=MARGIN, height=max(220, 34 * outlets + 100), xaxis_title="published (UTC)"
    )
    return figure


def bloc_headlines(members: pd.DataFrame, bloc: str) -> pd.DataFrame:
    part = members[members["bloc"] == bloc]
    return pd.DataFrame(
        {
            "published": part["published"],
            "outlet": part["outlet"],
            "title": part["title"],
            "tone": part["tone"],
            "copy of": part["copy_of"],
            "open": [articles_link(i) for i in part["id"]],
        }
    )


def show_badges(detail: StoryDetail) -> None:
    for message in filter(None, detail.blindspot.split("; ")):
        st.badge(plain(message), icon=":material/visibility_off:", color="orange")


def show_story(detail: StoryDetail, f: Filters) -> None:
    """One story: figures, blindspots, timeline, and each bloc's framing and headlines."""
    st.subheader(plain(detail.headline) or "(no headline)")
    show_badges(detail)
    st.caption(
        plain(
            f"First seen {detail.first_seen:%d %b %Y %H:%M} UTC · last seen "
            f"{detail.last_seen:%d %b %Y %H:%M} UTC · {detail.articles} articles, "
            f"{detail.reports} independent reports ({detail.articles - detail.reports} "
            f"syndicated copies) · {len(detail.outlets)} outlets · story {detail.id}"
        )
    )
    st.markdown("**Timeline by outlet** (open markers: syndicated copies)")
    st.plotly_chart(timeline_chart(detail.members), width="stretch")
    download_csv(detail.members, f"story-{detail.id}-articles", f)
    st.markdown("**Each bloc's coverage and framing**")
    framing = bloc_frame(detail)
    table(
        framing,
        {
            "mean tone": signed("mean tone"),
            "relations": signed(
                "relations",
                help="mean relations score (−1 conflict … +1 "
                "cooperation) of the articles holding a US–Russia event",
            ),
        },
    )
    download_csv(framing, f"story-{detail.id}-blocs", f)
    st.markdown("**Headlines side by side, by bloc** (select *open* for the annotated article)")
    blocs = [c["bloc"] for c in detail.coverage]
    for start in range(0, len(blocs), 3):
        for column, bloc in zip(st.columns(3), blocs[start : start + 3], strict=False):
            with column:
                st.markdown(f"**{plain(BLOC_NAMES.get(bloc, bloc))}**")
                headlines = bloc_headlines(detail.members, bloc)
                table(
                    headlines,
                    {
                        "published": st.column_config.DatetimeColumn(
                            "published", format="DD MMM HH:mm"
                        ),
                        "title": wide("title"),
                        "tone": signed("tone"),
                        "copy of": st.column_config.NumberColumn("copy of", format="%d"),
                        "open": opens("article"),
                    },
                )
                download_csv(headlines, f"story-{detail.id}-{bloc}", f)


def bloc_frame(detail: StoryDetail) -> pd.DataFrame:
    """Per bloc: articles, independent reports, outlets, mean tone and relations, themes and
    actors (core/stories/summary.py BlocCoverage, as stored)."""
    rows = [
        {
            "bloc": c["bloc"],
            "articles": c["articles"],
            "reports": c["reports"],
            "outlets": ", ".join(c["outlets"]),
            "mean tone": c["mean_tone"],
            "relations": c["mean_relations"],
            "themes": ", ".join(label(t) for t in c["themes"]),
            "actors": ", ".join(c["actors"]),
        }
        for c in detail.coverage
    ]
    return pd.DataFrame(
        rows,
        columns=["bloc", "articles", "reports", "outlets", "mean tone", "relations", "themes",
                 "actors"],
    )  # fmt: skip
