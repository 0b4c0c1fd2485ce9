"""Turn a corpus file's bytes into text: guess the encoding, refuse binary data, normalise line ends.

Corpora arrive from Windows exports, old archives and scrapers, so the guesses are ordered by what German
news text really comes in: a byte-order mark decides first; then UTF-8; then cp1252 (a superset of latin-1
for every printable character, and the only one of the two with €, „ “ and – at 0x80–0x9F);
charset-normalizer only when none of these fits.

`decode_bytes` decodes a whole file. `open_text` opens a file for streaming with the encoding guessed from its
first bytes; for UTF-8 it decodes stray invalid bytes as cp1252, so a UTF-8 export with one pasted Windows
paragraph further down still reads instead of failing half-way.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from annotator.errors import CorpusError

SAMPLE_SIZE = 64 * 1024  # what `open_text` looks at before choosing an encoding

BINARY_REASON = "binary file, not text"

_CP1252_FALLBACK = "annotator-cp1252-fallback"

# Control characters that never occur in text; tab, line feed, vertical tab, form feed and carriage return do.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# Text files carry hardly any of these; compiled programs, images and archives are full of them.
_MAX_CONTROL_RATIO = 0.05

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# A lead byte followed by the right number of continuation bytes: a character only UTF-8 would write this way.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_NON_ASCII = re.compile(rb"[\x80-\xff]")


class UndecodableError(CorpusError):
    """A file's bytes are not text in any encoding we can recognise."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


def _decode_stray_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", errors="replace"), error.end


codecs.register_error(_CP1252_FALLBACK, _decode_stray_as_cp1252)


def decode_bytes(data: bytes, filename: str) -> str:
    """Decode a whole file's bytes to text with `\\n` line ends, NFC-normalised and without a byte-order mark.

    Raises `UndecodableError` (a `CorpusError`) naming `filename` for binary data or an unknown encoding.
    """
    encoding = detect_encoding(data, filename, complete=True)
    return normalise_text(data.decode(encoding, errors=error_handler(encoding)))


def detect_encoding(data: bytes, filename: str, *, complete: bool = True) -> str:
    """Name the codec for `data`, the whole file or (complete=False) its first bytes.

    A returned "utf-8"/"utf-8-sig" should be used with `error_handler` so that stray bytes decode as cp1252.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise UndecodableError(filename, BINARY_REASON)
        return utf16
    if _control_ratio(data) > _MAX_CONTROL_RATIO:
        raise UndecodableError(filename, BINARY_REASON)
    if _looks_like_utf8(data, complete=complete):
        return "utf-8"
    if not re.search(rb"[\x81\x8d\x8f\x90\x9d]", data):  # the five bytes cp1252 leaves undefined
        return "cp1252"
    guess = charset_normalizer.from_bytes(data).best()
    if guess is None or guess.encoding is None:
        raise UndecodableError(filename, "unknown text encoding; save the file as UTF-8")
    return guess.encoding


def error_handler(encoding: str) -> str:
    """The decoding error policy that goes with an encoding from `detect_encoding`."""
    return _CP1252_FALLBACK if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else "replace"


def normalise_text(text: str) -> str:
    """Strip a byte-order mark, turn `\\r\\n` and `\\r` into `\\n`, and compose characters (NFC)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def open_text(path: Path, *, newline: str | None = None) -> io.TextIOWrapper:
    """Open `path` for streaming as text in the encoding its first bytes suggest.

    `newline` is passed to `io.TextIOWrapper`: None turns every line end into `\\n`; the csv module wants "".
    Raises `OSError` if the file cannot be read and `UndecodableError` if it is not text.
    """
    raw: BinaryIO = open(path, "rb")  # noqa: SIM115 - handed to the wrapper, which closes it
    try:
        sample = raw.read(SAMPLE_SIZE)
        complete = len(sample) < SAMPLE_SIZE
        encoding = detect_encoding(sample, path.name, complete=complete)
        raw.seek(0)
        return io.TextIOWrapper(raw, encoding=encoding, errors=error_handler(encoding), newline=newline)
    except BaseException:
        raw.close()
        raise


def cannot_read(error: OSError) -> str:
    """The problem reason for a file the system will not let us read."""
    return f"cannot read file: {error.strerror or error}"


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: in Latin-script text every other byte is NUL, nearly all on one side."""
    if len(data) < 2:
        return None
    even = data[0::2].count(0) / len(data[0::2])
    odd = data[1::2].count(0) / len(data[1::2])
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros > 0.3 and others < zeros / 4:
            try:  # not final: a sample may end inside a surrogate pair
                text = codecs.getincrementaldecoder(encoding)().decode(data, final=False)
            except UnicodeDecodeError:
                return None
            controls = sum(1 for char in text if char < " " and char not in "\t\n\x0b\x0c\r")
            return encoding if controls <= _MAX_CONTROL_RATIO * max(len(text), 1) else None
    return None


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(data)


def _looks_like_utf8(data: bytes, *, complete: bool) -> bool:
    """Valid UTF-8, or UTF-8 with a few stray bytes from another encoding (mixed exports).

    A cp1252 text can by chance hold a byte pair that is valid UTF-8 ("ß“" is DF 93), but next to it there are
    far more bytes that are not (every lone "ä" or "ü"), so the multi-byte sequences must clearly dominate.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(data, final=complete)  # a sample may end inside a character
        return True
    except UnicodeDecodeError:
        pass
    multibyte = _UTF8_MULTIBYTE.findall(data)
    stray = len(_NON_ASCII.findall(data)) - sum(len(sequence) for sequence in multibyte)
    return len(multibyte) >= 4 * max(stray, 1)
