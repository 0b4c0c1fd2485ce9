"""Lookup lemmas for a whole doc at once.

spaCy's lemmatizer in ``lookup`` mode looks every token up in Python (``token.lemma_ = …`` one by one),
which alone takes most of the time the rules may spend on a doc. :class:`LookupLemmatizer` is that same
component (same config, tables, scoring and ``to_disk`` layout; it subclasses it) with a faster
``__call__`` for lookup mode: it reads all word forms with one ``Doc.to_array``, maps them through a
dictionary of word form → lemma (filled from the lookup table as forms turn up) and writes all lemmas
back with one ``Doc.from_array``. The lemmas are the ones spaCy's lemmatizer gives. Other modes are left
to spaCy's own code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

from .batching import BatchedComponent
from .docfacts import column

__all__ = ["LookupLemmatizer"]

_CACHE_LIMIT = 500_000  # word forms remembered before starting afresh


class _LemmaIds(dict):
    """Word form id -> lemma id, looked up in the lemmatizer's table on first use."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        super().__init__()
        self.strings = lemmatizer.vocab.strings
        self.table = lemmatizer.lookups.get_table("lemma_lookup", {})

    def __missing__(self, orth: int) -> int:
        # As Lemmatizer.lookup_lemmatize: the table's entry for the word form, or the form itself.
        text = self.strings[orth]
        found: Any = self.table.get(text, text)
        lemma_id = self[orth] = self.strings.add(found if isinstance(found, str) else found[0])
        return lemma_id


class LookupLemmatizer(BatchedComponent, Lemmatizer):
    """spaCy's ``lemmatizer``, doing the lookups of a doc in one pass over arrays."""

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "lookup":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        if not len(doc):
            return doc
        error_handler = self.get_error_handler()
        try:
            known = self._lemma_ids()
            orths = column(doc, ORTH)
            values = numpy.fromiter(map(known.__getitem__, orths), dtype=numpy.uint64, count=len(orths))
            if not self.overwrite and doc.has_annotation("LEMMA"):
                current = doc.to_array(LEMMA)
                values = numpy.where(current != 0, current, values)
            doc.from_array([LEMMA], values.reshape((-1, 1)))
            return doc
        except Exception as error:  # noqa: BLE001 - spaCy's error handler decides
            error_handler(self.name, self, [doc], error)
            return doc

    def _lemma_ids(self) -> _LemmaIds:
        known: _LemmaIds | None = getattr(self, "_known", None)
        if known is None or len(known) >= _CACHE_LIMIT:
            known = self._known = _LemmaIds(self)
        return known

    # New tables: forget the lemmas looked up so far. No annotations on initialize(): spaCy validates
    # its arguments from the signature.

    def initialize(self, get_examples=None, *, nlp=None, lookups=None):  # noqa: ANN001
        self._known = None
        return super().initialize(get_examples, nlp=nlp, lookups=lookups)

    def from_disk(self, path, *, exclude=()):  # noqa: ANN001
        self._known = None
        return super().from_disk(path, exclude=exclude)

    def from_bytes(self, bytes_data, *, exclude=()):  # noqa: ANN001
        self._known = None
        return super().from_bytes(bytes_data, exclude=exclude)


@Language.factory(
    "annotator_lemmatizer",
    assigns=["token.lemma"],
    default_config={
        "model": None,
        "mode": "lookup",
        "overwrite": False,
        "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"},
    },
    default_score_weights={"lemma_acc": 1.0},
)
def make_lookup_lemmatizer(
    nlp: Language, model: Any, name: str, mode: str, overwrite: bool, scorer: Callable | None
) -> LookupLemmatizer:
    return LookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)
