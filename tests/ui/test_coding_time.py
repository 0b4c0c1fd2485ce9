"""Looking is not coding: time and status count from the first coding action on a document."""

from __future__ import annotations

import json

import pytest

from annotator.domain import Status
from annotator.project import Project


def workbench(qtbot, location, coder, settings):
    from annotator.ui.main_window import MainWindow

    w = MainWindow(Project.open(location), coder, settings)
    qtbot.addWidget(w)
    w.show()
    return w


class FakeTime:
    """Stands in for the workbench clock's monotonic time: tests move it on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def timed_workbench(qtbot, project, settings, document_id):
    """A workbench whose clock the test drives, freshly showing ``document_id``."""
    from annotator.ui.main_window import MainWindow

    clock = FakeTime()
    w = MainWindow(project, "anna", settings)
    qtbot.addWidget(w)
    w.show()
    w.clock.now = clock
    w.open_document(next(i for i in w.doc_list.visible_ids() if i != document_id))
    w.open_document(document_id)
    return w, clock


def test_a_lead_who_only_looks_is_not_a_coder(qtbot, demo_copy, settings, capsys):
    from annotator.cli import main

    demo_db = demo_copy
    w = workbench(qtbot, demo_db, "lead", settings)
    assert w.document is not None  # the workbench showed a document
    qtbot.wait(1100)
    w.step_document(1)
    qtbot.wait(1100)
    w.autosave.timeout.emit()
    w.close()
    with Project.open(demo_db) as p:
        assert {k: v for k, v in p.statuses().items() if k[1] == "lead"} == {}
    capsys.readouterr()
    assert main(["agreement", "--project", str(demo_db), "--samples", "0", "--json", "-", "-q"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["coders"] == ["anna", "ben", "clara"] and result["documents"] == 22
    assert main(["info", str(demo_db)]) == 0
    info = capsys.readouterr().out
    assert "coders:      anna, ben, clara" in info and "lead: 0/" not in info


def test_time_counts_from_the_first_coding_action_with_the_reading_before_it(qtbot, article_project, settings):
    p = article_project
    doc = p.document_id_for("drohnen")
    w, clock = timed_workbench(qtbot, p, settings, doc)
    clock.now += 40  # reading
    w.autosave.timeout.emit()
    assert p.status(doc, "anna") == (Status.TODO, 0.0)  # nothing yet: only looked
    clock.now += 20
    at = w.document.text.index("könnte")
    w.view.select_range(at, at + len("könnte"))
    w.apply_category("hedge")  # the first coding action: a label (the category key)
    clock.now += 15
    w.autosave.timeout.emit()
    assert p.status(doc, "anna") == (Status.IN_PROGRESS, pytest.approx(75.0))  # 40 + 20 reading, 15 after
    clock.now += 5
    w.done_and_next()  # Ctrl+Return
    assert p.status(doc, "anna") == (Status.DONE, pytest.approx(80.0))
    assert w.document.id == p.document_id_for("c1")
    clock.now += 100  # looking at the next document, then closing: nothing for it
    w.close()
    assert p.status(w.document.id, "anna") == (Status.TODO, 0.0)


def test_a_document_left_open_over_lunch_counts_at_most_the_idle_cap(qtbot, article_project, settings):
    from annotator.ui.coding_clock import IDLE_CAP_SECONDS

    doc = article_project.document_id_for("c1")
    w, clock = timed_workbench(qtbot, article_project, settings, doc)
    w.cycle_document_code("tone")  # a document code is a coding action
    for _ in range(60):  # an hour of autosaves, every minute, nobody at the desk
        clock.now += 60
        w.autosave.timeout.emit()
    assert article_project.status(doc, "anna")[1] == pytest.approx(IDLE_CAP_SECONDS)


def test_a_suggestion_decision_is_coding(qtbot, article_project, settings):
    from annotator.nlp.project_run import run_suggester
    from annotator.ui.main_window import MainWindow

    run_suggester(article_project)
    w = MainWindow(article_project, "anna", settings)
    qtbot.addWidget(w)
    doc = article_project.document_id_for("drohnen")
    w.open_document(doc)
    assert w.pending
    w.step_suggestion(1)
    w.reject_suggestion()
    assert article_project.status(doc, "anna")[0] is Status.IN_PROGRESS
    assert article_project.annotations(doc) == []

