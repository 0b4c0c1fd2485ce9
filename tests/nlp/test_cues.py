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
        ("Vielleicht kommt alles anders.", "Vielleicht"),
        ("Der Angriff kam offenbar aus dem Ausland.", "offenbar"),
        ("Die Lage ist womöglich ernster als gedacht.", "womöglich"),
    ],
)
def test_hedge_words_are_found(found, sentence, cue):
    assert cue in found(sentence, "hedge")


def test_hearsay_soll_with_a_perfect_infinitive_is_a_hedge(found):
    assert found("Der Mann soll Geld aus der Kasse gestohlen haben.", "hedge") == ["soll"]
    assert found("Die Firma, die 2019 Konkurs gegangen sein soll, existiert noch.", "hedge") == ["soll"]


def test_soll_reporting_a_claim_is_a_hedge(found):
    assert found("Die Täter sollen aus Osteuropa stammen.", "hedge") == ["sollen"]
    assert found("Darunter sollen sich auch Lohnabrechnungen befinden.", "hedge") == ["sollen"]
    assert found("Die Kommission soll einen Kompromiss vorbereiten, berichtet «SRF».", "hedge") == ["soll"]


def test_soll_as_plan_or_duty_is_not_a_hedge(found):
    assert found("Künftig sollen Hobbypiloten eine Prüfung ablegen.", "hedge") == []
    assert found("Unklar ist, wer die Vorschriften durchsetzen soll.", "hedge") == []
    assert found("DNA-Proben sollen Klarheit bringen.", "hedge") == []
    assert found("Wie soll ich da noch planen?", "hedge") == []
    assert found("Die Halle soll Ende Jahr fertig sein.", "hedge") == []
    assert found("Die neue Brücke soll 2027 eröffnet werden.", "hedge") == []
    assert found("Die Gemeinde soll die Kosten tragen.", "hedge") == []


def test_hedge_constructions_are_found_whole(found):
    assert found("Es ist nicht ausgeschlossen, dass der Bund einspringt.", "hedge") == ["Es ist nicht ausgeschlossen"]
    assert found("Es ist nicht auszuschliessen, dass es regnet.", "hedge") == ["Es ist nicht auszuschliessen"]
    assert found("Es ist denkbar, dass der Kanton zahlt.", "hedge") == ["Es ist denkbar"]
    assert found("Es scheint, als habe niemand zugehört.", "hedge") == ["Es scheint"]


def test_what_the_codebook_excludes_is_not_a_hedge(found):
    # Konjunktiv I of reported speech, müsste, sollte, the verb "vermuten", "gilt als ausgeschlossen"
    assert found("Er sagte, der Entscheid sei gefallen und er habe zugestimmt.", "hedge") == []
    assert found("Man müsste das genauer prüfen, und man sollte warten.", "hedge") == []
    assert found("Die Polizei vermutet Brandstiftung.", "hedge") == []
    assert found("Eine Rückkehr gilt als ausgeschlossen.", "hedge") == []


def test_an_opinion_phrase_with_an_unnamed_source_is_one_unnamed_source(found):
    text = "Nach Ansicht von Fachleuten reicht das nicht."
    assert found(text, "unnamed_source") == ["Nach Ansicht von Fachleuten"]
    assert found(text, "hedge") == []


def test_wohl_and_scheinen_in_their_plain_sense_are_not_hedges(found):
    assert found("Die Kinder fühlen sich im neuen Schulhaus wohl.", "hedge") == []
    assert found("Das wusste er sehr wohl.", "hedge") == []
    assert found("Das Wohl der Kinder geht vor.", "hedge") == []
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
        ("Im Gemeinderat hiess es, man prüfe den Fall.", "hiess es"),
        ("Wie zu hören war, ist der Vertrag bereits unterschrieben.", "Wie zu hören war"),
        ("Ein Sprecher der Kantonspolizei bestätigte den Vorfall.", "Ein Sprecher"),
        ("Das sagte eine Sprecherin des Departements auf Anfrage.", "eine Sprecherin"),
        ("Regierungsvertreter zeigten sich zuversichtlich.", "Regierungsvertreter"),
        ("Informierte Kreise bestätigen die Pläne.", "Informierte Kreise"),
        ("In Regierungskreisen ist man besorgt.", "In Regierungskreisen"),
        ("Kritikerinnen und Kritiker bemängeln die Kosten.", "Kritikerinnen und Kritiker"),
        ("Politologen halten das für möglich.", "Politologen"),
        ("Laut Insidern ist der Vertrag unterschrieben.", "Insidern"),
        ("Das sagt ein Sicherheitsfachmann, der anonym bleiben will.", "Sicherheitsfachmann"),
    ],
)
def test_unnamed_sources_are_found(found, sentence, cue):
    assert any(cue in text for text in found(sentence, "unnamed_source")), found(sentence, "unnamed_source")


