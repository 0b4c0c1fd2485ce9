"""What a single line of a German news page looks like: sentence ends, dates, datelines, names and
bylines, agency tags, comment user labels, alt text.

These patterns are language-level conventions shared by every layout; what differs between outlets
is in :class:`annotator.corpus.layout_rules.LayoutRules`. Every predicate takes one trimmed line and
looks at nothing around it.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?…][\"'»«“”„‘’)\]]*$")
_QUESTION_END = re.compile(r"\?[\"'»«“”„‘’)\]]*$")
_SYMBOLIC = re.compile(r"symbol(?:bild|foto)|archiv(?:bild|foto|aufnahme)|\(\s*archiv\s*\)", re.I)
_MONTHS = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    "|Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez"
)
_DATE = re.compile(
    rf"\b\d{{1,2}}\.\s?\d{{1,2}}\.(?:\s?\d{{2,4}})?(?!\d)|\b\d{{1,2}}\.\s?(?:{_MONTHS})\b"
    r"|\b\d{1,2}[:.]\d{2}\s*Uhr\b|\b\d{1,2}:\d{2}\b"
    r"|\bvor\s+\d+\s+(?:Sekunden?|Minuten?|Min\.|Stunden?|Std\.|Tagen?|Wochen?|Monaten?)",
    re.I,
)
# Lower-case words a date line may contain; more of other ones make it a sentence.
_DATE_WORDS = frozenset(
    "am um vor seit und uhr min std minuten stunden tagen heute gestern aktualisiert publiziert"
    " veröffentlicht erstellt geändert zuletzt stand".split()
)
_LOCATION_LINE = re.compile(r"(?P<loc>[^\W\d_][\w.'’/\- ]{0,40}?)\s*(?:,|\s[–—-])")
_DATELINE_PREFIX = re.compile(
    r"(?P<loc>[^\W\d_][\w.'’/\-]*"
    r"(?:\s+(?:(?:am|an|im|in|bei|ob|der|an der)\s+)?[^\W\d_][\w.'’/\-]*){0,2})"
    r"(?:\s*\([^()]{1,30}\))?\s*[–—-]\s+(?=\S)"
    r"|(?P<upper>[A-ZÄÖÜ]{3,}(?:[ /\-][A-ZÄÖÜ]{2,})*)(?:\s*\([^()]{1,30}\))?\.\s+(?=\S)"
)
# Capitalised words that open sentences, never datelines ("Die Regierung – so heisst es – …").
_NOT_PLACES = frozenset(
    "Der Die Das Den Dem Des Ein Eine Einer Eines Einem Es Er Sie Wir Ihr Ich Man Dies Diese"
    " Dieser Dieses Doch Aber Und Oder Auch Nach Vor Bei Im In Am An Auf Aus Mit Für Von Zu Zum"
    " Zur Wie Was Wer Wo Wann Warum Laut So Nun Jetzt Heute Gestern Dass Ob Als Wenn Trotz Seit"
    " Um Unter Über Mehr Nicht Kein Keine Alle Viele Damit Dann Da Hier Dort".split()
)
_PLACE_PARTICLES = frozenset("am an im in bei ob der".split())
_NAME_WORD = re.compile(r"[^\W\d_][\w'’\-]*\.?")
_NAME_PARTICLES = frozenset("von van vom zu zur de del della der den di da du dos la le ten ter y".split())
_PEOPLE_SPLIT = re.compile(r"\s*[,;&/|]\s*|\s+(?:und|and)\s+")
_PARENS = re.compile(r"\s*\([^()]{0,40}\)")
_BYLINE_LEAD = re.compile(
    r"(?:von|text|texte|autor|autorin|autoren|recherche|reportage|interview|aufgezeichnet von"
    r"|ein (?:kommentar|gastbeitrag|essay) von|eine (?:analyse|kolumne|glosse) von)\s*:?\s+(?P<who>.+)",
    re.I,
)
_NEWS_AGENCIES = frozenset(
    "dpa sda afp ap apa reuters kna epd dts sid ats ddp red upi awp ansa efe keystone-sda dpa-afx".split()
)
_USER_TAIL = re.compile(
    r"\s*(?:[·•|,–—-]\s*)?(?:am\s+|um\s+)?"
    r"(?:vor\s+\d+\s+\S+|\d{1,2}\.\s?\d{1,2}\.\S*|\d{1,2}:\d{2}|heute|gestern)"
    r"[^\n]*$|\s*\((?:[^()]{1,30})\)$",
    re.I,
)
_USER_WORDS = frozenset("aus von in am vom zu".split())
_CREDIT_JOINERS = frozenset({"&", "und", "via"})
_COPYRIGHT_SUFFIX = re.compile(r"\(?\s*(?P<zone>©\s*(?P<credit>[^©()]{1,60}?))\s*\)?\s*$")


def _words(t: str) -> int:
    return len(t.split())


def _is_person(part: str) -> bool:
    """Two to four capitalised name words, particles ("von", "de") allowed inside."""
    words = part.split()
    if not 2 <= len(words) <= 6:
        return False
    capitals = 0
    for i, word in enumerate(words):
        if not _NAME_WORD.fullmatch(word):
            return False
        if word[0].isupper():
            capitals += 1
        elif not (word in _NAME_PARTICLES and 0 < i < len(words) - 1):
            return False
    return 2 <= capitals <= 4


def _names_line(t: str) -> bool:
    """'Lea Sommer', 'Lea Sommer und Marc Frei', 'Lea Sommer, Redaktorin', 'Max Muster/dpa'."""
    if not t or len(t) > 100 or t[-1] in "!?…:;,":
        return False
    if t.endswith(".") and len(t.split()[-1]) > 3:  # an initial ("Peter K.") is no sentence end
        return False
    parts = [p for p in _PEOPLE_SPLIT.split(_PARENS.sub("", t).strip()) if p]
    if not parts or not _is_person(parts[0]):
        return False
    for i, part in enumerate(parts[1:], 1):
        last = i == len(parts) - 1
        is_role = last and (_words(part) <= 3 and not any(c.isdigit() for c in part) or _date_line(part))
        if not (_is_person(part) or is_role):
            return False
    return True


def _agency_tag(t: str) -> bool:
    """'(dpa)', 'sda', '(dpa/AFP)': the article's news-agency signature."""
    parts = [p for p in re.split(r"[\s/,()\[\]]+", t.lower()) if p]
    return 0 < len(t) <= 40 and bool(parts) and all(p in _NEWS_AGENCIES for p in parts)


