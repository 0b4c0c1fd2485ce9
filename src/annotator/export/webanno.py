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

Spans keep their bounds
    A span that starts or ends inside a token, e.g. ``könnt`` in ``könnte``, is written on a sub-token
    row (``2-5.1``) as INCEpTION writes and reads it, never widened to the whole token (which would
    pull uncoded letters or words into it). Rows cannot start or end in whitespace, so whitespace at a
    span's edges is left out; each span so changed is listed in `ExportResult.warnings`. A span
    covering only whitespace is skipped and listed in `ExportResult.skipped`. Every other span comes
    back with exactly the same offsets. In INCEpTION, give the layer character-level granularity so
    that such spans can also be edited there.

Files and documents
    A file is named after the document's external id, with characters that are not safe in file names
    written as ``%XX`` (so ``a/1`` becomes ``a%2F1.tsv``); documents without external id, or whose id
    is too long or clashes with another when case is ignored, are named ``sha256-<hash of the
    text>.tsv``. Import (`annotator.export.webanno_import`) finds the document by that name or by its
    text. In an INCEpTION project export (``annotation/<document>/<user>.tsv``) the folder names the
    document and the file name the coder.

Document-level codes are not part of these files; move them with `annotator.export.exchange`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..domain import Document
from .atomic import move_in, staged_folder
from .incoming import DocumentFinder
from .reports import (
    CancelCheck,
    ExchangeImportReport,
    ExportResult,
    ProgressCallback,
    cannot_write,
    coder_list,
)
from .webanno_tsv import (
    LAYER,
    TsvSpan,
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
                content, adjusted, dropped = write_tsv(doc.text, spans, layer)
                path = folder / f"{stem}.tsv"
                (stage / path.name).write_text(content, encoding="utf-8", newline="\n")
                result.paths.append(path)
                result.documents += 1
                result.spans += len(spans) - len(dropped)
                for span, start, end in adjusted:
                    result.warnings.append(
                        f"{path.name}: {span.coder}'s {span.label} at {span.start}..{span.end} written as {start}..{end} "
                        "(without the whitespace at its edges)"
                    )
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


def import_webanno(project: "Project", path: str | Path, **options) -> ExchangeImportReport:
    """Add the spans of WebAnno TSV files to `project`: see `annotator.export.webanno_import`."""
    from .webanno_import import import_webanno as read

    return read(project, path, **options)
