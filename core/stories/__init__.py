"""Stories: syndicated copies linked to their original, articles clustered into events.

A pipeline stage after analysis and before storage (it imports core.models and nothing that
does I/O): copies.py finds wire copy, clustering.py assigns each new article to a story,
summary.py describes a story per bloc and flags blindspots. docs/stories.md has the method.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.stories.clustering import (
        LINK_AT,
        WINDOW,
        Assignment,
        Prepared,
        StoryIndex,
        StoryInput,
        prepare,
    )
    from core.stories.copies import CopyDetector, is_copy, shingles
    from core.stories.summary import (
        Blindspot,
        BlocCoverage,
        StoryMember,
        StorySummary,
        blindspots,
        member,
        summarize,
    )

_HOME = {
    **dict.fromkeys(
        ("LINK_AT", "WINDOW", "Assignment", "Prepared", "StoryIndex", "StoryInput", "prepare"),
        "clustering",
    ),
    **dict.fromkeys(("CopyDetector", "is_copy", "shingles"), "copies"),
    **dict.fromkeys(
        (
            "Blindspot",
            "BlocCoverage",
            "StoryMember",
            "StorySummary",
            "blindspots",
            "member",
            "summarize",
        ),
        "summary",
    ),
}
"""The module of each name: imported when the name is first asked for, so that importing
summary.py (core/storage does) does not import datasketch, whose import of scipy.integrate costs
~0.3 s of CPU in every process that opens a database."""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "LINK_AT",
    "WINDOW",
    "Assignment",
    "Blindspot",
    "BlocCoverage",
    "CopyDetector",
    "Prepared",
    "StoryIndex",
    "StoryInput",
    "StoryMember",
    "StorySummary",
    "blindspots",
    "is_copy",
    "member",
    "prepare",
    "shingles",
    "summarize",
]
