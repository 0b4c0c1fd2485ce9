"""The workbench driven through real widgets and key presses (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.domain import Status
from annotator.ui.actions import ShortcutConflict


def select(window, phrase, occurrence=1):
    text = window.document.text
    at = -1
    for _ in range(occurrence):
        at = text.index(phrase, at + 1)
    window.view.select_range(at, at + len(phrase))
    return at


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, k, modifier)


def test_select_and_press_category_key_stores_label(qtbot, window):
    at = select(window, "könnte")
    key(qtbot, window, Qt.Key.Key_2)  # hedge
    [a] = window.project.annotations(window.document.id, coder="anna")
    assert (a.category, a.start, a.text) == ("hedge", at, "könnte")
    assert window.panel.spans.count() == 1
    [row] = [r for r in window.doc_list.model.rows if r.id == window.document.id]
    assert row.label_count == 1


def test_selection_snaps_to_whole_words(qtbot, window):
    at = window.document.text.index("Beobachter")
    window.view.select_range(at + 2, at + 6)  # "obac"
    key(qtbot, window, Qt.Key.Key_3)
    [a] = window.project.annotations(window.document.id, coder="anna")
    assert a.text == "Beobachter"


def test_undo_redo_across_add_change_delete_and_document_codes(qtbot, window):
    p, doc = window.project, window.document.id
    select(window, "Beobachter")
    key(qtbot, window, Qt.Key.Key_2)  # hedge
    key(qtbot, window, Qt.Key.Key_3)  # recategorise the current label: unnamed source
    assert [a.category for a in p.annotations(doc, coder="anna")] == ["unnamed_source"]
    key(qtbot, window, Qt.Key.Key_Y)  # tone: first value
    assert [(l.category, l.value) for l in p.document_labels(doc, "anna")] == [("tone", "negative")]
    key(qtbot, window, Qt.Key.Key_Delete)
    assert p.annotations(doc, coder="anna") == []

    ctrl = Qt.KeyboardModifier.ControlModifier
    key(qtbot, window, Qt.Key.Key_Z, ctrl)  # undo delete
    assert [a.category for a in p.annotations(doc, coder="anna")] == ["unnamed_source"]
    key(qtbot, window, Qt.Key.Key_Z, ctrl)  # undo tone
    assert p.document_labels(doc, "anna") == []
    key(qtbot, window, Qt.Key.Key_Z, ctrl)  # undo recategorise
    assert [a.category for a in p.annotations(doc, coder="anna")] == ["hedge"]
    key(qtbot, window, Qt.Key.Key_Z, ctrl)  # undo add
    assert p.annotations(doc, coder="anna") == []
    shift_ctrl = ctrl | Qt.KeyboardModifier.ShiftModifier
    for _ in range(4):
        key(qtbot, window, Qt.Key.Key_Z, shift_ctrl)
    assert p.annotations(doc, coder="anna") == []  # the delete was redone too
    assert [(l.category, l.value) for l in p.document_labels(doc, "anna")] == [("tone", "negative")]


def test_next_previous_label_and_delete(qtbot, window):
    p, doc = window.project, window.document.id
    for phrase, k in (("könnte", Qt.Key.Key_2), ("Beobachter", Qt.Key.Key_3), ("«Blick»", Qt.Key.Key_4)):
        select(window, phrase)
        key(qtbot, window, k)
    window.select_span(None)
    window.view.moveCursor(window.view.textCursor().MoveOperation.Start)
    key(qtbot, window, Qt.Key.Key_BracketRight)
    assert window.mine[window.current_span].text == "könnte"
    key(qtbot, window, Qt.Key.Key_BracketRight)
    assert window.mine[window.current_span].text == "«Blick»"
    key(qtbot, window, Qt.Key.Key_BracketLeft)
    assert window.mine[window.current_span].text == "könnte"
    key(qtbot, window, Qt.Key.Key_Delete)
    assert sorted(a.text for a in p.annotations(doc, coder="anna")) == ["Beobachter", "«Blick»"]


def test_done_moves_to_next_undone_document(qtbot, window):
    first = window.document.id
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.project.status(first, "anna")[0] is Status.DONE
    assert window.document.id != first
    assert "1/2" in window.progress_label.text()


def test_boilerplate_is_refused_with_a_message(qtbot, window):
    select(window, "Weiterlesen")
    key(qtbot, window, Qt.Key.Key_2)
    assert window.project.annotations(window.document.id) == []
    assert "boilerplate" in window.statusBar().currentMessage()


def test_shortcut_rebinding_and_conflicts(qtbot, window):
    reg = window.registry
    with pytest.raises(ShortcutConflict):
        reg.rebind("edit.note", "2")  # the hedge key
    with pytest.raises(ShortcutConflict):
        reg.rebind("code.hedge", "Ctrl+Z")
    reg.rebind("code.hedge", "H")
    assert reg.key_for("code.hedge") == "H"
    select(window, "könnte")
    key(qtbot, window, Qt.Key.Key_H)
    assert [a.category for a in window.project.annotations(window.document.id)] == ["hedge"]
    assert reg.conflicts() == {}
    assert window.settings.value("shortcuts/code.hedge") == "H"


def test_shortcuts_dialog_refuses_conflict(qtbot, window):
    from annotator.ui.dialogs import ShortcutsDialog

    dialog = ShortcutsDialog(window, window.registry)
    qtbot.addWidget(dialog)
    assert dialog.rebind("edit.note", "1") is False
    assert "already used" in dialog.message.text()
    assert dialog.rebind("edit.note", "Ctrl+Alt+N") is True
    assert window.registry.key_for("edit.note") == "Ctrl+Alt+N"


def test_blind_coding_hides_other_coders_labels(qtbot, window):
    p, doc = window.project, window.document.id
    at = window.document.text.index("Fachleute")
    p.act_as(None)  # as the lead would, from another session
    p.add_annotation(doc, "ben", "unnamed_source", at, at + 9)
    p.act_as("anna")
    window.open_document(p.document_id_for("c1"))
    window.open_document(doc)
    styles = {m.style for ms in window.view.highlighter.marks_by_block.values() for m in ms}
    assert "other" not in styles and window.mine == {}
    window.registry.actions["view.others"].trigger()
    assert p.settings().show_others_labels is True
    styles = {m.style for ms in window.view.highlighter.marks_by_block.values() for m in ms}
    assert styles == {"other"}
    # read-only: the other coder's label cannot be selected, changed or deleted from here
    window._clicked_at(at + 2)
    assert window.current_span is None


def test_zoom_and_state_are_restored(qtbot, window, settings, article_project):
    from annotator.ui.main_window import MainWindow

    size = window.view.font_size()
    key(qtbot, window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font_size() > size
    window.open_document(article_project.document_id_for("c1"))
    window.close()
    again = MainWindow(article_project, "anna", settings)
    qtbot.addWidget(again)
    assert again.document.external_id == "c1"
    assert again.view.font_size() == pytest.approx(window.view.font_size())


def test_time_spent_is_recorded(qtbot, window):
    doc = window.document.id
    select(window, "könnte")
    key(qtbot, window, Qt.Key.Key_2)  # coding begins the document; looking alone records nothing
    qtbot.wait(1100)
    window.open_document(window.project.document_id_for("c1"))
    assert window.project.status(doc, "anna")[1] >= 1.0


def test_import_runs_in_a_worker_and_shows_report(qtbot, window, tmp_path):
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"id": "n1", "title": "Neu", "text": "Ein neuer Artikel über Brücken."}\n{bad json\n', encoding="utf-8")
    worker = window.start_import(str(folder))
    with qtbot.waitSignal(worker.done, timeout=20000):
        pass
    qtbot.waitUntil(lambda: hasattr(window, "last_import_dialog"))
    assert "1 new" in window.last_import_dialog.findChild(type(window.progress_label), "import_summary").text()
    assert window.doc_list.model.rowCount() == 3


def test_german_ui(qtbot, article_project, settings):
    from PySide6.QtWidgets import QApplication

    from annotator.ui.i18n import install_language
    from annotator.ui.main_window import MainWindow

    install_language(QApplication.instance(), "de")
    try:
        w = MainWindow(article_project, "anna", settings)
        qtbot.addWidget(w)
        titles = [a.text() for a in w.menuBar().actions()]
        assert titles == ["Datei", "Bearbeiten", "Kodieren", "Navigation", "Ansicht", "Hilfe"]
        assert w.registry.actions["edit.undo"].text() == "Rückgängig"
    finally:
        install_language(QApplication.instance(), "en")


def test_language_switch_retranslates_menus(qtbot, window):
    try:
        window.registry.actions["view.lang.de"].trigger()
        assert [a.text() for a in window.menuBar().actions()][0] == "Datei"
        assert "fertig" in window.progress_label.text()
        assert window.coder_label.text() == "Kodiert als anna"
    finally:
        window.registry.actions["view.lang.en"].trigger()
    assert [a.text() for a in window.menuBar().actions()][0] == "File"


def _suggest(window):
    from annotator.nlp.project_run import run_suggester

    run_suggester(window.project)
    window._reload_marks(full=True)


def test_suggestions_are_dashed_not_labels_and_accept_reject_by_key(qtbot, window):
    p, doc = window.project, window.document.id
    _suggest(window)
    assert window.pending, "the rule suggester found nothing on the canonical page"
    styles = {m.style for ms in window.view.highlighter.marks_by_block.values() for m in ms}
    assert styles == {"suggestion"} and p.annotations(doc) == []
    window.view.moveCursor(window.view.textCursor().MoveOperation.Start)
    key(qtbot, window, Qt.Key.Key_Period)
    first = window.pending[window.current_suggestion]
    key(qtbot, window, Qt.Key.Key_A)
    [a] = p.annotations(doc, coder="anna")
    assert (a.start, a.end, a.category, a.origin.value) == (first.start, first.end, first.category, "suggestion")
    second = window.pending[window.current_suggestion]  # moved on to the next one
    key(qtbot, window, Qt.Key.Key_X)
    assert second.id not in window.pending and len(p.annotations(doc)) == 1
    third = window.pending[window.current_suggestion]
    key(qtbot, window, Qt.Key.Key_6)  # accept as "loaded language" instead
    assert ("loaded_language", third.start) in {(x.category, x.start) for x in p.annotations(doc)}
    # undo the three decisions: the suggestions are back, the labels gone
    for _ in range(3):
        key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert p.annotations(doc) == [] and {first.id, second.id, third.id} <= set(window.pending)
    # decided suggestions do not come back after another run
    key(qtbot, window, Qt.Key.Key_Period)
    key(qtbot, window, Qt.Key.Key_X)
    gone = {s for s in p.suggestions.decisions("anna")}
    from annotator.nlp.project_run import run_suggester

    run_suggester(p, force=True)
    window._reload_marks(full=True)
    assert len(gone) == 1 and not any((s.start, s.end) == next(iter(gone))[3:5] for s in window.pending.values())


def test_suggestions_switched_off_show_nothing(qtbot, window):
    _suggest(window)
    assert window.pending
    assert window.registry.actions["sugg.toggle"].isChecked()
    window.registry.actions["sugg.toggle"].trigger()
    assert window.project.settings().suggestions_enabled is False
    assert window.pending == {}
    assert window.run_suggester() is None


def test_progress_of_other_sessions_shows_up_without_restart(qtbot, window, article_project):
    from annotator.project import Project

    other = Project.open(article_project.location)
    try:
        doc = article_project.document_id_for("c1")
        other.set_status(doc, "ben", Status.DONE)
        other.add_annotation(doc, "anna", "hedge", 0, 8)  # anna in a second window
        window.refresh_from_others()
        assert "ben 1" in window.team_label.text()
        [row] = [r for r in window.doc_list.model.rows if r.id == doc]
        assert row.label_count == 1 and row.status is Status.IN_PROGRESS
    finally:
        other.close()
