"""Bootstrapped intervals: reproducible, centred where they should be, fast enough."""

from __future__ import annotations

import time

import numpy as np
import pytest
from agreement_examples import HK2007, K2004, K2011, random_documents, reference_alpha_u, reference_binary

from annotator.agreement import (
    AgreementInputError,
    AgreementUndefined,
    SpanDocument,
    alpha_details,
    binary_unitized_alpha,
    bootstrap_alpha,
    bootstrap_unitized_alpha,
    document_weighted_disagreements,
    unitized_alpha,
    unitizing,
)


@pytest.mark.parametrize("method", ["pairs", "units"])
def test_same_seed_same_result(method):
    first = bootstrap_alpha(HK2007, "ordinal", n_samples=500, seed=3, method=method)
    again = bootstrap_alpha(HK2007, "ordinal", n_samples=500, seed=3, method=method)
    other = bootstrap_alpha(HK2007, "ordinal", n_samples=500, seed=4, method=method)
    assert first == again
    np.testing.assert_array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples, other.samples)
    assert first.seed == 3 and first.method == method


def test_pairs_method_draws_pairs_around_the_observed_disagreement():
    # the resampled D_o are means of M = 239 draws whose expectation is the data's D_o,
    # so the resampled alphas centre on alpha (standard error of the mean ~ 0.001 here)
    details = alpha_details(HK2007, "ordinal")
    result = bootstrap_alpha(HK2007, "ordinal", n_samples=20_000, seed=11)
    assert result.estimate == pytest.approx(0.7598, abs=5e-5)
    assert result.samples.mean() == pytest.approx(details.alpha, abs=0.002)
    assert result.low < result.estimate < result.high
    assert result.n_undefined == 0


def test_units_method_recomputes_alpha_on_resampled_units():
    result = bootstrap_alpha(K2011, "interval", n_samples=2000, seed=5, method="units")
    assert result.low < result.estimate < result.high
    assert result.samples.max() <= 1.0
    # a resample of units can lack variation in rare cases; those are counted, not hidden
    assert result.n_undefined + len(result.samples) == 2000


def test_probability_below_thresholds():
    result = bootstrap_alpha(HK2007, "ordinal", n_samples=4000, seed=2, thresholds=(0.5, 0.667, 0.8, 0.9))
    probabilities = [result.prob_below[q] for q in (0.5, 0.667, 0.8, 0.9)]
    assert probabilities == sorted(probabilities)
    assert result.prob_below[0.8] == pytest.approx((result.samples < 0.8).mean())
    assert 0.5 < result.prob_below[0.8] < 1.0  # alpha = .76 sits below .8
    assert result.prob_below[0.5] < 0.01


def test_interval_coverage_follows_confidence():
    wide = bootstrap_alpha(HK2007, "ordinal", n_samples=4000, seed=2, confidence=0.99)
    narrow = bootstrap_alpha(HK2007, "ordinal", n_samples=4000, seed=2, confidence=0.80)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_span_bootstrap_resamples_documents():
    docs = random_documents(np.random.default_rng(1), n_docs=12, n_spans=10, length=400)
    result = bootstrap_unitized_alpha(docs, n_samples=300, seed=9)
    assert result.estimate == pytest.approx(unitized_alpha(docs), rel=1e-12)
    assert result.method == "documents"
    assert result.low <= result.estimate <= result.high
    # a resample is a reweighting of documents: drawing document 0 twice equals listing it twice
    weights = np.zeros((1, len(docs)))
    weights[0, 0], weights[0, 3] = 2, 1
    o, e = document_weighted_disagreements(docs, weights)
    assert 1 - o[0] / e[0] == pytest.approx(unitized_alpha([docs[0], docs[0], docs[3]]), rel=1e-12)


