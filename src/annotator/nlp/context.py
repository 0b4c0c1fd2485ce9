"""Context checks: rules that look around a pattern match before it becomes a suggestion.

A pattern says "this word is a cue"; some cues only count in context. Each check below is a small
function ``(doc, span) -> bool`` (keep the span?), and the component's config says which rule ids it
applies to, so a researcher who adds a pattern can give it an existing check without writing code::

    [components.annotator_cue_context.checks]
    unnamed = ["unnamed_group", "unnamed_spokesperson", "my_new_rule"]

The checks:

``unnamed``
    An unnamed-source cue is dropped when a person's name follows it: "Polizeisprecher Marco Bisa",
    "ein Sprecher, Hans Meier, sagte", "ein Sprecher des Departements, Pierre Muster, …". "Ein Sprecher
    der Kantonspolizei bestätigte" stays: the institution is named, the person is not.
``hearsay_modal``
    "soll"/"sollen" counts as hearsay with a perfect infinitive in the same clause ("soll Geld gestohlen
    haben", "der verhaftet worden sein soll"), not as plan or duty ("Die Brücke soll 2027 öffnen").
``particle_wohl``
    "wohl" hedges ("Der Entscheid fällt wohl im Herbst") except in "sehr wohl", "wohl aber", "wohl oder
    übel" and "sich wohl fühlen".
``seeming``
    "scheinen" hedges as "scheint … zu", "es scheint" or "scheint, dass/als ob", not as "die Sonne scheint".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .ruler import SUGGESTIONS_KEY
from .zones import ensure_extensions

__all__ = ["CHECKS", "DEFAULT_CHECKS", "CueContext"]

Check = Callable[[Doc, Span], bool]

_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "–", "—", "«", "»", "„", "“", '"'})
_LOOKAHEAD = 10  # tokens searched for an apposition after a genitive or prepositional phrase


def _clause(doc: Doc, span: Span) -> tuple[int, int]:
    """Token bounds of the clause around `span`: within its sentence, between clause punctuation."""
    sentence = span.sent
    start = span.start
    while start > sentence.start and doc[start - 1].text not in _CLAUSE_BREAKS:
        start -= 1
    end = span.end
    while end < sentence.end and doc[end].text not in _CLAUSE_BREAKS:
        end += 1
    return start, end


# --- unnamed ----------------------------------------------------------------------------------------------------

_NOT_NAMES = frozenset(
    {
        # capitalised words that follow a source noun without being a name
        "Sie", "Er", "Es", "Ihr", "Ihre", "Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Laut", "Nach",
        "Experten", "Beobachter", "Fachleute", "Kreise", "Kreisen", "Insider", "Diplomaten", "Analysten",
    }
)


def _is_name_token(token: Token) -> bool:
    text = token.text
    if token.is_punct or token.is_space or text in _NOT_NAMES or not text[:1].isupper():
        return False
    return text.isalpha() or "-" in text or "." in text and len(text) <= 3  # "Keller-Sutter", "Hans P. Muster"


def _name_at(doc: Doc, index: int, limit: int) -> bool:
    """Whether a person's name starts at token `index`: two name tokens, or one followed by a verb or stop."""
    if index >= limit or not _is_name_token(doc[index]):
        return False
    following = doc[index + 1] if index + 1 < limit else None
    if following is None:
        return True
    if _is_name_token(following) or following.lower_ in {"von", "van", "de"}:
        return True
    # A single surname: "Regierungsvertreter Meier sagte", "Experte Muster, der …"
    return following.is_punct or (following.is_lower and following.is_alpha)


def named_follows(doc: Doc, span: Span) -> bool:
    sentence_end = span.sent.end
    index = span.end
    if index < sentence_end and doc[index].text == ",":
        return _name_at(doc, index + 1, sentence_end)
    if _name_at(doc, index, sentence_end):
        return True
    # "ein Sprecher des Bundesamts für Gesundheit, Daniel Muster, …": the name in apposition after a comma.
    stop = min(sentence_end, index + _LOOKAHEAD)
    for i in range(index, stop):
        token = doc[i]
        if token.text == ",":
            return _name_at(doc, i + 1, sentence_end) and _closed_apposition(doc, i + 1, sentence_end)
        if token.is_lower and token.is_alpha and token.lower_ not in _COMPLEMENT_WORDS:
            return False
    return False


_COMPLEMENT_WORDS = frozenset(
    {
        "der", "die", "das", "des", "dem", "den", "von", "vom", "aus", "im", "in", "bei", "beim", "für", "am",
        "an", "und", "zur", "zum", "gegen", "einer", "eines", "einem", "seiner", "ihrer", "deren",
    }
)


