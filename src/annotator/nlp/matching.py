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
* a pattern of fixed length whose tokens test only words, a ``LOWER`` ``REGEX`` and flags such as
  ``IS_LOWER`` ("nicht|kaum" + "ausgeschlossen", a capitalised word ending in "-experten") is checked
  at its anchors directly, without the Matcher;
* a pattern with no anchor at all runs over the whole doc, as before.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .docfacts import column

__all__ = ["WindowedMatcher"]

_UNBOUNDED = -1
_WORD_ATTRS = {"LOWER": False, "ORTH": True, "TEXT": True}  # attribute -> compares the original case
# Boolean token flags a fixed-length pattern may test (they depend on the word alone).
_FLAGS = frozenset(
    {
        "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
        "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "LIKE_NUM",
        "LIKE_URL", "LIKE_EMAIL",
    }
)  # fmt: skip
_CACHE_LIMIT = 500_000  # distinct words whose tests are remembered before starting afresh


@dataclass
class _Test:
    """Which tokens may pass one pattern token: a set of lower-case words, a regex over them, or entity labels."""

    words: frozenset[int] = frozenset()  # hashes of lower-case forms
    regex: re.Pattern[str] | None = None
    ent_types: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Check:
    """Everything one token of a fixed-length pattern asks, in a form checked without the Matcher."""

    words: frozenset[int] | None  # string ids the word form (or its lower case) must be among
    by_orth: bool  # words are compared with the word form, not the lower case
    regex_test: int | None  # a REGEX test (an index into WindowedMatcher._tests) the lower case must pass
    flags: tuple[tuple[str, bool], ...]  # (Token attribute, value)


@dataclass(frozen=True)
class _Layout:
    """Where a match may lie around an occurrence of its anchor token, for given runs of unbounded tokens."""

    before: int  # tokens a match may have before the anchor token
    after: int  # and after it
    others: tuple[tuple[int, int, int], ...]  # (test, nearest, farthest): another anchor's word, by distance


@dataclass
class _Plan:
    """How one pattern is matched."""

    match_id: int
    matcher: Matcher
    repeats: list[tuple[int, int]]  # (min, max) per pattern token; max -1 = unbounded
    tests: list[int | None]  # index into WindowedMatcher._tests per pattern token
    anchors: list[tuple[int, int]]  # (pattern token, test) of the tokens that must occur and have a test
    needs: frozenset[int]  # the tests of the anchors
    unbounded: tuple[int | None, ...]  # the tests of the tokens with no upper bound (+, *, {n,})
    layouts: dict[tuple, _Layout]  # (anchor, longest runs of the unbounded tokens' tests) -> layout
    checks: list[_Check] | None  # per token, when the pattern is checked without the Matcher


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


def _regex_of(value: Any) -> str | None:
    if isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str):
        return value["REGEX"]
    return None


