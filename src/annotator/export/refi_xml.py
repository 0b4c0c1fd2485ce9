"""REFI-QDA (QDA-XML 1.0) as plain data: reading and writing ``project.qde`` and ``.qdc`` codebooks.

The exchange standard of MAXQDA, ATLAS.ti, NVivo and QualCoder. A ``.qdpx`` file is a zip holding
``project.qde`` (XML in the namespace ``urn:QDA-XML:project:1.0``) and ``sources/``; a ``.qdc`` file
is a codebook alone (``urn:QDA-XML:codebook:1.0``). This module knows the XML, not the project:
`annotator.export.qdpx` maps it to documents, coders and labels.

Positions
    ``startPosition``/``endPosition`` of a ``PlainTextSelection`` count characters of the plain text
    source from 0, end exclusive; the standard's character is the Unicode code point, which is a
    Python string index. Programs built on UTF-16 strings (.NET, Java, Qt) may count a character
    beyond U+FFFF (an emoji) as two; `utf16_positions` converts where a file turns out to do so.

What annotator adds
    A processing instruction before the root element, ``<?annotator {…}?>``, carries what the
    standard has no place for (category ids, keys, levels and examples; which codes are the values
    of a document-level category; which user is a gold layer; document metadata), so that a
    project comes back from its own file exactly. Other programs ignore it, as XML allows.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

__all__ = [
    "CODEBOOK_NS",
    "PROJECT_NS",
    "RefiCode",
    "RefiContent",
    "RefiFormatError",
    "RefiSelection",
    "RefiSource",
    "code_element",
    "parse_refi",
    "stable_guid",
    "to_xml",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
META_TARGET = "annotator"
_GUID_NAMESPACE = uuid.UUID("6f1c2a4e-3b7d-5e8f-9a0b-1c2d3e4f5a6b")
_RGB = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


class RefiFormatError(ValueError):
    """A file that is not REFI-QDA XML we can read."""


def stable_guid(kind: str, key: str) -> str:
    """The same GUID for the same thing in every export, so that a re-import finds it again."""
    return str(uuid.uuid5(_GUID_NAMESPACE, f"{kind}:{key}"))


# --- plain data ---------------------------------------------------------------------------------


@dataclass
class RefiCode:
    guid: str
    name: str
    codable: bool = True
    colour: str | None = None  # "#rrggbb"
    description: str = ""
    children: list["RefiCode"] = field(default_factory=list)
    parent: str | None = None  # guid

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class RefiCoding:
    code: str  # guid of the code
    user: str | None = None


@dataclass
class RefiSelection:
    guid: str
    start: int
    end: int
    name: str = ""
    user: str | None = None
    created: str | None = None
    description: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # guids of Notes


@dataclass
class RefiSource:
    guid: str
    name: str
    kind: str = "TextSource"  # or PDFSource, PictureSource, AudioSource, VideoSource
    plain_text_path: str | None = None
    content: str | None = None  # PlainTextContent, when the text is inline
    description: str = ""
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # codes of the whole source


@dataclass
class RefiContent:
    name: str = ""
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: list[RefiCode] = field(default_factory=list)  # the tree's roots
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # guid -> text
    meta: dict = field(default_factory=dict)  # annotator's own processing instruction, if any

    def all_codes(self) -> dict[str, RefiCode]:
        return {code.guid: code for root in self.codes for code in root.walk()}


# --- reading ------------------------------------------------------------------------------------


def parse_refi(data: bytes, source: str) -> RefiContent:
    """Read a ``project.qde`` (root ``Project``) or a ``.qdc`` (root ``CodeBook``); `source` names it in errors."""
    try:
        parser = ET.XMLPullParser(events=("start", "pi"))
        parser.feed(data)
        parser.close()
        events = list(parser.read_events())
    except ET.ParseError as exc:
        raise RefiFormatError(f"{source}: not well-formed XML ({exc})") from None
    meta: dict = {}
    root = None
    for event, item in events:
        if event == "pi" and root is None and item.text and item.text.startswith(META_TARGET + " "):
            try:
                meta = json.loads(item.text[len(META_TARGET) + 1 :])
            except json.JSONDecodeError:
                meta = {}
        elif event == "start" and root is None:
            root = item
    if root is None:
        raise RefiFormatError(f"{source}: empty XML document")
    ns, local = _split(root.tag)
    if local not in ("Project", "CodeBook") or ns not in (PROJECT_NS, CODEBOOK_NS):
        raise RefiFormatError(
            f"{source}: not a REFI-QDA file (root element {local!r} in namespace {ns or 'none'!r}; "
            f"expected Project in {PROJECT_NS} or CodeBook in {CODEBOOK_NS})"
        )
    content = RefiContent(name=root.get("name", ""), origin=root.get("origin", ""), meta=meta)
    codebook = root if local == "CodeBook" else _child(root, "CodeBook")
    if codebook is not None:
        codes = _child(codebook, "Codes")
        content.codes = [_code(c, None) for c in _children(codes, "Code")] if codes is not None else []
    for user in _children(_child(root, "Users"), "User"):
        content.users[_guid(user)] = user.get("name") or user.get("id") or ""
    sources = _child(root, "Sources")
    for element in list(sources) if sources is not None else []:
        content.sources.append(_source(element))
    for note in _children(_child(root, "Notes"), "Note"):
        text = _text(_child(note, "PlainTextContent")) or _text(_child(note, "Description")) or note.get("name", "")
        content.notes[_guid(note)] = text
    return content


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _children(element, name: str) -> list:
    if element is None:
        return []
    return [c for c in element if isinstance(c.tag, str) and _split(c.tag)[1] == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _guid(element) -> str:
    return (element.get("guid") or "").strip("{}").lower()


def _code(element, parent: str | None) -> RefiCode:
    guid = _guid(element)
    colour = element.get("color")
    code = RefiCode(
        guid=guid,
        name=element.get("name", "").strip(),
        codable=(element.get("isCodable", "true").strip().lower() not in ("false", "0")),
        colour=_rgb(colour) if colour else None,
        description=_text(_child(element, "Description")),
        parent=parent,
    )
    code.children = [_code(c, guid) for c in _children(element, "Code")]
    return code


def _rgb(colour: str) -> str | None:
    match = _RGB.fullmatch(colour.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.lower()


def _codings(element) -> list[RefiCoding]:
    out = []
    for coding in _children(element, "Coding"):
        ref = _child(coding, "CodeRef")
        if ref is not None and ref.get("targetGUID"):
            out.append(RefiCoding(ref.get("targetGUID").strip("{}").lower(), _user(coding)))
    return out


def _user(element) -> str | None:
    user = element.get("creatingUser") or element.get("modifyingUser")
    return user.strip("{}").lower() if user else None


def _source(element) -> RefiSource:
    kind = _split(element.tag)[1]
    if kind == "PDFSource":
        # A PDF's text lives in its Representation, a TextSource of its own.
        representation = _child(element, "Representation")
        if representation is not None:
            inner = _source(representation)
            inner.name = inner.name or element.get("name", "")
            return inner
    source = RefiSource(
        guid=_guid(element),
        name=element.get("name", ""),
        kind=kind,
        plain_text_path=element.get("plainTextPath"),
        description=_text(_child(element, "Description")),
        codings=_codings(element),
    )
    content = _child(element, "PlainTextContent")
    if content is not None:
        source.content = content.text or ""
    for selection in _children(element, "PlainTextSelection"):
        source.selections.append(
            RefiSelection(
                guid=_guid(selection),
                start=_position(selection, "startPosition"),
                end=_position(selection, "endPosition"),
                name=selection.get("name", ""),
                user=_user(selection),
                created=selection.get("creationDateTime"),
                description=_text(_child(selection, "Description")),
                codings=_codings(selection),
                notes=[r.get("targetGUID", "").strip("{}").lower() for r in _children(selection, "NoteRef")],
            )
        )
    return source


def _position(element, name: str) -> int:
    value = element.get(name, "")
    try:
        return int(value)
    except ValueError:
        raise RefiFormatError(f"PlainTextSelection {element.get('guid')}: {name} must be a whole number, not {value!r}") from None


# --- writing ------------------------------------------------------------------------------------


def code_element(parent, ns: str, code: RefiCode) -> None:
    """Append a ``Code`` element (and its children) for `code` under `parent`."""
    attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
    if code.colour:
        attrs["color"] = code.colour
    element = ET.SubElement(parent, f"{{{ns}}}Code", attrs)
    if code.description:
        ET.SubElement(element, f"{{{ns}}}Description").text = code.description
    for child in code.children:
        code_element(element, ns, child)


def to_xml(root, meta: dict | None = None) -> bytes:
    """Serialise an element tree with the XML declaration and annotator's processing instruction."""
    ET.register_namespace("", root.tag[1:].partition("}")[0])
    body = ET.tostring(root, encoding="unicode")
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    if meta:
        # ">" is escaped so that "?>" can never end the instruction early; JSON reads \u003e back as ">".
        head += f"<?{META_TARGET} {json.dumps(meta, ensure_ascii=False).replace('>', chr(92) + 'u003e')}?>\n"
    return (head + body + "\n").encode("utf-8")


def utf16_positions(text: str) -> dict[int, int]:
    """UTF-16 offset -> character offset, for files that count an emoji as two characters."""
    mapping, units = {}, 0
    for index, ch in enumerate(text):
        mapping[units] = index
        units += 2 if ord(ch) > 0xFFFF else 1
    mapping[units] = len(text)
    return mapping
