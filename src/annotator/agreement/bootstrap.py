"""Bootstrapped confidence intervals for alpha, and the chance that alpha falls short of a minimum.

Coded units (:func:`bootstrap_alpha`) follow Hayes & Krippendorff (2007) by default: pairs of
values are redrawn from the observed coincidences. Span annotations
(:func:`bootstrap_unitized_alpha`) resample whole documents, the unit of sampling. All draws
come from a NumPy ``Generator`` seeded with ``seed``, so a report can be reproduced exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annotator.agreement.alpha import DISTANCES, alpha_details
from annotator.agreement.coding_data import encode
from annotator.agreement.errors import AgreementInputError, AgreementUndefined
from annotator.agreement.spans import SpanDocument
from annotator.agreement.unitizing import document_weighted_disagreements

DEFAULT_THRESHOLDS = (0.667, 0.800)
_CHUNK_ELEMENTS = 2_000_000


@dataclass(frozen=True)
class BootstrapResult:
    """A bootstrapped distribution of alpha.

    Attributes
    ----------
    estimate : float
        Alpha for the data as they are.
    low, high : float
        Percentile confidence interval: the ``(1 − confidence)/2`` and ``(1 + confidence)/2``
        quantiles of the resampled alphas (linear interpolation between order statistics).
    confidence : float
    prob_below : dict mapping threshold -> float
        Share of resampled alphas below each threshold: the probability ``q`` that the
        data's reliability fails to reach that minimum (Hayes & Krippendorff 2007).
    n_samples : int
        Resamples drawn.
    n_undefined : int
        Resamples for which alpha was undefined (e.g. no variation in them); they are left out
        of the interval and the probabilities.
    method : str
        ``"pairs"``, ``"units"`` or ``"documents"``.
    seed : int or None
        The seed, when one was given as an int.
    samples : ndarray
        The defined resampled alphas (for histograms).
    """

    estimate: float
    low: float
    high: float
    confidence: float
    prob_below: dict
    n_samples: int
    n_undefined: int
    method: str
    seed: int | None
    samples: np.ndarray = field(repr=False, compare=False)


def bootstrap_alpha(
    data: Any,
    level: str = "nominal",
    *,
    n_samples: int = 1000,
    confidence: float = 0.95,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    seed: int | np.random.Generator = 0,
    method: str = "pairs",
    value_order: Sequence | None = None,
) -> BootstrapResult:
    """Bootstrap distribution of Krippendorff's alpha for a coders × units matrix.

    ``method="pairs"`` (Hayes & Krippendorff 2007; Krippendorff's "Algorithm for
    bootstrapping a distribution of alpha", 2006/2011): each resample draws, with
    replacement, as many pairs of values as the data contain, ``M = Σ_u m_u (m_u − 1) / 2``,
    from the observed coincidences (cell ``c, k`` with probability ``o_ck / n``, which weights
    each unit's pairs by ``1/(m_u − 1)``). Its observed disagreement is the mean ``δ²_ck`` of the
    drawn pairs; the expected disagreement ``D_e`` stays that of the data, and
    ``α* = 1 − D_o* / D_e``. This is the KALPHA macro's procedure; it treats pairs as
    independent and holds ``D_e`` fixed, so its intervals are narrower than a resampling of
    units gives (Hughes 2022).

    ``method="units"``: the ordinary nonparametric bootstrap (Efron & Tibshirani 1993). Each
    resample draws the pairable units (those with two or more values) with replacement and
    recomputes alpha in full, ``D_e`` included.

    Parameters
    ----------
    data, level, value_order
        As for :func:`annotator.agreement.alpha.krippendorff_alpha`.
    n_samples : int
    confidence : float
        Coverage of the percentile interval, e.g. 0.95.
    thresholds : sequence of float
        Minimum alphas for which to report ``P(α < threshold)``; by default Krippendorff's
        0.667 (tentative conclusions) and 0.800.
    seed : int or numpy.random.Generator
    method : {"pairs", "units"}

    Raises
    ------
    AgreementUndefined
        Alpha is undefined for the data, or for every resample.

    References
    ----------
    Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability
    measure for coding data. *Communication Methods and Measures* 1(1), 77–89.
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    Hughes, J. (2022). Toward improved inference for Krippendorff's alpha agreement
    coefficient. arXiv:2210.13265.

    Examples
    --------
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> result = bootstrap_alpha(data, "nominal", n_samples=2000, seed=1)
    >>> round(result.estimate, 3)
    0.743
    >>> result.low < result.estimate < result.high
    True
    """
    _check_common(n_samples, confidence)
    rng = np.random.default_rng(seed)
    details = alpha_details(data, level, value_order=value_order)
    estimate = details.alpha
    if method == "pairs":
        cells = details.coincidences.ravel() / details.n_pairable_values
        cells = np.clip(cells, 0.0, None)
        drawn = rng.multinomial(details.n_pairs, cells / cells.sum(), size=n_samples)
        observed = drawn @ details.distances.ravel() / details.n_pairs
        samples = 1.0 - observed / details.expected_disagreement
    elif method == "units":
        coded = encode(data, value_order=value_order, numeric=level in ("interval", "ratio"))
        numeric = np.asarray(details.values, dtype=float) if level in ("interval", "ratio") else None
        samples = _unit_resamples(coded.counts_by_unit(), level, numeric, n_samples, rng)
    else:
        raise AgreementInputError(f"unknown bootstrap method {method!r}; use 'pairs' or 'units'")
    return _summarise(estimate, samples, n_samples, confidence, thresholds, method, seed)


def bootstrap_unitized_alpha(
    documents: Sequence[SpanDocument],
    category: Hashable | None = None,
    *,
    binary: bool = False,
    n_samples: int = 1000,
    confidence: float = 0.95,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    seed: int | np.random.Generator = 0,
) -> BootstrapResult:
    """Bootstrap distribution of alpha-u (or the binary variant) by resampling documents.

    Each resample draws as many documents as there are, with replacement, and recomputes alpha
    on them: the document is the sampling unit, since spans within a document are not
    independent. With a single document every resample equals the data and the interval is
    degenerate.

    Parameters
    ----------
    documents, category
        As for :func:`annotator.agreement.unitizing.unitized_alpha`.
    binary : bool
        Resample :func:`annotator.agreement.unitizing.binary_unitized_alpha` instead.
    n_samples, confidence, thresholds, seed
        As for :func:`bootstrap_alpha`.
    """
    _check_common(n_samples, confidence)
    rng = np.random.default_rng(seed)
    documents = list(documents)
    n_docs = len(documents)
    # a resample is a reweighting of the documents: row 0 weighs each once (the data as they
    # are), the others count how often each was drawn, and one pass evaluates them all
    drawn = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_samples) if n_docs else None
    weights = np.ones((n_samples + 1, n_docs))
    if drawn is not None:
        weights[1:] = drawn
    observed, expected = document_weighted_disagreements(documents, weights, category, binary=binary)
    if not expected[0] > 0:
        raise AgreementUndefined("the expected disagreement of the data is zero, so alpha is undefined")
    estimate = 1.0 - float(observed[0]) / float(expected[0])
    observed, expected = observed[1:], expected[1:]
    defined = expected > 0
    samples = np.full(n_samples, np.nan)
    samples[defined] = 1.0 - observed[defined] / expected[defined]
    return _summarise(estimate, samples, n_samples, confidence, thresholds, "documents", seed)


def _unit_resamples(
    counts: np.ndarray, level: str, numeric: np.ndarray | None, n_samples: int, rng: np.random.Generator
) -> np.ndarray:
    """Alpha for resamples of the pairable units; NaN where a resample has no variation."""
    m_u = counts.sum(axis=1)
    keep = m_u >= 2
    counts, m_u = counts[keep], m_u[keep]
    n_units, n_values = counts.shape
    # each unit's contribution to the coincidence matrix, flattened
    per_unit = (counts[:, :, None] * counts[:, None, :]).reshape(n_units, -1)
    per_unit[:, :: n_values + 1] -= counts
    per_unit /= (m_u - 1.0)[:, None]
    fixed_delta = None
    if level != "ordinal":
        values = numeric if numeric is not None else np.arange(n_values, dtype=float)
        fixed_delta = DISTANCES[level](values, np.zeros(n_values))
    samples = np.empty(n_samples)
    step = max(1, _CHUNK_ELEMENTS // max(n_units, n_values * n_values))
    for first in range(0, n_samples, step):
        b = min(step, n_samples - first)
        drawn = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=b).astype(float)
        o = (drawn @ per_unit).reshape(b, n_values, n_values)
        marginals = o.sum(axis=2)
        n = marginals.sum(axis=1)
        if fixed_delta is None:
            below = np.cumsum(marginals, axis=1)
            inner = below[:, None, :] - below[:, :, None] - (marginals[:, None, :] - marginals[:, :, None]) / 2.0
            delta = inner**2
        else:
            delta = np.broadcast_to(fixed_delta, o.shape)
        observed = (o * delta).sum(axis=(1, 2)) / n
        expected = np.einsum("bi,bij,bj->b", marginals, delta, marginals) / (n * (n - 1.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            samples[first : first + b] = np.where(expected > 0, 1.0 - observed / expected, np.nan)
    return samples


def _summarise(
    estimate: float,
    samples: np.ndarray,
    n_samples: int,
    confidence: float,
    thresholds: Sequence[float],
    method: str,
    seed: int | np.random.Generator,
) -> BootstrapResult:
    defined = samples[np.isfinite(samples)]
    if len(defined) == 0:
        raise AgreementUndefined("alpha was undefined in every bootstrap resample (no variation in any of them)")
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(defined, [tail, 1.0 - tail])
    return BootstrapResult(
        estimate=float(estimate),
        low=float(low),
        high=float(high),
        confidence=confidence,
        prob_below={float(q): float((defined < q).mean()) for q in thresholds},
        n_samples=n_samples,
        n_undefined=int(n_samples - len(defined)),
        method=method,
        seed=seed if isinstance(seed, (int, np.integer)) else None,
        samples=defined,
    )


def _check_common(n_samples: int, confidence: float) -> None:
    if not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise AgreementInputError(f"n_samples must be a whole number >= 1, got {n_samples!r}")
    if not 0.0 < confidence < 1.0:
        raise AgreementInputError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
