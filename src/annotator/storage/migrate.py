"""Schema migrations (alembic) for both backends; a SQLite project is backed up before an upgrade.

Revisions live in `storage/migrations/versions/`; revision "000N" is schema version N.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_version() -> int:
    return int(ScriptDirectory.from_config(_config()).get_current_head())


def current_version(engine: Engine) -> int:
    """Schema version of the database: alembic's revision, or the meta table for unmanaged files."""
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        if revision is not None:
            return int(revision)
        if "meta" in inspect(conn).get_table_names():
            row = conn.execute(text("select value from meta where key = 'schema_version'")).first()
            return int(row[0]) if row else 0
    return 0


def upgrade(engine: Engine, to: str = "head") -> None:
    cfg = _config()
    unmanaged = current_version(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        if unmanaged and MigrationContext.configure(conn).get_current_revision() is None:
            command.stamp(cfg, f"{unmanaged:04d}")
        command.upgrade(cfg, to)
        version = MigrationContext.configure(conn).get_current_revision()
        updated = conn.execute(text("update meta set value = :v where key = 'schema_version'"), {"v": str(int(version))})
        if updated.rowcount == 0:
            conn.execute(text("insert into meta (key, value) values ('schema_version', :v)"), {"v": str(int(version))})


def backup_sqlite(path: Path, version: int) -> Path:
    """Copy a live SQLite project (WAL included) before it is changed: `study.v1-backup.db`."""
    target = path.with_name(f"{path.stem}.v{version}-backup{path.suffix or '.db'}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.v{version}-backup{n}{path.suffix or '.db'}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target
