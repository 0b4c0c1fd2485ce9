"""Token-level agreement and span F1."""

from __future__ import annotations

import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import (
    AgreementInputError,
    AgreementUndefined,
    SpanDocument,
    fleiss_kappa,
    krippendorff_alpha,
    span_f1,
    token_agreement,
    token_matrix,
)

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

    def test_unknown_coder(self):
        with pytest.raises(AgreementInputError, match="coder 'Z'"):
            span_f1([doc(A=[], B=[])], "A", "Z")
