"""What readers yield: raw articles and problems, before normalisation and storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Layout(str, Enum):
    """How a record's text is shaped, which decides how its structure is parsed."""

    CLEAN = "clean"  # title + paragraphs (JSONL, CSV, XLSX, extracted HTML)
    SCRAPED = "scraped"  # a whole news page as copied/scraped text (usually .txt)


@dataclass
class RawRecord:
    """One article as read from a file; text not yet normalised."""

    text: str
    source_file: str
    location: str = ""  # "line 12", "row 4 (line 5)", "item 3", "" for a whole file
    external_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # as given; the importer parses it
    metadata: dict[str, Any] = field(default_factory=dict)
    layout: Layout = Layout.CLEAN


def describe_place(source_file: str, location: str) -> str:
    """"a.jsonl:3" for a line, as editors and compilers write it; "export.csv: row 6 (line 7)" and
    "list.json: item 4" otherwise, so that a row or an item is never read as a line number."""
    if not location:
        return source_file
    kind, _, number = location.partition(" ")
    if kind == "line" and number.isdigit():
        return f"{source_file}:{number}"
    return f"{source_file}: {location}"


@dataclass(frozen=True)
class ImportProblem:
    """A record or file that could not be imported, with where and why."""

    source_file: str
    location: str  # "line 3", "row 7 (line 9)", "item 4", "" for the whole file
    reason: str

    def __str__(self) -> str:
        return f"{describe_place(self.source_file, self.location)}: {self.reason}"


@dataclass(frozen=True)
class ImportNotice:
    """Something the user should know about an import that is not an error: a file skipped as a note, a column
    taken for a field by its alias, a file name shown with escapes."""

    source_file: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{describe_place(self.source_file, self.location)}: {self.message}"
