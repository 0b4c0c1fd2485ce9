"""Structure of news pages: which part of a page is headline, caption, body, comment or furniture.

All pages are invented German text. Each test asserts the zone kinds with their exact text, and
every parse is checked against the invariants a coder relies on (see ``assert_invariants``).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.corpus.layouts.generic import GENERIC
from annotator.corpus.structure import (
    FALLBACK_LAYOUT,
    LAYOUTS,
    LayoutRules,
    detect_layout,
    looks_like_scraped_page,
    parse_clean,
    parse_page,
    register_layout,
)
from annotator.domain import Zone, ZoneKind as K

PAGES = Path(__file__).parent / "pages"


def assert_invariants(text: str, zones: list[Zone]) -> None:
    """Sorted, non-overlapping, in bounds, trimmed, and every non-blank line inside some zone."""
    end = 0
    for zone in zones:
        assert 0 <= zone.start < zone.end <= len(text), zone
        assert zone.start >= end, f"{zone} overlaps the zone before"
        piece = text[zone.start : zone.end]
        assert not piece[0].isspace() and not piece[-1].isspace(), repr(piece)
        end = zone.end
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            first = pos + len(line) - len(line.lstrip())
            assert any(z.start <= first < z.end for z in zones), f"line {line!r} is in no zone"
        pos += len(line) + 1
    for zone in zones:
        if zone.kind is K.IMAGE_CAPTION:
            assert set(zone.attrs) == {"symbolic", "credit"}
        if zone.kind is K.SUBHEADING:
            assert set(zone.attrs) == {"question"}


def parsed(text: str, layout: str | None = None) -> list[tuple[K, str]]:
    zones = parse_page(text, layout)
    assert_invariants(text, zones)
    return [(z.kind, text[z.start : z.end]) for z in zones]


def attrs_of(text: str, kind: K) -> list[dict]:
    return [z.attrs for z in parse_page(text) if z.kind is kind]


# --------------------------------------------------------------------------------------------
# swiss_portal: the canonical page and its variations

CANONICAL = (PAGES / "swiss_portal_canonical.txt").read_text(encoding="utf-8")

CANONICAL_ZONES = [
    (K.KICKER, "Bundesrat"),
    (K.HEADLINE, "Bundesrat prüft strengere Regeln für Drohnenflüge"),
    (K.IMAGE_ALT, "Lea Sommer"),
    (K.BYLINE, "Lea Sommer"),
    (K.DATELINE, "Schweiz,"),
    (K.LEAD, "Der Bundesrat will den Einsatz von Drohnen strenger regeln. Ein Entscheid könnte schon im Herbst fallen."),
    (K.IMAGE_ALT, "drohne feld"),
    (K.IMAGE_CAPTION, "Eine Drohne über einem Maisfeld. (Symbolbild)"),
    (K.PHOTO_CREDIT, "keystone"),
    (K.BODY, "Der Bundesrat hat am Mittwoch in Bern neue Vorgaben vorgestellt, wie «Blick» berichtet."),
    (K.SUBHEADING, "Fachleute warnen vor einem Schnellschuss"),
    (K.BODY, "Beobachter gehen davon aus, dass die Kantone mitreden wollen."),
    (K.SUBHEADING, "Droht jetzt ein Flugverbot über Städten?"),
    (K.BODY, "Laut «SRF» ist noch nichts entschieden."),
    (K.COMMENTS_HEADER, "Kommentare"),
    (K.COMMENT_USER, "User #5512 (nicht angemeldet)"),
    (K.COMMENT, "Endlich tut sich etwas."),
    (K.BOILERPLATE, "Weiterlesen"),
    (K.BOILERPLATE, "Verkehr\n12 Interaktionen\nNeue Regeln"),
    (K.BOILERPLATE, "MEHR IN NEWS"),
    (K.BOILERPLATE, "FC Thun\nAufstieg"),
    (K.BOILERPLATE, "MEHR AUS DER SCHWEIZ"),
    (K.BOILERPLATE, "Zürich\nStau"),
]


def test_canonical_page_is_detected_and_parsed_zone_by_zone():
    assert detect_layout(CANONICAL) == "swiss_portal"
    assert parsed(CANONICAL) == CANONICAL_ZONES
    assert parsed(CANONICAL, "swiss_portal") == CANONICAL_ZONES


def test_canonical_attributes():
    zones = parse_page(CANONICAL)
    caption = next(z for z in zones if z.kind is K.IMAGE_CAPTION)
    assert caption.attrs == {"symbolic": True, "credit": "keystone"}
    assert [z.attrs["question"] for z in zones if z.kind is K.SUBHEADING] == [False, True]
    # the first copy of the author's name is the photo's alt text, marked as such
    assert zones[2].attrs == {"of": "byline"}


def test_without_kicker():
    page = """Kantone fordern mehr Geld für den Hochwasserschutz

Marc Frei
Marc Frei

Schweiz,

Nach den Unwettern im Sommer verlangen mehrere Kantone zusätzliche Bundesmittel.

flussufer damm
Ein beschädigter Damm am Ufer der Aare. - KEYSTONE/Urs Beispiel

Die Regierungen von Bern und Luzern haben am Montag einen gemeinsamen Brief verschickt.

Weiterlesen

