"""Errors nobody caught still reach the user as a message, never as a silent failure.

Qt calls our slots from its event loop; an exception there is printed to stderr and the action
just does nothing (a label that seems typed but was never stored). The hook shows it through the
one error presenter instead, with the technical details folded away for a bug report.
"""

from __future__ import annotations

import sys
import traceback

from PySide6.QtWidgets import QApplication

from .dialogs import show_error

_showing = False


def _present(kind, exc, tb) -> None:
    global _showing
    if issubclass(kind, KeyboardInterrupt) or QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    exc.details = "".join(traceback.format_exception(kind, exc, tb))
    if _showing:  # an error while the message box is open: do not stack boxes
        return
    _showing = True
    try:
        show_error(QApplication.activeWindow(), exc)
    finally:
        _showing = False


def install() -> None:
    sys.excepthook = _present
