from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    """The shipped pipeline, built once: tests must not change it (build their own to do so)."""
    from annotator.nlp.pipeline import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def suggest(nlp):
    """suggest(text, zones=None) -> [(category, text, rule_id)]"""
    from annotator.nlp.suggest import suggest_text

    def run(text, zones=None):
        return [(s.category, s.text, s.rule_id) for s in suggest_text(text, zones, nlp=nlp)]

    return run


@pytest.fixture(scope="session")
def found(suggest):
    """found(text, category) -> the texts suggested for that category."""

    def run(text, category, zones=None):
        return [t for c, t, _ in suggest(text, zones) if c == category]

    return run
