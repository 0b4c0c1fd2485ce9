"""Article zones on a spaCy ``Doc``: which part of the page each token belongs to.

A document's zones (:class:`annotator.domain.Zone`, character offsets into the text) are put on the doc
before the pipeline runs, as ``doc._.zones``. The ``annotator_zone_marker`` component starts a sentence at
every zone start and after every line break, so that a headline without a full stop is never glued to the
byline below it. Every token knows its zone kind (``token._.zone``, e.g. ``"body"``; ``""`` between
zones); a rule can use it in a Matcher pattern, ``{"_": {"zone": "image_caption"}}``, at some cost in
speed (the zone policy of :mod:`.filtering` is the cheap way to keep a category in some zones).

A doc without zones (a sentence typed into a test, a text imported before zones existed) counts as one
BODY zone covering the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from annotator.domain import Zone, ZoneKind

from .batching import BatchedComponent
from .docfacts import column, facts_of, remember_text, text_of

__all__ = [
    "ARTICLE_ZONES",
    "ensure_extensions",
    "set_zones",
    "zone_of",
    "zones_of",
    "ZoneMarker",
]

# What a reader sees as the article, where framing devices are coded: headline, lead, captions,
# subheadings, body and reader comments. The kicker, byline, dateline and image alt text are labels, not
# statements, so the rules stay out of them (page furniture and credits are not codable at all).
ARTICLE_ZONES: tuple[str, ...] = (
    ZoneKind.HEADLINE.value,
    ZoneKind.LEAD.value,
    ZoneKind.IMAGE_CAPTION.value,
    ZoneKind.SUBHEADING.value,
    ZoneKind.BODY.value,
    ZoneKind.COMMENT.value,
)


def ensure_extensions() -> None:
    """Register the custom attributes the rule components share (safe to call again)."""
    if not Doc.has_extension("zones"):
        Doc.set_extension("zones", default=None)
    if not Doc.has_extension("zone_starts"):
        Doc.set_extension("zone_starts", default=None)
    if not Token.has_extension("zone"):
        Token.set_extension("zone", getter=_token_zone)
    if not Doc.has_extension("outlet_mentions"):
        # (start, end) character ranges of outlet names found from the outlet list.
        Doc.set_extension("outlet_mentions", default=None)
    if not Span.has_extension("cue_info"):
        # Extra facts about a suggestion for the coder, e.g. {"speaker": "Hans Meier"} on a direct quote.
        Span.set_extension("cue_info", default=None)


def _token_zone(token: Token) -> str:
    doc = token.doc
    zones = zones_of(doc)
    starts = doc._.zone_starts or [z.start for z in zones]
    index = bisect_right(starts, token.idx) - 1
    if index >= 0 and token.idx < zones[index].end:
        return zones[index].kind.value
    return ""  # not None: spaCy's Matcher wants a string value for every token


def set_zones(doc: Doc, zones: Iterable[Zone] | None, text: str | None = None) -> Doc:
    """Attach a document's zones to `doc` (before the pipeline runs); returns the doc.

    `text`, the text `doc` was made from, is optional: given, the components need not rebuild it.
    The zones are kept as plain rows in ``doc._.zones`` (so that ``Doc.to_bytes`` and spaCy's worker
    processes can carry them); :func:`zones_of` gives them back as :class:`Zone` objects.
    """
    ensure_extensions()
    if zones is None:
        doc._.zones = None
    else:
        ordered = sorted(zones, key=_zone_order)
        rows = [(z.kind.value, z.start, z.end, z.attrs) for z in ordered]
        doc._.zones = rows
        facts_of(doc)["zones"] = (rows, ordered)
    if text is not None:
        remember_text(doc, text)
    return doc


def _zone_order(zone: Zone) -> tuple[int, int]:
    return zone.start, zone.end


def zones_of(doc: Doc) -> list[Zone]:
    """The doc's zones, or one BODY zone over the whole text when none were given."""
    rows = doc._.zones
    facts = facts_of(doc)
    known = facts.get("zones")
    if known is not None and known[0] is rows:
        return known[1]
    if rows is None:
        zones = [Zone(ZoneKind.BODY, 0, len(text_of(doc)))]
    else:
        zones = [Zone(ZoneKind(kind), start, end, dict(attrs or {})) for kind, start, end, attrs in rows]
    facts["zones"] = (rows, zones)
    return zones


def zone_of(zones: Sequence[Zone], start: int, end: int, starts: Sequence[int] | None = None) -> Zone | None:
    """The zone holding the whole character range ``start..end``, if one does.

    `zones` must be sorted by start (as :func:`set_zones` leaves them); zones do not overlap. `starts`,
    the zones' start offsets, saves listing them again when many ranges are looked up.
    """
    index = bisect_right(starts if starts is not None else [z.start for z in zones], start) - 1
    if index >= 0 and zones[index].contains(start, end):
        return zones[index]
    return None


class ZoneMarker(BatchedComponent):
    """Starts sentences at zone starts and line breaks; ``token._.zone`` then names each token's zone."""

    def __init__(self, nlp: Language, name: str = "annotator_zone_marker") -> None:
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        zones = zones_of(doc)
        starts = [z.start for z in zones]
        doc._.zone_starts = starts
        breaks = starts + [match.end() for match in _LINE_BREAK.finditer(text_of(doc))]
        offsets = column(doc, IDX)
        found = []
        for offset in breaks:
            i = bisect_left(offsets, offset)
            if 0 < i < len(offsets) and offsets[i] == offset:
                found.append(i)
        if found:
            sent_starts = doc.to_array(SENT_START)
            sent_starts[found] = 1
            doc.from_array([SENT_START], sent_starts.reshape((-1, 1)))
        return doc

    # Nothing to save: the component has no state. Present so that nlp.to_disk/from_disk work.
    def to_disk(self, path, *, exclude=()) -> None:  # noqa: ANN001
        return None

    def from_disk(self, path, *, exclude=()) -> "ZoneMarker":  # noqa: ANN001
        return self


_LINE_BREAK = re.compile(r"\n\s*")


@Language.factory("annotator_zone_marker")
def make_zone_marker(nlp: Language, name: str) -> ZoneMarker:
    return ZoneMarker(nlp, name)
