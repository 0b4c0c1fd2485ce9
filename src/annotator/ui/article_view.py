"""The article: zones rendered distinctly, labels highlighted, selection by mouse or keyboard.

Highlighting is a QSyntaxHighlighter: formats are computed per text block from an index of
spans by block, so adding or deleting one span re-formats only the blocks it touches.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from ..domain import Zone, ZoneKind


@dataclass(frozen=True)
class Mark:
    """Something drawn over the text: a label, another coder's label or a suggestion."""

    key: int  # annotation id (or negative for suggestions)
    start: int
    end: int
    category: str
    style: str = "label"  # label | other | suggestion


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document, view: "ArticleView") -> None:
        super().__init__(document)
        self.view = view
        self.block_starts: list[int] = [0]
        self.zone_by_block: dict[int, Zone] = {}  # the first zone of each block (gutter markers)
        self.zones_by_block: dict[int, list[Zone]] = {}
        self.marks_by_block: dict[int, list[Mark]] = {}
        self.zone_formats: dict[ZoneKind, QTextCharFormat] = {}
        self.colours: dict[str, QColor] = {}
        self.dark = False
        self._format_cache: dict = {}

    def clear_format_cache(self) -> None:
        self._format_cache = {}

    # --- indexes -------------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.block_starts = starts

    def block_of(self, offset: int) -> int:
        return bisect_right(self.block_starts, offset) - 1

    def blocks_of(self, start: int, end: int) -> range:
        return range(self.block_of(start), self.block_of(max(start, end - 1)) + 1)

    def set_zones(self, zones: tuple[Zone, ...]) -> None:
        self.zone_by_block = {}
        self.zones_by_block = {}
        for z in zones:
            for b in self.blocks_of(z.start, z.end):
                self.zone_by_block.setdefault(b, z)
                self.zones_by_block.setdefault(b, []).append(z)

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks_by_block = {}
        for m in marks:
            self._index(m)

    def _index(self, m: Mark) -> None:
        for b in self.blocks_of(m.start, m.end):
            self.marks_by_block.setdefault(b, []).append(m)

    def add_mark(self, m: Mark) -> range:
        self._index(m)
        return self.blocks_of(m.start, m.end)

    def remove_mark(self, key: int) -> set[int]:
        touched = set()
        for b, marks in self.marks_by_block.items():
            kept = [m for m in marks if m.key != key]
            if len(kept) != len(marks):
                self.marks_by_block[b] = kept
                touched.add(b)
        return touched

    def rehighlight_blocks(self, blocks) -> None:
        doc = self.document()
        for b in sorted(set(blocks)):
            block = doc.findBlockByNumber(b)
            if block.isValid():
                self.rehighlightBlock(block)

    # --- drawing -------------------------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        number = self.currentBlock().blockNumber()
        base = self.block_starts[number] if number < len(self.block_starts) else 0
        length = len(text)
        zones = self.zones_by_block.get(number, ())
        # A block may hold several zones (a dateline prefix, then the paragraph): format each part.
        for z in zones:
            fmt = self.zone_formats.get(z.kind)
            if fmt is not None:
                a, b = max(0, z.start - base), min(length, z.end - base)
                if a < b:
                    self.setFormat(a, b - a, fmt)
        marks = self.marks_by_block.get(number)
        if not marks:
            return
        # Sweep the block once: at each boundary the set of active marks changes.
        events: dict[int, list[tuple[int, Mark]]] = {}
        for m in marks:
            a = min(length, max(0, m.start - base))
            b = min(length, max(0, m.end - base))
            if a < b:
                events.setdefault(a, []).append((1, m))
                events.setdefault(b, []).append((-1, m))
        if len(zones) > 1:
            for z in zones:  # segments must not straddle two zones' fonts
                for cut in (z.start - base, z.end - base):
                    if 0 < cut < length:
                        events.setdefault(cut, [])
        active: list[Mark] = []
        points = sorted(events)
        single_kind = zones[0].kind if len(zones) == 1 else None
        cache = self._format_cache
        for i, point in enumerate(points):
            for sign, m in events[point]:
                if sign > 0:
                    active.append(m)
                else:
                    active.remove(m)
            if active and i + 1 < len(points):
                kind = single_kind if len(zones) <= 1 else next((z.kind for z in zones if z.start <= base + point < z.end), None)
                key = (kind, tuple(sorted((m.category, m.style, m.end - m.start) for m in active)))
                fmt = cache.get(key)
                if fmt is None:
                    fmt = cache[key] = self._segment_format(list(active), self.zone_formats.get(kind))
                self.setFormat(point, points[i + 1] - point, fmt)

    def _segment_format(self, active: list[Mark], zone_fmt: QTextCharFormat | None) -> QTextCharFormat:
        fmt = QTextCharFormat(zone_fmt) if zone_fmt is not None else QTextCharFormat()
        labels = [m for m in active if m.style == "label"]
        if labels:
            # Overlaps stay visible: the background mixes every label's colour, the underline
            # shows the innermost one, and a wave says "more than one label here".
            fmt.setBackground(self._mix([self.colour(m.category) for m in labels]))
            inner = min(labels, key=lambda m: m.end - m.start)
            fmt.setUnderlineColor(self.colour(inner.category))
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.WaveUnderline if len(labels) > 1 else QTextCharFormat.UnderlineStyle.SingleUnderline
            )
        others = [m for m in active if m.style == "other"]
        suggestions = [m for m in active if m.style == "suggestion"]
        if not labels and others:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(self.colour(others[0].category))
        if not labels and suggestions:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(self.colour(suggestions[0].category))
        return fmt

    def colour(self, category: str) -> QColor:
        return self.colours.get(category, QColor("#888888"))

    def _mix(self, colours: list[QColor]) -> QColor:
        r = sum(c.red() for c in colours) / len(colours)
        g = sum(c.green() for c in colours) / len(colours)
        b = sum(c.blue() for c in colours) / len(colours)
        alpha = 150 if self.dark else 90
        return QColor(int(r), int(g), int(b), min(255, alpha + 25 * (len(colours) - 1)))


