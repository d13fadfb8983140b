"""Filters' fields as keyword arguments: tests that build a Filters (or narrow one with
dataclasses.replace) from a dict of some of its fields type the dict with this, so mypy checks
every key and value against core/models.py's Filters instead of an ignore on the call."""

from __future__ import annotations

from datetime import date
from typing import TypedDict


class FilterFields(TypedDict, total=False):
    """Any of Filters' fields (core/models.py), each with its type there."""

    date_from: date | None
    date_to: date | None
    outlets: tuple[str, ...]
    blocs: tuple[str, ...]
    themes: tuple[str, ...]
    actors: tuple[str, ...]
    tone_min: float
    tone_max: float
    relevant_only: bool
    query: str
    event_categories: tuple[str, ...]
    mentions: bool
    languages: tuple[str, ...]
