"""The last step: keep suggestions where coding happens, and merge overlapping ones of one category.

Zone policy (``zones`` in the config) maps a category to the zone kinds it may be suggested in; ``"*"``
stands for every category not named. By default symbolic images come only from picture captions,
rhetorical questions only from headings (and subheading-like paragraphs), everything else from what a
reader sees as the article (headline, lead, captions, subheadings, body, reader comments): never from page
furniture, kicker, byline, dateline, alt text or credits. A suggestion must lie inside one zone.

Overlapping suggestions of one category become one, covering both ("es ist nicht ausgeschlossen" and
"nicht ausgeschlossen" → the longer). The merged suggestion keeps the rule id of its longest part; all
rule ids that contributed are listed in ``span._.cue_info["rules"]`` when there was more than one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from spacy.language import Language
from spacy.tokens import Doc, Span

from annotator.domain import ZoneKind

from .batching import BatchedComponent
from .docfacts import replace_spans, span_rows
from .ruler import SUGGESTIONS_KEY
from .zones import ARTICLE_ZONES, ensure_extensions, zone_of, zones_of

__all__ = ["DEFAULT_ZONE_POLICY", "SuggestionFilter", "merge_overlapping", "zone_allows"]

DEFAULT_ZONE_POLICY: dict[str, list[str]] = {
    "symbolic_image": [ZoneKind.IMAGE_CAPTION.value],
    # body: only the short question paragraphs that are subheadings of a clean record (see zonecues)
    "rhetorical_question": [ZoneKind.HEADLINE.value, ZoneKind.SUBHEADING.value, ZoneKind.BODY.value],
    "*": list(ARTICLE_ZONES),
}


class SuggestionFilter(BatchedComponent):
    """Applies the zone policy and merges overlapping suggestions of the same category."""

    def __init__(
        self,
        nlp: Language,
        name: str = "annotator_suggestion_filter",
        *,
        spans_key: str = SUGGESTIONS_KEY,
        zones: dict[str, list[str]] | None = None,
    ) -> None:
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        policy = DEFAULT_ZONE_POLICY if zones is None else zones
        known = {kind.value for kind in ZoneKind}
        for category, kinds in policy.items():
            unknown = sorted(set(kinds) - known)
            if unknown:
                raise ValueError(f"zone policy for {category!r} names unknown zone kind(s): {', '.join(unknown)}")
        self.policy = {category: frozenset(kinds) for category, kinds in policy.items()}

    def allowed(self, category: str, zone_kind: ZoneKind) -> bool:
        return zone_allows(category, zone_kind, self.policy)

    def __call__(self, doc: Doc) -> Doc:
        if self.spans_key not in doc.spans:
            doc.spans[self.spans_key] = []
            return doc
        # Decided on the rows (bounds and labels as numbers); only the spans kept are taken out of the group.
        zones = zones_of(doc)
        starts = [z.start for z in zones]
        strings = doc.vocab.strings
        allowed: dict[tuple[int, ZoneKind], bool] = {}
        kept: list[tuple[int, int, str, int]] = []  # start, end, label, index in the group
        for i, (start, end, start_char, end_char, label, _) in enumerate(span_rows(doc, self.spans_key)):
            zone = zone_of(zones, start_char, end_char, starts)
            if zone is None:
                continue
            ok = allowed.get((label, zone.kind))
            if ok is None:
                ok = allowed[label, zone.kind] = self.allowed(strings[label], zone.kind)
            if ok:
                kept.append((start, end, strings[label], i))
        group = doc.spans[self.spans_key]
        replace_spans(doc, self.spans_key, _merged(doc, kept, group.__getitem__))
        return doc


def zone_allows(category: str, zone_kind: ZoneKind, policy: Mapping[str, Iterable[str]]) -> bool:
    """Whether the zone `policy` lets `category` be suggested in a zone of `zone_kind`."""
    if not zone_kind.codable:
        return False
    kinds = policy.get(category, policy.get("*", ()))
    return zone_kind.value in kinds


def merge_overlapping(doc: Doc, spans: Iterable[Span]) -> list[Span]:
    """One span per group of overlapping spans of a label; sorted by start, then label."""
    spans = list(spans)
    return _merged(doc, [(s.start, s.end, s.label_, i) for i, s in enumerate(spans)], spans.__getitem__)


def _merged(doc: Doc, items: list[tuple[int, int, str, int]], span_at: Callable[[int], Span]) -> list[Span]:
    """:func:`merge_overlapping` on ``(start, end, label, key)`` items, `span_at(key)` giving the span."""
    by_label: dict[str, list[tuple[int, int, int, int]]] = {}
    for order, (start, end, label, key) in enumerate(items):
        by_label.setdefault(label, []).append((start, -end, order, key))
    merged: list[tuple[int, int, str, int, Span]] = []

    def close(label: str, cluster: list[int], start: int, end: int) -> None:
        parts = [span_at(key) for key in cluster]
        span = parts[0] if len(parts) == 1 else _union(doc, label, parts)
        merged.append((start, end, label, len(merged), span))

    for label, group in by_label.items():
        group.sort()  # by start, longest first; the input order breaks ties
        cluster: list[int] = []
        cluster_start = cluster_end = 0
        for start, negative_end, _, key in group:
            if cluster and start >= cluster_end:
                close(label, cluster, cluster_start, cluster_end)
                cluster = []
            if not cluster:
                cluster_start, cluster_end = start, -negative_end
            cluster.append(key)
            cluster_end = max(cluster_end, -negative_end)
        if cluster:
            close(label, cluster, cluster_start, cluster_end)
    merged.sort()
    return [span for *_, span in merged]


def _union(doc: Doc, label: str, cluster: list[Span]) -> Span:
    if len(cluster) == 1:
        return cluster[0]
    main = max(cluster, key=lambda s: (len(s), s.id_))
    start = min(s.start for s in cluster)
    end = max(s.end for s in cluster)
    span = Span(doc, start, end, label=label, span_id=main.id_)
    info = {}
    for part in cluster:
        if part._.cue_info:
            info = {**part._.cue_info, **info}
    rules = sorted({s.id_ for s in cluster})
    if len(rules) > 1:
        info["rules"] = rules
    span._.cue_info = info or None
    return span


@Language.factory(
    "annotator_suggestion_filter",
    default_config={"spans_key": SUGGESTIONS_KEY, "zones": DEFAULT_ZONE_POLICY},
)
def make_suggestion_filter(
    nlp: Language, name: str, spans_key: str, zones: dict[str, list[str]]
) -> SuggestionFilter:
    return SuggestionFilter(nlp, name, spans_key=spans_key, zones=zones)
