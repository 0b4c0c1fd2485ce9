"""The reliability report: what the filters let in, that its numbers are the coefficients' own, and
that data which cannot give a coefficient give a reason instead of a crash."""

from __future__ import annotations

import json
import math
from itertools import combinations
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import (
    SpanDocument,
    alpha_without_each_coder,
    binary_unitized_alpha,
    bootstrap_alpha,
    bootstrap_unitized_alpha,
    brennan_prediger_kappa,
    disagreements,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    span_f1,
    token_agreement,
    token_matrix,
    unitized_alpha,
)
from annotator.agreement.data import (
    AgreementInputError,
    Continuum,
    ReliabilityFilter,
    collect,
    document_matrix,
    span_documents,
    value_numbers,
)
from annotator.agreement.report import build_report, verdict
from annotator.domain import Status, ZoneKind
from annotator.project import Project

SAMPLES = 200


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from annotator.cli import main

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["demo", "--project", str(path), "--quiet"]) == 0
    with Project.open(path) as project:
        yield project


@pytest.fixture(scope="module")
def demo_report(demo):
    return build_report(demo, bootstrap_samples=SAMPLES)


ARTICLES = [
    ("a1", "Streit um Brücke", "Die Kosten dürften steigen, sagen Fachleute.\n\nDer Rat könnte am Montag entscheiden."),
    ("a2", "Neue Regeln", "Beobachter erwarten eine Einigung.\n\nDas dürfte dauern, heisst es in Bern."),
    ("a3", "Sturm im Tal", "Der Sturm hat Dächer abgedeckt.\n\nVermutlich bleibt die Strasse bis Freitag zu."),
]


def small_project(tmp_path: Path, articles=ARTICLES) -> Project:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": i, "title": t, "text": x}, ensure_ascii=False) + "\n" for i, t, x in articles),
        encoding="utf-8",
    )
    project = Project.create(tmp_path / "small.db")
    assert project.import_corpus(corpus).new == len(articles)
    return project


def doc_of(project: Project, external_id: str):
    return project.document(project.document_id_for(external_id))


def mark(project: Project, external_id: str, coder: str, category: str, phrase: str, occurrence: int = 1) -> None:
    doc = doc_of(project, external_id)
    start = -1
    for _ in range(occurrence):
        start = doc.text.index(phrase, start + 1)
    project.add_annotation(doc.id, coder, category, start, start + len(phrase))


def finish(project: Project, coders, external_ids=None) -> None:
    for doc in project.iter_documents():
        if external_ids is None or doc.external_id in external_ids:
            for coder in coders:
                project.set_status(doc.id, coder, Status.DONE, add_seconds=60)


def mean(values) -> float:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined)


# --- the filter and the continuum ----------------------------------------------------------------


def test_filter_normalises_and_rejects_what_it_cannot_read():
    flt = ReliabilityFilter(coders=["anna", "ben"], zones=["body", ZoneKind.BOILERPLATE, "headline"])
    assert flt.coders == ("anna", "ben")
    assert flt.zones == ("body", "headline")  # furniture never counts, even when asked for
    assert ReliabilityFilter(statuses=["any", "done"]).statuses == ("any",)
    assert ReliabilityFilter(statuses=[Status.DONE, Status.IN_PROGRESS]).statuses == ("done", "in_progress")
    assert "boilerplate" not in ReliabilityFilter().zone_kinds
    with pytest.raises(AgreementInputError, match="unknown status 'finished'"):
        ReliabilityFilter(statuses=["finished"])
    with pytest.raises(AgreementInputError, match="unknown zone 'footer'"):
        ReliabilityFilter(zones=["footer"])


def test_continuum_joins_the_selected_ranges_and_maps_back():
    text = "Titel\n\nDer Rat könnte entscheiden."
    mask = np.zeros(len(text), dtype=bool)
    mask[0:5] = True
    mask[7:] = True
    c = Continuum.from_mask(1, mask)
    assert c.segments == ((0, 5), (7, len(text))) and c.offsets == (0, 5) and c.length == len(text) - 2
    assert c.text(text) == "TitelDer Rat könnte entscheiden."
    assert c.clip(7, 10) == (5, 8)  # "Der"
    assert c.clip(3, 10) == (3, 8)  # a span over the gap keeps only selected characters
    assert c.clip(5, 7) is None  # only the blank line between zones
    assert c.original_range(3, 8) == (3, 10)
    tokens = [c.text(text)[s:e] for s, e in c.tokens(text)]
    assert tokens == ["Titel", "Der", "Rat", "könnte", "entscheiden", "."]  # no "TitelDer"


