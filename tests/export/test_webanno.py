"""WebAnno TSV 3.3: the file layout INCEpTION expects, escaping, and round trips through a fresh project."""

from __future__ import annotations

import pytest
from exchange_corpus import ARTICLES, ODD_CODER, at, new_project, span_keys
from hypothesis import given
from hypothesis import strategies as st

from annotator.export.reports import ExchangeError
from annotator.export.webanno import export_webanno, import_webanno
from annotator.export.webanno_tsv import (
    TsvSpan,
    _parse_entry,
    _split_stack,
    check_text,
    escape_text,
    escape_value,
    read_tsv,
    unescape_text,
    write_tsv,
)


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")


def _row(lines, token):
    """The first token row whose token column is `token`, split into columns."""
    return next(line.split("\t") for line in lines if line[:1].isdigit() and line.split("\t")[2] == token)


# --- round trips -----------------------------------------------------------------------------------


def test_round_trip_into_a_fresh_project_gives_identical_token_aligned_labels(labelled, fresh, tmp_path):
    folder = tmp_path / "webanno"
    result = export_webanno(labelled, folder)
    assert sorted(p.name for p in result.paths) == ["Z-2.tsv", "bern%2F2026-001.tsv"]
    assert (result.documents, result.spans, result.expanded, result.skipped) == (2, 16, 0, [])

    report = import_webanno(fresh, folder)

    assert report.rejected == []
    assert (report.files, report.spans, report.unchanged) == (2, 16, 0)
    assert span_keys(fresh, with_notes=False) == span_keys(labelled, with_notes=False)
    assert sorted(report.coders_created) == sorted(["anna", "ben", "gold", ODD_CODER])


def test_importing_the_same_files_twice_adds_nothing(labelled, fresh, tmp_path):
    export_webanno(labelled, tmp_path / "webanno")
    import_webanno(fresh, tmp_path / "webanno")
    again = import_webanno(fresh, tmp_path / "webanno")
    assert (again.spans, again.unchanged, again.rejected) == (0, 16, [])
    assert len(fresh.annotations()) == 16


def test_spans_inside_tokens_are_written_on_sub_token_rows_and_come_back_exact(labelled, fresh, tmp_path):
    gotthard = labelled.document_id_for("Z-2")
    text = labelled.document(gotthard).text
    start, end = at(text, "könnte")
    labelled.add_annotation(gotthard, "carla", "hedge", start, end - 1)  # "könnt": never widened to "könnte"
    q_start, q_end = at(text, "«SRF»")
    labelled.add_annotation(gotthard, "carla", "outlet_attribution", q_start + 1, q_end - 1)  # "SRF" is a token
    s_start, s_end = at(text, "Stau bis")
    labelled.add_annotation(gotthard, "carla", "loaded_language", s_start + 2, s_end - 1)  # "au bi": two sub-tokens

    result = export_webanno(labelled, tmp_path / "webanno", coders="carla")
    assert (result.spans, result.expanded, result.warnings, result.skipped) == (3, 0, [], [])
    lines = _lines(tmp_path / "webanno" / "Z-2.tsv")
    konnte = _row(lines, "könnte")
    sub = lines[lines.index("\t".join(konnte)) + 1].split("\t")
    assert sub[:5] == [konnte[0] + ".1", f"{start}-{end - 1}", "könnt", "hedge", "carla"] and konnte[3] == "_"
    au, bi = _row(lines, "au"), _row(lines, "bi")
    assert au[0].endswith(".1") and bi[0].endswith(".1") and au[3] == bi[3] and au[3].startswith("loaded\\_language[")

    import_webanno(fresh, tmp_path / "webanno")
    got = {(a.text, a.start, a.end) for a in fresh.annotations(coder="carla")}
    assert got == {("könnt", start, end - 1), ("SRF", q_start + 1, q_end - 1), ("au bi", s_start + 2, s_end - 1)}


