"""The reliability filters of the dashboard and the workbook export: coders, statuses, zones.

The same choices as ``annotator agreement --coders/--status/--zones``, as checkable lists. Only
members who coded are offered as coders (a name that only opened documents is none); the gold
layer is offered but left out unless checked, as on the command line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..agreement.data import ANY_STATUS, ReliabilityFilter
from ..agreement.errors import AgreementInputError
from ..coding_activity import coders_who_coded
from ..domain import Status, ZoneKind
from ..project import Project
from .i18n import t

CODABLE_KINDS = [k for k in ZoneKind if k.codable]


def status_labels() -> dict[str, str]:
    return {Status.DONE.value: t("done"), Status.IN_PROGRESS.value: t("in progress"), Status.TODO.value: t("to do")}


def zone_labels() -> dict[str, str]:
    return {
        "kicker": t("Kicker"), "headline": t("Headline"), "byline": t("Byline"), "dateline": t("Dateline"),
        "lead": t("Lead"), "image_alt": t("Image alt text"), "image_caption": t("Image caption"),
        "subheading": t("Subheading"), "body": t("Body text"), "comment": t("Reader comment"),
    }  # fmt: skip


def _checkable(label: str, value: str, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(label)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    item.setData(Qt.ItemDataRole.UserRole, value)
    item.setToolTip(value)
    return item


def _checked(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class ReliabilityFilterPanel(QWidget):
    """Three checkable lists; :meth:`reliability_filter` turns the ticks into a :class:`ReliabilityFilter`."""

    changed = Signal()

    def __init__(self, project: Project, flt: ReliabilityFilter | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reliability_filters")
        flt = flt or ReliabilityFilter()
        self.project = project
        self.coders = QListWidget()
        self.coders.setObjectName("filter_coders")
        self.default_coders: list[str] = []
        self.refresh_coders(flt)

        self.statuses = QListWidget()
        self.statuses.setObjectName("filter_statuses")
        for value, label in status_labels().items():
            self.statuses.addItem(_checkable(label, value, value in flt.statuses))
        self.any_status = QCheckBox(t("any status (no condition)"))
        self.any_status.setObjectName("filter_any_status")
        self.any_status.setChecked(flt.statuses == (ANY_STATUS,))
        self.any_status.toggled.connect(lambda on: self.statuses.setEnabled(not on))
        self.statuses.setEnabled(not self.any_status.isChecked())

        self.zones = QListWidget()
        self.zones.setObjectName("filter_zones")
        for kind in CODABLE_KINDS:
            label = zone_labels().get(kind.value, kind.value)
            self.zones.addItem(_checkable(label, kind.value, kind.value in flt.zone_kinds))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, widgets in ((t("Coders"), [self.coders]),
                               (t("Documents every selected coder has as"), [self.statuses, self.any_status]),
                               (t("Zones"), [self.zones])):  # fmt: skip
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            for w in widgets:
                inner.addWidget(w)
            layout.addWidget(box)
        for w in (self.coders, self.statuses, self.zones):
            w.setMaximumHeight(120)
            w.itemChanged.connect(lambda _item: self.changed.emit())
        self.any_status.toggled.connect(lambda _on: self.changed.emit())

    def refresh_coders(self, flt: ReliabilityFilter | None = None) -> None:
        """Add whoever has coded since the list was made (ticked, as they would be by default)."""
        flt = flt or ReliabilityFilter()
        gold = {c.name for c in self.project.coders() if c.is_gold}
        coded = coders_who_coded(self.project)
        self.default_coders = [c for c in coded if c not in gold]
        listed = {self.coders.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.coders.count())}
        for name in coded:
            if name not in listed:
                wanted = name in flt.coders if flt.coders is not None else name not in gold or flt.include_gold
                self.coders.addItem(_checkable(name + (" (" + t("gold") + ")" if name in gold else ""), name, wanted))

    def check(self, widget: QListWidget, values: list[str]) -> None:
        """Tick exactly ``values`` in one of the lists."""
        for i in range(widget.count()):
            item = widget.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in values
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def reliability_filter(self) -> ReliabilityFilter:
        """The ticked choices; a list left empty is refused with what to do."""
        coders = _checked(self.coders)
        if not coders:
            raise AgreementInputError(t("Tick at least one coder."))
        statuses = [ANY_STATUS] if self.any_status.isChecked() else _checked(self.statuses)
        if not statuses:
            raise AgreementInputError(t("Tick at least one status, or any status."))
        zones = _checked(self.zones)
        if not zones:
            raise AgreementInputError(t("Tick at least one zone."))
        return ReliabilityFilter(
            coders=None if coders == self.default_coders else coders,  # the default, as on the command line
            statuses=statuses,
            zones=None if len(zones) == len(CODABLE_KINDS) else zones,
        )
