"""Context checks: rules that look around a pattern match before it becomes a suggestion.

A pattern says "this word is a cue"; many cues only count in context. Each check below is a small
function ``(doc, span) -> Span | None``: it returns the span (possibly widened) to keep it, ``None`` to drop
it. The component's config says which rule ids a check applies to, so a researcher who adds a pattern can
give it an existing check without writing code::

    [components.annotator_cue_context.checks]
    unnamed = ["unnamed_group", "unnamed_person", "my_new_rule"]

The checks:

``unnamed``
    A source noun is dropped when a person's name stands next to it: "Polizeisprecher Marco Bisa",
    "ein Sprecher, Hans Meier, sagte", "ein Sprecher des Departements, Pierre Muster, …",
    "Lukas Brenner, Gesundheitsökonom". "Ein Sprecher der Kantonspolizei bestätigte" stays: the
    institution is named, the person is not.
``attributing``
    A source noun with a genitive counts only with a verb of saying or judging in its clause: "Ökonomen des
    Branchenverbands rechnen damit", not "Fachleute des Kantons beobachten die Pegel".
``indefinite``
    A singular source noun counts with an indefinite article ("ein Sicherheitsfachmann", "eine Insiderin"):
    "der Experte" points back at someone already named.
``hearsay_source``
    "hiess es", "war zu hören", "verlautete": dropped when an organisation speaks as such ("heisst es beim
    Verband", "hiess es dort auf Anfrage", "heisst es in einer Mitteilung"); widened over the unnamed
    insiders they quote ("Aus der Kommission war zu hören", "heisst es in der Branche").
``impersonal``
    A place standing for its people counts with "man": "Im Stadthaus rechnet man mit …".
``with_preposition``
    A preposition right before belongs to the source phrase: "In Fachkreisen", "aus Regierungskreisen".
``hearsay_modal``
    "soll"/"sollen" as hearsay ("soll Geld gestohlen haben", "sollen sich Scans befinden", "soll …
    vorbereiten, berichtet «X»"), not as plan, purpose, duty or question ("Künftig sollen Hobbypiloten …",
    "wer die Vorschriften durchsetzen soll", "Wie soll ich da …").
``particle_wohl``
    "wohl" as a supposition ("kommt jede Reform wohl zu spät"), not "sehr wohl", "wohl aber", "sich wohl
    fühlen".
``seeming``
    "scheinen" hedges as "scheint … zu", "es scheint" or "scheint, dass/als ob", not as "die Sonne scheint".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from .batching import BatchedComponent
from .docfacts import column, note_span_rows, replace_spans, sentence_bounds, span_rows, text_of
from .ruler import SUGGESTIONS_KEY
from .zones import ensure_extensions

__all__ = ["CHECKS", "DEFAULT_CHECKS", "CueContext"]

Check = Callable[[Doc, Span], "Span | None"]

_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "–", "—", "«", "»", "„", "“", '"', "?", "!"})
_LOOKAHEAD = 10  # tokens searched for an apposition after a genitive or prepositional phrase
_ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des"})


_CLAUSE_BREAK_IDS = frozenset(get_string_id(mark) for mark in _CLAUSE_BREAKS)


def _ids(words: frozenset[str]) -> frozenset[int]:
    """String ids of `words`, to compare with the LOWER column without looking strings up."""
    return frozenset(get_string_id(word) for word in words)


def _clause(doc: Doc, span: Span) -> tuple[int, int]:
    """Token bounds of the clause around `span`: within its sentence, between clause punctuation."""
    sentence_start, sentence_end = sentence_bounds(doc, span.start, span.end)
    forms = column(doc, ORTH)
    start = span.start
    while start > sentence_start and forms[start - 1] not in _CLAUSE_BREAK_IDS:
        start -= 1
    end = span.end
    while end < sentence_end and forms[end] not in _CLAUSE_BREAK_IDS:
        end += 1
    return start, end


def _reshaped(span: Span, start: int, end: int) -> Span:
    if (start, end) == (span.start, span.end):
        return span
    return Span(span.doc, start, end, label=span.label_, span_id=span.id_)


# --- unnamed --------------------------------------------------------------------------------------------------

_NOT_NAMES = frozenset(
    {
        "Sie", "Er", "Es", "Ihr", "Ihre", "Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Laut", "Nach",
        "Man", "Wir", "Auch", "Doch", "Aber", "Und", "In", "Im", "Am", "Zum", "Zur",
    }
)
_NAME_PARTICLES = frozenset({"von", "van", "de", "di", "da", "du", "le", "la"})


def _is_name_token(token: Token) -> bool:
    text = token.text
    if token.is_punct or token.is_space or text in _NOT_NAMES or not text[:1].isupper():
        return False
    if text.isupper() and len(text) > 1:
        return False  # "SVP", "ETH": organisations, not people
    return text.isalpha() or "-" in text or (text.endswith(".") and len(text) <= 3)  # "Keller-Sutter", "P."


def _name_at(doc: Doc, index: int, limit: int) -> bool:
    """Whether a person's name starts at token `index`: two name tokens, or one followed by a verb or a stop."""
    if index >= limit or not _is_name_token(doc[index]):
        return False
    following = doc[index + 1] if index + 1 < limit else None
    if following is None:
        return True
    if _is_name_token(following) or following.lower_ in _NAME_PARTICLES:
        return True
    # A single surname: "Regierungsvertreter Meier sagte", "Experte Muster, der …"
    return following.is_punct or (following.is_lower and following.is_alpha and following.lower_ not in _ARTICLES)


