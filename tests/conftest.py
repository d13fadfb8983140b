"""Shared fixtures live in small plugin modules, one concern each."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Tests serve feeds from loopback, which the fetcher refuses unless told otherwise.
os.environ.setdefault("DETENTE_ALLOW_PRIVATE_NETWORKS", "1")
# The unpacked language model (core/analysis/language.py) goes to a folder of this test
# session, removed at exit, never to the user's cache.
if "DETENTE_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="detente-test-cache-")
    os.environ["DETENTE_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)

pytest_plugins = [
    "tests.fixtures_http",
    "tests.fixtures_db",
    "tests.fixtures_seed",
    "tests.fixtures_browser",
    "tests.alert_fixtures",
    "tests.app_pages",
    "tests.fetching",
]
