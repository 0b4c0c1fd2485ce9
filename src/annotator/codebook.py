"""The codebook: the categories coders apply, loaded from and saved to a human-editable TOML file."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path

from .domain import CategoryKind
from .errors import CodebookError

LEVELS = ("nominal", "ordinal", "interval", "ratio")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Category:
    id: str  # stable slug used in files, exports and statistics
    name: str
    kind: CategoryKind
    key: str | None = None  # one-key shortcut in the workbench
    colour: str = "#888888"
    definition: str = ""
    example: str = ""
    parent: str | None = None
    level: str = "nominal"  # measurement level of document-level values
    values: tuple[str, ...] = ()

    @property
    def is_span(self) -> bool:
        return self.kind is CategoryKind.SPAN


@dataclass(frozen=True)
class Codebook:
    name: str
    categories: tuple[Category, ...] = field(default_factory=tuple)
    version: int = 1

    def get(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    @property
    def span_categories(self) -> list[Category]:
        return [c for c in self.categories if c.kind is CategoryKind.SPAN]

    @property
    def document_categories(self) -> list[Category]:
        return [c for c in self.categories if c.kind is CategoryKind.DOCUMENT]


def default_codebook_path() -> Path:
    """The codebook shipped in ``resources/`` (next to ``src/`` in a checkout)."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "resources" / "codebook.toml", here.parent / "resources" / "codebook.toml"):
        if candidate.exists():
            return candidate
    ref = importlib_resources.files("annotator").joinpath("resources/codebook.toml")
    return Path(str(ref))


def load_default() -> Codebook:
    return load_codebook(default_codebook_path())


def load_codebook(path: str | Path) -> Codebook:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CodebookError(f"{path}: cannot read codebook ({exc.strerror or exc})") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError(f"{path}: not valid TOML: {exc}") from exc
    return codebook_from_dict(data, source=str(path))


def codebook_from_dict(data: dict, source: str = "codebook") -> Codebook:
    entries = data.get("category")
    if not isinstance(entries, list) or not entries:
        raise CodebookError(f"{source}: no [[category]] entries found")
    categories = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: category #{number}"
        if not isinstance(entry, dict):
            raise CodebookError(f"{where}: expected a table")
        categories.append(_category_from_dict(entry, where))
    book = Codebook(name=str(data.get("name", "Codebook")), categories=tuple(categories), version=int(data.get("version", 1)))
    validate(book, source)
    return book


def _category_from_dict(entry: dict, where: str) -> Category:
    for required in ("id", "name", "kind"):
        if not entry.get(required):
            raise CodebookError(f"{where}: missing '{required}'")
    cid = str(entry["id"])
    where = f"{where} ({cid})"
    try:
        kind = CategoryKind(str(entry["kind"]))
    except ValueError:
        raise CodebookError(f"{where}: kind must be 'span' or 'document', not {entry['kind']!r}") from None
    values = entry.get("values", [])
    if not isinstance(values, list):
        raise CodebookError(f"{where}: 'values' must be a list")
    return Category(
        id=cid,
        name=str(entry["name"]),
        kind=kind,
        key=str(entry["key"]) if entry.get("key") not in (None, "") else None,
        colour=str(entry.get("colour", entry.get("color", "#888888"))),
        definition=str(entry.get("definition", "")).strip(),
        example=str(entry.get("example", "")).strip(),
        parent=str(entry["parent"]) if entry.get("parent") else None,
        level=str(entry.get("level", "nominal")),
        values=tuple(str(v) for v in values),
    )


def validate(book: Codebook, source: str = "codebook") -> None:
    """Raise CodebookError naming the first inconsistency a coder would trip over."""
    seen_ids: set[str] = set()
    seen_keys: dict[str, str] = {}
    for c in book.categories:
        where = f"{source}: category {c.id!r}"
        if not _ID_RE.match(c.id):
            raise CodebookError(f"{where}: id must be lower-case letters, digits and '_' (starting with a letter)")
        if c.id in seen_ids:
            raise CodebookError(f"{where}: id used twice")
        seen_ids.add(c.id)
        if not _COLOUR_RE.match(c.colour):
            raise CodebookError(f"{where}: colour must look like #1f77b4, not {c.colour!r}")
        if c.key is not None:
            key = c.key.lower()
            if key in seen_keys:
                raise CodebookError(f"{where}: key {c.key!r} is already used by {seen_keys[key]!r}")
            seen_keys[key] = c.id
        if c.level not in LEVELS:
            raise CodebookError(f"{where}: level must be one of {', '.join(LEVELS)}")
        if c.kind is CategoryKind.DOCUMENT:
            if len(c.values) < 2:
                raise CodebookError(f"{where}: a document-level category needs at least two 'values'")
            if len(set(c.values)) != len(c.values):
                raise CodebookError(f"{where}: 'values' contains duplicates")
            if c.level in ("interval", "ratio"):
                for v in c.values:
                    try:
                        float(v)
                    except ValueError:
                        raise CodebookError(f"{where}: {c.level} values must be numbers, not {v!r}") from None
    for c in book.categories:
        if c.parent is not None and c.parent not in seen_ids:
            raise CodebookError(f"{source}: category {c.id!r}: parent {c.parent!r} does not exist")


def dumps_codebook(book: Codebook) -> str:
    """Serialise to TOML that `load_codebook` reads back identically."""
    lines = [f"name = {_toml_str(book.name)}", f"version = {book.version}", ""]
    for c in book.categories:
        lines.append("[[category]]")
        lines.append(f"id = {_toml_str(c.id)}")
        lines.append(f"name = {_toml_str(c.name)}")
        lines.append(f"kind = {_toml_str(c.kind.value)}")
        if c.key is not None:
            lines.append(f"key = {_toml_str(c.key)}")
        if c.parent:
            lines.append(f"parent = {_toml_str(c.parent)}")
        if c.kind is CategoryKind.DOCUMENT or c.level != "nominal":
            lines.append(f"level = {_toml_str(c.level)}")
        if c.values:
            lines.append("values = [" + ", ".join(_toml_str(v) for v in c.values) + "]")
        lines.append(f"colour = {_toml_str(c.colour)}")
        lines.append(f"definition = {_toml_str(c.definition)}")
        if c.example:
            lines.append(f"example = {_toml_str(c.example)}")
        lines.append("")
    return "\n".join(lines)


def save_codebook(book: Codebook, path: str | Path) -> None:
    Path(path).write_text(dumps_codebook(book), encoding="utf-8")


def _toml_str(value: str) -> str:
    # JSON string escaping is a valid TOML basic string for everything we write.
    return json.dumps(value, ensure_ascii=False)

