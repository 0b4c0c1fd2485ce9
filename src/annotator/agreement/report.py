"""The reliability report of a study: every coefficient a paper needs, per category, as plain data.

:func:`build_report` reads the reliability data a :class:`ReliabilityFilter` selects and fills an
:class:`AgreementReport`: one row per span category and per document-level category, an overall
row for spans, coder-by-coder tables, the costliest disagreements, the raw data the coefficients
were computed from (so a reviewer can recompute them elsewhere) and the settings that produced
it. Coefficients that the data do not determine are ``None`` with the reason next to them,
never NaN. Writers (e.g. :func:`annotator.export.workbook.write_workbook`) take the report as is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime, timezone
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

from annotator import __version__
from annotator.agreement.alpha import alpha_details, krippendorff_alpha
from annotator.agreement.bootstrap import BootstrapResult, bootstrap_alpha, bootstrap_unitized_alpha
from annotator.agreement.data import (
    TOKEN_PATTERN,
    CancelCheck,
    CollectCancelled,
    ProgressCallback,
    ReliabilityData,
    ReliabilityFilter,
    collect,
)
from annotator.agreement.diagnostics import alpha_without_each_coder, disagreements, pairwise_confusion_matrices
from annotator.agreement.errors import AgreementInputError, AgreementUndefined
from annotator.agreement.kappa import (
    brennan_prediger_kappa,
    fleiss_kappa,
    gwet_ac1,
    pairwise_cohen_kappa,
    percent_agreement,
)
from annotator.agreement.tokens import span_f1, token_matrix
from annotator.agreement.unitizing import UnitizedAlphaDetails, binary_unitized_alpha, unitized_alpha_details
from annotator.domain import Status

if TYPE_CHECKING:
    from annotator.codebook import Category
    from annotator.project import Project

DEFAULT_SEED = 20261125
DEFAULT_THRESHOLDS = (0.667, 0.800)
CONFIDENCE = 0.95
TOKEN_RULE = "overlap"

ACCEPTABLE, TENTATIVE, UNACCEPTABLE, UNDEFINED = "acceptable", "tentative", "unacceptable", "undefined"


# --- result records ------------------------------------------------------------------------------


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


# --- building ------------------------------------------------------------------------------------


class _Cancelled(Exception):
    pass


class _Steps:
    def __init__(self, total: int, progress: ProgressCallback | None, cancel: CancelCheck | None) -> None:
        self.total, self.done = total, 0
        self.progress, self.cancel = progress, cancel

    def next(self, what: str) -> None:
        if self.cancel is not None and self.cancel():
            raise _Cancelled()
        if self.progress is not None:
            self.progress(self.done, f"{what} ({self.done + 1} of {self.total})")
        self.done += 1


def build_report(
    project: Project,
    flt: ReliabilityFilter = ReliabilityFilter(),
    *,
    bootstrap_samples: int = 1000,
    seed: int = DEFAULT_SEED,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> AgreementReport:
    """Compute the reliability report of ``project`` for the data ``flt`` selects.

    Parameters
    ----------
    project : Project
    flt : ReliabilityFilter
        Coders, categories, documents, status condition and zones (default: every non-gold coder,
        every category, documents every coder marked done, all codable zones).
    bootstrap_samples : int
        Resamples for the confidence intervals and ``P(α < threshold)``; 0 leaves them out.
    seed : int
        Seeds every bootstrap, so the same data give the same report.
    thresholds : sequence of float
        Minimum alphas: the verdict is "acceptable" at or above the highest, "tentative" at or
        above the lowest (Krippendorff 2004: .800 and .667).
    progress : callable(int, str), optional
        Called with the steps done and what is being computed.
    cancel : callable() -> bool, optional
        Checked between steps; when it returns true the report comes back with
        ``cancelled=True`` and only what was finished.
    """
    thresholds = tuple(sorted(float(t) for t in thresholds))
    if not thresholds:
        raise AgreementInputError("give at least one threshold, e.g. (0.667, 0.800)")
    if not isinstance(bootstrap_samples, (int, np.integer)) or bootstrap_samples < 0:
        raise AgreementInputError(f"bootstrap_samples must be a whole number >= 0, got {bootstrap_samples!r}")
    settings = _settings(project, flt, bootstrap_samples, seed, thresholds)
    report = AgreementReport(settings=settings, coders=[], documents=0)
    try:
        if cancel is not None and cancel():
            raise _Cancelled()
        if progress is not None:
            progress(0, "reading the project")
        data = collect(project, flt, progress=progress, cancel=cancel)
    except (CollectCancelled, _Cancelled):
        report.cancelled = True
        return report
    builder = _Builder(data, report, int(bootstrap_samples), seed, thresholds)
    steps = _Steps(len(data.span_categories) + len(data.document_categories) + 3, progress, cancel)
    try:
        builder.run(steps)
    except _Cancelled:
        report.cancelled = True
    else:
        if progress is not None:
            progress(steps.total, "done")
    return report


class _Builder:
    def __init__(
        self, data: ReliabilityData, report: AgreementReport, samples: int, seed: int, thresholds: tuple[float, ...]
    ) -> None:
        self.data, self.report = data, report
        self.samples, self.seed, self.thresholds = samples, seed, thresholds
        self.coders = list(data.coders)
        self.m = len(self.coders)
        self.empty = data.empty_reason
        self.loo: dict[str, dict[str, float | None]] = {c: {} for c in self.coders}
        self.loo_reasons: dict[str, dict[str, str]] = {c: {} for c in self.coders}
        self._loo_details: dict[str, tuple[UnitizedAlphaDetails | None, str | None]] | None = None
        self.all_docs: list = []
        self.details: UnitizedAlphaDetails | None = None
        self.details_reason: str | None = None

    def run(self, steps: _Steps) -> None:
        data, report = self.data, self.report
        report.coders = self.coders
        report.documents = len(data.documents)
        report.excluded_documents = [
            {"document_id": doc_id, "external_id": external_id, "reason": reason}
            for doc_id, external_id, reason in data.excluded
        ]
        self._warnings()
        self._raw_documents()

        steps.next("unitizing alpha for all span categories")
        self.all_docs = data.span_documents() if not self.empty else []
        self.details, self.details_reason = self._unitized_details(self.all_docs)
        for cat in data.span_categories:
            steps.next(f"span category {cat.id}")
            report.span_categories.append(self._span_row(cat))
        steps.next("all span categories together")
        report.overall = self._overall()
        for cat in data.document_categories:
            steps.next(f"document category {cat.id}")
            report.document_categories.append(self._document_row(cat))
        steps.next("disagreements and coders")
        self._span_disagreements()
        report.disagreements.sort(key=lambda r: (-r.cost, r.kind, r.document_id, r.category, r.start or 0))
        self._coder_summaries()

    # --- context ---

    def _warnings(self) -> None:
        data, report = self.data, self.report
        if self.empty:
            report.warnings.append(self.empty)
        if data.excluded:
            report.warnings.append(
                f"{len(data.excluded)} of {len(data.scope)} document(s) left out by the status condition "
                f"({data.filter.describe()})"
            )
        outside = sum(data.outside_zones.values())
        if outside:
            report.warnings.append(
                f"{outside} span label(s) lie entirely outside the selected zones and were not counted"
            )
        if len(data.documents) == 1 and self.samples:
            report.warnings.append("with a single document the span bootstrap cannot vary: its interval is a point")

    def _raw_documents(self) -> None:
        data, report = self.data, self.report
        offset = 0
        for i, (doc, cont) in enumerate(zip(data.documents, data.continua)):
            report.raw_documents.append(
                RawDocument(
                    document_id=doc.id, external_id=doc.external_id, title=doc.title, length=len(doc.text),
                    continuum_offset=offset, continuum_length=cont.length, tokens=len(data.tokens(i)),
                    segments=[tuple(s) for s in cont.segments],
                )  # fmt: skip
            )
            offset += cont.length
        texts = {d.id: d for d in data.documents}
        for s in data.spans:
            doc = texts[s.document_id]
            report.raw_spans.append(
                RawSpan(
                    coder=s.coder, document_id=s.document_id, external_id=doc.external_id, category=s.category,
                    start=s.start, end=s.end, continuum_start=s.continuum_start, continuum_end=s.continuum_end,
                    text=doc.text[s.start : s.end],
                )  # fmt: skip
            )

    # --- spans ---

    @staticmethod
    def _unitized_details(docs) -> tuple[UnitizedAlphaDetails | None, str | None]:
        try:
            return unitized_alpha_details(docs), None
        except AgreementUndefined as exc:
            return None, str(exc)

    def _interval(self, reasons: dict[str, str], compute: Callable[[], BootstrapResult]) -> Interval | None:
        if self.samples == 0:
            reasons["interval"] = "bootstrap switched off (0 samples)"
            return None
        result = _attempt(reasons, "interval", compute)
        return Interval.of(result) if result is not None else None

    def _span_row(self, cat: Category) -> SpanCategoryResult:
        data = self.data
        per_coder = {c: 0 for c in self.coders}
        for s in data.spans:
            if s.category == cat.id:
                per_coder[s.coder] += 1
        row = SpanCategoryResult(
            category=cat.id, name=cat.name, documents=len(data.documents),
            characters=sum(c.length for c in data.continua), tokens=sum(len(data.tokens(i)) for i in range(len(data.documents))),
            coders=self.m, spans_per_coder=per_coder,
        )  # fmt: skip
        reasons = row.reasons
        if self.empty:
            for name in _SPAN_FIELDS:
                reasons[name] = self.empty
            reasons["interval"] = self.empty
            self._pairwise_empty(cat.id, "span")
            return row
        # the category's spans alone give the same results as all spans for these per-category
        # measures, and every measure below re-reads its input, so keep that input small
        docs = data.span_documents(categories=[cat.id])
        if self.details is None:
            reasons["alpha_u"] = self.details_reason or ""
        else:
            row.alpha_u = _attempt(reasons, "alpha_u", self.details.alpha, cat.id)
        row.binary_alpha_u = _attempt(reasons, "binary_alpha_u", binary_unitized_alpha, docs, cat.id)

        coders, matrix = token_matrix(docs, cat.id, rule=TOKEN_RULE)
        row.token_alpha = _attempt(reasons, "token_alpha", krippendorff_alpha, matrix)
        row.fleiss_kappa = _attempt(reasons, "fleiss_kappa", fleiss_kappa, matrix)
        row.token_percent_agreement = _attempt(reasons, "token_percent_agreement", percent_agreement, matrix)
        kappas = pairwise_cohen_kappa(matrix, coders=list(coders)) if self.m >= 2 else {}
        row.mean_cohen_kappa = _mean_of(kappas, reasons, "mean_cohen_kappa", "Cohen's kappa on tokens", self.m)
        self.report.pairwise.append(
            PairwiseTable(cat.id, "span", "Cohen's kappa on tokens", self.coders, _square(kappas, self.coders))
        )
        for match, name in (("exact", "f1_exact"), ("overlap", "f1_overlap")):
            f1s = {}
            for a, b in combinations(self.coders, 2):
                try:
                    f1s[(a, b)] = span_f1(docs, a, b, match=match, category=cat.id).f1
                except AgreementUndefined:
                    f1s[(a, b)] = None
            setattr(row, name, _mean_of(f1s, reasons, name, f"span F1 ({match})", self.m))
        row.interval = self._interval(
            reasons,
            lambda: bootstrap_unitized_alpha(
                docs, cat.id, n_samples=self.samples, confidence=CONFIDENCE, thresholds=self.thresholds, seed=self.seed
            ),
        )
        if row.interval is not None and row.interval.n_undefined:
            row.notes.append(f"alpha-u undefined in {row.interval.n_undefined} resample(s), left out of the interval")
        self._span_leave_one_out(cat.id)
        row.verdict = verdict(row.alpha_u, self.thresholds)
        if row.alpha_u is None:
            reasons.setdefault("verdict", reasons.get("alpha_u", ""))
        return row

    def _span_leave_one_out(self, category: str) -> None:
        """Alpha-u of ``category`` recomputed on the same documents without each coder in turn."""
        if self._loo_details is None:
            self._loo_details = {}
            for coder in self.coders:
                rest = [c for c in self.coders if c != coder]
                self._loo_details[coder] = self._unitized_details(self.data.span_documents(coders=rest))
        for coder, (details, why) in self._loo_details.items():
            if details is None:
                self.loo[coder][category] = None
                self.loo_reasons[coder][category] = why or ""
            else:
                self.loo[coder][category] = _attempt(self.loo_reasons[coder], category, details.alpha, category)

    def _pairwise_empty(self, category: str, kind: str) -> None:
        measure = "Cohen's kappa on tokens" if kind == "span" else "Cohen's kappa"
        self.report.pairwise.append(PairwiseTable(category, kind, measure, self.coders, _square({}, self.coders)))

    def _overall(self) -> OverallSpanResult | None:
        data = self.data
        if not data.span_categories:
            return None
        row = OverallSpanResult(
            categories=[c.id for c in data.span_categories], documents=len(data.documents),
            characters=sum(c.length for c in data.continua),
        )  # fmt: skip
        if self.empty:
            row.reasons = {"alpha_u": self.empty, "binary_alpha_u": self.empty, "interval": self.empty}
            return row
        if self.details is None:
            row.reasons["alpha_u"] = self.details_reason or ""
        else:
            row.alpha_u = _attempt(row.reasons, "alpha_u", self.details.alpha, None)
        row.binary_alpha_u = _attempt(row.reasons, "binary_alpha_u", binary_unitized_alpha, self.all_docs, None)
        row.interval = self._interval(
            row.reasons,
            lambda: bootstrap_unitized_alpha(
                self.all_docs, None, n_samples=self.samples, confidence=CONFIDENCE, thresholds=self.thresholds,
                seed=self.seed,
            ),  # fmt: skip
        )
        row.verdict = verdict(row.alpha_u, self.thresholds)
        return row

    def _span_disagreements(self) -> None:
        data = self.data
        if self.empty or self.m < 2 or not data.span_categories:
            return
        cats = [c.id for c in data.span_categories]
        cat_index = {c: k for k, c in enumerate(cats)}
        coder_index = {c: i for i, c in enumerate(self.coders)}
        total = float(sum(c.length for c in data.continua))
        observed = self.details.observed if self.details is not None else {}
        norm = self.m * (self.m - 1) * total**2
        by_doc: dict[int, list] = {}
        for s in data.spans:
            by_doc.setdefault(s.document_id, []).append(s)
        for doc, cont in zip(data.documents, data.continua):
            spans = by_doc.get(doc.id)
            if not spans or cont.length == 0:
                continue
            cover = np.zeros((len(cats), self.m, cont.length), dtype=bool)
            for s in spans:
                cover[cat_index[s.category], coder_index[s.coder], s.continuum_start : s.continuum_end] = True
            for k, cat in enumerate(cats):
                marked = cover[k]
                if not marked.any():
                    continue
                change = np.flatnonzero((marked[:, 1:] != marked[:, :-1]).any(axis=0)) + 1
                bounds = sorted({0, cont.length, *change.tolist(), *cont.offsets})
                for a, b in zip(bounds[:-1], bounds[1:]):
                    who = marked[:, a]
                    n = int(who.sum())
                    if n == 0 or n == self.m:
                        continue
                    length = b - a
                    cost = 2.0 * n * (self.m - n) * length**2 / norm
                    codes: dict[str, str | None] = {}
                    for i, coder in enumerate(self.coders):
                        if who[i]:
                            codes[coder] = cat
                        else:
                            others = [cats[j] for j in range(len(cats)) if j != k and cover[j, i, a:b].any()]
                            codes[coder] = "(" + ", ".join(others) + ")" if others else None
                    start, end = cont.original_range(a, b)
                    d_o = observed.get(cat)
                    self.report.disagreements.append(
                        DisagreementRecord(
                            kind="span", category=cat, document_id=doc.id, external_id=doc.external_id,
                            title=doc.title, zone=_zone_at(doc, start), start=start, end=end,
                            text=doc.text[start:end], codes=codes, cost=cost,
                            share=cost / d_o if d_o else None,
                        )  # fmt: skip
                    )

    # --- document codes ---

    def _document_row(self, cat: Category) -> DocumentCategoryResult:
        data = self.data
        coded, value_codes = data.coded_matrix(cat.id)
        codes = [n for n, _ in value_codes]
        label_of = {n: v for n, v in value_codes}
        ordered = cat.level != "nominal"
        order = codes if cat.level == "ordinal" else None
        weights = "quadratic" if ordered else None
        present = np.array([[v is not None for v in row] for row in coded], dtype=bool).reshape(self.m, -1)
        per_unit = present.sum(axis=0)
        row = DocumentCategoryResult(
            category=cat.id, name=cat.name, level=cat.level, values=list(cat.values), units=len(data.documents),
            coders=self.m, pairable_units=int((per_unit >= 2).sum()), missing_values=int((~present).sum()),
            kappa_weights=weights,
        )  # fmt: skip
        self.report.raw_document_codes.append(
            RawDocumentCodes(
                category=cat.id, level=cat.level, coders=self.coders, document_ids=[d.id for d in data.documents],
                external_ids=[d.external_id for d in data.documents], codes=coded, value_codes=value_codes,
            )  # fmt: skip
        )
        reasons = row.reasons
        if self.empty:
            for name in _DOCUMENT_FIELDS:
                reasons[name] = self.empty
            reasons["interval"] = self.empty
            self._pairwise_empty(cat.id, "document")
            return row
        row.alpha = _attempt(reasons, "alpha", krippendorff_alpha, coded, cat.level, value_order=order)
        row.percent_agreement = _attempt(reasons, "percent_agreement", percent_agreement, coded)
        complete = per_unit == self.m
        if complete.all():
            row.fleiss_kappa = _attempt(reasons, "fleiss_kappa", fleiss_kappa, coded)
        elif complete.any():
            kept = [[v for v, keep in zip(r, complete) if keep] for r in coded]
            row.fleiss_kappa = _attempt(reasons, "fleiss_kappa", fleiss_kappa, kept)
            row.notes.append(
                f"Fleiss' kappa on the {int(complete.sum())} of {len(complete)} documents every coder coded"
            )
        else:
            reasons["fleiss_kappa"] = "no document was coded by every coder, and Fleiss' kappa allows no missing values"
        kappas = pairwise_cohen_kappa(coded, coders=self.coders, weights=weights, labels=codes) if self.m >= 2 else {}
        measure = "Cohen's kappa" + (" (quadratic weights)" if weights else "")
        row.mean_cohen_kappa = _mean_of(kappas, reasons, "mean_cohen_kappa", measure, self.m)
        self.report.pairwise.append(PairwiseTable(cat.id, "document", measure, self.coders, _square(kappas, self.coders)))
        row.brennan_prediger = _attempt(reasons, "brennan_prediger", brennan_prediger_kappa, coded, categories=codes)
        row.gwet_ac1 = _attempt(reasons, "gwet_ac1", gwet_ac1, coded, categories=codes)
        row.interval = self._interval(
            reasons,
            lambda: bootstrap_alpha(
                coded, cat.level, n_samples=self.samples, confidence=CONFIDENCE, thresholds=self.thresholds,
                seed=self.seed, method="units", value_order=order,
            ),  # fmt: skip
        )
        if row.interval is not None and row.interval.n_undefined:
            row.notes.append(f"alpha undefined in {row.interval.n_undefined} resample(s), left out of the interval")
        row.verdict = verdict(row.alpha, self.thresholds)
        if row.alpha is None:
            reasons.setdefault("verdict", reasons.get("alpha", ""))
        if self.m >= 2:
            for (a, b), matrix in pairwise_confusion_matrices(coded, coders=self.coders, labels=codes).items():
                self.report.confusion.append(
                    ConfusionTable(cat.id, a, b, [label_of[n] for n in matrix.labels], matrix.counts.tolist())
                )
        self._document_leave_one_out(cat.id, coded, cat.level, order)
        self._document_disagreements(cat.id, coded, cat.level, order, label_of)
        return row

    def _document_leave_one_out(self, category: str, coded: list, level: str, order) -> None:
        table = alpha_without_each_coder(coded, level, coders=self.coders, value_order=order)
        for i, coder in enumerate(self.coders):
            self.loo[coder][category] = _finite(table[coder])
            if self.loo[coder][category] is None:
                rest = coded[:i] + coded[i + 1 :]
                why = alpha_details(rest, level, value_order=order).undefined_reason if rest else None
                self.loo_reasons[coder][category] = why or "alpha is undefined without this coder"

    def _document_disagreements(self, category: str, coded: list, level: str, order, label_of: dict) -> None:
        try:
            found = disagreements(coded, level, coders=self.coders, value_order=order)
            d_o = alpha_details(coded, level, value_order=order).observed_disagreement
        except AgreementUndefined:
            return
        for d in found:
            doc = self.data.documents[d.unit]
            codes = {c: (label_of[d.values[c]] if c in d.values else None) for c in self.coders}
            self.report.disagreements.append(
                DisagreementRecord(
                    kind="document", category=category, document_id=doc.id, external_id=doc.external_id,
                    title=doc.title, zone=None, start=None, end=None, text="", codes=codes, cost=float(d.cost),
                    share=float(d.cost) / d_o if d_o else None,
                )  # fmt: skip
            )

    # --- coders ---

    def _coder_summaries(self) -> None:
        data = self.data
        for coder in self.coders:
            done = in_progress = 0
            seconds = 0.0
            for doc_id in data.scope:
                status, secs = data.statuses.get((doc_id, coder), (Status.TODO, 0.0))
                done += status is Status.DONE
                in_progress += status is Status.IN_PROGRESS
                seconds += secs or 0.0
            self.report.coder_summaries.append(
                CoderSummary(
                    coder=coder,
                    span_labels=sum(1 for s in data.spans if s.coder == coder),
                    document_codes=sum(1 for k in data.labels if k[1] == coder),
                    documents_done=done, documents_in_progress=in_progress, seconds=float(seconds),
                    labels_outside_zones=data.outside_zones.get(coder, 0),
                    leave_one_out=self.loo.get(coder, {}), reasons=self.loo_reasons.get(coder, {}),
                )  # fmt: skip
            )


_SPAN_FIELDS = (
    "alpha_u", "binary_alpha_u", "token_alpha", "fleiss_kappa", "mean_cohen_kappa", "f1_exact", "f1_overlap",
    "token_percent_agreement",
)  # fmt: skip
_DOCUMENT_FIELDS = ("alpha", "percent_agreement", "fleiss_kappa", "mean_cohen_kappa", "brennan_prediger", "gwet_ac1")


# --- helpers -------------------------------------------------------------------------------------


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _attempt(reasons: dict[str, str], name: str, compute: Callable, *args, **kwargs):
    """``compute(*args, **kwargs)``; on an undefined result ``None`` and the reason under ``name``."""
    try:
        value = compute(*args, **kwargs)
    except (AgreementUndefined, AgreementInputError) as exc:
        reasons[name] = str(exc)
        return None
    if isinstance(value, (float, int, np.floating, np.integer)):
        finite = _finite(value)
        if finite is None:
            reasons[name] = "the computation gave no finite value"
        return finite
    return value


def _mean_of(pairs: dict, reasons: dict[str, str], name: str, what: str, n_coders: int) -> float | None:
    defined = [v for v in pairs.values() if v is not None and math.isfinite(v)]
    if n_coders < 2:
        reasons[name] = f"{what} compares two coders; the data have {n_coders}"
        return None
    if not defined:
        reasons[name] = f"{what} is undefined for every pair of coders"
        return None
    return float(np.mean(defined))


def _square(pairs: dict[tuple, float | None], coders: list[str]) -> list[list[float | None]]:
    table: list[list[float | None]] = [[None] * len(coders) for _ in coders]
    index = {c: i for i, c in enumerate(coders)}
    for (a, b), value in pairs.items():
        v = _finite(value)
        table[index[a]][index[b]] = v
        table[index[b]][index[a]] = v
    return table


def _zone_at(document, offset: int) -> str | None:
    """The innermost zone holding ``offset``."""
    holding = [z for z in document.zones if z.start <= offset < z.end]
    if not holding:
        return None
    return min(holding, key=lambda z: z.end - z.start).kind.value


def _safe_location(location: str) -> str:
    """A database URL without its password."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", location)


def _settings(
    project: Project, flt: ReliabilityFilter, samples: int, seed: int, thresholds: tuple[float, ...]
) -> dict[str, Any]:
    s = project.settings()
    return {
        "project": s.name,
        "location": _safe_location(str(project.location)),
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "software": f"annotator {__version__}",
        "suggestions_enabled": s.suggestions_enabled,
        "blind_coding": not s.show_others_labels,
        "filter": flt.to_dict(),
        "filter_description": flt.describe(),
        "seed": seed,
        "bootstrap_samples": samples,
        "confidence": CONFIDENCE,
        "thresholds": list(thresholds),
        "span_bootstrap": "documents resampled with replacement; alpha-u recomputed",
        "document_bootstrap": "units: documents resampled with replacement; alpha recomputed in full",
        "token_rule": f"a token counts as marked when a span shares a character with it ({TOKEN_RULE})",
        "tokenizer": TOKEN_PATTERN.pattern,
        "kappa_weights": "none for nominal categories, quadratic for ordinal, interval and ratio ones",
    }


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
        return _finite(value)
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    return value


def _key(key: Hashable) -> str:
    if isinstance(key, tuple):
        return " | ".join(str(k) for k in key)
    if isinstance(key, float):
        return f"{key:g}"
    return str(key)
