"""The top level of a JSON document, decoded one value at a time from a sliding buffer.

A corpus saved as one JSON list can be gigabytes long, minified onto a single line; reading it item by item
keeps memory at the size of the largest item, and a syntax error is reported with the line and column it stands
on in the whole file. An item too large or too deeply nested to decode is stepped over, without holding it, and
reported by its number; the items after it are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

# Where a skipped value's structure can change: outside strings, quotes and brackets (and commas, which end a
# number or a word at the top level); inside strings, the closing quote and escapes.
_STRUCTURE = re.compile(r'["\[\]{},]')
_STRING_END = re.compile(r'["\\]')

# What may still follow a number cut by the buffer edge: "2500." of "2500.75", "1e" of "1e5".
_NUMBER_TAIL = re.compile(r"[0-9.eE+\-]*")

NESTED_TOO_DEEPLY = "JSON nested too deeply to read (more than about 1,000 levels)"


@dataclass(frozen=True)
class SkippedValue:
    """A value that was not decoded, and why."""

    reason: str
    runs_to_the_end: bool = False  # the file ends inside it


class JsonValues:
    """Walks the top level of a JSON document, decoding one array item at a time from a sliding buffer.

    `max_value_chars` bounds the memory: a value whose JSON text is longer is skipped, not decoded, and
    reported with the reason `too_long`.
    """

    _CHUNK = 64 * 1024

    def __init__(self, stream: TextIO, *, max_value_chars: int, too_long: str = "") -> None:
        self._stream = stream
        self._max_value_chars = max_value_chars
        self._too_long = too_long or f"longer than {max_value_chars:,} characters"
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._pos = 0
        self._lines_dropped = 0  # line breaks in the part of the file already cut off the buffer
        self._columns_dropped = 0  # characters of the buffer's first line already cut off
        self._eof = False

    def at_end(self) -> bool:
        """Whether nothing but white space is left; at the start, whether the document is empty."""
        return self._next_char() is None

    def read(self) -> Iterator[tuple[str, Any]]:
        """Each top-level value with where it stands: ("item N", value) per item of a list, ("", value) for a
        document that is a single value, nothing for an empty document. A value that could not be decoded
        comes as a `SkippedValue`.

        Raises `json.JSONDecodeError` where the JSON breaks, after yielding every value before it.
        """
        first = self._next_char()
        if first == "[":
            self._pos += 1
            number = 0
            while True:
                char = self._next_char()
                if char == "]" and number == 0:
                    return
                number += 1
                value = self._decode_value()
                yield f"item {number}", value
                if isinstance(value, SkippedValue) and value.runs_to_the_end:
                    return  # its reason says that the file ends inside it
                char = self._next_char()
                if char == "]":
                    return
                if char is None:
                    raise self._error("The file ends before the list is closed (cut off?)")
                if char != ",":
                    raise self._error("Expecting ',' delimiter")
                self._pos += 1
        elif first is not None:
            value = self._decode_value()
            if not isinstance(value, SkippedValue) and self._next_char() is not None:
                raise self._error("Extra data after the first object; one object per line belongs in .jsonl")
            yield "", value

    def position_of(self, error: json.JSONDecodeError) -> tuple[int, int]:
        """The line and column of a decoding error in the whole file."""
        if error.doc is not self._buffer:
            return error.lineno, error.colno
        column = error.colno + (self._columns_dropped if error.lineno == 1 else 0)
        return error.lineno + self._lines_dropped, column

    def _next_char(self) -> str | None:
        """Skip white space and return the next character without consuming it (None at the end)."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\n\r":
                self._pos += 1
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            self._drop_consumed()
            if not self._fill(self._CHUNK):
                return None

    def _decode_value(self) -> Any:
        """Decode the value at the cursor, reading more until it is complete and something follows it.

        Requiring something after the value that cannot continue it keeps a number cut by the buffer edge
        ("12" of "123", "12." of "12.5") from passing as complete. Each retry reads twice as much, so a huge
        item costs linear time, not quadratic.
        """
        self._drop_consumed()
        chunk = self._CHUNK
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except RecursionError:
                return self._skip_value(NESTED_TOO_DEEPLY)
            except json.JSONDecodeError as error:
                if not self._may_be_cut(error):
                    raise
                if len(self._buffer) - self._pos > self._max_value_chars:
                    return self._skip_value(self._too_long)
                if not self._fill(chunk):
                    raise
                chunk *= 2
                continue
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            cut = end == len(self._buffer) or (number and _NUMBER_TAIL.fullmatch(self._buffer, end) is not None)
            if not cut or not self._fill(chunk):
                self._pos = end
                return value
            chunk *= 2

    def _may_be_cut(self, error: json.JSONDecodeError) -> bool:
        """Whether an error could come from the buffer ending mid-value rather than from broken JSON.

        The decoder reports a cut-off string at its opening quote and any other cut-off token ("tru",
        "1.5e", a half "\\u00e4" escape) a few characters before the end; an error further back is real, and
        reporting it at once keeps a broken item early in a huge file from pulling the rest into memory.
        """
        return error.msg.startswith("Unterminated string") or error.pos >= len(self._buffer) - 8

    def _skip_value(self, reason: str) -> SkippedValue:
        """Step over the value at the cursor by its brackets and quotes alone, dropping what has been passed.

        The value is not checked for syntax; a broken one shows at the next item or at the end of the list.
        """
        depth, in_string, pos = 0, False, self._pos
        while True:
            buffer = self._buffer
            found = (_STRING_END if in_string else _STRUCTURE).search(buffer, pos)
            if found is None or (found.group() == "\\" and found.end() >= len(buffer)):
                pos = len(buffer) if found is None else found.start()  # keep a trailing backslash with its pair
            elif in_string:
                if found.group() == "\\":
                    pos = found.end() + 1
                    continue
                in_string, pos = False, found.end()
                if depth == 0:
                    break
                continue
            else:
                char = found.group()
                if char == '"':
                    in_string, pos = True, found.end()
                elif char in "[{":
                    depth, pos = depth + 1, found.end()
                elif depth == 0:  # a comma or closing bracket after a bare word or number: it ended before
                    pos = found.start()
                    break
                else:
                    depth, pos = (depth - 1 if char in "]}" else depth), found.end()
                    if depth == 0:
                        break
                continue
            self._pos = pos
            self._drop_consumed(anywhere=True)
            pos = self._pos
            if not self._fill(self._CHUNK):
                self._pos = len(self._buffer)
                return SkippedValue(f"{reason}; the file ends inside it (cut off?)", runs_to_the_end=True)
        self._pos = pos
        return SkippedValue(reason)

    def _fill(self, size: int) -> bool:
        if self._eof:
            return False
        data = self._stream.read(size)
        if not data:
            self._eof = True
            return False
        self._buffer += data
        return True

    def _drop_consumed(self, *, anywhere: bool = False) -> None:
        """Cut what lies before the cursor off the buffer, keeping count of the lines and columns cut."""
        cut = self._pos
        if cut <= (0 if anywhere else self._CHUNK):
            return
        line_breaks = self._buffer.count("\n", 0, cut)
        if line_breaks:
            self._lines_dropped += line_breaks
            self._columns_dropped = cut - (self._buffer.rfind("\n", 0, cut) + 1)
        else:
            self._columns_dropped += cut
        self._buffer = self._buffer[cut:]
        self._pos = 0

    def _error(self, message: str) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self._buffer, self._pos)
