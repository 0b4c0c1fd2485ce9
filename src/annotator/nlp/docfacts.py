"""Facts about a doc that several components need, worked out once per doc.

``doc.text`` joins every token anew on each call, ``span.sent`` walks the tokens, every ``Span`` taken
out of a ``SpanGroup`` is built anew with token lookups, and reading token attributes one ``Token`` at
a time is slow: done again in every component, such work costs more than all the rules together. So
this module keeps, per doc:

* the text, its quoted passages (:func:`quoted_in`) and the zones as :class:`~annotator.domain.Zone`
  objects (:func:`.zones.zones_of`);
* word form, lower case, punctuation flag and offset of every token, as arrays and lists
  (:func:`lexical_columns`, :func:`column`);
* the sentence starts (:func:`sentence_bounds`): the sentencizer and the zone marker set them before
  any rule asks;
* the bounds, labels and rule ids of the suggestion spans, as plain numbers (:func:`span_rows`):
  :func:`append_spans` and :func:`replace_spans` write a group and note its rows.

The facts are kept beside the doc, keyed by the doc object and dropped with it (so nothing kept refers
to the doc, or it would never be dropped), not in ``doc.user_data``: they are plain Python objects that
need not travel when spaCy serialises a doc (for another process, say), and a doc that arrives without
them has them worked out again. Columns and sentence starts are read again when the number of tokens
changes; no component of this pipeline merges or splits tokens, or sets sentence starts after the zone
marker. Span rows are trusted while ``doc.spans[key]`` is the group written and holds as many spans,
and read from the group otherwise: a component of someone else's that replaces the group or adds to
it is seen; one that swaps a span in place (``group[i] = span``) is not.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import partial
from typing import Any
from weakref import ref

import numpy
from spacy.attrs import IDX, IS_PUNCT, LOWER, ORTH, SENT_START
from spacy.tokens import Doc, Span

from .quoting import Quoted, find_quoted

__all__ = [
    "LEXICAL",
    "SpanRow",
    "append_spans",
    "column",
    "facts_of",
    "lexical_columns",
    "note_span_rows",
    "quoted_in",
    "remember_text",
    "replace_spans",
    "sentence_bounds",
    "span_rows",
    "text_of",
]

LEXICAL = (ORTH, LOWER, IS_PUNCT, IDX)  # the columns of lexical_columns(), in this order
SpanRow = tuple[int, int, int, int, int, int]  # start, end, start_char, end_char, label id, rule (span) id

# id(doc) -> (weak reference to the doc, its facts). The weak reference drops the entry when the doc
# goes (before its id can be reused) and tells a stale entry from a live one. Cheaper to consult, dozens
# of times per doc, than a WeakKeyDictionary, which makes a new weak reference at every lookup.
_FACTS: dict[int, tuple[ref[Doc], dict[Any, Any]]] = {}


def facts_of(doc: Doc) -> dict[Any, Any]:
    """The dictionary of facts kept for `doc` (empty at first)."""
    entry = _FACTS.get(id(doc))
    if entry is not None and entry[0]() is doc:
        return entry[1]
    facts: dict[Any, Any] = {}
    _FACTS[id(doc)] = (ref(doc, partial(_forget, id(doc))), facts)
    return facts


def _forget(key: int, gone: ref[Doc]) -> None:
    entry = _FACTS.get(key)
    if entry is not None and entry[0] is gone:
        del _FACTS[key]


def remember_text(doc: Doc, text: str) -> None:
    """Tell the components the text `doc` was made from (``nlp.make_doc(text)``), to save rebuilding it."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
        raise ValueError("the text given is not the text of the doc")
    facts_of(doc)["text"] = text


def text_of(doc: Doc) -> str:
    """``doc.text``, built at most once per doc."""
    facts = facts_of(doc)
    text = facts.get("text")
    if text is None:
        text = facts["text"] = doc.text
    return text


