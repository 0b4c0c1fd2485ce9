"""Token patterns matched only where they can match: spaCy's Matcher, run on small windows of a doc.

spaCy's ``Matcher`` walks every token of a doc and, at every token, evaluates the ``IN`` and ``REGEX``
tests of every pattern in Python; with a few dozen patterns that costs far more than tokenising the
text. Most cue patterns, though, need one particular word: "könnte", "laut", a word ending in
"-experten", an outlet name. :class:`WindowedMatcher` finds those words first, with one dictionary
lookup per token, and hands spaCy's Matcher only the few tokens around them. The matches are exactly
those of one Matcher holding every pattern (a test checks this on random patterns):

* every pattern token that must occur (no ``OP``, ``+``, ``{n}`` with n ≥ 1 …) and names its word
  (``LOWER``/``ORTH``/``TEXT`` equal to a value or ``IN`` a list, ``LOWER`` ``REGEX``) or its entity
  label (``ENT_TYPE``) is a possible *anchor*; a pattern whose anchor words are not all in the doc
  cannot match it and is skipped;
* of the anchors, the one with the fewest occurrences in the doc is used: around each occurrence, the
  window reaches as far as the pattern can (the maximum repetitions of the tokens before and after it;
  a ``+`` or ``*`` token with an anchor test reaches over the longest run of tokens passing it, one
  without reaches over the whole doc), and the Matcher runs on the window only. A match inside a window
  is a match in the doc, since a pattern looks at nothing but the tokens it covers;
* a pattern of plain words only ("nicht|kaum" + "ausgeschlossen") is checked at its anchors directly;
* a pattern with no anchor at all runs over the whole doc, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["WindowedMatcher"]

_UNBOUNDED = -1
_WORD_ATTRS = {"LOWER": False, "ORTH": True, "TEXT": True}  # attribute -> compares the original case
_REGEX_CACHE_LIMIT = 500_000  # distinct words remembered for the REGEX anchors before starting afresh


@dataclass
class _Test:
    """Which tokens may pass one pattern token: a set of lower-case words, a regex over them, or entity labels."""

    words: frozenset[int] = frozenset()  # hashes of lower-case forms
    regex: re.Pattern[str] | None = None
    ent_types: frozenset[int] = frozenset()


@dataclass
class _Plan:
    """How one pattern is matched."""

    match_id: int
    matcher: Matcher
    repeats: list[tuple[int, int]]  # (min, max) per pattern token; max -1 = unbounded
    tests: list[int | None]  # index into WindowedMatcher._tests per pattern token
    anchors: list[int]  # pattern token positions that must occur and have a test
    plain: list[tuple[frozenset[int], bool]] | None  # per token (hashes, compares ORTH): words-only pattern


def _repeats(op: str | None) -> tuple[int, int]:
    if op is None or op == "!":
        return 1, 1  # "!" consumes a token that must not pass the test
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, _UNBOUNDED
    if op == "+":
        return 1, _UNBOUNDED
    low, _, high = op.strip("{}").partition(",")
    if "," not in op:
        return int(low), int(low)
    return int(low or 0), int(high) if high else _UNBOUNDED


def _word_values(value: Any) -> list[str] | None:
    """The words a spec value admits: ``"x"`` or ``{"IN": [...]}``; None for anything else."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
        return list(value["IN"])
    return None


