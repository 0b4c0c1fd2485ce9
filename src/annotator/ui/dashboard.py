"""The agreement dashboard: alpha per category with CI whiskers and thresholds, a coder-pair
heatmap, and the disagreements behind the numbers. Computed in a worker, drawn with pyqtgraph.

The filters are the command line's (coders, statuses, zones). Filters that leave nothing to
compare show the reason instead of empty charts; categories on fewer than ten units are marked.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..agreement.data import ReliabilityFilter
from ..agreement.errors import AgreementError
from ..agreement.report import AgreementReport, build_report
from ..project import Project
from . import file_dialogs
from .dialogs import show_error
from .i18n import t
from .reliability_filter import ReliabilityFilterPanel
from .workers import Worker

FEW_UNITS_MARK = "⚠ "

VERDICT_COLOURS = {"acceptable": "#2e7d32", "tentative": "#f9a825", "unacceptable": "#c62828", "undefined": "#9e9e9e"}


class AlphaChart(pg.PlotWidget):
    """Horizontal bars of alpha per category (names stay readable), CI whiskers, dashed threshold
    lines; click a bar to pick its category."""

    category_clicked = Signal(str)

    def __init__(self) -> None:
        super().__init__(background="w")
        self.setObjectName("alpha_chart")
        self.categories: list[str] = []
        plot = self.getPlotItem()
        plot.setLabel("bottom", "α  (" + t("bars: estimate; whiskers: 95% bootstrap interval") + ")")
        plot.showGrid(x=True, alpha=0.2)
        plot.invertY(True)
        plot.setMouseEnabled(x=False, y=False)
        self.scene().sigMouseClicked.connect(self._clicked)

    def show_report(self, report: AgreementReport | None) -> None:
        plot = self.getPlotItem()
        plot.clear()
        if report is None:  # nothing to compare: no bars, no axis names
            self.categories = []
            plot.getAxis("left").setTicks([[]])
            return
        rows = report.rows()
        self.categories = [r.category for r in rows]
        y = np.arange(len(rows), dtype=float)
        widths = np.array([r.alpha if r.alpha is not None else 0.0 for r in rows])
        brushes = [pg.mkBrush(VERDICT_COLOURS.get(r.verdict, "#9e9e9e")) for r in rows]
        plot.addItem(pg.BarGraphItem(x0=np.zeros(len(rows)), y=y, width=widths, height=0.66, brushes=brushes,
                                     pens=[pg.mkPen("#333333")] * len(rows)))  # fmt: skip
        with_ci = [(i, r) for i, r in enumerate(rows) if r.interval is not None and r.alpha is not None]
        if with_ci:
            ys = np.array([i for i, _ in with_ci], dtype=float)
            xs = np.array([r.alpha for _, r in with_ci])
            right = np.array([r.interval.high - r.alpha for _, r in with_ci])
            left = np.array([r.alpha - r.interval.low for _, r in with_ci])
            plot.addItem(pg.ErrorBarItem(x=xs, y=ys, left=left, right=right, beam=0.25, pen=pg.mkPen("#000000", width=1.5)))
        for threshold in report.thresholds:
            plot.addItem(pg.InfiniteLine(pos=threshold, angle=90, pen=pg.mkPen("#555555", style=Qt.PenStyle.DashLine)))
            label = pg.TextItem(f"{threshold:.3f}", color="#555555", anchor=(0.5, 0.5))
            label.setPos(threshold, -0.75)
            plot.addItem(label)
        for i, r in enumerate(rows):
            ink = "#000000" if r.verdict in ("tentative", "undefined") else "#ffffff"  # readable on amber and grey too
            text = pg.TextItem("—" if r.alpha is None else f"{r.alpha:.3f}", color=ink, anchor=(0, 0.5))
            text.setPos(0.01, i)
            plot.addItem(text)
        names = [(FEW_UNITS_MARK if r.few_units else "") + ("αu " if r.kind == "span" else "α  ") + r.name for r in rows]
        plot.getAxis("left").setTicks([list(enumerate(names))])
        low = min(0.0, float(widths.min()) - 0.1) if len(rows) else 0.0
        plot.setXRange(low, 1.12, padding=0)
        plot.setYRange(-1.1, max(len(rows) - 0.2, 0.8), padding=0)

    def _clicked(self, event) -> None:
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        i = int(round(point.y()))
        if 0 <= i < len(self.categories):
            self.category_clicked.emit(self.categories[i])


class PairHeatmap(pg.PlotWidget):
    """Cohen's kappa for each pair of coders on one category: red below .667, amber, green from .800."""

    def __init__(self) -> None:
        super().__init__(background="w")
        self.setObjectName("pair_heatmap")
        self.getPlotItem().invertY(True)
        self.getPlotItem().setAspectLocked(True)
        self.getPlotItem().setMouseEnabled(x=False, y=False)

    def show_table(self, coders: list[str], values: list[list[float | None]], title: str) -> None:
        plot = self.getPlotItem()
        plot.clear()
        plot.setTitle(title)
        if not coders:
            return
        n = len(coders)
        rgba = np.zeros((n, n, 4), dtype=np.ubyte)
        labels = []
        for i in range(n):
            for j in range(n):
                v = values[i][j]
                colour = QColor("#eeeeee") if v is None else QColor(_kappa_colour(v))
                rgba[j, i] = (colour.red(), colour.green(), colour.blue(), 255)
                text = pg.TextItem("—" if v is None else f"{v:.2f}", color="#000000", anchor=(0.5, 0.5))
                text.setPos(j + 0.5, i + 0.5)
                text.setZValue(10)  # numbers above the coloured cells
                labels.append(text)
        plot.addItem(pg.ImageItem(rgba, levels=(0, 255)))  # fixed levels: a uniform table is not drawn black
        for text in labels:
            plot.addItem(text)
        ticks = [(i + 0.5, c) for i, c in enumerate(coders)]
        plot.getAxis("bottom").setTicks([ticks])
        plot.getAxis("left").setTicks([ticks])


