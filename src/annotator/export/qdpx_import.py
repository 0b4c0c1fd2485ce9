"""REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``) from MAXQDA, ATLAS.ti, NVivo, QualCoder or annotator.

Codes and categories
    A code is the project's category when annotator wrote it (its GUID or annotator's processing
    instruction says which), else when its name is a category's name or id (case ignored). The
    codable children of a code that names a document-level category are its values. Codes that
    match nothing are counted in `ExchangeImportReport.unmapped` with the number of codings they
    carry; ``add_codes=True`` adds them to the codebook as span categories instead (keeping the
    code tree as parents). `import_qdc` always adds them.

Documents
    Text sources are matched to documents by their text (after the normalisation every imported
    text gets: Unicode NFC, ``\\n`` line ends …; positions are carried over to it). A text the
    project lacks becomes a new document unless ``create_documents`` is false. Picture, audio and
    video sources, and texts stored outside the file, are named in `ExchangeImportReport.notes`.

Labels
    Each ``Coding`` of a ``PlainTextSelection`` becomes a span label of its ``creatingUser`` (the
    selection's, else the coding's), with the selection's ``Description`` (or the text of the
    notes it refers to) as its note. A ``Coding`` of a whole source that refers to a value of a
    document-level category becomes that coder's document code.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Category, Codebook
from ..corpus.importer import prepare
from ..corpus.normalise import normalise_text, text_sha256
from ..corpus.records import ImportProblem, Layout, RawRecord
from ..domain import CategoryKind, Document, Origin
from ..errors import AnnotatorError
from .incoming import ConflictingCode, DocumentFinder, LabelSink
from .qdpx import META_FORMAT, category_guid, value_guid
from .refi_xml import RefiCode, RefiContent, RefiFormatError, RefiSource, parse_refi, utf16_positions
from .reports import CancelCheck, ExchangeError, ExchangeImportReport, ProgressCallback, cannot_read

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["CodebookImport", "import_qdc", "import_qdpx", "read_refi"]


@dataclass
class CodebookImport:
    matched: list[str] = field(default_factory=list)  # category ids the file's codes were found as
    added: list[str] = field(default_factory=list)  # category ids added to the codebook

    def summary(self) -> str:
        return f"{len(self.matched)} code(s) already in the codebook, {len(self.added)} added" + (
            f": {', '.join(self.added)}" if self.added else ""
        )


def read_refi(path: str | Path) -> tuple[RefiContent, zipfile.ZipFile | None]:
    """Parse a ``.qdpx`` (zip) or a bare ``.qde``/``.qdc`` XML file; the zip stays open for the sources."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            archive = zipfile.ZipFile(path)
            members = [n for n in archive.namelist() if n.lower().endswith(".qde") and "/" not in n.strip("/")]
            if not members:
                raise ExchangeError(f"{path}: a zip file without a project.qde; not a REFI-QDA project")
            return parse_refi(archive.read(members[0]), f"{path}:{members[0]}"), archive
        return parse_refi(path.read_bytes(), str(path)), None
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    except (RefiFormatError, zipfile.BadZipFile) as exc:
        raise ExchangeError(str(exc)) from exc


# --- codes ------------------------------------------------------------------------------------------


