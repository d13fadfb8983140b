"""The theme lexicon (config/themes.toml) and the phrase matcher it shares with the actors.

Term syntax (config/themes.toml and config/actors.toml):
- Case-insensitive, on word boundaries: `sanction` matches "Sanction" but not "sanctioned".
- A trailing `*` continues the last word: `sanction*` matches sanction, sanctions, sanctioned.
- A space matches any run of spaces or hyphens (`New START` also matches "new-START"); a hyphen
  matches a hyphen or a dash (`US-Russia` also matches "US–Russia").
- A leading `=` makes the term case-sensitive: `=US` matches "US" but not "us".
- A term starts with a letter or a digit.

How the matcher stays exact and fast: the text is folded to lower case one character for one
character (`fold`), so every offset in the folded text is an offset in the original — where
`str.lower()` would change the length ("İ" becomes two characters) that character is folded to
the first character of its lower case instead. All terms of a lexicon are merged into ONE
trie-shaped, group-free regex that starts with a non-word character: Python's regex engine then
skips ahead in C to the next word boundary instead of trying every position. Which terms a hit
belongs to is looked up from the matched text (memoised: news repeats its phrases), and
case-sensitive terms are checked against the original text there.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.analysis import regex_cache
from core.config import (
    CONFIG_DIR,
    ConfigError,
    line_finder,
    line_of,
    load_toml,
    required_version,
)
from core.models import TextField, ThemeMatch

DEFAULT_THEMES_PATH = CONFIG_DIR / "themes.toml"
BROAD_WEIGHT = 0.5
"""The weight of a theme's `broad` terms ("talks", "met with"): a full term weighs 1."""
TITLE_PART, LEAD_PART, SPREAD_PART, REPEAT_PART = 0.35, 0.15, 0.35, 0.15
"""The parts of a theme's salience (they add up to 1); see `read_themes`."""
LEAD_SENTENCES = 2
"""The lead: the text's first sentences, where news puts what the story is about."""
SPREAD_FULL_AT = 0.5
"""A theme in this share of the text's sentences (weighted) has the whole spread part."""
REPEAT_FULL_AT = 5.0
"""A theme with this many weighted hits in the text has the whole repetition part."""
CENTRAL_AT = 0.3
"""A theme is central to an article at this salience or more."""

_DASHES = "-‐‑‒–—"
_SPACE_ATOM = r"[\s\-‐‑‒–—]+"
_DASH_ATOM = r"[\-‐‑‒–—]"
_STAR_ATOM = r"\w*"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
_ATOMS: dict[str, str] = {" ": _SPACE_ATOM} | dict.fromkeys(_DASHES, _DASH_ATOM)
"""The regex atom of a term's character (a space: spaces or dashes; a dash: any dash)."""
_WORD_TAIL = re.compile(r"\w*")
MEMO_LIMIT = 100_000
"""How many entries a reader's memo (matched text → what it means) keeps: the memos make
repeated phrases cheap and stay bounded however much text a process reads."""


class TermError(ValueError):
    """A lexicon term that cannot be compiled (empty, a misplaced `*`, a bad first character)."""


def fold(text: str) -> str:
    """Lower-case `text` one character for one character, so offsets stay valid."""
    folded = text.lower()
    if len(folded) == len(text):
        return folded  # each character lower-cased to exactly one character
    return "".join([char.lower()[0] for char in text])


def normalize(text: str) -> str:
    """The lookup key of a term or of matched text: folded, separators collapsed to a space."""
    body = text[1:] if text.startswith("=") else text
    return _SEPARATORS.sub(" ", fold(body.strip()))


@dataclass(frozen=True, slots=True)
class _Term:
    body: str  # without the `=` and the `*`
    star: bool
    case_sensitive: bool


def parse_term(term: str) -> _Term:
    """Check a term's syntax; raise TermError saying what is wrong."""
    if not isinstance(term, str):
        raise TermError(f"term {term!r} is not a string")
    return _parse_term(term)


@lru_cache(maxsize=16384)
def _parse_term(term: str) -> _Term:
    """parse_term of a string (memoised: a term is read by its lexicon and by each matcher that
    holds it; a _Term is immutable)."""
    case_sensitive = term.startswith("=")
    body = (term[1:] if case_sensitive else term).strip()
    star = body.endswith("*")
    if star:
        body = body[:-1].rstrip()
    if not body:
        raise TermError(f"empty term {term!r}")
    if "*" in body:
        raise TermError(f"'*' may only end a term: {term!r}")
    if not (body[0].isalnum() or body[0] == "_"):
        raise TermError(f"a term must start with a letter or a digit: {term!r}")
    # runs of whitespace to one space, as re.sub(r"\s+", " ", body): str.split and \s agree
    return _Term(" ".join(body.split()), star, case_sensitive)


