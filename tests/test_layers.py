"""The layout stays true: data flows fetch → parse → clean → analyze → store → query → page, and
each stage imports only the stages below it (README.md, "Code map").

Every `import` and `from … import` in the product code is read with `ast` — also the ones inside
functions, which a lazy import would otherwise hide — and checked against the rules below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN: dict[str, tuple[str, ...]] = {
    # pure readings of one article: no database, network, feed handling or page
    "core.analysis": (
        "core.storage",
        "core.ingest",
        "core.stories",
        "core.dashboard",
        "core.commands",
        "core.export",
        "streamlit",
        "sqlalchemy",
        "httpx",
    ),
    # readings across articles: below storage
    "core.stories": (
        "core.storage",
        "core.ingest",
        "core.dashboard",
        "core.commands",
        "streamlit",
        "sqlalchemy",
        "httpx",
    ),
    # storage knows no pages, commands or fetching
    "core.storage": (
        "core.ingest",
        "core.dashboard",
        "core.commands",
        "core.export",
        "streamlit",
        "httpx",
    ),
    "core.ingest": ("core.dashboard", "core.commands", "core.export", "streamlit", "sqlalchemy"),
    "core.export": ("core.dashboard", "core.commands", "streamlit", "sqlalchemy"),
    "core.dashboard": ("core.commands", "sqlalchemy"),
    "core.commands": ("core.dashboard", "streamlit"),
    "core.models": ("core.",),
    "core.config": ("core.analysis", "core.ingest", "core.storage", "core.dashboard"),
    # pages reach data only through the dashboard layer
    "pages": ("core.storage", "core.ingest", "core.commands", "sqlalchemy"),
}
"""Module prefix → what it must not import (module-name prefixes)."""

STAYS_BELOW_STORAGE = ("fetch", "parse", "clean", "read", "feed_list")
"""Ingest modules that run in worker processes or validate input: no database either."""


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    if relative.parts[0] == "pages" or relative.name == "app":
        return "pages." + relative.name
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from core import storage` names a module too
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def _product_files() -> list[Path]:
    return sorted(
        [
            *ROOT.joinpath("core").rglob("*.py"),
            ROOT / "app.py",
            *ROOT.joinpath("pages").glob("*.py"),
        ]
    )


def _rules_for(module: str) -> tuple[str, ...]:
    rules: list[str] = []
    for prefix, forbidden in FORBIDDEN.items():
        if module == prefix or module.startswith(prefix + "."):
            rules.extend(forbidden)
    if module.startswith("core.ingest.") and module.rsplit(".", 1)[1] in STAYS_BELOW_STORAGE:
        rules.append("core.storage")
    if not (module.startswith(("core.dashboard", "pages."))):
        rules.append("streamlit")
    if not module.startswith("core.storage"):
        rules.append("sqlalchemy")
    return tuple(rules)


def _hits(module: str, imported: str, rules: tuple[str, ...]) -> bool:
    if imported == module or imported.startswith(module + "."):
        return False  # a package importing its own parts
    return any(imported == rule or imported.startswith(rule.rstrip(".") + ".") for rule in rules)


def violations() -> list[str]:
    found: list[str] = []
    for path in _product_files():
        module = _module_name(path)
        rules = _rules_for(module)
        for line, imported in _imports(path):
            if _hits(module, imported, rules):
                found.append(f"{path.relative_to(ROOT)}:{line}: {module} imports {imported}")
    return found


def test_every_stage_imports_only_the_stages_below_it() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("module", "imported", "broken"),
    [
        ("core.analysis.tone", "core.storage", True),
        ("core.analysis.tone", "streamlit", True),
        ("core.analysis.tone", "core.analysis.sentences", False),
        ("core.storage.reads", "streamlit", True),
        ("core.ingest.parse", "core.storage", True),
        ("core.ingest.poller", "core.storage", False),
        ("pages.1_Themes", "core.storage", True),
        ("pages.1_Themes", "core.dashboard.loaders", False),
        ("core.dashboard.loaders", "core.storage", False),
        ("core.commands.poll", "sqlalchemy.exc", True),
    ],
)
def test_the_rules_catch_what_they_name(module: str, imported: str, broken: bool) -> None:
    """The checker itself can fail: each rule above flags the import it forbids."""
    assert _hits(module, imported, _rules_for(module)) is broken
