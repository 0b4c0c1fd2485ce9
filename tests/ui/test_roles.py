"""A coder's window offers no window onto others' work once the study has a named lead."""

from __future__ import annotations

from annotator.ui.main_window import MainWindow
from annotator.ui.roles import LEAD_ONLY_ACTIONS


def _window(qtbot, project, coder, settings):
    w = MainWindow(project, coder, settings)
    qtbot.addWidget(w)
    return w


def test_lead_tools_are_the_leads_alone(qtbot, article_project, settings):
    article_project.set_member("lea", "lead")
    article_project.set_member("anna", "coder")
    coder = _window(qtbot, article_project, "anna", settings)
    assert all(not coder.registry.actions[a].isEnabled() for a in LEAD_ONLY_ACTIONS)
    coder.registry.actions["view.dashboard"].trigger()
    assert getattr(coder, "dashboard", None) is None
    lead = _window(qtbot, article_project, "lea", settings)
    assert all(lead.registry.actions[a].isEnabled() for a in LEAD_ONLY_ACTIONS)


def test_a_project_without_a_named_lead_keeps_everything_open(qtbot, article_project, settings):
    alone = _window(qtbot, article_project, "anna", settings)
    assert all(alone.registry.actions[a].isEnabled() for a in LEAD_ONLY_ACTIONS)
