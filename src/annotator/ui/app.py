"""Application start: project choice (open, create, demo, recent), the coder for that project, the workbench.

The coder is chosen per project: a name remembered for one project (keyed by its location) is
never carried into another, and ``annotator open --coder NAME`` holds for that run only.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from ..errors import AnnotatorError
from ..project import Project, location_without_password
from . import error_hook, file_dialogs
from .dialogs import CoderDialog, show_error
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


def coder_key(location: str) -> str:
    """The settings key of the coder remembered for one project (a file by its absolute path)."""
    where = location_without_password(location) if "://" in location else str(Path(location).resolve())
    return "coder_by_project/" + where.replace("\\", "/").replace("/", "|")


def ask_coder(project: Project, settings: QSettings, parent=None, current: str | None = None) -> str | None:
    """The coder dialog for ``project``; the choice is remembered for this project. None: cancelled."""
    info = project.info()
    coders = [(c.name, info.done_by_coder.get(c.name, 0)) for c in project.coders() if not c.is_gold]
    dialog = CoderDialog(parent, info.settings.name, coders, info.documents, current)
    if not dialog.exec():
        return None
    settings.setValue(coder_key(project.location), dialog.name())
    return dialog.name()


def choose_coder(project: Project, settings: QSettings, given: str | None = None) -> str | None:
    """``given`` (the command line's, for this run only), else the name remembered for this project, else asked."""
    login = project.member_for_login()
    if login is not None:  # on a server the login is the member: nobody codes under another name
        return login.name
    given = " ".join((given or "").split())
    if given:
        return given
    remembered = str(settings.value(coder_key(project.location), "") or "")
    return remembered or ask_coder(project, settings)


def open_workbench(location: str, coder: str | None = None, settings: QSettings | None = None):
    """The workbench on ``location`` for the coder chosen for it; None when the choice was cancelled."""
    from .main_window import MainWindow

    settings = settings or app_settings()
    project = Project.open(location)
    name = choose_coder(project, settings, coder)
    if name is None:
        project.close()
        return None
    remember_project(settings, location)
    window = MainWindow(project, name, settings)
    window.resize(1500, 900)
    window.show()
    _windows.append(window)
    return window


def switch_coder(window) -> None:
    """Code in the same project under another name: asked, remembered for this project, a new window."""
    name = ask_coder(window.project, window.settings, parent=window, current=window.coder)
    if name and name != window.coder:
        window.close()  # saves the time of the coder who leaves
        open_workbench(window.project.location, name, window.settings)


def run_app(location: str | None = None, coder: str | None = None, language: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    error_hook.install()
    settings = app_settings()
    install_language(app, language or (str(settings.value("language")) if settings.value("language") else None))
    if location is None:
        dialog = StartDialog(settings)
        if not dialog.exec() or not dialog.choice:
            return 0
        location = dialog.choice
    try:
        window = open_workbench(location, coder, settings)
    except AnnotatorError as exc:
        show_error(None, exc)
        return 1
    if window is None:  # the coder dialog was cancelled
        return 0
    from ..nlp import preload_suggester

    preload_suggester()  # spaCy loads in the background: neither start-up nor the first run waits
    return app.exec()
