"""Small dialogs: coder choice, import report, shortcuts, note editor, errors."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..corpus.importer import ImportReport
from ..errors import AnnotatorError
from .actions import ActionRegistry, ShortcutConflict, normalise_key
from .i18n import t


def show_error(parent, exc: BaseException) -> None:
    """The one presenter for errors: ours get their message, anything else its type and details."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(t("Problem"))
    if isinstance(exc, AnnotatorError):
        box.setText(str(exc))
    elif _is_database_error(exc):
        box.setText(
            t("The project database could not be read or written: {error}. Nothing was changed by this action; "
              "close the app and check the project with 'annotator info'.").format(error=_first_line(exc))
        )
        box.setDetailedText(getattr(exc, "details", ""))
    else:
        box.setText(t("Something went wrong:") + f" {exc.__class__.__name__}: {exc}")
        box.setDetailedText(getattr(exc, "details", ""))
    box.exec()


def _is_database_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else exc.__class__.__name__


class CoderDialog(QDialog):
    """Who codes in this project: one of its coders, or a new name. An empty name is asked again."""

    def __init__(self, parent, project_name: str, coders: list[tuple[str, int]], documents: int, current: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Who is coding?"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>" + t("Who is coding in {project}?").format(project=escape(project_name)) + "</h3>"))
        layout.addWidget(QLabel(t("Every label, code and status is stored under this name, for this project only.")))
        self.list = QListWidget()
        self.list.setObjectName("coder_list")
        for name, done in coders:
            item = QListWidgetItem(t("{coder} — {done} of {total} documents done").format(coder=name, done=done, total=documents))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
            if name == current:
                self.list.setCurrentItem(item)
        self.list.currentItemChanged.connect(lambda item, _old: item and self.edit.setText(item.data(Qt.ItemDataRole.UserRole)))
        self.list.itemActivated.connect(lambda _item: self.accept())
        if coders:
            layout.addWidget(QLabel(t("The project's coders:")))
            layout.addWidget(self.list)
        else:
            self.list.hide()
        layout.addWidget(QLabel(t("Or a new name:")))
        self.edit = QLineEdit(current or "")
        self.edit.setObjectName("coder_name")
        self.edit.setPlaceholderText(t("your name"))
        layout.addWidget(self.edit)
        self.message = QLabel()
        self.message.setObjectName("coder_message")
        self.message.setStyleSheet("color: #c62828;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        self.edit.setFocus()

    def name(self) -> str:
        return " ".join(self.edit.text().split())

    def accept(self) -> None:
        if not self.name():  # asked again, not taken for "quit"
            self.message.setText(t("Enter a name or pick one from the list: every label is stored under it."))
            self.edit.setFocus()
            return
        super().accept()


class ImportReportDialog(QDialog):
    def __init__(self, parent, source: str, report: ImportReport) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Import report"))
        layout = QVBoxLayout(self)
        summary = t("{new} new, {dup} duplicate, {rej} rejected").format(
            new=report.new, dup=report.duplicate, rej=report.rejected_count
        )
        if report.cancelled:
            summary += " — " + t("cancelled; everything counted was stored")
        head = QLabel(f"<b>{source}</b><br>{summary}")
        head.setObjectName("import_summary")
        layout.addWidget(head)
        rows = [(t("rejected"), p) for p in report.rejected] + [(t("warning"), p) for p in report.warnings]
        rows += [(t("duplicate"), p) for p in report.duplicates]
        table = QTableWidget(len(rows), 4)
        table.setObjectName("import_problems")
        table.setHorizontalHeaderLabels([t("Kind"), t("File"), t("Where"), t("Reason")])
        for i, (kind, p) in enumerate(rows):
            for j, value in enumerate((kind, p.source_file, p.location, p.reason)):
                table.setItem(i, j, QTableWidgetItem(value))
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().hide()
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(820, 420)


class NoteDialog(QDialog):
    def __init__(self, parent, note: str | None, quote: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Note"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<i>{quote[:200]}</i>"))
        self.edit = QPlainTextEdit(note or "")
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def note(self) -> str:
        return self.edit.toPlainText().strip()


class ShortcutsDialog(QDialog):
    """Every action with its key; select a row and type a new key to rebind. Conflicts are refused."""

    def __init__(self, parent, registry: ActionRegistry) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWindowTitle(t("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t("Select an action, then press the new key combination.")))
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("shortcut_table")
        self.table.setHorizontalHeaderLabels([t("Action"), t("Menu"), t("Key")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setObjectName("shortcut_edit")
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.editingFinished.connect(self._apply)
        layout.addWidget(self.key_edit)
        self.message = QLabel("")
        self.message.setObjectName("shortcut_message")
        layout.addWidget(self.message)
        reset = QPushButton(t("Reset to default"))
        reset.clicked.connect(self._reset)
        layout.addWidget(reset)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._ids: list[str] = []
        self.refresh()
        self.resize(620, 560)

    def refresh(self) -> None:
        self._ids = list(self.registry.specs)
        self.table.setRowCount(len(self._ids))
        conflicts = {aid for ids in self.registry.conflicts().values() for aid in ids}
        for row, aid in enumerate(self._ids):
            spec = self.registry.specs[aid]
            key = self.registry.key_for(aid)
            items = (QTableWidgetItem(spec.text()), QTableWidgetItem(t(spec.menu)), QTableWidgetItem(key or "—"))
            for col, item in enumerate(items):
                if aid in conflicts:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)

    def rebind(self, action_id: str, key: str) -> bool:
        try:
            self.registry.rebind(action_id, key)
        except ShortcutConflict as exc:
            self.message.setText(t("Not changed: {key} is already used by '{other}'.").format(key=exc.key, other=exc.other.text()))
            return False
        self.message.setText(t("'{action}' is now {key}.").format(action=self.registry.specs[action_id].text(), key=normalise_key(key) or "—"))
        self.refresh()
        return True

    def _selected(self) -> str | None:
        row = self.table.currentRow()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def _apply(self) -> None:
        aid = self._selected()
        seq: QKeySequence = self.key_edit.keySequence()
        if aid and not seq.isEmpty():
            self.rebind(aid, seq.toString(QKeySequence.SequenceFormat.PortableText))
        self.key_edit.clear()

    def _reset(self) -> None:
        aid = self._selected()
        if aid:
            default = self.registry.specs[aid].default_key
            if self.registry.owner_of(default, ignore=aid) is None:
                self.registry.reset(aid)
                self.refresh()
