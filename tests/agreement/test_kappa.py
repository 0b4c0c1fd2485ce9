"""Kappa-type coefficients against published tables and reference values."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from annotator.agreement import (
    AgreementInputError,
    AgreementUndefined,
    alpha_details_from_counts,
    brennan_prediger_kappa,
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
    pairwise_cohen_kappa,
    percent_agreement,
    percent_agreement_from_counts,
)


def from_table(table: dict[tuple, int]) -> list[list]:
    """Two coders' values from a table {(value_a, value_b): number of units}."""
    a = [i for (i, j), n in table.items() for _ in range(n)]
    b = [j for (i, j), n in table.items() for _ in range(n)]
    return [a, b]


def from_matrix(matrix: list[list[int]]) -> list[list]:
    return from_table({(i + 1, j + 1): n for i, row in enumerate(matrix) for j, n in enumerate(row)})


# Cohen (1960), p. 37 and p. 45.
COHEN_1960_P37 = from_matrix([[25, 12, 3], [13, 2, 15], [12, 16, 2]])
COHEN_1960_P45 = from_matrix([[88, 14, 18], [10, 40, 10], [2, 6, 12]])

# Fleiss (1971), p. 379: 30 patients, 6 psychiatrists, 5 diagnoses; one row per patient.
FLEISS_1971_UNITS = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5), (2, 2, 2, 4, 4, 4),
    (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4), (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5),
    (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4), (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5),
    (3, 3, 3, 3, 3, 5), (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4), (1, 4, 4, 4, 4, 5),
    (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4), (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]
FLEISS_1971 = [list(coder) for coder in zip(*FLEISS_1971_UNITS)]

# The ten-unit, fourteen-rater table reproduced in many textbooks (counts per category).
FOURTEEN_RATERS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


class TestCohen:
    def test_cohen_1960_p45(self):
        a, b = COHEN_1960_P45
        assert percent_agreement([a, b]) == pytest.approx(0.70)
        assert round(cohen_kappa(a, b), 3) == 0.492
        # p_e = (120*100 + 60*60 + 20*40) / 200^2 = .41
        assert cohen_kappa(a, b) == pytest.approx((0.70 - 0.41) / (1 - 0.41), abs=1e-12)

    def test_cohen_1960_p37(self):
        a, b = COHEN_1960_P37
        # p_o = .29, p_e = (40*50 + 30*30 + 30*20) / 100^2 = .35
        assert cohen_kappa(a, b) == pytest.approx((0.29 - 0.35) / (1 - 0.35), abs=1e-12)

    def test_brennan_prediger_1981_tables(self):
        # proportions x 100; p. 689 and p. 691: kappa .27 and .29 at p_o = .60
        first = from_table({(1, 1): 50, (2, 1): 10, (2, 2): 10, (2, 3): 10, (3, 1): 20})
        second = from_table({(1, 1): 50, (1, 3): 10, (2, 2): 10, (2, 3): 10, (3, 1): 10, (3, 2): 10})
        assert round(cohen_kappa(*first), 2) == 0.27
        assert round(cohen_kappa(*second), 2) == 0.29

    @pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
    def test_weighted_kappa_matches_scikit_learn_on_likert_tables(self, weights):
        for matrix in (
            [[20, 5, 1, 0], [4, 15, 6, 1], [0, 5, 18, 4], [0, 1, 3, 12]],
            [[15, 4, 1, 0, 0], [3, 12, 4, 1, 0], [1, 3, 14, 3, 1], [0, 1, 3, 10, 2], [0, 0, 1, 2, 8]],
        ):
            a, b = from_matrix(matrix)
            assert cohen_kappa(a, b, weights=weights) == pytest.approx(
                cohen_kappa_score(a, b, weights=weights), abs=1e-12
            )

    def test_labels_fix_the_distances_of_weighted_kappa(self):
        # with category 2 unused, linear weights see 1 -> 3 as two steps only if told the scale
        a, b = [1, 1, 3, 3], [1, 3, 3, 3]
        told = cohen_kappa(a, b, weights="linear", labels=[1, 2, 3])
        assert told == pytest.approx(cohen_kappa_score(a, b, weights="linear", labels=[1, 2, 3]), abs=1e-12)
        assert cohen_kappa(a, b, weights="linear") == pytest.approx(cohen_kappa_score(a, b, weights="linear"))

    def test_missing_values_drop_the_unit(self):
        assert cohen_kappa([1, 2, None, 1], [1, 2, 2, float("nan")]) == 1.0

    def test_pairwise_table_names_pairs_in_row_order(self):
        table = pairwise_cohen_kappa([[1, 2, 1], [1, 2, 2], [1, 1, 1]], coders=["A", "B", "C"])
        assert list(table) == [("A", "B"), ("A", "C"), ("B", "C")]
        assert table[("A", "B")] == pytest.approx(cohen_kappa([1, 2, 1], [1, 2, 2]))


