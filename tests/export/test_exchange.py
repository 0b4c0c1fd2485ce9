"""Long-format exports (CSV, XLSX, JSONL), the JSONL round trip and the spaCy DocBin."""

from __future__ import annotations

import csv
import json

import pytest
from exchange_corpus import ARTICLES, ODD_CODER, at, code_keys, new_project, span_keys

from annotator.domain import Origin
from annotator.export.exchange import (
    CODE_COLUMNS,
    SPAN_COLUMNS,
    document_codes_path,
    export_docbin,
    export_spans,
    export_spans_csv,
    export_spans_jsonl,
    export_spans_xlsx,
    import_spans_jsonl,
)
from annotator.export.reports import ExchangeError

# --- CSV -------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_span_and_a_file_for_document_codes(labelled, tmp_path):
    path = tmp_path / "out" / "spans.csv"
    result = export_spans_csv(labelled, path)

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for umlauts
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(labelled.annotations()) == result.spans == 16
    assert tuple(rows[0]) == SPAN_COLUMNS
    quote = next(r for r in rows if r["coder"] == "anna" and r["category"] == "direct_quote")
    assert quote["text"] == "«Wir prüfen alle Optionen»"
    assert quote["external_id"] == "bern/2026-001" and quote["outlet"] == "Thuner Tagblatt"
    assert quote["zone"] == "body" and quote["category_name"] == "Direct quote"
    assert {r["gold"] for r in rows if r["coder"] == "gold"} == {"1"}
    assert next(r for r in rows if r["coder"] == "gold")["note"] == "Konjunktiv | unsicher_[x] *"
    assert next(r for r in rows if r["category"] == "rhetorical_question")["zone"] == "headline"

    codes_path = document_codes_path(path)
    assert codes_path.name == "spans_document_codes.csv"
    with codes_path.open(encoding="utf-8-sig", newline="") as handle:
        codes = list(csv.DictReader(handle))
    assert tuple(codes[0]) == CODE_COLUMNS
    assert len(codes) == len(labelled.document_labels()) == result.document_codes == 5
    assert {(c["coder"], c["category"], c["value"]) for c in codes if c["external_id"] == "bern/2026-001"} >= {
        ("anna", "tone", "negative"),
        ("ben", "tone", "neutral"),
    }


def test_csv_for_german_excel_uses_semicolons(labelled, tmp_path):
    path = tmp_path / "spans.csv"
    export_spans_csv(labelled, path, delimiter=";")
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.split(";")[:3] == ["annotation_id", "document_id", "external_id"]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 16
    assert {r["text"] for r in rows} >= {"Die Kosten dürften steigen", "Kilometer lang werden.\n\nBeobachter"}


def test_csv_rejects_a_delimiter_that_cannot_work(labelled, tmp_path):
    with pytest.raises(ExchangeError, match="delimiter"):
        export_spans_csv(labelled, tmp_path / "spans.csv", delimiter=";;")


