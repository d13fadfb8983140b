"""The seeded dashboard database (tests/seed.py), built once per test process: the dashboard,
CLI and browser tests each take a copy of the file (milliseconds) instead of loading the demo
corpus again (seconds each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.seed import seed


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file `seed()` writes; never opened by a test, only copied (tests/seed.py copy_seeded)."""
    path = tmp_path_factory.mktemp("seeded-template") / "seeded.db"
    seed(path)
    return path
