"""Direct quotes: passages in quotation marks long enough to be someone's words, with their speaker.

A quote is suggested with its marks (``«Wir prüfen alle Optionen»``, rule ``quote_marks``). One or two
quoted words count only when the sentence gives them to someone ('Der Verband spricht von «Abzocke»',
'«Nie wieder», sagte sie': rule ``quote_marks_short``); otherwise they are scare quotes or titles ("die
«Sondersession»", "die sogenannte «Schuldenbremse»") and are left alone. Outlet names are never quotes:
neither those on the outlet list («Blick», "20 Minuten") nor a quoted name an outlet attribution covers
("laut «NZZ am Sonntag»"). When a speech verb and a name stand right after the
quote ("…», sagte Karin Keller-Sutter.) or right before it (Keller-Sutter sagte: «…»), the speaker is
given as extra information: ``span._.cue_info == {"speaker": "Karin Keller-Sutter", "speech_verb": "sagte"}``.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .batching import BatchedComponent
from .docfacts import append_spans, quoted_in, sentence_bounds, span_rows
from .ruler import SUGGESTIONS_KEY
from .zones import ensure_extensions

__all__ = ["QuoteFinder", "SPEECH_VERBS"]

CATEGORY = "direct_quote"
RULE_ID = "quote_marks"
SHORT_RULE_ID = "quote_marks_short"  # one or two words, kept because a speaker or speech verb is near

SPEECH_VERBS = (
    "sagt", "sagte", "sagten", "sagen", "so", "erklärt", "erklärte", "erklärten", "meint", "meinte", "betont",
    "betonte", "fügt", "fügte", "ergänzt", "ergänzte", "warnt", "warnte", "kritisiert", "kritisierte",
    "bestätigt", "bestätigte", "schreibt", "schrieb", "räumt", "räumte", "fordert", "forderte", "antwortet",
    "antwortete", "erzählt", "erzählte", "findet", "fand", "glaubt", "glaubte", "hält", "hielt", "stellt",
    "stellte", "gibt", "gab", "zitiert", "zitierte", "twittert", "twitterte", "präzisiert", "präzisierte",
    "versichert", "versicherte", "verspricht", "versprach", "resümiert", "resümierte", "bilanziert",
    "bilanzierte", "kommentiert", "kommentierte", "ruft", "rief", "fragt", "fragte", "entgegnet", "entgegnete",
    "verrät", "verriet", "beteuert", "beteuerte", "klagt", "klagte", "bemerkt", "bemerkte", "argumentiert",
    "argumentierte", "begründet", "begründete", "mahnt", "mahnte",
)

_NAME_PARTICLES = frozenset({"von", "van", "de", "di", "da", "der", "du", "le", "la"})
_ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem"})
_MAX_SPEAKER_TOKENS = 6
_MAX_CUE_DISTANCE = 8
# Speech verbs too common in other senses to vouch for a quoted word before it ("gibt es eine «Lücke»").
_WEAK_CUES = frozenset(
    {"so", "findet", "fand", "hält", "hielt", "stellt", "stellte", "gibt", "gab", "ruft", "fragt", "fragte"}
)
# Verbs that introduce someone's own word in quotes, beyond the speech verbs.
_SHORT_QUOTE_CUES = frozenset(
    {
        "spricht", "sprechen", "sprach", "sprachen", "nennt", "nennen", "nannte", "nannten", "bezeichnet",
        "bezeichnen", "bezeichnete", "bezeichneten", "kritisieren", "kritisierten", "warnen", "warnten", "fordern",
        "forderten", "lobt", "lobte", "loben", "beklagt", "beklagte", "beklagen", "moniert", "monierte", "ortet",
        "ortete", "rufen", "riefen", "skandieren", "skandierten", "schimpft", "schimpfte", "wettert", "wetterte",
        "titulierte", "tituliert", "verspricht", "versprach", "sagen", "sagten", "meinen", "meinten",
    }
)


class QuoteFinder(BatchedComponent):
    """Adds ``direct_quote`` spans for quoted passages of at least `min_words`, and shorter ones with a speaker."""

    def __init__(
        self,
        nlp: Language,
        name: str = "annotator_quote_finder",
        *,
        spans_key: str = SUGGESTIONS_KEY,
        min_words: int = 3,
        max_chars: int = 2000,
        speech_verbs: Iterable[str] = SPEECH_VERBS,
    ) -> None:
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        self.min_words = min_words
        self.max_chars = max_chars
        self.speech_verbs = frozenset(v.lower() for v in speech_verbs)

    def __call__(self, doc: Doc) -> Doc:
        passages = quoted_in(doc)
        if not passages:
            return doc
        attribution = doc.vocab.strings.add("outlet_attribution")
        outlet_spans = [(row[2], row[3]) for row in span_rows(doc, self.spans_key) if row[4] == attribution]
        listed = set(doc._.outlet_mentions or ())
        added = []
        for quoted in passages:
            words = quoted.words
            if words == 0 or quoted.end - quoted.start > self.max_chars:
                continue
            if any(start <= quoted.start and quoted.end <= end for start, end in outlet_spans):
                continue  # "laut «NZZ am Sonntag»"
            inner_start = quoted.start + 1 + (len(quoted.inner) - len(quoted.inner.lstrip()))
            if (inner_start, inner_start + len(quoted.inner.strip())) in listed:
                continue  # «Blick», "20 Minuten": a name, not someone's words
            span = doc.char_span(quoted.start, quoted.end, label=CATEGORY, span_id=RULE_ID, alignment_mode="expand")
            if span is None:
                continue
            speaker = self._speaker(doc, span)
            if words < self.min_words:
                # A word or two in quotes is someone's word only when the sentence says whose:
                # 'spricht von «Abzocke»', not 'die «Sondersession»'.
                if speaker is None and not self._verb_after(doc, span) and not self._attributed_before(doc, span):
                    continue
                span = Span(doc, span.start, span.end, label=CATEGORY, span_id=SHORT_RULE_ID)
            if speaker is not None:
                span._.cue_info = speaker
            added.append(span)
        append_spans(doc, self.spans_key, added)
        return doc

    def _verb_after(self, doc: Doc, quote: Span) -> bool:
        """«Nie wieder», sagte sie: a speech verb right after the quote, whoever the speaker."""
        i = _skip(doc, quote.end, {","})
        return i < len(doc) and i > quote.end and doc[i].lower_ in self.speech_verbs

    def _attributed_before(self, doc: Doc, quote: Span) -> bool:
        """A speech verb shortly before the quote in the same clause: "Er spricht von einer «…»"."""
        sentence_start = sentence_bounds(doc, quote.start, quote.end)[0]
        for i in range(quote.start - 1, max(sentence_start, quote.start - _MAX_CUE_DISTANCE) - 1, -1):
            token = doc[i]
            if token.lower_.startswith(("sogenannt", "so genannt")) or token.lower_ == "genannten":
                return False  # "die sogenannte «Schuldenbremse»"
            word = token.lower_
            if word in _SHORT_QUOTE_CUES or (word in self.speech_verbs and word not in _WEAK_CUES):
                return True
            if token.text in {".", ";", ":", "?", "!"}:
                return False
        return False

    # --- the speaker -------------------------------------------------------------------------------------------

    def _speaker(self, doc: Doc, quote: Span) -> dict[str, str] | None:
        return self._speaker_after(doc, quote.end) or self._speaker_before(doc, quote.start)

    def _speaker_after(self, doc: Doc, index: int) -> dict[str, str] | None:
        """``«…», sagte die Ministerin`` / ``«…», so Meier``."""
        i = _skip(doc, index, {","})
        if i >= len(doc) or doc[i].lower_ not in self.speech_verbs:
            return None
        verb = doc[i]
        name = _name_from(doc, i + 1)
        return {"speaker": name, "speech_verb": verb.text} if name else None

    def _speaker_before(self, doc: Doc, index: int) -> dict[str, str] | None:
        """``Meier sagte: «…»`` / ``Die Ministerin betonte: «…»``."""
        i = index - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 0 or doc[i].text != ":":
            return None
        i -= 1
        if i < 0 or doc[i].lower_ not in self.speech_verbs:
            return None
        verb = doc[i]
        end = i
        start = end
        while start - 1 >= 0 and end - start < _MAX_SPEAKER_TOKENS and _namelike(doc[start - 1]):
            start -= 1
        if start - 1 >= 0 and doc[start - 1].lower_ in _ARTICLES:
            start -= 1
        if start == end:
            return None
        return {"speaker": doc[start:end].text, "speech_verb": verb.text}


def _skip(doc: Doc, index: int, punctuation: set[str]) -> int:
    while index < len(doc) and (doc[index].is_space or doc[index].text in punctuation):
        index += 1
    return index


def _namelike(token: Token) -> bool:
    if token.is_punct:
        return False
    return token.is_title or (token.is_upper and len(token) > 1) or ("-" in token.text and token.text[:1].isupper())


def _name_from(doc: Doc, index: int) -> str | None:
    """A name or a role with its article right at `index`: "Karin Keller-Sutter", "die Ministerin"."""
    start = index
    if index < len(doc) and doc[index].lower_ in _ARTICLES:
        index += 1
    end = index
    while end < len(doc) and end - start < _MAX_SPEAKER_TOKENS:
        token = doc[end]
        if _namelike(token) or (token.lower_ in _NAME_PARTICLES and end > index):
            end += 1
        else:
            break
    if end == index:
        return None
    while end > index and doc[end - 1].lower_ in _NAME_PARTICLES:
        end -= 1
    return doc[start:end].text


@Language.factory(
    "annotator_quote_finder",
    default_config={
        "spans_key": SUGGESTIONS_KEY,
        "min_words": 3,
        "max_chars": 2000,
        "speech_verbs": list(SPEECH_VERBS),
    },
)
def make_quote_finder(
    nlp: Language, name: str, spans_key: str, min_words: int, max_chars: int, speech_verbs: list[str]
) -> QuoteFinder:
    return QuoteFinder(
        nlp, name, spans_key=spans_key, min_words=min_words, max_chars=max_chars, speech_verbs=speech_verbs
    )
