"""The one entry point for charts: periods in, centre line, limits and signals out.

The command line, the Measures screen and the printed briefing all call
``compute_chart`` so that a chart never says one thing on screen and another on paper.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cuspdesk.chart_kinds import CHART_KINDS, KIND_NAMES
from cuspdesk.errors import Problem, ValidationError
from cuspdesk.services import run_chart, spc

SPC_KINDS: tuple[str, ...] = ("p", "u", "c", "i", "g", "t")
RULES_FOR_KIND: dict[str, tuple[str, ...]] = {
    "run": run_chart.RUN_RULES,
    **{k: spc.SPC_RULES for k in SPC_KINDS},
}
DEFAULT_RULES: dict[str, str] = {"run": "ihi", **{k: "we" for k in SPC_KINDS}}


def centre_line_name(kind: str) -> str:
    """What the centre line is called: a t-chart's is a back-transformed mean, not a mean."""
    return {"run": "Median", "t": "Centre"}.get(kind, "Mean")


# The order signals are listed in, everywhere they are listed.
SIGNAL_ORDER: tuple[str, ...] = (
    "outside_limits",
    "astronomical",
    "shift",
    "trend",
    "two_of_three",
    "four_of_five",
    "eight_side",
    "fifteen_inner",
    "runs",
    "crossings",
)
SIGNAL_DESCRIPTIONS: dict[str, str] = {
    "outside_limits": "a point outside the control limits",
    "astronomical": "an astronomical point (far from the others)",
    "shift": "a shift (a long run of points on one side of the centre line)",
    "trend": "a trend (points going steadily up or down)",
    "two_of_three": "two of three points near or beyond a 2-sigma line on one side",
    "four_of_five": "four of five points beyond a 1-sigma line on one side",
    "eight_side": "eight points in a row on one side of the centre line",
    "fifteen_inner": "fifteen points in a row hugging the centre line",
    "runs": "too few or too many runs around the median",
    "crossings": "too few crossings of the median",
}


@dataclass(frozen=True)
class ChartInput:
    """One period of a measure as stored or typed: a value, or numerator and denominator."""

    period: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    excluded: bool = False
    exclude_reason: str | None = None


@dataclass(frozen=True)
class Baseline:
    """Periods (0-based, inclusive) whose centre line and limits are frozen and extended."""

    first_period_index: int
    last_period_index: int
    reason: str


@dataclass(frozen=True)
class ChartPoint:
    """One drawn point with its centre line, limits (None on run charts) and signals."""

    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    centre: float
    lower: float | None
    upper: float | None
    signals: tuple[str, ...]
    excluded: bool


