"""Kappa-type coefficients: Cohen (weighted), Fleiss, Brennan–Prediger, Gwet's AC1, percent agreement.

All take coders' values as rows (coders × units), like :func:`annotator.agreement.alpha.krippendorff_alpha`,
except :func:`cohen_kappa`, which takes the two coders' sequences,
:func:`cohen_kappa_from_table`, which takes their contingency table, and
:func:`fleiss_kappa_from_counts`, which takes a units × categories count table.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np

from annotator.agreement.coding_data import encode, row_totals
from annotator.agreement.errors import AgreementInputError, AgreementUndefined

KAPPA_WEIGHTS = (None, "linear", "quadratic")


def cohen_kappa(
    coder_a: Sequence, coder_b: Sequence, *, weights: str | None = None, labels: Sequence | None = None
) -> float:
    """Cohen's kappa for two coders, unweighted or with linear/quadratic disagreement weights.

    ``κ_w = 1 − Σ_ij w_ij p_ij / Σ_ij w_ij p_i. p_.j`` with ``p_ij`` the proportion of units
    coder A put in category ``i`` and coder B in ``j``. The weights are ``w_ij = [i ≠ j]``
    (unweighted, which equals ``(p_o − p_e) / (1 − p_e)``), ``|i − j|`` (linear) or
    ``(i − j)²`` (quadratic), where ``i, j`` are positions in ``labels``. Units that either
    coder left without a value (``None``/NaN) are dropped.

    Parameters
    ----------
    coder_a, coder_b : sequence, length n_units
    weights : {None, "linear", "quadratic"}
        Weighted kappa is for ordered categories.
    labels : sequence, optional
        The categories in order. Default: the values used, sorted. Weighted kappa measures
        distances in positions of this list, so pass it when unused categories lie between
        used ones.

    Raises
    ------
    AgreementUndefined
        No unit coded by both, or chance disagreement zero (both coders used one and the same
        category throughout).

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement* 20(1), 37–46. Cohen, J. (1968). Weighted kappa. *Psychological
    Bulletin* 70(4), 213–220.

    Examples
    --------
    Cohen (1960, p. 45): 200 units, observed agreement .70, chance agreement .41.

    >>> table = {(1, 1): 88, (1, 2): 14, (1, 3): 18, (2, 1): 10, (2, 2): 40,
    ...          (2, 3): 10, (3, 1): 2, (3, 2): 6, (3, 3): 12}
    >>> a = [i for (i, j), n in table.items() for _ in range(n)]
    >>> b = [j for (i, j), n in table.items() for _ in range(n)]
    >>> round(cohen_kappa(a, b), 3)
    0.492
    """
    if weights not in KAPPA_WEIGHTS:
        raise AgreementInputError(f"unknown kappa weights {weights!r}; use None, 'linear' or 'quadratic'")
    if _numeric_array(coder_a) and _numeric_array(coder_b) and labels is None:
        a, b = np.asarray(coder_a), np.asarray(coder_b)
        if a.dtype.kind == "f" or b.dtype.kind == "f":  # NaN marks a missing value
            a, b = a.astype(float), b.astype(float)
        pair: Any = np.vstack([a, b]) if a.shape == b.shape and a.ndim == 1 else [list(a), list(b)]
    else:
        a, b = list(coder_a), list(coder_b)
        pair = [a, b]
    if len(a) != len(b):
        raise AgreementInputError(f"the two coders must code the same units: {len(a)} values against {len(b)}")
    coded = encode(pair, value_order=labels)
    both = (coded.codes >= 0).all(axis=0)
    if not both.any():
        raise AgreementUndefined("no unit was coded by both coders, so Cohen's kappa is undefined")
    k = len(coded.values)
    cells = np.bincount(coded.codes[0, both] * k + coded.codes[1, both], minlength=k * k)
    return cohen_kappa_from_table(cells.reshape(k, k), weights=weights)


def cohen_kappa_from_table(table: Any, *, weights: str | None = None) -> float:
    """Cohen's kappa from a two-coder contingency table (see :func:`cohen_kappa` for the formula).

    Parameters
    ----------
    table : array-like, shape (k, k)
        ``table[i, j]``: units coder A put in category ``i`` and coder B in ``j``, categories in
        order (weighted kappa measures distances in positions).
    weights : {None, "linear", "quadratic"}

    Examples
    --------
    >>> round(cohen_kappa_from_table([[88, 14, 18], [10, 40, 10], [2, 6, 12]]), 3)
    0.492
    """
    if weights not in KAPPA_WEIGHTS:
        raise AgreementInputError(f"unknown kappa weights {weights!r}; use None, 'linear' or 'quadratic'")
    observed = np.array(table, dtype=float)
    if observed.ndim != 2 or observed.shape[0] != observed.shape[1]:
        raise AgreementInputError(f"a contingency table must be square (k × k), got shape {observed.shape}")
    if (observed < 0).any():
        raise AgreementInputError("a contingency table must not hold negative counts")
    total = observed.sum()
    if total == 0:
        raise AgreementUndefined("no unit was coded by both coders, so Cohen's kappa is undefined")
    observed /= total
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    w = _disagreement_weights(observed.shape[0], weights)
    chance = float((w * expected).sum())
    if chance == 0:
        raise AgreementUndefined(
            "both coders used one and the same category for every unit: chance disagreement is zero, "
            "so Cohen's kappa is undefined"
        )
    return 1.0 - float((w * observed).sum()) / chance


def pairwise_cohen_kappa(
    data: Any, *, coders: Sequence | None = None, weights: str | None = None, labels: Sequence | None = None
) -> dict[tuple, float | None]:
    """Cohen's kappa for every pair of coders (rows of ``data``); ``None`` where undefined.

    Returns
    -------
    dict mapping ``(coder_a, coder_b)`` (in row order) to kappa or ``None``.
    """
    rows = _row_list(data)
    names = _coder_names(coders, len(rows))
    table: dict[tuple, float | None] = {}
    for i, j in combinations(range(len(rows)), 2):
        try:
            table[(names[i], names[j])] = cohen_kappa(rows[i], rows[j], weights=weights, labels=labels)
        except AgreementUndefined:
            table[(names[i], names[j])] = None
    return table


def fleiss_kappa_from_counts(table: Any, *, units_per_row: Any = None) -> float:
    """Fleiss' kappa from a units × categories table of how many coders chose each category.

    ``κ = (P̄ − P̄_e) / (1 − P̄_e)`` with ``P̄ = (1/N) Σ_i (Σ_j n_ij² − n) / (n (n − 1))`` and
    ``P̄_e = Σ_j p_j²``, ``p_j = Σ_i n_ij / (N n)``; every unit must have the same number
    ``n ≥ 2`` of ratings. ``units_per_row`` says how many identical units each row stands for
    (default one each).

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. *Psychological
    Bulletin* 76(5), 378–382.

    Examples
    --------
    Ten units, fourteen raters, five categories (a widely reproduced textbook table):

    >>> table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
    ...          [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
    ...          [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    >>> round(fleiss_kappa_from_counts(table), 3)
    0.21
    """
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2:
        raise AgreementInputError(f"the count table must be units × categories, got shape {counts.shape}")
    if (counts < 0).any() or not np.all(counts == np.round(counts)):
        raise AgreementInputError("the count table must hold non-negative whole numbers")
    if counts.shape[0] == 0:
        raise AgreementUndefined("there are no units, so Fleiss' kappa is undefined")
    raters = row_totals(counts)
    if not np.all(raters == raters[0]):
        unit = int(np.flatnonzero(raters != raters[0])[0])
        raise AgreementInputError(
            f"Fleiss' kappa needs the same number of ratings for every unit: unit {unit} has {raters[unit]:g}, "
            f"unit 0 has {raters[0]:g}. Krippendorff's alpha allows missing values."
        )
    n = raters[0]
    if n < 2:
        raise AgreementUndefined("Fleiss' kappa needs at least two ratings per unit")
    p_units = (row_totals(counts**2) - n) / (n * (n - 1))
    if units_per_row is None:
        p_bar = float(p_units.mean())
        shares = counts.sum(axis=0) / counts.sum()
    else:
        repeats = _repeats(units_per_row, counts)
        if not repeats.sum() > 0:
            raise AgreementUndefined("there are no units, so Fleiss' kappa is undefined")
        p_bar = float((repeats * p_units).sum() / repeats.sum())
        shares = (repeats @ counts) / (repeats @ raters)
    p_e = float((shares**2).sum())
    if p_e >= 1.0:
        raise AgreementUndefined("every rating is the same category: chance agreement is 1, Fleiss' kappa is undefined")
    return (p_bar - p_e) / (1.0 - p_e)


def fleiss_kappa(data: Any) -> float:
    """Fleiss' kappa for a coders × units matrix without missing values.

    See :func:`fleiss_kappa_from_counts` for the formula.

    Raises
    ------
    AgreementInputError
        A unit has missing values (Fleiss' kappa assumes every unit rated the same number of times).
    """
    coded = encode(data)
    if coded.n_coders < 2:
        raise AgreementUndefined(f"Fleiss' kappa needs at least two coders; the data have {coded.n_coders}")
    return fleiss_kappa_from_counts(coded.counts_by_unit())


def percent_agreement(data: Any) -> float:
    """Observed agreement as a proportion (0–1): the share of agreeing coder pairs per unit, averaged.

    ``p_a = (1/N') Σ_u Σ_k r_uk (r_uk − 1) / (r_u (r_u − 1))`` over the ``N'`` units with
    ``r_u ≥ 2`` values; for two coders, the proportion of units both coded alike.
    Not chance-corrected, so not a reliability coefficient on its own.

    Examples
    --------
    >>> percent_agreement([["a", "a", "b", None], ["a", "b", "b", "b"]])
    0.6666666666666666
    """
    coded = encode(data)
    return _pair_agreement(coded.counts_by_unit())


def percent_agreement_from_counts(table: Any, *, units_per_row: Any = None) -> float:
    """:func:`percent_agreement` from a units × categories table of how many coders chose each category.

    ``units_per_row`` says how many identical units each row stands for (default one each).

    Examples
    --------
    >>> percent_agreement_from_counts([[2, 0], [1, 1], [0, 2]])
    0.6666666666666666
    >>> percent_agreement_from_counts([[2, 0], [1, 1]], units_per_row=[3, 1])
    0.75
    """
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2:
        raise AgreementInputError(f"the count table must be units × categories, got shape {counts.shape}")
    return _pair_agreement(counts, None if units_per_row is None else _repeats(units_per_row, counts))


def brennan_prediger_kappa(data: Any, *, categories: Sequence | None = None) -> float:
    """Brennan–Prediger kappa: chance agreement fixed at ``1/q`` for ``q`` categories.

    ``κ_BP = (p_a − 1/q) / (1 − 1/q)``, ``p_a`` as in :func:`percent_agreement`.

    Parameters
    ----------
    data : coders × units, missing values allowed
    categories : sequence, optional
        All categories coders could choose (the codebook's). Default: the values that occur,
        which overstates chance agreement when some category was never used.

    References
    ----------
    Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: some uses, misuses, and
    alternatives. *Educational and Psychological Measurement* 41(3), 687–699.

    Examples
    --------
    Brennan & Prediger (1981, p. 689), proportions × 100; three categories:

    >>> a = [1] * 50 + [2] * 30 + [3] * 20
    >>> b = [1] * 50 + [1] * 10 + [2] * 10 + [3] * 10 + [1] * 20
    >>> round(brennan_prediger_kappa([a, b]), 2)
    0.4
    """
    coded = encode(data, value_order=categories)
    q = len(coded.values)
    if q < 2:
        raise AgreementUndefined("Brennan–Prediger kappa needs at least two categories; pass categories=[...]")
    p_a = _pair_agreement(coded.counts_by_unit())
    return (p_a - 1.0 / q) / (1.0 - 1.0 / q)


def gwet_ac1(data: Any, *, categories: Sequence | None = None) -> float:
    """Gwet's AC1 for any number of coders, with missing values.

    ``AC1 = (p_a − p_e) / (1 − p_e)``, ``p_a`` as in :func:`percent_agreement`,
    ``p_e = (1/(q − 1)) Σ_k π_k (1 − π_k)`` with ``π_k = (1/N) Σ_u r_uk / r_u`` over the ``N``
    units that have at least one value, and ``q`` the number of categories.

    Parameters
    ----------
    data : coders × units, missing values allowed
    categories : sequence, optional
        All categories coders could choose; default: the values that occur.

    References
    ----------
    Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of
    high agreement. *British Journal of Mathematical and Statistical Psychology* 61(1), 29–48.

    Examples
    --------
    Cohen's (1960, p. 45) table, with Gwet's chance agreement ``p_e = .2925``:

    >>> table = {(1, 1): 88, (1, 2): 14, (1, 3): 18, (2, 1): 10, (2, 2): 40,
    ...          (2, 3): 10, (3, 1): 2, (3, 2): 6, (3, 3): 12}
    >>> a = [i for (i, j), n in table.items() for _ in range(n)]
    >>> b = [j for (i, j), n in table.items() for _ in range(n)]
    >>> round(gwet_ac1([a, b]), 3)
    0.576
    """
    coded = encode(data, value_order=categories)
    q = len(coded.values)
    if q < 2:
        raise AgreementUndefined("Gwet's AC1 needs at least two categories; pass categories=[...]")
    counts = coded.counts_by_unit()
    p_a = _pair_agreement(counts)
    r = row_totals(counts)
    rated = r >= 1
    pi = (counts[rated] / r[rated, None]).mean(axis=0)
    p_e = float((pi * (1.0 - pi)).sum() / (q - 1))
    return (p_a - p_e) / (1.0 - p_e)


def _pair_agreement(counts: np.ndarray, repeats: np.ndarray | None = None) -> float:
    r = row_totals(counts)
    pairable = r >= 2
    if not pairable.any():
        raise AgreementUndefined("no unit was coded by two or more coders, so there is no agreement to measure")
    c, rp = (counts, r) if pairable.all() else (counts[pairable], r[pairable])
    per_unit = row_totals(c * (c - 1)) / (rp * (rp - 1))
    if repeats is None:
        return float(per_unit.mean())
    kept = repeats[pairable]
    if not kept.sum() > 0:
        raise AgreementUndefined("no unit was coded by two or more coders, so there is no agreement to measure")
    return float((kept * per_unit).sum() / kept.sum())


def _repeats(units_per_row: Any, counts: np.ndarray) -> np.ndarray:
    repeats = np.asarray(units_per_row, dtype=float).reshape(-1)
    if len(repeats) != counts.shape[0] or (repeats < 0).any():
        raise AgreementInputError(
            f"units_per_row must give a count >= 0 for each of the {counts.shape[0]} rows, got {len(repeats)}"
        )
    return repeats


def _disagreement_weights(k: int, weights: str | None) -> np.ndarray:
    idx = np.arange(k, dtype=float)
    gap = np.abs(idx[:, None] - idx[None, :])
    if weights is None:
        return (gap > 0).astype(float)
    if weights == "linear":
        return gap
    return gap**2


def _row_list(data: Any) -> list:
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise AgreementInputError(f"reliability data must be a 2-D coders × units matrix, got shape {data.shape}")
        return list(data) if data.dtype.kind in "biuf" else [list(r) for r in data]
    return [list(r) for r in data]


def _numeric_array(values: Any) -> bool:
    return isinstance(values, np.ndarray) and values.dtype.kind in "biuf"


def _coder_names(coders: Sequence | None, n: int) -> list:
    if coders is None:
        return list(range(n))
    names = list(coders)
    if len(names) != n:
        raise AgreementInputError(f"{len(names)} coder names given for {n} rows of data")
    return names

