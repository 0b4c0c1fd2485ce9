"""Recognise news outlet names as entities, so attribution patterns can say "an outlet" in one token.

Two kinds of names become ``doc.ents`` with the label ``OUTLET``:

* names from an editable list (``resources/outlets.txt``, one name a line, ``#`` starts a comment),
  matched by a PhraseMatcher on lower case, so "NZZ am Sonntag" and "Süddeutsche Zeitung" are one name;
  the genitive (-s) of a one-word name ending in a small letter is added ("des Tages-Anzeigers");
* any short title in quotation marks («Blick», „Der Spiegel“, "Watson", «St. Galler Tagblatt»): up to
  four words starting with a capital or a digit, with no sentence in it; the marks are part of the name.

Patterns match them with ``{"ENT_TYPE": "OUTLET", "OP": "+"}``: an attribute spaCy's Matcher checks in
compiled code, which keeps the attribution patterns cheap. The pipeline has no other entity recogniser.
The names found from the list are also kept as character ranges in ``doc._.outlet_mentions``, so the
quote finder can tell «Blick» (an outlet) from «Abzocke» (someone's word).

On its own an outlet name is no suggestion: the patterns in ``outlet_attribution.jsonl`` decide when a
name is used as a source ("laut «SRF»", "wie die NZZ berichtet").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans

from .batching import BatchedComponent
from .docfacts import quoted_in
from .zones import ensure_extensions

__all__ = ["OUTLET_LABEL", "OutletTagger", "read_outlets", "write_outlets"]

OUTLET_LABEL = "OUTLET"
OUTLETS_FILE = "outlets.txt"
_MAX_TITLE_WORDS = 4
_GENITIVE_UNSUITED = ("s", "z", "x", "ß")
_DOMAIN = re.compile(r"[\w-]+\.(?:ch|de|at|com|net|org|info)", re.IGNORECASE)  # «nau.ch», "t-online.de"


def read_outlets(path: str | Path) -> list[str]:
    """Outlet names from a list file: one per line, blank lines and ``#`` comments ignored."""
    names = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return names


def write_outlets(path: str | Path, names: Iterable[str]) -> None:
    Path(path).write_text("".join(f"{name}\n" for name in names), encoding="utf-8")


class OutletTagger(BatchedComponent):
    """Sets ``doc.ents`` to the outlet names from a list and the short quoted titles of a doc."""

    def __init__(self, nlp: Language, name: str = "annotator_outlet_tagger", *, quoted_titles: bool = True) -> None:
        ensure_extensions()
        self.nlp = nlp
        self.name = name
        self.quoted_titles = quoted_titles
        self.clear()

    def clear(self) -> None:
        self._names: list[str] = []
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")

    @property
    def names(self) -> list[str]:
        """The outlet names as given, in order."""
        return list(self._names)

    def add_names(self, names: Iterable[str]) -> None:
        new = []
        for name in names:
            name = name.strip()
            if name and name not in self._names and name not in new:
                new.append(name)
        self._names.extend(new)
        variants = []
        for name in new:
            variants.append(name)
            if " " not in name and name[-1].isalpha() and name[-1].islower() and not name.endswith(_GENITIVE_UNSUITED):
                variants.append(name + "s")
        if variants:
            self.matcher.add(OUTLET_LABEL, list(self.nlp.tokenizer.pipe(variants)))

    # No annotations here: spaCy validates initialize() arguments from the signature.
    def initialize(self, get_examples=None, *, nlp=None, names=None):  # noqa: ANN001
        """Start empty, or with `names` (as the ``[initialize.components]`` config may give)."""
        self.clear()
        self.add_names(names or [])

    def __call__(self, doc: Doc) -> Doc:
        found = [Span(doc, start, end, label=OUTLET_LABEL) for _, start, end in self.matcher(doc)]
        doc._.outlet_mentions = sorted((span.start_char, span.end_char) for span in found)
        if self.quoted_titles:
            for quoted in quoted_in(doc):
                if _looks_like_title(quoted.inner):
                    span = doc.char_span(quoted.start, quoted.end, label=OUTLET_LABEL, alignment_mode="expand")
                    if span is not None:
                        found.append(span)
        _set_entities(doc, filter_spans(found))  # a quoted listed name («NZZ») counts once, with its marks
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_outlets(path / OUTLETS_FILE, self._names)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "OutletTagger":
        self.clear()
        file = ensure_path(path) / OUTLETS_FILE
        if file.exists():
            self.add_names(read_outlets(file))
        return self


def _set_entities(doc: Doc, spans: list[Span]) -> None:
    """``doc.ents = spans`` for non-overlapping spans, written as two columns at once (spaCy's setter
    visits every token in Python): B/I for the names, O with no type for every other token."""
    iob = numpy.full(len(doc), _OUTSIDE, dtype=numpy.uint64)
    types = numpy.zeros(len(doc), dtype=numpy.uint64)
    for span in spans:
        iob[span.start] = _BEGIN
        iob[span.start + 1 : span.end] = _INSIDE
        types[span.start : span.end] = span.label
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.stack([iob, types], axis=1))


_INSIDE, _OUTSIDE, _BEGIN = 1, 2, 3  # spaCy's ENT_IOB codes


def _looks_like_title(inner: str) -> bool:
    """«Blick», «NZZ am Sonntag», «St. Galler Tagblatt», «nau.ch»: short, capitalised, no sentence in it."""
    inner = inner.strip()
    if not inner or len(inner.split()) > _MAX_TITLE_WORDS:
        return False
    if _DOMAIN.fullmatch(inner):
        return True
    if not (inner[0].isupper() or inner[0].isdigit()):
        return False
    return not any(mark in inner for mark in "!?:;,") and not inner.endswith(".")


@Language.factory("annotator_outlet_tagger", default_config={"quoted_titles": True})
def make_outlet_tagger(nlp: Language, name: str, quoted_titles: bool) -> OutletTagger:
    return OutletTagger(nlp, name, quoted_titles=quoted_titles)