Wetter
3 Interaktionen
Gewitter am Wochenende
"""
    assert parsed(page) == [
        (K.HEADLINE, "Kantone fordern mehr Geld für den Hochwasserschutz"),
        (K.IMAGE_ALT, "Marc Frei"),
        (K.BYLINE, "Marc Frei"),
        (K.DATELINE, "Schweiz,"),
        (K.LEAD, "Nach den Unwettern im Sommer verlangen mehrere Kantone zusätzliche Bundesmittel."),
        (K.IMAGE_ALT, "flussufer damm"),
        (K.IMAGE_CAPTION, "Ein beschädigter Damm am Ufer der Aare."),
        (K.PHOTO_CREDIT, "KEYSTONE/Urs Beispiel"),
        (K.BODY, "Die Regierungen von Bern und Luzern haben am Montag einen gemeinsamen Brief verschickt."),
        (K.BOILERPLATE, "Weiterlesen"),
        (K.BOILERPLATE, "Wetter\n3 Interaktionen\nGewitter am Wochenende"),
    ]
    assert attrs_of(page, K.IMAGE_CAPTION) == [{"symbolic": False, "credit": "KEYSTONE/Urs Beispiel"}]


def test_without_byline_and_without_pictures():
    page = """Sport

Eishockey-Klub verpflichtet neuen Trainer aus Finnland

Schweiz,

Der Traditionsverein hat die Nachfolge an der Bande geregelt. Der Vertrag läuft zwei Jahre.

Der Klub bestätigte die Verpflichtung am Dienstagabend.

Kommentare

User #88 (nicht angemeldet)

Hoffentlich bringt er Erfolg.

MEHR IN SPORT

Tennis
Finale
"""
    assert parsed(page) == [
        (K.KICKER, "Sport"),
        (K.HEADLINE, "Eishockey-Klub verpflichtet neuen Trainer aus Finnland"),
        (K.DATELINE, "Schweiz,"),
        (K.LEAD, "Der Traditionsverein hat die Nachfolge an der Bande geregelt. Der Vertrag läuft zwei Jahre."),
        (K.BODY, "Der Klub bestätigte die Verpflichtung am Dienstagabend."),
        (K.COMMENTS_HEADER, "Kommentare"),
        (K.COMMENT_USER, "User #88 (nicht angemeldet)"),
        (K.COMMENT, "Hoffentlich bringt er Erfolg."),
        (K.BOILERPLATE, "MEHR IN SPORT"),
        (K.BOILERPLATE, "Tennis\nFinale"),
    ]


def test_byline_printed_once_and_no_comments():
    page = """Wirtschaft

Bäckereien kämpfen mit hohen Energiepreisen

Nina Keller

Zürich,

Viele kleine Betriebe geraten wegen der Stromkosten unter Druck.

ofen brot
Ein Bäcker holt Brot aus dem Ofen. (Symbolbild) - Pixabay

Der Verband rechnet mit weiteren Schliessungen im Winter.

Weiterlesen

Konsum
41 Interaktionen
Teurer Kaffee
"""
    assert parsed(page) == [
        (K.KICKER, "Wirtschaft"),
        (K.HEADLINE, "Bäckereien kämpfen mit hohen Energiepreisen"),
        (K.BYLINE, "Nina Keller"),
        (K.DATELINE, "Zürich,"),
        (K.LEAD, "Viele kleine Betriebe geraten wegen der Stromkosten unter Druck."),
        (K.IMAGE_ALT, "ofen brot"),
        (K.IMAGE_CAPTION, "Ein Bäcker holt Brot aus dem Ofen. (Symbolbild)"),
        (K.PHOTO_CREDIT, "Pixabay"),
        (K.BODY, "Der Verband rechnet mit weiteren Schliessungen im Winter."),
        (K.BOILERPLATE, "Weiterlesen"),
        (K.BOILERPLATE, "Konsum\n41 Interaktionen\nTeurer Kaffee"),
    ]


def test_several_captions_with_symbolic_and_archive_markers():
    page = """Umwelt

Gletscher verlieren so viel Eis wie nie zuvor

Tim Berger
Tim Berger

Schweiz,

Die neuen Messungen zeigen einen Rekordverlust.

gletscher eis
Symbolfoto: Der Rhonegletscher im August. - Keystone

Die Forschenden werten seit Jahren Daten aus.

bergsteiger seil
Archivbild: Eine Seilschaft auf dem Aletschgletscher. - zvg

Auch kleinere Gletscher sind betroffen.

Ein Helikopter bringt Messgeräte auf den Gletscher. - KEYSTONE

Eine Messstation im Wallis (Archiv) - Getty Images

Ein ausführlicher Bericht folgt im Frühling.
"""
    assert parsed(page) == [
        (K.KICKER, "Umwelt"),
        (K.HEADLINE, "Gletscher verlieren so viel Eis wie nie zuvor"),
        (K.IMAGE_ALT, "Tim Berger"),
        (K.BYLINE, "Tim Berger"),
        (K.DATELINE, "Schweiz,"),
        (K.LEAD, "Die neuen Messungen zeigen einen Rekordverlust."),
        (K.IMAGE_ALT, "gletscher eis"),
        (K.IMAGE_CAPTION, "Symbolfoto: Der Rhonegletscher im August."),
        (K.PHOTO_CREDIT, "Keystone"),
        (K.BODY, "Die Forschenden werten seit Jahren Daten aus."),
        (K.IMAGE_ALT, "bergsteiger seil"),
        (K.IMAGE_CAPTION, "Archivbild: Eine Seilschaft auf dem Aletschgletscher."),
        (K.PHOTO_CREDIT, "zvg"),
        (K.BODY, "Auch kleinere Gletscher sind betroffen."),
        (K.IMAGE_CAPTION, "Ein Helikopter bringt Messgeräte auf den Gletscher."),
        (K.PHOTO_CREDIT, "KEYSTONE"),
        (K.IMAGE_CAPTION, "Eine Messstation im Wallis (Archiv)"),
        (K.PHOTO_CREDIT, "Getty Images"),
        (K.BODY, "Ein ausführlicher Bericht folgt im Frühling."),
    ]
    assert attrs_of(page, K.IMAGE_CAPTION) == [
        {"symbolic": True, "credit": "Keystone"},
        {"symbolic": True, "credit": "zvg"},
        {"symbolic": False, "credit": "KEYSTONE"},
        {"symbolic": True, "credit": "Getty Images"},
    ]


def test_captions_without_credit():
    page = """Bundesrat

