"""Python's cyclic garbage collector paused around work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while. A burst of young objects (rows read, an
    index's entries) would otherwise set it walking every object of the process each time its
    thresholds are crossed (core/alerts/runner.py: a third of the checks' time; the stories
    step of a poll round, core/ingest/stories.py). Reference counting still frees them as
    usual; one collection after the pause takes the survivors."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
