"""A cheap guess whether an article is German, so a stray English file is flagged in the report."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zäöüß]+")
_GERMAN = frozenset(
    "der die das und ist nicht ein eine einen dem den des zu mit sich auf für von im sie es auch "
    "wird werden hat haben wie bei nach über dass oder aber noch nur kann soll schon wurde".split()
)
_ENGLISH = frozenset(
    "the and is are was were of to in that it for on with as by this from at be have has not "
    "which they their will would an said".split()
)
_FRENCH = frozenset("le la les et est des une un du que qui pour dans pas sur avec au ce sont".split())
_ITALIAN = frozenset("il lo gli della che non per una sono con del alla nel anche".split())


def guess_language(text: str, sample_chars: int = 5000) -> str | None:
    """Return 'de', 'en', 'fr', 'it' or None when the sample is too short to tell."""
    words = _WORD.findall(text[:sample_chars].lower())
    if len(words) < 20:
        return None
    scores = {
        "de": sum(w in _GERMAN for w in words),
        "en": sum(w in _ENGLISH for w in words),
        "fr": sum(w in _FRENCH for w in words),
        "it": sum(w in _ITALIAN for w in words),
    }
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else None
