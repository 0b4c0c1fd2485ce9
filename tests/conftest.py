from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_corpus"


@pytest.fixture
def project(tmp_path):
    from annotator.project import Project

    with Project.create(tmp_path / "study.db") as p:
        yield p


@pytest.fixture
def article_project(project, tmp_path):
    """A project with one small scraped page and one clean article."""
    page = tmp_path / "corpus" / "drohnen.txt"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "corpus" / "clean.jsonl").write_text(
        '{"id": "c1", "title": "Gemeinde baut neue Brücke", "text": "Die Gemeinde baut eine Brücke.\\n\\nDie Kosten dürften steigen.", "source": "Landbote", "date": "2026-03-02"}\n',
        encoding="utf-8",
    )
    report = project.import_corpus(tmp_path / "corpus")
    assert report.new == 2, report
    return project


PAGE = """Bundesrat

Bundesrat prüft strengere Regeln für Drohnenflüge

Lea Sommer
Lea Sommer

Schweiz,

Der Bundesrat will den Einsatz von Drohnen strenger regeln. Ein Entscheid könnte schon im Herbst fallen.

drohne feld
Eine Drohne über einem Maisfeld. (Symbolbild) - keystone

Der Bundesrat hat am Mittwoch in Bern neue Vorgaben vorgestellt, wie «Blick» berichtet.

Fachleute warnen vor einem Schnellschuss

Beobachter gehen davon aus, dass die Kantone mitreden wollen.

Droht jetzt ein Flugverbot über Städten?

Laut «SRF» ist noch nichts entschieden.

Kommentare

User #5512 (nicht angemeldet)

Endlich tut sich etwas.

Weiterlesen

Verkehr
12 Interaktionen
Neue Regeln

MEHR IN NEWS

FC Thun
Aufstieg

MEHR AUS DER SCHWEIZ

Zürich
Stau
"""