def test_whitespace_at_a_spans_edges_is_left_out_and_listed(labelled, tmp_path):
    gotthard = labelled.document_id_for("Z-2")
    text = labelled.document(gotthard).text
    start, end = at(text, " könnte ")
    labelled.add_annotation(gotthard, "carla", "hedge", start, end)
    result = export_webanno(labelled, tmp_path / "webanno", coders="carla")
    assert result.spans == 1 and len(result.warnings) == 1
    assert result.warnings[0] == (
        f"Z-2.tsv: carla's hedge at {start}..{end} written as {start + 1}..{end - 1} (without the whitespace at its edges)"
    )
    assert _row(_lines(tmp_path / "webanno" / "Z-2.tsv"), "könnte")[3] == "hedge"


def test_a_file_whose_text_differs_is_rejected_naming_the_first_differing_sentence(labelled, tmp_path):
    export_webanno(labelled, tmp_path / "webanno")
    edited = [dict(ARTICLES[0], text="Nachtrag: Die Sitzung ist öffentlich.\n\n" + ARTICLES[0]["text"]), ARTICLES[1]]
    with new_project(tmp_path, "edited", edited) as target:
        report = import_webanno(target, tmp_path / "webanno")

        lines = _lines(tmp_path / "webanno" / "bern%2F2026-001.tsv")
        differing = 1 + lines.index(
            "#Text=Der Gemeinderat | tagt am Montag über das Projekt „Aarebrücke_Nord“ [Variante B]."
        )
        assert len(report.rejected) == 1
        problem = report.rejected[0]
        assert (problem.source_file, problem.location) == ("bern%2F2026-001.tsv", f"line {differing}")
        assert "differs from the project's document" in problem.reason and "Nachtrag" in problem.reason
        assert report.spans == 6  # the other article came in whole
        assert {a.document_id for a in target.annotations()} == {target.document_id_for("Z-2")}


def test_a_file_is_found_by_its_text_under_another_name_and_otherwise_brings_its_document(labelled, fresh, tmp_path):
    export_webanno(labelled, tmp_path / "webanno")
    (tmp_path / "webanno" / "Z-2.tsv").rename(tmp_path / "webanno" / "Z-3.tsv")
    report = import_webanno(fresh, tmp_path / "webanno")
    assert (report.rejected, report.documents_created, report.spans) == ([], [], 16)

    with new_project(tmp_path, "only-thun", ARTICLES[:1]) as target:
        refused = import_webanno(target, tmp_path / "webanno", create_documents=False)
        assert [(p.source_file, p.reason) for p in refused.rejected] == [
            ("Z-3.tsv", "no document with external id 'Z-3' in the project (files are matched by name or text)")
        ]
        report = import_webanno(target, tmp_path / "webanno")
        assert report.rejected == [] and report.documents_created == ["Z-3"]
        created = target.document(target.document_id_for("Z-3"))
        assert created.text == labelled.document(labelled.document_id_for("Z-2")).text
        assert created.title == "Droht jetzt ein Verkehrschaos am Gotthard?"
        renamed = {("Z-3" if key[0] == "Z-2" else key[0], *key[1:]) for key in span_keys(labelled, with_notes=False)}
        assert span_keys(target, with_notes=False) == renamed
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ExchangeError, match="no .tsv files"):
        import_webanno(fresh, empty)


def test_ids_that_clash_without_case_get_hash_names_and_still_come_back(tmp_path):
    articles = [
        {"id": "A1", "title": "Erster Artikel", "text": "Die Kosten könnten steigen."},
        {"id": "a1", "title": "Zweiter Artikel", "text": "Fachleute warnen vor einem Schnellschuss."},
        {"title": "Ohne Kennung", "text": "Laut «SRF» ist noch nichts entschieden."},
    ]
    with new_project(tmp_path, "clash", articles) as source, new_project(tmp_path, "clash-copy", articles) as target:
        for doc in source.iter_documents():
            start, end = at(doc.text, doc.text.split()[0])
            source.add_annotation(doc.id, "anna", "loaded_language", start, end)
        result = export_webanno(source, tmp_path / "webanno")
        names = sorted(p.name for p in result.paths)
        assert names[0] == "A1.tsv" and all(n.startswith("sha256-") for n in names[1:])
        report = import_webanno(target, tmp_path / "webanno")
        assert report.rejected == [] and report.spans == 3
        assert span_keys(target) == span_keys(source)


# --- what the file looks like ------------------------------------------------------------------------


