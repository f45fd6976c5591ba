"""Draw a computed chart as a ReportLab Drawing, and write it to a PDF or PNG file.

The same Drawing goes into the printed briefing (small, ``compact=True``) and into
full-page charts. Charts are often photocopied, so everything that matters is told
by shape and line style as well as colour: special-cause points are diamonds, limits
are dashed, a target is dash-dot, excluded points are hollow.

PNG files are made without a display or a C renderer: ReportLab's own bitmap
renderer needs rlPyCairo (pycairo has no Linux wheel and needs the cairo headers to
build), so ``write_chart_file`` paints the Drawing's shapes with Pillow, which
ReportLab already depends on, using the same font files the PDF embeds.

Text is set in the project's fonts (DejaVu Sans, registered once by
``reports.fonts``); a label with Chinese, Japanese or Korean characters is set in
the CJK font ``reports.fonts`` found on the computer, when there is one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Polygon,
    PolyLine,
    Rect,
    Shape,
    String,
)
from reportlab.lib.colors import Color, HexColor, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from cuspdesk.errors import ValidationError
from cuspdesk.reports import chart_layout as layout
from cuspdesk.reports import fonts
from cuspdesk.reports.chart_layout import (
    Mapper,
    format_tick,
    label_step,
    nice_ticks,
    side_labels,
    spread_positions,
    step_segments,
    thinned_labels,
    tick_decimals,
)
from cuspdesk.services.chart import ChartResult, centre_line_name

FONT = fonts.SANS
FONT_BOLD = fonts.SANS_BOLD

INK = HexColor(layout.INK)
CENTRE_COLOUR = HexColor(layout.CENTRE_COLOUR)
LIMIT_COLOUR = HexColor(layout.LIMIT_COLOUR)
SIGNAL_COLOUR = HexColor(layout.SIGNAL_COLOUR)
TARGET_COLOUR = HexColor(layout.TARGET_COLOUR)
GRID_COLOUR = HexColor(layout.GRID_COLOUR)
BASELINE_SHADE = HexColor(layout.BASELINE_SHADE)
ANNOTATION_COLOUR = HexColor(layout.ANNOTATION_COLOUR)

LIMIT_DASH = layout.LIMIT_DASH
EXTENDED_DASH = layout.EXTENDED_DASH
TARGET_DASH = layout.TARGET_DASH
ANNOTATION_DASH = layout.ANNOTATION_DASH

DEFAULT_FILE_SIZE = (720.0, 360.0)
Anchor = Literal["start", "middle", "end"]
PNG_DPI = 150
_SUPERSAMPLE = 3


def _ensure_fonts() -> None:
    """The project's fonts, registered in the one place that registers them."""
    fonts.register_fonts()


