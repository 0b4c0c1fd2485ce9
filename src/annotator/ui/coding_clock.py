"""Time spent coding the open document, as the workbench measures it.

What a researcher reports is time spent *coding*, so:

* time counts on a document only once the coder has begun it with a coding action (a label, a
  document code, a note, a suggestion decision, a status). The project refuses time for a
  document nobody began (:meth:`Project.add_time` returns False), so looking never creates a
  status, and a lead who opens a document is not a coder;
* the reading before the first action of a stretch (since the document was opened) counts with
  that action: reading the article is part of coding it. Until the first action those seconds
  wait here, and they are dropped when the coder moves on without coding;
* a pause between two actions (or after the last one) counts at most ``IDLE_CAP_SECONDS``, however
  often the clock is saved, so a document left open over lunch is not an hour of coding.
"""

from __future__ import annotations

import time
from collections.abc import Callable

IDLE_CAP_SECONDS = 300


class CodingClock:
    """Seconds of coding on one document, waiting to be saved.

    ``now`` is the time source (``time.monotonic``); tests put a clock of their own there.
    """

    def __init__(self, now: Callable[[], float] = time.monotonic, idle_cap: float = IDLE_CAP_SECONDS) -> None:
        self.now = now
        self.idle_cap = idle_cap
        self.document_id: int | None = None
        self._pending = 0.0
        self._last_event = self._counted_until = 0.0

    def start(self, document_id: int | None) -> None:
        """A document was opened: a new stretch begins; unsaved seconds of the previous one are dropped."""
        t = self.now()
        self.document_id = document_id
        self._pending = 0.0
        self._last_event = self._counted_until = t

    def action(self) -> None:
        """A coding action: the time since the previous one (or since opening) counts, capped."""
        t = self.now()
        self._advance(t)
        self._last_event = self._counted_until = t

    def pending(self) -> float:
        """Seconds to record now: the stretch so far, the tail after the last action capped."""
        self._advance(self.now())
        return self._pending

    def saved(self) -> None:
        """The project took the pending seconds."""
        self._pending = 0.0

    def _advance(self, t: float) -> None:
        horizon = min(t, self._last_event + self.idle_cap)
        if horizon > self._counted_until:
            self._pending += horizon - self._counted_until
            self._counted_until = horizon