def test_spans_are_clipped_and_remapped_to_the_continuum(tmp_path):
    with small_project(tmp_path) as project:
        mark(project, "a1", "anna", "hedge", "dürften")
        mark(project, "a1", "ben", "hedge", "Brücke\n\nDie Kosten")  # from the headline into the body
        finish(project, ["anna", "ben"])
        data = collect(project, ReliabilityFilter())
        doc = doc_of(project, "a1")
        cont = data.continuum(doc.id)
        assert cont.segments == ((0, 16), (18, 62), (64, 101))  # headline, two body paragraphs
        spans = {s.coder: s for s in data.spans}
        start = doc.text.index("dürften")
        assert (spans["anna"].continuum_start, spans["anna"].continuum_end) == (start - 2, start - 2 + 7)
        assert (spans["ben"].start, spans["ben"].end) == (doc.text.index("Brücke"), doc.text.index(" Kosten") + 7)
        assert spans["ben"].continuum_end - spans["ben"].continuum_start == len("Brücke") + len("Die Kosten")
        body_only = collect(project, ReliabilityFilter(zones=["body"]))
        ben = next(s for s in body_only.spans if s.coder == "ben")
        assert doc.text[ben.start : ben.end] == "Die Kosten"  # clipped to the selected zone


def test_boilerplate_never_counts(article_project):
    project = article_project
    page = next(d for d in project.iter_documents() if any(z.kind is ZoneKind.BOILERPLATE for z in d.zones))
    furniture = [z for z in page.zones if z.kind is ZoneKind.BOILERPLATE]
    for flt in (ReliabilityFilter(statuses=["any"]), ReliabilityFilter(statuses=["any"], zones=["boilerplate", "body"])):
        data = collect(project, flt)
        cont = data.continuum(page.id)
        for s, e in cont.segments:
            assert not any(z.start < e and s < z.end for z in furniture)
        words = {page.text[cont.original(s) : cont.original(e - 1) + 1] for s, e in data.tokens(data.documents.index(page))}
        assert "Weiterlesen" not in words and "MEHR" not in words
    codable = sum(z.end - z.start for z in page.zones if z.kind.codable)
    assert collect(project, ReliabilityFilter(statuses=["any"])).continuum(page.id).length == codable


def test_only_documents_every_coder_finished_count_by_default(demo, demo_report):
    unfinished = {"ch-windpark-hohe-winde", "j-velo-winterthur", "de-zulieferer-zwickau"}
    ids = {d.id: d.external_id for d in demo.iter_documents()}
    excluded = {ids[e["document_id"]] for e in demo_report.excluded_documents}
    assert unfinished <= excluded
    assert demo_report.documents == 22
    included = {ids[d.document_id] for d in demo_report.raw_documents}
    assert not included & unfinished
    started = collect(demo, ReliabilityFilter(statuses=["done", "in_progress"]))
    assert len(started.documents) == 25 and unfinished <= {d.external_id for d in started.documents}
    assert len(collect(demo, ReliabilityFilter(statuses=["any"])).documents) == len(ids)


def test_a_subset_of_coders(demo):
    flt = ReliabilityFilter(coders=["anna", "ben"], categories=["hedge", "tone"])
    report = build_report(demo, flt, bootstrap_samples=0)
    assert report.coders == ["anna", "ben"]
    assert report.documents == 24  # ben left one article unfinished; anna finished all
    assert [r.category for r in report.rows()] == ["hedge", "tone"]
    docs = span_documents(demo, flt)
    assert all(set(d.spans) == {"anna", "ben"} for d in docs)
    assert report.row("hedge").alpha_u == pytest.approx(unitized_alpha(docs, "hedge"), abs=1e-12)
    coders, units, matrix = document_matrix(demo, "tone", flt)
    assert coders == ["anna", "ben"] and len(units) == 24
    order = ["negative", "neutral", "positive"]
    assert report.row("tone").alpha == pytest.approx(krippendorff_alpha(matrix, "ordinal", value_order=order), abs=1e-12)
    assert report.row("tone").interval is None and "0 samples" in report.row("tone").reasons["interval"]


