"""Find the structural zones of a news article: headline, lead, captions, body, comments, furniture.

Two kinds of text reach this module (always normalised: NFC, ``\\n`` line ends):

* clean articles (JSONL, CSV, extracted HTML), stored as ``title + "\\n\\n" + body`` ->
  :func:`parse_clean`: one HEADLINE zone and one BODY zone per paragraph;
* whole news pages copied or scraped from a website, the article mixed with page furniture ->
  :func:`parse_page`, driven by a :class:`LayoutRules` rule set per outlet style. Rule sets live in
  :mod:`annotator.corpus.layouts`, one small module each; ``generic`` is the fallback.

This module is the public face and the layout registry. The parser itself is
:mod:`annotator.corpus.page_parser`, over the lines and compiled rules of
:mod:`annotator.corpus.page_lines` and the single-line shapes of :mod:`annotator.corpus.line_shapes`.

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

from annotator.corpus.layout_rules import LayoutRules
from annotator.corpus.line_shapes import _date_line, _kicker_like, _user_label_like, _words
from annotator.corpus.page_lines import _full, _Line, _matchers, _one_paragraph_per_line, _split_lines
from annotator.corpus.page_parser import _PageParser
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

LAYOUTS: dict[str, LayoutRules] = {}


def register_layout(rules: LayoutRules, *, replace: bool = False) -> LayoutRules:
    """Make a rule set available to :func:`parse_page` and to auto-detection; returns it."""
    if rules.name in LAYOUTS and not replace:
        raise ValueError(f"a layout named {rules.name!r} is already registered; pass replace=True")
    LAYOUTS[rules.name] = rules
    return rules


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
