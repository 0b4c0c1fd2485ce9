"""A damaged project file, or one in a folder the user may not write to: one clear line, never a traceback;
a read-only project can still be read."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.project import Project

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_corpus"
NOBODY = 65534


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The sample corpus with three coders' labels on three documents, built once; tests copy it."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.db"
    assert main(["import", str(SAMPLE), "--project", str(db), "-q"]) == 0
    done = {"j-velo-winterthur", "j-festival-rorschach", "ch-hochwasser-emme"}
    demo = (SAMPLE / "annotations" / "demo.annotations.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    labels = folder / "three.annotations.jsonl"
    labels.write_text("".join(line for line in demo if json.loads(line)["document"] in done), encoding="utf-8")
    assert main(["import-labels", str(labels), "--project", str(db)]) == 0
    return db


# --- a damaged file ------------------------------------------------------------------------------------------


def _damage(path: Path) -> None:
    """Overwrite the middle third of the file's pages (documents, labels, their indexes) with noise."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, size = conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    noise = random.Random(1)
    with open(path, "r+b") as f:
        for page in range(pages // 3, 2 * pages // 3):
            f.seek(page * size)
            f.write(bytes(noise.randrange(256) for _ in range(size)))


@pytest.mark.parametrize(
    "command",
    [["info", "{db}"], ["suggest", "--project", "{db}", "-q"],
     ["agreement", "--project", "{db}", "--samples", "0", "-q"]],
)  # fmt: skip
def test_a_damaged_project_file_is_one_clear_line(tmp_path, capsys, demo_db, command):
    db = tmp_path / "study.db"
    shutil.copy(demo_db, db)
    _damage(db)
    code, _, err = run(capsys, *[part.format(db=db) for part in command])
    assert code == 1
    assert err == (
        f"error: {db}: the project file is damaged (database disk image is malformed); restore it from a "
        "backup, or rescue what is left with sqlite3's .recover command\n"
    )


def test_a_file_that_is_no_database_at_all_is_one_clear_line(tmp_path, capsys):
    db = tmp_path / "study.db"
    db.write_bytes(b"this is a text file, not a project " * 200)
    code, _, err = run(capsys, "info", str(db))
    assert code == 1
    assert err == (
        f"error: {db}: not an annotator project, or a damaged one (file is not a database); check the name, "
        "or restore the project from a backup\n"
    )


# --- a folder the user may not write to ----------------------------------------------------------------------


@pytest.fixture
def shared(demo_db):
    """A copy of the demo study in a folder only its owner (root, in a container) may write to."""
    base = Path(tempfile.mkdtemp(prefix="annotator-ro-"))
    os.chmod(base, 0o755)
    folder = base / "shared"
    folder.mkdir()
    shutil.copy(demo_db, folder / "study.db")
    outbox = base / "outbox"  # where the reader may write its exports
    outbox.mkdir()
    os.chmod(outbox, 0o777)
    os.chmod(folder / "study.db", 0o444)
    os.chmod(folder, 0o555)
    yield folder / "study.db", outbox
    os.chmod(folder, 0o755)
    shutil.rmtree(base)


def _as_reader(*args: str) -> tuple[int, str, str]:
    """Run the command line as a user who may read but not write the shared folder.

    Tests run as root in the container and root ignores file modes, so the command runs in a forked child
    that drops to 'nobody' first (no exec: the interpreter's own files may be out of nobody's reach, so
    everything the command needs must be imported before, by a run as the owner).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        result = {"code": 99, "out": "", "err": ""}
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            out, err = io.StringIO(), io.StringIO()
            sys.stdout, sys.stderr = out, err
            result["code"] = main(list(args))
            result.update(out=out.getvalue(), err=err.getvalue())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
            import traceback

            result["err"] = "".join(traceback.format_exception(exc))
        finally:
            os.write(write, json.dumps(result).encode("utf-8"))
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    result = json.loads(b"".join(chunks))
    return result["code"], result["out"], result["err"]


def _owner_copy(tmp_path, db: Path) -> Path:
    copy = tmp_path / "study.db"
    shutil.copy(db, copy)
    os.chmod(copy, 0o644)
    return copy


def test_a_project_in_a_read_only_folder_can_be_read(tmp_path, capsys, shared):
    db, outbox = shared
    mine = _owner_copy(tmp_path, db)
    code, expected_info, _ = run(capsys, "info", str(mine))
    assert code == 0
    code, expected_json, _ = run(capsys, "agreement", "--project", str(mine), "--samples", "0", "--json", "-", "-q")
    assert code == 0
    assert run(capsys, "export-spans", str(tmp_path / "mine.csv"), "--project", str(mine))[0] == 0

    code, out, err = _as_reader("info", str(db))
    assert (code, err) == (0, "")
    assert out == expected_info.replace(str(mine), str(db))
    code, out, err = _as_reader("agreement", "--project", str(db), "--samples", "0", "--json", "-", "-q")
    assert (code, err) == (0, "")
    assert json.loads(out)["documents"] == json.loads(expected_json)["documents"] > 0
    theirs, ours = json.loads(out), json.loads(expected_json.replace(str(mine), str(db)))
    del theirs["settings"]["generated"], ours["settings"]["generated"]
    assert theirs == ours
    code, out, err = _as_reader("export-spans", str(outbox / "spans.csv"), "--project", str(db))
    assert (code, err) == (0, "")
    assert (outbox / "spans.csv").read_bytes() == (tmp_path / "mine.csv").read_bytes()
    assert sorted(p.name for p in db.parent.iterdir()) == ["study.db"]


@pytest.mark.parametrize("command", [["suggest", "--off"], ["codebook", "import", "{book}"]])
def test_a_write_to_a_read_only_project_is_one_clear_line(tmp_path, capsys, shared, command):
    db, outbox = shared
    book = outbox / "book.toml"
    mine = _owner_copy(tmp_path, db)
    assert run(capsys, "codebook", "export", str(book), "--project", str(mine))[0] == 0
    book.write_text(book.read_text(encoding="utf-8").replace('"Overall tone"', '"Tonalität"'), encoding="utf-8")
    os.chmod(book, 0o644)
    args = [part.format(book=book) for part in command] + ["--project"]
    run(capsys, *args, str(mine))  # the owner's run imports everything the command needs
    code, _, err = _as_reader(*args, str(db))
    assert code == 1
    assert err == (
        f"error: {db} is read-only: you may not write to its folder {db.parent}, so it can be read but not "
        "changed; copy it to a folder of your own to work on it\n"
    )
    with Project.open(db) as p:
        assert p.settings().suggestions_enabled
        assert p.suggestions.stale_documents("any") == [d.id for d in p.list_documents()]


def test_a_read_only_reader_sees_what_a_writer_has_committed_but_not_yet_checkpointed(tmp_path, capsys, shared):
    """While the owner has the project open, its latest labels live in study.db-wal: the reader must see them
    (so the reader must not open the file as 'immutable', which ignores that file)."""
    db, _ = shared
    run(capsys, "info", str(_owner_copy(tmp_path, db)))
    os.chmod(db.parent, 0o755)
    os.chmod(db, 0o644)
    with Project.open(db) as owner:
        doc = owner.list_documents()[0].id
        owner.set_document_label(doc, "dora", "tone", "negative")
        assert (db.parent / "study.db-wal").exists()
        os.chmod(db.parent, 0o555)
        code, out, err = _as_reader("info", str(db))
        os.chmod(db.parent, 0o755)
    assert (code, err) == (0, "")
    assert "dora" in out


def test_an_older_project_in_a_read_only_folder_says_it_needs_upgrading_first(tmp_path, capsys, shared):
    from sqlalchemy import text

    from annotator.storage import engine as engine_mod
    from annotator.storage import migrate

    db, _ = shared
    old = tmp_path / "old.db"
    engine = engine_mod.make_engine(engine_mod.to_url(old))
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("insert into meta (key, value) values ('setting.name', '\"Alt\"')"))
    engine.dispose()
    os.chmod(db.parent, 0o755)
    shutil.copy(old, db)
    os.chmod(db.parent, 0o555)
    run(capsys, "info", str(_owner_copy(tmp_path, db)))
    code, _, err = _as_reader("info", str(db))
    assert code == 1
    assert err == (
        f"error: {db} is read-only, but it was made by an older annotator (schema 1) and must be upgraded, "
        "which changes it; copy it to a folder of your own and open the copy\n"
    )
