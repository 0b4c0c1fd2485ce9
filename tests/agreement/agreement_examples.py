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


# --- plain reference implementations, straight from the definitions ----------------------------


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def reference_alpha_u(documents: list[SpanDocument], category) -> tuple[float, float]:
    """Alpha-u's D_o and D_e computed section pair by section pair, straight from the definition."""
    coders = list(documents[0].spans)
    m = len(coders)
    total = sum(d.length for d in documents)
    sections: dict = {c: [] for c in coders}  # (begin, length, is_unit) on the joined continuum
    offset = 0
    for doc in documents:
        for c in coders:
            pos = 0
            for s, e in merged([(s, e) for s, e, k in doc.spans[c] if k == category]):
                if s > pos:
                    sections[c].append((offset + pos, s - pos, False))
                sections[c].append((offset + s, e - s, True))
                pos = e
            if pos < doc.length:
                sections[c].append((offset + pos, doc.length - pos, False))
        offset += doc.length

    def distance(g, h):
        (bg, lg, ug), (bh, lh, uh) = g, h
        if ug and uh and -lg < bg - bh < lh:
            return (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
        if ug and not uh and bh <= bg and bg + lg <= bh + lh:
            return lg**2
        if not ug and uh and bg <= bh and bh + lh <= bg + lg:
            return lh**2
        return 0

    observed = sum(
        distance(g, h) for i in coders for j in coders if i != j for g in sections[i] for h in sections[j]
    ) / (m * (m - 1) * total**2)
    units = [l for c in coders for (_, l, u) in sections[c] if u]
    gaps = [l for c in coders for (_, l, u) in sections[c] if not u]
    n = len(units)
    placed = sum(
        (n - 1) / 3 * (2 * l**3 - 3 * l**2 + l) + l**2 * sum(g - l + 1 for g in gaps if g >= l) for l in units
    )
    expected = 2 / total * placed / (m * total * (m * total - 1) - sum(l * (l - 1) for l in units))
    return observed, expected


def reference_binary(documents: list[SpanDocument], category) -> float:
    """|u-alpha from per-character marks: o = sum k(m-k)/(m-1), e from blocks and single positions."""
    coders = list(documents[0].spans)
    m = len(coders)
    marks, blocks = [], 0
    for doc in documents:
        marked = np.zeros((m, doc.length), dtype=int)
        for i, c in enumerate(coders):
            for s, e in merged([(s, e) for s, e, k in doc.spans[c] if k == category]):
                marked[i, s:e] = 1
                blocks += (e - s) ** 2
        marks.append(marked)
    k = np.concatenate(marks, axis=1).sum(axis=0)
    n = m * len(k)
    n_c = k.sum()
    n_0 = n - n_c
    observed = (k * (m - k)).sum() / (m - 1)
    expected = n * n_c * n_0 / (n**2 - blocks - n_0)
    return 1 - observed / expected