class WindowedMatcher:
    """Like ``spacy.matcher.Matcher`` (add a key with a pattern, call on a doc), checking fewer tokens."""

    def __init__(self, vocab: Vocab, *, validate: bool = True) -> None:
        self.vocab = vocab
        self.validate = validate
        self._plans: list[_Plan] = []
        self._tests: list[_Test] = []
        self._test_ids: dict[tuple, int] = {}
        self._word_tests: dict[int, tuple[int, ...]] = {}  # lower hash -> tests its word passes (sets only)
        self._regex_tests: list[int] = []
        self._word_cache: dict[int, tuple[int, ...]] = {}  # lower hash -> every test it passes
        self._ent_tests: list[int] = []

    def __len__(self) -> int:
        return len(self._plans)

    # --- building -----------------------------------------------------------------------------------------

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        """Add one token pattern under `key`; spaCy's Matcher checks it (and raises for a bad one)."""
        matcher = Matcher(self.vocab, validate=self.validate)
        matcher.add(key, [pattern])
        repeats, tests, plain = [], [], []
        for spec in pattern:
            spec = {str(name).upper(): value for name, value in spec.items()}
            repeat = _repeats(spec.get("OP"))
            test = self._test_of(spec) if spec.get("OP") != "!" else None
            repeats.append(repeat)
            tests.append(test)
            plain.append(self._plain_of(spec))
        anchors = [i for i, test in enumerate(tests) if test is not None and repeats[i][0] >= 1]
        words_only = all(p is not None for p in plain) and all(r == (1, 1) for r in repeats) and bool(anchors)
        self._plans.append(
            _Plan(
                match_id=self.vocab.strings.add(key),
                matcher=matcher,
                repeats=repeats,
                tests=tests,
                anchors=anchors,
                plain=plain if words_only else None,  # type: ignore[arg-type]
            )
        )

    def _test_of(self, spec: dict[str, Any]) -> int | None:
        """The most telling anchor test of a pattern token, or None when it names no word nor entity."""
        strings = self.vocab.strings
        for attr in ("LOWER", "ORTH", "TEXT"):
            words = _word_values(spec.get(attr))
            if words is not None:
                return self._intern(("words", frozenset(strings.add(w.lower()) for w in words)))
        lower = spec.get("LOWER")
        if isinstance(lower, dict) and set(lower) == {"REGEX"} and isinstance(lower["REGEX"], str):
            return self._intern(("regex", lower["REGEX"]))
        ent_types = _word_values(spec.get("ENT_TYPE"))
        if ent_types is not None:
            return self._intern(("ents", frozenset(strings.add(e) for e in ent_types)))
        return None

    def _plain_of(self, spec: dict[str, Any]) -> tuple[frozenset[int], bool] | None:
        """(hashes, compares ORTH) when the token is nothing but one word test, else None."""
        keys = set(spec) - {"OP"}
        if len(keys) != 1 or spec.get("OP") not in (None,):
            return None
        (attr,) = keys
        if attr not in _WORD_ATTRS:
            return None
        words = _word_values(spec[attr])
        if words is None:
            return None
        return frozenset(self.vocab.strings.add(w) for w in words), _WORD_ATTRS[attr]

    def _intern(self, key: tuple) -> int:
        if key in self._test_ids:
            return self._test_ids[key]
        index = len(self._tests)
        kind, value = key
        if kind == "words":
            self._tests.append(_Test(words=value))
            for word in value:
                self._word_tests[word] = self._word_tests.get(word, ()) + (index,)
        elif kind == "regex":
            self._tests.append(_Test(regex=re.compile(value)))
            self._regex_tests.append(index)
        else:
            self._tests.append(_Test(ent_types=value))
            self._ent_tests.append(index)
        self._test_ids[key] = index
        self._word_cache.clear()
        return index

    # --- matching -----------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """``(match_id, start, end)`` for every match, as spaCy's Matcher gives them (order aside)."""
        length = len(doc)
        if not length or not self._plans:
            return []
        columns = doc.to_array([LOWER, ORTH])
        lowers = columns[:, 0].tolist()
        hits = self._hits(doc, lowers)
        orths: list[int] | None = None
        found: list[tuple[int, int, int]] = []
        runs: dict[int, int] = {}
        for plan in self._plans:
            if not plan.anchors:
                found.extend((plan.match_id, s, e) for _, s, e in plan.matcher(doc))
                continue
            anchor = -1
            fewest = length + 1
            for position in plan.anchors:
                count = len(hits[plan.tests[position]])  # type: ignore[index]
                if count < fewest:
                    anchor, fewest = position, count
            if fewest == 0:
                continue  # a word the pattern needs is not in the doc
            occurrences = hits[plan.tests[anchor]]  # type: ignore[index]
            if plan.plain is not None:
                if orths is None:
                    orths = columns[:, 1].tolist()
                found.extend(_plain_matches(plan, anchor, occurrences, lowers, orths, length))
                continue
            before, after = self._reach(plan, anchor, hits, runs, length)
            for start, end in _windows(occurrences, before, after, length):
                found.extend((plan.match_id, start + s, start + e) for _, s, e in plan.matcher(doc[start:end]))
        return found

    def _hits(self, doc: Doc, lowers: Sequence[int]) -> list[list[int]]:
        """Positions of the tokens passing each test, in order."""
        hits: list[list[int]] = [[] for _ in self._tests]
        tests_of = self._word_cache if self._regex_tests else self._word_tests
        for i, word in enumerate(lowers):
            passed = tests_of.get(word)
            if passed is None and self._regex_tests:
                passed = self._classify(word)
            if passed:
                for test in passed:
                    hits[test].append(i)
        if self._ent_tests:
            for ent in doc.ents:
                for test in self._ent_tests:
                    if ent.label in self._tests[test].ent_types:
                        hits[test].extend(range(ent.start, ent.end))
            for test in self._ent_tests:
                hits[test].sort()
        return hits

    def _classify(self, word: int) -> tuple[int, ...]:
        """Every word and regex test a lower-case word passes, remembered."""
        text = self.vocab.strings[word]
        passed = self._word_tests.get(word, ()) + tuple(
            test for test in self._regex_tests if self._tests[test].regex.search(text)  # type: ignore[union-attr]
        )
        if len(self._word_cache) >= _REGEX_CACHE_LIMIT:
            self._word_cache.clear()
        self._word_cache[word] = passed
        return passed

    def _reach(
        self, plan: _Plan, anchor: int, hits: list[list[int]], runs: dict[int, int], length: int
    ) -> tuple[int, int]:
        """How many tokens a match may have before and after an occurrence of its anchor token."""

        def most(position: int) -> int:
            high = plan.repeats[position][1]
            if high != _UNBOUNDED:
                return high
            test = plan.tests[position]
            if test is None:
                return length
            if test not in runs:
                runs[test] = _longest_run(hits[test])
            return runs[test]

        own = most(anchor) - 1
        before = sum(most(i) for i in range(anchor)) + own
        after = sum(most(i) for i in range(anchor + 1, len(plan.repeats))) + own
        return before, after


def _plain_matches(
    plan: _Plan, anchor: int, occurrences: Iterable[int], lowers: list[int], orths: list[int], length: int
) -> list[tuple[int, int, int]]:
    found = []
    size = len(plan.plain)  # type: ignore[arg-type]
    for position in occurrences:
        start = position - anchor
        if start < 0 or start + size > length:
            continue
        for offset, (words, by_orth) in enumerate(plan.plain):  # type: ignore[arg-type]
            if (orths if by_orth else lowers)[start + offset] not in words:
                break
        else:
            found.append((plan.match_id, start, start + size))
    return found


def _windows(occurrences: list[int], before: int, after: int, length: int) -> list[tuple[int, int]]:
    """Token ranges around each occurrence, overlapping or touching ones joined."""
    windows: list[tuple[int, int]] = []
    for position in occurrences:
        start, end = max(0, position - before), min(length, position + after + 1)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _longest_run(positions: list[int]) -> int:
    longest = run = 0
    previous = -2
    for position in positions:
        run = run + 1 if position == previous + 1 else 1
        previous = position
        longest = max(longest, run)
    return longest