class WindowedMatcher:
    """Like ``spacy.matcher.Matcher`` (add a key with a pattern, call on a doc), checking fewer tokens."""

    def __init__(self, vocab: Vocab, *, validate: bool = True) -> None:
        self.vocab = vocab
        self.validate = validate
        self._plans: list[_Plan] = []
        self._tests: list[_Test] = []
        self._test_ids: dict[tuple[str, Any], int] = {}
        self._word_tests: dict[int, tuple[int, ...]] = {}  # lower-case word -> the word-set tests it passes
        self._regex_tests: list[int] = []
        self._ent_tests: list[int] = []
        self._known: dict[int, tuple[int, ...]] = {}  # lower-case word -> every test it passes (with regexes)

    def __len__(self) -> int:
        return len(self._plans)

    # --- building -----------------------------------------------------------------------------------------

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        """Add one token pattern under `key`; spaCy's Matcher checks it (and raises for a bad one)."""
        matcher = Matcher(self.vocab, validate=self.validate)
        matcher.add(key, [pattern])
        repeats, tests, checks = [], [], []
        for spec in pattern:
            spec = {str(name).upper(): value for name, value in spec.items()}
            low, high = _repeats(spec.get("OP"))
            repeats.append((low, high))
            # A test is of use for a token that must occur (an anchor) or may repeat without end (its
            # runs bound the window); an optional token ("der" in "laut [der] NZZ") is left to the Matcher.
            useful = spec.get("OP") != "!" and (low >= 1 or high == _UNBOUNDED)
            tests.append(self._test_of(spec) if useful else None)
            checks.append(self._check_of(spec))
        anchors = [(i, test) for i, test in enumerate(tests) if test is not None and repeats[i][0] >= 1]
        fixed = bool(anchors) and all(c is not None for c in checks) and all(r == (1, 1) for r in repeats)
        plan = _Plan(
            match_id=self.vocab.strings.add(key),
            matcher=matcher,
            repeats=repeats,
            tests=tests,
            anchors=anchors,
            needs=frozenset(test for _, test in anchors),
            unbounded=tuple(tests[i] for i, (_, high) in enumerate(repeats) if high == _UNBOUNDED),
            layouts={},
            checks=checks if fixed else None,  # type: ignore[arg-type]
        )
        self._plans.append(plan)

    def _test_of(self, spec: dict[str, Any]) -> int | None:
        """The anchor test of a pattern token, or None when it names no word nor entity."""
        strings = self.vocab.strings
        for attr in _WORD_ATTRS:
            words = _word_values(spec.get(attr))
            if words is not None:
                return self._intern(("words", frozenset(strings.add(w.lower()) for w in words)))
        regex = _regex_of(spec.get("LOWER"))
        if regex is not None:
            return self._intern(("regex", regex))
        ent_types = _word_values(spec.get("ENT_TYPE"))
        if ent_types is not None:
            return self._intern(("ents", frozenset(strings.add(e) for e in ent_types)))
        return None

    def _check_of(self, spec: dict[str, Any]) -> _Check | None:
        """The token's tests as a `_Check`, or None when it asks more than words, a LOWER regex and flags."""
        if spec.get("OP") is not None:
            return None
        words: frozenset[int] | None = None
        by_orth = False
        regex_test = None
        flags = []
        for attr, value in spec.items():
            if attr == "OP":
                continue
            if attr in _WORD_ATTRS and _word_values(value) is not None and words is None:
                words = frozenset(self.vocab.strings.add(w) for w in _word_values(value))  # type: ignore[union-attr]
                by_orth = _WORD_ATTRS[attr]
            elif attr == "LOWER" and _regex_of(value) is not None:
                regex_test = self._intern(("regex", _regex_of(value)))
            elif attr in _FLAGS and isinstance(value, bool):
                flags.append((attr.lower(), value))
            else:
                return None
        return _Check(words, by_orth, regex_test, tuple(flags))

    def _intern(self, key: tuple[str, Any]) -> int:
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
        self._known.clear()
        return index

    # --- matching -----------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """``(match_id, start, end)`` for every match, as spaCy's Matcher gives them (order aside)."""
        length = len(doc)
        if not length or not self._plans:
            return []
        lowers = column(doc, LOWER)
        hits = self._occurrences(doc, lowers)
        counts = hits.counts
        present = {test for test, count in enumerate(counts) if count}
        found: list[tuple[int, int, int]] = []
        for plan in self._plans:
            if not plan.anchors:
                found.extend((plan.match_id, s, e) for _, s, e in plan.matcher(doc))
                continue
            if not plan.needs <= present:
                continue  # a word the pattern needs is not in the doc
            anchor, anchor_test, fewest = -1, -1, length + 1
            for position, test in plan.anchors:
                count = counts[test]
                if count < fewest:
                    anchor, anchor_test, fewest = position, test, count
            occurrences = hits.positions(anchor_test)
            if plan.checks is not None:
                found.extend(_checked_matches(doc, plan, anchor, occurrences, hits))
                continue
            layout = _layout(plan, anchor, hits, length)
            if layout.others:
                occurrences = _with_others_near(layout, occurrences, hits, length)
            for start, end in _windows(occurrences, layout.before, layout.after, length):
                found.extend((plan.match_id, start + s, start + e) for _, s, e in plan.matcher(doc[start:end]))
        return found

    def _occurrences(self, doc: Doc, lowers: list[int]) -> _Occurrences:
        """Where each word some test asks for stands in the doc, and which tests its word passes."""
        if self._regex_tests:
            known = self._known
            if len(known) >= _CACHE_LIMIT:
                known.clear()
        else:
            known = self._word_tests
        # The tests each token passes, looked up in one go; then only the tokens passing some test are visited.
        passed = list(map(known.get, lowers))
        if self._regex_tests and None in passed:
            passed = [self._classify(word) if tests is None else tests for word, tests in zip(lowers, passed)]
        by_word: dict[int, list[int]] = {}
        for i in compress(range(len(lowers)), passed):
            word = lowers[i]
            positions = by_word.get(word)
            if positions is None:
                by_word[word] = [i]
            else:
                positions.append(i)
        tests_of = {word: known[word] for word in by_word}
        found = _Occurrences(doc, lowers, by_word, tests_of, len(self._tests))
        for test in self._ent_tests:
            labels = self._tests[test].ent_types
            found.set_positions(test, [i for ent in doc.ents if ent.label in labels for i in range(ent.start, ent.end)])
        return found

    def _classify(self, word: int) -> tuple[int, ...]:
        """Every word and regex test a lower-case word passes, remembered."""
        text = self.vocab.strings[word]
        passed = self._word_tests.get(word, ()) + tuple(
            test for test in self._regex_tests if self._tests[test].regex.search(text)  # type: ignore[union-attr]
        )
        self._known[word] = passed
        return passed


