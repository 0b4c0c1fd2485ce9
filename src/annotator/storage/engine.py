"""Engine set-up. The one place that knows about SQLite specifics (pragmas, file paths).

A project location is either a file path (SQLite, the default) or a database URL
(``postgresql://…``, ``sqlite:///…``). Everything above this module is backend-agnostic.
"""

from __future__ import annotations

import re
import weakref
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import URL, Engine, make_url
from sqlmodel import create_engine

from ..errors import ProjectError
from . import migrate
from .sqlite_guard import SqliteGuard
from .sqlite_guard import renew_all as renew_all_sqlite_connections  # noqa: F401  (the project API re-exports it)
from .models import SCHEMA_VERSION


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


# --- end of SQLite-only section ------------------------------------------------------------------


def make_engine(url: str) -> Engine:
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _install_sqlite_pragmas(engine)
        path = sqlite_path(url)
        if path is not None:
            # A file project: notice when another process deletes the log we write into.
            guard = SqliteGuard(path)
            guard.attach(engine)
            _GUARDS[engine] = guard
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
            migrate.backup_sqlite(path, version)
        migrate.upgrade(engine)
        version = check_schema(engine, location)
    return version


def check_schema(engine: Engine, location: str) -> int:
    """Return the stored schema version or raise ProjectError if this is not a project."""
    try:
        names = set(inspect(engine).get_table_names())
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

