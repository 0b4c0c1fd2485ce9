"""Suggestions in the workbench: shown dashed, never labels until accepted; one key to accept or reject.

A mixin of MainWindow, kept apart so each file reads in one sitting.
"""

from __future__ import annotations

from ..domain import Suggestion
from ..history import AcceptSuggestions, RejectSuggestion
from ..project import Project
from .actions import ActionSpec
from .article_view import Mark
from .dialogs import show_error
from .i18n import t
from .workers import Worker


def suggestion_mark(s: Suggestion) -> Mark:
    return Mark(-s.id, s.start, s.end, s.category, "suggestion")  # negative keys: never an annotation id


class SuggestionActions:
    pending: dict[int, Suggestion]
    current_suggestion: int | None

    def _declare_suggestion_actions(self) -> None:
        add = self.registry.add
        add(ActionSpec("sugg.next", "Next suggestion", ".", lambda: self.step_suggestion(1), "Code"))
        add(ActionSpec("sugg.prev", "Previous suggestion", ",", lambda: self.step_suggestion(-1), "Code"))
        add(ActionSpec("sugg.accept", "Accept suggestion", "A", self.accept_suggestion, "Code"))
        add(ActionSpec("sugg.reject", "Reject suggestion", "X", self.reject_suggestion, "Code"))
        add(ActionSpec("sugg.accept_all", "Accept all suggestions of this category here", "Shift+A", self.accept_all_of_category, "Code"))
        add(ActionSpec("sugg.run", "Run the suggester on all documents", "Ctrl+Shift+S", self.run_suggester, "Code"))
        add(ActionSpec("sugg.train", "Train a span model on the coders' labels…", "", self.train_model, "Code"))
        add(ActionSpec("sugg.toggle", "Suggestions on in this project", "", self.toggle_suggestions, "Code", checkable=True))

    def train_model(self) -> Worker:
        """Learn from the labels so far (spaCy spancat); the model then suggests beside the rules."""
        location = self.project.location

        def job(progress, cancelled):
            from pathlib import Path

            from ..nlp.train import train_span_model

            with Project.open(location) as p:
                report = train_span_model(p, progress=lambda done, total=None: progress(done, ""), cancel=cancelled)
                if report.output_dir is not None and not report.cancelled:
                    p.update_settings(model_dir=str(Path(report.output_dir).resolve()))
                return report

        worker = Worker(self, t("Training a span model"), job)
        worker.done.connect(self._training_done)
        worker.error.connect(lambda exc: show_error(self, exc))
        self.workers.append(worker)
        worker.start()
        return worker

    def _training_done(self, report) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle(t("Span model"))
        box.setText("<pre>" + "\n".join([report.summary(), *report.score_table()]) + "</pre>")
        self.last_training_box = box
        box.open()

    def toggle_suggestions(self) -> None:
        """A project setting (recorded in every export): off for designs that need unprimed coders."""
        on = self.registry.actions["sugg.toggle"].isChecked()
        self.project.update_settings(suggestions_enabled=on)
        if self.document is not None:
            self._reload_marks(full=True)

    def suggestions_on(self) -> bool:
        return self.project.settings().suggestions_enabled

    def _load_pending(self) -> dict[int, Suggestion]:
        if self.document is None or not self.suggestions_on():
            return {}
        return {s.id: s for s in self.project.suggestions.pending(self.document.id, self.coder)}

    def step_suggestion(self, step: int) -> None:
        ordered = sorted(self.pending.values(), key=lambda s: (s.start, s.end, s.id))
        if not ordered:
            self.statusBar().showMessage(t("No open suggestions in this document."), 3000)
            return
        if self.current_suggestion in self.pending:
            i = [s.id for s in ordered].index(self.current_suggestion)
            target = ordered[(i + step) % len(ordered)]
        else:
            cursor = self.view.textCursor().position()
            after = [s for s in ordered if s.start >= cursor]
            target = (after[0] if after else ordered[0]) if step > 0 else ([s for s in ordered if s.start < cursor] or ordered)[-1]
        self.select_suggestion(target.id)

    def select_suggestion(self, suggestion_id: int | None) -> None:
        self.current_span = None
        self.current_suggestion = suggestion_id if suggestion_id in self.pending else None
        s = self.pending.get(self.current_suggestion) if self.current_suggestion is not None else None
        self.view.set_current_mark(suggestion_mark(s) if s else None)
        self.panel.select_span(None)
        if s is not None:
            name = self.categories[s.category].name if s.category in self.categories else s.category
            why = s.extra.get("speaker") or ""
            if s.rule_id.startswith("model:"):  # a learned suggestion: say so, with its score
                why = t("model, score {score}").format(score=f"{float(s.extra.get('score', 0)):.2f}")
            self.statusBar().showMessage(
                t("Suggestion") + f" — {name}: «{s.text[:80]}»  [{s.rule_id}{' · ' + why if why else ''}]  "
                + t("A accept · X reject · category key: accept as that category"), 8000
            )

    def accept_suggestion(self, category: str | None = None) -> None:
        s = self.pending.get(self.current_suggestion) if self.current_suggestion is not None else None
        if s is None:
            return
        nxt = self._next_after(s)
        self._run(AcceptSuggestions([s], self.coder, category))
        self.select_suggestion(nxt)

    def reject_suggestion(self) -> None:
        s = self.pending.get(self.current_suggestion) if self.current_suggestion is not None else None
        if s is None:
            return
        nxt = self._next_after(s)
        self._run(RejectSuggestion(s, self.coder))
        self.select_suggestion(nxt)

    def accept_all_of_category(self) -> None:
        s = self.pending.get(self.current_suggestion) if self.current_suggestion is not None else None
        if s is None:
            return
        same = [x for x in self.pending.values() if x.category == s.category]
        self._run(AcceptSuggestions(sorted(same, key=lambda x: x.start), self.coder, label="accept all suggestions"))
        self.statusBar().showMessage(t("{n} suggestions accepted.").format(n=len(same)), 4000)

    def _next_after(self, s: Suggestion) -> int | None:
        ordered = sorted(self.pending.values(), key=lambda x: (x.start, x.end, x.id))
        later = [x for x in ordered if (x.start, x.end, x.id) > (s.start, s.end, s.id)]
        return later[0].id if later else None

    def run_suggester(self) -> Worker | None:
        if not self.suggestions_on():
            self.statusBar().showMessage(t("Suggestions are switched off for this project."), 5000)
            return None
        location = self.project.location

        def job(progress, cancelled):
            from ..nlp.project_run import run_suggester

            with Project.open(location) as p:
                settings = p.settings()
                return run_suggester(p, patterns_dir=settings.patterns_dir or None, outlets_file=settings.outlets_file or None,
                                     model_dir=settings.model_dir or None,
                                     progress=lambda done, total=None: progress(done, ""), cancel=cancelled)  # fmt: skip

        worker = Worker(self, t("Finding suggestions"), job, total=self.project.document_count())
        worker.done.connect(self._suggester_done)
        worker.error.connect(lambda exc: show_error(self, exc))
        self.workers.append(worker)
        worker.start()
        return worker

    def _suggester_done(self, report) -> None:
        self.statusBar().showMessage(report.summary(), 8000)
        if self.document is not None:
            self._reload_marks(full=True)
