"""Coded units read into integer codes: floats and gaps in bulk, anything else value by value,
with the same codes and values either way."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.agreement import AgreementInputError
from annotator.agreement.coding_data import encode, row_totals


def as_numpy_scalars(rows):
    """The same values as numpy floats, which the value-by-value reading takes."""
    return [[None if v is None else np.float64(v) for v in row] for row in rows]


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("order", [None, [1.0, 2.0, 3.0, 4.0], [4.0, 2.0, 3.0, 1.0]])
def test_floats_with_gaps_are_coded_as_value_by_value(seed, order):
    rng = np.random.default_rng(seed)
    rows = [[None if rng.random() < 0.2 else float(rng.integers(1, 5)) for _ in range(12)] for _ in range(3)]
    bulk, one_by_one = encode(rows, value_order=order), encode(as_numpy_scalars(rows), value_order=order)
    assert bulk.values == one_by_one.values
    assert all(type(v) is float for v in bulk.values)  # the values as given, not numpy's
    assert bulk.codes.tolist() == one_by_one.codes.tolist()
    assert bulk.counts_by_unit().tolist() == one_by_one.counts_by_unit().tolist()


def test_a_float_outside_value_order_is_named():
    with pytest.raises(AgreementInputError, match="value 5.0 of coder row 1, unit 0 is not in value_order"):
        encode([[1.0, None], [5.0, 2.0]], value_order=[1.0, 2.0])


def test_small_whole_numbers_keep_their_values():
    coded = encode(np.array([[0, 1, 1], [1, 1, 7]]))
    assert coded.values == (0, 1, 7) and all(type(v) is int for v in coded.values)
    assert coded.codes.tolist() == [[0, 1, 1], [1, 1, 2]]
    wide = encode(np.array([[0, 10**9], [5, 10**9]]))
    assert wide.values == (0, 5, 10**9)


def test_counts_with_many_values_and_row_totals():
    data = np.arange(40).reshape(2, 20) % 17  # more values than are counted one at a time
    counts = encode(data).counts_by_unit()
    assert counts.shape == (20, 17) and counts.sum() == 40
    assert row_totals(counts).tolist() == counts.sum(axis=1).tolist()
    assert row_totals(np.zeros((3, 0))).tolist() == [0.0, 0.0, 0.0]
