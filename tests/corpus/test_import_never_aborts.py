"""An import never aborts: each bad input is reported by file and place, the good ones land, memory stays bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from annotator.cli import main
from annotator.project import Project


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def jsonl(*objects: dict) -> str:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in objects)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, timeout=300)


# --- one bad input never stops the good ones -----------------------------------------------------------------


def test_a_lone_surrogate_escape_in_json_is_reported_and_the_rest_lands(project, tmp_path):
    folder = tmp_path / "korpus"
    write(folder / "a.jsonl", '{"id": "bern", "text": "Bern \\ud800 meldet Neues."}\n{"id": "gut", "text": "Gut."}\n')
    write(folder / "b.json", '[{"id": "basel", "title": "Basel \\udc00", "text": "Basel meldet."}, {"id": "chur", "text": "Chur."}]')
    report = project.import_corpus(folder)
    assert (report.new, report.rejected) == (4, [])
    warned = {(warning.source_file, warning.location) for warning in report.warnings if "surrogate" in warning.reason}
    assert warned == {("a.jsonl", "line 1"), ("b.json", "item 1")}
    assert project.document(project.document_id_for("bern")).text == "Bern \ufffd meldet Neues."
    assert project.document(project.document_id_for("basel")).title == "Basel \ufffd"


def test_a_file_name_that_is_not_utf8_is_imported_under_a_readable_name(project, tmp_path):
    folder = tmp_path / "aus-windows"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"B\xfcrger.txt"), "wb") as file:
        file.write(b"T\n\nText.\n")
    write(folder / "gut.txt", "Gut\n\nAnderer Text.\n")
    report = project.import_corpus(folder)
    assert (report.new, report.rejected) == (2, [])
    assert {doc.source_file for doc in project.iter_documents()} == {"B\\xfcrger.txt", "gut.txt"}
    assert project.document_id_for("B\\xfcrger") is not None
    [notice] = report.notices
    assert notice.source_file == "B\\xfcrger.txt" and "not valid UTF-8" in notice.message


def test_deeply_nested_json_is_reported_and_the_rest_lands(project, tmp_path):
    folder = tmp_path / "korpus"
    write(folder / "a.json", "[" * 100_000)
    write(folder / "b.jsonl", jsonl({"id": "b1", "text": "Vorher."}) + "[" * 100_000 + "\n" + jsonl({"id": "b3", "text": "Nachher."}))
    deep = '{"x": ' * 50_000 + "1" + "}" * 50_000
    write(folder / "c.json", f'[{{"id": "c1", "text": "Eins."}}, {deep}, {{"id": "c3", "text": "Drei."}}]')
    report = project.import_corpus(folder)
    assert report.new == 4
    reasons = {(problem.source_file, problem.location): problem.reason for problem in report.rejected}
    assert "nested too deeply" in reasons[("a.json", "item 1")]
    assert "nested too deeply" in reasons[("b.jsonl", "line 2")]
    assert "nested too deeply" in reasons[("c.json", "item 2")]


def test_a_utf16_fragment_is_rejected_not_stored_as_a_replacement_character(project, tmp_path):
    write(tmp_path / "korpus" / "kaputt.txt", b"\xff\xfe\x00")
    write(tmp_path / "korpus" / "gut.txt", "Gut\n\nText.\n")
    report = project.import_corpus(tmp_path / "korpus")
    assert report.new == 1
    [problem] = report.rejected
    assert problem.source_file == "kaputt.txt"
    assert problem.reason.startswith("no readable text")
    assert ["gut.txt"] == [doc.source_file for doc in project.iter_documents()]


def test_a_failure_to_store_one_article_does_not_lose_its_batch(project, tmp_path, monkeypatch):
    path = write(tmp_path / "a.jsonl", jsonl(*({"id": name, "text": f"Artikel {name}."} for name in "abc")))
    real_store = Project._store_batch

    def store(self, batch, report, language):
        if any(doc.external_id == "b" for doc in batch):
            raise ValueError("kaputt")
        return real_store(self, batch, report, language)

    monkeypatch.setattr(Project, "_store_batch", store)
    report = project.import_corpus(path)
    assert report.new == 2
    [problem] = report.rejected
    assert (problem.location, problem.reason) == ("line 2", "could not be stored (ValueError: kaputt)")


def test_a_folder_of_bad_inputs_imports_the_good_ones_without_a_traceback(tmp_path):
    folder = tmp_path / "korpus"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"B\xfcrger.txt"), "wb") as file:
        file.write(b"T\n\nText.\n")
    write(folder / "a.jsonl", '{"text": "Bern \\ud800"}\n{"text": "abgeschnit\n' + jsonl({"text": "Gut eins."}))
    write(folder / "b.json", "[" * 100_000)
    write(folder / "c.txt", b"\xff\xfe\x00")
    write(folder / "d.txt", "Gut zwei\n\nText zwei.")
    done = run_cli("import", str(folder), "--project", str(tmp_path / "s.db"), "-q")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "4 new, 0 duplicate, 3 rejected" in done.stdout
    assert "B\\xfcrger.txt" in done.stdout


# --- the size of an article and the memory of an import ----------------------------------------------------


LONG = "Der Rat tagt. " * 1000  # 14,000 characters
SHORT = "Ein kurzer Artikel."


def _corpus_with_a_long_article(folder: Path, name: str) -> None:
    suffix = Path(name).suffix
    if suffix == ".txt":
        write(folder / name, LONG)
        write(folder / "kurz.txt", SHORT)
    elif suffix == ".jsonl":
        write(folder / name, jsonl({"text": LONG}, {"text": SHORT}))
    elif suffix == ".json":
        write(folder / name, json.dumps([{"text": LONG}, {"text": SHORT}]))
    elif suffix == ".csv":
        write(folder / name, f"id,text\n1,{LONG}\n2,{SHORT}\n")
    elif suffix == ".xlsx":
        folder.mkdir(parents=True, exist_ok=True)
        workbook = openpyxl.Workbook()
        for row in (["id", "text"], [1, LONG], [2, SHORT]):
            workbook.active.append(row)
        workbook.save(folder / name)
    else:
        write(folder / name, f"<html><head><title>Lang</title></head><body><article><p>{LONG}</p></article></body></html>")
        write(folder / "kurz.txt", SHORT)


@pytest.mark.parametrize("name", ["lang.txt", "lang.jsonl", "lang.json", "lang.csv", "lang.xlsx", "lang.html"])
def test_an_article_over_the_size_limit_is_rejected_by_name_and_the_limit_can_be_raised(tmp_path, name):
    folder = tmp_path / "korpus"
    _corpus_with_a_long_article(folder, name)
    with Project.create(tmp_path / "eng.db") as project:
        report = project.import_corpus(folder, max_article_chars=10_000)
        assert report.new == 1
        [problem] = report.rejected
        assert problem.source_file == name
        assert "over the limit of 10,000 characters" in problem.reason and "--max-article-chars" in problem.reason
    with Project.create(tmp_path / "weit.db") as project:
        report = project.import_corpus(folder, max_article_chars=20_000)
        assert (report.new, report.rejected) == (2, [])


def test_the_cli_takes_a_maximum_article_size(tmp_path, capsys):
    path = write(tmp_path / "a.jsonl", jsonl({"text": LONG}, {"text": SHORT}))
    assert main(["import", str(path), "--project", str(tmp_path / "s.db"), "-q", "--max-article-chars", "10000"]) == 0
    out = capsys.readouterr().out
    assert "1 new, 0 duplicate, 1 rejected" in out and "a.jsonl:1: article text of 14,000 characters" in out
    assert main(["import", str(path), "--project", str(tmp_path / "s.db"), "-q", "--max-article-chars", "20000"]) == 0
    assert "1 new, 1 duplicate, 0 rejected" in capsys.readouterr().out


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_WORKBOOK_PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{_PACKAGE}/relationships"><Relationship Id="rId1" '
    f'Type="{_RELATIONS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONS}"><sheets>'
    '<sheet name="Artikel" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    "</sheetData></worksheet>",
}


def _shared_strings_workbook(path: Path, padding_mb: int) -> None:
    """A workbook as Excel writes it: cells refer to the shared strings, here padded with a megabyte of strings
    no cell uses per `padding_mb` (which compresses about 400:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _WORKBOOK_PARTS.items():
            archive.writestr(name, content)
        padding = b"<si><t>Blindtext</t></si>" * 40_000  # 25 bytes each, a megabyte in all
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(f'<sst xmlns="{_MAIN}"><si><t>text</t></si><si><t>Ein Artikel aus der Tabelle.</t></si>'.encode())
            for _ in range(padding_mb):
                strings.write(padding)
            strings.write(b"</sst>")


def test_a_workbook_whose_shared_strings_unpack_too_large_is_refused(project, tmp_path):
    folder = tmp_path / "korpus"
    folder.mkdir()
    _shared_strings_workbook(folder / "normal.xlsx", padding_mb=0)
    _shared_strings_workbook(folder / "zu-gross.xlsx", padding_mb=150)
    assert (folder / "zu-gross.xlsx").stat().st_size < 1_000_000
    report = project.import_corpus(folder)
    assert report.new == 1 and report.duplicate == 0
    assert [doc.source_file for doc in project.iter_documents()] == ["normal.xlsx"]
    [problem] = report.rejected
    assert problem.source_file == "zu-gross.xlsx"
    assert "unpack to 150.0 MB" in problem.reason and "limit" in problem.reason


# The peak resident memory of this process: VmHWM, not getrusage's ru_maxrss, which Linux carries over from
# the parent through fork and exec (here: the whole test session's peak).
_MEASURE = """
import sys
from annotator.cli import main

def peak_kib():
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("VmHWM:")).split()[1])

small, large, project = sys.argv[1:]
assert main(["import", small, "--project", project, "-q"]) == 0
before = peak_kib()
assert main(["import", large, "--project", project, "-q"]) == 0
print("peak KiB", before, peak_kib())
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc")
def test_memory_stays_bounded_on_huge_inputs(tmp_path):
    megabyte_line = "Wort " * 200_000
    small = tmp_path / "klein"  # a first import, so that the peak after it is the baseline of a warm process
    write(small / "a.jsonl", jsonl({"id": "klein", "title": "Klein", "text": "Der Rat tagt. " * 50}))
    write(small / "b.txt", "Titel\n\nDer Rat tagt am Montag.")
    large = tmp_path / "gross"
    large.mkdir()
    with open(large / "eine-zeile.txt", "w", encoding="utf-8") as file:  # 60 MB, one line
        file.writelines(megabyte_line for _ in range(60))
    with open(large / "minifiziert.json", "w", encoding="utf-8") as file:  # one line: 400 articles and one of 30 MB
        items = [json.dumps({"id": f"a{n}", "text": f"Artikel {n}. " + "Der Rat tagt. " * 300}) for n in range(400)]
        file.write("[" + ",".join(items[:200]) + ',{"id": "riesig", "text": "')
        file.writelines(megabyte_line for _ in range(30))
        file.write('"},' + ",".join(items[200:]) + "]")
    with open(large / "zeile.jsonl", "w", encoding="utf-8") as file:
        file.write(jsonl({"id": "vorher", "text": "Vorher."}) + '{"text": "')
        file.writelines(megabyte_line for _ in range(20))
        file.write('"}\n' + jsonl({"id": "nachher", "text": "Nachher."}))
    with open(large / "zeile.csv", "w", encoding="utf-8") as file:
        file.write("id,text\n1,")
        file.writelines(megabyte_line for _ in range(20))
        file.write("\n2,Danach.\n")
    database = tmp_path / "s.db"
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(small), str(large), str(database)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    before, after = map(int, done.stdout.split("peak KiB")[-1].split())
    grown_mb = (after - before) / 1024
    assert grown_mb < 100, f"importing {large} raised the peak memory by {grown_mb:.0f} MB"
    assert "eine-zeile.txt: file of 60.0 MB" in done.stdout
    assert "minifiziert.json: item 201: " in done.stdout and "zeile.jsonl:2: " in done.stdout
    assert "zeile.csv: row 2 (line 2): " in done.stdout
    with Project.open(database) as project:
        assert project.document_count() == 2 + 400 + 2 + 1


# --- duplicates, locations, the report ------------------------------------------------------------------------


def test_the_same_body_under_two_titles_is_a_duplicate(project, tmp_path):
    body = "Der Gemeinderat hat am Montag den Haushalt beschlossen.\n\nDie Schulden steigen."
    first = write(tmp_path / "a.jsonl", jsonl(
        {"id": "a", "title": "Rat beschließt Haushalt", "text": body},
        {"id": "b", "title": "Haushalt steht", "text": body},
        {"id": "c", "title": "Haushalt steht", "text": "Ein anderer Text."},
    ))  # fmt: skip
    report = project.import_corpus(first)
    assert (report.new, report.duplicate) == (2, 1)
    assert [(problem.location, problem.reason) for problem in report.duplicates] == [
        ("line 2", "same article text already in the project")
    ]
    # Against documents stored by an earlier import, and from a plain text file whose first line is its title.
    again = project.import_corpus(write(tmp_path / "b.txt", f"Ganz anderer Titel\n\n{body}\n"))
    assert (again.new, again.duplicate) == (0, 1)
    assert project.document_count() == 2


def test_a_cut_off_json_line_is_reported_as_cut_off(project, tmp_path):
    path = write(tmp_path / "a.jsonl", '{"id": "a", "text": "Der Rat hat\n' + jsonl({"id": "b", "text": "Gut."}))
    report = project.import_corpus(path)
    assert report.new == 1
    [problem] = report.rejected
    assert problem.location == "line 1"
    assert "cut off" in problem.reason and "control character" not in problem.reason


def test_csv_problems_name_the_row_and_the_line(project, tmp_path):
    content = (
        "id,title,text\n"
        '1,Eins,"Erster Absatz.\n\nZweiter Absatz."\n'
        "2,Zwei,\n"
        '3,Drei,"\n\n"\n'
        "4,Vier,Vierter Text.\n"
    )
    report = project.import_corpus(write(tmp_path / "export.csv", content))
    assert report.new == 2
    assert [str(problem) for problem in report.rejected] == [
        "export.csv: row 3 (line 5): empty text",
        "export.csv: row 4 (lines 6–8): empty text",
    ]


def test_the_cli_lists_50_problems_and_the_report_file_all_of_them(tmp_path, capsys):
    path = write(tmp_path / "viele.jsonl", jsonl(*({"id": n, "text": ""} for n in range(120)), {"text": "Gut."}))
    assert main(["import", str(path), "--project", str(tmp_path / "a.db"), "-q"]) == 0
    out = capsys.readouterr().out
    assert sum(line.startswith("  viele.jsonl:") for line in out.splitlines()) == 50
    assert "  … and 70 more (--report FILE writes all of them)" in out
    report = tmp_path / "berichte" / "import.txt"
    report.parent.mkdir()
    assert main(["import", str(path), "--project", str(tmp_path / "b.db"), "-q", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert f"  … and 70 more (all of them in {report})" in out
    listed = report.read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("  viele.jsonl:") for line in listed) == 120
    assert f"{path}: 1 new, 0 duplicate, 120 rejected" in listed
    assert [entry.name for entry in report.parent.iterdir()] == ["import.txt"]


def test_aliases_and_skipped_note_files_are_notices(project, tmp_path, capsys):
    folder = tmp_path / "korpus"
    write(folder / "export.csv", "Nr;Überschrift;Inhalt\n1;Ein Titel;Ein Text.\n")
    write(folder / "artikel.json", '[{"headline": "Kopf", "body": "Ein zweiter Text."}]')
    for name in ("README.md", "notizen.md", "kodierung.annotations.jsonl"):
        write(folder / name, "Ein Artikel?")
    report = project.import_corpus(folder)
    assert (report.new, report.rejected) == (2, [])
    assert [str(notice) for notice in report.notices] == [  # in the folder's code-point order
        "README.md: a note, not an article; skipped",
        "artikel.json: key 'headline' read as title, 'body' as text (built-in aliases; --column FIELD=NAME picks others)",
        "export.csv: column 'Überschrift' read as title, 'Inhalt' as text (built-in aliases; --column FIELD=NAME picks others)",
        "kodierung.annotations.jsonl: a label file, not articles; skipped (annotator import-labels reads it)",
        "notizen.md: a note, not an article; skipped",
    ]
    assert main(["import", str(folder), "--project", str(tmp_path / "cli.db"), "-q"]) == 0
    out = capsys.readouterr().out
    assert "5 notice(s)" in out and "notices:\n  README.md: a note" in out
