"""German is complete: every UI string passed through t() or declared as an action has a translation."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "src" / "annotator" / "ui"


def ui_strings() -> set[str]:
    found: set[str] = set()
    for f in UI.glob("*.py"):
        s = f.read_text(encoding="utf-8")
        found |= set(re.findall(r"""\bt\(\s*"((?:[^"\\]|\\.)*)"\s*\)""", s))
        found |= set(re.findall(r"""\bt\(\s*'((?:[^'\\]|\\.)*)'\s*\)""", s))
        found |= set(re.findall(r'ActionSpec\(\s*f?"[^"]*",\s*"((?:[^"\\]|\\.)*)"', s))
        found |= set(re.findall(r'PaletteSpec\(\s*"((?:[^"\\]|\\.)*)"', s))
    from annotator.ui.actions import MENUS
    from annotator.ui.document_list import DocumentModel

    found |= set(MENUS) | {c for c in DocumentModel.COLUMNS if c}
    return found


def test_every_ui_string_has_a_german_translation():
    table = json.loads((ROOT / "resources" / "translations" / "de.json").read_text(encoding="utf-8"))
    strings = ui_strings()
    assert len(strings) > 60
    missing = sorted(s for s in strings if not table.get(s))
    assert missing == []


def test_placeholders_survive_translation():
    table = json.loads((ROOT / "resources" / "translations" / "de.json").read_text(encoding="utf-8"))
    for source, german in table.items():
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", german)), source
