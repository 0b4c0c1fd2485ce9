"""Corpus readers: every format, every encoding, every way a file can be broken, and streaming."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from annotator.corpus import html_reader, json_reader, readers
from annotator.corpus.encoding import UndecodableError, decode_bytes
from annotator.corpus.readers import iter_corpus
from annotator.corpus.records import ImportNotice, ImportProblem, Layout, RawRecord
from annotator.corpus.tabular import sniff_delimiter
from annotator.errors import CorpusError

FILES = Path(__file__).parent / "files"

UMLAUTS = "Die Bürgerinnen ärgern sich über die Straße in Göttingen."
WINDOWS = "„Der Preis stieg auf 3 €“ – sagte die Händlerin."


def items(path, **kwargs):
    return list(iter_corpus(path, **kwargs))


def records(path, **kwargs) -> list[RawRecord]:
    return [item for item in items(path, **kwargs) if isinstance(item, RawRecord)]


def problems(path, **kwargs) -> list[ImportProblem]:
    return [item for item in items(path, **kwargs) if isinstance(item, ImportProblem)]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- decode_bytes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (UMLAUTS.encode("utf-8"), UMLAUTS),
        (codecs.BOM_UTF8 + UMLAUTS.encode("utf-8"), UMLAUTS),
        (codecs.BOM_UTF16_LE + WINDOWS.encode("utf-16-le"), WINDOWS),
        (codecs.BOM_UTF16_BE + WINDOWS.encode("utf-16-be"), WINDOWS),
        (UMLAUTS.encode("utf-16-le"), UMLAUTS),  # no byte-order mark: told by where the NUL bytes sit
        (UMLAUTS.encode("utf-16-be"), UMLAUTS),
        (codecs.BOM_UTF32_LE + UMLAUTS.encode("utf-32-le"), UMLAUTS),
        (WINDOWS.encode("cp1252"), WINDOWS),
        (UMLAUTS.encode("latin-1"), UMLAUTS),
    ],
    ids=[
        *("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16-le-no-bom", "utf-16-be-no-bom", "utf-32"),
        *("cp1252", "latin-1"),
    ],
)
def test_decode_bytes_recognises_the_encodings_german_text_comes_in(data, expected):
    assert decode_bytes(data, "artikel.txt") == expected


def test_decode_bytes_prefers_cp1252_so_euro_sign_and_german_quotes_survive():
    # In latin-1, 0x80 and 0x84 are invisible control characters; in cp1252 they are € and „.
    assert decode_bytes(b"\x84Kosten: 5 \x80\x93", "a.txt") == "„Kosten: 5 €“"


def test_decode_bytes_normalises_line_ends_and_composes_characters():
    assert decode_bytes(b"Erste Zeile\r\nZweite\rDritte\n", "a.txt") == "Erste Zeile\nZweite\nDritte\n"
    assert decode_bytes("Mu\u0308nchen".encode(), "a.txt") == "München"


def test_decode_bytes_reads_stray_windows_bytes_in_utf8_as_cp1252():
    mixed = ("Überschrift: Neues Gemeindezentrum für Lübeck\n" * 5).encode() + "Preis: 5 €".encode("cp1252")
    text = decode_bytes(mixed, "gemischt.txt")
    assert text.startswith("Überschrift: Neues Gemeindezentrum für Lübeck\n")
    assert text.endswith("Preis: 5 €")


def test_decode_bytes_uses_charset_detection_only_when_nothing_else_fits():
    # DOS code page 850 writes ü as 0x81, a byte cp1252 leaves undefined.
    sentence = "Die Bürger ärgern sich über die Straße; Grüße aus München und Düsseldorf. Öl ist teuer."
    assert decode_bytes(sentence.encode("cp850"), "dos.txt") == sentence


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        bytes(range(1, 32)) * 10,  # control characters without a single NUL
    ],
    ids=["png", "zip", "control-characters"],
)
def test_decode_bytes_refuses_binary_data_naming_the_file(data):
    with pytest.raises(UndecodableError, match=r"^bild\.txt: binary file, not text$") as raised:
        decode_bytes(data, "bild.txt")
    assert isinstance(raised.value, CorpusError)
    assert raised.value.reason == "binary file, not text"


def test_decode_bytes_of_nothing_is_empty_text():
    assert decode_bytes(b"", "leer.txt") == ""


# --- plain text --------------------------------------------------------------------------------------------


def test_txt_file_is_one_scraped_article_named_by_its_stem(tmp_path):
    path = write(tmp_path / "rathaus-2023.txt", "Startseite | Lokales\r\nNeues Rathaus eröffnet\r\nText.")
    [record] = items(path)
    assert record == RawRecord(
        text="Startseite | Lokales\nNeues Rathaus eröffnet\nText.",
        source_file="rathaus-2023.txt",
        location="",
        external_id="rathaus-2023",
        layout=Layout.SCRAPED,
    )


@pytest.mark.parametrize(("encoding", "text"), [("cp1252", WINDOWS), ("utf-16", UMLAUTS), ("utf-8-sig", UMLAUTS)])
def test_txt_files_in_other_encodings_read_right(tmp_path, encoding, text):
    path = write(tmp_path / "a.txt", text.encode(encoding))
    assert records(path)[0].text == text


def test_empty_and_binary_txt_files_are_problems(tmp_path):
    write(tmp_path / "leer.txt", " \n\n ")
    write(tmp_path / "bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert [str(problem) for problem in problems(tmp_path)] == [
        "bild.txt: binary file, not text",
        "leer.txt: empty text",
    ]


def test_unreadable_file_is_a_problem_and_the_rest_still_reads(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", "Gesperrt")
    write(tmp_path / "b.txt", "Lesbar")
    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert items(tmp_path) == [
        ImportProblem("a.txt", "", "cannot read file: Permission denied"),
        RawRecord(text="Lesbar", source_file="b.txt", external_id="b", layout=Layout.SCRAPED),
    ]


# --- JSON Lines --------------------------------------------------------------------------------------------


def test_jsonl_maps_known_fields_and_keeps_the_rest_as_metadata(tmp_path):
    line = {
        "id": 17,
        "title": "Hochwasser an der Elbe",
        "text": "Der Pegel steigt.",
        "source": "Elbkurier",
        "url": "https://elbkurier.example/17",
        "date": "2024-01-05",
        "ressort": "Lokales",
        "woerter": 3,
    }
    [record] = items(write(tmp_path / "artikel.jsonl", json.dumps(line, ensure_ascii=False) + "\n"))
    assert record == RawRecord(
        text="Der Pegel steigt.",
        source_file="artikel.jsonl",
        location="line 1",
        external_id="17",
        title="Hochwasser an der Elbe",
        outlet="Elbkurier",
        url="https://elbkurier.example/17",
        published="2024-01-05",
        metadata={"ressort": "Lokales", "woerter": 3},
        layout=Layout.CLEAN,
    )


def test_jsonl_accepts_outlet_and_published_and_lists_of_paragraphs(tmp_path):
    line = {"outlet": "Elbkurier", "published": "2024-01-05", "text": ["Erster Absatz.", "Zweiter Absatz."]}
    [record] = records(write(tmp_path / "a.ndjson", json.dumps(line)))
    assert (record.outlet, record.published) == ("Elbkurier", "2024-01-05")
    assert record.text == "Erster Absatz.\n\nZweiter Absatz."


def test_jsonl_reports_each_bad_line_and_reads_the_good_ones(tmp_path):
    lines = [
        '{"id": "a", "text": "Gut."}',
        "",
        '{"id": "b" "text": "Komma fehlt"}',
        '["keine", "Objekte"]',
        '{"id": "c", "titel": "Ohne Text"}',
        '{"id": "d", "text": "   "}',
        '{"id": "e", "text": {"absatz": 1}}',
        '{"id": "f", "text": "Auch gut."}',
    ]
    found = items(write(tmp_path / "a.jsonl", "\n".join(lines)))
    assert [str(item) if isinstance(item, ImportProblem) else item.external_id for item in found] == [
        "a",
        "a.jsonl:3: invalid JSON: Expecting ',' delimiter (column 12)",
        "a.jsonl:4: expected a JSON object, found a list",
        "a.jsonl:5: no text field; found fields: 'id', 'titel'; map one with --column text=NAME",
        "a.jsonl:6: empty text",
        "a.jsonl:7: the text in 'text' is a dict, not text",
        "f",
    ]


def test_jsonl_that_cannot_be_opened_is_a_problem(tmp_path, monkeypatch):
    def refuse(path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(json_reader, "open_text", refuse)
    path = write(tmp_path / "a.jsonl", '{"text": "x"}')
    assert items(path) == [ImportProblem("a.jsonl", "", "cannot read file: Permission denied")]


def test_jsonl_with_byte_order_mark_and_windows_line_ends(tmp_path):
    data = codecs.BOM_UTF8 + '{"text": "Größe"}\r\n{"text": "Maß"}\r\n'.encode()
    assert [record.text for record in records(write(tmp_path / "a.jsonl", data))] == ["Größe", "Maß"]


def test_column_map_applies_to_json_keys(tmp_path):
    path = write(tmp_path / "a.jsonl", '{"Artikeltext": "Inhalt.", "text": "Teaser", "Schlagzeile": "Kopf"}\n')
    [record] = records(path, column_map={"text": "Artikeltext", "title": "Schlagzeile"})
    assert (record.text, record.title, record.metadata) == ("Inhalt.", "Kopf", {"text": "Teaser"})
    [problem] = problems(write(tmp_path / "b.jsonl", '{"text": "x"}\n'), column_map={"text": "Artikeltext"})
    assert problem.reason == "no field 'Artikeltext' (mapped to text); found fields: 'text'"
    # An object may leave out a mapped key other than the text's; the first one that does is named, once.
    lines = '{"text": "a", "Kopf": "A"}\n{"text": "b"}\n{"text": "c"}\n'
    found = items(write(tmp_path / "c.jsonl", lines), column_map={"title": "Kopf"})
    assert [str(item) if isinstance(item, ImportNotice) else item.title for item in found] == [
        "A",
        "c.jsonl:2: no key 'Kopf' (mapped to title); this and later objects without it get no title",
        None,
        None,
    ]


# --- JSON --------------------------------------------------------------------------------------------------


def test_json_list_of_objects_locates_items_by_number(tmp_path):
    data = [{"id": 1, "text": "Eins."}, 7, {"id": 3, "headline": "Drei", "body": "Drei."}]
    found = items(write(tmp_path / "a.json", json.dumps(data)))
    assert [item.location for item in found] == ["item 1", "item 2", "", "item 3"]
    assert found[1].reason == "expected a JSON object, found a number"
    assert found[2] == ImportNotice(
        "a.json", "", "key 'headline' read as title, 'body' as text (built-in aliases; --column FIELD=NAME picks others)"
    )
    assert (found[3].title, found[3].text) == ("Drei", "Drei.")


def test_json_single_object(tmp_path):
    [record] = records(write(tmp_path / "a.json", '{"titel": "Einzeln", "inhalt": "Ein Artikel."}'))
    assert (record.title, record.text, record.location) == ("Einzeln", "Ein Artikel.", "")


def test_json_empty_list_yields_nothing_and_empty_file_is_a_problem(tmp_path):
    assert items(write(tmp_path / "a.json", " [ ] ")) == []
    assert items(write(tmp_path / "b.json", "\n")) == [ImportProblem("b.json", "", "empty file")]


def test_json_syntax_error_early_in_a_large_file_is_reported_without_reading_on(tmp_path):
    path = tmp_path / "kaputt.json"
    with open(path, "w", encoding="utf-8") as file:
        file.write('[{"text": "Gut."},\n{"text": "Fehlt" "Komma"},\n')
        file.writelines(json.dumps({"text": "Ungelesen. " * 20}) + ",\n" for _ in range(50_000))
        file.write('{"text": "Ende."}]')
    tracemalloc.start()
    try:
        found = items(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    reason = "invalid JSON: Expecting ',' delimiter (column 18)"
    assert found[1:] == [ImportProblem("kaputt.json", "line 2", reason)]
    assert peak < path.stat().st_size / 8


def test_json_lines_saved_as_json_get_a_hint(tmp_path):
    found = items(write(tmp_path / "a.json", '{"text": "Eins."}\n{"text": "Zwei."}\n'))
    assert found[-1] == ImportProblem(
        "a.json",
        "line 2",
        "invalid JSON: Extra data after the first object; one object per line belongs in .jsonl (column 1)",
    )


def test_json_array_is_read_across_buffer_boundaries_and_errors_keep_their_line(tmp_path):
    # Items far larger and far smaller than the read buffer, numbers that a buffer edge could cut in two.
    objects = [{"id": number, "text": "Absatz. " * (number % 7) * 4000 or "Kurz."} for number in range(300)]
    body = ",\n".join(json.dumps(item) for item in objects)
    path = write(tmp_path / "gross.json", "[\n" + body + "\n, 1234567, {kaputt}]")
    found = items(path)
    assert [item.external_id for item in found[:300]] == [str(number) for number in range(300)]
    assert [item.text for item in found[:300]] == [item["text"] for item in objects]
    assert found[300] == ImportProblem("gross.json", "item 301", "expected a JSON object, found a number")
    assert found[301] == ImportProblem(
        "gross.json", "line 302", "invalid JSON: Expecting property name enclosed in double quotes (column 13)"
    )
    assert len(found) == 302


# --- CSV / TSV ---------------------------------------------------------------------------------------------


def test_csv_with_default_aliases_counts_the_header_as_row_one_and_names_lines_too(tmp_path):
    content = (
        "ID,Überschrift,Inhalt,Quelle,Link,Datum,Ressort\n"
        '1,Neue Brücke,"Die Brücke ist fertig.\r\nSie kostet 2 Mio. €.",Elbkurier,https://e.example/1,'
        "05.01.2024,Lokales\n"
        ",,,,,,\n"
        "2,Leer,,Elbkurier,,,\n"
        "3,Kurz,Kurzer Text.,Elbkurier,,,Sport\n"
    )
    notice, *found = items(write(tmp_path / "artikel.csv", content))
    assert str(notice) == (
        "artikel.csv: column 'Überschrift' read as title, 'Inhalt' as text, 'Quelle' as source, 'Link' as url, "
        "'Datum' as date (built-in aliases; --column FIELD=NAME picks others)"
    )
    assert found[0] == RawRecord(
        text="Die Brücke ist fertig.\nSie kostet 2 Mio. €.",
        source_file="artikel.csv",
        location="row 2 (lines 2–3)",
        external_id="1",
        title="Neue Brücke",
        outlet="Elbkurier",
        url="https://e.example/1",
        published="05.01.2024",
        metadata={"Ressort": "Lokales"},
    )
    assert found[1] == ImportProblem("artikel.csv", "row 4 (line 5)", "empty text")
    assert (found[2].location, found[2].metadata) == ("row 5 (line 6)", {"Ressort": "Sport"})
    assert len(found) == 3


def test_csv_sniffs_semicolons_from_german_excel_in_cp1252(tmp_path):
    content = "Nr;Titel;Text\n1;„Haushalt, Steuern, Schulden“;Der Rat stimmt zu, mit 20 zu 3 – für 5 €.\n"
    [record] = records(write(tmp_path / "export.csv", content.encode("cp1252")))
    assert record.title == "„Haushalt, Steuern, Schulden“"
    assert record.text == "Der Rat stimmt zu, mit 20 zu 3 – für 5 €."
    assert record.metadata == {"Nr": "1"}


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("id,text\n1,a\n", ","),
        ('id;text\n1;"Ja, nein, vielleicht"\n2;So, so.\n', ";"),
        ("id\ttext\n1\tEin, zwei; drei\n", "\t"),
        ('text\n"Nur, eine, Spalte"\n', ","),
    ],
)
def test_sniff_delimiter(sample, expected):
    assert sniff_delimiter(sample) == expected


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_tsv_with_byte_order_mark_keeps_the_first_header_clean(tmp_path, encoding):
    content = "id\tcontent\n7\tTabulator, getrennt – „ja“.\n".encode(encoding)
    [record] = records(write(tmp_path / "a.tsv", content))
    assert (record.external_id, record.text) == ("7", "Tabulator, getrennt – „ja“.")


def test_csv_in_utf16_from_excel_is_sniffed_too(tmp_path):
    content = "Titel;Text\nKopf;Ein Satz, mit Komma.\n".encode("utf-16")
    [record] = records(write(tmp_path / "a.csv", content))
    assert (record.title, record.text) == ("Kopf", "Ein Satz, mit Komma.")


def test_csv_column_map_overrides_aliases(tmp_path):
    content = "text,Artikeltext,Schlagzeile\nVorspann,Der eigentliche Artikel.,Kopfzeile\n"
    [record] = records(
        write(tmp_path / "a.csv", content), column_map={"text": "artikeltext", "title": "Schlagzeile"}
    )
    assert (record.text, record.title) == ("Der eigentliche Artikel.", "Kopfzeile")
    assert record.metadata == {"text": "Vorspann"}


def test_csv_without_text_column_is_one_problem_for_the_file(tmp_path):
    path = write(tmp_path / "a.csv", "Nr,Schlagzeile,Wortlaut\n1,Eins,Text eins\n2,Zwei,Text zwei\n")
    assert items(path) == [
        ImportProblem(
            "a.csv",
            "row 1 (line 1)",
            "no text column; found columns: 'Nr', 'Schlagzeile', 'Wortlaut'; map one with --column text=NAME",
        )
    ]
    assert [record.text for record in records(path, column_map={"text": "Wortlaut"})] == ["Text eins", "Text zwei"]


def test_csv_mapped_column_that_is_missing_is_one_problem(tmp_path):
    path = write(tmp_path / "a.csv", "text,titel\nEin Text,Ein Titel\n")
    assert items(path, column_map={"title": "Schlagzeile"}) == [
        ImportProblem("a.csv", "row 1 (line 1)", "mapped column 'Schlagzeile' not found; found columns: 'text', 'titel'")
    ]


def test_csv_extra_cells_blank_and_repeated_headers(tmp_path):
    path = write(tmp_path / "a.csv", "text,,Notiz,Notiz\nEin Text,x,a,b,überzählig\n")
    [record] = records(path)
    assert record.metadata == {"column 2": "x", "Notiz": "a", "Notiz (2)": "b", "column 5": "überzählig"}


def test_csv_oversized_line_or_cell_is_reported_and_later_rows_still_read(tmp_path):
    huge = "Wort " * 220_000  # 1,100,000 characters; with 10,000 per article, lines over 1,060,000 are refused
    path = write(tmp_path / "a.csv", f'id,text\n1,{huge}\n2,Danach.\n3,"{huge[:40]}\n{huge}"\n4,Zuletzt.\n')
    found = items(path, max_article_chars=10_000)
    assert found[0].location == "row 2 (line 2)"
    assert found[0].reason.startswith("a line longer than 1,060,000 characters, over the limit of 10,000 characters")
    assert (found[1].external_id, found[1].text) == ("2", "Danach.")
    assert found[2].location == "row 4 (lines 4–5)"
    assert found[2].reason.startswith("a line longer than 1,060,000 characters")
    # Lines of a quoted cell each within the bound, but a cell beyond it: the csv module's field limit.
    lines = "\n".join(["Wort " * 20_000] * 11)
    found = items(write(tmp_path / "b.csv", f'id,text\n1,"{lines}"\n2,Danach.\n'), max_article_chars=10_000)
    assert found[0].reason == (
        "a cell longer than 1,060,000 characters, over the limit of 10,000 characters per article; raise it with "
        "--max-article-chars (or a quote that is never closed)"
    )
    assert (found[1].external_id, found[1].text) == ("2", "Danach.")


# --- XLSX --------------------------------------------------------------------------------------------------


def make_workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Zweites Blatt").append(["text"])  # only the first sheet is read
    workbook.save(path)
    return path


def test_xlsx_reads_the_first_sheet_with_excel_row_numbers_and_iso_dates(tmp_path):
    path = make_workbook(
        tmp_path / "artikel.xlsx",
        [
            [],
            ["Doc-ID", "Headline", "Body", "Medium", "Datum", "Erfasst", "Seite"],
            [101, "Schulneubau verzögert", "Die Eröffnung verschiebt sich.", "Elbkurier",
             dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 2, 14, 30), 3],
            [],
            [102.0, "Leer", None, "Elbkurier", None, None, None],
        ],
    )
    notice, *found = items(path)
    assert notice.message.startswith("column 'Doc-ID' read as id, 'Headline' as title, 'Body' as text")
    assert found[0] == RawRecord(
        text="Die Eröffnung verschiebt sich.",
        source_file="artikel.xlsx",
        location="row 3",
        external_id="101",
        title="Schulneubau verzögert",
        outlet="Elbkurier",
        published="2024-03-01",
        metadata={"Erfasst": "2024-03-02T14:30:00", "Seite": 3},
    )
    assert found[1] == ImportProblem("artikel.xlsx", "row 5", "empty text")
    assert len(found) == 2


def test_xlsx_column_map_and_missing_text_column(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", [["Schlagzeile", "Wortlaut"], ["Kopf", "Der Artikel."]])
    [problem] = problems(path)
    assert problem.location == "row 1"
    assert problem.reason.startswith("no text column; found columns: 'Schlagzeile'")
    [record] = records(path, column_map={"text": "Wortlaut", "title": "Schlagzeile"})
    assert (record.title, record.text) == ("Kopf", "Der Artikel.")


def test_corrupt_xlsx_files_are_problems(tmp_path):
    write(tmp_path / "a_kein_zip.xlsx", b"Das ist keine Arbeitsmappe.")
    with zipfile.ZipFile(tmp_path / "b_fremdes_zip.xlsx", "w") as archive:
        archive.writestr("liesmich.txt", "Nur ein Archiv.")
    found = items(tmp_path)
    assert found[0] == ImportProblem("a_kein_zip.xlsx", "", "not a readable .xlsx workbook (not a zip archive)")
    assert (found[1].source_file, found[1].location) == ("b_fremdes_zip.xlsx", "")
    assert found[1].reason.startswith("not a readable .xlsx workbook")
    assert len(found) == 2


# --- HTML --------------------------------------------------------------------------------------------------

PAGE = FILES / "stadtrat_bibliothek.html"
NOT_ARTICLE = ("Startseite", "Jetzt Abo", "Meistgelesen", "Ringstraße", "Impressum", "Cookie")


def test_html_page_yields_the_article_without_navigation_or_footer():
    [record] = items(PAGE)
    assert record.layout is Layout.CLEAN
    assert record.title == "Stadtrat beschließt neue Bibliothek"
    assert record.outlet == "Nordstädter Rundschau"
    assert record.url == "https://rundschau.example/lokales/stadtrat-bibliothek"
    assert record.published == "2023-11-14"
    assert record.external_id == "stadtrat_bibliothek"
    assert "„Wir investieren in die Köpfe unserer Stadt“" in record.text
    assert record.text.rstrip().endswith("mehr Platz für Lesungen und Schulklassen.")
    assert not [phrase for phrase in NOT_ARTICLE if phrase in record.text]


def test_html_falls_back_to_plain_extraction_when_trafilatura_finds_nothing(monkeypatch):
    monkeypatch.setattr(html_reader, "_extract_with_trafilatura", lambda page: None)
    [record] = items(PAGE)
    assert record.title == "Stadtrat beschließt neue Bibliothek"
    assert "Nach monatelanger Debatte hat der Stadtrat" in record.text
    assert not [phrase for phrase in NOT_ARTICLE if phrase in record.text]


def test_html_declared_latin1_is_read_as_windows_1252(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"><title>Preise</title></head><body><p>„Nur 5 €“</p></body>'
    [record] = records(write(tmp_path / "a.htm", page.encode("cp1252")))
    assert "„Nur 5 €“" in record.text


def test_html_without_text_is_a_problem(tmp_path):
    path = write(tmp_path / "leer.html", "<html><body><nav>Startseite</nav><script>var x;</script></body></html>")
    assert items(path) == [ImportProblem("leer.html", "", "no article text found in the HTML page")]


# --- folders -----------------------------------------------------------------------------------------------


def test_folder_order_is_by_name_depth_first_and_the_same_every_time(tmp_path):
    for name in ["b.txt", "z/2.txt", "a/b.txt", "A.txt", "a/a/c.txt", "c.jsonl", "z/1.txt"]:
        content = '{"text": "x"}' if name.endswith(".jsonl") else f"Text von {name}"
        write(tmp_path / name, content)
    expected = ["A.txt", "a/a/c.txt", "a/b.txt", "b.txt", "c.jsonl", "z/1.txt", "z/2.txt"]
    assert [record.source_file for record in records(tmp_path)] == expected
    assert items(tmp_path) == items(str(tmp_path))


def test_folder_skips_hidden_lock_and_database_files_and_notes_with_a_notice(tmp_path):
    write(tmp_path / "artikel.txt", "Ein Artikel.")
    skipped = [".versteckt.txt", ".git/objekt.txt", "~$export.xlsx", "studie.db", "studie.db-wal", "STUDIE.DB",
               "README.md", "notizen.md", "kodierung.annotations.jsonl", "sub/Readme.txt"]  # fmt: skip
    for name in skipped:
        write(tmp_path / name, "Ein Artikel.")
    assert [str(item) if isinstance(item, ImportNotice) else item.source_file for item in items(tmp_path)] == [
        "README.md: a note, not an article; skipped",
        "artikel.txt",
        "kodierung.annotations.jsonl: a label file, not articles; skipped (annotator import-labels reads it)",
        "notizen.md: a note, not an article; skipped",
        "sub/Readme.txt: a note, not an article; skipped",
    ]


def test_unknown_types_in_a_folder_are_reported_only_when_they_look_like_text_or_a_document(tmp_path):
    write(tmp_path / "artikel.txt", "Ein Artikel.")
    write(tmp_path / "foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    write(tmp_path / "notizen.rst", "Notizen zur Studie")
    write(tmp_path / "scan.pdf", b"%PDF-1.7\n\x00\x00\x00")
    assert [str(item) for item in problems(tmp_path)] == [
        "notizen.rst: unsupported file type .rst (supported: .csv, .htm, .html, .json, .jsonl, .ndjson, .tsv, "
        ".txt, .xlsx)",
        "scan.pdf: unsupported file type .pdf; save the text as .txt",
    ]


def test_unknown_type_given_directly_is_always_reported(tmp_path):
    [problem] = items(write(tmp_path / "foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
    assert problem.source_file == "foto.jpg"
    assert problem.reason.startswith("unsupported file type .jpg (supported: .csv,")


def test_unlistable_subfolder_is_a_problem_and_the_rest_still_reads(tmp_path, monkeypatch):
    write(tmp_path / "a/artikel.txt", "Eins.")
    write(tmp_path / "b/gesperrt/artikel.txt", "Zwei.")
    write(tmp_path / "c.txt", "Drei.")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "gesperrt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(readers.os, "scandir", scandir)
    assert [str(item) if isinstance(item, ImportProblem) else item.text for item in items(tmp_path)] == [
        "Eins.",
        "b/gesperrt: cannot list folder: Permission denied",
        "Drei.",
    ]


def test_folder_without_corpus_files_says_so(tmp_path):
    folder = tmp_path / "korpus"
    write(folder / "foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    [problem] = items(folder)
    assert (problem.source_file, problem.location) == ("korpus", "")
    assert problem.reason.startswith("no corpus files in this folder (supported: .csv,")


def test_missing_path_and_bad_column_map_fail_at_once(tmp_path):
    with pytest.raises(CorpusError, match="no such file or folder"):
        iter_corpus(tmp_path / "fehlt")  # raised by the call itself, before iteration
    with pytest.raises(CorpusError, match="unknown field 'rubrik'"):
        iter_corpus(tmp_path, column_map={"rubrik": "Ressort"})
    with pytest.raises(CorpusError, match="same column for two fields"):
        iter_corpus(tmp_path, column_map={"title": "Kopf", "text": "kopf"})


def test_column_map_accepts_source_and_date_as_field_names(tmp_path):
    path = write(tmp_path / "a.csv", "Wortlaut,Zeitung,Erschienen\nText.,Elbkurier,2024-02-29\n")
    [record] = records(path, column_map={"text": "Wortlaut", "source": "Zeitung", "date": "Erschienen"})
    assert (record.outlet, record.published, record.metadata) == ("Elbkurier", "2024-02-29", {})


# --- streaming ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv"])
def test_first_record_of_a_large_file_comes_without_reading_the_file_into_memory(tmp_path, suffix):
    text = "Die Gemeinde meldet einen neuen Haushaltsentwurf mit höheren Ausgaben für Schulen."
    count = 100_000
    path = tmp_path / f"gross{suffix}"
    with open(path, "w", encoding="utf-8") as file:
        if suffix == ".csv":
            file.write("id,text\n")
            file.writelines(f"{n},{text}\n" for n in range(count))
        else:
            lines = (json.dumps({"id": n, "text": text}, ensure_ascii=False) for n in range(count))
            file.write(("[" + ",\n".join(lines) + "]") if suffix == ".json" else "\n".join(lines))
    size = path.stat().st_size
    assert size > 8_000_000

    tracemalloc.start()
    try:
        stream = iter_corpus(path)
        first = next(stream)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    stream.close()
    assert (first.external_id, first.text) == ("0", text)
    assert peak < size / 8, f"reading the first record took {peak} bytes of a {size}-byte file"


def test_annotatorignore_skips_listed_files_and_folders(tmp_path):
    write(tmp_path / "artikel.txt", "Ein Artikel.")
    write(tmp_path / "gold" / "heldout.txt", "id-1\nid-2")
    write(tmp_path / "entwurf-1.txt", "Ein Entwurf.")
    write(tmp_path / "gold" / "README.md", "Der Goldstandard.")  # and no notice about what an ignored folder holds
    write(tmp_path / ".annotatorignore", "# not articles\ngold/\nentwurf-*.txt\n")
    assert [item.source_file for item in items(tmp_path)] == ["artikel.txt"]
