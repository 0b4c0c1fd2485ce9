"""Warn where a category's coefficient rests on too few units to mean much.

A unit here is a document that carries information about the category:

* for a document-level code, a document coded by two or more coders (a pairable unit, the only
  kind alpha uses);
* for a span category, a document in which at least one coder marked a span of the category.
  Alpha-u runs over the characters of every selected document, but documents where nobody marked
  the category only add agreement on its absence, and the bootstrap redraws whole documents: with
  the category in three documents, its interval is three documents wide, however many were read.

Under :data:`MIN_UNITS` such documents a category's row says so (``few_units``), and so does one
line of the report's warnings; every output shows the warning next to the category.
"""

from __future__ import annotations

from annotator.agreement.data import ReliabilityData
from annotator.agreement.results import AgreementReport

MIN_UNITS = 10
_CONSEQUENCE = f"(fewer than {MIN_UNITS}); the coefficient and its interval rest on little data"


def flag_few_units(report: AgreementReport, data: ReliabilityData) -> None:
    """Fill ``few_units`` of each category row under :data:`MIN_UNITS` units and add one summary warning."""
    total = len(data.documents)
    carrying: dict[str, set[int]] = {}
    for s in data.spans:
        carrying.setdefault(s.category, set()).add(s.document_id)
    short: list[str] = []
    for row in report.span_categories:
        n = len(carrying.get(row.category, ()))
        if n < MIN_UNITS:
            row.few_units = f"few units: {n} of the {total} documents have a {row.category!r} span by any coder {_CONSEQUENCE}"
            short.append(f"{row.category} ({n})")
    for row in report.document_categories:
        if row.pairable_units < MIN_UNITS:
            row.few_units = (
                f"few units: {row.pairable_units} of the {total} documents were coded by two or more coders {_CONSEQUENCE}"
            )
            short.append(f"{row.category} ({row.pairable_units})")
    if short:
        what = "1 category rests" if len(short) == 1 else f"{len(short)} categories rest"
        report.warnings.append(f"{what} on fewer than {MIN_UNITS} units: {', '.join(short)}")
