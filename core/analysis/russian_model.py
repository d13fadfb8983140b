"""A learned complement to the Russian theme terms: one logistic regression per theme over the
lemmas of an article, fitted on the labelled Russian sets of tests/data by
bench/train_russian_themes.py and kept as plain weights in config/russian_theme_model.json.

Why: the hand-written Russian terms (config/themes.toml) meet the targets on the sets they were
fitted to but miss themes on each fresh set (each round adds the words the last set missed).
Scored on each fresh set as it came, with the terms as they stood then and the model trained on
the earlier sets only, adding the model's themes raised recall from 0.781 to 0.838 at precision
0.888 (docs/analysis.md, "Learned theme model"). So the model only ADDS a theme, and only where
its probability reaches the file's `threshold` (the lowest at which it alone was 0.9 precise on
text written apart from its training text); the terms' themes are never removed.

Scoring is a sparse dot product over the article's distinct lemmas (the reader's words, lemmas
from core/analysis/russian_words.py), so it adds a few dictionary look-ups per word. Evidence:
the first place of each of the EVIDENCE_WORDS lemmas with the largest positive weights for the
theme (prepositions, conjunctions and particles left out), as spans of the original title or
text.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.analysis.russian_words import RUSSIAN_MEMO_LIMIT, Tokens, grammemes, lemma
from core.config import CONFIG_DIR, ConfigError
from core.models import TextField, ThemeMatch

DEFAULT_MODEL_PATH = CONFIG_DIR / "russian_theme_model.json"
EVIDENCE_WORDS = 3
"""Words shown as the evidence of a theme the model adds."""
FUNCTION_WORDS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
"""Parts of speech never shown as evidence (they weigh in the score, but «по» or «над» says
nothing to a reader)."""
SIDES_NEEDED = {"prisoners_consular": "both", "diplomacy": "either", "sanctions": "either"}
"""Themes the model adds only where the article names these sides (docs/analysis.md section 9,
"Labelling conventions"): a detention is consular affairs only with a national of one side held
by the other, talks are diplomacy only with the US or Russia a party, and sanctions stories name
the side that imposes or bears them; a court in Ulan-Ude or OPEC's quotas name neither."""


def sides_allow(theme: str, kinds: set[str]) -> bool:
    """Whether an article whose side markers are of `kinds` ("us", "russia", "joint") may be
    given `theme` by the model."""
    needed = SIDES_NEEDED.get(theme)
    if needed is None or "joint" in kinds:
        return True
    if needed == "both":
        return {"us", "russia"} <= kinds
    return bool(kinds & {"us", "russia"})


TERM_PREFIX = "model: "
"""A model theme match's `term`: this and the lemma, so it never reads as a lexicon term."""


def readable(tokens: Tokens, hidden: Sequence[tuple[int, int]]) -> list[str]:
    """The lowered words of `tokens` outside the `hidden` spans (the false friends the reader
    read: «выяснили журналисты» is no media story, so «журналист» is no evidence of one)."""
    if not hidden:
        return tokens.lowered
    inside = _inside(tokens, hidden)
    return [low for index, low in enumerate(tokens.lowered) if index not in inside]


def _inside(tokens: Tokens, hidden: Sequence[tuple[int, int]]) -> set[int]:
    """The indexes of the words of `tokens` that lie wholly inside one of the `hidden` spans:
    the words are in order and do not overlap, so those of a span are a run found by bisection."""
    spans, inside = tokens.spans, set()
    for left, right in hidden:
        index = bisect_left(spans, (left,))
        while index < len(spans) and spans[index][1] <= right:
            inside.add(index)
            index += 1
    return inside


def features(lowered: Iterable[str]) -> tuple[str, ...]:
    """The model's features of an article: the distinct lemmas of its words (lower case, ё as
    е, as core/analysis/russian_words.py's Tokens keep them), numbers left out, in the order of
    their first place. In that order, not a set's: the scores add the weights in it, and a set
    of strings iterates in an order that changes with each process's hash seed, so the last bit
    of a score (a theme at the threshold) would too."""
    distinct = dict.fromkeys(lowered)
    return tuple(dict.fromkeys(lemma(word) for word in distinct if not word.isdigit()))


