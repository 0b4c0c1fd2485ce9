from __future__ import annotations

import pytest


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, article_project, settings):
    from annotator.ui.main_window import MainWindow

    w = MainWindow(article_project, "anna", settings)
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.open_document(article_project.document_id_for("drohnen"))
    w.view.setFocus()
    return w


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo project, built once: tests that change it work on a copy (demo_copy)."""
    from annotator.cli import main

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["demo", "--project", str(path), "--quiet"]) == 0
    return path


@pytest.fixture
def demo_copy(demo_template, tmp_path):
    import shutil

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path