def chart_drawing(
    result: ChartResult,
    width: float,
    height: float,
    *,
    title: str | None = None,
    target: float | None = None,
    annotations: Sequence[tuple[str, str]] = (),
    compact: bool = False,
) -> Drawing:
    """A Drawing of ``result`` sized ``width`` × ``height`` points.

    ``annotations`` are (period, short text) pairs drawn as labelled vertical marks
    at that period (or the last period before it). ``compact`` drops the legend and
    side labels and uses smaller type, for small charts on the briefing.
    """
    _ensure_fonts()
    d = Drawing(width, height)
    # start the renderer's font state on our font, so no unembedded Helvetica
    # is referenced in the PDF when the Drawing is placed on a page
    d.initialFontName = FONT  # type: ignore[attr-defined]  # missing from types-reportlab
    fs = 6.0 if compact else 7.5
    title_fs = 8.0 if compact else 11.0
    points = result.points
    n = len(points)

    values = [p.value for p in points]
    numbers = [v for v in values if v is not None]
    numbers += [p.centre for p in points]
    numbers += [x for p in points for x in (p.lower, p.upper) if x is not None]
    if target is not None:
        numbers.append(target)
    lo, hi = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    ticks = nice_ticks(lo, hi, 4 if compact else 6)
    y_lo, y_hi = ticks[0], ticks[-1]
    decimals = tick_decimals(ticks[1] - ticks[0] if len(ticks) > 1 else 1.0)
    tick_labels = [format_tick(t, decimals) for t in ticks]

    top = height - (title_fs + 8 if title else 6)
    legend_h = 0.0 if compact else fs + 8
    bottom = legend_h + fs + 8
    left = max(pdfmetrics.stringWidth(s, FONT, fs) for s in tick_labels) + 8
    labels_at_right = [] if compact else side_labels(result, target, decimals)
    right_pad = max(
        (pdfmetrics.stringWidth(s, FONT, fs - 0.5) for _, s, _ in labels_at_right), default=0
    )
    right = width - (right_pad + 10 if labels_at_right else 6)
    plot_w = max(right - left, 1.0)
    plot_h = max(top - bottom, 1.0)
    step_w = plot_w / max(n, 1)

    def px(i: float) -> float:
        return left + (i + 0.5) * step_w

    inset = 3.0 if compact else 5.0  # keeps markers on the axis ends inside the frame

    def py(v: float) -> float:
        if y_hi == y_lo:
            return bottom + plot_h / 2
        return bottom + inset + (v - y_lo) / (y_hi - y_lo) * (plot_h - 2 * inset)

    # background: baseline shading, grid, frame
    if result.baseline is not None and n:
        b = result.baseline
        x_a = left + b.first_period_index * step_w
        x_b = left + (b.last_period_index + 1) * step_w
        d.add(_rect(x_a, bottom, x_b - x_a, plot_h, fill=BASELINE_SHADE, stroke=None))
        d.add(_text(x_a + 2, top - fs - 1, "Baseline", fs - 1, ANNOTATION_COLOUR))
    for t, label in zip(ticks, tick_labels, strict=True):
        y = py(t)
        d.add(Line(left, y, right, y, strokeColor=GRID_COLOUR, strokeWidth=0.4))
        d.add(_text(left - 4, y - fs / 3, label, fs, INK, anchor="end"))
    d.add(_rect(left, bottom, plot_w, plot_h, fill=None, stroke=LIMIT_COLOUR))

    if title:
        d.add(_text(left, height - title_fs - 2, title, title_fs, INK, bold=True))

    # x axis: a tick per period, labels thinned to fit
    label_w = max((pdfmetrics.stringWidth(p.period, FONT, fs) for p in points), default=0.0)
    every = label_step(math.ceil((label_w + 6) / step_w)) if n else 1
    shown = thinned_labels(n, every, compact)
    for i in range(n):
        x = px(i)
        d.add(Line(x, bottom, x, bottom - 2, strokeColor=LIMIT_COLOUR, strokeWidth=0.4))
    for i in shown:
        d.add(_text(px(i), bottom - fs - 3, points[i].period, fs, INK, anchor="middle"))

    if not numbers or not [v for v in values if v is not None]:
        d.add(_text(left + plot_w / 2, bottom + plot_h / 2, "No data", fs + 2, INK, "middle"))

    # annotation marks behind the data; their labels go on top of the lines, so a
    # limit never strikes through a label
    labels = _draw_annotations(d, result, annotations, px, bottom, top, fs, left, right)

    # limits, stepped where they change with the denominator
    if result.kind != "run":
        for series in ([p.lower for p in points], [p.upper for p in points]):
            for seg in step_segments(series, px, py, step_w):
                d.add(
                    PolyLine(
                        seg, strokeColor=LIMIT_COLOUR, strokeWidth=0.9, strokeDashArray=LIMIT_DASH
                    )
                )

    # centre line: solid over the baseline, finer dashes where it is extended
    if n:
        c_y = py(points[0].centre)
        if result.baseline is not None:
            b = result.baseline
            x_a = left + b.first_period_index * step_w
            x_b = left + (b.last_period_index + 1) * step_w
            d.add(Line(x_a, c_y, x_b, c_y, strokeColor=CENTRE_COLOUR, strokeWidth=1.1))
            for xa, xb in ((left, x_a), (x_b, left + n * step_w)):
                if xb - xa > 0.5:
                    d.add(
                        Line(
                            xa,
                            c_y,
                            xb,
                            c_y,
                            strokeColor=CENTRE_COLOUR,
                            strokeWidth=1.1,
                            strokeDashArray=EXTENDED_DASH,
                        )
                    )
        else:
            d.add(
                Line(left, c_y, left + n * step_w, c_y, strokeColor=CENTRE_COLOUR, strokeWidth=1.1)
            )

    if target is not None:
        t_y = py(target)
        d.add(
            Line(
                left,
                t_y,
                right,
                t_y,
                strokeColor=TARGET_COLOUR,
                strokeWidth=1.0,
                strokeDashArray=TARGET_DASH,
            )
        )

    # the data line, broken where a period has no value
    run: list[float] = []
    for i, v in enumerate(values + [None]):
        if v is None:
            if len(run) >= 4:
                d.add(PolyLine(run, strokeColor=INK, strokeWidth=0.9 if compact else 1.1))
            run = []
        else:
            run += [px(i), py(v)]

    for shape in labels:
        d.add(shape)

    # markers last, on top
    r = min(1.5 if compact else 2.1, max(1.0, step_w * 0.3))
    big = min(3.4 if compact else 4.6, max(2.4, step_w * 0.65))
    for i, p in enumerate(points):
        if p.value is None:
            continue
        x, y = px(i), py(p.value)
        if p.signals:
            fill = white if p.excluded else SIGNAL_COLOUR
            stroke = SIGNAL_COLOUR if p.excluded else INK
            d.add(
                Polygon(
                    [x, y + big, x + big, y, x, y - big, x - big, y],
                    fillColor=fill,
                    strokeColor=stroke,
                    strokeWidth=1.2 if p.excluded else 0.7,
                )
            )
        elif p.excluded:
            d.add(Circle(x, y, r + 0.6, fillColor=white, strokeColor=INK, strokeWidth=0.9))
        else:
            d.add(Circle(x, y, r, fillColor=INK, strokeColor=None))

    placed = spread_positions([py(y_val) for y_val, _, _ in labels_at_right], fs + 0.5, bottom, top)
    for (_, text, colour), y in zip(labels_at_right, placed, strict=True):
        d.add(_text(right + 4, y - (fs - 0.5) / 3, text, fs - 0.5, HexColor(colour)))

    if not compact:
        _draw_legend(d, result, target, left, 4, fs)
    return d


