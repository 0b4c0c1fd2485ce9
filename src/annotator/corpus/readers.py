"""Read a corpus file or folder as a stream of raw articles and of problems, one format reader per extension.

Everything here is a generator: a folder of a million files or a JSONL file of ten gigabytes is read one article
at a time. A broken file or line never stops the stream; it becomes an `ImportProblem` naming the file (relative
to the folder the user gave), the line or row, and the reason.

Files in a folder that are not a corpus format are skipped without a word when they are not text (images,
archives, spreadsheets in other formats); text files with another extension (.md, .text) and documents people
expect to work (.pdf, .docx) are reported, so nobody wonders where an article went. README and Markdown notes
and label files are skipped with a notice. A file given directly is always reported when its type is not
supported, and so is a folder that holds no corpus file at all.

No input stops the stream: a file name that is not UTF-8 is shown with its undecodable bytes escaped
(`B\xfcrger.txt`), an article over the size limit is refused by its file's size before it is read, and a reader
that fails in a way nobody foresaw costs only its own file.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.corpus.encoding import UndecodableError, cannot_read, decode_bytes, detect_encoding
from annotator.corpus.html_reader import read_html
from annotator.corpus.json_reader import read_json, read_jsonl
from annotator.corpus.limits import DEFAULT_MAX_ARTICLE_CHARS, ArticleLimit
from annotator.corpus.records import ImportNotice, ImportProblem, Layout, RawRecord
from annotator.corpus.tabular import FieldMap, Item, read_delimited
from annotator.corpus.xlsx_reader import read_xlsx
from annotator.errors import CorpusError

__all__ = ["SUPPORTED_EXTENSIONS", "decode_bytes", "iter_corpus", "readable_name"]

_Reader = Callable[[Path, str, FieldMap, ArticleLimit], Iterator[Item]]

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

# SQLite files and their sidecars: a project database often sits next to its corpus.
_DATABASE_FILES = re.compile(r"\.db(-wal|-shm|-journal)?$", re.IGNORECASE)
# Label files and a folder's README and notes travel with corpora too, but are not articles.
_LABEL_FILES = re.compile(r"\.annotations\.jsonl$", re.IGNORECASE)
_NOTES = re.compile(r"(^readme(\.\w+)?|\.md)$", re.IGNORECASE)


def iter_corpus(
    path: str | Path, *, column_map: dict[str, str] | None = None, max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
) -> Iterator[Item]:
    """Yield a `RawRecord` per article, an `ImportProblem` per thing that could not be read and an
    `ImportNotice` per thing worth knowing (a skipped note, a column read by its alias), in a fixed order.

    `path` is a file or a folder (searched recursively in name order; hidden files, Excel lock files and
    SQLite databases skipped). `column_map` maps fields (id, title, text, source/outlet, url, date/published)
    to the column or JSON key that holds them, over the built-in aliases, e.g. {"text": "Artikeltext"}.
    `max_article_chars` bounds what a reader holds: a .txt or .html file too large for an article within it is
    refused unread, and so is a JSON item or a CSV/JSONL line far longer (the importer checks the exact text).

    Raises `CorpusError` at once, before anything is read, if `path` does not exist, `column_map` names an
    unknown field or `max_article_chars` is not positive.
    """
    root = Path(path)
    field_map = FieldMap(column_map)
    try:
        limit = ArticleLimit(max_article_chars)
    except ValueError as error:
        raise CorpusError(str(error)) from None
    if root.is_dir():
        return _iter_folder(root, field_map, limit)
    if root.is_file():
        return _read_named(root, root.name, field_map, limit, given=True)
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


def readable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (a zip made on Windows) escaped as \\xNN.

    Python gives such bytes as lone surrogates, which no text file, terminal or database accepts.
    """
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def _iter_folder(root: Path, field_map: FieldMap, limit: ArticleLimit) -> Iterator[Item]:
    anything = False
    patterns = _ignore_patterns(root)
    for file in _walk(root, root, seen=set()):
        if isinstance(file, ImportNotice):
            if not (patterns and _ignored(file.source_file, patterns)):
                yield file
            continue
        if isinstance(file, ImportProblem):
            anything = True
            yield file
            continue
        relative = file.relative_to(root).as_posix()
        if patterns and _ignored(relative, patterns):
            continue
        for item in _read_named(file, relative, field_map, limit, given=False):
            anything = True
            yield item
    if not anything:  # most likely the wrong folder; say so rather than import nothing in silence
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        yield ImportProblem(readable_name(root.name), "", f"no corpus files in this folder (supported: {supported})")


