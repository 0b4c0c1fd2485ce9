"""Reliability data from a project: which documents, coders, categories and characters count.

The coefficients in this package take plain data; this module is where a study becomes that
data. :class:`ReliabilityFilter` says what to compare, :func:`collect` reads the project once
and returns :class:`ReliabilityData`, from which :func:`span_documents` (span categories) and
:func:`document_matrix` (document-level codes) are cut.

The continuum of a document is the text of its selected zones laid end to end: characters
outside them (page furniture, separators between zones, zones filtered out) do not exist for
the span measures. Spans are clipped to the selected characters and their offsets remapped,
and the tokens for token-level measures are found inside the selected zones only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from annotator.agreement.errors import AgreementInputError
from annotator.agreement.spans import SpanDocument
from annotator.coding_activity import coders_who_coded
from annotator.domain import CategoryKind, Document, Status, Zone, ZoneKind

if TYPE_CHECKING:
    from annotator.codebook import Category
    from annotator.project import Project

ProgressCallback = Callable[[int, str], None]  # (steps done, what is being done)
CancelCheck = Callable[[], bool]

ANY_STATUS = "any"
TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")
CODABLE_ZONES: tuple[str, ...] = tuple(k.value for k in ZoneKind if k.codable)


class CollectCancelled(Exception):
    """The cancel check fired while the project was being read."""


def _tuple_or_none(values: Iterable | None) -> tuple | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes)):
        return (values,)
    return tuple(dict.fromkeys(values))


@dataclass(frozen=True)
class ReliabilityFilter:
    """What a reliability analysis compares.

    Attributes
    ----------
    coders : list of str, optional
        Coder names; default every coder who coded the documents in scope (a span label, a
        document code, a suggestion decision or a document marked done: see
        :mod:`annotator.coding_activity`; having opened a document is not coding), gold coders
        (``is_gold``) left out unless ``include_gold``.
    categories : list of str, optional
        Category ids (span and document-level); default all.
    document_ids : list of int, optional
        Restrict to these documents; default all.
    statuses : tuple of str
        ``("done",)`` (default): a document counts only if every selected coder marked it done.
        Any set of ``"done"``, ``"in_progress"``, ``"todo"``: every selected coder's status must be
        one of them. ``("any",)``: no condition; note that then a coder who never opened a document
        counts as having marked nothing in it.
    zones : list of str, optional
        :class:`~annotator.domain.ZoneKind` values whose characters form the continuum; default
        every codable zone. Boilerplate is always left out, even when listed.
    include_gold : bool
        Let gold coders into the default coder list.
    """

    coders: Sequence[str] | None = None
    categories: Sequence[str] | None = None
    document_ids: Sequence[int] | None = None
    statuses: Sequence[str] = (Status.DONE.value,)
    zones: Sequence[str] | None = None
    include_gold: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "coders", _tuple_or_none(self.coders))
        object.__setattr__(self, "categories", _tuple_or_none(self.categories))
        ids = _tuple_or_none(self.document_ids)
        if ids is not None:
            try:
                ids = tuple(int(i) for i in ids)
            except (TypeError, ValueError):
                raise AgreementInputError(f"document_ids must be whole numbers, got {list(self.document_ids)!r}") from None
        object.__setattr__(self, "document_ids", ids)
        statuses = _tuple_or_none(self.statuses) or (ANY_STATUS,)
        statuses = tuple(s.value if isinstance(s, Status) else str(s) for s in statuses)
        known = {s.value for s in Status}
        if ANY_STATUS in statuses:
            statuses = (ANY_STATUS,)
        else:
            bad = [s for s in statuses if s not in known]
            if bad:
                raise AgreementInputError(
                    f"unknown status {bad[0]!r}; use 'any' or some of {', '.join(sorted(known))}"
                )
        object.__setattr__(self, "statuses", statuses)
        zones = _tuple_or_none(self.zones)
        if zones is not None:
            kinds = []
            for z in zones:
                try:
                    kinds.append(ZoneKind(z.value if isinstance(z, ZoneKind) else str(z)).value)
                except ValueError:
                    raise AgreementInputError(
                        f"unknown zone {z!r}; use some of {', '.join(k.value for k in ZoneKind)}"
                    ) from None
            zones = tuple(k for k in kinds if k != ZoneKind.BOILERPLATE.value)
        object.__setattr__(self, "zones", zones)

    @property
    def zone_kinds(self) -> tuple[str, ...]:
        """The zones whose characters count (boilerplate never does)."""
        return self.zones if self.zones is not None else CODABLE_ZONES

    def to_dict(self) -> dict[str, Any]:
        return {
            "coders": list(self.coders) if self.coders is not None else None,
            "categories": list(self.categories) if self.categories is not None else None,
            "document_ids": list(self.document_ids) if self.document_ids is not None else None,
            "statuses": list(self.statuses),
            "zones": list(self.zone_kinds),
            "include_gold": self.include_gold,
        }

    def describe(self) -> str:
        """One line for report headers."""
        if self.statuses == (ANY_STATUS,):
            status = "any status"
        elif self.statuses == (Status.DONE.value,):
            status = "documents every coder marked done"
        else:
            status = "every coder's status in " + "/".join(self.statuses)
        zones = "all codable zones" if self.zones is None else "zones " + ", ".join(self.zones)
        return f"{status}; {zones}; boilerplate excluded"


@dataclass(frozen=True)
class Continuum:
    """The selected characters of one document, laid end to end.

    Attributes
    ----------
    document_id : int
    segments : tuple of (start, end)
        The selected character ranges of the original text, ascending and disjoint.
    offsets : tuple of int
        Continuum position where each segment begins.
    length : int
        Number of selected characters.
    """

    document_id: int
    segments: tuple[tuple[int, int], ...]
    offsets: tuple[int, ...]
    length: int

    @classmethod
    def from_mask(cls, document_id: int, mask: np.ndarray) -> Continuum:
        padded = np.concatenate(([False], mask, [False])).astype(np.int8)
        edges = np.flatnonzero(np.diff(padded))
        segments = tuple((int(s), int(e)) for s, e in zip(edges[0::2], edges[1::2]))
        lengths = [e - s for s, e in segments]
        offsets = tuple(int(x) for x in np.concatenate(([0], np.cumsum(lengths)[:-1]))) if segments else ()
        return cls(document_id, segments, offsets, int(sum(lengths)))

    def _selected_before(self, position: int) -> int:
        """How many selected characters lie before original offset ``position``."""
        i = bisect_right(self.segments, position, key=lambda segment: segment[0]) - 1
        if i < 0:
            return 0
        start, end = self.segments[i]
        return self.offsets[i] + min(position, end) - start

    def clip(self, start: int, end: int) -> tuple[int, int] | None:
        """Continuum range of the selected characters in ``[start, end)``, or None if there are none."""
        s, e = self._selected_before(start), self._selected_before(end)
        return (s, e) if e > s else None

    def original(self, position: int) -> int:
        """Original offset of the character at continuum ``position`` (``0 <= position < length``)."""
        i = bisect_right(self.offsets, position) - 1
        return self.segments[i][0] + position - self.offsets[i]

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets spanning continuum ``[start, end)``: first character to last character + 1."""
        return self.original(start), self.original(end - 1) + 1

    def tokens(self, text: str) -> list[tuple[int, int]]:
        """Word and punctuation tokens (``\\w+|[^\\w\\s]``) inside each segment, in continuum offsets."""
        found = []
        for (s, e), offset in zip(self.segments, self.offsets):
            for m in TOKEN_PATTERN.finditer(text, s, e):
                found.append((offset + m.start() - s, offset + m.end() - s))
        return found

    def text(self, text: str) -> str:
        """The continuum's characters: the selected ranges of ``text`` joined."""
        return "".join(text[s:e] for s, e in self.segments)


