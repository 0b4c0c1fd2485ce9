"""Sentence starts by spaCy's sentencizer rule, decided over the word forms instead of Token objects.

spaCy's ``sentencizer`` starts a sentence at the first token that is neither punctuation nor one of its
``punct_chars`` after a token that is one of them ("." "!" "?" …). Its loop creates a ``Token`` object
per token; :class:`ArraySentencizer` (a subclass, with the same settings, scoring and serialisation)
applies the same rule to the word form ids and punctuation flags read once per doc
(:func:`.docfacts.lexical_columns`), in a few array operations, and writes all sentence starts with one
``Doc.from_array``. The sentences are those spaCy's sentencizer gives.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .batching import BatchedComponent
from .docfacts import LEXICAL, lexical_columns

__all__ = ["ArraySentencizer"]


class ArraySentencizer(BatchedComponent, Sentencizer):
    """spaCy's ``sentencizer``, deciding a whole doc's sentence starts in a few array operations."""

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            if len(doc):
                self._mark(doc)
            return doc
        except Exception as error:  # noqa: BLE001 - spaCy's error handler decides
            error_handler(self.name, self, [doc], error)
            return doc

    def _mark(self, doc: Doc) -> None:
        columns = lexical_columns(doc)
        forms = columns[:, LEXICAL.index(ORTH)]
        ids = self._mark_ids(doc)
        marks = ids[numpy.searchsorted(ids, forms).clip(max=len(ids) - 1)] == forms
        words = numpy.flatnonzero((columns[:, LEXICAL.index(IS_PUNCT)] == 0) & ~marks)
        # The rule: a sentence starts at the first word after a mark (after each mark, as a run of marks
        # and punctuation before the same word starts one sentence).
        after = numpy.searchsorted(words, numpy.flatnonzero(marks), side="right")
        values = numpy.full(len(doc), -1, dtype=numpy.int64).view(numpy.uint64)  # as Doc.to_array gives -1
        values[words[after[after < len(words)]]] = 1
        values[0] = 1
        # Token 0 starts a sentence from the outset, which has_annotation() does not count.
        if not self.overwrite and doc.has_annotation("SENT_START"):
            current = doc.to_array(SENT_START)
            values = numpy.where(current != 0, current, values)
        doc.from_array([SENT_START], values.reshape((-1, 1)))

    def _mark_ids(self, doc: Doc) -> numpy.ndarray:
        """Sorted string ids of `punct_chars`, worked out again when the set is replaced or changes size."""
        chars = self.punct_chars
        cached: tuple[int, int, numpy.ndarray] | None = getattr(self, "_ids", None)
        if cached is None or cached[0] != id(chars) or cached[1] != len(chars):
            ids = sorted(doc.vocab.strings.add(c) for c in chars) or [0]
            cached = self._ids = (id(chars), len(chars), numpy.asarray(ids, dtype=numpy.uint64))
        return cached[2]


@Language.factory(
    "annotator_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": None, "overwrite": False, "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
    default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0},
)
def make_array_sentencizer(
    nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool, scorer: Callable | None
) -> ArraySentencizer:
    return ArraySentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)
