"""Storage: the only package that speaks SQL (SQLite or PostgreSQL through SQLAlchemy Core)."""

from core.storage.errors import SchemaTooNew, StorageError  # noqa: F401
from core.storage.store import *  # noqa: F403
from core.storage.store import AUX_ROLLUPS, Store  # noqa: F401
