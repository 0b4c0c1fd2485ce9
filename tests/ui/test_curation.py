"""Adjudication into the gold layer, by keys, in a real (offscreen) window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def curation(qtbot, article_project, settings):
    from annotator.ui.curation import CurationWindow

    p = article_project
    doc = p.document_id_for("drohnen")
    text = p.document(doc).text
    k = text.index("könnte")
    b = text.index("Beobachter")
    # anna and ben agree on the hedge; clara marks it longer; the unnamed source is disputed
    p.add_annotation(doc, "anna", "hedge", k, k + 6)
    p.add_annotation(doc, "ben", "hedge", k, k + 6)
    p.add_annotation(doc, "clara", "hedge", k, k + 17)
    p.add_annotation(doc, "anna", "unnamed_source", b, b + 10)
    p.add_annotation(doc, "clara", "hedge", b, b + 10)
    for coder, tone in (("anna", "negative"), ("ben", "negative"), ("clara", "neutral")):
        p.set_document_label(doc, coder, "tone", tone)
    w = CurationWindow(p, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.table.setFocus()
    return w, doc, (k, b)


def press(qtbot, w, key, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(w.table, key, mod)


def test_documents_are_ordered_by_disagreement_and_units_aligned(curation):
    w, doc, _ = curation
    assert w.document.id == doc
    kinds = [(r.kind, r.disputed) for r in w.rows]
    assert kinds == [("span", True), ("span", True), ("code", True)]
    assert w.table.columnCount() == 2 + 3  # unit, anna, ben, clara, gold


def test_take_majority_then_a_coder_then_clear_and_undo(qtbot, curation):
    w, doc, (k, b) = curation
    p = w.project
    w.table.setCurrentCell(0, 0)
    press(qtbot, w, Qt.Key.Key_M)
    assert [(a.category, a.start, a.end) for a in p.annotations(doc, coder="gold")] == [("hedge", k, k + 6)]
    press(qtbot, w, Qt.Key.Key_3)  # clara's longer version instead
    assert [(a.start, a.end) for a in p.annotations(doc, coder="gold")] == [(k, k + 17)]
    press(qtbot, w, Qt.Key.Key_Tab)  # next disputed: the unnamed source
    press(qtbot, w, Qt.Key.Key_1)
    assert ("unnamed_source", b, b + 10) in {(a.category, a.start, a.end) for a in p.annotations(doc, coder="gold")}
    press(qtbot, w, Qt.Key.Key_Tab)  # the tone code
    press(qtbot, w, Qt.Key.Key_M)
    assert [(l.category, l.value) for l in p.document_labels(doc, "gold")] == [("tone", "negative")]
    press(qtbot, w, Qt.Key.Key_Delete)
    assert p.document_labels(doc, "gold") == []
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [l.value for l in p.document_labels(doc, "gold")] == ["negative"]
    assert "gold" in {c.name for c in p.coders() if c.is_gold}


def test_new_gold_label_from_a_selection(qtbot, curation, monkeypatch):
    w, doc, _ = curation
    text = w.document.text
    at = text.index("Fachleute")
    w.view.select_range(at, at + 9)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("Unnamed source", True)))
    w.new_gold_span()
    assert ("unnamed_source", "Fachleute") in {(a.category, a.text) for a in w.project.annotations(doc, coder="gold")}
