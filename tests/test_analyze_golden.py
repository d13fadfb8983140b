"""`detente analyze --jsonl` gives the same bytes as before a change that was meant only to make
it faster: the output of a fixed sample (the first NYT editorials of bench/data and articles of
bench/bench_analysis.py's generator) is recorded as a digest in tests/data/analyze_golden.json,
with the lexicon and analyzer versions it was made with. When those versions change (a lexicon
edit, a new method), the record no longer applies and the test fails until it is written
again: `PYTHONPATH=. python -m tests.test_analyze_golden`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from core.commands.main import main

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "tests" / "data" / "analyze_golden.json"
NYT = REPO / "bench" / "data" / "nytEditorialSnippets_GroundTruth.txt"
EDITORIALS = 80
SYNTHETIC = 40


def sample_lines() -> bytes:
    """The JSON Lines input: editorials (no title) then generated news articles."""
    from bench.bench_analysis import make_articles, nyt_editorials

    articles = nyt_editorials(NYT)[:EDITORIALS] + make_articles(SYNTHETIC)
    return b"".join(
        (json.dumps({"id": n, "title": title, "text": text}) + "\n").encode("utf-8")
        for n, (title, text) in enumerate(articles)
    )


def output_of(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, str]]:
    """(sha256 of the output, the versions in its first line)."""
    capsys.readouterr()
    assert main(["analyze", "--jsonl", str(path)]) == 0
    out = capsys.readouterr().out
    first = json.loads(out.splitlines()[0])
    versions = {key: first[key] for key in ("lexicon_version", "analyzer_version")}
    return hashlib.sha256(out.encode("utf-8")).hexdigest(), versions


def test_analyze_jsonl_output_is_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sample.jsonl"
    path.write_bytes(sample_lines())
    digest, versions = output_of(path, capsys)
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    if {key: record[key] for key in versions} != versions:
        pytest.fail(f"{RECORD.name} is for other lexicons or another analyzer: rewrite it")
    assert digest == record["sha256"], "the output of analyze --jsonl changed"


def _rewrite() -> None:  # pragma: no cover - run by hand after a change of lexicon or method
    import contextlib
    import io
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.jsonl"
        path.write_bytes(sample_lines())
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main(["analyze", "--jsonl", str(path)])
    text = out.getvalue()
    first = json.loads(text.splitlines()[0])
    record = {key: first[key] for key in ("lexicon_version", "analyzer_version")}
    record["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    RECORD.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"{RECORD}: {record}", file=sys.stderr)


if __name__ == "__main__":
    _rewrite()
