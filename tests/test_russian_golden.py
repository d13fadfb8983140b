"""The Russian reading gives the same output as before a change meant only to make it faster:
every Russian set of tests/data (ru_eval*.jsonl, relations_ru_eval.jsonl), item by item and all
of each set joined into one long article, is analysed with each backend of
core/analysis/russian.py, and the JSON of `detente analyze` (core/commands/analyze.py: sentences,
themes, actors with their spans, relevance, the relations reading) is recorded as one digest per
set and backend in tests/data/russian_golden.json (also for ODD: ru_eval.jsonl's texts bent the
ways hostile feed text is: glued sentences, capitals, letters whose lower case is longer, other
spaces and dashes, no quotes or commas), with the lexicon and analyzer versions it was
made with. When those versions change (a lexicon edit, a new method), the record no longer
applies and the test fails until it is written again:
`PYTHONPATH=. python -m tests.test_russian_golden`."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pytest

from core.analysis.actors import default_gazetteer
from core.analysis.analyzer import Analyzer
from core.analysis.russian import RussianReader
from core.analysis.russian_terms import load_russian_terms
from core.analysis.russian_words import Backend
from core.analysis.themes import default_lexicon
from core.commands.analyze import analysis_json

DATA = Path(__file__).resolve().parent / "data"
RECORD = DATA / "russian_golden.json"
SETS = (*sorted(DATA.glob("ru_eval*.jsonl")), DATA / "relations_ru_eval.jsonl")
BACKENDS: tuple[Backend, ...] = ("hybrid", "lemma", "stem")
_VERSIONS = ("lexicon_version", "analyzer_version")

ODD = "ru_eval.jsonl~odd"
_BENT = (
    lambda text: text.replace(". ", "."),
    str.upper,
    lambda text: " ".join(
        "İ" + word if n % 7 == 3 else word for n, word in enumerate(text.split(" "))
    ),
    lambda text: text.replace(" ", "\u00a0").replace("-", "—"),
    lambda text: text.translate(str.maketrans("", "", "«»,")),
)


def _articles(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    articles = [(str(item.get("title", "")), str(item["text"])) for item in items]
    return [*articles, (articles[0][0], "\n\n".join(text for _, text in articles))]


def _odd() -> list[tuple[str, str]]:
    return [
        (bend(title), bend(text))
        for bend in _BENT
        for title, text in _articles(DATA / "ru_eval.jsonl")[:-1]
    ]


@lru_cache(maxsize=len(BACKENDS))
def _analyzer(backend: Backend) -> Analyzer:
    return Analyzer(
        default_lexicon(), default_gazetteer(), russian=RussianReader(load_russian_terms(), backend)
    )


def digests() -> tuple[dict[str, str], dict[str, str]]:
    """({set:backend: sha256 of its JSON lines}, the versions of the first analysis)."""
    found: dict[str, str] = {}
    versions: dict[str, str] = {}
    for name, articles in [(path.name, _articles(path)) for path in SETS] + [(ODD, _odd())]:
        for backend in BACKENDS:
            analyze = _analyzer(backend).analyze
            lines = []
            for title, text in articles:
                shown = analysis_json(analyze(title, text))
                versions = versions or {key: str(shown[key]) for key in _VERSIONS}
                lines.append(json.dumps(shown, ensure_ascii=False, sort_keys=True))
            output = "\n".join(lines).encode("utf-8")
            found[f"{name}:{backend}"] = hashlib.sha256(output).hexdigest()
    return found, versions


def test_russian_output_is_unchanged() -> None:
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    found, versions = digests()
    if {key: record[key] for key in _VERSIONS} != versions:
        pytest.fail(f"{RECORD.name} is for other lexicons or another analyzer: rewrite it")
    changed = [name for name, digest in found.items() if record["sha256"].get(name) != digest]
    assert not changed, f"the Russian reading changed on {changed}"


def _rewrite() -> None:  # pragma: no cover - run by hand after a change of lexicon or method
    import sys

    found, versions = digests()
    record: dict[str, object] = {**versions, "sha256": found}
    RECORD.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{RECORD}: {len(found)} digests", file=sys.stderr)


if __name__ == "__main__":
    _rewrite()
