"""The reliability report as an Excel workbook a lead can put in a paper's appendix.

Sheets: "Summary" (one row per category with every coefficient, interval and verdict, and a
legend), "Chart" (a native Excel chart of alpha per category against the thresholds, with the
numbers it plots), "Pairwise" (coder workload, alpha without each coder, coder × coder kappa,
confusion matrices), "Disagreements" (one filterable row per disagreement), "Raw data" (the
matrices the coefficients were computed from) and "Settings". Numbers are written as numbers so
Excel, LibreOffice, R or SPSS can compute with them; undefined values are empty cells with the
reason in the row's notes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.error_bar import ErrorBars
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.comments import Comment
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..agreement.results import (
    ACCEPTABLE,
    TENTATIVE,
    UNACCEPTABLE,
    AgreementReport,
    DocumentCategoryResult,
    Interval,
    SpanCategoryResult,
)
from .atomic import atomic_output
from .cells import cut_warnings, set_text
from .reports import CancelCheck, ExchangeError, ExportResult, ProgressCallback, cannot_write

COEFFICIENT = "0.000"
INTEGER = "#,##0"
HOURS = "0.0"
SHARE = "0.0%"
COST = "0.00E+00"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADING = Font(bold=True, size=12)
MUTED = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SUBTLE_FILL = PatternFill("solid", fgColor="F2F2F2")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
FAIR_FILL = PatternFill("solid", fgColor="FFEB9C")
POOR_FILL = PatternFill("solid", fgColor="FFC7CE")
GOOD_FONT, FAIR_FONT, POOR_FONT = Font(color="006100"), Font(color="7F6000"), Font(color="9C0006")
RULE = Border(bottom=Side(style="thin", color="8EA9DB"))
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")

SUMMARY_COLUMNS: list[tuple[str, float, str | None]] = [
    # (header, width, number format)
    ("Type", 17, None),
    ("Category", 20, None),
    ("Documents", 10.5, INTEGER),
    ("Coders", 6.5, INTEGER),
    ("Labels", 6.5, INTEGER),
    ("α / αu", 7, COEFFICIENT),
    ("95% CI low", 7, COEFFICIENT),
    ("95% CI high", 7, COEFFICIENT),
    ("P(α < .667)", 7.5, COEFFICIENT),
    ("P(α < .800)", 7.5, COEFFICIENT),
    ("Verdict", 12, None),
    ("|uα", 7, COEFFICIENT),
    ("Token α", 7, COEFFICIENT),
    ("Fleiss κ", 7, COEFFICIENT),
    ("Mean Cohen κ", 7, COEFFICIENT),
    ("F1 exact", 7, COEFFICIENT),
    ("F1 overlap", 7, COEFFICIENT),
    ("Observed agreement", 10, COEFFICIENT),
    ("Brennan–Prediger κ", 10, COEFFICIENT),
    ("Gwet AC1", 7, COEFFICIENT),
    ("Notes", 36, None),
]
_COL = {header: i for i, (header, _, _) in enumerate(SUMMARY_COLUMNS, start=1)}
ALPHA_COLUMNS = ("α / αu", "|uα", "Token α")


def write_workbook(
    report: AgreementReport,
    path: str | Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write ``report`` to an .xlsx file at ``path``; nothing is left behind if cancelled or failed.

    Raises
    ------
    ExchangeError
        The report was cancelled (incomplete), or the file cannot be written.
    """
    path = Path(path)
    if report.cancelled:
        raise ExchangeError("the reliability report was cancelled before it was complete; compute it again to export it")
    result = ExportResult()
    wb = _fill(report, progress, cancel)
    if wb is None:
        result.cancelled = True
        return result
    result.warnings.extend(cut_warnings(wb))
    try:
        with atomic_output(path) as tmp:
            wb.save(tmp)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    result.paths.append(path)
    result.documents = report.documents
    result.spans = len(report.raw_spans)
    result.document_codes = sum(v is not None for m in report.raw_document_codes for row in m.codes for v in row)
    return result


def build_workbook(report: AgreementReport) -> Workbook:
    """The workbook :func:`write_workbook` saves, in memory (e.g. to add sheets of one's own)."""
    if report.cancelled:
        raise ExchangeError(
            "the reliability report was cancelled before it was complete; compute it again to export it"
        )
    wb = _fill(report, None, None)
    assert wb is not None  # nothing can cancel it
    return wb


