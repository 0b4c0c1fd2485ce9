"""The examples in the docstrings run and give the values they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "annotator.agreement.alpha",
    "annotator.agreement.kappa",
    "annotator.agreement.unitizing",
    "annotator.agreement.tokens",
    "annotator.agreement.bootstrap",
    "annotator.agreement.diagnostics",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
