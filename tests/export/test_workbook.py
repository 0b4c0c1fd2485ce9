"""The reliability workbook: numbers a spreadsheet can compute with, equal to the report's, and a
file LibreOffice opens."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from ci_programs import require
from openpyxl import load_workbook

from annotator.agreement import unitized_alpha
from annotator.agreement.data import ReliabilityFilter, document_matrix, span_documents
from annotator.agreement.report import build_report
from annotator.export.reports import ExchangeError
from annotator.export.workbook import SUMMARY_COLUMNS, build_workbook, write_workbook
from annotator.domain import Status
from annotator.project import Project

SHEETS = ["Summary", "Chart", "Pairwise", "Disagreements", "Raw data", "Settings"]
HEADER_ROW = 5


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from annotator.cli import main

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["demo", "--project", str(path), "--quiet"]) == 0
    with Project.open(path) as project:
        yield project


@pytest.fixture(scope="module")
def report(demo):
    return build_report(demo, bootstrap_samples=300)


@pytest.fixture(scope="module")
def workbook_path(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("out") / "reliability.xlsx"
    result = write_workbook(report, path)
    assert result.paths == [path] and result.spans == len(report.raw_spans)
    return path


def summary_rows(ws) -> dict[str, dict[str, object]]:
    headers = [c.value for c in ws[HEADER_ROW]]
    rows = {}
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        values = {h: c.value for h, c in zip(headers, row) if h}
        if not values.get("Category"):
            break
        rows[values["Category"]] = values
    return rows


def test_sheets_and_layout(workbook_path):
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == SHEETS
    ws = wb["Summary"]
    assert [c.value for c in ws[HEADER_ROW]][:6] == ["Type", "Category", "Documents", "Coders", "Labels", "α / αu"]
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert ws.conditional_formatting  # alpha cells coloured by the thresholds
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "How to read this table" in texts
    legend = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "Krippendorff's (2004, p. 241) convention: α ≥ .800 reliable" in legend and "α ≥ .667 tentative" in legend
    assert wb["Disagreements"].auto_filter.ref.startswith("A1:")


def test_summary_numbers_are_the_reports_and_the_coefficients_own(demo, report, workbook_path):
    ws = load_workbook(workbook_path)["Summary"]
    rows = summary_rows(ws)
    assert list(rows) == [*(r.category for r in report.span_categories), "all span categories",
                          *(r.category for r in report.document_categories)]  # fmt: skip
    for r in report.rows():
        cells = rows[r.category]
        assert cells["α / αu"] == pytest.approx(r.alpha, abs=1e-15)
        assert cells["95% CI low"] == pytest.approx(r.interval.low, abs=1e-15)
        assert cells["P(α < .800)"] == pytest.approx(r.interval.prob_below[0.8], abs=1e-15)
        assert cells["Verdict"] == r.verdict
        assert cells["Mean Cohen κ"] == pytest.approx(r.mean_cohen_kappa, abs=1e-15)
    # one span and one document-level category recomputed without the report
    hedge = unitized_alpha(span_documents(demo, ReliabilityFilter()), "hedge")
    assert isinstance(rows["hedge"]["α / αu"], float) and rows["hedge"]["α / αu"] == pytest.approx(hedge, abs=1e-12)
    coders, units, matrix = document_matrix(demo, "tone")
    rank = {"negative": 1, "neutral": 2, "positive": 3}
    data = np.array([[rank[v] if v else np.nan for v in row] for row in matrix], dtype=float)
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert rows["tone"]["α / αu"] == pytest.approx(theirs, abs=1e-9)
    assert rows["all span categories"]["α / αu"] == pytest.approx(report.overall.alpha_u, abs=1e-15)


def test_numbers_are_numbers_with_three_decimals(workbook_path):
    ws = load_workbook(workbook_path)["Summary"]
    formats = {h: f for h, _, f in SUMMARY_COLUMNS}
    headers = [c.value for c in ws[HEADER_ROW]]
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 3):
        for header, cell in zip(headers, row):
            if formats.get(header) == "0.000":
                assert cell.data_type == "n" and cell.number_format == "0.000"


def test_pairwise_disagreements_and_raw_data_sheets(report, workbook_path):
    wb = load_workbook(workbook_path)
    ws = wb["Disagreements"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["Kind", "Category", "Document", "External id", "Zone", "Start", "End", "Text"]
    assert headers[8:11] == report.coders and headers[11] == "Cost"
    assert ws.max_row == len(report.disagreements) + 1
    first = report.disagreements[0]
    assert ws.cell(2, 12).value == pytest.approx(first.cost) and ws.cell(2, 2).value == first.category

    pairwise = wb["Pairwise"]
    texts = [c.value for c in pairwise["A"] if c.value]
    assert "Alpha without each coder" in texts and "hedge (span): Cohen's kappa on tokens" in texts
    assert "tone: anna (rows) × ben (columns)" in texts

    raw = wb["Raw data"]
    column_a = [c.value for c in raw["A"]]
    at = column_a.index("tone (ordinal): 1 = negative, 2 = neutral, 3 = positive") + 1  # the heading's row
    rows = {raw.cell(at + 3 + i, 1).value: [raw.cell(at + 3 + i, j).value for j in range(2, report.documents + 2)]
            for i in range(len(report.coders))}  # fmt: skip
    data = np.array([[np.nan if v is None else v for v in rows[c]] for c in report.coders], dtype=float)
    assert krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal") == pytest.approx(
        report.row("tone").alpha, abs=1e-9
    )
    spans_at = column_a.index("Spans") + 2  # the header row under the heading
    assert [c.value for c in raw[spans_at]][:6] == ["coder", "document id", "external id", "category", "start", "end"]
    assert raw.max_row == spans_at + len(report.raw_spans)

    settings = {r[0].value: r[1].value for r in wb["Settings"].iter_rows(min_row=2) if r[0].value}
    assert settings["software"].startswith("annotator ") and settings["seed"] == 20261125
    assert settings["suggestions enabled"] in ("yes", "no") and settings["bootstrap samples"] == 300


def test_undefined_values_are_empty_cells_with_the_reason(demo, tmp_path):
    one = build_report(demo, ReliabilityFilter(coders=["anna"], categories=["hedge", "tone"]), bootstrap_samples=20)
    write_workbook(one, tmp_path / "one.xlsx")
    rows = summary_rows(load_workbook(tmp_path / "one.xlsx")["Summary"])
    assert rows["hedge"]["α / αu"] is None and rows["hedge"]["Verdict"] == "undefined"
    assert "αu" in rows["hedge"]["Notes"] and "at least two" in rows["hedge"]["Notes"]
    assert rows["tone"]["α / αu"] is None



def test_few_units_are_flagged_next_to_the_category(demo, tmp_path):
    report = build_report(demo, ReliabilityFilter(zones=["body"]), bootstrap_samples=0)
    write_workbook(report, tmp_path / "body.xlsx")
    ws = load_workbook(tmp_path / "body.xlsx")["Summary"]
    rows = summary_rows(ws)
    cells = {c.value: c for c in ws["B"] if isinstance(c.value, str)}
    flagged = [r for r in report.rows() if r.few_units]
    assert flagged and len(flagged) < len(report.rows())
    for r in report.rows():
        cell = cells[r.category]
        if r.few_units:
            assert cell.comment is not None and cell.comment.text == r.few_units
            assert rows[r.category]["Notes"].startswith(r.few_units)
        else:
            assert cell.comment is None and "few units" not in (rows[r.category]["Notes"] or "")

def test_text_is_never_taken_for_a_formula(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    article = {"id": "=Z-2", "title": "=SUM(A1:A9)", "text": "Laut «SRF» droht Stau.\n\n=Ja, sagen die Jungen."}
    corpus.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    with Project.create(tmp_path / "odd.db") as project:
        project.import_corpus(corpus)
        doc = next(project.iter_documents())
        start = doc.text.index("=Ja")
        for coder in ("=anna", "Lea [Hilfskraft] | B_2"):
            project.add_annotation(doc.id, coder, "loaded_language", start, start + 3)
            project.set_status(doc.id, coder, Status.DONE)
        report = build_report(project, bootstrap_samples=0)
    write_workbook(report, tmp_path / "odd.xlsx")
    wb = load_workbook(tmp_path / "odd.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert {"=Ja", "=anna", "=Z-2", "=SUM(A1:A9)"} <= {c.value for c in cells}
    assert all(c.data_type == "s" for c in cells)


def test_cancelled_reports_and_cancelled_writes_leave_no_file(demo, report, tmp_path):
    partial = build_report(demo, cancel=lambda: True)
    with pytest.raises(ExchangeError, match="cancelled"):
        write_workbook(partial, tmp_path / "partial.xlsx")
    result = write_workbook(report, tmp_path / "stopped.xlsx", cancel=lambda: True)
    assert result.cancelled and not (tmp_path / "stopped.xlsx").exists()
    assert list(tmp_path.iterdir()) == []


def chart_table(ws) -> tuple[int, int, list[list]]:
    """First and last row of the numbers under the chart, and those rows' values."""
    header = next(c.row for c in ws["A"] if c.value == "Category")
    last = header
    while ws.cell(last + 1, 1).value:
        last += 1
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=header + 1, max_row=last)]
    return header + 1, last, rows


