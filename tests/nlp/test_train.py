"""Training a span model on a project's labels: data, split, the loop end to end, and the model as a suggester."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.nlp.suggest import Suggestion
from annotator.nlp.train import TrainingError, split_documents, train_span_model, training_data

ARTICLES = {
    f"a{i}.txt": f"Titel Nummer {i}\n\nDer Rat könnte das Gesetz im Herbst ändern. «Wir prüfen alles», sagte "
    f"Frau Muster.\n\nDie Gemeinde {i} baut ein Schulhaus. Das dürfte teuer werden."
    for i in range(6)
}
CUES = [("hedge", "könnte"), ("hedge", "dürfte"), ("direct_quote", "«Wir prüfen alles»")]


@pytest.fixture
def project(tmp_path):
    from annotator.project import Project

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with Project.create(tmp_path / "study.db") as project:
        project.import_corpus(corpus)
        for doc in project.iter_documents():
            for category, cue in CUES:
                start = doc.text.index(cue)
                project.add_annotation(doc.id, "gold", category, start, start + len(cue))
                project.add_annotation(doc.id, "anna", category, start, start + len(cue))
            start = doc.text.index("Schulhaus")
            project.add_annotation(doc.id, "anna", "loaded_language", start, start + 9)
        yield project


def test_the_gold_layer_is_preferred_and_identical_spans_count_once(project):
    data = training_data(project)
    assert data.source == "gold" and data.coders == ["gold"]
    assert sorted(data.categories) == ["direct_quote", "hedge"]  # only categories with labels
    assert len(data.documents) == 6
    assert all(len(d.spans) == 3 for d in data.documents)


def test_without_gold_the_coders_labels_are_pooled(project):
    data = training_data(project, coders=["anna"])
    assert data.source == "coders"
    assert "loaded_language" in data.categories
    assert all(len(d.spans) == 4 for d in data.documents)


def test_an_unknown_category_is_a_clear_error(project):
    with pytest.raises(TrainingError, match="unknown span category hedges"):
        training_data(project, categories=["hedges"])


def test_the_split_is_by_document_and_fixed_by_the_seed(project):
    documents = training_data(project).documents
    train, held = split_documents(documents, 0.34, seed=7)
    assert (len(train), len(held)) == (4, 2)
    assert {d.name for d in held} == {d.name for d in split_documents(documents, 0.34, seed=7)[1]}
    assert not {d.name for d in train} & {d.name for d in held}
    _, chosen = split_documents(documents, 0.5, seed=1, heldout=["a0", "a1"])
    assert sorted(d.name for d in chosen) == ["a0", "a1"]
    with pytest.raises(TrainingError, match="at least two"):
        split_documents(documents[:1], 0.2, seed=1)


def test_training_runs_saves_reloads_and_suggests_with_scores(project, tmp_path):
    from annotator.nlp.span_model import load_span_model, model_suggestions, read_model_meta

    seen = []
    report = train_span_model(
        project, output_dir=tmp_path / "model", max_epochs=2, patience=5, seed=3,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert report.epochs == 2 and seen == [(1, 2), (2, 2)]
    assert report.evaluation is not None and set(report.scores()) == {"direct_quote", "hedge", "(all)"}
    assert report.train_documents == 5 and len(report.heldout_documents) == 1
    meta = read_model_meta(tmp_path / "model")
    assert meta["categories"] == report.categories and meta["data_digest"] == report.data_digest
    assert meta["scores"]["hedge"]["overlap"].keys() >= {"precision", "recall", "f1"}
    assert load_span_model(tmp_path / "model").pipe_names == ["spancat"]

    doc = next(project.iter_documents())
    [(key, found)] = model_suggestions(tmp_path / "model", [(doc.id, doc.text, doc.zones)], threshold=0.0)
    assert key == doc.id and found
    for s in found:
        assert isinstance(s, Suggestion) and s.rule_id == "model:model"
        assert 0.0 <= s.extra["score"] <= 1.0
        assert doc.text[s.start : s.end] == s.text and s.text == s.text.strip()
    for category in {s.category for s in found}:  # overlapping spans of a category: only the best is kept
        spans = sorted((s.start, s.end) for s in found if s.category == category)
        assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))


def test_a_cancelled_run_saves_nothing(project, tmp_path):
    report = train_span_model(project, output_dir=tmp_path / "model", max_epochs=3, cancel=lambda: True)
    assert report.cancelled and not (tmp_path / "model").exists()
    assert "cancelled" in report.summary()


def test_rules_and_model_run_together(project, tmp_path):
    from annotator.nlp.project_run import run_suggester

    train_span_model(project, output_dir=tmp_path / "model", max_epochs=1, seed=3)
    report = run_suggester(project, model_dir=tmp_path / "model", model_threshold=0.0)
    assert report.documents == 6
    doc = next(project.iter_documents())
    stored = project.suggestions.pending(doc.id, "clara")
    assert any(s.rule_id.startswith("model:") for s in stored)
    rule_hedge = [s for s in stored if s.rule_id == "hedge_konjunktiv" and s.text == "könnte"]
    assert len(rule_hedge) == 1
    keys = [(s.category, s.start, s.end) for s in stored]
    assert len(keys) == len(set(keys))  # a span both propose is stored once
    assert run_suggester(project, model_dir=tmp_path / "model").documents == 0  # nothing changed since


def test_a_model_span_equal_to_a_rule_span_adds_its_score_to_the_rule():
    from annotator.nlp.span_model import merge_suggestions

    rule = Suggestion(1, "hedge", 4, 10, "könnte", "hedge_konjunktiv", {"x": 1})
    same = Suggestion(1, "hedge", 4, 10, "könnte", "model:m", {"score": 0.9})
    other = Suggestion(1, "hedge", 20, 26, "dürfte", "model:m", {"score": 0.7})
    merged = merge_suggestions([rule], [other, same])
    assert [(s.rule_id, s.extra) for s in merged] == [
        ("hedge_konjunktiv", {"x": 1, "score": 0.9}),
        ("model:m", {"score": 0.7}),
    ]


def test_a_folder_without_a_model_is_a_clear_error(tmp_path):
    from annotator.nlp.span_model import load_span_model

    with pytest.raises(TrainingError, match="no trained span model"):
        load_span_model(tmp_path)


def test_the_training_module_does_not_load_spacy_on_import():
    code = "import sys, annotator.nlp.train; print(json.dumps('spacy' in sys.modules))"
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) is False
