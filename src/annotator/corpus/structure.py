"""Find the structural zones of a news article: headline, lead, captions, body, comments, furniture.

Two kinds of text reach this module (always normalised: NFC, ``\\n`` line ends):

* clean articles (JSONL, CSV, extracted HTML), stored as ``title + "\\n\\n" + body`` ->
  :func:`parse_clean`: one HEADLINE zone and one BODY zone per paragraph;
* whole news pages copied or scraped from a website, the article mixed with page furniture ->
  :func:`parse_page`, driven by a :class:`LayoutRules` rule set per outlet style. Rule sets live in
  :mod:`annotator.corpus.layouts`, one small module each; ``generic`` is the fallback.

Every zone is ``text[start:end]`` of the exact text given, trimmed (it never starts or ends on
whitespace); zones come sorted and never overlap. Every non-blank line lies in at least one zone,
so nothing a coder sees is unaccounted for. The parser never raises on odd input: a page it does
not understand still yields zones (mostly BODY), because an import must not fail on layout.

Decisions a coder will notice:

* An author name printed twice in a row ("Lea Sommer" / "Lea Sommer") is the alt text of the
  author's photo followed by the name: the first copy is IMAGE_ALT with ``attrs={"of": "byline"}``,
  the second BYLINE, so each author has exactly one BYLINE zone.
* A caption's credit ("… (Symbolbild) - keystone", "… Foto: Max Beispiel/dpa", "… © zvg") gets its
  own PHOTO_CREDIT zone; the IMAGE_CAPTION zone keeps only the caption text and carries
  ``{"symbolic": bool, "credit": str | None}``. A label such as "Foto:" belongs to the PHOTO_CREDIT
  zone; the ``credit`` attribute holds the name alone.
* A dateline opening one of the first paragraphs ("Berlin –", "Bern (sda) -") is a DATELINE zone
  of its own; the LEAD/BODY zone starts after it.
* Furniture is one BOILERPLATE zone per block of consecutive lines; so are body paragraphs, leads
  and comments spread over consecutive lines.
* A caption is only recognised by a credit, a "Symbolbild"-like marker or the alt text line above
  it; a bare caption with none of these reads as a BODY paragraph.
* The LEAD is the first prose paragraph of the header block (after kicker, headline, bylines and
  datelines). When a picture comes first, the page has no LEAD and everything after is BODY.
* A SUBHEADING is a short line without a closing period that stands alone between paragraphs
  (``{"question": True}`` when it ends in "?"); a short line closing the article is BODY.
* Below "Kommentare", a line is a COMMENT_USER when a layout pattern says so ("User #12 (nicht
  angemeldet)") or when it looks like a name or handle where a new comment may start; everything
  else is COMMENT, except "Antworten"/"Melden"-style furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, NamedTuple

from annotator.domain import Zone, ZoneKind

__all__ = [
    "FALLBACK_LAYOUT",
    "LAYOUTS",
    "LayoutRules",
    "detect_layout",
    "looks_like_scraped_page",
    "parse_clean",
    "parse_page",
    "register_layout",
]

FALLBACK_LAYOUT = "generic"


@dataclass(frozen=True)
class LayoutRules:
    """How one outlet style marks up its pages, mostly as full-line regular expressions.

    Each pattern must match a whole trimmed line (``re.fullmatch``) and ignores case unless it
    says otherwise with an inline ``(?-i:...)`` group. Derive a new rule set from the generic one
    with :meth:`extend`, so that common furniture keeps being recognised.
    """

    name: str
    description: str = ""
    # Lines typical of this outlet; auto-detection picks the layout that matches most of them.
    signatures: tuple[str, ...] = ()
    min_signatures: int = 2
    # Single lines that are furniture wherever they stand ("Anzeige", "Artikel teilen").
    furniture: tuple[str, ...] = ()
    # Lines after which the rest of the page is furniture ("Weiterlesen", "MEHR IN NEWS").
    tail_markers: tuple[str, ...] = ()
    comments_headers: tuple[str, ...] = ()
    # User labels that are certain ("User #12 (nicht angemeldet)"); name-like labels are guessed.
    comment_users: tuple[str, ...] = ()
    comment_furniture: tuple[str, ...] = ()  # "Antworten", "Melden", "12 Likes"
    bylines: tuple[str, ...] = ()  # author lines beyond "Von …", "Text: …" and bare names
    agencies: tuple[str, ...] = ()  # lower-case words that certainly are a photo credit
    credit_separators: tuple[str, ...] = (" - ", " – ")  # "caption - credit"
    credit_labels: tuple[str, ...] = ()  # "Foto", "Bild": "caption Foto: credit"
    dateline_prefix: bool = True  # whether a paragraph may open with "Berlin – "

    def extend(self, name: str, description: str = "", **changes: Any) -> LayoutRules:
        """A new rule set called ``name``: tuple fields are appended to, other fields replaced.

        To drop an inherited pattern instead, build the rules with ``dataclasses.replace``.
        """
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(name=name, description=description)
        for key, value in changes.items():
            if key not in values or key in ("name", "description"):
                raise TypeError(f"LayoutRules.extend() got an unexpected field {key!r}")
            old = values[key]
            values[key] = old + tuple(value) if isinstance(old, tuple) else value
        return LayoutRules(**values)


LAYOUTS: dict[str, LayoutRules] = {}


def register_layout(rules: LayoutRules, *, replace: bool = False) -> LayoutRules:
    """Make a rule set available to :func:`parse_page` and to auto-detection; returns it."""
    if rules.name in LAYOUTS and not replace:
        raise ValueError(f"a layout named {rules.name!r} is already registered; pass replace=True")
    LAYOUTS[rules.name] = rules
    return rules


# ---------------------------------------------------------------------------------------------
# Language-level patterns shared by every layout (German news conventions).

_SENTENCE_END = re.compile(r"[.!?…][\"'»«“”„‘’)\]]*$")
_QUESTION_END = re.compile(r"\?[\"'»«“”„‘’)\]]*$")
_SYMBOLIC = re.compile(r"symbol(?:bild|foto)|archiv(?:bild|foto|aufnahme)|\(\s*archiv\s*\)", re.I)
_MONTHS = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    "|Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez"
)
_DATE = re.compile(
    rf"\b\d{{1,2}}\.\s?\d{{1,2}}\.(?:\s?\d{{2,4}})?(?!\d)|\b\d{{1,2}}\.\s?(?:{_MONTHS})\b"
    r"|\b\d{1,2}[:.]\d{2}\s*Uhr\b|\b\d{1,2}:\d{2}\b"
    r"|\bvor\s+\d+\s+(?:Sekunden?|Minuten?|Min\.|Stunden?|Std\.|Tagen?|Wochen?|Monaten?)",
    re.I,
)
# Lower-case words a date line may contain; more of other ones make it a sentence.
_DATE_WORDS = frozenset(
    "am um vor seit und uhr min std minuten stunden tagen heute gestern aktualisiert publiziert"
    " veröffentlicht erstellt geändert zuletzt stand".split()
)
_LOCATION_LINE = re.compile(r"(?P<loc>[^\W\d_][\w.'’/\- ]{0,40}?)\s*(?:,|\s[–—-])")
_DATELINE_PREFIX = re.compile(
    r"(?P<loc>[^\W\d_][\w.'’/\-]*"
    r"(?:\s+(?:(?:am|an|im|in|bei|ob|der|an der)\s+)?[^\W\d_][\w.'’/\-]*){0,2})"
    r"(?:\s*\([^()]{1,30}\))?\s*[–—-]\s+(?=\S)"
    r"|(?P<upper>[A-ZÄÖÜ]{3,}(?:[ /\-][A-ZÄÖÜ]{2,})*)(?:\s*\([^()]{1,30}\))?\.\s+(?=\S)"
)
# Capitalised words that open sentences, never datelines ("Die Regierung – so heisst es – …").
_NOT_PLACES = frozenset(
    "Der Die Das Den Dem Des Ein Eine Einer Eines Einem Es Er Sie Wir Ihr Ich Man Dies Diese"
    " Dieser Dieses Doch Aber Und Oder Auch Nach Vor Bei Im In Am An Auf Aus Mit Für Von Zu Zum"
    " Zur Wie Was Wer Wo Wann Warum Laut So Nun Jetzt Heute Gestern Dass Ob Als Wenn Trotz Seit"
    " Um Unter Über Mehr Nicht Kein Keine Alle Viele Damit Dann Da Hier Dort".split()
)
_PLACE_PARTICLES = frozenset("am an im in bei ob der".split())
_NAME_WORD = re.compile(r"[^\W\d_][\w'’\-]*\.?")
_NAME_PARTICLES = frozenset("von van vom zu zur de del della der den di da du dos la le ten ter y".split())
_PEOPLE_SPLIT = re.compile(r"\s*[,;&/|]\s*|\s+(?:und|and)\s+")
_PARENS = re.compile(r"\s*\([^()]{0,40}\)")
_BYLINE_LEAD = re.compile(
    r"(?:von|text|texte|autor|autorin|autoren|recherche|reportage|interview|aufgezeichnet von"
    r"|ein (?:kommentar|gastbeitrag|essay) von|eine (?:analyse|kolumne|glosse) von)\s*:?\s+(?P<who>.+)",
    re.I,
)
_NEWS_AGENCIES = frozenset(
    "dpa sda afp ap apa reuters kna epd dts sid ats ddp red upi awp ansa efe keystone-sda dpa-afx".split()
)
_USER_TAIL = re.compile(
    r"\s*(?:[·•|,–—-]\s*)?(?:am\s+|um\s+)?"
    r"(?:vor\s+\d+\s+\S+|\d{1,2}\.\s?\d{1,2}\.\S*|\d{1,2}:\d{2}|heute|gestern)"
    r"[^\n]*$|\s*\((?:[^()]{1,30})\)$",
    re.I,
)
_USER_WORDS = frozenset("aus von in am vom zu".split())
_CREDIT_JOINERS = frozenset({"&", "und", "via"})
_COPYRIGHT_SUFFIX = re.compile(r"\(?\s*(?P<zone>©\s*(?P<credit>[^©()]{1,60}?))\s*\)?\s*$")


def _words(t: str) -> int:
    return len(t.split())


def _is_person(part: str) -> bool:
    """Two to four capitalised name words, particles ("von", "de") allowed inside."""
    words = part.split()
    if not 2 <= len(words) <= 6:
        return False
    capitals = 0
    for i, word in enumerate(words):
        if not _NAME_WORD.fullmatch(word):
            return False
        if word[0].isupper():
            capitals += 1
        elif not (word in _NAME_PARTICLES and 0 < i < len(words) - 1):
            return False
    return 2 <= capitals <= 4


def _names_line(t: str) -> bool:
    """'Lea Sommer', 'Lea Sommer und Marc Frei', 'Lea Sommer, Redaktorin', 'Max Muster/dpa'."""
    if not t or len(t) > 100 or t[-1] in "!?…:;,":
        return False
    if t.endswith(".") and len(t.split()[-1]) > 3:  # an initial ("Peter K.") is no sentence end
        return False
    parts = [p for p in _PEOPLE_SPLIT.split(_PARENS.sub("", t).strip()) if p]
    if not parts or not _is_person(parts[0]):
        return False
    for i, part in enumerate(parts[1:], 1):
        last = i == len(parts) - 1
        is_role = last and (_words(part) <= 3 and not any(c.isdigit() for c in part) or _date_line(part))
        if not (_is_person(part) or is_role):
            return False
    return True


def _agency_tag(t: str) -> bool:
    """'(dpa)', 'sda', '(dpa/AFP)': the article's news-agency signature."""
    parts = [p for p in re.split(r"[\s/,()\[\]]+", t.lower()) if p]
    return 0 < len(t) <= 40 and bool(parts) and all(p in _NEWS_AGENCIES for p in parts)