def _walk(folder: Path, root: Path, seen: set[Path]) -> Iterator[Path | ImportProblem | ImportNotice]:
    """Files under `folder`, depth first, each level in code-point order of names so every run is the same."""
    try:
        real = folder.resolve()
        if real in seen:  # a symbolic link back up the tree
            return
        seen.add(real)
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop of symbolic links
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        yield ImportProblem(readable_name(folder.relative_to(root).as_posix()), "", f"cannot list folder: {reason}")
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")) or _DATABASE_FILES.search(entry.name):
            continue
        path = Path(entry.path)
        skipped = _skipped_as_not_articles(entry.name)
        try:
            if skipped is not None:
                if entry.is_file():
                    yield ImportNotice(readable_name(path.relative_to(root).as_posix()), "", skipped)
            elif entry.is_dir():
                yield from _walk(path, root, seen)
            elif entry.is_file():
                yield path
        except OSError:
            continue  # vanished while we looked, or a dangling link: nothing to read


def _read_named(path: Path, name: str, field_map: FieldMap, limit: ArticleLimit, *, given: bool) -> Iterator[Item]:
    shown = readable_name(name)
    if shown != name:
        yield ImportNotice(shown, "", "the file name is not valid UTF-8; shown and stored with its bytes escaped")
    yield from _read_file(path, shown, field_map, limit, given=given)


def _skipped_as_not_articles(name: str) -> str | None:
    if _LABEL_FILES.search(name):
        return "a label file, not articles; skipped (annotator import-labels reads it)"
    if _NOTES.search(name):
        return "a note, not an article; skipped"
    return None


def _read_file(path: Path, source_file: str, field_map: FieldMap, limit: ArticleLimit, *, given: bool) -> Iterator[Item]:
    reader = _READERS.get(path.suffix.lower())
    if reader is not None:
        try:
            yield from reader(path, source_file, field_map, limit)
        except Exception as error:  # noqa: BLE001 - a reader's unforeseen failure must not end the import
            yield ImportProblem(source_file, "", f"could not be read ({type(error).__name__}: {error})")
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


def _read_whole(path: Path, source_file: str, limit: ArticleLimit) -> str | ImportProblem:
    try:
        # A file too large to hold an article within the limit is refused by its size, not read first.
        too_large = limit.file_too_large(path.stat().st_size, limit.file_bytes)
        if too_large is not None:
            return ImportProblem(source_file, "", too_large)
        data = path.read_bytes()
    except OSError as error:
        return ImportProblem(source_file, "", cannot_read(error))
    try:
        return decode_bytes(data, path.name)
    except UndecodableError as error:
        return ImportProblem(source_file, "", error.reason)


# --- plain text ----------------------------------------------------------------------------------------------


def read_txt(path: Path, source_file: str, field_map: FieldMap, limit: ArticleLimit) -> Iterator[Item]:
    """One article per file, as scraped: the importer finds title, body and boilerplate in it."""
    text = _read_whole(path, source_file, limit)
    if isinstance(text, ImportProblem):
        yield text
    elif not text.strip():
        yield ImportProblem(source_file, "", "empty text")
    else:
        yield RawRecord(text=text, source_file=source_file, external_id=Path(source_file).stem, layout=Layout.SCRAPED)


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
