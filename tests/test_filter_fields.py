"""tests/filter_fields.py restates Filters' fields for mypy (a TypedDict cannot be derived from
a dataclass): this keeps the two lists the same, names and types."""

from __future__ import annotations

import typing
from dataclasses import fields

from core.models import Filters
from tests.filter_fields import FilterFields


def test_filter_fields_are_the_fields_of_filters() -> None:
    hints = typing.get_type_hints(Filters)
    assert typing.get_type_hints(FilterFields) == {
        field.name: hints[field.name] for field in fields(Filters)
    }
