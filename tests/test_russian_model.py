"""The learned Russian theme model (core/analysis/russian_model.py): its file loads and is
checked, it only adds themes, with evidence that slices the original text, reads inflected forms
by lemma, is deterministic, and the switch turns it off."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.train_russian_themes import HELD_OUT, fit
from core.analysis import russian
from core.analysis.actors import default_gazetteer
from core.analysis.analyzer import Analyzer
from core.analysis.russian import RussianReader
from core.analysis.russian_model import (
    DEFAULT_MODEL_PATH,
    TERM_PREFIX,
    ThemeModel,
    _sigmoid,
    features,
    load_theme_model,
    parse_theme_model,
    sides_allow,
)
from core.analysis.russian_terms import load_russian_terms
from core.analysis.russian_words import lemma
from core.analysis.themes import default_lexicon
from core.config import ConfigError
from core.models import Analysis

ARTICLE = (
    "Латинская Америка становится новым рынком для российских компаний.",
    "Российские компании наращивают поставки удобрений и зерна в Бразилию и Аргентину. "
    "Экспортёры рассчитывают на рост продаж, несмотря на ограничения со стороны США.",
)
SIX_CASES = ("пошлина", "пошлины", "пошлине", "пошлину", "пошлиной", "пошлинах")


def _analyzer(model: ThemeModel | bool) -> Analyzer:
    reader = RussianReader(load_russian_terms(), model=model)
    return Analyzer(default_lexicon(), default_gazetteer(), russian=reader)


def _model(**weights: float) -> ThemeModel:
    """A one-theme model (counterterrorism, which the terms do not read in these texts)."""
    data = {
        "version": "test-1",
        "enabled": True,
        "threshold": 0.75,
        "themes": {"counterterrorism": {"intercept": -1.0, "weights": weights}},
    }
    return parse_theme_model(data, Path("test.json"))


def _piece(analysis: Analysis, title: str, text: str, start: int, end: int, field: str) -> str:
    return (title if field == "title" else text)[start:end]


def test_the_model_file_loads_and_covers_every_theme() -> None:
    model = load_theme_model()
    assert model.enabled
    assert set(model.themes) == {theme.id for theme in load_russian_terms().themes}
    assert 0.5 <= model.threshold < 1.0
    assert all(word == word.lower() for word in model.weights)
    trained_on = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))["trained_on"]
    assert trained_on and not any(name.startswith(HELD_OUT) for name in trained_on)


def _valid() -> dict[str, Any]:
    return {
        "version": "v",
        "enabled": True,
        "threshold": 0.75,
        "themes": {"sanctions": {"intercept": -1.0, "weights": {"санкция": 2.0}}},
    }


@pytest.mark.parametrize(
    ("change", "entry"),
    [
        (lambda d: d["themes"]["sanctions"]["weights"].update({"санкция": "2"}), "санкция"),
        (lambda d: d["themes"]["sanctions"]["weights"].update({"Санкция": 1.0}), "Санкция"),
        (lambda d: d["themes"]["sanctions"].pop("intercept"), "themes.sanctions"),
        (lambda d: d.update(threshold=1.5), "threshold"),
        (lambda d: d.update(enabled="yes"), "enabled"),
        (lambda d: d.pop("version"), "version"),
        (lambda d: d.update(themes=[]), "themes"),
    ],
)
def test_a_malformed_model_names_the_file_and_the_entry(
    tmp_path: Path, change: Any, entry: str
) -> None:
    data = _valid()
    change(data)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_theme_model(path)
    assert str(path) in str(raised.value) and entry in str(raised.value)


def test_a_model_file_that_is_not_json_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{\n "version": "v",\n "enabled": tru\n}', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:3:")):
        load_theme_model(path)


def test_a_model_with_a_theme_the_terms_lack_is_refused() -> None:
    data = _valid()
    data["themes"]["weather"] = data["themes"].pop("sanctions")
    with pytest.raises(ValueError, match="weather"):
        RussianReader(load_russian_terms(), model=parse_theme_model(data, Path("m.json")))


def test_the_model_adds_a_theme_with_evidence_that_slices_the_text() -> None:
    title, text = ARTICLE
    model = _model(рынок=1.5, компания=1.0, поставка=0.5, для=3.0)
    without = _analyzer(False).analyze(title, text)
    found = _analyzer(model).analyze(title, text)
    assert "counterterrorism" not in without.theme_names
    assert "counterterrorism" in found.theme_names
    assert set(without.theme_names) < set(found.theme_names)
    assert found.themes[: len(without.themes)] == without.themes  # the terms' matches stay
    added = [m for m in found.themes if m.term.startswith(TERM_PREFIX)]
    # the three largest weights, «для» left out as a preposition, each at its first place
    assert [(m.field, m.term) for m in added] == [
        ("title", TERM_PREFIX + "рынок"),
        ("title", TERM_PREFIX + "компания"),
        ("text", TERM_PREFIX + "поставка"),
    ]
    for m in added:
        piece = _piece(found, title, text, m.start, m.end, m.field)
        assert re.fullmatch(r"\w+", piece)
        assert lemma(piece.lower()) == m.term.removeprefix(TERM_PREFIX)
    assert dict(found.theme_salience)["counterterrorism"] > 0
    assert "ru-theme-model-test-1" in found.analyzer_version


@pytest.mark.parametrize("form", SIX_CASES)
def test_an_inflected_form_is_read_by_its_lemma(form: str) -> None:
    text = f"В Брюсселе обсуждали {form} на удобрения."
    found = _analyzer(_model(пошлина=3.0)).analyze("", text)
    assert "counterterrorism" in found.theme_names
    [match] = [m for m in found.themes if m.term.startswith(TERM_PREFIX)]
    assert text[match.start : match.end] == form
    assert features([form]) == ("пошлина",)


def test_the_real_model_reads_every_case_alike() -> None:
    model = load_theme_model()
    scores = {tuple(sorted(model.probabilities(features([form])).items())) for form in SIX_CASES}
    assert len(scores) == 1


def test_predictions_are_deterministic() -> None:
    title, text = ARTICLE
    first = _analyzer(load_theme_model()).analyze(title, text)
    again = _analyzer(load_theme_model()).analyze(title, text)
    assert first == again
    assert load_theme_model().probabilities(features(text.lower().split())) == (
        load_theme_model().probabilities(features(text.lower().split()))
    )


def _eval_words() -> list[list[str]]:
    lines = Path("tests/data/ru_eval.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    return [
        (item["title"] + " " + item["text"]).lower().replace("ё", "е").split() for item in items
    ]


def test_scores_are_a_plain_sum_of_the_weights_in_order() -> None:
    """numpy's sum across the rows adds them one after another, as the plain sum of each column
    (the model's definition) does: the same floats to the last bit on every item of the set."""
    model = load_theme_model()
    for words in _eval_words():
        lemmas = features(words)
        rows = [model.weights[word] for word in lemmas if word in model.weights]
        plain = [sum(column) for column in zip(model.intercepts, *rows, strict=True)]
        expected = {
            theme: _sigmoid(total) for theme, total in zip(model.themes, plain, strict=True)
        }
        assert model.probabilities(lemmas) == expected


def test_predict_words_is_predict_of_the_features() -> None:
    model = load_theme_model()
    words = _eval_words()
    assert sum(bool(model.predict(features(w))) for w in words) > 10  # it does predict
    for item in words:
        assert model.predict_words(item) == model.predict(features(item))
        assert model.predict_words([*item, "2025", *item]) == model.predict(features(item))


_SCORES_OF_THE_EVAL_SET = """
import json
from core.analysis.russian_model import features, load_theme_model
model = load_theme_model()
for line in open("tests/data/ru_eval.jsonl", encoding="utf-8"):
    item = json.loads(line)
    words = (item["title"] + " " + item["text"]).lower().split()
    print(json.dumps(model.probabilities(features(words))))
"""


def test_scores_are_the_same_to_the_last_bit_whatever_the_hash_seed() -> None:
    """The weights are added in the order of the article's words, not of a set of strings,
    whose order changes with the process's hash seed (and with it the last bit of a score)."""
    root = Path(__file__).resolve().parent.parent
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _SCORES_OF_THE_EVAL_SET],
            cwd=root,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1


