"""The corpus in the project: importing articles, listing, reading and searching documents."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from ..corpus.importer import CancelCheck, ImportReport, PreparedDocument, ProgressCallback, body_key, language_warning
from ..corpus.importer import run_import
from ..corpus.limits import DEFAULT_MAX_ARTICLE_CHARS, ArticleLimit
from ..corpus.readers import iter_corpus
from ..corpus.records import ImportProblem
from ..domain import Document, DocumentSummary, Status, Zone, ZoneKind
from ..errors import ProjectError
from ..storage.models import AnnotationRow, DocumentRow, DocumentStatusRow, ZoneRow, utcnow
from ..storage.search import contains_text


class Documents:
    """Mixed into `Project`: the corpus part of its API."""

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
            raise ProjectError(
                f"{self.display_location}: cannot store articles ({exc.orig}); the batches before are stored"
            ) from exc

    def _insert_batch(self, batch: list[PreparedDocument], report: ImportReport, language: str | None) -> None:
        # Each document is inserted "unless its text is there already" (ON CONFLICT DO NOTHING): two
        # imports into one server project at once both finish, and the one that comes second counts
        # the article as a duplicate instead of failing on the unique key.
        dialect = self._engine.dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        with self._session() as s:
            position = (s.exec(select(func.max(DocumentRow.position))).one() or 0) + 1
            new_rows: list[tuple[int, PreparedDocument]] = []
            for d in batch:
                stmt = (
                    insert(DocumentRow)
                    .values(
                        external_id=d.external_id, title=d.title, outlet=d.outlet, url=d.url, published=d.published,
                        text=d.text, sha256=d.sha256, layout=d.layout, source_file=d.source_file,
                        extra=d.extra, position=position, imported_at=utcnow(),
                    )
                    .on_conflict_do_nothing(index_elements=["sha256"])
                    .returning(DocumentRow.id)
                )  # fmt: skip
                document_id = s.exec(stmt).scalar()
                if document_id is None:
                    report.duplicate += 1
                    report.duplicates.append(ImportProblem(d.source_file, d.location, "same text already in the project"))
                    continue
                position += 1
                new_rows.append((document_id, d))
            zones = [
                {"document_id": document_id, "kind": z.kind.value, "start": z.start, "end": z.end, "attrs": dict(z.attrs)}
                for document_id, d in new_rows
                for z in d.zones
            ]
            if zones:
                s.exec(ZoneRow.__table__.insert(), params=zones)
            s.commit()
        for document_id, d in new_rows:
            report.new += 1
            report.new_document_ids.append(document_id)
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
                q = q.where(contains_text([DocumentRow.title, DocumentRow.text], search, self._engine.dialect.name))
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

