"""Pattern files: where they live, how they are read and checked, and the version of a pattern set.

A pattern set is a folder with one JSON Lines file per category, ``<category>.jsonl``, in spaCy's own
pattern format, one pattern a line::

    {"label": "hedge", "pattern": [{"LOWER": {"IN": ["vermutlich", "angeblich"]}}], "id": "hedge_adverb"}
    {"label": "hedge", "pattern": "es ist nicht ausgeschlossen", "id": "hedge_not_excluded"}

``pattern`` is a token pattern (a list, for spaCy's Matcher) or a phrase (a string, matched on lower
case). ``id`` names the rule; the coder sees it next to the suggestion, so say what fired
("unnamed_hearsay", not "p7"); without one, the category is the rule id. Blank lines are ignored. The
files stay plain spaCy: ``srsly.read_jsonl`` and spaCy's own SpanRuler read them too. The list of outlet
names is a separate text file (see :mod:`.outlets`).

Every line is checked when it is read: a ``REGEX`` must compile, and a repeat ``"OP": "{n,m}"`` may not
go above `MAX_REPEAT` (spaCy unfolds each repeat into a token of its own, so ``{0,2000}`` makes a
pattern of two thousand tokens that takes minutes and gigabytes on every document). A project's own
folder is also checked against its codebook (:func:`check_pattern_set`).

:func:`pattern_set_version` gives a short hash that changes whenever anything that decides the
suggestions changes: a pattern, an outlet name, a component setting, the code rules, or spaCy itself.
Suggestion runs store it, so a later run can skip documents already done with the same set.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from annotator.errors import AnnotatorError

__all__ = [
    "CODE_RULES_VERSION",
    "MAX_REPEAT",
    "PatternError",
    "PatternSource",
    "check_pattern_set",
    "check_token_pattern",
    "default_outlets_file",
    "default_patterns_dir",
    "load_patterns",
    "pattern_set_version",
    "read_pattern_file",
]

# Raise when the behaviour of the rules written in Python changes (context checks, zone rules, quote
# finding, merging), so stored suggestions made by the old code are recognised as stale.
CODE_RULES_VERSION = "1"

# The largest count a repeat operator ("{n}", "{n,m}", "{n,}", "{,m}") may name; "*" and "+" repeat
# without unfolding and stay allowed.
MAX_REPEAT = 10
_REPEAT_RE = re.compile(r"^\{\s*(\d*)\s*(,?)\s*(\d*)\s*\}$")

class PatternError(AnnotatorError):
    """A pattern file cannot be read or holds a pattern spaCy rejects."""


@dataclass(frozen=True)
class PatternSource:
    """Where a pattern came from, for error messages: ``hedge.jsonl:12``."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def _resources_dir() -> Path:
    here = Path(__file__).resolve()
    for candidate in (here.parents[3] / "resources", here.parents[1] / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parents[3] / "resources"


def default_patterns_dir() -> Path:
    """The pattern set shipped in ``resources/patterns/``."""
    return _resources_dir() / "patterns"


def default_outlets_file() -> Path:
    """The outlet list shipped as ``resources/outlets.txt``."""
    return _resources_dir() / "outlets.txt"


def read_pattern_file(path: str | Path) -> list[tuple[dict[str, Any], PatternSource]]:
    """The patterns of one ``<category>.jsonl`` file, each with its line, checked for shape.

    Raises `PatternError` naming the file and line when a line is not a JSON object with a ``label``
    and a ``pattern`` (list or string), or when its label is not the file's category.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        raise PatternError(f"{path}: cannot read pattern file ({error.strerror or error})") from error
    category = path.stem
    found = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        source = PatternSource(str(path), number)
        try:
            entry = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise PatternError(f"{source}: not valid JSON ({error.msg}, column {error.colno})") from error
        _check_entry(entry, source, path, category)
        found.append((entry, source))
    return found


def _check_entry(entry: Any, source: PatternSource, path: Path, category: str) -> None:
    where = str(source)
    if not isinstance(entry, dict):
        raise PatternError(f"{where}: a pattern line must be a JSON object with \"label\" and \"pattern\"")
    missing = [key for key in ("label", "pattern") if key not in entry]
    if missing:
        raise PatternError(f"{where}: the pattern has no {' and no '.join(repr(m) for m in missing)}")
    if entry["label"] != category:
        raise PatternError(
            f"{where}: label {entry['label']!r} does not match the file; put it in {entry['label']}.jsonl"
        )
    if not isinstance(entry["pattern"], (list, str)):
        raise PatternError(f"{where}: \"pattern\" must be a list of token patterns or a phrase string")
    if "id" in entry and not isinstance(entry["id"], str):
        raise PatternError(f"{where}: \"id\" must be a string")


def check_token_pattern(pattern: list[Any], where: str) -> None:
    """Raise `PatternError` for what spaCy would take badly: a REGEX that does not compile (spaCy raises a
    bare ``re.error``) or a repeat above `MAX_REPEAT` (spaCy accepts it and then runs for minutes)."""
    for token in pattern:
        if isinstance(token, dict):
            _check_repeat(token.get("OP"), where)
            _check_regexes(token, where)


def _check_repeat(op: Any, where: str) -> None:
    found = _REPEAT_RE.match(op) if isinstance(op, str) else None
    if found is None:
        return  # "?", "*", "+", "!" or a typo spaCy itself names
    low, _, high = found.groups()
    largest = max(int(low or 0), int(high or 0))
    if largest > MAX_REPEAT:
        raise PatternError(
            f"{where}: \"OP\": {op!r} repeats a token more than {MAX_REPEAT} times; spaCy unfolds every repeat "
            f"into a token of its own, which takes minutes and gigabytes: use a bound up to {MAX_REPEAT}, "
            f"or \"*\" or \"+\""
        )


def _check_regexes(spec: Any, where: str) -> None:
    """Compile every REGEX of a token spec, also inside ``NOT_IN``-style dicts and ``_`` extensions."""
    if not isinstance(spec, dict):
        return
    for name, value in spec.items():
        if str(name).upper() == "REGEX":
            try:
                re.compile(value)
            except (re.error, TypeError) as error:
                raise PatternError(
                    f"{where}: \"REGEX\": {value!r} is not a regular expression ({error}); "
                    "correct it or delete the line"
                ) from None
        else:
            _check_regexes(value, where)


def load_patterns(folder: str | Path) -> list[tuple[dict[str, Any], PatternSource]]:
    """Every pattern of a pattern set, files in name order, lines in file order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PatternError(f"{folder}: no such pattern folder")
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        found.extend(read_pattern_file(path))
    return found


def check_pattern_set(folder: str | Path, span_categories: Collection[str], document_categories: Collection[str] = ()) -> None:
    """Raise `PatternError` unless `folder` is a pattern set for this codebook.

    Checked here, not when the pipeline is built, because only a project knows its codebook: the folder
    must hold pattern files, and each must be named after a span category (a document-level category is
    coded for the whole article, so a span suggestion for it would mean nothing).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PatternError(f"{folder}: no such pattern folder")
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise PatternError(
            f"{folder}: no pattern files (<category>.jsonl) in this folder; copy resources/patterns/ as a start"
        )
    for path in files:
        category = path.stem
        if category in document_categories:
            raise PatternError(
                f"{path}: {category!r} is a document-level category; patterns suggest spans, so only span "
                f"categories have pattern files: remove {path.name}"
            )
        if category not in span_categories:
            raise PatternError(
                f"{path}: the project's codebook has no category {category!r}; name the file after one of its "
                f"span categories ({', '.join(span_categories)}) or add the category to the codebook"
            )


# --- the version of a pattern set ----------------------------------------------------------------------------


def pattern_set_version(source: Language | str | Path, outlets_file: str | Path | None = None) -> str:
    """A short hash naming everything that decides the suggestions.

    `source` is a pipeline from :func:`annotator.nlp.pipeline.build_pipeline` or a pattern folder (read
    with `outlets_file`, default ``resources/outlets.txt``, and the default component settings). A folder
    and the pipeline built from it give the same version. Formatting a file (spaces, key order, notes)
    leaves the version alone; changing what a pattern matches does not.
    """
    from .outlets import read_outlets

    if isinstance(source, Language):
        patterns, names, settings = _state_of(source)
    else:
        patterns = [entry for entry, _ in load_patterns(source)]
        outlets = Path(outlets_file) if outlets_file is not None else default_outlets_file()
        names = read_outlets(outlets) if outlets.exists() else []
        settings = _default_settings()
    return _fingerprint(patterns, names, settings)


def _state_of(nlp: Language) -> tuple[list[dict[str, Any]], list[str], dict[str, Any]]:
    from .outlets import OutletTagger
    from .ruler import CueRuler

    patterns: list[dict[str, Any]] = []
    names: list[str] = []
    for _, component in nlp.pipeline:
        if isinstance(component, CueRuler):
            patterns.extend(component.patterns)
        elif isinstance(component, OutletTagger):
            names.extend(component.names)
    return patterns, names, _settings_of(nlp)


def _settings_of(nlp: Language) -> dict[str, Any]:
    components = nlp.config["components"]
    return {name: dict(components[name]) for name in nlp.pipe_names}


@lru_cache(maxsize=1)
def _default_settings() -> dict[str, Any]:
    from .pipeline import blank_pipeline

    return _settings_of(blank_pipeline())


def _fingerprint(patterns: Iterable[dict[str, Any]], names: Iterable[str], settings: dict[str, Any]) -> str:
    state = {
        "code": CODE_RULES_VERSION,
        "spacy": spacy.__version__,
        "lookups": _installed_version("spacy-lookups-data"),
        "patterns": sorted(json.dumps(p, sort_keys=True, ensure_ascii=False) for p in patterns),
        "outlets": sorted(set(names)),
        "settings": settings,
    }
    digest = hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    return digest.hexdigest()[:16]


def _installed_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"
