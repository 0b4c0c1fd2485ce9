"""WebAnno TSV 3 files into a project, as INCEpTION and other tools write them.

What a file brings
    Spans of one span layer: by default the first with a ``label`` feature (annotator's own
    ``webanno.custom.Framing``); ``label_feature="value"`` and ``layer=…`` read, for example,
    INCEpTION's named entities (``de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value``).
    Sub-token rows (``1-3.1``), stacked values (``PER[1]|ORG[2]``) and spans over several sentences
    keep their exact offsets. A span whose feature is empty (``*``) has no tag to map.

Tags and categories
    A tag that is a span category id of the codebook is taken as it is; `tag_map` maps others
    (``{"PER": "unnamed_source"}``). Tags neither names are not imported and are counted by tag in
    `ExchangeImportReport.unmapped`, so one run shows what a mapping needs.

Documents
    A file is matched to a document by its name (see `annotator.export.webanno`) or by its text.
    When the project has neither, the document is created from the file's sentences (placed at
    their offsets; gaps become line breaks), unless `create_documents` is false.

Coders
    In INCEpTION's project layout, ``annotation/<document>/<user>.tsv``, every user stays a coder
    of their own and ``curation/<document>/CURATION_USER.tsv`` is the gold layer. A coder feature in
    the file wins over both; `coder` names the coder of files outside that layout.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..corpus.importer import prepare
from ..corpus.normalise import normalise_text, text_sha256
from ..corpus.records import ImportProblem, Layout, RawRecord
from ..domain import CategoryKind, Document, Origin
from ..errors import AnnotatorError
from .incoming import DocumentFinder, LabelSink
from .reports import CancelCheck, ExchangeError, ExchangeImportReport, ProgressCallback, cannot_read
from .webanno import SHA_PREFIX
from .webanno_tsv import (
    CODER_FEATURE,
    LABEL_FEATURE,
    TsvContent,
    TsvFormatError,
    check_text,
    from_utf16,
    read_tsv,
    rebuild_text,
)

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["CURATION_USER", "import_webanno", "read_tag_map"]

CURATION_USER = "CURATION_USER"
INITIAL_CAS = "INITIAL_CAS"  # the document as uploaded, before anyone annotated it: no one's labels
NO_VALUE = "* (no value)"
_LAYOUT_FOLDERS = {"annotation", "curation"}


def read_tag_map(path: str | Path) -> dict[str, str]:
    """A tag mapping file: one ``TAG=category`` per line (a tab or ``;`` works as well as ``=``), ``#`` comments."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise cannot_read(path, exc) if isinstance(exc, OSError) else ExchangeError(f"{path}: not UTF-8 text") from exc
    mapping: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for separator in ("=", "\t", ";"):
            if separator in line:
                tag, _, category = line.partition(separator)
                break
        else:
            raise ExchangeError(f"{path}: line {number}: expected TAG=category, not {line.strip()!r}")
        if not tag.strip() or not category.strip():
            raise ExchangeError(f"{path}: line {number}: expected TAG=category, not {line.strip()!r}")
        mapping[tag.strip()] = category.strip()
    return mapping