class _Occurrences:
    """Positions of the tokens passing each test in one doc."""

    def __init__(
        self,
        doc: Doc,
        lowers: list[int],
        by_word: dict[int, list[int]],
        tests_of: dict[int, tuple[int, ...]],
        n_tests: int,
    ) -> None:
        self.doc = doc
        self.lowers = lowers
        self.by_word = by_word  # lower-case word -> its positions (words some test asks for)
        self.tests_of = tests_of  # lower-case word -> the tests it passes
        self.words_of: dict[int, list[int]] = {}  # test -> the words in the doc that pass it
        self.counts = counts = [0] * n_tests  # per test: how many tokens pass it
        words_of = self.words_of
        for word, positions in by_word.items():
            for test in tests_of[word]:
                known = words_of.get(test)
                if known is None:
                    words_of[test] = [word]
                else:
                    known.append(word)
                counts[test] += len(positions)
        self._positions: dict[int, list[int]] = {}
        self._runs: dict[int, int] = {}
        self._orths: list[int] | None = None

    def set_positions(self, test: int, positions: list[int]) -> None:
        self._positions[test] = positions
        self.counts[test] = len(positions)

    def positions(self, test: int) -> list[int]:
        positions = self._positions.get(test)
        if positions is None:
            words = self.words_of.get(test, [])
            if len(words) == 1:
                positions = self.by_word[words[0]]
            else:
                positions = sorted(i for word in words for i in self.by_word[word])
            self._positions[test] = positions
        return positions

    def any_between(self, test: int, start: int, end: int) -> bool:
        """Whether a token passing `test` stands in ``start..end``."""
        known = self._positions.get(test)
        if known is not None or end - start > 16:
            positions = known if known is not None else self.positions(test)
            i = bisect_left(positions, start)
            return i < len(positions) and positions[i] < end
        lowers = self.lowers
        tests_of = self.tests_of
        return any(test in tests_of.get(lowers[i], ()) for i in range(start, end))

    def longest_run(self, test: int) -> int:
        """The most tokens in a row that pass `test`."""
        run = self._runs.get(test)
        if run is None:
            run = self._runs[test] = _longest_run(self.positions(test))
        return run

    def orths(self) -> list[int]:
        if self._orths is None:
            self._orths = column(self.doc, ORTH)
        return self._orths


