"""The rule-based suggester as one spaCy pipeline.

``build_pipeline()`` returns a blank German pipeline with these components, in order:

==============================  ===============================================================================
``sentencizer``                 sentences at . ! ? (spaCy's rule, decided over arrays: :mod:`.sentences`)
``annotator_zone_marker``       ``token._.zone``; sentence starts at zone starts and line breaks (:mod:`.zones`)
``lemmatizer``                  lookup lemmas from spacy-lookups-data, for patterns that use ``LEMMA`` (:mod:`.lemmas`)
``annotator_outlet_tagger``     outlet names and short quoted titles as ``OUTLET`` entities (:mod:`.outlets`)
``annotator_cue_ruler``         the pattern files, one per category (:mod:`.ruler`, :mod:`.matching`)
``annotator_quote_finder``      direct quotes with their speaker (:mod:`.quotes`)
``annotator_zone_cues``         symbolic captions, questions in headlines (:mod:`.zonecues`)
``annotator_cue_context``       context checks such as "no name follows" (:mod:`.context`)
``annotator_suggestion_filter`` zone policy and merging (:mod:`.filtering`)
==============================  ===============================================================================

Suggestions end up in ``doc.spans["suggestions"]``: ``span.label_`` is the category id, ``span.id_`` the
id of the rule that fired, ``span._.cue_info`` an optional dict of extra facts (a quote's speaker, the
rules merged into one suggestion). Put the document's zones (and, best, its text) on the doc first
(:func:`.zones.set_zones`); :func:`annotator.nlp.suggest.suggest_documents` does all of that.

Speed: the pipeline is meant to run at least half as fast as spaCy's bare tokenizer
(``benchmarks/suggest_speed.py``). Hence no component creates a ``Token`` per token: word forms are read
once per doc as arrays (:mod:`.docfacts`), the patterns are matched only around the words they need
(:mod:`.matching`), sentence starts and lemmas are written with one ``Doc.from_array`` each, and every
component takes its docs batch by batch (:mod:`.batching`). A test checks that the suggestions on the
whole sample corpus stay exactly the same.

The pipeline saves and loads with ``nlp.to_disk``/``spacy.load`` (import this module first so that the
factories are registered), pickles, and runs in spaCy's worker processes (``nlp.pipe(…, n_process=2)``);
the patterns land in ``annotator_cue_ruler/<category>.jsonl``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.lookups import Lookups, load_lookups

# Importing the component modules registers their factories with spaCy.
from . import context, filtering, lemmas, outlets, quotes, ruler, sentences, zonecues, zones  # noqa: F401
from .outlets import read_outlets
from .patterns import default_outlets_file, default_patterns_dir, load_patterns

__all__ = ["blank_pipeline", "build_pipeline"]


def blank_pipeline() -> Language:
    """The pipeline's components with their default settings, nothing loaded (no lookups, no patterns)."""
    nlp = spacy.blank("de")
    nlp.add_pipe("annotator_sentencizer", name="sentencizer")
    nlp.add_pipe("annotator_zone_marker")
    nlp.add_pipe("annotator_lemmatizer", name="lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("annotator_outlet_tagger")
    nlp.add_pipe("annotator_cue_ruler")
    nlp.add_pipe("annotator_quote_finder")
    nlp.add_pipe("annotator_zone_cues")
    nlp.add_pipe("annotator_cue_context")
    nlp.add_pipe("annotator_suggestion_filter")
    return nlp


def build_pipeline(patterns_dir: Path | None = None, outlets_file: Path | None = None) -> Language:
    """A ready pipeline with the pattern set in `patterns_dir` and the outlet names in `outlets_file`.

    Both default to the set shipped in ``resources/``; a project passes its own folder to override it
    (the whole set: copy ``resources/patterns`` and edit). Raises `PatternError` naming the file and
    line of a broken pattern.
    """
    patterns_dir = Path(patterns_dir) if patterns_dir is not None else default_patterns_dir()
    outlets_file = Path(outlets_file) if outlets_file is not None else default_outlets_file()
    loaded = load_patterns(patterns_dir)
    names = read_outlets(outlets_file) if outlets_file.exists() else []
    nlp = blank_pipeline()
    nlp.get_pipe("lemmatizer").initialize(lookups=_lemma_lookups())
    nlp.get_pipe("annotator_outlet_tagger").add_names(names)
    nlp.get_pipe("annotator_cue_ruler").add_patterns([entry for entry, _ in loaded], [src for _, src in loaded])
    return nlp


@lru_cache(maxsize=1)
def _lemma_lookups() -> Lookups:
    """spacy-lookups-data's German lemma table, read once per process (it takes half a second)."""
    return load_lookups("de", ["lemma_lookup"])
