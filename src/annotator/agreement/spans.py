"""Span annotations as reliability data: documents, each coder's spans, one continuum.

Span measures (unitizing alpha, token-level agreement, span F1) read their input through
:func:`span_table`, which checks every span against its document and lays the documents end
to end on one continuum, so a position ``p`` of document ``d`` becomes ``offset[d] + p``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter, methodcaller
from typing import Any

import numpy as np

from annotator.agreement.errors import AgreementInputError


@dataclass(frozen=True)
class SpanDocument:
    """One document as marked up by several coders.

    Attributes
    ----------
    length : int
        Length of the document's text in characters (the continuum ``[0, length)``).
    spans : mapping of coder -> sequence of spans
        Each span is a ``(start, end, category)`` tuple or an object with ``start``, ``end``
        and ``category`` attributes (e.g. :class:`annotator.domain.Span`), ``0 <= start < end
        <= length``. A coder who read the document and marked nothing has an empty list; every
        document must list the same coders.
    tokens : sequence of (start, end), optional
        Token boundaries, for token-level agreement.
    name : str
        Used in error messages (e.g. the document's title or id).
    """

    length: int
    spans: Mapping[Hashable, Sequence[Any]]
    tokens: Sequence[tuple[int, int]] | None = None
    name: str = field(default="")


@dataclass(frozen=True)
class SpanTable:
    """All spans of a set of documents as flat arrays on one continuum.

    ``start``/``end`` are continuum positions; ``coder``, ``doc`` and ``category`` are
    indices into :attr:`coders`, the documents and :attr:`categories`.
    """

    coders: tuple
    categories: tuple
    doc_lengths: np.ndarray
    doc_offsets: np.ndarray
    coder: np.ndarray
    doc: np.ndarray
    category: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @property
    def n_docs(self) -> int:
        return len(self.doc_lengths)

    @property
    def total_length(self) -> int:
        return int(self.doc_lengths.sum())

    def category_index(self, category: Hashable) -> int:
        try:
            return self.categories.index(category)
        except ValueError:
            raise KeyError(category) from None

    def units(
        self, coder_index: int, category_index: int | None = None, *, join_touching: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One coder's units of one category (or of all), sorted, overlapping ones merged.

        Spans of one coder that overlap become their union: a coder's units of one category
        must not overlap for unitizing measures. Spans that only touch (one ends where the next
        starts) stay two units unless ``join_touching``.

        Returns
        -------
        start, end, doc : ndarrays of the merged units.
        """
        mask = self.coder == coder_index
        if category_index is not None:
            mask &= self.category == category_index
        return merge_intervals(self.start[mask], self.end[mask], self.doc[mask], join_touching=join_touching)


def merge_intervals(
    start: np.ndarray, end: np.ndarray, doc: np.ndarray, *, join_touching: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort half-open intervals and merge those that overlap (or touch, if ``join_touching``)."""
    if len(start) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    order = np.lexsort((end, start))
    s, e, d = start[order], end[order], doc[order]
    reach = np.maximum.accumulate(e)
    previous_reach = np.concatenate(([np.iinfo(np.int64).min], reach[:-1]))
    new_unit = s > previous_reach if join_touching else s >= previous_reach
    new_unit[1:] |= d[1:] != d[:-1]  # never join across a document boundary
    firsts = np.flatnonzero(new_unit)
    merged_end = np.maximum.reduceat(e, firsts)
    return s[firsts], merged_end, d[firsts]


def span_table(documents: Sequence[SpanDocument]) -> SpanTable:
    """Check ``documents`` and lay them end to end on one continuum.

    Raises
    ------
    AgreementInputError
        Documents that list different coders, spans outside their document, empty or
        malformed spans, negative lengths.
    """
    documents = list(documents)
    coders: tuple = tuple(documents[0].spans.keys()) if documents else ()
    columns = _plain_columns(documents, coders)
    if columns is None:
        columns = _checked_columns(documents, coders)
    lengths, coder, doc, category, start, end, categories = columns
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64) if len(documents) else lengths.copy()
    # categories in a stable, readable order; codes remapped to match
    order = sorted(range(len(categories)), key=lambda i: _sort_key(categories[i]))
    remap = np.empty(len(categories), dtype=np.int64)
    remap[order] = np.arange(len(categories))
    return SpanTable(
        coders=coders,
        categories=tuple(categories[i] for i in order),
        doc_lengths=lengths,
        doc_offsets=offsets,
        coder=coder,
        doc=doc,
        category=remap[category] if len(categories) else category,
        start=start + offsets[doc] if len(start) else start,
        end=end + offsets[doc] if len(end) else end,
    )


_Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple]


def _plain_columns(documents: list[SpanDocument], coders: tuple) -> _Columns | None:
    """The span columns read in bulk when every span is a plain ``(int, int, category)`` tuple and all
    is well; ``None`` otherwise, so that :func:`_checked_columns` finds the problem and names it."""
    maps = [document.spans for document in documents]
    given = [document.length for document in documents]
    if documents and (set(map(type, given)) != {int} or set(map(frozenset, maps)) != {frozenset(coders)}):
        return None
    lengths = np.array(given, dtype=np.int64).reshape(-1)
    if (lengths < 0).any():
        return None
    # every document's lists in its own order of coders, as the checked reading takes them
    names = list(chain.from_iterable(maps))
    lists = list(chain.from_iterable(map(methodcaller("values"), maps)))
    flat = list(chain.from_iterable(lists))
    if not flat:
        empty = np.zeros(0, dtype=np.int64)
        return lengths, empty, empty.copy(), empty.copy(), empty.copy(), empty.copy(), ()
    if set(map(type, flat)) != {tuple} or set(map(len, flat)) != {3}:
        return None
    # offsets numpy does not read as integers (floats, text, columns of bools only) go the checked way
    start = np.array(list(map(itemgetter(0), flat)))
    end = np.array(list(map(itemgetter(1), flat)))
    if start.dtype.kind not in "iu" or end.dtype.kind not in "iu":
        return None
    per_list = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    coder_index = {c: i for i, c in enumerate(coders)}
    coder = np.repeat(np.fromiter(map(coder_index.__getitem__, names), dtype=np.int64, count=len(names)), per_list)
    doc = np.repeat(np.repeat(np.arange(len(documents)), len(coders)), per_list)
    start, end = start.astype(np.int64), end.astype(np.int64)
    if not ((start >= 0) & (start < end) & (end <= lengths[doc])).all():
        return None
    labels = list(map(itemgetter(2), flat))
    try:
        index = dict.fromkeys(labels)
    except TypeError:  # an unhashable category
        return None
    for number, label in enumerate(index):
        index[label] = number
    category = np.fromiter(map(index.__getitem__, labels), dtype=np.int64, count=len(labels))
    return lengths, coder, doc, category, start, end, tuple(index)


def _checked_columns(documents: list[SpanDocument], coders: tuple) -> _Columns:
    """The span columns read one span at a time, raising on the first one that is wrong."""
    coder_index = {c: i for i, c in enumerate(coders)}
    category_index: dict[Hashable, int] = {}
    lengths = np.zeros(len(documents), dtype=np.int64)
    rows: list[tuple[int, int, int, int, int]] = []
    for d, document in enumerate(documents):
        label = _doc_label(document, d)
        length = document.length
        if not isinstance(length, (int, np.integer)) or length < 0:
            raise AgreementInputError(f"{label}: length must be a whole number >= 0, got {length!r}")
        lengths[d] = length
        if set(document.spans.keys()) != set(coders):
            missing = [c for c in coders if c not in document.spans]
            extra = [c for c in document.spans if c not in coder_index]
            raise AgreementInputError(
                f"{label}: every document must list the same coders (missing {missing}, extra {extra}); "
                "give a coder who marked nothing an empty list, and leave out documents not every coder finished"
            )
        for coder, spans in document.spans.items():
            for span in spans:
                start, end, category = _span_fields(span, label, coder)
                if not 0 <= start < end <= length:
                    raise AgreementInputError(
                        f"{label}, coder {coder!r}: span {start}..{end} ({category!r}) is not inside 0..{length} "
                        "or is empty"
                    )
                try:
                    cat = category_index.setdefault(category, len(category_index))
                except TypeError:
                    raise AgreementInputError(
                        f"{label}, coder {coder!r}: category {category!r} is not hashable"
                    ) from None
                rows.append((coder_index[coder], d, cat, start, end))
    arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return lengths, arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], arr[:, 4], tuple(category_index)


def _span_fields(span: Any, label: str, coder: Hashable) -> tuple[int, int, Hashable]:
    if isinstance(span, (tuple, list)) and len(span) == 3:
        start, end, category = span
    elif hasattr(span, "start") and hasattr(span, "end") and hasattr(span, "category"):
        start, end, category = span.start, span.end, span.category
    else:
        raise AgreementInputError(
            f"{label}, coder {coder!r}: a span must be (start, end, category) or have start/end/category, got {span!r}"
        )
    if not isinstance(start, (int, np.integer)) or not isinstance(end, (int, np.integer)):
        raise AgreementInputError(
            f"{label}, coder {coder!r}: span offsets must be whole numbers, got {start!r}..{end!r}"
        )
    return int(start), int(end), category


def _doc_label(document: SpanDocument, index: int) -> str:
    return f"document {index}" + (f" ({document.name})" if document.name else "")


def _sort_key(value: Any) -> tuple[str, str]:
    return (type(value).__name__, str(value))