def test_body_only_leaves_out_labels_on_captions(demo):
    report = build_report(demo, ReliabilityFilter(zones=["body"]), bootstrap_samples=0)
    symbolic = report.row("symbolic_image")  # symbolic images are marked on captions only
    assert sum(symbolic.spans_per_coder.values()) == 0
    assert symbolic.alpha_u is None and "no coder marked a span of category 'symbolic_image'" in symbolic.reasons["alpha_u"]
    assert symbolic.verdict == "undefined"
    assert sum(c.labels_outside_zones for c in report.coder_summaries) > 0
    assert any("outside the selected zones" in w for w in report.warnings)
    docs = {d.id: d for d in demo.iter_documents()}
    for s in report.raw_spans:
        zones = [z for z in docs[s.document_id].zones if z.start <= s.start and s.end <= z.end]
        assert zones and all(z.kind is ZoneKind.BODY for z in zones)
    hedge = report.row("hedge")
    assert hedge.alpha_u is not None and hedge.characters < build_report(demo, bootstrap_samples=0).row("hedge").characters


def test_gold_coders_stay_out_unless_asked_for(tmp_path):
    with small_project(tmp_path) as project:
        project.ensure_coder("gold", is_gold=True)
        for coder in ("anna", "ben", "gold"):
            mark(project, "a1", coder, "hedge", "dürften")
        finish(project, ["anna", "ben", "gold"])
        assert collect(project).coders == ("anna", "ben")
        assert collect(project, ReliabilityFilter(include_gold=True)).coders == ("anna", "ben", "gold")
        assert collect(project, ReliabilityFilter(coders=["gold", "anna"])).coders == ("gold", "anna")
        with pytest.raises(AgreementInputError, match="unknown coder 'zoe'"):
            collect(project, ReliabilityFilter(coders=["zoe"]))



def test_a_member_who_never_coded_is_not_a_coder(tmp_path):
    from annotator.coding_activity import coders_who_coded

    with small_project(tmp_path) as project:
        mark(project, "a1", "anna", "hedge", "dürften")
        mark(project, "a1", "ben", "hedge", "dürften")
        finish(project, ["anna", "ben"])
        project.ensure_coder("lead")  # opened the workbench as "lead" …
        # … and, in an older version, got time and "in progress" for looking at a document
        project.set_status(doc_of(project, "a1").id, "lead", Status.IN_PROGRESS, add_seconds=40)
        project.set_status(doc_of(project, "a2").id, "dora", Status.DONE)  # nothing to mark there: that is coding
        assert coders_who_coded(project) == ["anna", "ben", "dora"]
        assert coders_who_coded(project, [doc_of(project, "a1").id]) == ["anna", "ben"]
        data = collect(project, ReliabilityFilter(statuses=["any"]))
        assert data.coders == ("anna", "ben", "dora")
        assert collect(project).coders == ("anna", "ben", "dora") and len(collect(project).documents) == 1
        report = build_report(project, ReliabilityFilter(statuses=["any"]), bootstrap_samples=0)
    assert report.coders == ["anna", "ben", "dora"]
    assert [c.coder for c in report.coder_summaries] == ["anna", "ben", "dora"]

# --- the numbers are the agreement functions' own ------------------------------------------------


