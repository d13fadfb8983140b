"""Column lists defined once: the store's reads return them, core/export.py writes them."""

from __future__ import annotations

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "published", "published_estimated", "title", "outlets", "blocs", "themes", "actors",
    "tone", "tone_label", "relations_score", "relations_label", "relevance", "relevant", "lang",
    "url", "lexicon_version", "analyzer_version", "story_id", "copy_of",
)  # fmt: skip
"""An exported article: one row each in `Store.iter_export_articles` and the articles CSV.
`story_id` is the story it belongs to (empty before the stories step has run on it) and
`copy_of` the `id` of the article it copies (syndicated wire copy; empty for an original).
`published_estimated` is true when the feed gave no usable date and `published` is the time the
article was first seen; `relations_score` (−1 … 1) and `relations_label` (cooperation, conflict,
neutral) are empty when the article holds no US–Russia event."""

ARTICLE_LIST_COLUMNS: tuple[str, ...] = (
    "id", "published", "outlet", "bloc", "title", "themes", "actors", "tone", "tone_label",
    "relevance", "lang", "url",
)  # fmt: skip
"""The rows of `Store.list_articles` as read, before `outlets` and `blocs` (every outlet that
carried the article) are added."""

ARTICLE_TABLE_COLUMNS: tuple[str, ...] = (
    "id", "published", "tone", "outlets", "title", "themes", "relevance", "blocs", "tone_label",
    "lang", "url",
)  # fmt: skip
"""The Articles page's table, in the order shown."""

SORTABLE: tuple[str, ...] = ("published", "tone", "relevance", "outlet", "title")
"""What `Store.list_articles` can sort by."""