def import_webanno(
    project: "Project",
    path: str | Path,
    *,
    coder: str | None = None,
    layer: str | None = None,
    label_feature: str = LABEL_FEATURE,
    coder_feature: str = CODER_FEATURE,
    tag_map: dict[str, str] | None = None,
    gold_coder: str | None = None,
    create_documents: bool = True,
    origin: Origin = Origin.IMPORTED,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExchangeImportReport:
    """Add the spans of WebAnno TSV files (a file, or every ``.tsv`` below a folder) to `project`.

    See the module docstring for tags, documents and coders. A file must match its document's
    stored text (sentence by sentence; whitespace between sentences may differ), or it is rejected
    as a whole, naming the first differing line. Spans already in the project are not added again.
    `gold_coder`: the coder that ``CURATION_USER`` files fill (default: the project's gold coder,
    else ``gold``).
    """
    files, root = _tsv_files(Path(path))
    tag_map = dict(tag_map or {})
    spans_categories = {c.id for c in project.categories(CategoryKind.SPAN)}
    for tag, category in tag_map.items():
        if category not in spans_categories:
            raise ExchangeError(
                f"tag mapping {tag}={category}: {category!r} is not a span category of the project; "
                f"the codebook has: {', '.join(sorted(spans_categories))}"
            )
    if gold_coder is None:
        gold_coder = next((c.name for c in project.coders() if c.is_gold), "gold")
    report = ExchangeImportReport()
    reader = _Reader(project, report, coder, tag_map, gold_coder, create_documents, origin)
    options = {"layer": layer, "label_feature": label_feature, "coder_feature": coder_feature}
    for number, file in enumerate(files, start=1):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        name = file.relative_to(root).as_posix() if root is not None else file.name
        report.files += 1
        reader.read(file, name, options)
        if progress is not None:
            progress(number, name)
    if reader.coder_unused:
        report.notes.append(
            f"the coder {coder!r} was not used for {reader.coder_unused} file(s) in INCEpTION's "
            "annotation/<document>/<user>.tsv layout: each user there stays a coder of their own"
        )
    return report


def _tsv_files(root: Path) -> tuple[list[Path], Path | None]:
    if root.is_dir():
        candidates = sorted(root.rglob("*.tsv"))
        files = [p for p in candidates if not any(part.startswith(".") for part in p.relative_to(root).parts)]
        if not files:
            raise ExchangeError(f"{root}: no .tsv files in this folder")
        return files, root
    if root.is_file():
        return [root], None
    raise ExchangeError(f"{root}: no such file or folder")


class _Reader:
    """One import run: finds or creates each file's document and hands its spans to the label sink."""

    def __init__(
        self,
        project: "Project",
        report: ExchangeImportReport,
        coder: str | None,
        tag_map: dict[str, str],
        gold_coder: str,
        create_documents: bool,
        origin: Origin,
    ) -> None:
        self.project, self.report = project, report
        self.coder, self.tag_map, self.gold_coder = coder, tag_map, gold_coder
        self.create_documents, self.origin = create_documents, origin
        self.finder = DocumentFinder(project)
        self.sink = LabelSink(project, report)
        self.categories = {c.id for c in project.categories(CategoryKind.SPAN)}
        self.coder_unused = 0

    def read(self, file: Path, name: str, options: dict) -> None:
        def reject(line: int | None, reason: str) -> None:
            self.report.rejected.append(ImportProblem(name, f"line {line}" if line else "", reason))

        stem = unicodedata.normalize("NFC", file.stem)  # macOS may hand back decomposed umlauts
        folder = unicodedata.normalize("NFC", file.parent.name)
        in_layout = file.parent.parent.name in _LAYOUT_FOLDERS
        if in_layout and stem == INITIAL_CAS:
            self.report.notes.append(f"{name}: skipped (INCEpTION's copy of the document before annotation)")
            return
        try:
            # Bytes, not text mode: universal newlines would turn a carriage return in a token into a row break.
            content = file.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reject(None, f"cannot read ({getattr(exc, 'strerror', None) or exc})")
            return
        try:
            parsed = read_tsv(content, **options)
        except TsvFormatError as exc:
            hint = "; name the feature that holds the tag with --label-feature" if "feature" in exc.reason else ""
            reject(exc.line, exc.reason + hint)
            return
        text, why_not = rebuild_text(parsed.sentences)
        sha = text_sha256(text) if text is not None else None
        names = [folder, Path(folder).stem] if in_layout else [stem]
        doc = self._find(names, sha)
        user = None
        if doc is None and not in_layout:
            doc = self._find([folder, Path(folder).stem], None)  # a layout under another folder name
            user = stem if doc is not None else None
        elif in_layout:
            user = stem
        if doc is None:
            doc = self._create(names[-1], text, why_not, reject)
            if doc is None:
                return
        mismatch = check_text(doc.text, parsed.sentences)
        if mismatch is not None:
            reject(*mismatch)
            return
        self._add_spans(doc, parsed, user, options["coder_feature"], reject)

    def _find(self, names: list[str], sha: str | None) -> Document | None:
        for candidate in dict.fromkeys(n for n in names if n):
            if candidate.startswith(SHA_PREFIX):
                doc = self.finder.find(None, candidate[len(SHA_PREFIX) :])
                if doc is not None:
                    return doc
            external_id = unquote(candidate)
            doc = self.finder.find(external_id, sha)
            if doc is None and candidate != external_id:
                doc = self.finder.find(candidate)
            if doc is not None:
                return doc
        return self.finder.find(None, sha) if sha else None

    def _create(self, name: str, text: str | None, why_not: str, reject) -> Document | None:
        external_id = unquote(name)
        if not self.create_documents:
            reject(None, f"no document with external id {external_id!r} in the project (files are matched by name or text)")
            return None
        if text is None or not text.strip():
            reject(None, f"no document {external_id!r} in the project, and none can be made from this file: {why_not or 'no text'}")
            return None
        if normalise_text(text) != text:
            reject(None, (
                f"no document {external_id!r} in the project, and this file's text changes when it is stored "
                "(spaces before line breaks, control characters or unnormalised Unicode); import the corpus first"
            ))  # fmt: skip
            return None
        prepared = prepare(RawRecord(text=text, source_file=name, external_id=external_id, layout=Layout.CLEAN))
        if isinstance(prepared, ImportProblem) or prepared.text != text:
            reject(None, f"no document {external_id!r} in the project, and its text cannot be stored as it is")
            return None
        title = text.split("\n", 1)[0][:200]
        made = Document(
            0, prepared.external_id, title, None, None, None, text, prepared.sha256, prepared.layout, name, {},
            tuple(prepared.zones),
        )  # fmt: skip
        added = self.project.add_documents([made])
        if not added.new_document_ids:  # the same text arrived under another name a moment ago
            doc = self.finder.find(None, prepared.sha256)
            return doc
        doc = self.project.document(added.new_document_ids[0])
        self.finder.remember(doc)
        self.report.documents_created.append(external_id)
        return doc

    def _add_spans(self, doc: Document, parsed: TsvContent, user: str | None, coder_feature: str, reject) -> None:
        gold = user == CURATION_USER
        if gold:
            user = self.gold_coder
        elif user is not None and self.coder:
            self.coder_unused += 1
        to_char = from_utf16(doc.text)
        for span in parsed.spans:
            tag = span.label
            category = self.tag_map.get(tag, tag) if tag is not None else None
            if category not in self.categories:
                key = NO_VALUE if tag is None else tag
                self.report.unmapped[key] = self.report.unmapped.get(key, 0) + 1
                continue
            try:
                who = span.coder or user or self.coder
                if not who:
                    raise ValueError(f"span without a coder: the file has no {coder_feature!r} value; pass a coder name")
                if span.start >= span.end:
                    raise ValueError(f"zero-width span at offset {span.start} (a label covers at least one character)")
                start, end = to_char(span.start), to_char(span.end)
                if start is None or end is None:
                    raise ValueError(f"offsets {span.start}-{span.end} do not fall on characters of the document")
                self.sink.add_span(doc.id, who, category, start, end, None, self.origin, gold=gold and not span.coder)
            except (ValueError, AnnotatorError) as exc:
                reject(span.line, str(exc))