@dataclass(frozen=True, slots=True)
class ThemeModel:
    """Per-theme intercepts and lemma weights, and the probability from which a theme is added."""

    version: str
    enabled: bool
    threshold: float
    themes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]  # lemma -> its weight for each theme (0 if none)
    _rows: dict[str, int] = dataclass_field(
        init=False, repr=False, compare=False
    )  # lemma -> its row
    _matrix: npt.NDArray[np.float64] = dataclass_field(
        init=False, repr=False, compare=False
    )  # row 0:
    # the intercepts, then the weights of each lemma, in the order of `weights`
    _word_rows: _WordRows = dataclass_field(
        init=False, repr=False, compare=False
    )  # word -> its row

    def __post_init__(self) -> None:
        rows = {word: row for row, word in enumerate(self.weights, 1)}
        matrix = np.array([self.intercepts, *self.weights.values()], dtype=np.float64)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_matrix", matrix.reshape(len(rows) + 1, len(self.themes)))
        object.__setattr__(self, "_word_rows", _WordRows(rows))

    def probabilities(self, lemmas: Iterable[str]) -> dict[str, float]:
        """Each theme's probability for an article with these distinct lemmas."""
        return self._probabilities(filter(None, map(self._rows.get, lemmas)))

    def _probabilities(self, rows: Iterable[int]) -> dict[str, float]:
        """The probabilities from these distinct rows of the weights, summed in their order from
        the intercepts on, as a plain sum of each column would be (numpy adds the rows of a
        reduction across them one after another): the same to the last bit, so a theme at the
        threshold is stable."""
        sums = self._matrix.take([0, *rows], axis=0).sum(axis=0).tolist()
        return {theme: _sigmoid(total) for theme, total in zip(self.themes, sums, strict=True)}

    def predict(self, lemmas: Iterable[str]) -> tuple[str, ...]:
        """The themes whose probability reaches the threshold, sorted."""
        return self._above(self.probabilities(lemmas))

    def predict_words(self, lowered: Iterable[str]) -> tuple[str, ...]:
        """`predict` of the `features` of these words (lower case, ё as е), each word's row of
        the weights kept rather than its lemma looked up again: the same rows in the same order."""
        rows = dict.fromkeys(map(self._word_rows.__getitem__, dict.fromkeys(lowered)))
        rows.pop(0, None)  # the words without a weight
        return self._above(self._probabilities(rows))

    def _above(self, found: dict[str, float]) -> tuple[str, ...]:
        return tuple(sorted(theme for theme, p in found.items() if p >= self.threshold))

    def evidence(
        self,
        themes: Iterable[str],
        fields: Iterable[tuple[TextField, Tokens, Sequence[tuple[int, int]]]],
    ) -> list[ThemeMatch]:
        """For each of `themes`, the first place of each of the EVIDENCE_WORDS lemmas of the
        article with the largest positive weights for it (title before text), in text order;
        never a word inside a field's hidden spans (its false friends: `readable`)."""
        weights, rows = self.weights, self._word_rows
        first: dict[str, tuple[int, TextField, int, int, str]] = {}  # lemma -> where, written
        order = 0
        for field, tokens, hidden in fields:
            inside = _inside(tokens, hidden) if hidden else set()
            for index, (low, (start, end)) in enumerate(
                zip(tokens.lowered, tokens.spans, strict=True)
            ):
                order += 1
                if index in inside or not rows[low]:  # (no row: no weight, or a number)
                    continue
                word = lemma(low)
                if word not in first:
                    first[word] = (order, field, start, end, low)
        found: list[ThemeMatch] = []
        for theme in themes:
            index = self.themes.index(theme)
            best = sorted(
                (-weights[word][index], word) for word in first if weights[word][index] > 0.0
            )
            shown = [word for _, word in best if not _function_word(first[word][4])]
            chosen = sorted((first[word], word) for word in shown[:EVIDENCE_WORDS])
            found += [
                ThemeMatch(theme, TERM_PREFIX + word, start, end, field)
                for (_, field, start, end, _), word in chosen
            ]
        return found


class _WordRows(dict[str, int]):
    """A lower-case word's row of the weights (0: none, as for a number), kept per word."""

    def __init__(self, rows: Mapping[str, int]) -> None:
        super().__init__()
        self._lemma_rows = rows

    def __missing__(self, word: str) -> int:
        row = 0 if word.isdigit() else self._lemma_rows.get(lemma(word), 0)
        if len(self) < RUSSIAN_MEMO_LIMIT:
            self[word] = row
        return row


def _function_word(word: str) -> bool:
    read = grammemes(word)
    return bool(read) and not read[0].isdisjoint(FUNCTION_WORDS)


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def _number(path: Path, entry: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{path}: {entry}: expected a finite number, got {value!r}")
    return float(value)


def parse_theme_model(data: Any, path: Path) -> ThemeModel:
    """A ThemeModel from the parsed JSON of `path`; a ConfigError naming the file and the entry
    when it is malformed."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ConfigError(f"{path}: version: expected a non-empty string")
    enabled = data.get("enabled")
    if not isinstance(enabled, bool):
        raise ConfigError(f"{path}: enabled: expected true or false, got {enabled!r}")
    threshold = _number(path, "threshold", data.get("threshold"))
    if not 0.0 < threshold < 1.0:
        raise ConfigError(f"{path}: threshold: expected a probability in (0, 1), got {threshold}")
    themes = data.get("themes")
    if not isinstance(themes, dict) or not themes:
        raise ConfigError(f"{path}: themes: expected a non-empty object")
    names, intercepts = tuple(sorted(themes)), []
    weights: dict[str, list[float]] = {}
    for index, theme in enumerate(names):
        table = themes[theme]
        if not isinstance(table, dict) or set(table) != {"intercept", "weights"}:
            raise ConfigError(f"{path}: themes.{theme}: expected exactly intercept and weights")
        intercepts.append(_number(path, f"themes.{theme}.intercept", table["intercept"]))
        if not isinstance(table["weights"], dict):
            raise ConfigError(f"{path}: themes.{theme}.weights: expected an object")
        for word, value in table["weights"].items():
            if not word or word != word.lower() or any(c.isspace() for c in word):
                raise ConfigError(
                    f"{path}: themes.{theme}.weights: {word!r} is not a lower-case lemma"
                )
            entry = f"themes.{theme}.weights.{word}"
            weights.setdefault(word, [0.0] * len(names))[index] = _number(path, entry, value)
    return ThemeModel(
        version,
        enabled,
        threshold,
        names,
        tuple(intercepts),
        {word: tuple(row) for word, row in weights.items()},
    )


def load_theme_model(path: Path = DEFAULT_MODEL_PATH) -> ThemeModel:
    """The model in `path` (JSON written by bench/train_russian_themes.py)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}:{error.lineno}:{error.colno}: {error.msg}") from error
    return parse_theme_model(data, path)


@lru_cache(maxsize=1)
def default_theme_model() -> ThemeModel:
    """The model in config/, once per process."""
    return load_theme_model()
