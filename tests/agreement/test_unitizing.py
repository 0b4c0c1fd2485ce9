"""Alpha-u against Krippendorff's published examples, DKPro Statistics' checks, and a plain reference."""

from __future__ import annotations

import time

import numpy as np
import pytest
from agreement_examples import K2004, random_documents, reference_alpha_u, reference_binary
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import (
    AgreementUndefined,
    SpanDocument,
    binary_unitized_alpha,
    document_weighted_disagreements,
    krippendorff_alpha,
    unitized_alpha,
    unitized_alpha_details,
)
from annotator.domain import Span


class TestKrippendorff2004:
    def test_category_c(self):
        details = unitized_alpha_details([K2004])
        # observed, by hand: units (225,70)/(220,80): 5^2 + 5^2 = 50; (370,30)/(355,20): 15^2 + 25^2 = 850;
        # j's (400,20) lies in i's gap 400..450: 20^2 = 400. Both orders: 2 * 1300 over m(m-1)L^2 = 2 * 300^2.
        assert details.observed["c"] == pytest.approx(2600 / 180_000, abs=1e-15)
        # expected, by hand: N_c = 5 units (70, 30, 80, 20, 20), gaps 75, 75, 50, 70, 55, 25, 30;
        # sum over units of (N-1)/3 (2l^3 - 3l^2 + l) + l^2 sum_{gaps >= l} (g - l + 1) = 2,767,160;
        # denominator mL(mL-1) - sum l(l-1) = 600 * 599 - 12,780 = 346,620
        assert details.expected["c"] == pytest.approx(2 / 300 * 2_767_160 / 346_620, rel=1e-12)
        assert round(details.observed["c"], 4) == 0.0144
        assert round(details.expected["c"], 4) == 0.0532
        assert round(details.alpha("c"), 4) == 0.7286

    def test_category_k(self):
        details = unitized_alpha_details([K2004])
        # identical units 60, 50 for both observers; gaps 30, 60, 100 each
        # numerator 2 * (421,260 + 3,600 * 84) + 2 * (242,550 + 2,500 * 124) = 2,552,420
        assert details.observed["k"] == 0.0
        assert details.expected["k"] == pytest.approx(2 / 300 * 2_552_420 / 347_420, rel=1e-12)
        assert round(details.expected["k"], 4) == 0.0490
        assert details.alpha("k") == 1.0

    def test_all_categories(self):
        # 1 - sum D_o / sum D_e = 0.85867; published as .8591 (DKPro checks it to within .0005)
        expected = 1 - (2600 / 180_000) / (2 / 300 * (2_767_160 / 346_620 + 2_552_420 / 347_420))
        assert unitized_alpha([K2004]) == pytest.approx(expected, rel=1e-12)
        assert unitized_alpha([K2004]) == pytest.approx(0.8591, abs=0.0005)

    def test_domain_spans_are_accepted(self):
        as_spans = SpanDocument(
            K2004.length, {coder: [Span(s, e, c) for s, e, c in spans] for coder, spans in K2004.spans.items()}
        )
        assert unitized_alpha([as_spans]) == unitized_alpha([K2004])


