"""WebAnno TSV 3.3: span labels to and from INCEpTION (and WebAnno), one ``.tsv`` file per document.

Layer design
    One custom span layer, ``webanno.custom.Framing``, with two string features: ``label`` (the
    category id) and ``coder``. All coders' spans of a document go into one file and stay apart by
    the coder feature. One layer per coder would need a layer defined in INCEpTION for every coder,
    and a new one whenever a coder joins; one layer with a coder feature needs a single definition.
    Before importing the files into INCEpTION, create a span layer named "Framing" (INCEpTION names
    its type ``webanno.custom.Framing``) with the String features ``label`` and ``coder``, overlap
    and stacking allowed and crossing sentence boundaries allowed (a span may run over two lines).

What a file holds
    ``#Text=`` sentences are the lines of the stored text (headline, lead, paragraphs …), split
    further at sentence ends by spaCy's sentencizer; tokens come from the ``spacy.blank("de")``
    tokenizer (whitespace is never a token). Offsets count UTF-16 code units, as Java and therefore
    INCEpTION do: they equal character offsets except after characters beyond U+FFFF (emoji), which
    count two. Feature values are escaped as the format requires (``\\ [ ] | _ -> ; * tab newline``),
    ``#Text`` lines escape tab, newline, carriage return, form feed, backspace and backslash.

Spans are widened to whole tokens
    The format addresses tokens (sub-token rows exist, but token-granularity layers in INCEpTION and
    most TSV readers do not take them), so a span that starts or ends inside a token, e.g. ``könnt``
    in ``könnte``, is written as covering the whole token ``könnte``. `ExportResult.expanded` counts
    them; a span covering only whitespace is skipped and listed in `ExportResult.skipped`. Spans that
    fall on token boundaries come back with exactly the same offsets. Sub-token rows in files written
    by other tools are read with their exact offsets.

Files and documents
    A file is named after the document's external id, with characters that are not safe in file names
    written as ``%XX`` (so ``a/1`` becomes ``a%2F1.tsv``); documents without external id, or whose id
    is too long or clashes with another when case is ignored, are named ``sha256-<hash of the
    text>.tsv``. Import finds the document by that name. In an INCEpTION project
    export (``annotation/<document>/<user>.tsv``) the folder names the document and the file name
    serves as the coder of spans whose coder feature is empty.

Document-level codes are not part of these files; move them with `annotator.export.exchange`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..corpus.records import ImportProblem
from ..domain import Document, Origin
from ..errors import AnnotatorError
from .atomic import move_in, staged_folder
from .incoming import DocumentFinder, LabelSink
from .reports import (
    CancelCheck,
    ExchangeError,
    ExchangeImportReport,
    ExportResult,
    ProgressCallback,
    cannot_write,
    coder_list,
)
from .webanno_tsv import (
    CODER_FEATURE,
    LABEL_FEATURE,
    LAYER,
    TsvFormatError,
    TsvSpan,
    check_text,
    from_utf16,
    read_tsv,
    write_tsv,
)

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["LAYER", "SHA_PREFIX", "export_webanno", "file_stem", "import_webanno"]

SHA_PREFIX = "sha256-"


# --- file names -----------------------------------------------------------------------------------


def file_stem(document: Document) -> str:
    """The file name (without ``.tsv``) for a document: its external id made safe, else its hash."""
    if document.external_id:
        stem = _safe_name(document.external_id)
        if len(stem.encode("utf-8")) <= 200 and not stem.startswith(SHA_PREFIX):
            return stem
    return SHA_PREFIX + document.sha256


def _safe_name(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        keep = (ch.isalnum() or ch in "-_.~ ") and not (ch in ". " and i in (0, len(name) - 1))
        out.append(ch if keep else "".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


def _document_for(finder: DocumentFinder, file: Path) -> tuple[Document | None, str | None]:
    """The document a file holds, and the coder its name implies (INCEpTION project exports), if any."""
    stem = unicodedata.normalize("NFC", file.stem)  # macOS may hand back decomposed umlauts
    doc = _document_named(finder, stem)
    if doc is not None:
        return doc, None
    folder = unicodedata.normalize("NFC", file.parent.name)
    for candidate in dict.fromkeys((folder, Path(folder).stem)):
        if candidate:
            doc = _document_named(finder, candidate)
            if doc is not None:
                return doc, stem
    return None, None


def _document_named(finder: DocumentFinder, stem: str) -> Document | None:
    if stem.startswith(SHA_PREFIX):
        doc = finder.find(None, stem[len(SHA_PREFIX) :])
        if doc is not None:
            return doc
    external_id = unquote(stem)
    return finder.find(external_id) or (finder.find(stem) if stem != external_id else None)


# --- project level --------------------------------------------------------------------------------


def export_webanno(
    project: "Project",
    folder: str | Path,
    coders: str | Iterable[str] | None = None,
    *,
    layer: str = LAYER,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write one WebAnno TSV 3.3 file per document into `folder` (see the module docstring for the format).

    Every document is written, labelled or not, so that INCEpTION receives the whole corpus.
    `coders`: None for everyone, a name, or several names. The files are written into a hidden
    staging folder and moved into `folder` only when all are written, the study note last: a
    cancelled, failed or interrupted export adds no file to `folder`.
    """
    folder = Path(folder)
    names = coder_list(coders)
    result = ExportResult()
    used: set[str] = set()
    try:
        with staged_folder(folder) as stage:
            for number, doc in enumerate(project.iter_documents(), start=1):
                if cancel is not None and cancel():
                    return ExportResult(cancelled=True)
                stem = file_stem(doc)
                if stem.lower() in used:  # e.g. "A1" and "a1" on a case-insensitive disk
                    stem = SHA_PREFIX + doc.sha256
                used.add(stem.lower())
                spans = [TsvSpan(a.start, a.end, a.category, a.coder) for a in project.annotations(document_id=doc.id, coders=names)]
                content, expanded, dropped = write_tsv(doc.text, spans, layer)
                path = folder / f"{stem}.tsv"
                (stage / path.name).write_text(content, encoding="utf-8", newline="\n")
                result.paths.append(path)
                result.documents += 1
                result.spans += len(spans) - len(dropped)
                result.expanded += expanded
                for span in dropped:
                    result.skipped.append(f"{path.name}: {span.coder}'s {span.label} at {span.start}..{span.end} covers no token")
                if progress is not None:
                    progress(number, path.name)
            _write_study_note(project, stage, result, layer)
            (folder / STUDY_NOTE).unlink(missing_ok=True)  # a note beside the files counts them: it goes in last
            move_in(stage, folder, [p.name for p in result.paths] + [STUDY_NOTE])
    except OSError as exc:
        raise cannot_write(Path(exc.filename) if exc.filename else folder, exc) from exc
    return result