def test_chart_of_alpha_per_category_with_threshold_lines(report):
    ws = build_workbook(report)["Chart"]
    assert len(ws._charts) == 1
    bars = ws._charts[0]
    assert bars.tagname == "barChart" and bars.type == "col"
    lines = bars._charts[1]  # the thresholds, drawn on the same axes
    assert lines.tagname == "lineChart" and len(lines.series) == len(report.thresholds)
    first, last, rows = chart_table(ws)
    # one bar series per verdict, named by its column's header
    assert [s.tx.strRef.f for s in bars.series] == [f"'Chart'!{c}{first - 1}" for c in "GHI"]
    assert bars.x_axis.title is not None and bars.y_axis.title is not None
    labels = [r[0] for r in rows]
    assert labels[: len(report.span_categories)] == [r.name for r in report.span_categories]
    assert labels[len(report.span_categories)] == "All span categories"
    names = f"'Chart'!$A${first}:$A${last}"
    assert [s.cat.strRef.f for s in [*bars.series, *lines.series]] == [names] * (3 + len(report.thresholds))
    # every bar stands in exactly one verdict's column, with the report's alpha
    alphas = [*(r.alpha for r in report.span_categories), report.overall.alpha_u,
              *(r.alpha for r in report.document_categories)]  # fmt: skip
    for row, alpha in zip(rows, alphas):
        assert row[2] == pytest.approx(alpha, abs=1e-15)
        assert [v for v in row[6:9] if v is not None] == [pytest.approx(alpha, abs=1e-15)]
        assert row[9:11] == [0.667, 0.8]
    lowest = min([0.0, *alphas, *(r[3] for r in rows if r[3] is not None)])
    assert bars.y_axis.scaling.min <= lowest < bars.y_axis.scaling.min + 0.1 + 1e-9
    assert bars.y_axis.scaling.max == 1.0


