"""Command line for data exchange: span exports (CSV, XLSX, JSONL), spaCy DocBin, WebAnno TSV, coding manual.

spaCy and openpyxl are imported only inside the writers, so these commands start fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_support import EXIT_ERROR, EXIT_OK, Progress, print_problems
from .codebook import load_codebook
from .domain import Origin
from .errors import AnnotatorError
from .project import Project
from .export.exchange import export_docbin, export_spans, import_spans_jsonl
from .export.manual import write_manual_docx, write_manual_markdown
from .export.qdpx import export_qdc, export_qdpx
from .export.qdpx_import import import_qdc, import_qdpx
from .export.webanno import export_webanno
from .export.webanno_import import import_webanno, read_tag_map
from .export.webanno_tsv import looks_like_webanno


def _print_export(result) -> int:
    if result.cancelled:
        print("export cancelled; nothing was written")
        return EXIT_ERROR
    for path in result.paths[:3]:
        print(f"wrote {path}")
    if len(result.paths) > 3:
        print(f"… and {len(result.paths) - 3} more file(s)")
    print(result.summary())
    print_problems("skipped", result.skipped)
    for warning in result.warnings:
        print(f"warning: {warning}")
    return EXIT_OK


def _export(args: argparse.Namespace, target: str, write, **options) -> int:
    """Open the project, run one writer with a progress display, print what it wrote."""
    with Project.open(args.project) as project:
        progress = Progress(f"exporting {target}", args.quiet)
        result = write(project, target, args.coder or None, progress=progress, **options)
        progress.finish()
    return _print_export(result)


def cmd_export_spans(args: argparse.Namespace) -> int:
    return _export(args, args.file, export_spans, delimiter=args.delimiter, raw_cells=args.raw_cells)


def cmd_export_docbin(args: argparse.Namespace) -> int:
    return _export(args, args.file, export_docbin)


def cmd_export_webanno(args: argparse.Namespace) -> int:
    return _export(args, args.folder, export_webanno)


def cmd_export_manual(args: argparse.Namespace) -> int:
    if args.codebook:
        book = load_codebook(args.codebook)
    elif args.project:
        with Project.open(args.project) as project:
            book = project.codebook()
    else:
        raise AnnotatorError("export-manual needs --project or --codebook")
    suffix = Path(args.file).suffix.lower()
    if suffix == ".md":
        write_manual_markdown(book, args.file, title=args.title)
    elif suffix == ".docx":
        write_manual_docx(book, args.file, title=args.title)
    else:
        raise AnnotatorError(f"{args.file}: write the manual as .md or .docx")
    print(f"coding manual written to {args.file}")
    return EXIT_OK


def cmd_import_spans(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        origin = Origin.IMPORTED if args.mark_imported else None
        report = import_spans_jsonl(project, args.file, origin=origin, replace_codes=args.replace_codes)
    print(f"{args.file}: {report.summary()}")
    print_problems("rejected", report.rejected)
    return EXIT_OK if not report.rejected else EXIT_ERROR


def cmd_import_webanno(args: argparse.Namespace) -> int:
    tag_map = read_tag_map(args.map_file) if args.map_file else {}
    for pair in args.map or ():
        tag, sep, category = pair.rpartition("=")
        if not sep or not tag or not category:
            raise AnnotatorError(f"--map expects TAG=category (e.g. PER=unnamed_source), got {pair!r}")
        tag_map[tag] = category
    with Project.open(args.project) as project:
        progress = Progress(f"importing {args.path}", args.quiet)
        report = import_webanno(
            project, args.path, coder=args.coder, layer=args.layer, label_feature=args.label_feature,
            tag_map=tag_map, gold_coder=args.gold_coder, create_documents=not args.no_new_documents, progress=progress,
        )  # fmt: skip
        progress.finish()
    print(f"{args.path}: {report.files} file(s); {report.summary()}")
    if report.unmapped:
        print("  map a tag to a category with --map TAG=category (or a --map-file), then import again")
    print_problems("notes", report.notes)
    print_problems("rejected", report.rejected)
    return EXIT_OK if not report.rejected else EXIT_ERROR


def cmd_export_qdpx(args: argparse.Namespace) -> int:
    return _export(args, args.file, export_qdpx)


def cmd_export_qdc(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        result = export_qdc(project, args.file)
    print(f"codebook written to {args.file}")
    return EXIT_OK if not result.cancelled else EXIT_ERROR


def cmd_import_qdpx(args: argparse.Namespace) -> int:
    # Like `import`, a project that does not exist yet is created: a .qdpx brings its own texts.
    with Project.create(args.project, exist_ok=True) as project:
        progress = Progress(f"importing {args.file}", args.quiet)
        report = import_qdpx(
            project, args.file, coder=args.coder, add_codes=args.add_codes,
            create_documents=not args.no_new_documents, progress=progress,
        )  # fmt: skip
        progress.finish()
    print(f"{args.file}: {report.summary()}")
    if report.unmapped:
        print("  give the codebook categories of these names, or import with --add-codes")
    print_problems("notes", report.notes)
    print_problems("rejected", report.rejected)
    return EXIT_OK if not report.rejected else EXIT_ERROR


def cmd_import_qdc(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        result = import_qdc(project, args.file)
    print(f"{args.file}: {result.summary()}")
    return EXIT_OK


_EXCHANGE_SUFFIXES = {".qdpx": "import-qdpx", ".qdc": "import-qdc"}


def refuse_exchange_files(paths: list[str]) -> None:
    """Stop `annotator import` on label files of other tools, naming the command that reads them.

    Read as a corpus, a WebAnno TSV file would be rejected row by row ("no text column") and a
    REFI-QDA project not at all, and the import would end as if nothing were wrong.
    """
    for raw in paths:
        path = Path(raw)
        command = _EXCHANGE_SUFFIXES.get(path.suffix.lower())
        if command and path.is_file():
            raise AnnotatorError(f"{raw}: a REFI-QDA file (MAXQDA, ATLAS.ti, NVivo, QualCoder); read it with 'annotator {command}'")
        if path.is_file() and looks_like_webanno(path):
            raise AnnotatorError(
                f"{raw}: a WebAnno TSV file (INCEpTION), not a corpus of articles; "
                "import its labels with 'annotator import-webanno'"
            )
        if path.is_dir():
            found = [p for p in sorted(path.rglob("*.tsv")) if looks_like_webanno(p)]
            if found:
                raise AnnotatorError(
                    f"{raw}: holds {len(found)} WebAnno TSV file(s) (INCEpTION), not a corpus of articles "
                    f"(e.g. {found[0].relative_to(path)}); import their labels with 'annotator import-webanno'"
                )


def add_parsers(sub) -> None:
    coder_help = "export only this coder's labels (repeatable; e.g. --coder gold)"

    p = sub.add_parser("export-spans", help="export span labels and document codes to .csv, .xlsx or .jsonl")
    p.add_argument("file", help="spans.csv (codes go to spans_document_codes.csv), spans.xlsx or spans.jsonl")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--coder", action="append", metavar="NAME", help=coder_help)
    p.add_argument("--delimiter", default=",", help="CSV delimiter (default ','; use ';' for Excel in a German locale)")
    p.add_argument("--raw-cells", action="store_true", help="CSV: write texts beginning with = + - @ as they are, "
                   "without the leading ' that keeps a spreadsheet from running them as formulas (for scripts)")  # fmt: skip
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_export_spans)

    p = sub.add_parser("export-docbin", help="export documents with each coder's spans as a spaCy DocBin (.spacy)")
    p.add_argument("file", help="output .spacy file")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--coder", action="append", metavar="NAME", help=coder_help + "; one coder also fills doc.cats")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_export_docbin)

    p = sub.add_parser("export-webanno", help="export span labels as WebAnno TSV 3.3 for INCEpTION, one file per document")
    p.add_argument("folder", help="folder for the .tsv files (created if needed)")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--coder", action="append", metavar="NAME", help=coder_help)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_export_webanno)

    p = sub.add_parser("export-manual", help="write the codebook as a coding manual (.md or .docx)")
    p.add_argument("file", help="manual.md or manual.docx")
    p.add_argument("--project", "-p", help="take the codebook from this project")
    p.add_argument("--codebook", help="or from this codebook TOML file")
    p.add_argument("--title", help="title on the first page (default: the codebook's name)")
    p.set_defaults(func=cmd_export_manual)

    p = sub.add_parser("import-spans", help="import span labels and document codes from an export-spans .jsonl file")
    p.add_argument("file", help=".jsonl file written by export-spans")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--mark-imported", action="store_true", help="mark labels as imported instead of keeping their origin")
    p.add_argument("--replace-codes", action="store_true", help="overwrite document codes that differ from the file")
    p.set_defaults(func=cmd_import_spans)

    p = sub.add_parser("import-webanno", help="import span labels from WebAnno TSV 3 files (e.g. an INCEpTION export)")
    p.add_argument("path", help="a .tsv file or a folder of them (an INCEpTION project export: one coder per user)")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--coder", help="coder of files that name none (outside INCEpTION's annotation/<document>/<user>.tsv)")
    p.add_argument("--layer", help="span layer to read (default: the first with the label feature)")
    p.add_argument("--label-feature", default="label", metavar="NAME",
                   help="the feature holding the tag (default 'label'; 'value' for INCEpTION's named entities)")  # fmt: skip
    p.add_argument("--map", action="append", metavar="TAG=CATEGORY", help="take a tag as a category (repeatable)")
    p.add_argument("--map-file", metavar="FILE", help="a file of TAG=category lines")
    p.add_argument("--gold-coder", metavar="NAME", help="coder for CURATION_USER files (default: the gold coder)")
    p.add_argument("--no-new-documents", action="store_true", help="reject files whose document is not in the project")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_import_webanno)

    p = sub.add_parser("export-qdpx", help="export the project as a REFI-QDA project (.qdpx) for MAXQDA, ATLAS.ti, NVivo, QualCoder")
    p.add_argument("file", help="output .qdpx file")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--coder", action="append", metavar="NAME", help=coder_help)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_export_qdpx)

    p = sub.add_parser("export-qdc", help="export the codebook as a REFI-QDA codebook (.qdc)")
    p.add_argument("file", help="output .qdc file")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.set_defaults(func=cmd_export_qdc)

    p = sub.add_parser("import-qdpx", help="import coded text from a REFI-QDA project (.qdpx)")
    p.add_argument("file", help="a .qdpx file (MAXQDA, ATLAS.ti, NVivo, QualCoder or annotator)")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.add_argument("--coder", help="coder of codings that name no user")
    p.add_argument("--add-codes", action="store_true", help="add codes the codebook lacks as span categories")
    p.add_argument("--no-new-documents", action="store_true", help="reject texts that are not in the project")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_import_qdpx)

    p = sub.add_parser("import-qdc", help="add the codes of a REFI-QDA codebook (.qdc) to the project's codebook")
    p.add_argument("file", help="a .qdc file (or a .qdpx, for its codebook)")
    p.add_argument("--project", "-p", required=True, help="project file (.db) or database URL")
    p.set_defaults(func=cmd_import_qdc)
