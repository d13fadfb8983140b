"""`detente retag` after a lexicon edit (issue 9): a relations lexicon passed explicitly is
applied to the stored articles, their relations and rollups; `--stale` re-reads only the
analyses older than the lexicons; a malformed config/relations.toml or config/tone.toml exits
2 with a message naming the file and line and leaves every stored analysis as it was. Real
SQLite files."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.analysis.analyzer import ANALYZER_VERSION, analyze
from core.commands.main import main
from core.config import CONFIG_DIR
from core.models import AnalyzedArticle, Filters
from core.storage import Store, articles
from tests.fixtures_db import analysed, table_counts

TITLE = "Washington froze Russian assets worth $300 billion, and Moscow condemned the move."
TEXT = (
    "Russia's Foreign Ministry said Moscow welcomed the talks with Washington. The United States "
    "expelled two Russian diplomats. Sanctions relief for Aeroflot parts was discussed."
)


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[str]:
    """A SQLite file holding two articles analysed with the lexicons of config/."""
    url = f"sqlite:///{tmp_path / 'detente.db'}"
    items = []
    for uid in ("k1", "k2"):
        article = dataclasses.replace(analysed(uid).article, title=TITLE, content=TEXT)
        items.append(AnalyzedArticle(article, analyze(TITLE, TEXT)))
    with Store.open(url) as store:
        store.save_articles(items)
    yield url


def edited(tmp_path: Path, name: str, edit: dict[str, str]) -> Path:
    """A copy of config/<name>.toml with each `old` text replaced by `new`."""
    text = (CONFIG_DIR / f"{name}.toml").read_text(encoding="utf-8")
    for old, new in edit.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def expel_weights(url: str) -> list[float]:
    with Store.open(url) as store:
        frame = store.relations_by_category(Filters())
    return list(frame[frame["category"] == "expel"]["score"])


def test_retag_applies_a_relations_lexicon_passed_explicitly(
    stored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert expel_weights(stored) == [-0.7]
    lexicon = edited(
        tmp_path,
        "relations",
        {'version = "': 'version = "edited-', "weight = -7.0": "weight = -9.5"},
    )
    with Store.open(stored) as store:
        before = store.analysis_versions()[0]
        assert store.stale_analyses(before, ANALYZER_VERSION) == 0
    assert main(["--db", stored, "retag", "--stale", "--relations", str(lexicon)]) == 0
    assert capsys.readouterr().out.strip() == "re-analyzed 2 articles"
    assert expel_weights(stored) == [-0.95]
    with Store.open(stored) as store:
        lexicon_version = store.analysis_versions()[0]
        assert "+relations-edited-" in lexicon_version and lexicon_version != before
        assert store.stale_analyses(lexicon_version, ANALYZER_VERSION) == 0
        assert store.stale_analyses(before, ANALYZER_VERSION) == 2  # config/ is now older
        detail = store.get_article(1)
        assert detail is not None
        events = detail.analysis.relations.events
        assert {e.category: e.weight for e in events}["expel"] == -9.5
        mean = sum(e.weight for e in events) / len(events)
        assert detail.analysis.relations.score == round(mean / 10, 4)
        with store.engine.connect() as conn:
            score = conn.execute(sa.select(articles.c.relations_score).limit(1)).scalar_one()
        assert score == detail.analysis.relations.score
    assert main(["--db", stored, "retag", "--stale", "--relations", str(lexicon)]) == 0
    assert capsys.readouterr().out.strip() == "re-analyzed 0 articles"
    assert main(["--db", stored, "retag"]) == 0  # back to config/: every article
    assert capsys.readouterr().out.strip() == "re-analyzed 2 articles"
    assert expel_weights(stored) == [-0.7]


BAD = [
    ("relations", {'version = "2026': 'version = "2026\n[[oops'}, r"relations\.toml:\d+"),
    ("relations", {'"material_conflict"': '"hostile"'}, r"relations\.toml:\d+:.*hostile"),
    ("relations", {"weight = -7.0": "weight = -12.0"}, r"relations\.toml:\d+:.*expel"),
    ("relations", {'"expel*", ': '"", '}, r"relations\.toml:\d+:.*expel"),
    ("tone", {'version = "2026': 'version = "2026\n[[oops'}, r"tone\.toml:\d+"),
    ("tone", {'"sanctions relief", ': '"", '}, r"tone\.toml:\d+"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "edit", "message"), BAD)
def test_a_malformed_lexicon_changes_nothing_stored(
    stored: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    edit: dict[str, str],
    message: str,
) -> None:
    bad = edited(tmp_path, name, edit)
    with Store.open(stored) as store:
        counts = table_counts(store)
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(articles).order_by(articles.c.id)).all()
    assert main(["--db", stored, "retag", f"--{name}", str(bad)]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert str(bad) in err
    with Store.open(stored) as store:
        assert table_counts(store) == counts
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(articles).order_by(articles.c.id)).all() == rows
