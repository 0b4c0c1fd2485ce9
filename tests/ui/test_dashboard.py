"""The agreement dashboard on the demo project: computed in a worker, charts, filtering, exports."""

from __future__ import annotations

import pytest

from annotator.project import Project


@pytest.fixture
def demo_db(demo_template):
    return demo_template  # read only here; tests that change the project take demo_copy


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


def buttons(widget):
    from PySide6.QtWidgets import QPushButton

    return {b.text(): b for b in widget.findChildren(QPushButton)}


def test_export_buttons_write_the_files_chosen(qtbot, dashboard, tmp_path, monkeypatch):
    from annotator.ui import file_dialogs

    chosen = []
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *args, **kw: str(chosen[-1]))
    for name in ("alpha.png", "alpha.svg"):
        chosen.append(tmp_path / name)
        buttons(dashboard)["Export chart…"].click()
    assert (tmp_path / "alpha.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "alpha.svg").read_text()[:2000]
    chosen.append(tmp_path / "clicked.xlsx")
    buttons(dashboard)["Export workbook…"].click()
    from openpyxl import load_workbook

    assert "Summary" in load_workbook(tmp_path / "clicked.xlsx").sheetnames


def recompute(qtbot, dashboard):
    with qtbot.waitSignal(dashboard.computed, timeout=120_000):  # a report, or the reason there is none
        assert dashboard.compute() is not None


def test_filters_are_the_command_lines_and_few_units_are_marked(qtbot, demo_copy, settings):
    from annotator.ui.dashboard import Dashboard

    with Project.open(demo_copy) as p:
        p.act_as("lead")  # a lead opened the workbench: a name, not a coder
    d = Dashboard(Project.open(demo_copy), settings)
    qtbot.addWidget(d)
    d.show()
    listed = [d.filters.coders.item(i).text() for i in range(d.filters.coders.count())]
    assert listed == ["anna", "ben", "clara"]
    d.filters.check(d.filters.coders, ["anna", "ben"])
    d.filters.check(d.filters.statuses, ["done", "in_progress"])
    d.filters.check(d.filters.zones, ["body"])
    recompute(qtbot, d)
    report = d.report
    assert report is not None and report.coders == ["anna", "ben"]
    assert report.settings["filter"]["statuses"] == ["done", "in_progress"] and report.settings["filter"]["zones"] == ["body"]
    few = [r for r in report.rows() if r.few_units]
    assert few and "fewer than 10 units" in d.summary.text()
    ticks = dict(d.chart.getPlotItem().getAxis("left")._tickLevels[0])
    assert all(ticks[i].startswith("⚠") == bool(r.few_units) for i, r in enumerate(report.rows()))
    d.select_category(few[0].category)
    assert few[0].few_units in d.category_note.text()


def test_nothing_to_compare_shows_the_reason_instead_of_charts(qtbot, demo_copy, settings, tmp_path):
    from annotator.ui.dashboard import Dashboard

    d = Dashboard(Project.open(demo_copy), settings)
    qtbot.addWidget(d)
    d.show()
    recompute(qtbot, d)
    assert d.report is not None and d.report.documents == 22
    with Project.open(demo_copy) as p:  # meanwhile a fourth coder begins one document
        p.set_document_label(p.list_documents()[0].id, "dora", "tone", "neutral")
    recompute(qtbot, d)
    assert d.report is None
    assert "no document was marked done by all of: anna, ben, clara, dora" in d.summary.text()
    assert d.chart.categories == [] and d.table.rowCount() == 0 and not d.chart.isVisible()
    assert not buttons(d)["Export workbook…"].isEnabled()
    assert d.export_workbook(str(tmp_path / "empty.xlsx")) is None and not (tmp_path / "empty.xlsx").exists()
    d.filters.check(d.filters.coders, ["anna", "ben", "clara"])  # without her: a result again
    recompute(qtbot, d)
    assert d.report is not None and d.report.documents == 22 and buttons(d)["Export workbook…"].isEnabled()
    assert d.chart.isVisible()


def test_file_menu_export_has_the_filters_and_refuses_nothing(qtbot, demo_copy, settings, tmp_path):
    from annotator.ui.main_window import MainWindow

    with Project.open(demo_copy) as p:
        p.set_document_label(p.list_documents()[0].id, "dora", "tone", "neutral")
    w = MainWindow(Project.open(demo_copy), "anna", settings)
    qtbot.addWidget(w)
    beside = w.export_reliability()
    assert beside.path.text() == str(demo_copy.resolve().parent / "reliability.xlsx")  # next to the project
    beside.reject()
    target = tmp_path / "rel.xlsx"
    dialog = w.export_reliability(str(target))
    assert dialog.start() is not None
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=120_000)  # enabled again once written or refused
    assert not target.exists() and dialog.isVisible()
    assert "Nothing written:" in dialog.message.text() and "anna, ben, clara, dora" in dialog.message.text()
    assert "Workbook written" not in w.statusBar().currentMessage()
    dialog.filters.check(dialog.filters.coders, ["anna", "ben"])
    dialog.filters.check(dialog.filters.zones, ["body", "lead"])
    assert dialog.start() is not None
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=120_000)  # enabled again once written or refused
    assert target.exists() and not dialog.isVisible()
    assert w.statusBar().currentMessage().startswith(f"Workbook written to {target}")
    from openpyxl import load_workbook

    settings_sheet = {r[0].value: r[1].value for r in load_workbook(target)["Settings"].iter_rows(min_row=2) if r[0].value}
    assert settings_sheet["coders compared"] == "anna, ben" and settings_sheet["filter: zones"] == "lead, body"  # in reading order


def test_a_pair_table_without_any_kappa_is_grey_not_black(qtbot):
    from PySide6.QtCore import QPointF

    from annotator.ui.dashboard import PairHeatmap

    heatmap = PairHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(400, 400)
    heatmap.show()
    heatmap.show_table(["anna", "ben"], [[None, None], [None, None]], "rhetorical_question")  # undefined everywhere
    qtbot.wait(50)
    image = heatmap.grab().toImage()
    cell = heatmap.mapFromScene(heatmap.getPlotItem().vb.mapViewToScene(QPointF(0.25, 0.75)))
    assert image.pixelColor(cell.x(), cell.y()).name() == "#eeeeee"


@pytest.mark.parametrize("name", ["light", "dark", "contrast"])
def test_disabled_buttons_look_disabled_in_every_palette(qtbot, name):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from annotator.ui.palette import apply_palette

    apply_palette(name)
    try:
        palette = QApplication.instance().palette()
        for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
            active = palette.color(QPalette.ColorGroup.Active, role)
            disabled = palette.color(QPalette.ColorGroup.Disabled, role)
            assert abs(active.lightness() - disabled.lightness()) > 60, role
    finally:
        apply_palette("light")
