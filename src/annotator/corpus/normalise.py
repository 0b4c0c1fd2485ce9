"""Text normalisation applied once at import; every stored offset refers to its result."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# C0/C1 control characters other than tab and newline carry no meaning in an article and break
# offsets in some widgets; zero-width no-break space is a BOM left in the middle of a text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no BOM/control characters, no trailing spaces, at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_inline(value: str | None) -> str | None:
    """Titles, outlets and ids: one line, NFC, trimmed; empty becomes None."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", " ".join(str(value).split()))
    return value or None
