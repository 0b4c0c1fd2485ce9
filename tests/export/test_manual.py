"""The coding manual: Markdown text, a Word package that opens, and a PDF via LibreOffice where installed."""

from __future__ import annotations

import subprocess
import zipfile
import xml.etree.ElementTree as ET

from ci_programs import require

from annotator.codebook import Category, Codebook, load_default
from annotator.domain import CategoryKind
from annotator.export.manual import manual_markdown, write_manual_docx, write_manual_markdown

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BOOK = Codebook(
    name="Framing-Studie 2026",
    version=3,
    categories=(
        Category(
            id="hedge", name="Spekulation", kind=CategoryKind.SPAN, key="2", colour="#ff7f0e",
            definition="Konjunktiv II: *könnte*, _dürfte_ <b> & „soll“\n\nAuch: vermutlich.",
            example="Es könnte\nmorgen regnen.",
        ),
        Category(id="hedge_modal", name="Modalverb", kind=CategoryKind.SPAN, parent="hedge", definition="Nur Modalverben."),
        Category(
            id="tone", name="Tonalität", kind=CategoryKind.DOCUMENT, key="y", level="ordinal",
            values=("negativ", "neutral", "positiv"), definition="Gesamteindruck des Artikels.",
        ),
        Category(id="frame", name="Konfliktframe", kind=CategoryKind.DOCUMENT, values=("fehlt", "vorhanden")),
    ),
)  # fmt: skip


def test_markdown_lists_every_category_with_what_a_coder_needs(tmp_path):
    path = write_manual_markdown(BOOK, tmp_path / "manual.md", title="Codierhandbuch")
    text = path.read_text(encoding="utf-8")

    assert text.startswith("# Codierhandbuch\n")
    assert "version 3: 2 span categories and 2 document-level categories" in text
    assert text.index("## Span categories") < text.index("### Spekulation") < text.index("## Document-level categories")
    assert "- **ID:** `hedge`" in text and "- **Key:** 2" in text and "- **Colour:** `#ff7f0e`" in text
    assert "- **Sub-category of:** Spekulation (hedge)" in text and "- **Key:** —" in text
    # Markdown syntax in definitions is shown literally, not rendered.
    assert r"Konjunktiv II: \*könnte\*, \_dürfte\_ \<b\> & „soll“" in text
    assert "> Es könnte\n> morgen regnen." in text
    assert "**Measurement level:** ordinal (ordered as listed; distances between values unknown)" in text
    assert "1. negativ\n2. neutral\n3. positiv" in text  # ordinal values keep their order
    assert "- fehlt\n- vorhanden" in text
    assert "\n\n\n" not in text


def test_the_default_codebook_manual_names_all_its_categories():
    book = load_default()
    text = manual_markdown(book)
    for category in book.categories:
        assert f"### {category.name}" in text
        assert f"`{category.id}`" in text


def _docx_parts(path):
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {name: ET.fromstring(archive.read(name)) for name in archive.namelist()}


def test_docx_is_a_valid_wordprocessingml_package(tmp_path):
    path = write_manual_docx(BOOK, tmp_path / "manual.docx", title="Codierhandbuch")
    parts = _docx_parts(path)

    assert set(parts) == {
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml",
        "word/_rels/document.xml.rels", "word/styles.xml", "word/document.xml",
    }  # fmt: skip
    overrides = {o.get("PartName") for o in parts["[Content_Types].xml"] if o.tag.endswith("Override")}
    assert overrides == {"/word/document.xml", "/word/styles.xml", "/docProps/core.xml"}
    targets = {r.get("Target") for r in parts["_rels/.rels"]}
    assert targets == {"word/document.xml", "docProps/core.xml"}
    assert {r.get("Target") for r in parts["word/_rels/document.xml.rels"]} == {"styles.xml"}

    document = parts["word/document.xml"]
    defined = {s.get(f"{W}styleId") for s in parts["word/styles.xml"].iter(f"{W}style")}
    used = {s.get(f"{W}val") for s in document.iter(f"{W}pStyle")}
    assert used <= defined and {"Title", "Heading1", "Heading2", "Quote"} <= used

    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.iter(f"{W}p")]
    assert paragraphs[0] == "Codierhandbuch"
    assert "Spekulation" in paragraphs and "Tonalität" in paragraphs
    assert "Definition. Konjunktiv II: *könnte*, _dürfte_ <b> & „soll“Auch: vermutlich." in paragraphs
    assert any(p.startswith("ID: hedge") for p in paragraphs)
    assert "Measurement level: ordinal (ordered as listed; distances between values unknown)" in paragraphs
    headings = [p for p, el in zip(paragraphs, document.iter(f"{W}p")) if el.find(f"{W}pPr/{W}pStyle") is not None]
    assert headings[:3] == ["Codierhandbuch", "Span categories", "Spekulation"]
    fills = [s.get(f"{W}fill") for s in document.iter(f"{W}shd")]
    assert fills[0] == "FF7F0E"
    assert parts["docProps/core.xml"][0].text == "Codierhandbuch"


def test_docx_is_reproducible(tmp_path):
    first = write_manual_docx(BOOK, tmp_path / "a.docx").read_bytes()
    second = write_manual_docx(BOOK, tmp_path / "b.docx").read_bytes()
    assert first == second


def test_docx_converts_to_pdf_with_libreoffice(tmp_path):
    soffice = require("soffice")
    path = write_manual_docx(load_default(), tmp_path / "manual.docx")
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "manual.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000
