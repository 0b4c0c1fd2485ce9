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
    location: str = ""  # "line 12", "row 4", "" for a whole file
    external_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # as given; the importer parses it
    metadata: dict[str, Any] = field(default_factory=dict)
    layout: Layout = Layout.CLEAN


@dataclass(frozen=True)
class ImportProblem:
    """A record or file that could not be imported, with where and why."""

    source_file: str
    location: str  # "line 3", "row 7", "" for the whole file
    reason: str

    def __str__(self) -> str:
        where = f"{self.source_file}:{self.location.split()[-1]}" if self.location else self.source_file
        return f"{where}: {self.reason}"
