"""What one label costs: add_annotation (its own committed transaction) on SQLite, WAL + synchronous=FULL.

Compared with a raw sqlite3 insert+commit under the same pragmas (the floor).

    .venv/bin/python benchmarks/label_commit.py
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from annotator.project import Project


def pct(values, q):
    values = sorted(values)
    return values[int(q * (len(values) - 1))] * 1000


def main(n: int = 500) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        corpus.write_text(json.dumps({"id": "d", "title": "T", "text": "Die Regierung könnte bald entscheiden. " * 50}) + "\n")
        with Project.create(Path(tmp) / "s.db") as p:
            p.import_corpus(corpus)
            doc = p.document_id_for("d")
            ours = []
            for i in range(n):
                t0 = time.perf_counter()
                p.add_annotation(doc, "anna", "hedge", i, i + 6)
                ours.append(time.perf_counter() - t0)
        raw = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL"):
            raw.execute(f"PRAGMA {pragma}")
        raw.execute("create table a (id integer primary key, s int, e int, t text)")
        floor = []
        for i in range(n):
            t0 = time.perf_counter()
            raw.execute("begin immediate")
            raw.execute("insert into a (s, e, t) values (?, ?, ?)", (i, i + 6, "könnte"))
            raw.execute("commit")
            floor.append(time.perf_counter() - t0)
        raw.close()
    print(f"{'one committed label':<40}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"{'raw sqlite3 insert + commit (floor)':<40}{pct(floor, .5):>9.3f}{pct(floor, .95):>9.3f}")
    print(f"{'annotator add_annotation':<40}{pct(ours, .5):>9.3f}{pct(ours, .95):>9.3f}")
    print(f"ratio p50: {statistics.median(ours) / statistics.median(floor):.1f}x (validation, covered text, status, ORM)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
