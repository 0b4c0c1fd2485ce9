"""Where disagreement comes from: coders left out, coder-by-coder confusion, the costliest units.

All functions take reliability data as coders × units (rows are coders), like
:func:`annotator.agreement.alpha.krippendorff_alpha`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from annotator.agreement.alpha import alpha_details
from annotator.agreement.coding_data import MISSING_CODE, encode
from annotator.agreement.errors import AgreementInputError, AgreementUndefined


def alpha_without_each_coder(
    data: Any, level: str = "nominal", *, coders: Sequence[Hashable] | None = None, value_order: Sequence | None = None
) -> dict[Hashable, float | None]:
    """Krippendorff's alpha recomputed with each coder left out in turn.

    A coder whose removal raises alpha markedly disagrees with the others more than they do
    among themselves. ``None`` where alpha is undefined without that coder (e.g. only one
    coder would remain).

    Parameters
    ----------
    data : coders × units
    level, value_order
        As for :func:`annotator.agreement.alpha.krippendorff_alpha`.
    coders : sequence, optional
        Names of the rows; default ``0, 1, …``.

    Examples
    --------
    >>> data = [[1, 2, 3, 4], [1, 2, 3, 4], [4, 3, 2, 1]]
    >>> {k: round(v, 3) for k, v in alpha_without_each_coder(data, coders="ABC").items()}
    {'A': -0.167, 'B': -0.167, 'C': 1.0}
    """
    rows = _rows(data)
    names = _names(coders, len(rows))
    table: dict[Hashable, float | None] = {}
    for i, name in enumerate(names):
        rest = rows[:i] + rows[i + 1 :]
        try:
            table[name] = alpha_details(rest, level, value_order=value_order).alpha
        except AgreementUndefined:
            table[name] = None
    return table


@dataclass(frozen=True)
class ConfusionMatrix:
    """How often coder A's value (row) met coder B's value (column) on units both coded.

    Attributes
    ----------
    labels : tuple
    counts : ndarray of int, shape (n_labels, n_labels)
    """

    labels: tuple
    counts: np.ndarray

    @property
    def n_units(self) -> int:
        return int(self.counts.sum())

    @property
    def agreements(self) -> int:
        return int(np.trace(self.counts))


def confusion_matrix(coder_a: Sequence, coder_b: Sequence, *, labels: Sequence | None = None) -> ConfusionMatrix:
    """Cross-tabulate two coders' values over the units both coded.

    Examples
    --------
    >>> m = confusion_matrix(["x", "x", "y", None], ["x", "y", "y", "y"])
    >>> m.labels, m.counts.tolist()
    (('x', 'y'), [[1, 1], [0, 1]])
    """
    a, b = list(coder_a), list(coder_b)
    if len(a) != len(b):
        raise AgreementInputError(f"the two coders must code the same units: {len(a)} values against {len(b)}")
    coded = encode([a, b], value_order=labels)
    both = (coded.codes != MISSING_CODE).all(axis=0)
    k = len(coded.values)
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (coded.codes[0, both], coded.codes[1, both]), 1)
    return ConfusionMatrix(labels=coded.values, counts=counts)


def pairwise_confusion_matrices(
    data: Any, *, coders: Sequence[Hashable] | None = None, labels: Sequence | None = None
) -> dict[tuple, ConfusionMatrix]:
    """:func:`confusion_matrix` for every pair of coders, all over the same labels.

    For span categories, pass the token matrix of one category
    (:func:`annotator.agreement.tokens.token_matrix`) to get 2 × 2 tables of marked/unmarked.
    """
    rows = _rows(data)
    names = _names(coders, len(rows))
    if labels is None:
        labels = encode(rows).values
    return {
        (names[i], names[j]): confusion_matrix(rows[i], rows[j], labels=labels)
        for i, j in combinations(range(len(rows)), 2)
    }


@dataclass(frozen=True)
class Disagreement:
    """One unit on which coders differ.

    Attributes
    ----------
    unit : int
        Column index in the reliability data.
    values : dict mapping coder -> value
        The values given (coders without a value are left out).
    cost : float
        The unit's share of alpha's observed disagreement ``D_o``:
        ``Σ_{c,k} n_uc n_uk δ²_ck / ((m_u − 1) n)``. Summed over all units it equals ``D_o``,
        so ``α = 1 − Σ cost / D_e``.
    """

    unit: int
    values: dict
    cost: float


def disagreements(
    data: Any,
    level: str = "nominal",
    *,
    coders: Sequence[Hashable] | None = None,
    value_order: Sequence | None = None,
    include_agreements: bool = False,
) -> list[Disagreement]:
    """Units ordered by what they cost alpha, costliest first (ties: by unit index).

    Parameters
    ----------
    data : coders × units
    level, value_order
        As for :func:`annotator.agreement.alpha.krippendorff_alpha`; the level sets the
        distances, so under an ordinal or interval level a near miss costs less.
    coders : sequence, optional
        Names of the rows; default ``0, 1, …``.
    include_agreements : bool
        Also list pairable units that cost nothing.

    Examples
    --------
    >>> data = [[1, 1, 2, None], [1, 3, 2, 2], [1, 3, 1, 2]]
    >>> [(d.unit, d.values, round(d.cost, 3)) for d in disagreements(data, coders="ABC")]
    [(1, {'A': 1, 'B': 3, 'C': 3}, 0.182), (2, {'A': 2, 'B': 2, 'C': 1}, 0.182)]
    """
    rows = _rows(data)
    names = _names(coders, len(rows))
    details = alpha_details(rows, level, value_order=value_order)
    coded = encode(rows, value_order=value_order, numeric=level in ("interval", "ratio"))
    if details.n_pairable_values == 0:
        return []
    counts = coded.counts_by_unit()
    m_u = counts.sum(axis=1)
    pairable = np.flatnonzero(m_u >= 2)
    c = counts[pairable]
    cost = np.einsum("ui,ij,uj->u", c, details.distances, c) / ((m_u[pairable] - 1.0) * details.n_pairable_values)
    listed = []
    for unit, unit_cost in zip(pairable.tolist(), cost.tolist()):
        if unit_cost > 0 or include_agreements:
            codes = coded.codes[:, unit]
            values = {names[i]: coded.values[code] for i, code in enumerate(codes) if code != MISSING_CODE}
            listed.append(Disagreement(unit=unit, values=values, cost=unit_cost))
    listed.sort(key=lambda d: (-d.cost, d.unit))
    return listed


def _rows(data: Any) -> list[list]:
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise AgreementInputError(f"reliability data must be a 2-D coders × units matrix, got shape {data.shape}")
    elif isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
        raise AgreementInputError("reliability data must be a sequence of rows, one row of values per coder")
    return [list(row) for row in data]


def _names(coders: Sequence[Hashable] | None, n: int) -> list:
    if coders is None:
        return list(range(n))
    names = list(coders)
    if len(names) != n:
        raise AgreementInputError(f"{len(names)} coder names given for {n} rows of data")
    return names
