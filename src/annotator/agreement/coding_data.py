"""Reliability data for coding: a coders × units matrix of values with gaps for missing ones.

Every coefficient over coded units (alpha, the kappas, the diagnostics) reads its input
through :func:`encode`, so all of them agree on what counts as missing (``None`` or a float
NaN), on the order of values, and on the messages for malformed input.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from annotator.agreement.errors import AgreementInputError

MISSING_CODE = -1
_FEW_VALUES = 16  # below this many distinct values, count them one value at a time


def is_missing(value: Any) -> bool:
    """Whether ``value`` stands for "this coder gave no value for this unit"."""
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def _is_real_number(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.bool_)) and not isinstance(value, (str, bytes))


@dataclass(frozen=True)
class CodedValues:
    """A reliability data matrix with its values replaced by integer codes.

    Attributes
    ----------
    values : tuple
        The distinct values, code ``i`` standing for ``values[i]``. Numbers come in ascending
        order, other values sorted where they can be (else in order of first appearance), or
        in the caller's ``value_order``.
    codes : ndarray of int, shape (n_coders, n_units)
        ``-1`` where the value is missing.
    """

    values: tuple
    codes: np.ndarray

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    def counts_by_unit(self) -> np.ndarray:
        """How many coders gave each value to each unit, shape (n_units, n_values)."""
        n_values = len(self.values)
        if n_values <= _FEW_VALUES:
            # one comparison per value beats scattering every code when there are few values
            counts = np.empty((self.n_units, n_values))
            for code in range(n_values):
                counts[:, code] = (self.codes == code).sum(axis=0)
            return counts
        coder_idx, unit_idx = np.nonzero(self.codes != MISSING_CODE)
        flat = unit_idx * n_values + self.codes[coder_idx, unit_idx]
        counts = np.bincount(flat, minlength=self.n_units * n_values)
        return counts.reshape(self.n_units, n_values).astype(float)

    def numeric_values(self) -> np.ndarray:
        """The values as floats (only for numeric data; checked by :func:`encode`)."""
        return np.asarray(self.values, dtype=float)


def row_totals(counts: np.ndarray) -> np.ndarray:
    """Sum of each row of a units × values count table.

    With few values the columns are added one to another: numpy's sum along many short rows is
    an order of magnitude slower, and for whole-number counts both are exact.
    """
    counts = np.asarray(counts, dtype=float)
    if counts.shape[1] > _FEW_VALUES:
        return counts.sum(axis=1)
    total = np.zeros(counts.shape[0])
    for column in counts.T:
        total += column
    return total


def encode(data: Any, *, value_order: Sequence | None = None, numeric: bool = False) -> CodedValues:
    """Read a coders × units matrix (rows are coders) into :class:`CodedValues`.

    Parameters
    ----------
    data : sequence of sequences or 2-D ndarray, shape (n_coders, n_units)
        One row per coder, one column per unit; ``None`` or NaN where a coder gave no value.
    value_order : sequence, optional
        All admissible values, in order. Required order for ordinal data whose values do not
        sort by themselves (e.g. ``["low", "medium", "high"]``); values outside it are an error.
    numeric : bool
        Whether the values must be real numbers (interval and ratio data).
    """
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf" and value_order is None:
        return _encode_numeric_array(data)
    rows = _rows(data)
    width = len(rows[0]) if rows else 0
    for i, row in enumerate(rows):
        if len(row) != width:
            raise AgreementInputError(
                f"reliability data must be rectangular (coders × units): "
                f"row {i} has {len(row)} values, row 0 has {width}"
            )
    floats = _encode_float_rows(rows, width, value_order)
    if floats is not None:
        return floats
    present = [v for row in rows for v in row if not is_missing(v)]
    values = _ordered_values(present, value_order)
    if numeric:
        bad = next((v for v in values if not _is_real_number(v)), None)
        if bad is not None:
            raise AgreementInputError(f"interval and ratio data must be numbers, got {bad!r}")
    index = {v: i for i, v in enumerate(values)}
    codes = np.full((len(rows), width), MISSING_CODE, dtype=np.int64)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if not is_missing(v):
                try:
                    codes[i, j] = index[v]
                except KeyError:
                    raise AgreementInputError(f"value {v!r} of coder row {i}, unit {j} is not in value_order") from None
                except TypeError:
                    raise AgreementInputError(
                        f"value {v!r} of coder row {i}, unit {j} cannot be used as a category"
                    ) from None
    return CodedValues(values=tuple(values), codes=codes)


def _encode_numeric_array(data: np.ndarray) -> CodedValues:
    if data.ndim != 2:
        raise AgreementInputError(f"reliability data must be a 2-D coders × units matrix, got shape {data.shape}")
    if data.dtype.kind in "biu" and data.size:
        small = _encode_small_integers(data)
        if small is not None:
            return small
    arr = data.astype(float)
    present = ~np.isnan(arr)
    values, inverse = np.unique(arr[present], return_inverse=True)
    codes = np.full(arr.shape, MISSING_CODE, dtype=np.int64)
    codes[present] = inverse
    as_python = tuple(int(v) if float(v).is_integer() and data.dtype.kind in "biu" else float(v) for v in values)
    return CodedValues(values=as_python, codes=codes)


def _encode_float_rows(rows: list[list], width: int, value_order: Sequence | None) -> CodedValues | None:
    """Rows holding only floats and ``None`` (codebook values as the report numbers them) coded with
    array operations; ``None`` for anything else, which the general reading handles value by value."""
    flat = list(chain.from_iterable(rows))
    if not flat or not set(map(type, flat)) <= {float, type(None)}:
        return None
    data = np.array(rows, dtype=float).reshape(len(rows), width)  # None becomes NaN: missing
    if value_order is None:
        return _encode_numeric_array(data)
    order = list(value_order)
    if set(map(type, order)) != {float} or len(set(order)) != len(order):
        return None
    known = np.array(order)
    sorter = np.argsort(known, kind="stable")
    present = ~np.isnan(data)
    at = np.minimum(np.searchsorted(known[sorter], data[present]), len(order) - 1)
    if not (known[sorter][at] == data[present]).all():
        return None  # a value outside value_order: the general reading names it
    codes = np.full(data.shape, MISSING_CODE, dtype=np.int64)
    codes[present] = sorter[at]
    return CodedValues(values=tuple(order), codes=codes)


def _encode_small_integers(data: np.ndarray) -> CodedValues | None:
    """Whole numbers from a narrow range (0/1 token marks, codes 1..k) coded by table look-up,
    which takes linear time where sorting all values would not; ``None`` for a wide range."""
    low, high = int(data.min()), int(data.max())
    if high - low > max(_FEW_VALUES, data.size) or max(abs(low), abs(high)) > 2**53:
        return None
    shifted = data.astype(np.int64) - low
    used = np.flatnonzero(np.bincount(shifted.ravel(), minlength=high - low + 1))
    lookup = np.full(high - low + 1, MISSING_CODE, dtype=np.int64)
    lookup[used] = np.arange(len(used))
    return CodedValues(values=tuple(int(v) + low for v in used), codes=lookup[shifted])


def _rows(data: Any) -> list[list]:
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise AgreementInputError(f"reliability data must be a 2-D coders × units matrix, got shape {data.shape}")
        return [list(row) for row in data]
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
        raise AgreementInputError("reliability data must be a sequence of rows, one row of values per coder")
    rows = []
    for i, row in enumerate(data):
        if isinstance(row, (str, bytes)) or not isinstance(row, (Sequence, np.ndarray)):
            raise AgreementInputError(
                f"row {i} of the reliability data is {type(row).__name__}, expected a sequence with one value per unit"
            )
        rows.append(list(row))
    return rows


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _ordered_values(present: list, value_order: Sequence | None) -> list:
    if value_order is not None:
        order = list(value_order)
        if len(set(order)) != len(order):
            raise AgreementInputError("value_order lists a value twice")
        return order
    try:
        distinct = list(dict.fromkeys(present))
    except TypeError:
        bad = next(v for v in present if not _hashable(v))
        raise AgreementInputError(f"value {bad!r} cannot be used as a category (it is not hashable)") from None
    if all(_is_real_number(v) for v in distinct):
        return sorted(distinct)
    try:
        return sorted(distinct)
    except TypeError:
        return distinct  # mixed kinds that do not sort: first appearance
