"""THE door to a study: open/create a project, import a corpus, read documents, write labels.

The UI and the CLI touch the database only through `Project`. Every write is its own committed
transaction the moment the method returns: there is no save step and no label lives only in memory.
Methods return frozen records from `annotator.domain`, never ORM rows, so results can cross threads.

`Project` is assembled from one part per concept (codebook_store, members, documents, labels,
statuses); the stored suggestions are `project.suggestions` (suggestions.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from .. import codebook as codebook_mod
from ..codebook import Codebook
from ..domain import MemberRole, Status
from ..errors import AnnotationError, ProjectError
from ..storage import engine as engine_mod
from ..storage.models import (
    AnnotationRow,
    CategoryRow,
    CoderRow,
    DocumentLabelRow,
    DocumentRow,
    DocumentStatusRow,
    MetaRow,
)
from .codebook_store import CodebookStore
from .documents import Documents
from .labels import Labels
from .members import Members
from .statuses import Statuses
from .suggestions import SuggestionStore


@dataclass(frozen=True)
class ProjectSettings:
    """Study-wide settings, stored in the project so every coder and every export sees them."""

    name: str = "Untitled study"
    show_others_labels: bool = False  # blind coding is the default
    suggestions_enabled: bool = True  # some designs require unprimed coders
    language: str = "de"
    patterns_dir: str = ""  # the project's own suggester patterns ("" = the shipped ones)
    outlets_file: str = ""  # the project's own outlet list ("" = the shipped one)
    model_dir: str = ""  # a span model trained on this project's labels, a second suggestion source


@dataclass(frozen=True)
class ProjectInfo:
    location: str
    schema_version: int
    settings: ProjectSettings
    documents: int
    coders: list[str]
    categories: int
    annotations: int
    document_labels: int
    done_by_coder: dict[str, int]


class Project(CodebookStore, Members, Documents, Labels, Statuses):
    """An open study. Use `Project.create` / `Project.open`, ideally as a context manager."""

    def __init__(self, location: str | Path, _engine, schema_version: int) -> None:
        self.location = str(location)
        # When set, this session writes only this coder's labels (a team server shares one database).
        self.acting_coder: str | None = None
        self._engine = _engine
        self._write_engine = _engine.execution_options(annotator_write=True)
        self._guard = engine_mod.guard_for(_engine)
        self.schema_version = schema_version
        self._coder_ids: dict[str, int] = {}
        self.suggestions = SuggestionStore(self)
        self._category_cache: dict[str, CategoryRow] | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, location: str | Path, codebook: Codebook | None = None, name: str | None = None, exist_ok: bool = False
    ) -> "Project":
        url = engine_mod.to_url(location)
        path = engine_mod.sqlite_path(url)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                if exist_ok:
                    return cls.open(location)
                raise ProjectError(f"{location}: already exists (open it instead, or choose another name)")
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = engine_mod.make_engine(url)
        engine_mod.create_schema(engine)
        project = cls(location, engine, engine_mod.check_schema(engine, str(location)))
        if not project.categories():
            project.replace_codebook(codebook or codebook_mod.load_default())
        project.update_settings(name=name or (path.stem if path else "Untitled study"))
        return project

    @classmethod
    def open(cls, location: str | Path) -> "Project":
        url = engine_mod.to_url(location)
        path = engine_mod.sqlite_path(url)
        if path is not None and not path.exists():
            raise ProjectError(f"{location}: no such project file (create it with 'annotator import … --project {location}')")
        engine = engine_mod.make_engine(url)
        version = engine_mod.open_schema(engine, str(location))
        return cls(location, engine, version)

    def act_as(self, coder: str | None) -> "Project":
        """Restrict writes to one coder's own labels, statuses and decisions; None lifts it (lead, imports)."""
        self.acting_coder = self._member_name(coder) if coder else None
        login = self.member_for_login()
        if login is not None and MemberRole(login.role) is not MemberRole.LEAD and self.acting_coder != login.name:
            # The server would refuse the writes anyway; say why before the first one.
            raise ProjectError(
                f"{self.display_location}: this login belongs to {login.name!r}, who can work only as themselves"
            )
        if self.acting_coder:
            self.ensure_coder(self.acting_coder)
        return self

    def _check_writer(self, coder: str) -> None:
        if self.acting_coder is not None and coder != self.acting_coder:
            raise AnnotationError(f"these labels belong to {coder!r}; you are coding as {self.acting_coder!r}")

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _session(self) -> Session:
        """A unit of work that writes: on SQLite it takes the write lock up front (BEGIN IMMEDIATE),
        so concurrent writers queue on the busy timeout instead of failing on a lock upgrade, and a
        commit is checked to have reached the log that is on disk (see storage/sqlite_guard.py)."""
        return _WriteSession(self._write_engine, expire_on_commit=False, guard=self._guard)

    def renew_connections(self) -> None:
        """Close every connection and open new ones. Call it after something in this process may have
        closed a file descriptor on the project file (a file dialog listing its folder): that drops
        the process's SQLite locks, and only new connections take them again."""
        if self._guard is not None:
            self._guard.renew()

    @staticmethod
    def renew_all_connections() -> int:
        """`renew_connections` for every project open in this process (dashboards and the adjudication
        window open their own), since SQLite's locks are per file and per process."""
        return engine_mod.renew_all_sqlite_connections()

    def _read(self) -> Session:
        return Session(self._engine, expire_on_commit=False)

    # --- settings & info -------------------------------------------------------------------------

    def settings(self) -> ProjectSettings:
        with self._read() as s:
            rows = {r.key: r.value for r in s.exec(select(MetaRow).where(col(MetaRow.key).startswith("setting.")))}
        values: dict[str, Any] = {}
        for f in fields(ProjectSettings):
            raw = rows.get(f"setting.{f.name}")
            if raw is not None:
                values[f.name] = json.loads(raw)
        return ProjectSettings(**values)

    def update_settings(self, **changes: Any) -> ProjectSettings:
        if self.acting_coder is not None and not self.may_lead(self.acting_coder):
            raise ProjectError(f"only the study's lead changes its settings; {self.acting_coder!r} is a {self._role(self.acting_coder)}")
        known = {f.name for f in fields(ProjectSettings)}
        unknown = set(changes) - known
        if unknown:
            raise ProjectError(f"unknown setting(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        with self._session() as s:
            for key, value in changes.items():
                row = s.get(MetaRow, f"setting.{key}")
                if row is None:
                    s.add(MetaRow(key=f"setting.{key}", value=json.dumps(value)))
                else:
                    row.value = json.dumps(value)
                    s.add(row)
            s.commit()
        return self.settings()

    def info(self) -> ProjectInfo:
        with self._read() as s:
            n_docs = s.exec(select(func.count()).select_from(DocumentRow)).one()
            coders = [c.name for c in s.exec(select(CoderRow).order_by(CoderRow.name))]
            n_cat = s.exec(select(func.count()).select_from(CategoryRow)).one()
            n_ann = s.exec(select(func.count()).select_from(AnnotationRow)).one()
            n_lab = s.exec(select(func.count()).select_from(DocumentLabelRow)).one()
            done = dict(
                s.exec(
                    select(CoderRow.name, func.count())
                    .join(DocumentStatusRow, DocumentStatusRow.coder_id == CoderRow.id)
                    .where(DocumentStatusRow.status == Status.DONE.value)
                    .group_by(CoderRow.name)
                ).all()
            )
        return ProjectInfo(self.location, self.schema_version, self.settings(), n_docs, coders, n_cat, n_ann, n_lab, done)


    def admin_connection(self):
        """A transaction for set-up work the project API has no method for (server roles, policies)."""
        return self._engine.begin()

    @property
    def display_location(self) -> str:
        """Where the project is, for the screen: a server URL's password is never shown."""
        return engine_mod.display_location(self.location)

    @property
    def backend(self) -> str:
        return self._engine.dialect.name


class _WriteSession(Session):
    """A Session whose commit also proves the change reached the project's current log."""

    def __init__(self, *args, guard=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._guard = guard

    def commit(self) -> None:
        super().commit()
        if self._guard is not None:
            self._guard.check_after_write()