def test_the_fit_is_deterministic_and_minimises_its_loss() -> None:
    rng = np.random.default_rng(0)
    matrix = np.hstack([(rng.random((60, 12)) < 0.3).astype(float), np.ones((60, 1))])
    labels = np.stack([matrix[:, 0] > 0, (matrix[:, 1] + matrix[:, 2]) > 0], axis=1).astype(int)
    weights = fit(matrix, labels)
    assert np.array_equal(weights, fit(matrix, labels))
    for j in range(labels.shape[1]):  # the gradient of the regularised loss is zero
        y = labels[:, j]
        cw = np.where(y > 0, 60 / (2 * y.sum()), 60 / (2 * (60 - y.sum())))
        p = 1 / (1 + np.exp(-(matrix @ weights[j])))
        assert np.abs(weights[j] + matrix.T @ (cw * (p - y))).max() < 1e-6
    assert weights[0, 0] > 1.0  # the feature that is the label weighs most


def test_the_switch_turns_the_model_off(monkeypatch: pytest.MonkeyPatch) -> None:
    title, text = ARTICLE
    off = _analyzer(False).analyze(title, text)
    assert not any(m.term.startswith(TERM_PREFIX) for m in off.themes)
    assert "ru-theme-model" not in off.analyzer_version
    data = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8")) | {"enabled": False}
    disabled = parse_theme_model(data, DEFAULT_MODEL_PATH)
    monkeypatch.setattr(russian, "default_theme_model", lambda: disabled)
    assert RussianReader(load_russian_terms()).model is None
    assert _analyzer(True).analyze(title, text) == off


