"""Light, dark and high-contrast palettes. Category colours stay distinguishable in each."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class PaletteSpec:
    title: str
    dark: bool
    window: str
    base: str
    text: str
    highlight: str
    highlighted_text: str


PALETTES = {
    "light": PaletteSpec("Light palette", False, "#f2f2f2", "#ffffff", "#1a1a1a", "#3874d8", "#ffffff"),
    "dark": PaletteSpec("Dark palette", True, "#2b2b2b", "#1e1e1e", "#e6e6e6", "#5a8ff0", "#000000"),
    "contrast": PaletteSpec("High-contrast palette", True, "#000000", "#000000", "#ffffff", "#ffff00", "#000000"),
}


def apply_palette(name: str) -> None:
    spec = PALETTES[name]
    app = QApplication.instance()
    palette = QPalette()
    roles = QPalette.ColorRole
    palette.setColor(roles.Window, QColor(spec.window))
    palette.setColor(roles.WindowText, QColor(spec.text))
    palette.setColor(roles.Base, QColor(spec.base))
    palette.setColor(roles.AlternateBase, QColor(spec.window))
    palette.setColor(roles.Text, QColor(spec.text))
    palette.setColor(roles.Button, QColor(spec.window))
    palette.setColor(roles.ButtonText, QColor(spec.text))
    palette.setColor(roles.ToolTipBase, QColor(spec.base))
    palette.setColor(roles.ToolTipText, QColor(spec.text))
    palette.setColor(roles.Highlight, QColor(spec.highlight))
    palette.setColor(roles.HighlightedText, QColor(spec.highlighted_text))
    palette.setColor(roles.PlaceholderText, QColor("#888888"))
    # setColor without a group sets the disabled look too: a disabled button would read as enabled
    text, window = QColor(spec.text), QColor(spec.window)
    muted = QColor(*((a + b) // 2 for a, b in zip(text.getRgb()[:3], window.getRgb()[:3])))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    app.setPalette(palette)