def test_export_of_one_coder_holds_only_that_coder(labelled, tmp_path):
    path = tmp_path / "gold.csv"
    result = export_spans_csv(labelled, path, coders="gold")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["coder"] for r in rows] == ["gold"] and result.spans == 1 and result.document_codes == 1


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_opens_with_two_sheets_and_keeps_formula_like_text_as_text(labelled, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "spans.xlsx"
    export_spans_xlsx(labelled, path)
    book = load_workbook(path)
    assert book.sheetnames == ["spans", "document_codes"]
    spans = list(book["spans"].iter_rows(values_only=True))
    assert spans[0] == SPAN_COLUMNS
    assert len(spans) - 1 == 16
    text_column = SPAN_COLUMNS.index("text")
    assert "=Ja" in [row[text_column] for row in spans[1:]]
    cell = next(c for c in book["spans"].iter_rows(min_row=2) if c[text_column].value == "=Ja")[text_column]
    assert cell.data_type == "s"
    assert len(list(book["document_codes"].iter_rows())) - 1 == 5


def test_export_spans_picks_the_format_by_extension(labelled, tmp_path):
    assert export_spans(labelled, tmp_path / "a.xlsx").paths == [tmp_path / "a.xlsx"]
    assert export_spans(labelled, tmp_path / "a.jsonl").spans == 16
    with pytest.raises(ExchangeError, match=r"\.csv, \.xlsx or \.jsonl"):
        export_spans(labelled, tmp_path / "a.txt")


def test_cancelled_export_leaves_no_file(labelled, tmp_path):
    path = tmp_path / "out" / "spans.csv"
    result = export_spans_csv(labelled, path, cancel=lambda: True)
    assert result.cancelled and result.summary() == "cancelled; nothing was written"
    assert list(path.parent.iterdir()) == []  # no half file, no temporary file


# --- JSONL -----------------------------------------------------------------------------------------


def test_jsonl_lines_are_typed_and_self_describing(labelled, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path)
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert items[0]["type"] == "meta" and items[0]["format"] == "annotator.spans"
    kinds = [i["type"] for i in items[1:]]
    assert kinds.count("span") == 16 and kinds.count("document_code") == 5
    span = next(i for i in items if i["type"] == "span" and i["coder"] == "gold")
    assert span["sha256"] and span["text"] == "dürften" and span["gold"] is True
    suggested = next(i for i in items if i["type"] == "span" and i["coder"] == "anna" and i["text"] == "dürften")
    assert suggested["origin"] == "suggestion" and suggested["zone"] == "body"


def test_jsonl_round_trip_into_a_fresh_project_gives_identical_labels(labelled, fresh, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path)

    report = import_spans_jsonl(fresh, path)

    assert report.rejected == []
    assert (report.spans, report.document_codes, report.unchanged) == (16, 5, 0)
    assert sorted(report.coders_created) == sorted(["anna", "ben", "gold", ODD_CODER])
    assert span_keys(fresh) == span_keys(labelled)
    assert code_keys(fresh) == code_keys(labelled)
    assert {c.name: c.is_gold for c in fresh.coders()}["gold"] is True
    origins = {(a.coder, a.text): a.origin for a in fresh.annotations()}
    assert origins[("anna", "dürften")] is Origin.SUGGESTION and origins[("anna", "könnte")] is Origin.MANUAL


def test_jsonl_import_can_mark_everything_as_imported(labelled, fresh, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path)
    import_spans_jsonl(fresh, path, origin=Origin.IMPORTED)
    assert {a.origin for a in fresh.annotations()} == {Origin.IMPORTED}


def test_importing_the_same_file_twice_adds_nothing(labelled, fresh, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path)
    import_spans_jsonl(fresh, path)
    before = span_keys(fresh), code_keys(fresh)

    again = import_spans_jsonl(fresh, path)

    assert (again.spans, again.document_codes, again.unchanged, again.rejected) == (0, 0, 21, [])
    assert again.coders_created == []
    assert (span_keys(fresh), code_keys(fresh)) == before
    assert len(fresh.annotations()) == 16


def test_lines_whose_text_no_longer_matches_are_rejected_with_their_line_numbers(labelled, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path)
    # The same articles, but the Thun article got an extra sentence at the start of its body.
    edited = [dict(ARTICLES[0], text="Nachtrag: Die Sitzung ist öffentlich.\n\n" + ARTICLES[0]["text"]), ARTICLES[1]]
    with new_project(tmp_path, "edited", edited) as target:
        report = import_spans_jsonl(target, path)

        lines = path.read_text(encoding="utf-8").splitlines()
        shifted = [
            n for n, line in enumerate(lines, start=1)
            if json.loads(line).get("type") == "span" and json.loads(line)["external_id"] == "bern/2026-001"
            and json.loads(line)["start"] > len("Streit um die «Brücke» in Thun")
        ]  # fmt: skip
        assert [p.location for p in report.rejected] == [f"line {n}" for n in shifted]
        assert all("the document text differs" in p.reason for p in report.rejected)
        assert "cover" in report.rejected[0].reason
        # The headline did not move: its label, the other article's labels and all codes still come in.
        assert report.spans == 16 - len(shifted) and report.document_codes == 5
        assert ("anna", "loaded_language", "Streit") in {(a.coder, a.category, a.text) for a in target.annotations()}


def test_bad_lines_are_reported_and_the_rest_imported(labelled, fresh, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    good = json.loads(lines[1])
    lines[1:1] = [
        "{not json",
        json.dumps(dict(good, text="etwas anderes")),
        json.dumps(dict(good, external_id="gibt-es-nicht", sha256="0" * 64)),
        json.dumps(dict(good, category="no_such_category")),
        json.dumps({k: v for k, v in good.items() if k != "end"}),
        json.dumps(dict(good, type="status")),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_spans_jsonl(fresh, path)

    reasons = {p.location: p.reason for p in report.rejected}
    assert list(reasons) == [f"line {n}" for n in range(2, 8)]
    assert "not valid JSON" in reasons["line 2"]
    assert "'etwas anderes'" in reasons["line 3"] and "text differs" in reasons["line 3"]
    assert "no document with external id 'gibt-es-nicht'" in reasons["line 4"]
    assert "no_such_category" in reasons["line 5"]
    assert reasons["line 6"] == "missing field 'end'"
    assert "unknown line type 'status'" in reasons["line 7"]
    assert report.spans == 16
    assert str(report.rejected[0]) == "labels.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes)"


def test_a_rejected_line_creates_no_coder(labelled, fresh, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path, coders="anna")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    span = next(i for i in items if i["type"] == "span")
    code = next(i for i in items if i["type"] == "document_code")
    lines = [
        dict(span, coder="zoe", category="tone"),  # a document-level category on a span line
        dict(code, coder="yves", value="sehr negativ"),  # a value the codebook does not have
        dict(span, coder="xena", text="anders"),
    ]
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in lines), encoding="utf-8")

    report = import_spans_jsonl(fresh, path)

    assert [p.location for p in report.rejected] == ["line 1", "line 2", "line 3"]
    assert "'tone' is a document-level category" in report.rejected[0].reason
    assert f"'sehr negativ' is not a value of '{code['category']}'" in report.rejected[1].reason
    assert report.coders_created == [] and fresh.coders() == []


def test_a_document_is_found_by_its_text_hash_when_the_external_id_differs(labelled, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path, coders="anna")
    renamed = [dict(ARTICLES[0], id="thun-neu"), dict(ARTICLES[1], id="gotthard-neu")]
    with new_project(tmp_path, "renamed", renamed) as target:
        report = import_spans_jsonl(target, path)
        assert report.rejected == [] and report.spans == 9


def test_a_conflicting_document_code_is_kept_unless_replacing(labelled, fresh, tmp_path):
    path = tmp_path / "labels.jsonl"
    export_spans_jsonl(labelled, path)
    thun = fresh.document_id_for("bern/2026-001")
    fresh.set_document_label(thun, "anna", "tone", "positive")

    report = import_spans_jsonl(fresh, path)
    assert len(report.rejected) == 1 and "already coded 'tone' as 'positive'" in report.rejected[0].reason
    assert {(l.coder, l.value) for l in fresh.document_labels(thun) if l.category == "tone"} >= {("anna", "positive")}

    replaced = import_spans_jsonl(fresh, path, replace_codes=True)
    assert replaced.rejected == [] and replaced.document_codes == 1
    assert ("anna", "negative") in {(l.coder, l.value) for l in fresh.document_labels(thun) if l.category == "tone"}


def test_a_file_from_elsewhere_is_refused_as_a_whole(fresh, tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps({"type": "meta", "format": "something.else"}) + "\n", encoding="utf-8")
    with pytest.raises(ExchangeError, match="not an annotator span export"):
        import_spans_jsonl(fresh, path)
    with pytest.raises(ExchangeError, match="cannot read"):
        import_spans_jsonl(fresh, tmp_path / "missing.jsonl")


# --- DocBin ----------------------------------------------------------------------------------------


def _load_docbin(path):
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("de").vocab))


