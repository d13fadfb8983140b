"""An analysed article as a row of `articles` and back: the values written, the evidence kept
as compact JSON for the annotated view, and the Analysis read from a stored row."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from core.models import ActorMention, Analysis, AnalyzedArticle, SentenceTone, ThemeMatch


def content_hash(article: Any) -> str:
    parts = (article.title, article.summary, article.content, article.fulltext)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def evidence_json(analysis: Analysis) -> str:
    """Compact evidence for the annotated view: sentences, theme matches, actor mentions."""
    return json.dumps(
        {
            "s": [[s.field, s.start, s.end, s.tone] for s in analysis.sentences],
            "t": [[m.theme, m.term, m.field, m.start, m.end] for m in analysis.themes],
            "a": [[a.actor, a.side, a.field, a.start, a.end] for a in analysis.actors],
            "names": list(analysis.theme_names),
            "lang": analysis.lang,
        },
        separators=(",", ":"),
    )


def analysis_from_row(row: Any) -> Analysis:
    data = json.loads(row.evidence or "{}")
    return Analysis(
        tone=row.tone,
        tone_label=row.tone_label,
        sentences=tuple(SentenceTone(s, e, t, f) for f, s, e, t in data.get("s", [])),
        themes=tuple(ThemeMatch(th, te, s, e, f) for th, te, f, s, e in data.get("t", [])),
        theme_names=tuple(data.get("names", [])),
        actors=tuple(ActorMention(ac, si, s, e, f) for ac, si, f, s, e in data.get("a", [])),
        relevance=row.relevance,
        relevant=bool(row.relevant),
        lang=row.lang,
        lexicon_version=row.lexicon_version,
        analyzer_version=row.analyzer_version,
    )


def analyzed_text(row: Any) -> str:
    """The text the stored analysis offsets index ('' in the row means: the content)."""
    return str(row.analyzed_text or row.content)


def outlet_row(article_id: int, item: AnalyzedArticle) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "outlet": item.article.outlet,
        "bloc": item.article.bloc,
        "feed_url": item.article.feed_url,
    }


def analysis_values(analysis: Analysis) -> dict[str, Any]:
    return {
        "lang": analysis.lang,
        "tone": analysis.tone,
        "tone_label": analysis.tone_label,
        "relevance": analysis.relevance,
        "relevant": analysis.relevant,
        "theme_list": ", ".join(analysis.theme_names),
        "actor_list": ", ".join(dict.fromkeys(a.actor for a in analysis.actors)),
        "evidence": evidence_json(analysis),
        "lexicon_version": analysis.lexicon_version,
        "analyzer_version": analysis.analyzer_version,
    }


def article_row(item: AnalyzedArticle) -> dict[str, Any]:
    article = item.article
    published = article.published.astimezone(UTC)
    return {
        "uid": article.uid,
        "url": article.url,
        "guid": article.guid,
        "title": article.title,
        "summary": article.summary,
        "content": article.content,
        "fulltext": article.fulltext,
        "analyzed_text": "" if article.body == article.content else article.body,
        "published_at": published,
        "published_day": published.date(),
        "published_estimated": article.published_estimated,
        "fetched_at": article.fetched.astimezone(UTC),
        "feed_url": article.feed_url,
        "outlet": article.outlet,
        "bloc": article.bloc,
        "content_hash": content_hash(article),
        "is_demo": article.is_demo,
        **analysis_values(item.analysis),
    }