class TestFleiss:
    def test_fleiss_1971(self):
        assert round(fleiss_kappa(FLEISS_1971), 3) == 0.430
        assert round(percent_agreement(FLEISS_1971), 4) == 0.5556  # P-bar in Fleiss (1971)

    def test_fleiss_1971_matches_statsmodels(self):
        counts = np.array([[unit.count(c) for c in range(1, 6)] for unit in FLEISS_1971_UNITS])
        assert fleiss_kappa(FLEISS_1971) == pytest.approx(statsmodels_fleiss(counts), abs=1e-12)
        assert fleiss_kappa_from_counts(counts) == pytest.approx(statsmodels_fleiss(counts), abs=1e-12)

    def test_fourteen_rater_table(self):
        # P-bar = .378, P-e = .213, kappa = .210
        assert round(fleiss_kappa_from_counts(FOURTEEN_RATERS), 3) == 0.210
        assert fleiss_kappa_from_counts(FOURTEEN_RATERS) == pytest.approx(
            statsmodels_fleiss(np.array(FOURTEEN_RATERS)), abs=1e-12
        )

    def test_per_unit_agreement_of_fleiss_1971(self):
        # Fleiss' P_i for the first units: 1.000, .400, .400, 1.000, .400, .467
        for unit, p_i in zip(FLEISS_1971_UNITS, [1.0, 0.4, 0.4, 1.0, 0.4, 0.467]):
            assert round(percent_agreement([[v] for v in unit]), 3) == p_i


