"""On a server the database itself keeps the study design: raw SQL as a coder cannot touch or (in a
blind study) read another coder's work, whatever client the coder uses.

Every test runs against a real PostgreSQL server with real login roles made by `annotator team`;
the connections below are plain psycopg, as `psql` would be.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from annotator.project import Project

psycopg = pytest.importorskip("psycopg")

ARTICLES = [
    {"id": "a1", "title": "Treffen in Bern", "text": "Ein Treffen könnte Weichen stellen. Beobachter sind skeptisch."},
    {"id": "a2", "title": "Neue Brücke", "text": "Die Gemeinde baut eine Brücke. Die Kosten dürften steigen."},
]


def _annotator(*args: str) -> subprocess.CompletedProcess:
    """The command line, run in this process (a subprocess each would make the set-up slow)."""
    from annotator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


class Study:
    """A study on the server: the owner's URL, and per member a URL without password and a .pgpass file."""

    def __init__(self, owner_url: str, folder: Path) -> None:
        self.owner_url = owner_url
        self.folder = folder
        self.urls: dict[str, str] = {}
        self.pgpass: dict[str, Path] = {}
        self.logins: dict[str, str] = {}

    def connect(self, member: str):
        """A raw connection as the member's login, the password read by libpq from their .pgpass."""
        os.environ["PGPASSFILE"] = str(self.pgpass[member])
        try:
            return psycopg.connect(self.urls[member], autocommit=True)
        finally:
            del os.environ["PGPASSFILE"]

    def open(self, member: str) -> Project:
        os.environ["PGPASSFILE"] = str(self.pgpass[member])
        return Project.open(self.urls[member])

    def password(self, member: str) -> str:
        return self.pgpass[member].read_text(encoding="utf-8").strip().rsplit(":", 1)[1]


