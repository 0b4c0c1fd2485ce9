"""Components take their docs batch by batch.

spaCy hands a stream of docs to a component through its ``pipe`` method when it has one, else doc by
doc through ``__call__``. Doc by doc, every doc passes through all components before the next is made,
so each component finds its data (matchers, word tables, code) pushed out of the CPU caches by the
others. With ``pipe`` working through a batch at a time, each component handles many docs in a row:
the same work costs noticeably less. The docs and their order are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import minibatch

__all__ = ["BatchedComponent"]


class BatchedComponent:
    """Gives a component with a ``__call__(doc)`` a ``pipe(stream, batch_size=…)`` that works in batches."""

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            yield from [self(doc) for doc in batch]  # type: ignore[operator]
