"""Offline coders: hand out coder files, merge them back into the study.

Documents are matched by the hash of their text, never by position or id, so files made from the
same corpus on different machines line up. Merging is idempotent: a second merge adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .codebook import Codebook
from .domain import CategoryKind, Origin, Status
from .errors import AnnotatorError, ProjectError
from .export.atomic import atomic_output
from .project import Project
from .storage.engine import single_file

_PROGRESS = {Status.TODO: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}


class CodebookClash(AnnotatorError):
    """Two codebooks disagree on a category; the message says how to map it."""


@dataclass
class MergeReport:
    source: str
    documents_new: int = 0
    documents_matched: int = 0
    spans_new: int = 0
    spans_present: int = 0
    spans_removed: int = 0
    codes_new: int = 0
    codes_changed: int = 0
    statuses: int = 0
    coders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.source}: coders {', '.join(self.coders) or '-'}; documents {self.documents_new} new, "
            f"{self.documents_matched} matched; span labels {self.spans_new} new, {self.spans_present} already there"
            + (f", {self.spans_removed} removed" if self.spans_removed else "")
            + f"; document codes {self.codes_new} new, {self.codes_changed} changed; {self.statuses} status(es)"
        )


def export_coder_file(project: Project, target: str | Path, coder: str | None = None, with_labels: bool = True) -> Path:
    """A self-contained project for one offline coder: the corpus, the codebook, settings, their labels.

    The file is built under a partial name and gets its own name only when it is complete and
    closed, so an interrupted export never hands a coder part of the corpus.
    """
    target = Path(target)
    if target.exists():
        raise ProjectError(f"{target}: already exists; choose a new file name")
    settings = project.settings()
    try:
        with atomic_output(target) as partial:
            with Project.create(partial, codebook=project.codebook(), name=settings.name) as out:
                out.update_settings(
                    show_others_labels=False, suggestions_enabled=settings.suggestions_enabled, language=settings.language
                )
                out.add_documents(project.iter_documents())
                if coder:
                    out.ensure_coder(coder)
                    if with_labels:
                        _copy_coder(project, out, coder, MergeReport(str(target)), {}, replace_existing=False)
            single_file(partial)  # no -wal or -shm beside it that would not follow the rename
    except OSError as exc:
        raise ProjectError(f"{target}: cannot write ({exc.strerror or exc}); check the folder exists and is writable") from exc
    return target


def check_codebooks(source: Codebook, target: Codebook, mapping: dict[str, str]) -> dict[str, str]:
    """Map each source category id to a target id, or raise CodebookClash naming the fix."""
    result = {}
    for c in source.categories:
        tid = mapping.get(c.id, c.id)
        try:
            t = target.get(tid)
        except KeyError:
            raise CodebookClash(
                f"category {c.id!r} is not in the study's codebook; map it with --map {c.id}=<study category> "
                "or add it to the study's codebook first"
            ) from None
        if t.kind is not c.kind:
            raise CodebookClash(f"category {c.id!r} is a {c.kind.value} category here but {t.id!r} is {t.kind.value} in the study")
        if c.kind is CategoryKind.DOCUMENT and not set(c.values) <= set(t.values):
            extra = ", ".join(sorted(set(c.values) - set(t.values)))
            raise CodebookClash(f"category {c.id!r} has values the study's {t.id!r} lacks: {extra}")
        result[c.id] = t.id
    return result


def merge_project(
    source_location: str | Path,
    into: Project,
    mapping: dict[str, str] | None = None,
    replace_existing: bool = False,
) -> MergeReport:
    """Bring one coder file (or any project) into `into`.

    With `replace_existing`, the source is authoritative for its coders on the documents it holds:
    labels those coders deleted offline are deleted in the study too.
    """
    report = MergeReport(str(source_location))
    with Project.open(source_location) as source:
        category_map = check_codebooks(source.codebook(), into.codebook(), mapping or {})
        docs = list(source.iter_documents())
        known = {d.sha256: into.document_id_for_hash(d.sha256) for d in docs}
        fresh = [d for d in docs if known[d.sha256] is None]
        report.documents_matched = len(docs) - len(fresh)
        report.documents_new = into.add_documents(fresh).new
        id_map = {d.id: into.document_id_for_hash(d.sha256) for d in docs}
        coders = sorted({a.coder for a in source.annotations()} | {l.coder for l in source.document_labels()}
                        | {c for (_d, c) in source.statuses()})  # fmt: skip
        gold = {c.name for c in source.coders() if c.is_gold}
        for coder in coders:
            into.ensure_coder(coder, is_gold=coder in gold)
            report.coders.append(coder)
            _copy_coder(source, into, coder, report, id_map, replace_existing, category_map)
    return report


def _copy_coder(source: Project, into: Project, coder: str, report: MergeReport, id_map: dict[int, int | None],
                replace_existing: bool, category_map: dict[str, str] | None = None) -> None:  # fmt: skip
    category_map = category_map or {}

    def target_doc(doc_id: int) -> int:
        if id_map:
            return id_map[doc_id]
        return into.document_id_for_hash(source.document(doc_id).sha256)

    incoming: dict[int, set[tuple[str, int, int]]] = {}
    notes: dict[tuple[int, str, int, int], str | None] = {}
    origins: dict[tuple[int, str, int, int], Origin] = {}
    for a in source.annotations(coder=coder):
        doc = target_doc(a.document_id)
        key = (category_map.get(a.category, a.category), a.start, a.end)
        incoming.setdefault(doc, set()).add(key)
        notes[(doc, *key)] = a.note
        origins[(doc, *key)] = a.origin
    for doc, keys in incoming.items():
        present = {(a.category, a.start, a.end): a for a in into.annotations(doc, coder=coder)}
        for key in sorted(keys, key=lambda k: (k[1], k[2], k[0])):
            if key in present:
                report.spans_present += 1
                continue
            into.add_annotation(doc, coder, key[0], key[1], key[2], note=notes[(doc, *key)], origin=origins[(doc, *key)])
            report.spans_new += 1
        if replace_existing:
            for key, a in present.items():
                if key not in keys:
                    into.delete_annotation(a.id)
                    report.spans_removed += 1
    if replace_existing:
        touched = {target_doc(d) for (d, c) in source.statuses() if c == coder}
        for doc in touched - set(incoming):
            for a in into.annotations(doc, coder=coder):
                into.delete_annotation(a.id)
                report.spans_removed += 1
    current = {(l.document_id, l.category): l.value for l in into.document_labels(coder=coder)}
    for label in source.document_labels(coder=coder):
        doc = target_doc(label.document_id)
        category = category_map.get(label.category, label.category)
        old = current.get((doc, category))
        if old == label.value:
            continue
        into.set_document_label(doc, coder, category, label.value)
        if old is None:
            report.codes_new += 1
        else:
            report.codes_changed += 1
    target_status = into.statuses()
    for (doc_id, c), (status, seconds) in source.statuses().items():
        if c != coder:
            continue
        doc = target_doc(doc_id)
        have, have_seconds = target_status.get((doc, coder), (Status.TODO, 0.0))
        best = status if replace_existing or _PROGRESS[status] >= _PROGRESS[have] else have
        if (best, max(seconds, have_seconds)) != (have, have_seconds):
            into.set_status(doc, coder, best, add_seconds=max(0.0, seconds - have_seconds))
            report.statuses += 1

