"""Krippendorff's alpha against the published worked examples."""

from __future__ import annotations

import numpy as np
import pytest
from agreement_examples import HK2007, K2011

from annotator.agreement import AgreementInputError, alpha_details, krippendorff_alpha


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_example_all_levels(level, published):
    assert round(krippendorff_alpha(K2011, level), 3) == published


def test_krippendorff_2011_coincidence_matrix():
    # the paper's matrix of coincidences: n = 40 pairable values, marginals 9, 13, 10, 5, 3
    details = alpha_details(K2011)
    o = details.coincidences
    assert details.n_pairable_values == 40
    assert o.sum(axis=1).tolist() == pytest.approx([9, 13, 10, 5, 3])
    assert o[0].tolist() == pytest.approx([7, 4 / 3, 1 / 3, 1 / 3, 0])
    assert o[1].tolist() == pytest.approx([4 / 3, 10, 4 / 3, 1 / 3, 0])
    assert np.allclose(o, o.T)
    assert details.n_pairable_units == 11  # unit 12 has a single value and drops out


def test_krippendorff_2011_binary_two_coder_example():
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([a, b]), 3) == 0.095
    # by hand: o_01 = o_10 = 4, n_0 = 14, n_1 = 6, n = 20 -> 1 - 19 * 8 / (2 * 14 * 6) = 2/21
    assert krippendorff_alpha([a, b]) == pytest.approx(2 / 21, abs=1e-12)


def test_hayes_krippendorff_2007_ordinal_example():
    details = alpha_details(HK2007, "ordinal")
    assert round(details.alpha, 4) == 0.7598
    assert details.n_pairs == 239  # "a random sample of 239 pairs of judgments"
    assert details.n_pairable_values == 159


def test_labels_and_arrays_give_the_same_alpha():
    as_float = np.array([[np.nan if v is None else v for v in row] for row in K2011], dtype=float)
    as_text = [[None if v is None else "abcde"[v - 1] for v in row] for row in K2011]
    assert krippendorff_alpha(as_float) == pytest.approx(krippendorff_alpha(K2011), abs=1e-12)
    assert krippendorff_alpha(as_text) == pytest.approx(krippendorff_alpha(K2011), abs=1e-12)
    ordered = krippendorff_alpha(as_text, "ordinal", value_order="abcde")
    assert ordered == pytest.approx(krippendorff_alpha(K2011, "ordinal"), abs=1e-12)


def test_unused_values_in_the_order_do_not_change_ordinal_alpha():
    words = ["never", "rarely", "sometimes", "often", "always"]
    data = [["never", "often", "often", None], ["rarely", "often", "always", "never"]]
    with_unused = krippendorff_alpha(data, "ordinal", value_order=words)
    numeric = [[None if v is None else words.index(v) for v in row] for row in data]
    assert with_unused == pytest.approx(krippendorff_alpha(numeric, "ordinal"), abs=1e-12)


def test_ordinal_text_values_need_an_order():
    with pytest.raises(AgreementInputError, match="value_order"):
        krippendorff_alpha([["low", "high"], ["low", "low"]], "ordinal")


def test_ratio_level_rejects_negative_values_and_handles_zero():
    with pytest.raises(AgreementInputError, match="negative"):
        krippendorff_alpha([[-1, 2], [1, 2]], "ratio")
    # zeros are fine. Units (0,0), (0,2), (1,1): o_00 = 2, o_02 = o_20 = 1, o_11 = 2, n = 6,
    # n_0 = 3, n_1 = 2, n_2 = 1; delta(0,1) = delta(0,2) = 1, delta(1,2) = (1/3)^2.
    # alpha = 1 - (n - 1) * sum(o * delta) / sum(n_c n_k delta) = 1 - 5 * 2 / (2 * (6 + 3 + 2/9)) = 1 - 90/166
    assert krippendorff_alpha([[0, 0, 1], [0, 2, 1]], "ratio") == pytest.approx(1 - 90 / 166, abs=1e-12)


def test_perfect_agreement_is_one_and_systematic_disagreement_is_negative():
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]]) == 1.0
    assert krippendorff_alpha([[1, 2, 1, 2], [2, 1, 2, 1]]) < 0
