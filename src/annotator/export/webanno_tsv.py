"""WebAnno TSV 3.3, the text format: escaping, tokens, writing and reading one document's file.

Pure functions over a text and its spans; `annotator.export.webanno` applies them to a project
and documents the layer design. Offsets in a file count UTF-16 code units (see `write_tsv`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "CODER_FEATURE",
    "FORMAT_LINE",
    "LABEL_FEATURE",
    "LAYER",
    "TsvContent",
    "TsvFormatError",
    "TsvSentence",
    "TsvSpan",
    "check_text",
    "escape_text",
    "escape_value",
    "from_utf16",
    "read_tsv",
    "tokenize",
    "unescape_text",
    "unescape_value",
    "write_tsv",
]

LAYER = "webanno.custom.Framing"
LABEL_FEATURE = "label"
CODER_FEATURE = "coder"
FORMAT_LINE = "#FORMAT=WebAnno TSV 3.3"


class TsvFormatError(ValueError):
    """A file that is not valid WebAnno TSV 3 where it matters to us; `line` is 1-based."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class TsvSpan:
    """A span of the Framing layer; offsets are characters when written, UTF-16 units when read."""

    start: int
    end: int
    label: str | None
    coder: str | None
    line: int = 0  # where it starts in the file it was read from


@dataclass(frozen=True)
class TsvSentence:
    text: str
    begin: int  # UTF-16 offset of its first token
    line: int  # of its first #Text line


@dataclass
class TsvContent:
    """What `read_tsv` takes from a file: the sentences (to check the text) and the layer's spans."""

    layer: str
    features: tuple[str, ...]
    sentences: list[TsvSentence] = field(default_factory=list)
    spans: list[TsvSpan] = field(default_factory=list)


# --- escaping -------------------------------------------------------------------------------------

_VALUE_ESCAPES = {
    "\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|", "_": "\\_", "->": "\\->", ";": "\\;",
    "\t": "\\t", "\n": "\\n", "*": "\\*",
}  # fmt: skip
_VALUE_SPECIAL = re.compile(r"->|[\\\[\]|_;\t\n*]")
_TEXT_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\b": "\\b"}
# Other C0 controls are written as a backslash followed by the character itself.
_TEXT_SPECIAL = re.compile(r"[\\\t\n\f\r\b\x00-\x07\x0e-\x1f]")
_TEXT_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b"}


def escape_value(value: str) -> str:
    return _VALUE_SPECIAL.sub(lambda m: _VALUE_ESCAPES[m.group()], value)