def _kappa_colour(v: float) -> str:
    if v >= 0.8:
        return "#81c784"
    if v >= 0.667:
        return "#ffd54f"
    return "#e57373"


def _short(name: str, width: int = 14) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


class Dashboard(QMainWindow):
    open_document = Signal(int, list)  # document id, coders whose labels to show side by side
    computed = Signal()  # a report is shown, or the reason why there is none

    def __init__(self, project: Project, settings: QSettings, flt: ReliabilityFilter | None = None) -> None:
        super().__init__()
        self.setObjectName("dashboard")
        self.setWindowTitle(t("Agreement dashboard") + " — annotator")
        self.project = project
        self.settings = settings
        self.filters = ReliabilityFilterPanel(project, flt)
        self.report: AgreementReport | None = None
        self.refusal: str | None = None  # why there is no report to show, when there is none
        self.selected: str | None = None
        self.worker: Worker | None = None

        self.chart = AlphaChart()
        self.heatmap = PairHeatmap()
        self.table = QTableWidget(0, 6)
        self.table.setWordWrap(False)
        self.table.setObjectName("disagreement_table")
        self.table.setHorizontalHeaderLabels([t("Category"), t("Document"), t("Zone"), t("Text"), t("Codes"), t("Share")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col, width in ((0, 150), (1, 220), (2, 110), (3, 420), (5, 70)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.summary = QLabel()
        self.summary.setObjectName("dashboard_summary")
        self.summary.setWordWrap(True)
        self.category_note = QLabel()  # the selected category's few-units warning
        self.category_note.setObjectName("category_note")
        self.category_note.setStyleSheet("color: #8a4b00;")
        self.category_note.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, label, handler in (("show_all", t("Show all categories"), lambda: self.select_category(None)),
                                     ("export_chart", t("Export chart…"), self.export_chart),
                                     ("export_workbook", t("Export workbook…"), self.export_workbook),
                                     ("recompute", t("Recompute"), self.compute)):  # fmt: skip
            b = QPushButton(label)
            b.setObjectName(name)
            # clicked(bool) would arrive as the handler's first argument (an export path)
            b.clicked.connect(lambda _checked=False, handler=handler: handler())
            buttons.addWidget(b)
            self.buttons[name] = b
        buttons.addStretch(1)
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.chart)
        charts.addWidget(self.heatmap)
        charts.setSizes([900, 450])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(charts)
        body.addWidget(self.table)
        body.setSizes([480, 380])
        self.body = body
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.filters)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.category_note)
        layout.addWidget(body, 1)
        layout.addStretch(0)  # takes the room when the charts are hidden, so the filters do not
        self.filters.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setCentralWidget(central)
        self.chart.category_clicked.connect(self.select_category)
        self.table.cellDoubleClicked.connect(self._open_row)

    # --- computing -------------------------------------------------------------------------------

    def compute(self) -> Worker | None:
        """Recompute with the ticked filters, in a worker; None when the filters themselves are refused."""
        self.filters.refresh_coders()
        try:
            flt = self.filters.reliability_filter()
        except AgreementError as exc:
            self.refuse(str(exc))
            return None
        location = self.project.location

        def job(progress, cancelled):
            with Project.open(location) as p:
                return build_report(p, flt, progress=lambda n, what="": progress(n, what), cancel=cancelled)

        self.worker = Worker(self, t("Computing agreement"), job)
        self.worker.done.connect(self.show_report)
        self.worker.error.connect(self._failed)
        self.worker.start()
        return self.worker

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, AgreementError):  # e.g. no document every selected coder marked done
            self.refuse(str(exc))
        else:
            show_error(self, exc)

    def refuse(self, reason: str) -> None:
        """Show why there is nothing to show, instead of charts over no data."""
        self.report, self.refusal = None, reason
        self.summary.setText(f"<b style='color:#c62828'>{t('Nothing to show:')}</b> " + escape(reason, quote=False))
        self.category_note.clear()
        self.chart.show_report(None)
        self.heatmap.show_table([], [], "")
        self.table.setRowCount(0)
        self.body.hide()  # no empty axes that look like a result
        for name in ("show_all", "export_chart", "export_workbook"):
            self.buttons[name].setEnabled(False)
        self.computed.emit()

    def show_report(self, report: AgreementReport) -> None:
        if report.cancelled:
            self.summary.setText(t("Cancelled; press Recompute to try again."))
            self.computed.emit()
            return
        self.report, self.refusal = report, None
        self.body.show()
        for button in self.buttons.values():
            button.setEnabled(True)
        overall = report.overall.alpha_u if report.overall is not None else None
        text = t("{docs} documents, coders: {coders}.").format(docs=report.documents, coders=", ".join(report.coders))
        if overall is not None:
            text += " " + t("Unitizing alpha over all span categories: {a}.").format(a=f"{overall:.3f}")
        text = escape(text, quote=False)
        for warning in report.warnings:
            text += f"<br><span style='color:#8a4b00'>{FEW_UNITS_MARK}{escape(warning, quote=False)}</span>"
        self.summary.setText(text)
        self.chart.show_report(report)
        self.select_category(report.rows()[0].category if report.rows() else None)
        self.computed.emit()

    def select_category(self, category: str | None) -> None:
        """Filter the disagreement table to one category (None: all) and show its pair heatmap."""
        self.selected = category
        report = self.report
        if report is None:
            return
        few = report.row(category).few_units if category is not None else None
        self.category_note.setText(f"{FEW_UNITS_MARK}{report.row(category).name}: {few}" if few else "")
        if category is not None:
            table = next((p for p in report.pairwise if p.category == category), None)
            name = report.row(category).name
            if table is not None:
                self.heatmap.show_table(table.coders, table.values, f"{name}: {table.measure}")
        rows = [d for d in report.disagreements if category is None or d.category == category]
        self.table.setRowCount(len(rows))
        names = {r.category: r.name for r in report.rows()}
        for i, d in enumerate(rows):
            codes = "; ".join(f"{c}: {v or '—'}" for c, v in d.codes.items())
            cells = (names.get(d.category, d.category), d.title or d.external_id or str(d.document_id), d.zone or "",
                     d.text.replace("\n", " ")[:200], codes, "" if d.share is None else f"{100 * d.share:.1f} %")  # fmt: skip
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, (d.document_id, [c for c, v in d.codes.items()]))
                if j == 0:
                    item.setForeground(QColor(VERDICT_COLOURS.get(report.row(d.category).verdict, "#000000")))
                self.table.setItem(i, j, item)

    def _open_row(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            doc_id, coders = item.data(Qt.ItemDataRole.UserRole)
            self.open_document.emit(doc_id, coders)

    # --- exporting -------------------------------------------------------------------------------

    def export_chart(self, path: str | None = None) -> str | None:
        if self.report is None:
            self.statusBar().showMessage(self.refusal or t("Nothing to show yet."), 8000)
            return None
        if path is None:
            path = file_dialogs.save_file_name(self, t("Export chart"), "alpha.png", t("Images (*.png *.svg)"))
        if not path:
            return None
        if path.lower().endswith(".svg"):
            # pyqtgraph 0.14's own SVG exporter fails on Qt 6 path data; Qt's SVG generator draws the
            # same scene as vectors.
            from PySide6.QtGui import QPainter
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setFileName(path)
            generator.setSize(self.chart.size())
            generator.setViewBox(self.chart.rect())
            generator.setTitle(t("Agreement per category"))
            painter = QPainter(generator)
            self.chart.render(painter)
            painter.end()
            return path
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.chart.getPlotItem())
        exporter.parameters()["width"] = 1600
        exporter.export(path)
        return path

    def export_workbook(self, path: str | None = None) -> str | None:
        if self.report is None:  # never an empty workbook: say why there is none
            self.statusBar().showMessage(self.refusal or t("Nothing to show yet."), 8000)
            return None
        if path is None:
            path = file_dialogs.save_file_name(self, t("Export workbook"), "reliability.xlsx", t("Excel workbooks (*.xlsx)"))
        if not path:
            return None
        from ..export.workbook import write_workbook

        try:
            write_workbook(self.report, path)
        except Exception as exc:  # shown, never swallowed
            show_error(self, exc)
            return None
        self.statusBar().showMessage(t("Workbook written to {path}").format(path=path), 6000)
        return path
