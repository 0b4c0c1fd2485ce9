"""Fixtures for the exchange tests: a labelled project and a fresh one holding the same corpus."""

from __future__ import annotations

import pytest
from exchange_corpus import label, new_project


@pytest.fixture
def labelled(tmp_path):
    with new_project(tmp_path, "source") as project:
        label(project)
        yield project


@pytest.fixture
def fresh(tmp_path):
    """Another project holding the same corpus and no labels."""
    with new_project(tmp_path, "target") as project:
        yield project
