"""Identifiers that look like numbers or dates reach a spreadsheet as the text they are."""

from __future__ import annotations

from exchange_corpus import at, new_project
from openpyxl import load_workbook

from annotator.export.exchange import export_spans_csv, export_spans_xlsx

LOOKALIKES = [
    {"id": "00123", "title": "0815", "source": "Zürcher Oberländer", "date": "2026-03-02",
     "text": "Die Gemeinde könnte die Gebühren erhöhen."},
    {"id": "2026-03-02", "title": "1.5", "source": "Bote", "text": "Laut Insidern ist nichts entschieden."},
    {"id": "1E5", "title": "=Zahl", "source": "Bote", "text": "Fachleute wären überrascht."},
]  # fmt: skip


def _labelled(tmp_path):
    project = new_project(tmp_path, "ids", LOOKALIKES)
    for doc in project.iter_documents():
        start, end = at(doc.text, doc.text.split("\n\n")[-1].split()[0])
        project.add_annotation(doc.id, "anna", "loaded_language", start, end)
    return project


def test_xlsx_keeps_leading_zeros_and_date_like_ids_as_text_cells(tmp_path):
    with _labelled(tmp_path) as project:
        export_spans_xlsx(project, tmp_path / "spans.xlsx")
    sheet = load_workbook(tmp_path / "spans.xlsx")["spans"]
    header = [c.value for c in sheet[1]]
    ids = [row[header.index("external_id")] for row in sheet.iter_rows(min_row=2)]
    titles = [row[header.index("title")] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in ids] == ["00123", "2026-03-02", "1E5"]
    assert [c.value for c in titles] == ["0815", "1.5", "=Zahl"]
    assert {c.data_type for c in ids + titles} == {"s"}


def test_csv_declares_utf8_and_writes_ids_exactly_as_stored(tmp_path):
    with _labelled(tmp_path) as project:
        export_spans_csv(project, tmp_path / "spans.csv", delimiter=";")
    raw = (tmp_path / "spans.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel and LibreOffice the file is UTF-8
    text = raw.decode("utf-8-sig")
    assert ";00123;" in text and ";2026-03-02;" in text and ";1E5;" in text and "Zürcher Oberländer" in text
