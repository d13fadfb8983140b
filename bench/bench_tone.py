"""Does the domain tone layer (config/tone.toml) read better than stock VADER? Measured three ways,
stock VADER and VADER with the layer on the same sentences (bench/data/NOTICE names the data):

- the VADER paper's 498 NYT editorials (5,190 sentences, each rated by at least 20 people, -4 …
  +4): Pearson r of the mean of an editorial's sentence scores against the mean human rating —
  the layer must be no worse than stock VADER — and r over the single sentences;
- NewsMTSC's "real-world" dev/test set (1,067 political news sentences, five coders): r of the
  compound against the mean target polarity (-1 / 0 / +1) and macro-F1 of the compound's sign
  (±0.05) against that polarity's sign. NewsMTSC rates the sentiment *towards a named person*,
  so whole-sentence tone is only a proxy there: the figure compares the two readings, no more;
- the in-domain cases of tests/data/tone_domain.tsv (US–Russia news written for this project):
  the share of sentences whose sign is right.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from core.analysis.tone import NEUTRAL_BAND
from core.analysis.tone_domain import ToneDomain, default_tone_domain

DATA = Path(__file__).resolve().parent / "data"
NYT = DATA / "nytEditorialSnippets_GroundTruth.txt"
NEWSMTSC = DATA / "NewsMTSC_devtest_rw.jsonl"
IN_DOMAIN = Path(__file__).resolve().parent.parent / "tests" / "data" / "tone_domain.tsv"

SIGNS: dict[str, Callable[[float], bool]] = {
    "-": lambda x: x <= -NEUTRAL_BAND,
    "+": lambda x: x >= NEUTRAL_BAND,
    "0": lambda x: -NEUTRAL_BAND < x < NEUTRAL_BAND,
    "<=0": lambda x: x < NEUTRAL_BAND,
    ">=0": lambda x: x > -NEUTRAL_BAND,
}
"""The expected signs of tests/data/tone_domain.tsv, by VADER's ±0.05 convention."""


def nyt_snippets(path: Path = NYT) -> list[tuple[str, float, str]]:
    """(editorial id, mean human rating, sentence) of the VADER paper's NYT data."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            snippet_id, rating, text = line.split("\t", 2)
            rows.append((snippet_id.split("_")[0], float(rating), text))
    return rows


def newsmtsc_sentences(path: Path = NEWSMTSC) -> list[tuple[float, str]]:
    """(mean target polarity in -1 … +1, sentence) of NewsMTSC's real-world dev/test set."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        polarity = statistics.mean((t["polarity"] - 4.0) / 2.0 for t in item["targets"])
        rows.append((polarity, item["sentence_normalized"]))
    return rows


def in_domain_cases(path: Path = IN_DOMAIN) -> list[tuple[str, str]]:
    """(sentence, expected sign) of tests/data/tone_domain.tsv."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    return [(sentence, sign) for sentence, sign in rows[1:]]


def score(domain: ToneDomain, sentence: str) -> tuple[float, float]:
    """(stock VADER, with the layer) compound of one sentence."""
    ((vader, tone, _),) = domain.score_field(sentence, [(0, len(sentence))])
    return vader, tone


def nyt_correlations(domain: ToneDomain) -> dict[str, float]:
    """Pearson r against the human ratings: per editorial (sentence mean) and per sentence."""
    by_editorial: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for editorial, rating, text in nyt_snippets():
        by_editorial[editorial].append((rating, *score(domain, text)))
    rows = [row for group in by_editorial.values() for row in group]
    means = [
        tuple(statistics.mean(col) for col in zip(*g, strict=True)) for g in by_editorial.values()
    ]
    return {
        "editorials": len(by_editorial),
        "sentences": len(rows),
        "stock": statistics.correlation([m[1] for m in means], [m[0] for m in means]),
        "domain": statistics.correlation([m[2] for m in means], [m[0] for m in means]),
        "stock_sentence": statistics.correlation([r[1] for r in rows], [r[0] for r in rows]),
        "domain_sentence": statistics.correlation([r[2] for r in rows], [r[0] for r in rows]),
    }


def _sign(value: float, band: float) -> int:
    return 1 if value >= band else -1 if value <= -band else 0


def macro_f1(predicted: list[int], gold: list[int]) -> float:
    """Mean F1 over the classes -1, 0, +1."""
    scores = []
    for label in (-1, 0, 1):
        tp = sum(p == label and g == label for p, g in zip(predicted, gold, strict=True))
        wrong = sum((p == label) != (g == label) for p, g in zip(predicted, gold, strict=True))
        scores.append(2 * tp / (2 * tp + wrong) if tp else 0.0)
    return sum(scores) / len(scores)


def newsmtsc_figures(domain: ToneDomain) -> dict[str, float]:
    rows = newsmtsc_sentences()
    human = [polarity for polarity, _ in rows]
    scored = [score(domain, text) for _, text in rows]
    gold = [_sign(h, 1e-9) for h in human]
    return {
        "sentences": len(rows),
        "stock": statistics.correlation([s for s, _ in scored], human),
        "domain": statistics.correlation([d for _, d in scored], human),
        "stock_f1": macro_f1([_sign(s, NEUTRAL_BAND) for s, _ in scored], gold),
        "domain_f1": macro_f1([_sign(d, NEUTRAL_BAND) for _, d in scored], gold),
    }


def in_domain_accuracy(domain: ToneDomain) -> dict[str, float]:
    cases = in_domain_cases()
    scored = [(SIGNS[sign], *score(domain, sentence)) for sentence, sign in cases]
    return {
        "cases": len(cases),
        "stock": sum(right(stock) for right, stock, _ in scored) / len(cases),
        "domain": sum(right(tone) for right, _, tone in scored) / len(cases),
    }


def main() -> None:
    domain = default_tone_domain()
    print(f"domain layer: config/tone.toml version {domain.version}, {len(domain.phrases)} phrases")
    nyt = nyt_correlations(domain)
    print(
        f"NYT editorials (VADER paper), {nyt['editorials']:.0f} editorials, "
        f"{nyt['sentences']:.0f} sentences, Pearson r vs human mean:"
    )
    print(f"  editorial sentence-mean: stock VADER {nyt['stock']:.4f}   domain {nyt['domain']:.4f}")
    print(
        f"  single sentences:        stock VADER {nyt['stock_sentence']:.4f}   "
        f"domain {nyt['domain_sentence']:.4f}"
    )
    news = newsmtsc_figures(domain)
    print(f"NewsMTSC devtest_rw, {news['sentences']:.0f} sentences (target sentiment as a proxy):")
    print(f"  Pearson r:       stock VADER {news['stock']:.4f}   domain {news['domain']:.4f}")
    print(f"  macro-F1 (sign): stock VADER {news['stock_f1']:.4f}   domain {news['domain_f1']:.4f}")
    own = in_domain_accuracy(domain)
    print(
        f"in-domain cases (tests/data/tone_domain.tsv), {own['cases']:.0f} sentences, sign right:"
    )
    print(f"  stock VADER {own['stock']:.1%}   domain {own['domain']:.1%}")


if __name__ == "__main__":
    main()
