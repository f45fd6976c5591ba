"""A measure's run or control chart, painted with QPainter from the same computed chart as paper.

QtCharts would need PySide6-Addons (hundreds of MB) for a handful of lines and
markers; painting the ``ChartResult`` that ``reports/chart_drawing`` also draws keeps
screen and paper identical. The look follows the printed chart, so it reads in black
and white too: special-cause points are diamonds (hollow when left out of the limits),
limits are dashed, the target is dash-dot, a frozen baseline is shaded.

Hovering shows what a point is; with the keyboard, Left/Right/Home/End move a
focused point and its description is given to screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from cuspdesk.reports import chart_layout as paper
from cuspdesk.services.chart import centre_line_name
from cuspdesk.services.measure_charts import MeasureChart

Shape = Literal["diamond", "circle"]
_PT = 96 / 72  # paper sizes are in points; the screen works in pixels


INK = QColor(paper.INK)
CENTRE = QColor(paper.CENTRE_COLOUR)
LIMIT = QColor(paper.LIMIT_COLOUR)
SIGNAL = QColor(paper.SIGNAL_COLOUR)
TARGET = QColor(paper.TARGET_COLOUR)
GRID = QColor(paper.GRID_COLOUR)
SHADE = QColor(paper.BASELINE_SHADE)
NOTE = QColor(paper.ANNOTATION_COLOUR)
FOCUS = QColor("#0B61A4")


@dataclass(frozen=True)
class Marker:
    """Where one period's point is drawn and how: its shape tells signals without colour."""

    index: int
    centre: QPointF
    shape: Shape
    hollow: bool
    size: float


@dataclass(frozen=True)
class _Layout:
    """Everything to paint, worked out once per chart and size so painting stays quick."""

    plot: QRectF
    step: float
    markers: tuple[Marker, ...]
    value_lines: tuple[QLineF, ...]
    limit_lines: tuple[QPolygonF, ...]
    centre_solid: tuple[QLineF, ...]
    centre_extended: tuple[QLineF, ...]
    target: QLineF | None
    baseline: QRectF | None
    annotation_lines: tuple[QLineF, ...]
    annotation_labels: tuple[tuple[QRectF, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str], ...]
    side_labels: tuple[tuple[float, str, QColor], ...]


