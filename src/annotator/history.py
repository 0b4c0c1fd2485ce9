"""Undo/redo over the project API. Every step is committed when done, undone or redone.

Each user change is a small command object that knows how to apply and revert itself through
`Project`; the stack lives in the core so the CLI, tests and any window share one behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .domain import Annotation, Origin, Suggestion
from .project import Project


@dataclass(frozen=True)
class Change:
    """What a step touched, so a view can redraw only that."""

    document_id: int
    annotation_ids: tuple[int, ...] = ()
    ranges: tuple[tuple[int, int], ...] = ()  # character ranges whose highlighting changed
    document_labels: bool = False
    suggestions: bool = False


class Command(Protocol):
    label: str

    def do(self, project: Project) -> Change: ...

    def undo(self, project: Project) -> Change: ...


@dataclass
class AddSpan:
    document_id: int
    coder: str
    category: str
    start: int
    end: int
    note: str | None = None
    origin: Origin = Origin.MANUAL
    label: str = "add label"
    created: Annotation | None = field(default=None, init=False)

    def do(self, project: Project) -> Change:
        if self.created is None:
            self.created = project.add_annotation(
                self.document_id, self.coder, self.category, self.start, self.end, self.note, self.origin
            )
        else:  # redo: bring back the very same row
            self.created = project.restore_annotation(self.created)
        return Change(self.document_id, (self.created.id,), ((self.start, self.end),))

    def undo(self, project: Project) -> Change:
        assert self.created is not None
        self.created = project.delete_annotation(self.created.id)
        return Change(self.document_id, (self.created.id,), ((self.start, self.end),))


@dataclass
class DeleteSpan:
    annotation: Annotation
    label: str = "delete label"

    def do(self, project: Project) -> Change:
        self.annotation = project.delete_annotation(self.annotation.id)
        a = self.annotation
        return Change(a.document_id, (a.id,), ((a.start, a.end),))

    def undo(self, project: Project) -> Change:
        self.annotation = project.restore_annotation(self.annotation)
        a = self.annotation
        return Change(a.document_id, (a.id,), ((a.start, a.end),))


_KEEP = object()


@dataclass
class UpdateSpan:
    """Change category, bounds or note of one span; remembers the old values to revert."""

    before: Annotation
    category: str | None = None
    start: int | None = None
    end: int | None = None
    note: object = _KEEP
    label: str = "change label"
    after: Annotation | None = field(default=None, init=False)

    def do(self, project: Project) -> Change:
        kwargs = {"category": self.category, "start": self.start, "end": self.end}
        if self.note is not _KEEP:
            kwargs["note"] = self.note
        self.after = project.update_annotation(self.before.id, **kwargs)
        return self._change(self.after)

    def undo(self, project: Project) -> Change:
        b = self.before
        project.update_annotation(b.id, category=b.category, start=b.start, end=b.end, note=b.note)
        return self._change(self.after)

    def _change(self, after: Annotation | None) -> Change:
        b = self.before
        ranges = ((b.start, b.end),) + (((after.start, after.end),) if after else ())
        return Change(b.document_id, (b.id,), ranges)


@dataclass
class SetDocumentLabel:
    document_id: int
    coder: str
    category: str
    value: str | None
    label: str = "set document code"
    previous: str | None = field(default=None, init=False)

    def do(self, project: Project) -> Change:
        current = {l.category: l.value for l in project.document_labels(self.document_id, self.coder)}
        self.previous = current.get(self.category)
        project.set_document_label(self.document_id, self.coder, self.category, self.value)
        return Change(self.document_id, document_labels=True)

    def undo(self, project: Project) -> Change:
        project.set_document_label(self.document_id, self.coder, self.category, self.previous)
        return Change(self.document_id, document_labels=True)


class History:
    """An undo stack. `run` applies a command; `undo`/`redo` walk the stack."""

    def __init__(self, project: Project, limit: int = 1000) -> None:
        self.project = project
        self.limit = limit
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def run(self, command: Command) -> Change:
        change = command.do(self.project)
        self._done.append(command)
        del self._done[: -self.limit]
        self._undone.clear()
        return change

    def undo(self) -> Change | None:
        if not self._done:
            return None
        command = self._done.pop()
        change = command.undo(self.project)
        self._undone.append(command)
        return change

    def redo(self) -> Change | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        change = command.do(self.project)
        self._done.append(command)
        return change

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_text(self) -> str:
        return self._done[-1].label if self._done else ""

    def redo_text(self) -> str:
        return self._undone[-1].label if self._undone else ""

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()


@dataclass
class AcceptSuggestions:
    """Accept one or several suggestions (optionally as another category); undo takes them all back."""

    suggestions: list[Suggestion]
    coder: str
    category: str | None = None
    label: str = "accept suggestion"
    created: list[Annotation] = field(default_factory=list, init=False)

    def do(self, project: Project) -> Change:
        self.created = [project.suggestions.accept(s, self.coder, self.category) for s in self.suggestions]
        return self._change()

    def undo(self, project: Project) -> Change:
        for s, a in zip(self.suggestions, self.created):
            project.delete_annotation(a.id)
            project.suggestions.forget(s, self.coder)
        return self._change()

    def _change(self) -> Change:
        doc = self.suggestions[0].document_id
        return Change(doc, tuple(a.id for a in self.created), tuple((s.start, s.end) for s in self.suggestions), suggestions=True)


@dataclass
class RejectSuggestion:
    suggestion: Suggestion
    coder: str
    label: str = "reject suggestion"

    def do(self, project: Project) -> Change:
        project.suggestions.reject(self.suggestion, self.coder)
        return Change(self.suggestion.document_id, (), ((self.suggestion.start, self.suggestion.end),), suggestions=True)

    def undo(self, project: Project) -> Change:
        project.suggestions.forget(self.suggestion, self.coder)
        return Change(self.suggestion.document_id, (), ((self.suggestion.start, self.suggestion.end),), suggestions=True)
