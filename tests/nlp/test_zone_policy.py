"""Suggestions respect the article's structure: nothing in furniture, each category where it belongs."""

from __future__ import annotations

from annotator.domain import Zone, ZoneKind
from annotator.nlp.suggest import suggest_text

CUES = "Experten könnten recht haben, wie «Blick» berichtet. «Das ist ein Skandal», sagte Hans Muster. (Symbolbild)"


def _layout(kind, **attrs):
    """A text of kicker/headline/body + one zone of `kind` holding CUES."""
    head = "Politik\n\nTitel ohne Frage\n\nDer Bundesrat entscheidet.\n\n"
    text = head + CUES
    start = len(head)
    zones = [
        Zone(ZoneKind.KICKER, 0, 7),
        Zone(ZoneKind.HEADLINE, 9, 25),
        Zone(ZoneKind.BODY, 27, 53),
        Zone(kind, start, len(text), attrs),
    ]
    return text, zones, start


def _categories(nlp, kind, **attrs):
    text, zones, start = _layout(kind, **attrs)
    return {s.category for s in suggest_text(text, zones, nlp=nlp) if s.start >= start}


def test_boilerplate_and_other_labels_get_no_suggestions(nlp):
    for kind in (ZoneKind.BOILERPLATE, ZoneKind.PHOTO_CREDIT, ZoneKind.COMMENT_USER, ZoneKind.COMMENTS_HEADER,
                 ZoneKind.KICKER, ZoneKind.BYLINE, ZoneKind.DATELINE, ZoneKind.IMAGE_ALT):
        assert _categories(nlp, kind) == set(), kind


def test_body_text_gets_every_text_category_but_no_symbolic_image(nlp):
    assert _categories(nlp, ZoneKind.BODY) == {"hedge", "unnamed_source", "outlet_attribution", "direct_quote"}


def test_reader_comments_are_coded_like_the_article(nlp):
    assert "hedge" in _categories(nlp, ZoneKind.COMMENT)


def test_symbolic_image_only_comes_from_captions(nlp):
    assert "symbolic_image" in _categories(nlp, ZoneKind.IMAGE_CAPTION)
    assert "symbolic_image" not in _categories(nlp, ZoneKind.BODY)
    assert "symbolic_image" not in _categories(nlp, ZoneKind.LEAD)


def test_a_caption_flagged_symbolic_in_a_body_zone_is_ignored(nlp):
    assert "symbolic_image" not in _categories(nlp, ZoneKind.BODY, symbolic=True)


def test_a_question_in_body_text_is_not_a_rhetorical_question(nlp):
    text = "Titel\n\nDer Bundesrat entscheidet morgen über das Gesetz, das viele betrifft. Wer zahlt das am Ende?"
    zones = [Zone(ZoneKind.HEADLINE, 0, 5), Zone(ZoneKind.BODY, 7, len(text))]
    assert [s for s in suggest_text(text, zones, nlp=nlp) if s.category == "rhetorical_question"] == []


def test_a_question_in_a_boilerplate_teaser_is_not_suggested(nlp):
    text = "Titel\n\nText.\n\nDroht jetzt das Chaos?"
    zones = [Zone(ZoneKind.HEADLINE, 0, 5), Zone(ZoneKind.BODY, 7, 12), Zone(ZoneKind.BOILERPLATE, 14, len(text))]
    assert suggest_text(text, zones, nlp=nlp) == []


def test_a_suggestion_never_crosses_a_zone_border(nlp):
    text = "Die Lage ist «ernst und\n\nbedrohlich», sagt sie."
    zones = [Zone(ZoneKind.BODY, 0, 23), Zone(ZoneKind.BODY, 25, len(text))]
    for s in suggest_text(text, zones, nlp=nlp):
        assert any(z.start <= s.start and s.end <= z.end for z in zones)


def test_a_headline_without_full_stop_is_its_own_sentence(nlp):
    # The headline must not run into the byline, or "Hans Muster" would name the experts.
    text = "Experten warnen\nHans Muster\n\nDer Text."
    zones = [Zone(ZoneKind.HEADLINE, 0, 15), Zone(ZoneKind.BYLINE, 16, 27), Zone(ZoneKind.BODY, 29, len(text))]
    assert [s.text for s in suggest_text(text, zones, nlp=nlp) if s.category == "unnamed_source"] == ["Experten"]


def test_the_zone_policy_is_configurable(tmp_path):
    import json

    from annotator.nlp.pipeline import build_pipeline

    (tmp_path / "hedge.jsonl").write_text(
        json.dumps({"label": "hedge", "pattern": [{"LOWER": "könnte"}], "id": "hedge_test"}) + "\n", encoding="utf-8"
    )
    nlp = build_pipeline(patterns_dir=tmp_path)
    policy = {"zones": {"*": ["headline"]}}
    nlp.replace_pipe("annotator_suggestion_filter", "annotator_suggestion_filter", config=policy)
    text = "Es könnte regnen\n\nEs könnte schneien."
    zones = [Zone(ZoneKind.HEADLINE, 0, 16), Zone(ZoneKind.BODY, 18, len(text))]
    assert [s.start for s in suggest_text(text, zones, nlp=nlp)] == [3]


def test_a_pattern_can_ask_for_a_zone(tmp_path):
    import json

    from annotator.nlp.pipeline import build_pipeline

    pattern = [{"LOWER": "droht", "_": {"zone": "headline"}}]
    (tmp_path / "rhetorical_question.jsonl").write_text(
        json.dumps({"label": "rhetorical_question", "pattern": pattern, "id": "threat_headline"}) + "\n",
        encoding="utf-8",
    )
    nlp = build_pipeline(patterns_dir=tmp_path)
    text = "Droht ein Verbot\n\nEs droht ein Verbot."
    zones = [Zone(ZoneKind.HEADLINE, 0, 16), Zone(ZoneKind.BODY, 18, len(text))]
    assert [(s.start, s.rule_id) for s in suggest_text(text, zones, nlp=nlp)] == [(0, "threat_headline")]
