"""Keeping a SQLite project's write-ahead log honest when the process loses its file locks.

SQLite coordinates processes with POSIX advisory locks, and those belong to the *process*: when
any file descriptor on the project file is closed anywhere in the process (a file dialog that
sniffs the file's type, a backup tool, a stray ``open()``), every lock SQLite holds on it is gone
without SQLite knowing. The next process that opens and closes the project then believes it is
alone: it checkpoints the log and deletes ``-wal`` and ``-shm``. Our connections keep writing into
the deleted log, so labels the app shows as saved vanish on the next crash, and later reads see a
log that no longer matches the file ("database disk image is malformed").

We cannot stop another process from doing that, but we can notice it. Every connection remembers
the identity (device, inode) of the database file and of its ``-wal`` and ``-shm`` files as they
were when it connected. Before a connection is handed out, the identities on disk are compared
with the remembered ones; a mismatch means the log the connection writes into is not the one on
disk any more, so every connection of this generation is retired and new ones are made (which
also takes fresh locks). After each write commits, the check runs again: if the log was replaced
while the change was being written, the change may sit in a deleted file, and the writer is told
so (`StorageLostError`) instead of being shown a label that is not on disk.

`renew()` retires all connections on purpose: the UI calls it after anything that may have
closed a descriptor on the project (a file dialog), so the process holds real locks again.
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from ..errors import ProjectError

Identity = tuple[tuple[int, int] | None, ...]

# How long a thread that found a stale log waits for other threads to hand back their
# connections, so that all of them close together and SQLite takes real locks again.
_DRAIN_SECONDS = 2.0


class StorageLostError(ProjectError):
    """A change was committed into a write-ahead log that another program had already removed."""


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


class SqliteGuard:
    """Watches one SQLite project file for a replaced or deleted log (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self._names = (self.path, self.path + "-wal", self.path + "-shm")
        self._cond = threading.Condition()
        self._generation = 0
        self._expected: Identity | None = None  # what the newest connection saw
        self._out: dict[int, int] = {}  # checked-out connections per thread
        self.renewals = 0  # how often the connections were retired (tests and diagnostics read it)
        _LIVE.add(self)

    # --- identities ------------------------------------------------------------------------------

    def identity(self) -> Identity:
        return tuple(_file_identity(name) for name in self._names)

    @staticmethod
    def _matches(seen: Identity, now: Identity) -> bool:
        """The files a connection uses are still the files on disk. A log that did not exist when the
        connection was made (a new or read-only project) is not a mismatch when it appears later."""
        db_seen, *logs_seen = seen
        db_now, *logs_now = now
        if db_seen != db_now:
            return False
        return all(s is None or s == n for s, n in zip(logs_seen, logs_now))

    # --- pool events -----------------------------------------------------------------------------

    def on_connect(self, dbapi_connection, record) -> None:
        # Reading the schema opens (or creates) -wal and -shm, so their identities exist now.
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            cursor.close()
        seen = self.identity()
        with self._cond:
            record.info["annotator_identity"] = seen
            record.info["annotator_generation"] = self._generation
            self._expected = seen

    def on_checkout(self, dbapi_connection, record, proxy) -> None:
        me = threading.get_ident()
        with self._cond:
            stale = record.info.get("annotator_generation") != self._generation or not self._matches(
                record.info.get("annotator_identity", ()), self.identity()
            )
            if stale:
                self._retire_locked(me)
                # The pool discards this connection and makes a fresh one for the caller.
                raise exc.DisconnectionError("the project's write-ahead log was replaced by another process")
            self._out[me] = self._out.get(me, 0) + 1

    def on_checkin(self, dbapi_connection, record) -> None:
        me = threading.get_ident()
        with self._cond:
            if self._out.get(me):
                self._out[me] -= 1
                if not self._out[me]:
                    del self._out[me]
            self._cond.notify_all()
        if record is not None and record.info.get("annotator_generation") != self._generation:
            # Retired while it was out: close it now rather than let it go back into the pool.
            record.invalidate()

    # --- retiring connections --------------------------------------------------------------------

    def _retire_locked(self, me: int) -> None:
        """Start a new generation: wait (briefly) until other threads have handed their connections
        back, so that the old ones close together and SQLite's locks are taken anew."""
        self._generation += 1
        self.renewals += 1
        self._engine_pool_dispose()
        self._cond.wait_for(lambda: not any(n for t, n in self._out.items() if t != me), timeout=_DRAIN_SECONDS)
        self._engine_pool_dispose()

    def renew(self) -> None:
        """Retire every connection (after something may have dropped the process's locks)."""
        with self._cond:
            self._retire_locked(threading.get_ident())

    def check_after_write(self) -> None:
        """Raise StorageLostError if the log was replaced while a change was being committed."""
        with self._cond:
            expected = self._expected
        if expected is None or self._matches(expected, self.identity()):
            return
        self.renew()
        raise StorageLostError(
            f"{self.path}: another program removed the project's write-ahead log while a change was being "
            "saved, so the last change may not be on disk. The connection has been renewed; check the last "
            "change and make it again if it is missing."
        )

    # --- wiring ----------------------------------------------------------------------------------

    _pool = None

    def _engine_pool_dispose(self) -> None:
        if self._pool is not None:
            # Closes idle connections now; checked-out ones are closed when they come back.
            self._pool.dispose()

    def attach(self, engine: Engine) -> None:
        self._pool = engine.pool
        event.listen(engine, "connect", self.on_connect)
        event.listen(engine, "checkout", self.on_checkout)
        event.listen(engine, "checkin", self.on_checkin)


_LIVE: "weakref.WeakSet[SqliteGuard]" = weakref.WeakSet()


def renew_all() -> int:
    """Renew the connections of every SQLite project open in this process; returns how many.

    SQLite shares one lock state per file across all connections of a process, so after a lock
    loss every engine on that file has to let go of its connections, not only one of them."""
    guards = list(_LIVE)
    for guard in guards:
        guard.renew()
    return len(guards)
