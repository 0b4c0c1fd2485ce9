"""Facts about a doc that several components need, worked out once per doc.

``doc.text`` joins every token anew on each call, and the quote finder and the outlet tagger both look
for quoted passages: done once per component, such work costs more than all the rules together. The
facts are kept beside the doc (keyed by the doc object, dropped with it), not in ``doc.user_data``:
they are plain Python objects that need not travel when spaCy serialises a doc (to hand it to another
process, for instance), and a doc that arrives without them simply has them worked out again.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from spacy.tokens import Doc

from .quoting import Quoted, find_quoted

__all__ = ["facts_of", "quoted_in", "remember_text", "text_of"]

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
