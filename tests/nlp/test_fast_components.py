"""The array-based sentencizer and lemmatizer give what spaCy's own components give; worker processes work."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import spacy

from annotator.domain import Zone, ZoneKind

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("??-*.txt"))][:12] + [
    "Ja! Nein?? «So.» Und dann … ging er. (Ende.) Wirklich?!",
    "x",
    "",
    "...",
]


def test_sentence_starts_are_those_of_spacys_sentencizer():
    import annotator.nlp.sentences  # noqa: F401 - registers the factory

    ours = spacy.blank("de")
    ours.add_pipe("annotator_sentencizer")
    theirs = spacy.blank("de")
    theirs.add_pipe("sentencizer")
    for text in TEXTS:
        assert [t.is_sent_start for t in ours(text)] == [t.is_sent_start for t in theirs(text)], text[:40]


def test_lemmas_are_those_of_spacys_lookup_lemmatizer():
    import annotator.nlp.lemmas  # noqa: F401 - registers the factory

    ours = spacy.blank("de")
    ours.add_pipe("annotator_lemmatizer", config={"mode": "lookup"})
    theirs = spacy.blank("de")
    theirs.add_pipe("lemmatizer", config={"mode": "lookup"})
    ours.initialize()
    theirs.initialize()
    for text in TEXTS:
        assert [t.lemma_ for t in ours(text)] == [t.lemma_ for t in theirs(text)], text[:40]


def test_outlet_entities_are_set_as_spacy_sets_them(nlp):
    from spacy.tokens import Span

    tagger = nlp.get_pipe("annotator_outlet_tagger")
    for text in TEXTS[:6] + ["Laut «SRF» und der NZZ am Sonntag ist das so."]:
        doc = tagger(nlp.make_doc(text))
        again = nlp.make_doc(text)
        again.ents = [Span(again, e.start, e.end, label=e.label_) for e in doc.ents]
        assert [(t.ent_iob, t.ent_type) for t in doc] == [(t.ent_iob, t.ent_type) for t in again]


def test_the_pipeline_pickles_and_keeps_its_behaviour(nlp):
    from annotator.nlp.suggest import suggest_text

    text = "Laut «SRF» könnte es Experten zufolge teurer werden. «Das ist falsch», sagte Hans Muster."
    copy = pickle.loads(pickle.dumps(nlp))
    assert suggest_text(text, nlp=copy) == suggest_text(text, nlp=nlp)


@pytest.mark.slow
def test_two_worker_processes_give_the_same_suggestions(nlp):
    from annotator.nlp.suggest import suggestions_of
    from annotator.nlp.zones import set_zones

    text = "Titel?\n\nLaut «SRF» könnte es teurer werden, sagen Experten. «Nie», sagte sie."
    zones = [Zone(ZoneKind.HEADLINE, 0, 6), Zone(ZoneKind.BODY, 8, len(text))]
    docs = [set_zones(nlp.make_doc(text), zones, text) for _ in range(6)]
    one = [suggestions_of(doc, 0) for doc in nlp.pipe(docs)]
    docs = [set_zones(nlp.make_doc(text), zones, text) for _ in range(6)]
    two = [suggestions_of(doc, 0) for doc in nlp.pipe(docs, n_process=2, batch_size=2)]
    assert two == one
    assert {s.category for s in one[0]} >= {"rhetorical_question", "outlet_attribution", "hedge", "direct_quote"}
