"""Engine set-up. The one place that knows about SQLite specifics (pragmas, file paths).

A project location is either a file path (SQLite, the default) or a database URL
(``postgresql://…``, ``sqlite:///…``). Everything above this module is backend-agnostic.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

from ..errors import ProjectError
from . import migrate
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
        _install_sqlite_pragmas(engine)
        _install_sqlite_functions(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """A new project: every migration applied, so new and upgraded projects are identical."""
    migrate.upgrade(engine)


def open_schema(engine: Engine, location: str) -> int:
    """Check this is a project; upgrade an older one (backing up a SQLite file first)."""
    version = check_schema(engine, location)
    if version < SCHEMA_VERSION:
        path = sqlite_path(str(engine.url))
        if path is not None:
            migrate.backup_sqlite(path, version)
        migrate.upgrade(engine)
        version = check_schema(engine, location)
    return version


def check_schema(engine: Engine, location: str) -> int:
    """Return the stored schema version or raise ProjectError if this is not a project."""
    try:
        names = set(inspect(engine).get_table_names())
    except Exception as exc:  # corrupt file, wrong password, server down …
        raise ProjectError(f"{location}: cannot open database ({exc.__class__.__name__}: {exc})") from exc
    if "meta" not in names or "documents" not in names:
        raise ProjectError(f"{location}: not an annotator project (no project tables found)")
    version = migrate.current_version(engine)
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{location}: made by a newer annotator (schema {version}, this version knows {SCHEMA_VERSION}); "
            "please upgrade annotator"
        )
    return version

