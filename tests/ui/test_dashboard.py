"""The agreement dashboard on the demo project: computed in a worker, charts, filtering, exports."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from annotator.cli import main

    path = tmp_path_factory.mktemp("dash") / "demo.db"
    assert main(["demo", "--project", str(path), "--quiet"]) == 0
    return path


@pytest.fixture
def dashboard(qtbot, demo_db, settings):
    from annotator.project import Project
    from annotator.ui.dashboard import Dashboard

    d = Dashboard(Project.open(demo_db), settings)
    qtbot.addWidget(d)
    d.resize(1400, 900)
    d.show()
    worker = d.compute()
    with qtbot.waitSignal(worker.done, timeout=120_000):
        pass
    return d


def test_dashboard_shows_every_category_and_filters_by_click(qtbot, dashboard):
    report = dashboard.report
    assert report is not None and not report.cancelled
    assert dashboard.chart.categories == [r.category for r in report.rows()]
    assert len(report.rows()) == 14
    dashboard.select_category(None)
    everything = dashboard.table.rowCount()
    assert everything == len(report.disagreements) > 0
    dashboard.select_category("hedge")
    hedges = [d for d in report.disagreements if d.category == "hedge"]
    assert dashboard.table.rowCount() == len(hedges) < everything
    assert "demo" not in dashboard.summary.text() and "anna" in dashboard.summary.text()


def test_double_click_asks_the_workbench_to_compare(qtbot, dashboard):
    dashboard.select_category("hedge")
    with qtbot.waitSignal(dashboard.open_document, timeout=2000) as blocker:
        dashboard._open_row(0, 0)
    doc_id, coders = blocker.args
    assert isinstance(doc_id, int) and set(coders) <= {"anna", "ben", "clara"}


def test_chart_and_workbook_export(qtbot, dashboard, tmp_path):
    png = dashboard.export_chart(str(tmp_path / "alpha.png"))
    svg = dashboard.export_chart(str(tmp_path / "alpha.svg"))
    assert (tmp_path / "alpha.png").stat().st_size > 5000 and "<svg" in (tmp_path / "alpha.svg").read_text()[:2000]
    assert png and svg
    xlsx = dashboard.export_workbook(str(tmp_path / "rel.xlsx"))
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert {"Summary", "Pairwise", "Disagreements", "Raw data", "Settings"} <= set(wb.sheetnames)


def test_workbench_opens_a_comparison_with_other_coders_read_only(qtbot, demo_db, settings):
    from annotator.project import Project
    from annotator.ui.main_window import MainWindow

    w = MainWindow(Project.open(demo_db), "anna", settings)
    qtbot.addWidget(w)
    doc = w.project.list_documents()[4].id
    w.compare_document(doc, ["anna", "ben"])
    assert not w.compare_box.isHidden()
    beside = {m.key for ms in w.compare_view.highlighter.marks_by_block.values() for m in ms}
    assert beside == {a.id for a in w.project.annotations(doc, coder="ben")}
    mine = {m.key for ms in w.view.highlighter.marks_by_block.values() for m in ms if m.style == "label"}
    assert mine == {a.id for a in w.project.annotations(doc, coder="anna")}
    assert w.compare_view.isReadOnly() and "ben" in w.compare_title.text()
    w.close_comparison()
    assert w.compare_box.isHidden()
