"""Guard against the PySide6 6.12.0 regression that leaks references to None.

On Python 3.11, PySide6 6.12.0 drops one reference to None for every Qt call that returns
nothing, and the interpreter aborts with "Fatal Python error: none_dealloc" after a few thousand
such calls. 6.11.x is fine; this test catches a bump to a broken release.
"""

from __future__ import annotations

import sys

import pytest


def test_void_qt_calls_do_not_leak_references_to_none(qapp):
    from PySide6.QtCore import QObject

    obj = QObject()
    before = sys.getrefcount(None)
    for i in range(20_000):
        obj.setObjectName("x")  # returns nothing: the call path that lost a reference
        obj.blockSignals(False)
    after = sys.getrefcount(None)
    if sys.version_info >= (3, 12):
        pytest.skip("None is immortal on Python 3.12+; the leak cannot crash there")
    assert after >= before - 100, f"None lost {before - after} references over 40,000 void Qt calls"


def test_installed_pyside_is_within_the_pin():
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 11), f"PySide6 {PySide6.__version__} is outside the tested pin >=6.11,<6.12"
