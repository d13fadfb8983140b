"""Text search: what the sidebar's query means, and its match against each engine's full-text
index (SQLite FTS5, PostgreSQL tsvector with GIN: both created by migration 8 in
core/storage/migrations.py).

A query is words, all of which must appear in an article's title or summary (AND). A word is a
run of letters and digits, in any script, compared case-insensitively and without stemming, so
"sanction" does not find "sanctions" — `sanction*` does: a trailing `*` matches every word that
starts so. Words in double quotes, or joined by punctuation (`US-Russia`, `U.S.`, `New_START`),
must appear one after the other, as a phrase. Nothing else is syntax: `OR`, `NOT`, `NEAR(`, `-`
and `(` are ordinary text (the words in them are searched for, the punctuation is dropped), an
unclosed quote runs to the end, and a query with no letters or digits searches nothing (the
filter is off). Each engine gets a query built from these words alone, each quoted, so no user
input can be a syntax error.

Both indexes see the same words: FTS5's `unicode61` tokenizer (diacritics kept) splits on
anything but letters and digits; on PostgreSQL the text is first reduced to runs of letters and
digits (`regexp_replace(…, '[^[:alnum:]]+', ' ')`) and indexed with the `simple` configuration
(lower case, no stemming, no stop words): English and Russian articles are searched alike,
whatever their language, and a word is never lost to another language's stop list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

MAX_TERMS = 16
"""Words or phrases searched for; the rest of a longer query is ignored."""
MAX_PHRASE_WORDS = 16
MAX_WORD = 64
"""Characters of a word kept (PostgreSQL refuses a lexeme over 2,047 bytes); a longer last word
is searched as the prefix it was cut to."""
FTS_TABLE = "articles_fts"
SEARCH_COLUMN = "search_vector"
PG_CONFIG = "simple"
PG_DOCUMENT = (
    f"to_tsvector('{PG_CONFIG}'::regconfig, "
    "regexp_replace(title || ' ' || summary, '[^[:alnum:]]+', ' ', 'g'))"
)
"""The indexed document on PostgreSQL (the generated column articles.search_vector)."""

_CHUNK = re.compile(r'"([^"]*)"?(\*?)|([^"\s]+)')
_WORD = re.compile(r"[^\W_]+(\*?)")


@dataclass(frozen=True)
class Term:
    """One word, or a phrase's words in order; `prefix`: the last word may continue."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_query(text: str) -> tuple[Term, ...]:
    """The terms of a query (see the module's docstring); () when it has no words."""
    terms: list[Term] = []
    for match in _CHUNK.finditer(text):
        quoted, star_after, bare = match.groups()
        words, prefix = _words(quoted if bare is None else bare)
        if not words:
            continue
        if bare is None and star_after:
            prefix = True
        terms.append(Term(words, prefix))
        if len(terms) == MAX_TERMS:
            break
    return tuple(dict.fromkeys(terms))


def has_text_search(text: str) -> bool:
    return bool(parse_query(text))


def _words(chunk: str) -> tuple[tuple[str, ...], bool]:
    """The words of a chunk and whether its last word ends with `*`. Their case is left to
    each engine, which folds it as it folded the indexed text."""
    found = [(m.group(0).rstrip("*"), bool(m.group(1))) for m in _WORD.finditer(chunk)]
    found = found[:MAX_PHRASE_WORDS]
    if not found:
        return (), False
    last, star = found[-1]
    return tuple(word[:MAX_WORD] for word, _ in found), star or len(last) > MAX_WORD


def fts5_query(terms: tuple[Term, ...]) -> str:
    """The FTS5 MATCH string: each term a quoted string (a phrase), `*` after it for a prefix,
    all of them ANDed. Words hold letters and digits only, so quoting cannot be escaped."""
    return " AND ".join(f'"{" ".join(t.words)}"' + ("*" if t.prefix else "") for t in terms)


def tsquery(terms: tuple[Term, ...]) -> str:
    """The to_tsquery text: each word a quoted lexeme, phrases joined by `<->`, `:*` for a
    prefix, terms joined by `&`."""

    def lexemes(term: Term) -> str:
        quoted = [f"'{word}'" for word in term.words]
        if term.prefix:
            quoted[-1] += ":*"
        return " <-> ".join(quoted)

    return " & ".join(f"({lexemes(term)})" for term in terms)


class TextMatch(FunctionElement[bool]):
    """An article id (`articles.id`, or article_facts.id) matches the query: answered by the
    engine's full-text index. Its arguments are the id column, the FTS5 string and the tsquery
    text; each dialect uses its own."""

    type = sa.Boolean()
    name = "text_match"
    inherit_cache = True
    _is_implicitly_boolean = True
    """A condition as it stands (`id IN (…)`), never compared with 1 where booleans are
    integers: SQLite looks the ids up only in a bare IN."""


def matches(query: str, article_id: Any) -> Any | None:
    """The WHERE clause for a text search on the article id column `article_id`, or None when
    it searches nothing."""
    terms = parse_query(query)
    if not terms:
        return None
    return TextMatch(
        article_id, sa.literal(fts5_query(terms), sa.Text), sa.literal(tsquery(terms), sa.Text)
    )


_MATCH_SQL: dict[str, tuple[int, str]] = {
    "sqlite": (1, f"{{id}} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {{q}})"),
    "postgresql": (2, f"{{id}} IN (SELECT id FROM articles WHERE {SEARCH_COLUMN} @@ {{q}})"),
}
"""Per dialect: which of TextMatch's arguments it reads, and the SQL it fills that into."""
_PG_QUERY = f"to_tsquery('{PG_CONFIG}'::regconfig, {{}})"


@compiles(TextMatch)
def _match(element: TextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    if compiler.dialect.name not in _MATCH_SQL:  # printed without a database: text_match(…)
        return f"{element.name}({compiler.process(element.clauses, **kw)})"
    argument, sql = _MATCH_SQL[compiler.dialect.name]
    clauses = list(element.clauses)
    column, query = clauses[0], compiler.process(clauses[argument], **kw)
    if compiler.dialect.name == "postgresql":
        query = _PG_QUERY.format(query)
        own = next(iter(column.clauses)) if isinstance(column, Scanned) else column
        if getattr(own, "table", None) is not None and own.table.name == "articles":
            return f"articles.{SEARCH_COLUMN} @@ {query}"  # the article row's own vector
    return sql.format(id=compiler.process(column, **kw), q=query)


class Scanned(FunctionElement[int]):
    """A column the SQLite planner must not look rows up by (`+column`): an id set from another
    index (an actor's articles) is then checked while walking a covering index of the articles
    (core/storage/migrations.py, migration 9), instead of reading each matching article's row,
    which at 200,000 matches costs seconds. Elsewhere the column itself."""

    type = sa.Integer()
    name = "scanned"
    inherit_cache = True


@compiles(Scanned)
def _scanned(element: Scanned, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(Scanned, "sqlite")
def _scanned_sqlite(element: Scanned, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"
