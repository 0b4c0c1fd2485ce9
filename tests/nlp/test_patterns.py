"""Pattern files: round trip, override folder, version, and errors that name the file and line."""

from __future__ import annotations

import json
import shutil

import pytest
import spacy

from annotator.nlp.patterns import PatternError, default_patterns_dir, load_patterns, pattern_set_version
from annotator.nlp.pipeline import build_pipeline
from annotator.nlp.suggest import suggest_text

SAMPLE = (
    "Experten könnten recht haben, wie «Blick» berichtet. Laut NZZ ist es vermutlich so. "
    "«Wir prüfen alle Optionen», sagte die Ministerin. Aus Regierungskreisen hiess es, man warte ab."
)


def _copy_set(tmp_path):
    folder = tmp_path / "patterns"
    shutil.copytree(default_patterns_dir(), folder)
    return folder


def test_every_shipped_pattern_has_a_label_matching_its_file_and_an_id():
    for entry, source in load_patterns(default_patterns_dir()):
        assert entry["label"] in source.file
        assert entry.get("id"), source


def test_ruler_to_disk_and_from_disk_round_trip_exactly(nlp, tmp_path):
    ruler = nlp.get_pipe("annotator_cue_ruler")
    ruler.to_disk(tmp_path / "saved")
    files = sorted(p.name for p in (tmp_path / "saved").glob("*.jsonl"))
    assert files == sorted(f"{label}.jsonl" for label in ruler.labels)
    again = build_pipeline(patterns_dir=tmp_path / "saved")
    assert again.get_pipe("annotator_cue_ruler").patterns == ruler.patterns
    assert suggest_text(SAMPLE, nlp=again) == suggest_text(SAMPLE, nlp=nlp)


def test_written_pattern_files_are_plain_spacy_jsonl(nlp, tmp_path):
    nlp.get_pipe("annotator_cue_ruler").to_disk(tmp_path)
    import srsly

    for path in tmp_path.glob("*.jsonl"):
        for entry in srsly.read_jsonl(path):
            assert set(entry) <= {"label", "pattern", "id"}


def test_the_whole_pipeline_saves_and_loads_with_identical_behaviour(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    assert suggest_text(SAMPLE, nlp=loaded) == suggest_text(SAMPLE, nlp=nlp)
    assert pattern_set_version(loaded) == pattern_set_version(nlp)


def test_a_project_folder_overrides_the_shipped_patterns(tmp_path):
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "hedge.jsonl").write_text(
        json.dumps({"label": "hedge", "pattern": [{"LOWER": "eventuell"}], "id": "hedge_own"}) + "\n", encoding="utf-8"
    )
    own = build_pipeline(patterns_dir=folder)
    found = suggest_text("Das könnte eventuell klappen.", nlp=own)
    assert [(s.text, s.rule_id) for s in found] == [("eventuell", "hedge_own")]


def test_an_own_outlet_list_is_used(tmp_path):
    outlets = tmp_path / "outlets.txt"
    outlets.write_text("# local papers\nDorfblatt Seewen\n", encoding="utf-8")
    nlp = build_pipeline(outlets_file=outlets)
    assert [s.text for s in suggest_text("Laut Dorfblatt Seewen ist das Fest abgesagt.", nlp=nlp)] == [
        "Laut Dorfblatt Seewen"
    ]


def test_version_is_the_same_for_a_folder_and_its_pipeline(nlp):
    assert pattern_set_version(default_patterns_dir()) == pattern_set_version(nlp)
    assert len(pattern_set_version(nlp)) == 16


def test_version_changes_when_a_pattern_file_changes(tmp_path):
    folder = _copy_set(tmp_path)
    before = pattern_set_version(folder)
    hedge = folder / "hedge.jsonl"
    hedge.write_text(
        hedge.read_text(encoding="utf-8")
        + json.dumps({"label": "hedge", "pattern": [{"LOWER": "eventuell"}], "id": "hedge_own"})
        + "\n",
        encoding="utf-8",
    )
    assert pattern_set_version(folder) != before


def test_version_ignores_formatting_but_not_the_outlet_list(tmp_path):
    folder = _copy_set(tmp_path)
    before = pattern_set_version(folder)
    hedge = folder / "hedge.jsonl"
    hedge.write_text(hedge.read_text(encoding="utf-8").replace('", "', '",  "') + "\n\n", encoding="utf-8")
    assert pattern_set_version(folder) == before
    outlets = tmp_path / "outlets.txt"
    outlets.write_text("NZZ\n", encoding="utf-8")
    assert pattern_set_version(folder, outlets_file=outlets) != before


def test_version_changes_with_a_component_setting(nlp):
    other = build_pipeline()
    other.replace_pipe("annotator_quote_finder", "annotator_quote_finder", config={"min_words": 5})
    assert pattern_set_version(other) != pattern_set_version(nlp)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "hedge.jsonl:2: not valid JSON"),
        ('{"label": "hedge"}', "hedge.jsonl:2: the pattern has no 'pattern'"),
        ('{"label": "unnamed_source", "pattern": "Experten"}', "put it in unnamed_source.jsonl"),
        (
            '{"label": "hedge", "pattern": [{"LOWR": "x"}], "id": "typo"}',
            "hedge.jsonl:2: spaCy rejects the pattern of rule 'typo'",
        ),
    ],
)
def test_a_broken_pattern_names_its_file_and_line(tmp_path, line, message):
    folder = tmp_path / "broken"
    folder.mkdir()
    good = json.dumps({"label": "hedge", "pattern": [{"LOWER": "wohl"}], "id": "ok"})
    (folder / "hedge.jsonl").write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(PatternError, match=message.replace("(", r"\(").replace("[", r"\[")):
        build_pipeline(patterns_dir=folder)


def test_a_missing_pattern_folder_is_a_clear_error(tmp_path):
    with pytest.raises(PatternError, match="no such pattern folder"):
        build_pipeline(patterns_dir=tmp_path / "nowhere")
