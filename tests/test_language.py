"""Language: English is scored, anything else gets tone null ("n/a"), never 0."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.analysis.analyzer import analyze
from core.analysis.language import (
    _ENGLISH,
    _MODEL_ARRAYS,
    CACHE_ENV,
    ENGLISH_SHARE,
    WORDS_PREFIX,
    _identifier,
    _unpacked_identifier,
    detect_language,
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Putin and Trump met in Alaska to discuss the war in Ukraine and the relationship.", "en"),
        ("Putin warns Washington over sanctions", "en"),
        ("Putin’s warning — a headline", "en"),
        ("Песков прокомментировал новые санкции США и заявил о готовности к диалогу.", "ru"),
        ("Der Bundestag hat heute neue Sanktionen gegen russische Banken beschlossen.", "de"),
        ("امریکی عسکری امداد کی بندش کی وجوہات پر بات چیت جاری ہے", "ur"),
        ("1234 — 5678", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Песков о санкциях", "Песков заявил, что санкции бесполезны. Диалог продолжится."),
        ("Neue Sanktionen", "Die Bundesregierung hat neue Sanktionen gegen Russland beschlossen."),
        ("", "امریکی عسکری امداد کی بندش کی وجوہات پر بات چیت جاری ہے۔"),
    ],
)
def test_non_english_tone_is_null_not_zero(title: str, text: str) -> None:
    result = analyze(title, text)
    assert result.lang != "en"
    assert result.tone is None and result.tone_label == "n/a"
    assert result.sentences and all(s.tone is None for s in result.sentences)


def test_only_a_bounded_prefix_is_read() -> None:
    english = "The talks in Geneva were held behind closed doors for hours. " * 20
    assert detect_language(english + "Песков " * 5000) == "en"


DENSE_ENGLISH = (
    "Debate over drug policy sometimes deteriorates into banal oversimplification. Hawks want "
    "tougher law enforcement; doves want legalization. Both camps ignore complex realities: "
    "addiction, treatment, crime, poverty. Slogans replace evidence. Serious policy would start "
    "from what works in the cities that have tried something different, and it would be honest "
    "about what it costs and who pays for it, and about the time it takes for the results to show."
)
NEWS_IN_OTHER_LANGUAGES = {
    "de": "Die Bundesregierung hat am Mittwoch neue Sanktionen gegen russische Banken "
    "beschlossen. In einer Erklärung hieß es, die Maßnahmen seien eine Antwort auf die "
    "fortgesetzten Angriffe auf die Ukraine. Der Kreml wies die Vorwürfe zurück und sprach von "
    "einer Provokation. Außenminister Wadephul sagte, man werde den Druck auf Moskau weiter "
    "erhöhen, bis es zu einem Waffenstillstand komme.",
    "nl": "De Nederlandse regering heeft woensdag nieuwe sancties tegen Russische banken "
    "aangekondigd. In een verklaring zei het kabinet dat de maatregelen een antwoord zijn op de "
    "aanhoudende aanvallen op Oekraïne. Het Kremlin wees de beschuldigingen af. Minister van "
    "Buitenlandse Zaken zei dat de druk op Moskou was opgevoerd en dat het overleg in Brussel "
    "over de steun aan Kiev door zal gaan.",
    "fr": "Le gouvernement français a annoncé mercredi de nouvelles sanctions contre des banques "
    "russes. Dans un communiqué, le ministère a indiqué que ces mesures répondaient aux attaques "
    "continues contre l'Ukraine. Le Kremlin a rejeté ces accusations et a parlé d'une "
    "provocation. Le ministre a déclaré que la pression sur Moscou serait maintenue sur le long "
    "terme, a-t-il ajouté.",
    "es": "El gobierno español anunció el miércoles nuevas sanciones contra bancos rusos. En un "
    "comunicado, el ministerio dijo que las medidas eran una respuesta a los ataques continuos "
    "contra Ucrania. El Kremlin rechazó las acusaciones y habló de una provocación. El ministro "
    "dijo que la presión sobre Moscú se mantendría durante los próximos meses y años.",
}


def test_dense_english_prose_is_english_without_py3langid(monkeypatch: pytest.MonkeyPatch) -> None:
    """An editorial whose first ~50 words hold under a fifth of function words is read on the
    whole prefix: py3langid (whose model costs ~0.8 s to load) is not needed."""

    def no_langid(sample: str) -> str:
        raise AssertionError("py3langid was called")

    monkeypatch.setattr("core.analysis.language._langid", no_langid)
    words = re.findall(r"[^\W\d_]+", DENSE_ENGLISH[:WORDS_PREFIX].lower())
    assert sum(word in _ENGLISH for word in words) < ENGLISH_SHARE * len(words)  # not the quick way
    assert detect_language(DENSE_ENGLISH) == "en"


@pytest.mark.parametrize(("lang", "text"), sorted(NEWS_IN_OTHER_LANGUAGES.items()))
def test_news_in_other_latin_languages_is_not_read_as_english(lang: str, text: str) -> None:
    assert detect_language(text) == lang


_SAMPLES = [
    "Der Bundestag hat heute neue Sanktionen gegen russische Banken beschlossen.",
    "امریکی عسکری امداد کی بندش کی وجوہات پر بات چیت جاری ہے",
    "Le Kremlin a salué la reprise du dialogue avec Washington.",
    "Кремль приветствовал возобновление диалога с Вашингтоном.",
    "Putin and Trump met in Alaska.",
    "1234",
    "",
]


def test_the_unpacked_model_answers_as_py3langid_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import py3langid.langid as langid

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    unpacked = _unpacked_identifier(langid)  # unpacks into tmp_path
    again = _unpacked_identifier(langid)  # reads the copy
    (copy,) = tmp_path.iterdir()
    assert sorted(path.name for path in copy.iterdir()) == sorted(
        f"{name}.npy" for name in _MODEL_ARRAYS
    )
    for sample in _SAMPLES:
        assert unpacked.classify(sample) == langid.classify(sample), sample
        assert again.classify(sample) == langid.classify(sample), sample
    assert list(tmp_path.iterdir()) == [copy]  # no staging folder left behind


def test_no_cache_folder_means_py3langid_loads_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import py3langid.langid as langid

    monkeypatch.setenv(CACHE_ENV, "")
    assert _unpacked_identifier(langid) is None
    assert _identifier.__wrapped__() is langid._get_identifier()


def test_a_damaged_copy_falls_back_to_py3langid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import py3langid.langid as langid

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    _unpacked_identifier(langid)
    (copy,) = tmp_path.iterdir()
    (copy / "ptc.npy").write_bytes(b"not an array")
    assert _identifier.__wrapped__() is langid._get_identifier()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Суд в Самаре арестовал американского хоккеиста на два месяца.", "ru"),
        ("Сергея Викторовича Лаврова наградили орденом за заслуги перед Отечеством.", "ru"),
        ("Президентът подписа указа.", "bg"),
        ("Правителството прие бюджета за следващата година.", "bg"),
        ("Той каза, че ще дойде утре.", "bg"),
        ("Владата донесе одлука за буџетот.", "mk"),
    ],
)
def test_short_russian_without_its_own_letters_is_not_bulgarian(text: str, code: str) -> None:
    """py3langid reads such Russian as Bulgarian by a few points; a Bulgarian sign (a hard sign
    inside a word, «че», «ще») or a wide gap keeps Bulgarian."""
    assert detect_language(text) == code
