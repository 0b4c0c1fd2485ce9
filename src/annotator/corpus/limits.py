"""How large one article may be, and how much of a file a reader may hold to find that out.

The limit keeps memory bounded whatever a corpus holds: a scraper that wrote a whole site into one line, a
minified JSON dump, a spreadsheet that unpacks to gigabytes. Readers refuse what is certainly too large before
reading it (a .txt file by its size in bytes, a JSON item or a CSV/JSONL line by its length in characters) and
the importer checks every article's text against the exact limit.
"""

from __future__ import annotations

from dataclasses import dataclass

# About 1,000 printed pages; the longest news features run to a few hundred thousand characters. spaCy's own
# limit of 1,000,000 characters per text is the suggester's concern, not the import's.
DEFAULT_MAX_ARTICLE_CHARS = 2_000_000

# openpyxl holds a workbook's shared strings (every distinct cell text) and styles in memory, at several times
# their unpacked size; only the sheets themselves are streamed.
XLSX_MAX_UNPACKED_BYTES = 100_000_000

_HINT = "raise it with --max-article-chars"


@dataclass(frozen=True)
class ArticleLimit:
    """The maximum article size in characters, and the bounds readers derive from it."""

    max_chars: int = DEFAULT_MAX_ARTICLE_CHARS

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ValueError("the maximum article size must be at least one character")

    @property
    def source_chars(self) -> int:
        """The longest JSON item, JSON Lines line or CSV line worth parsing: the text may be escaped
        (\\u00e4 is six characters for one) and other fields come with it."""
        return 6 * self.max_chars + 1_000_000

    @property
    def file_bytes(self) -> int:
        """The largest .txt file that can hold an article within the limit: four bytes per character at most."""
        return 4 * self.max_chars + 4

    @property
    def html_bytes(self) -> int:
        """The largest web page worth parsing: markup, scripts and styles come on top of the text."""
        return 8 * self.file_bytes

    def text_too_long(self, chars: int) -> str | None:
        if chars <= self.max_chars:
            return None
        return f"article text of {chars:,} characters is over the limit of {self.max_chars:,} characters; {_HINT}"

    def file_too_large(self, size: int, limit: int) -> str | None:
        if size <= limit:
            return None
        return f"file of {megabytes(size)} is over the limit of {self.max_chars:,} characters per article; {_HINT}"

    def source_too_long(self, what: str) -> str:
        return f"{what} longer than {self.source_chars:,} characters, over the limit of {self.max_chars:,} characters per article; {_HINT}"


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