def check_terms(terms: Iterable[object]) -> list[tuple[object, str]]:
    """(term, problem) for every term that does not compile; empty when all do."""
    problems: list[tuple[object, str]] = []
    for term in terms:
        try:
            parse_term(term)  # type: ignore[arg-type]
        except TermError as exc:
            problems.append((term, str(exc)))
    return problems


def _atoms(term: _Term) -> list[str]:
    return term_atoms(term.body, star=term.star)


def term_atoms(body: str, *, star: bool = False) -> list[str]:
    """The regex atoms of a term body, one per character (a space matches spaces or dashes, a
    dash any dash); `star` continues the last word. Shared with core/analysis/tone_domain.py."""
    atoms = []
    for char in fold(body):
        atom = _ATOMS.get(char)
        if atom is None:  # re.escape of one character, looked up once per character
            atom = _ATOMS[char] = re.escape(char)
        atoms.append(atom)
    if star:
        atoms.append(_STAR_ATOM)
    return atoms


def trie_pattern(atom_lists: Sequence[list[str]]) -> str:
    """One regex for all terms, shaped like a trie, with no capture groups (saving group marks
    for hundreds of groups would cost more than the scan)."""
    root: dict[str, object] = {}
    for atoms in atom_lists:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})  # type: ignore[assignment]
        node[""] = True

    def render(node: dict[str, object]) -> str:
        # Literal continuations before the `\w*` wildcard, so the longest term wins.
        keys = sorted((key for key in node if key), key=lambda key: key == _STAR_ATOM)
        branches = [key + render(node[key]) for key in keys]  # type: ignore[arg-type]
        if "" in node:
            branches.append(r"(?!\w)")  # the term ends at the end of a word
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    # `\W` first: the engine jumps in C from one non-word character to the next. The text is
    # scanned with a space in front, so a term at the very start is found too.
    return r"\W" + render(root) if root else r"(?!x)x"


class PhraseMatcher:
    """Compiled once per lexicon; `finditer(text)` yields (owners, start, end) left to right,
    never overlapping, the longest term first where several start at the same place. `owners`
    names (by index) every term that reads the same, so one phrase can serve several themes or
    kinds (a theme term that is also an actor alias)."""

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = tuple(terms)
        parsed = [parse_term(term) for term in terms]
        self._parsed = parsed
        self._pattern: re.Pattern[str] | None = None  # compiled on first use: see `_scan`
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        for index, term in enumerate(parsed):
            key = _SEPARATORS.sub(" ", fold(term.body))
            (self._prefix if term.star else self._exact).setdefault(key, []).append(index)
        self._prefix_lengths = sorted({len(key) for key in self._prefix}, reverse=True)
        self._memo: dict[str, tuple[int, ...]] = {}

    def _scan(self, folded: str) -> Iterator[re.Match[str]]:
        """The merged regex's finditer; the regex is compiled when first needed (a matcher
        built but never used, such as the gazetteer's own inside the analyzer, costs no
        compiling: a lexicon's regex takes milliseconds to compile at start-up)."""
        pattern = self._pattern
        if pattern is None:
            parsed = self._parsed
            pattern = self._pattern = regex_cache.compile_built(
                self.terms, lambda: trie_pattern([_atoms(term) for term in parsed]), code=[__file__]
            )
        return pattern.finditer(folded)

    def owners(self, matched: str) -> tuple[int, ...]:
        """Indexes of every term that matches exactly the string `matched`."""
        known = self._memo.get(matched)
        if known is None:
            known = self._lookup(matched)
            if len(self._memo) < MEMO_LIMIT:  # bounded all the same
                self._memo[matched] = known
        return known

    def _lookup(self, matched: str) -> tuple[int, ...]:
        key = _SEPARATORS.sub(" ", fold(matched))
        found = list(self._exact.get(key, ()))
        for length in self._prefix_lengths:
            if length <= len(key) and _WORD_TAIL.fullmatch(key, length):
                found.extend(self._prefix.get(key[:length], ()))
        return tuple(sorted(i for i in found if self._case_fits(self._parsed[i], matched)))

    @staticmethod
    def _case_fits(term: _Term, matched: str) -> bool:
        if not term.case_sensitive:
            return True
        written = _SEPARATORS.sub(" ", matched)
        if term.star:
            return written.startswith(term.body) and bool(
                _WORD_TAIL.fullmatch(written, len(term.body))
            )
        return written == term.body

    def scan(self, text: str) -> Iterator[re.Match[str]]:
        """The raw hits, left to right, before their owners are looked up (a hit of a
        case-sensitive term in the wrong case has none). The scan runs on " " + fold(text):
        a hit's (start(), end() - 1) is its (start, end) in `text`."""
        return self._scan(" " + fold(text))

    def finditer(self, text: str) -> Iterator[tuple[tuple[int, ...], int, int]]:
        """(owners, start, end) of every hit that belongs to a term."""
        owners = self.owners
        for found in self._scan(" " + fold(text)):
            start, end = found.start(), found.end() - 1
            indexes = owners(text[start:end])
            if indexes:
                yield indexes, start, end


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    label: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...]
    min_hits: int | None = None
    """Optional: this many hits in the text also make the theme a mention (see read_themes)."""
    broad: tuple[str, ...] = ()
    """Terms that signal the theme weakly ("talks"): they count with BROAD_WEIGHT."""


