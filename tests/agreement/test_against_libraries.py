"""Random data: our coefficients against independent implementations, to 1e-9.

krippendorff (alpha, four levels, missing values), scikit-learn (Cohen's kappa, unweighted,
linear, quadratic) and statsmodels (Fleiss' kappa). They are used only here.
"""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from annotator.agreement import (
    AgreementUndefined,
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    krippendorff_alpha,
)

EXAMPLES = settings(max_examples=60, deadline=None)


@st.composite
def reliability_data(draw, max_value=5, min_value=0):
    n_coders = draw(st.integers(2, 5))
    n_units = draw(st.integers(1, 25))
    missing = draw(st.floats(0.0, 0.5))
    rows = []
    for _ in range(n_coders):
        row = []
        for _ in range(n_units):
            if draw(st.floats(0, 1)) < missing:
                row.append(np.nan)
            else:
                row.append(float(draw(st.integers(min_value, max_value))))
        rows.append(row)
    return np.array(rows)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@EXAMPLES
@given(data=reliability_data())
def test_alpha_matches_krippendorff_package(level, data):
    try:
        ours = krippendorff_alpha(data, level)
    except AgreementUndefined:
        # the package either refuses too or has nothing sensible to say (nan, or a value from no pairs)
        return
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


@EXAMPLES
@given(data=reliability_data())
def test_alpha_from_lists_with_none_equals_alpha_from_arrays(data):
    as_lists = [[None if np.isnan(v) else int(v) for v in row] for row in data]
    try:
        expected = krippendorff_alpha(data, "ordinal")
    except AgreementUndefined:
        with pytest.raises(AgreementUndefined):
            krippendorff_alpha(as_lists, "ordinal")
        return
    assert krippendorff_alpha(as_lists, "ordinal") == pytest.approx(expected, abs=1e-12)


def _codes(n: int):
    return st.lists(st.integers(0, 4), min_size=n, max_size=n)


two_coders = st.integers(2, 40).flatmap(lambda n: st.tuples(_codes(n), _codes(n)))


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@EXAMPLES
@given(pair=two_coders)
def test_cohen_kappa_matches_scikit_learn(weights, pair):
    a, b = pair
    try:
        ours = cohen_kappa(a, b, weights=weights)
    except AgreementUndefined:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cohen_kappa_score(a, b, weights=weights)
    assert ours == pytest.approx(theirs, abs=1e-9)


@EXAMPLES
@given(
    st.integers(2, 8).flatmap(
        lambda raters: st.lists(
            st.lists(st.integers(0, 3), min_size=raters, max_size=raters), min_size=1, max_size=30
        )
    )
)
def test_fleiss_kappa_matches_statsmodels(units):
    coders_by_units = np.array(units).T
    counts, _ = aggregate_raters(np.array(units))
    try:
        ours = fleiss_kappa(coders_by_units)
    except AgreementUndefined:
        return
    assert ours == pytest.approx(statsmodels_fleiss(counts), abs=1e-9)
    assert fleiss_kappa_from_counts(counts) == pytest.approx(ours, abs=1e-12)