def _draw_annotations(
    d: Drawing,
    result: ChartResult,
    annotations: Sequence[tuple[str, str]],
    px: Mapper,
    bottom: float,
    top: float,
    fs: float,
    left: float,
    right: float,
) -> list[Shape]:
    """Add the vertical marks; return the labels for the caller to add above the lines."""
    periods = [p.period for p in result.points]
    labels: list[Shape] = []
    placed_until: list[float] = []  # right edge of the last label on each text row
    for period, text in annotations:
        idx = _index_for(periods, period)
        if idx is None:
            continue
        x = px(idx)
        d.add(
            Line(
                x,
                bottom,
                x,
                top,
                strokeColor=ANNOTATION_COLOUR,
                strokeWidth=0.7,
                strokeDashArray=ANNOTATION_DASH,
            )
        )
        # beside the mark on whichever side has room, shortened to fit inside the plot
        room_right, room_left = right - (x + 2), (x - 2) - left
        label = text if len(text) <= 40 else text[:39] + "…"
        w = pdfmetrics.stringWidth(label, FONT, fs - 0.5)
        anchor: Anchor = "start" if w <= room_right or room_right >= room_left else "end"
        room = room_right if anchor == "start" else room_left
        while w > room and len(label) > 2:
            label = label[:-2].rstrip() + "…"
            w = pdfmetrics.stringWidth(label, FONT, fs - 0.5)
        x0 = x + 2 if anchor == "start" else x - 2
        left_edge = x0 if anchor == "start" else x0 - w
        row = 0
        while row < len(placed_until) and placed_until[row] > left_edge - 3:
            row += 1
        if row == len(placed_until):
            placed_until.append(0.0)
        placed_until[row] = left_edge + w
        y = top - (row + 1) * (fs + 1.5) - (fs + 1 if result.baseline is not None else 0)
        if y < (top + bottom) / 2:  # labels keep to the top half; the mark is still drawn
            continue
        labels.append(_rect(left_edge - 1, y - 1.5, w + 2, fs + 1, fill=white, stroke=None))
        labels.append(_text(x0, y, label, fs - 0.5, ANNOTATION_COLOUR, anchor=anchor))
    return labels


