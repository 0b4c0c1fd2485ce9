"""Time to show a large, heavily labelled article, against Qt laying out the bare text (the floor).

Prints p50/p95 for: plain layout (floor), our fully highlighted view, and adding/deleting one span.
Budget: highlighted p95 <= 2x floor and < 50 ms; one span change p95 < 10 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/article_view.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from annotator.domain import Zone, ZoneKind  # noqa: E402
from annotator.ui.article_view import ArticleView, Mark  # noqa: E402

SENTENCES = [
    "Der Bundesrat will den Einsatz von Drohnen strenger regeln.",
    "Ein Entscheid könnte schon im Herbst fallen, heißt es aus gut unterrichteten Kreisen.",
    "Beobachter gehen davon aus, dass die Kantone mitreden wollen.",
    "«Wir prüfen alle Optionen», sagte die Ministerin am Mittwoch in Bern.",
    "Laut «SRF» ist noch nichts entschieden, die Gespräche dürften andauern.",
]
CATEGORIES = ["hedge", "unnamed_source", "outlet_attribution", "direct_quote", "loaded_language"]


def make_article(chars: int = 20_000, spans: int = 500, seed: int = 7):
    rng = random.Random(seed)
    paragraphs, zones, pos = [], [], 0
    while pos < chars:
        para = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5)))
        kind = ZoneKind.HEADLINE if not paragraphs else rng.choice([ZoneKind.BODY] * 6 + [ZoneKind.IMAGE_CAPTION, ZoneKind.SUBHEADING])
        zones.append(Zone(kind, pos, pos + len(para)))
        paragraphs.append(para)
        pos += len(para) + 2
    text = "\n\n".join(paragraphs)
    marks = []
    for i in range(spans):
        start = rng.randrange(0, len(text) - 60)
        end = start + rng.randint(5, 60)
        marks.append(Mark(i + 1, start, end, rng.choice(CATEGORIES)))
    return text, tuple(zones), marks


def force_layout(edit: QPlainTextEdit) -> None:
    """Lay out every block, as a fully laid-out document requires."""
    doc = edit.document()
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        layout.blockBoundingRect(block)
        block = block.next()
    QApplication.processEvents()


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000


def main(runs: int = 40) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    text, zones, marks = make_article()
    overlapping = sum(1 for a, b in zip(sorted(marks, key=lambda m: m.start), sorted(marks, key=lambda m: m.start)[1:]) if b.start < a.end)

    floor_view = QPlainTextEdit()
    floor_view.resize(900, 800)
    floor_view.show()
    view = ArticleView()
    view.resize(900, 800)
    view.set_colours({c: "#1f77b4" for c in CATEGORIES})
    view.show()
    app.processEvents()

    floor, ours = [], []
    for i in range(runs):
        floor_view.setPlainText("")
        t0 = time.perf_counter()
        floor_view.setPlainText(text)
        force_layout(floor_view)
        floor.append(time.perf_counter() - t0)

        view.show_document("", (), [])
        t0 = time.perf_counter()
        view.show_document(text, zones, marks)
        force_layout(view)
        ours.append(time.perf_counter() - t0)

    rng = random.Random(3)
    adds, deletes = [], []
    for i in range(200):
        start = rng.randrange(0, len(text) - 40)
        mark = Mark(10_000 + i, start, start + 25, "hedge")
        t0 = time.perf_counter()
        view.add_mark(mark)
        adds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        view.remove_mark(mark.key)
        deletes.append(time.perf_counter() - t0)

    print(f"article: {len(text):,} characters, {len(marks)} spans ({overlapping} overlapping a neighbour), {len(zones)} zones")
    print(f"{'measure':<44}{'p50 ms':>9}{'p95 ms':>9}")
    rows = [
        ("Qt plain layout, no highlighting (floor)", floor),
        ("annotator: open, zones + spans highlighted", ours),
        ("annotator: add one span", adds),
        ("annotator: delete one span", deletes),
    ]
    for name, values in rows:
        print(f"{name:<44}{pct(values, 0.5):>9.2f}{pct(values, 0.95):>9.2f}")
    ratio = pct(ours, 0.95) / pct(floor, 0.95)
    print(f"ratio p95 ours/floor: {ratio:.2f}x (budget 2.0x and < 50 ms); span change budget < 10 ms")
    ok = ratio <= 2.0 and pct(ours, 0.95) < 50 and pct(adds, 0.95) < 10 and pct(deletes, 0.95) < 10
    print("within budget" if ok else "OVER BUDGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
