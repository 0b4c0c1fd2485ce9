"""What a reliability report holds: one record per category, per coder and per disagreement.

Plain dataclasses, filled by :func:`annotator.agreement.report.build_report` and read by the
writers (e.g. :func:`annotator.export.workbook.write_workbook`). Coefficients the data do not
determine are ``None``, with the reason under the field's name in ``reasons``, never NaN;
:meth:`AgreementReport.to_dict` gives the whole report as JSON-ready dicts and lists.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import numpy as np

from annotator.agreement.bootstrap import DEFAULT_THRESHOLDS, BootstrapResult

ACCEPTABLE, TENTATIVE, UNACCEPTABLE, UNDEFINED = "acceptable", "tentative", "unacceptable", "undefined"


@dataclass
class Interval:
    """A bootstrapped percentile interval for alpha and ``P(α < threshold)``.

    ``method`` is ``"documents"`` for spans (whole documents redrawn, alpha-u recomputed) and
    ``"units"`` for document codes (documents redrawn with replacement and alpha recomputed in
    full, expected disagreement included: the ordinary nonparametric bootstrap, wider and more
    honest than redrawing pairs of values).
    """

    low: float
    high: float
    confidence: float
    method: str
    n_samples: int
    n_undefined: int
    prob_below: dict[float, float]

    @classmethod
    def of(cls, result: BootstrapResult) -> Interval:
        return cls(
            low=result.low, high=result.high, confidence=result.confidence, method=result.method,
            n_samples=result.n_samples, n_undefined=result.n_undefined, prob_below=dict(result.prob_below),
        )  # fmt: skip


@dataclass
class SpanCategoryResult:
    """Agreement on one span category over the continuum of the selected documents.

    ``alpha_u`` is Krippendorff's (2004) unitizing alpha, the coefficient the verdict rests on;
    ``binary_alpha_u`` is |uα on "in this category / not"; the token-level coefficients treat each
    token as a unit marked or not. ``reasons`` maps the name of each ``None`` field to why.
    """

    category: str
    name: str
    documents: int
    characters: int
    tokens: int
    coders: int
    spans_per_coder: dict[str, int]
    alpha_u: float | None = None
    binary_alpha_u: float | None = None
    token_alpha: float | None = None
    fleiss_kappa: float | None = None
    mean_cohen_kappa: float | None = None
    f1_exact: float | None = None
    f1_overlap: float | None = None
    token_percent_agreement: float | None = None
    interval: Interval | None = None
    verdict: str = UNDEFINED
    reasons: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    few_units: str | None = None  # the warning when fewer than 10 documents carry the category
    kind: str = "span"

    @property
    def alpha(self) -> float | None:
        return self.alpha_u


@dataclass
class DocumentCategoryResult:
    """Agreement on one document-level category, the documents being the units.

    ``alpha`` is Krippendorff's alpha at the category's level of measurement (values numbered in
    codebook order, see :func:`annotator.agreement.data.value_numbers`). Cohen's kappa is
    unweighted for nominal and quadratically weighted for ordered categories; Brennan–Prediger
    and Gwet's AC1 count every value of the codebook as a category.
    """

    category: str
    name: str
    level: str
    values: list[str]
    units: int
    coders: int
    pairable_units: int
    missing_values: int
    kappa_weights: str | None
    alpha: float | None = None
    percent_agreement: float | None = None
    fleiss_kappa: float | None = None
    mean_cohen_kappa: float | None = None
    brennan_prediger: float | None = None
    gwet_ac1: float | None = None
    interval: Interval | None = None
    verdict: str = UNDEFINED
    reasons: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    few_units: str | None = None  # the warning when fewer than 10 documents were coded by two coders
    kind: str = "document"


@dataclass
class OverallSpanResult:
    """Alpha-u over all span categories together (``1 − Σ_c uD_o / Σ_c uD_e``)."""

    categories: list[str]
    documents: int
    characters: int
    alpha_u: float | None = None
    binary_alpha_u: float | None = None  # any span against no span, regardless of category
    interval: Interval | None = None
    verdict: str = UNDEFINED
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def alpha(self) -> float | None:
        return self.alpha_u


@dataclass
class PairwiseTable:
    """Cohen's kappa for every pair of coders on one category; ``values[i][j]``, diagonal ``None``."""

    category: str
    kind: str
    measure: str
    coders: list[str]
    values: list[list[float | None]]


@dataclass
class ConfusionTable:
    """How often coder A's value (rows) met coder B's value (columns) on one document-level category."""

    category: str
    coder_a: str
    coder_b: str
    labels: list[str]
    counts: list[list[int]]