@dataclass(frozen=True, slots=True)
class ThemeReading:
    """How an article's themes were read: `names` (mentioned where it matters), `salience`
    ((theme, salience) for every theme with a match, most salient first), `central`."""

    names: tuple[str, ...]
    salience: tuple[tuple[str, float], ...]
    central: tuple[str, ...]


class Lexicon:
    """The themes of config/themes.toml, their terms and false friends compiled into one matcher
    (a false friend is the longer match, so a term inside it is never reported)."""

    def __init__(self, themes: tuple[Theme, ...], version: str) -> None:
        self.themes = themes
        self.version = version
        self.theme_names: tuple[str, ...] = tuple(theme.id for theme in themes)
        self.labels: dict[str, str] = {theme.id: theme.label for theme in themes}
        self.min_hits: dict[str, int] = {
            theme.id: theme.min_hits for theme in themes if theme.min_hits is not None
        }
        self.entries: tuple[tuple[str, str, str], ...] = tuple(
            [("theme", theme.id, term) for theme in themes for term in theme.terms]
            + [("theme", theme.id, term) for theme in themes for term in theme.broad]
            + [("exclude", theme.id, term) for theme in themes for term in theme.exclude]
        )
        """(kind, theme id, term): kind "theme" for a term, "exclude" for a false friend."""
        self.weights: dict[tuple[str, str], float] = {
            (theme.id, term): BROAD_WEIGHT for theme in themes for term in theme.broad
        }
        """(theme, term) -> weight, for the terms that do not weigh 1."""
        self.weighed_terms = frozenset(term for _, term in self.weights)
        """The terms of `weights`: any other term weighs 1 without a look-up."""
        self._matcher: PhraseMatcher | None = (
            None  # compiled on first use: the analyzer has its own
        )

    def matches(self, text: str, field: TextField = "text") -> list[ThemeMatch]:
        """Every term found in `text`; nothing inside a false friend ("open arms")."""
        found = []
        entries = self.entries
        if self._matcher is None:
            self._matcher = PhraseMatcher([term for _, _, term in self.entries])
        for indexes, start, end in self._matcher.finditer(text):
            if any(entries[index][0] == "exclude" for index in indexes):
                continue  # a false friend hides every term that reads the same
            for index in indexes:
                _, theme, term = entries[index]
                found.append(ThemeMatch(theme, term, start, end, field))
        return found


