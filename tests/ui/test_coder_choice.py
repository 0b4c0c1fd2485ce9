"""The coder is chosen per project: from the project's coders or a new name, shown in the workbench."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from annotator.project import Project


@pytest.fixture
def two_projects(tmp_path):
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.db"
        Project.create(path).close()
        paths.append(path)
    return paths


class Answers:
    """Plays the user in the coder dialog: each exec() takes the next name (None: Cancel)."""

    def __init__(self, monkeypatch, *names: str | None) -> None:
        from annotator.ui.dialogs import CoderDialog

        self.names, self.asked = list(names), 0

        def exec_(dialog):
            self.asked += 1
            name = self.names.pop(0)
            if name is None:
                return QDialog.DialogCode.Rejected
            dialog.edit.setText(name)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(CoderDialog, "exec", exec_)


def test_command_line_coder_holds_for_that_run_and_project_only(qtbot, two_projects, settings, monkeypatch):
    from annotator.ui.app import choose_coder

    a, b = (Project.open(p) for p in two_projects)
    answers = Answers(monkeypatch, "ben", "clara")
    assert choose_coder(a, settings, "  anna ") == "anna"
    assert answers.asked == 0
    assert choose_coder(b, settings) == "ben"  # another project: asked, not anna
    assert choose_coder(b, settings) == "ben" and answers.asked == 1  # remembered for b
    assert choose_coder(a, settings) == "clara"  # --coder anna was for that run only
    assert choose_coder(a, settings) == "clara" and choose_coder(b, settings) == "ben"
    assert answers.asked == 2
    a.close()
    b.close()


def test_the_dialog_lists_the_projects_coders_and_asks_again_for_an_empty_name(qtbot, demo_copy, settings):
    from annotator.ui.app import ask_coder, choose_coder

    seen = {}

    def play():
        dialog = QApplication.activeModalWidget()
        seen["list"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.edit.clear()
        dialog.ok.click()  # an empty name
        seen["still open"] = dialog.isVisible()
        seen["message"] = dialog.message.text()
        dialog.edit.setText("  lead ")
        dialog.ok.click()

    with Project.open(demo_copy) as project:
        QTimer.singleShot(0, play)
        assert ask_coder(project, settings) == "lead"
        assert choose_coder(project, settings) == "lead"  # remembered for this project
    assert seen["list"] == ["anna — 25 of 29 documents done", "ben — 24 of 29 documents done",
                            "clara — 23 of 29 documents done"]  # fmt: skip
    assert seen["still open"] and "Enter a name" in seen["message"]


def test_cancel_opens_no_workbench_and_a_choice_is_shown_prominently(qtbot, demo_copy, settings, monkeypatch):
    from annotator.ui.app import open_workbench

    Answers(monkeypatch, None, "ben")
    assert open_workbench(str(demo_copy), settings=settings) is None
    window = open_workbench(str(demo_copy), settings=settings)
    qtbot.addWidget(window)
    assert window.coder == "ben" and window.project.acting_coder == "ben"
    assert "— ben —" in window.windowTitle()
    assert window.coder_label.text() == "Coding as ben" and window.coder_label.isVisible()
    window.close()
