"""Turn raw records into documents ready to store: normalised text, hash, zones, metadata.

This module knows nothing about the database; `Project.import_corpus` batches what it prepares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from ..domain import Zone, ZoneKind
from .language import guess_language
from .normalise import normalise_inline, normalise_text, text_sha256
from .records import ImportProblem, Layout, RawRecord
from .structure import looks_like_scraped_page, parse_clean, parse_page

ProgressCallback = Callable[[int, str], None]  # (records seen so far, current file)
CancelCheck = Callable[[], bool]


@dataclass
class PreparedDocument:
    text: str
    sha256: str
    zones: list[Zone]
    layout: str
    source_file: str
    location: str
    external_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    language: str | None = None


@dataclass
class ImportReport:
    """What an import did, for the CLI summary and the UI dialog."""

    new: int = 0
    duplicate: int = 0
    rejected: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    duplicates: list[ImportProblem] = field(default_factory=list)  # where each duplicate came from
    new_document_ids: list[int] = field(default_factory=list)
    cancelled: bool = False

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    def summary(self) -> str:
        line = f"{self.new} new, {self.duplicate} duplicate, {self.rejected_count} rejected"
        if self.warnings:
            line += f", {len(self.warnings)} warning(s)"
        if self.cancelled:
            line += " (cancelled before the end; everything counted here is stored)"
        return line


def prepare(record: RawRecord) -> PreparedDocument | ImportProblem:
    """Normalise one record and recognise its structure."""
    body = normalise_text(record.text or "")
    if not body:
        return ImportProblem(record.source_file, record.location, "empty text")
    title = normalise_inline(record.title)
    layout = record.layout
    if layout is Layout.SCRAPED and not looks_like_scraped_page(body):
        layout = Layout.CLEAN
        if title is None:
            # A plain text file: its first line is the title and stays in the text as the headline.
            first_line = body.split("\n", 1)[0]
            title = normalise_inline(first_line)
            text, has_title = body, True
        else:
            text, has_title = _with_title(title, body)
    elif layout is Layout.SCRAPED:
        text, has_title = body, False
    else:
        text, has_title = _with_title(title, body) if title else (body, False)

    zones = parse_page(text) if layout is Layout.SCRAPED else parse_clean(text, has_title=has_title)
    if layout is Layout.SCRAPED and title is None:
        title = next((text[z.start : z.end] for z in zones if z.kind is ZoneKind.HEADLINE), None)
    language = guess_language(text)
    return PreparedDocument(
        text=text,
        sha256=text_sha256(text),
        zones=zones,
        layout=layout.value,
        source_file=record.source_file,
        location=record.location,
        external_id=normalise_inline(record.external_id),
        title=title,
        outlet=normalise_inline(record.outlet),
        url=normalise_inline(record.url),
        published=parse_published(record.published),
        extra=dict(record.metadata),
        language=language,
    )


def language_warning(doc: PreparedDocument, expected: str = "de") -> ImportProblem | None:
    if doc.language is not None and doc.language != expected:
        return ImportProblem(
            doc.source_file, doc.location, f"looks like '{doc.language}', not '{expected}': imported, but check it belongs"
        )
    return None


def _with_title(title: str, body: str) -> tuple[str, bool]:
    """Stored text starts with the title as its own paragraph, unless the body already does."""
    if body.startswith(title):
        return body, True
    return f"{title}\n\n{body}", True


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def parse_published(value: Any) -> str | None:
    """ISO date (or datetime) when recognisable; the original string otherwise; None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed.date().isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else parsed.isoformat(timespec="minutes")
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text[:40]
