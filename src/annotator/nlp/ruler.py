"""The cue ruler: token and phrase patterns, one file per category, that propose suggestion spans.

Built like spaCy's SpanRuler (a class, a registered factory with a ``default_config``, patterns as
plain dicts with an exact ``to_disk``/``from_disk`` round trip), with three differences a research
project needs:

* patterns are saved as one ``<category>.jsonl`` per label, so a researcher edits one category at a time;
* every span carries the id of the pattern that produced it (``span.id_``), so a coder can see why;
* an error in a pattern names the file and the line.

Token patterns go to a :class:`.matching.WindowedMatcher`, which runs spaCy's Matcher only around the
words a pattern needs, so a pattern costs little on a doc without its words. Give every pattern at least
one token that names its words (``{"LOWER": {"IN": [...]}}``, a ``LOWER`` ``REGEX``, an outlet
``ENT_TYPE``): a pattern made only of ``IS_…`` tests or other attributes is run over every token of
every doc. Fixed multi-word phrases are strings (matched by a PhraseMatcher on lower case).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import srsly
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .batching import BatchedComponent
from .docfacts import append_spans
from .matching import WindowedMatcher
from .patterns import PatternError, PatternSource, check_token_pattern, load_patterns
from .zones import ensure_extensions

__all__ = ["SUGGESTIONS_KEY", "CueRuler"]

SUGGESTIONS_KEY = "suggestions"


class CueRuler(BatchedComponent):
    """Adds a span to ``doc.spans[spans_key]`` for every pattern match: label = category, id_ = rule id."""

    def __init__(
        self,
        nlp: Language,
        name: str = "annotator_cue_ruler",
        *,
        spans_key: str = SUGGESTIONS_KEY,
        phrase_matcher_attr: str = "LOWER",
        validate: bool = True,
    ) -> None:
        ensure_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.phrase_matcher_attr = phrase_matcher_attr
        self.validate = validate
        self.clear()

    # --- patterns ----------------------------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget every pattern."""
        self._by_label: dict[str, list[dict[str, Any]]] = {}
        # matcher key -> (label, rule id, their string ids)
        self._keys: dict[int, tuple[str, str, int, int]] = {}
        self.matcher = WindowedMatcher(self.nlp.vocab, validate=self.validate)
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr=self.phrase_matcher_attr, validate=self.validate)

    def __len__(self) -> int:
        return sum(len(patterns) for patterns in self._by_label.values())

    def __contains__(self, label: str) -> bool:
        return label in self._by_label

    @property
    def patterns(self) -> list[dict[str, Any]]:
        """All patterns, grouped by label in label order (the order ``to_disk`` writes them in)."""
        return [pattern for label in sorted(self._by_label) for pattern in self._by_label[label]]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_label))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted({_rule_id(p) for p in self.patterns}))

    def add_patterns(
        self, patterns: Iterable[dict[str, Any]], sources: Sequence[PatternSource] | None = None
    ) -> None:
        """Add patterns (dicts with ``label``, ``pattern`` and, best, ``id``).

        `sources` (one per pattern) only serve error messages. Raises `PatternError` for a pattern spaCy
        rejects, naming its file and line when known.
        """
        patterns = list(patterns)
        phrases: list[tuple[str, str]] = []
        for index, entry in enumerate(patterns):
            where = str(sources[index]) if sources is not None else f"pattern {index + 1}"
            label, rule_id = str(entry["label"]), _rule_id(entry)
            key = f"{label}\x1f{rule_id}"
            strings = self.nlp.vocab.strings
            self._keys[strings.add(key)] = (label, rule_id, strings.add(label), strings.add(rule_id))
            pattern = entry["pattern"]
            if isinstance(pattern, str):
                phrases.append((key, pattern))
            elif isinstance(pattern, list):
                check_token_pattern(pattern, f"{where}: rule {rule_id!r}")
                try:
                    self.matcher.add(key, pattern)
                except (MatchPatternError, ValueError, KeyError, TypeError) as error:
                    raise PatternError(f"{where}: spaCy rejects the pattern of rule {rule_id!r}: {error}") from error
            else:
                raise PatternError(f"{where}: \"pattern\" must be a list of token patterns or a phrase string")
            self._by_label.setdefault(label, []).append(entry)
        for key, text in phrases:
            self.phrase_matcher.add(key, [self.nlp.make_doc(text)])

    # No annotations here: spaCy validates initialize() arguments from the signature.
    def initialize(self, get_examples=None, *, nlp=None, patterns=None):  # noqa: ANN001
        """Start empty, or with `patterns` (as the ``[initialize.components]`` config may give)."""
        self.clear()
        if patterns:
            self.add_patterns(patterns)

    # --- matching ----------------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        keys = self._keys
        found = {(start, end, *keys[match_id]) for match_id, start, end in self.matcher(doc) if start < end}
        found.update((start, end, *keys[match_id]) for match_id, start, end in self.phrase_matcher(doc) if start < end)
        # (start, end, label, rule id, label's string id, rule id's string id): sorted by the first four
        found = sorted(found)
        spans = [Span(doc, start, end, label=label, span_id=rule) for start, end, _, _, label, rule in found]
        rows = [(f[0], f[1], s.start_char, s.end_char, f[4], f[5]) for f, s in zip(found, spans)]
        append_spans(doc, self.spans_key, spans, rows)
        return doc

    # --- serialisation -----------------------------------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``<label>.jsonl`` per label into the folder `path`."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        for label, patterns in sorted(self._by_label.items()):
            srsly.write_jsonl(path / f"{label}.jsonl", patterns)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "CueRuler":
        """Replace the patterns by those of every ``*.jsonl`` in the folder `path`."""
        self.clear()
        path = ensure_path(path)
        if path.is_dir():
            loaded = load_patterns(path)
            self.add_patterns([entry for entry, _ in loaded], [source for _, source in loaded])
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self.patterns).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "CueRuler":
        self.clear()
        self.add_patterns(srsly.json_loads(data))
        return self


def _rule_id(entry: dict[str, Any]) -> str:
    return str(entry.get("id") or entry["label"])


@Language.factory(
    "annotator_cue_ruler",
    default_config={"spans_key": SUGGESTIONS_KEY, "phrase_matcher_attr": "LOWER", "validate": True},
)
def make_cue_ruler(nlp: Language, name: str, spans_key: str, phrase_matcher_attr: str, validate: bool) -> CueRuler:
    return CueRuler(nlp, name, spans_key=spans_key, phrase_matcher_attr=phrase_matcher_attr, validate=validate)
