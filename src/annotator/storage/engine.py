"""Engine set-up. The one place that knows about SQLite specifics (pragmas, file paths).

A project location is either a file path (SQLite, the default) or a database URL
(``postgresql://…``, ``sqlite:///…``). Everything above this module is backend-agnostic.
"""

from __future__ import annotations

import os
import re
import sqlite3
import weakref
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import event, inspect
from sqlalchemy.engine import URL, Engine, make_url
from sqlmodel import create_engine

from ..errors import ProjectError
from . import migrate
from .sqlite_guard import SqliteGuard
from .sqlite_guard import renew_all as renew_all_sqlite_connections  # noqa: F401  (the project API re-exports it)
from .models import SCHEMA_VERSION
from .search import FOLDED_CONTAINS, folded_contains


def to_url(location: str | Path) -> str:
    """Turn a file path or URL into an SQLAlchemy URL string."""
    text = str(location)
    if "://" in text:
        if text.startswith("postgresql://"):
            # psycopg 3 is the driver we support for teams.
            return "postgresql+psycopg://" + text[len("postgresql://") :]
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def display_location(location: str | Path) -> str:
    """A location fit for the screen and for logs: a server URL's password replaced by ***."""
    text = str(location)
    if "://" not in text:
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy parses: mask whatever sits between ':' and '@'
        return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", text)


def location_without_password(location: str | Path) -> str:
    """A location to remember (recent projects): libpq finds the password in ~/.pgpass or a service file."""
    text = str(location)
    if "://" not in text:
        return text
    try:
        url = make_url(text)
    except Exception:
        return re.sub(r"(//[^:/@]*):[^@]*@", r"\1@", text)
    return _without_password(url).render_as_string(hide_password=False)


def _without_password(url):
    # URL.set() treats None as "leave as is", so the URL is built anew.
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    if not is_sqlite(url):
        return None
    db = make_url(url).database
    return Path(db) if db and db != ":memory:" else None


# --- SQLite-only section -------------------------------------------------------------------------
# A label is a human action: durability beats microseconds. WAL lets the UI read while a worker
# writes; synchronous=FULL makes every commit survive power loss; foreign keys keep annotations
# from pointing at deleted documents.
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised via every test
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover
        # Writers take the lock at BEGIN: a deferred transaction that reads and then writes cannot
        # wait for another writer (SQLite would deadlock) and fails with "database is locked".
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("annotator_write") else "BEGIN")


def _install_sqlite_file_access(engine: Engine, path: Path | None) -> None:
    """Open a file this user may not write read-only, and say in one line when it is damaged or read-only."""
    if path is None:
        return
    read_only = _read_only_uri(path)
    if read_only is not None:

        @event.listens_for(engine, "do_connect")
        def _connect_read_only(_dialect, _record, _args, _params):  # pragma: no cover - tests/storage
            return sqlite3.connect(read_only, uri=True, check_same_thread=False, timeout=10)

    if not os.access(path.parent, os.W_OK):
        why = f"you may not write to its folder {path.parent}"
    elif path.exists() and not os.access(path, os.W_OK):
        why = "you may not write to the file"
    else:
        why = "SQLite opened it read-only"

    @event.listens_for(engine, "handle_error")
    def _on_error(context):  # pragma: no cover - tests/storage/test_damaged_and_read_only.py
        error = context.original_exception
        code = getattr(error, "sqlite_errorcode", None)
        if code is None:
            return
        if code & 0xFF == sqlite3.SQLITE_CORRUPT:
            raise ProjectError(
                f"{path}: the project file is damaged ({error}); restore it from a backup, "
                "or rescue what is left with sqlite3's .recover command"
            ) from error
        if code & 0xFF == sqlite3.SQLITE_NOTADB:
            raise ProjectError(
                f"{path}: not an annotator project, or a damaged one ({error}); check the name, "
                "or restore the project from a backup"
            ) from error
        if code & 0xFF == sqlite3.SQLITE_READONLY:
            raise ProjectError(
                f"{path} is read-only: {why}, so it can be read but not changed; "
                "copy it to a folder of your own to work on it"
            ) from error
        if code & 0xFF == sqlite3.SQLITE_CANTOPEN:
            raise ProjectError(
                f"{path}: cannot open the project file ({error}); check its folder and your rights to it"
            ) from error


