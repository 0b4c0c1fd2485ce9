"""Read JSON Lines (.jsonl, .ndjson) and JSON (.json) corpora: one article per object.

Both are streamed: a line at a time, at most `ArticleLimit.source_chars` long, or a list item at a time through
`JsonValues`. A broken line is reported and the next one read; in a .json file a syntax error ends the file, as
nothing after it can be trusted, but an item too large or too deeply nested is stepped over and the rest read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from annotator.corpus.encoding import UndecodableError, cannot_read, open_text
from annotator.corpus.json_stream import NESTED_TOO_DEEPLY, JsonValues, SkippedValue
from annotator.corpus.limits import ArticleLimit
from annotator.corpus.records import ImportProblem
from annotator.corpus.tabular import FieldMap, FieldNotices, Item, make_record, no_text_reason

__all__ = ["read_json", "read_jsonl"]

def read_jsonl(path: Path, source_file: str, field_map: FieldMap, limit: ArticleLimit) -> Iterator[Item]:
    """One JSON object per line, read line by line; blank lines are allowed."""
    stream = _open_stream(path, source_file)
    if isinstance(stream, ImportProblem):
        yield stream
        return
    notices = FieldNotices(field_map, source_file, "key")
    with stream:
        number = 0
        try:
            while line := stream.readline(limit.source_chars + 1):
                number += 1
                location = f"line {number}"
                if len(line) > limit.source_chars and not line.endswith("\n"):
                    _skip_rest_of_line(stream)
                    yield ImportProblem(source_file, location, limit.source_too_long("line"))
                    continue
                line = line.rstrip("\n")  # a cut-off line would otherwise end in a string: "invalid control character"
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as error:
                    yield ImportProblem(source_file, location, _json_reason(error, end=len(line), what="line"))
                    continue
                except RecursionError:
                    yield ImportProblem(source_file, location, NESTED_TOO_DEEPLY)
                    continue
                yield from _record_from_object(value, field_map, notices, source_file, location)
        except OSError as error:
            yield ImportProblem(source_file, f"line {number + 1}", cannot_read(error))


def _skip_rest_of_line(stream: TextIO) -> None:
    while (rest := stream.readline(1024 * 1024)) and not rest.endswith("\n"):
        pass


def read_json(path: Path, source_file: str, field_map: FieldMap, limit: ArticleLimit) -> Iterator[Item]:
    """A JSON list of article objects, or one object; the list is parsed item by item, never held whole.

    Items are located as "item N"; a syntax error, after which nothing more can be trusted, as "line N".
    """
    stream = _open_stream(path, source_file)
    if isinstance(stream, ImportProblem):
        yield stream
        return
    notices = FieldNotices(field_map, source_file, "key")
    with stream:
        values = JsonValues(stream, max_value_chars=limit.source_chars, too_long=limit.source_too_long("item"))
        try:
            if values.at_end():
                yield ImportProblem(source_file, "", "empty file")
                return
            for location, value in values.read():
                if isinstance(value, SkippedValue):
                    yield ImportProblem(source_file, location, value.reason)
                    continue
                yield from _record_from_object(value, field_map, notices, source_file, location)
        except json.JSONDecodeError as error:
            line, column = values.position_of(error)
            yield ImportProblem(source_file, f"line {line}", _json_reason(error, column=column, what="file"))
        except OSError as error:
            yield ImportProblem(source_file, "", cannot_read(error))


def _record_from_object(
    value: Any, field_map: FieldMap, notices: FieldNotices, source_file: str, location: str
) -> Iterator[Item]:
    if not isinstance(value, dict):
        yield ImportProblem(source_file, location, f"expected a JSON object, found {_json_type(value)}")
        return
    keys = [str(key) for key in value]
    found, missing = field_map.resolve(keys)
    if "text" not in found:
        yield ImportProblem(source_file, location, no_text_reason(keys, what="field", mapped=field_map))
        return
    yield from notices.check(keys, found, missing, location)
    yield make_record(list(value.values()), keys, found, source_file=source_file, location=location)


def _json_type(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _json_reason(error: json.JSONDecodeError, *, end: int | None = None, column: int | None = None, what: str) -> str:
    """The decoder's message with its column, and a plainer word for a line or file that stops mid-value."""
    column = error.colno if column is None else column
    cut_off = error.msg.startswith("Unterminated string") or (end is not None and error.pos >= end)
    if cut_off:
        return f"invalid JSON: the {what} ends inside a value (cut off?); {error.msg} (column {column})"
    return f"invalid JSON: {error.msg} (column {column})"


def _open_stream(path: Path, source_file: str) -> TextIO | ImportProblem:
    try:
        return open_text(path)
    except UndecodableError as error:
        return ImportProblem(source_file, "", error.reason)
    except OSError as error:
        return ImportProblem(source_file, "", cannot_read(error))
