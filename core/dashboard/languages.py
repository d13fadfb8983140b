"""How the dashboard names a language and explains a missing tone: one place for the words, so
the sidebar, the Articles page and the editions comparison say the same thing."""

from __future__ import annotations

LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "uk": "Ukrainian",
    "de": "German",
    "fr": "French",
    "und": "undetermined",
}
"""The languages Détente reads or meets most; any other code is shown as it is."""

TONE_NA = {
    "ru": (
        "no offline Russian sentiment model measured well enough (docs/analysis.md, section 9): "
        "no tone is better than a wrong one"
    ),
    "en": "no sentence of it could be scored",
}
"""Why an article in this language has no tone; other languages: the tone lexicon is English."""


def language_label(code: str) -> str:
    """'ru · Russian' for a known code, the code itself otherwise."""
    name = LANGUAGE_NAMES.get(code)
    return f"{code} · {name}" if name else code


def tone_na_reason(code: str) -> str:
    """Why an article in language `code` has no tone ("tone n/a: …" in the UI)."""
    return TONE_NA.get(
        code, "the tone lexicon (VADER) reads English only, and this article is not in English"
    )


def tone_text(tone: float | None, lang: str) -> str:
    """A tone as a table shows it: signed to two places, or 'n/a (…why)' — never a silent 0."""
    if tone is None:
        return "n/a: " + ("Russian, no measured model" if lang == "ru" else "not scored")
    return f"{tone:+.2f}"
