"""Read a corpus file or folder as a stream of raw articles and of problems, one format reader per extension.

Everything here is a generator: a folder of a million files or a JSONL file of ten gigabytes is read one article
at a time. A broken file or line never stops the stream; it becomes an `ImportProblem` naming the file (relative
to the folder the user gave), the line or row, and the reason.

Files in a folder that are not a corpus format are skipped without a word when they are not text (images,
archives, spreadsheets in other formats); text files with another extension (.md, .text) and documents people
expect to work (.pdf, .docx) are reported, so nobody wonders where an article went. A file given directly is
always reported when its type is not supported, and so is a folder that holds no corpus file at all.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from annotator.corpus.encoding import (
    UndecodableError,
    cannot_read,
    decode_bytes,
    detect_encoding,
    open_text,
)
from annotator.corpus.html_reader import read_html
from annotator.corpus.json_stream import _JsonValues
from annotator.corpus.records import ImportProblem, Layout, RawRecord
from annotator.corpus.tabular import FieldMap, make_record, no_text_reason, read_delimited, read_xlsx
from annotator.errors import CorpusError

__all__ = ["SUPPORTED_EXTENSIONS", "decode_bytes", "iter_corpus"]

Item = RawRecord | ImportProblem
_Reader = Callable[[Path, str, FieldMap], Iterator[Item]]

# Formats people save articles in but that we cannot read, with what to do instead.
_UNSUPPORTED_HINTS = {
    ".xls": "save it as .xlsx",
    ".ods": "save it as .xlsx",
    ".pdf": "save the text as .txt",
    ".doc": "save it as .txt",
    ".docx": "save it as .txt",
    ".odt": "save it as .txt",
    ".rtf": "save it as .txt",
}

# SQLite files and their sidecars: a project database often sits next to its corpus. Label files
# (*.annotations.jsonl) and a folder's README/notes travel with corpora too, but are not articles.
_OWN_FILES = re.compile(r"(\.db(-wal|-shm|-journal)?|\.annotations\.jsonl|^readme(\.\w+)?|\.md)$", re.IGNORECASE)


def iter_corpus(path: str | Path, *, column_map: dict[str, str] | None = None) -> Iterator[Item]:
    """Yield a `RawRecord` per article and an `ImportProblem` per thing that could not be read, in a fixed order.

    `path` is a file or a folder (searched recursively in name order; hidden files, Excel lock files and
    SQLite databases skipped). `column_map` maps fields (id, title, text, source/outlet, url, date/published)
    to the column or JSON key that holds them, over the built-in aliases, e.g. {"text": "Artikeltext"}.

    Raises `CorpusError` at once, before anything is read, if `path` does not exist or `column_map` names an
    unknown field.
    """
    root = Path(path)
    field_map = FieldMap(column_map)
    if root.is_dir():
        return _iter_folder(root, field_map)
    if root.is_file():
        return _read_file(root, root.name, field_map, given=True)
    if root.exists():
        raise CorpusError(f"{root}: not a file or folder")
    raise CorpusError(f"{root}: no such file or folder")


IGNORE_FILE = ".annotatorignore"


def _ignore_patterns(root: Path) -> list[str]:
    """Glob patterns (one per line, '#' comments) of files a corpus folder keeps but does not import."""
    try:
        lines = (root / IGNORE_FILE).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return []
    return [line.strip().rstrip("/") for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _ignored(relative: str, patterns: list[str]) -> bool:
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(p, pattern) for pattern in patterns for p in prefixes)


def _iter_folder(root: Path, field_map: FieldMap) -> Iterator[Item]:
    anything = False
    patterns = _ignore_patterns(root)
    for file in _walk(root, root, seen=set()):
        if isinstance(file, ImportProblem):
            anything = True
            yield file
            continue
        if patterns and _ignored(file.relative_to(root).as_posix(), patterns):
            continue
        for item in _read_file(file, file.relative_to(root).as_posix(), field_map, given=False):
            anything = True
            yield item
    if not anything:  # most likely the wrong folder; say so rather than import nothing in silence
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        yield ImportProblem(root.name, "", f"no corpus files in this folder (supported: {supported})")


def _walk(folder: Path, root: Path, seen: set[Path]) -> Iterator[Path | ImportProblem]:
    """Files under `folder`, depth first, each level in code-point order of names so every run is the same."""
    try:
        real = folder.resolve()
        if real in seen:  # a symbolic link back up the tree
            return
        seen.add(real)
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop of symbolic links
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        yield ImportProblem(folder.relative_to(root).as_posix(), "", f"cannot list folder: {reason}")
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")) or _OWN_FILES.search(entry.name):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir():
                yield from _walk(path, root, seen)
            elif entry.is_file():
                yield path
        except OSError:
            continue  # vanished while we looked, or a dangling link: nothing to read


def _read_file(path: Path, source_file: str, field_map: FieldMap, *, given: bool) -> Iterator[Item]:
    reader = _READERS.get(path.suffix.lower())
    if reader is not None:
        yield from reader(path, source_file, field_map)
        return
    problem = _unsupported(path, source_file, given=given)
    if problem is not None:
        yield problem


def _unsupported(path: Path, source_file: str, *, given: bool) -> ImportProblem | None:
    suffix = path.suffix.lower()
    name = f"file type {suffix}" if suffix else "file without an extension"
    hint = _UNSUPPORTED_HINTS.get(suffix)
    if hint is None and not given and not _looks_like_text(path):
        return None
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    reason = f"unsupported {name}; {hint}" if hint else f"unsupported {name} (supported: {supported})"
    return ImportProblem(source_file, "", reason)


def _looks_like_text(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            sample = file.read(4096)
        detect_encoding(sample, path.name, complete=False)
    except (OSError, UndecodableError):
        return False
    return bool(sample.strip())


def _read_whole(path: Path, source_file: str) -> str | ImportProblem:
    try:
        data = path.read_bytes()
    except OSError as error:
        return ImportProblem(source_file, "", cannot_read(error))
    try:
        return decode_bytes(data, path.name)
    except UndecodableError as error:
        return ImportProblem(source_file, "", error.reason)


def _open_stream(path: Path, source_file: str) -> TextIO | ImportProblem:
    try:
        return open_text(path)
    except UndecodableError as error:
        return ImportProblem(source_file, "", error.reason)
    except OSError as error:
        return ImportProblem(source_file, "", cannot_read(error))


# --- plain text ----------------------------------------------------------------------------------------------


def read_txt(path: Path, source_file: str, field_map: FieldMap) -> Iterator[Item]:
    """One article per file, as scraped: the importer finds title, body and boilerplate in it."""
    text = _read_whole(path, source_file)
    if isinstance(text, ImportProblem):
        yield text
    elif not text.strip():
        yield ImportProblem(source_file, "", "empty text")
    else:
        yield RawRecord(text=text, source_file=source_file, external_id=path.stem, layout=Layout.SCRAPED)


# --- JSON Lines and JSON -------------------------------------------------------------------------------------


def _record_from_object(
    value: Any, field_map: FieldMap, source_file: str, location: str
) -> RawRecord | ImportProblem:
    if not isinstance(value, dict):
        return ImportProblem(source_file, location, f"expected a JSON object, found {_json_type(value)}")
    keys = [str(key) for key in value]
    found, _missing = field_map.resolve(keys)  # JSON objects may leave out optional keys
    if "text" not in found:
        return ImportProblem(source_file, location, no_text_reason(keys, what="field", mapped=field_map))
    return make_record(list(value.values()), keys, found, source_file=source_file, location=location)


def _json_type(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _json_reason(error: json.JSONDecodeError) -> str:
    return f"invalid JSON: {error.msg} (column {error.colno})"


def read_jsonl(path: Path, source_file: str, field_map: FieldMap) -> Iterator[Item]:
    """One JSON object per line, read line by line; blank lines are allowed."""
    stream = _open_stream(path, source_file)
    if isinstance(stream, ImportProblem):
        yield stream
        return
    with stream:
        number = 0
        try:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                location = f"line {number}"
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as error:
                    yield ImportProblem(source_file, location, _json_reason(error))
                    continue
                yield _record_from_object(value, field_map, source_file, location)
        except OSError as error:
            yield ImportProblem(source_file, f"line {number + 1}", cannot_read(error))


def read_json(path: Path, source_file: str, field_map: FieldMap) -> Iterator[Item]:
    """A JSON list of article objects, or one object; the list is parsed item by item, never held whole.

    Items are located as "item N"; a syntax error, after which nothing more can be trusted, as "line N".
    """
    stream = _open_stream(path, source_file)
    if isinstance(stream, ImportProblem):
        yield stream
        return
    with stream:
        values = _JsonValues(stream)
        try:
            if values.at_end():
                yield ImportProblem(source_file, "", "empty file")
                return
            for location, value in values.read():
                yield _record_from_object(value, field_map, source_file, location)
        except json.JSONDecodeError as error:
            yield ImportProblem(source_file, f"line {values.line_of(error)}", _json_reason(error))
        except OSError as error:
            yield ImportProblem(source_file, "", cannot_read(error))


_READERS: dict[str, _Reader] = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_delimited,
    ".tsv": read_delimited,
    ".xlsx": read_xlsx,
    ".html": read_html,
    ".htm": read_html,
}

SUPPORTED_EXTENSIONS = tuple(sorted(_READERS))
