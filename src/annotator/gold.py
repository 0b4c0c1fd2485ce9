"""The gold layer: a special coder the lead fills by adjudication, seeded from the coders' majority."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .domain import Annotation, Origin, Status
from .project import Project

GOLD = "gold"


@dataclass
class GoldReport:
    documents: int = 0
    spans_added: int = 0
    codes_set: int = 0
    left_for_review: int = 0  # disputed units: the lead decides

    def summary(self) -> str:
        return (f"{self.documents} document(s): {self.spans_added} gold span(s) and {self.codes_set} gold code(s) "
                f"taken from a majority; {self.left_for_review} disputed unit(s) left for the lead")  # fmt: skip


def coders_of(project: Project, include_gold: bool = False) -> list[str]:
    return [c.name for c in project.coders() if include_gold or not c.is_gold]


def span_units(annotations: list[Annotation]) -> list[list[Annotation]]:
    """Group labels into units: a unit is a maximal run of overlapping spans (any coder, any category)."""
    units: list[list[Annotation]] = []
    end = -1
    for a in sorted(annotations, key=lambda a: (a.start, a.end)):
        if units and a.start < end:
            units[-1].append(a)
            end = max(end, a.end)
        else:
            units.append([a])
            end = a.end
    return units


def majority_gold(project: Project, gold: str = GOLD, documents: list[int] | None = None,
                  require_done: bool = True) -> GoldReport:  # fmt: skip
    """Fill the gold layer where more than half of the coders agree exactly (span and category, or value).

    Documents count when every coder finished them (unless `require_done` is off). Existing gold
    labels are kept: running this again adds nothing and never overrides the lead.
    """
    project.ensure_coder(gold, is_gold=True)
    coders = coders_of(project)
    statuses = project.statuses()
    report = GoldReport()
    doc_ids = documents if documents is not None else [d.id for d in project.list_documents()]
    for doc_id in doc_ids:
        if require_done and any(statuses.get((doc_id, c), (Status.TODO, 0))[0] is not Status.DONE for c in coders):
            continue
        report.documents += 1
        labels = project.annotations(doc_id, coders=coders)
        have = {(a.category, a.start, a.end) for a in project.annotations(doc_id, coder=gold)}
        votes = Counter((a.category, a.start, a.end) for a in {(a.coder, a.category, a.start, a.end): a for a in labels}.values())
        agreed = {k for k, n in votes.items() if n * 2 > len(coders)}
        for key in sorted(agreed - have, key=lambda k: (k[1], k[2])):
            project.add_annotation(doc_id, gold, key[0], key[1], key[2], origin=Origin.IMPORTED, note="majority")
            report.spans_added += 1
        for unit in span_units(labels):
            keys = {(a.category, a.start, a.end) for a in unit}
            if not keys & agreed:
                report.left_for_review += 1
        gold_codes = {l.category for l in project.document_labels(doc_id, gold)}
        by_category: dict[str, Counter] = {}
        for l in project.document_labels(doc_id):
            if l.coder in coders:
                by_category.setdefault(l.category, Counter())[l.value] += 1
        for category, counter in by_category.items():
            value, n = counter.most_common(1)[0]
            if category in gold_codes:
                continue
            if n * 2 > len(coders):
                project.set_document_label(doc_id, gold, category, value)
                report.codes_set += 1
            else:
                report.left_for_review += 1
    return report


def documents_by_disagreement(project: Project) -> list[tuple[int, int]]:
    """(document id, disputed units) for documents with labels, most disputed first."""
    coders = coders_of(project)
    out = []
    for d in project.list_documents():
        labels = project.annotations(d.id, coders=coders)
        if not labels:
            continue
        disputed = 0
        for unit in span_units(labels):
            keys = Counter((a.category, a.start, a.end) for a in unit)
            unanimous = len(keys) == 1 and next(iter(keys.values())) == len(coders)
            disputed += 0 if unanimous else 1
        out.append((d.id, disputed))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out
