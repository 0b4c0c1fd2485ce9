"""File dialogs that never open the files they list.

Qt's own file dialog reads the first bytes of every file in the folder it shows, to pick an icon
and a type name. Closing such a descriptor on a SQLite project file drops all of this process's
locks on it (POSIX locks belong to the process), after which another program may delete the
project's write-ahead log while the app still writes into it. So every dialog in the app is Qt's
widget dialog with an icon provider that decides by name and kind alone, and after it closes the
open projects renew their connections, which takes the locks anew in case anything else did read
a project file meanwhile.

Windows locks are per handle, not per process, so the platform's own dialog stays there.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QFileInfo
from PySide6.QtWidgets import QApplication, QFileDialog, QFileIconProvider, QStyle, QWidget

from ..project import Project

_NATIVE_IS_SAFE = sys.platform.startswith("win")


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names from the file's kind, never from its content."""

    def icon(self, what):  # noqa: D401 - Qt override
        if isinstance(what, QFileInfo):
            kind = QStyle.StandardPixmap.SP_DirIcon if what.isDir() else QStyle.StandardPixmap.SP_FileIcon
            return QApplication.style().standardIcon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


def make_dialog(parent: QWidget | None, caption: str, directory: str = "", name_filter: str = "") -> QFileDialog:
    """A QFileDialog that is safe to point at a folder holding open projects."""
    dialog = QFileDialog(parent, caption, directory, name_filter)
    if not _NATIVE_IS_SAFE:
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        provider = NameOnlyIconProvider()
        dialog.setIconProvider(provider)
        dialog._annotator_icon_provider = provider  # the dialog does not own it: keep it alive
    return dialog


def _run(dialog: QFileDialog) -> str:
    try:
        accepted = dialog.exec() == QFileDialog.DialogCode.Accepted
        files = dialog.selectedFiles() if accepted else []
        return files[0] if files else ""
    finally:
        dialog.deleteLater()
        Project.renew_all_connections()


def save_file_name(parent: QWidget | None, caption: str, suggested: str = "", name_filter: str = "") -> str:
    """The path to write to, or "" if cancelled. Asks before replacing an existing file."""
    dialog = make_dialog(parent, caption, suggested, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return _run(dialog)


def open_file_name(parent: QWidget | None, caption: str, directory: str = "", name_filter: str = "") -> str:
    """An existing file to read, or "" if cancelled."""
    dialog = make_dialog(parent, caption, directory, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _run(dialog)


def existing_directory(parent: QWidget | None, caption: str, directory: str = "") -> str:
    """An existing folder, or "" if cancelled."""
    dialog = make_dialog(parent, caption, directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _run(dialog)