@dataclass(frozen=True)
class ChartResult:
    """A computed chart. ``moving_ranges``/``mr_upper`` are filled for I-charts only."""

    kind: str
    rules: str
    signals: tuple[str, ...]
    points: tuple[ChartPoint, ...]
    notes: tuple[str, ...]
    moving_ranges: tuple[float | None, ...] = ()
    mr_upper: float | None = None
    baseline: Baseline | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The stable JSON shape the CLI prints and scripts rely on."""
        return {
            "kind": self.kind,
            "rules": self.rules,
            "signals": list(self.signals),
            "points": [
                {
                    "period": p.period,
                    "value": p.value,
                    "centre": p.centre,
                    "lower": p.lower,
                    "upper": p.upper,
                    "signals": list(p.signals),
                }
                for p in self.points
            ],
        }


def compute_chart(
    points: Sequence[ChartInput],
    kind: str,
    rules: str | None = None,
    *,
    baseline: Baseline | None = None,
    multiplier: float = 1.0,
) -> ChartResult:
    """Work out the chart of ``kind`` over ``points`` (in time order) with ``rules``.

    The centre line and limits come from the baseline periods (all periods when no
    baseline is given), leaving out excluded periods; every period, excluded or
    later, is then tested against them. ``multiplier`` scales values computed from
    numerator/denominator (run, p and u charts), e.g. 1000 for a rate per 1,000
    patient-days.
    """
    if kind not in CHART_KINDS:
        raise ValidationError(
            f"Unknown chart kind '{kind}': use one of {', '.join(CHART_KINDS)}.", "kind"
        )
    chosen = rules if rules is not None else DEFAULT_RULES[kind]
    if chosen not in RULES_FOR_KIND[kind]:
        allowed = " or ".join(RULES_FOR_KIND[kind])
        what = "a run chart" if kind == "run" else "a control chart"
        raise ValidationError(
            f"The rules '{chosen}' do not apply to {what}; use {allowed}.", "rules"
        )
    if (
        isinstance(multiplier, bool)
        or not isinstance(multiplier, (int, float))
        or not math.isfinite(multiplier)
        or multiplier <= 0
    ):
        raise ValidationError("The multiplier must be a number above 0.", "multiplier")
    if not points:
        raise ValidationError("There is no data to chart.")
    n = len(points)
    if baseline is not None:
        _check_baseline(baseline, n)

    labels = [p.period for p in points]
    problems: list[Problem] = []
    for p in points:
        for field in ("value", "numerator", "denominator"):
            x = getattr(p, field)
            if x is not None and (
                isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x)
            ):
                problems.append(Problem(field, f"{p.period}: the {field} is not a number."))
    if problems:
        raise ValidationError(problems)

    in_range = [
        baseline is None or baseline.first_period_index <= i <= baseline.last_period_index
        for i in range(n)
    ]
    mask = [r and not p.excluded for r, p in zip(in_range, points, strict=True)]
    notes: list[str] = []
    if baseline is not None:
        notes.append(
            f"Centre line{'' if kind == 'run' else ' and limits'} frozen on "
            f"{points[baseline.first_period_index].period} to "
            f"{points[baseline.last_period_index].period}: {baseline.reason}"
        )
    for p in points:
        if p.excluded:
            why = f": {p.exclude_reason}" if p.exclude_reason else ""
            what = "centre line" if kind == "run" else "centre line and limits"
            notes.append(f"{p.period} left out of the {what}{why}")

    moving: tuple[float | None, ...] = ()
    mr_upper: float | None = None
    if kind == "run":
        values = _run_values(points, multiplier)
        analysis = run_chart.analyse_run_chart(
            values,
            in_baseline=mask,
            rules="anhoej" if chosen == "anhoej" else "ihi",
        )
        centre: tuple[float, ...] = (analysis.centre,) * n
        lower: tuple[float | None, ...] = (None,) * n
        upper: tuple[float | None, ...] = (None,) * n
        point_signals = analysis.point_signals
        chart_level = analysis.chart_signals
        notes.extend(analysis.notes)
        shown = values
    else:
        spc_rules: spc.SpcRules = "mdc" if chosen == "mdc" else "we"
        res = _spc(kind, points, mask, spc_rules, multiplier, labels)
        centre, lower, upper = res.centre, res.lower, res.upper
        point_signals = res.signals
        chart_level = ()
        notes.extend(res.notes)
        moving, mr_upper = res.moving_ranges, res.mr_upper
        shown = list(res.values)
        if multiplier != 1.0 and kind not in ("p", "u"):
            notes.append(f"The multiplier is not used by a {KIND_NAMES[kind]}.")

    chart_points = tuple(
        ChartPoint(
            period=p.period,
            value=shown[i],
            numerator=p.numerator,
            denominator=p.denominator,
            centre=centre[i],
            lower=lower[i],
            upper=upper[i],
            signals=tuple(point_signals[i]),
            excluded=p.excluded,
        )
        for i, p in enumerate(points)
    )
    fired = {s for p in chart_points for s in p.signals} | set(chart_level)
    return ChartResult(
        kind=kind,
        rules=chosen,
        signals=tuple(s for s in SIGNAL_ORDER if s in fired),
        points=chart_points,
        notes=tuple(notes),
        moving_ranges=moving,
        mr_upper=mr_upper,
        baseline=baseline,
    )


def _check_baseline(baseline: Baseline, n: int) -> None:
    first, last = baseline.first_period_index, baseline.last_period_index
    if not (0 <= first <= last < n):
        raise ValidationError(
            f"The baseline must run from period 1 to at most period {n}, "
            f"first before last (got {first + 1} to {last + 1}).",
            "baseline",
        )
    if not baseline.reason.strip():
        raise ValidationError("Say why the baseline is frozen (the reason is empty).", "baseline")


def _run_values(points: Sequence[ChartInput], multiplier: float) -> list[float | None]:
    """Values for a run chart: num/den × multiplier where both are given, else the value."""
    out: list[float | None] = []
    problems: list[Problem] = []
    for p in points:
        if p.numerator is not None and p.denominator is not None:
            if p.denominator <= 0:
                problems.append(
                    Problem("denominator", f"{p.period}: the denominator must be above 0.")
                )
                out.append(None)
            else:
                out.append(p.numerator / p.denominator * multiplier)
        elif p.value is not None:
            out.append(float(p.value))
        elif p.numerator is not None or p.denominator is not None:
            problems.append(
                Problem("numerator", f"{p.period}: give both numerator and denominator.")
            )
            out.append(None)
        else:
            out.append(None)
    if problems:
        raise ValidationError(problems)
    return out


def _direct_values(points: Sequence[ChartInput]) -> list[float | None]:
    """Value as given; a count stored as a numerator with no denominator is used too."""
    return [
        float(p.value)
        if p.value is not None
        else (float(p.numerator) if p.numerator is not None and p.denominator is None else None)
        for p in points
    ]


def _spc(
    kind: str,
    points: Sequence[ChartInput],
    mask: Sequence[bool],
    rules: spc.SpcRules,
    multiplier: float,
    labels: Sequence[str],
) -> spc.SpcResult:
    if kind in ("p", "u"):
        nums = [p.numerator for p in points]
        dens = [p.denominator for p in points]
        chart = spc.p_chart if kind == "p" else spc.u_chart
        return chart(
            nums, dens, in_baseline=mask, rules=rules, multiplier=multiplier, labels=labels
        )
    values = _direct_values(points)
    if kind == "c":
        return spc.c_chart(values, in_baseline=mask, rules=rules, labels=labels)
    if kind == "i":
        return spc.i_chart(values, in_baseline=mask, rules=rules)
    if kind == "g":
        return spc.g_chart(values, in_baseline=mask, rules=rules, labels=labels)
    return spc.t_chart(values, in_baseline=mask, rules=rules, labels=labels)


def describe_signals(result: ChartResult) -> list[str]:
    """One plain sentence per signal found, for the CLI and printed reports."""
    lines: list[str] = []
    for name in result.signals:
        where = [p.period for p in result.points if name in p.signals]
        text = SIGNAL_DESCRIPTIONS.get(name, name)
        if len(where) == 1:
            lines.append(f"{name}: {text} ({where[0]})")
        elif 1 < len(where) <= 4:
            lines.append(f"{name}: {text} ({len(where)} points: {', '.join(where)})")
        elif where:
            lines.append(f"{name}: {text} ({len(where)} points, from {where[0]} to {where[-1]})")
        else:
            lines.append(f"{name}: {text}")
    return lines
