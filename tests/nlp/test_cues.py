"""Each cue type on invented sentences: what must be found and what must not."""

from __future__ import annotations

import pytest

from annotator.domain import Zone, ZoneKind

# --- hedge ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Ein Entscheid könnte schon im Herbst fallen.", "könnte"),
        ("Die Kosten dürften weiter steigen.", "dürften"),
        ("Eine Einigung wäre ein Erfolg für den Bundesrat.", "wäre"),
        ("Der Kanton hätte früher handeln müssen.", "hätte"),
        ("Der Täter ist vermutlich über die Grenze geflohen.", "vermutlich"),
        ("Die angebliche Einigung kam nie zustande.", "angebliche"),
        ("Der mutmassliche Täter wurde verhaftet.", "mutmassliche"),
        ("Der Entscheid fällt wohl erst im Herbst.", "wohl"),
        ("Der Zug fährt voraussichtlich ab Montag wieder.", "voraussichtlich"),
        ("Die Lage ist womöglich ernster als gedacht.", "womöglich"),
    ],
)
def test_hedge_words_are_found(found, sentence, cue):
    assert cue in found(sentence, "hedge")


def test_hearsay_soll_with_a_perfect_infinitive_is_a_hedge(found):
    assert found("Der Mann soll Geld aus der Kasse gestohlen haben.", "hedge") == ["soll"]
    assert found("Die Firma, die 2019 Konkurs gegangen sein soll, existiert noch.", "hedge") == ["soll"]


def test_soll_as_plan_or_duty_is_not_a_hedge(found):
    assert found("Die neue Brücke soll 2027 eröffnet werden.", "hedge") == []
    assert found("Die Gemeinde soll die Kosten tragen.", "hedge") == []


def test_hedge_constructions_are_found_whole(found):
    assert found("Es ist nicht ausgeschlossen, dass der Bund einspringt.", "hedge") == ["Es ist nicht ausgeschlossen"]
    assert found("Nach Ansicht von Fachleuten reicht das nicht.", "hedge") == ["Nach Ansicht von"]
    assert found("Es scheint, als habe niemand zugehört.", "hedge") == ["Es scheint"]


def test_wohl_and_scheinen_in_their_plain_sense_are_not_hedges(found):
    assert found("Die Kinder fühlen sich im neuen Schulhaus wohl.", "hedge") == []
    assert found("Das wusste er sehr wohl.", "hedge") == []
    assert found("Am Nachmittag scheint die Sonne.", "hedge") == []
    assert found("Die Sanierung scheint zu gelingen.", "hedge") == ["scheint"]


def test_plain_indicative_text_has_no_hedge(found):
    assert found("Der Gemeinderat hat am Montag das Budget genehmigt.", "hedge") == []


# --- unnamed source -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Beobachter gehen davon aus, dass die Kantone mitreden wollen.", "Beobachter"),
        ("Experten warnen vor einem Schnellschuss.", "Experten"),
        ("Fachleute halten das für unrealistisch.", "Fachleute"),
        ("Sicherheitsexperten sprechen von einem gezielten Angriff.", "Sicherheitsexperten"),
        ("Das bestätigten Insider gegenüber dieser Zeitung.", "Insider"),
        ("Diplomaten rechnen mit einer Einigung.", "Diplomaten"),
        ("Analysten erwarten tiefere Zinsen.", "Analysten"),
        ("Aus Kreisen der Verwaltung hiess es, man prüfe den Fall.", "hiess es"),
        ("Wie zu hören war, ist der Vertrag bereits unterschrieben.", "Wie zu hören war"),
        ("Ein Sprecher der Kantonspolizei bestätigte den Vorfall.", "Ein Sprecher"),
        ("Das sagte eine Sprecherin des Departements auf Anfrage.", "eine Sprecherin"),
        ("Regierungsvertreter zeigten sich zuversichtlich.", "Regierungsvertreter"),
        ("Informierte Kreise bestätigen die Pläne.", "Informierte Kreise"),
        ("In Regierungskreisen ist man besorgt.", "Regierungskreisen"),
    ],
)
def test_unnamed_sources_are_found(found, sentence, cue):
    assert any(cue in text for text in found(sentence, "unnamed_source")), found(sentence, "unnamed_source")


def test_aus_kreisen_der_is_an_unnamed_source(found):
    assert any("Kreisen der" in text for text in found("Aus Kreisen der Verwaltung verlautete nichts.", "unnamed_source"))


@pytest.mark.parametrize(
    "sentence",
    [
        "Ein Sprecher, Hans Meier, sagte, man prüfe den Fall.",
        "Polizeisprecher Marco Bisa bestätigte den Vorfall.",
        "Ein Sprecher des Bundesamts für Gesundheit, Daniel Muster, bestätigte die Zahlen.",
        "Der Sicherheitsexperte Ivan Kovač spricht von einem gezielten Angriff.",
        "Regierungsvertreter Meier zeigte sich zuversichtlich.",
    ],
)
def test_a_source_with_a_name_is_not_unnamed(found, sentence):
    assert found(sentence, "unnamed_source") == []


