"""Reliability of unitizing: Krippendorff's alpha-u over spans on a continuum of text.

Two coefficients, each per category:

* :func:`unitized_alpha` — Krippendorff's (1995, 2004) alpha-u: disagreement is the squared
  length of the non-matching stretches between any two coders' units, against the
  disagreement expected when the same units were placed at random. This is the coefficient
  DKPro Statistics implements as ``KrippendorffAlphaUnitizingAgreement`` and reproduces its
  published examples.
* :func:`binary_unitized_alpha` — the "|u-alpha" of Krippendorff, Mathet, Bouvry & Widlöcher
  (2016) on the continuum reduced to *in category c* / *not in c*: coincidences are lengths of
  intersections; units count as indivisible blocks, stretches outside units as single
  positions.

Several documents form one continuum, laid end to end, of length ``L = Σ_d L_d``. A
document boundary always ends a stretch outside units, so no "gap" runs from the end of one
document into the next, and the order of documents never changes a result.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement.errors import AgreementInputError, AgreementUndefined
from annotator.agreement.spans import SpanDocument, SpanTable, span_table

_CHUNK_ELEMENTS = 2_000_000  # bound on the temporary arrays of the weighted expected disagreement


@dataclass(frozen=True)
class _CoderUnits:
    start: np.ndarray
    end: np.ndarray
    doc: np.ndarray

    @property
    def length(self) -> np.ndarray:
        return self.end - self.start


def _overlap_pairs(a: _CoderUnits, b: _CoderUnits) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i, j) of all pairs of a unit of ``a`` and a unit of ``b`` that share a position.

    Both coders' units are sorted and do not overlap among themselves, so their ends are
    sorted too and the partners of each unit of ``a`` form one run of ``b``.
    """
    first = np.searchsorted(b.end, a.start, side="right")  # first unit of b ending after a starts
    stop = np.searchsorted(b.start, a.end, side="left")  # first unit of b starting at/after a ends
    count = np.maximum(stop - first, 0)
    ia = np.repeat(np.arange(len(a.start)), count)
    run_start = np.cumsum(count) - count
    jb = np.repeat(first, count) + (np.arange(int(count.sum())) - np.repeat(run_start, count))
    return ia, jb


def _gaps(units: _CoderUnits, table: SpanTable) -> tuple[np.ndarray, np.ndarray]:
    """Lengths and documents of the stretches outside one coder's units (never crossing documents)."""
    docs = np.arange(table.n_docs)
    ends_of_docs = table.doc_offsets + table.doc_lengths
    s = np.concatenate((units.start, table.doc_offsets, ends_of_docs))
    e = np.concatenate((units.end, table.doc_offsets, ends_of_docs))
    d = np.concatenate((units.doc, docs, docs))
    # where one document ends and the next begins, the end must sort first so that every
    # stretch between neighbours lies within one document
    kind = np.concatenate((np.full(len(units.start), 2), np.ones(table.n_docs), np.zeros(table.n_docs)))
    order = np.lexsort((kind, e, s))
    s, e, d = s[order], e[order], d[order]
    length = s[1:] - e[:-1]
    keep = length > 0
    return length[keep], d[:-1][keep]


def _category_units(table: SpanTable, category_index: int | None) -> list[_CoderUnits]:
    return [_CoderUnits(*table.units(i, category_index)) for i in range(len(table.coders))]


