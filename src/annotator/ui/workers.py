"""Long work (import, suggestions, agreement, export) off the GUI thread, with progress and cancel."""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog

from .i18n import t


class _Runner(QObject):
    progressed = Signal(int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Callable[[Callable[[int, str], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.job = job
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            result = self.job(lambda n, msg="": self.progressed.emit(int(n), str(msg)), self.cancel_event.is_set)
        except Exception as exc:  # reported through the error presenter, never lost
            exc.details = traceback.format_exc()
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class Worker(QObject):
    """Run `job(progress, cancelled)` in a thread; show a progress dialog with a Cancel button.

    The job receives `progress(count, message)` and `cancelled() -> bool` and returns a result
    delivered on the GUI thread through `done`, or an exception through `error`.
    """

    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent, title: str, job, total: int = 0) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.runner = _Runner(job)
        self.runner.moveToThread(self.thread)
        self.dialog = QProgressDialog(title, t("Cancel"), 0, total, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.canceled.connect(self.runner.cancel_event.set)
        self.thread.started.connect(self.runner.run)
        self.runner.progressed.connect(self._progress)
        self.runner.finished.connect(self._finish)
        self.runner.failed.connect(self._fail)
        self.total = total

    def start(self) -> None:
        self.thread.start()

    def _progress(self, n: int, message: str) -> None:
        if self.total:
            self.dialog.setValue(min(n, self.total))
        self.dialog.setLabelText(message[-80:] if message else self.dialog.labelText())

    def _stop(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
        self.thread.quit()
        self.thread.wait(5000)

    def _finish(self, result) -> None:
        self._stop()
        self.done.emit(result)

    def _fail(self, exc) -> None:
        self._stop()
        self.error.emit(exc)