def _read_only_uri(path: Path) -> str | None:
    """The URI to read a project file this user may not write (None: may write, or it does not exist yet).

    In WAL mode SQLite reads through two files beside the project, study.db-wal (committed changes not
    yet copied into the file) and study.db-shm (its index). In a folder we cannot write, a read-only
    connection works when both exist (a writer has the project open); when neither exists, SQLite can only
    read with immutable=1, which promises that nobody changes the file and ignores any -wal file. That
    holds here: a writer always creates study.db-wal first, so without it nothing committed lives outside
    the file, and a writer needs the write access to the folder that we lack. The one risk left, a writer
    with other rights starting while we read, is taken for reading only; writes stay refused.
    """
    if not path.exists() or (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return None
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    uri = f"file:{quote(str(path))}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not shm.exists():
        if wal.exists():
            raise ProjectError(
                f"{path}: its latest changes are in {wal.name}, which cannot be read without {shm.name} and a "
                "folder you may write to; open it once where you may write, or ask its owner to"
            )
        uri += "&immutable=1"
    return uri


def _install_sqlite_functions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _add_functions(dbapi_connection, _record):  # pragma: no cover - exercised via every search
        # SQLite's lower() and LIKE fold ASCII only; document search needs "Über" to find "über".
        dbapi_connection.create_function(FOLDED_CONTAINS, 2, folded_contains, deterministic=True)


def single_file(path: Path) -> None:
    """Leave a closed SQLite file self-contained: WAL checkpointed, journal mode DELETE, no -wal/-shm.

    For a file that is renamed or handed on (a coder file): its -wal and -shm would not follow it.
    The next open switches it back to WAL.
    """
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


# --- end of SQLite-only section ------------------------------------------------------------------


def make_engine(url: str) -> Engine:
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _install_sqlite_file_access(engine, sqlite_path(url))
        _install_sqlite_pragmas(engine)
        path = sqlite_path(url)
        if path is not None:
            # A file project: notice when another process deletes the log we write into.
            guard = SqliteGuard(path)
            guard.attach(engine)
            _GUARDS[engine] = guard


        _install_sqlite_functions(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def guard_for(engine: Engine) -> SqliteGuard | None:
    """The write-ahead-log guard of a SQLite file project (None for PostgreSQL and in-memory)."""
    return _GUARDS.get(engine)


_GUARDS: "weakref.WeakKeyDictionary[Engine, SqliteGuard]" = weakref.WeakKeyDictionary()


def create_schema(engine: Engine) -> None:
    """A new project: every migration applied, so new and upgraded projects are identical."""
    migrate.upgrade(engine)


def open_schema(engine: Engine, location: str) -> int:
    """Check this is a project; upgrade an older one (backing up a SQLite file first)."""
    version = check_schema(engine, location)
    if version < SCHEMA_VERSION:
        path = sqlite_path(str(engine.url))
        if path is not None:
            if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
                raise ProjectError(
                    f"{path} is read-only, but it was made by an older annotator (schema {version}) and must be "
                    "upgraded, which changes it; copy it to a folder of your own and open the copy"
                )
            migrate.backup_sqlite(path, version)
        migrate.upgrade(engine)
        version = check_schema(engine, location)
    return version


def check_schema(engine: Engine, location: str) -> int:
    """Return the stored schema version or raise ProjectError if this is not a project."""
    try:
        names = set(inspect(engine).get_table_names())
    except ProjectError:
        raise
    except Exception as exc:  # corrupt file, wrong password, server down …
        shown = display_location(location)
        detail = str(exc).replace(str(location), shown)
        raise ProjectError(f"{shown}: cannot open database ({exc.__class__.__name__}: {detail})") from exc
    if "meta" not in names or "documents" not in names:
        raise ProjectError(f"{display_location(location)}: not an annotator project (no project tables found)")
    version = migrate.current_version(engine)
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{display_location(location)}: made by a newer annotator (schema {version}, this version knows {SCHEMA_VERSION}); "
            "please upgrade annotator"
        )
    return version

