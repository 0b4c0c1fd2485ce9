"""The codebook panel: span categories with colour and key, document-level codes, this document's labels."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..codebook import Category
from ..domain import Annotation
from .i18n import t


def swatch(colour: str, size: int = 14) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    return QIcon(pix)


class CodebookPanel(QWidget):
    category_activated = Signal(str)  # category id (click = same as pressing its key)
    document_code_changed = Signal(str, object)  # category id, value or None
    span_activated = Signal(int)  # annotation id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.categories = QListWidget()
        self.categories.setObjectName("category_list")
        self.categories.itemActivated.connect(lambda item: self.category_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.categories.itemClicked.connect(lambda item: self.category_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.doc_box = QGroupBox(t("Document codes"))
        self.doc_form = QFormLayout(self.doc_box)
        self.combos: dict[str, QComboBox] = {}
        self.spans = QListWidget()
        self.spans.setObjectName("span_list")
        self.spans.currentItemChanged.connect(self._span_changed)
        span_box = QGroupBox(t("Labels in this document"))
        QVBoxLayout(span_box).addWidget(self.spans)
        cat_box = QGroupBox(t("Span categories"))
        QVBoxLayout(cat_box).addWidget(self.categories)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(cat_box, 3)
        layout.addWidget(self.doc_box, 2)
        layout.addWidget(span_box, 4)
        self._names: dict[str, str] = {}
        self._muted = False

    def set_codebook(self, categories: list[Category], keys: dict[str, str]) -> None:
        self.categories.clear()
        self._names = {c.id: c.name for c in categories}
        for c in categories:
            if not c.is_span:
                continue
            item = QListWidgetItem(swatch(c.colour), f"{keys.get(c.id, '') or '·'}   {c.name}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            tip = f"<b>{c.name}</b><br>{c.definition}"
            if c.example:
                tip += f"<br><i>{t('Example')}: {c.example}</i>"
            item.setToolTip(tip)
            self.categories.addItem(item)
        while self.doc_form.rowCount():
            self.doc_form.removeRow(0)
        self.combos = {}
        for c in categories:
            if c.is_span:
                continue
            combo = QComboBox()
            combo.setObjectName(f"code_{c.id}")
            combo.addItem("—", None)
            for v in c.values:
                combo.addItem(v, v)
            combo.setToolTip(c.definition)
            combo.activated.connect(lambda _i, cid=c.id, cb=combo: self.document_code_changed.emit(cid, cb.currentData()))
            label = QLabel(f"{keys.get(c.id, '') or '·'}  {c.name}")
            label.setToolTip(c.definition)
            self.doc_form.addRow(label, combo)
            self.combos[c.id] = combo

    def set_document_codes(self, values: dict[str, str]) -> None:
        for cid, combo in self.combos.items():
            combo.blockSignals(True)
            idx = combo.findData(values.get(cid))
            combo.setCurrentIndex(max(0, idx))
            combo.blockSignals(False)

    def set_spans(self, annotations: list[Annotation], colours: dict[str, str]) -> None:
        self._muted = True
        self.spans.clear()
        for a in annotations:
            snippet = a.text.replace("\n", " ")
            snippet = snippet if len(snippet) <= 60 else snippet[:57] + "…"
            text = f"{self._names.get(a.category, a.category)}: {snippet}"
            if a.note:
                text += "  ✎"
            item = QListWidgetItem(swatch(colours.get(a.category, "#888888")), text)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(a.note or "")
            self.spans.addItem(item)
        self._muted = False

    def select_span(self, annotation_id: int | None) -> None:
        self._muted = True
        for i in range(self.spans.count()):
            if self.spans.item(i).data(Qt.ItemDataRole.UserRole) == annotation_id:
                self.spans.setCurrentRow(i)
                break
        else:
            self.spans.setCurrentRow(-1)
        self._muted = False

    def _span_changed(self, current, _previous) -> None:
        if current is not None and not self._muted:
            self.span_activated.emit(current.data(Qt.ItemDataRole.UserRole))
