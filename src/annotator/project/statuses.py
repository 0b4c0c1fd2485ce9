"""Each coder's status of each document and the time spent coding it."""

from __future__ import annotations

from sqlmodel import Session, select

from ..domain import Status
from ..storage.models import CoderRow, DocumentStatusRow, utcnow


class Statuses:
    """Mixed into `Project`: progress and time."""

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

    def add_time(self, document_id: int, coder: str, seconds: float) -> bool:
        """Add time to a document the coder has begun (a coding action made its status row); else
        record nothing and return False: looking is not coding, and a status would make a coder."""
        self._check_writer(coder)
        coder_id = self._coder_id(coder)
        with self._session() as s:
            row = s.get(DocumentStatusRow, (document_id, coder_id))
            if row is None:
                return False
            row.seconds = (row.seconds or 0.0) + max(0.0, seconds)
            row.updated_at = utcnow()
            s.add(row)
            s.commit()
            return True

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
        """A coding action (label, code, suggestion decision) moves the document from todo to in progress."""
        row = s.get(DocumentStatusRow, (document_id, coder_id))
        if row is None:
            s.add(DocumentStatusRow(document_id=document_id, coder_id=coder_id, status=Status.IN_PROGRESS.value))
        elif row.status == Status.TODO.value:
            row.status, row.updated_at = Status.IN_PROGRESS.value, utcnow()
            s.add(row)

