"""Parsed lexicons kept between processes (core/config.py, `load_toml(path, keep=True)`): read
back only for the same bytes, never for files that may hold secrets (the default)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core import config
from core.config import ConfigError, load_toml

LEXICON = 'version = "1"\n[themes.sanctions]\nterms = ["sanction*", "price cap"]\nweight = 0.5\n'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(folder))
    return folder


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> dict[str, object]:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", refuse)


def test_a_kept_lexicon_is_read_back_for_the_same_bytes(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "themes.toml"
    path.write_text(LEXICON, encoding="utf-8")
    parsed = load_toml(path, keep=True)
    assert len(list(cache.glob("toml-*.json"))) == 1
    _no_parsing(monkeypatch)
    again = load_toml(path, keep=True)
    assert again == parsed and again is not parsed
    assert isinstance(again["themes"]["sanctions"]["weight"], float)


def test_an_edited_lexicon_is_parsed_again(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "themes.toml"
    path.write_text(LEXICON, encoding="utf-8")
    load_toml(path, keep=True)
    path.write_text(LEXICON.replace("price cap", "price caps"), encoding="utf-8")
    assert load_toml(path, keep=True)["themes"]["sanctions"]["terms"][1] == "price caps"
    path.write_text(LEXICON + "[broken", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"themes\.toml:5"):
        load_toml(path, keep=True)


def test_files_not_marked_are_never_kept(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text('version = "1"\npassword = "secret"\n', encoding="utf-8")
    assert load_toml(path)["password"] == "secret"
    assert not cache.exists() or not list(cache.iterdir())


def test_what_json_cannot_hold_exactly_is_not_kept(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "dated.toml"
    path.write_text('version = "1"\nsince = 2026-11-30\nodd = nan\n', encoding="utf-8")
    load_toml(path, keep=True)
    assert not cache.exists() or not list(cache.glob("toml-*.json"))


def test_a_damaged_kept_copy_is_ignored(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "themes.toml"
    path.write_text(LEXICON, encoding="utf-8")
    load_toml(path, keep=True)
    [kept] = list(cache.glob("toml-*.json"))
    kept.write_text('{"sha256": "', encoding="utf-8")
    assert load_toml(path, keep=True)["version"] == "1"
    assert config.cache_dir() == cache
