"""What every command-line module shares: exit codes, a progress counter, problem lists."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from .errors import AnnotatorError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class Progress:
    """A one-line progress counter on stderr (silent when quiet or not a terminal)."""

    def __init__(self, label: str, quiet: bool = False) -> None:
        self.label = label
        self.enabled = not quiet and sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, done: int, current: str = "") -> None:
        now = time.monotonic()
        if self.enabled and now - self._last > 0.1:
            self._last = now
            sys.stderr.write(f"\r{self.label}: {done} record(s) … {current[-50:]:<50}")
            sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 80 + "\r")
            sys.stderr.flush()


def parse_column_map(pairs: Sequence[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field or not column:
            raise AnnotatorError(f"--column expects FIELD=COLUMN (e.g. text=Artikeltext), got {pair!r}")
        if field not in ("id", "title", "text", "source", "url", "date"):
            raise AnnotatorError(f"--column: unknown field {field!r}; use id, title, text, source, url or date")
        mapping[field] = column
    return mapping


def positive_int(value: str) -> int:
    """An argparse type: a whole number above zero (thousands may be written 2_000_000)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number above zero, got {value}")
    return number


def print_problems(title: str, problems, limit: int = 50) -> None:
    if not problems:
        return
    print(f"{title}:")
    for p in problems[:limit]:
        print(f"  {p}")
    if len(problems) > limit:
        print(f"  … and {len(problems) - limit} more")


def import_report_lines(source: str, report, *, every: bool, limit: int = 50, rest: str = "") -> list[str]:
    """What `annotator import` says about one path: its summary, then rejected, warnings and notices (and the
    duplicates, when `every`), each list cut at `limit` entries unless `every`."""
    lines = [f"{source}: {report.summary()}"]
    sections = [("rejected", report.rejected), ("warnings", report.warnings), ("notices", report.notices)]
    for title, entries in sections + ([("duplicates", report.duplicates)] if every else []):
        if entries:
            lines.append(f"{title}:")
            shown = entries if every else entries[:limit]
            lines.extend(f"  {entry}" for entry in shown)
            if len(entries) > len(shown):
                lines.append(f"  … and {len(entries) - len(shown)} more" + (f" {rest}" if rest else ""))
    return lines


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write a whole file or nothing (see export/atomic.py)."""
    from .export.atomic import atomic_output

    target = Path(path)
    try:
        with atomic_output(target) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AnnotatorError(f"{target}: cannot write the report ({exc.strerror or exc})") from exc