Bundesrat prüft strengere Regeln für Drohnenflüge

Lea Sommer

Der Bundesrat will den Einsatz von Drohnen strenger regeln.

drohne feld
Eine Drohne über einem Maisfeld.

Die Vorlage geht nun in die Vernehmlassung.

Ein Polizeiauto vor dem Bundeshaus. (Symbolbild)

Die Polizei soll Drohnen künftig abfangen dürfen.
"""
    assert parsed(page) == [
        (K.KICKER, "Bundesrat"),
        (K.HEADLINE, "Bundesrat prüft strengere Regeln für Drohnenflüge"),
        (K.BYLINE, "Lea Sommer"),
        (K.LEAD, "Der Bundesrat will den Einsatz von Drohnen strenger regeln."),
        (K.IMAGE_ALT, "drohne feld"),
        (K.IMAGE_CAPTION, "Eine Drohne über einem Maisfeld."),
        (K.BODY, "Die Vorlage geht nun in die Vernehmlassung."),
        (K.IMAGE_CAPTION, "Ein Polizeiauto vor dem Bundeshaus. (Symbolbild)"),
        (K.BODY, "Die Polizei soll Drohnen künftig abfangen dürfen."),
    ]
    assert attrs_of(page, K.IMAGE_CAPTION) == [
        {"symbolic": False, "credit": None},
        {"symbolic": True, "credit": None},
    ]


def test_several_comments_with_anonymous_and_named_users():
    page = CANONICAL.replace(
        "Endlich tut sich etwas.\n",
        """Endlich tut sich etwas.

Hans Muster

Das sehe ich anders. Die Regeln sind streng genug.

Ich fliege seit Jahren ohne Probleme.

Leserin_77

Ganz meiner Meinung!

User #12 (nicht angemeldet)
Warum erst jetzt?
Antworten
""",
    )
    comments = [zone for zone in parsed(page) if zone[0] in (K.COMMENT_USER, K.COMMENT, K.COMMENTS_HEADER)]
    assert comments == [
        (K.COMMENTS_HEADER, "Kommentare"),
        (K.COMMENT_USER, "User #5512 (nicht angemeldet)"),
        (K.COMMENT, "Endlich tut sich etwas."),
        (K.COMMENT_USER, "Hans Muster"),
        (K.COMMENT, "Das sehe ich anders. Die Regeln sind streng genug."),
        (K.COMMENT, "Ich fliege seit Jahren ohne Probleme."),
        (K.COMMENT_USER, "Leserin_77"),
        (K.COMMENT, "Ganz meiner Meinung!"),
        (K.COMMENT_USER, "User #12 (nicht angemeldet)"),
        (K.COMMENT, "Warum erst jetzt?"),
    ]
    assert (K.BOILERPLATE, "Antworten") in parsed(page)


def test_question_subheadings():
    page = """Bundesrat prüft strengere Regeln für Drohnenflüge

Der Bundesrat will den Einsatz von Drohnen strenger regeln.

Was bedeutet das für Hobbypiloten?

Wer eine Drohne über 250 Gramm fliegt, muss sich registrieren.

Wer kontrolliert die Einhaltung?

Zuständig wären die Kantonspolizeien.

«Wir sind vorbereitet»

Das sagt ein Sprecher der Kantonspolizei Bern.
"""
    assert parsed(page) == [
        (K.HEADLINE, "Bundesrat prüft strengere Regeln für Drohnenflüge"),
        (K.LEAD, "Der Bundesrat will den Einsatz von Drohnen strenger regeln."),
        (K.SUBHEADING, "Was bedeutet das für Hobbypiloten?"),
        (K.BODY, "Wer eine Drohne über 250 Gramm fliegt, muss sich registrieren."),
        (K.SUBHEADING, "Wer kontrolliert die Einhaltung?"),
        (K.BODY, "Zuständig wären die Kantonspolizeien."),
        (K.SUBHEADING, "«Wir sind vorbereitet»"),
        (K.BODY, "Das sagt ein Sprecher der Kantonspolizei Bern."),
    ]
    assert [a["question"] for a in attrs_of(page, K.SUBHEADING)] == [True, True, False]


def test_lead_missing_when_the_picture_follows_the_header():
    page = CANONICAL.replace(
        "Der Bundesrat will den Einsatz von Drohnen strenger regeln. Ein Entscheid könnte schon im Herbst fallen.\n\n", ""
    )
    zones = parsed(page)
    assert K.LEAD not in [kind for kind, _ in zones]
    assert zones[4:8] == [
        (K.DATELINE, "Schweiz,"),
        (K.IMAGE_ALT, "drohne feld"),
        (K.IMAGE_CAPTION, "Eine Drohne über einem Maisfeld. (Symbolbild)"),
        (K.PHOTO_CREDIT, "keystone"),
    ]
    assert zones[8] == (K.BODY, "Der Bundesrat hat am Mittwoch in Bern neue Vorgaben vorgestellt, wie «Blick» berichtet.")


def test_extra_blank_lines_and_trailing_whitespace_change_nothing_but_offsets():
    messy = "\n \n" + "\n".join(line + (" \t" if i % 2 else "  ") for i, line in enumerate(CANONICAL.split("\n")))
    messy = messy.replace("\n \t\n", "\n\n\n   \n\n").replace("Lea Sommer  \nLea", "Lea Sommer\n\n\t\nLea") + "\n\n\n"
    # a zone over several lines keeps the whitespace between them; compare line by line
    assert [(kind, [line.strip() for line in text.split("\n")]) for kind, text in parsed(messy)] == [
        (kind, text.split("\n")) for kind, text in CANONICAL_ZONES
    ]


def test_carriage_returns_left_in_the_text_are_trimmed():
    page = CANONICAL.replace("\n", "\r\n")
    assert [(kind, text.replace("\r", "")) for kind, text in parsed(page)] == CANONICAL_ZONES


def test_page_copied_without_blank_lines():
    page = "\n".join(line for line in CANONICAL.split("\n") if line.strip())
    zones = parsed(page)
    assert zones[:17] == CANONICAL_ZONES[:17]
    assert all(kind is K.BOILERPLATE for kind, _ in zones[17:])
    assert "".join(text for _, text in zones[17:]).startswith("Weiterlesen")


def test_swiss_dateline_opening_the_first_paragraph():
    page = """Bahn

