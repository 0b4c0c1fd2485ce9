"""How long a reliability report takes, and how our alpha compares with the `krippendorff` package.

    .venv/bin/python benchmarks/agreement_speed.py [--quick] [--requirement-only] [--with-project] [--project PATH]

Prints two tables: what was timed, our figure, the peer's figure where there is one, the ratio.

The first puts whole reports through `build_report`: the demo project, and a synthetic study of
300 articles coded by 5 coders who agree most of the time, with shifted boundaries, misses and
extra spans, plus three document-level codes.

The second is the speed requirement: 1,000 documents of about 2,000 characters, 3 coders, 20
categories (14 span categories with 3-8 spans per category, coder and document, 6 document-level
codes), generated here and held in memory as `SpanDocument` lists and coders × documents
matrices. Every coefficient the report gives must take at most 2 s, and with 1,000 bootstrap
resamples at most 10 s. The `krippendorff` package is timed on the same document-code matrices
and on the same token-level matrices; it has no unitizing alpha. `--with-project` also stores
the study in a SQLite project (several minutes: one commit per label) and times `build_report`
on it; `--project PATH` keeps that project at PATH and reuses it on the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotator.agreement import (
    AgreementUndefined,
    SpanDocument,
    alpha_details,
    alpha_without_each_coder,
    binary_unitized_alpha,
    bootstrap_alpha,
    bootstrap_unitized_alpha,
    brennan_prediger_kappa,
    disagreements,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    pairwise_confusion_matrices,
    pairwise_span_f1,
    percent_agreement,
    token_agreement,
    token_matrix,
    unitized_alpha_details,
)
from annotator.agreement.data import TOKEN_PATTERN
from annotator.agreement.report import CONFIDENCE, DEFAULT_SEED, DEFAULT_THRESHOLDS, TOKEN_RULE, build_report
from annotator.cli import main as cli_main
from annotator.codebook import Category, Codebook, load_default
from annotator.domain import CategoryKind, Document, Status, Zone, ZoneKind
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


# --- the speed requirement: 1,000 documents × 3 coders × 20 categories ---------------------------

REQUIRED_DOCUMENTS = 1000
REQUIRED_CODERS = ("anna", "ben", "chris")
EXTRA_SPAN_CATEGORIES = ("vague_quantifier", "emotional_appeal", "blame", "call_to_action", "metaphor", "number_claim")
LIMIT_WITHOUT_BOOTSTRAP, LIMIT_WITH_BOOTSTRAP = 2.0, 10.0
RESAMPLES = 1000


def requirement_codebook() -> Codebook:
    """The default codebook (8 span categories, 6 document-level ones) with 6 more span categories."""
    default = load_default()
    extra = tuple(
        Category(id=c, name=c.replace("_", " ").capitalize(), kind=CategoryKind.SPAN) for c in EXTRA_SPAN_CATEGORIES
    )
    span = tuple(c for c in default.categories if c.kind is CategoryKind.SPAN)
    document = tuple(c for c in default.categories if c.kind is CategoryKind.DOCUMENT)
    return Codebook(name="Requirement study", categories=(*span, *extra, *document))


@dataclass
class Study:
    """A generated study: texts, each coder's spans per document, each coder's document codes."""

    texts: list[str]
    spans: list[dict[str, list[tuple[int, int, str]]]]  # per document: coder -> (start, end, category)
    codes: dict[str, dict[str, list[str | None]]]  # category -> coder -> value per document
    codebook: Codebook

    @property
    def span_categories(self) -> list[Category]:
        return [c for c in self.codebook.categories if c.kind is CategoryKind.SPAN]

    @property
    def document_categories(self) -> list[Category]:
        return [c for c in self.codebook.categories if c.kind is CategoryKind.DOCUMENT]


def requirement_study(n_docs: int = REQUIRED_DOCUMENTS, seed: int = 11) -> Study:
    """Texts of about 2,000 characters with, per category, 3-8 true spans of 1-6 words. Each coder
    misses a true span 10% of the time, now and then starts or ends it a word early or late, and
    in 30% of the documents adds a span of their own; each coder gets a document code wrong 15%
    of the time and leaves it out 2% of the time."""
    rng = np.random.default_rng(seed)
    book = requirement_codebook()
    span_ids = [c.id for c in book.categories if c.kind is CategoryKind.SPAN]
    texts, spans = [], []
    for _ in range(n_docs):
        sentences, size = [], 0
        while size < 2000:
            words = rng.choice(WORDS, size=int(rng.integers(6, 16)))
            sentences.append(" ".join(words).capitalize() + ".")
            size += len(sentences[-1]) + 1
        text = " ".join(sentences)
        words_at = np.array([m.span() for m in TOKEN_PATTERN.finditer(text) if m.group()[0].isalnum()])
        n_words = len(words_at)
        per_coder: dict[str, list[tuple[int, int, str]]] = {c: [] for c in REQUIRED_CODERS}
        for category in span_ids:
            k = int(rng.integers(3, 9))
            first = rng.integers(0, n_words - 8, size=k)
            last = first + rng.integers(0, 6, size=k)
            for coder in REQUIRED_CODERS:
                kept = rng.random(k) >= 0.10
                shift = rng.choice([-1, 0, 0, 0, 0, 0, 1], size=(2, k))
                a = np.clip(first + shift[0], 0, n_words - 1)
                b = np.clip(last + shift[1], a, n_words - 1)
                per_coder[coder].extend(
                    (int(words_at[x, 0]), int(words_at[y, 1]), category) for x, y in zip(a[kept], b[kept])
                )
                if rng.random() < 0.30:
                    x = int(rng.integers(n_words - 3))
                    per_coder[coder].append((int(words_at[x, 0]), int(words_at[x + 2, 1]), category))
        texts.append(text)
        spans.append(per_coder)
    codes: dict[str, dict[str, list[str | None]]] = {}
    for category in (c for c in book.categories if c.kind is CategoryKind.DOCUMENT):
        values = category.values
        truth = rng.integers(len(values), size=n_docs)
        codes[category.id] = {}
        for coder in REQUIRED_CODERS:
            given = truth.copy()
            wrong = rng.random(n_docs) < 0.15
            given[wrong] = np.clip(given[wrong] + rng.choice([-1, 1], size=int(wrong.sum())), 0, len(values) - 1)
            missing = rng.random(n_docs) < 0.02
            codes[category.id][coder] = [None if gap else values[v] for v, gap in zip(given.tolist(), missing)]
    return Study(texts=texts, spans=spans, codes=codes, codebook=book)


@dataclass
class InMemory:
    """The study as the coefficients take it, built directly (no database), as the report cuts it."""

    documents: list[SpanDocument]  # all span categories
    by_category: dict[str, list[SpanDocument]]  # one span category each
    without: dict[str, list[SpanDocument]]  # all categories, one coder left out
    matrices: dict[str, list[list[float | None]]]  # coders × documents, values numbered 1, 2, … in codebook order
    study: Study


def in_memory(study: Study) -> InMemory:
    tokens = [np.array([m.span() for m in TOKEN_PATTERN.finditer(t)], dtype=np.int64) for t in study.texts]

    def documents(only_category=None, without_coder=None) -> list[SpanDocument]:
        return [
            SpanDocument(
                len(text),
                {c: [s for s in spans[c] if only_category in (None, s[2])] for c in REQUIRED_CODERS if c != without_coder},
                tokens=toks,
            )
            for text, spans, toks in zip(study.texts, study.spans, tokens)
        ]

    matrices = {}
    for category in study.document_categories:
        number = {v: float(i) for i, v in enumerate(category.values, start=1)}
        matrices[category.id] = [[None if v is None else number[v] for v in study.codes[category.id][coder]]
                                 for coder in REQUIRED_CODERS]  # fmt: skip
    return InMemory(
        documents=documents(),
        by_category={c.id: documents(only_category=c.id) for c in study.span_categories},
        without={coder: documents(without_coder=coder) for coder in REQUIRED_CODERS},
        matrices=matrices,
        study=study,
    )


def all_coefficients(data: InMemory, samples: int) -> dict[str, float | None]:
    """Every coefficient `build_report` gives, on the in-memory study; intervals when ``samples``."""
    coders = list(REQUIRED_CODERS)
    seen: dict[str, float | None] = {}

    def keep(name: str, compute) -> None:
        try:
            seen[name] = compute()
        except AgreementUndefined:
            seen[name] = None

    def interval(name: str, compute) -> None:
        if samples:
            keep(name, lambda: compute().low)

    details = unitized_alpha_details(data.documents)
    loo = {coder: unitized_alpha_details(docs) for coder, docs in data.without.items()}
    for category in data.study.span_categories:
        c, docs = category.id, data.by_category[category.id]
        keep(f"{c} αu", lambda: details.alpha(c))
        keep(f"{c} |uα", lambda: binary_unitized_alpha(docs, c))
        tokens = token_agreement(docs, c, rule=TOKEN_RULE)
        seen[f"{c} token α"] = tokens.alpha
        for match in ("exact", "overlap"):
            pairs = pairwise_span_f1(docs, match=match, category=c)
            keep(f"{c} F1 {match}", lambda: float(np.mean([f.f1 for f in pairs.values()])))
        interval(f"{c} αu low", lambda: bootstrap_unitized_alpha(
            docs, c, n_samples=samples, confidence=CONFIDENCE, thresholds=DEFAULT_THRESHOLDS, seed=DEFAULT_SEED))
        for coder, without in loo.items():
            keep(f"{c} αu without {coder}", lambda: without.alpha(c))
    keep("all αu", lambda: details.alpha(None))
    keep("all |uα", lambda: binary_unitized_alpha(data.documents, None))
    interval("all αu low", lambda: bootstrap_unitized_alpha(
        data.documents, None, n_samples=samples, confidence=CONFIDENCE, thresholds=DEFAULT_THRESHOLDS,
        seed=DEFAULT_SEED))  # fmt: skip
    for category in data.study.document_categories:
        c, coded = category.id, data.matrices[category.id]
        numbers = [float(i) for i in range(1, len(category.values) + 1)]
        order = numbers if category.level == "ordinal" else None
        weights = "quadratic" if category.level != "nominal" else None
        keep(f"{c} α", lambda: krippendorff_alpha(coded, category.level, value_order=order))
        keep(f"{c} agreement", lambda: percent_agreement(coded))
        complete = [all(row[u] is not None for row in coded) for u in range(len(coded[0]))]
        keep(f"{c} Fleiss κ", lambda: fleiss_kappa([[v for v, k in zip(row, complete) if k] for row in coded]))
        kappas = pairwise_cohen_kappa(coded, coders=coders, weights=weights, labels=numbers)
        seen[f"{c} mean Cohen κ"] = float(np.mean([k for k in kappas.values() if k is not None]))
        keep(f"{c} Brennan–Prediger κ", lambda: brennan_prediger_kappa(coded, categories=numbers))
        keep(f"{c} AC1", lambda: gwet_ac1(coded, categories=numbers))
        interval(f"{c} α low", lambda: bootstrap_alpha(
            coded, category.level, n_samples=samples, confidence=CONFIDENCE, thresholds=DEFAULT_THRESHOLDS,
            seed=DEFAULT_SEED, method="units", value_order=order))  # fmt: skip
        pairwise_confusion_matrices(coded, coders=coders, labels=numbers)
        alpha_without_each_coder(coded, category.level, coders=coders, value_order=order)
        disagreements(coded, category.level, coders=coders, value_order=order)
        keep(f"{c} D_o", lambda: alpha_details(coded, category.level, value_order=order).observed_disagreement)
    return seen


def requirement_project(path: Path, study: Study) -> Project:
    """The study in a SQLite project: one body zone per document (so the continuum is the whole
    text, as in memory), every label through the project API."""
    project = Project.create(path, codebook=study.codebook, name="Requirement study")
    project.add_documents(
        Document(
            id=0, external_id=f"req-{n:04d}", title=f"Meldung {n}", outlet=None, url=None, published=None, text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), layout="clean", source_file=None, extra={},
            zones=(Zone(ZoneKind.BODY, 0, len(text)),),
        )  # fmt: skip
        for n, text in enumerate(study.texts)
    )
    ids = [d.id for d in project.list_documents()]
    started = time.perf_counter()
    for n, (doc_id, spans) in enumerate(zip(ids, study.spans), start=1):
        for coder in REQUIRED_CODERS:
            for start, end, category in spans[coder]:
                project.add_annotation(doc_id, coder, category, start, end)
            for category, given in study.codes.items():
                if given[coder][n - 1] is not None:
                    project.set_document_label(doc_id, coder, category, given[coder][n - 1])
            project.set_status(doc_id, coder, Status.DONE)
        if n % 100 == 0:
            print(f"  … {n} of {len(ids)} documents stored ({time.perf_counter() - started:.0f} s)", flush=True)
    return project


def requirement_case(quick: bool, *, with_project: bool, project_path: str | None) -> int:
    t0 = time.perf_counter()
    study = requirement_study()
    data = in_memory(study)
    n_spans = sum(len(s) for spans in study.spans for s in spans.values())
    n_tokens = sum(len(d.tokens) for d in data.documents)
    n_chars = sum(len(t) for t in study.texts)
    print(f"Speed requirement: {REQUIRED_DOCUMENTS:,} documents × {len(REQUIRED_CODERS)} coders × "
          f"{len(study.span_categories) + len(study.document_categories)} categories "
          f"({len(study.span_categories)} span, {len(study.document_categories)} document-level); "
          f"{n_spans:,} spans, {n_chars:,} characters, {n_tokens:,} tokens; generated in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip

    repeat = 1 if quick else 3
    plain_s, values = timed(lambda: all_coefficients(data, 0), repeat=repeat)
    boot_s, _ = timed(lambda: all_coefficients(data, RESAMPLES), repeat=repeat)
    rows = [
        (f"all coefficients, no bootstrap (limit {LIMIT_WITHOUT_BOOTSTRAP:g} s)", f"{plain_s:.2f} s", "—", "—"),
        (f"all coefficients, {RESAMPLES:,} bootstrap resamples (limit {LIMIT_WITH_BOOTSTRAP:g} s)",
         f"{boot_s:.2f} s", "—", "—"),  # fmt: skip
    ]
    unitizing_s, _ = timed(lambda: [unitized_alpha_details(data.documents),
                                    *(binary_unitized_alpha(d, c) for c, d in data.by_category.items())],
                           repeat=repeat)  # fmt: skip
    rows.append((f"  of which alpha-u and |uα, {len(data.by_category)} categories", f"{unitizing_s:.2f} s",
                 "no unitizing α", "—"))  # fmt: skip
    rows.extend(_against_krippendorff(data, repeat))
    print_table(rows)
    failed = plain_s > LIMIT_WITHOUT_BOOTSTRAP or boot_s > LIMIT_WITH_BOOTSTRAP
    print(f"requirement {'NOT met' if failed else 'met'}: {plain_s:.2f} s ≤ {LIMIT_WITHOUT_BOOTSTRAP:g} s and "
          f"{boot_s:.2f} s ≤ {LIMIT_WITH_BOOTSTRAP:g} s (median of {repeat} run(s) on {os.cpu_count()} core(s))")
    if with_project or project_path:
        _report_on_project(study, values, project_path, repeat=1)
    return 1 if failed else 0


def _against_krippendorff(data: InMemory, repeat: int) -> list[tuple[str, str, str, str]]:
    try:
        import krippendorff
    except ImportError:
        return [("krippendorff package", "—", "not installed", "—")]
    levels = {c.id: c.level for c in data.study.document_categories}
    codes = {c: np.array([[np.nan if v is None else v for v in row] for row in m]) for c, m in data.matrices.items()}
    marks = {c: token_matrix(docs, c, rule=TOKEN_RULE)[1] for c, docs in data.by_category.items()}
    n_tokens = next(iter(marks.values())).shape[1]
    rows = []
    for what, matrices in (
        (f"α on the {len(codes)} document-code matrices ({len(REQUIRED_CODERS)} × {REQUIRED_DOCUMENTS:,})",
         {c: (m, levels[c]) for c, m in codes.items()}),
        (f"α on the {len(marks)} token matrices ({len(REQUIRED_CODERS)} × {n_tokens:,}, 0/1)",
         {c: (m, "nominal") for c, m in marks.items()}),
    ):  # fmt: skip
        ours_s, ours = timed(lambda: {c: krippendorff_alpha(m, level) for c, (m, level) in matrices.items()}, repeat)
        theirs_s, theirs = timed(
            lambda: {c: krippendorff.alpha(reliability_data=m, level_of_measurement=level)
                     for c, (m, level) in matrices.items()}, repeat)  # fmt: skip
        worst = max(abs(ours[c] - theirs[c]) for c in matrices)
        if worst > 1e-9:
            print(f"warning: alphas differ from the krippendorff package's by up to {worst:.2e}")
        rows.append((what, f"{ours_s * 1000:.0f} ms", f"{theirs_s * 1000:.0f} ms", f"{ours_s / theirs_s:.2f}"))
    return rows


def _report_on_project(study: Study, in_memory_values: dict, project_path: str | None, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(project_path) if project_path else Path(tmp) / "requirement.db"
        if path.exists():
            project = Project.open(path)
            print(f"\nbuild_report on the study stored in {path}")
        else:
            print(f"\nstoring the study in a SQLite project at {path} (one commit per label, several minutes)")
            t0 = time.perf_counter()
            project = requirement_project(path, study)
            print(f"  stored in {time.perf_counter() - t0:.0f} s")
        with project:
            rows = []
            for samples in (0, RESAMPLES):
                seconds, report = timed(lambda: build_report(project, bootstrap_samples=samples), repeat=repeat)
                rows.append((f"build_report, {samples:,} resamples (SQLite, {report.documents:,} documents)",
                             f"{seconds:.2f} s", "—", "—"))  # fmt: skip
            hedge, tone = report.row("hedge").alpha, report.row("tone").alpha
            if abs(hedge - in_memory_values["hedge αu"]) > 1e-12 or abs(tone - in_memory_values["tone α"]) > 1e-12:
                print("warning: the report's alphas differ from the in-memory ones")
            print_table(rows)
            print(f"(hedge αu = {hedge:.4f}, tone α = {tone:.4f}, as in memory)")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    if "--requirement-only" in argv:
        return requirement_case(quick, with_project="--with-project" in argv, project_path=_option(argv, "--project"))
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

    print_table(rows)
    print()
    return requirement_case(quick, with_project="--with-project" in argv, project_path=_option(argv, "--project"))


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'ours':>10}  {'krippendorff':>13}  {'ours/theirs':>11}")
    for what, ours, theirs, ratio in rows:
        print(f"{what:<{width}}  {ours:>10}  {theirs:>13}  {ratio:>11}")


def _option(argv: list[str], name: str) -> str | None:
    if name in argv and argv.index(name) + 1 < len(argv):
        return argv[argv.index(name) + 1]
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
