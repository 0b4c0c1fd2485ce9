"""Suggestion runs: documents in, suggested spans out, as plain data.

:func:`suggest_documents` is the long-running job behind "Suggest labels": it takes ``(key, text, zones)``
triples (key is whatever identifies a document for the caller, e.g. its id), runs the pipeline over them in
batches and yields each document's suggestions in input order. Offsets are character offsets into the
text given. Like every long job in annotator it takes a `progress` callback and a `cancel` check; when
cancelled it stops after the current batch, and everything yielded so far is complete.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any, Generic, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from annotator.domain import Zone

from .ruler import SUGGESTIONS_KEY
from .zones import set_zones

__all__ = [
    "Suggestion",
    "default_pipeline",
    "suggest_documents",
    "suggest_text",
    "suggestions_of",
]

K = TypeVar("K")
ProgressCallback = Callable[[int, int | None], None]  # (documents done, total or None)
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class Suggestion(Generic[K]):
    """One suggested span: ``text == document_text[start:end]``."""

    document: K
    category: str
    start: int
    end: int
    text: str
    rule_id: str  # the pattern or code rule that fired, e.g. "hedge_adverb", "quote_marks"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


_BUILDING = threading.Lock()


def default_pipeline() -> Language:
    """The pipeline with the shipped pattern set, built once per process (on first use: about a second).

    :func:`annotator.nlp.preload_suggester` builds it in the background ahead of the first run.
    """
    with _BUILDING:  # a preload in the background and a first run must not build it twice
        return _default_pipeline()


@lru_cache(maxsize=1)
def _default_pipeline() -> Language:
    from .pipeline import build_pipeline

    return build_pipeline()


def suggestions_of(doc: Doc, key: K) -> list[Suggestion[K]]:
    """The suggestions a processed doc holds, sorted by position."""
    found = []
    for span in doc.spans[SUGGESTIONS_KEY] if SUGGESTIONS_KEY in doc.spans else ():
        info = span._.cue_info
        found.append(
            Suggestion(
                document=key,
                category=span.label_,
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                rule_id=span.id_ or span.label_,
                extra=dict(info) if info else {},
            )
        )
    found.sort(key=lambda s: (s.start, s.end, s.category))
    return found


def suggest_documents(
    items: Iterable[tuple[K, str, Sequence[Zone] | None]],
    nlp: Language | None = None,
    batch_size: int = 32,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    total: int | None = None,
) -> Iterator[tuple[K, list[Suggestion[K]]]]:
    """Yield ``(key, suggestions)`` per document, in input order.

    `items` are ``(key, text, zones)``; zones ``None`` treats the whole text as body. `nlp` defaults to
    :func:`default_pipeline`. `progress(done, total)` is called after each batch (`total` as given, since
    `items` may be a stream). `cancel()` is checked before each batch.
    """
    nlp = nlp if nlp is not None else default_pipeline()
    stream = iter(items)
    done = 0
    while True:
        if cancel is not None and cancel():
            return
        batch = list(islice(stream, batch_size))
        if not batch:
            return
        docs = [set_zones(nlp.make_doc(text), zones, text) for _, text, zones in batch]
        for (key, _, _), doc in zip(batch, nlp.pipe(docs, batch_size=batch_size)):
            yield key, suggestions_of(doc, key)
        done += len(batch)
        if progress is not None:
            progress(done, total)


def suggest_text(text: str, zones: Sequence[Zone] | None = None, nlp: Language | None = None) -> list[Suggestion[None]]:
    """The suggestions for one text: handy in a shell and in tests."""
    return next(suggest_documents([(None, text, zones)], nlp=nlp))[1]