def _fill(report: AgreementReport, progress: ProgressCallback | None, cancel: CancelCheck | None) -> Workbook | None:
    """Every sheet, in order; ``None`` when ``cancel()`` fires between two sheets."""
    thresholds = tuple(report.thresholds)
    wb = Workbook()
    steps: list[tuple[str, Callable[[Worksheet], None]]] = [
        ("Summary", lambda ws: _summary(ws, report, thresholds)),
        ("Chart", lambda ws: _chart_sheet(ws, report, thresholds)),
        ("Pairwise", lambda ws: _pairwise(ws, report, thresholds)),
        ("Disagreements", lambda ws: _disagreements(ws, report)),
        ("Raw data", lambda ws: _raw_data(ws, report)),
        ("Settings", lambda ws: _settings(ws, report)),
    ]
    for number, (title, write) in enumerate(steps):
        if cancel is not None and cancel():
            return None
        if progress is not None:
            progress(number, f"sheet {title}")
        ws = wb.active if number == 0 else wb.create_sheet()
        ws.title = title
        write(ws)
    return wb


# --- cells ---------------------------------------------------------------------------------------


def _put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None, font=None):
    """Write one cell: None stays empty, text is cleaned and never taken for a formula."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, str):
        set_text(cell, value)  # never a formula, cut to a cell's size with a note
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
    else:
        cell.value = value
        if number_format:
            cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _header(ws: Worksheet, row: int, headers: Sequence[str], first_column: int = 1) -> None:
    for i, text in enumerate(headers):
        cell = _put(ws, row, first_column + i, text, font=BOLD)
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = RULE


def _widths(ws: Worksheet, widths: Sequence[float], first_column: int = 1) -> None:
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(first_column + i)].width = width


def _landscape(ws: Worksheet, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows


def _traffic_light(ws: Worksheet, cells: str, first_cell: str, thresholds: Sequence[float]) -> None:
    """Colour numeric cells by the thresholds; empty cells (undefined values) stay uncoloured."""
    low, high = min(thresholds), max(thresholds)
    test = f"ISNUMBER({first_cell})"
    ws.conditional_formatting.add(
        cells, FormulaRule(formula=[f"AND({test},{first_cell}>={high})"], fill=GOOD_FILL, font=GOOD_FONT)
    )
    if low < high:
        ws.conditional_formatting.add(
            cells,
            FormulaRule(formula=[f"AND({test},{first_cell}>={low},{first_cell}<{high})"], fill=FAIR_FILL, font=FAIR_FONT),
        )
    ws.conditional_formatting.add(
        cells, FormulaRule(formula=[f"AND({test},{first_cell}<{low})"], fill=POOR_FILL, font=POOR_FONT)
    )


def _fmt_threshold(t: float) -> str:
    return f"{t:.3f}".lstrip("0")


# --- Summary -------------------------------------------------------------------------------------


def _notes(row) -> str:
    parts = [row.few_units] if getattr(row, "few_units", None) else []
    labels = {
        "alpha_u": "αu", "alpha": "α", "binary_alpha_u": "|uα", "token_alpha": "token α", "fleiss_kappa": "Fleiss κ",
        "mean_cohen_kappa": "Cohen κ", "f1_exact": "F1 exact", "f1_overlap": "F1 overlap",
        "token_percent_agreement": "agreement", "percent_agreement": "agreement", "brennan_prediger": "BP κ",
        "gwet_ac1": "AC1", "interval": "CI",
    }  # fmt: skip
    seen: dict[str, list[str]] = {}
    for name, reason in row.reasons.items():
        if name == "verdict":
            continue
        seen.setdefault(reason, []).append(labels.get(name, name))
    for reason, names in seen.items():
        parts.append(f"{', '.join(names)} undefined: {reason}")
    parts.extend(getattr(row, "notes", []))
    return "; ".join(parts)


def _summary(ws: Worksheet, report: AgreementReport, thresholds: tuple[float, ...]) -> None:
    s = report.settings
    characters = report.overall.characters if report.overall is not None else None
    _put(ws, 1, 1, f"Inter-coder reliability: {s.get('project', '')}", font=TITLE)
    line = f"{report.documents} document(s); coders: {', '.join(report.coders) or 'none'}"
    if characters is not None:
        line += f"; {characters:,} characters of text compared for spans"
    _put(ws, 2, 1, line, font=MUTED)
    _put(
        ws, 3, 1,
        f"{s.get('filter_description', '')}; {s.get('bootstrap_samples', 0)} bootstrap samples "
        f"(seed {s.get('seed')}); generated {s.get('generated', '')} by {s.get('software', '')}",
        font=MUTED,
    )  # fmt: skip
    header_row = 5
    headers = [h for h, _, _ in SUMMARY_COLUMNS]
    low, high = min(thresholds), max(thresholds)
    headers[_COL["P(α < .667)"] - 1] = f"P(α < {_fmt_threshold(low)})"
    headers[_COL["P(α < .800)"] - 1] = f"P(α < {_fmt_threshold(high)})"
    _header(ws, header_row, headers)
    ws.row_dimensions[header_row].height = 44
    _widths(ws, [w for _, w, _ in SUMMARY_COLUMNS])

    rows: list[dict[str, Any]] = [_span_cells(r) for r in report.span_categories]
    if report.overall is not None:
        o = report.overall
        rows.append({
            "Type": "spans, all", "Category": "all span categories", "Documents": o.documents,
            "Coders": len(report.coders), "Labels": len(report.raw_spans), "α / αu": o.alpha_u,
            "|uα": o.binary_alpha_u, "Verdict": o.verdict, "Notes": _notes(o), **_interval_cells(o.interval),
        })  # fmt: skip
    rows.extend(_document_cells(r) for r in report.document_categories)

    first = header_row + 1
    for offset, cells in enumerate(rows):
        row = first + offset
        for header, column in _COL.items():
            fmt = SUMMARY_COLUMNS[column - 1][2]
            cell = _put(ws, row, column, cells.get(header), fmt)
            if fmt:
                cell.number_format = fmt  # empty cells too, so a value typed in later looks alike
            cell.alignment = WRAP_TOP if header == "Notes" else Alignment(vertical="top")
        if cells.get("few_units"):  # on the category's name, where the eye is, not only under Notes
            ws.cell(row=row, column=_COL["Category"]).comment = Comment(cells["few_units"], "annotator", 90, 260)
        if cells.get("Type") == "spans, all":
            for column in range(1, len(SUMMARY_COLUMNS) + 1):
                ws.cell(row=row, column=column).fill = SUBTLE_FILL
                ws.cell(row=row, column=column).font = BOLD
    last = first + len(rows) - 1
    if rows:
        for header in ALPHA_COLUMNS:
            letter = get_column_letter(_COL[header])
            _traffic_light(ws, f"{letter}{first}:{letter}{last}", f"{letter}{first}", thresholds)
        # the verdict takes the colour of the alpha it rests on
        alpha = get_column_letter(_COL["α / αu"])
        verdict = get_column_letter(_COL["Verdict"])
        _traffic_light(ws, f"{verdict}{first}:{verdict}{last}", f"${alpha}{first}", thresholds)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(SUMMARY_COLUMNS))}{max(last, header_row)}"
    ws.freeze_panes = ws.cell(row=first, column=3)
    _legend(ws, last + 2, thresholds, report)
    _landscape(ws, f"{header_row}:{header_row}")


def _interval_cells(interval) -> dict[str, Any]:
    if interval is None:
        return {}
    probs = sorted(interval.prob_below.items())
    cells = {"95% CI low": interval.low, "95% CI high": interval.high}
    if probs:
        cells["P(α < .667)"] = probs[0][1]
        cells["P(α < .800)"] = probs[-1][1]
    return cells


def _span_cells(r: SpanCategoryResult) -> dict[str, Any]:
    return {
        "Type": "span", "Category": r.category, "Documents": r.documents, "Coders": r.coders,
        "Labels": sum(r.spans_per_coder.values()), "α / αu": r.alpha_u, "Verdict": r.verdict,
        "|uα": r.binary_alpha_u, "Token α": r.token_alpha, "Fleiss κ": r.fleiss_kappa,
        "Mean Cohen κ": r.mean_cohen_kappa, "F1 exact": r.f1_exact, "F1 overlap": r.f1_overlap,
        "Observed agreement": r.token_percent_agreement, "Notes": _notes(r), **_interval_cells(r.interval),
        "few_units": r.few_units,
    }  # fmt: skip


def _document_cells(r: DocumentCategoryResult) -> dict[str, Any]:
    return {
        "Type": f"document, {r.level}", "Category": r.category, "Documents": r.units, "Coders": r.coders,
        "Labels": r.units * r.coders - r.missing_values, "α / αu": r.alpha, "Verdict": r.verdict,
        "Fleiss κ": r.fleiss_kappa, "Mean Cohen κ": r.mean_cohen_kappa, "Observed agreement": r.percent_agreement,
        "Brennan–Prediger κ": r.brennan_prediger, "Gwet AC1": r.gwet_ac1, "Notes": _notes(r),
        **_interval_cells(r.interval), "few_units": r.few_units,
    }  # fmt: skip


def _legend(ws: Worksheet, row: int, thresholds: tuple[float, ...], report: AgreementReport) -> None:
    low, high = _fmt_threshold(min(thresholds)), _fmt_threshold(max(thresholds))
    samples = report.settings.get("bootstrap_samples", 0)
    lines = [
        ("α / αu", "The coefficient the verdict rests on: Krippendorff's unitizing alpha αu for span categories "
                   "(Krippendorff 2004), Krippendorff's alpha at the category's level for document codes."),
        ("95% CI", f"Percentile interval of {samples} bootstrap resamples: whole documents redrawn for spans; "
                   "documents (units) redrawn and alpha recomputed in full for document codes."),
        ("P(α < t)", "Share of the bootstrap resamples in which alpha falls below the threshold t "
                     "(Hayes & Krippendorff 2007)."),
        ("Verdict", f"Krippendorff's (2004, p. 241) convention: α ≥ {high} reliable (acceptable); α ≥ {low} "
                    f"tentative conclusions only; below {low} unacceptable; undefined when the data cannot "
                    "determine α (reason under Notes)."),
        ("|uα", "Binary unitizing alpha (Krippendorff et al. 2016): agreement on which characters belong to the "
                "category, however the spans are cut."),
        ("Token α", "Krippendorff's nominal alpha with each word or punctuation token as a unit, marked or not."),
        ("Fleiss κ", "Fleiss' (1971) kappa over tokens (spans) or documents, all values taken as nominal."),
        ("Mean Cohen κ", "Cohen's kappa averaged over coder pairs: on tokens for spans, quadratically weighted for "
                         "ordered document codes (pairs on sheet Pairwise)."),
        ("F1", "Span F1 averaged over coder pairs: exact = same start, end and category; overlap = at least one "
               "shared character, spans paired one to one."),
        ("Observed agreement", "Share of agreeing coder pairs per unit (token or document); not chance-corrected."),
        ("Brennan–Prediger κ", "Kappa with chance agreement fixed at 1/q for the codebook's q values "
                               "(Brennan & Prediger 1981)."),
        ("Gwet AC1", "Gwet's (2008) first-order agreement coefficient, stable when one value dominates."),
        ("Colours", f"Green α ≥ {high}, amber {low} ≤ α < {high}, red α < {low}; empty cells are undefined or "
                    "do not apply."),
    ]  # fmt: skip
    _put(ws, row, 1, "How to read this table", font=HEADING)
    last_column = get_column_letter(len(SUMMARY_COLUMNS))
    text_width = sum(w for _, w, _ in SUMMARY_COLUMNS[2:])
    for i, (term, text) in enumerate(lines, start=1):
        r = row + i
        _put(ws, r, 1, term, font=BOLD).alignment = Alignment(vertical="top")
        _put(ws, r, 3, text).alignment = WRAP_TOP
        ws.merge_cells(f"C{r}:{last_column}{r}")
        lines_needed = max(1, -(-len(text) // int(text_width * 1.3)))
        ws.row_dimensions[r].height = 15 * lines_needed


# --- Chart ---------------------------------------------------------------------------------------

VERDICT_COLOURS = {ACCEPTABLE: "4EA72E", TENTATIVE: "F2B800", UNACCEPTABLE: "D8524E"}
THRESHOLD_COLOURS = {"low": "9C6500", "high": "1F5C2E", "other": "595959"}  # darker than the bars they judge
CHART_FIRST_ROW = 4
CHART_ROWS = 22  # rows the chart covers, besides the room rotated names take; its numbers follow below it
ROW_CM = 15 / 72 * 2.54  # a row of the default height, 15 points
CHART_COLUMNS = ["Category", "Kind", "α / αu", "95% CI low", "95% CI high", "Verdict"]


def _chart_sheet(ws: Worksheet, report: AgreementReport, thresholds: tuple[float, ...]) -> None:
    """Alpha per category as bars coloured by verdict, the thresholds as dashed lines, the 95%
    intervals as whiskers; below the chart, the numbers it is drawn from."""
    low, high = _fmt_threshold(min(thresholds)), _fmt_threshold(max(thresholds))
    _put(ws, 1, 1, "Alpha per category", font=TITLE)
    _put(ws, 2, 1, "Bars: αu for span categories, α for document codes, coloured by verdict; dashed lines: the "
                   "thresholds; whiskers: 95% bootstrap intervals. A category whose alpha is undefined has no bar "
                   "(reason on the Summary sheet).", font=MUTED)  # fmt: skip
    bars = _chart_rows(report)
    verdicts = [ACCEPTABLE, *([TENTATIVE] if min(thresholds) < max(thresholds) else []), UNACCEPTABLE]
    series_names = {
        ACCEPTABLE: f"acceptable (α ≥ {high})",
        TENTATIVE: f"tentative ({low} ≤ α < {high})",
        UNACCEPTABLE: f"unacceptable (α < {low})",
    }
    headers = [*CHART_COLUMNS, *(series_names[v] for v in verdicts),
               *(f"threshold {_fmt_threshold(t)}" for t in thresholds), "CI below α", "CI above α"]  # fmt: skip
    name_width = min(40, max([26, *(len(label) + 2 for label, *_ in bars)]))
    widths = [name_width, 10, 8, 8, 8, 12, *[14] * (len(headers) - len(CHART_COLUMNS))]
    width_cm = sum(_column_cm(w) for w in widths)  # the chart is as wide as the table under it
    rotation, label_rows = _label_layout([label for label, *_ in bars], width_cm)
    chart_rows = CHART_ROWS + label_rows
    header_row = CHART_FIRST_ROW + chart_rows + 2
    _put(ws, header_row - 1, 1, "The numbers in the chart", font=HEADING)
    _header(ws, header_row, headers)
    ws.row_dimensions[header_row].height = 44
    first = header_row + 1
    for i, (label, kind, alpha, interval, verdict) in enumerate(bars):
        row = first + i
        _put(ws, row, 1, label)
        _put(ws, row, 2, kind)
        _put(ws, row, 3, alpha, COEFFICIENT)
        _put(ws, row, 4, interval.low if interval else None, COEFFICIENT)
        _put(ws, row, 5, interval.high if interval else None, COEFFICIENT)
        _put(ws, row, 6, verdict)
        for j, v in enumerate(verdicts, start=len(CHART_COLUMNS) + 1):
            _put(ws, row, j, alpha if verdict == v else None, COEFFICIENT)
        for j, t in enumerate(thresholds, start=len(CHART_COLUMNS) + 1 + len(verdicts)):
            _put(ws, row, j, t, COEFFICIENT)
        if alpha is not None and interval is not None:
            _put(ws, row, len(headers) - 1, max(0.0, alpha - interval.low), COEFFICIENT)
            _put(ws, row, len(headers), max(0.0, interval.high - alpha), COEFFICIENT)
    last = first + len(bars) - 1
    _widths(ws, widths)
    if bars:
        chart = _alpha_chart(ws, bars, verdicts, thresholds, header_row, first, last)
        chart.width, chart.height = width_cm, chart_rows * ROW_CM
        chart.x_axis.txPr = _axis_labels(rotation)
        ws.add_chart(chart, f"A{CHART_FIRST_ROW}")
    _landscape(ws)
    ws.page_setup.fitToHeight = 1  # chart and numbers on one page


def _chart_rows(report: AgreementReport) -> list[tuple[str, str, float | None, Interval | None, str]]:
    """(label, kind, alpha, interval, verdict) per bar: span categories, all of them together, document codes."""
    rows = [(r.name or r.category, "span", r.alpha_u, r.interval, r.verdict) for r in report.span_categories]
    if report.overall is not None:
        o = report.overall
        rows.append(("All span categories", "spans, all", o.alpha_u, o.interval, o.verdict))
    rows.extend((r.name or r.category, "document", r.alpha, r.interval, r.verdict) for r in report.document_categories)
    return [(label if alpha is not None else f"{label} (undefined)", kind, alpha, interval, verdict)
            for label, kind, alpha, interval, verdict in rows]  # fmt: skip


def _alpha_chart(
    ws: Worksheet,
    bars: list,
    verdicts: list[str],
    thresholds: tuple[float, ...],
    header_row: int,
    first: int,
    last: int,
) -> BarChart:
    """The chart of the table at rows ``first``..``last``: per verdict a column holding the alphas
    with that verdict (and nothing elsewhere), per threshold a column repeating it, and last the
    distances from alpha down and up to the interval's ends."""
    bar_column = len(CHART_COLUMNS) + 1
    line_column = bar_column + len(verdicts)
    below_column = line_column + len(thresholds)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.overlap = 100  # one bar per category: each verdict's series fills only its own categories
    chart.gapWidth = 60
    for j, verdict in enumerate(verdicts, start=bar_column):
        chart.add_data(Reference(ws, min_col=j, min_row=header_row, max_row=last), titles_from_data=True)
        series = chart.series[-1]
        series.graphicalProperties.solidFill = VERDICT_COLOURS[verdict]
        series.graphicalProperties.line.solidFill = VERDICT_COLOURS[verdict]
        series.errBars = _whiskers(ws, below_column, first, last)
        series.cat = _names(ws, first, last)

    lines = LineChart()
    for column, t in enumerate(thresholds, start=line_column):
        lines.add_data(Reference(ws, min_col=column, min_row=header_row, max_row=last), titles_from_data=True)
        line = lines.series[-1]
        line.smooth = False
        line.marker.symbol = "none"
        colour = THRESHOLD_COLOURS["low" if t == min(thresholds) else "high" if t == max(thresholds) else "other"]
        line.graphicalProperties.line = LineProperties(solidFill=colour, w=22225, prstDash="dash")
        line.cat = _names(ws, first, last)
    chart += lines

    values = [a for _, _, a, _, _ in bars if a is not None]
    values += [i.low for _, _, a, i, _ in bars if a is not None and i is not None]
    lowest = min([0.0, *values])
    chart.y_axis.scaling.min = math.floor(lowest * 10.0 + 1e-9) / 10.0  # min(0, lowest), to a tick below
    chart.y_axis.scaling.max = 1.0
    chart.y_axis.majorUnit = 0.1 if lowest > -0.5 else 0.2
    chart.y_axis.number_format = "0.0"
    chart.y_axis.title = "Krippendorff's α (αu for span categories)"
    chart.x_axis.title = "Category"
    chart.x_axis.tickLblPos = "low"  # names below the plot, also under bars that reach below zero
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.title = "Reliability per category"
    chart.legend.position = "b"
    return chart