def _date_line(t: str) -> bool:
    """'12.05.2024, 14:30 Uhr', 'Aktualisiert vor 3 Stunden', 'Bern, 3. Mai 2024'."""
    if len(t) > 80 or _words(t) > 10 or t[-1] in "!?" or not _DATE.search(t):
        return False
    other = [w for w in re.findall(r"[^\W\d_]+", t) if w[0].islower() and w.lower() not in _DATE_WORDS]
    return len(other) <= 1


def _location_line(t: str) -> bool:
    """'Schweiz,' or 'Bern –' alone on a line."""
    m = _LOCATION_LINE.fullmatch(t)
    return bool(m) and t[0].isupper() and _words(m["loc"]) <= 4


def _dateline_prefix(t: str) -> int:
    """Where the text starts after a dateline opening a paragraph ('Berlin (dpa) – '), else 0."""
    m = _DATELINE_PREFIX.match(t)
    if not m:
        return 0
    if m["loc"]:
        words = m["loc"].split()
        if words[0] in _NOT_PLACES or not all(w[0].isupper() or w in _PLACE_PARTICLES for w in words):
            return 0
    return m.end()


def _user_label_like(t: str) -> bool:
    """A name or handle that may label a comment: 'Hans Muster', 'Leserin_77', 'Kurt aus Bern'."""
    name = _USER_TAIL.sub("", t).strip() or t
    if len(name) > 40 or name[-1] in "!?:;,":
        return False
    words = name.split()
    if not (name[0].isalpha() or name[0] == "@"):
        return False
    if len(words) == 1:
        return re.fullmatch(r"[\w.\-#@]{2,30}", name) is not None
    if len(words) > 4 or name.endswith(".") and len(words[-1]) > 3:
        return False
    return words[0][0].isupper() and all(w[0].isupper() or w in _USER_WORDS for w in words)


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


