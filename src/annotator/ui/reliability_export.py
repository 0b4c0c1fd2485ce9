"""File > Export reliability workbook: the filters, a file, then the report computed and written in a worker.

Filters that leave nothing to compare are refused with the reason, in the dialog, and nothing is
written: an empty workbook announced as "written" reads like a result.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ..agreement.errors import AgreementError
from ..project import Project
from . import file_dialogs
from .dialogs import show_error
from .i18n import t
from .reliability_filter import ReliabilityFilterPanel
from .workers import Worker


def default_path(location: str) -> str:
    """reliability.xlsx beside the project file (in the home folder for a database server)."""
    folder = Path.home() if "://" in location else Path(location).resolve().parent
    return str(folder / "reliability.xlsx")


class ReliabilityExportDialog(QDialog):
    def __init__(self, window, path: str = "") -> None:
        super().__init__(window)
        self.workbench = window
        self.worker: Worker | None = None
        self.setWindowTitle(t("Export reliability workbook"))
        self.filters = ReliabilityFilterPanel(window.project)
        self.path = QLineEdit(path or default_path(window.project.location))
        self.path.setObjectName("workbook_path")
        choose = QPushButton(t("Choose…"))
        choose.clicked.connect(lambda _checked=False: self._choose())
        self.message = QLabel()
        self.message.setObjectName("export_message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("Compute and write"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("Workbook:")))
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 330)

    def _choose(self) -> None:
        path = file_dialogs.save_file_name(self, t("Export workbook"), self.path.text(), t("Excel workbooks (*.xlsx)"))
        if path:
            self.path.setText(path)

    def _refuse(self, reason: str) -> None:
        self.message.setText(f"<b style='color:#c62828'>{t('Nothing written:')}</b> " + escape(reason, quote=False))

    def accept(self) -> None:
        """Start the work; the dialog closes only once the workbook is written."""
        self.start()

    def start(self) -> Worker | None:
        path = self.path.text().strip()
        if not path:
            self._refuse(t("Choose where to write the workbook."))
            return None
        try:
            flt = self.filters.reliability_filter()
        except AgreementError as exc:
            self._refuse(str(exc))
            return None
        location = self.workbench.project.location

        def job(progress, cancelled):
            from ..agreement.report import build_report
            from ..export.workbook import write_workbook

            with Project.open(location) as p:
                report = build_report(p, flt, progress=lambda n, what="": progress(n, what), cancel=cancelled)
            if report.cancelled:
                return None
            write_workbook(report, path)
            return report

        self.message.clear()
        self.ok.setEnabled(False)
        self.worker = Worker(self, t("Computing agreement"), job)
        self.worker.done.connect(lambda report: self._written(path, report))
        self.worker.error.connect(self._failed)
        self.worker.start()
        return self.worker

    def _written(self, path: str, report) -> None:
        self.ok.setEnabled(True)
        if report is None:
            self.message.setText(t("Cancelled; nothing written."))
            return
        text = t("Workbook written to {path}").format(path=path)
        few = sum(1 for r in report.rows() if r.few_units)
        if few:
            text += " — " + t("{n} categories rest on fewer than 10 units (marked in the workbook).").format(n=few)
        self.workbench.statusBar().showMessage(text, 10000)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, AgreementError):  # nothing to compare: the reason, and no file
            self._refuse(str(exc))
        else:
            show_error(self, exc)