def _names(ws: Worksheet, first: int, last: int) -> AxDataSource:
    """The category names in column A as text (``set_categories`` would declare them numbers)."""
    return AxDataSource(strRef=StrRef(f=f"{_sheet_ref(ws)}!$A${first}:$A${last}"))


def _sheet_ref(ws: Worksheet) -> str:
    return "'" + ws.title.replace("'", "''") + "'"


def _whiskers(ws: Worksheet, below_column: int, first: int, last: int) -> ErrorBars:
    """Error bars reaching down by the values in ``below_column`` and up by those in the next column."""
    below = get_column_letter(below_column)
    above = get_column_letter(below_column + 1)
    minus = NumDataSource(numRef=NumRef(f=f"{_sheet_ref(ws)}!${below}${first}:${below}${last}"))
    plus = NumDataSource(numRef=NumRef(f=f"{_sheet_ref(ws)}!${above}${first}:${above}${last}"))
    bars = ErrorBars(errDir="y", errBarType="both", errValType="cust", noEndCap=False, plus=plus, minus=minus)
    bars.spPr = GraphicalProperties(ln=LineProperties(solidFill="404040", w=12700))
    return bars


def _column_cm(width: float) -> float:
    """Centimetres a column ``width`` characters wide takes (7 pixels a character and 5 of margin, at 96 dpi)."""
    return (width * 7 + 5) / 96 * 2.54


