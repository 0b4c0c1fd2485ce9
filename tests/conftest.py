from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_corpus"


@pytest.fixture
def project(tmp_path):
    from annotator.project import Project

    with Project.create(tmp_path / "study.db") as p:
        yield p


_PG_URL: list[str | None] = []


def postgres_server_url() -> str | None:
    """A PostgreSQL server for tests: $ANNOTATOR_TEST_PG_URL, or the local Debian cluster started on demand."""
    if _PG_URL:
        return _PG_URL[0]
    url = os.environ.get("ANNOTATOR_TEST_PG_URL")
    if not url and shutil.which("pg_ctlcluster") and os.geteuid() == 0:
        done = subprocess.run(["bash", str(ROOT / ".ci" / "start-postgres.sh")], capture_output=True, text=True)
        url = done.stdout.strip().splitlines()[-1] if done.returncode == 0 and done.stdout.strip() else None
    _PG_URL.append(url)
    return url


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    server = postgres_server_url()
    if not server:
        pytest.skip("no PostgreSQL server: set ANNOTATOR_TEST_PG_URL or install Debian's postgresql (.ci/run does)")
    import psycopg

    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def any_project(request, tmp_path):
    """The same storage tests run on both backends."""
    from annotator.project import Project

    location = str(tmp_path / "study.db") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    with Project.create(location) as p:
        yield p


@pytest.fixture
def article_project(project, tmp_path):
    """A project with one small scraped page and one clean article."""
    page = tmp_path / "corpus" / "drohnen.txt"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "corpus" / "clean.jsonl").write_text(
        '{"id": "c1", "title": "Gemeinde baut neue Brücke", "text": "Die Gemeinde baut eine Brücke.\\n\\nDie Kosten dürften steigen.", "source": "Landbote", "date": "2026-03-02"}\n',
        encoding="utf-8",
    )
    report = project.import_corpus(tmp_path / "corpus")
    assert report.new == 2, report
    return project


PAGE = """Bundesrat

Bundesrat prüft strengere Regeln für Drohnenflüge

Lea Sommer
Lea Sommer

Schweiz,

Der Bundesrat will den Einsatz von Drohnen strenger regeln. Ein Entscheid könnte schon im Herbst fallen.

drohne feld
Eine Drohne über einem Maisfeld. (Symbolbild) - keystone

Der Bundesrat hat am Mittwoch in Bern neue Vorgaben vorgestellt, wie «Blick» berichtet.

Fachleute warnen vor einem Schnellschuss

Beobachter gehen davon aus, dass die Kantone mitreden wollen.

Droht jetzt ein Flugverbot über Städten?

Laut «SRF» ist noch nichts entschieden.

Kommentare

User #5512 (nicht angemeldet)

Endlich tut sich etwas.

Weiterlesen

Verkehr
12 Interaktionen
Neue Regeln

MEHR IN NEWS

FC Thun
Aufstieg

MEHR AUS DER SCHWEIZ

Zürich
Stau
"""
