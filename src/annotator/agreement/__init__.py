"""Inter-coder reliability: pure functions over plain data (numpy only, no Qt, no database).

Coded units (document codes, one value per coder and unit) come as a coders × units matrix
with ``None``/NaN for missing values; span annotations come as :class:`SpanDocument` objects.

* :mod:`~annotator.agreement.alpha` — Krippendorff's alpha, four levels of measurement.
* :mod:`~annotator.agreement.kappa` — Cohen's (weighted), Fleiss', Brennan–Prediger kappa, Gwet's AC1,
  percent agreement.
* :mod:`~annotator.agreement.unitizing` — alpha-u for spans (Krippendorff 1995/2004) and its
  category-vs-rest binary variant (Krippendorff et al. 2016).
* :mod:`~annotator.agreement.tokens` — token-level agreement and span F1 (per pair of coders or all pairs).
* :mod:`~annotator.agreement.bootstrap` — confidence intervals and ``P(α < minimum)``.
* :mod:`~annotator.agreement.diagnostics` — coders left out, confusion matrices, costliest units.

Undefined coefficients raise :class:`AgreementUndefined`; tables of coefficients hold
``None`` instead (see :mod:`~annotator.agreement.errors`).
"""

from annotator.agreement.alpha import LEVELS, AlphaDetails, alpha_details, alpha_details_from_counts, krippendorff_alpha
from annotator.agreement.bootstrap import BootstrapResult, bootstrap_alpha, bootstrap_unitized_alpha
from annotator.agreement.diagnostics import (
    ConfusionMatrix,
    Disagreement,
    alpha_without_each_coder,
    confusion_matrix,
    disagreements,
    pairwise_confusion_matrices,
)
from annotator.agreement.errors import AgreementError, AgreementInputError, AgreementUndefined
from annotator.agreement.kappa import (
    brennan_prediger_kappa,
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
    pairwise_cohen_kappa,
    percent_agreement,
    percent_agreement_from_counts,
)
from annotator.agreement.spans import SpanDocument
from annotator.agreement.tokens import SpanF1, TokenAgreement, pairwise_span_f1, span_f1, token_agreement, token_matrix
from annotator.agreement.unitizing import (
    UnitizedAlphaDetails,
    binary_unitized_alpha,
    document_weighted_disagreements,
    unitized_alpha,
    unitized_alpha_details,
)

__all__ = [
    "LEVELS",
    "AgreementError",
    "AgreementInputError",
    "AgreementUndefined",
    "AlphaDetails",
    "BootstrapResult",
    "ConfusionMatrix",
    "Disagreement",
    "SpanDocument",
    "SpanF1",
    "TokenAgreement",
    "UnitizedAlphaDetails",
    "alpha_details",
    "alpha_details_from_counts",
    "alpha_without_each_coder",
    "binary_unitized_alpha",
    "bootstrap_alpha",
    "bootstrap_unitized_alpha",
    "brennan_prediger_kappa",
    "cohen_kappa",
    "cohen_kappa_from_table",
    "confusion_matrix",
    "disagreements",
    "document_weighted_disagreements",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "gwet_ac1",
    "krippendorff_alpha",
    "pairwise_cohen_kappa",
    "pairwise_confusion_matrices",
    "pairwise_span_f1",
    "percent_agreement",
    "percent_agreement_from_counts",
    "span_f1",
    "token_agreement",
    "token_matrix",
    "unitized_alpha",
    "unitized_alpha_details",
]