LABEL_POINTS = 9
LABEL_CHAR_CM = 0.55 * LABEL_POINTS / 72 * 2.54  # an average character of the category names


def _label_layout(labels: list[str], width_cm: float) -> tuple[int, int]:
    """Rotation of the category names (60,000ths of a degree) and rows to add to the chart for them.

    Names stay level while their longest word fits the room one bar has (a spreadsheet breaks
    level names between words, but cuts a word that is too long); otherwise they are turned by
    45°, and the chart grows by the height the longest name then takes.
    """
    if not labels:
        return 0, 0
    room = width_cm * 0.85 / len(labels)  # the plot area, without the value axis, shared by the bars
    longest_word = max(len(word) for label in labels for word in (label.split() or [""]))
    if longest_word * LABEL_CHAR_CM <= room:
        return 0, 0
    drop = max(len(label) for label in labels) * LABEL_CHAR_CM * math.sqrt(0.5)
    return -45 * 60000, math.ceil(drop / ROW_CM)


def _axis_labels(rotation: int) -> RichText:
    """Axis label text in ``LABEL_POINTS`` points, turned by ``rotation`` (negative: counter-clockwise)."""
    return RichText(
        bodyPr=RichTextProperties(rot=rotation, vert="horz"),
        p=[
            Paragraph(
                pPr=ParagraphProperties(defRPr=CharacterProperties(sz=LABEL_POINTS * 100)),
                endParaRPr=CharacterProperties(),
            )
        ],
    )


