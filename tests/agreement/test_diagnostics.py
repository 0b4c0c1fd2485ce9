"""Diagnostics: leave-one-coder-out alpha, confusion matrices, disagreement lists."""

from __future__ import annotations

import pytest
from agreement_examples import HK2007, K2011

from annotator.agreement import (
    alpha_details,
    alpha_without_each_coder,
    confusion_matrix,
    disagreements,
    krippendorff_alpha,
    pairwise_confusion_matrices,
)


def test_leaving_out_each_coder():
    table = alpha_without_each_coder(K2011, "interval", coders="ABCD")
    assert list(table) == ["A", "B", "C", "D"]
    for i, name in enumerate("ABCD"):
        rest = [row for j, row in enumerate(K2011) if j != i]
        assert table[name] == pytest.approx(krippendorff_alpha(rest, "interval"))


def test_the_odd_coder_out_is_the_one_whose_removal_helps_most():
    data = [[1, 2, 3, 1, 2, 3], [1, 2, 3, 1, 2, 2], [1, 2, 3, 1, 3, 3], [3, 1, 2, 2, 1, 3]]
    table = alpha_without_each_coder(data, coders="ABCD")
    assert max(table, key=table.get) == "D"


def test_leaving_out_one_of_two_coders_is_undefined():
    assert alpha_without_each_coder([[1, 2], [1, 2]]) == {0: None, 1: None}


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_unit_costs_add_up_to_observed_disagreement(level):
    details = alpha_details(K2011, level)
    listed = disagreements(K2011, level, include_agreements=True)
    assert sum(d.cost for d in listed) == pytest.approx(details.observed_disagreement)
    assert 1 - sum(d.cost for d in listed) / details.expected_disagreement == pytest.approx(details.alpha)
    assert len(listed) == details.n_pairable_units


def test_disagreements_are_ordered_by_cost_and_name_the_values():
    listed = disagreements(K2011, "interval", coders="ABCD")
    costs = [d.cost for d in listed]
    assert costs == sorted(costs, reverse=True)
    assert all(cost > 0 for cost in costs)
    worst = listed[0]
    assert worst.unit == 5  # unit 6 of the paper: 1, 2, 3, 4
    assert worst.values == {"A": 1, "B": 2, "C": 3, "D": 4}


def test_near_misses_cost_less_under_an_ordinal_level():
    by_unit = {d.unit: d.cost for d in disagreements(HK2007, "ordinal")}
    by_unit_nominal = {d.unit: d.cost for d in disagreements(HK2007, "nominal")}
    assert set(by_unit) == set(by_unit_nominal)
    # unit 2 (2, 3, 3, 3) is a near miss, unit 18 (1, 2, 3, 3) spreads wider
    assert by_unit[17] > by_unit[2]


def test_confusion_matrix_counts_units_both_coded():
    m = confusion_matrix([1, 1, 2, 3, None], [1, 2, 2, 3, 3], labels=[1, 2, 3])
    assert m.labels == (1, 2, 3)
    assert m.counts.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    assert (m.n_units, m.agreements) == (4, 3)


def test_pairwise_confusion_matrices_share_labels():
    tables = pairwise_confusion_matrices(K2011, coders="ABCD")
    assert list(tables) == [("A", "B"), ("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("C", "D")]
    assert all(t.labels == (1, 2, 3, 4, 5) for t in tables.values())
    assert tables[("A", "B")].n_units == 9
