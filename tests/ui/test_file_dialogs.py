"""The app's file dialogs list a folder without opening the files in it.

Opening and closing a descriptor on a SQLite project drops the process's locks on it (see
storage/sqlite_guard.py); Qt's stock dialog does that to every file it shows.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from folder_watch import FolderWatch, available
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.project import Project
from annotator.ui import file_dialogs

pytestmark = pytest.mark.skipif(not available(), reason="inotify is Linux-only")

SRC_UI = Path(__file__).resolve().parents[2] / "src" / "annotator" / "ui"


def _show_for_a_while(qtbot, dialog: QFileDialog, folder: Path) -> list[str]:
    with FolderWatch(folder) as watch:
        dialog.setDirectory(str(folder))
        dialog.show()
        deadline = time.monotonic() + 2.0  # listing, icons and type names are gathered in a thread
        while time.monotonic() < deadline:
            QApplication.processEvents()
            qtbot.wait(20)
        dialog.close()
        QApplication.processEvents()
        return watch.opened()


@pytest.fixture
def folder_with_project(tmp_path):
    Project.create(tmp_path / "study.db").close()
    (tmp_path / "notes.txt").write_text("Notizen\n", encoding="utf-8")
    return tmp_path


def test_the_apps_dialog_opens_no_file_in_the_folder_it_lists(qtbot, folder_with_project):
    dialog = file_dialogs.make_dialog(None, "Export workbook")
    opened = _show_for_a_while(qtbot, dialog, folder_with_project)
    assert opened == [], f"the dialog opened {opened}"


def test_qts_stock_dialog_does_open_them(qtbot, folder_with_project):
    """The control: proves the watch sees what the stock dialog does, so the test above can fail."""
    dialog = QFileDialog(None, "stock")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    opened = _show_for_a_while(qtbot, dialog, folder_with_project)
    assert "study.db" in opened


def test_every_dialog_in_the_app_goes_through_file_dialogs():
    stock_calls = re.compile(r"QFileDialog\.(getOpenFileNames?|getSaveFileName|getExistingDirectory)\b")
    offenders = [
        f"{path.name}:{n}"
        for path in SRC_UI.glob("*.py")
        if path.name != "file_dialogs.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if stock_calls.search(line)
    ]
    assert offenders == []
