"""The article view: zone formats and label highlights per character range."""

from __future__ import annotations

from annotator.domain import Zone, ZoneKind
from annotator.ui.article_view import ArticleView, Mark


def formats_at(view, offset):
    from PySide6.QtGui import QTextCharFormat

    block = view.document().findBlock(offset)
    pos = offset - block.position()
    ranges = block.layout().formats()  # keep the list alive while copying its formats
    return [QTextCharFormat(r.format) for r in ranges if r.start <= pos < r.start + r.length]


def test_two_zones_in_one_block_keep_their_own_formats(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    text = "Berlin – Die Stadt baut eine neue Brücke."
    view.show_document(text, (Zone(ZoneKind.DATELINE, 0, 8), Zone(ZoneKind.BODY, 9, len(text))), [])
    dateline = formats_at(view, 2)
    body = formats_at(view, 20)
    assert dateline and dateline[-1].fontPointSize() < view.font_size()
    assert not body or body[-1].fontPointSize() in (0, view.font_size())


def test_overlapping_labels_both_stay_visible_and_one_span_change_touches_its_block_only(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_colours({"hedge": "#ff7f0e", "unnamed_source": "#2ca02c"})
    text = "Erster Absatz.\n\nBeobachter sagen, es könnte regnen.\n\nDritter Absatz."
    s = text.index("Beobachter")
    view.show_document(text, (), [Mark(1, s, s + 20, "unnamed_source"), Mark(2, s + 11, s + 33, "hedge")])
    overlap = formats_at(view, s + 13)[-1]
    only_hedge = formats_at(view, s + 25)[-1]
    assert overlap.background().color() != only_hedge.background().color()
    assert overlap.underlineStyle() != only_hedge.underlineStyle()  # a wave marks "more than one label"
    calls = []
    original = view.highlighter.highlightBlock
    view.highlighter.highlightBlock = lambda t: (calls.append(t), original(t))
    view.add_mark(Mark(3, 0, 6, "hedge"))
    assert calls == ["Erster Absatz."]
