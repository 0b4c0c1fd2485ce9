"""Application start: coder name, project choice (open, create, demo, recent), the workbench."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from ..errors import AnnotatorError
from ..project import Project, location_without_password
from . import error_hook, file_dialogs
from .dialogs import show_error
from .i18n import install_language, t

_windows: list = []  # keep open windows alive


def app_settings() -> QSettings:
    return QSettings("annotator", "annotator")


def remember_project(settings: QSettings, location: str) -> None:
    # Never a password in the settings file: libpq takes it from ~/.pgpass or a service file.
    location = location_without_password(location)
    recent = [location_without_password(str(p)) for p in (settings.value("recent_projects") or [])]
    settings.setValue("recent_projects", [location, *(p for p in recent if p != location)][:10])


class StartDialog(QDialog):
    """Open, create, or try the demo; recent projects listed."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.setWindowTitle("annotator")
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>annotator</h2>" + t("Code framing in news articles and measure agreement.")))
        layout.addWidget(QLabel(t("Recent projects:")))
        self.recent = QListWidget()
        for p in settings.value("recent_projects") or []:
            if "://" in str(p) or Path(str(p)).exists():
                self.recent.addItem(str(p))
        self.recent.itemActivated.connect(lambda item: self._done(item.text()))
        layout.addWidget(self.recent)
        buttons = QHBoxLayout()
        for label, handler in ((t("Open…"), self._open), (t("New…"), self._new), (t("Demo project"), self._demo)):
            b = QPushButton(label)
            b.clicked.connect(handler)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        if self.recent.count():
            self.recent.setCurrentRow(0)

    def _done(self, location: str) -> None:
        self.choice = location
        self.accept()

    def _open(self) -> None:
        path = file_dialogs.open_file_name(self, t("Open project"), "", t("annotator projects (*.db)"))
        if path:
            self._done(path)

    def _new(self) -> None:
        path = file_dialogs.save_file_name(self, t("New project"), "study.db", t("annotator projects (*.db)"))
        if path:
            Project.create(path, exist_ok=True).close()
            self._done(path)

    def _demo(self) -> None:
        from ..cli import main as cli_main

        target = Path.home() / "annotator-demo.db"
        cli_main(["demo", "--project", str(target), "--quiet"])
        self._done(str(target))


def ask_coder(settings: QSettings, suggested: str | None) -> str | None:
    name = suggested or str(settings.value("coder_name", "") or "")
    if not name:
        name, ok = QInputDialog.getText(None, "annotator", t("Your coder name (stored with every label):"))
        if not ok or not name.strip():
            return None
    settings.setValue("coder_name", name.strip())
    return name.strip()


def open_workbench(location: str, coder: str):
    from .main_window import MainWindow

    settings = app_settings()
    project = Project.open(location)
    remember_project(settings, location)
    window = MainWindow(project, coder, settings)
    window.resize(1500, 900)
    window.show()
    _windows.append(window)
    return window


def run_app(location: str | None = None, coder: str | None = None, language: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    error_hook.install()
    settings = app_settings()
    install_language(app, language or (str(settings.value("language")) if settings.value("language") else None))
    name = ask_coder(settings, coder)
    if name is None:
        return 1
    if location is None:
        dialog = StartDialog(settings)
        if not dialog.exec() or not dialog.choice:
            return 0
        location = dialog.choice
    try:
        open_workbench(location, name)
    except AnnotatorError as exc:
        show_error(None, exc)
        return 1
    from ..nlp import preload_suggester

    preload_suggester()  # spaCy loads in the background: neither start-up nor the first run waits
    return app.exec()