def _closed_apposition(doc: Doc, index: int, limit: int) -> bool:
    """An apposition is a name closed by a comma, a dash or the end: ", Hans Meier, sagte"."""
    i = index
    while i < limit and (_is_name_token(doc[i]) or doc[i].lower_ in {"von", "van", "de"}):
        i += 1
    return i >= limit or doc[i].is_punct


def unnamed(doc: Doc, span: Span) -> bool:
    return not named_follows(doc, span)


# --- hearsay "soll" ---------------------------------------------------------------------------------------------

_PARTICIPLE = re.compile(
    r"(?:\w*ge\w+(?:t|en)|(?:be|ver|er|ent|zer|emp|miss|über|unter|hinter|wider)\w+(?:t|en)|\w+iert|worden|gewesen)"
)
_PERFECT_AUXILIARY = frozenset({"haben", "sein"})


def hearsay_modal(doc: Doc, span: Span) -> bool:
    start, end = _clause(doc, span)
    tokens = doc[start:end]
    for i, token in enumerate(tokens):
        if token.lower_ in _PERFECT_AUXILIARY and i > 0 and _PARTICIPLE.fullmatch(tokens[i - 1].lower_):
            return True
    return False


# --- "wohl" -----------------------------------------------------------------------------------------------------

_WOHL_BEFORE = frozenset({"sehr", "durchaus", "gleichwohl", "sich"})
_WOHL_AFTER = frozenset({"aber", "oder", "bekomm's", "bekommt", "bekomms"})


def particle_wohl(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end] if span.end < len(doc) else None
    if before in _WOHL_BEFORE or after is None or after.is_punct or after.lower_ in _WOHL_AFTER:
        return False  # "sehr wohl", "wohl aber"; "… im Schulhaus wohl." is well-being, not doubt
    start, end = _clause(doc, span)
    return not any(token.lower_.startswith(("fühl", "gefühl")) for token in doc[start:end])


# --- "scheinen" -------------------------------------------------------------------------------------------------

# "anzunehmen", "aufzugehen": the zu-infinitive of a separable verb is one word.
_ZU_INFINITIVE = re.compile(r"(?:ab|an|auf|aus|bei|ein|fest|mit|nach|vor|weg|zurück|zusammen|her|hin|los|dar|fort|weiter)zu\w+n")


def seeming(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if before == "es" or after in {"es", "so", "mir", "uns"}:
        return True
    if after == "," and span.end + 1 < len(doc) and doc[span.end + 1].lower_ in {"dass", "als", "ob"}:
        return True
    _, end = _clause(doc, span)
    return any(token.lower_ == "zu" or _ZU_INFINITIVE.fullmatch(token.lower_) for token in doc[span.end : end])


CHECKS: dict[str, Check] = {
    "unnamed": unnamed,
    "hearsay_modal": hearsay_modal,
    "particle_wohl": particle_wohl,
    "seeming": seeming,
}

DEFAULT_CHECKS: dict[str, list[str]] = {
    "unnamed": ["unnamed_group", "unnamed_person", "unnamed_spokesperson", "unnamed_official"],
    "hearsay_modal": ["hedge_hearsay_modal"],
    "particle_wohl": ["hedge_wohl"],
    "seeming": ["hedge_seeming"],
}


class CueContext:
    """Drops suggestions whose rule has a context check that says no."""

    def __init__(
        self,
        nlp: Language,
        name: str = "annotator_cue_context",
        *,
        spans_key: str = SUGGESTIONS_KEY,
        checks: dict[str, list[str]] | None = None,
    ) -> None:
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        checks = DEFAULT_CHECKS if checks is None else checks
        unknown = sorted(set(checks) - set(CHECKS))
        if unknown:
            raise ValueError(f"unknown context check(s) {', '.join(unknown)}; known: {', '.join(sorted(CHECKS))}")
        self._by_rule: dict[str, list[Check]] = {}
        for check_name, rule_ids in checks.items():
            for rule_id in rule_ids:
                self._by_rule.setdefault(rule_id, []).append(CHECKS[check_name])

    def __call__(self, doc: Doc) -> Doc:
        if self.spans_key not in doc.spans:
            return doc
        kept = [
            span for span in doc.spans[self.spans_key] if all(check(doc, span) for check in self._by_rule.get(span.id_, ()))
        ]
        doc.spans[self.spans_key] = kept
        return doc


@Language.factory(
    "annotator_cue_context",
    default_config={"spans_key": SUGGESTIONS_KEY, "checks": DEFAULT_CHECKS},
)
def make_cue_context(nlp: Language, name: str, spans_key: str, checks: dict[str, list[str]]) -> CueContext:
    return CueContext(nlp, name, spans_key=spans_key, checks=checks)