def _most(plan: _Plan, position: int, hits: _Occurrences | None, length: int) -> int:
    """The most tokens pattern token `position` can cover in this doc (`hits` is needed when unbounded)."""
    high = plan.repeats[position][1]
    if high != _UNBOUNDED:
        return high
    test = plan.tests[position]
    return length if test is None else hits.longest_run(test)  # type: ignore[union-attr]


def _reach(plan: _Plan, anchor: int, hits: _Occurrences | None, length: int) -> tuple[int, int]:
    """How many tokens a match may have before and after an occurrence of its anchor token."""
    own = _most(plan, anchor, hits, length) - 1
    before = sum(_most(plan, i, hits, length) for i in range(anchor)) + own
    after = sum(_most(plan, i, hits, length) for i in range(anchor + 1, len(plan.repeats))) + own
    return before, after


def _offsets(plan: _Plan, anchor: int, other: int, hits: _Occurrences | None, length: int) -> tuple[int, int]:
    """How far from a token of pattern token `anchor` a token of pattern token `other` may stand.

    For a later `other`: at least one more token than the least the tokens between them cover, and at
    most all the anchor's other repetitions, all that the tokens between can cover and the other's own
    repetitions; mirrored (negative) for an earlier one.
    """
    low, high = sorted((anchor, other))
    between = range(low + 1, high)
    nearest = 1 + sum(plan.repeats[i][0] for i in between)
    farthest = (
        _most(plan, anchor, hits, length) - 1
        + sum(_most(plan, i, hits, length) for i in between)
        + _most(plan, other, hits, length)
    )
    return (nearest, farthest) if other > anchor else (-farthest, -nearest)


def _layout(plan: _Plan, anchor: int, hits: _Occurrences, length: int) -> _Layout:
    """The plan's layout around `anchor` in this doc; the same for every doc with the same runs."""
    key = (anchor, *(length if test is None else hits.longest_run(test) for test in plan.unbounded))
    layout = plan.layouts.get(key)
    if layout is None:
        before, after = _reach(plan, anchor, hits, length)
        others = tuple(
            (test, *_offsets(plan, anchor, other, hits, length)) for other, test in plan.anchors if other != anchor
        )
        layout = plan.layouts[key] = _Layout(before, after, others)
        if len(plan.layouts) > 256:  # runs are short in practice; never let the table grow without end
            plan.layouts.clear()
    return layout


def _with_others_near(layout: _Layout, occurrences: list[int], hits: _Occurrences, length: int) -> list[int]:
    """The occurrences of the anchor with every other anchor token's word at a distance a match allows."""
    kept = []
    for position in occurrences:
        for test, nearest, farthest in layout.others:
            if not hits.any_between(test, max(0, position + nearest), min(length, position + farthest + 1)):
                break
        else:
            kept.append(position)
    return kept


def _checked_matches(
    doc: Doc, plan: _Plan, anchor: int, occurrences: Iterable[int], hits: _Occurrences
) -> list[tuple[int, int, int]]:
    """Matches of a fixed-length pattern, checked token by token around each occurrence of its anchor."""
    checks: list[_Check] = plan.checks  # type: ignore[assignment]
    size = len(checks)
    length = len(doc)
    lowers = hits.lowers
    found = []
    for position in occurrences:
        start = position - anchor
        if start < 0 or start + size > length:
            continue
        for offset, check in enumerate(checks):
            i = start + offset
            if check.words is not None:
                form = hits.orths()[i] if check.by_orth else lowers[i]
                if form not in check.words:
                    break
            if check.regex_test is not None and check.regex_test not in hits.tests_of.get(lowers[i], ()):
                break
            if check.flags:
                token = doc[i]
                if any(getattr(token, name) != value for name, value in check.flags):
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
