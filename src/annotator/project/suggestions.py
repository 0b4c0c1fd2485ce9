"""Stored suggestions and each coder's decisions on them; reached as `project.suggestions`.

A suggestion is keyed by its content (document, category, start, end), so a decision survives the
suggester being run again: what a coder accepted or rejected never comes back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from sqlalchemy import func
from sqlmodel import col, delete, select

from ..domain import Annotation, Decision, Origin, Suggestion
from ..errors import AnnotationError
from ..storage.models import (
    AnnotationRow,
    CategoryRow,
    CoderRow,
    DocumentRow,
    SuggestionDecisionRow,
    SuggestionRow,
    SuggestionRunRow,
)

if TYPE_CHECKING:
    from .facade import Project


@dataclass(frozen=True)
class NewSuggestion:
    """What the suggester hands over for storage."""

    category: str
    start: int
    end: int
    text: str
    rule_id: str
    extra: dict


@dataclass(frozen=True)
class RuleStats:
    rule_id: str
    category: str
    suggested: int
    accepted: int
    rejected: int

    @property
    def acceptance_rate(self) -> float | None:
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


class SuggestionStore:
    def __init__(self, project: "Project") -> None:
        self.project = project

    # --- runs ------------------------------------------------------------------------------------

    def stale_documents(self, pattern_version: str, force: bool = False) -> list[int]:
        """Documents whose text or pattern set changed since their last run (all with force)."""
        with self.project._read() as s:
            docs = s.exec(select(DocumentRow.id, DocumentRow.sha256).order_by(DocumentRow.position)).all()
            runs = {r.document_id: r for r in s.exec(select(SuggestionRunRow))}
        out = []
        for doc_id, sha in docs:
            run = runs.get(doc_id)
            if force or run is None or run.text_sha256 != sha or run.pattern_version != pattern_version:
                out.append(doc_id)
        return out

    def replace(self, document_id: int, items: Iterable[NewSuggestion], pattern_version: str) -> int:
        """Swap a document's suggestions for a new run's, in one transaction."""
        project = self.project
        with project._session() as s:
            doc = s.get(DocumentRow, document_id)
            if doc is None:
                raise AnnotationError(f"no document with id {document_id}")
            s.exec(delete(SuggestionRow).where(SuggestionRow.document_id == document_id))
            n = 0
            for item in items:
                cat = project._category_row(item.category)
                s.add(SuggestionRow(
                    document_id=document_id, category_id=cat.id, start=item.start, end=item.end,
                    text=doc.text[item.start : item.end], rule_id=item.rule_id, extra=dict(item.extra),
                    pattern_version=pattern_version,
                ))  # fmt: skip
                n += 1
            run = s.get(SuggestionRunRow, document_id) or SuggestionRunRow(
                document_id=document_id, text_sha256=doc.sha256, pattern_version=pattern_version
            )
            run.text_sha256, run.pattern_version = doc.sha256, pattern_version
            s.add(run)
            s.commit()
        return n

    # --- what a coder sees -----------------------------------------------------------------------

    def pending(self, document_id: int, coder: str) -> list[Suggestion]:
        """Suggestions this coder has neither decided nor already labelled identically."""
        project = self.project
        coder_id = project._coder_id(coder)
        with project._read() as s:
            rows = s.exec(
                select(SuggestionRow, CategoryRow.slug)
                .join(CategoryRow, CategoryRow.id == SuggestionRow.category_id)
                .where(SuggestionRow.document_id == document_id)
                .order_by(SuggestionRow.start, SuggestionRow.end)
            ).all()
            decided = set(
                s.exec(
                    select(SuggestionDecisionRow.category_id, SuggestionDecisionRow.start, SuggestionDecisionRow.end).where(
                        SuggestionDecisionRow.document_id == document_id, SuggestionDecisionRow.coder_id == coder_id
                    )
                ).all()
            )
            labelled = set(
                s.exec(
                    select(AnnotationRow.category_id, AnnotationRow.start, AnnotationRow.end).where(
                        AnnotationRow.document_id == document_id, AnnotationRow.coder_id == coder_id
                    )
                ).all()
            )
        out = []
        for row, slug in rows:
            key = (row.category_id, row.start, row.end)
            if key not in decided and key not in labelled:
                out.append(_suggestion(row, slug))
        return out

    def get(self, suggestion_id: int) -> Suggestion:
        with self.project._read() as s:
            row = s.get(SuggestionRow, suggestion_id)
            if row is None:
                raise AnnotationError(f"suggestion {suggestion_id} no longer exists (the suggester ran again)")
            return _suggestion(row, s.get(CategoryRow, row.category_id).slug)

    # --- decisions -------------------------------------------------------------------------------

    def accept(self, suggestion: Suggestion, coder: str, category: str | None = None) -> Annotation:
        """The coder takes the suggestion (optionally as another category): it becomes their label."""
        project = self.project
        final = category or suggestion.category
        annotation = project.add_annotation(
            suggestion.document_id, coder, final, suggestion.start, suggestion.end, origin=Origin.SUGGESTION
        )
        self._record(suggestion, coder, Decision.ACCEPTED, final, annotation.id)
        return annotation

    def reject(self, suggestion: Suggestion, coder: str) -> None:
        self._record(suggestion, coder, Decision.REJECTED, None, None)

    def forget(self, suggestion: Suggestion, coder: str) -> None:
        """Undo a decision (the label an acceptance created is removed by the caller)."""
        project = self.project
        project._check_writer(coder)
        coder_id = project._coder_id(coder)
        cat = project._category_row(suggestion.category)
        with project._session() as s:
            s.exec(
                delete(SuggestionDecisionRow).where(
                    SuggestionDecisionRow.coder_id == coder_id,
                    SuggestionDecisionRow.document_id == suggestion.document_id,
                    SuggestionDecisionRow.category_id == cat.id,
                    SuggestionDecisionRow.start == suggestion.start,
                    SuggestionDecisionRow.end == suggestion.end,
                )
            )
            s.commit()

    def _record(self, suggestion: Suggestion, coder: str, decision: Decision, final: str | None, annotation_id) -> None:
        project = self.project
        project._check_writer(coder)
        coder_id = project._coder_id(coder)
        cat = project._category_row(suggestion.category)
        final_id = project._category_row(final).id if final else None
        with project._session() as s:
            existing = s.exec(
                select(SuggestionDecisionRow).where(
                    SuggestionDecisionRow.coder_id == coder_id,
                    SuggestionDecisionRow.document_id == suggestion.document_id,
                    SuggestionDecisionRow.category_id == cat.id,
                    SuggestionDecisionRow.start == suggestion.start,
                    SuggestionDecisionRow.end == suggestion.end,
                )
            ).first()
            row = existing or SuggestionDecisionRow(
                coder_id=coder_id, document_id=suggestion.document_id, category_id=cat.id,
                start=suggestion.start, end=suggestion.end, rule_id=suggestion.rule_id, decision=decision.value,
            )  # fmt: skip
            row.decision, row.final_category_id, row.annotation_id = decision.value, final_id, annotation_id
            s.add(row)
            project._touch_status(s, suggestion.document_id, coder_id)  # a decision is coding, too
            s.commit()

    # --- for researchers -------------------------------------------------------------------------

    def rule_stats(self) -> list[RuleStats]:
        """Per rule: how often it fired (current run) and how often coders accepted or rejected it."""
        with self.project._read() as s:
            fired = Counter(
                {
                    (rule, slug): n
                    for rule, slug, n in s.exec(
                        select(SuggestionRow.rule_id, CategoryRow.slug, func.count())
                        .join(CategoryRow, CategoryRow.id == SuggestionRow.category_id)
                        .group_by(SuggestionRow.rule_id, CategoryRow.slug)
                    ).all()
                }
            )
            decisions = s.exec(
                select(SuggestionDecisionRow.rule_id, CategoryRow.slug, SuggestionDecisionRow.decision, func.count())
                .join(CategoryRow, CategoryRow.id == SuggestionDecisionRow.category_id)
                .group_by(SuggestionDecisionRow.rule_id, CategoryRow.slug, SuggestionDecisionRow.decision)
            ).all()
        accepted, rejected = Counter(), Counter()
        for rule, slug, decision, n in decisions:
            (accepted if decision == Decision.ACCEPTED.value else rejected)[(rule, slug)] += n
        keys = sorted(set(fired) | set(accepted) | set(rejected))
        return [RuleStats(rule, slug, fired[(rule, slug)], accepted[(rule, slug)], rejected[(rule, slug)]) for rule, slug in keys]

    def decisions(self, coder: str | None = None) -> list[tuple[str, int, str, int, int, str, str]]:
        """(coder, document id, category, start, end, rule id, decision) rows, for exports."""
        with self.project._read() as s:
            q = (
                select(CoderRow.name, SuggestionDecisionRow.document_id, CategoryRow.slug, SuggestionDecisionRow.start,
                       SuggestionDecisionRow.end, SuggestionDecisionRow.rule_id, SuggestionDecisionRow.decision)
                .join(CoderRow, CoderRow.id == SuggestionDecisionRow.coder_id)
                .join(CategoryRow, CategoryRow.id == SuggestionDecisionRow.category_id)
            )  # fmt: skip
            if coder is not None:
                q = q.where(col(CoderRow.name) == coder)
            return list(s.exec(q).all())


def _suggestion(row: SuggestionRow, slug: str) -> Suggestion:
    return Suggestion(row.id, row.document_id, slug, row.start, row.end, row.text, row.rule_id, dict(row.extra or {}))
