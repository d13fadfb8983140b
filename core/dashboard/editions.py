"""The editions comparison of the Outlets page: one outlet's output in each language it publishes
in (TASS in Russian and in English, Meduza, DW …), side by side over the selected period — the
articles, the tone where there is one, the themes each edition emphasises as a share of its
articles, the actors each names — with a Download CSV of exactly what is compared.

An edition is an outlet name plus the detected language of its articles (the reads are in
core/storage/reads_editions.py). The frame builders here are pure; `show_editions` draws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.dashboard.charts import MARGIN, safe_text
from core.dashboard.downloads import download_csv
from core.dashboard.languages import LANGUAGE_NAMES, language_label, tone_na_reason
from core.dashboard.loaders import edition_actors, edition_themes, editions
from core.dashboard.notices import plain
from core.dashboard.tables import table
from core.models import Filters

LANGUAGE_ORDER = ("ru", "en")
"""Russian first, then English, then any other language by its code."""
LANGUAGE_COLOURS = {"ru": "#c0392b", "en": "#2c5aa0"}
RELATIONS_PLACEHOLDER = (
    "Relations reading (cooperation–conflict events per edition): not stored yet. This place is "
    "kept for it: when the relations reading is stored, each edition's events will be compared "
    "here with their evidence."
)
COMPARISON_COLUMNS = [
    "outlet", "lang", "kind", "name", "articles", "edition_articles", "share", "mean_tone",
    "tone_note",
]  # fmt: skip
"""The Download CSV under the comparison: one row per edition (kind 'edition'), per theme of an
edition ('theme', with its share) and per actor named ('actor')."""


def language_order(languages: Sequence[str]) -> list[str]:
    """The editions' languages in the order they are shown: Russian, English, then the rest."""

    def rank(code: str) -> tuple[int, str]:
        known = LANGUAGE_ORDER.index(code) if code in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
        return known, code

    return sorted(dict.fromkeys(languages), key=rank)


def tone_note(mean_tone: object, lang: str) -> str:
    """'' when an edition has a tone, else why not (a missing tone is never shown as 0)."""
    return "" if mean_tone is not None and pd.notna(mean_tone) else "n/a: " + tone_na_reason(lang)


