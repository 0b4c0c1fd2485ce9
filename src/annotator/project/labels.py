"""Span labels and document-level codes: each write is committed before the method returns."""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..domain import Annotation, CategoryKind, DocumentLabel, Origin, ZoneKind
from ..errors import AnnotationError, ConflictError
from ..storage.models import AnnotationRow, CategoryRow, CoderRow, DocumentLabelRow, DocumentRow, ZoneRow, utcnow


class Labels:
    """Mixed into `Project`: a coder's labels and codes."""

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
        """Change category, bounds and/or note. With `expected_version`, refuse to overwrite a newer edit.

        The check and the write are one conditional UPDATE (`… WHERE version = expected`): reading the
        version first and writing after lets two sessions both pass the check on PostgreSQL."""
        with self._session() as s:
            row = s.get(AnnotationRow, annotation_id)
            if row is None:
                raise AnnotationError(f"annotation {annotation_id} no longer exists")
            coder = self._coder_name(s, row.coder_id)
            self._check_writer(coder)
            values: dict[str, Any] = {"updated_at": utcnow(), "version": AnnotationRow.version + 1}
            if category is not None:
                cat = self._category_row(category)
                if cat.kind != CategoryKind.SPAN.value:
                    raise AnnotationError(f"{category!r} is a document-level category")
                values["category_id"] = cat.id
            if start is not None or end is not None:
                new_start = row.start if start is None else start
                new_end = row.end if end is None else end
                values["text"] = self._checked_cover(s, row.document_id, new_start, new_end)
                values["start"], values["end"] = new_start, new_end
            if note is not ...:
                values["note"] = note or None
            stmt = update(AnnotationRow).where(col(AnnotationRow.id) == annotation_id).values(**values)
            if expected_version is not None:
                stmt = stmt.where(col(AnnotationRow.version) == expected_version)
            changed = s.exec(stmt.returning(AnnotationRow.version)).first()
            if changed is None:
                s.rollback()
                raise ConflictError(
                    f"annotation {annotation_id} was changed elsewhere since you read it "
                    f"(you had version {expected_version}); reload"
                )
            s.commit()
        updated = self.annotation(annotation_id)
        if updated is None:  # deleted by someone else right after our commit
            raise AnnotationError(f"annotation {annotation_id} no longer exists")
        return updated

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


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else str(value or "")


