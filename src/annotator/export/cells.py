"""Cell values a spreadsheet shows as written: no formula comes alive from the data, nothing is cut off unsaid.

Article text, notes and titles are the data of a study, and some of it begins like a formula
(``=HYPERLINK(…)`` in a reader comment, ``-5 %`` in a headline). Excel and LibreOffice evaluate a
CSV cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, so CSV cells
are neutralised as the OWASP guidance on CSV injection recommends: a single quote is put in
front, which the spreadsheet shows as text. An XLSX cell is stored with the type "text" instead,
so it needs no quote. A cell in XLSX holds at most 32,767 characters; a longer text is cut with a
visible marker and a note on the cell, and the writer reports it.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
NOTE_AUTHOR = "annotator"


def neutralise(value: Any) -> Any:
    """A CSV cell value that opens as text in a spreadsheet: ``'`` before a leading formula character."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def set_text(cell, text: str) -> bool:
    """Store `text` in an openpyxl cell as text (never a formula); cut it to Excel's limit if needed.

    Returns True when the text had to be cut: it then ends in a marker saying so, and the cell
    carries a note with the full length.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    length = _excel_length(text)
    cut = length > XLSX_CELL_LIMIT
    if cut:
        marker = f" [… cut: {length:,} characters, more than a cell holds]"
        room = XLSX_CELL_LIMIT - len(marker)
        head = text[:room]
        while _excel_length(head) > room:  # characters beyond U+FFFF count twice in Excel
            head = head[: len(head) - (_excel_length(head) - room)]
        text = head + marker
        cell.comment = Comment(
            f"This text has {length:,} characters; Excel keeps at most {XLSX_CELL_LIMIT:,} in a cell, so it is cut "
            "here. The whole text is in the project and in the CSV and JSONL span exports.",
            NOTE_AUTHOR,
        )
    cell.value = text
    cell.data_type = "s"  # a text such as "=Ja, sagen die Jungen" is not a formula
    return cut


def cut_warnings(workbook, limit: int = 5) -> list[str]:
    """The writer's warning about every text `set_text` had to cut, naming the cells (none: empty list)."""
    cut = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for cell in sheet._cells.values()  # only the cells that exist, not the whole used range
        if cell.comment is not None and cell.comment.author == NOTE_AUTHOR
    ]
    if not cut:
        return []
    shown = ", ".join(cut[:limit]) + (f" and {len(cut) - limit} more" if len(cut) > limit else "")
    return [
        f"{len(cut)} text(s) longer than the {XLSX_CELL_LIMIT:,} characters a spreadsheet cell holds were cut "
        f"({shown}); each cell says so and carries a note; the CSV and JSONL exports hold the whole text"
    ]


def _excel_length(text: str) -> int:
    """Length in UTF-16 code units, as Excel counts."""
    return len(text.encode("utf-16-le")) // 2
