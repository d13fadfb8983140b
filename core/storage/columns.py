"""Column lists defined once: the store's reads return them, core/export.py writes them."""

from __future__ import annotations

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "published", "published_estimated", "title", "outlets", "blocs", "themes", "actors",
    "tone", "tone_label", "relevance", "relevant", "lang", "url", "lexicon_version",
    "analyzer_version",
)  # fmt: skip
"""An exported article: one row each in `Store.iter_export_articles` and the articles CSV.
`published_estimated` is true when the feed gave no usable date and `published` is the time the
article was first seen."""

SORTABLE: tuple[str, ...] = ("published", "tone", "relevance", "outlet", "title")
"""What `Store.list_articles` can sort by."""
