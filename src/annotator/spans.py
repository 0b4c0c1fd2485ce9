"""Selections to spans: snapping to word boundaries and trimming whitespace, on plain strings."""

from __future__ import annotations


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "-_'’"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a selection to whole words, then trim surrounding whitespace.

    A coder who drags from the middle of "könnte" to the middle of "Herbst" means both words.
    Punctuation at the edges is kept when selected (quotes belong to a direct quote) but never added.

    >>> snap_to_words("Ein Entscheid könnte schon", 16, 22)
    (14, 26)
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    start, end = trim_whitespace(text, start, end)
    if start >= end:
        return start, start
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end]) and _is_word(text[end - 1]):
        end += 1
    return start, end


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
