"""Which language is this? Tone is only computed for English (VADER's lexicon is English).

Cheap checks first, py3langid only where they cannot tell, and only ever on a bounded prefix
(it costs ~0.3 ms per KB, more than everything else we add to VADER):
1. Letters of a non-Latin script (Cyrillic, Arabic, CJK…) make up half the letters or more:
   Russian is told by its letters (ы or э, and none of the letters only Ukrainian, Belarusian,
   Serbian, Macedonian, Kazakh, Mongolian… use: they all differ from Russian there, and the
   check costs a hundredth of langid's); anything else py3langid decides, but never "en".
2. Latin script: English function words ("the", "of", "and", …) are a fifth or more of the words
   → "en". Running English text is about 40 % function words; German, French or Spanish text
   scores far lower on this list. Dense prose (an editorial's first lines: "Debate over the drug
   problem sometimes deteriorates into banal oversimplification.") can fall under a fifth in the
   first ~50 words: then the whole PREFIX (~100 words) is counted, where ENGLISH_SHARE_LONG (15 %)
   suffices (French, the highest of German, Dutch, French, Spanish, Italian, Portuguese and
   Swedish news text on this list, scores about 10 %). Loading py3langid's model costs ~0.7 s of
   CPU, more than bare VADER spends on 500 editorials (~0.13 s from the unpacked copy kept in
   the cache folder, see `_identifier`): a process that never needs it is faster.
3. A short text (a bare headline, under SHORT letters) whose letters are all ASCII → "en":
   langid guesses wildly on three words, and our English feeds outnumber the rest.
4. Anything else → py3langid on the prefix.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.config import CACHE_ENV as CACHE_ENV  # where the unpacked model is kept
from core.config import cache_dir

PREFIX = 600
"""Characters looked at: a lead paragraph is plenty to tell English from Russian, German or
Urdu, and the cost stays bounded whatever the length of the article."""
WORDS_PREFIX = 300
"""Characters read for the script and function-word checks (~50 words)."""
SHORT = 40
"""Fewer letters than this are too few for function words or langid to judge."""
UNDETERMINED = "und"
"""ISO 639-2 code for "cannot tell" (no letters at all)."""

_WORDS = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[\u0000-\u024f\u1e00-\u1eff]+")
"""Latin script: what is left of the letters once it is removed is the non-Latin letters
(one substitution is some fifteen times cheaper than listing each Cyrillic letter)."""
_ENGLISH = frozenset(
    "the of and to in a is that for on with as was by at from it be are has have had said will "
    "its an this were not but after over which who been would their his her they he she".split()
)
ENGLISH_SHARE = 0.2
_RUSSIAN_ONLY = frozenset("ыэё")
_NOT_RUSSIAN = frozenset("іїєґўјљњђћџѓќѕәғқңөұүһҗӣӯ")
_LIKE_RUSSIAN = frozenset({"bg", "mk", "sr"})
"""Cyrillic languages whose letters are all Russian ones once their own (ј, љ, ѓ …) are absent:
py3langid reads many short Russian sentences without ы, э or ё as Bulgarian."""
RUSSIAN_MARGIN = 10.0
"""How far below such a language py3langid may score Russian (log-probability) for a text
without a Bulgarian sign to be read as Russian: short Russian sentences score 4–6 below
Bulgarian, short Bulgarian ones 20 and more below it (tests/test_language.py)."""
_BULGARIAN = re.compile(
    r"ъ(?![еёюя])|\b(?:че|ще|са|във|със|към|това|този|тази|тези|беше|бяха|няма)\b"
)
"""What Bulgarian has and Russian has not: a hard sign before anything but е, ё, ю, я (Russian
writes it only there: «объявил», «съезд»), and common words Russian lacks."""
ENGLISH_SHARE_LONG = 0.15


_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier. Its model ships as 4.5 MB of LZMA that takes ~0.5 s of CPU to
    unpack in every process that needs it; the unpacked arrays are kept once as .npy files in
    the cache folder, keyed by the model file's hash, and memory-mapped from there (the same
    arrays, so the same answers, tested). Any trouble with the copy: py3langid loads its own."""
    import py3langid.langid as langid

    try:
        identifier = _unpacked_identifier(langid)
    except (OSError, ValueError, KeyError):
        identifier = None
    return identifier if identifier is not None else langid._get_identifier()


def _unpacked_identifier(langid: Any) -> Any:
    """The identifier built from the cached unpacked model (made first if missing); None when
    there is no cache folder."""
    import hashlib

    import numpy as np
    from py3langid.modelio import _to_array

    folder = cache_dir()
    if folder is None:
        return None
    model = langid.MODEL_DIR / langid.MODEL_FILE
    digest = hashlib.sha256(model.read_bytes()).hexdigest()[:16]
    unpacked = folder / f"py3langid-model-{digest}"
    if not unpacked.is_dir():
        _unpack(model, unpacked)
    arrays = {name: np.load(unpacked / f"{name}.npy", mmap_mode="r") for name in _MODEL_ARRAYS}
    # as py3langid.langid.LanguageIdentifier.from_model_file builds it from modelio.load_model
    return langid.LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        _to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        tk_row=_to_array(arrays["nextmove_row"]),
    )


def _unpack(model: Path, unpacked: Path) -> None:
    """Unpack the LZMA'd .npz into one .npy per array, in a temporary folder renamed into place
    (another process doing the same at once loses the rename harmlessly)."""
    import lzma
    import shutil
    import tempfile

    import numpy as np

    unpacked.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=unpacked.parent))
    try:
        with tempfile.TemporaryFile(dir=staging) as npz:
            with lzma.open(model) as source:
                shutil.copyfileobj(source, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                for name in _MODEL_ARRAYS:
                    np.save(staging / f"{name}.npy", data[name], allow_pickle=False)
        try:
            os.rename(staging, unpacked)
        except OSError:
            if not unpacked.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _langid(sample: str) -> str:
    return str(_identifier().classify(sample)[0])


def detect_language(text: str) -> str:
    """An ISO 639-1 code ("en", "ru", "de", "ur"…), or "und" when there are no letters."""
    sample = text[:PREFIX]
    words = _WORDS.findall(sample[:WORDS_PREFIX].lower())
    if not words:
        return UNDETERMINED
    letters = "".join(words)
    plain = letters.isascii()  # punctuation such as curly quotes and dashes does not count
    if not plain:
        foreign = len(_LATIN.sub("", letters))  # every character of `letters` is a letter
        if foreign * 2 >= len(letters):
            seen = set(letters)
            if seen & _RUSSIAN_ONLY and not seen & _NOT_RUSSIAN:
                return "ru"
            scores = dict(_identifier().rank(sample))
            code = max(scores, key=scores.__getitem__)
            if (
                code in _LIKE_RUSSIAN
                and scores[code] - scores["ru"] < RUSSIAN_MARGIN
                and not seen & _NOT_RUSSIAN
                and not _BULGARIAN.search(sample.lower())
            ):
                return "ru"
            return UNDETERMINED if code == "en" else code
    if sum(word in _ENGLISH for word in words) >= ENGLISH_SHARE * len(words):
        return "en"
    if len(sample) > WORDS_PREFIX:
        longer = _WORDS.findall(sample.lower())
        if sum(word in _ENGLISH for word in longer) >= ENGLISH_SHARE_LONG * len(longer):
            return "en"
    if plain and len(letters) < SHORT:
        return "en"
    return _langid(sample)
