"""Stories: syndicated copies linked to their original, articles clustered into events.

A pipeline stage after analysis and before storage (it imports core.models and nothing that
does I/O): copies.py finds wire copy, clustering.py assigns each new article to a story,
summary.py describes a story per bloc and flags blindspots. docs/stories.md has the method.
"""

from __future__ import annotations

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
