"""Why a reliability coefficient cannot be given, and input the agreement functions cannot read.

The policy, for every function in :mod:`annotator.agreement`:

* a function that returns **one coefficient** returns a finite ``float`` or raises
  :class:`AgreementUndefined` whose message says why (no pairable values, no variation, …)
  and what would make it defined. It never returns ``nan``.
* a function that returns a **table of coefficients** (one per coder, per coder pair …)
  holds ``None`` in the cells where the coefficient is undefined; the reason is what the
  single-coefficient function raises for that cell.
* input that is malformed (ragged matrix, span outside its document, unknown level …)
  raises :class:`AgreementInputError`, which is also a ``ValueError``.
"""

from __future__ import annotations

from annotator.errors import AnnotatorError


class AgreementError(AnnotatorError):
    """Base class of the errors raised by :mod:`annotator.agreement`."""


class AgreementUndefined(AgreementError):
    """The data do not determine the coefficient (e.g. one coder, no variation, no spans)."""


class AgreementInputError(AgreementError, ValueError):
    """The reliability data are malformed; the message names the offending row, span or argument."""


class NothingToCompare(AgreementError):
    """The filters leave no document or no coder to compare; the message says why and what to change.

    A report over nothing would show empty charts and an empty workbook as if it were a result.
    """
