"""How fast scraped pages are split into zones, and how fast a whole corpus imports.

    .venv/bin/python benchmarks/structure_speed.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from annotator.corpus.structure import parse_page
from annotator.project import Project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_corpus"


def main() -> int:
    pages = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("ch-*.txt"))]
    big = "\n\n".join(pages)
    while len(big) < 20_000:
        big += "\n\n" + big
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        parse_page(big)
        times.append(time.perf_counter() - t0)
    print(f"parse_page on {len(big):,} characters: median {statistics.median(times) * 1000:.2f} ms, "
          f"max {max(times) * 1000:.2f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        n = 0
        for i in range(40):
            for p in sorted(SAMPLE.glob("*.txt")):
                text = p.read_text(encoding="utf-8", errors="replace")
                if text.strip() and "\x00" not in text:
                    (corpus / f"{i}-{p.name}").write_text(text + f"\n\nKopie {i}", encoding="utf-8")
                    n += 1
        with Project.create(Path(tmp) / "bench.db") as project:
            t0 = time.perf_counter()
            report = project.import_corpus(corpus)
            elapsed = time.perf_counter() - t0
        print(f"import of {n} page files into SQLite: {elapsed:.2f} s ({report.new / elapsed:.0f} articles/s), "
              f"{report.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