@dataclass(frozen=True)
class CodedSpan:
    """One coder's span after clipping to the continuum.

    ``start``/``end`` are offsets in the original document text (first and last selected
    character covered); ``continuum_start``/``continuum_end`` are positions in the document's
    continuum, which the span measures use.
    """

    annotation_id: int
    document_id: int
    coder: str
    category: str
    start: int
    end: int
    continuum_start: int
    continuum_end: int


@dataclass(frozen=True)
class ReliabilityData:
    """Everything a reliability report is computed from, read from the project once.

    Attributes
    ----------
    coders : tuple of str
    documents : tuple of Document
        The documents compared, in reading order.
    continua : tuple of Continuum
        One per document, same order.
    excluded : tuple of (document id, external id, reason)
        Documents in scope that the status condition left out.
    span_categories, document_categories : tuple of Category
    spans : tuple of CodedSpan
    labels : dict mapping (document id, coder, category id) -> value
    outside_zones : dict mapping coder -> number of span labels with no selected character
    statuses : dict mapping (document id, coder) -> (Status, seconds), documents in scope only
    scope : tuple of int
        The documents considered before the status condition.
    """

    filter: ReliabilityFilter
    coders: tuple[str, ...]
    documents: tuple[Document, ...]
    continua: tuple[Continuum, ...]
    excluded: tuple[tuple[int, str | None, str], ...]
    span_categories: tuple[Category, ...]
    document_categories: tuple[Category, ...]
    spans: tuple[CodedSpan, ...]
    labels: dict[tuple[int, str, str], str]
    outside_zones: dict[str, int]
    statuses: dict[tuple[int, str], tuple[Status, float]]
    scope: tuple[int, ...]
    _tokens: dict[int, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    _by_category: dict[str, list[CodedSpan]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def empty_reason(self) -> str | None:
        """Why there is nothing to compare, or None; the reason names the coders and what each did."""
        if not self.coders:
            return (
                "no coder has coded the documents in scope yet (a span label, a document code, a suggestion "
                "decision or a document marked done; opening a document is not coding)"
            )
        if not self.documents:
            if not self.scope:
                return "no document in scope: the project has none, or the document filter selects none"
            wanted = self.filter.statuses
            condition = "marked done" if wanted == (Status.DONE.value,) else "in status " + " or ".join(wanted)
            meeting = [
                sum(self.statuses.get((doc, coder), (Status.TODO, 0.0))[0].value in wanted for doc in self.scope)
                for coder in self.coders
            ]
            counts = ", ".join(f"{coder} {n}" for coder, n in zip(self.coders, meeting))
            return (
                f"no document was {condition} by all of: {', '.join(self.coders)} (of the {len(self.scope)} "
                f"document(s) in scope: {counts}); choose other coders or statuses"
            )
        return None

    def continuum(self, document_id: int) -> Continuum:
        for doc, cont in zip(self.documents, self.continua):
            if doc.id == document_id:
                return cont
        raise KeyError(document_id)

    def tokens(self, index: int) -> np.ndarray:
        """The tokens of document ``index`` on its continuum, an (n, 2) array of (start, end)."""
        if index not in self._tokens:
            found = self.continua[index].tokens(self.documents[index].text)
            self._tokens[index] = np.array(found, dtype=np.int64).reshape(-1, 2)
        return self._tokens[index]

    def span_documents(
        self, categories: Iterable[str] | None = None, coders: Iterable[str] | None = None
    ) -> list[SpanDocument]:
        """The documents as :class:`SpanDocument` objects on their continua, with tokens.

        ``categories`` / ``coders`` narrow the spans listed further (e.g. one category, or
        all coders but one); by default all selected ones.
        """
        wanted_cats = set(categories) if categories is not None else {c.id for c in self.span_categories}
        coder_list = list(coders) if coders is not None else list(self.coders)
        wanted_coders = set(coder_list)
        by_doc: dict[int, dict[str, list]] = {d.id: {c: [] for c in coder_list} for d in self.documents}
        pool = self._spans_of(next(iter(wanted_cats))) if len(wanted_cats) == 1 else self.spans
        for s in pool:
            if s.category in wanted_cats and s.coder in wanted_coders:
                by_doc[s.document_id][s.coder].append((s.continuum_start, s.continuum_end, s.category))
        return [
            SpanDocument(
                length=cont.length,
                spans=by_doc[doc.id],
                tokens=self.tokens(i),
                name=doc.title or doc.external_id or str(doc.id),
            )
            for i, (doc, cont) in enumerate(zip(self.documents, self.continua))
        ]

    def _spans_of(self, category: str) -> list[CodedSpan]:
        """The spans of one category, in the order of :attr:`spans` (grouped once, on first use)."""
        if not self._by_category:
            for s in self.spans:
                self._by_category.setdefault(s.category, []).append(s)
        return self._by_category.get(category, [])

    def document_matrix(self, category: str) -> tuple[list[str], list[int], list[list[str | None]]]:
        """Coders × documents matrix of one document-level category's values, ``None`` where missing."""
        self._document_category(category)
        units = [d.id for d in self.documents]
        matrix = [[self.labels.get((doc_id, coder, category)) for doc_id in units] for coder in self.coders]
        return list(self.coders), units, matrix

    def coded_matrix(self, category: str) -> tuple[list[list[float | None]], list[tuple[float, str]]]:
        """The same matrix with values as numbers (see :func:`value_numbers`), and the code list."""
        numbers = value_numbers(self._document_category(category))
        _, _, matrix = self.document_matrix(category)
        coded = [[None if v is None else numbers.get(v) for v in row] for row in matrix]
        return coded, [(n, v) for v, n in numbers.items()]

    def _document_category(self, category: str) -> Category:
        for c in self.document_categories:
            if c.id == category:
                return c
        known = ", ".join(c.id for c in self.document_categories) or "(none selected)"
        raise AgreementInputError(f"{category!r} is not a selected document-level category; selected: {known}")


def value_numbers(category: Category) -> dict[str, float]:
    """Number standing for each value of a document-level category.

    Interval and ratio values are numbers already (the codebook checks this); nominal and
    ordinal values are numbered 1, 2, … in codebook order, which for ordinal data is their rank.
    """
    if category.level in ("interval", "ratio"):
        return {v: float(v) for v in category.values}
    return {v: float(i) for i, v in enumerate(category.values, start=1)}


def _continuum(document: Document, kinds: frozenset[str]) -> Continuum:
    mask = np.zeros(len(document.text), dtype=bool)
    zones: Sequence[Zone] = document.zones or (Zone(ZoneKind.BODY, 0, len(document.text)),)
    for z in zones:
        if z.kind.value in kinds:
            mask[z.start : z.end] = True
    for z in zones:  # furniture never counts, even where a selected zone surrounds it
        if z.kind.is_boilerplate:
            mask[z.start : z.end] = False
    return Continuum.from_mask(document.id, mask)


def _status_problem(doc_id: int, coders: Sequence[str], statuses: dict, wanted: tuple[str, ...]) -> str | None:
    if wanted == (ANY_STATUS,):
        return None
    off = []
    for coder in coders:
        status = statuses.get((doc_id, coder), (Status.TODO, 0.0))[0]
        if status.value not in wanted:
            off.append(f"{coder} ({status.value})")
    if not off:
        return None
    return "not " + "/".join(wanted) + " for " + ", ".join(off)


def collect(
    project: Project,
    flt: ReliabilityFilter | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ReliabilityData:
    """Read the reliability data ``flt`` selects from ``project``.

    Raises
    ------
    AgreementInputError
        A coder, category or document in the filter that the project does not have.
    CollectCancelled
        ``cancel()`` returned true.
    """
    flt = flt or ReliabilityFilter()
    summaries = project.list_documents()
    all_docs = [s.id for s in summaries]
    external_ids = {s.id: s.external_id for s in summaries}
    if flt.document_ids is not None:
        unknown = sorted(set(flt.document_ids) - set(all_docs))
        if unknown:
            raise AgreementInputError(f"no document with id {unknown[0]} in the project")
        wanted = set(flt.document_ids)
        scope = tuple(d for d in all_docs if d in wanted)
    else:
        scope = tuple(all_docs)
    in_scope = set(scope)

    categories = project.categories()
    if flt.categories is not None:
        known = {c.id for c in categories}
        bad = [c for c in flt.categories if c not in known]
        if bad:
            raise AgreementInputError(f"unknown category {bad[0]!r}; the codebook has: {', '.join(sorted(known))}")
        categories = [c for c in categories if c.id in set(flt.categories)]
    span_categories = tuple(c for c in categories if c.kind is CategoryKind.SPAN)
    document_categories = tuple(c for c in categories if c.kind is CategoryKind.DOCUMENT)

    statuses = {k: v for k, v in project.statuses().items() if k[0] in in_scope}
    coder_infos = project.coders()
    if flt.coders is not None:
        known_coders = {c.name for c in coder_infos}
        bad = [c for c in flt.coders if c not in known_coders]
        if bad:
            raise AgreementInputError(
                f"unknown coder {bad[0]!r}; the project has: {', '.join(sorted(known_coders)) or '(none)'}"
            )
        coders = tuple(flt.coders)
        annotations = [a for a in project.annotations(coders=coders) if a.document_id in in_scope]
    else:
        gold = {c.name for c in coder_infos if c.is_gold}
        coders = tuple(c for c in coders_who_coded(project, scope) if flt.include_gold or c not in gold)
        annotations = [a for a in project.annotations(coders=coders) if a.document_id in in_scope]
    coder_set = set(coders)

    included, excluded = [], []
    for doc_id in scope:
        problem = _status_problem(doc_id, coders, statuses, flt.statuses)
        if problem is None:
            included.append(doc_id)
        else:
            excluded.append((doc_id, external_ids[doc_id], problem))

    kinds = frozenset(flt.zone_kinds)
    documents, continua = [], []
    for n, doc_id in enumerate(included, start=1):
        if cancel is not None and cancel():
            raise CollectCancelled()
        doc = project.document(doc_id)
        documents.append(doc)
        continua.append(_continuum(doc, kinds))
        if progress is not None and n % 25 == 0:
            progress(0, f"reading documents: {n} of {len(included)}")
    index = {d.id: i for i, d in enumerate(documents)}

    span_ids = {c.id for c in span_categories}
    spans, outside = [], {c: 0 for c in coders}
    for a in annotations:
        i = index.get(a.document_id)
        if i is None or a.category not in span_ids or a.coder not in coder_set:
            continue
        clipped = continua[i].clip(a.start, a.end)
        if clipped is None:
            outside[a.coder] += 1
            continue
        start, end = continua[i].original_range(*clipped)
        spans.append(CodedSpan(a.id, a.document_id, a.coder, a.category, start, end, *clipped))

    doc_ids = {c.id for c in document_categories}
    labels = {
        (lab.document_id, lab.coder, lab.category): lab.value
        for lab in project.document_labels()
        if lab.document_id in index and lab.coder in coder_set and lab.category in doc_ids
    }
    return ReliabilityData(
        filter=flt,
        coders=coders,
        documents=tuple(documents),
        continua=tuple(continua),
        excluded=tuple(excluded),
        span_categories=span_categories,
        document_categories=document_categories,
        spans=tuple(spans),
        labels=labels,
        outside_zones=outside,
        statuses={k: v for k, v in statuses.items() if k[1] in coder_set},
        scope=scope,
    )


def span_documents(project: Project, flt: ReliabilityFilter | None = None) -> list[SpanDocument]:
    """The selected documents as :class:`SpanDocument` objects (continua of the selected zones, with tokens)."""
    return collect(project, flt).span_documents()


def document_matrix(
    project: Project, category: str, flt: ReliabilityFilter | None = None
) -> tuple[list[str], list[int], list[list[str | None]]]:
    """``(coders, document ids, matrix)`` for one document-level category; ``None`` where a coder gave no value."""
    flt = flt or ReliabilityFilter()
    if flt.categories is not None and category not in flt.categories:
        flt = ReliabilityFilter(
            coders=flt.coders, categories=(*flt.categories, category), document_ids=flt.document_ids,
            statuses=flt.statuses, zones=flt.zones, include_gold=flt.include_gold,
        )  # fmt: skip
    return collect(project, flt).document_matrix(category)