def test_span_rows_equal_direct_calls(demo, demo_report):
    docs = span_documents(demo, ReliabilityFilter())
    coders = list(docs[0].spans)
    for row in demo_report.span_categories:
        cat = row.category
        assert row.alpha_u == pytest.approx(unitized_alpha(docs, cat), abs=1e-12)
        assert row.binary_alpha_u == pytest.approx(binary_unitized_alpha(docs, cat), abs=1e-12)
        tokens = token_agreement(docs, cat)
        assert row.token_alpha == pytest.approx(tokens.alpha, abs=1e-12)
        assert row.fleiss_kappa == pytest.approx(tokens.fleiss_kappa, abs=1e-12)
        assert row.mean_cohen_kappa == pytest.approx(mean(tokens.cohen_kappa.values()), abs=1e-12)
        assert row.token_percent_agreement == pytest.approx(percent_agreement(token_matrix(docs, cat)[1]), abs=1e-12)
        for match, value in (("exact", row.f1_exact), ("overlap", row.f1_overlap)):
            f1 = mean(span_f1(docs, a, b, match=match, category=cat).f1 for a, b in combinations(coders, 2))
            assert value == pytest.approx(f1, abs=1e-12)
        boot = bootstrap_unitized_alpha(docs, cat, n_samples=SAMPLES, seed=demo_report.settings["seed"])
        assert (row.interval.low, row.interval.high) == pytest.approx((boot.low, boot.high), abs=1e-12)
        assert row.interval.prob_below == pytest.approx(boot.prob_below)
        assert row.verdict == verdict(row.alpha_u)
        assert row.documents == 22 and row.coders == 3
    assert demo_report.overall.alpha_u == pytest.approx(unitized_alpha(docs), abs=1e-12)
    assert demo_report.overall.binary_alpha_u == pytest.approx(binary_unitized_alpha(docs), abs=1e-12)


def test_span_alphas_agree_with_the_published_demo_figures(demo_report):
    # sample_corpus/README.md: "roughly" these alpha-u values on the articles all three finished
    published = {"symbolic_image": 0.87, "outlet_attribution": 0.89, "direct_quote": 0.87, "rhetorical_question": 0.79,
                 "unnamed_source": 0.75, "hedge": 0.62, "loaded_language": 0.57, "personalisation": 0.56}  # fmt: skip
    for category, value in published.items():
        assert demo_report.row(category).alpha_u == pytest.approx(value, abs=0.015)


def test_document_rows_equal_direct_calls_and_other_libraries(demo, demo_report):
    for row in demo_report.document_categories:
        cat = next(c for c in demo.categories() if c.id == row.category)
        coders, units, matrix = document_matrix(demo, cat.id)
        order = list(cat.values) if cat.level == "ordinal" else None
        assert row.alpha == pytest.approx(krippendorff_alpha(matrix, cat.level, value_order=order), abs=1e-12)
        assert row.percent_agreement == pytest.approx(percent_agreement(matrix), abs=1e-12)
        assert row.fleiss_kappa == pytest.approx(fleiss_kappa(matrix), abs=1e-12)
        assert row.brennan_prediger == pytest.approx(brennan_prediger_kappa(matrix, categories=cat.values), abs=1e-12)
        assert row.gwet_ac1 == pytest.approx(gwet_ac1(matrix, categories=cat.values), abs=1e-12)
        weights = "quadratic" if cat.level == "ordinal" else None
        rank = {v: i for i, v in enumerate(cat.values)}
        pairs = [
            cohen_kappa_score([rank[v] for v in matrix[i]], [rank[v] for v in matrix[j]], weights=weights,
                              labels=list(range(len(cat.values))))
            for i, j in combinations(range(len(coders)), 2)
        ]  # fmt: skip
        assert row.mean_cohen_kappa == pytest.approx(float(np.mean(pairs)), abs=1e-12)
        numbers = value_numbers(cat)
        coded = [[numbers[v] for v in r] for r in matrix]
        boot = bootstrap_alpha(coded, cat.level, n_samples=SAMPLES, seed=demo_report.settings["seed"], method="units",
                               value_order=sorted(numbers.values()) if order else None)  # fmt: skip
        assert (row.interval.low, row.interval.high) == pytest.approx((boot.low, boot.high), abs=1e-12)
        assert row.interval.method == "units"
        assert row.kappa_weights == weights


def test_raw_document_codes_reproduce_alpha_with_the_krippendorff_package(demo_report):
    for block in demo_report.raw_document_codes:
        data = np.array([[np.nan if v is None else v for v in r] for r in block.codes], dtype=float)
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=block.level)
        assert demo_report.row(block.category).alpha == pytest.approx(theirs, abs=1e-9)
    tone = next(b for b in demo_report.raw_document_codes if b.category == "tone")
    assert tone.value_codes == [(1.0, "negative"), (2.0, "neutral"), (3.0, "positive")]


