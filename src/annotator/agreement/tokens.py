"""Span annotations seen token by token, and span-level F1 between two coders.

Token-level agreement turns each coder's spans of a category into present/absent per token
and applies the coefficients for coded units (alpha, Cohen's and Fleiss' kappa) to that
matrix. It is easy to explain but treats neighbouring tokens as independent units, which
inflates agreement when most text is unmarked (Mathet, Widlöcher & Métivier 2015); report it next
to :func:`annotator.agreement.unitizing.unitized_alpha`, not instead of it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import chain, combinations

import numpy as np

from annotator.agreement.alpha import alpha_details_from_counts, krippendorff_alpha
from annotator.agreement.errors import AgreementInputError, AgreementUndefined
from annotator.agreement.kappa import (
    cohen_kappa_from_table,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    pairwise_cohen_kappa,
    percent_agreement,
    percent_agreement_from_counts,
)
from annotator.agreement.spans import SpanDocument, SpanTable, span_table

TOKEN_RULES = ("overlap", "inside")


def token_matrix(
    documents: Sequence[SpanDocument], category: Hashable | None, *, rule: str = "overlap"
) -> tuple[tuple, np.ndarray]:
    """Coders × tokens matrix of whether each coder marked each token with ``category``.

    Parameters
    ----------
    documents : sequence of SpanDocument
        Each with ``tokens``; the tokens of all documents are concatenated in order.
    category : hashable or None
        ``None``: a span of any category marks the token.
    rule : {"overlap", "inside"}
        ``"overlap"``: a token is marked when a span shares at least one character with it;
        ``"inside"``: only when the coder's spans cover the whole token.

    Returns
    -------
    coders : tuple
    matrix : ndarray of int (0/1), shape (n_coders, n_tokens)

    Examples
    --------
    >>> doc = SpanDocument(11, {"A": [(0, 5, "x")], "B": [(3, 11, "x")]},
    ...                    tokens=[(0, 5), (6, 11)])
    >>> coders, m = token_matrix([doc], "x")
    >>> m.tolist()
    [[1, 0], [1, 1]]
    >>> token_matrix([doc], "x", rule="inside")[1].tolist()
    [[1, 0], [0, 1]]
    """
    if rule not in TOKEN_RULES:
        raise AgreementInputError(f"unknown token rule {rule!r}; use 'overlap' or 'inside'")
    documents = list(documents)
    table = span_table(documents)
    tok_start, tok_end = _token_positions(documents, table)
    index = _category_index(table, category)
    matrix = np.zeros((len(table.coders), len(tok_start)), dtype=np.int64)
    if index == -1:  # a category nobody used: every token unmarked
        return table.coders, matrix
    in_order = bool((np.diff(tok_start) >= 0).all() and (np.diff(tok_end) >= 0).all())
    for i in range(len(table.coders)):
        start, end, _ = table.units(i, index, join_touching=True)
        if in_order:
            matrix[i] = _marked_runs(start, end, tok_start, tok_end, rule)
        elif rule == "overlap":
            # units are disjoint and sorted: count those starting before the token ends
            # minus those ending before (or where) it starts
            hit = np.searchsorted(start, tok_end, side="left") - np.searchsorted(end, tok_start, side="right")
            matrix[i] = hit > 0
        else:
            k = np.searchsorted(start, tok_start, side="right") - 1
            inside = k >= 0
            inside[inside] = end[k[inside]] >= tok_end[inside]
            matrix[i] = inside
    return table.coders, matrix


def _marked_runs(
    start: np.ndarray, end: np.ndarray, tok_start: np.ndarray, tok_end: np.ndarray, rule: str
) -> np.ndarray:
    """Tokens one coder's units mark, for tokens whose starts and ends both ascend (as a tokenizer
    gives them): each unit marks a run of tokens, found by bisecting the tokens once per unit."""
    if rule == "overlap":  # the tokens ending after the unit starts and starting before it ends
        first = np.searchsorted(tok_end, start, side="right")
        stop = np.searchsorted(tok_start, end, side="left")
    else:  # the tokens starting at or after the unit's start and ending at or before its end
        first = np.searchsorted(tok_start, start, side="left")
        stop = np.searchsorted(tok_end, end, side="right")
    runs = stop > first
    n = len(tok_start)
    depth = np.bincount(first[runs], minlength=n + 1) - np.bincount(stop[runs], minlength=n + 1)
    return np.cumsum(depth[:n]) > 0


@dataclass(frozen=True)
class TokenAgreement:
    """Token-level agreement on one category; ``None`` where a coefficient is undefined.

    Attributes
    ----------
    category : hashable or None
    n_tokens : int
    alpha : float or None
        Krippendorff's nominal alpha over tokens.
    fleiss_kappa : float or None
    cohen_kappa : dict mapping (coder_a, coder_b) -> float or None
    reasons : dict mapping the name of an undefined coefficient -> why
    percent_agreement : float or None
        Share of agreeing coder pairs per token (not chance-corrected).
    """

    category: Hashable | None
    n_tokens: int
    alpha: float | None
    fleiss_kappa: float | None
    cohen_kappa: dict
    reasons: dict
    percent_agreement: float | None = None


def token_agreement(
    documents: Sequence[SpanDocument], category: Hashable | None, *, rule: str = "overlap"
) -> TokenAgreement:
    """Nominal alpha, Fleiss' kappa, pairwise Cohen's kappa and percent agreement on :func:`token_matrix`.

    The values equal :func:`~annotator.agreement.alpha.krippendorff_alpha`,
    :func:`~annotator.agreement.kappa.fleiss_kappa`,
    :func:`~annotator.agreement.kappa.pairwise_cohen_kappa` and
    :func:`~annotator.agreement.kappa.percent_agreement` of the matrix. Every coder has a value
    for every token, marked or not, so with two or more coders they are computed from how many
    tokens 0, 1, …, m coders marked and from the coders' 2 × 2 tables of marked/unmarked tokens.

    Examples
    --------
    >>> doc = SpanDocument(11, {"A": [(0, 5, "x")], "B": [(3, 11, "x")]}, tokens=[(0, 5), (6, 11)])
    >>> result = token_agreement([doc], "x")
    >>> result.percent_agreement, result.cohen_kappa
    (0.5, {('A', 'B'): 0.0})
    """
    coders, matrix = token_matrix(documents, category, rule=rule)
    reasons: dict[str, str] = {}
    results: dict[str, float | None] = {}
    if len(coders) < 2:
        computations: dict[str, Callable[[], float]] = {
            "alpha": lambda: krippendorff_alpha(matrix),
            "fleiss_kappa": lambda: fleiss_kappa(matrix),
            "percent_agreement": lambda: percent_agreement(matrix),
        }
        kappas = pairwise_cohen_kappa(matrix, coders=coders)
    else:
        # tokens marked by the same number of coders are alike: one row each, with how many there are
        tokens = np.bincount(matrix.sum(axis=0), minlength=len(coders) + 1)
        marked = np.flatnonzero(tokens)
        counts = np.column_stack((len(coders) - marked, marked)).astype(float)
        computations = {
            "alpha": lambda: alpha_details_from_counts(counts, (0, 1), units_per_row=tokens[marked]).alpha,
            "fleiss_kappa": lambda: fleiss_kappa_from_counts(counts, units_per_row=tokens[marked]),
            "percent_agreement": lambda: percent_agreement_from_counts(counts, units_per_row=tokens[marked]),
        }
        kappas = _pairwise_binary_kappa(coders, matrix)
    for name, compute in computations.items():
        try:
            results[name] = compute()
        except AgreementUndefined as undefined:
            results[name] = None
            reasons[name] = str(undefined)
    return TokenAgreement(
        category=category,
        n_tokens=matrix.shape[1],
        alpha=results["alpha"],
        fleiss_kappa=results["fleiss_kappa"],
        cohen_kappa=kappas,
        reasons=reasons,
        percent_agreement=results["percent_agreement"],
    )


def _pairwise_binary_kappa(coders: tuple, matrix: np.ndarray) -> dict[tuple, float | None]:
    """Cohen's kappa for every pair of rows of a 0/1 matrix, from the tokens each pair both marked."""
    marks = matrix.astype(bool)
    n = matrix.shape[1]
    table: dict[tuple, float | None] = {}
    for i, j in combinations(range(len(coders)), 2):
        a, b = np.count_nonzero(marks[i]), np.count_nonzero(marks[j])
        ab = np.count_nonzero(marks[i] & marks[j])
        cells = [[n - a - b + ab, b - ab], [a - ab, ab]]  # rows: coder i unmarked/marked
        try:
            table[(coders[i], coders[j])] = cohen_kappa_from_table(cells)
        except AgreementUndefined:
            table[(coders[i], coders[j])] = None
    return table