# ---------------------------------------------------------------------------------------------
# The page parser

_MERGING = frozenset({ZoneKind.BODY, ZoneKind.LEAD, ZoneKind.COMMENT, ZoneKind.BOILERPLATE})
_OPENING_QUOTES = "«»\"„“‚‘'‹›("
_NOT_IN_ALT = frozenset(".!?,;:«»\"„“()")


def _kicker_like(t: str) -> bool:
    return _words(t) <= 5 and len(t) <= 60 and t[-1] not in ".,;"


def _alt_words(t: str) -> bool:
    """Alt text reads like file-name words: 'drohne feld', 'bundesrat bern medienkonferenz'."""
    return t[0].islower() and _words(t) <= 10 and len(t) <= 80 and not any(c in _NOT_IN_ALT for c in t)


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


# ---------------------------------------------------------------------------------------------
# Public entry points


def _detect(lines: list[_Line]) -> str:
    best, best_score = FALLBACK_LAYOUT, 0
    for name, rules in LAYOUTS.items():
        if name == FALLBACK_LAYOUT:
            continue
        signatures = _matchers(rules).signatures
        score = sum(1 for sig in signatures if any(sig.fullmatch(ln.text) for ln in lines))
        if score >= max(rules.min_signatures, 1) and score > best_score:
            best, best_score = name, score
    return best