class MeasureChartWidget(QWidget):
    """Shows one ``MeasureChart``; call ``set_chart`` whenever the measure's data change.

    ``point_activated(index)`` is emitted when a point is clicked or Enter is pressed
    on the focused point, so a screen can offer to exclude that month or edit it.
    """

    point_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart: MeasureChart | None = None
        self._layout: _Layout | None = None
        self._focused: int | None = None
        self._hovered: int | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Chart")
        self.setAccessibleDescription("No measure chosen.")

    # ------------------------------------------------------------ public

    @Slot(object)
    def set_chart(self, chart: MeasureChart | None) -> None:
        """Show ``chart`` (None: nothing chosen); keeps the focused month if it still exists."""
        previous = self._chart
        self._chart = chart
        self._layout = None
        self._hovered = None
        same_measure = (
            previous is not None and chart is not None and previous.measure_id == chart.measure_id
        )
        if not same_measure or not self._present(self._focused):
            self._focused = None
        self.setAccessibleName(f"Chart of {chart.name}" if chart is not None else "Chart")
        self._describe()
        self.update()

    def chart(self) -> MeasureChart | None:
        return self._chart

    @property
    def focused_index(self) -> int | None:
        return self._focused

    @property
    def hovered_index(self) -> int | None:
        return self._hovered

    def set_focused_index(self, index: int | None) -> None:
        if index is not None and not self._present(index):
            raise IndexError(f"No point with a value at {index}.")
        self._focused = index
        self._describe()
        self.update()
        if index is not None and self.hasFocus():
            marker = self.marker_for(index)
            if marker is not None:
                QToolTip.showText(
                    self.mapToGlobal(marker.centre.toPoint()), self._point_text(index), self
                )

    def markers(self) -> tuple[Marker, ...]:
        """The drawn points at the widget's current size (for tests and hit-testing)."""
        return self._ensure_layout().markers

    def marker_for(self, index: int) -> Marker | None:
        return next((m for m in self.markers() if m.index == index), None)

    def index_at(self, pos: QPointF) -> int | None:
        """The period whose column contains ``pos``, if it has a value."""
        layout = self._ensure_layout()
        if not layout.markers or not layout.plot.adjusted(0, -8, 0, 8).contains(pos):
            return None
        best = min(layout.markers, key=lambda m: abs(m.centre.x() - pos.x()))
        return best.index if abs(best.centre.x() - pos.x()) <= layout.step / 2 + 1 else None

    def sizeHint(self) -> QSize:
        return QSize(720, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 200)

    # ------------------------------------------------------------ events

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._layout = None
        super().changeEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index != self._hovered:
            self._hovered = index
            self.update()
        if index is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self._point_text(index), self)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.set_focused_index(index)
            self.point_activated.emit(index)
            return
        super().mousePressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._focused is None:
            present = self._present_indices()
            if present:
                self.set_focused_index(present[-1])
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        QToolTip.hideText()
        self.update()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        present = self._present_indices()
        key = event.key()
        if not present or key not in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
        ):
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._focused is not None:
                self.point_activated.emit(self._focused)
            return
        current = self._focused
        if key == Qt.Key.Key_Home:
            target = present[0]
        elif key == Qt.Key.Key_End:
            target = present[-1]
        elif current is None:
            target = present[0] if key == Qt.Key.Key_Right else present[-1]
        elif key == Qt.Key.Key_Right:
            target = next((i for i in present if i > current), present[-1])
        else:
            target = next((i for i in reversed(present) if i < current), present[0])
        self.set_focused_index(target)

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        layout = self._ensure_layout()
        chart = self._chart
        fm = QFontMetricsF(self.font())

        if layout.baseline is not None:
            painter.fillRect(layout.baseline, SHADE)
            painter.setPen(NOTE)
            painter.drawText(
                layout.baseline.topLeft() + QPointF(3, fm.ascent() + 1), "Frozen baseline"
            )
        painter.setPen(QPen(GRID, 1))
        for y, _ in layout.y_ticks:
            painter.drawLine(QLineF(layout.plot.left(), y, layout.plot.right(), y))
        painter.setPen(QPen(LIMIT, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(layout.plot)
        painter.setPen(INK)
        for y, text in layout.y_ticks:
            box = QRectF(0, y - fm.height() / 2, layout.plot.left() - 6, fm.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        for x, text in layout.x_labels:
            w = fm.horizontalAdvance(text)
            painter.drawText(QPointF(x - w / 2, layout.plot.bottom() + fm.ascent() + 4), text)

        if chart is not None and chart.result is not None:
            self._paint_series(painter, layout)
        else:
            message = (
                chart.unavailable if chart is not None else "Choose a measure to see its chart."
            )
            painter.setPen(INK)
            painter.drawText(
                layout.plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, message
            )

        if chart is not None:
            title_font = QFont(self.font())
            title_font.setBold(True)
            title_font.setPointSizeF(self.font().pointSizeF() * 1.15)
            painter.setFont(title_font)
            painter.setPen(INK)
            title_metrics = QFontMetricsF(title_font)
            title = title_metrics.elidedText(
                chart.title, Qt.TextElideMode.ElideRight, self.width() - layout.plot.left() - 8
            )
            painter.drawText(QPointF(layout.plot.left(), title_metrics.ascent() + 4), title)
            painter.setFont(self.font())
        painter.end()

    def _paint_series(self, painter: QPainter, layout: _Layout) -> None:
        fm = QFontMetricsF(self.font())
        note_pen = QPen(NOTE, 1.0, Qt.PenStyle.CustomDashLine)
        note_pen.setDashPattern(_dashes(paper.ANNOTATION_DASH, 1.0))
        painter.setPen(note_pen)
        for mark in layout.annotation_lines:
            painter.drawLine(mark)

        limit_pen = QPen(LIMIT, 1.3, Qt.PenStyle.CustomDashLine)
        limit_pen.setDashPattern(_dashes(paper.LIMIT_DASH, 1.3))
        painter.setPen(limit_pen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # level steps: crisp, fast
        for limit in layout.limit_lines:
            painter.drawPolyline(limit)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(CENTRE, 1.6))
        for c in layout.centre_solid:
            painter.drawLine(c)
        extended = QPen(CENTRE, 1.6, Qt.PenStyle.CustomDashLine)
        extended.setDashPattern(_dashes(paper.EXTENDED_DASH, 1.6))
        painter.setPen(extended)
        for c in layout.centre_extended:
            painter.drawLine(c)
        if layout.target is not None:
            target_pen = QPen(TARGET, 1.5, Qt.PenStyle.CustomDashLine)
            target_pen.setDashPattern(_dashes(paper.TARGET_DASH, 1.5))
            painter.setPen(target_pen)
            painter.drawLine(layout.target)

        painter.setPen(QPen(INK, 1.6))
        painter.drawLines(list(layout.value_lines))

        # annotation labels above the lines, so a limit never strikes through them
        painter.setPen(NOTE)
        for box, text in layout.annotation_labels:
            painter.fillRect(box, Qt.GlobalColor.white)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

        for m in layout.markers:
            _paint_marker(painter, m)

        for index, colour in ((self._hovered, NOTE), (self._focused, FOCUS)):
            marker = self.marker_for(index) if index is not None else None
            if marker is None:
                continue
            pen = QPen(colour, 2 if colour is FOCUS else 1.2)
            if colour is FOCUS and not self.hasFocus():
                pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            r = marker.size + 4
            painter.drawRect(QRectF(marker.centre.x() - r, marker.centre.y() - r, 2 * r, 2 * r))

        for y, text, colour in layout.side_labels:
            painter.setPen(colour)
            painter.drawText(QPointF(layout.plot.right() + 6, y + fm.ascent() / 2 - 1), text)
        self._paint_legend(painter, layout)

    def _paint_legend(self, painter: QPainter, layout: _Layout) -> None:
        chart = self._chart
        assert chart is not None and chart.result is not None
        result = chart.result
        fm = QFontMetricsF(self.font())
        y = self.height() - fm.height() / 2 - 4
        x = layout.plot.left()
        items: list[tuple[str, str]] = [("value", "Value")]
        if any(p.signals for p in result.points):
            items.append(("signal", "Special cause"))
        items.append(("centre", centre_line_name(result.kind)))
        if result.kind != "run":
            items.append(("limits", "Control limits"))
        if chart.target is not None:
            items.append(("target", "Target"))
        if any(p.excluded for p in result.points):
            left_out = "the median" if result.kind == "run" else "the limits"
            items.append(("excluded", f"Hollow: left out of {left_out}"))
        for key, label in items:
            mid = QPointF(x + 11, y)
            if key == "value":
                painter.setPen(QPen(INK, 1.6))
                painter.drawLine(QLineF(x, y, x + 22, y))
                _paint_marker(painter, Marker(-1, mid, "circle", False, 3))
            elif key == "signal":
                _paint_marker(painter, Marker(-1, mid, "diamond", False, 5.5))
            elif key == "excluded":
                _paint_marker(painter, Marker(-1, mid, "circle", True, 3.5))
            else:
                colour, dash, width = {
                    "centre": (CENTRE, None, 1.6),
                    "limits": (LIMIT, paper.LIMIT_DASH, 1.3),
                    "target": (TARGET, paper.TARGET_DASH, 1.5),
                }[key]
                pen = QPen(colour, width)
                if dash:
                    pen.setStyle(Qt.PenStyle.CustomDashLine)
                    pen.setDashPattern(_dashes(dash, width))
                painter.setPen(pen)
                painter.drawLine(QLineF(x, y, x + 22, y))
            painter.setPen(INK)
            painter.drawText(QPointF(x + 28, y + fm.ascent() / 2 - 1), label)
            x += 28 + fm.horizontalAdvance(label) + 16

    # ------------------------------------------------------------ layout

    def _ensure_layout(self) -> _Layout:
        if self._layout is None:
            self._layout = self._compute_layout()
        return self._layout

    def _compute_layout(self) -> _Layout:
        fm = QFontMetricsF(self.font())
        width, height = float(self.width()), float(self.height())
        chart = self._chart
        result = chart.result if chart is not None else None
        points = result.points if result is not None else ()
        n = len(points)

        numbers = [p.value for p in points if p.value is not None]
        numbers += [p.centre for p in points]
        numbers += [x for p in points for x in (p.lower, p.upper) if x is not None]
        if chart is not None and chart.target is not None and result is not None:
            numbers.append(chart.target)
        lo, hi = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
        top = fm.height() * 1.15 + 12 if chart is not None else 8
        bottom_space = fm.height() * (2 if result is not None else 1) + 16
        plot_h_guess = max(height - top - bottom_space, 40)
        ticks = paper.nice_ticks(lo, hi, max(3, min(8, int(plot_h_guess / 45))))
        decimals = paper.tick_decimals(ticks[1] - ticks[0] if len(ticks) > 1 else 1.0)
        tick_text = [paper.format_tick(t, decimals) for t in ticks]
        left = max(fm.horizontalAdvance(t) for t in tick_text) + 12
        side: list[tuple[float, str, QColor]] = []
        if result is not None:
            target = chart.target if chart is not None else None
            side = [
                (value, text, QColor(colour))
                for value, text, colour in paper.side_labels(result, target, decimals)
            ]
        right_pad = max((fm.horizontalAdvance(t) for _, t, _ in side), default=0.0)
        right = width - (right_pad + 14 if side else 10)
        plot = QRectF(left, top, max(right - left, 10.0), max(height - top - bottom_space, 10.0))
        step = plot.width() / max(n, 1)
        inset = 7.0

        def px(i: float) -> float:
            return plot.left() + (i + 0.5) * step

        def py(v: float) -> float:
            y_lo, y_hi = ticks[0], ticks[-1]
            if y_hi == y_lo:
                return plot.center().y()
            return plot.bottom() - inset - (v - y_lo) / (y_hi - y_lo) * (plot.height() - 2 * inset)

        y_ticks = tuple((py(t), text) for t, text in zip(ticks, tick_text, strict=True))
        label_w = max((fm.horizontalAdvance(p.period) for p in points), default=0.0)
        every = paper.label_step(int((label_w + 10) / step) + 1) if n else 1
        x_labels = tuple((px(i), points[i].period) for i in paper.thinned_labels(n, every, False))

        small = min(3.2, max(1.6, step * 0.3))
        big = min(6.5, max(3.5, step * 0.7))
        markers = tuple(
            Marker(
                index=i,
                centre=QPointF(px(i), py(p.value)),
                shape="diamond" if p.signals else "circle",
                hollow=p.excluded,
                size=big if p.signals else (small + 1 if p.excluded else small),
            )
            for i, p in enumerate(points)
            if p.value is not None
        )
        # separate segments, not one polyline: Qt strokes a zigzag polyline with joins
        # about twenty times slower, and every joint is under a marker anyway
        value_lines: list[QLineF] = []
        for i in range(n - 1):
            here, after = points[i].value, points[i + 1].value
            if here is not None and after is not None:
                value_lines.append(QLineF(px(i), py(here), px(i + 1), py(after)))
        limit_lines: list[QPolygonF] = []
        if result is not None and result.kind != "run":
            for series in ([p.lower for p in points], [p.upper for p in points]):
                for seg in paper.step_segments(series, px, py, step):
                    limit_lines.append(
                        QPolygonF([QPointF(seg[k], seg[k + 1]) for k in range(0, len(seg), 2)])
                    )
        solid: list[QLineF] = []
        extended: list[QLineF] = []
        baseline_rect: QRectF | None = None
        if n and result is not None:
            cy = py(points[0].centre)
            b = result.baseline
            if b is not None:
                xa = plot.left() + b.first_period_index * step
                xb = plot.left() + (b.last_period_index + 1) * step
                baseline_rect = QRectF(xa, plot.top(), xb - xa, plot.height())
                solid.append(QLineF(xa, cy, xb, cy))
                extended += [
                    QLineF(a, cy, z, cy)
                    for a, z in ((plot.left(), xa), (xb, plot.right()))
                    if z - a > 0.5
                ]
            else:
                solid.append(QLineF(plot.left(), cy, plot.right(), cy))
        target_line: QLineF | None = None
        if chart is not None and chart.target is not None and result is not None:
            ty = py(chart.target)
            target_line = QLineF(plot.left(), ty, plot.right(), ty)

        annotation_lines: list[QLineF] = []
        annotation_labels: list[tuple[QRectF, str]] = []
        if chart is not None and result is not None:
            rows: list[float] = []
            first_row_y = plot.top() + 3 + (fm.height() if baseline_rect is not None else 0)
            for a in chart.annotations:
                if a.period_index is None:
                    continue
                x = px(a.period_index)
                annotation_lines.append(QLineF(x, plot.top(), x, plot.bottom()))
                text = fm.elidedText(a.text, Qt.TextElideMode.ElideRight, max(plot.width() / 2, 60))
                w = fm.horizontalAdvance(text) + 6
                x0 = x + 2 if x + 2 + w <= plot.right() else x - 2 - w
                row = 0
                while row < len(rows) and rows[row] > x0 - 4:
                    row += 1
                if row == len(rows):
                    rows.append(0.0)
                rows[row] = x0 + w
                box = QRectF(x0, first_row_y + row * (fm.height() + 2), w, fm.height())
                if box.bottom() <= plot.center().y():  # labels keep to the top half
                    annotation_labels.append((box, text))

        side_y = paper.spread_positions(
            [-py(v) for v, _, _ in side], fm.height(), -plot.bottom(), -plot.top()
        )
        side_labels = tuple(
            (-y, text, colour) for (_, text, colour), y in zip(side, side_y, strict=True)
        )
        return _Layout(
            plot=plot,
            step=step,
            markers=markers,
            value_lines=tuple(value_lines),
            limit_lines=tuple(limit_lines),
            centre_solid=tuple(solid),
            centre_extended=tuple(extended),
            target=target_line,
            baseline=baseline_rect,
            annotation_lines=tuple(annotation_lines),
            annotation_labels=tuple(annotation_labels),
            y_ticks=y_ticks,
            x_labels=x_labels,
            side_labels=side_labels,
        )

    # ------------------------------------------------------------ helpers

    def _present_indices(self) -> list[int]:
        chart = self._chart
        if chart is None or chart.result is None:
            return []
        return [i for i, p in enumerate(chart.result.points) if p.value is not None]

    def _present(self, index: int | None) -> bool:
        return index is not None and index in self._present_indices()

    def _point_text(self, index: int) -> str:
        return self._chart.point_text(index) if self._chart is not None else ""

    def _describe(self) -> None:
        """What a screen reader says: the focused point, or what the chart shows."""
        chart = self._chart
        if chart is None:
            text = "No measure chosen."
        elif self._focused is not None:
            text = chart.point_text(self._focused)
        else:
            text = " ".join(chart.interpretation) or chart.unavailable
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)
            if QAccessible.isActive():
                QAccessible.updateAccessibility(
                    QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
                )


def _paint_marker(painter: QPainter, m: Marker) -> None:
    x, y, s = m.centre.x(), m.centre.y(), m.size
    if m.shape == "diamond":
        painter.setPen(QPen(SIGNAL if m.hollow else INK, 1.8 if m.hollow else 1.0))
        painter.setBrush(QBrush(Qt.GlobalColor.white if m.hollow else SIGNAL))
        painter.drawPolygon(
            QPolygonF([QPointF(x, y - s), QPointF(x + s, y), QPointF(x, y + s), QPointF(x - s, y)])
        )
    elif m.hollow:
        painter.setPen(QPen(INK, 1.3))
        painter.setBrush(QBrush(Qt.GlobalColor.white))
        painter.drawEllipse(m.centre, s, s)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(INK))
        painter.drawEllipse(m.centre, s, s)


def _dashes(pattern: Sequence[float], pen_width: float) -> list[float]:
    """A paper dash pattern (points) as Qt wants it (multiples of the pen's width)."""
    return [max(v * _PT / pen_width, 0.5) for v in pattern]