SBB bestellen neue Doppelstockzüge

Bern - Die SBB haben am Donnerstag eine Grossbestellung bekannt gegeben. Die Züge sollen ab 2028 fahren.

Die Kosten belaufen sich auf mehrere Hundert Millionen Franken.
"""
    assert parsed(page) == [
        (K.KICKER, "Bahn"),
        (K.HEADLINE, "SBB bestellen neue Doppelstockzüge"),
        (K.DATELINE, "Bern -"),
        (K.LEAD, "Die SBB haben am Donnerstag eine Grossbestellung bekannt gegeben. Die Züge sollen ab 2028 fahren."),
        (K.BODY, "Die Kosten belaufen sich auf mehrere Hundert Millionen Franken."),
    ]


# --------------------------------------------------------------------------------------------
# regional_daily: a second layout


REGIONAL = (PAGES / "regional_daily.txt").read_text(encoding="utf-8")


def test_regional_daily_page():
    assert detect_layout(REGIONAL) == "regional_daily"
    assert parsed(REGIONAL) == [
        (K.BOILERPLATE, "Startseite > Politik > Deutschland"),
        (K.KICKER, "Heizungsgesetz"),
        (K.HEADLINE, "Koalition einigt sich nach langem Streit auf einen Kompromiss"),
        (K.LEAD, "Nach wochenlangen Verhandlungen haben die Fraktionen einen Entwurf vorgelegt. Kritik kommt von der Opposition."),
        (K.BYLINE, "Von Max Muster"),
        (K.DATELINE, "12.05.2024, 14:30 Uhr"),
        (K.BOILERPLATE, "Artikel anhören\nTeilen"),
        (K.IMAGE_CAPTION, "Ein Handwerker montiert eine Wärmepumpe an einem Einfamilienhaus."),
        (K.PHOTO_CREDIT, "Foto: Erika Beispiel/dpa"),
        (K.DATELINE, "Berlin –"),
        (K.BODY, "Die Koalition hat sich am Freitagabend auf einen gemeinsamen Entwurf verständigt. Das teilten die Fraktionsspitzen mit."),
        (K.BOILERPLATE, "Lesen Sie auch: Was Mieter jetzt wissen müssen"),
        (K.BOILERPLATE, "Anzeige"),
        (K.SUBHEADING, "Was ändert sich für Eigentümer?"),
        (K.BODY, "Eigentümer sollen mehr Zeit für den Austausch alter Anlagen bekommen. Zudem sind Zuschüsse geplant."),
        (K.BODY, "Ein Förderprogramm soll Härtefälle abfedern."),
        (K.BOILERPLATE, "Zur Startseite"),
        (K.BOILERPLATE, "Mehr zum Thema\nWärmepumpen: Die wichtigsten Fragen\nEnergiepreise: Was Verbraucher wissen müssen"),
        (K.COMMENTS_HEADER, "Leserkommentare (2)"),
        (K.COMMENT_USER, "Klaus M. aus Hannover · 12.05.2024, 16:45 Uhr"),
        (K.COMMENT, "Endlich eine Entscheidung, das hat viel zu lange gedauert."),
        (K.COMMENT_USER, "Sabine_K"),
        (K.COMMENT, "Ich bin gespannt, was davon am Ende übrig bleibt."),
        (K.BOILERPLATE, "© dpa-infocom, dpa:240512-99-123456/3"),
    ]
    assert attrs_of(REGIONAL, K.IMAGE_CAPTION) == [{"symbolic": False, "credit": "Erika Beispiel/dpa"}]


def test_regional_daily_with_agency_dateline_and_separate_credit_line():
    page = """Startseite > Wirtschaft

Autobauer streicht Stellen in Niedersachsen

Von Erika Beispiel und Paul Probe
03.06.2024, 09:12 Uhr

Symbolbild: Ein Werkstor am frühen Morgen.
Foto: Jan Test/dpa

Wolfsburg (dpa) – Der Konzern will bis 2027 rund 2000 Stellen abbauen. Betriebsbedingte Kündigungen soll es nicht geben.

Anzeige – Jetzt Probeabo sichern

Die Gewerkschaft kündigte Widerstand an.

Zur Startseite

