"""Read a saved web page (.html, .htm) as one clean article: its main text and the page's metadata.

Trafilatura finds the article; a plain lxml extraction checks and completes it on pages too small for
trafilatura to trust its main extractor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.corpus.encoding import UndecodableError, cannot_read, decode_bytes, normalise_text
from annotator.corpus.limits import ArticleLimit
from annotator.corpus.records import ImportProblem, Layout, RawRecord
from annotator.corpus.tabular import FieldMap

__all__ = ["read_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
# The HTML standard decodes pages labelled latin-1 or ASCII as windows-1252, and so do browsers.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}

# Never article text, whatever the page layout. An article's own <header> holds its headline, so page
# headers and footers are dropped only outside <article>.
# (Not <form>: some content systems wrap the whole page in one.)
_NON_CONTENT = " | ".join(
    [f"//{tag}" for tag in ("script", "style", "noscript", "template", "nav", "aside")]
    + [f"//{tag}[not(ancestor::article)]" for tag in ("header", "footer")]
)

_BLOCK_TAGS = (
    *("p", "div", "section", "header", "footer", "blockquote", "figcaption", "pre", "li", "tr", "br"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
)
_SHORT_EXTRACTION = 250  # characters; trafilatura's own threshold for trusting its main extractor
_BREAK = "\u2029"  # Unicode's paragraph separator, which web pages practically never contain


def read_html(
    path: Path, source_file: str, field_map: FieldMap, limit: ArticleLimit
) -> Iterator[RawRecord | ImportProblem]:
    """A saved web page: the article's main text, with title, date and address from the page metadata."""
    try:
        too_large = limit.file_too_large(path.stat().st_size, limit.html_bytes)  # parsed, a page takes ten times more
        if too_large is not None:
            yield ImportProblem(source_file, "", too_large)
            return
        data = path.read_bytes()
    except OSError as error:
        yield ImportProblem(source_file, "", cannot_read(error))
        return
    try:
        page = _decode_html(data, path.name)
    except UndecodableError as error:
        yield ImportProblem(source_file, "", error.reason)
        return
    if not page.strip():
        yield ImportProblem(source_file, "", "empty file")
        return
    extracted = _extract_article(page)
    if extracted is None:
        yield ImportProblem(source_file, "", "no article text found in the HTML page")
        return
    metadata = {key: value for key, value in extracted.items() if key in ("author", "description") and value}
    yield RawRecord(
        text=normalise_text(extracted["text"]),
        source_file=source_file,
        external_id=path.stem,
        title=extracted.get("title") or None,
        outlet=extracted.get("sitename") or None,
        url=extracted.get("url") or None,
        published=extracted.get("date") or None,
        metadata=metadata,
        layout=Layout.CLEAN,
    )


def _extract_article(page: str) -> dict[str, str] | None:
    """Trafilatura's extraction, checked and completed by a plain one.

    On a page without an article trafilatura falls back to the whole body and returns menu entries as text;
    when its result is that short, it counts only if something is left outside navigation, header and footer.
    """
    main = _extract_with_trafilatura(page)
    if main is not None and len(main["text"]) >= _SHORT_EXTRACTION:
        return main
    plain = _extract_with_lxml(page)
    if plain is None or not plain["text"]:
        return None
    return main or plain


def _decode_html(data: bytes, filename: str) -> str:
    """Trust a page's own charset declaration when its bytes agree with it; guess otherwise."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name.startswith(("utf-16", "utf-32")):  # the label was readable as ASCII, so it is wrong
            return decode_bytes(data, filename)
        try:
            return normalise_text(data.decode(_CHARSET_ALIASES.get(name, name)))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, filename)


def _extract_with_trafilatura(page: str) -> dict[str, str] | None:
    import trafilatura  # slow to import; only HTML needs it

    document = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=True, as_dict=False
    )
    if document is None or not (document.text or "").strip():
        return None
    fields = ("text", "title", "date", "url", "sitename", "author", "description")
    return {name: getattr(document, name) or "" for name in fields}


def _extract_with_lxml(page: str) -> dict[str, str] | None:
    """Plain text of <article>, <main> or <body> without navigation: for pages too small for trafilatura."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(page)
    except (ParserError, ValueError):
        return None
    title = _first_text(tree, '//meta[@property="og:title"]/@content', "//h1", "//title")
    for element in tree.xpath(_NON_CONTENT):
        element.drop_tree()
    container = next(iter(tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")), None)
    if container is None:
        return None
    # Line breaks in HTML source are mere spaces; block boundaries are the real ones, so mark those.
    for block in container.iter(*_BLOCK_TAGS):
        block.text = _BREAK + (block.text or "")
        block.tail = _BREAK + (block.tail or "")
    lines = (" ".join(line.split()) for line in container.text_content().split(_BREAK))
    return {"text": "\n".join(line for line in lines if line), "title": title}


def _first_text(tree: Any, *xpaths: str) -> str:
    for xpath in xpaths:
        for found in tree.xpath(xpath):
            text = " ".join((found if isinstance(found, str) else found.text_content()).split())
            if text:
                return text
    return ""
