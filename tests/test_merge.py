"""Offline coders: coder files out, merge back in; a three-file merge reproduces the study."""

from __future__ import annotations

import pytest

from annotator.cli import main
from annotator.gold import documents_by_disagreement, majority_gold
from annotator.merge import CodebookClash, export_coder_file, merge_project
from annotator.project import Project


def snapshot(project: Project):
    def key(doc_id):
        return project.document(doc_id).sha256

    spans = sorted((key(a.document_id), a.coder, a.category, a.start, a.end, a.note or "") for a in project.annotations())
    codes = sorted((key(l.document_id), l.coder, l.category, l.value) for l in project.document_labels())
    statuses = sorted((key(d), c, s.value, round(sec, 3)) for (d, c), (s, sec) in project.statuses().items())
    return spans, codes, statuses


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["demo", "--project", str(path), "--quiet"]) == 0
    return path


def test_three_coder_files_merge_back_into_the_same_study(demo, tmp_path):
    with Project.open(demo) as study:
        files = [export_coder_file(study, tmp_path / f"{c}.db", coder=c) for c in ("anna", "ben", "clara")]
        expected = snapshot(study)
        n_docs = study.document_count()
    with Project.create(tmp_path / "merged.db") as merged:
        reports = [merge_project(f, merged) for f in files]
        assert reports[0].documents_new == n_docs and reports[1].documents_matched == n_docs
        assert snapshot(merged) == expected
        again = [merge_project(f, merged) for f in files]
        assert all(r.spans_new == r.codes_new == r.codes_changed == r.statuses == r.documents_new == 0 for r in again)
        assert snapshot(merged) == expected


def test_offline_work_comes_back_and_replace_propagates_deletions(demo, tmp_path):
    with Project.open(demo) as study:
        laptop = export_coder_file(study, tmp_path / "ben.db", coder="ben")
    with Project.open(laptop) as p:
        doc = p.list_documents()[5].id
        mine = p.annotations(doc, coder="ben")
        p.delete_annotation(mine[0].id)
        p.add_annotation(doc, "ben", "loaded_language", mine[1].start, mine[1].end)
        sha = p.document(doc).sha256
    with Project.open(demo) as study:
        r = merge_project(laptop, study)
        assert r.spans_new == 1 and r.spans_removed == 0
        r = merge_project(laptop, study, replace_existing=True)
        assert r.spans_removed == 1
        sdoc = study.document_id_for_hash(sha)
        now = {(a.category, a.start, a.end) for a in study.annotations(sdoc, coder="ben")}
        assert (mine[0].category, mine[0].start, mine[0].end) not in now
        assert ("loaded_language", mine[1].start, mine[1].end) in now


def test_codebook_clash_is_clear_and_mapping_resolves_it(demo, tmp_path):
    from dataclasses import replace

    with Project.open(demo) as study:
        odd = export_coder_file(study, tmp_path / "odd.db", coder="clara")
    with Project.open(odd) as p:
        book = p.codebook()
        renamed = replace(book, categories=tuple(replace(c, id="spekulation") if c.id == "hedge" else c for c in book.categories))
        p.act_as(None)
        # a coder file whose codebook calls the category differently
        from annotator.storage.models import CategoryRow
        from sqlmodel import Session, select

        with Session(p._engine) as s:
            row = s.exec(select(CategoryRow).where(CategoryRow.slug == "hedge")).one()
            row.slug = "spekulation"
            s.add(row)
            s.commit()
        assert {c.id for c in p.codebook().categories} == {c.id for c in renamed.categories}
    with Project.create(tmp_path / "target.db") as target:
        with pytest.raises(CodebookClash, match="--map spekulation="):
            merge_project(odd, target)
        report = merge_project(odd, target, mapping={"spekulation": "hedge"})
        assert report.spans_new > 0
        assert any(a.category == "hedge" for a in target.annotations(coder="clara"))


def test_cli_merge_and_gold(demo, tmp_path, capsys):
    with Project.open(demo) as study:
        files = [str(export_coder_file(study, tmp_path / f"{c}.db", coder=c)) for c in ("anna", "ben", "clara")]
    target = str(tmp_path / "study.db")
    assert main(["merge", *files, "--into", target]) == 0
    out = capsys.readouterr().out
    assert "coders: anna, ben, clara" in out
    assert main(["gold", "--auto", "majority", "--project", target, "--any-status"]) == 0
    out = capsys.readouterr().out
    assert "gold span(s)" in out and "most disputed first" in out


def test_majority_gold_is_idempotent_and_leaves_disputes(demo, tmp_path):
    with Project.create(tmp_path / "g.db") as g:
        merge_project(demo, g)
        first = majority_gold(g, require_done=False)
        assert first.spans_added > 0 and first.codes_set > 0 and first.left_for_review > 0
        again = majority_gold(g, require_done=False)
        assert again.spans_added == again.codes_set == 0
        gold = g.annotations(coder="gold")
        for a in gold[:20]:
            voters = {x.coder for x in g.annotations(a.document_id) if (x.category, x.start, x.end) == (a.category, a.start, a.end)}
            assert len(voters - {"gold"}) >= 2
        ranked = documents_by_disagreement(g)
        assert ranked == sorted(ranked, key=lambda x: (-x[1], x[0]))
        assert "gold" in {c.name for c in g.coders() if c.is_gold}


def test_the_gold_layer_exports(demo, tmp_path):
    import csv

    from annotator.export.exchange import export_spans_csv

    with Project.create(tmp_path / "g2.db") as g:
        merge_project(demo, g)
        majority_gold(g, require_done=False)
        result = export_spans_csv(g, tmp_path / "gold.csv", coders="gold")
        assert result.spans == len(g.annotations(coder="gold")) > 0
    with open(tmp_path / "gold.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["coder"] for r in rows} == {"gold"} and {r["gold"] for r in rows} == {"1"}
