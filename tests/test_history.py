"""Undo/redo in the core: every step is committed as it happens."""

from __future__ import annotations

from annotator.history import AcceptSuggestions, AddSpan, DeleteSpan, History, RejectSuggestion, SetDocumentLabel, UpdateSpan
from annotator.project.suggestions import NewSuggestion


def test_add_change_delete_and_codes_undo_and_redo(article_project):
    p = article_project
    doc = p.document_id_for("drohnen")
    text = p.document(doc).text
    at = text.index("Beobachter")
    h = History(p)
    h.run(AddSpan(doc, "anna", "hedge", at, at + 10))
    [a] = p.annotations(doc, coder="anna")
    h.run(UpdateSpan(a, category="unnamed_source", note="ohne Namen"))
    h.run(SetDocumentLabel(doc, "anna", "tone", "neutral"))
    h.run(DeleteSpan(p.annotations(doc, coder="anna")[0]))
    assert p.annotations(doc) == []
    h.undo()
    assert [(x.category, x.note) for x in p.annotations(doc)] == [("unnamed_source", "ohne Namen")]
    h.undo()
    assert p.document_labels(doc) == []
    h.undo()
    assert [(x.category, x.note) for x in p.annotations(doc)] == [("hedge", None)]
    h.undo()
    assert p.annotations(doc) == [] and not h.can_undo
    for _ in range(4):
        h.redo()
    assert p.annotations(doc) == [] and [l.value for l in p.document_labels(doc)] == ["neutral"]
    assert h.redo() is None


def test_a_new_step_clears_redo(article_project):
    p = article_project
    doc = p.document_id_for("drohnen")
    h = History(p)
    h.run(AddSpan(doc, "anna", "hedge", 0, 9))
    h.undo()
    h.run(AddSpan(doc, "anna", "hedge", 0, 9))
    assert not h.can_redo and len(p.annotations(doc)) == 1


def test_suggestions_accept_reject_undo_and_never_come_back(article_project):
    p = article_project
    doc = p.document_id_for("drohnen")
    text = p.document(doc).text
    at = text.index("könnte")
    bo = text.index("Beobachter")
    items = [NewSuggestion("hedge", at, at + 6, "könnte", "hedge_modal", {}),
             NewSuggestion("unnamed_source", bo, bo + 10, "Beobachter", "unnamed_noun", {})]  # fmt: skip
    assert p.suggestions.replace(doc, items, "v1") == 2
    assert p.suggestions.stale_documents("v1") == [p.document_id_for("c1")]
    pending = p.suggestions.pending(doc, "anna")
    assert [s.rule_id for s in pending] == ["hedge_modal", "unnamed_noun"]
    h = History(p)
    h.run(AcceptSuggestions([pending[0]], "anna", category="loaded_language"))
    h.run(RejectSuggestion(pending[1], "anna"))
    [a] = p.annotations(doc, coder="anna")
    assert (a.category, a.origin.value, a.text) == ("loaded_language", "suggestion", "könnte")
    assert p.suggestions.pending(doc, "anna") == []
    assert len(p.suggestions.pending(doc, "ben")) == 2  # decisions are per coder
    # the suggester runs again (new pattern set): decided suggestions stay decided
    p.suggestions.replace(doc, items, "v2")
    assert p.suggestions.pending(doc, "anna") == []
    stats = {s.rule_id: (s.suggested, s.accepted, s.rejected) for s in p.suggestions.rule_stats()}
    assert stats == {"hedge_modal": (1, 1, 0), "unnamed_noun": (1, 0, 1)}
    h.undo()
    h.undo()
    assert p.annotations(doc, coder="anna") == []
    assert len(p.suggestions.pending(doc, "anna")) == 2
