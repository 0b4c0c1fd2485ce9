"""Find quoted passages in German news text, by character, for every quotation style in use.

Swiss papers write «…» (nested ‹…›), German ones „…“ or »…«, online copy often plain "…" or “…”.
A passage never runs over a paragraph break here: a quote spanning paragraphs is rare and a wrongly paired
mark would otherwise swallow half an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["OPENING_MARKS", "CLOSING_MARKS", "Quoted", "find_quoted"]

OPENING_MARKS = frozenset("«„“\"»‹")
CLOSING_MARKS = frozenset("»“”\"«›")

# One expression per style. The closing mark of „ may be typed as “ or ” (or, after a keyboard, ").
_STYLES = (
    ("guillemets", re.compile(r"«([^«»\n]*)»")),
    ("low_high", re.compile(r"„([^„“”\n]*)[“”\"]")),
    ("english", re.compile(r"“([^“”„\n]*)”")),
    ("straight", re.compile(r"\"([^\"\n]*)\"")),
)
_REVERSED = re.compile(r"»([^«»\n]*)«")
_SINGLE = re.compile(r"‹([^‹›\n]*)›")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_ANY_MARK = re.compile("[" + re.escape("".join(sorted(OPENING_MARKS | CLOSING_MARKS))) + "]")


@dataclass(frozen=True)
class Quoted:
    """``text[start:end]`` is a quoted passage including its marks; ``inner`` is what stands between them."""

    start: int
    end: int
    inner: str
    style: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.inner))


def find_quoted(text: str, *, nested: bool = False) -> list[Quoted]:
    """Every quoted passage in `text`, sorted by start; passages of different styles never overlap.

    With `nested`, single guillemets inside double ones (‹…› within «…») are listed as well.
    """
    found: list[Quoted] = []
    taken: list[tuple[int, int]] = []
    for paragraph_start, paragraph in _paragraphs(text):
        styles = list(_STYLES)
        if _uses_reversed_guillemets(paragraph):
            styles[0] = ("reversed_guillemets", _REVERSED)
        for style, expression in styles:
            for match in expression.finditer(paragraph):
                start, end = paragraph_start + match.start(), paragraph_start + match.end()
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                taken.append((start, end))
                found.append(Quoted(start, end, match.group(1), style))
        if nested:
            for match in _SINGLE.finditer(paragraph):
                start, end = paragraph_start + match.start(), paragraph_start + match.end()
                found.append(Quoted(start, end, match.group(1), "single_guillemets"))
    found.sort(key=lambda q: (q.start, -q.end))
    return found


def _paragraphs(text: str):
    """(start, paragraph) for every paragraph holding a quotation mark; the others cannot hold a quote."""
    end = 0
    for mark in _ANY_MARK.finditer(text):
        if mark.start() < end:
            continue  # in the paragraph just given
        start = text.rfind("\n", 0, mark.start()) + 1
        end = text.find("\n", mark.start())
        if end < 0:
            end = len(text)
        yield start, text[start:end]


def _uses_reversed_guillemets(paragraph: str) -> bool:
    """»…« style: the first chevron in the paragraph points right and is answered by one pointing left."""
    first_right = paragraph.find("»")
    first_left = paragraph.find("«")
    return 0 <= first_right < first_left
