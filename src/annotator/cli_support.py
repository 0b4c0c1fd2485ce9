"""What every command-line module shares: exit codes, a progress counter, problem lists."""

from __future__ import annotations

import sys
import time
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


def print_problems(title: str, problems, limit: int = 50) -> None:
    if not problems:
        return
    print(f"{title}:")
    for p in problems[:limit]:
        print(f"  {p}")
    if len(problems) > limit:
        print(f"  … and {len(problems) - limit} more")


