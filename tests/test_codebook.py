"""The codebook file: a bad one is refused with a message naming the file, the category and the fix,
and a refused import leaves the project's codebook as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.codebook import default_codebook_path, load_codebook, load_default
from annotator.errors import CodebookError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_corpus"

SPAN = '[[category]]\nid = "{id}"\nname = "{id}"\nkind = "span"\ncolour = "#112233"\n'


def _write(tmp_path, text: str, name: str = "book.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _shipped_with(old: str, new: str) -> str:
    text = default_codebook_path().read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_the_shipped_codebook_stays_valid():
    from annotator.codebook import WORKBENCH_KEYS, key_text

    book = load_default()
    assert len(book.span_categories) == 8 and len(book.document_categories) == 6
    keys = {key_text(c.key) for c in book.categories}
    assert not keys & set(WORKBENCH_KEYS)


def test_a_version_that_is_not_a_number_is_a_clear_error(tmp_path):
    path = _write(tmp_path, _shipped_with("version = 1", 'version = "eins"'))
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value) == f"{path}: 'version' must be a whole number such as 1, not 'eins'"


@pytest.mark.parametrize(
    ("key", "action"),
    [("A", "Accept suggestion"), ("a", "Accept suggestion"), ("x", "Reject suggestion"), ("N", "Edit note of label…"),
     (".", "Next suggestion"), ("]", "Next label"), ("Ctrl+Z", "Undo"), ("ctrl+z", "Undo"), ("shift+ctrl+z", "Redo"),
     ("Shift+A", "Accept all suggestions of this category here"), ("Delete", "Delete label"), ("F1", "Keyboard reference")],
)  # fmt: skip
def test_a_key_of_a_built_in_action_is_refused_naming_the_action(tmp_path, key, action):
    path = _write(tmp_path, _shipped_with('key = "2"', f'key = "{key}"'))
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value) == (
        f"{path}: category 'hedge': key {key!r} is the workbench's key for '{action}'; "
        "choose a key no built-in action uses (see Edit > Keyboard shortcuts)"
    )


@pytest.mark.parametrize("key", ["foo", "Ctrl+", "Ctrl+A, B", "Hyper+1"])
def test_a_key_that_is_not_one_key_is_refused(tmp_path, key):
    path = _write(tmp_path, _shipped_with('key = "2"', f'key = "{key}"'))
    with pytest.raises(CodebookError, match=re.escape(f"category 'hedge': key '{key}' is not one key; use a single key")):
        load_codebook(path)


def test_keys_that_differ_only_in_spelling_are_one_key(tmp_path):
    text = SPAN.format(id="a") + 'key = "ctrl+1"\n' + SPAN.format(id="b") + 'key = "Ctrl + 1"\n'
    with pytest.raises(CodebookError, match="category 'b': key 'Ctrl \\+ 1' is already used by 'a'"):
        load_codebook(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("parents", "cycle"),
    [({"a": "a"}, "a -> a"), ({"a": "b", "b": "a"}, "a -> b -> a"), ({"a": "b", "b": "c", "c": "a"}, "a -> b -> c -> a")],
)
def test_parent_cycles_are_refused(tmp_path, parents, cycle):
    text = "".join(SPAN.format(id=cid) + f'parent = "{parent}"\n' for cid, parent in parents.items())
    path = _write(tmp_path, text)
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value) == (
        f"{path}: category 'a': the parents form a cycle ({cycle}); give one of these categories no parent"
    )


def test_a_parent_chain_without_a_cycle_is_fine(tmp_path):
    text = SPAN.format(id="a") + SPAN.format(id="b") + 'parent = "a"\n' + SPAN.format(id="c") + 'parent = "b"\n'
    assert [c.parent for c in load_codebook(_write(tmp_path, text)).categories] == [None, "a", "b"]


# --- the project's codebook ----------------------------------------------------------------------------------


@pytest.fixture
def study(tmp_path, capsys):
    db = str(tmp_path / "study.db")
    assert main(["import", str(SAMPLE / "clean_articles.jsonl"), "--project", db, "-q"]) == 0
    capsys.readouterr()
    return db


def _codebook_import(capsys, db, path):
    code = main(["codebook", "import", str(path), "--project", db])
    out, err = capsys.readouterr()
    return code, out, err


def _codebook_of(db):
    from annotator.project import Project

    with Project.open(db) as p:
        return p.codebook()


def test_cli_reports_a_bad_version_in_one_line(tmp_path, capsys, study):
    path = _write(tmp_path, _shipped_with("version = 1", 'version = "eins"'))
    code, _, err = _codebook_import(capsys, study, path)
    assert code == 1
    assert err == f"error: {path}: 'version' must be a whole number such as 1, not 'eins'\n"


def test_a_used_span_category_cannot_become_document_level(tmp_path, capsys, study):
    from annotator.project import Project

    with Project.open(study) as p:
        doc = p.list_documents()[0]
        p.add_annotation(doc.id, "anna", "hedge", 0, 3)
    before = _codebook_of(study)
    changed = _shipped_with('kind = "span"\nkey = "2"', 'kind = "document"\nkey = "2"\nvalues = ["no", "yes"]')
    path = _write(tmp_path, changed)
    code, _, err = _codebook_import(capsys, study, path)
    assert code == 1
    assert err == (
        f"error: {path}: category 'hedge' is a span category with 1 label(s); it cannot become a document-level "
        "category, or its labels would drop out of reliability; keep its kind, or give the new category another id\n"
    )
    assert _codebook_of(study) == before


def test_a_used_document_category_cannot_become_a_span_category(tmp_path, capsys, study):
    from annotator.project import Project

    with Project.open(study) as p:
        doc = p.list_documents()[0]
        p.set_document_label(doc.id, "anna", "tone", "neutral")
    changed = _shipped_with('kind = "document"\nkey = "y"', 'kind = "span"\nkey = "y"')
    code, _, err = _codebook_import(capsys, study, _write(tmp_path, changed))
    assert code == 1
    assert "category 'tone' is a document-level category with 1 label(s); it cannot become a span category" in err
    assert _codebook_of(study).get("tone").kind.value == "document"


def test_an_unused_category_may_change_its_kind(tmp_path, capsys, study):
    changed = _shipped_with('kind = "span"\nkey = "2"', 'kind = "document"\nkey = "2"\nvalues = ["no", "yes"]')
    code, _, err = _codebook_import(capsys, study, _write(tmp_path, changed))
    assert code == 0, err
    assert _codebook_of(study).get("hedge").kind.value == "document"