def detect_layout(text: str) -> str:
    """The registered layout whose signature lines ``text`` shows most, else :data:`FALLBACK_LAYOUT`."""
    return _detect(_split_lines(text))


def parse_page(text: str, layout: str | None = None) -> list[Zone]:
    """Zones of a scraped news page; ``layout`` names a registered rule set, None detects one.

    Raises ValueError only for an unknown ``layout`` name, never because of the text.
    """
    lines = _split_lines(text)
    name = _detect(lines) if layout is None else layout
    rules = LAYOUTS.get(name)
    if rules is None:
        if layout is not None:
            known = ", ".join(sorted(LAYOUTS))
            raise ValueError(f"unknown page layout {layout!r}; registered layouts: {known}")
        rules = LayoutRules(FALLBACK_LAYOUT)
    if not lines:
        return []
    return _PageParser(_one_paragraph_per_line(lines), _matchers(rules)).run()


def parse_clean(text: str, has_title: bool) -> list[Zone]:
    """Zones of a clean article stored as ``title + "\\n\\n" + body`` (or body alone).

    The first paragraph is the HEADLINE when ``has_title``; every other paragraph is BODY.
    Paragraphs are separated by blank lines, or by single line breaks when the body has none.
    """
    lines = _split_lines(text)
    zones: list[Zone] = []
    # an empty title leaves the text starting with a blank line: then there is no headline
    if has_title and lines and "\n" not in text[: lines[0].start]:
        title = [ln for ln in lines if ln.block == lines[0].block]
        zones.append(Zone(ZoneKind.HEADLINE, title[0].start, title[-1].end))
        lines = lines[len(title) :]
    if lines and lines[0].block == lines[-1].block:
        lines = [ln._replace(block=i) for i, ln in enumerate(lines)]
    first = 0
    for i, line in enumerate(lines):
        if i + 1 == len(lines) or lines[i + 1].block != line.block:
            zones.append(Zone(ZoneKind.BODY, lines[first].start, line.end))
            first = i + 1
    return zones


def looks_like_scraped_page(text: str) -> bool:
    """Whether a .txt file holds a copied web page (furniture, captions, comments) rather than a
    plain article of title and paragraphs; decides between :func:`parse_page` and :func:`parse_clean`.

    Scores signs of a page; one weak sign (a date line, a subtitle) is not enough.
    """
    lines = _split_lines(text)
    if len(lines) < 2:
        return False
    fallback = _matchers(LAYOUTS.get(FALLBACK_LAYOUT) or LayoutRules(FALLBACK_LAYOUT))
    matchers = [_matchers(rules) for rules in LAYOUTS.values()] or [fallback]
    texts = [ln.text for ln in lines]
    strong = furniture = 0
    caption = repeated = dated = False
    for i, t in enumerate(texts):
        if any(_full(m.tail, t) or _full(m.comment_user, t) for m in matchers):
            strong += 1
        elif any(_full(m.comments_header, t) for m in matchers):
            strong += i + 1 < len(texts) and _user_label_like(texts[i + 1])
            furniture += 1
        elif any(_full(m.furniture, t) for m in matchers):
            furniture += 1
        else:
            caption = caption or fallback.caption_parts(t) is not None
            dated = dated or (i < 10 and _date_line(t))
            repeated = repeated or (i + 1 < len(texts) and t == texts[i + 1] and _words(t) <= 6)
    kicker = (  # a topic line above a longer headline-shaped line
        len(texts) > 2
        and _kicker_like(texts[0])
        and _words(texts[0]) < _words(texts[1]) <= 30
        and not texts[1].endswith(".")
    )
    score = 2 * strong + min(furniture, 2) + caption + repeated + dated + kicker
    return score >= 2


# The built-in rule sets register themselves on import and need the names above: import them last.
from annotator.corpus import layouts as _layouts  # noqa: E402,F401
