"""Articles: a searchable, sortable list, and each article annotated with the evidence of its
reading (`?article=<id>` opens one)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.dashboard import loaders
from core.dashboard.annotate import EVIDENCE_COLUMNS, article_html, evidence_rows
from core.dashboard.downloads import download_csv
from core.dashboard.labels import event_labels, label, theme_labels
from core.dashboard.languages import language_label, tone_na_reason
from core.dashboard.notices import plain
from core.dashboard.page import data_context, open_selected, start_page
from core.dashboard.stories import story_line
from core.dashboard.tables import page_offset, pickable, signed, table, when, wide
from core.dashboard.url import article_id

PAGE_SIZE = 200
ESTIMATED = " (date estimated: the feed gave none or an impossible one; the time first seen)"
TONE_HELP = "Blank (n/a) for Russian: " + tone_na_reason("ru") + "."

f = start_page("Articles")


def show_article(article_id: int) -> None:
    if st.button("Back to the list", icon=":material/arrow_back:"):
        del st.query_params["article"]
        st.rerun()
    detail = loaders.get_article(article_id)
    if detail is None:
        st.warning(f"No article with id {article_id}.")
        return
    st.caption(
        plain(
            f"{', '.join(detail.outlets)} · {', '.join(detail.blocs)} · "
            f"{detail.published:%d %b %Y %H:%M} UTC"
            + (ESTIMATED if detail.published_estimated else "")
            + f" · language {language_label(detail.lang)} · id {detail.id}"
        )
    )
    if detail.is_demo:
        st.caption("Demo data: an invented article written for Détente.")
    story = loaders.story_of_article(detail.id)
    if story is not None:
        st.markdown(story_line(*story))
    cols = st.columns(5)
    cols[0].metric("Tone", "n/a" if detail.tone is None else f"{detail.tone:+.2f}")
    cols[1].metric("Label", detail.tone_label)
    cols[2].metric("Relevance", f"{detail.relevance:.2f}")
    cols[3].metric("Themes", len(detail.analysis.theme_names))
    relations = detail.analysis.relations
    cols[4].metric(
        "Relations",
        "n/a" if relations.score is None else f"{relations.score:+.2f} {relations.label}",
        help=f"{len(relations.events)} US–Russia events: the mean of their weights / 10 "
        "(−1 conflict … +1 cooperation); n/a when the article holds none.",
    )
    if detail.tone is None:
        st.info(
            f"Tone is n/a ({plain(language_label(detail.lang))}): "
            f"{plain(tone_na_reason(detail.lang))}. Themes, actors and relevance are still read.",
            icon=":material/translate:",
        )
    if detail.analysis.theme_names:
        st.caption("Themes: " + plain(", ".join(label(t) for t in detail.analysis.theme_names)))
    labels, events = theme_labels(), event_labels()
    st.html(article_html(detail.title, detail.analyzed_text, detail.analysis, labels, events))
    with st.expander("Evidence as a table (every sentence score, term, actor and event)"):
        evidence = pd.DataFrame(
            evidence_rows(detail.title, detail.analyzed_text, detail.analysis, labels, events),
            columns=EVIDENCE_COLUMNS,
        )
        table(
            evidence,
            {
                "tone": signed("tone"),
                "weight": st.column_config.NumberColumn("weight", format="%+.1f"),
            },
        )
        download_csv(evidence.assign(article_id=detail.id), f"article-{detail.id}-evidence", f)
    st.caption("Original address (shown as text):")
    st.code(detail.url or "(none)", language=None, wrap_lines=True)
    if detail.url.startswith(("https://", "http://")):
        st.link_button("Open the original", detail.url, icon=":material/open_in_new:")
    st.caption(plain(f"Read with {detail.lexicon_version} · {detail.analyzer_version}"))


def show_list(total: int) -> None:
    """The matching articles, a page at a time; `total` is their number (the headline figures
    count them already: a second count would read every match again)."""
    st.title("Articles")
    left, mid, right = st.columns([2, 1, 1])
    sort = mid.selectbox("Sort by", loaders.SORT_KEYS, key="a_sort") or loaders.SORT_KEYS[0]
    descending = right.toggle("Descending", value=True, key="a_desc")
    offset = page_offset(left, total, "articles", "a_page", PAGE_SIZE)
    listing = loaders.list_articles(
        f, limit=PAGE_SIZE, offset=offset, sort=sort, descending=descending
    )
    shown = listing[loaders.TABLE_COLUMNS]
    event = pickable(
        shown,
        "a_table",
        {
            "published": when("published"),
            "title": wide("title"),
            "outlets": st.column_config.TextColumn("outlets", width="small"),
            "themes": st.column_config.TextColumn("themes", width="medium"),
            "tone": signed("tone", width="small", help=TONE_HELP),
            "lang": st.column_config.TextColumn("lang", width="small", help="detected language"),
            "relevance": st.column_config.ProgressColumn(
                "relevance", min_value=0.0, max_value=1.0, format="%.2f", width="small"
            ),
            "url": st.column_config.TextColumn("url"),
        },
        height=640,
    )
    st.caption(
        "Select a row to open the article with its evidence highlighted. Search titles and "
        "summaries in the sidebar."
    )
    untoned = shown[shown["tone"].isna()]
    if len(untoned):
        languages = ", ".join(sorted({language_label(str(code)) for code in untoned["lang"]}))
        st.caption(
            plain(
                f"{len(untoned)} article(s) on this page have no tone (blank, tone_label n/a), "
                f"never a 0: {languages}. Russian: tone n/a, {tone_na_reason('ru')}."
            )
        )
    download_csv(shown, "articles", f)
    open_selected(event, shown, "article")


raw_id = st.query_params.get("article")
if raw_id is not None:
    st.title("Article")
    chosen = article_id(raw_id)
    if chosen is not None:
        show_article(chosen)
    else:
        st.warning(plain(f"Ignored article={raw_id[:40]}: not an article id."))
elif (context := data_context(f, loaders.count_matching(f))) is not None:
    show_list(context.articles)
