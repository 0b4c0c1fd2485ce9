"""A project's own pattern folder is checked before anything is saved or run: every mistake is one clear
line naming the file (and line) and the fix, and a refused folder never becomes the project's setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.nlp.patterns import MAX_REPEAT, PatternError
from annotator.nlp.pipeline import build_pipeline
from annotator.project import Project

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_corpus"


def _line(label: str, pattern, rule: str = "own_rule") -> str:
    return json.dumps({"label": label, "pattern": pattern, "id": rule}) + "\n"


def _folder(tmp_path, files: dict[str, str], name: str = "own") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def study(tmp_path, capsys):
    db = str(tmp_path / "study.db")
    assert main(["import", str(SAMPLE / "clean_articles.jsonl"), "--project", db, "-q"]) == 0
    capsys.readouterr()
    return db


def _suggest(capsys, db, *args):
    code = main(["suggest", "--project", db, "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _saved_patterns(db) -> str:
    with Project.open(db) as p:
        return p.settings().patterns_dir


def _stored_suggestions(db) -> list:
    with Project.open(db) as p:
        return [s for d in p.list_documents() for s in p.suggestions.pending(d.id, "anna")]


GOOD = _line("hedge", [{"LOWER": "dürfte"}])


def test_an_invalid_regex_names_file_line_and_pattern(tmp_path):
    folder = _folder(tmp_path, {"hedge.jsonl": GOOD + _line("hedge", [{"LOWER": {"REGEX": "(unclosed"}}], "bad_re")})
    with pytest.raises(PatternError) as caught:
        build_pipeline(patterns_dir=folder)
    assert str(caught.value) == (
        f"{folder / 'hedge.jsonl'}:2: rule 'bad_re': \"REGEX\": '(unclosed' is not a regular expression "
        "(missing ), unterminated subpattern at position 0); correct it or delete the line"
    )


def test_a_regex_in_an_extension_attribute_is_checked_too(tmp_path):
    bad = _line("hedge", [{"LOWER": "soll"}, {"_": {"zone": {"REGEX": "*body"}}}], "bad_zone")
    folder = _folder(tmp_path, {"hedge.jsonl": bad})
    with pytest.raises(PatternError, match=r"hedge.jsonl:1: rule 'bad_zone': \"REGEX\": '\*body' is not a regular"):
        build_pipeline(patterns_dir=folder)


@pytest.mark.parametrize("op", ["{0,2000}", "{12}", "{11,}", "{,50}"])
def test_a_repeat_bound_above_the_maximum_is_refused_before_spacy_unfolds_it(tmp_path, op):
    bad = _line("hedge", [{"LOWER": "bald"}, {"OP": op}, {"LOWER": "x"}], "greedy")
    folder = _folder(tmp_path, {"hedge.jsonl": GOOD + bad})
    with pytest.raises(PatternError) as caught:
        build_pipeline(patterns_dir=folder)
    assert str(caught.value).startswith(
        f"{folder / 'hedge.jsonl'}:2: rule 'greedy': \"OP\": {op!r} repeats a token more than {MAX_REPEAT} times;"
    )
    assert "use a bound up to 10, or \"*\" or \"+\"" in str(caught.value)


def test_repeat_bounds_within_the_maximum_still_work(tmp_path):
    folder = _folder(tmp_path, {"hedge.jsonl": _line("hedge", [{"LOWER": "bald"}, {"OP": "{0,10}"}, {"LOWER": "x"}])})
    from annotator.nlp.suggest import suggest_text

    assert [s.text for s in suggest_text("Es kommt bald ganz sicher x und so.", nlp=build_pipeline(patterns_dir=folder))] == [
        "bald ganz sicher x"
    ]


# --- against the project: codebook, folder, and the saved setting ------------------------------------------


def _unknown(tmp_path):
    return _folder(tmp_path, {"hedge.jsonl": GOOD, "hedgee.jsonl": _line("hedgee", [{"LOWER": "bald"}])})


def _document_level(tmp_path):
    return _folder(tmp_path, {"hedge.jsonl": GOOD, "tone.jsonl": _line("tone", [{"LOWER": "skandal"}])})


def _empty(tmp_path):
    return _folder(tmp_path, {})


def _readme_only(tmp_path):
    return _folder(tmp_path, {"README.md": "# my patterns\n"})


def _bad_regex(tmp_path):
    return _folder(tmp_path, {"hedge.jsonl": _line("hedge", [{"LOWER": {"REGEX": "[a-"}}], "bad_re")})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_unknown, ("{folder}/hedgee.jsonl: the project's codebook has no category 'hedgee'; name the file after "
                    "one of its span categories (symbolic_image, hedge, unnamed_source, ")),
        (_document_level, ("{folder}/tone.jsonl: 'tone' is a document-level category; patterns suggest spans, so "
                           "only span categories have pattern files: remove tone.jsonl")),
        (_empty, "{folder}: no pattern files (<category>.jsonl) in this folder; copy resources/patterns/ as a start"),
        (_readme_only, "{folder}: no pattern files (<category>.jsonl) in this folder"),
        (_bad_regex, "{folder}/hedge.jsonl:1: rule 'bad_re': \"REGEX\": '[a-' is not a regular expression"),
    ],
)  # fmt: skip
def test_suggest_with_a_bad_folder_fails_cleanly_and_keeps_the_setting(tmp_path, capsys, study, make, message):
    folder = make(tmp_path)
    code, out, err = _suggest(capsys, study, "--patterns", str(folder))
    assert code == 1
    assert err.startswith("error: " + message.format(folder=folder.resolve()))
    assert err.count("\n") == 1 and "Traceback" not in err
    assert _saved_patterns(study) == ""
    assert _stored_suggestions(study) == []
    code, out, err = _suggest(capsys, study)
    assert code == 0, err
    assert "8 document(s) processed" in out


def test_a_saved_folder_that_broke_later_says_how_to_go_back(tmp_path, capsys, study):
    folder = _folder(tmp_path, {"hedge.jsonl": GOOD})
    assert _suggest(capsys, study, "--patterns", str(folder))[0] == 0
    assert _saved_patterns(study) == str(folder.resolve())
    (folder / "hedge.jsonl").write_text(_line("hedge", [{"LOWER": {"REGEX": "(x"}}], "broken"), encoding="utf-8")
    code, _, err = _suggest(capsys, study, "--force")
    assert code == 1 and err.count("\n") == 1
    assert f"{folder.resolve() / 'hedge.jsonl'}:1: rule 'broken'" in err
    assert err.rstrip().endswith(
        f"(this project's pattern folder is {folder.resolve()}; correct it, or go back to the shipped patterns: "
        f"annotator suggest --patterns default --project {study})"
    )
    code, _, err = _suggest(capsys, study, "--patterns", "default")
    assert code == 0, err
    assert _saved_patterns(study) == ""


def test_a_missing_outlet_list_is_refused_and_not_saved(tmp_path, capsys, study):
    code, _, err = _suggest(capsys, study, "--outlets", str(tmp_path / "nowhere.txt"))
    assert code == 1
    assert err == f"error: {tmp_path / 'nowhere.txt'}: no such outlet list\n"
    with Project.open(study) as p:
        assert p.settings().outlets_file == ""


def test_no_span_suggestions_are_stored_for_a_document_level_category(tmp_path, capsys, study):
    """The quote finder proposes 'direct_quote'; in a codebook where that is a document code, it is dropped."""
    assert any(s.category == "direct_quote" for s in _run_and_list(capsys, study))
    book = tmp_path / "book.toml"
    assert main(["codebook", "export", str(book), "--project", study]) == 0
    text = book.read_text(encoding="utf-8")
    start = text.index('id = "direct_quote"')
    changed = text[:start] + text[start:].replace('kind = "span"', 'kind = "document"\nvalues = ["no", "yes"]', 1)
    book.write_text(changed, encoding="utf-8")
    assert main(["codebook", "import", str(book), "--project", study]) == 0
    found = _run_and_list(capsys, study, "--force")
    assert found and not any(s.category == "direct_quote" for s in found)


def _run_and_list(capsys, db, *args):
    code, _, err = _suggest(capsys, db, *args)
    assert code == 0, err
    return _stored_suggestions(db)