@dataclass
class CoderSummary:
    """One coder's workload and influence: ``leave_one_out`` is alpha (alpha-u for spans) without this coder."""

    coder: str
    span_labels: int
    document_codes: int
    documents_done: int
    documents_in_progress: int
    seconds: float
    labels_outside_zones: int
    leave_one_out: dict[str, float | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> int:
        return self.span_labels + self.document_codes


@dataclass
class DisagreementRecord:
    """One place where coders differ.

    For spans: a maximal stretch of the continuum (within one zone of text) over which the same
    coders marked the category and the same did not; ``codes[coder]`` is the category id, the
    other categories the coder put on those characters in parentheses, or ``None``. ``cost`` is
    the stretch's squared-length contribution to the category's observed disagreement ``uD_o``,
    ``2 k (m − k) l² / (m (m − 1) L²)`` for ``k`` of ``m`` coders marking ``l`` characters of a
    continuum of ``L``. For document codes: the document's share of ``D_o`` as
    :func:`annotator.agreement.diagnostics.disagreements` gives it. ``share`` is ``cost`` over the
    category's whole observed disagreement (exact for document codes, approximate for spans).
    """

    kind: str
    category: str
    document_id: int
    external_id: str | None
    title: str | None
    zone: str | None
    start: int | None
    end: int | None
    text: str
    codes: dict[str, str | None]
    cost: float
    share: float | None


@dataclass
class RawDocumentCodes:
    """The coders × documents matrix alpha was computed from, values as numbers (``None`` = missing)."""

    category: str
    level: str
    coders: list[str]
    document_ids: list[int]
    external_ids: list[str | None]
    codes: list[list[float | None]]
    value_codes: list[tuple[float, str]]


@dataclass
class RawDocument:
    """A document's continuum: the original character ranges kept, and where it sits on the whole continuum."""

    document_id: int
    external_id: str | None
    title: str | None
    length: int
    continuum_offset: int
    continuum_length: int
    tokens: int
    segments: list[tuple[int, int]]


@dataclass
class RawSpan:
    """A span as the measures saw it: clipped to the selected zones; ``start``/``end`` in original offsets."""

    coder: str
    document_id: int
    external_id: str | None
    category: str
    start: int
    end: int
    continuum_start: int
    continuum_end: int
    text: str


@dataclass
class AgreementReport:
    """Everything :func:`build_report` found; plain data, ``to_dict()`` is JSON-serialisable."""

    settings: dict[str, Any]
    coders: list[str]
    documents: int
    excluded_documents: list[dict[str, Any]] = field(default_factory=list)
    span_categories: list[SpanCategoryResult] = field(default_factory=list)
    document_categories: list[DocumentCategoryResult] = field(default_factory=list)
    overall: OverallSpanResult | None = None
    pairwise: list[PairwiseTable] = field(default_factory=list)
    confusion: list[ConfusionTable] = field(default_factory=list)
    coder_summaries: list[CoderSummary] = field(default_factory=list)
    disagreements: list[DisagreementRecord] = field(default_factory=list)
    raw_documents: list[RawDocument] = field(default_factory=list)
    raw_spans: list[RawSpan] = field(default_factory=list)
    raw_document_codes: list[RawDocumentCodes] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def thresholds(self) -> tuple[float, ...]:
        return tuple(self.settings.get("thresholds", DEFAULT_THRESHOLDS))

    def rows(self) -> list[SpanCategoryResult | DocumentCategoryResult]:
        """Span rows, then document-level rows, in codebook order."""
        return [*self.span_categories, *self.document_categories]

    def row(self, category: str) -> SpanCategoryResult | DocumentCategoryResult:
        for r in self.rows():
            if r.category == category:
                return r
        raise KeyError(category)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    def summary(self) -> str:
        """A few lines for the command line."""
        if self.cancelled:
            return "cancelled before the report was complete"
        lines = [f"{self.documents} document(s), {len(self.coders)} coder(s): {', '.join(self.coders)}"]
        for r in self.rows():
            value = "—" if r.alpha is None else f"{r.alpha:.3f}"
            symbol = "αu" if r.kind == "span" else "α "
            lines.append(f"  {r.category:<24} {symbol} {value:>7}  {r.verdict}")
        if self.overall is not None and self.overall.alpha_u is not None:
            lines.append(f"  {'all span categories':<24} αu {self.overall.alpha_u:>7.3f}  {self.overall.verdict}")
        lines.extend(f"note: {w}" for w in self.warnings)
        return "\n".join(lines)


def verdict(alpha: float | None, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> str:
    """``acceptable`` at or above the highest threshold, ``tentative`` at or above the lowest,
    ``unacceptable`` below, ``undefined`` without a value (Krippendorff 2004, p. 241)."""
    if alpha is None:
        return UNDEFINED
    if alpha >= max(thresholds):
        return ACCEPTABLE
    if len(thresholds) > 1 and alpha >= min(thresholds):
        return TENTATIVE
    return UNACCEPTABLE


def finite(value: Any) -> float | None:
    """``value`` as a float, or ``None`` for ``None``, NaN and infinities."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _plain(value: Any) -> Any:
    """Dataclasses, tuples, numpy scalars → dicts, lists, floats; NaN → None; keys → str."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return finite(value)
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    return value


def _key(key: Hashable) -> str:
    if isinstance(key, tuple):
        return " | ".join(str(k) for k in key)
    if isinstance(key, float):
        return f"{key:g}"
    return str(key)
