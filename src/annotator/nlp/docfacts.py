"""Facts about a doc that several components need, worked out once per doc.

``doc.text`` joins every token anew on each call, the quote finder and the outlet tagger both look for
quoted passages, and most components read the word forms of all tokens: done once per component, such
work costs more than all the rules together. The facts are kept beside the doc (keyed by the doc
object, dropped with it), not in ``doc.user_data``: they are plain Python objects that need not travel
when spaCy serialises a doc (to hand it to another process, for instance), and a doc that arrives
without them simply has them worked out again.

Only what tokenisation fixes is kept: the text, the word forms, punctuation flags and offsets. A
component that merged or split tokens would make them stale; none in this pipeline does (the columns
are read again whenever the number of tokens changes).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import numpy
from spacy.attrs import IDX, IS_PUNCT, LOWER, ORTH
from spacy.tokens import Doc

from .quoting import Quoted, find_quoted

__all__ = ["LEXICAL", "column", "facts_of", "lexical_columns", "quoted_in", "remember_text", "text_of"]

LEXICAL = (ORTH, LOWER, IS_PUNCT, IDX)  # the columns of lexical_columns(), in this order

_FACTS: WeakKeyDictionary[Doc, dict[str, Any]] = WeakKeyDictionary()


def facts_of(doc: Doc) -> dict[str, Any]:
    """The dictionary of facts kept for `doc` (empty at first)."""
    facts = _FACTS.get(doc)
    if facts is None:
        facts = _FACTS[doc] = {}
    return facts


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
        facts.pop("lists", None)
    return columns


def column(doc: Doc, attr: int) -> list[int]:
    """One of the :data:`LEXICAL` columns as a Python list (faster to loop over than the array)."""
    columns = lexical_columns(doc)
    lists = facts_of(doc).setdefault("lists", {})
    values = lists.get(attr)
    if values is None:
        values = lists[attr] = columns[:, LEXICAL.index(attr)].tolist()
    return values