def _index_for(periods: Sequence[str], period: str) -> int | None:
    """Where to mark an annotation dated ``period``.

    The period itself; else the month that contains the date (a day on a monthly
    chart); else the last period before it. Dates outside the chart are not drawn.
    ISO dates and months sort as text in time order, which is what makes this work.
    """
    if period in periods:
        return periods.index(period)
    for i, p in enumerate(periods):
        if period.startswith(p + "-"):
            return i
    if not periods or period < periods[0] or period > periods[-1]:
        return None
    return max(i for i, p in enumerate(periods) if p <= period)


def _draw_legend(
    d: Drawing, result: ChartResult, target: float | None, x: float, y: float, fs: float
) -> None:
    mid = y + fs / 3

    def swatch_line(x0: float, colour: Color, dash: list[float] | None, width: float) -> None:
        line = Line(x0, mid, x0 + 16, mid, strokeColor=colour, strokeWidth=width)
        if dash:
            line.strokeDashArray = dash
        d.add(line)

    items: list[tuple[str, str]] = [("value", "Value")]
    if any(p.signals for p in result.points):
        items.append(("signal", "Special cause"))
    items.append(("centre", centre_line_name(result.kind)))
    if result.kind != "run":
        items.append(("limits", "Control limits"))
    if target is not None:
        items.append(("target", "Target"))
    if any(p.excluded for p in result.points):
        left_out = "the median" if result.kind == "run" else "the limits"
        items.append(("excluded", f"Hollow: left out of {left_out}"))
    for key, label in items:
        if key == "value":
            swatch_line(x, INK, None, 1.1)
            d.add(Circle(x + 8, mid, 2.1, fillColor=INK, strokeColor=None))
        elif key == "signal":
            s = 4.2
            d.add(
                Polygon(
                    [x + 8, mid + s, x + 8 + s, mid, x + 8, mid - s, x + 8 - s, mid],
                    fillColor=SIGNAL_COLOUR,
                    strokeColor=INK,
                    strokeWidth=0.7,
                )
            )
        elif key == "centre":
            swatch_line(x, CENTRE_COLOUR, None, 1.1)
        elif key == "limits":
            swatch_line(x, LIMIT_COLOUR, LIMIT_DASH, 0.9)
        elif key == "target":
            swatch_line(x, TARGET_COLOUR, TARGET_DASH, 1.0)
        else:
            d.add(Circle(x + 8, mid, 2.7, fillColor=white, strokeColor=INK, strokeWidth=0.9))
        d.add(_text(x + 20, y, label, fs, INK))
        x += 20 + pdfmetrics.stringWidth(label, FONT, fs) + 12


def _rect(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    fill: Color | None,
    stroke: Color | None,
    stroke_width: float = 0.5,
) -> Rect:
    r = Rect(x, y, w, h)
    r.fillColor = fill
    r.strokeColor = stroke
    r.strokeWidth = stroke_width
    return r


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    colour: Color,
    anchor: Anchor = "start",
    *,
    bold: bool = False,
) -> String:
    return String(
        x,
        y,
        text,
        fontName=_font_name(text, bold),
        fontSize=size,
        fillColor=colour,
        textAnchor=anchor,
    )


def _font_name(text: str, bold: bool) -> str:
    """DejaVu for the text, or the CJK fallback when DejaVu lacks some of its characters."""
    covered = fonts.main_coverage()
    if all(ord(c) in covered for c in text):
        return FONT_BOLD if bold else FONT
    if any(fonts.font_for(c) == fonts.CJK_FALLBACK for c in text):
        return fonts.CJK_FALLBACK
    return FONT_BOLD if bold else FONT


