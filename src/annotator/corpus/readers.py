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
    normalise_text,
    open_text,
)
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
            yield from values.read(field_map, source_file)
        except json.JSONDecodeError as error:
            yield ImportProblem(source_file, f"line {values.line_of(error)}", _json_reason(error))
        except OSError as error:
            yield ImportProblem(source_file, "", cannot_read(error))


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

    def read(self, field_map: FieldMap, source_file: str) -> Iterator[Item]:
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
                yield _record_from_object(value, field_map, source_file, f"item {number}")
                char = self._next_char()
                if char == "]":
                    return
                if char != ",":
                    raise self._error("Expecting ',' delimiter")
                self._pos += 1
        elif first is None:
            yield ImportProblem(source_file, "", "empty file")
        else:
            value = self._decode_value()
            if self._next_char() is not None:
                raise self._error("Extra data after the first object; one object per line belongs in .jsonl")
            yield _record_from_object(value, field_map, source_file, "")

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


# --- HTML ----------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
# The HTML standard decodes pages labelled latin-1 or ASCII as windows-1252, and so do browsers.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}

# Never article text, whatever the page layout. An article's own <header> holds its headline, so page
# headers and footers are dropped only outside <article>.
# (Not <form>: some content systems wrap the whole page in one.)
_NON_CONTENT = " | ".join(
    [f"//{tag}" for tag in ("script", "style", "noscript", "template", "nav", "aside")]
    + [f"//{tag}[not(ancestor::article)]" for tag in ("header", "footer")]
)

_BLOCK_TAGS = (
    *("p", "div", "section", "header", "footer", "blockquote", "figcaption", "pre", "li", "tr", "br"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
)
_SHORT_EXTRACTION = 250  # characters; trafilatura's own threshold for trusting its main extractor
_BREAK = "\u2029"  # Unicode's paragraph separator, which web pages practically never contain


def read_html(path: Path, source_file: str, field_map: FieldMap) -> Iterator[Item]:
    """A saved web page: the article's main text, with title, date and address from the page metadata."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield ImportProblem(source_file, "", cannot_read(error))
        return
    try:
        page = _decode_html(data, path.name)
    except UndecodableError as error:
        yield ImportProblem(source_file, "", error.reason)
        return
    if not page.strip():
        yield ImportProblem(source_file, "", "empty file")
        return
    extracted = _extract_article(page)
    if extracted is None:
        yield ImportProblem(source_file, "", "no article text found in the HTML page")
        return
    metadata = {key: value for key, value in extracted.items() if key in ("author", "description") and value}
    yield RawRecord(
        text=normalise_text(extracted["text"]),
        source_file=source_file,
        external_id=path.stem,
        title=extracted.get("title") or None,
        outlet=extracted.get("sitename") or None,
        url=extracted.get("url") or None,
        published=extracted.get("date") or None,
        metadata=metadata,
        layout=Layout.CLEAN,
    )


def _extract_article(page: str) -> dict[str, str] | None:
    """Trafilatura's extraction, checked and completed by a plain one.

    On a page without an article trafilatura falls back to the whole body and returns menu entries as text;
    when its result is that short, it counts only if something is left outside navigation, header and footer.
    """
    main = _extract_with_trafilatura(page)
    if main is not None and len(main["text"]) >= _SHORT_EXTRACTION:
        return main
    plain = _extract_with_lxml(page)
    if plain is None or not plain["text"]:
        return None
    return main or plain


def _decode_html(data: bytes, filename: str) -> str:
    """Trust a page's own charset declaration when its bytes agree with it; guess otherwise."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name.startswith(("utf-16", "utf-32")):  # the label was readable as ASCII, so it is wrong
            return decode_bytes(data, filename)
        try:
            return normalise_text(data.decode(_CHARSET_ALIASES.get(name, name)))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, filename)


def _extract_with_trafilatura(page: str) -> dict[str, str] | None:
    import trafilatura  # slow to import; only HTML needs it

    document = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=True, as_dict=False
    )
    if document is None or not (document.text or "").strip():
        return None
    fields = ("text", "title", "date", "url", "sitename", "author", "description")
    return {name: getattr(document, name) or "" for name in fields}


def _extract_with_lxml(page: str) -> dict[str, str] | None:
    """Plain text of <article>, <main> or <body> without navigation: for pages too small for trafilatura."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(page)
    except (ParserError, ValueError):
        return None
    title = _first_text(tree, '//meta[@property="og:title"]/@content', "//h1", "//title")
    for element in tree.xpath(_NON_CONTENT):
        element.drop_tree()
    container = next(iter(tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")), None)
    if container is None:
        return None
    # Line breaks in HTML source are mere spaces; block boundaries are the real ones, so mark those.
    for block in container.iter(*_BLOCK_TAGS):
        block.text = _BREAK + (block.text or "")
        block.tail = _BREAK + (block.tail or "")
    lines = (" ".join(line.split()) for line in container.text_content().split(_BREAK))
    return {"text": "\n".join(line for line in lines if line), "title": title}


def _first_text(tree: Any, *xpaths: str) -> str:
    for xpath in xpaths:
        for found in tree.xpath(xpath):
            text = " ".join((found if isinstance(found, str) else found.text_content()).split())
            if text:
                return text
    return ""


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