class ZoneGutter(QWidget):
    """A narrow margin with a marker per zone: a picture for captions, a bubble for comments."""

    WIDTH = 22

    def __init__(self, view: "ArticleView") -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.WIDTH, 0)

    def paintEvent(self, event) -> None:  # noqa: N802
        view = self.view
        hl = view.highlighter
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = view.palette().color(view.foregroundRole())
        colour.setAlpha(150)
        painter.setPen(QPen(colour, 1.3))
        block = view.firstVisibleBlock()
        offset = view.contentOffset()
        while block.isValid():
            top = view.blockBoundingGeometry(block).translated(offset).top()
            if top > event.rect().bottom():
                break
            zone = hl.zone_by_block.get(block.blockNumber())
            number = block.blockNumber()
            if zone is not None and number < len(hl.block_starts) and hl.block_starts[number] <= zone.start:
                self._marker(painter, zone.kind, int(top) + 4)
            block = block.next()
        painter.end()

    def _marker(self, painter: QPainter, kind: ZoneKind, y: int) -> None:
        x = 4
        if kind is ZoneKind.IMAGE_CAPTION:  # a small camera
            painter.drawRoundedRect(QRectF(x, y + 3, 14, 10), 2, 2)
            painter.drawEllipse(QRectF(x + 4.5, y + 5, 5, 5))
            painter.drawLine(x + 4, y + 3, x + 6, y + 1)
            painter.drawLine(x + 6, y + 1, x + 9, y + 1)
        elif kind is ZoneKind.COMMENT:  # a speech bubble
            painter.drawRoundedRect(QRectF(x, y + 1, 14, 9), 3, 3)
            painter.drawLine(x + 4, y + 10, x + 3, y + 14)
        elif kind is ZoneKind.HEADLINE:
            painter.drawText(QRect(x, y, 14, 16), Qt.AlignmentFlag.AlignCenter, "H")
        elif kind is ZoneKind.BOILERPLATE:
            painter.drawText(QRect(x, y - 4, 14, 16), Qt.AlignmentFlag.AlignCenter, "·")