def quoted_in(doc: Doc) -> list[Quoted]:
    """The quoted passages of the doc's text (:func:`.quoting.find_quoted`), found once per doc."""
    facts = facts_of(doc)
    quoted = facts.get("quoted")
    if quoted is None:
        quoted = facts["quoted"] = find_quoted(text_of(doc))
    return quoted


def lexical_columns(doc: Doc) -> numpy.ndarray:
    """``doc.to_array(LEXICAL)``: word form, lower case, punctuation flag and offset of every token."""
    facts = facts_of(doc)
    columns = facts.get("columns")
    if columns is None or len(columns) != len(doc):
        columns = facts["columns"] = doc.to_array(list(LEXICAL))
        for attr in LEXICAL:
            facts.pop(attr, None)
    return columns


def column(doc: Doc, attr: int) -> list[int]:
    """One of the :data:`LEXICAL` columns as a Python list (faster to loop over than the array)."""
    facts = facts_of(doc)
    values = facts.get(attr)  # the attribute ids (ints) are the keys of the lists
    if values is None or len(values) != len(doc):
        values = facts[attr] = lexical_columns(doc)[:, LEXICAL.index(attr)].tolist()
    return values



def sentence_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds of the sentence of the span ``doc[start:end]``, as ``doc[start:end].sent`` gives them
    (the sentence of its first token, should it cross a sentence boundary).

    Read from the sentence starts once per doc (the sentencizer and the zone marker set them before any
    rule looks at sentences): ``span.sent`` walks the tokens and builds a new span on every call.
    """
    facts = facts_of(doc)
    starts = facts.get("sentence_starts")
    if starts is None or starts[1] != len(doc):
        if "sents" in doc.user_hooks or "sent" in doc.user_span_hooks or not doc.has_annotation("SENT_START"):
            sentence = doc[start:end].sent  # spaCy's own way (or its error)
            return sentence.start, sentence.end
        starts = facts["sentence_starts"] = (numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist(), len(doc))
    positions = starts[0]
    i = bisect_right(positions, start)  # the sentence starts up to `start`, then the next one
    first = positions[i - 1] if i > 0 else 0
    last = positions[i] if i < len(positions) else len(doc)
    return first, last


def span_rows(doc: Doc, key: str) -> list[SpanRow]:
    """``(start, end, start_char, end_char, label, id)`` of each span of ``doc.spans[key]``, in order.

    The list is shared: do not change it (write with :func:`append_spans` or :func:`replace_spans`).
    """
    if key not in doc.spans:
        return []
    group = doc.spans[key]
    facts = facts_of(doc)
    noted = facts.get(("rows", key))
    if noted is not None and noted[0] is group and len(noted[1]) == len(group):
        return noted[1]
    rows = [_row(span) for span in group]
    facts[("rows", key)] = (group, rows)  # a SpanGroup refers to its doc weakly: no cycle
    return rows


def append_spans(doc: Doc, key: str, spans: list[Span], rows: list[SpanRow] | None = None) -> None:
    """Add `spans` at the end of ``doc.spans[key]`` (made when missing), noting their rows (given, or read)."""
    if key not in doc.spans:
        replace_spans(doc, key, spans, rows)
        return
    before = span_rows(doc, key)
    group = doc.spans[key]
    if spans:
        group.extend(spans)
        before = before + (rows if rows is not None else [_row(span) for span in spans])
    facts_of(doc)[("rows", key)] = (group, before)


def replace_spans(doc: Doc, key: str, spans: list[Span], rows: list[SpanRow] | None = None) -> None:
    """``doc.spans[key] = spans``, noting their rows (given, or read from the spans)."""
    doc.spans[key] = spans
    note_span_rows(doc, key, rows if rows is not None else [_row(span) for span in spans])


def note_span_rows(doc: Doc, key: str, rows: list[SpanRow]) -> None:
    """Record `rows` as those of ``doc.spans[key]`` after changing the group in place."""
    facts_of(doc)[("rows", key)] = (doc.spans[key], rows)


def _row(span: Span) -> SpanRow:
    return span.start, span.end, span.start_char, span.end_char, span.label, span.id
