"""The codebook validator's list of workbench keys is the workbench's: same keys, same spelling as Qt's."""

from __future__ import annotations

import pytest

from annotator.codebook import WORKBENCH_KEYS, key_text
from annotator.ui.actions import ActionRegistry, ActionSpec, normalise_key


def test_every_built_in_key_of_the_workbench_is_known_to_the_codebook(window):
    specs = [s for s in window.registry.specs.values() if not s.is_category]
    keys = {normalise_key(k) for s in specs for k in (s.default_key, *s.extra_keys) if k}
    assert keys and keys <= set(WORKBENCH_KEYS)
    titles = {normalise_key(k): s.title for s in specs for k in (s.default_key, *s.extra_keys) if k}
    assert {k: WORKBENCH_KEYS[k] for k in titles} == titles


@pytest.mark.parametrize(
    "key",
    [*WORKBENCH_KEYS, "a", "shift+ctrl+z", "alt+ctrl+x", "meta+shift+ctrl+alt+x", "Delete", "escape", "insert",
     "ctrl+return", "f6", "ü", "ctrl+ü", "Ctrl + 1", "PgDown", "space", "Ctrl+,", "+", "Shift++"],
)  # fmt: skip
def test_the_core_writes_a_key_as_qt_does(key):
    assert key_text(key) == normalise_key(key.replace(" ", ""))


@pytest.mark.parametrize("key", ["foo", "ab", "Ctrl+A, B", "PageDown", "Hyper+1", "Ctrl+"])
def test_what_qt_cannot_read_is_not_a_key_for_the_core_either(key):
    assert key_text(key) is None
    assert normalise_key(key) in ("", "Ctrl+A, B")  # Qt reads a two-key sequence; a codebook key is one key


def test_a_built_in_key_missing_from_the_list_is_caught_when_codebook_keys_arrive(settings):
    registry = ActionRegistry(settings)
    registry.add(ActionSpec("edit.undo", "Undo", "Ctrl+Z", lambda: None, "Edit"))
    registry.add(ActionSpec("x.new", "Something new", "Ctrl+J", lambda: None, "Edit"))
    with pytest.raises(ValueError, match=r"x.new: its key Ctrl\+J is not in annotator.codebook.WORKBENCH_KEYS"):
        registry.add(ActionSpec("code.hedge", "Hedge", "2", lambda: None, "Code", is_category=True))
