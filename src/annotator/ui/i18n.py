"""UI text through Qt's translation system.

Every visible string goes through `t()` (one translation context) so a test can check that each
has a German translation. Translations live as JSON in resources/translations/ — editable without
Qt's tool chain — and are served by a QTranslator, so Qt's own machinery does the lookup.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

CONTEXT = "annotator"
LANGUAGES = {"en": "English", "de": "Deutsch"}


def translations_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "resources" / "translations"


def t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class JsonTranslator(QTranslator):
    """A QTranslator backed by a {source: translation} JSON file."""

    def __init__(self, language: str, parent=None) -> None:
        super().__init__(parent)
        self.language = language
        path = translations_dir() / f"{language}.json"
        self._table: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: N802 (Qt API)
        if context == CONTEXT:
            return self._table.get(source_text, "")
        return ""

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return not self._table


_installed: JsonTranslator | None = None


def install_language(app, language: str | None) -> str:
    """Install German or English; None picks the system language (German if it is German)."""
    global _installed
    if language is None:
        language = "de" if QLocale.system().language() == QLocale.Language.German else "en"
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language != "en":
        _installed = JsonTranslator(language, app)
        app.installTranslator(_installed)
    return language