# --- outlet attribution ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Laut «SRF» ist noch nichts entschieden.", "Laut «SRF»"),
        ("Der Bundesrat will handeln, wie «Blick» berichtet.", "wie «Blick» berichtet"),
        ("Das berichtet «20 Minuten».", "berichtet «20 Minuten»"),
        ("Gemäss „Der Bund“ ist der Vertrag unterschrieben.", "Gemäss „Der Bund“"),
        ("Das Projekt ist gescheitert, wie \"Watson\" meldet.", "wie \"Watson\" meldet"),
        ("Laut NZZ ist das Geld schon ausgegeben.", "Laut NZZ"),
        ("Wie der Tages-Anzeiger berichtet, ist der Vertrag unterschrieben.", "Wie der Tages-Anzeiger berichtet"),
        ("Das berichtet die Süddeutsche Zeitung.", "berichtet die Süddeutsche Zeitung"),
        ("Laut NZZ am Sonntag ist der Entscheid gefallen.", "Laut NZZ am Sonntag"),
        ("Laut einem Bericht der «SonntagsZeitung» fehlen 3 Millionen.", "Laut einem Bericht der «SonntagsZeitung»"),
        ("Die Aussage wurde zitiert von «Le Temps».", "zitiert von «Le Temps»"),
    ],
)
def test_outlet_attributions_are_found(found, sentence, expected):
    assert found(sentence, "outlet_attribution") == [expected]


def test_an_outlet_name_alone_is_no_attribution(found):
    assert found("Auf den ersten Blick ist alles in Ordnung.", "outlet_attribution") == []
    assert found("Er liest jeden Morgen die NZZ.", "outlet_attribution") == []


# --- direct quote ---------------------------------------------------------------------------------------------


def test_quotes_in_every_style_are_found_with_their_marks(found):
    assert found("«Wir prüfen alle Optionen», sagte die Ministerin.", "direct_quote") == ["«Wir prüfen alle Optionen»"]
    assert found("Sie sagte: „Das kommt nicht in Frage.“", "direct_quote") == ["„Das kommt nicht in Frage.“"]
    assert found('Er sagte: "Wir sind bereit dafür."', "direct_quote") == ['"Wir sind bereit dafür."']
    assert found("»Das ist ein Skandal«, rief er.", "direct_quote") == ["»Das ist ein Skandal«"]


def test_scare_quotes_and_quoted_titles_are_not_direct_quotes(found):
    assert found("Die «Sondersession» beginnt am Montag.", "direct_quote") == []
    assert found("Er sprach von einer „Katastrophe“.", "direct_quote") == []
    assert found("Laut «NZZ am Sonntag» ist der Entscheid gefallen.", "direct_quote") == []


def test_the_speaker_of_a_quote_is_attached(nlp):
    from annotator.nlp.suggest import suggest_text

    after = suggest_text("«Wir prüfen alle Optionen», sagte Karin Keller-Sutter am Montag.", nlp=nlp)
    assert after[0].extra == {"speaker": "Karin Keller-Sutter", "speech_verb": "sagte"}
    before = suggest_text("Die Ministerin betonte: «Wir halten am Zeitplan fest.»", nlp=nlp)
    assert before[0].extra["speaker"] == "Die Ministerin"
    none = suggest_text("Auf dem Plakat stand «Wir wollen bleiben» in roter Schrift.", nlp=nlp)
    assert none[0].extra == {}


# --- zones: symbolic image, rhetorical question ---------------------------------------------------------------


def _zones(text, *parts):
    """Zones for `text` from (kind, snippet, attrs) parts, located by search."""
    zones = []
    for kind, snippet, attrs in parts:
        start = text.index(snippet)
        zones.append(Zone(kind, start, start + len(snippet), attrs))
    return zones


def test_a_caption_flagged_symbolic_is_suggested_whole(found):
    text = "Drohnen über Feldern\n\nEine Drohne über einem Maisfeld.\n\nDer Bundesrat will handeln."
    zones = _zones(
        text,
        (ZoneKind.HEADLINE, "Drohnen über Feldern", {}),
        (ZoneKind.IMAGE_CAPTION, "Eine Drohne über einem Maisfeld.", {"symbolic": True}),
        (ZoneKind.BODY, "Der Bundesrat will handeln.", {}),
    )
    assert found(text, "symbolic_image", zones) == ["Eine Drohne über einem Maisfeld."]


def test_a_symbolic_keyword_in_a_caption_marks_the_caption(found):
    text = "Titel\n\nPolizisten vor dem Bahnhof (Symbolbild)\n\nDas Symbolbild der Krise ist der leere Platz."
    zones = _zones(
        text,
        (ZoneKind.HEADLINE, "Titel", {}),
        (ZoneKind.IMAGE_CAPTION, "Polizisten vor dem Bahnhof (Symbolbild)", {"symbolic": False}),
        (ZoneKind.BODY, "Das Symbolbild der Krise ist der leere Platz.", {}),
    )
    assert found(text, "symbolic_image", zones) == ["Polizisten vor dem Bahnhof (Symbolbild)"]


def test_symbolic_words_outside_captions_are_ignored(found):
    assert found("Das Archivbild zeigt den alten Bahnhof.", "symbolic_image") == []


def test_a_headline_question_is_suggested(found):
    text = "Droht jetzt ein Flugverbot über Städten?\n\nWer zahlt das? Niemand weiss es."
    zones = _zones(
        text,
        (ZoneKind.HEADLINE, "Droht jetzt ein Flugverbot über Städten?", {}),
        (ZoneKind.BODY, "Wer zahlt das? Niemand weiss es.", {}),
    )
    assert found(text, "rhetorical_question", zones) == ["Droht jetzt ein Flugverbot über Städten?"]


def test_a_subheading_flagged_as_question_is_suggested(found):
    text = "Titel\n\nWas kommt jetzt?\n\nText."
    zones = _zones(
        text,
        (ZoneKind.HEADLINE, "Titel", {}),
        (ZoneKind.SUBHEADING, "Was kommt jetzt?", {"question": True}),
        (ZoneKind.BODY, "Text.", {}),
    )
    assert found(text, "rhetorical_question", zones) == ["Was kommt jetzt?"]
