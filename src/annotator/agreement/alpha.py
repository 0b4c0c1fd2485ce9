"""Krippendorff's alpha for coded units: coincidences, expected coincidences, one distance per level.

Reference: Krippendorff, K. (2011). *Computing Krippendorff's Alpha-Reliability*. Annenberg
School for Communication, University of Pennsylvania, https://repository.upenn.edu/asc_papers/43
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.agreement.coding_data import encode, row_totals
from annotator.agreement.errors import AgreementInputError, AgreementUndefined

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def coincidence_matrix(counts: np.ndarray, units_per_row: np.ndarray | None = None) -> np.ndarray:
    """Observed coincidences ``o_ck`` from per-unit value counts.

    ``o_ck = Σ_u n_uc (n_uk − [c = k]) / (m_u − 1)`` over the pairable units (``m_u ≥ 2``),
    where ``n_uc`` is how many coders gave value ``c`` to unit ``u`` and ``m_u = Σ_c n_uc``.

    Parameters
    ----------
    counts : ndarray, shape (n_units, n_values)
    units_per_row : ndarray, shape (n_units,), optional
        How many units with these counts each row stands for; default one each.

    Returns
    -------
    ndarray, shape (n_values, n_values), symmetric; its total is the number of pairable values.
    """
    m_u = row_totals(counts)
    pairable = m_u >= 2
    if pairable.all():  # e.g. every coder coded every unit: spare the copies
        c, weight = counts, 1.0 / (m_u - 1.0)
    else:
        c, weight = counts[pairable], 1.0 / (m_u[pairable] - 1.0)
    if units_per_row is not None:
        weight = weight * np.asarray(units_per_row, dtype=float)[pairable]
    return (c * weight[:, None]).T @ c - np.diag(c.T @ weight)


def expected_coincidences(marginals: np.ndarray) -> np.ndarray:
    """Expected coincidences ``e_ck = n_c (n_k − [c = k]) / (n − 1)`` from the marginals ``n_c``."""
    n = marginals.sum()
    return (np.outer(marginals, marginals) - np.diag(marginals)) / (n - 1.0)


def nominal_distance(values: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    """``δ²_ck = 0`` if ``c = k`` else ``1``."""
    k = len(marginals)
    return 1.0 - np.eye(k)


def ordinal_distance(values: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    """``δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)²`` over values in rank order (Krippendorff 2011)."""
    below = np.cumsum(marginals)
    inner = below[None, :] - below[:, None] - (marginals[None, :] - marginals[:, None]) / 2.0
    return inner**2


def interval_distance(values: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    """``δ²_ck = (c − k)²``."""
    return (values[:, None] - values[None, :]) ** 2


def ratio_distance(values: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    """``δ²_ck = ((c − k) / (c + k))²``, and 0 when both values are 0."""
    total = values[:, None] + values[None, :]
    diff = values[:, None] - values[None, :]
    safe = np.where(total == 0, 1.0, total)
    return np.where(total == 0, 0.0, (diff / safe) ** 2)


DISTANCES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "nominal": nominal_distance,
    "ordinal": ordinal_distance,
    "interval": interval_distance,
    "ratio": ratio_distance,
}


@dataclass(frozen=True)
class AlphaDetails:
    """Everything alpha is computed from, for reports and for the bootstrap.

    Attributes
    ----------
    level : str
    values : tuple
        The distinct values; rows and columns of the matrices follow this order.
    coincidences : ndarray, shape (n_values, n_values)
        Observed coincidences ``o_ck``.
    expected : ndarray, shape (n_values, n_values)
        Expected coincidences ``e_ck``.
    distances : ndarray, shape (n_values, n_values)
        The level's squared distances ``δ²_ck``.
    n_pairable_values : float
        ``n``, the number of values in units coded by two or more coders.
    n_pairs : int
        Pairs of values within units, ``Σ_u m_u (m_u − 1) / 2`` (the number Hayes &
        Krippendorff's bootstrap draws per resample).
    n_pairable_units : int
    observed_disagreement, expected_disagreement : float
        ``D_o = Σ o_ck δ²_ck / n`` and ``D_e = Σ e_ck δ²_ck / n``.
    undefined_reason : str or None
        Why alpha is undefined for these data, or ``None`` if it is defined.
    """

    level: str
    values: tuple
    coincidences: np.ndarray
    expected: np.ndarray
    distances: np.ndarray
    n_pairable_values: float
    n_pairs: int
    n_pairable_units: int
    observed_disagreement: float
    expected_disagreement: float
    undefined_reason: str | None

    @property
    def alpha(self) -> float:
        """``1 − D_o / D_e``; raises :class:`AgreementUndefined` when :attr:`undefined_reason` is set."""
        if self.undefined_reason is not None:
            raise AgreementUndefined(self.undefined_reason)
        return 1.0 - self.observed_disagreement / self.expected_disagreement


def alpha_details(data: Any, level: str = "nominal", *, value_order: Sequence | None = None) -> AlphaDetails:
    """Krippendorff's alpha with its coincidence matrices and disagreements.

    Same parameters as :func:`krippendorff_alpha`; the result does not raise for undefined
    alpha until its :attr:`AlphaDetails.alpha` is read.
    """
    _check_level(level)
    coded = encode(data, value_order=value_order, numeric=level in ("interval", "ratio"))
    if level == "ordinal" and value_order is None and not all(_is_number(v) for v in coded.values):
        raise AgreementInputError(
            "ordinal data with values that are not numbers need value_order=[...] listing them from lowest to highest"
        )
    if coded.n_coders < 2:
        reason = (
            f"Krippendorff's alpha compares coders; the data have {coded.n_coders} coder row(s), "
            "it needs at least two"
        )
        return _undefined(level, coded.values, reason)
    numeric = _numeric_values(coded.values, level)
    return alpha_details_from_counts(coded.counts_by_unit(), coded.values, level, numeric_values=numeric)


def alpha_details_from_counts(
    counts: np.ndarray,
    values: Sequence,
    level: str = "nominal",
    *,
    numeric_values: np.ndarray | None = None,
    units_per_row: np.ndarray | None = None,
) -> AlphaDetails:
    """Alpha from a units × values table of how many coders gave each value to each unit.

    Parameters
    ----------
    counts : ndarray, shape (n_units, n_values)
    values : sequence
        The value of each column, in rank order for ordinal data.
    level : {"nominal", "ordinal", "interval", "ratio"}
    numeric_values : ndarray, optional
        The values as floats (interval, ratio); taken from ``values`` when omitted.
    units_per_row : ndarray, shape (n_units,), optional
        How many units each row stands for, so that many identical units can be one row (e.g.
        the tokens marked by the same number of coders); default one each.

    Examples
    --------
    Two coders, 90 units both left at 0, 8 both gave 1, 2 they split on:

    >>> round(alpha_details_from_counts([[2, 0], [0, 2], [1, 1]], (0, 1), units_per_row=[90, 8, 2]).alpha, 4)
    0.8785
    """
    _check_level(level)
    counts = np.asarray(counts, dtype=float)
    values = tuple(values)
    if numeric_values is None:
        numeric_values = _numeric_values(values, level)
    if units_per_row is not None:
        units_per_row = np.asarray(units_per_row, dtype=float).reshape(-1)
        if len(units_per_row) != counts.shape[0] or (units_per_row < 0).any():
            raise AgreementInputError(
                f"units_per_row must give a count >= 0 for each of the {counts.shape[0]} rows, got {len(units_per_row)}"
            )
    m_u = row_totals(counts)
    pairable = m_u >= 2
    o = coincidence_matrix(counts, units_per_row)
    marginals = o.sum(axis=1)
    if units_per_row is None:
        n = float(m_u[pairable].sum())
        n_pairs = int(round(float((m_u[pairable] * (m_u[pairable] - 1)).sum()) / 2))
        n_units = int(pairable.sum())
    else:
        repeats = np.asarray(units_per_row, dtype=float)[pairable]
        n = float((repeats * m_u[pairable]).sum())
        n_pairs = int(round(float((repeats * m_u[pairable] * (m_u[pairable] - 1)).sum()) / 2))
        n_units = int(round(float(repeats.sum())))
    if n == 0:
        reason = "no unit was coded by two or more coders, so there are no values to pair (alpha is undefined)"
        return _undefined(level, values, reason)
    used = np.flatnonzero(marginals > 0)
    if len(used) < 2:
        reason = (
            f"all {n:g} pairable values are {values[used[0]]!r}: without variation in the data "
            "alpha is undefined (agreement cannot be told apart from chance)"
        )
        return _undefined(level, values, reason, coincidences=o, n=n, n_pairs=n_pairs, n_units=n_units)
    delta = DISTANCES[level](numeric_values, marginals)
    e = expected_coincidences(marginals)
    d_o = float((o * delta).sum() / n)
    d_e = float((e * delta).sum() / n)
    return AlphaDetails(
        level=level,
        values=values,
        coincidences=o,
        expected=e,
        distances=delta,
        n_pairable_values=n,
        n_pairs=n_pairs,
        n_pairable_units=n_units,
        observed_disagreement=d_o,
        expected_disagreement=d_e,
        undefined_reason=None,
    )


def krippendorff_alpha(data: Any, level: str = "nominal", *, value_order: Sequence | None = None) -> float:
    """Krippendorff's alpha for a reliability data matrix, with missing values.

    ``α = 1 − D_o / D_e``, with the observed and expected disagreements

    ``D_o = (1/n) Σ_c Σ_k o_ck δ²_ck`` and ``D_e = (1/(n(n − 1))) Σ_c Σ_k n_c n_k δ²_ck``,

    where ``o_ck = Σ_u n_uc (n_uk − [c = k]) / (m_u − 1)`` are the coincidences of values
    within units coded by ``m_u ≥ 2`` coders (units with fewer values are not pairable and
    drop out), ``n_c`` their marginals and ``n`` the number of pairable values. The level
    chooses ``δ²``: nominal ``[c ≠ k]``; ordinal ``(Σ_{g=c..k} n_g − (n_c + n_k)/2)²``;
    interval ``(c − k)²``; ratio ``((c − k)/(c + k))²``.

    Parameters
    ----------
    data : sequence of sequences or 2-D ndarray, shape (n_coders, n_units)
        One row per coder; ``None`` or NaN where a coder gave no value.
    level : {"nominal", "ordinal", "interval", "ratio"}
    value_order : sequence, optional
        The admissible values from lowest to highest. Needed for ordinal data whose values are
        not numbers; values in between that nobody used do not change alpha.

    Returns
    -------
    float

    Raises
    ------
    AgreementUndefined
        Fewer than two coders, no unit coded by two coders, or only one value in the data.
    AgreementInputError
        Ragged matrix, unknown level, non-numeric interval/ratio values, negative ratio values.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    https://repository.upenn.edu/asc_papers/43

    Examples
    --------
    The reliability data of Krippendorff (2011, p. 3): four coders, twelve units, missing values.

    >>> data = [
    ...     [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...     [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ... ]
    >>> [round(krippendorff_alpha(data, level), 3) for level in ("nominal", "ordinal", "interval", "ratio")]
    [0.743, 0.815, 0.849, 0.797]
    """
    return alpha_details(data, level, value_order=value_order).alpha


def _check_level(level: str) -> None:
    if level not in DISTANCES:
        raise AgreementInputError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _numeric_values(values: tuple, level: str) -> np.ndarray:
    if level not in ("interval", "ratio"):
        return np.arange(len(values), dtype=float)
    numeric = np.asarray(values, dtype=float)
    if level == "ratio" and (numeric < 0).any():
        raise AgreementInputError(
            f"ratio data must not be negative (got {numeric[numeric < 0][0]:g}); use the interval level"
        )
    return numeric


def _undefined(
    level: str,
    values: tuple,
    reason: str,
    *,
    coincidences: np.ndarray | None = None,
    n: float = 0.0,
    n_pairs: int = 0,
    n_units: int = 0,
) -> AlphaDetails:
    k = len(values)
    o = coincidences if coincidences is not None else np.zeros((k, k))
    return AlphaDetails(
        level=level,
        values=values,
        coincidences=o,
        expected=np.zeros((k, k)),
        distances=np.zeros((k, k)),
        n_pairable_values=n,
        n_pairs=n_pairs,
        n_pairable_units=n_units,
        observed_disagreement=0.0,
        expected_disagreement=0.0,
        undefined_reason=reason,
    )
