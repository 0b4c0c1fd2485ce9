"""The action registry: every user action declared once (id, title, key, handler, menu).

Menus, shortcuts, the shortcuts dialog and the help text are all generated from it, and
rebinding is checked here so that a codebook key and a command key never collide silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence

from ..codebook import WORKBENCH_KEYS
from .i18n import t

MENUS = ("File", "Edit", "Code", "Navigate", "View", "Help")


@dataclass
class ActionSpec:
    id: str
    title: str  # English source text; translated with t()
    default_key: str
    handler: Callable[[], None]
    menu: str
    checkable: bool = False
    is_category: bool = False  # codebook keys are registered like commands
    extra_keys: tuple[str, ...] = ()
    title_args: dict = field(default_factory=dict)  # filled into the translated title, e.g. {"n": 2}

    def text(self) -> str:
        return t(self.title).format(**self.title_args) if self.title_args else t(self.title)


class ShortcutConflict(ValueError):
    def __init__(self, key: str, other: "ActionSpec") -> None:
        super().__init__(f"{key} is already used by '{other.text()}'")
        self.key, self.other = key, other


def normalise_key(key: str) -> str:
    """Portable text of a key sequence ('ctrl+z' -> 'Ctrl+Z'); '' for none."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText) if key else ""


@dataclass
class ActionRegistry:
    settings: QSettings
    specs: dict[str, ActionSpec] = field(default_factory=dict)
    actions: dict[str, QAction] = field(default_factory=dict)

    SETTINGS_GROUP = "shortcuts"

    def add(self, spec: ActionSpec) -> ActionSpec:
        if spec.id in self.specs:
            raise ValueError(f"action {spec.id!r} declared twice")
        if spec.is_category:
            self._check_built_in_keys_are_reserved()
        self.specs[spec.id] = spec
        return spec

    def _check_built_in_keys_are_reserved(self) -> None:
        """A window that takes codebook keys must declare only built-in keys the codebook validator refuses."""
        for spec in self.specs.values():
            for key in (spec.default_key, *spec.extra_keys) if not spec.is_category else ():
                if key and normalise_key(key) not in WORKBENCH_KEYS:
                    raise ValueError(
                        f"{spec.id}: its key {normalise_key(key)} is not in annotator.codebook.WORKBENCH_KEYS, "
                        "so a codebook could take it too"
                    )

    def remove_categories(self) -> None:
        for aid in [a for a, s in self.specs.items() if s.is_category]:
            self.specs.pop(aid)
            action = self.actions.pop(aid, None)
            if action is not None:
                action.setParent(None)
                action.deleteLater()

    def key_for(self, action_id: str) -> str:
        override = self.settings.value(f"{self.SETTINGS_GROUP}/{action_id}")
        if override is not None:
            return normalise_key(str(override))
        return normalise_key(self.specs[action_id].default_key)

    def owner_of(self, key: str, ignore: str | None = None) -> ActionSpec | None:
        key = normalise_key(key)
        if not key:
            return None
        for aid, spec in self.specs.items():
            if aid != ignore and self.key_for(aid).lower() == key.lower():
                return spec
        return None

    def conflicts(self) -> dict[str, list[str]]:
        """Keys bound to more than one action (ids), e.g. after a codebook change."""
        by_key: dict[str, list[str]] = {}
        for aid in self.specs:
            key = self.key_for(aid).lower()
            if key:
                by_key.setdefault(key, []).append(aid)
        return {k: v for k, v in by_key.items() if len(v) > 1}

    def rebind(self, action_id: str, key: str) -> None:
        """Give an action a new key; raise ShortcutConflict if another action has it."""
        key = normalise_key(key)
        other = self.owner_of(key, ignore=action_id)
        if other is not None:
            raise ShortcutConflict(key, other)
        if key == normalise_key(self.specs[action_id].default_key):
            self.settings.remove(f"{self.SETTINGS_GROUP}/{action_id}")
        else:
            self.settings.setValue(f"{self.SETTINGS_GROUP}/{action_id}", key)
        self._apply_key(action_id)

    def reset(self, action_id: str) -> None:
        self.settings.remove(f"{self.SETTINGS_GROUP}/{action_id}")
        self._apply_key(action_id)

    def create_actions(self, parent) -> None:
        """Make a QAction for each spec not yet realised, attached to `parent` (the window)."""
        for aid, spec in self.specs.items():
            if aid in self.actions:
                continue
            action = QAction(spec.text(), parent)
            action.setObjectName(aid)
            action.setCheckable(spec.checkable)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, h=spec.handler: h())
            parent.addAction(action)
            self.actions[aid] = action
            self._apply_key(aid)

    def _apply_key(self, action_id: str) -> None:
        action = self.actions.get(action_id)
        if action is None:
            return
        spec = self.specs[action_id]
        keys = [k for k in (self.key_for(action_id), *spec.extra_keys) if k]
        action.setShortcuts([QKeySequence(k) for k in keys])

    def retranslate(self) -> None:
        for aid, action in self.actions.items():
            action.setText(self.specs[aid].text())

    def in_menu(self, menu: str) -> list[QAction]:
        return [self.actions[aid] for aid, s in self.specs.items() if s.menu == menu and aid in self.actions]