# --- Pairwise ------------------------------------------------------------------------------------


def _pairwise(ws: Worksheet, report: AgreementReport, thresholds: tuple[float, ...]) -> None:
    coders = report.coders
    _put(ws, 1, 1, "Coders", font=TITLE)
    row = 3
    headers = ["Coder", "Span labels", "Document codes", "Labels", "Documents done", "In progress",
               "Time (hours)", "Minutes per done document", "Labels outside the zones"]  # fmt: skip
    _header(ws, row, headers)
    ws.row_dimensions[row].height = 44
    for c in report.coder_summaries:
        row += 1
        per_doc = c.seconds / 60.0 / c.documents_done if c.documents_done else None
        values = [c.coder, c.span_labels, c.document_codes, c.labels, c.documents_done, c.documents_in_progress,
                  c.seconds / 3600.0, per_doc, c.labels_outside_zones]  # fmt: skip
        formats = [None, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, HOURS, HOURS, INTEGER]
        for col, (value, fmt) in enumerate(zip(values, formats), start=1):
            _put(ws, row, col, value, fmt)

    row += 2
    _put(ws, row, 1, "Alpha without each coder", font=HEADING)
    _put(ws, row + 1, 1, "A coder whose removal raises alpha markedly agrees less with the others than they do "
                         "with each other (αu for span categories, α for document codes).", font=MUTED)  # fmt: skip
    row += 2
    _header(ws, row, ["Category", "All coders", *[f"without {c}" for c in coders]])
    ws.row_dimensions[row].height = 30
    first = row + 1
    for r in report.rows():
        row += 1
        _put(ws, row, 1, r.category)
        _put(ws, row, 2, r.alpha, COEFFICIENT)
        for j, c in enumerate(report.coder_summaries, start=3):
            _put(ws, row, j, c.leave_one_out.get(r.category), COEFFICIENT)
    if row >= first:
        _traffic_light(ws, f"B{first}:{get_column_letter(2 + len(coders))}{row}", f"B{first}", thresholds)

    if report.span_categories:
        row += 2
        _put(ws, row, 1, "Span labels per category", font=HEADING)
        row += 1
        _header(ws, row, ["Category", "All coders", *coders])
        for r in report.span_categories:
            row += 1
            _put(ws, row, 1, r.category)
            _put(ws, row, 2, sum(r.spans_per_coder.values()), INTEGER)
            for j, coder in enumerate(coders, start=3):
                _put(ws, row, j, r.spans_per_coder.get(coder, 0), INTEGER)

    row += 2
    _put(ws, row, 1, "Cohen's kappa for each pair of coders", font=HEADING)
    _put(ws, row + 1, 1, "Colours follow the thresholds on the Summary sheet.", font=MUTED)
    row += 1
    for table in report.pairwise:
        row += 2
        _put(ws, row, 1, f"{table.category} ({table.kind}): {table.measure}", font=BOLD)
        row += 1
        _header(ws, row, ["", *table.coders])
        start = row + 1
        for i, coder in enumerate(table.coders):
            row += 1
            _put(ws, row, 1, coder, font=BOLD)
            for j, value in enumerate(table.values[i], start=2):
                cell = _put(ws, row, j, value, COEFFICIENT)
                if i == j - 2:
                    cell.fill = SUBTLE_FILL
        if table.coders:
            _traffic_light(ws, f"B{start}:{get_column_letter(1 + len(table.coders))}{row}", f"B{start}", thresholds)

    if report.confusion:
        row += 2
        _put(ws, row, 1, "Confusion matrices of document codes (rows: first coder, columns: second coder)", font=HEADING)
        for table in report.confusion:
            row += 2
            _put(ws, row, 1, f"{table.category}: {table.coder_a} (rows) × {table.coder_b} (columns)", font=BOLD)
            row += 1
            _header(ws, row, ["", *table.labels])
            for label, counts in zip(table.labels, table.counts):
                row += 1
                _put(ws, row, 1, label, font=BOLD)
                for j, n in enumerate(counts, start=2):
                    cell = _put(ws, row, j, n, INTEGER)
                    if label == table.labels[j - 2]:
                        cell.fill = SUBTLE_FILL
    _widths(ws, [24, 12, 12, 12, 12, 12, 12, 12, 12, *[12] * max(0, len(coders) - 7)])
    _landscape(ws)