def comparison_frame(
    outlet: str, shown: pd.DataFrame, themes: pd.DataFrame, actors: pd.DataFrame
) -> pd.DataFrame:
    """One long table of the comparison, for the Download CSV (COMPARISON_COLUMNS)."""
    rows: list[dict[str, object]] = []
    for edition in shown.itertuples():
        rows.append(
            {
                "outlet": outlet, "lang": edition.lang, "kind": "edition", "name": outlet,
                "articles": int(edition.articles), "edition_articles": int(edition.articles),
                "share": 1.0, "mean_tone": edition.mean_tone,
                "tone_note": tone_note(edition.mean_tone, str(edition.lang)),
            }
        )  # fmt: skip
    for theme in themes.itertuples():
        rows.append(
            {
                "outlet": outlet, "lang": theme.lang, "kind": "theme", "name": theme.theme,
                "articles": int(theme.articles), "edition_articles": int(theme.edition_articles),
                "share": float(theme.share), "mean_tone": None, "tone_note": "",
            }
        )  # fmt: skip
    totals = dict(zip(shown["lang"], shown["articles"], strict=False))
    for actor in actors.itertuples():
        total = int(totals.get(actor.lang, 0))
        rows.append(
            {
                "outlet": outlet, "lang": actor.lang, "kind": "actor", "name": actor.actor,
                "articles": int(actor.articles), "edition_articles": total,
                "share": (int(actor.articles) / total) if total else None,
                "mean_tone": None, "tone_note": "",
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def theme_shares(themes: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Theme × edition: the share of each edition's articles tagged with the theme (0 where an
    edition never touched it), and, with Russian and English editions, the gap ru − en."""
    if not len(themes):
        return pd.DataFrame(columns=["theme"])
    wide = themes.pivot_table(index="theme", columns="lang", values="share", fill_value=0.0)
    wide = wide[language_order(list(wide.columns))].rename_axis(columns=None)
    if {"ru", "en"} <= set(wide.columns):
        wide["gap ru − en"] = wide["ru"] - wide["en"]
    wide = wide.sort_values(next(iter(wide.columns)), ascending=False)
    wide.index = [labels.get(t, t) for t in wide.index]
    return wide.rename_axis("theme").reset_index()


def theme_share_chart(themes: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Grouped bars: per theme, the share of each edition's articles."""
    figure = go.Figure()
    for lang in language_order(list(themes["lang"])):
        mine = themes[themes["lang"] == lang]
        figure.add_bar(
            x=[safe_text(labels.get(t, t)) for t in mine["theme"]],
            y=list(mine["share"]),
            name=safe_text(language_label(lang)),
            marker_color=LANGUAGE_COLOURS.get(lang),
        )
    figure.update_layout(
        barmode="group", margin=MARGIN, yaxis_tickformat=".0%", legend_title_text="edition"
    )
    return figure


def _default(outlets: list[str], f: Filters) -> int:
    chosen = [o for o in f.outlets if o in outlets]
    if chosen:
        return outlets.index(chosen[0])
    return outlets.index("TASS") if "TASS" in outlets else 0


def _edition_column(
    outlet: str,
    edition: pd.Series,
    themes: pd.DataFrame,
    actors: pd.DataFrame,
    labels: Mapping[str, str],
) -> None:
    """One edition's column: its articles, its tone or why none, its themes and actors."""
    lang = str(edition["lang"])
    name = LANGUAGE_NAMES.get(lang, lang)
    st.markdown(f"**{plain(outlet)} · {plain(name)} edition** · {plain(lang)}")
    left, right = st.columns(2)
    left.metric("Articles", f"{int(edition['articles']):,}")
    tone = edition["mean_tone"]
    has_tone = tone is not None and pd.notna(tone)
    right.metric(
        "Mean tone",
        f"{float(tone):+.2f}" if has_tone else "n/a",
        help=None if has_tone else "tone n/a: " + tone_na_reason(lang),
    )
    if has_tone:
        scored = int(edition["scored"])
        st.caption(plain(f"Mean of the tones of {scored:,} scored article(s), in [-1, 1]."))
    else:
        st.caption(plain("tone n/a: " + tone_na_reason(lang)))
    mine = themes[themes["lang"] == lang][["theme", "share", "articles"]]
    table(
        mine.assign(theme=[labels.get(t, t) for t in mine["theme"]]),
        {
            "share": st.column_config.ProgressColumn(
                "share of its articles", min_value=0.0, max_value=1.0, format="percent"
            )
        },
    )
    named = actors[actors["lang"] == lang][["actor", "side", "articles"]]
    listed = ", ".join(f"{a} ({n})" for a, n in zip(named["actor"], named["articles"], strict=True))
    st.caption(plain("Actors named: " + (listed or "none")))


def show_editions(f: Filters, labels: Mapping[str, str]) -> None:
    """The editions section: an outlet picker, its editions side by side, the theme shares
    compared, the place kept for the relations reading, and the Download CSV."""
    st.subheader("Editions: one outlet in Russian and in English")
    found = editions(f)
    outlets = list(dict.fromkeys(found["outlet"])) if len(found) else []
    if not outlets:
        st.caption(
            "No outlet publishes in two languages in this selection (the outlet and language "
            "filters are set by this comparison itself)."
        )
        download_csv(pd.DataFrame(columns=COMPARISON_COLUMNS), "editions", f)
        return
    outlet = st.selectbox("Outlet", outlets, index=_default(outlets, f), key="ed_outlet")
    shown = found[found["outlet"] == outlet].set_index("lang", drop=False)
    order = language_order(list(shown["lang"]))
    themes, actors = edition_themes(f, outlet), edition_actors(f, outlet, 8)
    for column, lang in zip(st.columns(len(order)), order, strict=True):
        with column:
            _edition_column(outlet, shown.loc[lang], themes, actors, labels)
    if len(themes):
        st.plotly_chart(theme_share_chart(themes, labels), width="stretch")
        wide = theme_shares(themes, labels)
        table(
            wide,
            {
                c: st.column_config.NumberColumn(c, format="percent")
                for c in wide.columns
                if c != "theme"
            },
        )
    st.caption(
        "Themes as the share of each edition's articles, over the selected period and filters "
        "(outlet and language aside): what the outlet tells each audience. Russian is read with "
        "Russian terms and lemmas (docs/analysis.md, section 9)."
    )
    st.info(RELATIONS_PLACEHOLDER, icon=":material/pending:")
    download_csv(comparison_frame(outlet, shown, themes, actors), "editions", f)
