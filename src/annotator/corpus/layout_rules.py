"""How one outlet style marks up its pages: the rule set :func:`annotator.corpus.structure.parse_page` follows.

Rule sets are registered, detected and applied in :mod:`annotator.corpus.structure`; the built-in ones
live in :mod:`annotator.corpus.layouts`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

__all__ = ["LayoutRules"]


@dataclass(frozen=True)
class LayoutRules:
    """How one outlet style marks up its pages, mostly as full-line regular expressions.

    Each pattern must match a whole trimmed line (``re.fullmatch``) and ignores case unless it
    says otherwise with an inline ``(?-i:...)`` group. Derive a new rule set from the generic one
    with :meth:`extend`, so that common furniture keeps being recognised.
    """

    name: str
    description: str = ""
    # Lines typical of this outlet; auto-detection picks the layout that matches most of them.
    signatures: tuple[str, ...] = ()
    min_signatures: int = 2
    # Single lines that are furniture wherever they stand ("Anzeige", "Artikel teilen").
    furniture: tuple[str, ...] = ()
    # Lines after which the rest of the page is furniture ("Weiterlesen", "MEHR IN NEWS").
    tail_markers: tuple[str, ...] = ()
    comments_headers: tuple[str, ...] = ()
    # User labels that are certain ("User #12 (nicht angemeldet)"); name-like labels are guessed.
    comment_users: tuple[str, ...] = ()
    comment_furniture: tuple[str, ...] = ()  # "Antworten", "Melden", "12 Likes"
    bylines: tuple[str, ...] = ()  # author lines beyond "Von …", "Text: …" and bare names
    agencies: tuple[str, ...] = ()  # lower-case words that certainly are a photo credit
    credit_separators: tuple[str, ...] = (" - ", " – ")  # "caption - credit"
    credit_labels: tuple[str, ...] = ()  # "Foto", "Bild": "caption Foto: credit"
    dateline_prefix: bool = True  # whether a paragraph may open with "Berlin – "

    def extend(self, name: str, description: str = "", **changes: Any) -> LayoutRules:
        """A new rule set called ``name``: tuple fields are appended to, other fields replaced.

        To drop an inherited pattern instead, build the rules with ``dataclasses.replace``.
        """
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(name=name, description=description)
        for key, value in changes.items():
            if key not in values or key in ("name", "description"):
                raise TypeError(f"LayoutRules.extend() got an unexpected field {key!r}")
            old = values[key]
            values[key] = old + tuple(value) if isinstance(old, tuple) else value
        return LayoutRules(**values)