STUDY_NOTE = "annotator-study.json"


def _write_study_note(project: "Project", folder: Path, result: ExportResult, layer: str) -> None:
    """TSV has no place for study settings; a small JSON beside the files records them (import skips it)."""
    import json
    from datetime import datetime, timezone

    settings = project.settings()
    note = {
        "project": settings.name, "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "suggestions_enabled": settings.suggestions_enabled, "layer": layer, "documents": result.documents,
    }  # fmt: skip
    try:
        (folder / STUDY_NOTE).write_text(json.dumps(note, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise cannot_write(folder / STUDY_NOTE, exc) from exc


def import_webanno(
    project: "Project",
    path: str | Path,
    *,
    coder: str | None = None,
    layer: str | None = None,
    label_feature: str = LABEL_FEATURE,
    coder_feature: str = CODER_FEATURE,
    origin: Origin = Origin.IMPORTED,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExchangeImportReport:
    """Add the spans of WebAnno TSV files (a file, or every ``.tsv`` below a folder) to `project`.

    A file must match its document's stored text (sentence by sentence; whitespace between sentences
    may differ), or it is rejected as a whole, naming the first differing line. Each span's label is
    its category id. Its coder is the `coder_feature` value; where that is empty, `coder`; failing
    that, the file name in an INCEpTION project export. Spans already in the project are not added
    again. `layer`, `label_feature` and `coder_feature` select another layer design.
    """
    root = Path(path)
    if root.is_dir():
        candidates = sorted(root.rglob("*.tsv"))
        files = [p for p in candidates if not any(part.startswith(".") for part in p.relative_to(root).parts)]
        if not files:
            raise ExchangeError(f"{root}: no .tsv files in this folder")
    elif root.is_file():
        files = [root]
    else:
        raise ExchangeError(f"{root}: no such file or folder")
    report = ExchangeImportReport()
    finder = DocumentFinder(project)
    sink = LabelSink(project, report)
    options = {"layer": layer, "label_feature": label_feature, "coder_feature": coder_feature}
    for number, file in enumerate(files, start=1):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        name = file.relative_to(root).as_posix() if root.is_dir() else file.name
        report.files += 1
        _import_file(file, name, finder, sink, report, coder, origin, options)
        if progress is not None:
            progress(number, name)
    return report


def _import_file(
    file: Path,
    name: str,
    finder: DocumentFinder,
    sink: LabelSink,
    report: ExchangeImportReport,
    coder: str | None,
    origin: Origin,
    options: dict,
) -> None:
    def reject(line: int | None, reason: str) -> None:
        report.rejected.append(ImportProblem(name, f"line {line}" if line else "", reason))

    try:
        # Bytes, not text mode: universal newlines would turn a carriage return in a token into a row break.
        content = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reject(None, f"cannot read ({getattr(exc, 'strerror', None) or exc})")
        return
    try:
        parsed = read_tsv(content, **options)
    except TsvFormatError as exc:
        reject(exc.line, exc.reason)
        return
    doc, coder_from_name = _document_for(finder, file)
    if doc is None:
        reject(None, f"no document with external id {unquote(file.stem)!r} in the project (files are matched by name)")
        return
    mismatch = check_text(doc.text, parsed.sentences)
    if mismatch is not None:
        reject(*mismatch)
        return
    to_char = from_utf16(doc.text)
    for span in parsed.spans:
        try:
            if not span.label:
                raise ValueError("span without a label")
            who = span.coder or coder or coder_from_name
            if not who:
                feature = options["coder_feature"]
                raise ValueError(f"span without a coder: the file has no {feature!r} value; pass a coder name")
            start, end = to_char(span.start), to_char(span.end)
            if start is None or end is None:
                raise ValueError(f"offsets {span.start}-{span.end} do not fall on characters of the document")
            sink.add_span(doc.id, who, span.label, start, end, None, origin)
        except (ValueError, AnnotatorError) as exc:
            reject(span.line, str(exc))
