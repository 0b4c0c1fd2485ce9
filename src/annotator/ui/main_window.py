"""The workbench window: document list | article | codebook, all driven from the action registry.

This class wires widgets to the project API and the undo history; it holds no SQL and no statistics.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from ..domain import Annotation, CategoryKind, Document, Status
from ..errors import AnnotationError, AnnotatorError
from ..history import AddSpan, Change, DeleteSpan, History, SetDocumentLabel, UpdateSpan
from ..project import Project
from ..spans import snap_to_words, trim_whitespace
from .roles import apply_roles
from . import file_dialogs
from .actions import MENUS, ActionRegistry, ActionSpec
from .article_view import ArticleView, Mark
from .codebook_panel import CodebookPanel
from .coding_clock import CodingClock
from .dialogs import ImportReportDialog, NoteDialog, ShortcutsDialog, show_error
from .document_list import DocumentList
from .i18n import t
from .palette import PALETTES, apply_palette
from .suggestion_actions import SuggestionActions, suggestion_mark
from .workers import Worker


class MainWindow(SuggestionActions, QMainWindow):
    def __init__(self, project: Project, coder: str, settings: QSettings | None = None) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.project.act_as(coder)  # a coder writes only their own labels
        self.settings = settings or QSettings()
        self.history = History(project)
        self.registry = ActionRegistry(self.settings)
        self.document: Document | None = None
        self.mine: dict[int, Annotation] = {}
        self.current_span: int | None = None
        self.pending = {}
        self.others: dict[int, Annotation] = {}
        self.compare_coders: list[str] = []
        self.current_suggestion = None
        self.clock = CodingClock()  # time counts from the first coding action, not from looking
        self.workers: list[Worker] = []

        self.setObjectName("workbench")
        self.setWindowTitle(f"{coder} — annotator")  # with the document's title once one is open
        self.doc_list = DocumentList()
        self.view = ArticleView()
        self.view.setObjectName("article_view")
        self.panel = CodebookPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        # The article, and beside it (only when comparing) other coders' labels on the same text, read-only.
        self.compare_view = ArticleView()
        self.compare_view.setObjectName("compare_view")
        self.compare_title = QLabel()
        compare_box = QWidget()
        box = QVBoxLayout(compare_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.compare_title)
        box.addWidget(self.compare_view)
        self.compare_box = compare_box
        self.compare_box.hide()
        self.article_split = QSplitter(Qt.Orientation.Horizontal)
        self.article_split.addWidget(self.view)
        self.article_split.addWidget(self.compare_box)
        self.view.verticalScrollBar().valueChanged.connect(self.compare_view.verticalScrollBar().setValue)
        for w in (self.doc_list, self.article_split, self.panel):
            self.splitter.addWidget(w)
        self.splitter.setSizes([360, 820, 340])
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.coder_label = QLabel()  # who writes, always in sight
        self.coder_label.setObjectName("coder_label")
        self.coder_label.setStyleSheet("background:#1565c0; color:white; font-weight:bold; padding:2px 8px;")
        self.statusBar().addPermanentWidget(self.coder_label)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress_label")
        self.statusBar().addPermanentWidget(self.progress_label)

        self.may_lead = self.project.may_lead(self.coder)
        self._declare_actions()
        self._declare_suggestion_actions()
        self._load_codebook()
        self._build_menus()
        self.doc_list.document_chosen.connect(self.open_document)
        self.doc_list.search_requested.connect(self._search)
        self.view.marks_clicked.connect(self._clicked_at)
        self.panel.category_activated.connect(self.apply_category)
        self.panel.document_code_changed.connect(self.set_document_code)
        self.panel.span_activated.connect(self.select_span)

        self.refresh_documents()
        self._restore_state()
        # Escape in the search field hands the keyboard back to the article.
        QShortcut(QKeySequence("Escape"), self.doc_list.search, self.view.setFocus, Qt.ShortcutContext.WidgetShortcut)
        self.view.setFocus()
        self.autosave = QTimer(self)
        self.autosave.timeout.connect(self._flush_time)
        self.autosave.start(60_000)
        # Teams share one database: notice the others' progress without a restart.
        self.team_label = QLabel()
        self.team_label.setObjectName("team_label")
        self.statusBar().addPermanentWidget(self.team_label)
        self.poll = QTimer(self)
        self.poll.timeout.connect(self.refresh_from_others)
        self.poll.start(15_000)
        self.refresh_from_others()

    # --- actions ----------------------------------------------------------------------------------

    def _declare_actions(self) -> None:
        add = self.registry.add
        add(ActionSpec("file.open", "Open project…", "Ctrl+O", self.choose_project, "File"))
        add(ActionSpec("file.import", "Import articles…", "Ctrl+I", self.import_dialog, "File"))
        add(ActionSpec("file.switch_coder", "Switch coder…", "", self.switch_coder, "File"))
        add(ActionSpec("file.export_reliability", "Export reliability workbook…", "Ctrl+Shift+E", self.export_reliability, "File"))
        add(ActionSpec("file.quit", "Quit", "Ctrl+Q", self.close, "File"))
        add(ActionSpec("edit.undo", "Undo", "Ctrl+Z", self.undo, "Edit"))
        add(ActionSpec("edit.redo", "Redo", "Ctrl+Shift+Z", self.redo, "Edit", extra_keys=("Ctrl+Y",)))
        add(ActionSpec("edit.delete", "Delete label", "Del", self.delete_span, "Edit", extra_keys=("Backspace",)))
        add(ActionSpec("edit.note", "Edit note of label…", "N", self.edit_note, "Edit"))
        add(ActionSpec("edit.shortcuts", "Keyboard shortcuts…", "Ctrl+K", self.shortcuts_dialog, "Edit"))
        add(ActionSpec("code.done_next", "Mark done and go to next undone", "Ctrl+Return", self.done_and_next, "Code"))
        add(ActionSpec("code.adjudicate", "Adjudicate disagreements (gold layer)…", "Ctrl+Shift+G", self.open_curation, "Code"))
        add(ActionSpec("view.dashboard", "Agreement dashboard…", "Ctrl+Shift+R", self.open_dashboard, "View"))
        add(ActionSpec("code.reopen", "Mark in progress", "Ctrl+Shift+Return", self.mark_in_progress, "Code"))
        add(ActionSpec("nav.next_span", "Next label", "]", lambda: self.step_span(1), "Navigate"))
        add(ActionSpec("nav.prev_span", "Previous label", "[", lambda: self.step_span(-1), "Navigate"))
        add(ActionSpec("nav.next_doc", "Next document", "Ctrl+Down", lambda: self.step_document(1), "Navigate"))
        add(ActionSpec("nav.prev_doc", "Previous document", "Ctrl+Up", lambda: self.step_document(-1), "Navigate"))
        add(ActionSpec("nav.next_undone", "Next undone document", "Ctrl+Shift+Down", self.next_undone, "Navigate"))
        add(ActionSpec("nav.search", "Search documents", "Ctrl+F", self._focus_search, "Navigate"))
        add(ActionSpec("nav.text", "Focus article text", "F6", self.view.setFocus, "Navigate"))
        add(ActionSpec("view.zoom_in", "Larger text", "Ctrl++", lambda: self.zoom(1.1), "View", extra_keys=("Ctrl+=",)))
        add(ActionSpec("view.zoom_out", "Smaller text", "Ctrl+-", lambda: self.zoom(1 / 1.1), "View"))
        for name in PALETTES:
            add(ActionSpec(f"view.palette.{name}", PALETTES[name].title, "", lambda n=name: self.set_palette(n), "View"))
        add(ActionSpec("view.compare_close", "Close the side-by-side comparison", "Ctrl+Shift+W", self.close_comparison, "View"))
        add(ActionSpec("view.others", "Show other coders' labels (read-only)", "", self.toggle_others, "View", checkable=True))
        add(ActionSpec("view.snap", "Snap selections to whole words", "", self.toggle_snap, "View", checkable=True))
        add(ActionSpec("view.lang.de", "Deutsch", "", lambda: self.set_language("de"), "View"))
        add(ActionSpec("view.lang.en", "English", "", lambda: self.set_language("en"), "View"))
        add(ActionSpec("help.keys", "Keyboard reference", "F1", self.keyboard_reference, "Help"))

    def _load_codebook(self) -> None:
        """(Re)declare one action per category so codebook keys share the conflict check."""
        self.registry.remove_categories()
        self.categories = {c.id: c for c in self.project.categories()}
        self.colours = {c.id: c.colour for c in self.categories.values()}
        for c in self.categories.values():
            if c.kind is CategoryKind.SPAN:
                spec = ActionSpec(f"code.{c.id}", c.name, c.key or "", lambda cid=c.id: self.apply_category(cid), "Code", is_category=True)
            else:
                spec = ActionSpec(f"doccode.{c.id}", c.name, c.key or "", lambda cid=c.id: self.cycle_document_code(cid), "Code", is_category=True)
            self.registry.add(spec)
        self.registry.create_actions(self)
        apply_roles(self.registry, self.may_lead)
        keys = {cid: self.registry.key_for(f"{'code' if c.is_span else 'doccode'}.{cid}") for cid, c in self.categories.items()}
        self.panel.set_codebook(list(self.categories.values()), keys)
        self.view.set_colours(self.colours)
        conflicts = self.registry.conflicts()
        if conflicts:
            clash = ", ".join(f"{k}: {' / '.join(v)}" for k, v in conflicts.items())
            self.statusBar().showMessage(t("Shortcut conflict, fix it in Edit > Keyboard shortcuts:") + " " + clash, 15000)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        for menu_name in MENUS:
            menu = bar.addMenu(t(menu_name))
            menu.setObjectName(f"menu_{menu_name.lower()}")
            for action in self.registry.in_menu(menu_name):
                menu.addAction(action)
        self.registry.actions["view.others"].setChecked(self.project.settings().show_others_labels)
        self.registry.actions["view.snap"].setChecked(self.snap_enabled())
        self.registry.actions["sugg.toggle"].setChecked(self.project.settings().suggestions_enabled)

    # --- documents --------------------------------------------------------------------------------

    def refresh_documents(self) -> None:
        rows = self.project.list_documents(coder=self.coder)
        self.doc_list.set_documents(rows)
        self._update_progress(rows)

    def refresh_from_others(self) -> None:
        """Re-read what other sessions changed: document statuses, team progress, others' labels."""
        info = self.project.info()
        others = [f"{c} {n}" for c, n in sorted(info.done_by_coder.items()) if c != self.coder]  # not lookers
        self.team_label.setText((t("Team done:") + " " + " · ".join(others)) if others else "")
        rows = self.project.list_documents(coder=self.coder)
        if [(r.id, r.status, r.label_count) for r in rows] != [(r.id, r.status, r.label_count) for r in self.doc_list.model.rows]:
            current = self.document.id if self.document else None
            self.doc_list.set_documents(rows)
            self._update_progress(rows)
            if current is not None:
                self.doc_list.select_document(current)
        if self.document is not None and self.project.settings().show_others_labels:
            before, self.others = self.others, self._load_others()
            for aid in set(before) | set(self.others):  # redraw only what changed: no jump in the text
                old, new = before.get(aid), self.others.get(aid)
                if old != new:
                    self.view.replace_mark(aid, Mark(new.id, new.start, new.end, new.category, "other") if new else None)

    def _update_progress(self, rows=None) -> None:
        rows = rows if rows is not None else self.doc_list.model.rows
        done = sum(1 for r in rows if r.status is Status.DONE)
        self.coder_label.setText(t("Coding as {coder}").format(coder=self.coder))
        self.progress_label.setText(
            t("{coder}: {done}/{total} done").format(coder=self.coder, done=done, total=len(rows))
        )

    def open_document(self, document_id: int) -> None:
        if self.document is not None and self.document.id == document_id:
            return
        self._flush_time()
        self.document = self.project.document(document_id)
        self.current_span = None
        self.current_suggestion = None
        self._reload_marks(full=True)
        self.panel.set_document_codes({l.category: l.value for l in self.project.document_labels(document_id, self.coder)})
        self.doc_list.select_document(document_id)
        self.settings.setValue(f"last_document/{self.project.location}", document_id)
        self.setWindowTitle(f"{self.document.title or self.document.external_id or ''} — {self.coder} — annotator")
        self.clock.start(document_id)
        self._show_comparison()
        if not self.doc_list.search.hasFocus():
            self.view.setFocus()

    def _marks(self) -> list[Mark]:
        assert self.document is not None
        marks = [Mark(a.id, a.start, a.end, a.category) for a in self.mine.values()]
        self.others = self._load_others()
        marks += [Mark(a.id, a.start, a.end, a.category, "other") for a in self.others.values()]
        marks += [suggestion_mark(s) for s in self.pending.values()]
        return marks

    def _load_others(self) -> dict[int, Annotation]:
        if self.document is None:
            return {}
        if self.project.settings().show_others_labels:
            return {a.id: a for a in self.project.annotations(self.document.id) if a.coder != self.coder}
        return {}

    def _reload_marks(self, full: bool = False) -> None:
        """Re-read this coder's labels; redraw everything (new document) or only what changed."""
        assert self.document is not None
        before, before_pending = self.mine, self.pending
        self.mine = {a.id: a for a in self.project.annotations(self.document.id, coder=self.coder)}
        self.pending = self._load_pending()
        if full:
            self.view.show_document(self.document.text, self.document.zones, self._marks())
        else:
            for aid in set(before) | set(self.mine):
                old, new = before.get(aid), self.mine.get(aid)
                if old != new:
                    self.view.replace_mark(aid, Mark(new.id, new.start, new.end, new.category) if new else None)
            for sid in set(before_pending) ^ set(self.pending):
                s = self.pending.get(sid)
                self.view.replace_mark(-sid, suggestion_mark(s) if s else None)
        if self.current_suggestion not in self.pending:
            self.current_suggestion = None
        ordered = sorted(self.mine.values(), key=lambda a: (a.start, a.end, a.id))
        self.panel.set_spans(ordered, self.colours)
        if self.current_span not in self.mine:
            self.current_span = None
        self._show_current()
        self._update_row()

    def _update_row(self) -> None:
        if self.document is None:
            return
        status, seconds = self.project.status(self.document.id, self.coder)
        for row in self.doc_list.model.rows:
            if row.id == self.document.id:
                self.doc_list.model.update_row(replace(row, status=status, label_count=len(self.mine), seconds=seconds))
        self._update_progress()

    def step_document(self, step: int) -> None:
        ids = self.doc_list.visible_ids()
        if not ids:
            return
        if self.document is None or self.document.id not in ids:
            self.open_document(ids[0])
            return
        i = ids.index(self.document.id) + step
        if 0 <= i < len(ids):
            self.open_document(ids[i])

    def next_undone(self) -> None:
        rows = self.doc_list.model.rows
        ids = [r.id for r in rows]
        start = ids.index(self.document.id) + 1 if self.document and self.document.id in ids else 0
        for r in rows[start:] + rows[:start]:
            if r.status is not Status.DONE and (self.document is None or r.id != self.document.id):
                self.open_document(r.id)
                return
        self.statusBar().showMessage(t("Every document is done."), 5000)

    def done_and_next(self) -> None:
        if self.document is None:
            return
        self.clock.action()
        self.project.set_status(self.document.id, self.coder, Status.DONE, add_seconds=self.clock.pending())
        self.clock.saved()
        self._update_row()
        self.next_undone()

    def mark_in_progress(self) -> None:
        if self.document is not None:
            self.project.set_status(self.document.id, self.coder, Status.IN_PROGRESS)
            self.clock.action()
            self._update_row()

    def _flush_time(self) -> None:
        """Save the coding time so far; on a document not begun yet the project takes none (looking)."""
        doc, seconds = self.clock.document_id, self.clock.pending()
        if doc is not None and seconds >= 1 and self.project.add_time(doc, self.coder, seconds):
            self.clock.saved()

    def _search(self, text: str) -> None:
        ids = {d.id for d in self.project.list_documents(search=text)} if text else None
        self.doc_list.set_search_result(ids)

    def _focus_search(self) -> None:
        self.doc_list.search.setFocus()
        self.doc_list.search.selectAll()

    # --- labelling --------------------------------------------------------------------------------

    def snap_enabled(self) -> bool:
        return str(self.settings.value("snap_to_words", "true")).lower() == "true"

    def apply_category(self, category: str) -> None:
        """The category key: label the selection, or recategorise the current label."""
        if self.document is None:
            return
        selection = self.view.selection()
        if selection is None and self.current_suggestion is not None:
            self.accept_suggestion(category)  # change category before accepting
        elif selection is not None:
            text = self.document.text
            start, end = snap_to_words(text, *selection) if self.snap_enabled() else trim_whitespace(text, *selection)
            if start >= end:
                return
            self._run(AddSpan(self.document.id, self.coder, category, start, end))
            self.view.clear_selection()
            added = [a for a in self.mine.values() if (a.start, a.end, a.category) == (start, end, category)]
            if added:
                self.current_span = max(a.id for a in added)
                self._show_current()
        elif self.current_span is not None and self.mine[self.current_span].category != category:
            self._run(UpdateSpan(self.mine[self.current_span], category=category))
        else:
            self.statusBar().showMessage(t("Select text first, or move to a label with ] and [."), 4000)

    def delete_span(self) -> None:
        if self.current_span is None:
            return
        victim = self.mine[self.current_span]
        ordered = sorted(self.mine.values(), key=lambda a: (a.start, a.end, a.id))
        i = ordered.index(victim)
        self._run(DeleteSpan(victim))
        rest = [a for a in ordered if a.id != victim.id]
        self.current_span = rest[min(i, len(rest) - 1)].id if rest else None
        self._show_current()

    def edit_note(self) -> None:
        if self.current_span is None:
            return
        a = self.mine[self.current_span]
        dialog = NoteDialog(self, a.note, a.text)
        if dialog.exec():
            self._run(UpdateSpan(a, note=dialog.note() or None))

    def set_document_code(self, category: str, value: str | None) -> None:
        if self.document is not None:
            self._run(SetDocumentLabel(self.document.id, self.coder, category, value))

    def cycle_document_code(self, category: str) -> None:
        """The code's key steps through its values (then back to unset)."""
        if self.document is None:
            return
        values = [None, *self.categories[category].values]
        current = {l.category: l.value for l in self.project.document_labels(self.document.id, self.coder)}.get(category)
        nxt = values[(values.index(current) + 1) % len(values)]
        self._run(SetDocumentLabel(self.document.id, self.coder, category, nxt))
        self.statusBar().showMessage(f"{self.categories[category].name}: {nxt or '—'}", 3000)

    def _run(self, command) -> None:
        try:
            change = self.history.run(command)
        except AnnotationError as exc:  # a slip (a span into page furniture …): a line is enough
            self.statusBar().showMessage(str(exc), 6000)
            return
        except AnnotatorError as exc:  # the change was not stored (conflict, project trouble): say so clearly
            show_error(self, exc)
            return
        self.clock.action()
        self._apply_change(change)

    def undo(self) -> None:
        self._walk(self.history.undo)

    def redo(self) -> None:
        self._walk(self.history.redo)

    def _walk(self, step) -> None:
        try:
            change = step()
        except AnnotatorError as exc:
            show_error(self, exc)
            return
        if change is None:
            self.statusBar().showMessage(t("Nothing to undo or redo."), 3000)
            return
        if self.document is None or change.document_id != self.document.id:
            self.open_document(change.document_id)
        self.clock.action()
        self._apply_change(change)

    def _apply_change(self, change: Change) -> None:
        if self.document is None or change.document_id != self.document.id:
            return
        self._reload_marks()
        if change.document_labels:
            self.panel.set_document_codes({l.category: l.value for l in self.project.document_labels(self.document.id, self.coder)})

    # --- moving between labels --------------------------------------------------------------------

    def step_span(self, step: int) -> None:
        ordered = sorted(self.mine.values(), key=lambda a: (a.start, a.end, a.id))
        if not ordered:
            return
        if self.current_span is None:
            cursor = self.view.textCursor().position()
            after = [a for a in ordered if a.start >= cursor]
            target = (after[0] if after else ordered[0]) if step > 0 else ([a for a in ordered if a.start < cursor] or ordered)[-1]
        else:
            i = [a.id for a in ordered].index(self.current_span)
            target = ordered[(i + step) % len(ordered)]
        self.select_span(target.id)

    def select_span(self, annotation_id: int | None) -> None:
        self.current_suggestion = None
        self.current_span = annotation_id if annotation_id in self.mine else None
        self._show_current()

    def _show_current(self) -> None:
        if self.current_suggestion is not None and self.current_span is None:
            return
        a = self.mine.get(self.current_span) if self.current_span is not None else None
        self.view.set_current_mark(Mark(a.id, a.start, a.end, a.category) if a else None)
        self.panel.select_span(a.id if a else None)
        if a is not None:
            name = self.categories[a.category].name if a.category in self.categories else a.category
            self.statusBar().showMessage(f"{name}: «{a.text[:80]}»" + (f" — {a.note}" if a.note else ""), 5000)

    def _clicked_at(self, offset: int) -> None:
        hits = [a for a in self.mine.values() if a.start <= offset < a.end]
        if hits:
            self.select_span(min(hits, key=lambda a: a.end - a.start).id)
            return
        offered = [s for s in self.pending.values() if s.start <= offset < s.end]
        if offered:
            self.select_suggestion(min(offered, key=lambda s: s.end - s.start).id)
        else:
            self.select_span(None)

    # --- view -------------------------------------------------------------------------------------

    def zoom(self, factor: float) -> None:
        self.view.set_font_size(self.view.font_size() * factor)
        self.settings.setValue("font_size", self.view.font_size())

    def set_palette(self, name: str) -> None:
        apply_palette(name)
        self.view.set_palette_mode(dark=PALETTES[name].dark)
        self.settings.setValue("palette", name)

    def toggle_others(self) -> None:
        show = self.registry.actions["view.others"].isChecked()
        self.project.update_settings(show_others_labels=show)
        if self.document is not None:
            self._reload_marks(full=True)

    def set_language(self, language: str) -> None:
        from PySide6.QtWidgets import QApplication

        from .i18n import install_language

        install_language(QApplication.instance(), language)
        self.settings.setValue("language", language)
        self.registry.retranslate()
        self._build_menus()
        self._update_progress()

    def toggle_snap(self) -> None:
        self.settings.setValue("snap_to_words", "true" if self.registry.actions["view.snap"].isChecked() else "false")

    def shortcuts_dialog(self) -> None:
        ShortcutsDialog(self, self.registry).exec()
        keys = {cid: self.registry.key_for(f"{'code' if c.is_span else 'doccode'}.{cid}") for cid, c in self.categories.items()}
        self.panel.set_codebook(list(self.categories.values()), keys)

    def open_dashboard(self):
        from .dashboard import Dashboard

        self.dashboard = Dashboard(Project.open(self.project.location), self.settings)
        self.dashboard.open_document.connect(self.compare_document)
        self.dashboard.resize(1400, 900)
        self.dashboard.show()
        self.dashboard.compute()
        return self.dashboard

    def export_reliability(self, path: str | None = None):
        """The filters (as `annotator agreement`) and a file; the workbook is computed in a worker."""
        from .reliability_export import ReliabilityExportDialog

        self.export_dialog = ReliabilityExportDialog(self, path or "")
        self.export_dialog.open()
        return self.export_dialog

    def compare_document(self, document_id: int, coders: list[str]) -> None:
        """Open a document with the other coders' labels side by side with mine (theirs read-only)."""
        self.compare_coders = [c for c in coders if c != self.coder]
        self.document = None
        self.open_document(document_id)
        self.raise_()
        self.activateWindow()

    def _show_comparison(self) -> None:
        if not self.compare_coders or self.document is None:
            self.compare_box.hide()
            return
        theirs = self.project.annotations(self.document.id, coders=self.compare_coders)
        self.compare_title.setText(t("Read-only: labels of {coders}").format(coders=", ".join(self.compare_coders)))
        self.compare_view.set_colours(self.colours)
        self.compare_view.show_document(self.document.text, self.document.zones, [Mark(a.id, a.start, a.end, a.category) for a in theirs])
        self.compare_view.set_font_size(self.view.font_size())
        self.compare_box.show()

    def close_comparison(self) -> None:
        self.compare_coders = []
        self.compare_box.hide()

    def open_curation(self):
        from .curation import CurationWindow

        self.curation = CurationWindow(Project.open(self.project.location), self.settings)
        self.curation.resize(1400, 900)
        self.curation.show()
        return self.curation

    def keyboard_reference(self) -> None:
        """Help generated from the registry: it can never disagree with the real keys."""
        rows = []
        for menu in MENUS:
            for aid, spec in self.registry.specs.items():
                if spec.menu == menu and self.registry.key_for(aid):
                    rows.append(f"<tr><td>{t(menu)}</td><td>{spec.text()}</td><td><b>{self.registry.key_for(aid)}</b></td></tr>")
        box = QMessageBox(self)
        box.setWindowTitle(t("Keyboard reference"))
        box.setText("<table cellspacing=6>" + "".join(rows) + "</table>")
        self.last_help = box
        box.open()

    # --- files ------------------------------------------------------------------------------------

    def choose_project(self) -> None:
        path = file_dialogs.open_file_name(self, t("Open project"), "", t("annotator projects (*.db)"))
        if path:
            from .app import open_workbench

            if open_workbench(path, settings=self.settings) is not None:  # the coder is chosen for that project
                self.close()

    def switch_coder(self) -> None:
        from .app import switch_coder

        switch_coder(self)

    def import_dialog(self) -> None:
        path = file_dialogs.existing_directory(self, t("Import a folder of articles"))
        if path:
            self.start_import(path)

    def start_import(self, path: str) -> Worker:
        project_location = self.project.location

        def job(progress, cancelled):
            # A separate connection for the worker thread; the GUI keeps its own.
            with Project.open(project_location) as p:
                return p.import_corpus(path, progress=lambda n, f="": progress(n, f), cancel=cancelled)

        worker = Worker(self, t("Importing articles"), job)
        worker.done.connect(lambda report: self._import_done(path, report))
        worker.error.connect(lambda exc: show_error(self, exc))
        self.workers.append(worker)
        worker.start()
        return worker

    def _import_done(self, path: str, report) -> None:
        self.refresh_documents()
        self.last_import_dialog = ImportReportDialog(self, Path(path).name, report)
        self.last_import_dialog.open()

    # --- state ------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.view.set_font_size(float(self.settings.value("font_size", 12.0)))
        palette = str(self.settings.value("palette", "light"))
        if palette in PALETTES:
            self.set_palette(palette)
        last = self.settings.value(f"last_document/{self.project.location}")
        ids = self.doc_list.visible_ids()
        target = int(last) if last is not None and int(last) in ids else (ids[0] if ids else None)
        if target is not None:
            self.open_document(target)

    def closeEvent(self, event) -> None:  # noqa: N802
        self._flush_time()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)
