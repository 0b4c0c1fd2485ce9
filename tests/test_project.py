"""The project API: the only door to the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from annotator.domain import CategoryKind, Origin, Status, ZoneKind
from annotator.errors import AnnotationError, ConflictError, ProjectError
from annotator.project import Project
from annotator.storage.models import SCHEMA_VERSION


@pytest.fixture
def project(any_project):
    """Every test in this module runs on SQLite and on PostgreSQL."""
    return any_project


def sqlite_only(project):
    if not project.location.endswith(".db"):
        pytest.skip("SQLite-specific")


def _doc(project, ext="drohnen"):
    return project.document(project.document_id_for(ext))


def test_create_then_open_keeps_codebook_and_settings(tmp_path):
    path = tmp_path / "s.db"
    with Project.create(path, name="Drohnen-Studie") as p:
        p.update_settings(show_others_labels=True)
        assert len(p.categories(CategoryKind.SPAN)) >= 8
    with Project.open(path) as p:
        assert p.settings().name == "Drohnen-Studie"
        assert p.settings().show_others_labels is True
        assert p.schema_version == SCHEMA_VERSION
        ids = {c.id for c in p.categories()}
        assert {"symbolic_image", "hedge", "unnamed_source", "outlet_attribution", "tone", "frame_conflict"} <= ids


def test_create_refuses_existing_and_open_refuses_missing_or_foreign(tmp_path):
    Project.create(tmp_path / "a.db").close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "a.db")
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "missing.db")
    foreign = tmp_path / "foreign.db"
    import sqlite3

    sqlite3.connect(foreign).execute("create table x (y int)").connection.commit()
    with pytest.raises(ProjectError, match="not an annotator project"):
        Project.open(foreign)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ProjectError, match="junk.db: not an annotator project, or a damaged one"):
        Project.open(junk)


def test_unknown_setting_is_refused(project):
    with pytest.raises(ProjectError, match="unknown setting"):
        project.update_settings(colour_scheme="dark")


def test_sqlite_runs_in_wal_with_foreign_keys_and_full_sync(project):
    sqlite_only(project)
    with project._engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_schema_version_is_stored(project):
    with project._engine.connect() as conn:
        assert conn.execute(text("select value from meta where key='schema_version'")).scalar() == str(SCHEMA_VERSION)


def test_add_annotation_stores_covered_text_and_moves_status(article_project):
    p = article_project
    doc = _doc(p)
    start = doc.text.index("könnte")
    a = p.add_annotation(doc.id, "anna", "hedge", start, start + len("könnte"))
    assert a.text == "könnte" and a.origin is Origin.MANUAL and a.version == 1
    assert p.status(doc.id, "anna")[0] is Status.IN_PROGRESS
    [stored] = p.annotations(doc.id, coder="anna")
    assert (stored.start, stored.end, stored.category, stored.text) == (a.start, a.end, "hedge", "könnte")


def test_overlapping_and_nested_spans_are_allowed(article_project):
    p = article_project
    doc = _doc(p)
    s = doc.text.index("Ein Entscheid könnte")
    p.add_annotation(doc.id, "anna", "hedge", s + 14, s + 20)
    p.add_annotation(doc.id, "anna", "loaded_language", s, s + 30)
    p.add_annotation(doc.id, "anna", "hedge", s, s + 20)
    assert len(p.annotations(doc.id)) == 3


@pytest.mark.parametrize(
    "start,end,message",
    [(5, 5, "outside"), (-1, 3, "outside"), (0, 10**6, "outside")],
)
def test_bad_offsets_are_refused(article_project, start, end, message):
    doc = _doc(article_project)
    with pytest.raises(AnnotationError, match=message):
        article_project.add_annotation(doc.id, "anna", "hedge", start, end)


def test_boilerplate_cannot_be_coded(article_project):
    doc = _doc(article_project)
    furniture = next(z for z in doc.zones if z.kind is ZoneKind.BOILERPLATE)
    with pytest.raises(AnnotationError, match="boilerplate"):
        article_project.add_annotation(doc.id, "anna", "hedge", furniture.start, furniture.end)


def test_unknown_category_and_wrong_kind(article_project):
    doc = _doc(article_project)
    with pytest.raises(AnnotationError, match="unknown category 'nope'"):
        article_project.add_annotation(doc.id, "anna", "nope", 0, 3)
    with pytest.raises(AnnotationError, match="document-level"):
        article_project.add_annotation(doc.id, "anna", "tone", 0, 3)
    with pytest.raises(AnnotationError, match="span category"):
        article_project.set_document_label(doc.id, "anna", "hedge", "present")
    with pytest.raises(AnnotationError, match="not a value"):
        article_project.set_document_label(doc.id, "anna", "tone", "furious")


def test_update_delete_restore(article_project):
    p = article_project
    doc = _doc(p)
    s = doc.text.index("Beobachter")
    a = p.add_annotation(doc.id, "ben", "hedge", s, s + 10)
    b = p.update_annotation(a.id, category="unnamed_source", note="ohne Namen")
    assert (b.category, b.note, b.version) == ("unnamed_source", "ohne Namen", 2)
    c = p.update_annotation(a.id, end=s + 20)
    assert c.text == doc.text[s : s + 20] and c.note == "ohne Namen"
    gone = p.delete_annotation(a.id)
    assert p.annotations(doc.id) == []
    back = p.restore_annotation(gone)
    assert back.id == a.id and back.text == c.text and back.category == "unnamed_source"


def test_stale_edit_is_detected_not_overwritten(article_project):
    p = article_project
    doc = _doc(p)
    a = p.add_annotation(doc.id, "ben", "hedge", 0, 9)
    p.update_annotation(a.id, note="first", expected_version=1)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        p.update_annotation(a.id, note="second", expected_version=1)
    assert p.annotation(a.id).note == "first"


def test_document_labels_set_change_clear(article_project):
    p = article_project
    doc = _doc(p)
    p.set_document_label(doc.id, "anna", "tone", "negative")
    p.set_document_label(doc.id, "anna", "tone", "neutral")
    p.set_document_label(doc.id, "anna", "frame_conflict", "present")
    labels = {(l.category, l.value) for l in p.document_labels(doc.id, "anna")}
    assert labels == {("tone", "neutral"), ("frame_conflict", "present")}
    p.set_document_label(doc.id, "anna", "tone", None)
    assert [l.category for l in p.document_labels(doc.id, "anna")] == ["frame_conflict"]


def test_status_and_time(article_project):
    p = article_project
    doc = _doc(p)
    p.add_annotation(doc.id, "anna", "hedge", 0, 9)  # begins the document: time counts from here
    p.add_time(doc.id, "anna", 30)
    p.set_status(doc.id, "anna", Status.DONE, add_seconds=12.5)
    assert p.status(doc.id, "anna") == (Status.DONE, 42.5)
    docs = p.list_documents(coder="anna", status=Status.DONE)
    assert [d.id for d in docs] == [doc.id]
    assert p.info().done_by_coder == {"anna": 1}


def test_add_time_never_begins_a_document(article_project):
    p = article_project
    doc = _doc(p).id
    assert p.add_time(doc, "lead", 30) is False
    assert p.statuses() == {}
    p.set_document_label(doc, "anna", "tone", "negative")
    p.set_status(doc, "ben", Status.TODO)  # an imported "todo": the first label begins it
    p.add_annotation(doc, "ben", "hedge", 0, 8)
    assert p.add_time(doc, "anna", 30) is True
    assert p.statuses() == {(doc, "anna"): (Status.IN_PROGRESS, 30.0), (doc, "ben"): (Status.IN_PROGRESS, 0.0)}


def test_list_documents_counts_only_this_coders_labels_and_searches(article_project):
    p = article_project
    doc = _doc(p)
    p.add_annotation(doc.id, "anna", "hedge", 0, 9)
    p.add_annotation(doc.id, "ben", "hedge", 0, 9)
    rows = {d.id: d for d in p.list_documents(coder="anna")}
    assert rows[doc.id].label_count == 1
    assert [d.external_id for d in p.list_documents(search="Brücke")] == ["c1"]


def test_codebook_replace_keeps_used_categories(article_project):
    from dataclasses import replace

    p = article_project
    doc = _doc(p)
    p.add_annotation(doc.id, "anna", "hedge", 0, 9)
    book = p.codebook()
    smaller = replace(book, categories=tuple(c for c in book.categories if c.id != "hedge"))
    with pytest.raises(ProjectError, match="'hedge' has 1 label"):
        p.replace_codebook(smaller)
    renamed = replace(book, categories=tuple(replace(c, name="Spekulation") if c.id == "hedge" else c for c in book.categories))
    p.replace_codebook(renamed)
    assert p.codebook().get("hedge").name == "Spekulation"
    assert p.annotations(doc.id)[0].category == "hedge"


def test_deleting_a_document_row_is_blocked_by_foreign_keys(article_project):
    """Foreign keys are enforced: a label cannot point at a coder that does not exist."""
    p = article_project
    doc = _doc(p)
    from sqlalchemy.exc import IntegrityError

    with p._engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(
            text("insert into annotations (document_id, coder_id, category_id, start, \"end\", text, origin, created_at, updated_at, version) "
                 "values (:d, 9999, 1, 0, 1, 'x', 'manual', '2026-01-01', '2026-01-01', 1)"),
            {"d": doc.id},
        )


def test_one_person_is_one_coder_however_the_name_was_typed(project):
    """Invisible characters and another Unicode composition do not make a second coder."""
    spellings = ["anna", "an\u200bna", "\u202eanna", "anna\ufeff", " anna  "]
    ids = {project.ensure_coder(name).id for name in spellings}
    assert len(ids) == 1
    assert [c.name for c in project.coders()] == ["anna"]
    composed = project.ensure_coder("Jürg").id
    assert project.ensure_coder("Ju\u0308rg").id == composed  # u + combining diaeresis


def test_long_values_behave_the_same_on_both_backends(project, tmp_path):
    import json

    from annotator.errors import ProjectError

    with pytest.raises(ProjectError, match="at most 100 characters"):
        project.ensure_coder("x" * 200)
    corpus = tmp_path / "long.jsonl"
    corpus.write_text(
        json.dumps({"id": "i" * 600, "title": "T", "text": "Ein Text.", "source": "O" * 400, "date": "2026-01-01"}) + "\n",
        encoding="utf-8",
    )
    report = project.import_corpus(corpus)
    assert report.new == 1, report.rejected
    assert project.list_documents()[0].outlet == "O" * 400


def test_once_a_lead_is_named_only_leads_run_the_study(project):
    from annotator.errors import ProjectError

    assert project.may_lead("anna")  # nobody named lead yet: a researcher alone at a desk
    project.set_member("lea", "lead")
    project.set_member("anna", "coder")
    assert project.may_lead("lea") and not project.may_lead("anna") and not project.may_lead(None)
    project.act_as("anna")
    with pytest.raises(ProjectError, match="only the study's lead"):
        project.update_settings(show_others_labels=True)
    project.act_as("lea")
    assert project.update_settings(show_others_labels=True).show_others_labels
