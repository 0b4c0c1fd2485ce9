"""The corpus in the project: importing articles, listing, reading and searching documents."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import func
from sqlmodel import col, select

from ..corpus.importer import CancelCheck, ImportReport, PreparedDocument, ProgressCallback, language_warning, prepare
from ..corpus.readers import iter_corpus
from ..corpus.records import ImportProblem
from ..domain import Document, DocumentSummary, Status, Zone, ZoneKind
from ..errors import ProjectError
from ..storage.models import AnnotationRow, DocumentRow, DocumentStatusRow, ZoneRow
from ..storage.search import contains_text


class Documents:
    """Mixed into `Project`: the corpus part of its API."""

    def import_corpus(
        self,
        path: str | Path,
        *,
        column_map: dict[str, str] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelCheck | None = None,
        batch_size: int = 200,
    ) -> ImportReport:
        """Import a file or folder. Streams records; one transaction per batch; never half an article."""
        report = ImportReport()
        language = self.settings().language
        batch: list[PreparedDocument] = []
        seen = 0
        for item in iter_corpus(path, column_map=column_map):
            if cancel is not None and cancel():
                report.cancelled = True
                break
            seen += 1
            if isinstance(item, ImportProblem):
                report.rejected.append(item)
            else:
                prepared = prepare(item)
                if isinstance(prepared, ImportProblem):
                    report.rejected.append(prepared)
                else:
                    batch.append(prepared)
                    if len(batch) >= batch_size:
                        self._store_batch(batch, report, language)
                        batch = []
            if progress is not None:
                progress(seen, getattr(item, "source_file", ""))
        if batch:
            self._store_batch(batch, report, language)
        return report

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

