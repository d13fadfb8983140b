"""Shared fixtures live in small plugin modules, one concern each."""

from __future__ import annotations

import os

# Tests serve feeds from loopback, which the fetcher refuses unless told otherwise.
os.environ.setdefault("DETENTE_ALLOW_PRIVATE_NETWORKS", "1")

pytest_plugins = [
    "tests.fixtures_http",
    "tests.fixtures_db",
    "tests.alert_fixtures",
]