@dataclass(frozen=True)
class SpanF1:
    """Matched spans between coder A (taken as reference) and coder B.

    ``precision = matched / n_b``, ``recall = matched / n_a`` and
    ``f1 = 2 · matched / (n_a + n_b)`` (symmetric in A and B). Each raises
    :class:`AgreementUndefined` when its denominator is zero.
    """

    matched: int
    n_a: int
    n_b: int

    @property
    def precision(self) -> float:
        if self.n_b == 0:
            raise AgreementUndefined("coder B marked no spans, so precision is undefined")
        return self.matched / self.n_b

    @property
    def recall(self) -> float:
        if self.n_a == 0:
            raise AgreementUndefined("coder A marked no spans, so recall is undefined")
        return self.matched / self.n_a

    @property
    def f1(self) -> float:
        if self.n_a + self.n_b == 0:
            raise AgreementUndefined("neither coder marked a span, so F1 is undefined")
        return 2 * self.matched / (self.n_a + self.n_b)


def span_f1(
    documents: Sequence[SpanDocument],
    coder_a: Hashable,
    coder_b: Hashable,
    *,
    match: str = "exact",
    category: Hashable | None = None,
) -> SpanF1:
    """Span-level F1 between two coders, summed over documents (micro-average).

    Parameters
    ----------
    match : {"exact", "overlap"}
        ``"exact"``: same start, end and category. ``"overlap"``: same category and at least
        one shared character; spans are paired one to one, greedily, the pair sharing the most
        characters first (ties: earlier spans first).
    category : hashable, optional
        Count only spans of this category; default all.

    Examples
    --------
    >>> doc = SpanDocument(20, {"A": [(0, 4, "x"), (10, 15, "x")],
    ...                         "B": [(0, 4, "x"), (12, 18, "x"), (5, 6, "y")]})
    >>> span_f1([doc], "A", "B").f1
    0.4
    >>> span_f1([doc], "A", "B", match="overlap").f1
    0.8
    """
    _check_match(match)
    table = span_table(list(documents))
    for coder in (coder_a, coder_b):
        if coder not in table.coders:
            raise AgreementInputError(f"coder {coder!r} is not among the documents' coders {list(table.coders)}")
    return _span_f1(table, table.coders.index(coder_a), table.coders.index(coder_b), match, category)


