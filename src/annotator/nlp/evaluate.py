"""How well suggestions agree with a gold standard: precision, recall and F1 per category.

Two ways of counting a suggestion as right:

* **exact**: same category, same start and same end as a gold span;
* **overlap**: same category and at least one character in common. Pairs are formed one to one, greedily,
  the pair sharing the most characters first (ties: the earlier gold span, then the earlier suggestion), so
  one long suggestion over two gold hedges counts once, and two suggestions inside one gold quote count
  once, the other being a false positive.

Spans are :class:`annotator.domain.Span` (or anything with ``start``, ``end`` and ``category``), grouped
per document; documents present on one side only count with empty spans on the other.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["CategoryScore", "Evaluation", "LabelledSpan", "evaluate", "match_exact", "match_overlap"]

ALL = "(all)"


class LabelledSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def category(self) -> str: ...


@dataclass
class CategoryScore:
    """Counts for one category (or for all, micro-averaged); rates are NaN where undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        """Number of gold spans."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else math.nan

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else math.nan

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else math.nan

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn


@dataclass
class Evaluation:
    """Scores per category for both matching modes; ``"(all)"`` holds the micro average."""

    exact: dict[str, CategoryScore] = field(default_factory=dict)
    overlap: dict[str, CategoryScore] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        return sorted(c for c in self.overlap if c != ALL)


def match_exact(gold: list[LabelledSpan], predicted: list[LabelledSpan]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold index, predicted index)`` with identical bounds and category."""
    waiting: dict[tuple[int, int, str], list[int]] = {}
    for j, p in enumerate(predicted):
        waiting.setdefault((p.start, p.end, p.category), []).append(j)
    pairs = []
    for i, g in enumerate(gold):
        candidates = waiting.get((g.start, g.end, g.category))
        if candidates:
            pairs.append((i, candidates.pop(0)))
    return pairs


def match_overlap(gold: list[LabelledSpan], predicted: list[LabelledSpan]) -> list[tuple[int, int]]:
    """One-to-one pairs of the same category, greedily by characters in common (most first)."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if g.category != p.category:
                continue
            common = min(g.end, p.end) - max(g.start, p.start)
            if common > 0:
                candidates.append((-common, i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_predicted:
            used_gold.add(i)
            used_predicted.add(j)
            pairs.append((i, j))
    return pairs


def evaluate(
    gold: Mapping[Hashable, Iterable[LabelledSpan]],
    predicted: Mapping[Hashable, Iterable[LabelledSpan]],
    categories: Iterable[str] | None = None,
) -> Evaluation:
    """Score `predicted` against `gold`, both mapping a document key to its spans.

    With `categories`, only those are scored (and listed even when absent from both sides); otherwise
    every category seen on either side.
    """
    wanted = set(categories) if categories is not None else None
    result = Evaluation()
    for key in sorted(set(gold) | set(predicted), key=repr):
        g = [s for s in gold.get(key, ()) if wanted is None or s.category in wanted]
        p = [s for s in predicted.get(key, ()) if wanted is None or s.category in wanted]
        for table, pairs in ((result.exact, match_exact(g, p)), (result.overlap, match_overlap(g, p))):
            _count(table, g, p, pairs)
    for table in (result.exact, result.overlap):
        for category in wanted or ():
            table.setdefault(category, CategoryScore())
        total = CategoryScore()
        for score in table.values():
            total.add(score.tp, score.fp, score.fn)
        table[ALL] = total
    return result


def _count(
    table: dict[str, CategoryScore],
    gold: list[LabelledSpan],
    predicted: list[LabelledSpan],
    pairs: list[tuple[int, int]],
) -> None:
    matched_gold = {i for i, _ in pairs}
    matched_predicted = {j for _, j in pairs}
    for i, span in enumerate(gold):
        table.setdefault(span.category, CategoryScore()).add(int(i in matched_gold), 0, int(i not in matched_gold))
    for j, span in enumerate(predicted):
        table.setdefault(span.category, CategoryScore()).add(0, int(j not in matched_predicted), 0)