def read_themes(
    lexicon: Lexicon,
    matches: Iterable[ThemeMatch],
    sentence_starts: Sequence[int],
    relation_sentences: Collection[int] = (),
) -> ThemeReading:
    """Salience, mentions and central themes of one article (docs/analysis.md, "Themes").

    Each match weighs w: 1, or BROAD_WEIGHT for a `broad` term. For a theme, with n the number
    of text sentences (`sentence_starts`, ascending):

        salience = 0.35 · H + 0.15 · L + 0.35 · min(1, S / 0.5) + 0.15 · min(1, (R - 1) / 4)

    H: the largest w among its headline matches (0 without); L: the same in the lead (the first
    LEAD_SENTENCES sentences); S: the sum over sentences of the largest w in each, divided by n
    (the weighted share of sentences that mention it); R: the sum of w over its text matches
    (repetition; one hit adds nothing). Rounded to 4 places, in [0, 1].

    `names`: every theme matched in the headline or in a sentence about the relationship
    (`relation_sentences`: indexes of sentences with a US-side and a Russia-side party), every
    central theme (salience >= CENTRAL_AT), and a theme with `min_hits` hits in the text where
    its table sets that."""
    weights, weighed = lexicon.weights, lexicon.weighed_terms
    count = len(sentence_starts)
    title: dict[str, float] = {}
    lead: dict[str, float] = {}
    per_sentence: dict[str, dict[int, float]] = {}
    repeat: dict[str, float] = {}
    hits: dict[str, int] = {}
    names: set[str] = set()
    for match in matches:  # (weights are positive: `w > d.get(k, 0.0)` is d[k] = max(…, w))
        theme, term = match.theme, match.term
        weight = weights.get((theme, term), 1.0) if term in weighed else 1.0
        if match.field == "title":
            names.add(theme)
            if weight > title.get(theme, 0.0):
                title[theme] = weight
            continue
        sentence = bisect_right(sentence_starts, match.start) - 1
        if sentence < 0:
            sentence = 0
        if sentence in relation_sentences:
            names.add(theme)
        if sentence < LEAD_SENTENCES and weight > lead.get(theme, 0.0):
            lead[theme] = weight
        sentences = per_sentence.get(theme)
        if sentences is None:
            sentences = per_sentence[theme] = {}
        if weight > sentences.get(sentence, 0.0):
            sentences[sentence] = weight
        repeat[theme] = repeat.get(theme, 0.0) + weight
        hits[theme] = hits.get(theme, 0) + 1
    salience: dict[str, float] = {}
    for theme in title.keys() | per_sentence.keys():
        share = sum(per_sentence.get(theme, {}).values()) / count if count else 0.0
        value = (
            TITLE_PART * title.get(theme, 0.0)
            + LEAD_PART * lead.get(theme, 0.0)
            + SPREAD_PART * min(1.0, share / SPREAD_FULL_AT)
            + REPEAT_PART * min(1.0, max(0.0, repeat.get(theme, 0.0) - 1) / (REPEAT_FULL_AT - 1))
        )
        salience[theme] = round(min(1.0, value), 4)
    central = {theme for theme, value in salience.items() if value >= CENTRAL_AT}
    names |= central
    for theme, needed in lexicon.min_hits.items():
        if hits.get(theme, 0) >= needed:
            names.add(theme)
    ranked = tuple(sorted(salience.items(), key=lambda item: (-item[1], item[0])))
    return ThemeReading(tuple(sorted(names)), ranked, tuple(sorted(central)))


def _term_line(path: Path, term: object, start_line: int) -> int | None:
    return line_of(path, f'"{term}"', start_line=start_line) or line_of(path, str(term))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read and check a lexicon; every problem raises ConfigError naming the file and line."""
    path = path or DEFAULT_THEMES_PATH
    document = load_toml(path, keep=True)
    version = required_version(path, document)
    tables = document.get("themes")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{path}:1: no [themes.<id>] tables")
    themes = []
    line_at = line_finder(path)  # the file read once for all the tables' lines
    for theme_id, table in tables.items():
        header = line_at(f"[themes.{theme_id}]") or 1
        where = f"{path}:{header}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", theme_id):
            raise ConfigError(f"{where}: theme id {theme_id!r} must be snake_case")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: themes.{theme_id} must be a table")
        terms, exclude = table.get("terms"), table.get("exclude", [])
        broad = table.get("broad", [])
        if not isinstance(terms, list) or not terms:
            raise ConfigError(f"{where}: theme {theme_id!r} has no terms")
        if not isinstance(exclude, list):
            raise ConfigError(f"{where}: theme {theme_id!r}: `exclude` must be a list")
        if not isinstance(broad, list):
            raise ConfigError(f"{where}: theme {theme_id!r}: `broad` must be a list")
        for term, problem in check_terms([*terms, *broad, *exclude]):
            term_line = _term_line(path, term, header) or header
            raise ConfigError(f"{path}:{term_line}: theme {theme_id!r}: {problem}")
        label = table.get("label", theme_id.replace("_", " ").capitalize())
        min_hits = table.get("min_hits")
        if not isinstance(label, str) or not label.strip():
            raise ConfigError(f"{where}: theme {theme_id!r}: `label` must be a non-empty string")
        if min_hits is not None and (
            not isinstance(min_hits, int) or isinstance(min_hits, bool) or min_hits < 1
        ):
            raise ConfigError(f"{where}: theme {theme_id!r}: min_hits must be a positive integer")
        themes.append(
            Theme(theme_id, label.strip(), tuple(terms), tuple(exclude), min_hits, tuple(broad))
        )
    return Lexicon(tuple(themes), version.strip())


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon in config/themes.toml, read once per process."""
    return load_lexicon()
