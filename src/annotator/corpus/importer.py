"""Turn raw records into documents ready to store: normalised text, hash, zones, metadata; and run an import.

This module knows nothing about the database: `run_import` hands batches to the store function the project
gives it. One bad record never stops the others: what cannot be read, prepared or stored is reported by file
and place, and the rest lands.

Two articles are the same when their text without the title is the same (`body_key`): an agency text under
two headlines is one article. The key is computed from the stored text and title, never stored itself, so
existing projects need no upgrade; `DocumentRow.sha256` stays the hash of the whole stored text, which label
files, WebAnno file names and merges match documents by, since label offsets refer to that text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Callable

from ..domain import Zone, ZoneKind
from ..errors import AnnotatorError
from .language import guess_language
from .limits import ArticleLimit
from .normalise import normalise_inline, normalise_text, text_sha256
from .records import ImportNotice, ImportProblem, Layout, RawRecord
from .structure import looks_like_scraped_page, parse_clean, parse_page

ProgressCallback = Callable[[int, str], None]  # (records seen so far, current file)
CancelCheck = Callable[[], bool]
_SURROGATE = re.compile("[\ud800-\udfff]")


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
    body_key: bytes = b""  # see `body_key`; empty: match by the whole text only


@dataclass
class ImportReport:
    """What an import did, for the CLI summary and the UI dialog."""

    new: int = 0
    duplicate: int = 0
    rejected: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    duplicates: list[ImportProblem] = field(default_factory=list)  # where each duplicate came from
    notices: list[ImportNotice] = field(default_factory=list)  # skipped notes, columns read by alias …
    new_document_ids: list[int] = field(default_factory=list)
    cancelled: bool = False

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    def summary(self) -> str:
        line = f"{self.new} new, {self.duplicate} duplicate, {self.rejected_count} rejected"
        if self.warnings:
            line += f", {len(self.warnings)} warning(s)"
        if self.notices:
            line += f", {len(self.notices)} notice(s)"
        if self.cancelled:
            line += " (cancelled before the end; everything counted here is stored)"
        return line


def prepare(record: RawRecord, limit: ArticleLimit = ArticleLimit()) -> PreparedDocument | ImportProblem:
    """Normalise one record and recognise its structure; refuse it if its text is over `limit` or unreadable."""
    too_long = limit.text_too_long(len(record.text or ""))
    if too_long is not None:
        return ImportProblem(record.source_file, record.location, too_long)
    body = normalise_text(record.text or "")
    if not body:
        return ImportProblem(record.source_file, record.location, "empty text")
    if not any(char.isalnum() for char in body):
        # A damaged file decodes to replacement characters: three bytes of UTF-16 are one "\ufffd" article.
        what = "only undecodable bytes, a damaged or cut-off file?" if "\ufffd" in body else "no letters or digits"
        return ImportProblem(record.source_file, record.location, f"no readable text ({what})")
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
        body_key=body_key(text, title),
    )


def body_key(text: str, title: str | None) -> bytes:
    """The duplicate key of a stored text: the hash of the text without its title line.

    The title is the first line of a clean text, or the scraped page's headline line; a text that is nothing
    but its title is its own key.
    """
    body = text
    if title:
        first_line, _, rest = text.partition("\n")
        if normalise_inline(first_line) == title:
            body = rest
        else:
            at = _title_line(text, title)
            if at >= 0:
                body = text[:at] + text[at + len(title) + 1 :]
        body = body.strip() or text
    return hashlib.sha256(body.encode("utf-8")).digest()


def _title_line(text: str, title: str) -> int:
    """Where the line that is exactly `title` starts, or -1."""
    at = text.find(title)
    while at >= 0:
        end = at + len(title)
        if (at == 0 or text[at - 1] == "\n") and (end == len(text) or text[end] == "\n"):
            return at
        at = text.find(title, at + 1)
    return -1


StoreBatch = Callable[[list[PreparedDocument], ImportReport], None]


def run_import(
    items: Iterable[RawRecord | ImportProblem | ImportNotice],
    store: StoreBatch,
    *,
    known_bodies: Callable[[], set[bytes]],
    limit: ArticleLimit = ArticleLimit(),
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    batch_size: int = 200,
) -> ImportReport:
    """Prepare what `items` (from `iter_corpus`) holds and store it batch by batch.

    `store` writes one batch in one transaction and counts it in the report: new documents, and duplicates of
    a stored text. `known_bodies` returns the body keys of the documents stored before; it is called once,
    when the first article is ready. An article with the same body key as one stored or met before is a
    duplicate. A batch the store refuses is stored again article by article, so only the article at fault is
    rejected; an `AnnotatorError` from the store (the project itself failing) ends the import.
    """
    report = ImportReport()
    bodies: set[bytes] | None = None
    batch: list[PreparedDocument] = []
    seen = 0
    for item in items:
        if cancel is not None and cancel():
            report.cancelled = True
            break
        seen += 1
        if isinstance(item, ImportNotice):
            report.notices.append(item)
        elif isinstance(item, ImportProblem):
            report.rejected.append(item)
        elif (prepared := _prepare_safely(item, limit, report)) is not None:
            if bodies is None:
                bodies = known_bodies()
            if prepared.body_key in bodies:
                report.duplicate += 1
                reason = "same article text already in the project"
                report.duplicates.append(ImportProblem(prepared.source_file, prepared.location, reason))
            else:
                bodies.add(prepared.body_key)
                batch.append(prepared)
                if len(batch) >= batch_size:
                    _store(batch, store, report, bodies)
                    batch = []
        if progress is not None:
            progress(seen, getattr(item, "source_file", ""))
    if batch and bodies is not None:
        _store(batch, store, report, bodies)
    return report


def _prepare_safely(record: RawRecord, limit: ArticleLimit, report: ImportReport) -> PreparedDocument | None:
    try:
        record, replaced = _without_surrogates(record)
        prepared = prepare(record, limit)
    except Exception as error:  # noqa: BLE001 - an input nobody foresaw costs its own article, not the import
        reason = f"could not be prepared ({type(error).__name__}: {error})"
        report.rejected.append(ImportProblem(record.source_file, record.location, reason))
        return None
    if isinstance(prepared, ImportProblem):
        report.rejected.append(prepared)
        return None
    if replaced:
        reason = "invalid character escapes (halves of a UTF-16 surrogate pair, like \\ud800) replaced by \ufffd"
        report.warnings.append(ImportProblem(record.source_file, record.location, reason))
    return prepared


def _without_surrogates(record: RawRecord) -> tuple[RawRecord, bool]:
    """The record with lone surrogates replaced: JSON can escape them ("\\ud800"), but no text encoding can
    store them, so they would fail the whole batch at the database."""
    replaced = False

    def clean(value: Any) -> Any:
        nonlocal replaced
        if isinstance(value, str):
            if _SURROGATE.search(value) is None:
                return value
            replaced = True
            return _SURROGATE.sub("\ufffd", value)
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {clean(key): clean(item) for key, item in value.items()}
        return value

    names = ("text", "title", "outlet", "url", "published", "external_id", "metadata")
    cleaned = {name: clean(getattr(record, name)) for name in names}
    return (replace(record, **cleaned), True) if replaced else (record, False)


def _store(batch: list[PreparedDocument], store: StoreBatch, report: ImportReport, bodies: set[bytes]) -> None:
    try:
        store(batch, report)
        return
    except AnnotatorError:
        raise
    except Exception:  # noqa: BLE001 - find the article at fault; the others still land
        pass
    for document in batch:
        try:
            store([document], report)
        except AnnotatorError:
            raise
        except Exception as error:  # noqa: BLE001 - see above
            bodies.discard(document.body_key)
            reason = f"could not be stored ({type(error).__name__}: {error})"
            report.rejected.append(ImportProblem(document.source_file, document.location, reason))


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