def _date_line(t: str) -> bool:
    """'12.05.2024, 14:30 Uhr', 'Aktualisiert vor 3 Stunden', 'Bern, 3. Mai 2024'."""
    if len(t) > 80 or _words(t) > 10 or t[-1] in "!?" or not _DATE.search(t):
        return False
    other = [w for w in re.findall(r"[^\W\d_]+", t) if w[0].islower() and w.lower() not in _DATE_WORDS]
    return len(other) <= 1


def _location_line(t: str) -> bool:
    """'Schweiz,' or 'Bern –' alone on a line."""
    m = _LOCATION_LINE.fullmatch(t)
    return bool(m) and t[0].isupper() and _words(m["loc"]) <= 4


def _dateline_prefix(t: str) -> int:
    """Where the text starts after a dateline opening a paragraph ('Berlin (dpa) – '), else 0."""
    m = _DATELINE_PREFIX.match(t)
    if not m:
        return 0
    if m["loc"]:
        words = m["loc"].split()
        if words[0] in _NOT_PLACES or not all(w[0].isupper() or w in _PLACE_PARTICLES for w in words):
            return 0
    return m.end()


def _user_label_like(t: str) -> bool:
    """A name or handle that may label a comment: 'Hans Muster', 'Leserin_77', 'Kurt aus Bern'."""
    name = _USER_TAIL.sub("", t).strip() or t
    if len(name) > 40 or name[-1] in "!?:;,":
        return False
    words = name.split()
    if not (name[0].isalpha() or name[0] == "@"):
        return False
    if len(words) == 1:
        return re.fullmatch(r"[\w.\-#@]{2,30}", name) is not None
    if len(words) > 4 or name.endswith(".") and len(words[-1]) > 3:
        return False
    return words[0][0].isupper() and all(w[0].isupper() or w in _USER_WORDS for w in words)


_NOT_IN_ALT = frozenset(".!?,;:«»\"„“()")


def _kicker_like(t: str) -> bool:
    return _words(t) <= 5 and len(t) <= 60 and t[-1] not in ".,;"


def _alt_words(t: str) -> bool:
    """Alt text reads like file-name words: 'drohne feld', 'bundesrat bern medienkonferenz'."""
    return t[0].islower() and _words(t) <= 10 and len(t) <= 80 and not any(c in _NOT_IN_ALT for c in t)

