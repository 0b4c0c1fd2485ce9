"""Text search conditions: the user's query is taken literally and case is ignored in every alphabet.

A researcher searching for "über" expects "Über" and "ÜBER" too, and "5%" or "bericht_2026" mean
those characters, not LIKE wildcards. SQLite's ``lower()`` and ``LIKE`` fold ASCII letters only,
so on SQLite the comparison uses Python's ``str.casefold`` (registered on every connection by
`annotator.storage.engine`) and ``instr``, which has no wildcards at all. PostgreSQL folds case by
its locale; there the query goes through ``lower() LIKE`` with ``%``, ``_`` and the escape
character escaped.
"""

from __future__ import annotations

import unicodedata

from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlalchemy.sql.elements import ColumnElement

CASEFOLD_FUNCTION = "casefold"


def casefold(text: str | None) -> str | None:
    """The SQL ``casefold(text)`` function on SQLite connections (None stays NULL)."""
    return None if text is None else text.casefold()


def contains_text(columns: Sequence, query: str, dialect: str) -> ColumnElement[bool]:
    """A condition: one of `columns` contains `query` literally, ignoring case (stored text is NFC)."""
    query = unicodedata.normalize("NFC", query)
    if dialect == "sqlite":
        folded = query.casefold()
        fold = getattr(func, CASEFOLD_FUNCTION)
        return or_(*(func.instr(fold(column), folded) > 0 for column in columns))
    return or_(*(column.icontains(query, autoescape=True) for column in columns))
