"""Token-level agreement and span F1."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import (
    AgreementInputError,
    AgreementUndefined,
    SpanDocument,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    percent_agreement,
    span_f1,
    token_agreement,
    token_matrix,
)
from annotator.agreement.tokens import TOKEN_RULES, pairwise_span_f1

#            0    5    10   15   20
TEXT = "Die Regierung plant neue Steuern."
TOKENS = [(0, 3), (4, 13), (14, 19), (20, 24), (25, 32), (32, 33)]


def doc(**spans) -> SpanDocument:
    return SpanDocument(len(TEXT), spans, tokens=TOKENS)


def test_overlap_rule_marks_any_touched_token():
    d = doc(A=[(4, 13, "actor"), (20, 32, "issue")], B=[(0, 13, "actor"), (22, 23, "issue")])
    coders, m = token_matrix([d], "actor")
    assert coders == ("A", "B")
    assert m.tolist() == [[0, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0]]
    assert token_matrix([d], "issue")[1].tolist() == [[0, 0, 0, 1, 1, 0], [0, 0, 0, 1, 0, 0]]


def test_inside_rule_needs_the_whole_token_and_joins_touching_spans():
    d = doc(A=[(20, 22, "issue"), (22, 24, "issue")], B=[(21, 32, "issue")])
    assert token_matrix([d], "issue", rule="inside")[1].tolist() == [[0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 1, 0]]


def test_all_categories_and_unknown_category():
    d = doc(A=[(4, 13, "actor")], B=[(20, 24, "issue")])
    assert token_matrix([d], None)[1].tolist() == [[0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0]]
    assert token_matrix([d], "nobody used this")[1].sum() == 0


def test_documents_are_concatenated_in_order():
    first = doc(A=[(0, 3, "x")], B=[])
    second = SpanDocument(5, {"A": [], "B": [(0, 5, "x")]}, tokens=[(0, 2), (3, 5)])
    assert token_matrix([first, second], "x")[1].tolist() == [[1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1, 1]]


def test_token_agreement_applies_the_coded_unit_coefficients():
    d = doc(A=[(4, 13, "actor"), (25, 33, "actor")], B=[(0, 13, "actor")], C=[(4, 19, "actor")])
    coders, m = token_matrix([d], "actor")
    result = token_agreement([d], "actor")
    assert result.n_tokens == 6
    assert result.alpha == pytest.approx(krippendorff_alpha(m))
    assert result.fleiss_kappa == pytest.approx(fleiss_kappa(m))
    assert result.cohen_kappa[("A", "B")] == pytest.approx(cohen_kappa_score(m[0], m[1]))
    assert set(result.cohen_kappa) == {("A", "B"), ("A", "C"), ("B", "C")}
    assert result.reasons == {}


def test_token_agreement_reports_undefined_coefficients_with_reasons():
    result = token_agreement([doc(A=[], B=[])], "actor")
    assert result.alpha is None and result.fleiss_kappa is None
    assert result.cohen_kappa == {("A", "B"): None}
    assert "without variation" in result.reasons["alpha"]


def random_study(seed: int, coders: str = "ABC", n_docs: int = 4) -> list[SpanDocument]:
    """Documents of word-like tokens with random, often overlapping spans of categories x and y."""
    rng = np.random.default_rng(seed)
    docs = []
    for _ in range(n_docs):
        length = int(rng.integers(20, 80))
        cuts = np.flatnonzero(rng.random(length) < 0.25)
        tokens = [(int(s), int(e)) for s, e in zip([0, *(cuts + 1)], [*cuts, length]) if e > s]
        spans = {}
        for coder in coders:
            starts = rng.integers(0, length - 1, size=int(rng.integers(0, 6)))
            spans[coder] = [(int(s), int(min(length, s + rng.integers(1, 15))), str(rng.choice(["x", "y"])))
                            for s in starts]  # fmt: skip
        docs.append(SpanDocument(length, spans, tokens=tokens))
    return docs


@pytest.mark.parametrize("seed", range(8))
def test_token_agreement_equals_the_coefficients_of_the_token_matrix(seed):
    # token_agreement counts marks per token instead of coding the matrix again for each coefficient
    docs = random_study(seed, coders="ABC" if seed % 4 else "A")
    everything = SpanDocument(10, {c: [(0, 10, "x")] for c in docs[0].spans}, tokens=[(0, 4), (5, 10)])
    no_tokens = SpanDocument(3, {c: [] for c in docs[0].spans}, tokens=[])
    for study in (docs, [*docs, everything], [everything], [no_tokens]):
        for category in ("x", "y", "nobody", None):
            coders, matrix = token_matrix(study, category)
            result = token_agreement(study, category)
            for name, compute in (("alpha", krippendorff_alpha), ("fleiss_kappa", fleiss_kappa),
                                  ("percent_agreement", percent_agreement)):  # fmt: skip
                try:
                    expected = compute(matrix)
                except AgreementUndefined as undefined:
                    assert getattr(result, name) is None and result.reasons[name] == str(undefined)
                else:
                    assert getattr(result, name) == pytest.approx(expected, rel=1e-12, abs=1e-15)
            expected_kappas = pairwise_cohen_kappa(matrix, coders=coders)
            assert result.cohen_kappa.keys() == expected_kappas.keys()
            for pair, kappa in expected_kappas.items():
                assert result.cohen_kappa[pair] == (None if kappa is None else pytest.approx(kappa, rel=1e-12))


@pytest.mark.parametrize("rule", TOKEN_RULES)
def test_tokens_in_any_order_or_as_an_array_are_marked_alike(rule):
    d = doc(A=[(4, 13, "actor"), (20, 22, "actor"), (22, 33, "actor")], B=[(3, 21, "actor")])
    marked = token_matrix([d], "actor", rule=rule)[1].tolist()
    backwards = SpanDocument(d.length, d.spans, tokens=TOKENS[::-1])
    assert token_matrix([backwards], "actor", rule=rule)[1].tolist() == [row[::-1] for row in marked]
    as_array = SpanDocument(d.length, d.spans, tokens=np.array(TOKENS))
    assert token_matrix([as_array], "actor", rule=rule)[1].tolist() == marked


def test_documents_without_tokens_are_rejected():
    with pytest.raises(AgreementInputError, match="no tokens"):
        token_matrix([SpanDocument(5, {"A": [], "B": []})], "x")


class TestSpanF1:
    def test_exact_match_needs_same_bounds_and_category(self):
        d = doc(A=[(0, 3, "x"), (4, 13, "x"), (20, 24, "y")], B=[(0, 3, "x"), (4, 12, "x"), (20, 24, "x")])
        result = span_f1([d], "A", "B")
        assert (result.matched, result.n_a, result.n_b) == (1, 3, 3)
        assert result.f1 == pytest.approx(1 / 3)

    def test_overlap_match_is_one_to_one(self):
        # A's long span overlaps both of B's; only one may pair with it
        d = doc(A=[(0, 19, "x")], B=[(0, 3, "x"), (4, 13, "x")])
        result = span_f1([d], "A", "B", match="overlap")
        assert (result.matched, result.recall, result.precision) == (1, 1.0, 0.5)
        assert result.f1 == pytest.approx(2 / 3)

    def test_overlap_match_pairs_largest_overlap_first(self):
        # greedy by shared characters: A1-B0 share 9, A0-B0 share 2, A1-B1 share 3
        d = doc(A=[(0, 6, "x"), (6, 24, "x")], B=[(4, 15, "x"), (21, 30, "x")])
        result = span_f1([d], "A", "B", match="overlap")
        assert result.matched == 1  # A1 takes B0; B1 would need A1 too, A0 has lost B0

    def test_overlap_match_respects_category(self):
        d = doc(A=[(0, 13, "x")], B=[(0, 13, "y")])
        assert span_f1([d], "A", "B", match="overlap").matched == 0

    def test_category_filter_and_micro_average_over_documents(self):
        one = doc(A=[(0, 3, "x"), (4, 13, "y")], B=[(0, 3, "x")])
        two = doc(A=[(0, 3, "x")], B=[(0, 3, "x"), (20, 24, "x")])
        result = span_f1([one, two], "A", "B", category="x")
        assert (result.matched, result.n_a, result.n_b) == (2, 2, 3)

    def test_undefined_when_nobody_marked_anything(self):
        result = span_f1([doc(A=[], B=[])], "A", "B")
        with pytest.raises(AgreementUndefined):
            result.f1
        with pytest.raises(AgreementUndefined):
            result.precision

    def test_overlap_match_along_a_long_chain_of_conflicts(self):
        # A_i overlaps B_(i-1) and B_i by one character each: every pairing decision hangs on
        # the one before it, so the greedy pass pairs A_i with B_i all the way down
        n = 100
        d = SpanDocument(2 * n + 2, {"A": [(2 * i, 2 * i + 2, "x") for i in range(n)],
                                     "B": [(2 * i + 1, 2 * i + 3, "x") for i in range(n)]})  # fmt: skip
        assert span_f1([d], "A", "B", match="overlap").matched == n
        assert span_f1([d], "B", "A", match="overlap").matched == n

    @pytest.mark.parametrize("seed", range(10))
    def test_matches_follow_the_plain_definition(self, seed):
        docs = random_study(seed, n_docs=3)
        for match in ("exact", "overlap"):
            for category in (None, "x"):
                pairs = pairwise_span_f1(docs, match=match, category=category)
                assert list(pairs) == [("A", "B"), ("A", "C"), ("B", "C")]
                for (a, b), result in pairs.items():
                    assert result == span_f1(docs, a, b, match=match, category=category)
                    assert result.matched == plain_matches(docs, a, b, match, category)

    def test_unknown_coder(self):
        with pytest.raises(AgreementInputError, match="coder 'Z'"):
            span_f1([doc(A=[], B=[])], "A", "Z")


def plain_matches(docs: list[SpanDocument], a: str, b: str, match: str, category) -> int:
    """Matched spans straight from the definition: exact multiset intersection, or greedy pairing."""
    def spans(coder):
        return [(d, k, s, e) for d, doc in enumerate(docs) for s, e, k in doc.spans[coder] if category in (None, k)]

    first, second = spans(a), spans(b)
    if match == "exact":
        left = list(second)
        count = 0
        for span in first:
            if span in left:
                left.remove(span)
                count += 1
        return count
    candidates = sorted(
        (-(min(e, f) - max(s, t)), s, t, i, j)
        for i, (d, k, s, e) in enumerate(first)
        for j, (d2, k2, t, f) in enumerate(second)
        if d == d2 and k == k2 and min(e, f) > max(s, t)
    )
    used_a, used_b = set(), set()
    for *_, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)