def test_a_hearsay_formula_joins_the_insiders_it_quotes(found):
    assert found("Aus Kreisen der Verwaltung verlautete, man prüfe den Fall.", "unnamed_source") == [
        "Aus Kreisen der Verwaltung verlautete"
    ]
    assert found("Aus der Kommission war zu hören, die Mehrheit sei knapp.", "unnamed_source") == [
        "Aus der Kommission war zu hören"
    ]
    assert found("Die Lage sei ernst, heisst es in der Branche.", "unnamed_source") == ["heisst es in der Branche"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Man halte sich an die Regeln, heisst es beim Schweizerischen Drohnenverband.",
        "Dafür sei es zu früh, hiess es dort auf Anfrage.",
        "Der Entscheid sei gefallen, heißt es in einer Mitteilung.",
    ],
)
def test_an_organisation_speaking_as_such_is_not_an_unnamed_source(found, sentence):
    assert found(sentence, "unnamed_source") == []


def test_districts_and_staff_at_work_are_not_unnamed_sources(found):
    assert found("In den Kreisen 4 und 5 wird gebaut.", "unnamed_source") == []
    assert found("Fachleute des Kantons beobachten die Pegel.", "unnamed_source") == []
    assert found("Ökonomen des Branchenverbands rechnen mit weniger Aufträgen.", "unnamed_source") == ["Ökonomen"]


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
        ("Das sagte er gegenüber der „Berner Zeitung“.", "gegenüber der „Berner Zeitung“"),
        ("Berichten der «NZZ» zufolge fehlen Millionen.", "Berichten der «NZZ» zufolge"),
        ("Gemäss dem «St. Galler Tagblatt» ist der Rektor zurückgetreten.", "Gemäss dem «St. Galler Tagblatt»"),
        ("Wie der NDR berichtet, ist die Brücke gesperrt.", "Wie der NDR berichtet"),
        (
            "Laut einer Erhebung, über die der «Landbote» berichtete, sind die Mieten gestiegen.",
            "Laut einer Erhebung, über die der «Landbote» berichtete",
        ),
    ],
)
def test_outlet_attributions_are_found(found, sentence, expected):
    assert found(sentence, "outlet_attribution") == [expected]


def test_an_outlet_name_alone_is_no_attribution(found):
    assert found("Auf den ersten Blick ist alles in Ordnung.", "outlet_attribution") == []
    assert found("Er liest jeden Morgen die NZZ.", "outlet_attribution") == []
    assert found("Laut Angaben der Polizei wurde niemand verletzt.", "outlet_attribution") == []


# --- direct quote ---------------------------------------------------------------------------------------------


def test_quotes_in_every_style_are_found_with_their_marks(found):
    assert found("«Wir prüfen alle Optionen», sagte die Ministerin.", "direct_quote") == ["«Wir prüfen alle Optionen»"]
    assert found("Sie sagte: „Das kommt nicht in Frage.“", "direct_quote") == ["„Das kommt nicht in Frage.“"]
    assert found('Er sagte: "Wir sind bereit dafür."', "direct_quote") == ['"Wir sind bereit dafür."']
    assert found("»Das ist ein Skandal«, rief er.", "direct_quote") == ["»Das ist ein Skandal«"]


def test_scare_quotes_and_quoted_titles_are_not_direct_quotes(found):
    assert found("Die «Sondersession» beginnt am Montag.", "direct_quote") == []
    assert found("Die sogenannte «Schuldenbremse» wirkt.", "direct_quote") == []
    assert found("Auf der Anzeigetafel stand «Ausfall».", "direct_quote") == []
    assert found("Laut «NZZ am Sonntag» ist der Entscheid gefallen.", "direct_quote") == []
    assert found("Das sagte er dem «Blick».", "direct_quote") == []


def test_a_short_quote_given_to_someone_is_a_direct_quote(found):
    assert found("Er sprach von einer „Katastrophe“.", "direct_quote") == ["„Katastrophe“"]
    assert found("Der Mieterverband spricht von «Abzocke».", "direct_quote") == ["«Abzocke»"]
    assert found("«Nie wieder», sagte sie.", "direct_quote") == ["«Nie wieder»"]


def test_two_halves_of_a_quote_are_two_quotes(found):
    text = "«Wir prüfen das», sagt sie, «aber nicht vor dem Sommer.»"
    assert found(text, "direct_quote") == ["«Wir prüfen das»", "«aber nicht vor dem Sommer.»"]


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


def test_a_question_heading_runs_through_its_last_question_mark(found):
    text = "Emme über die Ufer? Kanton Bern warnt vor Hochwasser\n\nDer Pegel steigt."
    zones = _zones(
        text,
        (ZoneKind.HEADLINE, "Emme über die Ufer? Kanton Bern warnt vor Hochwasser", {}),
        (ZoneKind.BODY, "Der Pegel steigt.", {}),
    )
    assert found(text, "rhetorical_question", zones) == ["Emme über die Ufer?"]


def test_a_short_question_paragraph_of_a_clean_record_is_a_question_heading(found):
    text = (
        "Bauern machen mobil\n\nDie Wut ist gross.\n\nWer verdient an unserer Milch?\n\n"
        "Die Preise sinken. Warum nur?"
    )
    zones = _zones(
        text,
        (ZoneKind.HEADLINE, "Bauern machen mobil", {}),
        (ZoneKind.BODY, "Die Wut ist gross.", {}),
        (ZoneKind.BODY, "Wer verdient an unserer Milch?", {}),
        (ZoneKind.BODY, "Die Preise sinken. Warum nur?", {}),
    )
    assert found(text, "rhetorical_question", zones) == ["Wer verdient an unserer Milch?"]


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