© dpa-infocom, dpa:240603-99-555555/2
"""
    assert detect_layout(page) == "regional_daily"
    assert parsed(page) == [
        (K.BOILERPLATE, "Startseite > Wirtschaft"),
        (K.HEADLINE, "Autobauer streicht Stellen in Niedersachsen"),
        (K.BYLINE, "Von Erika Beispiel und Paul Probe"),
        (K.DATELINE, "03.06.2024, 09:12 Uhr"),
        (K.IMAGE_CAPTION, "Symbolbild: Ein Werkstor am frühen Morgen."),
        (K.PHOTO_CREDIT, "Foto: Jan Test/dpa"),
        (K.DATELINE, "Wolfsburg (dpa) –"),
        (K.BODY, "Der Konzern will bis 2027 rund 2000 Stellen abbauen. Betriebsbedingte Kündigungen soll es nicht geben."),
        (K.BOILERPLATE, "Anzeige – Jetzt Probeabo sichern"),
        (K.BODY, "Die Gewerkschaft kündigte Widerstand an."),
        (K.BOILERPLATE, "Zur Startseite"),
        (K.BOILERPLATE, "© dpa-infocom, dpa:240603-99-555555/2"),
    ]
    assert attrs_of(page, K.IMAGE_CAPTION) == [{"symbolic": True, "credit": "Jan Test/dpa"}]


# --------------------------------------------------------------------------------------------
# pages of outlets no rule set was written for (generic fallback)


def test_unseen_austrian_style_page_falls_back_to_generic():
    page = """Inland

Regierung plant Reform der Pflegeausbildung

3. Mai 2024, 08:15

Von Anna Beispiel

Künftig sollen Pflegekräfte schon während der Ausbildung ein Gehalt bekommen.

Eine Pflegerin im Gespräch mit einer Bewohnerin. (Symbolbild)
Bild: APA/Hans Punz

WIEN (APA). Die Bundesregierung hat am Freitag ihre Pläne präsentiert. Die Länder sollen mitzahlen.

Kritik von der Opposition

Die Opposition spricht von einem Tropfen auf den heißen Stein.

Mehr aus Österreich

Neue Zugverbindung nach Triest
Schneefall in den Alpen
"""
    assert detect_layout(page) == FALLBACK_LAYOUT
    assert parsed(page) == [
        (K.KICKER, "Inland"),
        (K.HEADLINE, "Regierung plant Reform der Pflegeausbildung"),
        (K.DATELINE, "3. Mai 2024, 08:15"),
        (K.BYLINE, "Von Anna Beispiel"),
        (K.LEAD, "Künftig sollen Pflegekräfte schon während der Ausbildung ein Gehalt bekommen."),
        (K.IMAGE_CAPTION, "Eine Pflegerin im Gespräch mit einer Bewohnerin. (Symbolbild)"),
        (K.PHOTO_CREDIT, "Bild: APA/Hans Punz"),
        (K.DATELINE, "WIEN (APA)."),
        (K.BODY, "Die Bundesregierung hat am Freitag ihre Pläne präsentiert. Die Länder sollen mitzahlen."),
        (K.SUBHEADING, "Kritik von der Opposition"),
        (K.BODY, "Die Opposition spricht von einem Tropfen auf den heißen Stein."),
        (K.BOILERPLATE, "Mehr aus Österreich"),
        (K.BOILERPLATE, "Neue Zugverbindung nach Triest\nSchneefall in den Alpen"),
    ]
    assert attrs_of(page, K.IMAGE_CAPTION) == [{"symbolic": True, "credit": "APA/Hans Punz"}]


def test_unseen_city_portal_with_cookie_banner_and_reader_comments():
    page = """Wir verwenden Cookies, um Ihnen ein gutes Nutzererlebnis zu bieten. Mit der Nutzung stimmen Sie unserer Datenschutzerklärung zu.
Alle akzeptieren
Menü
Suche

Lokales
Stadt plant zwölf Kilometer neue Radwege

Von Jonas Beispiel und Mara Test | 04.06.2024

Der Stadtrat hat am Dienstag ein Konzept für neue Radwege vorgestellt. Bis 2026 soll gebaut werden.

Kritik kommt vom Gewerbeverband, der um Parkplätze fürchtet.

Artikel teilen

Kommentare (2)

Peter Probe · vor 2 Stunden
Endlich wird etwas für Velofahrer getan.
Antworten

radler99 · vor 1 Stunde
Die Baustellen werden ein Chaos.
3 Likes

Das könnte Sie auch interessieren

Neuer Spielplatz im Stadtpark eröffnet
Wochenmarkt zieht um
"""
    assert parsed(page) == [
        (K.BOILERPLATE, "Wir verwenden Cookies, um Ihnen ein gutes Nutzererlebnis zu bieten. Mit der Nutzung stimmen Sie unserer Datenschutzerklärung zu.\nAlle akzeptieren\nMenü\nSuche"),
        (K.KICKER, "Lokales"),
        (K.HEADLINE, "Stadt plant zwölf Kilometer neue Radwege"),
        (K.BYLINE, "Von Jonas Beispiel und Mara Test | 04.06.2024"),
        (K.LEAD, "Der Stadtrat hat am Dienstag ein Konzept für neue Radwege vorgestellt. Bis 2026 soll gebaut werden."),
        (K.BODY, "Kritik kommt vom Gewerbeverband, der um Parkplätze fürchtet."),
        (K.BOILERPLATE, "Artikel teilen"),
        (K.COMMENTS_HEADER, "Kommentare (2)"),
        (K.COMMENT_USER, "Peter Probe · vor 2 Stunden"),
        (K.COMMENT, "Endlich wird etwas für Velofahrer getan."),
        (K.BOILERPLATE, "Antworten"),
        (K.COMMENT_USER, "radler99 · vor 1 Stunde"),
        (K.COMMENT, "Die Baustellen werden ein Chaos."),
        (K.BOILERPLATE, "3 Likes"),
        (K.BOILERPLATE, "Das könnte Sie auch interessieren"),
        (K.BOILERPLATE, "Neuer Spielplatz im Stadtpark eröffnet\nWochenmarkt zieht um"),
    ]


def test_a_tail_marker_inside_the_article_does_not_swallow_it():
    long_paragraph = " ".join(["Die Gemeinde hat den Entscheid lange vorbereitet und alle Varianten geprüft."] * 5)
    page = f"""Gemeinde sagt Ja zum neuen Schulhaus