class ArticleView(QPlainTextEdit):
    """Read-only article text; coders select with mouse or keyboard (shift + arrows)."""

    marks_clicked = Signal(int)  # character offset of a click, to pick a span

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setCenterOnScroll(False)
        self.highlighter = SpanHighlighter(self.document(), self)
        self.gutter = ZoneGutter(self)
        self.setViewportMargins(ZoneGutter.WIDTH, 0, 0, 0)
        self.updateRequest.connect(lambda rect, dy: self.gutter.scroll(0, dy) if dy else self.gutter.update())
        self._text = ""
        self._font_size = 12.0
        self.set_font_size(self._font_size)
        self.set_palette_mode(dark=False)

    # --- content -------------------------------------------------------------------------------

    def show_document(self, text: str, zones: tuple[Zone, ...], marks: list[Mark]) -> None:
        """Replace the shown article; highlighting happens during the single layout pass."""
        hl = self.highlighter
        hl.set_text(text)
        hl.set_zones(zones)
        hl.set_marks(marks)
        self._text = text
        self.setPlainText(text)
        self.set_current_mark(None)

    def text(self) -> str:
        return self._text

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), ZoneGutter.WIDTH, rect.height()))

    def add_mark(self, mark: Mark) -> None:
        self.highlighter.rehighlight_blocks(self.highlighter.add_mark(mark))

    def remove_mark(self, key: int) -> None:
        self.highlighter.rehighlight_blocks(self.highlighter.remove_mark(key))

    def replace_mark(self, key: int, mark: Mark | None) -> None:
        touched = self.highlighter.remove_mark(key)
        if mark is not None:
            touched |= set(self.highlighter.add_mark(mark))
        self.highlighter.rehighlight_blocks(touched)

    # --- selection -----------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return cursor.selectionStart(), cursor.selectionEnd()

    def select_range(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def set_current_mark(self, mark: Mark | None) -> None:
        """Outline the span the coder is working on (one extra selection: cheap)."""
        if mark is None:
            self.setExtraSelections([])
            return
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(mark.start)
        cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        colour = QColor(self.highlighter.colour(mark.category))
        colour.setAlpha(200)
        fmt.setBackground(colour)
        fmt.setForeground(QColor("#000000"))
        fmt.setProperty(QTextFormat.Property.OutlinePen, None)
        sel.format = fmt
        self.setExtraSelections([sel])
        probe = QTextCursor(self.document())
        probe.setPosition(mark.start)
        self.setTextCursor(probe)
        self.ensureCursorVisible()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().mouseReleaseEvent(event)
        if not self.textCursor().hasSelection():
            self.marks_clicked.emit(self.cursorForPosition(event.position().toPoint()).position())

    # --- looks ---------------------------------------------------------------------------------

    def set_colours(self, colours: dict[str, str]) -> None:
        self.highlighter.colours = {k: QColor(v) for k, v in colours.items()}
        self.highlighter.clear_format_cache()

    def set_font_size(self, size: float) -> None:
        self._font_size = max(7.0, min(40.0, size))
        font = QFont(self.font())
        font.setPointSizeF(self._font_size)
        self.setFont(font)
        self._build_zone_formats()
        if self._text:
            self.highlighter.rehighlight()

    def font_size(self) -> float:
        return self._font_size

    def set_palette_mode(self, dark: bool) -> None:
        self.highlighter.dark = dark
        self._build_zone_formats()
        if self._text:
            self.highlighter.rehighlight()

    def _build_zone_formats(self) -> None:
        dark = self.highlighter.dark
        muted = QColor("#8a8a8a") if dark else QColor("#9a9a9a")
        size = self._font_size
        f: dict[ZoneKind, QTextCharFormat] = {}

        def fmt(**kw) -> QTextCharFormat:
            c = QTextCharFormat()
            if "size" in kw:
                c.setFontPointSize(kw["size"])
            if kw.get("bold"):
                c.setFontWeight(QFont.Weight.Bold)
            if kw.get("italic"):
                c.setFontItalic(True)
            if "fg" in kw:
                c.setForeground(kw["fg"])
            if "bg" in kw:
                c.setBackground(kw["bg"])
            if kw.get("caps"):
                c.setFontCapitalization(QFont.Capitalization.SmallCaps)
            return c

        f[ZoneKind.KICKER] = fmt(size=size * 0.9, bold=True, caps=True, fg=QColor("#4a7bd0" if dark else "#2a5db0"))
        f[ZoneKind.HEADLINE] = fmt(size=size * 1.6, bold=True)
        f[ZoneKind.SUBHEADING] = fmt(size=size * 1.15, bold=True)
        f[ZoneKind.LEAD] = fmt(bold=True)
        f[ZoneKind.BYLINE] = fmt(size=size * 0.9, italic=True, fg=muted)
        f[ZoneKind.DATELINE] = fmt(size=size * 0.9, fg=muted)
        f[ZoneKind.IMAGE_ALT] = fmt(size=size * 0.85, fg=muted)
        f[ZoneKind.IMAGE_CAPTION] = fmt(italic=True, fg=QColor("#7fb0ff" if dark else "#1d4f91"))
        f[ZoneKind.PHOTO_CREDIT] = fmt(size=size * 0.85, fg=muted)
        f[ZoneKind.COMMENTS_HEADER] = fmt(bold=True, fg=muted)
        f[ZoneKind.COMMENT_USER] = fmt(size=size * 0.85, bold=True, fg=muted)
        f[ZoneKind.COMMENT] = fmt(bg=QColor("#2b2f36" if dark else "#f3f1e8"))
        f[ZoneKind.BOILERPLATE] = fmt(size=size * 0.85, fg=QColor("#5c5c5c" if dark else "#b8b8b8"))
        self.highlighter.zone_formats = f
        self.highlighter.clear_format_cache()
