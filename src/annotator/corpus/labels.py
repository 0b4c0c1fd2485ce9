"""Read label files (JSONL): span labels anchored by quote or offsets, document codes, statuses.

One JSON object per line, three kinds:
    {"document": "<external id>", "coder": "anna", "category": "hedge", "quote": "könnte", "occurrence": 1}
    {"document": "<external id>", "coder": "anna", "category": "hedge", "start": 120, "end": 126}
    {"document": "<external id>", "coder": "anna", "category": "tone", "value": "negative"}
    {"document": "<external id>", "coder": "anna", "status": "done", "seconds": 312}
A quote is found in the stored (normalised) text, so files stay valid whatever the offsets.
Importing the same file twice adds nothing.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import Origin, Status
from ..errors import AnnotatorError, CorpusError
from .records import ImportProblem

if TYPE_CHECKING:
    from ..project import Project


@dataclass
class LabelImportReport:
    spans: int = 0
    document_codes: int = 0
    statuses: int = 0
    unchanged: int = 0
    rejected: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.spans} span label(s), {self.document_codes} document code(s), {self.statuses} status(es) imported; "
            f"{self.unchanged} already present; {len(self.rejected)} rejected"
        )


def import_label_file(project: "Project", path: str | Path, origin: Origin = Origin.IMPORTED) -> LabelImportReport:
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read label file ({exc.strerror or exc})") from exc
    report = LabelImportReport()
    doc_ids: dict[str, int | None] = {}
    texts: dict[int, str] = {}
    existing: dict[tuple[int, str], set[tuple[str, int, int]]] = {}
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("expected a JSON object")
                _import_one(project, item, origin, report, doc_ids, texts, existing)
            except (ValueError, KeyError, AnnotatorError) as exc:
                reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                report.rejected.append(ImportProblem(path.name, where, reason))
    return report


def _import_one(project, item, origin, report, doc_ids, texts, existing) -> None:
    ext = str(item["document"])
    if ext not in doc_ids:
        doc_ids[ext] = project.document_id_for(ext)
    doc_id = doc_ids[ext]
    if doc_id is None:
        raise ValueError(f"no document with id {ext!r} in the project")
    coder = str(item["coder"])
    if "status" in item and "category" not in item:
        project.set_status(doc_id, coder, Status(item["status"]), float(item.get("seconds", 0) or 0))
        report.statuses += 1
        return
    category = str(item["category"])
    if "value" in item:
        current = {(l.category): l.value for l in project.document_labels(doc_id, coder)}
        if current.get(category) == str(item["value"]):
            report.unchanged += 1
            return
        project.set_document_label(doc_id, coder, category, str(item["value"]))
        report.document_codes += 1
        return
    if doc_id not in texts:
        texts[doc_id] = project.document(doc_id).text
    start, end = _locate(texts[doc_id], item)
    key = (doc_id, coder)
    if key not in existing:
        existing[key] = {(a.category, a.start, a.end) for a in project.annotations(doc_id, coder=coder)}
    if (category, start, end) in existing[key]:
        report.unchanged += 1
        return
    project.add_annotation(doc_id, coder, category, start, end, note=item.get("note"), origin=origin)
    existing[key].add((category, start, end))
    report.spans += 1


def _locate(text: str, item: dict) -> tuple[int, int]:
    if "quote" in item:
        quote = unicodedata.normalize("NFC", str(item["quote"]))
        occurrence = int(item.get("occurrence", 1))
        at = -1
        for _ in range(max(1, occurrence)):
            at = text.find(quote, at + 1)
            if at < 0:
                raise ValueError(f"quote {quote[:60]!r} (occurrence {occurrence}) not found in the document text")
        return at, at + len(quote)
    start, end = int(item["start"]), int(item["end"])
    if "text" in item and text[start:end] != item["text"]:
        raise ValueError(f"offsets {start}..{end} cover {text[start:end]!r}, not {item['text']!r}")
    return start, end
