"""Span labels and document codes for analysis and for moving between projects: CSV, XLSX, JSONL, spaCy DocBin.

Long format, one row per span label, columns `SPAN_COLUMNS`: the document (project id, external id,
sha256 of its text, title, outlet, url, published), the coder (and whether the coder is a gold
layer), the category id and name, the character offsets ``start``/``end`` into the stored text
(Python string indices, end exclusive), the covered text, the zone the span starts in, the note,
the origin (manual, suggestion, imported) and when the label was created and last changed.
Document-level codes get their own table, one row per coder and category, columns `CODE_COLUMNS`.

- CSV: two files, ``spans.csv`` and ``spans_document_codes.csv``. Encoded UTF-8 *with* a byte-order
  mark, which Excel needs to show umlauts and « » correctly; R, pandas and LibreOffice read it too.
  The delimiter defaults to ``","``. Excel set to a German locale expects ``";"`` and puts a
  comma-separated file into one column, so pass ``delimiter=";"`` for German Excel users.
  A text cell beginning with ``= + - @``, a tab or a carriage return gets a ``'`` in front, so a
  spreadsheet shows it instead of running it as a formula (`annotator.export.cells`);
  ``raw_cells=True`` writes every cell exactly as stored, for analysis scripts.
- XLSX: one workbook with the sheets ``spans`` and ``document_codes``; every text is a text cell,
  and a text longer than a cell holds (32,767 characters) is cut with a marker and a warning.
- JSONL: one JSON object per line, UTF-8 without BOM. A ``"type": "meta"`` line first, then per
  document its ``"type": "span"`` lines and its ``"type": "document_code"`` lines, each with the same
  fields as the tables. `import_spans_jsonl` reads it back into another project holding the same corpus.
- DocBin (`export_docbin`): spaCy documents for training and for spaCy-based analyses.

The tables are for analysis and are not read back; JSONL is the exchange format.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus.records import ImportProblem
from ..domain import CategoryKind, Document, Origin
from ..errors import AnnotatorError
from .atomic import atomic_output
from .cells import cut_warnings, neutralise, set_text
from .incoming import DocumentFinder, LabelSink
from .reports import (
    CancelCheck,
    Cancelled,
    ExchangeError,
    ExchangeImportReport,
    ExportResult,
    ProgressCallback,
    cannot_read,
    cannot_write,
    coder_list,
)

if TYPE_CHECKING:
    from ..project import Project

__all__ = [
    "CODE_COLUMNS",
    "JSONL_FORMAT",
    "SPAN_COLUMNS",
    "document_codes_path",
    "export_docbin",
    "export_spans",
    "export_spans_csv",
    "export_spans_jsonl",
    "export_spans_xlsx",
    "import_spans_jsonl",
]

JSONL_FORMAT = "annotator.spans"
JSONL_VERSION = 1

_DOCUMENT_COLUMNS = ("document_id", "external_id", "sha256", "title", "outlet", "url", "published")
SPAN_COLUMNS = (
    "annotation_id", *_DOCUMENT_COLUMNS, "coder", "gold", "category", "category_name",
    "start", "end", "text", "zone", "note", "origin", "created_at", "updated_at", "suggestions_on",
)  # fmt: skip
# suggestions_on: whether the study let the suggester prime coders; recorded in every export.
CODE_COLUMNS = (*_DOCUMENT_COLUMNS, "coder", "gold", "category", "category_name", "value", "level", "suggestions_on")


# --- rows --------------------------------------------------------------------------------------


@dataclass
class _DocumentRows:
    document: Document
    spans: list[dict[str, Any]] = field(default_factory=list)
    codes: list[dict[str, Any]] = field(default_factory=list)


def _iter_rows(
    project: "Project", coders: str | Iterable[str] | None, progress: ProgressCallback | None, cancel: CancelCheck | None
) -> Iterator[_DocumentRows]:
    """Each document in reading order with its rows; raises `Cancelled` when asked to stop."""
    names = coder_list(coders)
    gold = {c.name: c.is_gold for c in project.coders()}
    categories = {c.id: c for c in project.categories()}
    suggestions_on = project.settings().suggestions_enabled
    for number, doc in enumerate(project.iter_documents(), start=1):
        if cancel is not None and cancel():
            raise Cancelled
        head = {
            "document_id": doc.id, "external_id": doc.external_id, "sha256": doc.sha256, "title": doc.title,
            "outlet": doc.outlet, "url": doc.url, "published": doc.published,
        }  # fmt: skip
        rows = _DocumentRows(doc)
        for a in project.annotations(document_id=doc.id, coders=names):
            zone = doc.zone_at(a.start)
            category = categories.get(a.category)
            rows.spans.append({
                "annotation_id": a.id, **head, "coder": a.coder, "gold": gold.get(a.coder, False),
                "category": a.category, "category_name": category.name if category else None,
                "start": a.start, "end": a.end, "text": a.text, "zone": zone.kind.value if zone else None,
                "note": a.note, "origin": a.origin.value, "created_at": a.created_at, "updated_at": a.updated_at,
                "suggestions_on": suggestions_on,
            })  # fmt: skip
        for label in project.document_labels(document_id=doc.id):
            if names is not None and label.coder not in names:
                continue
            category = categories.get(label.category)
            rows.codes.append({
                **head, "coder": label.coder, "gold": gold.get(label.coder, False), "category": label.category,
                "category_name": category.name if category else None, "value": label.value,
                "level": category.level if category else None, "suggestions_on": suggestions_on,
            })  # fmt: skip
        if progress is not None:
            progress(number, doc.external_id or doc.title or f"document {doc.id}")
        yield rows


def _tabular(value: Any) -> Any:
    """A cell value for CSV/XLSX: flags as 1/0 so that sums and filters work in every program."""
    if isinstance(value, bool):
        return int(value)
    return value


# --- CSV -----------------------------------------------------------------------------------------


def document_codes_path(path: str | Path) -> Path:
    """Where `export_spans_csv` puts the document codes: ``spans.csv`` -> ``spans_document_codes.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}_document_codes{path.suffix or '.csv'}")