# --- Disagreements -------------------------------------------------------------------------------


def _disagreements(ws: Worksheet, report: AgreementReport) -> None:
    coders = report.coders
    headers = ["Kind", "Category", "Document", "External id", "Zone", "Start", "End", "Text", *coders,
               "Cost", "Share of the category's disagreement"]  # fmt: skip
    _header(ws, 1, headers)
    ws.row_dimensions[1].height = 44
    for i, d in enumerate(report.disagreements, start=2):
        values = [d.kind, d.category, d.title or "", d.external_id or "", d.zone, d.start, d.end, d.text.strip(),
                  *[d.codes.get(c) for c in coders], d.cost, d.share]  # fmt: skip
        formats = [None, None, None, None, None, INTEGER, INTEGER, None, *[None] * len(coders), COST, SHARE]
        for col, (value, fmt) in enumerate(zip(values, formats), start=1):
            cell = _put(ws, i, col, value, fmt)
            if col in (3, 8) or 9 <= col < 9 + len(coders):
                cell.alignment = WRAP_TOP
            else:
                cell.alignment = Alignment(vertical="top")
        # not every spreadsheet program sizes rows to wrapped text on opening, so size them here
        ws.row_dimensions[i].height = 15 * max(_lines(d.text.strip(), 60), _lines(d.title or "", 34))
    last = max(1, len(report.disagreements) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    ws.freeze_panes = "C2"
    _widths(ws, [9, 19, 34, 24, 13, 7, 7, 60, *[18] * len(coders), 10, 14])
    _landscape(ws, "1:1")


# --- Raw data ------------------------------------------------------------------------------------


def _raw_data(ws: Worksheet, report: AgreementReport) -> None:
    _put(ws, 1, 1, "Reliability data as used", font=TITLE)
    _put(ws, 2, 1, "Document codes: one block per category, coders in rows, documents in columns, values numbered "
                   "as stated (empty = no value). Spans: offsets into the original text; the continuum is the "
                   "selected ranges of each document laid end to end.", font=MUTED)  # fmt: skip
    row = 4
    for block in report.raw_document_codes:
        legend = ", ".join(f"{_number(n)} = {v}" for n, v in block.value_codes)
        _put(ws, row, 1, f"{block.category} ({block.level}): {legend}", font=HEADING)
        row += 1
        _header(ws, row, ["external id", *[e or "" for e in block.external_ids]])
        row += 1
        _put(ws, row, 1, "document id", font=BOLD)
        for j, doc_id in enumerate(block.document_ids, start=2):
            _put(ws, row, j, doc_id, INTEGER)
        for coder, codes in zip(block.coders, block.codes):
            row += 1
            _put(ws, row, 1, coder, font=BOLD)
            for j, value in enumerate(codes, start=2):
                _put(ws, row, j, value, "0.###")
        row += 2

    _put(ws, row, 1, "Documents and their continua", font=HEADING)
    row += 1
    headers = ["document id", "external id", "title", "text length", "continuum offset", "continuum length",
               "tokens", "selected ranges (start–end)"]  # fmt: skip
    _header(ws, row, headers)
    for d in report.raw_documents:
        row += 1
        ranges = ", ".join(f"{s}–{e}" for s, e in d.segments)
        values = [d.document_id, d.external_id, d.title, d.length, d.continuum_offset, d.continuum_length,
                  d.tokens, ranges]  # fmt: skip
        for col, value in enumerate(values, start=1):
            _put(ws, row, col, value, INTEGER if col in (1, 4, 5, 6, 7) else None)

    row += 2
    _put(ws, row, 1, "Spans", font=HEADING)
    row += 1
    _header(ws, row, ["coder", "document id", "external id", "category", "start", "end", "continuum start",
                      "continuum end", "text"])  # fmt: skip
    for s in report.raw_spans:
        row += 1
        values = [s.coder, s.document_id, s.external_id, s.category, s.start, s.end, s.continuum_start,
                  s.continuum_end, s.text]  # fmt: skip
        for col, value in enumerate(values, start=1):
            _put(ws, row, col, value, INTEGER if col in (2, 5, 6, 7, 8) else None)
    _widths(ws, [16, 24, 30, 18, 12, 12, 12, 12, 60])


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide (a generous estimate)."""
    per_line = max(1, int(width * 1.15))
    return max(1, sum(-(-len(part) // per_line) or 1 for part in text.split("\n")))


def _number(n: float) -> str:
    return f"{n:g}"


# --- Settings ------------------------------------------------------------------------------------


def _settings(ws: Worksheet, report: AgreementReport) -> None:
    _header(ws, 1, ["Setting", "Value"])
    row = 1
    for key, value in _flatten(report.settings):
        row += 1
        _put(ws, row, 1, key, font=BOLD)
        cell = _put(ws, row, 2, value, "0.###" if isinstance(value, float) else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    for key, value in (("coders compared", ", ".join(report.coders)), ("documents compared", report.documents)):
        row += 1
        _put(ws, row, 1, key, font=BOLD)
        _put(ws, row, 2, value).alignment = Alignment(horizontal="left")
    for warning in report.warnings:
        row += 1
        _put(ws, row, 1, "note", font=BOLD)
        _put(ws, row, 2, warning).alignment = WRAP_TOP
    if report.excluded_documents:
        row += 2
        _put(ws, row, 1, "Documents left out", font=HEADING)
        row += 1
        _header(ws, row, ["document (external id)", "reason"])
        for item in report.excluded_documents:
            row += 1
            _put(ws, row, 1, f"{item['document_id']} ({item.get('external_id') or '—'})")
            _put(ws, row, 2, item["reason"]).alignment = WRAP_TOP
    _widths(ws, [30, 95])
    _landscape(ws)


def _flatten(settings: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in settings.items():
        name = f"{prefix}{key}".replace("_", " ")
        if isinstance(value, dict):
            out.extend(_flatten(value, prefix=f"{key}: "))
        elif isinstance(value, (list, tuple)):
            out.append((name, ", ".join(str(v) for v in value) if value else "(all)" if value is None else ""))
        elif value is None:
            out.append((name, "(all)"))
        else:
            out.append((name, value))
    return out