def _named_before(doc: Doc, span: Span) -> bool:
    """"Lukas Brenner, Gesundheitsökonom …": a full name, then a comma, then the noun."""
    i = span.start - 1
    if i < 2 or doc[i].text != ",":
        return False
    return _is_name_token(doc[i - 1]) and _is_name_token(doc[i - 2])


def _named_after(doc: Doc, span: Span) -> bool:
    sentence_end = sentence_bounds(doc, span.start, span.end)[1]
    index = span.end
    if index < sentence_end and doc[index].text == ",":
        return _name_at(doc, index + 1, sentence_end) and _closed_apposition(doc, index + 1, sentence_end)
    if _name_at(doc, index, sentence_end):
        return True
    # "ein Sprecher des Bundesamts für Gesundheit, Daniel Muster, …": the name in apposition after a comma.
    for i in range(index, min(sentence_end, index + _LOOKAHEAD)):
        token = doc[i]
        if token.text == ",":
            return _name_at(doc, i + 1, sentence_end) and _closed_apposition(doc, i + 1, sentence_end)
        if token.is_punct or (token.is_lower and token.is_alpha and token.lower_ not in _COMPLEMENT_WORDS):
            return False
    return False


_COMPLEMENT_WORDS = frozenset(
    {
        "der", "die", "das", "des", "dem", "den", "von", "vom", "aus", "im", "in", "bei", "beim", "für", "am",
        "an", "und", "zur", "zum", "gegen", "einer", "eines", "einem", "seiner", "ihrer", "deren",
    }
)


def _closed_apposition(doc: Doc, index: int, limit: int) -> bool:
    """An apposition is a name closed by a comma, a dash, a bracket or the end: ", Hans Meier, sagte"."""
    i = index
    while i < limit and (_is_name_token(doc[i]) or doc[i].lower_ in _NAME_PARTICLES):
        i += 1
    return i >= limit or doc[i].is_punct


def unnamed(doc: Doc, span: Span) -> Span | None:
    if any(token.ent_type_ == "OUTLET" for token in span):
        return None  # «Beobachter», the magazine
    return None if _named_after(doc, span) or _named_before(doc, span) else span