def unescape_value(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            if nxt == "-" and value[i + 2 : i + 3] == ">":
                out.append("->")
                i += 3
                continue
            out.append({"t": "\t", "n": "\n"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def escape_text(text: str) -> str:
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES.get(m.group(), "\\" + m.group()), text)


def unescape_text(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _TEXT_UNESCAPES:
                out.append(_TEXT_UNESCAPES[nxt])
                i += 2
                continue
            if ord(nxt) < 0x20:
                out.append(nxt)
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_stack(cell: str) -> list[str]:
    """Split a column at unescaped ``|`` (stacked annotations), keeping escapes intact."""
    parts, current, i = [], [], 0
    while i < len(cell):
        ch = cell[i]
        if ch == "\\" and i + 1 < len(cell):
            current.append(cell[i : i + 2])
            i += 2
        elif ch == "|":
            parts.append("".join(current))
            current = []
            i += 1
        else:
            current.append(ch)
            i += 1
    parts.append("".join(current))
    return parts


_ID_SUFFIX = re.compile(r"(?s)(.*)\[(\d+)\]")


def _parse_entry(entry: str) -> tuple[str | None, int | None]:
    """One stacked value: (unescaped value or None for ``*``, disambiguation id or None)."""
    ident = None
    m = _ID_SUFFIX.fullmatch(entry)
    if m and (len(m.group(1)) - len(m.group(1).rstrip("\\"))) % 2 == 0:
        entry, ident = m.group(1), int(m.group(2))
    return (None if entry == "*" else unescape_value(entry)), ident


# --- offsets and tokens ---------------------------------------------------------------------------


def _utf16_offsets(text: str) -> list[int] | None:
    """UTF-16 offset of every character position (``len(text) + 1`` entries); None when they coincide."""
    if len(text.encode("utf-16-le")) == 2 * len(text):
        return None
    offsets, units = [], 0
    for ch in text:
        offsets.append(units)
        units += 2 if ord(ch) > 0xFFFF else 1
    offsets.append(units)
    return offsets


def from_utf16(text: str) -> Callable[[int], int | None]:
    """Map a UTF-16 offset to a character offset; None for an offset inside a character or past the end."""
    offsets = _utf16_offsets(text)
    if offsets is None:
        return lambda unit: unit if 0 <= unit <= len(text) else None
    index = {unit: position for position, unit in enumerate(offsets)}
    return index.get


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    return nlp


def tokenize(text: str) -> list[list[tuple[int, int]]]:
    """Sentences as lists of token ``(start, end)`` character offsets: lines, then sentence ends."""
    lines, position = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((position, line))
        position += len(line) + 1
    sentences = []
    for (offset, _), doc in zip(lines, _nlp().pipe(line for _, line in lines)):
        for sent in doc.sents:
            tokens = [(offset + t.idx, offset + t.idx + len(t.text)) for t in sent if not t.is_space]
            if tokens:
                sentences.append(tokens)
    return sentences


# --- writing --------------------------------------------------------------------------------------


def write_tsv(
    text: str, spans: Iterable[TsvSpan], layer: str = LAYER
) -> tuple[str, list[tuple[TsvSpan, int, int]], list[TsvSpan]]:
    """A document as WebAnno TSV 3.3: (file content, spans written with other bounds, spans covering no token).

    `spans` carry character offsets into `text`; the file counts UTF-16 code units, as Java does.
    A span that starts or ends inside a token is written on sub-token rows (``1-3.1``), as INCEpTION
    writes and reads them, so it keeps its exact bounds. Only whitespace at a span's edges is left
    out (a token row or sub-token row cannot start or end in it): such spans come back in the second
    list as ``(span, written start, written end)``. Identical spans are written once.
    """
    sentences = tokenize(text)
    units = [(s, t, start, end) for s, sent in enumerate(sentences, 1) for t, (start, end) in enumerate(sent, 1)]
    starts = [u[2] for u in units]
    ends = [u[3] for u in units]
    # A span is a list of cells: a whole token (token index, None) or a part of one (token index, (start, end)).
    placed: dict[tuple[tuple, str | None, str | None], None] = {}
    adjusted: list[tuple[TsvSpan, int, int]] = []
    dropped: list[TsvSpan] = []
    for span in spans:
        start, end = _trimmed(text, span.start, span.end)
        first = bisect_right(ends, start)  # first token ending after the span starts
        last = bisect_left(starts, end) - 1  # last token starting before the span ends
        if start >= end or first > last:
            dropped.append(span)
            continue
        cells, written = [], []
        for unit in range(first, last + 1):
            part = (max(start, starts[unit]), min(end, ends[unit]))
            cells.append((unit, None if part == (starts[unit], ends[unit]) else part))
            written += part
        if (written[0], written[-1]) != (span.start, span.end):
            adjusted.append((span, written[0], written[-1]))
        placed.setdefault((tuple(cells), span.label or None, span.coder or None), None)
    ordered = sorted(placed, key=lambda k: (k[0][0][0], k[0][0][1] or (-1, 0), -len(k[0]), k[1] or "", k[2] or ""))
    on_cell: dict[tuple, list[int]] = defaultdict(list)
    sub_tokens: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for k, (cells, _, _) in enumerate(ordered):
        for cell in cells:
            on_cell[cell].append(k)
            if cell[1] is not None:
                sub_tokens[cell[0]].add(cell[1])
    # Disambiguation ids go to spans over several rows and to spans stacked with another on some row.
    needs_id = {k for k, (cells, _, _) in enumerate(ordered) if len(cells) > 1}
    needs_id.update(k for ks in on_cell.values() if len(ks) > 1 for k in ks)
    ids = {k: n for n, k in enumerate(sorted(needs_id), start=1)}

    def columns(cell: tuple) -> str:
        keys = on_cell.get(cell)
        if not keys:
            return "_\t_"
        out = []
        for feature in (1, 2):
            values = []
            for k in keys:
                value = ordered[k][feature]
                values.append(("*" if value is None else escape_value(value)) + (f"[{ids[k]}]" if k in ids else ""))
            out.append("|".join(values))
        return "\t".join(out)

    utf16 = _utf16_offsets(text)
    at = (lambda i: utf16[i]) if utf16 is not None else (lambda i: i)
    out = [FORMAT_LINE, f"#T_SP={layer}|{LABEL_FEATURE}|{CODER_FEATURE}", ""]
    unit = 0
    for s, sent in enumerate(sentences, 1):
        out.append("")
        for line in text[sent[0][0] : sent[-1][1]].split("\n"):
            out.append("#Text=" + escape_text(line))
        for t, (start, end) in enumerate(sent, 1):
            out.append(f"{s}-{t}\t{at(start)}-{at(end)}\t{text[start:end]}\t{columns((unit, None))}\t")
            for n, (sub_start, sub_end) in enumerate(sorted(sub_tokens.get(unit, ())), start=1):
                cell = columns((unit, (sub_start, sub_end)))
                out.append(f"{s}-{t}.{n}\t{at(sub_start)}-{at(sub_end)}\t{text[sub_start:sub_end]}\t{cell}\t")
            unit += 1
    return "\n".join(out) + "\n", adjusted, dropped


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the whitespace at its edges (a TSV row cannot begin or end in whitespace)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- reading --------------------------------------------------------------------------------------

_OFFSETS = re.compile(r"(\d+)-(\d+)")


def read_tsv(
    content: str, *, layer: str | None = None, label_feature: str = LABEL_FEATURE, coder_feature: str = CODER_FEATURE
) -> TsvContent:
    """Parse a WebAnno TSV 3.x file and collect the spans of one span layer (offsets in UTF-16 units).

    `layer`: the layer's type name; by default the first span layer that has a `label_feature`.
    Other layers' columns are skipped. A file without any span layer (a curator's file before
    curation, a plain text) gives its sentences and no spans. Raises `TsvFormatError` naming the line.
    """
    lines = content.lstrip("\ufeff").split("\n")
    if not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        raise TsvFormatError(1, f"not a WebAnno TSV 3 file (it starts with {lines[0][:40]!r})")
    width, chosen, span_layers = 0, None, {}
    n = 1
    while n < len(lines) and lines[n].startswith("#T_"):
        kind, _, declaration = lines[n].rstrip("\r").partition("=")
        name, *features = declaration.split("|")
        if kind == "#T_SP":
            span_layers[name] = features
            if chosen is None and (name == layer if layer else label_feature in features):
                chosen = (name, tuple(features), width)
        width += len(features) or 1  # a layer without features still has a placeholder column
        n += 1
    if chosen is None and (layer or span_layers):
        found = "; ".join(f"{name} ({', '.join(features) or 'no features'})" for name, features in span_layers.items())
        wanted = f"span layer {layer!r}" if layer else f"span layer with a {label_feature!r} feature"
        raise TsvFormatError(2, f"no {wanted} in the header; span layers (features): {found or 'none'}")
    name, features, first_column = chosen or ("", (), 0)
    if chosen is not None and label_feature not in features:
        raise TsvFormatError(2, f"layer {name} has no {label_feature!r} feature (features: {', '.join(features)})")
    columns = [(f, 3 + first_column + features.index(f)) for f in (label_feature, coder_feature) if f in features]
    result = TsvContent(name, tuple(features))
    pending: list[str] | None = None
    pending_line = 0
    found: dict[tuple, dict] = {}
    for index in range(n, len(lines)):
        line, number = lines[index].rstrip("\r"), index + 1
        if not line:
            continue
        if line.startswith("#Text="):
            if pending is None:
                pending, pending_line = [], number
            pending.append(unescape_text(line[len("#Text=") :]))
            continue
        if line.startswith("#"):
            continue  # sentence ids and other header lines of a sentence
        fields = line.split("\t")
        if len(fields) < 3 + width:
            raise TsvFormatError(number, f"expected {3 + width} tab-separated columns, found {len(fields)}")
        offsets = _OFFSETS.fullmatch(fields[1])
        if offsets is None:
            raise TsvFormatError(number, f"offsets must look like 12-17, not {fields[1]!r}")
        begin, end = int(offsets.group(1)), int(offsets.group(2))
        if pending is not None:
            if "." in fields[0]:
                raise TsvFormatError(number, "a sentence starts with a sub-token row")
            result.sentences.append(TsvSentence("\n".join(pending), begin, pending_line))
            pending = None
        for feature, column in columns:
            cell = fields[column]
            if cell == "_":
                continue
            for stack, entry in enumerate(_split_stack(cell)):
                value, ident = _parse_entry(entry)
                key = ("id", ident) if ident is not None else ("row", number, stack)
                span = found.get(key)
                if span is None:
                    span = found[key] = {"begin": begin, "end": end, "line": number}
                else:
                    span["begin"], span["end"] = min(span["begin"], begin), max(span["end"], end)
                span[feature] = value
    result.spans = [
        TsvSpan(s["begin"], s["end"], s.get(label_feature), s.get(coder_feature), s["line"]) for s in found.values()
    ]
    result.spans.sort(key=lambda s: (s.line, s.start, s.end))
    return result


def check_text(text: str, sentences: Sequence[TsvSentence]) -> tuple[int, str] | None:
    """Whether the file's sentences are the document's text: None, or (line, reason) for the first difference.

    Readers rebuild a document by placing each sentence at its first token's offset and padding the
    gaps with whitespace, so text between sentences must be whitespace in the stored document.
    """
    to_char = from_utf16(text)
    position, last_line = 0, 1
    for sentence in sentences:
        start = to_char(sentence.begin)
        wanted = sentence.text.rstrip()  # spaces after a sentence's last token are not the document's business
        stored = text[start : start + len(wanted)] if start is not None else ""
        if start is None or stored != wanted:
            return sentence.line, (
                f"sentence at offset {sentence.begin} differs from the project's document: "
                f"file {_short(wanted)}, project {_short(stored)}"
            )
        if start < position:
            return sentence.line, f"sentence at offset {sentence.begin} overlaps the sentence before it"
        if text[position:start].strip():
            return sentence.line, f"the project's document has text the file lacks: {_short(text[position:start].strip())}"
        position, last_line = start + len(wanted), sentence.line
    if text[position:].strip():
        return last_line, f"the project's document goes on after the file's last sentence: {_short(text[position:].strip())}"
    return None


def _short(text: str, limit: int = 50) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def rebuild_text(sentences: Sequence[TsvSentence]) -> tuple[str | None, str]:
    """The document a file describes, for a project that lacks it: (text, "") or (None, why not).

    Each sentence goes to its first token's offset, as INCEpTION's reader places it; a gap of one
    becomes a line break and a wider one a blank line (then spaces), so that paragraphs stay
    paragraphs. Offsets are UTF-16 units, so the text is measured in them while it is built.
    """
    parts: list[str] = []
    units = 0
    for sentence in sentences:
        gap = sentence.begin - units
        if gap < 0:
            return None, f"line {sentence.line}: the sentence at offset {sentence.begin} overlaps the one before it"
        if gap and not parts:
            return None, f"line {sentence.line}: the first sentence starts at offset {sentence.begin}, not 0"
        parts.append("\n" * min(gap, 2) + " " * max(gap - 2, 0))
        # Spaces after the last token would end a line and be dropped when the text is stored.
        kept = sentence.text.rstrip()
        parts.append(kept)
        units = sentence.begin + len(kept.encode("utf-16-le")) // 2
    return "".join(parts), ""


def looks_like_webanno(path) -> bool:
    """Whether a file starts as WebAnno TSV 3 does (a BOM before the format line is allowed)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"#FORMAT=WebAnno TSV 3")