class _Codes:
    """REFI code GUID -> (category id, value or None), from the project's codebook."""

    def __init__(self, project: "Project", content: RefiContent) -> None:
        self.project, self.content = project, content
        self.codes = content.all_codes()
        meta = content.meta if content.meta.get("format") == META_FORMAT else {}
        self.meta: dict = meta.get("categories", {})
        self.resolve()

    def resolve(self) -> None:
        self.categories = {c.id: c for c in self.project.categories()}
        by_guid: dict[str, tuple[str, str | None]] = {}
        for c in self.categories.values():
            by_guid[category_guid(c.id)] = (c.id, None)
            by_guid.update({value_guid(c.id, v): (c.id, v) for v in c.values})
        for guid, info in self.meta.items():
            c = self.categories.get(info.get("id"))
            if c is not None:
                by_guid[guid] = (c.id, None)
                by_guid.update({g: (c.id, v) for g, v in info.get("values", {}).items() if v in c.values})
        by_name = {_fold(c.name): c for c in self.categories.values()} | {c.id: c for c in self.categories.values()}
        self.targets: dict[str, tuple[str, str | None]] = {}
        for guid, code in self.codes.items():
            if guid in by_guid:
                self.targets[guid] = by_guid[guid]
                continue
            found = by_name.get(_fold(code.name))
            if found is None:
                continue
            self.targets[guid] = (found.id, None)
            if found.kind is CategoryKind.DOCUMENT:
                values = {_fold(v): v for v in found.values}
                for child in code.children:
                    if _fold(child.name) in values and child.guid not in by_guid:
                        self.targets[child.guid] = (found.id, values[_fold(child.name)])

    def path(self, guid: str) -> str:
        names, code = [], self.codes.get(guid)
        while code is not None:
            names.append(code.name or code.guid)
            code = self.codes.get(code.parent) if code.parent else None
        return " › ".join(reversed(names)) if names else f"code {guid}"

    def missing(self) -> list[RefiCode]:
        """Codes with no category, parents before children; values of a matched document category are not missing."""
        values = {guid for info in self.meta.values() for guid in info.get("values", {})}
        out = []
        for guid, code in self.codes.items():
            parent = self.targets.get(code.parent) if code.parent else None
            if guid in self.targets or guid in values or (parent and self.categories[parent[0]].kind is CategoryKind.DOCUMENT):
                continue
            out.append(code)
        return out

    def add_missing(self) -> list[str]:
        """Add every code without a category to the codebook; the new category ids."""
        missing = self.missing()
        if not missing:
            return []
        existing = list(self.categories.values())
        ids = set(self.categories)
        keys = {c.key for c in existing if c.key}
        new_ids: dict[str, str] = {}
        added: list[Category] = []
        for code in missing:
            info = self.meta.get(code.guid, {})
            cid = _unique(info.get("id") or _slug(code.name), ids)
            ids.add(cid)
            new_ids[code.guid] = cid
            key = info.get("key") if info.get("key") not in keys else None
            keys.add(key)
            kind = CategoryKind(info.get("kind", "span"))
            values = tuple(info.get("values", {}).values()) if kind is CategoryKind.DOCUMENT else ()
            added.append(
                Category(
                    id=cid, name=info.get("name") or code.name or cid, kind=kind, key=key,
                    colour=info.get("colour") or code.colour or "#888888",
                    definition=info.get("definition", code.description), example=info.get("example", ""),
                    parent=code.parent, level=info.get("level", "nominal"), values=values,
                )  # fmt: skip
            )
        own_guids = {category_guid(c.id): c.id for c in existing}
        resolved = []
        for c in added:
            parent = new_ids.get(c.parent) or own_guids.get(c.parent) or (self.targets.get(c.parent, (None,))[0])
            if parent is not None and self.categories.get(parent) is not None and self.categories[parent].kind is not c.kind:
                parent = None
            resolved.append(Category(**{**c.__dict__, "parent": parent}))
        book = Codebook(self.project.codebook().name, tuple(existing + resolved))
        try:
            self.project.replace_codebook(book, source="REFI-QDA codes")
        except AnnotatorError as exc:
            raise ExchangeError(f"cannot add the file's codes to the codebook: {exc}") from exc
        self.resolve()
        return [c.id for c in resolved]


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.lower().translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    return slug if slug[:1].isalpha() else f"code_{slug}".rstrip("_")


def _unique(cid: str, taken: set[str]) -> str:
    candidate, n = cid, 2
    while candidate in taken:
        candidate, n = f"{cid}_{n}", n + 1
    return candidate


def import_qdc(project: "Project", path: str | Path) -> CodebookImport:
    """Add the codes of a REFI-QDA codebook (``.qdc``, or the codebook of a ``.qdpx``) that the project lacks."""
    content, archive = read_refi(path)
    if archive is not None:
        archive.close()
    if not content.codes:
        raise ExchangeError(f"{path}: the file holds no codes")
    codes = _Codes(project, content)
    added = codes.add_missing()
    matched = sorted({cid for guid, (cid, value) in codes.targets.items() if value is None} - set(added))
    return CodebookImport(matched=matched, added=added)


# --- projects ---------------------------------------------------------------------------------------


