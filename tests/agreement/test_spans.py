"""Span annotations read into one table: in bulk when they are plain tuples, one by one otherwise,
with the same table either way and the same message for the same mistake."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from annotator.agreement import AgreementInputError, SpanDocument
from annotator.agreement.spans import span_table
from annotator.domain import Span


def study(seed: int) -> list[SpanDocument]:
    rng = np.random.default_rng(seed)
    docs = []
    for d in range(int(rng.integers(1, 5))):
        length = int(rng.integers(0, 40))
        coders = ["ben", "anna"] if rng.random() < 0.3 else ["anna", "ben"]  # each document in its own order
        spans = {}
        for coder in coders:
            spans[coder] = []
            for _ in range(int(rng.integers(0, 6)) if length else 0):
                start = int(rng.integers(0, length))
                end = int(rng.integers(start + 1, length + 1))
                spans[coder].append((start, end, str(rng.choice(["claim", "actor", "frame"]))))
        docs.append(SpanDocument(length, spans, name=f"doc {d}"))
    return docs


def as_objects(docs: list[SpanDocument]) -> list[SpanDocument]:
    """The same spans as objects with start, end and category, which are read one at a time."""
    return [
        SpanDocument(d.length, {c: [SimpleNamespace(start=s, end=e, category=k) for s, e, k in spans]
                                for c, spans in d.spans.items()}, name=d.name)  # fmt: skip
        for d in docs
    ]


def columns(table) -> tuple:
    arrays = (table.doc_lengths, table.doc_offsets, table.coder, table.doc, table.category, table.start, table.end)
    return (table.coders, table.categories, *(a.tolist() for a in arrays))


@pytest.mark.parametrize("seed", range(25))
def test_tuples_and_objects_give_the_same_table(seed):
    docs = study(seed)
    assert columns(span_table(docs)) == columns(span_table(as_objects(docs)))


def test_domain_spans_and_numpy_offsets_are_read_too():
    plain = SpanDocument(20, {"a": [(2, 5, "x")], "b": [(3, 9, "x")]})
    mixed = SpanDocument(20, {"a": [Span(2, 5, "x")], "b": [(np.int64(3), np.int64(9), "x")]})
    assert columns(span_table([plain])) == columns(span_table([mixed]))


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([(5, 3, "x")], r"document 1 \(second\), coder 'a': span 5..3 \('x'\) is not inside 0..10"),
        ([(0, 11, "x")], r"span 0..11 \('x'\) is not inside 0..10"),
        ([(0.0, 3, "x")], "offsets must be whole numbers"),
        ([(0, 3)], "a span must be"),
        ([(0, 3, ["x"])], "category \\['x'\\] is not hashable"),
    ],
)
def test_a_bad_span_is_named_whichever_way_it_is_read(spans, message):
    good = SpanDocument(10, {"a": [(0, 2, "x")], "b": []}, name="first")
    bad = SpanDocument(10, {"a": [(1, 2, "x"), *spans], "b": []}, name="second")
    with pytest.raises(AgreementInputError, match=message):
        span_table([good, bad])


def test_the_first_mistake_in_reading_order_is_the_one_reported():
    early = SpanDocument(10, {"a": [(4, 40, "x")], "b": []})
    late = SpanDocument(-1, {"a": [], "b": []})
    with pytest.raises(AgreementInputError, match=r"document 0, coder 'a': span 4..40"):
        span_table([early, late])
