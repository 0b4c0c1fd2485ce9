"""A page as trimmed lines grouped into blocks, and a layout's rules compiled into line matchers.

:class:`_Matchers` holds one layout's patterns compiled once, plus the tests that need them together
with the language-level shapes of :mod:`annotator.corpus.line_shapes`: strong bylines and the
splitting of a caption line into caption text and photo credit.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from annotator.corpus.layout_rules import LayoutRules
from annotator.corpus.line_shapes import (
    _BYLINE_LEAD,
    _COPYRIGHT_SUFFIX,
    _CREDIT_JOINERS,
    _NEWS_AGENCIES,
    _SENTENCE_END,
    _SYMBOLIC,
    _names_line,
)

# ---------------------------------------------------------------------------------------------
# Rule sets compiled once.


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def _full(pattern: re.Pattern[str] | None, t: str) -> bool:
    return pattern is not None and pattern.fullmatch(t) is not None


class _Matchers:
    def __init__(self, rules: LayoutRules) -> None:
        self.rules = rules
        self.furniture = _union(rules.furniture)
        self.tail = _union(rules.tail_markers)
        self.comments_header = _union(rules.comments_headers)
        self.comment_user = _union(rules.comment_users)
        self.comment_furniture = _union(rules.comment_furniture)
        self.byline = _union(rules.bylines)
        self.signatures = [re.compile(p, re.I) for p in rules.signatures]
        self.agencies = frozenset(a.lower() for a in rules.agencies) | _NEWS_AGENCIES
        labels = "|".join(re.escape(label) for label in rules.credit_labels)
        self.credit_suffix = self.credit_line = None
        if labels:
            self.credit_suffix = re.compile(
                rf"\(?\s*(?P<zone>\b(?:{labels})\s*:\s*(?P<credit>[^:()]{{1,80}}?))\s*\)?\s*$", re.I
            )
            self.credit_line = re.compile(rf"\(?(?:{labels})\s*:\s*\S.{{0,80}}|©\s*\S.{{0,80}}", re.I)

    def strong_byline(self, t: str) -> bool:
        if _full(self.byline, t):
            return True
        m = _BYLINE_LEAD.fullmatch(t)
        return m is not None and _names_line(m["who"])

    def credit_like(self, credit: str) -> bool:
        """'keystone', 'KEYSTONE/Peter Klaunzer', 'zvg', 'Getty Images' — not 'es fehlt Geld'."""
        words = credit.split()
        if not 1 <= len(words) <= 6 or len(credit) > 60 or credit[-1] in ".!?,;:":
            return False
        if len(words) == 1:
            return True
        return all(
            w[0].isupper() or w[0].isdigit() or "/" in w or w in _CREDIT_JOINERS or w.lower() in self.agencies
            for w in words
        )

    def known_agency(self, credit: str) -> bool:
        return any(w in self.agencies for w in re.split(r"[\s/,()]+", credit.lower()))

    def caption_parts(self, t: str, loose: bool = False) -> _CaptionParts | None:
        """Split a caption line into caption text and credit, or None if ``t`` is no caption.

        ``loose`` is for a line right under an image's alt text: it is a caption whatever it says.
        Otherwise a line needs a credit or a "Symbolbild" marker, and a " - credit" ending also
        needs a known agency or a caption that closes like a sentence, because prose uses dashes.
        """
        if len(t) > 400:
            return None
        for pattern in (self.credit_suffix, _COPYRIGHT_SUFFIX):
            m = pattern.search(t) if pattern is not None else None
            if m and m.start() > 0 and t[: m.start()].strip():
                zone_start = m.start("zone")
                zone_end = zone_start + len(m["zone"].rstrip())
                return _CaptionParts(len(t[: m.start()].rstrip()), zone_start, zone_end, m["credit"].strip())
        cut, sep = max(((t.rfind(s), s) for s in self.rules.credit_separators), default=(-1, ""))
        if cut > 0:
            caption = t[:cut].rstrip()
            credit = t[cut + len(sep) :].strip()
            if (
                caption
                and credit
                and self.credit_like(credit)
                and (
                    loose
                    or self.known_agency(credit)
                    or _CAPTION_END.search(caption) is not None
                    or _SYMBOLIC.search(caption) is not None
                )
            ):
                return _CaptionParts(len(caption), len(t) - len(credit), len(t), credit)
        if loose or _SYMBOLIC.search(t):
            return _CaptionParts(len(t), None, None, None)
        return None


class _CaptionParts(NamedTuple):
    caption_end: int  # relative to the line
    credit_start: int | None  # the PHOTO_CREDIT zone, label included
    credit_end: int | None
    credit: str | None  # the credit name alone


_CAPTION_END = re.compile(r"[.!?…)»«“”\"]$")


@lru_cache(maxsize=32)
def _matchers(rules: LayoutRules) -> _Matchers:
    return _Matchers(rules)


# ---------------------------------------------------------------------------------------------
# Lines


class _Line(NamedTuple):
    start: int  # offsets of the trimmed content
    end: int
    text: str
    block: int  # consecutive non-blank lines share a block


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    pos = 0
    for raw in text.split("\n"):
        content = raw.strip()
        if content:
            start = pos + len(raw) - len(raw.lstrip())
            lines.append(_Line(start, start + len(content), content, block))
        elif lines and lines[-1].block == block:
            block += 1
        pos += len(raw) + 1
    return lines


def _one_paragraph_per_line(lines: list[_Line]) -> list[_Line]:
    """Pages copied without blank lines: treat each line as its own block when lines are paragraphs.

    Hard-wrapped text also lacks blank lines, but its long lines mostly end mid-sentence.
    """
    blocks = lines[-1].block + 1 if lines else 0
    if len(lines) < 6 or len(lines) <= 3 * blocks:
        return lines
    long_lines = [ln for ln in lines if len(ln.text) >= 60]
    if 2 * sum(1 for ln in long_lines if _SENTENCE_END.search(ln.text)) < len(long_lines):
        return lines
    return [ln._replace(block=i) for i, ln in enumerate(lines)]
