"""The reliability report of a study: every coefficient a paper needs, per category, as plain data.

:func:`build_report` reads the reliability data a :class:`ReliabilityFilter` selects and fills an
:class:`~annotator.agreement.results.AgreementReport`: one row per span category and per
document-level category, an overall row for spans, coder-by-coder tables, the costliest
disagreements, the raw data the coefficients were computed from (so a reviewer can recompute
them elsewhere) and the settings that produced it. The records themselves live in
:mod:`annotator.agreement.results` and are importable from here too. Coefficients that the data
do not determine are ``None`` with the reason next to them, never NaN. Writers (e.g.
:func:`annotator.export.workbook.write_workbook`) take the report as is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
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
from annotator.agreement.errors import AgreementInputError, AgreementUndefined, NothingToCompare
from annotator.agreement.kappa import (
    brennan_prediger_kappa,
    fleiss_kappa,
    gwet_ac1,
    pairwise_cohen_kappa,
    percent_agreement,
)
from annotator.agreement.results import (
    ACCEPTABLE,
    DEFAULT_THRESHOLDS,
    TENTATIVE,
    UNACCEPTABLE,
    UNDEFINED,
    AgreementReport,
    CoderSummary,
    ConfusionTable,
    DisagreementRecord,
    DocumentCategoryResult,
    Interval,
    OverallSpanResult,
    PairwiseTable,
    RawDocument,
    RawDocumentCodes,
    RawSpan,
    SpanCategoryResult,
    finite,
    verdict,
)
from annotator.agreement.sample_size import flag_few_units
from annotator.agreement.tokens import pairwise_span_f1, token_agreement
from annotator.agreement.unitizing import UnitizedAlphaDetails, binary_unitized_alpha, unitized_alpha_details
from annotator.domain import Status

if TYPE_CHECKING:
    from annotator.codebook import Category
    from annotator.project import Project

__all__ = [
    "ACCEPTABLE",
    "CONFIDENCE",
    "DEFAULT_SEED",
    "DEFAULT_THRESHOLDS",
    "TENTATIVE",
    "TOKEN_RULE",
    "UNACCEPTABLE",
    "UNDEFINED",
    "AgreementReport",
    "CoderSummary",
    "ConfusionTable",
    "DisagreementRecord",
    "DocumentCategoryResult",
    "Interval",
    "OverallSpanResult",
    "PairwiseTable",
    "RawDocument",
    "RawDocumentCodes",
    "RawSpan",
    "SpanCategoryResult",
    "build_report",
    "verdict",
]

DEFAULT_SEED = 20261125
CONFIDENCE = 0.95
TOKEN_RULE = "overlap"


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

    Raises
    ------
    NothingToCompare
        The filter leaves no document or no coder; the message says which coders did what.
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
    if data.empty_reason:
        raise NothingToCompare(data.empty_reason)
    builder = _Builder(data, report, int(bootstrap_samples), seed, thresholds)
    steps = _Steps(len(data.span_categories) + len(data.document_categories) + 3, progress, cancel)
    try:
        builder.run(steps)
    except _Cancelled:
        report.cancelled = True
    else:
        flag_few_units(report, data)
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
        self.loo: dict[str, dict[str, float | None]] = {c: {} for c in self.coders}
        self.loo_reasons: dict[str, dict[str, str]] = {c: {} for c in self.coders}
        self._loo_details: dict[str, tuple[UnitizedAlphaDetails | None, str | None]] | None = None
        self.all_docs: list = []
        self.details: UnitizedAlphaDetails | None = None
        self.details_reason: str | None = None
        self.characters = self.tokens = 0
        self.spans_per_coder = {c.id: {coder: 0 for coder in self.coders} for c in data.span_categories}

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
        self.characters = sum(c.length for c in data.continua)
        self.tokens = sum(len(data.tokens(i)) for i in range(len(data.documents)))
        for s in data.spans:
            self.spans_per_coder[s.category][s.coder] += 1

        steps.next("unitizing alpha for all span categories")
        self.all_docs = data.span_documents()
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
        row = SpanCategoryResult(
            category=cat.id, name=cat.name, documents=len(data.documents), characters=self.characters,
            tokens=self.tokens, coders=self.m, spans_per_coder=dict(self.spans_per_coder[cat.id]),
        )  # fmt: skip
        reasons = row.reasons
        # the category's spans alone give the same results as all spans for these per-category
        # measures, and every measure below re-reads its input, so keep that input small
        docs = data.span_documents(categories=[cat.id])
        if self.details is None:
            reasons["alpha_u"] = self.details_reason or ""
        else:
            row.alpha_u = _attempt(reasons, "alpha_u", self.details.alpha, cat.id)
        row.binary_alpha_u = _attempt(reasons, "binary_alpha_u", binary_unitized_alpha, docs, cat.id)

        tokens = token_agreement(docs, cat.id, rule=TOKEN_RULE)
        for name, value, key in (
            ("token_alpha", tokens.alpha, "alpha"),
            ("fleiss_kappa", tokens.fleiss_kappa, "fleiss_kappa"),
            ("token_percent_agreement", tokens.percent_agreement, "percent_agreement"),
        ):
            setattr(row, name, _defined(reasons, name, value, tokens.reasons.get(key)))
        kappas = tokens.cohen_kappa if self.m >= 2 else {}
        row.mean_cohen_kappa = _mean_of(kappas, reasons, "mean_cohen_kappa", "Cohen's kappa on tokens", self.m)
        self.report.pairwise.append(
            PairwiseTable(cat.id, "span", "Cohen's kappa on tokens", self.coders, _square(kappas, self.coders))
        )
        for match, name in (("exact", "f1_exact"), ("overlap", "f1_overlap")):
            f1s: dict[tuple, float | None] = {}
            for pair, counts in pairwise_span_f1(docs, match=match, category=cat.id).items():
                try:
                    f1s[pair] = counts.f1
                except AgreementUndefined:
                    f1s[pair] = None
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

    def _overall(self) -> OverallSpanResult | None:
        data = self.data
        if not data.span_categories:
            return None
        row = OverallSpanResult(
            categories=[c.id for c in data.span_categories], documents=len(data.documents),
            characters=sum(c.length for c in data.continua),
        )  # fmt: skip
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
        if self.m < 2 or not data.span_categories:
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
        named: dict[bytes, str | None] = {}  # sets of other categories, as bits, written out once
        for doc, cont in zip(data.documents, data.continua):
            spans = by_doc.get(doc.id)
            if not spans or cont.length == 0:
                continue
            cover = np.zeros((len(cats), self.m, cont.length), dtype=bool)
            for s in spans:
                cover[cat_index[s.category], coder_index[s.coder], s.continuum_start : s.continuum_end] = True
            # marks[k, i, p]: characters before p that coder i marked with category k, so that
            # whether a coder marked k anywhere in [a, b) is one subtraction
            marks = np.zeros((len(cats), self.m, cont.length + 1), dtype=np.int32)
            np.cumsum(cover, axis=2, out=marks[:, :, 1:])
            for k, cat in enumerate(cats):
                marked = cover[k]
                if not marked.any():
                    continue
                change = np.flatnonzero((marked[:, 1:] != marked[:, :-1]).any(axis=0)) + 1
                bounds = np.unique(np.concatenate(([0, cont.length], change, cont.offsets)).astype(np.int64))
                a, b = bounds[:-1], bounds[1:]
                who = marked[:, a]
                n = who.sum(axis=0)
                split = (n > 0) & (n < self.m)
                if not split.any():
                    continue
                a, b, who, n = a[split], b[split], who[:, split], n[split]
                # per coder and stretch, the other categories the coder put there, packed into bytes
                elsewhere = (marks[:, :, b] - marks[:, :, a]) > 0
                elsewhere[k] = False
                others = np.packbits(elsewhere, axis=0, bitorder="little")
                d_o = observed.get(cat)
                for r, (first, stop, count) in enumerate(zip(a.tolist(), b.tolist(), n.tolist())):
                    length = stop - first
                    cost = 2.0 * count * (self.m - count) * length**2 / norm
                    codes: dict[str, str | None] = {
                        coder: cat if who[i, r] else _other_categories(others[:, i, r].tobytes(), cats, named)
                        for i, coder in enumerate(self.coders)
                    }
                    start, end = cont.original_range(first, stop)
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
            self.loo[coder][category] = finite(table[coder])
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


# --- helpers -------------------------------------------------------------------------------------


def _attempt(reasons: dict[str, str], name: str, compute: Callable, *args, **kwargs):
    """``compute(*args, **kwargs)``; on an undefined result ``None`` and the reason under ``name``."""
    try:
        value = compute(*args, **kwargs)
    except (AgreementUndefined, AgreementInputError) as exc:
        reasons[name] = str(exc)
        return None
    if isinstance(value, (float, int, np.floating, np.integer)):
        kept = finite(value)
        if kept is None:
            reasons[name] = "the computation gave no finite value"
        return kept
    return value


def _defined(reasons: dict[str, str], name: str, value: float | None, why: str | None) -> float | None:
    """A coefficient computed elsewhere, held to the same rule as :func:`_attempt`'s results."""
    if value is None:
        reasons[name] = why or "the computation gave no value"
        return None
    kept = finite(value)
    if kept is None:
        reasons[name] = "the computation gave no finite value"
    return kept


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
        v = finite(value)
        table[index[a]][index[b]] = v
        table[index[b]][index[a]] = v
    return table


def _other_categories(bits: bytes, cats: list[str], named: dict[bytes, str | None]) -> str | None:
    """``"(a, b)"`` for the categories whose bits are set (``np.packbits``, little-endian), ``None`` for none."""
    if bits not in named:
        chosen = np.unpackbits(np.frombuffer(bits, dtype=np.uint8), bitorder="little")[: len(cats)]
        names = [cats[j] for j in np.flatnonzero(chosen)]
        named[bits] = "(" + ", ".join(names) + ")" if names else None
    return named[bits]


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
