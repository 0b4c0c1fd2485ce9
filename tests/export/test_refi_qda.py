"""REFI-QDA: projects and codebooks for MAXQDA, ATLAS.ti, NVivo and QualCoder, checked by the schema and
an independent reader, through a round trip, and with files in the styles MAXQDA and QualCoder write."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from exchange_corpus import ARTICLES, code_keys, new_project, span_keys
from lxml import etree
from pyrefiqda import RefiProject

from annotator.cli import main
from annotator.export.qdpx import export_qdc, export_qdpx
from annotator.export.qdpx_import import import_qdc, import_qdpx
from annotator.export.reports import ExchangeError
from annotator.project import Project

SCHEMAS = Path(__file__).parent / "refi"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


# --- what is written ---------------------------------------------------------------------------------


def test_every_written_project_and_codebook_validates_against_the_refi_schema(labelled, tmp_path):
    result = export_qdpx(labelled, tmp_path / "study.qdpx")
    assert (result.documents, result.spans, result.document_codes) == (2, 16, 5)
    schema = _schema("Project.xsd")
    root = etree.fromstring(_qde(tmp_path / "study.qdpx"))
    assert schema.validate(root), schema.error_log
    # Also a project of one coder, and one without a single label.
    export_qdpx(labelled, tmp_path / "ben.qdpx", coders="ben")
    assert schema.validate(etree.fromstring(_qde(tmp_path / "ben.qdpx"))), schema.error_log
    with new_project(tmp_path, "empty", ARTICLES[:1]) as empty:
        export_qdpx(empty, tmp_path / "empty.qdpx")
        assert schema.validate(etree.fromstring(_qde(tmp_path / "empty.qdpx"))), schema.error_log

    export_qdc(labelled, tmp_path / "codebook.qdc")
    codebook = _schema("Codebook.xsd")
    assert codebook.validate(etree.parse(str(tmp_path / "codebook.qdc"))), codebook.error_log


def test_an_independent_reader_finds_users_codes_texts_and_positions(labelled, tmp_path):
    export_qdpx(labelled, tmp_path / "study.qdpx")
    project = RefiProject.load(tmp_path / "study.qdpx", extract_dir=str(tmp_path / "unzipped"))

    assert {u.name for u in project.users.user} == {c.name for c in labelled.coders()}
    users = {u.guid: u.name for u in project.users.user}
    codes = {}

    def walk(code, parent=None):
        codes[code.guid] = (code.name, code.is_codable, parent)
        for child in code.code:
            walk(child, code.name)

    for code in project.code_book.codes.code:
        walk(code)
    assert ("Overall tone", False, None) in codes.values() and ("negative", True, "Overall tone") in codes.values()
    found = set()
    for source in project.sources.text_source:
        text = RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "unzipped").read_text(encoding="utf-8")
        for selection in source.plain_text_selection:
            coding = selection.coding[0]
            found.add((text[selection.start_position : selection.end_position], users[selection.creating_user],
                       codes[coding.code_ref.target_guid][0], selection.description))  # fmt: skip
    names = {c.id: c.name for c in labelled.categories()}
    assert found == {(a.text, a.coder, names[a.category], a.note) for a in labelled.annotations()}


def test_document_codes_are_codings_of_the_whole_source_referring_to_the_value(labelled, tmp_path):
    export_qdpx(labelled, tmp_path / "study.qdpx")
    root = etree.fromstring(_qde(tmp_path / "study.qdpx"))
    names = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    thun = next(s for s in root.iterfind(".//q:TextSource", NS) if s.get("name") == "bern/2026-001")
    got = {(users[c.get("creatingUser")], names[c.find("q:CodeRef", NS).get("targetGUID")]) for c in thun.findall("q:Coding", NS)}
    assert got == {("anna", "negative"), ("anna", "present"), ("ben", "neutral"), ("gold", "negative")}


# --- round trips -------------------------------------------------------------------------------------


def test_round_trip_reproduces_spans_coders_notes_and_codes(labelled, tmp_path):
    export_qdpx(labelled, tmp_path / "study.qdpx")
    with Project.create(tmp_path / "new.db") as target:  # an empty project: documents come from the file
        report = import_qdpx(target, tmp_path / "study.qdpx")
        assert report.rejected == [] and report.unmapped == {} and sorted(report.documents_created) == ["Z-2", "bern/2026-001"]
        assert span_keys(target) == span_keys(labelled)  # with the notes
        assert code_keys(target) == code_keys(labelled)
        assert {(c.name, c.is_gold) for c in target.coders()} == {(c.name, c.is_gold) for c in labelled.coders()}
        thun = target.document(target.document_id_for("bern/2026-001"))
        assert (thun.title, thun.outlet, thun.published) == ("Streit um die «Brücke» in Thun", "Thuner Tagblatt", "2026-03-02")
        again = import_qdpx(target, tmp_path / "study.qdpx")
        assert (again.spans, again.document_codes, again.unchanged) == (0, 0, 21)


def test_codebook_round_trip_keeps_ids_keys_levels_values_and_parents(tmp_path):
    with new_project(tmp_path, "own", ARTICLES[:1]) as source:
        book = source.codebook()
        extra = [
            c.__class__(id="framing_device", name="Framing device", kind=c.kind, key="9", colour="#123abc",
                        definition="Parent of devices.", example="", parent=None)
            for c in book.categories[:1]
        ]  # fmt: skip
        child = book.categories[0].__class__(**{**book.categories[0].__dict__, "parent": "framing_device"})
        source.replace_codebook(book.__class__(book.name, (*extra, child, *book.categories[1:])))
        export_qdc(source, tmp_path / "codebook.qdc")
        wanted = source.categories()
    other = wanted[0].__class__(id="other", name="Other", kind=wanted[0].kind, key="0", colour="#000000")
    with Project.create(tmp_path / "blank.db", codebook=book.__class__("Blank", (other,))) as target:
        result = import_qdc(target, tmp_path / "codebook.qdc")
        assert result.added == [c.id for c in wanted] and result.matched == []
        assert target.categories() == [other, *wanted]  # ids, keys, colours, levels, values, examples, parents
        again = import_qdc(target, tmp_path / "codebook.qdc")
        assert again.added == [] and sorted(again.matched) == sorted(c.id for c in wanted)


# --- files in the styles other programs write -----------------------------------------------------------

MAXQDA_USER = "{A3C1D2E4-5B6F-4A7B-8C9D-0E1F2A3B4C5D}"


def _maxqda_file(path: Path, text: str) -> None:
    """A MAXQDA-style project: upper-case GUIDs, CRLF text, codable parents, memos, a Note, a PDF source."""
    crlf = text.replace("\n", "\r\n")
    beobachter = crlf.index("Beobachter")
    laut = crlf.index("Laut «SRF»")
    kilometer = crlf.index("zwölf Kilometer")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Gotthard-Studie" origin="MAXQDA 2022 (Release 22.7.0)"
  creatingUserGUID="{MAXQDA_USER}" creationDateTime="2024-05-02T09:12:44Z">
  <Users><User guid="{MAXQDA_USER}" name="Mara" id="MA"/></Users>
  <CodeBook><Codes>
    <Code guid="0F1E2D3C-4B5A-4968-8776-655443322110" name="Framing" isCodable="true" color="#FF0000">
      <Code guid="1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9" name="Unnamed source" isCodable="true" color="#00F">
        <Description>Quellen ohne Namen</Description>
      </Code>
      <Code guid="2B3C4D5E-6F70-4182-93A4-B5C6D7E8F9A0" name="Ironie" isCodable="true" color="#00FF00"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="3C4D5E6F-7081-4293-A4B5-C6D7E8F9A0B1" name="Gotthard.docx"
      richTextPath="internal://3C4D5E6F-7081-4293-A4B5-C6D7E8F9A0B1.docx"
      plainTextPath="internal://3C4D5E6F-7081-4293-A4B5-C6D7E8F9A0B1.txt"
      creatingUser="{MAXQDA_USER}" creationDateTime="2024-05-02T09:13:00Z">
      <PlainTextSelection guid="4D5E6F70-8192-43A4-B5C6-D7E8F9A0B1C2" name="Beobachter"
        startPosition="{beobachter}" endPosition="{beobachter + 10}" creatingUser="{MAXQDA_USER}"
        creationDateTime="2024-05-02T09:20:11Z">
        <Description>wer genau?</Description>
        <Coding guid="5E6F7081-92A3-44B5-C6D7-E8F9A0B1C2D3" creatingUser="{MAXQDA_USER}">
          <CodeRef targetGUID="1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="6F708192-A3B4-45C6-D7E8-F9A0B1C2D3E4" name="Laut «SRF»"
        startPosition="{laut}" endPosition="{laut + 10}" creatingUser="{MAXQDA_USER}">
        <Coding guid="708192A3-B4C5-46D7-E8F9-A0B1C2D3E4F5" creatingUser="{MAXQDA_USER}">
          <CodeRef targetGUID="2B3C4D5E-6F70-4182-93A4-B5C6D7E8F9A0"/>
        </Coding>
        <NoteRef targetGUID="8192A3B4-C5D6-47E8-F9A0-B1C2D3E4F5A6"/>
      </PlainTextSelection>
      <PlainTextSelection guid="92A3B4C5-D6E7-48F9-A0B1-C2D3E4F5A6B7" name="zwölf Kilometer"
        startPosition="{kilometer}" endPosition="{kilometer + 15}" creatingUser="{MAXQDA_USER}">
        <Description>nur ein Memo</Description>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="A3B4C5D6-E7F8-49A0-B1C2-D3E4F5A6B7C8" name="Medienmitteilung.pdf"
      path="internal://A3B4C5D6-E7F8-49A0-B1C2-D3E4F5A6B7C8.pdf"/>
  </Sources>
  <Notes>
    <Note guid="8192A3B4-C5D6-47E8-F9A0-B1C2D3E4F5A6" name="Memo" creatingUser="{MAXQDA_USER}">
      <PlainTextContent>Quelle prüfen</PlainTextContent>
    </Note>
  </Notes>
</Project>
"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/3C4D5E6F-7081-4293-A4B5-C6D7E8F9A0B1.txt", crlf.encode("utf-8"))
        archive.writestr("sources/3C4D5E6F-7081-4293-A4B5-C6D7E8F9A0B1.docx", b"PK\x03\x04 (a Word file)")


def test_a_maxqda_project_imports_matching_codes_by_name_and_documents_by_text(fresh, tmp_path):
    gotthard = fresh.document(fresh.document_id_for("Z-2"))
    _maxqda_file(tmp_path / "maxqda.qdpx", gotthard.text)
    assert _schema("Project.xsd").validate(etree.fromstring(_qde(tmp_path / "maxqda.qdpx")))

    report = import_qdpx(fresh, tmp_path / "maxqda.qdpx")

    assert report.rejected == [] and report.documents_created == []  # found by its text despite CRLF
    assert [(a.coder, a.category, a.text, a.note) for a in fresh.annotations()] == [
        ("Mara", "unnamed_source", "Beobachter", "wer genau?")
    ]
    assert report.unmapped == {"Framing › Ironie": 1}
    assert "1 PDFSource source(s) not imported (annotator codes text)" in report.notes
    assert "1 selection(s) without a code (memos) not imported" in report.notes

    added = import_qdpx(fresh, tmp_path / "maxqda.qdpx", add_codes=True)
    assert added.unmapped == {} and added.spans == 1
    categories = {c.id: c for c in fresh.categories()}
    assert categories["ironie"].parent == "framing" and categories["framing"].colour == "#ff0000"
    ironie = next(a for a in fresh.annotations() if a.category == "ironie")
    assert (ironie.text, ironie.note) == ("Laut «SRF»", "Quelle prüfen")  # the note a NoteRef points to


QUALCODER_TEXT = "Interview mit Frau K.\n\nSie sagt, man höre so einiges. 😊 Niemand wisse Genaues.\n"


def _qualcoder_file(path: Path, utf16: bool = False) -> None:
    """A QualCoder-style project: BOM before the text, empty Descriptions, a category that cannot be coded."""
    text = QUALCODER_TEXT
    start = text.index("Niemand")
    shift = 1 if utf16 else 0  # the emoji before it, counted as two UTF-16 units
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="interviews.qda" origin="QualCoder 3.5" creatingUserGUID="c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f" creationDateTime="2024-02-01T10:00:00Z" xmlns="urn:QDA-XML:project:1.0">
<Users>
<User guid="c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f" name="default" />
<User guid="d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70" name="jo" />
</Users>
<CodeBook>
<Codes>
<Code guid="e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7081" name="Overall tone" isCodable="false">
<Description />
<Code guid="f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f708192" name="negative" isCodable="true" color="#EF2929">
</Code>
</Code>
<Code guid="a7b8c9d0-e1f2-4a3b-8c4d-5e6f708192a3" name="Unnamed source" isCodable="true" color="#729FCF">
<Description>Anonyme Quellen</Description>
</Code>
</Codes>
</CodeBook>
<Sources>
<TextSource plainTextPath="internal://b8c9d0e1-f2a3-4b4c-9d5e-6f708192a3b4.txt" creatingUser="c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f" creationDateTime="2024-02-01T10:05:00Z" guid="b8c9d0e1-f2a3-4b4c-9d5e-6f708192a3b4" name="interview_k.txt">
<PlainTextSelection guid="c9d0e1f2-a3b4-4c5d-8e6f-708192a3b4c5" startPosition="{start + shift}" endPosition="{start + shift + 7}" name="Niemand" creatingUser="d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70" creationDateTime="2024-02-01T10:07:00Z">
<Coding guid="d0e1f2a3-b4c5-4d6e-9f70-8192a3b4c5d6" creatingUser="d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70" >
<CodeRef targetGUID="a7b8c9d0-e1f2-4a3b-8c4d-5e6f708192a3" />
</Coding>
</PlainTextSelection>
<Coding guid="e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7" creatingUser="d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70" >
<CodeRef targetGUID="f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f708192" />
</Coding>
</TextSource>
</Sources>
<Description />
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/b8c9d0e1-f2a3-4b4c-9d5e-6f708192a3b4.txt", text.encode("utf-8-sig"))


@pytest.mark.parametrize("utf16", [False, True], ids=["code points", "UTF-16 units"])
def test_a_qualcoder_project_brings_its_document_segment_and_document_code(fresh, tmp_path, utf16):
    _qualcoder_file(tmp_path / "qualcoder.qdpx", utf16)
    assert _schema("Project.xsd").validate(etree.fromstring(_qde(tmp_path / "qualcoder.qdpx")))

    report = import_qdpx(fresh, tmp_path / "qualcoder.qdpx")

    assert report.rejected == [] and report.documents_created == ["interview_k.txt"]
    doc = fresh.document(fresh.document_id_for("interview_k.txt"))
    assert doc.text == QUALCODER_TEXT.strip()
    assert [(a.coder, a.category, a.text) for a in fresh.annotations()] == [("jo", "unnamed_source", "Niemand")]
    assert [(label.coder, label.category, label.value) for label in fresh.document_labels()] == [("jo", "tone", "negative")]
    assert any("UTF-16" in note for note in report.notes) == utf16


def test_a_file_that_is_not_refi_qda_is_one_clear_error(fresh, tmp_path):
    bad = tmp_path / "other.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("project.qde", '<?xml version="1.0"?><Projekt xmlns="urn:other"/>')
    with pytest.raises(ExchangeError, match="not a REFI-QDA file .root element 'Projekt'"):
        import_qdpx(fresh, bad)
    (tmp_path / "broken.qdc").write_text("<CodeBook", encoding="utf-8")
    with pytest.raises(ExchangeError, match="broken.qdc: not well-formed XML"):
        import_qdc(fresh, tmp_path / "broken.qdc")


# --- command line ------------------------------------------------------------------------------------


def test_qdpx_and_qdc_commands(labelled, tmp_path, capsys):
    source = labelled.location
    labelled.close()
    assert main(["export-qdpx", str(tmp_path / "study.qdpx"), "--project", source, "--quiet"]) == 0
    assert main(["export-qdc", str(tmp_path / "codes.qdc"), "--project", source]) == 0
    out = capsys.readouterr().out
    assert "2 document(s), 16 span label(s), 5 document code(s) written" in out and "codes.qdc" in out
    target = str(tmp_path / "target.db")
    Project.create(target).close()
    assert main(["import-qdc", str(tmp_path / "codes.qdc"), "--project", target]) == 0
    assert main(["import-qdpx", str(tmp_path / "study.qdpx"), "--project", target, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "14 code(s) already in the codebook, 0 added" in out
    assert "16 span label(s) and 5 document code(s) imported" in out and "2 new document(s)" in out
    code = main(["import", str(tmp_path / "study.qdpx"), "--project", target])
    assert code == 1 and "read it with 'annotator import-qdpx'" in capsys.readouterr().err
