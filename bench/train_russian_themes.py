"""Fit the learned Russian theme model (core/analysis/russian_model.py) and write its weights to
config/russian_theme_model.json: `PYTHONPATH=. python -m bench.train_russian_themes` (`--check`
refits and fails when the file differs; `--cv` also prints the leave-one-file-out scores).

Training data: the labelled Russian sets of tests/data named in TRAINING, never a held-out set
(HELD_OUT: kept for one final scoring). Features: the distinct lemmas of title and text (the
reader's words, core/analysis/russian_model.py `features`) found in at least MIN_DF items.
Per theme, an L2-regularised logistic regression with balanced class weights (C = C_VALUE, the
intercept regularised like the weights, as liblinear does), fitted by Newton's method through
the items' Gram matrix (the Woodbury identity: an n x n solve per step for n items), so the fit
is exact, deterministic and needs numpy only.

Threshold: each set in turn is left out, the model fitted on the others scores it; the
threshold is the lowest of GRID at which these out-of-file predictions alone are at least
PRECISION precise, so a theme is added only where the model is that sure on text written apart
from its training text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.bench_russian import load_eval
from core.analysis.russian import RussianReader
from core.analysis.russian_model import DEFAULT_MODEL_PATH, features, readable
from core.analysis.russian_terms import load_russian_terms

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TRAINING = (
    "ru_eval.jsonl",
    "ru_eval_holdout.jsonl",
    *(f"ru_eval_holdout{k}.jsonl" for k in range(2, 12)),
)
HELD_OUT = ("ru_eval_holdout12", "relations_ru_holdout8")
"""Prefixes of sets never read here (the lead scores them once)."""
MODEL_VERSION = "2026.11-4"
MIN_DF = 2
C_VALUE = 1.0
PRECISION = 0.9
GRID = tuple(round(0.3 + 0.05 * k, 2) for k in range(14))
DIGITS = 4
"""Weights are written rounded to this many decimals; those that round to 0 are left out."""

Matrix = npt.NDArray[np.float64]


def load_sets() -> list[tuple[str, list[dict[str, Any]]]]:
    """(file name, items) of every training set."""
    sets = []
    for name in TRAINING:
        if name.startswith(HELD_OUT):
            raise SystemExit(f"{name} is held out")
        sets.append((name, load_eval(DATA / name)))
    return sets


def item_features(items: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """Each item's features, from the words the Russian reader reads outside its false friends
    (as core/analysis/russian.py gives them to the model)."""
    reader = RussianReader(load_russian_terms(), model=False)
    rows = []
    for item in items:
        *_, tokens, hidden = reader.read(item["title"], item["text"])
        rows.append(features(readable(tokens[0], hidden[0]) + readable(tokens[1], hidden[1])))
    return rows


def vocabulary(rows: list[tuple[str, ...]]) -> list[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for word in row:
            counts[word] = counts.get(word, 0) + 1
    return sorted(word for word, count in counts.items() if count >= MIN_DF)


def design(rows: list[tuple[str, ...]], words: list[str]) -> Matrix:
    """Binary item x lemma matrix with a last column of ones (the intercept)."""
    column = {word: k for k, word in enumerate(words)}
    matrix = np.zeros((len(rows), len(words) + 1))
    matrix[:, -1] = 1.0
    for i, row in enumerate(rows):
        for word in row:
            if word in column:
                matrix[i, column[word]] = 1.0
    return matrix


def fit(matrix: Matrix, labels: npt.NDArray[np.int_], c: float = C_VALUE) -> Matrix:
    """Weights (one row per label column; the intercept last) minimising, per column,
    ||w||^2 / 2 + c * sum_i cw_i * logloss_i, cw balanced; Newton steps solved through the
    Gram matrix: (I + U'U)^-1 g = g - U'(I + UU')^-1 U g with U = sqrt(D) X."""
    n = matrix.shape[0]
    gram = matrix @ matrix.T
    out = np.zeros((labels.shape[1], matrix.shape[1]))
    for j in range(labels.shape[1]):
        y = labels[:, j].astype(np.float64)
        positive = y.sum()
        if positive in (0, n):
            continue
        cw = np.where(y > 0, n / (2 * positive), n / (2 * (n - positive)))
        w = np.zeros(matrix.shape[1])

        def loss(weights: Matrix, cw: Matrix = cw, y: Matrix = y) -> float:
            z = matrix @ weights
            return float(0.5 * weights @ weights + c * (cw * (np.logaddexp(0, z) - y * z)).sum())

        current = loss(w)
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-(matrix @ w)))
            grad = w + c * matrix.T @ (cw * (p - y))
            if np.abs(grad).max() < 1e-9:
                break
            root = np.sqrt(c * cw * p * (1 - p))
            inner = np.eye(n) + root[:, None] * gram * root[None, :]
            step = grad - matrix.T @ (root * np.linalg.solve(inner, root * (matrix @ grad)))
            size = 1.0
            while size > 1e-6:  # backtracking: Newton's full step nearly always holds
                trial = loss(w - size * step)
                if trial <= current:
                    break
                size /= 2
            w, current = w - size * step, loss(w - size * step)
        out[j] = w
    return out