def pairwise_span_f1(
    documents: Sequence[SpanDocument], *, match: str = "exact", category: Hashable | None = None
) -> dict[tuple, SpanF1]:
    """:func:`span_f1` for every pair of coders, keyed ``(coder_a, coder_b)`` in the documents' coder order.

    Examples
    --------
    >>> doc = SpanDocument(20, {"A": [(0, 4, "x")], "B": [(0, 4, "x")], "C": [(1, 4, "x")]})
    >>> {pair: f.f1 for pair, f in pairwise_span_f1([doc]).items()}
    {('A', 'B'): 1.0, ('A', 'C'): 0.0, ('B', 'C'): 0.0}
    """
    _check_match(match)
    table = span_table(list(documents))
    return {
        (table.coders[i], table.coders[j]): _span_f1(table, i, j, match, category)
        for i, j in combinations(range(len(table.coders)), 2)
    }


def _check_match(match: str) -> None:
    if match not in ("exact", "overlap"):
        raise AgreementInputError(f"unknown span match {match!r}; use 'exact' or 'overlap'")


def _span_f1(table: SpanTable, coder_a: int, coder_b: int, match: str, category: Hashable | None) -> SpanF1:
    a = _spans_of(table, coder_a, category)
    b = _spans_of(table, coder_b, category)
    matched = _exact_matches(a, b) if match == "exact" else _overlap_matches(a, b, table.doc_offsets)
    return SpanF1(matched=matched, n_a=len(a), n_b=len(b))


