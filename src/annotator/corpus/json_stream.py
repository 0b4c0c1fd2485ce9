"""The top level of a JSON document, decoded one value at a time from a sliding buffer.

A corpus saved as one JSON list can be gigabytes long; reading it item by item keeps memory at the size
of the largest item, and a syntax error is reported with the line it stands on in the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO


class _JsonValues:
    """Walks the top level of a JSON document, decoding one array item at a time from a sliding buffer."""

    _CHUNK = 64 * 1024

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._pos = 0
        self._lines_dropped = 0  # line breaks in the part of the file already cut off the buffer
        self._eof = False

    def at_end(self) -> bool:
        """Whether nothing but white space is left; at the start, whether the document is empty."""
        return self._next_char() is None

    def read(self) -> Iterator[tuple[str, Any]]:
        """Each top-level value with where it stands: ("item N", value) per item of a list, ("", value) for a
        document that is a single value, nothing for an empty document.

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
                char = self._next_char()
                if char == "]":
                    return
                if char != ",":
                    raise self._error("Expecting ',' delimiter")
                self._pos += 1
        elif first is not None:
            value = self._decode_value()
            if self._next_char() is not None:
                raise self._error("Extra data after the first object; one object per line belongs in .jsonl")
            yield "", value

    def line_of(self, error: json.JSONDecodeError) -> int:
        return error.lineno + (self._lines_dropped if error.doc is self._buffer else 0)

    def _next_char(self) -> str | None:
        """Skip white space and return the next character without consuming it (None at the end)."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\n\r":
                self._pos += 1
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._fill(self._CHUNK):
                return None

    def _decode_value(self) -> Any:
        """Decode the value at the cursor, reading more until it is complete and something follows it.

        Requiring something after the value keeps a number cut by the buffer edge ("12" of "123") from
        passing as complete. Each retry reads twice as much, so a huge item costs linear time, not quadratic.
        """
        self._drop_consumed()
        chunk = self._CHUNK
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                if not self._may_be_cut(error) or not self._fill(chunk):
                    raise
                chunk *= 2
                continue
            if end < len(self._buffer) or self._eof:
                self._pos = end
                return value
            if not self._fill(chunk):
                self._pos = end
                return value

    def _may_be_cut(self, error: json.JSONDecodeError) -> bool:
        """Whether an error could come from the buffer ending mid-value rather than from broken JSON.

        The decoder reports a cut-off string at its opening quote and any other cut-off token ("tru",
        "1.5e", a half "\\u00e4" escape) a few characters before the end; an error further back is real, and
        reporting it at once keeps a broken item early in a huge file from pulling the rest into memory.
        """
        return error.msg.startswith("Unterminated string") or error.pos >= len(self._buffer) - 8

    def _fill(self, size: int) -> bool:
        if self._eof:
            return False
        data = self._stream.read(size)
        if not data:
            self._eof = True
            return False
        self._buffer += data
        return True

    def _drop_consumed(self) -> None:
        # Cut only at a line break so that columns in error messages stay right.
        cut = self._buffer.rfind("\n", 0, self._pos) + 1
        if cut > self._CHUNK:
            self._lines_dropped += self._buffer.count("\n", 0, cut)
            self._buffer = self._buffer[cut:]
            self._pos -= cut

    def _error(self, message: str) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self._buffer, self._pos)