# ---------------------------------------------------------------- files


def write_chart_file(
    result: ChartResult,
    path: str | Path,
    *,
    title: str | None = None,
    target: float | None = None,
    annotations: Sequence[tuple[str, str]] = (),
    size: tuple[float, float] = DEFAULT_FILE_SIZE,
) -> Path:
    """Write the chart to ``path``: a one-page PDF (``.pdf``) or a picture (``.png``)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".pdf", ".png"):
        raise ValidationError(f"Charts can be saved as .pdf or .png, not '{p.suffix or p.name}'.")
    drawing = chart_drawing(
        result, size[0], size[1], title=title, target=target, annotations=annotations
    )
    try:
        if suffix == ".pdf":
            canvas = Canvas(
                str(p),
                pagesize=(drawing.width, drawing.height),
                initialFontName=FONT,  # type: ignore[arg-type]  # types-reportlab says float
            )
            canvas.setTitle(title or "Chart")
            canvas.setCreator("CUSPDesk")
            renderPDF.draw(drawing, canvas, 0, 0)
            canvas.showPage()
            canvas.save()
        else:
            render_png(drawing, p)
    except OSError as exc:
        raise ValidationError(f"The chart could not be written to {p} ({exc.strerror}).") from None
    return p


def render_png(drawing: Drawing, path: str | Path, dpi: int = PNG_DPI) -> None:
    """Paint the Drawing's lines, shapes and text with Pillow and save a PNG.

    Painted at three times the size and box-averaged down, which smooths the lines
    without needing an anti-aliasing renderer.
    """
    _ensure_fonts()
    scale = dpi / 72.0 * _SUPERSAMPLE
    w_px = max(1, round(drawing.width * dpi / 72.0))
    h_px = max(1, round(drawing.height * dpi / 72.0))
    img = Image.new("RGB", (w_px * _SUPERSAMPLE, h_px * _SUPERSAMPLE), "white")
    painter = _Painter(img, scale, drawing.height)
    for shape, matrix in _walk(drawing, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)):
        painter.paint(shape, matrix)
    img = img.reduce(_SUPERSAMPLE)  # box average of each 3 × 3 block
    img.save(str(path), "PNG", dpi=(dpi, dpi), compress_level=3)


_Matrix = tuple[float, float, float, float, float, float]


def _mul(m: _Matrix, n: Sequence[float]) -> _Matrix:
    a, b, c, d_, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d_ * b2,
        a * c2 + c * d2,
        b * c2 + d_ * d2,
        a * e2 + c * f2 + e,
        b * e2 + d_ * f2 + f,
    )


def _walk(group: Group, matrix: _Matrix) -> Iterator[tuple[Shape, _Matrix]]:
    here = _mul(matrix, group.transform) if getattr(group, "transform", None) else matrix
    for shape in group.contents:
        if isinstance(shape, Group):
            yield from _walk(shape, here)
        else:
            yield shape, here


class _Painter:
    """Pillow painter for the handful of ReportLab shapes chart_drawing uses."""

    def __init__(self, img: Image.Image, scale: float, page_height: float) -> None:
        self.img = img
        self.draw = ImageDraw.Draw(img)
        self.scale = scale
        self.page_height = page_height
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def xy(self, m: _Matrix, x: float, y: float) -> tuple[float, float]:
        a, b, c, d_, e, f = m
        ux, uy = a * x + c * y + e, b * x + d_ * y + f
        return ux * self.scale, (self.page_height - uy) * self.scale

    def paint(self, shape: Shape, m: _Matrix) -> None:
        unit = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        if isinstance(shape, String):
            self._string(shape, m, unit)
        elif isinstance(shape, Line):
            pts = [self.xy(m, shape.x1, shape.y1), self.xy(m, shape.x2, shape.y2)]
            self._stroke(pts, shape, unit)
        elif isinstance(shape, Polygon):
            pts = _pairs(shape.points)
            poly = [self.xy(m, x, y) for x, y in pts]
            fill = _rgb(shape.fillColor)
            if fill is not None and len(poly) >= 3:
                self.draw.polygon(poly, fill=fill)
            if poly:
                self._stroke(poly + [poly[0]], shape, unit)
        elif isinstance(shape, PolyLine):
            pts = [self.xy(m, x, y) for x, y in _pairs(shape.points)]
            self._stroke(pts, shape, unit)
        elif isinstance(shape, Rect):
            x, y, w, h = shape.x, shape.y, shape.width, shape.height
            corners = [
                self.xy(m, x, y),
                self.xy(m, x + w, y),
                self.xy(m, x + w, y + h),
                self.xy(m, x, y + h),
            ]
            fill = _rgb(shape.fillColor)
            if fill is not None:
                self.draw.polygon(corners, fill=fill)
            self._stroke(corners + [corners[0]], shape, unit)
        elif isinstance(shape, Circle):
            cx, cy = self.xy(m, shape.cx, shape.cy)
            r = shape.r * self.scale * unit
            fill = _rgb(shape.fillColor)
            stroke = _rgb(shape.strokeColor)
            width = max(1, round((shape.strokeWidth or 1) * self.scale * unit))
            self.draw.ellipse(
                [cx - r, cy - r, cx + r, cy + r],
                fill=fill,
                outline=stroke,
                width=width if stroke is not None else 0,
            )

    def _stroke(self, pts: list[tuple[float, float]], shape: Shape, unit: float) -> None:
        colour = _rgb(getattr(shape, "strokeColor", None))
        if colour is None or len(pts) < 2:
            return
        width = max(1, round((getattr(shape, "strokeWidth", 1) or 1) * self.scale * unit))
        dash = getattr(shape, "strokeDashArray", None)
        if dash:
            pattern = [max(0.1, float(v)) * self.scale * unit for v in dash]
            for seg in _dashed(pts, pattern):
                self.draw.line(seg, fill=colour, width=width)
        else:
            self.draw.line(pts, fill=colour, width=width, joint="curve")

    def _string(self, s: String, m: _Matrix, unit: float) -> None:
        colour = _rgb(s.fillColor)
        if colour is None or not s.text:
            return
        size = max(1, round(s.fontSize * self.scale * unit))
        font = self._font(s.fontName, size)
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(s.textAnchor, "ls")
        self.draw.text(self.xy(m, s.x, s.y), s.text, fill=colour, font=font, anchor=anchor)

    def _font(self, name: str, size: int) -> ImageFont.FreeTypeFont:
        key = (name, size)
        if key not in self._fonts:
            # the very file the PDF embeds for this font name
            font = pdfmetrics.getFont(name)
            if not isinstance(font, TTFont):
                font = pdfmetrics.getFont(FONT)
            assert isinstance(font, TTFont)
            self._fonts[key] = ImageFont.truetype(font.face.filename, size)
        return self._fonts[key]


def _pairs(flat: Sequence[float]) -> list[tuple[float, float]]:
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]


def _rgb(colour: object) -> tuple[int, int, int] | None:
    if colour is None or not isinstance(colour, Color):
        return None
    if getattr(colour, "alpha", 1) == 0:
        return None
    return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255))


def _dashed(
    pts: Sequence[tuple[float, float]], pattern: Sequence[float]
) -> Iterator[list[tuple[float, float]]]:
    """Split a polyline into the 'on' pieces of a dash pattern, carried across corners."""
    k = 0
    left = pattern[0]
    on = True
    current: list[tuple[float, float]] = [pts[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while seg - pos > left:
            pos += left
            t = pos / seg
            p = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if on:
                current.append(p)
                yield current
            current = [p]
            on = not on
            k = (k + 1) % len(pattern)
            left = pattern[k]
        left -= seg - pos
        if on:
            current.append((x1, y1))
        else:
            current = [(x1, y1)]
    if on and len(current) >= 2:
        yield current