def test_raw_spans_rebuild_the_continuum(demo_report):
    coders = demo_report.coders
    docs = []
    for d in demo_report.raw_documents:
        spans = {c: [] for c in coders}
        for s in demo_report.raw_spans:
            if s.document_id == d.document_id:
                spans[s.coder].append((s.continuum_start, s.continuum_end, s.category))
        docs.append(SpanDocument(d.continuum_length, spans))
    for row in demo_report.span_categories:
        assert unitized_alpha(docs, row.category) == pytest.approx(row.alpha_u, abs=1e-12)


def test_raw_spans_quote_the_original_text(demo, demo_report):
    docs = {d.id: d for d in demo.iter_documents()}
    assert len(demo_report.raw_spans) == sum(sum(r.spans_per_coder.values()) for r in demo_report.span_categories)
    for s in demo_report.raw_spans:
        assert docs[s.document_id].text[s.start : s.end] == s.text
        assert s.end - s.start >= s.continuum_end - s.continuum_start


def test_leave_one_out(demo, demo_report):
    docs = span_documents(demo, ReliabilityFilter())
    tone = document_matrix(demo, "tone")
    without = alpha_without_each_coder(tone[2], "ordinal", coders=tone[0], value_order=["negative", "neutral", "positive"])
    for summary in demo_report.coder_summaries:
        rest = [SpanDocument(d.length, {c: v for c, v in d.spans.items() if c != summary.coder}) for d in docs]
        assert summary.leave_one_out["hedge"] == pytest.approx(unitized_alpha(rest, "hedge"), abs=1e-12)
        assert summary.leave_one_out["tone"] == pytest.approx(without[summary.coder], abs=1e-12)
    ben = next(s for s in demo_report.coder_summaries if s.coder == "ben")
    assert ben.leave_one_out["tone"] > demo_report.row("tone").alpha + 0.2  # ben rates tone more negatively


def test_coder_workload_comes_from_statuses(demo, demo_report):
    done = {s.coder: s.documents_done for s in demo_report.coder_summaries}
    assert done == {"anna": 25, "ben": 24, "clara": 23}
    seconds = {}
    for (doc_id, coder), (status, secs) in demo.statuses().items():
        seconds[coder] = seconds.get(coder, 0.0) + secs
    for s in demo_report.coder_summaries:
        assert s.seconds == pytest.approx(seconds[s.coder])
        assert s.span_labels == sum(1 for r in demo_report.raw_spans if r.coder == s.coder)


def test_pairwise_tables_and_confusion(demo_report):
    hedge = next(t for t in demo_report.pairwise if t.category == "hedge")
    assert hedge.coders == ["anna", "ben", "clara"] and hedge.values[0][0] is None
    assert hedge.values[0][1] == hedge.values[1][0]
    assert demo_report.row("hedge").mean_cohen_kappa == pytest.approx(
        mean([hedge.values[0][1], hedge.values[0][2], hedge.values[1][2]])
    )
    tone = [t for t in demo_report.confusion if t.category == "tone"]
    assert len(tone) == 3 and tone[0].labels == ["negative", "neutral", "positive"]
    assert sum(map(sum, tone[0].counts)) == demo_report.documents


def test_settings_record_how_the_report_was_made(demo, demo_report):
    from annotator import __version__

    s = demo_report.settings
    assert s["software"] == f"annotator {__version__}"
    assert s["suggestions_enabled"] is demo.settings().suggestions_enabled
    assert s["seed"] == 20261125 and s["bootstrap_samples"] == SAMPLES and s["thresholds"] == [0.667, 0.8]
    assert s["project"] == "Demo study" and s["filter"]["statuses"] == ["done"]
    assert "boilerplate" not in s["filter"]["zones"]


# --- disagreements -------------------------------------------------------------------------------