def test_file_layout_escaping_stacking_and_utf16_offsets(labelled, tmp_path):
    export_webanno(labelled, tmp_path / "webanno")
    lines = _lines(tmp_path / "webanno" / "bern%2F2026-001.tsv")

    assert lines[:5] == [
        "#FORMAT=WebAnno TSV 3.3",
        "#T_SP=webanno.custom.Framing|label|coder",
        "",
        "",
        "#Text=Streit um die «Brücke» in Thun",
    ]
    assert lines[5] == "1-1\t0-6\tStreit\tloaded\\_language\tanna\t"
    assert _row(lines, "um") == ["1-2", "7-9", "um", "_", "_", ""]
    # Reserved characters are escaped in feature values but not in #Text lines or token columns.
    assert "#Text=Der Gemeinderat | tagt am Montag über das Projekt „Aarebrücke_Nord“ [Variante B]." in lines
    assert _row(lines, "|")[3:5] == ["outlet\\_attribution", "Lea \\[Hilfskraft\\] \\| B\\_2"]
    # A multi-token span carries its id on every token; stacked spans are separated by "|".
    first, last = _row(lines, "„"), _row(lines, "]")
    ident = first[3][first[3].index("[") :]
    assert first[3] == "loaded\\_language" + ident and first[3] == last[3] and first[4] == "ben" + ident
    fachleute = _row(lines, "Fachleute")
    labels = fachleute[3].split("|")
    assert sorted(v.split("[")[0] for v in labels) == ["personalisation", "unnamed\\_source"]
    assert all(v.endswith("]") for v in labels)
    # Offsets count UTF-16 units: the emoji counts two, so the full stop after it is one further on.
    text = labelled.document(labelled.document_id_for("bern/2026-001")).text
    emoji = text.index("😊")
    assert _row(lines, "😊")[1] == f"{emoji}-{emoji + 2}"
    assert text[emoji + 1] == "."
    full_stop_after_emoji = [row for row in (line.split("\t") for line in lines if line[:1].isdigit()) if row[2] == "."][1]
    assert full_stop_after_emoji[1] == f"{emoji + 2}-{emoji + 3}"


def test_a_span_over_a_paragraph_break_spans_sentences(labelled, tmp_path):
    export_webanno(labelled, tmp_path / "webanno")
    lines = _lines(tmp_path / "webanno" / "Z-2.tsv")
    kilometer, beobachter = _row(lines, "Kilometer"), _row(lines, "Beobachter")
    assert kilometer[0].split("-")[0] != beobachter[0].split("-")[0]
    ident = kilometer[3].split("[")[1]
    assert any(v.endswith(ident) for v in beobachter[3].split("|"))


