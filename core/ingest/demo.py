"""The bundled demo corpus (data/demo/): loaded through the same parse → clean → analyze → store
path as live feeds, so what the demo shows is what polling would have produced."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from core.config import DATA_DIR, ConfigError, load_toml, table_lines
from core.ingest.read import Source, analyze_all, read_articles
from core.ingest.stories import StoryStep
from core.storage import SaveCounts, Store

DEMO_DIR = DATA_DIR / "demo"
MANIFEST = DEMO_DIR / "manifest.toml"
DEMO_FETCHED = datetime(2026, 11, 21, tzinfo=UTC)
"""When the demo corpus was 'fetched': every demo item carries its own pubDate."""
DEMO_HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}


@dataclasses.dataclass(frozen=True, slots=True)
class DemoFile:
    path: Path
    outlet: str
    bloc: str
    feed_url: str


def demo_files(manifest: Path = MANIFEST) -> list[DemoFile]:
    document = load_toml(manifest)
    tables = document.get("file", [])
    starts = table_lines(manifest, "file")
    files = []
    for index, table in enumerate(tables):
        where = f"{manifest}:{starts[index]}" if index < len(starts) else str(manifest)
        try:
            files.append(
                DemoFile(
                    path=manifest.parent / table["path"],
                    outlet=table["outlet"],
                    bloc=table["bloc"],
                    feed_url=table["feed_url"],
                )
            )
        except KeyError as exc:
            raise ConfigError(f"{where}: [[file]] is missing {exc.args[0]}") from exc
    return files


def load_demo(
    store: Store,
    *,
    manifest: Path = MANIFEST,
    on_file: Callable[[DemoFile, int], None] | None = None,
) -> SaveCounts:
    """Load every demo file; idempotent (a second load writes nothing)."""
    new = updated = unchanged = 0
    for demo in demo_files(manifest):
        source = Source(demo.feed_url, demo.outlet, demo.bloc)
        body = demo.path.read_bytes()
        found, _, problem = read_articles(source, body, DEMO_HEADERS, demo.feed_url, DEMO_FETCHED)
        if problem is not None:
            raise ConfigError(f"{demo.path}: not a usable feed: {problem}")
        analyzed = analyze_all([dataclasses.replace(a, is_demo=True) for a in found])
        counts = store.save_articles(analyzed)
        new, updated, unchanged = (
            new + counts.new,
            updated + counts.updated,
            unchanged + counts.unchanged,
        )
        if on_file is not None:
            on_file(demo, len(analyzed))
    StoryStep(first_window_only=False).run(
        store
    )  # the corpus clustered into stories, as a poll round would
    return SaveCounts(new=new, updated=updated, unchanged=unchanged)