@dataclass(frozen=True)
class _AlphaUStats:
    """Alpha-u's ingredients for one category, each a sum over documents (so it can be reweighted).

    The term that pairs every unit with every gap long enough to hold it is kept per distinct
    unit length ``λ``: how much each document's units of that length weigh (``Σ l²``) and how
    much room each document's gaps offer them (``Σ_{l_h ≥ λ} (l_h − λ + 1)``). A reweighting of
    the documents then costs two matrix products instead of a pass over all units and gaps.
    """

    n_coders: int
    doc_lengths: np.ndarray
    observed: np.ndarray  # per document: Σ over ordered coder pairs of δ² between their sections
    n_units: np.ndarray  # per document: units of all coders
    cubic: np.ndarray  # per document: Σ (2l³ − 3l² + l) over units
    within: np.ndarray  # per document: Σ l(l − 1) over units
    unit_lengths: np.ndarray  # the distinct unit lengths λ, ascending
    unit_doc: np.ndarray
    unit_kind: np.ndarray  # index of each unit's length in unit_lengths
    gap_length: np.ndarray
    gap_doc: np.ndarray
    gap_holds: np.ndarray  # how many of the distinct unit lengths fit into each gap

    @classmethod
    def build(cls, table: SpanTable, category_index: int) -> _AlphaUStats:
        coders = _category_units(table, category_index)
        n_docs = table.n_docs
        observed = np.zeros(n_docs)
        for i in range(len(coders)):
            for j in range(i + 1, len(coders)):
                a, b = coders[i], coders[j]
                ia, jb = _overlap_pairs(a, b)
                # two overlapping units: squared differences of their beginnings and of their ends
                both = (a.start[ia] - b.start[jb]).astype(float) ** 2 + (a.end[ia] - b.end[jb]).astype(float) ** 2
                observed += np.bincount(a.doc[ia], weights=both, minlength=n_docs)
                # a unit sharing no position with the other coder's units lies inside one of their gaps
                for units, partners in ((a, ia), (b, jb)):
                    alone = np.bincount(partners, minlength=len(units.start)) == 0
                    observed += np.bincount(
                        units.doc[alone], weights=units.length[alone].astype(float) ** 2, minlength=n_docs
                    )
        observed *= 2.0  # every pair of coders in both orders
        length = np.concatenate([c.length for c in coders]).astype(float)
        unit_doc = np.concatenate([c.doc for c in coders])
        gaps = [_gaps(c, table) for c in coders]
        gap_length = np.concatenate([g[0] for g in gaps]).astype(float)
        unit_lengths, unit_kind = np.unique(length, return_inverse=True)
        return cls(
            n_coders=len(coders),
            doc_lengths=table.doc_lengths.astype(float),
            observed=observed,
            n_units=np.bincount(unit_doc, minlength=n_docs).astype(float),
            cubic=np.bincount(unit_doc, weights=2 * length**3 - 3 * length**2 + length, minlength=n_docs),
            within=np.bincount(unit_doc, weights=length * (length - 1), minlength=n_docs),
            unit_lengths=unit_lengths,
            unit_doc=unit_doc,
            unit_kind=unit_kind.reshape(-1),
            gap_length=gap_length,
            gap_doc=np.concatenate([g[1] for g in gaps]),
            gap_holds=np.searchsorted(unit_lengths, gap_length, side="right"),
        )

    def disagreements(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Observed and expected disagreement for each row of document weights (shape (B, D))."""
        m = self.n_coders
        # one product for all the sums over documents (whole numbers, so exact in any order)
        per_document = np.column_stack((self.doc_lengths, self.n_units, self.observed, self.cubic, self.within))
        length, n_units, differences, cubic, within = (weights @ per_document).T
        with np.errstate(divide="ignore", invalid="ignore"):
            observed = differences / (m * (m - 1) * length**2)
            placed = (n_units - 1) / 3.0 * cubic + self._units_in_gaps(weights)
            pairs = m * length * (m * length - 1) - within
            expected = 2.0 / length * placed / pairs
        return observed, expected

    def _units_in_gaps(self, weights: np.ndarray) -> np.ndarray:
        """``Σ_units l² Σ_{gaps h, l_h ≥ l} (l_h − l + 1)`` with units and gaps weighted by their document.

        For each distinct unit length ``λ_k`` (a column), ``squares[d, k]`` sums ``l²`` over the
        units of document ``d`` with that length and ``room[d, k]`` sums ``l_h − λ_k + 1`` over
        the gaps of document ``d`` that hold it; the term is then
        ``Σ_k (w · squares[:, k]) (w · room[:, k])`` for document weights ``w``. Columns are
        taken a block at a time to bound the memory.
        """
        total = np.zeros(weights.shape[0])
        n_docs, n_lengths = len(self.doc_lengths), len(self.unit_lengths)
        if len(self.gap_length) == 0:
            return total
        step = max(1, _CHUNK_ELEMENTS // max(1, n_docs))
        for first in range(0, n_lengths, step):
            last = min(n_lengths, first + step)
            width = last - first
            mine = (self.unit_kind >= first) & (self.unit_kind < last)
            kind = self.unit_kind[mine]
            squares = np.bincount(
                self.unit_doc[mine] * width + (kind - first), weights=self.unit_lengths[kind] ** 2,
                minlength=n_docs * width,
            ).reshape(n_docs, width)  # fmt: skip
            # a gap holding the lengths first .. first + k − 1 of this block counts in columns 0 .. k − 1
            holding = self.gap_holds > first
            k = np.minimum(self.gap_holds[holding], last) - first
            cell = self.gap_doc[holding] * (width + 1) + k
            count = np.bincount(cell, minlength=n_docs * (width + 1)).reshape(n_docs, width + 1)
            room = np.bincount(cell, weights=self.gap_length[holding], minlength=n_docs * (width + 1))
            room = _suffix_sums(room.reshape(n_docs, width + 1).astype(float))[:, 1:]  # float even when empty
            room -= (self.unit_lengths[first:last] - 1.0) * _suffix_sums(count.astype(float))[:, 1:]
            both = weights @ np.hstack((squares, room))
            total += (both[:, :width] * both[:, width:]).sum(axis=1)
        return total


def _suffix_sums(x: np.ndarray) -> np.ndarray:
    """``out[:, i] = Σ_{j ≥ i} x[:, j]``."""
    return np.cumsum(x[:, ::-1], axis=1)[:, ::-1]


@dataclass(frozen=True)
class _BinaryStats:
    """|u-alpha's ingredients for one category (or all), each a sum over documents."""

    n_coders: int
    doc_lengths: np.ndarray
    marked: np.ndarray  # per document: Σ over coders of the length inside units
    shared: np.ndarray  # per document: Σ over ordered coder pairs of the length both marked
    blocks: np.ndarray  # per document: Σ over units of l²

    @classmethod
    def build(cls, table: SpanTable, category_index: int | None) -> _BinaryStats:
        coders = _category_units(table, category_index)
        n_docs = table.n_docs
        shared = np.zeros(n_docs)
        for i in range(len(coders)):
            for j in range(i + 1, len(coders)):
                a, b = coders[i], coders[j]
                ia, jb = _overlap_pairs(a, b)
                both = np.minimum(a.end[ia], b.end[jb]) - np.maximum(a.start[ia], b.start[jb])
                shared += 2.0 * np.bincount(a.doc[ia], weights=both.astype(float), minlength=n_docs)
        length = np.concatenate([c.length for c in coders]).astype(float)
        doc = np.concatenate([c.doc for c in coders])
        return cls(
            n_coders=len(coders),
            doc_lengths=table.doc_lengths.astype(float),
            marked=np.bincount(doc, weights=length, minlength=n_docs),
            shared=shared,
            blocks=np.bincount(doc, weights=length**2, minlength=n_docs),
        )

    def disagreements(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Observed and expected off-diagonal coincidences ``o_c∅`` and ``e_c∅`` per weight row."""
        m = self.n_coders
        per_document = np.column_stack((self.doc_lengths, self.marked, self.shared, self.blocks))
        length, marked, shared, blocks = (weights @ per_document).T
        n = m * length
        unmarked = n - marked
        observed = marked - shared / (m - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = n * marked * unmarked / (n**2 - blocks - unmarked)
        return observed, expected


def _checked_table(documents: Sequence[SpanDocument]) -> SpanTable:
    table = span_table(documents)
    if len(table.coders) < 2:
        raise AgreementUndefined(
            f"unitizing alpha compares coders; the documents list {len(table.coders)} coder(s), it needs at least two"
        )
    if table.total_length == 0:
        raise AgreementUndefined("the documents have no text (total length 0), so there is nothing to compare")
    if len(table.start) == 0:
        raise AgreementUndefined("no coder marked any span, so unitizing alpha is undefined")
    return table


def _category_or_raise(table: SpanTable, category: Hashable) -> int:
    try:
        return table.category_index(category)
    except KeyError:
        raise AgreementUndefined(
            f"no coder marked a span of category {category!r}, so its alpha is undefined"
        ) from None


def _alpha_from(observed: float, expected: float, what: str) -> float:
    if not expected > 0:
        raise AgreementUndefined(
            f"{what}: the expected disagreement is zero (the units leave no room for chance variation), "
            "so alpha is undefined"
        )
    return 1.0 - observed / expected


@dataclass(frozen=True)
class UnitizedAlphaDetails:
    """Observed and expected disagreement of alpha-u for every category.

    Attributes
    ----------
    categories : tuple
    observed, expected : dict mapping category -> float
        ``uD_o`` and ``uD_e`` of each category.
    """

    categories: tuple
    observed: dict
    expected: dict

    def alpha(self, category: Hashable | None = None) -> float:
        """Alpha-u of one category, or over all categories (``1 − Σ_c uD_o / Σ_c uD_e``)."""
        if category is None:
            return _alpha_from(sum(self.observed.values()), sum(self.expected.values()), "all categories")
        if category not in self.observed:
            raise AgreementUndefined(f"no coder marked a span of category {category!r}, so its alpha is undefined")
        return _alpha_from(self.observed[category], self.expected[category], f"category {category!r}")

    def by_category(self) -> dict:
        """Alpha-u per category, ``None`` where undefined."""
        table = {}
        for category in self.categories:
            try:
                table[category] = self.alpha(category)
            except AgreementUndefined:
                table[category] = None
        return table


def document_weighted_disagreements(
    documents: Sequence[SpanDocument],
    weights: np.ndarray,
    category: Hashable | None = None,
    *,
    binary: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected disagreement when document ``d`` counts ``weights[b, d]`` times.

    Each row ``b`` of ``weights`` (shape (n_rows, n_documents)) is one reweighting of the
    documents, e.g. how often each was drawn in one bootstrap resample; alpha for that row is
    ``1 − observed[b] / expected[b]``. A row of ones gives :func:`unitized_alpha` (or, with
    ``binary=True``, :func:`binary_unitized_alpha`, whose "disagreements" are the coincidences
    ``o_c∅`` and ``e_c∅``). With ``category=None`` alpha-u's disagreements are summed over
    categories, while the binary variant takes any span as a unit.
    """
    table = _checked_table(documents)
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    if weights.shape[1] != table.n_docs:
        raise AgreementInputError(f"weights have {weights.shape[1]} columns for {table.n_docs} documents")
    index = None if category is None else _category_or_raise(table, category)
    if binary:
        return _BinaryStats.build(table, index).disagreements(weights)
    indices = range(len(table.categories)) if index is None else [index]
    observed = np.zeros(weights.shape[0])
    expected = np.zeros(weights.shape[0])
    for i in indices:
        o, e = _AlphaUStats.build(table, i).disagreements(weights)
        observed += o
        expected += e
    return observed, expected


def unitized_alpha_details(documents: Sequence[SpanDocument]) -> UnitizedAlphaDetails:
    """Alpha-u's observed and expected disagreement for every category (see :func:`unitized_alpha`)."""
    table = _checked_table(documents)
    ones = np.ones((1, table.n_docs))
    observed, expected = {}, {}
    for index, category in enumerate(table.categories):
        o, e = _AlphaUStats.build(table, index).disagreements(ones)
        observed[category], expected[category] = float(o[0]), float(e[0])
    return UnitizedAlphaDetails(categories=table.categories, observed=observed, expected=expected)


def unitized_alpha(documents: Sequence[SpanDocument], category: Hashable | None = None) -> float:
    """Krippendorff's alpha-u for span annotations, for one category or over all of them.

    For a category ``c``, each coder's continuum of length ``L`` is cut into sections: the
    coder's units of ``c`` (``w = 1``) and the gaps between them (``w = 0``), each with a
    beginning ``b`` and length ``l``. Between a section ``g`` of coder ``i`` and a section ``h``
    of coder ``j`` the distance is

    * ``(b_g − b_h)² + (b_g + l_g − b_h − l_h)²`` if both are units and they overlap,
    * ``l_g²`` if ``g`` is a unit lying inside the gap ``h`` (and ``l_h²`` the other way round),
    * ``0`` otherwise (gap against gap, a unit only partly inside a gap, sections apart).

    With ``m`` coders and ``N_c`` units of ``c`` among all coders,

    ``uD_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(g, h) / (m (m − 1) L²)``

    ``uD_e = (2/L) Σ_units [ (N_c − 1)/3 · (2l³ − 3l² + l) + l² Σ_{gaps h, l_h ≥ l} (l_h − l + 1) ]
    / (mL (mL − 1) − Σ_units l (l − 1))``

    and ``uα_c = 1 − uD_o / uD_e``; over all categories ``uα = 1 − Σ_c uD_o / Σ_c uD_e``.
    A coder's overlapping spans of one category are merged into their union first (alpha-u
    assumes they do not overlap); spans of different categories may overlap freely.

    Parameters
    ----------
    documents : sequence of SpanDocument
        Every document lists the same coders; all are laid end to end as one continuum.
    category : hashable, optional
        The category to assess; ``None`` for alpha-u over all categories.

    Raises
    ------
    AgreementUndefined
        Fewer than two coders, no text, no spans (of this category), or zero expected
        disagreement.
    AgreementInputError
        A span outside its document, documents listing different coders.

    References
    ----------
    Krippendorff, K. (1995). On the reliability of unitizing continuous data. *Sociological
    Methodology* 25, 47–76. Krippendorff, K. (2004). *Content Analysis: An Introduction to Its
    Methodology*, 2nd ed., section 12.4. Thousand Oaks, CA: Sage.

    Examples
    --------
    Krippendorff's (2004, p. 254) example, shifted to begin at 0: two coders, categories
    ``c`` and ``k`` on a continuum of 300.

    >>> doc = SpanDocument(300, {
    ...     "i": [(75, 145, "c"), (220, 250, "c"), (30, 90, "k"), (150, 200, "k")],
    ...     "j": [(70, 150, "c"), (205, 225, "c"), (250, 270, "c"), (30, 90, "k"), (150, 200, "k")],
    ... })
    >>> round(unitized_alpha([doc], "c"), 4), unitized_alpha([doc], "k")
    (0.7286, 1.0)
    >>> round(unitized_alpha([doc]), 3)
    0.859
    """
    documents = list(documents)
    observed, expected = document_weighted_disagreements(documents, np.ones((1, len(documents))), category)
    what = "all categories" if category is None else f"category {category!r}"
    return _alpha_from(float(observed[0]), float(expected[0]), what)


def binary_unitized_alpha(documents: Sequence[SpanDocument], category: Hashable | None = None) -> float:
    """Alpha for telling category ``c`` apart from the rest of the text (|u-alpha on a c / not-c continuum).

    Each coder's continuum is reduced to two values: inside one of the coder's units of ``c``,
    or not (``∅``); with ``category=None``, inside any unit. Coincidences are lengths of
    intersections, summed over ordered pairs of coders ``i ≠ j``:

    ``o_c∅ = Σ_i Σ_{j≠i} |U_i ∩ G_j| / (m − 1)``, where ``U_i`` are coder ``i``'s units and
    ``G_j`` the rest of coder ``j``'s continuum. With ``n = mL`` values in all,
    ``n_c = Σ_i |U_i|`` and ``n_∅ = n − n_c``, the expected coincidence treats each unit as one
    indivisible block and every position outside units as a block of its own:

    ``e_c∅ = n · n_c · n_∅ / (n² − Σ_units l² − n_∅)``,

    and ``α = 1 − o_c∅ / e_c∅``. When every unit has length 1 this is Krippendorff's nominal
    alpha over the positions (characters).

    This is the |u-alpha of Krippendorff, Mathet, Bouvry & Widlöcher (2016) applied to the
    category-c-versus-rest unitization, that is a category-wise binary unitizing alpha. Its
    observed disagreement depends only on which characters each coder marked, not on how they
    were cut into units (one unit against two adjacent ones covering the same text costs
    nothing), so it is more lenient than :func:`unitized_alpha` about units split or joined
    differently.

    Parameters
    ----------
    documents : sequence of SpanDocument
    category : hashable, optional
        ``None``: any span counts, regardless of category (relevant matter against the rest).

    References
    ----------
    Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the reliability of
    unitizing textual continua: Further developments. *Quality & Quantity* 50(6), 2347–2364.

    Examples
    --------
    Two coders on ten characters: ``cccc......`` and ``..cccc....``. Observed ``o_c∅ = 4``,
    ``n = 20``, ``n_c = 8``, ``e_c∅ = 20·8·12 / (400 − 32 − 12) = 1920/356``:

    >>> doc = SpanDocument(10, {"A": [(0, 4, "c")], "B": [(2, 6, "c")]})
    >>> round(binary_unitized_alpha([doc], "c"), 6)  # 1 − 4·356/1920
    0.258333
    """
    documents = list(documents)
    o, e = document_weighted_disagreements(documents, np.ones((1, len(documents))), category, binary=True)
    what = "all spans" if category is None else f"category {category!r}"
    if not e[0] > 0:
        raise AgreementUndefined(
            f"{what}: every coder marked all of the text or none of it, so there is no variation and alpha is undefined"
        )
    return 1.0 - float(o[0]) / float(e[0])
