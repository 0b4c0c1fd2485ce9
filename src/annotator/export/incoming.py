"""Bringing labels from an exchange file into a project: find each document, add each label once.

Shared by the JSONL and the WebAnno TSV readers. Importing the same file twice adds nothing: a span
label already stored for the same document, coder, category and offsets is counted as unchanged,
and so is a document code the coder already has with the same value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..codebook import Category
from ..domain import CategoryKind, Document, Origin
from .reports import ExchangeImportReport

if TYPE_CHECKING:
    from ..project import Project


class ConflictingCode(ValueError):
    """The project already holds another value for this coder's document code."""


class DocumentFinder:
    """Find the project's document for a file's record: by external id, else by the sha256 of its text."""

    def __init__(self, project: "Project") -> None:
        self._project = project
        self._ids_by_external: dict[str, int | None] = {}
        self._ids_by_sha: dict[str, int | None] = {}
        self._documents: dict[int, Document] = {}

    def document(self, document_id: int) -> Document:
        if document_id not in self._documents:
            self._documents[document_id] = self._project.document(document_id)
        return self._documents[document_id]

    def remember(self, document: Document) -> None:
        """Make a document just added to the project findable (lookups that missed are cached)."""
        self._documents[document.id] = document
        if document.external_id:
            self._ids_by_external[document.external_id] = document.id
        self._ids_by_sha[document.sha256] = document.id

    def find(self, external_id: str | None, sha256: str | None = None) -> Document | None:
        """The document with this external id; if its text hash differs, the one with this hash, if any.

        External ids are not unique in every corpus and texts may have been re-imported, so a matching
        hash wins over a matching id; a document found by id alone is still returned (the caller checks
        the covered text, which is what matters for a label).
        """
        by_id = None
        if external_id:
            if external_id not in self._ids_by_external:
                self._ids_by_external[external_id] = self._project.document_id_for(external_id)
            found = self._ids_by_external[external_id]
            if found is not None:
                by_id = self.document(found)
                if not sha256 or by_id.sha256 == sha256:
                    return by_id
        if sha256:
            if sha256 not in self._ids_by_sha:
                self._ids_by_sha[sha256] = self._project.document_id_for_hash(sha256)
            found = self._ids_by_sha[sha256]
            if found is not None:
                return self.document(found)
        return by_id


class LabelSink:
    """Adds span labels and document codes to a project once, counting into an import report.

    A label is checked against the codebook before its coder is created, so that a rejected line
    never leaves a new, empty coder behind.
    """

    def __init__(self, project: "Project", report: ExchangeImportReport) -> None:
        self._project = project
        self._report = report
        self._coders = {c.name for c in project.coders()}
        self._categories = {c.id: c for c in project.categories()}
        self._spans: dict[tuple[int, str], set[tuple[str, int, int]]] = {}
        self._codes: dict[tuple[int, str], dict[str, str]] = {}

    def coder(self, name: str, gold: bool = False) -> str:
        """The stored form of a coder name, creating the coder (and noting it) when new."""
        name = " ".join(str(name).split())
        if not name:
            raise ValueError("empty coder name")
        if name not in self._coders:
            self._project.ensure_coder(name, is_gold=gold)
            self._coders.add(name)
            self._report.coders_created.append(name)
        return name

    def _category(self, category: str, kind: CategoryKind) -> Category:
        found = self._categories.get(category)
        if found is None:
            raise ValueError(f"unknown category {category!r}; the codebook has: {', '.join(sorted(self._categories))}")
        if found.kind is not kind:
            raise ValueError(f"{category!r} is a {found.kind.value}-level category, not a {kind.value} category")
        return found

    def add_span(
        self,
        document_id: int,
        coder: str,
        category: str,
        start: int,
        end: int,
        note: str | None,
        origin: Origin,
        gold: bool = False,
    ) -> bool:
        """Store a span label unless it is already there; True when it was added.

        Raises `ValueError` for a category the codebook lacks and `AnnotationError` from the project
        (bad offsets, page furniture).
        """
        self._category(category, CategoryKind.SPAN)
        coder = self.coder(coder, gold)
        key = (document_id, coder)
        if key not in self._spans:
            self._spans[key] = {(a.category, a.start, a.end) for a in self._project.annotations(document_id, coder=coder)}
        if (category, start, end) in self._spans[key]:
            self._report.unchanged += 1
            return False
        self._project.add_annotation(document_id, coder, category, start, end, note=note or None, origin=origin)
        self._spans[key].add((category, start, end))
        self._report.spans += 1
        return True

    def set_code(
        self, document_id: int, coder: str, category: str, value: str, replace: bool = False, gold: bool = False
    ) -> bool:
        """Set a document code unless the coder already has it; True when something changed.

        Raises `ConflictingCode` when the coder holds another value and `replace` is false, and
        `ValueError` for a category or value the codebook lacks.
        """
        allowed = self._category(category, CategoryKind.DOCUMENT).values
        if value not in allowed:
            raise ValueError(f"{value!r} is not a value of {category!r}; allowed: {', '.join(allowed)}")
        coder = self.coder(coder, gold)
        key = (document_id, coder)
        if key not in self._codes:
            self._codes[key] = {lab.category: lab.value for lab in self._project.document_labels(document_id, coder)}
        current = self._codes[key].get(category)
        if current == value:
            self._report.unchanged += 1
            return False
        if current is not None and not replace:
            raise ConflictingCode(
                f"coder {coder!r} already coded {category!r} as {current!r} in this project, the file says {value!r}; "
                "import with replace_codes to take the file's value"
            )
        self._project.set_document_label(document_id, coder, category, value)
        self._codes[key][category] = value
        self._report.document_codes += 1
        return True