# Stems of verbs by which people give information or an opinion ("rechnen damit", "warnen", "halten für").
_SAYING = (
    "sag", "warn", "rechn", "geh", "erwart", "halt", "hält", "hielt", "befürcht", "fürcht", "kritis", "bemängel",
    "monier", "bezweifel", "zweifel", "glaub", "vermut", "schätz", "sprech", "sprich", "sprach", "mein", "rat",
    "rät", "riet", "empfehl", "empfiehl", "forder", "verlang", "seh", "sieh", "sah", "beton", "erklär", "bestätig",
    "bericht", "weis", "wies", "mahn", "prognos", "beurteil", "bewert", "zeig", "äusser", "äußer", "find", "fand",
    "komm", "kam", "hoff", "beklag", "ort", "geb", "gib", "gab", "spekul", "vermeld", "meld", "wiss", "weiss",
    "weiß", "nenn", "nann", "bezeichn", "beobacht", "stell", "sind", "ist", "seien", "sei", "war", "gilt", "gelt",
    "verweis", "hinweis", "schreib", "schrieb", "argument", "deut", "zitier", "plädier", "pläd", "betracht",
    "bilanz", "kommentier", "analys", "beziffer", "zähl", "antwort", "teil",
)


def attributing(doc: Doc, span: Span) -> Span | None:
    """"Fachleute des Kantons beobachten die Pegel": staff of a named body doing their work is no source.

    Only a noun followed by a genitive ("des Kantons", "der Bildungsforschung") is checked: it counts when
    its clause has a verb of saying or judging ("Ökonomen des Branchenverbands rechnen damit").
    """
    if span.end >= len(doc) or doc[span.end].lower_ not in {"des", "der"}:
        return span
    start, end = _clause(doc, span)
    for token in doc[span.end : end]:
        if token.is_lower and token.is_alpha and token.lower_ not in _ARTICLES and token.lower_.startswith(_SAYING):
            if token.lower_ in {"beobachten", "beobachtet", "beobachtete", "beobachteten"}:
                continue  # watching is what staff do, not telling
            return span
    if any(t.lower_ in {"laut", "gemäss", "gemäß", "zufolge", "nach"} for t in doc[start : span.start]):
        return span
    return None


_INDEFINITE = frozenset({"ein", "eine", "einer", "eines", "einem", "einen", "kein", "keine", "keiner", "keinem"})


def indefinite(doc: Doc, span: Span) -> Span | None:
    i = span.start - 1
    while i >= max(sentence_bounds(doc, span.start, span.end)[0], span.start - 4):
        token = doc[i]
        if token.lower_ in _INDEFINITE:
            return span
        if not (token.is_lower and token.is_alpha):
            return None  # only adjectives may stand between: "ein erfahrener Sicherheitsfachmann"
        i -= 1
    return None


# --- hearsay formulas -----------------------------------------------------------------------------------------

_HEARSAY_VERBS = frozenset({"hieß", "hiess", "heißt", "heisst"})
_OFFICIAL = frozenset({"bei", "beim", "seitens", "von", "vom", "dort", "auf", "gemäss", "gemäß", "laut"})
_OFFICIAL_BEFORE = frozenset({"bei", "beim", "seitens", "dort"})
_FILLERS = frozenset(
    {"weiter", "weiters", "auch", "zudem", "dazu", "jedoch", "aber", "nun", "jetzt", "allerdings", "dann", "ferner",
     "bisher", "bislang", "hingegen", "indes", "ausserdem", "außerdem", "gar", "sogar", "lediglich", "nur", "noch"}
)
_DOCUMENTS = re.compile(
    r"[\w-]*(?:mitteilung|communiqué|communique|bericht|stellungnahme|schreiben|brief|antwort|erklärung|studie|"
    r"begründung|botschaft|vorlage|dokument|papier|mail|e-mail|medienmitteilung|verfügung|urteil|protokoll|"
    r"interview|erläuterungen|faq|website|webseite|newsletter|post|tweet)"
)


def _noun_phrase_end(doc: Doc, index: int, limit: int) -> int:
    """End of a noun phrase starting at `index` ("der Branche", "dem Umfeld des Verwaltungsrats",
    "Regierungskreisen"), with at most one genitive; `index` itself when no noun comes."""

    def noun_group(i: int) -> int:
        while i < limit and doc[i].is_lower and doc[i].is_alpha:  # articles and adjectives
            i += 1
        if i >= limit or doc[i].is_punct or doc[i].is_lower or doc[i].is_space:
            return -1
        while i < limit and not doc[i].is_lower and not doc[i].is_punct and not doc[i].is_space:
            i += 1
        return i

    end = noun_group(index)
    if end < 0:
        return index
    if end < limit and doc[end].lower_ in {"des", "der", "von", "vom"}:
        genitive_end = noun_group(end + 1)
        if genitive_end > 0:
            end = genitive_end
    return end


