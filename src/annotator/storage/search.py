"""Text search conditions: the user's query is taken literally and case is ignored in every alphabet.

A researcher searching for "über" expects "Über" and "ÜBER" too, and "5%" or "bericht_2026" mean
those characters, not LIKE wildcards.

SQLite's ``lower()`` and ``LIKE`` fold ASCII letters only. There a document matches when two
conditions hold: a LIKE pattern, which SQLite checks fast in C, with the query's ASCII characters
as they are (LIKE ignores their case), ``%`` and ``_`` escaped, and every other character as the
one-character wildcard ``_``; and `folded_contains`, registered on every connection by
`annotator.storage.engine`, which compares letter by letter in lower case (Ü = ü, Σ = σ = ς) the
few documents the pattern lets through. Case changes that change the length (ß and SS) do not
count as the same letters. PostgreSQL folds case by its locale; there the query goes through
``lower() LIKE`` with ``%``, ``_`` and the escape character escaped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from sqlalchemy import and_, func, or_
from sqlalchemy.sql.elements import ColumnElement

FOLDED_CONTAINS = "folded_contains"
_ESCAPE = "\\"


def fold(text: str) -> str:
    """Lower case, one character for one: İ becomes i (not i + dot), final ς becomes σ."""
    if "İ" in text:
        text = text.replace("İ", "i")
    return text.lower().replace("ς", "σ")


def folded_contains(text: str | None, folded_query: str) -> bool:
    """The SQL function ``folded_contains(text, query)`` on SQLite connections; `folded_query` is folded."""
    # Most texts that hold the query hold it in lower case: found without folding the whole text.
    return text is not None and (folded_query in text or folded_query in fold(text))


def contains_text(columns: Sequence, query: str, dialect: str) -> ColumnElement[bool]:
    """A condition: one of `columns` contains `query` literally, ignoring case (stored text is NFC)."""
    query = unicodedata.normalize("NFC", query)
    if dialect != "sqlite":
        return or_(*(column.icontains(query, autoescape=True) for column in columns))
    pattern = "%" + "".join(_like_char(ch) for ch in query) + "%"
    folded = fold(query)
    check = getattr(func, FOLDED_CONTAINS)
    return or_(*(and_(column.like(pattern, escape=_ESCAPE), check(column, folded)) for column in columns))


def _like_char(ch: str) -> str:
    if not ch.isascii():
        return "_"
    return _ESCAPE + ch if ch in ("%", "_", _ESCAPE) else ch
