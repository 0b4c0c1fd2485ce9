"""Import into a project: normalisation, de-duplication, batching, progress, cancel, reports."""

from __future__ import annotations

import json
import unicodedata

from annotator.corpus.importer import parse_published, prepare
from annotator.corpus.normalise import normalise_text
from annotator.corpus.records import ImportProblem, Layout, RawRecord
from annotator.domain import ZoneKind


def test_normalisation_is_nfc_newlines_no_bom():
    decomposed = unicodedata.normalize("NFD", "Zürich")
    text = normalise_text("\ufeffTitel\r\n\r\n\r\n\r\nA " + decomposed + "  \rB\x00")
    assert text == "Titel\n\nA Zürich\nB"


def test_clean_record_gets_headline_and_body_zones():
    doc = prepare(RawRecord(text="Erster Absatz.\n\nZweiter Absatz.", source_file="x.jsonl", title="Ein Titel"))
    assert doc.text == "Ein Titel\n\nErster Absatz.\n\nZweiter Absatz."
    kinds = [(z.kind, doc.text[z.start : z.end]) for z in doc.zones]
    assert kinds == [(ZoneKind.HEADLINE, "Ein Titel"), (ZoneKind.BODY, "Erster Absatz."), (ZoneKind.BODY, "Zweiter Absatz.")]


def test_plain_text_file_uses_first_line_as_title():
    raw = RawRecord(text="Gemeinde plant Neubau\n\nDie Gemeinde plant einen Neubau.\n\nDer Rat entscheidet im Mai.",
                    source_file="a.txt", layout=Layout.SCRAPED)  # fmt: skip
    doc = prepare(raw)
    assert doc.title == "Gemeinde plant Neubau" and doc.layout == "clean"
    assert doc.zones[0].kind is ZoneKind.HEADLINE


def test_scraped_page_title_is_its_headline():
    from tests.conftest import PAGE

    doc = prepare(RawRecord(text=PAGE, source_file="p.txt", layout=Layout.SCRAPED))
    assert doc.layout == "scraped"
    assert doc.title == "Bundesrat prüft strengere Regeln für Drohnenflüge"
    assert any(z.kind is ZoneKind.BOILERPLATE for z in doc.zones)


def test_empty_text_is_a_problem():
    problem = prepare(RawRecord(text=" \n\t ", source_file="leer.txt", location=""))
    assert isinstance(problem, ImportProblem) and problem.reason == "empty text"


def test_dates_are_normalised_where_recognisable():
    assert parse_published("2026-03-02") == "2026-03-02"
    assert parse_published("02.03.2026") == "2026-03-02"
    assert parse_published("2026-03-02T14:30:00Z").startswith("2026-03-02T14:30")
    assert parse_published("Frühling 2026") == "Frühling 2026"
    assert parse_published("") is None


def _jsonl(path, n, start=0):
    with path.open("w", encoding="utf-8") as f:
        for i in range(start, start + n):
            f.write(json.dumps({"id": f"a{i}", "title": f"Titel {i}", "text": f"Der Gemeinderat hat am Montag Vorlage {i} beraten."}) + "\n")


def test_reimport_adds_nothing_and_counts_duplicates(project, tmp_path):
    f = tmp_path / "c.jsonl"
    _jsonl(f, 30)
    first = project.import_corpus(f, batch_size=7)
    assert (first.new, first.duplicate, first.rejected_count) == (30, 0, 0)
    again = project.import_corpus(f, batch_size=7)
    assert (again.new, again.duplicate) == (0, 30)
    assert project.document_count() == 30


def test_duplicates_inside_one_batch_are_caught(project, tmp_path):
    f = tmp_path / "d.jsonl"
    line = json.dumps({"id": "x", "title": "T", "text": "Gleicher Text."}) + "\n"
    f.write_text(line * 3, encoding="utf-8")
    report = project.import_corpus(f)
    assert (report.new, report.duplicate) == (1, 2)


def test_bad_lines_are_reported_and_good_ones_land(project, tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text(
        json.dumps({"id": "ok1", "title": "A", "text": "Gut."}) + "\n{kaputt\n"
        + json.dumps({"id": "leer", "title": "B", "text": ""}) + "\n"
        + json.dumps({"id": "ok2", "title": "C", "text": "Auch gut."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    report = project.import_corpus(f)
    assert report.new == 2
    reasons = {(p.location, p.reason.split(":")[0]) for p in report.rejected}
    assert ("line 2", "invalid JSON") in reasons
    assert any(p.location == "line 3" for p in report.rejected)


def test_progress_is_reported_and_cancel_keeps_what_was_stored(project, tmp_path):
    f = tmp_path / "many.jsonl"
    _jsonl(f, 50)
    seen = []
    report = project.import_corpus(f, batch_size=10, progress=lambda n, file: seen.append(n), cancel=lambda: len(seen) >= 25)
    assert report.cancelled
    assert report.new == project.document_count() == 25  # full batches plus the partial one, flushed
    assert seen[:3] == [1, 2, 3]
    rest = project.import_corpus(f)
    assert rest.new == 50 - report.new


def test_every_article_lands_with_its_zones(project, tmp_path):
    f = tmp_path / "z.jsonl"
    _jsonl(f, 5)
    project.import_corpus(f, batch_size=2)
    for doc in project.iter_documents():
        assert doc.zones and doc.zones[0].kind is ZoneKind.HEADLINE
        assert all(0 <= z.start < z.end <= len(doc.text) for z in doc.zones)


def test_encodings_import_identically(project, tmp_path):
    text = "Zürich – Die Gebühren für „Parkplätze“ steigen um 5 €.\n\nDas sorgt für Ärger."
    folder = tmp_path / "enc"
    folder.mkdir()
    for name, enc in (("utf8", "utf-8"), ("bom", "utf-8-sig"), ("u16", "utf-16"), ("win", "cp1252")):
        (folder / f"{name}.txt").write_bytes(text.replace("\n", "\r\n").encode(enc))
    report = project.import_corpus(folder)
    assert (report.new, report.duplicate, report.rejected_count) == (1, 3, 0)
    [doc] = project.iter_documents()
    assert doc.text == text