def hearsay_source(doc: Doc, span: Span) -> Span | None:
    clause_start, clause_end = _clause(doc, span)
    if any(t.lower_ in _OFFICIAL or _DOCUMENTS.fullmatch(t.lower_) for t in span):
        return None  # "wie es beim Verband heisst", "wie es in der Mitteilung heisst"
    start, end = span.start, span.end
    # to the right of "heisst es": who says it
    if doc[span.end - 1].lower_ == "es" and doc[span.end - 2].lower_ in _HEARSAY_VERBS:
        i = end
        while i < clause_end and doc[i].lower_ in _FILLERS:
            i += 1
        if i < clause_end:
            word = doc[i].lower_
            if word in _OFFICIAL:
                return None  # "heisst es beim Verband", "hiess es dort auf Anfrage"
            if word in {"in", "im", "aus"}:
                phrase_end = _noun_phrase_end(doc, i + 1, clause_end)
                if phrase_end > i + 1:
                    if _DOCUMENTS.fullmatch(doc[phrase_end - 1].lower_):
                        return None  # "heisst es in einer Mitteilung"
                    end = phrase_end
    # to the left: "Aus der Kommission war zu hören", "Wie aus Verhandlungskreisen verlautete"
    for i in range(start - 1, max(clause_start, start - 9) - 1, -1):
        word = doc[i].lower_
        if doc[i].is_punct:
            break
        if word in _OFFICIAL_BEFORE or (word in {"von", "vom"} and i == clause_start):
            return None  # "Beim Verband hiess es", "Von der Polizei hiess es"
        if word == "aus":
            start = i
            break
    if start - 1 >= clause_start and doc[start - 1].lower_ == "wie":
        start -= 1  # "wie zu hören war", "Wie aus Verhandlungskreisen verlautete"
    return _reshaped(span, start, end)


def with_preposition(doc: Doc, span: Span) -> Span | None:
    """"In Fachkreisen", "aus Regierungskreisen": the preposition belongs to the source phrase."""
    if span.start > sentence_bounds(doc, span.start, span.end)[0] and doc[span.start - 1].lower_ in {"in", "aus", "im"}:
        return _reshaped(span, span.start - 1, span.end)
    return span


def impersonal(doc: Doc, span: Span) -> Span | None:
    _, clause_end = _clause(doc, span)
    return span if any(t.lower_ == "man" for t in doc[span.end : min(clause_end, span.end + 3)]) else None


# --- hearsay "soll" -------------------------------------------------------------------------------------------

_PARTICIPLE = re.compile(
    r"(?:\w*ge\w+(?:t|en)|(?:be|ver|er|ent|zer|emp|miss|über|unter|hinter|wider)\w+(?:t|en)|\w+iert|worden|gewesen)"
)
_PERFECT_AUXILIARY = frozenset({"haben", "sein"})
_PLAN_WORDS = frozenset(
    {"künftig", "zukünftig", "neu", "neuerdings", "bis", "ab", "dereinst", "werden", "spätestens", "frühestens",
     "dürfen", "können", "damit", "möglichst", "endlich", "nun", "jetzt", "bald", "demnächst", "wieder",
     "ende", "anfang", "mitte", "nächste", "nächsten", "nächstes", "kommende", "kommenden", "kommendes",
     "morgen", "übermorgen", "frühling", "sommer", "herbst", "winter", "januar", "februar", "märz", "april",
     "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember", "jahr", "jahres"}
)
_QUESTION_WORDS = frozenset({"wer", "was", "wie", "wo", "wann", "warum", "wozu", "weshalb", "welche", "welcher"})
_PERSONS = frozenset({"ich", "wir", "du", "ihr", "man"})
# Verbs that state a fact or a stance rather than an action someone is to take: "soll" with them reports
# a claim ("Die Täter sollen aus Osteuropa stammen", "Brüssel soll auf Zugang pochen").
_CLAIMS = frozenset(
    {"sein", "haben", "stammen", "betragen", "kosten", "liegen", "gehören", "existieren", "vorliegen", "handeln",
     "befinden", "besitzen", "wissen", "kennen", "stehen", "stecken", "zusammenhängen", "pochen", "beharren",
     "bestehen", "drängen", "verlangen", "erwägen", "liebäugeln", "verdienen", "umfassen", "leben", "wohnen",
     "sitzen", "planen", "beabsichtigen", "vorhaben", "zögern", "zweifeln", "fehlen"}
)
_ATTRIBUTION = frozenset(
    {"laut", "gemäss", "gemäß", "zufolge", "berichtet", "berichten", "berichtete", "berichteten", "meldet",
     "meldete", "schreibt", "schrieb", "informationen", "gerüchten", "hiess", "hieß", "heisst", "heißt",
     "verlautete", "vernehmen"}
)


