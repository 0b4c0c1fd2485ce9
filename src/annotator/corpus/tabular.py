"""Records from tables: which column (or JSON key) is which field, and the CSV/TSV and XLSX readers.

Column names are matched case-insensitively, ignoring spaces, hyphens and underscores, against English and
German aliases ("Überschrift", "Datum" …); the user's `column_map` wins over the aliases. A field filled from an
alias is named in a notice, once per file, since an alias can pick the wrong column ("content" for a teaser). A
column that no field claims ends up in the record's metadata under its own name.

The CSV reader holds one line at a time, at most `ArticleLimit.source_chars` long, so a file that is one
enormous line is refused by the line, not read into memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.corpus.encoding import UndecodableError, cannot_read, normalise_text, open_text
from annotator.corpus.limits import ArticleLimit
from annotator.corpus.records import ImportNotice, ImportProblem, Layout, RawRecord
from annotator.errors import CorpusError

FIELDS = ("id", "title", "text", "outlet", "url", "published")

# Tried in this order; the first present column wins, so "text" beats "body" when a table has both.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "external_id", "doc_id", "document_id"),
    "title": ("title", "headline", "titel", "überschrift", "ueberschrift", "schlagzeile"),
    "text": ("text", "body", "content", "article", "inhalt", "artikel", "artikeltext"),
    "outlet": ("source", "outlet", "medium", "quelle", "zeitung"),
    "url": ("url", "link"),
    "published": ("date", "published", "datum", "veröffentlicht", "veroeffentlicht"),
}

# Names a user may use for a field in a column map ("source=Quelle" and "outlet=Quelle" mean the same).
_FIELD_NAMES = {
    "id": "id",
    "external_id": "id",
    "title": "title",
    "text": "text",
    "source": "outlet",
    "outlet": "outlet",
    "url": "url",
    "date": "published",
    "published": "published",
}

# The names a field goes by in --column and in messages; columns named so are taken without a notice.
_SHOWN_AS = {"id": "id", "title": "title", "text": "text", "outlet": "source", "url": "url", "published": "date"}
_OWN_NAMES = {field: {name for name, target in _FIELD_NAMES.items() if target == field} for field in FIELDS}

_DELIMITERS = (",", ";", "\t")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFC", name).casefold())


class FieldMap:
    """Decides which column of a table, or key of a JSON object, holds which record field."""

    def __init__(self, column_map: Mapping[str, str] | None = None) -> None:
        self.overrides: dict[str, str] = {}
        for name, column in (column_map or {}).items():
            field = _FIELD_NAMES.get(name.strip().casefold())
            if field is None:
                raise CorpusError(
                    f"unknown field {name!r} in the column mapping; use one of: {', '.join(_FIELD_NAMES)}"
                )
            if not column.strip():
                raise CorpusError(f"no column name given for {name!r} in the column mapping")
            self.overrides[field] = column.strip()
        mapped = [_key(column) for column in self.overrides.values()]
        if len(set(mapped)) < len(mapped):
            raise CorpusError("the column mapping names the same column for two fields")
        self._cache: dict[tuple[str, ...], tuple[dict[str, int], list[str]]] = {}

    def resolve(self, columns: Sequence[str]) -> tuple[dict[str, int], list[str]]:
        """Return ({field: column index}, [overridden columns that are missing]) for these column names."""
        columns = tuple(columns)
        if columns not in self._cache:
            if len(self._cache) > 64:  # JSON objects of one file nearly always share their keys
                self._cache.clear()
            self._cache[columns] = self._resolve(columns)
        return self._cache[columns]

    def _resolve(self, columns: tuple[str, ...]) -> tuple[dict[str, int], list[str]]:
        index_by_key: dict[str, int] = {}
        for index, column in enumerate(columns):
            index_by_key.setdefault(_key(column), index)
        found: dict[str, int] = {}
        missing: list[str] = []
        for field, column in self.overrides.items():
            if _key(column) in index_by_key:
                found[field] = index_by_key[_key(column)]
            else:
                missing.append(column)
        taken = set(found.values()) | {_key(column) for column in self.overrides.values()}
        for field in FIELDS:
            if field in found or field in self.overrides:
                continue
            for alias in ALIASES[field]:
                index = index_by_key.get(_key(alias))
                if index is not None and index not in taken:
                    found[field] = index
                    taken.add(index)
                    break
        return found, missing

    def aliased(self, columns: Sequence[str], found: Mapping[str, int]) -> list[tuple[str, str]]:
        """(field, column) for each field found under a built-in alias rather than its own name or a mapping."""
        return [
            (_SHOWN_AS[field], columns[found[field]])
            for field in FIELDS
            if field in found and field not in self.overrides and _key(columns[found[field]]) not in _OWN_NAMES[field]
        ]

    def field_of(self, column: str) -> str:
        """The field a mapped column was given for."""
        return next(_SHOWN_AS[field] for field, mapped in self.overrides.items() if mapped == column)


class FieldNotices:
    """The notices of one file about how its columns or keys were read, each given once."""

    def __init__(self, field_map: FieldMap, source_file: str, what: str) -> None:
        self._field_map = field_map
        self._source_file = source_file
        self._what = what
        self._given: set[str] = set()
        self._checked: set[tuple[str, ...]] = set()  # objects of one file nearly always share their keys

    def check(
        self, columns: Sequence[str], found: Mapping[str, int], missing: Sequence[str] = (), location: str = ""
    ) -> Iterator[ImportNotice]:
        """A notice for the aliases these columns were read by, and one per mapped key they lack (JSON objects
        may leave out keys, so a key mapped with --column that an object lacks is no error)."""
        if tuple(columns) in self._checked or len(self._checked) > 64:
            return
        self._checked.add(tuple(columns))
        pairs = self._field_map.aliased(columns, found)
        if pairs:
            read = [f"{column!r} {'read as' if n == 0 else 'as'} {field}" for n, (field, column) in enumerate(pairs)]
            yield from self._once("", f"{self._what} {', '.join(read)} (built-in aliases; --column FIELD=NAME picks others)")
        for column in missing:
            field = self._field_map.field_of(column)
            message = f"no {self._what} {column!r} (mapped to {field}); this and later objects without it get no {field}"
            yield from self._once(location, message, key=column)

    def _once(self, location: str, message: str, key: str | None = None) -> Iterator[ImportNotice]:
        key = message if key is None else key
        if key not in self._given and len(self._given) < 100:  # objects of one file may vary their keys endlessly
            self._given.add(key)
            yield ImportNotice(self._source_file, location, message)


def no_text_reason(columns: Iterable[str], what: str = "column", mapped: FieldMap | None = None) -> str:
    """Why a table or object has no text, listing what it does have so the user can map the right one."""
    listed = ", ".join(repr(column) for column in columns) or "none"
    if mapped is not None and "text" in mapped.overrides:
        return f"no {what} {mapped.overrides['text']!r} (mapped to text); found {what}s: {listed}"
    return f"no text {what}; found {what}s: {listed}; map one with --column text=NAME"


def make_record(
    values: Sequence[Any],
    columns: Sequence[str],
    found: Mapping[str, int],
    *,
    source_file: str,
    location: str,
    layout: Layout = Layout.CLEAN,
) -> RawRecord | ImportProblem:
    """Build a record from one row (or object's values) whose fields sit at the indices in `found`.

    `found` must hold a "text" index; callers report a table or object without one themselves.
    """

    def problem(reason: str) -> ImportProblem:
        return ImportProblem(source_file, location, reason)

    raw_text = values[found["text"]] if found["text"] < len(values) else None
    if isinstance(raw_text, list) and all(isinstance(part, str) for part in raw_text):
        raw_text = "\n\n".join(raw_text)  # a JSON list of paragraphs
    if raw_text is not None and not isinstance(raw_text, str):
        return problem(f"the text in {columns[found['text']]!r} is a {type(raw_text).__name__}, not text")
    if raw_text is None or not raw_text.strip():
        return problem("empty text")

    fields = {field: scalar_text(values[index]) for field, index in found.items() if index < len(values)}
    claimed = set(found.values())
    metadata = {
        column: _metadata_value(values[index]) if index < len(values) else None
        for index, column in enumerate(columns)
        if index not in claimed
    }
    return RawRecord(
        text=normalise_text(raw_text),
        source_file=source_file,
        location=location,
        external_id=fields.get("id"),
        title=fields.get("title"),
        outlet=fields.get("outlet"),
        url=fields.get("url"),
        published=fields.get("published"),
        metadata=metadata,
        layout=layout,
    )


def scalar_text(value: Any) -> str | None:
    """A cell or JSON value as a field string: None for blanks, ISO 8601 for dates, "17" for 17.0."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
        return value.date().isoformat()  # spreadsheets store plain dates as midnight
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = normalise_text(str(value)).strip()
    return text or None


def _metadata_value(value: Any) -> Any:
    """Keep numbers and booleans as they are; dates become ISO strings so metadata stays JSON."""
    if isinstance(value, (dt.date, dt.time)):
        return scalar_text(value)
    if isinstance(value, str):
        return normalise_text(value) if value.strip() else None
    return value


def _column_names(header: Sequence[Any]) -> list[str]:
    """Header cells as names; blank ones become "column N" and repeated ones "Name (2)"."""
    names: list[str] = []
    seen: set[str] = set()
    for number, cell in enumerate(header, start=1):
        name = scalar_text(cell) or f"column {number}"
        unique, copy = name, 1
        while unique in seen:
            copy += 1
            unique = f"{name} ({copy})"
        seen.add(unique)
        names.append(unique)
    return names


def _is_blank(row: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


# A row with where it stands ("row 4", "row 4 (lines 5–7)"), or a problem met while reading rows.
_Row = tuple[str, Sequence[Any]] | ImportProblem
Item = RawRecord | ImportProblem | ImportNotice


def rows_to_records(rows: Iterator[_Row], field_map: FieldMap, source_file: str) -> Iterator[Item]:
    """Shared by CSV and XLSX: the first non-blank row is the header, every later non-blank row a record."""
    columns: list[str] | None = None
    found: dict[str, int] = {}
    for item in rows:
        if isinstance(item, ImportProblem):
            yield item
            continue
        location, row = item
        if _is_blank(row):
            continue  # spreadsheet exports end in rows of empty cells
        if columns is None:
            columns = _column_names(row)
            found, missing = field_map.resolve(columns)
            # A mapped column the table lacks is a typo to fix, not a field to leave empty in every record.
            if missing:
                wanted = ", ".join(repr(column) for column in missing)
                listed = ", ".join(repr(column) for column in columns)
                reason = f"mapped column {wanted} not found; found columns: {listed}"
                yield ImportProblem(source_file, location, reason)
                return
            if "text" not in found:
                yield ImportProblem(source_file, location, no_text_reason(columns))
                return
            yield from FieldNotices(field_map, source_file, "column").check(columns, found)
            continue
        if len(row) > len(columns):  # cells beyond the header keep their position as a name
            columns = columns + [f"column {n}" for n in range(len(columns) + 1, len(row) + 1)]
        yield make_record(row, columns, found, source_file=source_file, location=location)
    if columns is None:
        yield ImportProblem(source_file, "", "empty table: no header row")


# --- CSV / TSV ---------------------------------------------------------------------------------------------


def read_delimited(path: Path, source_file: str, field_map: FieldMap, limit: ArticleLimit) -> Iterator[Item]:
    """Stream a CSV or TSV file; the header is row 1 and a row is a record, however many lines it spans."""
    try:
        stream = open_text(path, newline="")  # the csv module handles line ends inside quoted cells itself
    except UndecodableError as error:
        yield ImportProblem(source_file, "", error.reason)
        return
    except OSError as error:
        yield ImportProblem(source_file, "", cannot_read(error))
        return
    with stream:
        try:
            delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(stream.read(64 * 1024))
            stream.seek(0)
        except OSError as error:
            yield ImportProblem(source_file, "", cannot_read(error))
            return
        yield from rows_to_records(_csv_rows(stream, delimiter, source_file, limit), field_map, source_file)


class _LineTooLong(Exception):
    pass


class _BoundedLines:
    """The lines of a text stream, each read with a bound; a longer line is skipped and raises `_LineTooLong`.

    An iterator object rather than a generator, so that it goes on after the exception: the csv reader passes
    the exception up and starts afresh at the next line when asked for the next row.
    """

    def __init__(self, stream: io.TextIOBase, limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self.number = 0  # lines read so far, skipped ones included

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._stream.readline(self._limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self._limit and not line.endswith(("\n", "\r")):
            while (rest := self._stream.readline(1024 * 1024)) and not rest.endswith(("\n", "\r")):
                pass
            raise _LineTooLong
        return line


def _csv_rows(stream: io.TextIOBase, delimiter: str, source_file: str, limit: ArticleLimit) -> Iterator[_Row]:
    """Rows located by their number, the header being row 1, and by the lines of the file they span."""
    lines = _BoundedLines(stream, limit.source_chars)
    reader = csv.reader(lines, delimiter=delimiter)
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(max(previous_limit, limit.source_chars))  # a cell may hold a whole article
    number = 0
    try:
        while True:
            number += 1
            first_line = lines.number + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except _LineTooLong:
                location = _row_location(number, first_line, lines.number)
                yield ImportProblem(source_file, location, limit.source_too_long("a line"))
                continue
            except csv.Error as error:
                # The reader drops only the broken record and goes on with the next line.
                location = _row_location(number, first_line, lines.number)
                reason = f"malformed CSV row: {error}"
                if str(error).startswith("field larger than field limit"):
                    reason = limit.source_too_long("a cell") + " (or a quote that is never closed)"
                yield ImportProblem(source_file, location, reason)
                continue
            except OSError as error:
                yield ImportProblem(source_file, _row_location(number, first_line, lines.number), cannot_read(error))
                return
            yield _row_location(number, first_line, lines.number), row
    finally:
        csv.field_size_limit(previous_limit)


def _row_location(number: int, first_line: int, last_line: int) -> str:
    """"row 6 (line 7)": a quoted cell with line breaks makes a row span lines, so the two numbers differ."""
    lines = f"line {first_line}" if last_line <= first_line else f"lines {first_line}–{last_line}"
    return f"row {number} ({lines})"


def sniff_delimiter(sample: str) -> str:
    """Pick `,`, `;` or tab: the one that splits the header into most columns and the rows into as many.

    German Excel writes `;` because `,` is the decimal mark; texts themselves are full of commas, so counting
    characters alone would mislead, while parsing with each candidate respects quoted cells.
    """
    lines = sample.splitlines(keepends=True)
    if len(sample) >= 64 * 1024 and len(lines) > 1:
        lines = lines[:-1]  # the sample may end inside a row
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in _DELIMITERS:
        try:
            rows = [row for row in csv.reader(lines, delimiter=delimiter) if row][:50]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(len(row) == width for row in rows) / len(rows)
        score = (width > 1, consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