def import_qdpx(
    project: "Project",
    path: str | Path,
    *,
    coder: str | None = None,
    add_codes: bool = False,
    create_documents: bool = True,
    origin: Origin = Origin.IMPORTED,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExchangeImportReport:
    """Add the text sources' codings of a REFI-QDA project to `project` (see the module docstring).

    `coder`: the coder of selections and codings that name no user. Importing the same file twice
    adds nothing.
    """
    content, archive = read_refi(path)
    report = ExchangeImportReport(files=1)
    try:
        codes = _Codes(project, content)
        if add_codes:
            added = codes.add_missing()
            if added:
                report.notes.append(f"codes added to the codebook: {', '.join(added)}")
        meta = content.meta if content.meta.get("format") == META_FORMAT else {}
        reader = _SourceReader(project, report, content, codes, meta, archive, Path(path), coder, origin)
        skipped: dict[str, int] = {}
        for number, source in enumerate(content.sources, start=1):
            if cancel is not None and cancel():
                report.cancelled = True
                break
            if source.kind != "TextSource":
                skipped[source.kind] = skipped.get(source.kind, 0) + 1
            else:
                reader.read(source, create_documents)
            if progress is not None:
                progress(number, source.name)
        for kind, count in sorted(skipped.items()):
            report.notes.append(f"{count} {kind} source(s) not imported (annotator codes text)")
        if reader.memos:
            report.notes.append(f"{reader.memos} selection(s) without a code (memos) not imported")
        if reader.utf16:
            report.notes.append(
                f"positions in {', '.join(reader.utf16)} count characters beyond U+FFFF as two (UTF-16); converted"
            )
    finally:
        if archive is not None:
            archive.close()
    return report


class _SourceReader:
    def __init__(self, project, report, content, codes, meta, archive, path, coder, origin) -> None:
        self.project, self.report, self.content, self.codes = project, report, content, codes
        self.meta, self.archive, self.path, self.coder, self.origin = meta, archive, path, coder, origin
        self.finder = DocumentFinder(project)
        self.sink = LabelSink(project, report)
        self.users = {guid: (info.get("name"), bool(info.get("gold"))) for guid, info in meta.get("users", {}).items()}
        for guid, name in content.users.items():
            self.users[guid] = (name or self.users.get(guid, (None,))[0] or f"user {guid[:8]}", self.users.get(guid, (None, False))[1])
        self.memos = 0
        self.utf16: list[str] = []

    def _reject(self, where: str, reason: str) -> None:
        self.report.rejected.append(ImportProblem(self.path.name, where, reason))

    def _text(self, source: RefiSource) -> str | None:
        if source.content is not None:
            return source.content
        location = source.plain_text_path or ""
        if not location.startswith("internal://"):
            self.report.notes.append(f"source {source.name!r}: its text is not inside the file ({location or 'no path'}); not imported")
            return None
        member = "sources/" + location[len("internal://") :]
        try:
            raw = self.archive.read(member) if self.archive is not None else (self.path.parent / member).read_bytes()
        except (KeyError, OSError):
            self._reject(f"source {source.name}", f"the file lacks its text {member}")
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self._reject(f"source {source.name}", f"{member} is not UTF-8 text, as the standard requires")
            return None

    def read(self, source: RefiSource, create_documents: bool) -> None:
        raw = self._text(source)
        if raw is None:
            return
        stored = normalise_text(raw)
        if not stored:
            self._reject(f"source {source.name}", "empty text")
            return
        to_stored = _position_map(raw, stored)
        if any(ord(ch) > 0xFFFF for ch in raw) and _counts_utf16(raw, source):
            units = utf16_positions(raw)
            to_stored = (lambda convert: lambda p: convert(units[p]) if p in units else None)(to_stored)
            self.utf16.append(source.name or source.guid)
        doc = self.finder.find(None, text_sha256(stored))
        if doc is None:
            if not create_documents:
                self._reject(f"source {source.name}", "no document with this text in the project")
                return
            doc = self._create(source, stored)
            if doc is None:
                return
        for selection in source.selections:
            self._selection(doc, selection, to_stored)
        for coding in source.codings:
            target = self.codes.targets.get(coding.code)
            where = f"source {source.name}"
            if target is None or target[1] is None:
                key = self.codes.path(coding.code) + " (on a whole source)"
                self.report.unmapped[key] = self.report.unmapped.get(key, 0) + 1
                continue
            user = self._user(coding.user, where)
            if user is not None:
                try:
                    self.sink.set_code(doc.id, user[0], target[0], target[1], gold=user[1])
                except (ConflictingCode, ValueError, AnnotatorError) as exc:
                    self._reject(where, str(exc))

    def _user(self, guid: str | None, where: str) -> tuple[str, bool] | None:
        if guid and guid in self.users:
            return self.users[guid]
        if guid:
            return f"user {guid[:8]}", False
        if self.coder:
            return self.coder, False
        self._reject(where, "no creating user; pass a coder name for codings without one")
        return None

    def _selection(self, doc: Document, selection, to_stored) -> None:
        where = f"selection {selection.guid}"
        if not selection.codings:
            self.memos += 1
            return
        start, end = to_stored(selection.start), to_stored(selection.end)
        if start is None or end is None or not 0 <= start < end <= len(doc.text):
            self._reject(where, f"positions {selection.start}..{selection.end} lie outside the text or cover nothing")
            return
        note = selection.description or "\n\n".join(self.content.notes[g] for g in selection.notes if self.content.notes.get(g))
        for coding in selection.codings:
            target = self.codes.targets.get(coding.code)
            if target is None or target[1] is not None:
                suffix = " (a document-level value on a text segment)" if target else ""
                key = self.codes.path(coding.code) + suffix
                self.report.unmapped[key] = self.report.unmapped.get(key, 0) + 1
                continue
            if self.codes.categories[target[0]].kind is not CategoryKind.SPAN:
                key = self.codes.path(coding.code) + " (a document-level category on a text segment)"
                self.report.unmapped[key] = self.report.unmapped.get(key, 0) + 1
                continue
            user = self._user(selection.user or coding.user, where)
            if user is None:
                continue
            try:
                self.sink.add_span(doc.id, user[0], target[0], start, end, note or None, self.origin, gold=user[1])
            except (ValueError, AnnotatorError) as exc:
                self._reject(where, str(exc))

    def _create(self, source: RefiSource, stored: str) -> Document | None:
        info = self.meta.get("documents", {}).get(source.guid, {})
        external_id = info.get("external_id") or source.name or None
        prepared = prepare(RawRecord(text=stored, source_file=self.path.name, external_id=external_id, layout=Layout.CLEAN))
        if isinstance(prepared, ImportProblem) or prepared.text != stored:
            self._reject(f"source {source.name}", "its text cannot be stored as it is")
            return None
        title = info.get("title") or stored.split("\n", 1)[0][:200]
        made = Document(
            0, prepared.external_id, title, info.get("outlet"), info.get("url"), info.get("published"), stored,
            prepared.sha256, prepared.layout, self.path.name, {}, tuple(prepared.zones),
        )  # fmt: skip
        added = self.project.add_documents([made])
        if not added.new_document_ids:
            return self.finder.find(None, prepared.sha256)
        doc = self.project.document(added.new_document_ids[0])
        self.finder.remember(doc)
        self.report.documents_created.append(doc.external_id or title)
        return doc


def _position_map(raw: str, stored: str):
    """Position in the source's text -> position in the stored text (None inside removed characters' runs is fine)."""
    if raw == stored:
        return lambda p: p if 0 <= p <= len(raw) else None
    mapping: dict[int, int] = {}
    matcher = SequenceMatcher(None, raw, stored, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset in range(i2 - i1 + 1):
            mapping.setdefault(i1 + offset, min(j1 + offset, j2) if tag == "equal" else (j1 if offset == 0 else j2))
    return mapping.get


def _counts_utf16(raw: str, source: RefiSource) -> bool:
    """Whether the selections' names match the text better when positions are read as UTF-16 units."""
    units = utf16_positions(raw)
    as_chars = as_units = 0
    for s in source.selections:
        if not s.name:
            continue
        as_chars += raw[s.start : s.end].startswith(s.name[:50])
        if s.start in units and s.end in units:
            as_units += raw[units[s.start] : units[s.end]].startswith(s.name[:50])
    return as_units > as_chars
