"""Sentences that look like a cue and are not (or look harmless and are one)."""

from __future__ import annotations


def test_a_negated_konjunktiv_is_still_a_hedge(found):
    assert found("Er könnte nicht kommen.", "hedge") == ["könnte"]


def test_experts_named_in_apposition_are_a_named_source(found):
    assert found("Die Experten der ETH, Anna Meier und Jon Frei, warnen.", "unnamed_source") == []


def test_experts_without_names_are_an_unnamed_source(found):
    assert found("Die Experten der ETH warnen.", "unnamed_source") == ["Experten"]


def test_a_picture_is_not_the_tabloid(found):
    assert found("Das Bild zeigt einen See.", "outlet_attribution") == []
    assert found("Ein Bild zeigt, wie der Fluss über die Ufer tritt.", "outlet_attribution") == []
    assert found("Wie das Bild zeigt, ist der See leer.", "outlet_attribution") == []


def test_the_tabloid_in_guillemets_is_an_outlet(found):
    assert found("Das ist teuer, wie «Bild» berichtet.", "outlet_attribution") == ["wie «Bild» berichtet"]
    assert found("Wie die «Bild» schreibt, ist das so.", "outlet_attribution") == ["Wie die «Bild» schreibt"]
