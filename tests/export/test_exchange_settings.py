"""Whether suggestions were on is recorded in every export (some designs require unprimed coders)."""

from __future__ import annotations

import csv
import json

from annotator.export.exchange import export_spans_csv, export_spans_jsonl
from annotator.export.webanno import STUDY_NOTE, export_webanno


def test_suggestion_setting_travels_with_every_export(article_project, tmp_path):
    p = article_project
    doc = p.document_id_for("drohnen")
    p.add_annotation(doc, "anna", "hedge", 0, 9)
    p.update_settings(suggestions_enabled=False)
    export_spans_csv(p, tmp_path / "s.csv")
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and {r["suggestions_on"] for r in rows} == {"0"}
    export_spans_jsonl(p, tmp_path / "s.jsonl")
    meta = json.loads((tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert meta["suggestions_enabled"] is False
    export_webanno(p, tmp_path / "tsv")
    assert json.loads((tmp_path / "tsv" / STUDY_NOTE).read_text(encoding="utf-8"))["suggestions_enabled"] is False
