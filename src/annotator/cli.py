"""Command line: one small function per subcommand, each calling the project API only.

Errors the user can cause are printed as one line without a traceback, with exit code 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import __version__
from .codebook import load_codebook, save_codebook
from .coding_activity import coders_who_coded
from .corpus.labels import import_label_file
from .corpus.limits import DEFAULT_MAX_ARTICLE_CHARS
from .corpus.readers import readable_name
from .errors import AnnotatorError
from .project import Project
from .cli_support import EXIT_ERROR, EXIT_OK, Progress, parse_column_map, positive_int, print_problems
from .cli_support import import_report_lines, write_text_atomically
from . import cli_exchange, cli_team

def sample_corpus_path() -> Path:
    """The demo articles shipped next to ``src/``."""
    return Path(__file__).resolve().parents[2] / "sample_corpus"


# --- subcommands ---------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    cli_exchange.refuse_exchange_files(args.paths)
    codebook = load_codebook(args.codebook) if args.codebook else None
    column_map = parse_column_map(args.column)
    if args.report and not Path(args.report).resolve().parent.is_dir():
        raise AnnotatorError(f"{args.report}: the folder for the report does not exist")
    rest = f"(all of them in {args.report})" if args.report else "(--report FILE writes all of them)"
    everything: list[str] = []
    with Project.create(args.project, codebook=codebook, exist_ok=True) as project:
        for path in args.paths:
            shown = readable_name(path)  # a name that is not UTF-8 cannot be printed as it is
            if not Path(path).exists():
                raise AnnotatorError(f"{shown}: no such file or folder")
            progress = Progress(f"importing {shown}", args.quiet)
            report = project.import_corpus(
                path, column_map=column_map, max_article_chars=args.max_article_chars, progress=progress
            )
            progress.finish()
            print("\n".join(import_report_lines(shown, report, every=False, rest=rest)))
            if args.verbose:
                print_problems("duplicates", report.duplicates)
            everything += import_report_lines(shown, report, every=True)
        everything.append(f"project {readable_name(project.display_location)}: {project.document_count()} document(s)")
        print(everything[-1])
    if args.report:
        write_text_atomically(args.report, "\n".join(everything) + "\n")
        print(f"report written to {args.report}")
    return EXIT_OK


def cmd_import_labels(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        report = import_label_file(project, args.file)
        print(f"{args.file}: {report.summary()}")
        print_problems("rejected", report.rejected)
    return EXIT_OK if not report.rejected else EXIT_ERROR


def cmd_info(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        info = project.info()
        print(f"project:     {project.display_location} ({info.settings.name})")
        print(f"schema:      version {info.schema_version}")
        print(f"documents:   {info.documents}")
        print(f"categories:  {info.categories}")
        coders = coders_who_coded(project)  # a name that only opened documents is no coder
        print(f"coders:      {', '.join(coders) if coders else '(none yet)'}")
        for coder in coders:
            print(f"  {coder}: {info.done_by_coder.get(coder, 0)}/{info.documents} done")
        not_coding = [c for c in info.coders if c not in coders]
        if not_coding:
            print(f"not coded yet: {', '.join(not_coding)}")
        print(f"span labels: {info.annotations}")
        print(f"doc codes:   {info.document_labels}")
        print(f"blind coding: {'off (others visible)' if info.settings.show_others_labels else 'on'}")
        print(f"suggestions: {'on' if info.settings.suggestions_enabled else 'off'}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Build (or top up) the demo project from sample_corpus/: articles plus three coders' labels."""
    corpus = Path(args.corpus) if args.corpus else sample_corpus_path()
    if not corpus.is_dir():
        raise AnnotatorError(f"{corpus}: sample corpus folder not found")
    with Project.create(args.project, exist_ok=True, name="Demo study") as project:
        report = project.import_corpus(corpus)
        labels = [import_label_file(project, f) for f in sorted((corpus / "annotations").glob("*.annotations.jsonl"))]
        if not args.quiet:
            print(f"articles: {report.summary()}")
            print_problems("rejected (deliberately broken demo files)", report.rejected)
            print_problems("warnings", report.warnings)
            for lab in labels:
                print(f"labels: {lab.summary()}")
        print(f"demo project ready: {args.project}")
    return EXIT_OK


