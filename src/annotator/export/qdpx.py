"""A project as a REFI-QDA project (``.qdpx``) or codebook (``.qdc``), for MAXQDA, ATLAS.ti, NVivo and QualCoder.

What is written
    - ``Users``: the coders, one ``User`` each.
    - ``CodeBook``: every span category as a codable ``Code`` (name, colour, the definition and
      example as its ``Description``), nested under its parent category; every document-level
      category as a code that cannot be coded, with one codable child per value ("Overall tone" ›
      "negative", "neutral", "positive").
    - ``Sources``: every document as a ``TextSource`` whose stored text is ``sources/<GUID>.txt``
      (UTF-8, ``\\n`` line ends), each span label as a ``PlainTextSelection`` with the label's
      coder as ``creatingUser``, its note as ``Description`` and one ``Coding`` of its category;
      each document code as a ``Coding`` of the whole source, referring to the value's code.
    Positions are the characters of that text (see `annotator.export.refi_xml`). GUIDs are derived
    from the project (coder name, category id, document text, label id), so exporting twice gives
    the same GUIDs and a re-import recognises what it has seen. Reading such files back is
    `annotator.export.qdpx_import`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..codebook import Category
from ..domain import CategoryKind
from .atomic import atomic_output
from .refi_xml import CODEBOOK_NS, PROJECT_NS, RefiCode, code_element, stable_guid, to_xml
from .reports import CancelCheck, ExportResult, ProgressCallback, cannot_write, coder_list

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["META_FORMAT", "category_guid", "codebook_meta", "export_qdc", "export_qdpx", "value_guid"]

META_FORMAT = "annotator.refi"
ORIGIN = f"annotator {__version__}"


def category_guid(category_id: str) -> str:
    return stable_guid("category", category_id)


def value_guid(category_id: str, value: str) -> str:
    return stable_guid("value", f"{category_id}={value}")


def user_guid(name: str) -> str:
    return stable_guid("user", name)


def _codes(categories: list[Category]) -> list[RefiCode]:
    """The codebook as a code tree: parents above children, a document category above its values."""
    nodes: dict[str, RefiCode] = {}
    for c in categories:
        description = c.definition + (f"\n\nExample: {c.example}" if c.example else "")
        node = RefiCode(category_guid(c.id), c.name, c.kind is CategoryKind.SPAN, c.colour.lower(), description.strip())
        if c.kind is CategoryKind.DOCUMENT:
            node.children = [RefiCode(value_guid(c.id, v), v, True, c.colour.lower()) for v in c.values]
        nodes[c.id] = node
    roots = []
    for c in categories:
        if c.parent and c.parent in nodes:
            nodes[c.parent].children.append(nodes[c.id])
        else:
            roots.append(nodes[c.id])
    return roots


def codebook_meta(categories: list[Category]) -> dict:
    """What REFI has no place for, per category GUID: id, kind, key, level, values, example, parent."""
    return {
        category_guid(c.id): {
            "id": c.id, "kind": c.kind.value, "name": c.name, "key": c.key, "colour": c.colour,
            "definition": c.definition, "example": c.example, "parent": c.parent, "level": c.level,
            "values": {value_guid(c.id, v): v for v in c.values},
        }  # fmt: skip
        for c in categories
    }


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _datetime(value: str) -> str | None:
    """An xsd:dateTime for a stored time, or None when there is none."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)  # the project stores UTC
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_qdc(project: "Project", path: str | Path) -> ExportResult:
    """Write the project's codebook as a REFI-QDA codebook (``.qdc``)."""
    categories = project.categories()
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN})
    codes = ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for code in _codes(categories):
        code_element(codes, CODEBOOK_NS, code)
    meta = {"format": META_FORMAT, "version": 1, "categories": codebook_meta(categories)}
    path = Path(path)
    try:
        with atomic_output(path) as tmp:
            tmp.write_bytes(to_xml(root, meta))
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return ExportResult(paths=[path])