class TestGwetAndBrennanPrediger:
    def test_skewed_hand_example(self):
        # 8 x (y, y), 1 x (n, n), 1 x (y, n): p_a = .9, pi_y = .85, p_e = 2 * .85 * .15 = .255
        data = from_table({("y", "y"): 8, ("n", "n"): 1, ("y", "n"): 1})
        assert gwet_ac1(data) == pytest.approx((0.9 - 0.255) / (1 - 0.255), abs=1e-12)
        assert round(gwet_ac1(data), 4) == 0.8658

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (COHEN_1960_P37, -0.0480),  # p_a = .29, p_e = .3225
            (COHEN_1960_P45, 0.5760),  # p_a = .70, p_e = .2925
            (from_matrix([[80, 7], [8, 5]]), 0.808),  # irrCAC 1.4, gwet.ac1.raw
            (from_matrix([[20, 5, 1, 0], [4, 15, 6, 1], [0, 5, 18, 4], [0, 1, 3, 12]]), 0.58046),
            (
                from_matrix(
                    [[15, 4, 1, 0, 0], [3, 12, 4, 1, 0], [1, 3, 14, 3, 1], [0, 1, 3, 10, 2], [0, 0, 1, 2, 8]]
                ),
                0.57997,
            ),
        ],
    )
    def test_ac1_reference_values(self, data, expected):
        assert gwet_ac1(data) == pytest.approx(expected, abs=5e-5)  # published to 4-5 decimals

    def test_ac1_with_three_coders_and_missing_values(self):
        # units (coders A, B, C): (1,1,1) (1,1,2) (2,2,None) (1,None,None)
        data = [[1, 1, 2, 1], [1, 1, 2, None], [1, 2, None, None]]
        # p_a over units with >= 2 values: (1 + 1/3 + 1) / 3 = 7/9
        # pi over units with >= 1 value: pi_1 = (1 + 2/3 + 0 + 1) / 4 = 2/3, pi_2 = 1/3
        # p_e = (2/3 * 1/3 + 1/3 * 2/3) / (2 - 1) = 4/9
        assert percent_agreement(data) == pytest.approx(7 / 9)
        assert gwet_ac1(data) == pytest.approx((7 / 9 - 4 / 9) / (1 - 4 / 9), abs=1e-12)
        # Brennan-Prediger: chance 1/2
        assert brennan_prediger_kappa(data) == pytest.approx((7 / 9 - 1 / 2) / (1 - 1 / 2), abs=1e-12)

    def test_brennan_prediger_1981(self):
        first = from_table({(1, 1): 50, (2, 1): 10, (2, 2): 10, (2, 3): 10, (3, 1): 20})
        assert round(brennan_prediger_kappa(first), 2) == 0.40

    def test_codebook_categories_change_chance_agreement(self):
        data = [["a", "a", "b"], ["a", "b", "b"]]
        assert brennan_prediger_kappa(data, categories=["a", "b", "c", "d"]) == pytest.approx(
            (2 / 3 - 1 / 4) / (1 - 1 / 4)
        )


def test_cohen_kappa_from_the_contingency_table():
    a = [0, 0, 1, 2, 2, 2, 1, 0]
    b = [0, 1, 1, 2, 2, 0, 1, 0]
    table = np.zeros((3, 3))
    np.add.at(table, (a, b), 1)
    for weights in (None, "linear", "quadratic"):
        assert cohen_kappa_from_table(table, weights=weights) == cohen_kappa(a, b, weights=weights)
    with pytest.raises(AgreementUndefined, match="no unit"):
        cohen_kappa_from_table(np.zeros((2, 2)))
    with pytest.raises(AgreementInputError, match="square"):
        cohen_kappa_from_table([[1, 2, 3]])


def test_rows_standing_for_many_units_equal_those_units_written_out():
    rng = np.random.default_rng(5)
    rows = np.array([[3, 0, 0], [2, 1, 0], [1, 1, 1], [0, 0, 3], [0, 2, 1]], dtype=float)
    repeats = rng.integers(0, 40, size=len(rows))
    repeats[2] = 0  # a row standing for no unit counts for nothing
    written_out = np.repeat(rows, repeats, axis=0)
    for level in ("nominal", "ordinal", "interval"):
        compact = alpha_details_from_counts(rows, (1, 2, 3), level, units_per_row=repeats)
        full = alpha_details_from_counts(written_out, (1, 2, 3), level)
        assert compact.alpha == pytest.approx(full.alpha, rel=1e-12)
        assert (compact.n_pairable_values, compact.n_pairs, compact.n_pairable_units) == (
            full.n_pairable_values, full.n_pairs, full.n_pairable_units)  # fmt: skip
    assert fleiss_kappa_from_counts(rows, units_per_row=repeats) == pytest.approx(
        fleiss_kappa_from_counts(written_out), rel=1e-12
    )
    assert percent_agreement_from_counts(rows, units_per_row=repeats) == pytest.approx(
        percent_agreement_from_counts(written_out), rel=1e-12
    )
    with pytest.raises(AgreementInputError, match="units_per_row"):
        percent_agreement_from_counts(rows, units_per_row=[1, 2])
    with pytest.raises(AgreementUndefined):
        fleiss_kappa_from_counts(rows, units_per_row=np.zeros(len(rows)))