@pytest.fixture
def study(postgres_url, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSFILE", raising=False)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    with Project.create(postgres_url) as owner:
        owner.import_corpus(corpus)
    done = _annotator("team", "init", "--project", postgres_url, "--lead", "owner")
    assert done.returncode == 0, done.stderr
    s = Study(postgres_url, tmp_path)
    for name, role in (("anna", "coder"), ("ben", "coder"), ("lea", "lead"), ("vera", "viewer")):
        done = _annotator("team", "add", name, "--role", role, "--project", postgres_url, "--pgpass-dir", str(tmp_path))
        assert done.returncode == 0, done.stderr
        pgpass = next(tmp_path.glob(f"*_{name}.pgpass"))
        s.pgpass[name] = pgpass
        s.logins[name] = pgpass.stem
        s.urls[name] = next(line.split()[-1] for line in done.stdout.splitlines() if "annotator open" in line)
        assert s.password(name) not in done.stdout + done.stderr
    # Each coder codes as themselves through the app.
    for name, doc_index in (("anna", 0), ("ben", 1)):
        with s.open(name) as p:
            p.act_as(name)
            docs = p.list_documents()
            for doc in docs:
                p.add_annotation(doc.id, name, "hedge", 0, 3)
                p.set_document_label(doc.id, name, "tone", "neutral")
                p.set_status(doc.id, name, _done())
    yield s
    # Roles live in the whole cluster: drop the database first, then the study's roles.
    database = postgres_url.rsplit("/", 1)[1]
    server = postgres_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        prefix = database.lower()
        for (role,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (prefix + "%",)).fetchall():
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def _done():
    from annotator.domain import Status

    return Status.DONE


def _coder_id(conn, name: str) -> int:
    return conn.execute("SELECT id FROM coders WHERE name = %s", (name,)).fetchone()[0]


WORK_TABLES = ["annotations", "document_labels", "document_status"]


def test_a_coder_cannot_read_change_or_delete_another_coders_work(study):
    with study.connect("anna") as anna:
        ben = _coder_id(anna, "ben")
        for table in WORK_TABLES:
            assert anna.execute(f"SELECT count(*) FROM {table} WHERE coder_id = %s", (ben,)).fetchone()[0] == 0
            assert anna.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0  # her own rows
            assert anna.execute(f"UPDATE {table} SET updated_at = now() WHERE coder_id = %s", (ben,)).rowcount == 0
            assert anna.execute(f"DELETE FROM {table} WHERE coder_id = %s", (ben,)).rowcount == 0
    with study.connect("lea") as lead:
        ben = _coder_id(lead, "ben")
        for table in WORK_TABLES:
            assert lead.execute(f"SELECT count(*) FROM {table} WHERE coder_id = %s", (ben,)).fetchone()[0] > 0


def test_a_coder_cannot_write_a_row_in_another_coders_name(study):
    with study.connect("anna") as anna:
        ben = _coder_id(anna, "ben")
        doc, category = anna.execute("SELECT d.id, c.id FROM documents d, categories c WHERE c.slug = 'hedge' LIMIT 1").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            anna.execute(
                'INSERT INTO annotations (document_id, coder_id, category_id, start, "end", text, origin, created_at, updated_at, version) '
                "VALUES (%s, %s, %s, 0, 3, 'Ein', 'manual', now(), now(), 1)", (doc, ben, category),
            )  # fmt: skip
        mine = _coder_id(anna, "anna")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            anna.execute("UPDATE annotations SET coder_id = %s WHERE coder_id = %s", (ben, mine))


def test_a_coder_cannot_change_the_study_or_step_around_the_policies(study):
    with study.connect("anna") as anna:
        for sql in (
            "UPDATE meta SET value = 'true' WHERE key = 'setting.show_others_labels'",
            "INSERT INTO coders (name, is_gold, role, created_at) VALUES ('mallory', false, 'lead', now())",
            "UPDATE coders SET role = 'lead'",
            "DELETE FROM documents",
            "ALTER TABLE annotations DISABLE ROW LEVEL SECURITY",
            f'SET ROLE "{study.logins["lea"]}"',
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                anna.execute(sql)
        attrs = anna.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = session_user"
        ).fetchone()
        assert attrs == (False, False, False, False)
        owned = anna.execute("SELECT count(*) FROM pg_tables WHERE tableowner = session_user").fetchone()[0]
        assert owned == 0


def test_the_policy_helper_knows_the_caller_even_though_it_runs_as_its_definer(study):
    """Inside a SECURITY DEFINER function current_user is the definer; session_user is the caller."""
    with psycopg.connect(study.owner_url, autocommit=True) as owner:
        owner.execute(
            "CREATE FUNCTION whoami_as_definer() RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT current_user::text $$"
        )
        owner.execute("GRANT EXECUTE ON FUNCTION whoami_as_definer() TO PUBLIC")
        owner_name = owner.execute("SELECT current_user").fetchone()[0]
    with study.connect("anna") as anna:
        assert anna.execute("SELECT whoami_as_definer()").fetchone()[0] == owner_name  # the trap
        assert anna.execute("SELECT annotator_member_id()").fetchone()[0] == _coder_id(anna, "anna")
    with study.connect("ben") as ben:
        assert ben.execute("SELECT annotator_member_id()").fetchone()[0] == _coder_id(ben, "ben")


def test_when_the_lead_lifts_blindness_coders_read_but_still_cannot_write(study):
    with study.open("lea") as lead:
        lead.act_as("lea")
        lead.update_settings(show_others_labels=True)
    with study.connect("anna") as anna:
        ben = _coder_id(anna, "ben")
        assert anna.execute("SELECT count(*) FROM annotations WHERE coder_id = %s", (ben,)).fetchone()[0] > 0
        assert anna.execute("UPDATE annotations SET note = 'x' WHERE coder_id = %s", (ben,)).rowcount == 0
        assert anna.execute("DELETE FROM annotations WHERE coder_id = %s", (ben,)).rowcount == 0


def test_a_viewer_reads_everything_and_writes_nothing(study):
    with study.connect("vera") as vera:
        coders = {r[0] for r in vera.execute("SELECT DISTINCT coder_id FROM annotations").fetchall()}
        assert len(coders) == 2
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            vera.execute("DELETE FROM annotations")


def test_the_app_as_a_coder_works_normally_and_only_as_themselves(study):
    from annotator.errors import ProjectError

    with study.open("anna") as p:
        p.act_as("anna")
        doc = p.list_documents()[0]
        label = p.add_annotation(doc.id, "anna", "hedge", 4, 11)
        p.update_annotation(label.id, note="Konjunktiv", expected_version=label.version)
        p.delete_annotation(label.id)
        p.set_document_label(doc.id, "anna", "tone", "negative")
        assert {a.coder for a in p.annotations()} == {"anna"}  # blind: ben's labels are not even read
        with pytest.raises(ProjectError, match="belongs to 'anna'"):
            p.act_as("ben")
    with study.open("lea") as lead:
        lead.act_as("lea")
        assert {a.coder for a in lead.annotations()} == {"anna", "ben"}
        lead.act_as(None)  # adjudication: the lead writes the gold layer
        lead.ensure_coder("gold", is_gold=True)
        lead.add_annotation(doc.id, "gold", "hedge", 4, 11)


def test_no_password_on_screen(study):
    url = study.urls["lea"]
    secret = study.password("lea")
    with_password = url.replace("@", f":{secret}@", 1)
    done = _annotator("info", with_password)
    assert done.returncode == 0, done.stderr
    assert secret not in done.stdout + done.stderr and "***" in done.stdout
    wrong = url.replace("@", ":not-the-password@", 1)
    done = _annotator("info", wrong)
    assert done.returncode == 1 and "not-the-password" not in done.stdout + done.stderr


def test_a_libpq_service_file_names_the_server_without_a_password_anywhere(postgres_url, tmp_path, monkeypatch):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    service = tmp_path / "pg_service.conf"
    service.write_text(
        f"[study]\nhost={url.host}\nport={url.port or 5432}\ndbname={url.database}\nuser={url.username}\npassword={url.password}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    Project.create(postgres_url).close()
    done = _annotator("info", "postgresql:///?service=study")
    assert done.returncode == 0, done.stderr
    assert url.password not in done.stdout


def test_a_coder_running_a_leads_command_gets_one_line_not_a_traceback(study, tmp_path):
    os.environ["PGPASSFILE"] = str(study.pgpass["anna"])
    try:
        book = tmp_path / "book.toml"
        assert _annotator("codebook", "export", str(book), "--project", study.urls["anna"]).returncode == 0
        book.write_text(book.read_text(encoding="utf-8").replace("Symbolic image", "Symbolbild"), encoding="utf-8")
        done = _annotator("codebook", "import", str(book), "--project", study.urls["anna"])
    finally:
        del os.environ["PGPASSFILE"]
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("error: ") and "lead's task" in done.stderr, done.stderr
