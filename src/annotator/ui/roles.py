"""What a coder's window offers: the lead's tools only to the lead.

A coder in a blind study should not see others' work through the app's own windows; on a server
the database refuses it anyway, in a project file only the app can keep it. See `Project.may_lead`.
"""

from __future__ import annotations

from .i18n import t

# Dashboards, the side-by-side comparison (opened from the dashboard), adjudication, the study's
# reliability workbook and the project-wide "show others' labels" switch.
LEAD_ONLY_ACTIONS = ("view.dashboard", "code.adjudicate", "file.export_reliability", "view.others")


def apply_roles(registry, may_lead: bool) -> None:
    for action_id in LEAD_ONLY_ACTIONS:
        action = registry.actions.get(action_id)
        if action is None:
            continue
        action.setEnabled(may_lead)
        if not may_lead:
            action.setToolTip(t("Only the study's lead can do this."))
            action.setStatusTip(t("Only the study's lead can do this."))
