"""Published reliability data and generated studies shared by the agreement tests."""

from __future__ import annotations

import numpy as np

from annotator.agreement import SpanDocument

# Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", p. 3: coders A-D, 12 units.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Hayes & Krippendorff (2007), p. 84: 5 observers, 40 units, ordinal; units are rows here.
_ = None
HK2007_UNITS = [
    (1, 1, 2, _, 2), (1, 1, 0, 1, _), (2, 3, 3, 3, _), (_, 0, 0, _, 0), (0, 0, 0, _, 0),
    (0, 0, 0, _, 0), (1, 0, 2, _, 1), (1, _, 2, 0, _), (2, 2, 2, _, 2), (2, 1, 1, 1, _),
    (_, 1, 0, 0, _), (0, 0, 0, 0, _), (1, 2, 2, 2, _), (3, 3, 2, 2, 3), (1, 1, 1, _, 1),
    (1, 1, 1, _, 1), (2, 1, 2, _, 2), (1, 2, 3, 3, _), (1, 1, 0, 1, _), (0, 0, 0, _, 0),
    (0, 0, 1, 1, _), (0, 0, _, 0, 0), (2, 3, 3, 3, _), (0, 0, 0, 0, _), (1, 2, _, 2, 2),
    (0, 1, 1, 1, _), (0, 0, 0, 1, 0), (1, 2, 1, 2, _), (1, 1, 2, 2, _), (1, 1, 2, _, 2),
    (1, 1, 0, _, 0), (2, 1, 2, 1, _), (2, 2, _, 2, 2), (3, 2, 2, 2, _), (2, 2, 2, _, 2),
    (2, 2, 3, _, 2), (2, 2, 2, _, 2), (2, 2, _, 1, 2), (2, 2, 2, 2, _), (1, 1, 1, _, 1),
]
HK2007 = [list(coder) for coder in zip(*HK2007_UNITS)]

# Krippendorff (2004), Content Analysis 2nd ed., p. 254: a continuum from 150 to 450, two
# observers i and j, categories c and k; shifted here to begin at 0.
K2004 = SpanDocument(
    300,
    {
        "i": [
            (225 - 150, 295 - 150, "c"),
            (370 - 150, 400 - 150, "c"),
            (180 - 150, 240 - 150, "k"),
            (300 - 150, 350 - 150, "k"),
        ],
        "j": [
            (220 - 150, 300 - 150, "c"),
            (355 - 150, 375 - 150, "c"),
            (400 - 150, 420 - 150, "c"),
            (180 - 150, 240 - 150, "k"),
            (300 - 150, 350 - 150, "k"),
        ],
    },
)


def random_documents(rng: np.random.Generator, *, n_docs: int, n_spans: int, length: int) -> list[SpanDocument]:
    """Documents coded by A, B and C, each with `n_spans` random spans in three categories."""
    categories = ["frame", "actor", "claim"]
    docs = []
    for _ in range(n_docs):
        spans = {}
        for coder in ("A", "B", "C"):
            starts = rng.integers(0, length - 60, size=n_spans)
            sizes = rng.integers(1, 60, size=n_spans)
            spans[coder] = [(int(s), int(s + z), categories[int(rng.integers(3))]) for s, z in zip(starts, sizes)]
        docs.append(SpanDocument(length, spans))
    return docs
