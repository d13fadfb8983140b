"""pymorphy3's readings kept between processes (core/analysis/russian_kept.py): a process that
builds the Russian readers from the kept file asks pymorphy3 nothing and reads as one that asked
it; anything wrong with the file means asking pymorphy3."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.analysis import russian_kept, russian_words
from core.analysis.actors import default_gazetteer
from core.analysis.analyzer import Analyzer
from core.analysis.relations_russian_grammar import shadowed_forms
from core.analysis.russian import RussianReader
from core.analysis.russian_terms import load_russian_terms
from core.analysis.themes import default_lexicon
from core.commands.analyze import analysis_json

TITLE = "Рябков: Москва и Вашингтон договорились продолжить переговоры"
TEXT = (
    "Россия и США договорились о новом раунде консультаций по стратегической стабильности, "
    "сообщил замминистра иностранных дел Сергей Рябков. Американские дипломаты были высланы "
    "из Москвы в ответ на санкции, введённые Вашингтоном. Госдеп заявил, что пришли ответы."
)


def _forget_memos() -> None:
    russian_kept.forget()
    for memo in (russian_words.lemma, russian_words.lemmas, russian_words.grammemes):
        memo.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path))
    _forget_memos()
    yield tmp_path
    _forget_memos()


def _reading() -> dict[str, Any]:
    """The JSON of `detente analyze` for the text, from readers built in this call."""
    analyzer = Analyzer(
        default_lexicon(), default_gazetteer(), russian=RussianReader(load_russian_terms())
    )
    return analysis_json(analyzer.analyze(TITLE, TEXT))


def test_a_new_process_reads_the_kept_words_as_pymorphy3_does(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _reading()  # pymorphy3 asked about every word of the terms, phrases and text
    russian_kept.save()
    kept = json.loads((cache / "russian-words.json").read_text(encoding="utf-8"))["tables"]
    assert len(kept["lemma"]) > 5000 and len(kept["shadowed"]) > 400
    assert "высланы" in kept["grammemes"] and "закрыты" in kept["shadowed"]["закрыть"]

    def no_asking() -> object:
        raise AssertionError("pymorphy3 asked again")

    asked_lemmas = {word: russian_words.lemma(word) for word in kept["lemma"]}
    asked_all = {word: russian_words.lemmas(word) for word in kept["lemmas"]}
    asked_grammemes = {word: russian_words.grammemes(word) for word in kept["grammemes"]}
    asked_shadowed = {word: shadowed_forms(word) for word in kept["shadowed"]}
    _forget_memos()  # as a new process: read the file
    monkeypatch.setattr(russian_words, "_morph", no_asking)
    assert _reading() == asked
    assert {word: russian_words.lemma(word) for word in kept["lemma"]} == asked_lemmas
    assert {word: russian_words.lemmas(word) for word in kept["lemmas"]} == asked_all
    assert {word: russian_words.grammemes(word) for word in kept["grammemes"]} == asked_grammemes
    assert {word: shadowed_forms(word) for word in kept["shadowed"]} == asked_shadowed


def test_new_words_are_merged_with_those_other_processes_kept(cache: Path) -> None:
    assert russian_words.lemma("санкциями") == "санкция"
    russian_kept.save()
    russian_kept.forget()  # another process, which kept another word meanwhile
    assert russian_words.grammemes("высланы")[0] >= {"PRTS", "plur"}
    russian_kept.save()
    russian_kept.forget()
    assert russian_kept.lookup("lemma", "санкциями") == "санкция"
    assert set(russian_kept.lookup("grammemes", "высланы")[0]) >= {"PRTS", "plur"}


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b'{"key": "another pymorphy3", "tables": {"lemma": {"\xd1\x81\xd0\xbe\xd0\xbc": "x"}}}',
        b'{"key": 1}',
        b"[]",
    ],
)
def test_a_damaged_or_foreign_file_means_asking_pymorphy3(cache: Path, content: bytes) -> None:
    (cache / "russian-words.json").write_bytes(content)
    assert russian_kept.lookup("lemma", "сом") is None
    assert russian_words.lemma("санкциями") == "санкция"
    russian_kept.save()  # written again, for this key
    russian_kept.forget()
    assert russian_kept.lookup("lemma", "санкциями") == "санкция"


def test_without_a_cache_folder_nothing_is_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETENTE_CACHE_DIR", "")
    assert russian_words.lemma("санкциями") == "санкция"
    russian_kept.save()
    assert list(cache.iterdir()) == []