_QUESTION_WORD_IDS = _ids(_QUESTION_WORDS)
_NOT_HEARSAY_IDS = _ids(_PLAN_WORDS | _PERSONS)
_CLAIM_IDS = _ids(_CLAIMS)
_ATTRIBUTION_IDS = _ids(_ATTRIBUTION)
_OUTLET_ID = get_string_id("OUTLET")


def _perfect_infinitive(words: list[str]) -> bool:
    """A participle followed by "haben"/"sein" among the (lower-case) words: "gestohlen haben"."""
    for i in range(1, len(words)):
        if words[i] in _PERFECT_AUXILIARY and _PARTICIPLE.fullmatch(words[i - 1]):
            return True
    return False


def _is_year(form: str) -> bool:
    # As spaCy's shape "dddd" (four digits or more) and a number from 1900 to 2100.
    return len(form) >= 4 and form.isdigit() and 1900 <= int(form) <= 2100


def hearsay_modal(doc: Doc, span: Span) -> Span | None:
    # Word lists are compared by string id on the LOWER column: this check runs for every "soll".
    start, end = _clause(doc, span)
    strings = doc.vocab.strings
    lowers = column(doc, LOWER)
    clause = lowers[start:end]
    if _perfect_infinitive([strings[word] for word in clause]):
        return span
    sentence_start, sentence_end = sentence_bounds(doc, span.start, span.end)
    last = doc[sentence_end - 1]
    sentence_text = text_of(doc)[doc[sentence_start].idx : last.idx + len(last)]
    question = sentence_text.rstrip().endswith("?")
    if question or clause[0] in _QUESTION_WORD_IDS:
        return None
    forms = column(doc, ORTH)
    if not _NOT_HEARSAY_IDS.isdisjoint(clause) or any(_is_year(strings[form]) for form in forms[start:end]):
        return None  # "Künftig sollen …", "Die Halle soll 2027 öffnen", "Wie soll ich …"
    # verbs, not nouns: "die Kosten tragen"
    if any(lowers[i] in _CLAIM_IDS and doc[i].is_lower for i in range(start, end)):
        return span
    if not _ATTRIBUTION_IDS.isdisjoint(lowers[sentence_start:sentence_end]):
        return span
    if any(ent.label == _OUTLET_ID and ent.start < sentence_end and sentence_start < ent.end for ent in doc.ents):
        return span
    return None


# --- "wohl" ---------------------------------------------------------------------------------------------------

_WOHL_BEFORE = frozenset({"sehr", "durchaus", "gleichwohl", "sich"})
_WOHL_AFTER = frozenset({"aber", "oder", "bekomm's", "bekommt", "bekomms"})


def particle_wohl(doc: Doc, span: Span) -> Span | None:
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end] if span.end < len(doc) else None
    if span.text == "Wohl" and not (span[0].is_sent_start and after is not None and after.is_lower):
        return None  # "das Wohl der Kinder"; "Wohl kaum." at the start of a sentence is the particle
    if before in _WOHL_BEFORE or after is None or after.is_punct or after.lower_ in _WOHL_AFTER:
        return None  # "sehr wohl", "wohl aber"; "… im Schulhaus wohl." is well-being, not doubt
    start, end = _clause(doc, span)
    if any(token.lower_.startswith(("fühl", "gefühl")) for token in doc[start:end]):
        return None
    return span


