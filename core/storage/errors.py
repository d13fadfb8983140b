"""What storage raises when the database itself is the problem: the command line turns these
into one message naming the database and exit status 2, never a traceback.

`refusal` sorts a driver's error into such a message (a damaged file, a full disk, an
unreachable server …) or leaves it alone (a locked database, a bug); `check_sqlite_file` finds a
truncated file before SQLite would read past its end."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import sqlalchemy as sa


class StorageError(Exception):
    """The database cannot be used as asked (unreachable, corrupt, full, or of another version).

    The message names the database (its URL without password) and says what to do."""


class SchemaTooNew(StorageError):
    """The database was migrated by a newer Détente than this one: refuse rather than break."""


def database_name(url: str) -> str:
    """The database as messages name it: its URL without the password (also for a URL that
    SQLAlchemy cannot read: then everything before an '@' is hidden)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return re.sub(r"//[^/@]*@", "//***@", url)


_LEFT_ALONE = "it was left as it is"
_SQLITE = {
    "SQLITE_FULL": "the disk is full (or the database reached its size limit): nothing of this "
    "write was saved and what was saved before is intact; free some space and run again",
    "SQLITE_CORRUPT": f"the file is damaged ({{detail}}); {_LEFT_ALONE}: restore it from a "
    "backup, or point DETENTE_DB at another database",
    "SQLITE_NOTADB": f"the file is not a SQLite database ({{detail}}); {_LEFT_ALONE}: point "
    "DETENTE_DB at the right file",
    "SQLITE_IOERR": "the disk reported an I/O error ({detail}): check the disk, then run again",
    "SQLITE_CANTOPEN": "the file cannot be opened ({detail}): check that its folder exists and "
    "is writable",
    "SQLITE_READONLY": "the file is read-only ({detail}): make it writable, or run as its owner",
    "SQLITE_PERM": "access to the file is denied ({detail})",
}
_POSTGRESQL = {
    "08": "the server cannot be reached ({detail}): is PostgreSQL running and the URL right?",
    "53": "the server is out of resources, e.g. disk space ({detail}): nothing of this write was "
    "saved and what was saved before is intact; free space and run again",
    "XX": f"the server reports damaged data ({{detail}}); {_LEFT_ALONE}: restore it from a backup",
    "28": "the server refused the login ({detail}): check the user and password in the URL",
    "3D": "the server has no such database ({detail}): create it, or correct the URL",
}


def refusal(error: BaseException, url: str) -> StorageError | None:
    """The StorageError to raise for a failure of the database itself, or None for any other
    error (a locked database, a constraint, a bug), which callers re-raise unchanged."""
    cause = getattr(error, "orig", None) or error
    detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    words: str | None = None
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "") or ""
        words = next((w for code, w in _SQLITE.items() if name.startswith(code)), None)
    elif isinstance(error, sa.exc.DBAPIError):
        state = getattr(cause, "sqlstate", None)
        if state is None and isinstance(error, sa.exc.OperationalError):
            state = "08"  # the driver failed before the server answered: no connection
        words = _POSTGRESQL.get(str(state)[:2]) if state else None
    if words is None:
        return None
    sentence = words.format(detail=detail)
    return StorageError(f"{database_name(url)}: {sentence}{'' if sentence.endswith('?') else '.'}")


def check_sqlite_file(path: Path, url: str) -> None:
    """Refuse a SQLite file that is shorter than its header says (a truncated copy), unless a
    write-ahead log beside it may still hold the rest. Reads 100 bytes: cheap on every open."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return  # a new database
    except OSError as exc:
        raise StorageError(f"{database_name(url)}: the file cannot be read ({exc}).") from exc
    if size == 0:
        return  # SQLite makes an empty file a new database
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise StorageError(
            f"{database_name(url)}: the file is not a SQLite database (no SQLite header); "
            f"{_LEFT_ALONE}: point DETENTE_DB at the right file."
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96] and pages > 0  # the header's page count is valid
    wal = Path(f"{path}-wal")
    if counted and size < pages * page_size and not (wal.exists() and os.path.getsize(wal) > 0):
        raise StorageError(
            f"{database_name(url)}: the file is damaged: it is {size} bytes long but its header "
            f"says {pages * page_size} (it was truncated); {_LEFT_ALONE}: restore it from a "
            "backup, or point DETENTE_DB at another database."
        )
