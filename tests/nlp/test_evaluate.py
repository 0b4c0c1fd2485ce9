"""Precision, recall and F1 with exact and overlap matching."""

from __future__ import annotations

import math

import pytest

from annotator.domain import Span
from annotator.nlp.evaluate import ALL, CategoryScore, evaluate, match_overlap


def S(start, end, category="hedge"):
    return Span(start, end, category)


def test_identical_spans_score_one_in_both_modes():
    gold = {"a": [S(0, 5), S(10, 12, "direct_quote")]}
    result = evaluate(gold, {"a": list(gold["a"])})
    for table in (result.exact, result.overlap):
        assert table[ALL].f1 == 1.0
        assert table["hedge"].precision == table["hedge"].recall == 1.0


def test_a_shifted_span_is_wrong_exactly_but_right_by_overlap():
    result = evaluate({"a": [S(0, 10)]}, {"a": [S(2, 12)]})
    assert (result.exact["hedge"].tp, result.exact["hedge"].fp, result.exact["hedge"].fn) == (0, 1, 1)
    assert (result.overlap["hedge"].tp, result.overlap["hedge"].fp, result.overlap["hedge"].fn) == (1, 0, 0)


def test_overlap_matching_is_one_to_one_by_most_characters_in_common():
    gold = [S(0, 10), S(20, 30)]
    predicted = [S(0, 30)]  # one long suggestion over two gold spans counts once
    assert match_overlap(gold, predicted) == [(0, 0)]
    predicted = [S(0, 3), S(2, 9)]  # two suggestions inside one gold span: the larger pairs
    assert match_overlap([S(0, 10)], predicted) == [(0, 1)]
    result = evaluate({"a": [S(0, 10)]}, {"a": predicted})
    assert (result.overlap["hedge"].tp, result.overlap["hedge"].fp) == (1, 1)


def test_categories_never_match_each_other():
    result = evaluate({"a": [S(0, 5, "hedge")]}, {"a": [S(0, 5, "unnamed_source")]})
    assert result.overlap["hedge"].fn == 1 and result.overlap["unnamed_source"].fp == 1


def test_documents_on_one_side_only_count():
    result = evaluate({"a": [S(0, 5)]}, {"b": [S(0, 5)]})
    assert (result.exact["hedge"].tp, result.exact["hedge"].fp, result.exact["hedge"].fn) == (0, 1, 1)


def test_f1_formula_and_undefined_rates():
    score = CategoryScore(tp=3, fp=1, fn=2)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.6)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))
    empty = CategoryScore()
    assert math.isnan(empty.precision) and math.isnan(empty.recall) and math.isnan(empty.f1)


def test_requested_categories_are_listed_even_when_absent():
    result = evaluate({"a": [S(0, 5)]}, {"a": []}, categories=["hedge", "symbolic_image"])
    assert set(result.categories) == {"hedge", "symbolic_image"}
    assert result.overlap["symbolic_image"].support == 0
