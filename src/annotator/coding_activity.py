"""Who has coded: the coders a statistic, a progress list or a filter may name.

A coder row is made the moment someone opens the workbench under a name, and older versions
recorded time and "in progress" for merely looking at a document. Neither is coding. A member
counts as a coder of a document once they left a trace of a decision on it: a span label, a
document code, a suggestion accepted or rejected, or the document marked done (a coder may find
nothing to mark).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .domain import Status

if TYPE_CHECKING:
    from .project import Project


def coders_who_coded(project: Project, document_ids: Iterable[int] | None = None) -> list[str]:
    """Names, in name order, of the coders with a decision on ``document_ids`` (default: any document).

    Gold coders are listed like the others; callers that leave the gold layer out do so themselves.
    """
    scope = None if document_ids is None else set(document_ids)

    def inside(document_id: int) -> bool:
        return scope is None or document_id in scope

    found = {coder for (doc, coder), (status, _) in project.statuses().items() if status is Status.DONE and inside(doc)}
    found |= {lab.coder for lab in project.document_labels() if inside(lab.document_id)}
    found |= {row[0] for row in project.suggestions.decisions() if inside(row[1])}
    names = [c.name for c in project.coders()]
    for name in names:  # span labels last, one coder at a time: the largest table, read only where needed
        if name not in found and any(inside(a.document_id) for a in project.annotations(coder=name)):
            found.add(name)
    return [name for name in names if name in found]