@pytest.mark.parametrize("model", [True, False])
def test_the_analyzer_names_the_versions_its_readings_carry(model: bool) -> None:
    """`retag --stale` and the stale notice compare stored readings with these
    (Analyzer.analyzer_versions): a model switched on or off changes the Russian one."""
    analyzer = _analyzer(model)
    english, russian_version = analyzer.analyzer_versions()
    assert analyzer.analyze(*ARTICLE).analyzer_version == russian_version
    assert (
        analyzer.analyze("Sanctions", "The US imposed new sanctions.").analyzer_version == english
    )
    assert ("ru-theme-model" in russian_version) is model


@pytest.mark.parametrize(
    ("theme", "kinds", "allowed"),
    [
        ("prisoners_consular", set(), False),
        ("prisoners_consular", {"russia"}, False),
        ("prisoners_consular", {"us", "russia"}, True),
        ("prisoners_consular", {"joint"}, True),
        ("diplomacy", set(), False),
        ("diplomacy", {"us"}, True),
        ("sanctions", set(), False),
        ("sanctions", {"russia"}, True),
        ("energy_trade", set(), True),
        ("counterterrorism", set(), True),
    ],
)
def test_the_model_adds_some_themes_only_where_the_article_names_their_sides(
    theme: str, kinds: set[str], allowed: bool
) -> None:
    assert sides_allow(theme, kinds) is allowed


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("Суд в Иркутске приговорил местного жителя к трём годам колонии.", False),
        ("Суд в Москве приговорил местного жителя к трём годам колонии.", False),
        ("Суд в Москве приговорил гражданина США к трём годам колонии.", True),
    ],
)
def test_a_sure_model_adds_no_consular_theme_to_a_domestic_trial(text: str, added: bool) -> None:
    # a model that would add the theme to anything: the spec's sides still decide
    always = ThemeModel("test", True, 0.5, ("prisoners_consular",), (9.0,), {})
    reader = RussianReader(load_russian_terms(), model=always)
    analysis = Analyzer(default_lexicon(), default_gazetteer(), russian=reader).analyze("", text)
    assert ("prisoners_consular" in analysis.theme_names) is added