# --- "scheinen" -----------------------------------------------------------------------------------------------

# "anzunehmen", "aufzugehen": the zu-infinitive of a separable verb is one word.
_ZU_INFINITIVE = re.compile(
    r"(?:ab|an|auf|aus|bei|ein|fest|mit|nach|vor|weg|zurück|zusammen|her|hin|los|dar|fort|weiter)zu\w+n"
)


def seeming(doc: Doc, span: Span) -> Span | None:
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if before == "es" or after in {"es", "so", "mir", "uns"}:
        return span
    if after == "," and span.end + 1 < len(doc) and doc[span.end + 1].lower_ in {"dass", "als", "ob"}:
        return span
    _, end = _clause(doc, span)
    if any(token.lower_ == "zu" or _ZU_INFINITIVE.fullmatch(token.lower_) for token in doc[span.end : end]):
        return span
    return None


CHECKS: dict[str, Check] = {
    "unnamed": unnamed,
    "attributing": attributing,
    "indefinite": indefinite,
    "hearsay_source": hearsay_source,
    "impersonal": impersonal,
    "with_preposition": with_preposition,
    "hearsay_modal": hearsay_modal,
    "particle_wohl": particle_wohl,
    "seeming": seeming,
}

DEFAULT_CHECKS: dict[str, list[str]] = {
    "unnamed": ["unnamed_group", "unnamed_person", "unnamed_spokesperson"],
    "attributing": ["unnamed_group", "unnamed_person"],
    "indefinite": ["unnamed_person"],
    "hearsay_source": ["unnamed_hearsay"],
    "impersonal": ["unnamed_place"],
    "with_preposition": ["unnamed_circles"],
    "hearsay_modal": ["hedge_hearsay_modal"],
    "particle_wohl": ["hedge_wohl"],
    "seeming": ["hedge_seeming"],
}


class CueContext(BatchedComponent):
    """Runs the context checks configured for each rule id; drops or reshapes the spans they reject or widen."""

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
        # The same by the rule ids' string ids (span.id), which are cheaper to read than span.id_.
        self._by_rule_id = {nlp.vocab.strings.add(rule_id): found for rule_id, found in self._by_rule.items()}

    def __call__(self, doc: Doc) -> Doc:
        if self.spans_key not in doc.spans:
            return doc
        by_rule = self._by_rule_id
        rows = span_rows(doc, self.spans_key)
        group = doc.spans[self.spans_key]
        changes: list[tuple[int, Span | None]] = []
        for i, row in enumerate(rows):
            checks = by_rule.get(row[5])
            if not checks:
                continue  # only the spans a check applies to are taken out of the group
            span = group[i]
            result: Span | None = span
            for check in checks:
                result = check(doc, result)
                if result is None:
                    break
            if result is None or (result.start, result.end) != (span.start, span.end):
                changes.append((i, result))
        if any(result is None for _, result in changes):
            # A new group without the dropped spans (SpanGroup.__delitem__ of spaCy 3.8 removes the span
            # before the one asked for, so spans are never deleted in place).
            changed = dict(changes)
            kept = [changed[i] if i in changed else group[i] for i in range(len(rows))]
            replace_spans(doc, self.spans_key, [span for span in kept if span is not None])
        elif changes:  # only widened or narrowed: changed in place
            rows = list(rows)
            for i, result in changes:
                group[i] = result
                rows[i] = (result.start, result.end, result.start_char, result.end_char, result.label, result.id)
            note_span_rows(doc, self.spans_key, rows)
        return doc


@Language.factory(
    "annotator_cue_context",
    default_config={"spans_key": SUGGESTIONS_KEY, "checks": DEFAULT_CHECKS},
)
def make_cue_context(nlp: Language, name: str, spans_key: str, checks: dict[str, list[str]]) -> CueContext:
    return CueContext(nlp, name, spans_key=spans_key, checks=checks)
