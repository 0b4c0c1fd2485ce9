"""The windowed matcher finds exactly what spaCy's Matcher finds, pattern by pattern."""

from __future__ import annotations

import random

import pytest
from spacy.matcher import Matcher

from annotator.nlp.matching import WindowedMatcher

WORDS = ["der", "die", "laut", "könnte", "es", "ist", "nicht", "wie", "berichtet", "«", "»", ",", ".", "sagte",
         "experten", "zu", "hören", "soll", "in", "kreisen"]  # fmt: skip
REGEXES = ["^[\\w-]*(?:experten|kritiker)$", "en$", "^zu", "^[\\w-]+kreisen?$"]
OPS = [None, None, None, "?", "+", "*", "!", "{0,2}", "{1,3}", "{2}", "{,2}", "{1,}"]


def _random_spec(rng: random.Random) -> dict:
    kind = rng.choice(["lower", "lower_in", "orth", "regex", "ent", "flag", "text_regex", "combo"])
    if kind == "lower":
        spec = {"LOWER": rng.choice(WORDS)}
    elif kind == "lower_in":
        spec = {"LOWER": {"IN": rng.sample(WORDS, 3)}}
    elif kind == "orth":
        spec = {"ORTH": {"IN": [w.capitalize() for w in rng.sample(WORDS, 3)] + ["«", "."]}}
    elif kind == "regex":
        spec = {"LOWER": {"REGEX": rng.choice(REGEXES)}}
    elif kind == "ent":
        spec = {"ENT_TYPE": "OUTLET"}
    elif kind == "flag":
        spec = {rng.choice(["IS_PUNCT", "IS_LOWER", "IS_ALPHA", "IS_TITLE"]): rng.choice([True, False])}
    elif kind == "text_regex":
        spec = {"TEXT": {"REGEX": "^[A-ZÄÖÜ]"}}
    else:
        spec = {"LOWER": {"REGEX": rng.choice(REGEXES)}, "IS_LOWER": rng.choice([True, False])}
    op = rng.choice(OPS)
    if op is not None:
        spec["OP"] = op
    return spec


def _random_pattern(rng: random.Random) -> list[dict]:
    pattern = [_random_spec(rng) for _ in range(rng.randint(1, 5))]
    unbounded = [s for s in pattern if s.get("OP") in ("+", "*", "{1,}")]
    for spec in unbounded[1:]:  # one unbounded token at most: keeps spaCy's own match lists small
        spec["OP"] = "?"
    if all(s.get("OP") in ("?", "*", "{0,2}", "{,2}") for s in pattern):
        pattern[0].pop("OP", None)
    return pattern


@pytest.fixture(scope="module")
def docs(nlp):
    from annotator.nlp.suggest import suggest_documents  # noqa: F401 - the pipeline's factories

    texts = [
        "Laut «SRF» könnte es nicht so sein, wie «Blick» berichtet. Experten sagte: «Nie».",
        "Es ist nicht auszuschliessen, dass die Kritiker recht haben. In Regierungskreisen war zu hören, es soll.",
        "Der Bund, so die NZZ am Sonntag, prüft. Kreisen die Geier?",
    ]
    import pathlib

    sample = pathlib.Path(__file__).resolve().parents[2] / "sample_corpus"
    texts += [p.read_text(encoding="utf-8")[:2500] for p in sorted(sample.glob("ch-*.txt"))[:4]]
    outlets = nlp.get_pipe("annotator_outlet_tagger")
    prepared = []
    for text in texts:
        doc = nlp.make_doc(text)
        for name, component in nlp.pipeline:
            doc = component(doc)
            if component is outlets:
                break
        prepared.append(doc)
    return prepared


def test_random_patterns_match_as_in_spacy(nlp, docs):
    rng = random.Random(20260)
    for round_ in range(300):
        pattern = _random_pattern(rng)
        reference = Matcher(nlp.vocab)
        reference.add("p", [pattern])
        windowed = WindowedMatcher(nlp.vocab)
        windowed.add("p", pattern)
        for doc in docs:
            expected = {(s, e) for _, s, e in reference(doc)}
            assert {(s, e) for _, s, e in windowed(doc)} == expected, (round_, pattern, doc.text[:60])


def test_the_shipped_patterns_match_as_one_spacy_matcher(nlp, docs):
    ruler = nlp.get_pipe("annotator_cue_ruler")
    reference = Matcher(nlp.vocab)
    for entry in ruler.patterns:
        if isinstance(entry["pattern"], list):
            reference.add(f"{entry['label']}\x1f{entry.get('id') or entry['label']}", [entry["pattern"]])
    for doc in docs:
        assert set(ruler.matcher(doc)) == set(reference(doc))


def test_a_pattern_spacy_rejects_is_rejected(nlp):
    from spacy.errors import MatchPatternError

    with pytest.raises((MatchPatternError, ValueError, KeyError)):
        WindowedMatcher(nlp.vocab).add("bad", [{"LOWR": "x"}])
