"""Read the first sheet of an Excel workbook (.xlsx) as a table of articles.

openpyxl streams a sheet row by row, but holds the workbook's shared strings (every distinct cell text) and
styles in memory, at several times their unpacked size. A workbook of a few hundred kilobytes can unpack to
gigabytes, by accident or on purpose, so the sizes its zip directory states are checked before openpyxl opens it.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

from annotator.corpus.encoding import cannot_read
from annotator.corpus.limits import XLSX_MAX_UNPACKED_BYTES, ArticleLimit, megabytes
from annotator.corpus.records import ImportProblem
from annotator.corpus.tabular import FieldMap, Item, rows_to_records

__all__ = ["read_xlsx"]


def read_xlsx(path: Path, source_file: str, field_map: FieldMap, limit: ArticleLimit) -> Iterator[Item]:
    """Stream the first sheet of a workbook; "row N" is the row number Excel shows."""
    import openpyxl  # only needed for spreadsheets, and slow to import

    try:
        too_large = _unpacks_too_large(path)
    except OSError as error:
        yield ImportProblem(source_file, "", cannot_read(error))
        return
    except (zipfile.BadZipFile, ValueError) as error:
        yield ImportProblem(source_file, "", f"not a readable .xlsx workbook ({_describe(error)})")
        return
    if too_large is not None:
        yield ImportProblem(source_file, "", too_large)
        return
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it ignores; so do we
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as error:
        yield ImportProblem(source_file, "", cannot_read(error))
        return
    except Exception as error:  # noqa: BLE001 - damaged workbooks fail in many ways inside openpyxl
        yield ImportProblem(source_file, "", f"not a readable .xlsx workbook ({_describe(error)})")
        return
    try:
        if not workbook.worksheets:
            yield ImportProblem(source_file, "", "the workbook has no sheets")
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters claim a sheet size of a million empty rows
        rows = ((f"row {number}", row) for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1))
        yield from _guard_rows(rows_to_records(rows, field_map, source_file), source_file)
    finally:
        workbook.close()


def _unpacks_too_large(path: Path) -> str | None:
    """Why the parts openpyxl loads whole are too large to load, or None.

    The sizes come from the zip directory; zipfile never unpacks more than a part's stated size, so a
    directory that understates one makes the part fail its checksum, not fill the memory.
    """
    with zipfile.ZipFile(path) as archive:
        loaded = sum(
            info.file_size
            for info in archive.infolist()
            if info.filename.lower().endswith((".xml", ".rels"))  # pictures are not read at all
            and not info.filename.lower().startswith("xl/worksheets/")  # sheets are streamed
        )
    if loaded <= XLSX_MAX_UNPACKED_BYTES:
        return None
    return (
        f"its shared strings and styles unpack to {megabytes(loaded)}, over the limit of "
        f"{megabytes(XLSX_MAX_UNPACKED_BYTES)} for a workbook; save the sheet as .csv, which is read row by row"
    )


def _guard_rows(records: Iterator[Item], source_file: str) -> Iterator[Item]:
    """Turn a sheet that breaks part-way (truncated zip, bad XML) into one problem instead of an exception."""
    try:
        yield from records
    except Exception as error:  # noqa: BLE001 - see read_xlsx
        yield ImportProblem(source_file, "", f"the workbook is damaged ({_describe(error)})")


def _describe(error: Exception) -> str:
    if isinstance(error, zipfile.BadZipFile):
        return "not a zip archive"
    return str(error) or type(error).__name__