def _spans_of(table: SpanTable, coder: int, category: Hashable | None) -> np.ndarray:
    """One coder's spans as rows ``(document, category, start, end)``, in the table's order."""
    mask = table.coder == coder
    if category is not None:
        if category not in table.categories:
            return np.zeros((0, 4), dtype=np.int64)
        mask &= table.category == table.category_index(category)
    return np.column_stack((table.doc[mask], table.category[mask], table.start[mask], table.end[mask]))


def _exact_matches(a: np.ndarray, b: np.ndarray) -> int:
    """Spans the two coders share exactly, each counted as often as the scarcer coder has it."""
    if len(a) == 0 or len(b) == 0:
        return 0
    rows = np.concatenate((a, b))
    order = np.lexsort(rows.T[::-1])
    rows = rows[order]
    differs = np.ones(len(rows), dtype=bool)
    differs[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    span = np.cumsum(differs) - 1  # the same number for the same (document, category, start, end)
    from_a = order < len(a)
    in_a = np.bincount(span[from_a], minlength=int(span[-1]) + 1)
    in_b = np.bincount(span[~from_a], minlength=int(span[-1]) + 1)
    return int(np.minimum(in_a, in_b).sum())


def _overlap_matches(a: np.ndarray, b: np.ndarray, doc_offsets: np.ndarray) -> int:
    """Pairs of spans sharing characters, matched one to one, most shared characters first."""
    ia, jb = _overlapping(a, b, doc_offsets)
    if len(ia) == 0:
        return 0
    shared = np.minimum(a[ia, 3], b[jb, 3]) - np.maximum(a[ia, 2], b[jb, 2])
    order = np.lexsort((jb, ia, b[jb, 2], a[ia, 2], -shared))
    return _greedy_matching(ia[order], jb[order], len(a), len(b))


def _overlapping(a: np.ndarray, b: np.ndarray, doc_offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i, j) of the spans of ``a`` and ``b`` of one category that share a character.

    A coder's spans may overlap one another here, so for each span of ``a`` the candidates are
    the spans of ``b`` in its document that start before it ends and could still reach it.
    """
    found_a, found_b = [], []
    for category in np.intersect1d(a[:, 1], b[:, 1]):
        rows_a = np.flatnonzero(a[:, 1] == category)
        rows_b = np.flatnonzero(b[:, 1] == category)
        rows_b = rows_b[np.argsort(b[rows_b, 2], kind="stable")]
        b_start, b_end = b[rows_b, 2], b[rows_b, 3]
        reach = int((b_end - b_start).max())
        a_start, a_end = a[rows_a, 2], a[rows_a, 3]
        first = np.searchsorted(b_start, np.maximum(a_start - reach + 1, doc_offsets[a[rows_a, 0]]), side="left")
        stop = np.searchsorted(b_start, a_end, side="left")
        count = np.maximum(stop - first, 0)
        i = np.repeat(np.arange(len(rows_a)), count)
        run_start = np.cumsum(count) - count
        j = np.repeat(first, count) + (np.arange(int(count.sum())) - np.repeat(run_start, count))
        keep = b_end[j] > a_start[i]
        found_a.append(rows_a[i[keep]])
        found_b.append(rows_b[j[keep]])
    if not found_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    return np.concatenate(found_a), np.concatenate(found_b)


_GREEDY_ROUNDS = 64


def _greedy_matching(i: np.ndarray, j: np.ndarray, n_a: int, n_b: int) -> int:
    """Size of the greedy one-to-one matching of candidate pairs ``(i[k], j[k])`` taken in order.

    A pair that comes first among the pairs left for both of its spans is one the greedy pass
    takes; each round takes all such pairs at once and drops the pairs they rule out. Long
    chains of conflicts would need many rounds; what is left after a few is walked in order.
    """
    used_a = np.zeros(n_a, dtype=bool)
    used_b = np.zeros(n_b, dtype=bool)
    matched = 0
    for _ in range(_GREEDY_ROUNDS):
        if len(i) == 0:
            return matched
        first_of_i = np.zeros(len(i), dtype=bool)
        first_of_i[np.unique(i, return_index=True)[1]] = True
        first_of_j = np.zeros(len(j), dtype=bool)
        first_of_j[np.unique(j, return_index=True)[1]] = True
        take = first_of_i & first_of_j
        used_a[i[take]] = True
        used_b[j[take]] = True
        matched += int(take.sum())
        left = ~(used_a[i] | used_b[j])
        i, j = i[left], j[left]
    for x, y in zip(i.tolist(), j.tolist()):
        if not used_a[x] and not used_b[y]:
            used_a[x] = used_b[y] = True
            matched += 1
    return matched


def _category_index(table: SpanTable, category: Hashable | None) -> int | None:
    if category is None:
        return None
    return table.categories.index(category) if category in table.categories else -1


def _token_positions(documents: list[SpanDocument], table: SpanTable) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of every token on the continuum, all documents' tokens read in one go."""
    lists = [document.tokens for document in documents]
    if all(isinstance(t, np.ndarray) and t.ndim == 2 and t.shape[1] == 2 and t.dtype.kind in "iu" for t in lists):
        pairs = np.concatenate(lists).astype(np.int64) if lists else np.zeros((0, 2), dtype=np.int64)
        return _placed_tokens(pairs, np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), documents, table)
    flat = list(chain.from_iterable(t for t in lists if t is not None))
    if any(t is None for t in lists) or (flat and set(map(len, flat)) != {2}):
        return _checked_token_positions(documents, table)  # names the document that is wrong
    pairs = np.fromiter(chain.from_iterable(flat), dtype=np.int64, count=2 * len(flat)).reshape(-1, 2)
    return _placed_tokens(pairs, np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), documents, table)


