"""Run the suggester over a project: only documents whose text or pattern set changed since last time.

With a trained span model (`model_dir`, see :mod:`.train`), rules and model run together: the model's
suggestions are stored beside the rules' ones (``rule_id = "model:<name>"``, ``extra["score"]``), and a
span both propose is stored once, as the rule's, with the model's score. The version stored with each
document then names the pattern set and the model, so training the model again makes every document
due for a new run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..domain import CategoryKind
from ..errors import AnnotatorError

if TYPE_CHECKING:
    from spacy.language import Language

    from ..project import Project


@dataclass
class SuggestRunReport:
    documents: int = 0  # processed in this run
    up_to_date: int = 0  # skipped: same text and pattern set as last time
    suggestions: int = 0
    pattern_version: str = ""
    cancelled: bool = False
    too_long: list[str] = field(default_factory=list)  # "<document>: <why>", left out of this run

    def summary(self) -> str:
        line = (f"{self.documents} document(s) processed, {self.up_to_date} already up to date, "
                f"{self.suggestions} suggestion(s) stored (pattern set {self.pattern_version[:12]})")  # fmt: skip
        if self.too_long:
            line += f"; {len(self.too_long)} skipped: " + "; ".join(self.too_long)
        return line + (" — cancelled; finished documents are stored" if self.cancelled else "")


def project_pipeline(
    project: "Project", patterns_dir: str | Path | None = None, outlets_file: str | Path | None = None
) -> "Language":
    """The rule pipeline for `project`: the shipped set, or its own folder and outlet list, checked first.

    Raises `PatternError` naming the file (and line) to correct. Call it before saving a new folder in
    the project's settings, so that a broken folder is never saved.
    """
    from .patterns import PatternError, check_pattern_set
    from .pipeline import build_pipeline
    from .suggest import default_pipeline

    if outlets_file is not None and not Path(outlets_file).is_file():
        raise PatternError(f"{outlets_file}: no such outlet list")
    if patterns_dir is not None:
        spans = [c.id for c in project.categories(CategoryKind.SPAN)]
        documents = [c.id for c in project.categories(CategoryKind.DOCUMENT)]
        check_pattern_set(patterns_dir, spans, documents)
    if patterns_dir is None and outlets_file is None:
        return default_pipeline()
    return build_pipeline(Path(patterns_dir) if patterns_dir else None, Path(outlets_file) if outlets_file else None)


def run_suggester(
    project: "Project",
    *,
    patterns_dir: str | Path | None = None,
    outlets_file: str | Path | None = None,
    model_dir: str | Path | None = None,
    model_threshold: float = 0.5,
    force: bool = False,
    batch_size: int = 32,
    progress: Callable[[int, int | None], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> SuggestRunReport:
    if not project.settings().suggestions_enabled:
        raise AnnotatorError("suggestions are switched off for this project (a strictly manual study)")
    from ..project.suggestions import NewSuggestion
    from .patterns import PatternError, pattern_set_version
    from .suggest import suggest_documents

    try:
        nlp = project_pipeline(project, patterns_dir, outlets_file)
    except PatternError as error:
        raise PatternError(f"{error}{_way_back(project, patterns_dir, outlets_file)}") from error
    version = pattern_set_version(nlp)
    if model_dir is not None:
        from .span_model import load_span_model, model_fingerprint

        load_span_model(model_dir)  # a missing or broken model fails here, before any document is touched
        version = hashlib.sha256(f"{version}+{model_fingerprint(model_dir)}".encode()).hexdigest()[:16]
    # Code rules propose fixed categories (direct_quote …): only the codebook's span categories are kept.
    known = {c.id for c in project.categories(CategoryKind.SPAN)}
    stale = project.suggestions.stale_documents(version, force=force)
    report = SuggestRunReport(up_to_date=project.document_count() - len(stale), pattern_version=version)

    waiting: dict[int, tuple[str, tuple]] = {}  # read for the rules, kept for the model

    def items():
        for doc_id in stale:
            doc = project.document(doc_id)
            if len(doc.text) > nlp.max_length:
                # spaCy refuses such a text outright; one of them must not stop the run for all others.
                name = doc.external_id or f"#{doc_id}"
                report.too_long.append(f"{name} ({len(doc.text):,} characters, more than the suggester's "
                                       f"limit of {nlp.max_length:,})")  # fmt: skip
                continue
            if model_dir is not None:
                waiting[doc_id] = (doc.text, doc.zones)
            yield doc_id, doc.text, doc.zones

    found_per_document = suggest_documents(
        items(), nlp=nlp, batch_size=batch_size, progress=progress, cancel=cancel, total=len(stale)
    )
    if model_dir is not None:
        found_per_document = _with_model(found_per_document, waiting, model_dir, model_threshold)
    for doc_id, found in found_per_document:
        stored = [NewSuggestion(s.category, s.start, s.end, s.text, s.rule_id, s.extra) for s in found if s.category in known]
        report.suggestions += project.suggestions.replace(doc_id, stored, version)
        report.documents += 1
    report.cancelled = report.documents + len(report.too_long) < len(stale)
    return report


def _way_back(project: "Project", patterns_dir, outlets_file) -> str:
    """For a broken folder or list that is already the project's setting: how to fix it or undo it."""
    settings = project.settings()
    saved = []
    if patterns_dir is not None and str(patterns_dir) == settings.patterns_dir:
        saved.append(("pattern folder", patterns_dir, "--patterns default"))
    if outlets_file is not None and str(outlets_file) == settings.outlets_file:
        saved.append(("outlet list", outlets_file, "--outlets default"))
    if not saved:
        return ""
    what = " and ".join(f"{name} is {path}" for name, path, _ in saved)
    flags = " ".join(flag for _, _, flag in saved)
    return (f" (this project's {what}; correct it, or go back to the shipped "
            f"{'patterns' if len(saved) == 1 and saved[0][0] == 'pattern folder' else 'files'}: "
            f"annotator suggest {flags} --project {project.location})")  # fmt: skip


def _with_model(found_per_document, waiting: dict, model_dir: str | Path, threshold: float):
    """The rules' suggestions per document, joined with the span model's for the same document."""
    from .span_model import merge_suggestions, model_suggestions

    for doc_id, rules in found_per_document:
        text, zones = waiting.pop(doc_id)
        [(_, model)] = model_suggestions(model_dir, [(doc_id, text, zones)], threshold=threshold)
        yield doc_id, merge_suggestions(rules, model)