Die Stimmberechtigten haben den Kredit deutlich angenommen.

Weiterlesen

{long_paragraph}

Der Bau soll im Frühling beginnen.
"""
    zones = parsed(page)
    assert (K.BODY, long_paragraph) in zones
    assert zones[-1] == (K.BODY, "Der Bau soll im Frühling beginnen.")


def test_dashes_in_prose_are_not_captions_and_articles_are_not_datelines():
    page = """Parlament streitet über das Budget

Die Regierung – so heisst es in Bern – will sparen. Das Parlament ist skeptisch.

Am Ende gewann die Vorlage - wie erwartet - eine knappe Mehrheit.

Es war ein langer Tag - für alle Beteiligten.
"""
    assert parsed(page) == [
        (K.HEADLINE, "Parlament streitet über das Budget"),
        (K.LEAD, "Die Regierung – so heisst es in Bern – will sparen. Das Parlament ist skeptisch."),
        (K.BODY, "Am Ende gewann die Vorlage - wie erwartet - eine knappe Mehrheit."),
        (K.BODY, "Es war ein langer Tag - für alle Beteiligten."),
    ]


def test_unseen_page_with_picture_above_a_short_headline_and_agency_signature():
    page = """bundeshaus kuppel
Das Bundeshaus in Bern. (Archivbild) - KEYSTONE

Politik

Hitzewelle!

Sarah Beispiel

Es ist offiziell.

Der Sommer bricht Rekorde. Das Bundesamt meldet 38 Grad.

(sda)

Kommentare

Anonym

Zu heiss!
"""
    assert parsed(page) == [
        (K.IMAGE_ALT, "bundeshaus kuppel"),
        (K.IMAGE_CAPTION, "Das Bundeshaus in Bern. (Archivbild)"),
        (K.PHOTO_CREDIT, "KEYSTONE"),
        (K.KICKER, "Politik"),
        (K.HEADLINE, "Hitzewelle!"),
        (K.BYLINE, "Sarah Beispiel"),
        (K.LEAD, "Es ist offiziell."),
        (K.BODY, "Der Sommer bricht Rekorde. Das Bundesamt meldet 38 Grad."),
        (K.BYLINE, "(sda)"),
        (K.COMMENTS_HEADER, "Kommentare"),
        (K.COMMENT_USER, "Anonym"),
        (K.COMMENT, "Zu heiss!"),
    ]


def test_unseen_page_with_wrapped_paragraphs_and_comments_without_blank_lines():
    page = """Gemeinderat streicht Zuschüsse für Vereine

Lea Sommer, Redaktorin Politik

Der Gemeinderat hat an seiner Sitzung vom Dienstag beschlossen, die
jährlichen Beiträge an die Dorfvereine um einen Viertel zu kürzen.
Die Vereine reagieren empört.

Die Gemeinde muss sparen. Das Defizit im laufenden Jahr beträgt
über eine Million Franken, wie der Finanzvorsteher sagte.
Am Ende
entscheidet die Gemeindeversammlung im Dezember.

Kommentare

Vereinsmensch
Eine Schande ist das.
Ruedi Beispiel
Richtig so, sparen muss sein.
"""
    assert parsed(page) == [
        (K.HEADLINE, "Gemeinderat streicht Zuschüsse für Vereine"),
        (K.BYLINE, "Lea Sommer, Redaktorin Politik"),
        (
            K.LEAD,
            "Der Gemeinderat hat an seiner Sitzung vom Dienstag beschlossen, die\n"
            "jährlichen Beiträge an die Dorfvereine um einen Viertel zu kürzen.\nDie Vereine reagieren empört.",
        ),
        (
            K.BODY,
            "Die Gemeinde muss sparen. Das Defizit im laufenden Jahr beträgt\n"
            "über eine Million Franken, wie der Finanzvorsteher sagte.\nAm Ende\n"
            "entscheidet die Gemeindeversammlung im Dezember.",
        ),
        (K.COMMENTS_HEADER, "Kommentare"),
        (K.COMMENT_USER, "Vereinsmensch"),
        (K.COMMENT, "Eine Schande ist das."),
        (K.COMMENT_USER, "Ruedi Beispiel"),
        (K.COMMENT, "Richtig so, sparen muss sein."),
    ]


def test_unseen_portal_copied_line_by_line_with_navigation_above():
    page = """News
