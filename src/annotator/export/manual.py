"""The codebook as a coding manual for coders and for the appendix: Markdown and Word (.docx).

Both formats show the same content, built once as a list of blocks: a title, a line on the
codebook, then span categories and document-level categories, each with its name, id, shortcut
key, colour, parent category, definition and example, and for document-level categories the
values with their measurement level.

The .docx is a minimal WordprocessingML package written with the standard library (``zipfile``):
content types, relationships, styles (Title, Heading 1/2, Quote) and the document on an A4 page.
Word, LibreOffice and Pages open it; LibreOffice turns it into PDF with
``soffice --headless --convert-to pdf manual.docx``. The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from ..codebook import Category, Codebook
from .atomic import atomic_output
from .reports import cannot_write

__all__ = ["manual_markdown", "write_manual_docx", "write_manual_markdown"]

LEVEL_EXPLAINED = {
    "nominal": "categories without order",
    "ordinal": "ordered as listed; distances between values unknown",
    "interval": "numbers with equal distances between values",
    "ratio": "numbers with equal distances and a true zero",
}


@dataclass(frozen=True)
class _Block:
    kind: str  # title, lead, note, heading1, heading2, field, colour, line, text, example, values
    text: str = ""
    label: str = ""
    items: tuple[str, ...] = ()
    ordered: bool = False


def _blocks(book: Codebook, title: str | None) -> Iterator[_Block]:
    names = {c.id: c.name for c in book.categories}
    span, document = book.span_categories, book.document_categories
    yield _Block("title", title or book.name)
    yield _Block(
        "lead",
        f"Codebook “{book.name}”, version {book.version}: {len(span)} span categor{'y' if len(span) == 1 else 'ies'} "
        f"and {len(document)} document-level categor{'y' if len(document) == 1 else 'ies'}.",
    )
    for heading, intro, categories in (
        ("Span categories", "Coded on the words of the text that show the device.", span),
        ("Document-level categories", "Coded once per article by choosing one value.", document),
    ):
        if not categories:
            continue
        yield _Block("heading1", heading)
        yield _Block("note", intro)
        for c in categories:
            yield from _category_blocks(c, names)


def _category_blocks(c: Category, names: dict[str, str]) -> Iterator[_Block]:
    yield _Block("heading2", c.name)
    yield _Block("field", c.id, label="ID")
    yield _Block("field", c.key or "—", label="Key")
    yield _Block("colour", c.colour, label="Colour")
    if c.parent:
        yield _Block("field", f"{names.get(c.parent, c.parent)} ({c.parent})", label="Sub-category of")
    yield _Block("text", c.definition or "(no definition yet)", label="Definition")
    if c.example:
        yield _Block("example", c.example, label="Example")
    if not c.is_span:
        yield _Block("line", f"{c.level} ({LEVEL_EXPLAINED.get(c.level, '')})", label="Measurement level")
        yield _Block("values", label="Values", items=c.values, ordered=c.level != "nominal")


# --- Markdown -------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def manual_markdown(codebook: Codebook, title: str | None = None) -> str:
    """The coding manual as Markdown (CommonMark); category ids appear as code."""
    out: list[str] = []
    in_list = False
    for b in _blocks(codebook, title):
        listed = b.kind in ("field", "colour")
        if in_list and not listed:
            out.append("")  # a field list ends where the next block starts
        in_list = listed
        if b.kind == "title":
            out += [f"# {_md(b.text)}", ""]
        elif b.kind in ("lead", "note"):
            out += [_md(b.text), ""]
        elif b.kind == "heading1":
            out += [f"## {_md(b.text)}", ""]
        elif b.kind == "heading2":
            out += [f"### {_md(b.text)}", ""]
        elif b.kind == "field":
            out.append(f"- **{b.label}:** " + (f"`{b.text}`" if b.label == "ID" else _md(b.text)))
        elif b.kind == "colour":
            out.append(f"- **{b.label}:** `{b.text}`")
        elif b.kind == "line":
            out += [f"**{b.label}:** {_md(b.text)}", ""]
        elif b.kind == "values":
            out += [f"**{b.label}:**", ""]
            out += [f"{n}. {_md(v)}" if b.ordered else f"- {_md(v)}" for n, v in enumerate(b.items, start=1)]
            out.append("")
        elif b.kind == "text":
            out += [f"**{b.label}.** " + "\n".join(_md(line) for line in b.text.splitlines()), ""]
        elif b.kind == "example":
            out += [f"**{b.label}:**", ""]
            out += [f"> {_md(line)}" if line.strip() else ">" for line in b.text.splitlines()]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_manual_markdown(codebook: Codebook, path: str | Path, title: str | None = None) -> Path:
    path = Path(path)
    try:
        with atomic_output(path) as tmp:
            tmp.write_text(manual_markdown(codebook, title), encoding="utf-8", newline="\n")
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return path


# --- DOCX -----------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # reproducible archives

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults>
<w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListItem"><w:name w:val="List Item"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="40"/><w:ind w:left="567" w:hanging="283"/></w:pPr></w:style>
</w:styles>"""

_SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1417" w:right="1417" w:bottom="1134" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/>'
    "</w:sectPr>"
)


def _run(text: str, bold: bool = False, italic: bool = False, code: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if code:
        props += '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
    pieces = []
    for n, line in enumerate(_XML_ILLEGAL.sub("", text).replace("\r", "").split("\n")):
        if n:
            pieces.append("<w:br/>")
        for m, part in enumerate(line.split("\t")):
            if m:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _paragraph(runs: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{runs}</w:p>"


def _docx_body(codebook: Codebook, title: str | None) -> str:
    out = []
    for b in _blocks(codebook, title):
        if b.kind == "title":
            out.append(_paragraph(_run(b.text), "Title"))
        elif b.kind == "lead":
            out.append(_paragraph(_run(b.text)))
        elif b.kind == "note":
            out.append(_paragraph(_run(b.text, italic=True)))
        elif b.kind == "heading1":
            out.append(_paragraph(_run(b.text), "Heading1"))
        elif b.kind == "heading2":
            out.append(_paragraph(_run(b.text), "Heading2"))
        elif b.kind in ("field", "line"):
            out.append(_paragraph(_run(f"{b.label}: ", bold=True) + _run(b.text, code=b.label == "ID")))
        elif b.kind == "colour":
            fill = b.text.lstrip("#").upper()
            shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{escape(fill)}"/>'
            swatch = f'<w:r><w:rPr>{shading}</w:rPr><w:t xml:space="preserve">\u2003\u2003</w:t></w:r>'
            out.append(_paragraph(_run(f"{b.label}: ", bold=True) + swatch + _run(f" {b.text}")))
        elif b.kind == "values":
            out.append(_paragraph(_run(f"{b.label}:", bold=True)))
            for n, value in enumerate(b.items, start=1):
                out.append(_paragraph(_run(f"{n}.\t" if b.ordered else "•\t") + _run(value), "ListItem"))
        elif b.kind == "text":
            out.append(_paragraph(_run(f"{b.label}. ", bold=True) + _run(b.text)))
        elif b.kind == "example":
            out.append(_paragraph(_run(f"{b.label}:", bold=True)))
            out.append(_paragraph(_run(b.text), "Quote"))
    return "".join(out)


def write_manual_docx(codebook: Codebook, path: str | Path, title: str | None = None) -> Path:
    """Write the coding manual as a Word document (see the module docstring)."""
    path = Path(path)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
        f"{_docx_body(codebook, title)}{_SECTION}</w:body></w:document>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(_XML_ILLEGAL.sub('', title or codebook.name))}</dc:title><dc:creator>annotator</dc:creator>"
        "</cp:coreProperties>"
    )
    parts = (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _PACKAGE_RELS),
        ("docProps/core.xml", core),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/styles.xml", _STYLES),
        ("word/document.xml", document),
    )
    try:
        with atomic_output(path) as tmp:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name, content in parts:
                    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, content.encode("utf-8"))
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return path
