"""Several coder processes label the same document at once: nothing is lost, stale edits are caught."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from annotator.errors import AnnotationError, ConflictError
from annotator.project import Project

WRITER = textwrap.dedent(
    """
    import sys
    from annotator.project import Project
    location, coder, doc_id, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    p = Project.open(location).act_as(coder)
    for i in range(n):
        a = p.add_annotation(doc_id, coder, "hedge", i % 40, i % 40 + 5)
        p.update_annotation(a.id, note=f"{coder} {i}", expected_version=a.version)
    p.set_document_label(doc_id, coder, "tone", "neutral")
    print("ok")
    """
)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "shared.db")
    return request.getfixturevalue("postgres_url")


def test_two_coder_processes_on_one_document_lose_nothing(shared_location):
    with Project.create(shared_location) as p:
        f_doc = p.import_corpus  # noqa: F841  (documents come from a tiny inline corpus below)
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        corpus.write_text(json.dumps({"id": "d", "title": "T", "text": "Die Regierung könnte bald über ein neues Gesetz entscheiden, heißt es."}) + "\n")
        with Project.open(shared_location) as p:
            p.import_corpus(corpus)
            doc_id = p.document_id_for("d")
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, shared_location, coder, str(doc_id), "60"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        for coder in ("anna", "ben")
    ]
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0 and out.strip() == "ok", err
    with Project.open(shared_location) as p:
        for coder in ("anna", "ben"):
            mine = p.annotations(doc_id, coder=coder)
            assert len(mine) == 60
            assert all(a.version == 2 and a.note.startswith(coder) for a in mine)
        assert {(l.coder, l.value) for l in p.document_labels(doc_id)} == {("anna", "neutral"), ("ben", "neutral")}


def test_a_stale_edit_from_another_session_is_detected(shared_location):
    with Project.create(shared_location) as lead:
        from tests.conftest import PAGE  # noqa: F401
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        corpus.write_text(json.dumps({"id": "d", "title": "T", "text": "Beobachter rechnen mit einer Einigung."}) + "\n")
        first, second = Project.open(shared_location), Project.open(shared_location)
        try:
            first.import_corpus(corpus)
            doc_id = first.document_id_for("d")
            a = first.add_annotation(doc_id, "anna", "unnamed_source", 0, 10)
            seen_by_second = second.annotation(a.id)
            first.update_annotation(a.id, note="from laptop", expected_version=a.version)
            with pytest.raises(ConflictError, match="changed elsewhere"):
                second.update_annotation(a.id, note="from desktop", expected_version=seen_by_second.version)
            assert second.annotation(a.id).note == "from laptop"
        finally:
            first.close()
            second.close()
    del lead


def test_a_coder_writes_only_their_own_labels(tmp_path):
    with Project.create(tmp_path / "s.db") as p:
        corpus = tmp_path / "c.jsonl"
        corpus.write_text('{"id": "d", "title": "T", "text": "Experten warnen vor Folgen."}\n', encoding="utf-8")
        p.import_corpus(corpus)
        doc = p.document_id_for("d")
        bens = p.add_annotation(doc, "ben", "unnamed_source", 0, 8)
        p.act_as("anna")
        with pytest.raises(AnnotationError, match="belong to 'ben'"):
            p.add_annotation(doc, "ben", "hedge", 0, 8)
        with pytest.raises(AnnotationError, match="belong to 'ben'"):
            p.delete_annotation(bens.id)
        with pytest.raises(AnnotationError, match="belong to 'ben'"):
            p.set_document_label(doc, "ben", "tone", "neutral")
        p.add_annotation(doc, "anna", "unnamed_source", 0, 8)


def test_one_coder_in_several_sessions_never_loses_an_update(shared_location, tmp_path):
    """1,000 edits of one label from four sessions at once, each sure of the version it read: every
    edit that reports success is one step of the version, none overwrites another."""
    import threading

    corpus = tmp_path / "one.jsonl"
    corpus.write_text('{"id": "d1", "title": "Titel", "text": "Ein Treffen könnte Weichen stellen."}\n', encoding="utf-8")
    with Project.create(shared_location) as p:
        p.import_corpus(corpus)
        doc_id = p.list_documents()[0].id
        label = p.add_annotation(doc_id, "anna", "hedge", 12, 18)

    sessions, edits_each = 4, 250
    succeeded = [0] * sessions
    conflicts = [0] * sessions
    failures: list[BaseException] = []
    start = threading.Barrier(sessions)

    def session(n: int) -> None:
        try:
            with Project.open(shared_location) as mine:
                mine.act_as("anna")
                start.wait()
                for i in range(edits_each):
                    seen = mine.annotation(label.id)
                    try:
                        mine.update_annotation(label.id, note=f"session {n} edit {i}", expected_version=seen.version)
                        succeeded[n] += 1
                    except ConflictError:
                        conflicts[n] += 1
        except BaseException as exc:  # reported below, with the thread's own failure
            failures.append(exc)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    with Project.open(shared_location) as p:
        final = p.annotation(label.id)
    assert sum(succeeded) + sum(conflicts) == sessions * edits_each
    lost = sum(succeeded) - (final.version - label.version)
    assert lost == 0, f"{lost} of {sum(succeeded)} successful edits were overwritten"


def test_two_imports_of_one_corpus_at_once_both_finish_and_count_right(shared_location, tmp_path):
    import json
    import threading

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"id": f"a{i}", "title": f"Artikel {i}", "text": f"Text Nummer {i}. Es könnte regnen."}) + "\n"
            for i in range(300)
        ),
        encoding="utf-8",
    )
    Project.create(shared_location).close()
    reports, failures = [], []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            with Project.open(shared_location) as p:
                start.wait()
                reports.append(p.import_corpus(corpus, batch_size=20))
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    assert all(r.new + r.duplicate == 300 and not r.rejected for r in reports), [(r.new, r.duplicate) for r in reports]
    assert sum(r.new for r in reports) == 300
    with Project.open(shared_location) as p:
        assert p.document_count() == 300
