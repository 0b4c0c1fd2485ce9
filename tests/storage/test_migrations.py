"""An older project opens in a newer annotator: upgraded, with a backup first (SQLite)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from annotator.project import Project
from annotator.storage import engine as engine_mod
from annotator.storage import migrate
from annotator.storage.models import SCHEMA_VERSION


def _make_v1_project(location: str) -> None:
    engine = engine_mod.make_engine(engine_mod.to_url(location))
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "insert into documents (external_id, title, text, sha256, layout, extra, imported_at, position) "
            "values ('alt', 'Alter Artikel', 'Ein alter Text.', 'abc', 'clean', '{}', '2025-01-01', 1)"
        ))  # fmt: skip
    engine.dispose()


def test_head_is_the_schema_version_the_code_expects():
    assert migrate.head_version() == SCHEMA_VERSION


def test_v1_sqlite_project_is_backed_up_and_upgraded(tmp_path):
    path = tmp_path / "old.db"
    _make_v1_project(str(path))
    engine = engine_mod.make_engine(engine_mod.to_url(path))
    assert migrate.current_version(engine) == 1
    assert "suggestions" not in inspect(engine).get_table_names()
    engine.dispose()
    with Project.open(path) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert [d.title for d in p.list_documents()] == ["Alter Artikel"]
        assert "suggestions" in inspect(p._engine).get_table_names()
    backup = tmp_path / "old.v1-backup.db"
    assert backup.exists()
    old = engine_mod.make_engine(engine_mod.to_url(backup))
    assert migrate.current_version(old) == 1
    old.dispose()


def test_v1_postgresql_project_is_upgraded(postgres_url):
    _make_v1_project(postgres_url)
    with Project.open(postgres_url) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert [d.title for d in p.list_documents()] == ["Alter Artikel"]


def test_a_newer_project_is_refused_clearly(tmp_path):
    path = tmp_path / "future.db"
    Project.create(path).close()
    engine = engine_mod.make_engine(engine_mod.to_url(path))
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '0099'"))
    engine.dispose()
    import pytest

    from annotator.errors import ProjectError

    with pytest.raises(ProjectError, match="made by a newer annotator"):
        Project.open(path)


def test_a_v2_project_with_coders_and_labels_upgrades(tmp_path):
    """Every label references its coder: changing the coders table must not drop it."""
    path = tmp_path / "v2.db"
    engine = engine_mod.make_engine(engine_mod.to_url(path))
    migrate.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text(
            "insert into documents (id, external_id, title, text, sha256, layout, extra, imported_at, position) "
            "values (1, 'a', 'T', 'Ein Text.', 'abc', 'clean', '{}', '2025-01-01', 1)"
        ))  # fmt: skip
        conn.execute(text("insert into coders (id, name, is_gold, created_at) values (1, 'anna', 0, '2025-01-01')"))
        conn.execute(text("insert into categories (id, slug, name, kind, colour, definition, example, level, allowed_values, position) "
                          "values (1, 'hedge', 'Hedge', 'span', '#888', '', '', 'nominal', '[]', 0)"))  # fmt: skip
        conn.execute(text(
            "insert into annotations (document_id, coder_id, category_id, start, \"end\", text, origin, created_at, updated_at, version) "
            "values (1, 1, 1, 0, 3, 'Ein', 'manual', '2025-01-01', '2025-01-01', 1)"
        ))  # fmt: skip
    engine.dispose()
    with Project.open(path) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert [(a.coder, a.text) for a in p.annotations()] == [("anna", "Ein")]
        assert [(c.name, c.role) for c in p.coders()] == [("anna", "coder")]
