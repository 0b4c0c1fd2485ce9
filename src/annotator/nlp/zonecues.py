"""Cues that come from an article's structure rather than from its words.

* ``symbolic_image``: a picture caption the importer flagged as symbolic (``attrs["symbolic"]``) is
  suggested whole (rule ``symbolic_caption_flag``); a keyword from ``symbolic_image.jsonl`` ("Symbolbild",
  "Archivbild" …) inside a caption widens to the whole caption and keeps its rule id. The coded unit is
  the caption, not the keyword: it is the caption that tells the reader what the picture is.
* ``rhetorical_question``: a headline or subheading with a question mark, or one the importer flagged as a
  question (``attrs["question"]``), from its first character through its last question mark, so that a
  statement after the question stays out ("Emme über die Ufer?" in "Emme über die Ufer? Kanton Bern
  warnt", rule ``question_zone``). Clean records (JSONL, CSV) keep their subheadings as short paragraphs
  of the body: a body paragraph of one line, at most `question_paragraph_words` words, ending with a
  question mark counts as such a subheading (rule ``question_paragraph``). Questions inside running text
  are not suggested.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from annotator.domain import Zone, ZoneKind

from .batching import BatchedComponent
from .docfacts import append_spans, replace_spans, span_rows, text_of
from .ruler import SUGGESTIONS_KEY
from .zones import ensure_extensions, zone_of, zones_of

__all__ = ["ZoneCues"]

SYMBOLIC = "symbolic_image"
QUESTION = "rhetorical_question"


class ZoneCues(BatchedComponent):
    """Adds the zone-based suggestions and widens symbolic-image keywords to their caption."""

    def __init__(
        self,
        nlp: Language,
        name: str = "annotator_zone_cues",
        *,
        spans_key: str = SUGGESTIONS_KEY,
        symbolic_flag: bool = True,
        question_zones: Iterable[str] = (ZoneKind.HEADLINE.value, ZoneKind.SUBHEADING.value),
        question_paragraph_words: int = 12,
    ) -> None:
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        self.symbolic_flag = symbolic_flag
        self.question_zones = frozenset(question_zones)
        self._question_kinds = frozenset(kind for kind in ZoneKind if kind.value in self.question_zones)
        self.question_paragraph_words = question_paragraph_words

    def __call__(self, doc: Doc) -> Doc:
        zones = zones_of(doc)
        starts = [z.start for z in zones]
        text = text_of(doc)
        symbolic = doc.vocab.strings.add(SYMBOLIC)
        widen = any(row[4] == symbolic for row in span_rows(doc, self.spans_key))
        kept: list[Span] = []  # all suggestions when some are widened, else only the new ones
        for span in doc.spans[self.spans_key] if widen else ():
            if span.label != symbolic:
                kept.append(span)
                continue
            zone = zone_of(zones, span.start_char, span.end_char, starts)
            if zone is not None and zone.kind is ZoneKind.IMAGE_CAPTION:
                widened = _zone_span(doc, text, zone, SYMBOLIC, span.id_)
                if widened is not None:
                    kept.append(widened)
        for zone in zones:
            if self.symbolic_flag and zone.kind is ZoneKind.IMAGE_CAPTION and zone.attrs.get("symbolic"):
                span = _zone_span(doc, text, zone, SYMBOLIC, "symbolic_caption_flag")
                if span is not None:
                    kept.append(span)
            if zone.kind in self._question_kinds and _is_question(text, zone):
                span = _question_span(doc, text, zone, "question_zone")
                if span is not None:
                    kept.append(span)
            elif zone.kind is ZoneKind.BODY and self._is_question_paragraph(text, zone):
                span = _question_span(doc, text, zone, "question_paragraph")
                if span is not None:
                    kept.append(span)
        if widen:
            replace_spans(doc, self.spans_key, kept)
        else:
            append_spans(doc, self.spans_key, kept)
        return doc

    def _is_question_paragraph(self, text: str, zone: Zone) -> bool:
        if text.rfind("?", zone.start, zone.end) < 0:
            return False
        text = text[zone.start : zone.end].strip()
        return (
            text.endswith("?")
            and "\n" not in text
            and len(text.split()) <= self.question_paragraph_words
            and not any(mark in text[:-1] for mark in ".!?")
        )


def _is_question(text: str, zone: Zone) -> bool:
    return "?" in text[zone.start : zone.end] or bool(zone.attrs.get("question"))


def _question_span(doc: Doc, text: str, zone: Zone, rule_id: str) -> Span | None:
    """From the zone's first character through its last question mark (the whole zone if it has none)."""
    last = text.rfind("?", zone.start, zone.end)
    if last >= 0:
        zone = Zone(zone.kind, zone.start, last + 1, zone.attrs)
    return _zone_span(doc, text, zone, QUESTION, rule_id)


def _zone_span(doc: Doc, text: str, zone: Zone, label: str, rule_id: str) -> Span | None:
    text = text[zone.start : zone.end]
    start = zone.start + (len(text) - len(text.lstrip()))
    end = zone.start + len(text.rstrip())
    if start >= end:
        return None
    span = doc.char_span(start, end, label=label, span_id=rule_id, alignment_mode="contract")
    return span if span is not None and len(span) else None


@Language.factory(
    "annotator_zone_cues",
    default_config={
        "spans_key": SUGGESTIONS_KEY,
        "symbolic_flag": True,
        "question_zones": [ZoneKind.HEADLINE.value, ZoneKind.SUBHEADING.value],
        "question_paragraph_words": 12,
    },
)
def make_zone_cues(
    nlp: Language,
    name: str,
    spans_key: str,
    symbolic_flag: bool,
    question_zones: list[str],
    question_paragraph_words: int,
) -> ZoneCues:
    return ZoneCues(
        nlp,
        name,
        spans_key=spans_key,
        symbolic_flag=symbolic_flag,
        question_zones=question_zones,
        question_paragraph_words=question_paragraph_words,
    )
