"""Adjudication: every coder's labels side by side, disagreements marked, the lead writes the gold layer.

Rows are units (overlapping spans of any coder) and document codes; columns are coders, then gold.
Keyboard-first through its own registry of actions (listed and rebindable like the workbench's).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import Annotation, Document
from ..errors import AnnotationError, AnnotatorError
from ..gold import GOLD, coders_of, documents_by_disagreement, span_units
from ..history import AddSpan, Change, DeleteSpan, History, SetDocumentLabel
from ..project import Project
from .actions import MENUS, ActionRegistry, ActionSpec
from .article_view import ArticleView, Mark
from .dialogs import ShortcutsDialog, show_error
from .i18n import t

DISPUTED = QColor(255, 205, 160, 140)


@dataclass
class Row:
    kind: str  # "span" | "code"
    label: str
    by_coder: dict[str, list[Annotation]] | dict[str, str | None]
    gold: list[Annotation] | str | None
    start: int = 0
    end: int = 0
    category: str = ""  # for code rows

    @property
    def disputed(self) -> bool:
        if self.kind == "code":
            return len(set(self.by_coder.values())) > 1
        versions = {tuple(sorted((a.category, a.start, a.end) for a in spans)) for spans in self.by_coder.values()}
        return len(versions) > 1


class CurationWindow(QMainWindow):
    def __init__(self, project: Project, settings: QSettings, gold: str = GOLD) -> None:
        super().__init__()
        self.setObjectName("curation")
        self.setWindowTitle(t("Adjudication") + " — annotator")
        self.project = project
        self.gold = gold
        self.project.act_as(None)  # the lead writes the gold layer
        self.project.ensure_coder(gold, is_gold=True)
        self.coders = coders_of(project)
        self.history = History(project)
        self.registry = ActionRegistry(settings)
        self.document: Document | None = None
        self.rows: list[Row] = []
        self.categories = {c.id: c for c in project.categories()}

        self.doc_list = QListWidget()
        self.doc_list.setObjectName("curation_documents")
        self.view = ArticleView()
        self.view.set_colours({c.id: c.colour for c in self.categories.values()})
        self.table = QTableWidget(0, len(self.coders) + 2)
        self.table.setObjectName("curation_units")
        self.table.setHorizontalHeaderLabels([t("Unit"), *self.coders, t("Gold")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # coders and gold share the width
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 240)
        self.table.verticalHeader().hide()
        self.hint = QLabel()
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        inner = QSplitter(Qt.Orientation.Vertical)
        inner.addWidget(self.view)
        inner.addWidget(self.table)
        inner.setSizes([420, 380])
        layout.addWidget(inner)
        layout.addWidget(self.hint)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.doc_list)
        splitter.addWidget(right)
        splitter.setSizes([300, 1100])
        self.setCentralWidget(splitter)

        self._declare_actions()
        self.registry.create_actions(self)
        for menu_name in MENUS:
            actions = self.registry.in_menu(menu_name)
            if actions:
                menu = self.menuBar().addMenu(t(menu_name))
                for action in actions:
                    menu.addAction(action)
        self.hint.setText(self._hint_text())
        self.doc_list.currentRowChanged.connect(self._doc_row_changed)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_row(row))
        self.refresh_documents()

    # --- actions ---------------------------------------------------------------------------------

    def _declare_actions(self) -> None:
        add = self.registry.add
        for i in range(min(9, len(self.coders))):
            add(ActionSpec(f"curate.take.{i + 1}", "Take the version of coder {n}", str(i + 1), lambda i=i: self.take_coder(i),
                           "Code", title_args={"n": f"{i + 1} ({self.coders[i]})"}))  # fmt: skip
        add(ActionSpec("curate.majority", "Take the majority version", "M", self.take_majority, "Code"))
        add(ActionSpec("curate.clear", "Clear gold for this unit", "Del", self.clear_gold, "Code"))
        add(ActionSpec("curate.new", "New gold label from the selection…", "G", self.new_gold_span, "Code"))
        add(ActionSpec("curate.next", "Next unit", "J", lambda: self.step_row(1), "Navigate", extra_keys=("Down",)))
        add(ActionSpec("curate.prev", "Previous unit", "K", lambda: self.step_row(-1), "Navigate", extra_keys=("Up",)))
        add(ActionSpec("curate.next_disputed", "Next disputed unit", "Tab", self.next_disputed, "Navigate"))
        add(ActionSpec("curate.next_doc", "Next document", "Ctrl+Down", lambda: self.step_document(1), "Navigate"))
        add(ActionSpec("curate.prev_doc", "Previous document", "Ctrl+Up", lambda: self.step_document(-1), "Navigate"))
        add(ActionSpec("curate.undo", "Undo", "Ctrl+Z", lambda: self._walk(self.history.undo), "Edit"))
        add(ActionSpec("curate.redo", "Redo", "Ctrl+Shift+Z", lambda: self._walk(self.history.redo), "Edit"))
        add(ActionSpec("curate.shortcuts", "Keyboard shortcuts…", "Ctrl+K", lambda: ShortcutsDialog(self, self.registry).exec(), "Edit"))

    def _hint_text(self) -> str:
        keys = self.registry.key_for
        return t("{take}: take a coder's version · {m}: majority · {g}: new gold label · {d}: clear · {tab}: next disputed").format(
            take=f"{keys('curate.take.1')}…", m=keys("curate.majority"), g=keys("curate.new"),
            d=keys("curate.clear"), tab=keys("curate.next_disputed"),
        )  # fmt: skip

    # --- documents and rows ----------------------------------------------------------------------

    def refresh_documents(self) -> None:
        self.doc_list.blockSignals(True)
        self.doc_list.clear()
        for doc_id, disputed in documents_by_disagreement(self.project):
            summary = self.project.document(doc_id)
            item = QListWidgetItem(f"{disputed:>3}  {summary.title or summary.external_id or doc_id}")
            item.setData(Qt.ItemDataRole.UserRole, doc_id)
            if disputed:
                item.setBackground(DISPUTED)
            self.doc_list.addItem(item)
        self.doc_list.blockSignals(False)
        if self.doc_list.count():
            self.doc_list.setCurrentRow(0)

    def _doc_row_changed(self, row: int) -> None:
        if row >= 0:
            self.open_document(self.doc_list.item(row).data(Qt.ItemDataRole.UserRole))

    def open_document(self, document_id: int) -> None:
        self.document = self.project.document(document_id)
        self.reload()
        if self.rows:
            self.table.setCurrentCell(0, 0)

    def reload(self) -> None:
        assert self.document is not None
        doc = self.document
        labels = self.project.annotations(doc.id, coders=[*self.coders, self.gold])
        gold_spans = [a for a in labels if a.coder == self.gold]
        rows: list[Row] = []
        for unit in span_units(labels):
            start, end = min(a.start for a in unit), max(a.end for a in unit)
            by_coder = {c: [a for a in unit if a.coder == c] for c in self.coders}
            gold = [a for a in gold_spans if a.start < end and start < a.end]
            rows.append(Row("span", doc.text[start:end].replace("\n", " "), by_coder, gold, start, end))
        codes = self.project.document_labels(doc.id)
        for cat in (c for c in self.categories.values() if not c.is_span):
            values = {c: next((l.value for l in codes if l.coder == c and l.category == cat.id), None) for c in self.coders}
            if any(values.values()):
                gold = next((l.value for l in codes if l.coder == self.gold and l.category == cat.id), None)
                rows.append(Row("code", cat.name, values, gold, category=cat.id))
        self.rows = rows
        current = self.table.currentRow()
        self._fill_table()
        marks = [Mark(a.id, a.start, a.end, a.category, "label" if a.coder == self.gold else "other") for a in labels]
        self.view.show_document(doc.text, doc.zones, marks)
        if 0 <= current < len(rows):
            self.table.setCurrentCell(current, 0)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [row.label[:120]]
            for c in self.coders:
                cells.append(self._describe(row, row.by_coder[c]))
            cells.append(self._describe(row, row.gold))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.disputed:
                    item.setBackground(DISPUTED)
                self.table.setItem(r, col, item)
        self.table.resizeRowsToContents()

    def _describe(self, row: Row, value) -> str:
        if row.kind == "code":
            return value or "—"
        if not value:
            return "—"
        return "\n".join(f"{self.categories[a.category].name if a.category in self.categories else a.category}: «{a.text[:60]}»" for a in value)

    def _show_row(self, r: int) -> None:
        if 0 <= r < len(self.rows) and self.rows[r].kind == "span":
            row = self.rows[r]
            self.view.set_current_mark(Mark(0, row.start, row.end, "", "label"))

    def step_row(self, step: int) -> None:
        if self.rows:
            self.table.setCurrentCell(max(0, min(len(self.rows) - 1, self.table.currentRow() + step)), 0)

    def next_disputed(self) -> None:
        start = self.table.currentRow() + 1
        for r in list(range(start, len(self.rows))) + list(range(0, start)):
            if self.rows[r].disputed:
                self.table.setCurrentCell(r, 0)
                return

    def step_document(self, step: int) -> None:
        row = self.doc_list.currentRow() + step
        if 0 <= row < self.doc_list.count():
            self.doc_list.setCurrentRow(row)

    # --- writing the gold layer ------------------------------------------------------------------

    def _current(self) -> Row | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def take_coder(self, index: int) -> None:
        row = self._current()
        if row is None or index >= len(self.coders):
            return
        chosen = row.by_coder[self.coders[index]]
        if row.kind == "code":
            self._run(SetDocumentLabel(self.document.id, self.gold, row.category, chosen))
        else:
            self._replace_gold(row, [(a.category, a.start, a.end) for a in chosen])

    def take_majority(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.kind == "code":
            value, n = Counter(v for v in row.by_coder.values() if v).most_common(1)[0]
            if n * 2 > len(self.coders):
                self._run(SetDocumentLabel(self.document.id, self.gold, row.category, value))
            return
        votes = Counter(k for spans in row.by_coder.values() for k in {(a.category, a.start, a.end) for a in spans})
        self._replace_gold(row, [k for k, n in votes.items() if n * 2 > len(self.coders)])

    def clear_gold(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.kind == "code":
            self._run(SetDocumentLabel(self.document.id, self.gold, row.category, None))
        else:
            self._replace_gold(row, [])

    def _replace_gold(self, row: Row, wanted: list[tuple[str, int, int]]) -> None:
        have = {(a.category, a.start, a.end): a for a in row.gold}
        for key, a in have.items():
            if key not in wanted:
                self._run(DeleteSpan(a), reload=False)
        for key in wanted:
            if key not in have:
                self._run(AddSpan(self.document.id, self.gold, key[0], key[1], key[2], note="adjudicated"), reload=False)
        self.reload()

    def new_gold_span(self) -> None:
        selection = self.view.selection()
        if selection is None or self.document is None:
            self.statusBar().showMessage(t("Select the text for the gold label first."), 4000)
            return
        names = [c.name for c in self.categories.values() if c.is_span]
        name, ok = QInputDialog.getItem(self, t("Gold label"), t("Category:"), names, 0, False)
        if ok:
            cid = next(c.id for c in self.categories.values() if c.name == name)
            self._run(AddSpan(self.document.id, self.gold, cid, *selection, note="adjudicated"))

    def _run(self, command, reload: bool = True) -> Change | None:
        try:
            change = self.history.run(command)
        except AnnotationError as exc:
            self.statusBar().showMessage(str(exc), 6000)
            return None
        except AnnotatorError as exc:  # not stored: never only a passing line in the status bar
            show_error(self, exc)
            return None
        if reload:
            self.reload()
        return change

    def _walk(self, step) -> None:
        change = step()
        if change is not None:
            if self.document is None or change.document_id != self.document.id:
                self.open_document(change.document_id)
            else:
                self.reload()