def export_qdpx(
    project: "Project",
    path: str | Path,
    coders: str | Iterable[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write the project as a REFI-QDA project (``.qdpx``): every document, the coders' labels and codes.

    `coders`: None for everyone, a name, or several names. A cancelled export writes nothing.
    """
    names = coder_list(coders)
    categories = project.categories()
    coders_info = [c for c in project.coders() if names is None or c.name in names]
    settings = project.settings()
    p = f"{{{PROJECT_NS}}}"
    root = ET.Element(f"{p}Project", {"name": settings.name, "origin": ORIGIN, "creationDateTime": _now()})
    if coders_info:
        users = ET.SubElement(root, f"{p}Users")
        for coder in coders_info:
            ET.SubElement(users, f"{p}User", {"guid": user_guid(coder.name), "name": coder.name})
    codebook = ET.SubElement(ET.SubElement(root, f"{p}CodeBook"), f"{p}Codes")
    for code in _codes(categories):
        code_element(codebook, PROJECT_NS, code)
    sources = ET.SubElement(root, f"{p}Sources")
    result = ExportResult()
    texts: dict[str, str] = {}
    documents: dict[str, dict] = {}
    for number, doc in enumerate(project.iter_documents(), start=1):
        if cancel is not None and cancel():
            return ExportResult(cancelled=True)
        guid = stable_guid("document", doc.sha256)
        name = doc.external_id or doc.title or f"document {doc.id}"
        source = ET.SubElement(sources, f"{p}TextSource", {"guid": guid, "name": name, "plainTextPath": f"internal://{guid}.txt"})
        texts[f"sources/{guid}.txt"] = doc.text
        documents[guid] = {
            "external_id": doc.external_id, "title": doc.title, "outlet": doc.outlet, "url": doc.url,
            "published": doc.published,
        }  # fmt: skip
        for a in project.annotations(document_id=doc.id, coders=names):
            attrs = {
                "guid": stable_guid("label", f"{doc.sha256}:{a.id}"), "name": a.text[:200],
                "startPosition": str(a.start), "endPosition": str(a.end), "creatingUser": user_guid(a.coder),
            }  # fmt: skip
            created = _datetime(a.created_at)
            if created:
                attrs["creationDateTime"] = created
            selection = ET.SubElement(source, f"{p}PlainTextSelection", attrs)
            if a.note:
                ET.SubElement(selection, f"{p}Description").text = a.note
            coding = ET.SubElement(
                selection, f"{p}Coding", {"guid": stable_guid("coding", f"{doc.sha256}:{a.id}"), "creatingUser": user_guid(a.coder)}
            )
            ET.SubElement(coding, f"{p}CodeRef", {"targetGUID": category_guid(a.category)})
            result.spans += 1
        for label in project.document_labels(document_id=doc.id):
            if names is not None and label.coder not in names:
                continue
            key = f"{doc.sha256}:{label.coder}:{label.category}"
            coding = ET.SubElement(source, f"{p}Coding", {"guid": stable_guid("code", key), "creatingUser": user_guid(label.coder)})
            ET.SubElement(coding, f"{p}CodeRef", {"targetGUID": value_guid(label.category, label.value)})
            result.document_codes += 1
        result.documents += 1
        if progress is not None:
            progress(number, name)
    if not len(sources):
        root.remove(sources)  # the schema wants at least one source in a Sources element
    meta = {
        "format": META_FORMAT, "version": 1, "categories": codebook_meta(categories),
        "users": {user_guid(c.name): {"name": c.name, "gold": c.is_gold} for c in coders_info},
        "documents": documents, "suggestions_enabled": settings.suggestions_enabled,
    }  # fmt: skip
    path = Path(path)
    try:
        with atomic_output(path) as tmp:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("project.qde", to_xml(root, meta))
                for member, text in texts.items():
                    archive.writestr(member, text.encode("utf-8"))
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    result.paths.append(path)
    return result
