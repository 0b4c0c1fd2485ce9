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

# The workbench's own default keys, by action title. A codebook key must not take one of them: the key
# would do two things at once. The UI declares these actions (ui/main_window.py, ui/suggestion_actions.py);
# ui/actions.py refuses a built-in key missing here, so this list cannot fall behind the workbench.
WORKBENCH_KEYS: dict[str, str] = {
    "Ctrl+O": "Open project…",
    "Ctrl+I": "Import articles…",
    "Ctrl+Shift+E": "Export reliability workbook…",
    "Ctrl+Q": "Quit",
    "Ctrl+Z": "Undo",
    "Ctrl+Shift+Z": "Redo",
    "Ctrl+Y": "Redo",
    "Del": "Delete label",
    "Backspace": "Delete label",
    "N": "Edit note of label…",
    "Ctrl+K": "Keyboard shortcuts…",
    "Ctrl+Return": "Mark done and go to next undone",
    "Ctrl+Shift+Return": "Mark in progress",
    "Ctrl+Shift+G": "Adjudicate disagreements (gold layer)…",
    "Ctrl+Shift+R": "Agreement dashboard…",
    "]": "Next label",
    "[": "Previous label",
    "Ctrl+Down": "Next document",
    "Ctrl+Up": "Previous document",
    "Ctrl+Shift+Down": "Next undone document",
    "Ctrl+F": "Search documents",
    "Esc": "Back to the text",
    "F6": "Focus article text",
    "Ctrl++": "Larger text",
    "Ctrl+=": "Larger text",
    "Ctrl+-": "Smaller text",
    "Ctrl+Shift+W": "Close the side-by-side comparison",
    "F1": "Keyboard reference",
    ".": "Next suggestion",
    ",": "Previous suggestion",
    "A": "Accept suggestion",
    "X": "Reject suggestion",
    "Shift+A": "Accept all suggestions of this category here",
    "Ctrl+Shift+S": "Run the suggester on all documents",
}

# Key names as Qt writes them (QKeySequence's portable text), by their lower case and common spellings.
_NAMED_KEYS = {
    **{f"f{n}": f"F{n}" for n in range(1, 36)},
    **{name.lower(): name for name in ("Esc", "Tab", "Backspace", "Return", "Enter", "Ins", "Del", "Home", "End",
                                       "PgUp", "PgDown", "Left", "Right", "Up", "Down", "Space")},
    "escape": "Esc", "delete": "Del", "insert": "Ins",
}  # fmt: skip
_MODIFIERS = ("Meta", "Ctrl", "Alt", "Shift")  # in Qt's order


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
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise CodebookError(f"{source}: 'version' must be a whole number such as 1, not {version!r}")
    book = Codebook(name=str(data.get("name", "Codebook")), categories=tuple(categories), version=version)
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
            key = key_text(c.key)
            if key is None:
                raise CodebookError(
                    f"{where}: key {c.key!r} is not one key; use a single key such as '1' or 'q', "
                    "optionally with Ctrl+, Alt+ or Shift+"
                )
            if key in WORKBENCH_KEYS:
                raise CodebookError(
                    f"{where}: key {c.key!r} is the workbench's key for '{WORKBENCH_KEYS[key]}'; "
                    "choose a key no built-in action uses (see Edit > Keyboard shortcuts)"
                )
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
    _check_parent_cycles(book, source)


def lost_labels(old: dict[str, tuple[CategoryKind, int]], new: Codebook) -> str | None:
    """Why installing `new` over categories `old` (id -> kind, labels using it) would lose labels, or None.

    A removed category takes its labels with it; a category whose kind changes keeps labels of the old
    kind that reliability no longer counts. Both are refused while the category has labels.
    """
    kinds = {c.id: c.kind for c in new.categories}
    for cid, (kind, used) in old.items():
        if not used:
            continue
        if cid not in kinds:
            return (
                f"category {cid!r} has {used} label(s); it cannot be removed from the codebook; "
                "keep it, or delete its labels first"
            )
        if kinds[cid] is not kind:
            return (
                f"category {cid!r} is a {_KIND_NAMES[kind]} with {used} label(s); it cannot become a "
                f"{_KIND_NAMES[kinds[cid]]}, or its labels would drop out of reliability; keep its kind, "
                "or give the new category another id"
            )
    return None


_KIND_NAMES = {CategoryKind.SPAN: "span category", CategoryKind.DOCUMENT: "document-level category"}


def _check_parent_cycles(book: Codebook, source: str) -> None:
    parents = {c.id: c.parent for c in book.categories}
    for c in book.categories:
        chain = [c.id]
        while parents.get(chain[-1]) is not None:
            chain.append(parents[chain[-1]])
            if chain[-1] in chain[:-1]:
                if chain[-1] != c.id:
                    break  # a cycle further up the chain: reported from one of its own categories
                raise CodebookError(
                    f"{source}: category {c.id!r}: the parents form a cycle ({' -> '.join(chain)}); "
                    "give one of these categories no parent"
                )


def key_text(key: str) -> str | None:
    """A shortcut as Qt's portable text writes it ('shift+ctrl+z' -> 'Ctrl+Shift+Z'); None if it is not one key.

    The core cannot ask Qt, so this mirrors QKeySequence for one key with modifiers (a test compares both).
    """
    text = key.strip()
    if text.endswith("++") or text == "+":  # the key itself is '+': 'Ctrl++'
        base, mods = "+", text[:-1].split("+")[:-1]
    else:
        *mods, base = text.split("+")
    base = base.strip()
    names = {m.lower(): m for m in _MODIFIERS}
    wanted = {names.get(m.strip().lower(), "?") for m in mods}
    if "?" in wanted or len(wanted) != len(mods) or not base or (len(base) > 1 and "," in base):
        return None
    if len(base) == 1:
        base = base.upper()
    elif base.lower() in _NAMED_KEYS:
        base = _NAMED_KEYS[base.lower()]
    else:
        return None
    return "+".join([m for m in _MODIFIERS if m in wanted] + [base])


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

