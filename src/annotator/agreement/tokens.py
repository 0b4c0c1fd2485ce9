"""Span annotations seen token by token, and span-level F1 between two coders.

Token-level agreement turns each coder's spans of a category into present/absent per token
and applies the coefficients for coded units (alpha, Cohen's and Fleiss' kappa) to that
matrix. It is easy to explain but treats neighbouring tokens as independent units, which
inflates agreement when most text is unmarked (Mathet, Widlöcher & Métivier 2015); report it next
to :func:`annotator.agreement.unitizing.unitized_alpha`, not instead of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.errors import AgreementInputError, AgreementUndefined
from annotator.agreement.kappa import fleiss_kappa, pairwise_cohen_kappa
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
    for i in range(len(table.coders)):
        start, end, _ = table.units(i, index, join_touching=True)
        if rule == "overlap":
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
    """

    category: Hashable | None
    n_tokens: int
    alpha: float | None
    fleiss_kappa: float | None
    cohen_kappa: dict
    reasons: dict


def token_agreement(
    documents: Sequence[SpanDocument], category: Hashable | None, *, rule: str = "overlap"
) -> TokenAgreement:
    """Nominal alpha, Fleiss' kappa and pairwise Cohen's kappa on :func:`token_matrix`."""
    coders, matrix = token_matrix(documents, category, rule=rule)
    reasons: dict[str, str] = {}
    results: dict[str, float | None] = {}
    for name, compute in (("alpha", krippendorff_alpha), ("fleiss_kappa", fleiss_kappa)):
        try:
            results[name] = compute(matrix)
        except AgreementUndefined as undefined:
            results[name] = None
            reasons[name] = str(undefined)
    return TokenAgreement(
        category=category,
        n_tokens=matrix.shape[1],
        alpha=results["alpha"],
        fleiss_kappa=results["fleiss_kappa"],
        cohen_kappa=pairwise_cohen_kappa(matrix, coders=coders),
        reasons=reasons,
    )


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
    if match not in ("exact", "overlap"):
        raise AgreementInputError(f"unknown span match {match!r}; use 'exact' or 'overlap'")
    documents = list(documents)
    table = span_table(documents)
    for coder in (coder_a, coder_b):
        if coder not in table.coders:
            raise AgreementInputError(f"coder {coder!r} is not among the documents' coders {list(table.coders)}")
    a = _spans_of(table, table.coders.index(coder_a), category)
    b = _spans_of(table, table.coders.index(coder_b), category)
    if match == "exact":
        matched = sum((Counter(a) & Counter(b)).values())
    else:
        matched = _greedy_overlap_matches(a, b)
    return SpanF1(matched=matched, n_a=len(a), n_b=len(b))


def _spans_of(table: SpanTable, coder: int, category: Hashable | None) -> list[tuple[int, int, int, int]]:
    mask = table.coder == coder
    if category is not None:
        if category not in table.categories:
            return []
        mask &= table.category == table.category_index(category)
    columns = (table.doc[mask], table.category[mask], table.start[mask], table.end[mask])
    return list(zip(*(column.tolist() for column in columns)))


def _greedy_overlap_matches(a: list, b: list) -> int:
    candidates = []
    by_key: dict[tuple[int, int], list[int]] = {}
    for j, (doc, cat, _, _) in enumerate(b):
        by_key.setdefault((doc, cat), []).append(j)
    for i, (doc, cat, s, e) in enumerate(a):
        for j in by_key.get((doc, cat), ()):
            shared = min(e, b[j][3]) - max(s, b[j][2])
            if shared > 0:
                candidates.append((-shared, s, b[j][2], i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def _category_index(table: SpanTable, category: Hashable | None) -> int | None:
    if category is None:
        return None
    return table.categories.index(category) if category in table.categories else -1


def _token_positions(documents: list[SpanDocument], table: SpanTable) -> tuple[np.ndarray, np.ndarray]:
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
