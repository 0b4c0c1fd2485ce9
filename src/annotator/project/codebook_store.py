"""The project's codebook: categories as stored, and replacing them without losing a used one."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from .. import codebook as codebook_mod
from ..codebook import Category, Codebook
from ..domain import CategoryKind
from ..errors import AnnotationError, ProjectError
from ..storage.models import AnnotationRow, CategoryRow, DocumentLabelRow


class CodebookStore:
    """Mixed into `Project`: the codebook part of its API."""

    def codebook(self) -> Codebook:
        return Codebook(name=self.settings().name + " codebook", categories=tuple(self.categories()))

    def categories(self, kind: CategoryKind | None = None) -> list[Category]:
        with self._read() as s:
            rows = list(s.exec(select(CategoryRow).order_by(CategoryRow.position, CategoryRow.id)))
        by_id = {r.id: r.slug for r in rows}
        cats = [_category(r, by_id) for r in rows]
        return [c for c in cats if kind is None or c.kind is kind]

    def replace_codebook(self, book: Codebook, source: str = "codebook") -> None:
        """Install a codebook: new categories are added, existing ones (same id) updated in place.

        Labels are never lost silently: removing a used category, or changing its kind, raises and
        changes nothing. `source` (the file's name) starts every error message.
        """
        codebook_mod.validate(book, source)
        with self._session() as s:
            existing = {r.slug: r for r in s.exec(select(CategoryRow))}
            used: dict[int, int] = {}
            for table in (AnnotationRow, DocumentLabelRow):
                for category_id, n in s.exec(select(table.category_id, func.count()).group_by(table.category_id)):
                    used[category_id] = used.get(category_id, 0) + n
            old = {slug: (CategoryKind(r.kind), used.get(r.id, 0)) for slug, r in existing.items()}
            problem = codebook_mod.lost_labels(old, book)
            if problem:
                raise ProjectError(f"{source}: {problem}")
            for slug in existing.keys() - {c.id for c in book.categories}:
                s.delete(existing[slug])
            for position, c in enumerate(book.categories):
                row = existing.get(c.id) or CategoryRow(slug=c.id, name=c.name, kind=c.kind.value)
                row.name, row.kind, row.shortcut, row.colour = c.name, c.kind.value, c.key, c.colour
                row.definition, row.example, row.level = c.definition, c.example, c.level
                row.allowed_values, row.position = list(c.values), position
                s.add(row)
            s.flush()
            ids = {r.slug: r.id for r in s.exec(select(CategoryRow))}
            for c in book.categories:
                row = s.exec(select(CategoryRow).where(CategoryRow.slug == c.id)).one()
                row.parent_id = ids.get(c.parent) if c.parent else None
                s.add(row)
            s.commit()
        self._category_cache = None

    def _category_row(self, category_id: str) -> CategoryRow:
        if self._category_cache is None or category_id not in self._category_cache:
            with self._read() as s:
                self._category_cache = {r.slug: r for r in s.exec(select(CategoryRow))}
        try:
            return self._category_cache[category_id]
        except KeyError:
            known = ", ".join(sorted(self._category_cache))
            raise AnnotationError(f"unknown category {category_id!r}; the codebook has: {known}") from None


def _category(row: CategoryRow, slugs_by_id: dict[int, str]) -> Category:
    return Category(
        id=row.slug, name=row.name, kind=CategoryKind(row.kind), key=row.shortcut, colour=row.colour,
        definition=row.definition, example=row.example,
        parent=slugs_by_id.get(row.parent_id) if row.parent_id else None,
        level=row.level, values=tuple(row.allowed_values or ()),
    )  # fmt: skip

