"""Document search in the list pane: the query is taken literally and case is ignored in every alphabet."""

from __future__ import annotations

import json

import pytest

ARTICLES = [
    {"id": "a1", "title": "Über die Brücke", "text": "Die Gemeinde streitet.", "source": "Landbote"},
    {"id": "a2", "title": "Bahn", "text": "Die Fahrt über den Pass dauert länger.", "source": "Landbote"},
    {"id": "a3", "title": "ÜBER ALLES", "text": "Ein Kommentar.", "source": "Landbote"},
    {"id": "a4", "title": "Preise", "text": "Die Mieten stiegen um 5% im Jahr.", "source": "Landbote"},
    {"id": "a5", "title": "Preise II", "text": "Die Mieten stiegen um 50 Franken.", "source": "Landbote"},
    {"id": "a6", "title": "Dateien", "text": "Die Datei heisst bericht_2026.pdf.", "source": "Landbote"},
    {"id": "a7", "title": "Berichte", "text": "Der Bericht 2026 liegt vor.", "source": "Landbote"},
    {"id": "a8", "title": "Ελλάδα", "text": "ΑΘΗΝΑ meldet Regen.", "source": "Landbote"},
    {"id": "a9", "title": "Uber", "text": "Der Fahrdienst Uber expandiert.", "source": "Landbote"},
    {"id": "a10", "title": "GESPERRTE STRAẞE", "text": "Die Strasse bleibt zu.", "source": "Landbote"},
]


@pytest.fixture
def searchable(any_project, tmp_path):
    corpus = tmp_path / "search-corpus.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    report = any_project.import_corpus(corpus)
    assert report.new == len(ARTICLES), report
    return any_project


def found(project, query: str) -> list[str]:
    return sorted(d.external_id for d in project.list_documents(search=query))


def test_case_is_ignored_in_every_alphabet(searchable):
    expected = ["a1", "a2", "a3"]
    assert found(searchable, "über") == expected
    assert found(searchable, "Über") == expected
    assert found(searchable, "ÜBER") == expected
    assert found(searchable, "uber") == ["a9"]  # an umlaut is a letter of its own, not a case
    assert found(searchable, "αθηνα") == ["a8"]
    assert found(searchable, "ελλάδα") == ["a8"]
    assert found(searchable, "straße") == ["a10"]  # the capital sharp s
    # macOS input methods may hand over "u" + combining diaeresis; stored text is composed (NFC).
    assert found(searchable, "u\u0308ber") == expected


def test_percent_and_underscore_are_plain_characters(searchable):
    assert found(searchable, "5%") == ["a4"]
    assert found(searchable, "%") == ["a4"]
    assert found(searchable, "bericht_2026") == ["a6"]
    assert found(searchable, "_") == ["a6"]
    assert found(searchable, "\\") == []