# Krippendorff (1995), p. 57: four pairs of observers on a continuum of 24, here as categories A-D.
K1995_UNITS = [  # (begin, length, observer, category)
    (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
    (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"), (5, 1, 1, "B"),
    (6, 3, 1, "B"), (9, 1, 1, "B"),
    (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"),
    (0, 2, 1, "C"), (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
    (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
    (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
]


def k1995(stretch: float, categories: str = "ABCD") -> list[SpanDocument]:
    """The 1995 example at a finer or coarser resolution (positions scaled and truncated)."""
    spans: dict[int, list] = {0: [], 1: []}
    for begin, length, observer, category in K1995_UNITS:
        if category in categories:
            start = int(begin * stretch)
            spans[observer].append((start, start + int(length * stretch), category))
    return [SpanDocument(int(24 * stretch), spans)]


class TestKrippendorff1995:
    def test_observed_disagreement(self):
        details = unitized_alpha_details(k1995(1))
        assert details.observed["A"] == pytest.approx(0.03125, abs=1e-5)
        assert details.observed["B"] == pytest.approx(2.26736, abs=1e-5)
        assert details.observed["C"] == pytest.approx(0.02777, abs=1e-5)
        assert details.observed["D"] == pytest.approx(0.38715, abs=1e-5)

    def test_expected_disagreement_at_half_resolution(self):
        details = unitized_alpha_details(k1995(0.5, "C"))
        assert details.expected["C"] == pytest.approx(0.05494, abs=1e-5)
        assert details.alpha("C") == pytest.approx(0.494, abs=0.001)

    def test_published_alphas_at_fine_resolution(self):
        # The 1995 paper computes for a continuous scale; at a fine resolution alpha-u comes
        # within DKPro's tolerance (.02) of its published values (its D_e has a small slip).
        by_category = unitized_alpha_details(k1995(50_000)).by_category()
        for category, published in {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}.items():
            assert by_category[category] == pytest.approx(published, abs=0.02)


class TestDkproChecks:
    def test_three_units_inside_one(self):
        # r0: -11111111-   r1: --1-1-1---
        doc = SpanDocument(10, {0: [(1, 9, "A")], 1: [(2, 3, "A"), (4, 5, "A"), (6, 7, "A")]})
        details = unitized_alpha_details([doc])
        # observed: (1-2)^2 + (9-3)^2 = 37, 3^2 + 4^2 = 25, 5^2 + 2^2 = 29; 2 * 91 / (2 * 100)
        assert details.observed["A"] == pytest.approx(0.91)
        # expected: 840 (the 8-unit, no gap that long) + 3 * 9 (unit 1 in gaps 1,1,2,1,1,3): 867 / 324 * 2/10
        assert details.expected["A"] == pytest.approx(867 / 324 * 2 / 10, rel=1e-12)
        assert round(details.alpha("A"), 4) == -0.7003

    def test_single_unit_among_three_coders(self):
        doc = SpanDocument(20, {0: [(0, 1, "X")], 1: [], 2: []})
        # D_o = 4/2400 and D_e = 5.9/3540 are equal
        assert unitized_alpha([doc]) == pytest.approx(0.0, abs=1e-12)

    def test_no_units_at_all(self):
        doc = SpanDocument(20, {0: [], 1: [], 2: []})
        with pytest.raises(AgreementUndefined, match="no coder marked any span"):
            unitized_alpha([doc])


class TestContinuum:
    def test_order_of_documents_does_not_matter(self):
        docs = [
            SpanDocument(30, {"a": [(2, 9, "x")], "b": [(3, 9, "x"), (20, 25, "x")]}),
            SpanDocument(12, {"a": [(0, 12, "x")], "b": [(0, 5, "x")]}),
            SpanDocument(8, {"a": [], "b": [(4, 8, "x")]}),
        ]
        assert unitized_alpha(docs) == pytest.approx(unitized_alpha(docs[::-1]), rel=1e-12)

    def test_splitting_where_every_coder_has_a_boundary_changes_nothing(self):
        whole = SpanDocument(20, {"a": [(2, 10, "x"), (10, 14, "x")], "b": [(4, 10, "x"), (10, 16, "x")]})
        halves = [
            SpanDocument(10, {"a": [(2, 10, "x")], "b": [(4, 10, "x")]}),
            SpanDocument(10, {"a": [(0, 4, "x")], "b": [(0, 6, "x")]}),
        ]
        assert unitized_alpha(halves) == pytest.approx(unitized_alpha([whole]), rel=1e-12)

    def test_a_gap_never_runs_across_documents(self):
        # coder b's gaps are 0..10 of each document, not one gap of 20
        docs = [SpanDocument(10, {"a": [(0, 10, "x")], "b": []}), SpanDocument(10, {"a": [], "b": []})]
        reference_do, reference_de = reference_alpha_u(docs, "x")
        details = unitized_alpha_details(docs)
        assert details.observed["x"] == pytest.approx(reference_do)
        assert details.expected["x"] == pytest.approx(reference_de)

    def test_overlapping_spans_of_one_coder_are_merged(self):
        split = SpanDocument(20, {"a": [(0, 6, "x"), (4, 10, "x"), (5, 7, "x")], "b": [(1, 9, "x")]})
        merged = SpanDocument(20, {"a": [(0, 10, "x")], "b": [(1, 9, "x")]})
        assert unitized_alpha([split]) == unitized_alpha([merged])

    def test_other_categories_do_not_affect_a_category(self):
        plain = SpanDocument(20, {"a": [(0, 6, "x")], "b": [(1, 9, "x")]})
        busy = SpanDocument(20, {"a": [(0, 6, "x"), (2, 18, "y")], "b": [(1, 9, "x"), (0, 3, "z")]})
        assert unitized_alpha([busy], "x") == unitized_alpha([plain], "x")

    def test_identical_unitizations_agree_perfectly(self):
        spans = [(0, 3, "x"), (5, 9, "x"), (9, 12, "y")]
        doc = SpanDocument(15, {"a": spans, "b": list(spans), "c": list(spans)})
        assert unitized_alpha([doc]) == 1.0
        assert binary_unitized_alpha([doc]) == 1.0

    def test_speed_fifty_documents_three_coders(self):
        docs = random_documents(np.random.default_rng(7), n_docs=50, n_spans=100, length=5000)
        started = time.perf_counter()
        unitized_alpha(docs)
        for category in ("frame", "actor", "claim"):
            unitized_alpha(docs, category)
        assert time.perf_counter() - started < 1.0


class TestBinaryUnitizedAlpha:
    def test_hand_example(self):
        doc = SpanDocument(10, {"A": [(0, 4, "c")], "B": [(2, 6, "c")]})
        # o = 4 (positions 0,1 and 4,5 are marked by one coder only), n = 20, n_c = 8, n_0 = 12,
        # e = 20 * 8 * 12 / (400 - (16 + 16) - 12) = 1920 / 356
        assert binary_unitized_alpha([doc], "c") == pytest.approx(1 - 4 * 356 / 1920, abs=1e-12)

    def test_any_category_counts_when_none_given(self):
        doc = SpanDocument(10, {"A": [(0, 2, "c"), (2, 4, "d")], "B": [(2, 6, "c")]})
        # units A: [0,2) and [2,4) (touching, two blocks), B: [2,6): o = 4, S = 4 + 4 + 16
        assert binary_unitized_alpha([doc]) == pytest.approx(1 - 4 * (400 - 24 - 12) / (20 * 8 * 12), abs=1e-12)

    def test_undefined_when_everything_is_marked(self):
        doc = SpanDocument(5, {"A": [(0, 5, "c")], "B": [(0, 5, "c")]})
        with pytest.raises(AgreementUndefined, match="no variation"):
            binary_unitized_alpha([doc], "c")


@st.composite
def span_studies(draw, max_length=40, min_span=1, max_span=None, categories="ab"):
    n_coders = draw(st.integers(2, 4))
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, max_length))
        spans = {}
        for coder in range(n_coders):
            spans[coder] = []
            for _ in range(draw(st.integers(0, 5))):
                start = draw(st.integers(0, length - 1))
                longest = length - start if max_span is None else min(max_span, length - start)
                if longest < min_span:
                    continue
                size = draw(st.integers(min_span, longest))
                spans[coder].append((start, start + size, draw(st.sampled_from(categories))))
        documents.append(SpanDocument(length, spans))
    return documents


@settings(max_examples=60, deadline=None)
@given(span_studies())
def test_alpha_u_matches_the_plain_definition(documents):
    present = {k for d in documents for spans in d.spans.values() for _, _, k in spans}
    if not present:
        return
    details = unitized_alpha_details(documents)
    for category in present:
        observed, expected = reference_alpha_u(documents, category)
        assert details.observed[category] == pytest.approx(observed, rel=1e-9, abs=1e-12)
        assert details.expected[category] == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(span_studies())
def test_binary_alpha_matches_per_character_reference(documents):
    for category in {k for d in documents for spans in d.spans.values() for _, _, k in spans}:
        try:
            ours = binary_unitized_alpha(documents, category)
        except AgreementUndefined:
            continue
        assert ours == pytest.approx(reference_binary(documents, category), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(span_studies(max_span=1, categories="a"))
def test_binary_alpha_with_single_character_units_is_nominal_alpha_over_characters(documents):
    coders = list(documents[0].spans)
    matrix = np.concatenate(
        [
            np.array([[any(s <= p < e for s, e, _ in d.spans[c]) for p in range(d.length)] for c in coders], dtype=int)
            for d in documents
        ],
        axis=1,
    )
    try:
        ours = binary_unitized_alpha(documents, "a")
    except AgreementUndefined:
        with pytest.raises(AgreementUndefined):
            krippendorff_alpha(matrix)
        return
    assert ours == pytest.approx(krippendorff_alpha(matrix), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(span_studies(), st.data())
def test_document_weights_equal_repeated_documents(documents, data):
    # the bootstrap reweights documents; a weight of 2 must mean exactly "this document twice"
    weights = data.draw(st.lists(st.integers(0, 2), min_size=len(documents), max_size=len(documents)))
    repeated = [d for d, w in zip(documents, weights) for _ in range(w)]
    present = {k for d in repeated for spans in d.spans.values() for _, _, k in spans}
    for category in present:
        for binary in (False, True):
            weighted = document_weighted_disagreements(documents, np.array([weights]), category, binary=binary)
            plain = document_weighted_disagreements(repeated, np.ones((1, len(repeated))), category, binary=binary)
            assert weighted[0][0] == pytest.approx(plain[0][0], rel=1e-9, abs=1e-12)
            assert weighted[1][0] == pytest.approx(plain[1][0], rel=1e-9, abs=1e-12)
