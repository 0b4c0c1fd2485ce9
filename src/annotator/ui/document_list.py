"""The document list: title, outlet, date, this coder's status and label count; filter and search."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from ..domain import DocumentSummary, Status
from .i18n import t

STATUS_ICON = {Status.TODO: "○", Status.IN_PROGRESS: "◐", Status.DONE: "●"}


class DocumentModel(QAbstractTableModel):
    COLUMNS = ("", "Title", "Outlet", "Date", "Labels")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DocumentSummary] = []

    def set_rows(self, rows: list[DocumentSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def update_row(self, summary: DocumentSummary) -> None:
        for i, row in enumerate(self.rows):
            if row.id == summary.id:
                self.rows[i] = summary
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
                return

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return t(self.COLUMNS[section]) if self.COLUMNS[section] else ""
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (STATUS_ICON[row.status], row.title or row.external_id or f"#{row.id}", row.outlet or "",
                    row.published or "", str(row.label_count))[col]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return t({Status.TODO: "to do", Status.IN_PROGRESS: "in progress", Status.DONE: "done"}[row.status])
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.UserRole + 1:
            return row.status.value
        return None


class StatusFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.ids: set[int] | None = None  # full-text search result

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802
        model = self.sourceModel()
        idx = model.index(source_row, 0, source_parent)
        if self.status and model.data(idx, Qt.ItemDataRole.UserRole + 1) != self.status:
            return False
        if self.ids is not None and model.data(idx, Qt.ItemDataRole.UserRole) not in self.ids:
            return False
        return True


class DocumentList(QWidget):
    document_chosen = Signal(int)
    search_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = DocumentModel()
        self.proxy = StatusFilter()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("document_search")
        self.search.setPlaceholderText(t("Search title and text…"))
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox()
        self.filter.setObjectName("status_filter")
        for label, value in ((t("All"), None), (t("To do"), "todo"), (t("In progress"), "in_progress"), (t("Done"), "done")):
            self.filter.addItem(label, value)
        self.table = QTableView()
        self.table.setObjectName("document_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the title takes what is left
        for col, width in ((0, 24), (2, 110), (3, 84), (4, 52)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.table.verticalHeader().setDefaultSectionSize(22)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.search.returnPressed.connect(lambda: self.search_requested.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda s: s or self.search_requested.emit(""))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    def set_documents(self, rows: list[DocumentSummary]) -> None:
        self.model.set_rows(rows)

    def set_search_result(self, ids: set[int] | None) -> None:
        self.proxy.ids = ids
        self.proxy.invalidateFilter()

    def _filter_changed(self) -> None:
        self.proxy.status = self.filter.currentData()
        self.proxy.invalidateFilter()

    def _current_changed(self, current, _previous) -> None:
        if current.isValid():
            self.document_chosen.emit(self.proxy.data(current, Qt.ItemDataRole.UserRole))

    def select_document(self, document_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if self.proxy.data(idx, Qt.ItemDataRole.UserRole) == document_id:
                if self.table.currentIndex().row() != r:
                    self.table.setCurrentIndex(idx)
                self.table.scrollTo(idx)
                return

    def visible_ids(self) -> list[int]:
        return [self.proxy.data(self.proxy.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(self.proxy.rowCount())]
