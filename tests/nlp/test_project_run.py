"""A project's suggestion run: one document spaCy cannot take does not stop the others."""

from __future__ import annotations

from annotator.cli import main
from annotator.project import Project


def test_a_document_over_spacys_limit_is_skipped_and_named_the_rest_is_processed(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraph = "Der Rat könnte neue Regeln erlassen, sagen Experten. " * 20
    (corpus / "huge.txt").write_text("Ein sehr langer Text\n\n" + "\n\n".join([paragraph] * 950), encoding="utf-8")
    (corpus / "short.txt").write_text("Kurz\n\nDie Kosten dürften steigen.", encoding="utf-8")
    db = str(tmp_path / "big.db")
    assert main(["import", str(corpus), "--project", db, "-q"]) == 0
    with Project.open(db) as p:
        huge = p.document(p.document_id_for("huge"))
        short = p.document_id_for("short")
    assert len(huge.text) > 1_000_000
    capsys.readouterr()

    code = main(["suggest", "--project", db, "-q"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("1 document(s) processed, 0 already up to date")
    assert f"; 1 skipped: huge ({len(huge.text):,} characters, more than the suggester's limit of 1,000,000)" in out
    with Project.open(db) as p:
        assert [s.text for s in p.suggestions.pending(short, "anna")] == ["dürften"]
        assert p.suggestions.pending(huge.id, "anna") == []

    assert main(["suggest", "--project", db, "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("0 document(s) processed, 1 already up to date") and "1 skipped: huge (" in out