Schweiz
Analyse:
Warum die Mieten in Zürich weiter steigen
Aktualisiert vor 3 Stunden
Die Wohnungsnot in der Stadt verschärft sich. Fachleute sehen kaum Entspannung.
Immer mehr Menschen ziehen in die Agglomeration. Das zeigt eine neue Studie der Kantonalbank.
wohnung zürich
Neubauten in Zürich-Altstetten. - 20min/Marco Beispiel
Was tut die Politik?
Der Stadtrat hat ein Förderprogramm angekündigt.
Kommentare
Mehr Kommentare laden
Urs B.
Bauen, bauen, bauen!
Antworten
Züri_Girl
Ich suche seit zwei Jahren.
"""
    assert parsed(page) == [
        (K.BOILERPLATE, "News"),
        (K.BOILERPLATE, "Schweiz"),
        (K.KICKER, "Analyse:"),
        (K.HEADLINE, "Warum die Mieten in Zürich weiter steigen"),
        (K.DATELINE, "Aktualisiert vor 3 Stunden"),
        (K.LEAD, "Die Wohnungsnot in der Stadt verschärft sich. Fachleute sehen kaum Entspannung."),
        (K.BODY, "Immer mehr Menschen ziehen in die Agglomeration. Das zeigt eine neue Studie der Kantonalbank."),
        (K.IMAGE_ALT, "wohnung zürich"),
        (K.IMAGE_CAPTION, "Neubauten in Zürich-Altstetten."),
        (K.PHOTO_CREDIT, "20min/Marco Beispiel"),
        (K.SUBHEADING, "Was tut die Politik?"),
        (K.BODY, "Der Stadtrat hat ein Förderprogramm angekündigt."),
        (K.COMMENTS_HEADER, "Kommentare"),
        (K.BOILERPLATE, "Mehr Kommentare laden"),
        (K.COMMENT_USER, "Urs B."),
        (K.COMMENT, "Bauen, bauen, bauen!"),
        (K.BOILERPLATE, "Antworten"),
        (K.COMMENT_USER, "Züri_Girl"),
        (K.COMMENT, "Ich suche seit zwei Jahren."),
    ]


def test_regional_page_copied_without_blank_lines():
    page = "\n".join(line for line in REGIONAL.split("\n") if line.strip())
    lines_of = [(kind, text) for kind, text in parsed(page)]
    assert lines_of[:6] == [
        (K.BOILERPLATE, "Startseite > Politik > Deutschland"),
        (K.KICKER, "Heizungsgesetz"),
        (K.HEADLINE, "Koalition einigt sich nach langem Streit auf einen Kompromiss"),
        (K.LEAD, "Nach wochenlangen Verhandlungen haben die Fraktionen einen Entwurf vorgelegt. Kritik kommt von der Opposition."),
        (K.BYLINE, "Von Max Muster"),
        (K.DATELINE, "12.05.2024, 14:30 Uhr"),
    ]
    assert (K.DATELINE, "Berlin –") in lines_of
    assert (K.COMMENT_USER, "Sabine_K") in lines_of


def test_outlet_rules_add_to_the_generic_ones():
    page = """Startseite > Wirtschaft

Autobauer streicht Stellen in Niedersachsen

Der Konzern will bis 2027 rund 2000 Stellen abbauen.

Anzeige – Jetzt Probeabo sichern

Die Gewerkschaft kündigte Widerstand an.
"""
    assert (K.BOILERPLATE, "Anzeige – Jetzt Probeabo sichern") in parsed(page, "regional_daily")
    assert (K.BOILERPLATE, "Anzeige – Jetzt Probeabo sichern") not in parsed(page, "generic")


# --------------------------------------------------------------------------------------------
# scraped or clean?


PLAIN_TXT = """Gemeinde baut neues Schulhaus

Die Stimmberechtigten haben am Sonntag einen Kredit von zwölf Millionen Franken angenommen.

