"""A span model learnt from the coders' labels, as a second source of suggestions beside the rules.

The model is a blank German spaCy pipeline with one ``spancat`` component (span categorizer). Its
candidate spans (:func:`candidate_spans`, registered as ``annotator.span_candidates.v1``) are every
stretch of 1 to 8 tokens plus the longer units the codebook's categories are made of: lines (a headline,
a caption, a question subheading), sentences, the part of a line up to its last question mark, and
passages in quotation marks. The span categorizer scores each candidate for each category; a small
window encoder over hashed word features (width 96) keeps training and prediction fast on a CPU.

:func:`model_suggestions` turns its predictions into :class:`.suggest.Suggestion` objects like the
rules' ones, with ``rule_id = "model:<name>"`` and ``extra = {"score": …}``; where the model proposes
spans of one category that overlap, only the best-scored one is kept, and the zone policy of the rules
applies (no suggestions in page furniture, symbolic images only in captions …). :func:`merge_suggestions`
joins rule and model suggestions for one document: a model span equal to a rule span gives the rule's
suggestion its score.

Importing this module registers the candidate suggester, which :func:`load_span_model` needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import numpy
import spacy
from spacy.attrs import IS_LEFT_PUNCT, IS_PUNCT, IS_QUOTE, IS_RIGHT_PUNCT, IS_SPACE, ORTH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Ops, get_current_ops
from thinc.types import Ragged

from annotator.domain import Zone, ZoneKind

from .filtering import DEFAULT_ZONE_POLICY, zone_allows
from .quoting import find_quoted
from .suggest import CancelCheck, ProgressCallback, Suggestion
from .zones import zone_of

__all__ = [
    "MODEL_PREFIX",
    "SPANS_KEY",
    "blank_span_model",
    "candidate_spans",
    "load_span_model",
    "merge_suggestions",
    "model_fingerprint",
    "model_name",
    "model_suggestions",
    "predict_spans",
]

K = TypeVar("K")
SPANS_KEY = "sc"
MODEL_PREFIX = "model:"
NGRAM_SIZES = list(range(1, 9))
_MAX_UNIT_TOKENS = 120  # longest line, sentence or quoted passage offered as a candidate
_SENTENCE_ENDS = frozenset({".", "!", "?", "…"})

# A small tok2vec: hashed word features (NORM, PREFIX, SUFFIX, SHAPE) and a window encoder.
SPANCAT_MODEL: dict[str, Any] = {
    "@architectures": "spacy.SpanCategorizer.v1",
    "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 128},
    "scorer": {"@layers": "spacy.LinearLogistic.v1", "nO": None, "nI": None},
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 96,
            "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
            "rows": [5000, 1000, 2500, 2500],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 96,
            "depth": 4,
            "window_size": 1,
            "maxout_pieces": 3,
        },
    },
}


# --- candidate spans --------------------------------------------------------------------------------------


@registry.misc("annotator.span_candidates.v1")
def candidate_spans(sizes: list[int]) -> Callable[..., Ragged]:
    """A spancat suggester: n-grams of `sizes` tokens, lines, sentences, questions and quoted passages.

    No n-gram starts or ends with white space or punctuation other than quotation marks and brackets (or
    ends in a question mark), and none runs over a line break (a token of its own): no label looks like
    that. Fewer candidates also mean fewer negatives to learn from, which helps the rare categories.
    """

    def suggest(docs: Iterable[Doc], *, ops: Ops | None = None) -> Ragged:
        ops = ops if ops is not None else get_current_ops()
        found = [_candidates(doc, sizes) for doc in docs]
        lengths = ops.asarray1i([len(spans) for spans in found])
        if not any(len(spans) for spans in found):
            return Ragged(ops.xp.zeros((0, 0), dtype="i"), lengths)
        return Ragged(ops.asarray2i(numpy.concatenate([s for s in found if len(s)])), lengths)

    return suggest


def _candidates(doc: Doc, sizes: Sequence[int]) -> numpy.ndarray:
    n = len(doc)
    if not n:
        return numpy.zeros((0, 2), dtype="i")
    flags = doc.to_array([IS_SPACE, IS_PUNCT, IS_LEFT_PUNCT, IS_RIGHT_PUNCT, IS_QUOTE]).astype(bool)
    space = flags[:, 0]
    # A label may begin with an opening mark («, „, () and end with a closing one or a question mark,
    # never with a comma, a full stop or a dash.
    bad_start = space | (flags[:, 1] & ~flags[:, 2] & ~flags[:, 4])
    bad_end = space | (flags[:, 1] & ~flags[:, 3] & ~flags[:, 4])
    strings = doc.vocab.strings
    forms = doc.to_array(ORTH).tolist()
    breaks = numpy.zeros(n, dtype=bool)
    for i in numpy.flatnonzero(space).tolist():
        breaks[i] = "\n" in strings[forms[i]]
    bad_end &= numpy.asarray(forms, dtype=numpy.uint64) != strings.add("?")
    crossed = numpy.concatenate([[0], numpy.cumsum(breaks)])  # line breaks before each token
    parts = []
    for size in sizes:
        if size <= n:
            starts = numpy.arange(n - size + 1)
            # no white space at either end, no line break inside: no label looks like that
            keep = ~bad_start[starts] & ~bad_end[starts + size - 1] & (crossed[starts + size] == crossed[starts])
            parts.append(numpy.stack([starts[keep], starts[keep] + size], axis=1))
    units = _units(doc, space)
    if units:
        parts.append(numpy.asarray(sorted(units), dtype="i"))
    spans = numpy.unique(numpy.concatenate(parts), axis=0) if parts else numpy.zeros((0, 2))
    return spans.astype("i")


def _units(doc: Doc, space: numpy.ndarray) -> set[tuple[int, int]]:
    """Lines, sentences, a line up to its last question mark, quoted passages: as token ranges."""
    strings = doc.vocab.strings
    forms = doc.to_array(ORTH).tolist()
    units: set[tuple[int, int]] = set()

    def add(start: int, end: int) -> None:
        while start < end and space[start]:
            start += 1
        while end > start and space[end - 1]:
            end -= 1
        if 0 < end - start <= _MAX_UNIT_TOKENS:
            units.add((start, end))

    line_start = 0
    for i in range(len(doc) + 1):
        if i < len(doc) and not (space[i] and "\n" in strings[forms[i]]):
            continue
        add(line_start, i)
        sentence_start = line_start
        last_question = -1
        for j in range(line_start, i):
            text = strings[forms[j]]
            if text in _SENTENCE_ENDS:
                add(sentence_start, j + 1)
                sentence_start = j + 1
            if text == "?":
                last_question = j
        add(sentence_start, i)
        if last_question >= 0:
            add(line_start, last_question + 1)
        line_start = i + 1
    for quoted in find_quoted(doc.text):
        span = doc.char_span(quoted.start, quoted.end, alignment_mode="expand")
        if span is not None:
            add(span.start, span.end)
    return units


# --- the pipeline -----------------------------------------------------------------------------------------


def blank_span_model(categories: Iterable[str]) -> Language:
    """A blank German pipeline with an untrained span categorizer for `categories`."""
    nlp = spacy.blank("de")
    spancat = nlp.add_pipe(
        "spancat",
        config={
            "spans_key": SPANS_KEY,
            "threshold": 0.5,
            "max_positive": None,
            "model": SPANCAT_MODEL,
            "suggester": {"@misc": "annotator.span_candidates.v1", "sizes": NGRAM_SIZES},
        },
    )
    for category in categories:
        spancat.add_label(category)
    return nlp


def load_span_model(model_dir: str | Path) -> Language:
    """The model saved in `model_dir`, loaded once per process (again when it is saved anew)."""
    path = Path(model_dir).resolve()
    meta = path / "meta.json"
    if not meta.is_file():
        from .train import TrainingError

        raise TrainingError(f"{path}: no trained span model here (train one with `annotator train`)")
    return _load(str(path), meta.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: str, _saved: int) -> Language:
    return spacy.load(path)


def model_name(nlp: Language) -> str:
    return str(nlp.meta.get("annotator", {}).get("name") or nlp.meta.get("name") or "spans")


def model_fingerprint(model_dir: str | Path) -> str:
    """A short hash that changes whenever the model is trained again (from its saved metadata)."""
    import hashlib

    meta = (Path(model_dir) / "meta.json").read_bytes()
    return hashlib.sha256(meta).hexdigest()[:16]


# --- predictions ------------------------------------------------------------------------------------------


def predict_spans(
    nlp: Language, docs: Sequence[Doc], zones: Sequence[Sequence[Zone] | None], threshold: float = 0.5
) -> list[list[tuple[int, int, str, float]]]:
    """Per doc: ``(start_char, end_char, category, score)`` of the spans to suggest, by position.

    A candidate counts when its score reaches `threshold`, it lies within one zone where the rules'
    zone policy allows its category, and no overlapping candidate of its category scores higher.
    """
    spancat = nlp.get_pipe("spancat")
    labels = list(spancat.labels)
    indices, scores = spancat.predict(list(docs))
    ops = spancat.model.ops
    spans = ops.to_numpy(indices.dataXd) if len(indices.dataXd) else numpy.zeros((0, 2), dtype="i")
    scores = ops.to_numpy(scores)
    found = []
    offset = 0
    for doc, doc_zones, length in zip(docs, zones, ops.to_numpy(indices.lengths).tolist()):
        rows, cols = numpy.nonzero(scores[offset : offset + length] >= threshold)
        candidates = []
        for row, col in zip(rows.tolist(), cols.tolist()):
            start, end = spans[offset + row].tolist()
            first, last = doc[start], doc[end - 1]
            start_char, end_char = first.idx, last.idx + len(last.text)
            if _allowed(labels[col], start_char, end_char, doc_zones, len(doc.text)):
                candidates.append((float(scores[offset + row, col]), start_char, end_char, labels[col]))
        offset += length
        found.append(_best_of_overlapping(candidates))
    return found


def _allowed(category: str, start: int, end: int, zones: Sequence[Zone] | None, length: int) -> bool:
    zones = list(zones) if zones is not None else [Zone(ZoneKind.BODY, 0, length)]
    zone = zone_of(zones, start, end)
    return zone is not None and zone_allows(category, zone.kind, DEFAULT_ZONE_POLICY)


def _best_of_overlapping(candidates: list[tuple[float, int, int, str]]) -> list[tuple[int, int, str, float]]:
    kept: list[tuple[int, int, str, float]] = []
    for score, start, end, category in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if not any(c == category and s < end and start < e for s, e, c, _ in kept):
            kept.append((start, end, category, score))
    return sorted(kept)


def model_suggestions(
    model_dir: str | Path,
    items: Iterable[tuple[K, str, Sequence[Zone] | None]],
    threshold: float = 0.5,
    batch_size: int = 16,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    total: int | None = None,
) -> Iterator[tuple[K, list[Suggestion[K]]]]:
    """Yield ``(key, suggestions)`` per document from the span model in `model_dir`, in input order.

    Like :func:`.suggest.suggest_documents`: `items` are ``(key, text, zones)``, `progress(done, total)`
    is called after each batch and `cancel()` checked before each. Each suggestion has
    ``rule_id = "model:<name>"`` and ``extra = {"score": <0..1>}``.
    """
    nlp = load_span_model(model_dir)
    rule_id = MODEL_PREFIX + model_name(nlp)
    stream = iter(items)
    done = 0
    while True:
        if cancel is not None and cancel():
            return
        batch = list(islice(stream, batch_size))
        if not batch:
            return
        docs = [nlp.make_doc(text) for _, text, _ in batch]
        predicted = predict_spans(nlp, docs, [zones for _, _, zones in batch], threshold)
        for (key, text, _), spans in zip(batch, predicted):
            yield key, [
                Suggestion(key, category, start, end, text[start:end], rule_id, {"score": round(score, 4)})
                for start, end, category, score in spans
            ]
        done += len(batch)
        if progress is not None:
            progress(done, total)


def merge_suggestions(rules: list[Suggestion[K]], model: list[Suggestion[K]]) -> list[Suggestion[K]]:
    """Rule and model suggestions for one document, by position.

    A model suggestion with the category and bounds of a rule suggestion is not repeated: the rule's
    suggestion stays and takes the model's score into its ``extra``.
    """
    scores = {(s.category, s.start, s.end): s.extra["score"] for s in model}
    merged = [
        replace(s, extra={**s.extra, "score": scores[(s.category, s.start, s.end)]})
        if (s.category, s.start, s.end) in scores
        else s
        for s in rules
    ]
    taken = {(s.category, s.start, s.end) for s in rules}
    merged += [s for s in model if (s.category, s.start, s.end) not in taken]
    merged.sort(key=lambda s: (s.start, s.end, s.category))
    return merged


def read_model_meta(model_dir: str | Path) -> dict[str, Any]:
    """What training recorded about the model (categories, data hash, scores …), without loading it."""
    meta = json.loads((Path(model_dir) / "meta.json").read_text(encoding="utf-8"))
    return dict(meta.get("annotator", {}))