def test_disagreements_are_sections_sorted_by_cost(tmp_path):
    with small_project(tmp_path) as project:
        doc = doc_of(project, "a1")
        mark(project, "a1", "anna", "hedge", "Die Kosten dürften steigen")  # 26 characters
        mark(project, "a1", "ben", "hedge", "dürften steigen")  # agrees on the last 15
        mark(project, "a1", "ben", "unnamed_source", "Die Kosten")  # ben put another category there
        mark(project, "a1", "anna", "hedge", "könnte")
        for coder, value in (("anna", "present"), ("ben", "absent")):
            project.set_document_label(doc.id, coder, "frame_conflict", value)
        for ext in ("a2", "a3"):
            for coder in ("anna", "ben"):
                project.set_document_label(doc_of(project, ext).id, coder, "frame_conflict", "absent")
        finish(project, ["anna", "ben"])
        report = build_report(project, bootstrap_samples=0)
        matrix = document_matrix(project, "frame_conflict")[2]
    costs = [d.cost for d in report.disagreements]
    assert costs == sorted(costs, reverse=True)
    length = sum(d.continuum_length for d in report.raw_documents)
    hedges = [d for d in report.disagreements if d.kind == "span" and d.category == "hedge"]
    assert [(d.text, d.codes) for d in hedges] == [
        ("Die Kosten ", {"anna": "hedge", "ben": "(unnamed_source)"}),
        ("könnte", {"anna": "hedge", "ben": None}),
    ]
    assert hedges[0].cost == pytest.approx(2 * 1 * 1 * 11**2 / (2 * 1 * length**2))
    assert hedges[0].zone == "body" and doc.text[hedges[0].start : hedges[0].end] == "Die Kosten "
    unnamed = [d for d in report.disagreements if d.category == "unnamed_source"]
    assert [(d.text, d.codes) for d in unnamed] == [("Die Kosten", {"anna": "(hedge)", "ben": "unnamed_source"})]
    frames = [d for d in report.disagreements if d.kind == "document"]
    expected = disagreements(matrix, coders=["anna", "ben"])
    assert [(f.document_id, f.codes, f.cost) for f in frames] == [
        (report.raw_documents[0].document_id, {"anna": "present", "ben": "absent"}, pytest.approx(expected[0].cost))
    ]
    assert frames[0].share == pytest.approx(1.0)  # the only disagreement of its category


def test_demo_disagreements_name_the_text_and_every_coder(demo, demo_report):
    spans = [d for d in demo_report.disagreements if d.kind == "span"]
    assert spans and all(set(d.codes) == {"anna", "ben", "clara"} for d in spans)
    docs = {d.id: d for d in demo.iter_documents()}
    for d in spans[:40]:
        assert docs[d.document_id].text[d.start : d.end] == d.text
        marked = [c for c, v in d.codes.items() if v == d.category]
        assert 0 < len(marked) < 3
    costs = [d.cost for d in demo_report.disagreements]
    assert costs == sorted(costs, reverse=True)


# --- undefined, empty, cancelled -----------------------------------------------------------------


def test_one_coder_gives_reasons_not_a_crash(tmp_path):
    with small_project(tmp_path) as project:
        mark(project, "a1", "anna", "hedge", "dürften")
        project.set_document_label(doc_of(project, "a1").id, "anna", "tone", "negative")
        finish(project, ["anna"])
        report = build_report(project, bootstrap_samples=50)
    hedge, tone = report.row("hedge"), report.row("tone")
    assert hedge.alpha_u is None and "at least two" in hedge.reasons["alpha_u"]
    assert hedge.mean_cohen_kappa is None and "two coders" in hedge.reasons["mean_cohen_kappa"]
    assert hedge.f1_exact is None and "interval" in hedge.reasons
    assert tone.alpha is None and "at least two" in tone.reasons["alpha"]
    assert hedge.verdict == tone.verdict == "undefined"
    assert report.overall.alpha_u is None and report.overall.reasons["alpha_u"]
    assert report.coder_summaries[0].leave_one_out["tone"] is None
    json.dumps(report.to_dict(), allow_nan=False)


