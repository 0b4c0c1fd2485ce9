"""An error nobody caught inside the app becomes a message, never a silent no-op."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from sqlalchemy.exc import DatabaseError

from annotator.ui import error_hook


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_shows_the_problem(qtbot, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    error_hook.install()

    def slot():
        raise DatabaseError("INSERT …", {}, sqlite3.DatabaseError("database disk image is malformed"))

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert "could not be read or written" in shown[0]
    assert "database disk image is malformed" in shown[0]
    assert "Traceback" not in shown[0]
