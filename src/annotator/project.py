"""THE door to a study: open/create a project, import a corpus, read documents, write labels.

The UI and the CLI touch the database only through `Project`. Every write is its own committed
transaction the moment the method returns: there is no save step and no label lives only in memory.
Methods return frozen records from `annotator.domain`, never ORM rows, so results can cross threads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from . import codebook as codebook_mod
from .codebook import Category, Codebook
from .corpus.importer import CancelCheck, ImportReport, PreparedDocument, ProgressCallback, language_warning
from .corpus.importer import body_key, run_import
from .corpus.limits import DEFAULT_MAX_ARTICLE_CHARS, ArticleLimit
from .corpus.readers import iter_corpus
from .corpus.records import ImportProblem
from .domain import (
    Annotation,
    CategoryKind,
    CoderInfo,
    Document,
    DocumentLabel,
    DocumentSummary,
    Origin,
    Status,
    Zone,
    ZoneKind,
)
from .errors import AnnotationError, ConflictError, ProjectError
from .storage import engine as engine_mod
from .suggestion_store import SuggestionStore
from .storage.models import (
    AnnotationRow,
    CategoryRow,
    CoderRow,
    DocumentLabelRow,
    DocumentRow,
    DocumentStatusRow,
    MetaRow,
    ZoneRow,
    utcnow,
)


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


class Project:
    """An open study. Use `Project.create` / `Project.open`, ideally as a context manager."""

    def __init__(self, location: str | Path, _engine, schema_version: int) -> None:
        self.location = str(location)
        # When set, this session writes only this coder's labels (a team server shares one database).
        self.acting_coder: str | None = None
        self._engine = _engine
        self._write_engine = _engine.execution_options(annotator_write=True)
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
        self.acting_coder = " ".join(coder.split()) if coder else None
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
        so concurrent writers queue on the busy timeout instead of failing on a lock upgrade."""
        return Session(self._write_engine, expire_on_commit=False)

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

    # --- codebook --------------------------------------------------------------------------------

    def codebook(self) -> Codebook:
        return Codebook(name=self.settings().name + " codebook", categories=tuple(self.categories()))

    def categories(self, kind: CategoryKind | None = None) -> list[Category]:
        with self._read() as s:
            rows = list(s.exec(select(CategoryRow).order_by(CategoryRow.position, CategoryRow.id)))
        by_id = {r.id: r.slug for r in rows}
        cats = [_category(r, by_id) for r in rows]
        return [c for c in cats if kind is None or c.kind is kind]

    def replace_codebook(self, book: Codebook) -> None:
        """Install a codebook: new categories are added, existing ones (same id) updated in place.

        Categories already used by labels are never dropped silently: removing one raises.
        """
        codebook_mod.validate(book)
        with self._session() as s:
            existing = {r.slug: r for r in s.exec(select(CategoryRow))}
            wanted = {c.id for c in book.categories}
            for slug, row in existing.items():
                if slug in wanted:
                    continue
                used = s.exec(select(func.count()).select_from(AnnotationRow).where(AnnotationRow.category_id == row.id)).one()
                used += s.exec(
                    select(func.count()).select_from(DocumentLabelRow).where(DocumentLabelRow.category_id == row.id)
                ).one()
                if used:
                    raise ProjectError(f"category {slug!r} has {used} label(s); it cannot be removed from the codebook")
                s.delete(row)
            for position, c in enumerate(book.categories):
                row = existing.get(c.id) or CategoryRow(slug=c.id, name=c.name, kind=c.kind.value)
                row.name, row.kind, row.shortcut, row.colour = c.name, c.kind.value, c.key, c.colour
                row.definition, row.example, row.level = c.definition, c.example, c.level
                row.allowed_values, row.position = list(c.values), position
                s.add(row)
            s.flush()
            ids = {r.slug: r.id for r in s.exec(select(CategoryRow))}
            for c in book.categories:
                row = s.exec(select(CategoryRow).where(CategoryRow.slug == c.id)).one()
                row.parent_id = ids.get(c.parent) if c.parent else None
                s.add(row)
            s.commit()
        self._category_cache = None

    def _category_row(self, category_id: str) -> CategoryRow:
        if self._category_cache is None or category_id not in self._category_cache:
            with self._read() as s:
                self._category_cache = {r.slug: r for r in s.exec(select(CategoryRow))}
        try:
            return self._category_cache[category_id]
        except KeyError:
            known = ", ".join(sorted(self._category_cache))
            raise AnnotationError(f"unknown category {category_id!r}; the codebook has: {known}") from None

    # --- coders ----------------------------------------------------------------------------------

    def ensure_coder(self, name: str, is_gold: bool = False) -> CoderInfo:
        name = " ".join(name.split())
        if not name:
            raise ProjectError("a coder needs a non-empty name")
        with self._session() as s:
            row = s.exec(select(CoderRow).where(CoderRow.name == name)).first()
            if row is not None and is_gold and not row.is_gold:
                row.is_gold = True
                s.add(row)
                s.commit()
            if row is None:
                row = CoderRow(name=name, is_gold=is_gold)
                s.add(row)
                try:
                    s.commit()
                except IntegrityError:  # another process created the same coder a moment ago
                    s.rollback()
                    row = s.exec(select(CoderRow).where(CoderRow.name == name)).one()
            self._coder_ids[name] = row.id
            return CoderInfo(row.id, row.name, row.is_gold)

    def coders(self) -> list[CoderInfo]:
        with self._read() as s:
            return [CoderInfo(r.id, r.name, r.is_gold) for r in s.exec(select(CoderRow).order_by(CoderRow.name))]

    def _coder_id(self, name: str) -> int:
        cid = self._coder_ids.get(name)
        return cid if cid is not None else self.ensure_coder(name).id

    # --- corpus ----------------------------------------------------------------------------------

    def import_corpus(
        self,
        path: str | Path,
        *,
        column_map: dict[str, str] | None = None,
        max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
        progress: ProgressCallback | None = None,
        cancel: CancelCheck | None = None,
        batch_size: int = 200,
    ) -> ImportReport:
        """Import a file or folder. Streams records; one transaction per batch; never half an article.

        An article whose text without its title is already in the project is a duplicate; one longer than
        `max_article_chars` characters is rejected (see `annotator.corpus.limits`).
        """
        language = self.settings().language
        records = iter_corpus(path, column_map=column_map, max_article_chars=max_article_chars)
        store = partial(self._store_batch, language=language)
        return run_import(records, store, known_bodies=self._body_keys, limit=ArticleLimit(max_article_chars),
                          progress=progress, cancel=cancel, batch_size=batch_size)  # fmt: skip

    def _body_keys(self) -> set[bytes]:
        # Computed from the stored texts rather than stored, so projects made before the key need no upgrade.
        with self._read() as s:
            rows = s.exec(select(DocumentRow.text, DocumentRow.title).execution_options(yield_per=500))
            return {body_key(text, title) for text, title in rows}

    def add_documents(self, documents: Iterable[Document]) -> ImportReport:
        """Copy documents (text, metadata, zones) from another project; same text is a duplicate."""
        report = ImportReport()
        batch = [
            PreparedDocument(
                text=d.text, sha256=d.sha256, zones=list(d.zones), layout=d.layout, source_file=d.source_file or "",
                location="", external_id=d.external_id, title=d.title, outlet=d.outlet, url=d.url,
                published=d.published, extra=dict(d.extra),
            )  # fmt: skip
            for d in documents
        ]
        for i in range(0, len(batch), 200):
            self._store_batch(batch[i : i + 200], report, language=None)
        return report

    def document_id_for_hash(self, sha256: str) -> int | None:
        with self._read() as s:
            return s.exec(select(DocumentRow.id).where(DocumentRow.sha256 == sha256)).first()

    def _store_batch(self, batch: list[PreparedDocument], report: ImportReport, language: str | None) -> None:
        try:
            self._insert_batch(batch, report, language)
        except OperationalError as exc:  # the database, not an article: locked, full, read-only
            raise ProjectError(f"{self.location}: cannot store articles ({exc.orig}); the batches before are stored") from exc

    def _insert_batch(self, batch: list[PreparedDocument], report: ImportReport, language: str | None) -> None:
        with self._session() as s:
            hashes = {d.sha256 for d in batch}
            known = set(s.exec(select(DocumentRow.sha256).where(col(DocumentRow.sha256).in_(hashes))).all())
            position = (s.exec(select(func.max(DocumentRow.position))).one() or 0) + 1
            new_rows: list[tuple[DocumentRow, PreparedDocument]] = []
            for d in batch:
                if d.sha256 in known:
                    report.duplicate += 1
                    report.duplicates.append(ImportProblem(d.source_file, d.location, "same text already in the project"))
                    continue
                known.add(d.sha256)
                row = DocumentRow(
                    external_id=d.external_id, title=d.title, outlet=d.outlet, url=d.url, published=d.published,
                    text=d.text, sha256=d.sha256, layout=d.layout, source_file=d.source_file,
                    extra=d.extra, position=position,
                )  # fmt: skip
                position += 1
                s.add(row)
                new_rows.append((row, d))
            s.flush()
            for row, d in new_rows:
                for z in d.zones:
                    s.add(ZoneRow(document_id=row.id, kind=z.kind.value, start=z.start, end=z.end, attrs=dict(z.attrs)))
            s.commit()
        for row, d in new_rows:
            report.new += 1
            report.new_document_ids.append(row.id)
            warning = language_warning(d, language) if language else None
            if warning:
                report.warnings.append(warning)

    # --- documents -------------------------------------------------------------------------------

    def document_count(self) -> int:
        with self._read() as s:
            return s.exec(select(func.count()).select_from(DocumentRow)).one()

    def list_documents(
        self, coder: str | None = None, status: Status | None = None, search: str | None = None
    ) -> list[DocumentSummary]:
        """Documents in reading order with this coder's status and label count."""
        with self._read() as s:
            q = select(
                DocumentRow.id, DocumentRow.external_id, DocumentRow.title, DocumentRow.outlet,
                DocumentRow.published, func.length(DocumentRow.text),
            ).order_by(DocumentRow.position, DocumentRow.id)  # fmt: skip
            if search:
                pattern = f"%{search}%"
                q = q.where(or_(col(DocumentRow.title).ilike(pattern), col(DocumentRow.text).ilike(pattern)))
            rows = s.exec(q).all()
            statuses: dict[int, tuple[str, float]] = {}
            counts: dict[int, int] = {}
            if coder is not None:
                cid = self._coder_id(coder)
                statuses = {
                    r.document_id: (r.status, r.seconds)
                    for r in s.exec(select(DocumentStatusRow).where(DocumentStatusRow.coder_id == cid))
                }
                counts = dict(
                    s.exec(
                        select(AnnotationRow.document_id, func.count())
                        .where(AnnotationRow.coder_id == cid)
                        .group_by(AnnotationRow.document_id)
                    ).all()
                )
        out = []
        for doc_id, ext, title, outlet, published, length in rows:
            st, secs = statuses.get(doc_id, (Status.TODO.value, 0.0))
            summary = DocumentSummary(doc_id, ext, title, outlet, published, length, Status(st), counts.get(doc_id, 0), secs)
            if status is None or summary.status is status:
                out.append(summary)
        return out

    def document(self, document_id: int) -> Document:
        with self._read() as s:
            row = s.get(DocumentRow, document_id)
            if row is None:
                raise ProjectError(f"no document with id {document_id}")
            zones = s.exec(select(ZoneRow).where(ZoneRow.document_id == document_id).order_by(ZoneRow.start)).all()
        return Document(
            row.id, row.external_id, row.title, row.outlet, row.url, row.published, row.text, row.sha256,
            row.layout, row.source_file, dict(row.extra or {}),
            tuple(Zone(ZoneKind(z.kind), z.start, z.end, dict(z.attrs or {})) for z in zones),
        )  # fmt: skip

    def document_id_for(self, external_id: str) -> int | None:
        with self._read() as s:
            return s.exec(select(DocumentRow.id).where(DocumentRow.external_id == external_id)).first()

    def iter_documents(self) -> Iterator[Document]:
        with self._read() as s:
            ids = s.exec(select(DocumentRow.id).order_by(DocumentRow.position, DocumentRow.id)).all()
        for doc_id in ids:
            yield self.document(doc_id)

    # --- span annotations ------------------------------------------------------------------------

    def add_annotation(
        self,
        document_id: int,
        coder: str,
        category: str,
        start: int,
        end: int,
        note: str | None = None,
        origin: Origin = Origin.MANUAL,
    ) -> Annotation:
        """Store one span label and commit it before returning."""
        self._check_writer(coder)
        cat = self._category_row(category)
        if cat.kind != CategoryKind.SPAN.value:
            raise AnnotationError(f"{category!r} is a document-level category; use set_document_label")
        coder_id = self._coder_id(coder)
        with self._session() as s:
            covered = self._checked_cover(s, document_id, start, end)
            row = AnnotationRow(
                document_id=document_id, coder_id=coder_id, category_id=cat.id, start=start, end=end,
                text=covered, note=note or None, origin=Origin(origin).value,
            )  # fmt: skip
            s.add(row)
            self._touch_status(s, document_id, coder_id)
            s.commit()
            return self._annotation(row, coder, category)

    def update_annotation(
        self,
        annotation_id: int,
        *,
        category: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: str | None | type[...] = ...,
        expected_version: int | None = None,
    ) -> Annotation:
        """Change category, bounds and/or note. With `expected_version`, refuse to overwrite a newer edit."""
        with self._session() as s:
            row = s.get(AnnotationRow, annotation_id)
            if row is None:
                raise AnnotationError(f"annotation {annotation_id} no longer exists")
            self._check_writer(self._coder_name(s, row.coder_id))
            if expected_version is not None and row.version != expected_version:
                raise ConflictError(
                    f"annotation {annotation_id} was changed elsewhere (version {row.version}, you had {expected_version}); reload"
                )
            if category is not None:
                cat = self._category_row(category)
                if cat.kind != CategoryKind.SPAN.value:
                    raise AnnotationError(f"{category!r} is a document-level category")
                row.category_id = cat.id
            if start is not None or end is not None:
                new_start = row.start if start is None else start
                new_end = row.end if end is None else end
                row.text = self._checked_cover(s, row.document_id, new_start, new_end)
                row.start, row.end = new_start, new_end
            if note is not ...:
                row.note = note or None
            row.version += 1
            row.updated_at = utcnow()
            s.add(row)
            s.commit()
            return self._annotation(row, self._coder_name(s, row.coder_id), self._category_slug(s, row.category_id))

    def delete_annotation(self, annotation_id: int) -> Annotation:
        """Delete and return what was deleted (so it can be restored)."""
        with self._session() as s:
            row = s.get(AnnotationRow, annotation_id)
            if row is None:
                raise AnnotationError(f"annotation {annotation_id} no longer exists")
            self._check_writer(self._coder_name(s, row.coder_id))
            gone = self._annotation(row, self._coder_name(s, row.coder_id), self._category_slug(s, row.category_id))
            s.delete(row)
            s.commit()
            return gone

    def restore_annotation(self, annotation: Annotation) -> Annotation:
        """Re-insert a deleted annotation with its original id (undo of delete)."""
        self._check_writer(annotation.coder)
        cat = self._category_row(annotation.category)
        coder_id = self._coder_id(annotation.coder)
        with self._session() as s:
            covered = self._checked_cover(s, annotation.document_id, annotation.start, annotation.end)
            row = AnnotationRow(
                id=annotation.id, document_id=annotation.document_id, coder_id=coder_id, category_id=cat.id,
                start=annotation.start, end=annotation.end, text=covered, note=annotation.note,
                origin=annotation.origin.value, version=annotation.version + 1,
            )  # fmt: skip
            s.add(row)
            s.commit()
            return self._annotation(row, annotation.coder, annotation.category)

    def annotation(self, annotation_id: int) -> Annotation | None:
        with self._read() as s:
            row = s.get(AnnotationRow, annotation_id)
            if row is None:
                return None
            return self._annotation(row, self._coder_name(s, row.coder_id), self._category_slug(s, row.category_id))

    def annotations(
        self, document_id: int | None = None, coder: str | None = None, coders: Iterable[str] | None = None
    ) -> list[Annotation]:
        """Span labels ordered by position; filter by document and coder(s)."""
        a = AnnotationRow
        with self._read() as s:
            # Plain columns, not ORM objects: a whole study's labels load several times faster.
            q = (
                select(a.id, a.document_id, CoderRow.name, CategoryRow.slug, a.start, a.end, a.text, a.note, a.origin,
                       a.version, a.created_at, a.updated_at)  # fmt: skip
                .join(CoderRow, CoderRow.id == AnnotationRow.coder_id)
                .join(CategoryRow, CategoryRow.id == AnnotationRow.category_id)
            )
            if document_id is not None:
                q = q.where(AnnotationRow.document_id == document_id)
            names = [coder] if coder is not None else list(coders) if coders is not None else None
            if names is not None:
                q = q.where(col(CoderRow.name).in_(names))
            q = q.order_by(AnnotationRow.document_id, AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
            origins = {o.value: o for o in Origin}
            return [
                Annotation(i, d, name, slug, start, end, text, note, origins[origin], version,
                           _iso(created), _iso(updated))  # fmt: skip
                for i, d, name, slug, start, end, text, note, origin, version, created, updated in s.exec(q)
            ]

    def _checked_cover(self, s: Session, document_id: int, start: int, end: int) -> str:
        doc = s.get(DocumentRow, document_id)
        if doc is None:
            raise AnnotationError(f"no document with id {document_id}")
        if not (0 <= start < end <= len(doc.text)):
            raise AnnotationError(
                f"span {start}..{end} is outside document {document_id} (0..{len(doc.text)}) or empty"
            )
        blocked = s.exec(
            select(ZoneRow.kind).where(
                ZoneRow.document_id == document_id,
                col(ZoneRow.kind).in_([ZoneKind.BOILERPLATE.value]),
                ZoneRow.start < end,
                ZoneRow.end > start,
            )
        ).first()
        if blocked is not None:
            raise AnnotationError(f"span {start}..{end} reaches into page furniture (boilerplate), which is not coded")
        return doc.text[start:end]

    @staticmethod
    def _annotation(row: AnnotationRow, coder: str, category: str) -> Annotation:
        return Annotation(
            row.id, row.document_id, coder, category, row.start, row.end, row.text, row.note, Origin(row.origin),
            row.version, _iso(row.created_at), _iso(row.updated_at),
        )  # fmt: skip

    @staticmethod
    def _coder_name(s: Session, coder_id: int) -> str:
        return s.get(CoderRow, coder_id).name

    @staticmethod
    def _category_slug(s: Session, category_id: int) -> str:
        return s.get(CategoryRow, category_id).slug

    # --- document-level labels -------------------------------------------------------------------

    def set_document_label(self, document_id: int, coder: str, category: str, value: str | None) -> DocumentLabel | None:
        """Set (or with value None clear) a coder's document-level code. Returns the new label."""
        self._check_writer(coder)
        cat = self._category_row(category)
        if cat.kind != CategoryKind.DOCUMENT.value:
            raise AnnotationError(f"{category!r} is a span category; use add_annotation")
        if value is not None and value not in cat.allowed_values:
            raise AnnotationError(f"{value!r} is not a value of {category!r}; allowed: {', '.join(cat.allowed_values)}")
        coder_id = self._coder_id(coder)
        with self._session() as s:
            if s.get(DocumentRow, document_id) is None:
                raise AnnotationError(f"no document with id {document_id}")
            row = s.exec(
                select(DocumentLabelRow).where(
                    DocumentLabelRow.document_id == document_id,
                    DocumentLabelRow.coder_id == coder_id,
                    DocumentLabelRow.category_id == cat.id,
                )
            ).first()
            if value is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(DocumentLabelRow(document_id=document_id, coder_id=coder_id, category_id=cat.id, value=value))
            else:
                row.value, row.updated_at, row.version = value, utcnow(), row.version + 1
                s.add(row)
            self._touch_status(s, document_id, coder_id)
            s.commit()
        return None if value is None else DocumentLabel(document_id, coder, category, value)

    def document_labels(self, document_id: int | None = None, coder: str | None = None) -> list[DocumentLabel]:
        with self._read() as s:
            q = (
                select(DocumentLabelRow.document_id, CoderRow.name, CategoryRow.slug, DocumentLabelRow.value)
                .join(CoderRow, CoderRow.id == DocumentLabelRow.coder_id)
                .join(CategoryRow, CategoryRow.id == DocumentLabelRow.category_id)
            )
            if document_id is not None:
                q = q.where(DocumentLabelRow.document_id == document_id)
            if coder is not None:
                q = q.where(CoderRow.name == coder)
            q = q.order_by(DocumentLabelRow.document_id, CategoryRow.position, CoderRow.name)
            return [DocumentLabel(*r) for r in s.exec(q).all()]

    # --- status ----------------------------------------------------------------------------------

    def set_status(self, document_id: int, coder: str, status: Status, add_seconds: float = 0.0) -> None:
        self._check_writer(coder)
        coder_id = self._coder_id(coder)
        with self._session() as s:
            row = s.get(DocumentStatusRow, (document_id, coder_id))
            if row is None:
                row = DocumentStatusRow(document_id=document_id, coder_id=coder_id)
            row.status = Status(status).value
            row.seconds = (row.seconds or 0.0) + max(0.0, add_seconds)
            row.updated_at = utcnow()
            s.add(row)
            s.commit()

    def add_time(self, document_id: int, coder: str, seconds: float) -> None:
        """Record time spent without changing the status (todo becomes in progress)."""
        self._check_writer(coder)
        coder_id = self._coder_id(coder)
        with self._session() as s:
            row = s.get(DocumentStatusRow, (document_id, coder_id)) or DocumentStatusRow(
                document_id=document_id, coder_id=coder_id, status=Status.IN_PROGRESS.value
            )
            row.seconds = (row.seconds or 0.0) + max(0.0, seconds)
            row.updated_at = utcnow()
            s.add(row)
            s.commit()

    def status(self, document_id: int, coder: str) -> tuple[Status, float]:
        coder_id = self._coder_id(coder)
        with self._read() as s:
            row = s.get(DocumentStatusRow, (document_id, coder_id))
        return (Status(row.status), row.seconds) if row else (Status.TODO, 0.0)

    def statuses(self) -> dict[tuple[int, str], tuple[Status, float]]:
        """(document id, coder name) -> (status, seconds) for every coder and document."""
        with self._read() as s:
            rows = s.exec(
                select(DocumentStatusRow, CoderRow.name).join(CoderRow, CoderRow.id == DocumentStatusRow.coder_id)
            ).all()
        return {(r.document_id, name): (Status(r.status), r.seconds) for r, name in rows}

    @staticmethod
    def _touch_status(s: Session, document_id: int, coder_id: int) -> None:
        """The first label on a document moves it from todo to in progress."""
        row = s.get(DocumentStatusRow, (document_id, coder_id))
        if row is None:
            s.add(DocumentStatusRow(document_id=document_id, coder_id=coder_id, status=Status.IN_PROGRESS.value))


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else str(value or "")


def _category(row: CategoryRow, slugs_by_id: dict[int, str]) -> Category:
    return Category(
        id=row.slug, name=row.name, kind=CategoryKind(row.kind), key=row.shortcut, colour=row.colour,
        definition=row.definition, example=row.example,
        parent=slugs_by_id.get(row.parent_id) if row.parent_id else None,
        level=row.level, values=tuple(row.allowed_values or ()),
    )  # fmt: skip

