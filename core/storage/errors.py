"""What storage raises when the database itself is the problem: the command line turns these
into one message naming the database and exit status 2, never a traceback."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be used as asked (unreachable, corrupt, full, or of another version).

    The message names the database (its URL without password) and says what to do."""


class SchemaTooNew(StorageError):
    """The database was migrated by a newer Détente than this one: refuse rather than break."""