Der Bau soll im Frühling beginnen und zwei Jahre dauern.
"""


@pytest.mark.parametrize("page", [CANONICAL, REGIONAL], ids=["swiss_portal", "regional_daily"])
def test_scraped_pages_are_recognised(page):
    assert looks_like_scraped_page(page)


@pytest.mark.parametrize(
    "text",
    [
        PLAIN_TXT,
        "",
        "Nur eine Zeile",
        "Titel\n\nEin Absatz ohne Besonderheiten.",
        "Drohnen\nBundesrat prüft neue Regeln für Piloten\n\nDer Bundesrat will den Einsatz strenger regeln.",
        "Sitzung vom 12.05.2024\n\nDer Gemeinderat hat getagt. Er beschloss drei Geschäfte.",
    ],
)
def test_plain_texts_are_not_taken_for_scraped_pages(text):
    assert not looks_like_scraped_page(text)


def test_furniture_alone_is_enough_to_call_it_scraped():
    assert looks_like_scraped_page(PLAIN_TXT + "\nWeiterlesen\n\nVerkehr\n12 Interaktionen\n")
    assert looks_like_scraped_page(PLAIN_TXT + "\nKommentare\n\nUser #1 (nicht angemeldet)\n\nStimmt.\n")


# --------------------------------------------------------------------------------------------
# clean articles


def clean(text: str, has_title: bool) -> list[tuple[K, str]]:
    zones = parse_clean(text, has_title)
    assert_invariants(text, zones)
    return [(z.kind, text[z.start : z.end]) for z in zones]


def test_clean_article_with_title_and_paragraphs():
    text = "Gemeinde baut neues Schulhaus\n\nDie Stimmberechtigten sagten Ja.\nMit grosser Mehrheit.\n\nDer Bau beginnt bald."
    assert clean(text, True) == [
        (K.HEADLINE, "Gemeinde baut neues Schulhaus"),
        (K.BODY, "Die Stimmberechtigten sagten Ja.\nMit grosser Mehrheit."),
        (K.BODY, "Der Bau beginnt bald."),
    ]


def test_clean_article_without_blank_lines_splits_on_line_breaks():
    text = "Gemeinde baut neues Schulhaus\n\nDie Stimmberechtigten sagten Ja.\nDer Bau beginnt bald.  \n"
    assert clean(text, True) == [
        (K.HEADLINE, "Gemeinde baut neues Schulhaus"),
        (K.BODY, "Die Stimmberechtigten sagten Ja."),
        (K.BODY, "Der Bau beginnt bald."),
    ]
    assert clean("Erster Absatz.\nZweiter Absatz.", False) == [(K.BODY, "Erster Absatz."), (K.BODY, "Zweiter Absatz.")]


def test_clean_article_with_empty_title_has_no_headline():
    assert clean("\n\nNur Text.\n\nNoch mehr Text.", True) == [(K.BODY, "Nur Text."), (K.BODY, "Noch mehr Text.")]
    assert clean("", True) == []
    assert clean("  \n \n", False) == []


# --------------------------------------------------------------------------------------------
# the registry


def test_a_new_outlet_is_a_small_rule_set():
    rules = GENERIC.extend(
        "test_outlet",
        "An outlet that closes its articles with 'Mehr vom Tagblatt'.",
        signatures=(r"Mehr vom Tagblatt", r"Tagblatt-Abo.*"),
        tail_markers=(r"Mehr vom Tagblatt",),
        furniture=(r"Tagblatt-Abo.*",),
    )
    register_layout(rules)
    try:
        page = "Brücke wird saniert\n\nDie Arbeiten dauern bis Juni.\n\nTagblatt-Abo: jetzt testen\n\nMehr vom Tagblatt\n\nMarkt\nFest"
        assert detect_layout(page) == "test_outlet"
        assert parsed(page) == [
            (K.HEADLINE, "Brücke wird saniert"),
            (K.LEAD, "Die Arbeiten dauern bis Juni."),
            (K.BOILERPLATE, "Tagblatt-Abo: jetzt testen"),
            (K.BOILERPLATE, "Mehr vom Tagblatt"),
            (K.BOILERPLATE, "Markt\nFest"),
        ]
        with pytest.raises(ValueError, match="already registered"):
            register_layout(rules)
        # the base rules still apply to the new layout
        assert rules.furniture[: len(GENERIC.furniture)] == GENERIC.furniture
    finally:
        del LAYOUTS["test_outlet"]


def test_unknown_layout_name_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match="swiss_portal"):
        parse_page(CANONICAL, "no_such_outlet")
    with pytest.raises(TypeError):
        GENERIC.extend("x", no_such_field=())


def test_builtin_layouts_are_registered():
    assert {"generic", "swiss_portal", "regional_daily"} <= set(LAYOUTS)
    assert all(isinstance(rules, LayoutRules) for rules in LAYOUTS.values())


# --------------------------------------------------------------------------------------------
# robustness and speed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "   \n\t\n",
        "x",
        "Weiterlesen",
        "Kommentare",
        "User #1 (nicht angemeldet)",
        "Weiterlesen\n\n12 Interaktionen\n\nMEHR IN NEWS\n\nAnzeige",
        "Kommentare\n\nKommentare\n\nWeiterlesen\n\nKommentare",
        " - keystone",
        "(Symbolbild)",
        "drohne feld",
        "Berlin –",
        "Foto: dpa",
        "© keystone",
        "Lea Sommer\nLea Sommer",
        "«»\n?\n.\n-\n–\n©",
        "\u00a0Text mit geschütztem Leerzeichen\u00a0\n\u2028",
    ],
)
def test_odd_inputs_never_raise(text):
    for layout in [None, *LAYOUTS]:
        assert_invariants(text, parse_page(text, layout))
    assert_invariants(text, parse_clean(text, True))
    looks_like_scraped_page(text)


LINE_POOL = [
    "", "", " ", "\t", "Bundesrat", "Lea Sommer", "Schweiz,", "drohne feld", "Weiterlesen", "Kommentare",
    "MEHR IN NEWS", "12 Interaktionen", "User #5512 (nicht angemeldet)", "Leserin_77", "Hans Muster",
    "Eine Drohne über einem Maisfeld. (Symbolbild) - keystone", "Ein Bild. Foto: dpa", "Foto: Max Muster/dpa",
    "Der Bundesrat will den Einsatz von Drohnen strenger regeln.", "Droht jetzt ein Flugverbot?",
    "Berlin – Die Regierung hat entschieden.", "Von Max Muster", "12.05.2024, 14:30 Uhr", "Anzeige",
    "Startseite > Politik", "Zur Startseite", "© dpa-infocom", "Antworten", "3 Likes", "- -", " – ", "©",
    "a", "?", "Ä" * 300, "wort " * 80, "Sehr langer Satz, " * 30 + "Ende.", "(Archiv)", "WIEN (APA). Text.",
]


def test_random_line_mixtures_keep_the_invariants():
    rng = random.Random(20240512)
    for _ in range(400):
        lines = [rng.choice(LINE_POOL) for _ in range(rng.randint(0, 40))]
        text = rng.choice(["\n", "\n\n"]).join(lines)
        for layout in (None, "generic", "swiss_portal", "regional_daily"):
            assert_invariants(text, parse_page(text, layout))
        assert_invariants(text, parse_clean(text, rng.random() < 0.5))
        looks_like_scraped_page(text)


def test_random_characters_keep_the_invariants():
    rng = random.Random(7)
    alphabet = "aäbcdeßXYZ 019.,;:!?-–—()«»\"'#_/|·©@\t\n\n\n\u00a0\r"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        for layout in (None, "generic", "swiss_portal", "regional_daily"):
            assert_invariants(text, parse_page(text, layout))
        assert_invariants(text, parse_clean(text, True))
        looks_like_scraped_page(text)


def test_a_very_long_page_keeps_every_invariant():
    body = CANONICAL.split("Kommentare")[0]
    page = body + "\n\n".join(
        f"Absatz {i}: Der Bundesrat hat am Mittwoch in Bern weitere Vorgaben vorgestellt, wie berichtet wird."
        for i in range(200)
    ) + "\n\n" + CANONICAL[CANONICAL.index("Kommentare") :]
    assert len(page) > 20_000
    zones = parse_page(page)
    assert_invariants(page, zones)
    assert sum(z.kind is K.BODY for z in zones) >= 200


def test_repeated_canonical_pages_keep_every_invariant():
    page = (CANONICAL + "\n\n") * (20_000 // len(CANONICAL) + 1)
    assert_invariants(page, parse_page(page))
