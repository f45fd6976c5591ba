"""Chart geometry and palette shared by the screen and the paper: no drawing library here.

The Qt chart widget and the ReportLab drawing both place ticks, labels and limit steps
with these functions and paint with these colours, so a chart on screen and the same
chart in a PDF always agree. Colours are "#rrggbb" strings each side converts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from cuspdesk.services.chart import ChartResult, centre_line_name

INK = "#222222"
CENTRE_COLOUR = "#1F4E79"
LIMIT_COLOUR = "#555555"
SIGNAL_COLOUR = "#C0392B"
TARGET_COLOUR = "#2E7D32"
GRID_COLOUR = "#E3E3E3"
BASELINE_SHADE = "#F1F1F1"
ANNOTATION_COLOUR = "#6B6B6B"

LIMIT_DASH = [4, 2.5]
EXTENDED_DASH = [1.5, 1.5]
TARGET_DASH = [6, 2, 1.5, 2]
ANNOTATION_DASH = [1, 2]

Mapper = Callable[[float], float]


def side_labels(
    result: ChartResult, target: float | None, decimals: int
) -> list[tuple[float, str, str]]:
    """Labels at the right end of the centre, limits and target lines, with their colours."""
    if not result.points:
        return []
    last = result.points[-1]
    name = centre_line_name(result.kind)
    out: list[tuple[float, str, str]] = [
        (last.centre, f"{name} {format_tick(last.centre, decimals + 2)}", CENTRE_COLOUR)
    ]
    if result.kind != "run":
        if last.upper is not None:
            out.append((last.upper, f"UCL {format_tick(last.upper, decimals + 2)}", LIMIT_COLOUR))
        if last.lower is not None:
            out.append((last.lower, f"LCL {format_tick(last.lower, decimals + 2)}", LIMIT_COLOUR))
    if target is not None:
        out.append((target, f"Target {format_tick(target, decimals + 2)}", TARGET_COLOUR))
    return out


def step_segments(
    series: Sequence[float | None], px: Mapper, py: Mapper, step_w: float
) -> list[list[float]]:
    """Polylines for a limit that may change at every period: flat across each period."""
    segs: list[list[float]] = []
    cur: list[float] = []
    for i, v in enumerate(series):
        if v is None:
            if cur:
                segs.append(cur)
            cur = []
            continue
        x, y = px(i), py(v)
        cur += [x - step_w / 2, y, x + step_w / 2, y]
    if cur:
        segs.append(cur)
    return segs


def label_step(needed: int) -> int:
    """A label every 1, 2, 3, 4, 6, 12, ... periods: whole quarters and years on monthly data."""
    for step in (1, 2, 3, 4, 6, 12, 24, 36, 60, 120):
        if step >= needed:
            return step
    return needed


def spread_positions(ys: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart by at least ``gap``, keeping their order by height."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = list(ys)
    prev = low - gap
    for i in order:
        out[i] = max(out[i], prev + gap)
        prev = out[i]
    over = prev - high
    if over > 0:
        for i in order:
            out[i] -= over
    return out


def thinned_labels(n: int, every: int, compact: bool) -> list[int]:
    """Which period labels to print so they do not overlap."""
    if n == 0:
        return []
    if compact and n > 2:
        return [0, n - 1] if every < n - 1 else [0]
    shown = list(range(0, n, every))
    if shown[-1] != n - 1 and (n - 1 - shown[-1]) >= every:
        shown.append(n - 1)
    return shown


def nice_ticks(lo: float, hi: float, max_ticks: int) -> list[float]:
    """Round-numbered ticks (steps of 1, 2, 2.5 or 5 × 10^k) covering [lo, hi]."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    span = hi - lo
    raw = span / max(max_ticks - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step + 1e-9) * step
    ticks: list[float] = []
    t = start
    while t < hi + step * 1e-9 or len(ticks) < 2:
        ticks.append(round(t, 12))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 12))
    return ticks


def tick_decimals(step: float) -> int:
    if step <= 0:
        return 2
    return max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if _is_quarter(step) else 0)


def _is_quarter(step: float) -> bool:
    mag = 10 ** math.floor(math.log10(step))
    return bool(abs(step / mag - 2.5) < 1e-9)


def format_tick(x: float, decimals: int) -> str:
    return f"{x:,.{max(decimals, 0)}f}"