@pytest.mark.parametrize(("category", "binary"), [("frame", False), (None, False), ("actor", True)])
def test_span_bootstrap_equals_alpha_recomputed_from_scratch_on_each_resample(category, binary):
    # the resamples are evaluated from sums per document; drawing the same documents with the
    # same seed and computing alpha straight from the definition must give the same alphas
    docs = random_documents(np.random.default_rng(4), n_docs=6, n_spans=5, length=150)
    result = bootstrap_unitized_alpha(docs, category, binary=binary, n_samples=25, seed=12)
    drawn = np.random.default_rng(12).multinomial(len(docs), np.full(len(docs), 1 / len(docs)), size=25)

    def alpha(resample):
        if binary:
            return reference_binary(resample, category)
        categories = ["frame", "actor", "claim"] if category is None else [category]
        observed, expected = map(sum, zip(*(reference_alpha_u(resample, c) for c in categories)))
        return 1 - observed / expected

    recomputed = [alpha([d for d, k in zip(docs, counts) for _ in range(k)]) for counts in drawn]
    assert result.n_undefined == 0
    assert result.samples == pytest.approx(recomputed, rel=1e-12, abs=1e-12)
    assert result.estimate == pytest.approx(alpha(docs), rel=1e-12)


def test_bounded_memory_blocks_do_not_change_the_resamples(monkeypatch):
    # the expected disagreement is summed over blocks of unit lengths; one length per block
    # must give what one block for all of them gives
    docs = random_documents(np.random.default_rng(8), n_docs=9, n_spans=12, length=300)
    whole = bootstrap_unitized_alpha(docs, n_samples=50, seed=3)
    monkeypatch.setattr(unitizing, "_CHUNK_ELEMENTS", 1)
    blocks = bootstrap_unitized_alpha(docs, n_samples=50, seed=3)
    assert blocks.samples == pytest.approx(whole.samples, rel=1e-12)
    assert binary_unitized_alpha(docs, "claim") == pytest.approx(
        bootstrap_unitized_alpha(docs, "claim", binary=True, n_samples=5).estimate, rel=1e-12
    )


def test_span_bootstrap_per_category_and_binary():
    docs = random_documents(np.random.default_rng(2), n_docs=8, n_spans=10, length=300)
    for binary in (False, True):
        result = bootstrap_unitized_alpha(docs, "frame", binary=binary, n_samples=200, seed=1)
        assert result.low <= result.estimate <= result.high


def test_one_document_gives_a_degenerate_interval():
    result = bootstrap_unitized_alpha([K2004], "c", n_samples=50)
    assert result.low == result.high == pytest.approx(result.estimate)


def test_resamples_without_spans_are_counted_as_undefined():
    docs = [SpanDocument(10, {"a": [(0, 5, "x")], "b": [(2, 5, "x")]})] + [SpanDocument(10, {"a": [], "b": []})] * 3
    result = bootstrap_unitized_alpha(docs, n_samples=400, seed=0)
    # P(document 0 never drawn) = (3/4)^4 = .32
    assert 60 < result.n_undefined < 200
    assert len(result.samples) == 400 - result.n_undefined


def test_speed():
    docs = random_documents(np.random.default_rng(7), n_docs=50, n_spans=100, length=5000)
    started = time.perf_counter()
    bootstrap_unitized_alpha(docs, n_samples=1000)
    bootstrap_alpha(HK2007, "ordinal", n_samples=1000, method="units")
    bootstrap_alpha(HK2007, "ordinal", n_samples=1000)
    assert time.perf_counter() - started < 5.0


def test_bad_arguments_and_undefined_data():
    with pytest.raises(AgreementInputError, match="method"):
        bootstrap_alpha(K2011, method="jackknife")
    with pytest.raises(AgreementInputError, match="confidence"):
        bootstrap_alpha(K2011, confidence=95)
    with pytest.raises(AgreementInputError, match="n_samples"):
        bootstrap_alpha(K2011, n_samples=0)
    with pytest.raises(AgreementUndefined):
        bootstrap_alpha([[1, 1, 1], [1, 1, 1]])