def test_inception_project_export_with_other_layers_and_a_sub_token(fresh, tmp_path):
    """A file as INCEpTION writes it: another layer first, no coder feature, a sentence id, a sub-token row."""
    text = fresh.document(fresh.document_id_for("Z-2")).text
    laut, srf_open, srf, srf_close, konnte = (at(text, w) for w in ("Laut", "«", "SRF", "»", "könnte"))
    paragraphs = text.split("\n\n")
    lines = [
        "#FORMAT=WebAnno TSV 3.3",
        "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value",
        "#T_SP=webanno.custom.Framing|label",
        "",
        "",
        *_plain_sentence(text, paragraphs[0], 1),
        "",
        "#Sentence.id=s2",
        "#Text=" + paragraphs[1],
        f"2-1\t{laut[0]}-{laut[1]}\tLaut\t_\t_\toutlet\\_attribution[7]\t",
        f"2-2\t{srf_open[0]}-{srf_open[1]}\t«\t*\tORG\toutlet\\_attribution[7]\t",
        f"2-3\t{srf[0]}-{srf[1]}\tSRF\t*\tORG\toutlet\\_attribution[7]\t",
        f"2-4\t{srf_close[0]}-{srf_close[1]}\t»\t_\t_\toutlet\\_attribution[7]\t",
        f"2-5\t{konnte[0]}-{konnte[1]}\tkönnte\t_\t_\t_\t",
        f"2-5.1\t{konnte[0]}-{konnte[1] - 1}\tkönnt\t_\t_\thedge\t",
    ]
    path = tmp_path / "annotation" / "Z-2.txt" / "maria.tsv"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_webanno(fresh, tmp_path / "annotation")
    assert len(report.rejected) == 1 and "goes on after the file's last sentence" in report.rejected[0].reason

    for number, paragraph in enumerate(paragraphs[2:], start=3):
        lines += ["", *_plain_sentence(text, paragraph, number)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_webanno(fresh, tmp_path / "annotation")

    assert report.rejected == [] and report.spans == 2 and report.coders_created == ["maria"]
    got = {(a.coder, a.category, a.text) for a in fresh.annotations()}
    assert got == {("maria", "outlet_attribution", "Laut «SRF»"), ("maria", "hedge", "könnt")}


def _plain_sentence(text, sentence, number):
    """A #Text line and whitespace-split token rows with empty columns (enough for hand-written files)."""
    rows, position, base = ["#Text=" + sentence], 0, text.index(sentence)
    for n, word in enumerate(sentence.split(), start=1):
        position = sentence.index(word, position)
        rows.append(f"{number}-{n}\t{base + position}-{base + position + len(word)}\t{word}\t_\t_\t_\t")
        position += len(word)
    return rows


def test_a_span_without_coder_needs_a_coder_name(fresh, tmp_path):
    export_dir = tmp_path / "webanno"
    with new_project(tmp_path, "other") as source:
        doc = source.document(source.document_id_for("Z-2"))
        start, end = at(doc.text, "Beobachter")
        source.add_annotation(doc.id, "x", "unnamed_source", start, end)
        export_webanno(source, export_dir)
    path = export_dir / "Z-2.tsv"
    content = path.read_text(encoding="utf-8")
    path.write_text(content.replace("unnamed\\_source\tx\t", "unnamed\\_source\t*\t"), encoding="utf-8")

    report = import_webanno(fresh, path)
    assert report.spans == 0 and "span without a coder" in report.rejected[0].reason
    assert report.rejected[0].location.startswith("line ")

    report = import_webanno(fresh, path, coder="inception-user")
    assert report.rejected == [] and [a.coder for a in fresh.annotations()] == ["inception-user"]


# --- pure functions ----------------------------------------------------------------------------------


def test_text_with_tabs_and_backslashes_survives():
    text = "Pfad C:\\Daten\\neu\tund [weiter] | _x_ -> y; *z*"
    spans = [TsvSpan(0, 4, "loaded_language", "a")]
    content, adjusted, dropped = write_tsv(text, spans)
    assert "#Text=Pfad C:\\\\Daten\\\\neu\\tund [weiter] | _x_ -> y; *z*" in content.split("\n")
    parsed = read_tsv(content)
    assert check_text(text, parsed.sentences) is None
    assert [(s.start, s.end, s.label, s.coder) for s in parsed.spans] == [(0, 4, "loaded_language", "a")]
    assert (adjusted, dropped) == ([], [])


def test_a_span_over_whitespace_only_is_dropped():
    content, adjusted, dropped = write_tsv("Ein  Test", [TsvSpan(3, 5, "hedge", "a")])
    assert dropped == [TsvSpan(3, 5, "hedge", "a")] and "hedge" not in content


def test_reader_names_the_line_of_a_broken_row():
    content = "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Framing|label|coder\n\n\n#Text=Hallo\n1-1\t0-5\tHallo\t_\n"
    with pytest.raises(ValueError, match="line 6: expected 5 tab-separated columns, found 4"):
        read_tsv(content)
    with pytest.raises(ValueError, match="line 1: not a WebAnno TSV 3 file"):
        read_tsv("#FORMAT=CoNLL\n")
    with pytest.raises(ValueError, match="no span layer with a 'label' feature"):
        read_tsv("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Other|value\n\n\n")


@given(st.lists(st.text(min_size=1), min_size=1, max_size=4), st.integers(min_value=1, max_value=999))
def test_escaped_values_split_and_unescape_back(values, ident):
    cell = "|".join(f"{escape_value(v)}[{ident + n}]" for n, v in enumerate(values))
    parts = _split_stack(cell)
    assert [_parse_entry(p) for p in parts] == [(v, ident + n) for n, v in enumerate(values)]
    assert "\t" not in cell and "\n" not in cell


@given(st.text())
def test_escaped_text_unescapes_back(text):
    escaped = escape_text(text)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    assert unescape_text(escaped) == text