def test_chart_survives_the_file(report, workbook_path):
    with zipfile.ZipFile(workbook_path) as xlsx:
        assert "xl/charts/chart1.xml" in xlsx.namelist()
        xml = xlsx.read("xl/charts/chart1.xml").decode("utf-8")
    ws = load_workbook(workbook_path)["Chart"]
    first, last, rows = chart_table(ws)
    for element in ("barChart", "lineChart", "errBars", "catAx", "valAx"):
        assert re.search(f"<(c:)?{element}>", xml), element
    # every series takes the category names from the table under the chart, as text
    names = re.findall(r"<(?:c:)?cat><(?:c:)?strRef><(?:c:)?f>([^<]+)</", xml)
    assert names == [f"'Chart'!$A${first}:$A${last}"] * (3 + len(report.thresholds))
    assert re.search(r"<(c:)?max val=\"1(\.0)?\"\s*/>", xml)
    assert len(ws._charts) == 1  # openpyxl reads it back


def test_undefined_alpha_leaves_a_gap_in_the_chart(demo, tmp_path):
    one = build_report(demo, ReliabilityFilter(coders=["anna"], categories=["hedge", "tone"]), bootstrap_samples=0)
    ws = build_workbook(one)["Chart"]
    _, _, rows = chart_table(ws)
    assert [r[0] for r in rows] == ["Speculation / hedge (undefined)", "All span categories (undefined)",
                                    "Overall tone (undefined)"]  # fmt: skip
    assert all(v is None for r in rows for v in [*r[2:5], *r[6:9]]) and {r[5] for r in rows} == {"undefined"}
    assert ws._charts[0].y_axis.scaling.min == 0.0


@pytest.fixture(scope="module")
def pdf(workbook_path, tmp_path_factory) -> Path:
    soffice = require("soffice")
    out = tmp_path_factory.mktemp("pdf")
    profile = (out / "profile").as_uri()  # a private profile, so a running LibreOffice does not interfere
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out),
         str(workbook_path)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    path = out / (Path(workbook_path).stem + ".pdf")
    assert done.returncode == 0, done.stderr
    assert path.exists() and path.stat().st_size > 0, done.stdout + done.stderr
    return path


def test_libreoffice_opens_the_workbook(pdf):
    assert pdf.read_bytes().startswith(b"%PDF")


def test_libreoffice_draws_the_chart(pdf, tmp_path):
    require("pdftotext")
    require("pdftoppm")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    # the chart's own title and legend are text in the PDF only if LibreOffice drew the chart
    page = next(i for i, text in enumerate(pages, start=1) if "Reliability per category" in text)
    assert "threshold .800" in pages[page - 1] and "Krippendorff" in pages[page - 1]
    page_range = ["-f", str(page), "-l", str(page)]
    subprocess.run(["pdftoppm", "-png", "-r", "70", *page_range, str(pdf), str(tmp_path / "chart")], check=True, timeout=60)
    (png,) = tmp_path.glob("chart*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 20_000