def test_a_category_nobody_used(tmp_path):
    with small_project(tmp_path) as project:
        mark(project, "a1", "anna", "hedge", "dürften")
        mark(project, "a1", "ben", "hedge", "dürften")
        mark(project, "a2", "ben", "hedge", "dürfte")
        finish(project, ["anna", "ben"])
        report = build_report(project, bootstrap_samples=50)
    unused = report.row("personalisation")
    assert unused.alpha_u is None and "no coder marked a span of category 'personalisation'" in unused.reasons["alpha_u"]
    assert unused.binary_alpha_u is None and unused.interval is None and unused.f1_exact is None
    assert unused.token_percent_agreement == 1.0  # everyone agrees no token is marked
    frame = report.row("frame_morality")
    assert frame.alpha is None and "no unit was coded by two or more coders" in frame.reasons["alpha"]
    assert frame.verdict == "undefined" and frame.reasons["verdict"]
    assert report.row("hedge").alpha_u is not None


def test_nothing_to_compare_is_refused_with_the_reason(tmp_path):
    from annotator.agreement.errors import NothingToCompare
    from annotator.errors import AnnotatorError

    with small_project(tmp_path) as project:
        with pytest.raises(NothingToCompare, match="no coder has coded the documents in scope yet"):
            build_report(project, bootstrap_samples=0)
        mark(project, "a1", "anna", "hedge", "dürften")
        mark(project, "a1", "ben", "hedge", "dürften")
        finish(project, ["anna"])
        with pytest.raises(AnnotatorError) as refused:  # a user's error: the CLI prints it, the UI shows it
            build_report(project, bootstrap_samples=10)
        assert str(refused.value) == (
            "no document was marked done by all of: anna, ben (of the 3 document(s) in scope: anna 3, ben 0); "
            "choose other coders or statuses"
        )
        with pytest.raises(NothingToCompare, match=r"no document was in status in_progress or todo by all of: anna \(of the 3 document\(s\) in scope: anna 0\)"):
            build_report(project, ReliabilityFilter(coders=["anna"], statuses=["in_progress", "todo"]))
        started = build_report(project, ReliabilityFilter(statuses=["done", "in_progress"]), bootstrap_samples=0)
    assert started.documents == 1 and started.coders == ["anna", "ben"]


def test_categories_on_fewer_than_ten_units_say_so(tmp_path):
    with small_project(tmp_path) as project:
        mark(project, "a1", "anna", "hedge", "dürften")
        mark(project, "a1", "ben", "hedge", "dürften")
        mark(project, "a2", "ben", "hedge", "dürfte")
        for ext, (a, b) in {"a1": ("negative", "negative"), "a2": ("neutral", None), "a3": ("positive", "neutral")}.items():
            project.set_document_label(doc_of(project, ext).id, "anna", "tone", a)
            if b:
                project.set_document_label(doc_of(project, ext).id, "ben", "tone", b)
        finish(project, ["anna", "ben"])
        report = build_report(project, ReliabilityFilter(categories=["hedge", "unnamed_source", "tone"]), bootstrap_samples=0)
    assert report.row("hedge").few_units == (
        "few units: 2 of the 3 documents have a 'hedge' span by any coder (fewer than 10); "
        "the coefficient and its interval rest on little data"
    )
    assert report.row("unnamed_source").few_units.startswith("few units: 0 of the 3 documents have a 'unnamed_source' span")
    assert report.row("tone").few_units.startswith("few units: 2 of the 3 documents were coded by two or more coders")
    assert "3 categories rest on fewer than 10 units: hedge (2), unnamed_source (0), tone (2)" in report.warnings
    assert "few units: 2 of the 3" in report.to_dict()["span_categories"][0]["few_units"]


def test_the_few_units_warning_follows_the_data(demo):
    demo_report = build_report(demo, ReliabilityFilter(zones=["body"]), bootstrap_samples=0)
    documents = {}
    for s in demo_report.raw_spans:
        documents.setdefault(s.category, set()).add(s.document_id)
    flagged = set()
    for row in demo_report.span_categories:
        n = len(documents.get(row.category, ()))
        assert (row.few_units is not None) == (n < 10), row.category
        if row.few_units:
            flagged.add(row.category)
            assert f"few units: {n} of the {demo_report.documents} documents" in row.few_units
    for row in demo_report.document_categories:
        assert (row.few_units is not None) == (row.pairable_units < 10)
    assert flagged and flagged != {r.category for r in demo_report.span_categories}  # the body has both kinds


