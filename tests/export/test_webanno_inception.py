"""WebAnno TSV files as INCEpTION writes them import as they are: other layers, tags, users, curation.

The files under ``inception/`` are written by hand in the styles INCEpTION's own test suite and
project exports use: NamedEntity ``identifier|value`` columns, a custom span layer and a relation
layer beside them, stacked ``ORG[2]|MISC[3]`` values, ``*`` placeholders, escaped ``\\_``, sub-token
rows (``2-7.1``), ``#Sentence.id`` lines, and the ``annotation/<document>/<user>.tsv`` layout of a
project export with ``curation/<document>/CURATION_USER.tsv``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_corpus import ARTICLES, new_project

from annotator.cli import main
from annotator.export.reports import ExchangeError
from annotator.export.webanno import export_webanno
from annotator.export.webanno_import import import_webanno, read_tag_map

FILES = Path(__file__).parent / "inception"
INTERVIEW = FILES / "interview-07.tsv"
INTERVIEW_TEXT = (
    "Laut Anna Meier (SRF) könnte der Preis steigen.\n\nDie LOC-Gemeinde prüft das – sagt ORF-Sprecher Huber."
)
NAMED_ENTITY_TAGS = {"PER": "personalisation", "LOC_KOMMUNE": "unnamed_source"}


def _spans(project, coder=None):
    return {(a.coder, a.category, a.text) for a in project.annotations(coder=coder)}


def test_named_entities_map_to_categories_the_rest_is_counted_and_the_document_comes_along(fresh):
    report = import_webanno(fresh, INTERVIEW, label_feature="value", tag_map=NAMED_ENTITY_TAGS, coder="lea")

    assert report.rejected == [] and report.documents_created == ["interview-07"]
    assert report.unmapped == {"ORG": 2, "MISC": 1, "* (no value)": 1}
    assert "4 not mapped to a category: ORG (2), * (no value) (1), MISC (1)" in report.summary()
    doc = fresh.document(fresh.document_id_for("interview-07"))
    assert doc.text == INTERVIEW_TEXT
    assert _spans(fresh) == {("lea", "personalisation", "Anna Meier"), ("lea", "unnamed_source", "LOC-Gemeinde")}

    # The next run maps ORG too: the stacked tag and the sub-token come in with their exact text.
    again = import_webanno(
        fresh, INTERVIEW, label_feature="value", tag_map={**NAMED_ENTITY_TAGS, "ORG": "outlet_attribution"}, coder="lea"
    )
    assert (again.spans, again.unchanged, again.documents_created) == (2, 2, [])
    assert _spans(fresh) >= {("lea", "outlet_attribution", "SRF"), ("lea", "outlet_attribution", "ORF")}


def test_a_file_without_the_label_feature_names_the_features_it_has(fresh):
    report = import_webanno(fresh, INTERVIEW, coder="lea")
    assert len(report.rejected) == 1
    reason = report.rejected[0].reason
    assert "NamedEntity (identifier, value)" in reason and "webanno.custom.Bewertung (Wertung)" in reason
    assert reason.endswith("name the feature that holds the tag with --label-feature")
    assert fresh.document_id_for("interview-07") is None


def test_a_mapping_to_a_category_the_codebook_lacks_is_refused_before_anything_changes(fresh):
    with pytest.raises(ExchangeError, match="PER=person: 'person' is not a span category"):
        import_webanno(fresh, INTERVIEW, label_feature="value", tag_map={"PER": "person"})
    assert fresh.document_id_for("interview-07") is None


def test_inception_project_export_keeps_one_coder_per_user_and_curation_as_the_gold_layer(fresh):
    report = import_webanno(fresh, FILES / "project", coder="lea")

    assert report.rejected == [] and report.documents_created == ["gotthard"]
    assert sorted(report.coders_created) == ["anna", "ben", "gold"]
    assert {c.name: c.is_gold for c in fresh.coders()} == {"anna": False, "ben": False, "gold": True}
    assert _spans(fresh) == {
        ("anna", "rhetorical_question", "Droht ein Stau am Gotthard?"),
        ("anna", "hedge", "könnt"),
        ("ben", "hedge", "könnte"),
        ("ben", "unnamed_source", "Beobachtern"),
        ("gold", "hedge", "könnte"),
    }
    assert any("INITIAL_CAS.tsv: skipped" in note for note in report.notes)
    assert any("'lea' was not used for 2 file(s)" in note for note in report.notes)


def test_exported_coder_folders_laid_out_as_inception_exports_them_come_back_per_user(labelled, fresh, tmp_path):
    """One export folder per coder, placed as INCEpTION's project export places each user's file."""
    for coder in ("anna", "ben"):
        export_webanno(labelled, tmp_path / coder, coders=coder)
        for file in (tmp_path / coder).glob("*.tsv"):
            target = tmp_path / "export" / "annotation" / f"{file.stem}.txt" / f"{coder}.tsv"
            target.parent.mkdir(parents=True, exist_ok=True)
            # INCEpTION writes back only the layer's own features; drop the coder column as it would be lost.
            rows = file.read_text(encoding="utf-8").replace("|label|coder", "|label").split("\n")
            target.write_text("\n".join(_without_last_column(r) for r in rows), encoding="utf-8")
    report = import_webanno(fresh, tmp_path / "export")
    assert report.rejected == [] and report.documents_created == []
    expected = {(a.coder, a.category, a.text) for a in labelled.annotations() if a.coder in ("anna", "ben")}
    assert _spans(fresh) == expected


def _without_last_column(row: str) -> str:
    if not row[:1].isdigit():
        return row
    cells = row.split("\t")
    return "\t".join(cells[:-2] + [""])


def test_tag_map_file_reads_equals_tabs_and_comments_and_names_a_bad_line(tmp_path):
    good = tmp_path / "tags.txt"
    good.write_text("# INCEpTION NER tags\nPER=personalisation\nORG\toutlet_attribution\n\nLOC_KOMMUNE ; unnamed_source\n")
    assert read_tag_map(good) == {"PER": "personalisation", "ORG": "outlet_attribution", "LOC_KOMMUNE": "unnamed_source"}
    bad = tmp_path / "bad.txt"
    bad.write_text("PER=personalisation\nORG\n")
    with pytest.raises(ExchangeError, match="bad.txt: line 2: expected TAG=category, not 'ORG'"):
        read_tag_map(bad)


# --- command line ------------------------------------------------------------------------------------


def test_import_webanno_command_maps_tags_and_lists_what_did_not_map(tmp_path, capsys):
    db = tmp_path / "study.db"
    with new_project(tmp_path, "study", ARTICLES):
        pass
    tags = tmp_path / "tags.txt"
    tags.write_text("LOC_KOMMUNE=unnamed_source\n", encoding="utf-8")
    code = main([
        "import-webanno", str(INTERVIEW), "--project", str(db), "--label-feature", "value",
        "--map", "PER=personalisation", "--map-file", str(tags), "--coder", "lea",
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "2 span label(s)" in out and "1 new document(s)" in out
    assert "not mapped to a category: ORG (2), * (no value) (1), MISC (1)" in out
    assert "--map TAG=category" in out


def test_plain_import_of_a_webanno_file_says_what_it_is(tmp_path, capsys):
    code = main(["import", str(INTERVIEW), "--project", str(tmp_path / "x.db")])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == (
        f"error: {INTERVIEW}: a WebAnno TSV file (INCEpTION), not a corpus of articles; "
        "import its labels with 'annotator import-webanno'"
    )
    code = main(["import", str(FILES), "--project", str(tmp_path / "x.db")])
    _, err = capsys.readouterr()
    assert code == 1 and "5 WebAnno TSV file(s) (INCEpTION), not a corpus" in err
    assert not (tmp_path / "x.db").exists()
