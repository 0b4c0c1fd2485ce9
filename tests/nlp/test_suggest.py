"""Suggestion runs: offsets, rule ids, batches, progress and cancel."""

from __future__ import annotations

from annotator.domain import Zone, ZoneKind
from annotator.nlp.suggest import Suggestion, suggest_documents, suggest_text

TEXTS = [
    "Ein Entscheid könnte schon im Herbst fallen. Laut «SRF» ist noch nichts entschieden.",
    "Beobachter gehen davon aus, dass die Kantone mitreden wollen, wie «Blick» berichtet.",
    "Der Gemeinderat hat das Budget genehmigt.",
    "«Wir prüfen alle Optionen», sagte die Ministerin. Das dürfte dauern.",
]


def test_every_suggestion_has_a_rule_id_and_exact_offsets(nlp):
    for key, suggestions in suggest_documents(((i, t, None) for i, t in enumerate(TEXTS)), nlp=nlp):
        for s in suggestions:
            assert isinstance(s, Suggestion)
            assert s.document == key
            assert s.rule_id
            assert TEXTS[key][s.start : s.end] == s.text
            assert s.text == s.text.strip()


def test_results_come_in_input_order_whatever_the_batch_size(nlp):
    items = [(f"d{i}", TEXTS[i % len(TEXTS)], None) for i in range(11)]
    one = list(suggest_documents(items, nlp=nlp, batch_size=1))
    many = list(suggest_documents(items, nlp=nlp, batch_size=4))
    assert [k for k, _ in one] == [f"d{i}" for i in range(11)]
    assert one == many


def test_progress_is_reported_per_batch(nlp):
    seen = []
    items = [(i, TEXTS[i % len(TEXTS)], None) for i in range(10)]
    def progress(done, total):
        seen.append((done, total))

    list(suggest_documents(items, nlp=nlp, batch_size=4, progress=progress, total=10))
    assert seen == [(4, 10), (8, 10), (10, 10)]


def test_cancel_stops_between_batches_and_keeps_what_was_done(nlp):
    done = []
    items = [(i, TEXTS[i % len(TEXTS)], None) for i in range(10)]
    for key, _ in suggest_documents(items, nlp=nlp, batch_size=3, cancel=lambda: len(done) >= 3):
        done.append(key)
    assert done == [0, 1, 2]


def test_overlapping_suggestions_of_one_category_are_merged(nlp):
    found = suggest_text("Es ist nicht ausgeschlossen, dass es klappt.", nlp=nlp)
    assert [(s.category, s.text) for s in found] == [("hedge", "Es ist nicht ausgeschlossen")]


def test_different_categories_may_overlap(nlp):
    found = suggest_text("«Das könnte teuer werden», sagt Hans Muster.", nlp=nlp)
    assert {s.category for s in found} == {"direct_quote", "hedge"}


def test_zones_move_with_the_text(nlp):
    text = "Kommentare\n\nDas könnte klappen."
    zones = [Zone(ZoneKind.COMMENTS_HEADER, 0, 10), Zone(ZoneKind.COMMENT, 12, len(text))]
    [hedge] = suggest_text(text, zones, nlp=nlp)
    assert (hedge.start, hedge.end, hedge.text) == (16, 22, "könnte")


def test_an_empty_text_has_no_suggestions(nlp):
    assert suggest_text("", nlp=nlp) == []
    assert suggest_text("   \n\n ", nlp=nlp) == []


def test_the_default_pipeline_is_built_once():
    from annotator.nlp.suggest import default_pipeline

    assert default_pipeline() is default_pipeline()


PAGE = """Verkehr

Kanton prüft Tempo 30 auf allen Hauptstrassen

Mara Keller
Mara Keller

Schweiz,

Der Kanton will auf den Hauptstrassen Tempo 30 einführen. Ein Entscheid dürfte im Frühling fallen.

strasse tempo
Ein Tempo-30-Schild an einer Kreuzung in Aarau. (Symbolbild) - keystone

Die Regierung hat am Dienstag einen Bericht vorgestellt, wie «20 Minuten» berichtet.

Verkehrsexperten sind skeptisch

Kritiker befürchten Staus auf den Nebenstrassen.

Wird jetzt alles langsamer?

Laut «SRF» ist der Entscheid noch offen.

Kommentare

User #2231 (nicht angemeldet)

Das wäre ein Fehler.

Weiterlesen

MEHR IN NEWS
"""


def test_a_prepared_page_gets_the_suggestions_a_coder_expects(nlp):
    from annotator.corpus.importer import prepare
    from annotator.corpus.records import Layout, RawRecord

    doc = prepare(RawRecord(text=PAGE, source_file="tempo.txt", layout=Layout.SCRAPED))
    [(_, found)] = suggest_documents([("tempo", doc.text, doc.zones)], nlp=nlp)
    assert {(s.category, s.text) for s in found} == {
        ("hedge", "dürfte"),
        ("symbolic_image", "Ein Tempo-30-Schild an einer Kreuzung in Aarau. (Symbolbild)"),
        ("outlet_attribution", "wie «20 Minuten» berichtet"),
        ("unnamed_source", "Verkehrsexperten"),
        ("unnamed_source", "Kritiker"),
        ("rhetorical_question", "Wird jetzt alles langsamer?"),
        ("outlet_attribution", "Laut «SRF»"),
        ("hedge", "wäre"),  # reader comments are coded too
    }


def test_the_suggester_preloads_in_the_background_without_blocking():
    import time

    from annotator.nlp import preload_suggester
    from annotator.nlp.suggest import default_pipeline

    started = time.perf_counter()
    thread = preload_suggester()
    assert time.perf_counter() - started < 0.5  # returns at once; the build goes on in the thread
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert default_pipeline() is default_pipeline()
