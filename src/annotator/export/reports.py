"""What the exchange writers return and the exchange readers report, and the one error they raise.

Writers return an `ExportResult` (files written, counts, what had to be adjusted); readers return an
`ExchangeImportReport` whose `rejected` list names the file, line and reason for every label not taken,
in the same `ImportProblem` shape the corpus importer uses, so the CLI and the UI print both alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus.records import ImportProblem
from ..errors import AnnotatorError

ProgressCallback = Callable[[int, str], None]  # (documents or lines done, current document or file)
CancelCheck = Callable[[], bool]


class ExchangeError(AnnotatorError):
    """An exchange file cannot be written or read at all (single bad lines are reported, not raised)."""


class Cancelled(Exception):
    """Raised inside a writer when the cancel check fires; the partly written file is discarded."""


@dataclass
class ExportResult:
    paths: list[Path] = field(default_factory=list)
    documents: int = 0
    spans: int = 0
    document_codes: int = 0
    expanded: int = 0  # spans widened to whole tokens (WebAnno TSV, DocBin)
    skipped: list[str] = field(default_factory=list)  # labels that could not be written, with why
    warnings: list[str] = field(default_factory=list)  # written, but not as they are (e.g. cut to fit a cell)
    cancelled: bool = False

    def summary(self) -> str:
        if self.cancelled:
            return "cancelled; nothing was written"
        line = f"{self.documents} document(s), {self.spans} span label(s)"
        if self.document_codes:
            line += f", {self.document_codes} document code(s)"
        line += " written"
        if self.expanded:
            line += f"; {self.expanded} span(s) widened to whole tokens"
        if self.skipped:
            line += f"; {len(self.skipped)} skipped"
        if self.warnings:
            line += f"; {len(self.warnings)} written with a change (listed below)"
        return line


@dataclass
class ExchangeImportReport:
    files: int = 0
    spans: int = 0
    document_codes: int = 0
    unchanged: int = 0
    coders_created: list[str] = field(default_factory=list)
    documents_created: list[str] = field(default_factory=list)  # names of documents the files brought along
    unmapped: dict[str, int] = field(default_factory=dict)  # tag or code the codebook has no category for -> labels
    notes: list[str] = field(default_factory=list)  # what the reader decided on the user's behalf
    rejected: list[ImportProblem] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        line = (
            f"{self.spans} span label(s) and {self.document_codes} document code(s) imported; "
            f"{self.unchanged} already present; {len(self.rejected)} rejected"
        )
        if self.unmapped:
            tags = sorted(self.unmapped.items(), key=lambda item: (-item[1], item[0]))
            line += f"; {sum(self.unmapped.values())} not mapped to a category: " + ", ".join(
                f"{tag} ({count})" for tag, count in tags
            )
        if self.documents_created:
            line += f"; {len(self.documents_created)} new document(s)"
        if self.coders_created:
            line += f"; new coder(s): {', '.join(self.coders_created)}"
        if self.cancelled:
            line += " (cancelled before the end; everything counted here is stored)"
        return line


def coder_list(coders: str | Iterable[str] | None) -> list[str] | None:
    """Normalise the `coders` argument: None (everyone), one name, or several names."""
    if coders is None:
        return None
    if isinstance(coders, str):
        return [coders]
    names = list(dict.fromkeys(coders))
    if not names:
        raise ExchangeError("no coder given: pass None for every coder, or at least one name")
    return names


def cannot_write(path: Path, exc: OSError) -> ExchangeError:
    return ExchangeError(f"{path}: cannot write ({exc.strerror or exc}); check the folder exists and is writable")


def cannot_read(path: Path, exc: OSError) -> ExchangeError:
    return ExchangeError(f"{path}: cannot read ({exc.strerror or exc})")

