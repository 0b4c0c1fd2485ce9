"""Concurrent coders: labels per second with N writer processes on PostgreSQL and on SQLite.

Each process is one coder adding labels (each its own committed transaction) to the same
documents at once. Prints labels/s per backend and checks nothing was lost.

    ANNOTATOR_TEST_PG_URL=postgresql://user:pw@127.0.0.1:5432/postgres .venv/bin/python benchmarks/concurrent_writers.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

from annotator.project import Project

WRITERS = 5
LABELS = 200

WRITER = textwrap.dedent(
    """
    import sys, time
    from annotator.project import Project
    location, coder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    p = Project.open(location).act_as(coder)
    docs = [d.id for d in p.list_documents()]
    while time.time() < float(sys.argv[4]):
        time.sleep(0.001)
    for i in range(n):
        p.add_annotation(docs[i % len(docs)], coder, "hedge", i % 50, i % 50 + 4)
    """
)


def run(location: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        corpus.write_text("".join(
            json.dumps({"id": f"d{i}", "title": f"T{i}", "text": f"Dokument {i}: Die Regierung könnte bald entscheiden, heißt es."}) + "\n"
            for i in range(10)
        ), encoding="utf-8")  # fmt: skip
        with Project.create(location) as p:
            p.import_corpus(corpus)
    go = time.time() + 2.0
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, location, f"coder{i}", str(LABELS), str(go)]) for i in range(WRITERS)]
    for proc in procs:
        proc.wait()
    elapsed = time.time() - go
    with Project.open(location) as p:
        stored = len(p.annotations())
    assert stored == WRITERS * LABELS, f"lost labels: {stored} of {WRITERS * LABELS}"
    return WRITERS * LABELS / elapsed


def main() -> int:
    print(f"{WRITERS} writer processes x {LABELS} labels, one committed transaction per label")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite (WAL, synchronous=FULL): {run(str(Path(tmp) / 'bench.db')):8.0f} labels/s, none lost")
    server = os.environ.get("ANNOTATOR_TEST_PG_URL")
    if not server:
        print("PostgreSQL: skipped (set ANNOTATOR_TEST_PG_URL; .ci/start-postgres.sh prints one)")
        return 0
    import psycopg

    name = f"annotator_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        rate = run(server.rsplit("/", 1)[0] + "/" + name)
        print(f"PostgreSQL 15 (loopback):       {rate:8.0f} labels/s, none lost")
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