def _placed_tokens(
    pairs: np.ndarray, per_document: np.ndarray, documents: list[SpanDocument], table: SpanTable
) -> tuple[np.ndarray, np.ndarray]:
    doc = np.repeat(np.arange(len(per_document)), per_document)
    start, end = pairs[:, 0], pairs[:, 1]
    if ((start < 0) | (end > table.doc_lengths[doc]) | (start >= end)).any():
        return _checked_token_positions(documents, table)
    return start + table.doc_offsets[doc], end + table.doc_offsets[doc]


def _checked_token_positions(documents: list[SpanDocument], table: SpanTable) -> tuple[np.ndarray, np.ndarray]:
    starts, ends = [], []
    for d, document in enumerate(documents):
        if document.tokens is None:
            raise AgreementInputError(f"document {d}{f' ({document.name})' if document.name else ''} has no tokens")
        tokens = np.asarray(list(document.tokens), dtype=np.int64).reshape(-1, 2)
        bad = (tokens[:, 0] < 0) | (tokens[:, 1] > document.length) | (tokens[:, 0] >= tokens[:, 1])
        if bad.any():
            s, e = tokens[np.flatnonzero(bad)[0]]
            raise AgreementInputError(f"document {d}: token {s}..{e} is empty or outside 0..{document.length}")
        starts.append(tokens[:, 0] + table.doc_offsets[d])
        ends.append(tokens[:, 1] + table.doc_offsets[d])
    if not starts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(starts), np.concatenate(ends)