def test_docbin_loads_back_with_each_coders_spans_at_the_same_offsets(labelled, tmp_path):
    path = tmp_path / "corpus.spacy"
    result = export_docbin(labelled, path)
    assert result.documents == 2 and result.spans == 16 and result.expanded == 0

    docs = {d.user_data["annotator"]["external_id"]: d for d in _load_docbin(path)}
    assert set(docs) == {"bern/2026-001", "Z-2"}
    for doc in labelled.iter_documents():
        spacy_doc = docs[doc.external_id]
        assert spacy_doc.text == doc.text
        for coder in ("anna", "ben", "gold", ODD_CODER):
            expected = sorted((a.start, a.end, a.category) for a in labelled.annotations(doc.id, coder=coder))
            got = sorted((s.start_char, s.end_char, s.label_) for s in spacy_doc.spans[coder])
            assert got == expected, (doc.external_id, coder)
    thun = docs["bern/2026-001"]
    assert thun.cats == {}  # several coders: codes live in user_data, not in cats
    meta = thun.user_data["annotator"]
    assert meta["document_codes"]["anna"] == {"tone": "negative", "frame_conflict": "present"}
    assert meta["outlet"] == "Thuner Tagblatt" and tuple(meta["zones"][0]) == ("headline", 0, 30)
    assert meta["status"]["anna"] == "in_progress"


def test_docbin_for_one_coder_puts_document_codes_in_cats(labelled, tmp_path):
    path = tmp_path / "gold.spacy"
    export_docbin(labelled, path, coders="gold")
    docs = {d.user_data["annotator"]["external_id"]: d for d in _load_docbin(path)}
    thun = docs["bern/2026-001"]
    assert list(thun.spans) == ["gold"]
    assert [(s.text, s.label_) for s in thun.spans["gold"]] == [("dürften", "hedge")]
    assert thun.cats == {"tone=negative": 1.0, "tone=neutral": 0.0, "tone=positive": 0.0}
    assert docs["Z-2"].cats == {} and len(docs["Z-2"].spans["gold"]) == 0


def test_docbin_widens_spans_inside_tokens_and_counts_them(labelled, tmp_path):
    gotthard = labelled.document_id_for("Z-2")
    start, _ = at(labelled.document(gotthard).text, "könnte")
    labelled.add_annotation(gotthard, "carla", "hedge", start, start + 5)  # "könnt"
    path = tmp_path / "carla.spacy"
    result = export_docbin(labelled, path, coders=["carla"])
    assert result.expanded == 1
    doc = next(d for d in _load_docbin(path) if d.user_data["annotator"]["external_id"] == "Z-2")
    assert [(s.text, s.start_char) for s in doc.spans["carla"]] == [("könnte", start)]