def test_missing_document_codes(tmp_path):
    with small_project(tmp_path) as project:
        values = {"a1": ("negative", "negative", None), "a2": ("neutral", "positive", "positive"),
                  "a3": ("positive", "positive", "neutral")}  # fmt: skip
        for ext, codes in values.items():
            for coder, value in zip(("anna", "ben", "clara"), codes):
                if value is not None:
                    project.set_document_label(doc_of(project, ext).id, coder, "tone", value)
        finish(project, ["anna", "ben", "clara"])
        report = build_report(project, ReliabilityFilter(categories=["tone"]), bootstrap_samples=100)
    tone = report.row("tone")
    assert tone.missing_values == 1 and tone.pairable_units == 3
    matrix = [[1, 2, 3], [1, 3, 3], [np.nan, 3, 2]]
    theirs = krippendorff.alpha(reliability_data=np.array(matrix, dtype=float), level_of_measurement="ordinal")
    assert tone.alpha == pytest.approx(theirs, abs=1e-9)
    assert tone.fleiss_kappa == pytest.approx(fleiss_kappa([[2, 3], [3, 3], [3, 2]]))
    assert "2 of 3 documents" in tone.notes[0]


def test_to_dict_is_json(demo_report):
    text = json.dumps(demo_report.to_dict(), allow_nan=False)
    back = json.loads(text)
    assert back["span_categories"][0]["category"] == "symbolic_image"
    assert back["span_categories"][0]["kind"] == "span"
    assert set(back["span_categories"][0]["interval"]["prob_below"]) == {"0.667", "0.8"}
    assert back["pairwise"][0]["values"][0][0] is None
    assert back["raw_documents"][0]["segments"][0] == list(demo_report.raw_documents[0].segments[0])


def test_cancel_stops_early(demo):
    seen = []

    def cancel():
        return any("span category unnamed_source" in what for _, what in seen)

    report = build_report(demo, bootstrap_samples=SAMPLES, progress=lambda n, what: seen.append((n, what)), cancel=cancel)
    assert report.cancelled
    assert [r.category for r in report.span_categories] == ["symbolic_image", "hedge", "unnamed_source"]
    assert report.document_categories == [] and report.disagreements == [] and report.coder_summaries == []
    assert "cancelled" in report.summary()
    at_once = build_report(demo, cancel=lambda: True)
    assert at_once.cancelled and at_once.span_categories == [] and at_once.documents == 0


def test_progress_reaches_the_end(demo):
    seen = []
    report = build_report(demo, bootstrap_samples=0, progress=lambda n, what: seen.append((n, what)))
    assert not report.cancelled
    assert seen[0][1] == "reading the project" and seen[-1][1] == "done"
    assert any("span category hedge" in what for _, what in seen)


def test_verdict_follows_the_thresholds():
    assert verdict(0.800) == "acceptable" and verdict(0.7999) == "tentative"
    assert verdict(0.667) == "tentative" and verdict(0.5) == "unacceptable" and verdict(None) == "undefined"
    assert verdict(0.75, (0.7,)) == "acceptable" and verdict(0.69, (0.7,)) == "unacceptable"


def test_thresholds_shape_the_report(demo):
    report = build_report(demo, ReliabilityFilter(categories=["hedge"]), bootstrap_samples=100, thresholds=(0.5, 0.6))
    row = report.row("hedge")
    assert set(row.interval.prob_below) == {0.5, 0.6}
    assert row.verdict == "acceptable" and math.isfinite(row.alpha_u)


def test_the_result_records_are_still_importable_from_the_report_module():
    from annotator.agreement import report, results

    records = ["AgreementReport", "SpanCategoryResult", "DocumentCategoryResult", "OverallSpanResult", "Interval",
               "PairwiseTable", "ConfusionTable", "CoderSummary", "DisagreementRecord", "RawDocumentCodes",
               "RawDocument", "RawSpan", "verdict", "DEFAULT_THRESHOLDS", "ACCEPTABLE", "TENTATIVE", "UNACCEPTABLE",
               "UNDEFINED"]  # fmt: skip
    for name in records:
        assert getattr(report, name) is getattr(results, name), name
    assert set(records) | {"build_report", "DEFAULT_SEED", "CONFIDENCE", "TOKEN_RULE"} <= set(report.__all__)
