"""The page parser: one pass over a page's lines that assigns every line its zones.

The header block comes first (kicker, headline, bylines, datelines, lead), then the article
(paragraphs, subheadings, pictures with alt text, captions and credits), then reader comments and
the page's trailing furniture. The decisions a coder will notice are listed in
:mod:`annotator.corpus.structure`.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.corpus.line_shapes import (
    _QUESTION_END,
    _SENTENCE_END,
    _SYMBOLIC,
    _USER_TAIL,
    _agency_tag,
    _alt_words,
    _date_line,
    _dateline_prefix,
    _is_person,
    _kicker_like,
    _location_line,
    _names_line,
    _user_label_like,
    _words,
)
from annotator.corpus.page_lines import _CaptionParts, _full, _Line, _Matchers
from annotator.domain import Zone, ZoneKind

_MERGING = frozenset({ZoneKind.BODY, ZoneKind.LEAD, ZoneKind.COMMENT, ZoneKind.BOILERPLATE})
_OPENING_QUOTES = "«»\"„“‚‘'‹›("


class _PageParser:
    """One pass over a page's lines: header block, then article, comments and trailing furniture."""

    def __init__(self, lines: list[_Line], m: _Matchers) -> None:
        self.lines = lines
        self.n = len(lines)
        self.m = m
        self.furniture = [_full(m.furniture, ln.text) for ln in lines]
        self.comments_header = [_full(m.comments_header, ln.text) for ln in lines]
        self.tail = self._tail_markers()
        # (kind, start, end, attrs, line index), in text order
        self.pieces: list[tuple[ZoneKind, int, int, dict[str, Any], int]] = []
        self.prefix_budget = 2  # datelines open the lead or the first body paragraph, not later ones
        self.seen_text = False

    def _tail_markers(self) -> list[bool]:
        """Which lines start the page's trailing furniture.

        A marker such as "Weiterlesen" can also be a button inside the article (a paywall, an
        expandable text); it only starts the tail when no article-like paragraph follows before
        the comments, so that a misplaced marker never swallows the article. Teasers are titles
        and short blurbs, not paragraphs of 25 words and more.
        """
        flags = [False] * self.n
        prose_ahead = False
        for j in range(self.n - 1, -1, -1):
            if self.comments_header[j]:
                prose_ahead = False  # comments may well be long; they follow the tail, not the article
                continue
            text = self.lines[j].text
            flags[j] = not prose_ahead and _full(self.m.tail, text)
            words = _words(text)
            prose_ahead = prose_ahead or words >= 40 or (words >= 25 and _SENTENCE_END.search(text) is not None)
        return flags

    def run(self) -> list[Zone]:
        self._rest(self._header())
        return self._zones()

    # -- output

    def _emit(
        self,
        kind: ZoneKind,
        j: int,
        start: int | None = None,
        end: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        """Record a zone on line ``j``; the whole trimmed line unless ``start``/``end`` cut it."""
        line = self.lines[j]
        start = line.start if start is None else start
        self.pieces.append((kind, start, line.end if end is None else end, attrs or {}, j))

    def _zones(self) -> list[Zone]:
        merged: list[list[Any]] = []
        for kind, start, end, attrs, j in self.pieces:
            last = merged[-1] if merged else None
            if (
                last is not None
                and kind in _MERGING
                and last[0] is kind
                and last[4] in (j, j - 1)
                and self.lines[last[4]].block == self.lines[j].block
            ):
                last[2], last[4] = end, j
            else:
                merged.append([kind, start, end, attrs, j])
        return [Zone(kind, start, end, attrs) for kind, start, end, attrs, _ in merged]

    # -- line shapes that depend on neighbours

    def _same_block(self, j: int, k: int) -> bool:
        return 0 <= k < self.n and self.lines[k].block == self.lines[j].block

    def _alone(self, j: int) -> bool:
        return not self._same_block(j, j - 1) and not self._same_block(j, j + 1)

    def _alt_like(self, j: int) -> bool:
        t = self.lines[j].text
        if not _alt_words(t):
            return False
        # a lower-case line inside a paragraph is a wrapped continuation, not alt text
        return not self._same_block(j, j - 1) or bool(_SENTENCE_END.search(self.lines[j - 1].text))

    def _capitalised_alt(self, j: int) -> bool:
        """A short label right above a caption in the same block is that picture's alt text."""
        t = self.lines[j].text
        return (
            _words(t) <= 8
            and len(t) <= 60
            and t[-1] not in ".!?,;:"
            and self._same_block(j, j + 1)
            and self.m.caption_parts(self.lines[j + 1].text) is not None
        )

    def _subheading(self, j: int) -> bool:
        t = self.lines[j].text
        if _words(t) > 14 or len(t) > 120 or t[-1] in ".,;:":
            return False
        if not (t[0].isupper() or t[0].isdigit() or t[0] in _OPENING_QUOTES):
            return False
        k = j + 1
        while k < self.n and self.furniture[k]:
            k += 1
        if k >= self.n or self.tail[k] or self.comments_header[k]:
            return False  # a heading heads something; a closing short line is body text
        if self._alone(j):
            return True
        # a heading copied without blank lines: the line above closes a sentence and is much longer
        prev = self.lines[j - 1].text if self._same_block(j, j - 1) else ""
        nxt = self.lines[j + 1].text if self._same_block(j, j + 1) else ""
        return (
            _SENTENCE_END.search(prev) is not None
            and bool(nxt)
            and not nxt[0].islower()  # a lower-case next line continues a wrapped sentence
            and _words(t) <= 10
            and len(t) < 0.6 * len(prev)
        )

    def _opens_article(self, t: str) -> bool:
        """Whether a line is what follows a headline: byline, dateline, lead, picture."""
        return (
            _names_line(t)
            or self.m.strong_byline(t)
            or _agency_tag(t)
            or _location_line(t)
            or _alt_words(t)
            or (_SENTENCE_END.search(t) is not None and _words(t) >= 6)
            or self.m.caption_parts(t) is not None
        )

    def _headline_like(self, t: str) -> bool:
        return (
            2 <= _words(t) <= 30
            and len(t) <= 250
            and not t.endswith(".")
            and not _names_line(t)
            and not _location_line(t)
            and self.m.caption_parts(t) is None
        )

    # -- header: kicker, headline, bylines, datelines, lead

    def _find_headline(self) -> tuple[int | None, int | None]:
        """(kicker, headline) line indexes. The headline is the first substantial line; a short
        line right above it that is shorter is the kicker; lines before that are furniture."""
        candidates = [j for j in range(min(self.n, 40)) if not self._above_headline(j)]
        for pos, j in enumerate(candidates[:12]):
            x = self.lines[j].text
            if _words(x) > 40:
                return None, None  # the page opens with prose: there is no headline to find
            y = self.lines[candidates[pos + 1]].text if pos + 1 < len(candidates) else None
            if y is not None and _kicker_like(x) and self._headline_like(y) and _words(y) > _words(x):
                return j, candidates[pos + 1]
            if y is None or _words(x) >= 3 or x[-1] in "!?" or self._opens_article(y):
                above = self.lines[j - 1].text if pos and candidates[pos - 1] == j - 1 else ""
                kicker = bool(above) and _kicker_like(above) and _words(above) <= _words(x)
                return (j - 1 if kicker else None), j
            # otherwise a lone word above another short line: navigation, keep looking
        return (None, candidates[0]) if candidates else (None, None)

    def _above_headline(self, j: int) -> bool:
        """Lines that may stand above a headline but are never one: furniture, dates, a picture."""
        t = self.lines[j].text
        return (
            self.furniture[j]
            or self.tail[j]
            or self.comments_header[j]
            or _date_line(t)
            or _alt_words(t)
            or self.m.caption_parts(t) is not None
        )

    def _header(self) -> int:
        kicker, headline = self._find_headline()
        if headline is None:
            return 0
        for j in range(headline):
            t = self.lines[j].text
            parts = None if self.furniture[j] else self.m.caption_parts(t)
            if j == kicker:
                self._emit(ZoneKind.KICKER, j)
            elif parts is not None:
                self._caption(j, parts)  # a lead picture printed above the headline
            elif _alt_words(t) and j + 1 < headline and self.m.caption_parts(self.lines[j + 1].text):
                self._emit(ZoneKind.IMAGE_ALT, j)
            elif _date_line(t) and not self.furniture[j]:
                self._emit(ZoneKind.DATELINE, j)
            else:
                self._emit(ZoneKind.BOILERPLATE, j)
        self._emit(ZoneKind.HEADLINE, headline)
        j = headline + 1
        seen_lead = False
        while j < self.n:
            t = self.lines[j].text
            if self.tail[j] or _full(self.m.comment_user, t):
                break
            if self.furniture[j] or self.comments_header[j]:  # "Artikel teilen", "12 Kommentare"
                self._emit(ZoneKind.BOILERPLATE, j)
                j += 1
                continue
            nxt = self.lines[j + 1].text if j + 1 < self.n else ""
            short_label = not seen_lead and _words(t) <= 6 and not _SENTENCE_END.search(t)
            if nxt.casefold() == t.casefold() and (_names_line(t) or short_label):
                # the author photo's alt text, then the name itself
                self._emit(ZoneKind.IMAGE_ALT, j, attrs={"of": "byline"})
                self._emit(ZoneKind.BYLINE, j + 1)
                j += 2
            elif self.m.strong_byline(t) or _agency_tag(t) or (not seen_lead and _names_line(t)):
                self._emit(ZoneKind.BYLINE, j)
                j += 1
            elif _date_line(t) or _location_line(t):
                self._emit(ZoneKind.DATELINE, j)
                j += 1
            elif not seen_lead and self._alt_like(j) and (_names_line(nxt) or self.m.strong_byline(nxt)):
                self._emit(ZoneKind.IMAGE_ALT, j, attrs={"of": "byline"})
                j += 1
            elif not seen_lead and self._lead_start(j):
                j = self._paragraph(j, ZoneKind.LEAD)
                seen_lead = True
            else:
                break  # a picture, a subheading or body text: the article proper begins
        return j

    def _lead_start(self, j: int) -> bool:
        t = self.lines[j].text
        return (
            not self._alt_like(j)
            and self.m.caption_parts(t) is None
            and not _full(self.m.credit_line, t)
            and (_SENTENCE_END.search(t) is not None or _words(t) >= 8)
        )

    # -- paragraphs (lead and body)

    def _breaks_paragraph(self, k: int) -> bool:
        t = self.lines[k].text
        return (
            self.furniture[k]
            or self.tail[k]
            or self.comments_header[k]
            or _full(self.m.comment_user, t)
            or _full(self.m.credit_line, t)
            or self.m.caption_parts(t) is not None
            or self._alt_like(k)
            or self.m.strong_byline(t)
            or self._subheading(k)
        )

    def _paragraph(self, j: int, kind: ZoneKind) -> int:
        """Emit ``kind`` for line ``j`` and the plain lines after it in its block; next index."""
        line = self.lines[j]
        start = line.start
        if self.prefix_budget > 0 and self.m.rules.dateline_prefix and not self._same_block(j, j - 1):
            self.prefix_budget -= 1
            cut = _dateline_prefix(line.text)
            if cut:
                self.prefix_budget = 0
                self._emit(ZoneKind.DATELINE, j, end=line.start + len(line.text[:cut].rstrip()))
                start = line.start + cut  # the match ends where the text resumes
        self._emit(kind, j, start=start)
        self.seen_text = True
        k = j + 1
        while self._same_block(j, k) and not self._breaks_paragraph(k):
            self._emit(kind, k)
            k += 1
        return k

    # -- article, comments, trailing furniture

    def _rest(self, j: int) -> None:
        region = "article"  # then "comments" and/or "tail"
        expect_user = True
        while j < self.n:
            t = self.lines[j].text
            if self.comments_header[j] and (self.seen_text or region != "article"):
                self._emit(ZoneKind.COMMENTS_HEADER, j)
                region, expect_user = "comments", True
            elif self.tail[j] or region == "tail":
                region = "tail"
                self._emit(ZoneKind.BOILERPLATE, j)
            elif region == "comments" or _full(self.m.comment_user, t):
                region = "comments"
                expect_user = self._comment_line(j, expect_user)
            else:
                j = self._article_line(j)
                continue
            j += 1

    def _article_line(self, j: int) -> int:
        line = self.lines[j]
        t = line.text
        last_kind = self.pieces[-1][0] if self.pieces else None
        after_image = last_kind in (ZoneKind.IMAGE_CAPTION, ZoneKind.IMAGE_ALT, ZoneKind.PHOTO_CREDIT)
        if _full(self.m.credit_line, t) and (after_image or not t.startswith("©")):
            self._credit_line(j)
            return j + 1
        if self.furniture[j] or self.comments_header[j]:
            self._emit(ZoneKind.BOILERPLATE, j)
            return j + 1
        parts = self.m.caption_parts(t)
        if parts is not None:
            self._caption(j, parts)
            return j + 1
        if self._alt_like(j) or self._capitalised_alt(j):
            self._emit(ZoneKind.IMAGE_ALT, j)
            k = j + 1
            if self._same_block(j, k) and not (self.furniture[k] or self.tail[k] or self.comments_header[k]):
                loose = self.m.caption_parts(self.lines[k].text, loose=True)
                if loose is not None:
                    self._caption(k, loose)
                    return k + 1
            return j + 1
        if self.m.strong_byline(t) or _agency_tag(t):
            self._emit(ZoneKind.BYLINE, j)
        elif _date_line(t) and self._alone(j):
            self._emit(ZoneKind.DATELINE, j)
        elif self._subheading(j):
            self._emit(ZoneKind.SUBHEADING, j, attrs={"question": _QUESTION_END.search(t) is not None})
        else:
            return self._paragraph(j, ZoneKind.BODY)
        return j + 1

    def _caption(self, j: int, parts: _CaptionParts) -> None:
        line = self.lines[j]
        attrs = {"symbolic": _SYMBOLIC.search(line.text) is not None, "credit": parts.credit}
        self._emit(ZoneKind.IMAGE_CAPTION, j, end=line.start + parts.caption_end, attrs=attrs)
        if parts.credit_start is not None and parts.credit_end is not None:
            start, end = line.start + parts.credit_start, line.start + parts.credit_end
            self._emit(ZoneKind.PHOTO_CREDIT, j, start=start, end=end)

    def _credit_line(self, j: int) -> None:
        """'Foto: dpa' on a line of its own: credits the caption above when that had none."""
        t = self.lines[j].text
        self._emit(ZoneKind.PHOTO_CREDIT, j)
        credit = re.sub(r"^\(?\s*(?:[^\W\d_]+\s*:|©)\s*", "", t).rstrip(")").strip() or None
        for kind, _, _, attrs, k in reversed(self.pieces[-4:-1]):
            if kind is ZoneKind.IMAGE_CAPTION and k >= j - 2:
                if attrs.get("credit") is None:
                    attrs["credit"] = credit
                break
            if kind not in (ZoneKind.PHOTO_CREDIT, ZoneKind.IMAGE_ALT):
                break

    def _user_label_at(self, j: int) -> bool:
        t = self.lines[j].text
        if not _user_label_like(t):
            return False
        if not self._same_block(j, j - 1):
            return True
        # inside a block, only a clear name or handle after a finished sentence, with text below it;
        # other short lines there belong to the comment
        name = _USER_TAIL.sub("", t).strip() or t
        return (
            _SENTENCE_END.search(self.lines[j - 1].text) is not None
            and self._same_block(j, j + 1)
            and (_is_person(name) or re.search(r"[\d_@]", name) is not None)
        )

    def _comment_line(self, j: int, expect_user: bool) -> bool:
        """Classify a line below "Kommentare"; returns whether a user label may come next."""
        t = self.lines[j].text
        if _full(self.m.comment_user, t):
            self._emit(ZoneKind.COMMENT_USER, j)
            return False
        if self.furniture[j] or _full(self.m.comment_furniture, t):
            self._emit(ZoneKind.BOILERPLATE, j)  # "Antworten", "12 Likes"
            return expect_user
        if expect_user and self._user_label_at(j):
            self._emit(ZoneKind.COMMENT_USER, j)
            return False
        if _date_line(t):
            self._emit(ZoneKind.BOILERPLATE, j)  # a time stamp on its own
            return expect_user
        self._emit(ZoneKind.COMMENT, j)
        return True

