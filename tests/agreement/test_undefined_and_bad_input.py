"""Edge cases: a clear number or a clear message, never a crash or a silent NaN."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.agreement import (
    AgreementInputError,
    AgreementUndefined,
    SpanDocument,
    alpha_details,
    binary_unitized_alpha,
    brennan_prediger_kappa,
    cohen_kappa,
    disagreements,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    span_f1,
    token_matrix,
    unitized_alpha,
    unitized_alpha_details,
)
from annotator.errors import AnnotatorError


def test_errors_reach_the_user_as_annotator_errors():
    assert issubclass(AgreementUndefined, AnnotatorError)
    assert issubclass(AgreementInputError, AnnotatorError)
    assert issubclass(AgreementInputError, ValueError)


class TestCodedUnits:
    def test_one_coder(self):
        with pytest.raises(AgreementUndefined, match="at least two"):
            krippendorff_alpha([[1, 2, 3]])
        with pytest.raises(AgreementUndefined, match="at least two coders"):
            fleiss_kappa([[1, 2, 3]])

    def test_no_pairable_units(self):
        with pytest.raises(AgreementUndefined, match="no unit was coded by two"):
            krippendorff_alpha([[1, None, 3], [None, 2, None]])
        for coefficient in (percent_agreement, gwet_ac1, brennan_prediger_kappa):
            with pytest.raises(AgreementUndefined, match="no unit was coded by two"):
                coefficient([[1, None, 3], [None, 2, None]])

    def test_one_value_only(self):
        with pytest.raises(AgreementUndefined, match="all 4 pairable values are 'yes'"):
            krippendorff_alpha([["yes", "yes"], ["yes", "yes"]])
        with pytest.raises(AgreementUndefined, match="chance disagreement is zero"):
            cohen_kappa(["a", "a"], ["a", "a"])
        with pytest.raises(AgreementUndefined, match="chance agreement is 1"):
            fleiss_kappa([["a", "a"], ["a", "a"]])
        with pytest.raises(AgreementUndefined, match="at least two categories"):
            gwet_ac1([["a", "a"], ["a", "a"]])
        # with the codebook's categories AC1 and Brennan-Prediger are defined
        assert gwet_ac1([["a", "a"], ["a", "a"]], categories=["a", "b"]) == 1.0
        assert brennan_prediger_kappa([["a", "a"], ["a", "a"]], categories=["a", "b"]) == 1.0

    def test_empty_data(self):
        with pytest.raises(AgreementUndefined):
            krippendorff_alpha([[], []])
        with pytest.raises(AgreementUndefined):
            krippendorff_alpha(np.zeros((2, 0)))
        with pytest.raises(AgreementUndefined):
            cohen_kappa([], [])
        with pytest.raises(AgreementUndefined):
            fleiss_kappa_from_counts(np.zeros((0, 3)))
        assert disagreements([[None], [1]]) == []

    def test_undefined_details_still_describe_the_data(self):
        details = alpha_details([[1, 1, None], [1, 1, 2]])
        assert details.undefined_reason is not None
        assert details.n_pairable_values == 4
        with pytest.raises(AgreementUndefined):
            details.alpha

    def test_malformed_input(self):
        with pytest.raises(AgreementInputError, match="rectangular"):
            krippendorff_alpha([[1, 2, 3], [1, 2]])
        with pytest.raises(AgreementInputError, match="2-D"):
            krippendorff_alpha(np.array([1, 2, 3]))
        with pytest.raises(AgreementInputError, match="sequence"):
            krippendorff_alpha(["abc", "abd"])
        with pytest.raises(AgreementInputError, match="unknown level"):
            krippendorff_alpha([[1, 2], [1, 2]], "cardinal")
        with pytest.raises(AgreementInputError, match="must be numbers"):
            krippendorff_alpha([["a", "b"], ["a", "b"]], "interval")
        with pytest.raises(AgreementInputError, match="not in value_order"):
            krippendorff_alpha([[1, 2], [1, 9]], "ordinal", value_order=[1, 2, 3])
        with pytest.raises(AgreementInputError, match="not hashable"):
            krippendorff_alpha([[[1], [2]], [[1], [2]]])
        with pytest.raises(AgreementInputError, match="same units"):
            cohen_kappa([1, 2], [1])
        with pytest.raises(AgreementInputError, match="weights"):
            cohen_kappa([1, 2], [1, 2], weights="cubic")
        with pytest.raises(AgreementInputError, match="same number of ratings"):
            fleiss_kappa([[1, 2, None], [1, 2, 3]])

    def test_no_result_is_nan(self):
        rng = np.random.default_rng(0)
        for _ in range(200):
            data = rng.integers(0, 3, size=(rng.integers(1, 4), rng.integers(0, 5))).astype(float)
            data[rng.random(data.shape) < 0.4] = np.nan
            for level in ("nominal", "ordinal", "interval", "ratio"):
                try:
                    value = krippendorff_alpha(data, level)
                except AgreementUndefined:
                    continue
                assert np.isfinite(value)


class TestSpans:
    def test_one_coder(self):
        with pytest.raises(AgreementUndefined, match="at least two"):
            unitized_alpha([SpanDocument(10, {"a": [(0, 2, "x")]})])

    def test_no_documents_or_empty_documents(self):
        with pytest.raises(AgreementUndefined):
            unitized_alpha([])
        with pytest.raises(AgreementUndefined, match="total length 0"):
            unitized_alpha([SpanDocument(0, {"a": [], "b": []})])

    def test_empty_documents_among_others_change_nothing(self):
        doc = SpanDocument(20, {"a": [(0, 6, "x")], "b": [(1, 9, "x")]})
        empty = SpanDocument(0, {"a": [], "b": []})
        assert unitized_alpha([empty, doc, empty]) == pytest.approx(unitized_alpha([doc]), rel=1e-12)

    def test_no_spans_at_all(self):
        docs = [SpanDocument(10, {"a": [], "b": []})]
        for coefficient in (unitized_alpha, binary_unitized_alpha, unitized_alpha_details):
            with pytest.raises(AgreementUndefined, match="no coder marked any span"):
                coefficient(docs)

    def test_category_nobody_used(self):
        docs = [SpanDocument(10, {"a": [(0, 3, "x")], "b": []})]
        with pytest.raises(AgreementUndefined, match="category 'y'"):
            unitized_alpha(docs, "y")
        details = unitized_alpha_details(docs)
        with pytest.raises(AgreementUndefined, match="category 'y'"):
            details.alpha("y")

    def test_zero_expected_disagreement(self):
        # both coders cover the one-character text with a one-character unit
        docs = [SpanDocument(1, {"a": [(0, 1, "x")], "b": [(0, 1, "x")]})]
        with pytest.raises(AgreementUndefined, match="expected disagreement is zero"):
            unitized_alpha(docs)
        assert unitized_alpha_details(docs).by_category() == {"x": None}

    def test_malformed_spans(self):
        for spans, message in (
            ({"a": [(5, 12, "x")], "b": []}, "not inside 0..10"),
            ({"a": [(5, 5, "x")], "b": []}, "empty"),
            ({"a": [(-1, 2, "x")], "b": []}, "not inside"),
            ({"a": [(1.5, 2, "x")], "b": []}, "whole numbers"),
            ({"a": ["x"], "b": []}, r"\(start, end, category\)"),
        ):
            with pytest.raises(AgreementInputError, match=message):
                unitized_alpha([SpanDocument(10, spans)])

    def test_documents_must_list_the_same_coders(self):
        docs = [SpanDocument(10, {"a": [], "b": []}), SpanDocument(10, {"a": [(0, 2, "x")]}, name="Zeitung 2")]
        with pytest.raises(AgreementInputError, match=r"document 1 \(Zeitung 2\).*missing \['b'\]"):
            unitized_alpha(docs)

    def test_token_and_f1_arguments(self):
        doc = SpanDocument(10, {"a": [], "b": []}, tokens=[(0, 4), (5, 12)])
        with pytest.raises(AgreementInputError, match="token 5..12"):
            token_matrix([doc], "x")
        with pytest.raises(AgreementInputError, match="rule"):
            token_matrix([doc], "x", rule="majority")
        with pytest.raises(AgreementInputError, match="match"):
            span_f1([doc], "a", "b", match="fuzzy")
