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

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from annotator.domain import Zone, ZoneKind

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


def set_zones(doc: Doc, zones: Iterable[Zone] | None) -> Doc:
    """Attach a document's zones to `doc` (before the pipeline runs); returns the doc."""
    ensure_extensions()
    doc._.zones = sorted(zones, key=lambda z: (z.start, z.end)) if zones is not None else None
    return doc


def zones_of(doc: Doc) -> list[Zone]:
    """The doc's zones, or one BODY zone over the whole text when none were given."""
    zones = doc._.zones
    if zones is None:
        return [Zone(ZoneKind.BODY, 0, len(doc.text))]
    return zones


def zone_of(zones: Sequence[Zone], start: int, end: int) -> Zone | None:
    """The zone holding the whole character range ``start..end``, if one does.

    `zones` must be sorted by start (as :func:`set_zones` leaves them); zones do not overlap.
    """
    index = bisect_right([z.start for z in zones], start) - 1
    if index >= 0 and zones[index].contains(start, end):
        return zones[index]
    return None


class ZoneMarker:
    """Starts sentences at zone starts and line breaks; ``token._.zone`` then names each token's zone."""

    def __init__(self, nlp: Language, name: str = "annotator_zone_marker") -> None:
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        zones = zones_of(doc)
        doc._.zone_starts = [z.start for z in zones]
        breaks = {z.start for z in zones}
        breaks.update(match.end() for match in _LINE_BREAK.finditer(doc.text))
        offsets = doc.to_array(IDX).tolist()
        for offset in breaks:
            i = bisect_left(offsets, offset)
            if 0 < i < len(doc) and offsets[i] == offset:
                doc[i].is_sent_start = True
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