def export_spans_csv(
    project: "Project",
    path: str | Path,
    coders: str | Iterable[str] | None = None,
    *,
    delimiter: str = ",",
    raw_cells: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write span labels to `path` and document codes to `document_codes_path(path)`, UTF-8 with BOM.

    `coders`: None for everyone, a name, or several names (e.g. ``"gold"`` for the gold layer only).
    `delimiter`: ``","`` (default, what most programs expect) or ``";"`` for Excel in a German locale.
    `raw_cells`: write texts beginning with ``= + - @`` as they are instead of with a leading ``'``
    (for scripts that read the file; a spreadsheet would run such a cell as a formula).
    """
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        raise ExchangeError(f"delimiter must be one character other than a quote or line break, not {delimiter!r}")
    path = Path(path)
    codes_path = document_codes_path(path)
    result = ExportResult(paths=[path, codes_path])
    cell = _tabular if raw_cells else (lambda value: neutralise(_tabular(value)))
    try:
        with atomic_output(path) as tmp_spans, atomic_output(codes_path) as tmp_codes:
            with (
                tmp_spans.open("w", encoding="utf-8-sig", newline="") as span_file,
                tmp_codes.open("w", encoding="utf-8-sig", newline="") as code_file,
            ):
                spans = csv.writer(span_file, delimiter=delimiter)
                codes = csv.writer(code_file, delimiter=delimiter)
                spans.writerow(SPAN_COLUMNS)
                codes.writerow(CODE_COLUMNS)
                for rows in _iter_rows(project, coders, progress, cancel):
                    spans.writerows([cell(r[c]) for c in SPAN_COLUMNS] for r in rows.spans)
                    codes.writerows([cell(r[c]) for c in CODE_COLUMNS] for r in rows.codes)
                    _count(result, rows)
    except Cancelled:
        return ExportResult(cancelled=True)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return result


# --- XLSX ----------------------------------------------------------------------------------------


def export_spans_xlsx(
    project: "Project",
    path: str | Path,
    coders: str | Iterable[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write a workbook with the sheets ``spans`` and ``document_codes`` (header row frozen, filters on)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def append(sheet, values: list[Any]) -> None:
        sheet.append([None if isinstance(v, str) else v for v in values])
        row = sheet.max_row
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):  # as text, never a formula, cut to a cell's size with a note
                set_text(sheet.cell(row=row, column=column), value)

    path = Path(path)
    result = ExportResult(paths=[path])
    book = Workbook()
    span_sheet = book.active
    span_sheet.title = "spans"
    code_sheet = book.create_sheet("document_codes")
    for sheet, columns in ((span_sheet, SPAN_COLUMNS), (code_sheet, CODE_COLUMNS)):
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, name in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _XLSX_WIDTHS.get(name, 14)
    try:
        for rows in _iter_rows(project, coders, progress, cancel):
            for r in rows.spans:
                append(span_sheet, [_tabular(r[c]) for c in SPAN_COLUMNS])
            for r in rows.codes:
                append(code_sheet, [_tabular(r[c]) for c in CODE_COLUMNS])
            _count(result, rows)
    except Cancelled:
        return ExportResult(cancelled=True)
    for sheet in (span_sheet, code_sheet):
        sheet.auto_filter.ref = sheet.dimensions
    result.warnings.extend(cut_warnings(book))
    try:
        with atomic_output(path) as tmp:
            book.save(tmp)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return result


_XLSX_WIDTHS = {
    "title": 40, "url": 30, "text": 50, "note": 30, "sha256": 18, "category_name": 28, "created_at": 20, "updated_at": 20,
}  # fmt: skip


# --- JSONL ---------------------------------------------------------------------------------------


def export_spans_jsonl(
    project: "Project",
    path: str | Path,
    coders: str | Iterable[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write the exchange file that `import_spans_jsonl` reads: a meta line, then span and code lines."""
    path = Path(path)
    result = ExportResult(paths=[path])
    names = coder_list(coders)
    meta = {
        "type": "meta", "format": JSONL_FORMAT, "version": JSONL_VERSION, "project": project.settings().name,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "coders": names if names is not None else [c.name for c in project.coders()],
        "suggestions_enabled": project.settings().suggestions_enabled,
    }  # fmt: skip
    try:
        with atomic_output(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as out:
            out.write(_json_line(meta))
            for rows in _iter_rows(project, names, progress, cancel):
                for r in rows.spans:
                    out.write(_json_line({"type": "span", **r}))
                for r in rows.codes:
                    out.write(_json_line({"type": "document_code", **r}))
                _count(result, rows)
    except Cancelled:
        return ExportResult(cancelled=True)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return result


def _json_line(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False) + "\n"


def _count(result: ExportResult, rows: _DocumentRows) -> None:
    if rows.spans or rows.codes:
        result.documents += 1
    result.spans += len(rows.spans)
    result.document_codes += len(rows.codes)


def export_spans(
    project: "Project",
    path: str | Path,
    coders: str | Iterable[str] | None = None,
    *,
    delimiter: str = ",",
    raw_cells: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Pick the writer by file extension: ``.csv``, ``.xlsx``, ``.jsonl``/``.ndjson``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return export_spans_csv(
            project, path, coders, delimiter=delimiter, raw_cells=raw_cells, progress=progress, cancel=cancel
        )
    if suffix == ".xlsx":
        return export_spans_xlsx(project, path, coders, progress=progress, cancel=cancel)
    if suffix in (".jsonl", ".ndjson"):
        return export_spans_jsonl(project, path, coders, progress=progress, cancel=cancel)
    raise ExchangeError(f"{path}: unknown export format {suffix or '(no extension)'}; use .csv, .xlsx or .jsonl")


# --- JSONL import --------------------------------------------------------------------------------


def import_spans_jsonl(
    project: "Project",
    path: str | Path,
    *,
    origin: Origin | None = None,
    replace_codes: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExchangeImportReport:
    """Add the labels of a file written by `export_spans_jsonl` to `project`.

    Documents are found by external id, else by the sha256 of their text. Every span's covered text
    is compared with the project's text at the same offsets; a line whose text no longer matches is
    rejected with its line number, as is a line naming an unknown document, category or value.
    Coders are created as needed (gold coders as gold). Importing the same file again adds nothing.

    `origin`: None keeps each label's origin from the file (manual stays manual, accepted suggestions
    stay suggestions); pass ``Origin.IMPORTED`` to mark everything as imported instead. Creation times
    are not carried over: labels get the time of the import.
    `replace_codes`: a document code the coder already has with another value is rejected unless true.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    report = ExchangeImportReport(files=1)
    finder = DocumentFinder(project)
    sink = LabelSink(project, report)
    with handle:
        for number, line in enumerate(handle, start=1):
            if cancel is not None and cancel():
                report.cancelled = True
                break
            if progress is not None:
                progress(number, path.name)
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("expected a JSON object")
                _import_line(item, path, finder, sink, origin, replace_codes)
            except ExchangeError:
                raise
            except json.JSONDecodeError as exc:
                report.rejected.append(ImportProblem(path.name, f"line {number}", f"not valid JSON ({exc.msg})"))
            except KeyError as exc:
                report.rejected.append(ImportProblem(path.name, f"line {number}", f"missing field {exc}"))
            except (ValueError, TypeError, AnnotatorError) as exc:
                report.rejected.append(ImportProblem(path.name, f"line {number}", str(exc)))
    return report


def _import_line(
    item: dict, path: Path, finder: DocumentFinder, sink: LabelSink, origin: Origin | None, replace_codes: bool
) -> None:
    kind = item.get("type")
    if kind == "meta":
        if item.get("format") != JSONL_FORMAT:
            raise ExchangeError(f"{path}: not an annotator span export (format {item.get('format')!r})")
        if int(item.get("version", 1)) > JSONL_VERSION:
            raise ExchangeError(
                f"{path}: written by a newer annotator (format version {item['version']}); update annotator to read it"
            )
        return
    if kind not in ("span", "document_code"):
        raise ValueError(f"unknown line type {kind!r}; expected 'span' or 'document_code'")
    external_id = item.get("external_id")
    sha256 = item.get("sha256")
    if not external_id and not sha256:
        raise ValueError("the line names no document (neither external_id nor sha256)")
    doc = finder.find(str(external_id) if external_id else None, str(sha256) if sha256 else None)
    if doc is None:
        named = f"external id {external_id!r}" if external_id else f"sha256 {str(sha256)[:12]}…"
        raise ValueError(f"no document with {named} in the project")
    coder = item["coder"]
    if not isinstance(coder, str) or not coder.strip():
        raise ValueError(f"coder must be a non-empty name, not {coder!r}")
    gold = item.get("gold") is True
    category = str(item["category"])
    if kind == "document_code":
        sink.set_code(doc.id, coder, category, str(item["value"]), replace=replace_codes, gold=gold)
        return
    start, end = _offset(item, "start"), _offset(item, "end")
    expected = item["text"]
    actual = doc.text[start:end] if 0 <= start < end <= len(doc.text) else None
    if actual != expected:
        found = "lie outside the document" if actual is None else f"cover {_short(actual)}"
        raise ValueError(
            f"offsets {start}..{end} {found} in the project, the file has {_short(str(expected))}; "
            "the document text differs"
        )
    label_origin = origin if origin is not None else Origin(item.get("origin") or Origin.IMPORTED.value)
    sink.add_span(doc.id, coder, category, start, end, item.get("note"), label_origin, gold=gold)


def _offset(item: dict, name: str) -> int:
    value = item[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return value


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- spaCy DocBin ----------------------------------------------------------------------------------


def export_docbin(
    project: "Project",
    path: str | Path,
    coders: str | Iterable[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write every document as a spaCy ``Doc`` (tokenised by ``spacy.blank(<project language>)``) to a DocBin.

    - ``doc.spans[<coder>]``: that coder's span labels, ``span.label_`` the category id, one group per
      coder in scope (empty when the coder has no label in the document). Offsets not on token
      boundaries are widened to whole tokens (``alignment_mode="expand"``) and counted in the result.
    - ``doc.cats``: only when exactly one coder is exported, that coder's document codes one-hot per
      category as ``"<category>=<value>"`` (1.0 for the chosen value, 0.0 for the others); categories
      the coder left open are absent. Train spancat with ``spans_key`` set to the coder (e.g. "gold").
    - ``doc.user_data["annotator"]``: document id, external id, sha256, title, outlet, url, published,
      zones as ``[kind, start, end]``, every coder's document codes ``{coder: {category: value}}`` and
      each coder's status.

    Load with ``DocBin().from_disk(path).get_docs(spacy.blank("de").vocab)``.
    """
    import spacy
    from spacy.tokens import DocBin

    names = coder_list(coders)
    scope = names if names is not None else [c.name for c in project.coders()]
    single = names is not None and len(names) == 1
    nlp = spacy.blank(project.settings().language or "de")
    document_categories = project.categories(CategoryKind.DOCUMENT)
    statuses = project.statuses()
    path = Path(path)
    result = ExportResult(paths=[path])
    bin_ = DocBin(store_user_data=True)
    try:
        for number, doc in enumerate(project.iter_documents(), start=1):
            if cancel is not None and cancel():
                raise Cancelled
            sdoc = nlp.make_doc(doc.text)
            groups: dict[str, list] = {name: [] for name in scope}
            for a in project.annotations(document_id=doc.id, coders=names):
                span = sdoc.char_span(a.start, a.end, label=a.category, alignment_mode="expand")
                if span is None or len(span) == 0:
                    where = f"{_doc_name(doc)}: {a.coder}'s {a.category} at {a.start}..{a.end}"
                    result.skipped.append(f"{where} covers no token")
                    continue
                if (span.start_char, span.end_char) != (a.start, a.end):
                    result.expanded += 1
                groups.setdefault(a.coder, []).append(span)
                result.spans += 1
            for coder, spans in groups.items():
                sdoc.spans[coder] = spans
            codes: dict[str, dict[str, str]] = {}
            for label in project.document_labels(document_id=doc.id):
                if names is None or label.coder in names:
                    codes.setdefault(label.coder, {})[label.category] = label.value
                    result.document_codes += 1
            if single:
                own = codes.get(names[0], {})
                for category in document_categories:
                    if category.id in own:
                        for value in category.values:
                            sdoc.cats[f"{category.id}={value}"] = 1.0 if value == own[category.id] else 0.0
            sdoc.user_data["annotator"] = {
                "document_id": doc.id, "external_id": doc.external_id, "sha256": doc.sha256, "title": doc.title,
                "outlet": doc.outlet, "url": doc.url, "published": doc.published,
                "zones": [[z.kind.value, z.start, z.end] for z in doc.zones],
                "document_codes": codes, "suggestions_enabled": project.settings().suggestions_enabled,
                "status": {coder: statuses[(doc.id, coder)][0].value for coder in scope if (doc.id, coder) in statuses},
            }  # fmt: skip
            bin_.add(sdoc)
            result.documents += 1
            if progress is not None:
                progress(number, _doc_name(doc))
    except Cancelled:
        return ExportResult(cancelled=True)
    try:
        with atomic_output(path) as tmp:
            bin_.to_disk(tmp)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return result


def _doc_name(doc: Document) -> str:
    return doc.external_id or f"document {doc.id}"
