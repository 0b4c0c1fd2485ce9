"""How long a reliability report takes, and how our alpha compares with the `krippendorff` package.

    .venv/bin/python benchmarks/agreement_speed.py [--quick]

Prints one table: what was timed, our figure, the peer's figure where there is one, the ratio.
The synthetic study has 300 articles coded by 5 coders who agree most of the time, with
shifted boundaries, misses and extra spans, plus three document-level codes.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from annotator.agreement import krippendorff_alpha
from annotator.agreement.report import build_report
from annotator.cli import main as cli_main
from annotator.domain import Status
from annotator.export.workbook import write_workbook
from annotator.project import Project

WORDS = (
    "der die das und nicht Regierung Gemeinde Kanton Kosten Projekt Entscheid Bericht Fachleute Bevölkerung "
    "Strasse Schule Spital Energie Preise Mieten Bahn Verkehr Wetter Polizei Gericht Firma Arbeit Zukunft "
    "soll könnte dürfte würde vermutlich offenbar angeblich wohl bereits heute morgen wieder neu stark "
    "schwer deutlich plant prüft fordert warnt kritisiert erklärt sagt meldet zeigt bleibt steigt sinkt"
).split()
SPAN_CATEGORIES = ("hedge", "unnamed_source", "direct_quote", "loaded_language", "personalisation")
DOCUMENT_CODES = {"tone": ("negative", "neutral", "positive"), "frame_conflict": ("absent", "present"),
                  "frame_economic": ("absent", "present")}  # fmt: skip


def timed(run, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def article(rng: np.random.Generator, n: int) -> dict:
    paragraphs = []
    for _ in range(6):
        sentences = []
        for _ in range(int(rng.integers(2, 5))):
            words = rng.choice(WORDS, size=int(rng.integers(6, 16)))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return {"id": f"syn-{n:04d}", "title": f"Meldung {n}: " + " ".join(rng.choice(WORDS, 4)), "text": "\n\n".join(paragraphs)}


def word_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isalnum() and start is None:
            start = i
        elif not ch.isalnum() and start is not None:
            bounds.append((start, i))
            start = None
    return bounds


def synthetic_project(folder: Path, n_docs: int, coders: list[str], seed: int = 7) -> Project:
    rng = np.random.default_rng(seed)
    corpus = folder / "synthetic.jsonl"
    corpus.write_text("".join(json.dumps(article(rng, n), ensure_ascii=False) + "\n" for n in range(n_docs)),
                      encoding="utf-8")  # fmt: skip
    project = Project.create(folder / "synthetic.db", name="Synthetic study")
    project.import_corpus(corpus)
    for doc in project.iter_documents():
        body = [z for z in doc.zones if z.kind.value == "body"]
        words = [(s + z.start, e + z.start) for z in body for s, e in word_bounds(doc.text[z.start : z.end])]
        truth = []
        for k in rng.choice(len(words) - 6, size=8, replace=False):
            length = int(rng.integers(1, 5))
            truth.append((int(k), int(k) + length, str(rng.choice(SPAN_CATEGORIES))))
        true_codes = {cat: int(rng.integers(len(values))) for cat, values in DOCUMENT_CODES.items()}
        for coder in coders:
            placed = set()
            for first, last, category in truth:
                if rng.random() < 0.12:  # missed
                    continue
                if rng.random() < 0.08:  # another category
                    category = str(rng.choice(SPAN_CATEGORIES))
                first = max(0, first + int(rng.choice([-1, 0, 0, 0, 0, 1])))
                last = max(first + 1, last + int(rng.choice([-1, 0, 0, 0, 0, 1])))
                placed.add((words[first][0], words[min(last, len(words)) - 1][1], category))
            if rng.random() < 0.5:  # an extra span nobody else sees
                k = int(rng.integers(len(words) - 2))
                placed.add((words[k][0], words[k + 1][1], str(rng.choice(SPAN_CATEGORIES))))
            for start, end, category in sorted(placed):
                project.add_annotation(doc.id, coder, category, start, end)
            for category, values in DOCUMENT_CODES.items():
                code = true_codes[category]
                if rng.random() < 0.15:
                    code = int(np.clip(code + rng.choice([-1, 1]), 0, len(values) - 1))
                project.set_document_label(doc.id, coder, category, values[code])
            project.set_status(doc.id, coder, Status.DONE, add_seconds=float(rng.integers(120, 900)))
    return project


def alpha_matrix(rng: np.random.Generator, coders: int, units: int, values: int = 5) -> np.ndarray:
    truth = rng.integers(1, values + 1, size=units)
    data = np.tile(truth, (coders, 1)).astype(float)
    noise = rng.random(data.shape) < 0.2
    data[noise] = rng.integers(1, values + 1, size=int(noise.sum()))
    data[rng.random(data.shape) < 0.1] = np.nan
    return data


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = folder / "demo.db"
        with contextlib.redirect_stdout(io.StringIO()):
            cli_main(["demo", "--project", str(demo), "--quiet"])
        with Project.open(demo) as project:
            seconds, report = timed(lambda: build_report(project, bootstrap_samples=1000))
            rows.append(("build_report, demo (22 docs × 3 coders, 14 categories, 1000 resamples)", f"{seconds:.2f} s", "—", "—"))
            seconds, _ = timed(lambda: write_workbook(report, folder / "demo.xlsx"))
            rows.append(("write_workbook, demo", f"{seconds:.2f} s", "—", "—"))

        n_docs = 60 if quick else 300
        t0 = time.perf_counter()
        coders = [f"coder{i}" for i in range(1, 6)]
        (folder / "syn").mkdir()
        with synthetic_project(folder / "syn", n_docs, coders) as project:
            setup = time.perf_counter() - t0
            info = project.info()
            seconds, report = timed(lambda: build_report(project, bootstrap_samples=1000), repeat=1 if not quick else 3)
            what = f"build_report, synthetic ({n_docs} docs × 5 coders, {info.annotations} spans, 1000 resamples)"
            rows.append((what, f"{seconds:.2f} s", "—", "—"))
            seconds0, _ = timed(lambda: build_report(project, bootstrap_samples=0), repeat=1)
            rows.append(("  the same without bootstrap", f"{seconds0:.2f} s", "—", "—"))
            seconds, _ = timed(lambda: write_workbook(report, folder / "synthetic.xlsx"), repeat=1)
            rows.append((f"write_workbook, synthetic ({len(report.disagreements)} disagreements)", f"{seconds:.2f} s", "—", "—"))
            hedge = report.row("hedge")
            print(f"(synthetic study built in {setup:.1f} s; hedge αu = {hedge.alpha_u:.3f}, "
                  f"tone α = {report.row('tone').alpha:.3f})")  # fmt: skip

    try:
        import krippendorff
    except ImportError:
        krippendorff = None
    rng = np.random.default_rng(1)
    data = alpha_matrix(rng, 10, 5000)
    for level in ("nominal", "ordinal", "interval"):
        ours_s, ours = timed(lambda: krippendorff_alpha(data, level), repeat=7)
        if krippendorff is None:
            rows.append((f"krippendorff_alpha 10 × 5000, {level}", f"{ours_s * 1000:.1f} ms", "not installed", "—"))
            continue
        theirs_s, theirs = timed(lambda: krippendorff.alpha(reliability_data=data, level_of_measurement=level), repeat=7)
        if abs(ours - theirs) > 1e-9:
            print(f"warning: {level} alpha differs: ours {ours!r}, krippendorff {theirs!r}")
        rows.append((f"krippendorff_alpha 10 × 5000, {level} (α = {ours:.4f})", f"{ours_s * 1000:.1f} ms",
                     f"{theirs_s * 1000:.1f} ms", f"{ours_s / theirs_s:.2f}"))  # fmt: skip

    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'ours':>10}  {'krippendorff':>13}  {'ours/theirs':>11}")
    for what, ours, theirs, ratio in rows:
        print(f"{what:<{width}}  {ours:>10}  {theirs:>13}  {ratio:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