def probabilities(weights: Matrix, matrix: Matrix) -> Matrix:
    return np.asarray(1.0 / (1.0 + np.exp(-(matrix @ weights.T))), dtype=np.float64)


def out_of_file(
    rows: list[tuple[str, ...]], labels: npt.NDArray[np.int_], groups: npt.NDArray[np.int_]
) -> Matrix:
    """Each item's probabilities from the model fitted on the other sets."""
    result = np.zeros(labels.shape, dtype=np.float64)
    for group in sorted(set(groups.tolist())):
        train, test = np.where(groups != group)[0], np.where(groups == group)[0]
        words = vocabulary([rows[i] for i in train])
        weights = fit(design([rows[i] for i in train], words), labels[train])
        result[test] = probabilities(weights, design([rows[i] for i in test], words))
    return result


def choose_threshold(scores: Matrix, labels: npt.NDArray[np.int_]) -> float:
    """The lowest GRID value at which the predictions alone are PRECISION precise."""
    for threshold in GRID:
        predicted = scores >= threshold
        found = int(predicted.sum())
        if found and (predicted & (labels > 0)).sum() / found >= PRECISION:
            return threshold
    return GRID[-1]


def train(show_cv: bool = False) -> dict[str, Any]:
    """The model file's content, fitted on every training set."""
    sets = load_sets()
    items = [item for _, found in sets for item in found]
    groups = np.array([k for k, (_, found) in enumerate(sets) for _ in found])
    themes = sorted({theme for item in items for theme in item["themes"]})
    labels = np.array([[theme in item["themes"] for theme in themes] for item in items], dtype=int)
    rows = item_features(items)
    scores = out_of_file(rows, labels, groups)
    threshold = choose_threshold(scores, labels)
    if show_cv:
        for value in GRID:
            predicted = scores >= value
            right = int((predicted & (labels > 0)).sum())
            print(
                f"threshold {value:.2f}: model alone, out of file, P "
                f"{right / max(1, int(predicted.sum())):.3f} R {right / int(labels.sum()):.3f}"
            )
        print(f"chosen threshold {threshold:.2f} (alone >= {PRECISION} precise)")
    words = vocabulary(rows)
    weights = fit(design(rows, words), labels)
    tables = {}
    for j, theme in enumerate(themes):
        kept = {
            word: round(float(value), DIGITS)
            for word, value in zip(words, weights[j, :-1], strict=True)
            if round(float(value), DIGITS) != 0.0
        }
        tables[theme] = {"intercept": round(float(weights[j, -1]), DIGITS), "weights": kept}
    return {
        "version": MODEL_VERSION,
        "enabled": enabled(),
        "about": (
            "Per-theme logistic regression over lemmas, written by "
            "bench/train_russian_themes.py; see core/analysis/russian_model.py"
        ),
        "trained_on": list(TRAINING),
        "items": len(items),
        "min_df": MIN_DF,
        "c": C_VALUE,
        "threshold": threshold,
        "themes": tables,
    }


def enabled() -> bool:
    """The switch as the model file sets it (true when there is no file yet): a refit keeps it."""
    try:
        return bool(json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))["enabled"])
    except (OSError, ValueError, KeyError):
        return True


def dumps(model: dict[str, Any]) -> str:
    return json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = dumps(train(show_cv="--cv" in args))
    if "--check" in args:
        same = DEFAULT_MODEL_PATH.read_text(encoding="utf-8") == text
        print(f"{DEFAULT_MODEL_PATH.name}: {'as fitted' if same else 'DIFFERS from a refit'}")
        return 0 if same else 1
    DEFAULT_MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DEFAULT_MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