def cmd_codebook(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        if args.action == "export":
            with _output(args.file) as tmp:
                save_codebook(project.codebook(), tmp)
            print(f"codebook written to {args.file}")
        else:
            project.replace_codebook(load_codebook(args.file), source=args.file)
            print(f"codebook of {project.display_location} replaced from {args.file} ({len(project.categories())} categories)")
    return EXIT_OK


def _split_list(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def cmd_agreement(args: argparse.Namespace) -> int:
    import json

    from .agreement.data import ReliabilityFilter
    from .agreement.report import build_report

    flt = ReliabilityFilter(
        coders=_split_list(args.coders), categories=_split_list(args.categories), zones=_split_list(args.zones),
        statuses=tuple(_split_list(args.status) or ["done"]), include_gold=args.include_gold,
    )  # fmt: skip
    with Project.open(args.project) as project:
        progress = Progress("agreement", args.quiet)
        report = build_report(project, flt, bootstrap_samples=args.samples, seed=args.seed,
                              progress=lambda n, what="": progress(n, what))  # fmt: skip
        progress.finish()
    if args.json:
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        if args.json == "-":
            print(text)
        else:
            with _output(args.json) as tmp:
                tmp.write_text(text, encoding="utf-8")
            print(f"results written to {args.json}")
    if args.json != "-":
        _print_agreement_table(report)
    if args.xlsx:
        from .export.workbook import write_workbook

        result = write_workbook(report, args.xlsx)
        print(f"workbook written to {args.xlsx}")
        for warning in result.warnings:
            print(f"warning: {warning}")
    return EXIT_OK


@contextmanager
def _output(path: str) -> Iterator[Path]:
    """A file written whole or not at all (see `annotator.export.atomic`); a write error is the user's to fix."""
    from .export.atomic import atomic_output

    try:
        with atomic_output(path) as tmp:
            yield tmp
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot write ({exc.strerror or exc}); check the folder exists and is writable") from exc


def _print_agreement_table(report) -> None:
    if report.cancelled:
        print("cancelled before the report was complete")
        return
    low, high = min(report.thresholds), max(report.thresholds)
    print(f"{report.documents} document(s), coders: {', '.join(report.coders)}")
    print(f"{'category':<26}{'coef':>5}{'value':>8}{'95% CI':>16}{f'P<{low:.3f}':>9}{f'P<{high:.3f}':>9}  verdict")
    rows = [*report.rows()] + ([report.overall] if report.overall is not None else [])
    for r in rows:
        name = "all span categories" if r is report.overall else r.category
        coef = "αu" if getattr(r, "kind", "span") == "span" else "α"
        value = "—" if r.alpha is None else f"{r.alpha:.3f}"
        ci = f"{r.interval.low:.3f}–{r.interval.high:.3f}" if r.interval is not None else "—"
        p_low = f"{r.interval.prob_below.get(low, float('nan')):.3f}" if r.interval is not None else "—"
        p_high = f"{r.interval.prob_below.get(high, float('nan')):.3f}" if r.interval is not None else "—"
        print(f"{name:<26}{coef:>5}{value:>8}{ci:>16}{p_low:>9}{p_high:>9}  {r.verdict}")
        if getattr(r, "few_units", None):
            print(f"    ! {r.few_units}")
    for warning in report.warnings:
        print(f"note: {warning}")


def cmd_suggest(args: argparse.Namespace) -> int:
    from .nlp.project_run import project_pipeline, run_suggester

    with Project.open(args.project) as project:
        if args.off or args.on:
            project.update_settings(suggestions_enabled=bool(args.on))
            print(f"suggestions {'on' if args.on else 'off'} for {project.display_location} (recorded in every export)")
            return EXIT_OK
        if args.patterns is not None or args.outlets is not None:
            # Recorded in the project, so the app and every later run use the same rules.
            changes = {}
            if args.patterns is not None:
                changes["patterns_dir"] = "" if args.patterns == "default" else str(Path(args.patterns).resolve())
            if args.outlets is not None:
                changes["outlets_file"] = "" if args.outlets == "default" else str(Path(args.outlets).resolve())
            wanted = {**vars(project.settings()), **changes}
            project_pipeline(project, wanted["patterns_dir"] or None, wanted["outlets_file"] or None)  # before saving
            project.update_settings(**changes)
        settings = project.settings()
        model_dir = None if args.no_model else (args.model or settings.model_dir or None)
        progress = Progress("suggesting", args.quiet)
        report = run_suggester(
            project, patterns_dir=settings.patterns_dir or None, outlets_file=settings.outlets_file or None,
            model_dir=model_dir, model_threshold=args.model_threshold, force=args.force,
            progress=lambda done, total=None: progress(done, f"of {total}"),
        )  # fmt: skip
        progress.finish()
        print(report.summary())
        if args.stats:
            print(f"{'rule':<34}{'category':<22}{'fired':>7}{'accepted':>10}{'rejected':>10}")
            for r in project.suggestions.rule_stats():
                print(f"{r.rule_id:<34}{r.category:<22}{r.suggested:>7}{r.accepted:>10}{r.rejected:>10}")
    return EXIT_OK


def cmd_export_coder_file(args: argparse.Namespace) -> int:
    from .merge import export_coder_file

    with Project.open(args.project) as project:
        path = export_coder_file(project, args.output, coder=args.coder, with_labels=not args.blank)
    print(f"coder file for {args.coder or 'a new coder'} written to {path}")
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from .merge import merge_project

    mapping = {}
    for pair in args.map or []:
        old, sep, new = pair.partition("=")
        if not sep or not old or not new:
            raise AnnotatorError(f"--map expects SOURCE=STUDY category ids, got {pair!r}")
        mapping[old] = new
    with Project.create(args.into, exist_ok=True) as study:
        for source in args.sources:
            report = merge_project(source, study, mapping, replace_existing=args.replace)
            print(report.summary())
        print(f"{args.into}: {study.document_count()} document(s), coders: {', '.join(study.info().coders)}")
    return EXIT_OK


def cmd_gold(args: argparse.Namespace) -> int:
    from .gold import documents_by_disagreement, majority_gold

    with Project.open(args.project) as project:
        if args.auto == "majority":
            report = majority_gold(project, gold=args.coder, require_done=not args.any_status)
            print(report.summary())
        ranked = [d for d in documents_by_disagreement(project) if d[1]]
        print(f"{len(ranked)} document(s) with disputed units; most disputed first:")
        for doc_id, disputed in ranked[: args.top]:
            doc = project.document(doc_id)
            print(f"  {disputed:>4}  {doc.external_id or doc_id}  {doc.title or ''}"[:110])
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from .nlp.train import train_span_model

    with Project.open(args.project) as project:
        progress = Progress("training", args.quiet)
        heldout = None
        if args.heldout:
            try:
                heldout = [line.strip() for line in Path(args.heldout).read_text(encoding="utf-8").splitlines() if line.strip()]
            except OSError as exc:
                raise AnnotatorError(f"{args.heldout}: cannot read the held-out list ({exc.strerror or exc})") from exc
        report = train_span_model(
            project, categories=_split_list(",".join(args.category or [])), coders=_split_list(args.coders),
            output_dir=args.output, holdout=args.holdout, heldout=heldout, seed=args.seed,
            max_epochs=args.max_epochs, max_seconds=args.max_seconds,
            progress=lambda done, total=None: progress(done, f"epoch (at most {total})"),
        )  # fmt: skip
        progress.finish()
        print(report.summary())
        for line in report.score_table():
            print(line)
        if report.output_dir is not None and not report.cancelled:
            project.update_settings(model_dir=str(Path(report.output_dir).resolve()))
            print("'annotator suggest' now uses this model beside the rules (--no-model: rules only)")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    # Qt is imported only here: every other subcommand runs headless and starts fast.
    from .ui.app import run_app

    return run_app(args.project, coder=args.coder)


# --- parser --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Code framing devices in news articles and measure inter-coder reliability. "
        "Without a subcommand, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import articles (files or folders) into a project, creating it if needed")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.jsonl/.ndjson/.json/.csv/.tsv/.xlsx/.html files or folders")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--column", action="append", metavar="FIELD=COLUMN", help="map a CSV/XLSX/JSON column, e.g. text=Artikeltext (repeatable)")
    p.add_argument("--codebook", help="codebook TOML for a new project (default: the built-in German framing codebook)")
    p.add_argument("--max-article-chars", type=positive_int, default=DEFAULT_MAX_ARTICLE_CHARS, metavar="N",
                   help=f"reject longer articles by name (default {DEFAULT_MAX_ARTICLE_CHARS:,})")  # fmt: skip
    p.add_argument("--report", metavar="FILE", help="write every problem, warning, notice and duplicate to FILE (the screen shows 50 of each)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.add_argument("--verbose", "-v", action="store_true", help="also list where each duplicate came from")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("import-labels", help="import span labels, document codes and statuses from a JSONL label file")
    p.add_argument("file", help="*.annotations.jsonl file (see sample_corpus/annotations/)")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.set_defaults(func=cmd_import_labels)

    cli_exchange.add_parsers(sub)
    cli_team.add_parsers(sub)

    p = sub.add_parser("info", help="show what a project holds: documents, coders, progress, settings")
    p.add_argument("project_pos", nargs="?", metavar="PROJECT", help="project file (.db) or database URL")
    p.add_argument("--project", "-p", help="the same, as an option")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("demo", help="build the demo project from sample_corpus/ (articles and three coders' labels)")
    p.add_argument("--project", "-p", default="demo.db", help="where to write it (default: demo.db)")
    p.add_argument("--corpus", help="another corpus folder laid out like sample_corpus/")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the final line")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("codebook", help="export a project's codebook to TOML, or replace it from TOML")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file", help="codebook TOML file")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.set_defaults(func=cmd_codebook)

    p = sub.add_parser("agreement", help="inter-coder reliability per category: print it, write an Excel workbook or JSON")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--xlsx", help="write the reliability workbook (Summary, Pairwise, Disagreements, Raw data, Settings)")
    p.add_argument("--json", metavar="FILE", help="write machine-readable results ('-' prints them instead of the table)")
    p.add_argument("--coders", help="comma-separated coder names (default: every coder but gold)")
    p.add_argument("--categories", help="comma-separated category ids (default: all)")
    p.add_argument("--zones", help="comma-separated zone kinds, e.g. body,lead,image_caption (boilerplate never counts)")
    p.add_argument("--status", default="done", help="documents to use: done (every coder finished; default), any, or e.g. done,in_progress")
    p.add_argument("--include-gold", action="store_true", help="count the gold layer as a coder")
    p.add_argument("--samples", type=int, default=1000, help="bootstrap resamples for confidence intervals (0: none)")
    p.add_argument("--seed", type=int, default=20261125, help="bootstrap seed (same seed, same intervals)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_agreement)

    p = sub.add_parser("suggest", help="pre-annotate: run the rule-based suggester (only new or changed documents)")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--patterns", help="the project's own folder of pattern files (<category>.jsonl), kept in the project; 'default' goes back to resources/patterns/")
    p.add_argument("--outlets", help="the project's own outlet list, kept in the project; 'default' goes back to resources/outlets.txt")
    p.add_argument("--force", action="store_true", help="process every document again")
    p.add_argument("--model", help="also use this trained span model (default: the one 'annotator train' saved for the project)")
    p.add_argument("--no-model", action="store_true", help="rules only, even if the project has a trained model")
    p.add_argument("--model-threshold", type=float, default=0.5, help="lowest model score kept as a suggestion (default 0.5)")
    p.add_argument("--stats", action="store_true", help="print per-rule counts: fired, accepted, rejected")
    p.add_argument("--off", action="store_true", help="switch suggestions off for this project (unprimed coders)")
    p.add_argument("--on", action="store_true", help="switch suggestions back on")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("export-coder-file", help="write a self-contained project file for one offline coder")
    p.add_argument("output", help="new .db file to hand out")
    p.add_argument("--project", "-p", required=True, help="the study project (.db) or database URL")
    p.add_argument("--coder", help="the coder the file is for (their existing labels are included)")
    p.add_argument("--blank", action="store_true", help="leave the coder's existing labels out")
    p.set_defaults(func=cmd_export_coder_file)

    p = sub.add_parser("merge", help="merge coder files (or any projects) into a study; merging twice adds nothing")
    p.add_argument("sources", nargs="+", metavar="FILE", help="coder files / projects to bring in")
    p.add_argument("--into", required=True, help="the study project (created if missing)")
    p.add_argument("--map", action="append", metavar="SOURCE=STUDY", help="map a source category id to the study's (repeatable)")
    p.add_argument("--replace", action="store_true", help="the files are authoritative for their coders: labels deleted offline are deleted")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("gold", help="fill the gold layer where a majority agrees; list documents by disagreement")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--auto", choices=["majority"], help="take every unit a majority of coders agrees on exactly")
    p.add_argument("--coder", default="gold", help="name of the gold layer (default: gold)")
    p.add_argument("--any-status", action="store_true", help="also use documents not every coder has marked done")
    p.add_argument("--top", type=int, default=20, help="how many disputed documents to list (default 20)")
    p.set_defaults(func=cmd_gold)

    p = sub.add_parser("train", help="train a span model (spaCy spancat) on the project's labels and report held-out scores")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--category", action="append", help="category id(s) to learn (repeatable or comma-separated; default: all span categories)")
    p.add_argument("--coders", help="comma-separated coders whose labels are the examples (default: the gold layer if there is one, else every coder)")
    p.add_argument("--output", help="where to save the model (default: next to the project)")
    p.add_argument("--holdout", type=float, default=0.2, help="share of documents kept out of training to measure the model (default 0.2)")
    p.add_argument("--heldout", help="file of document ids (one per line) to measure on instead of a random share")
    p.add_argument("--max-epochs", type=int, default=100, help="at most this many passes over the data (default 100)")
    p.add_argument("--seed", type=int, default=20260, help="seed of the document split and the training")
    p.add_argument("--max-seconds", type=float, default=240.0, help="stop training after this long (default 240)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("open", help="open the desktop app (optionally on a project)")
    p.add_argument("project", nargs="?", help="project file (.db) or database URL")
    p.add_argument("--coder", help="code under this name, this run only (default: the name chosen for this project before, else asked)")
    p.set_defaults(func=cmd_open)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["open", *(argv or [])])
    if args.command == "info":
        args.project = args.project or args.project_pos
        if not args.project:
            parser.error("info needs a project: annotator info study.db")
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except AnnotatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; everything committed so far is stored, and no unfinished output file is left", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        refusal = _database_refusal(exc)
        if refusal is None:
            raise
        print(f"error: {refusal}", file=sys.stderr)
        return EXIT_ERROR


def _database_refusal(exc: Exception) -> str | None:
    """A database error as one line: on a server, most often a member's role not allowing the command."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    first = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc).strip() else type(exc).__name__
    if "permission denied" in first or "row-level security" in first:
        return f"the database refused this for your login ({first}); on a team server this is a lead's task"
    return f"the database reported an error: {first}"
