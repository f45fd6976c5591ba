"""The one bridge from a stored measure to its chart, for the screen, the PDFs and commands.

``chart_for_measure`` reads a measure's months, exclusions, frozen baseline and
annotations, runs ``chart.compute_chart`` over them and says in plain words what
the chart shows, taking into account which way is better. Everything that shows a
measure's chart starts here, so screen and paper flag the same points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.services import measures
from cuspdesk.services.chart import (
    DEFAULT_RULES,
    RULES_FOR_KIND,
    SIGNAL_DESCRIPTIONS,
    SIGNAL_ORDER,
    Baseline,
    ChartInput,
    ChartResult,
    centre_line_name,
    compute_chart,
)

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A long history can hold many signals; the reading names the newest, the chart shows all.
MAX_SIGNAL_SENTENCES = 3
# Rules that put a point on one side of the centre line, strongest evidence first.
_SIDE_RULES = (
    "outside_limits",
    "shift",
    "eight_side",
    "astronomical",
    "two_of_three",
    "four_of_five",
)


@dataclass(frozen=True)
class ChartAnnotation:
    """A PDSA cycle or intervention, placed on the month it falls in (None: off the chart)."""

    on_date: date
    kind: str
    kind_label: str
    text: str
    period_index: int | None


@dataclass(frozen=True)
class Exclusion:
    """A month left out of the centre line and limits, and why."""

    period: date
    reason: str


@dataclass(frozen=True)
class MeasureChart:
    """A measure's chart with everything needed to draw it and explain it.

    ``result`` is None when the chart cannot be computed yet (no data, or too few
    months for a control chart); ``unavailable`` then says why. ``periods[i]`` is the
    month of ``result.points[i]`` and ``values[i]`` its stored value: months with no
    data are kept as gaps (None) so that the time axis is true.
    """

    measure_id: int
    unit_id: int
    name: str
    measure_kind: str
    unit_label: str
    numerator_label: str
    denominator_label: str
    chart_kind: str
    rule_set: str
    multiplier: float
    direction: str
    target: float | None
    periods: tuple[date, ...]
    values: tuple[float | None, ...]
    result: ChartResult | None
    unavailable: str
    baseline: measures.BaselineInfo | None
    exclusions: tuple[Exclusion, ...]
    annotations: tuple[ChartAnnotation, ...]
    interpretation: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def headline(self) -> str:
        """The one sentence to show when there is room for only one."""
        return self.interpretation[0] if self.interpretation else ""

    @property
    def title(self) -> str:
        return f"{self.name} ({self.unit_label})" if self.unit_label else self.name

    @property
    def centre_name(self) -> str:
        return centre_line_name(self.chart_kind if self.result is None else self.result.kind)

    def latest(self) -> tuple[date, float] | None:
        """The last month with a value, and that value (known even when no chart can be drawn)."""
        for period, value in zip(reversed(self.periods), reversed(self.values), strict=True):
            if value is not None:
                return period, value
        return None

    def drawing_annotations(self) -> list[tuple[str, str]]:
        """(period, text) pairs in the form ``chart_drawing`` takes."""
        if self.result is None:
            return []
        return [
            (self.result.points[a.period_index].period, a.text)
            for a in self.annotations
            if a.period_index is not None
        ]

    def point_text(self, index: int) -> str:
        """What one point is, in words: for a tooltip and for screen readers alike."""
        if self.result is None:
            return ""
        point = self.result.points[index]
        lines = [f"{month_label(self.periods[index])}: {self._value_text(point.value)}"]
        ratio = self.measure_kind in ("rate", "proportion")
        if ratio and (point.numerator is not None or point.denominator is not None):
            num_name = self.numerator_label or "Numerator"
            den_name = self.denominator_label or "Denominator"
            lines.append(
                f"{num_name}: {_optional(point.numerator)}; "
                f"{den_name}: {_optional(point.denominator)}"
            )
        centre = f"{self.centre_name} {format_number(point.centre)}"
        if point.lower is not None or point.upper is not None:
            centre += f"; control limits {_optional(point.lower)} to {_optional(point.upper)}"
        lines.append(centre)
        flagged = [s for s in SIGNAL_ORDER if s in point.signals]
        if flagged:
            lines.append("Special cause: " + "; ".join(SIGNAL_DESCRIPTIONS[s] for s in flagged))
        else:
            lines.append("No special cause at this point")
        if point.excluded:
            reason = next(
                (e.reason for e in self.exclusions if e.period == self.periods[index]), ""
            )
            what = "median" if self.result.kind == "run" else "centre line and limits"
            lines.append(f"Left out of the {what}" + (f": {reason}" if reason else ""))
        if self.baseline is not None and self.result.baseline is not None:
            b = self.result.baseline
            if b.first_period_index <= index <= b.last_period_index:
                lines.append("In the frozen baseline")
        for a in self.annotations:
            if a.period_index == index:
                lines.append(f"{a.kind_label}: {a.text} ({a.on_date.isoformat()})")
        return "\n".join(lines)

    def _value_text(self, value: float | None) -> str:
        if value is None:
            return "no data"
        return f"{format_number(value)} {self.unit_label}".rstrip()


def month_label(day: date) -> str:
    """'March 2026': the same in every locale, as reports and screens need."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def format_number(x: float) -> str:
    """A value as people read it: whole numbers bare, others to two or three figures."""
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    if abs(x) >= 1:
        return f"{x:,.2f}"
    return f"{x:.2g}"


def _optional(x: float | None) -> str:
    return "none" if x is None else format_number(x)


def chart_for_measure(
    db: Database, measure_id: int, *, rules: str | None = None, until: date | None = None
) -> MeasureChart:
    """The chart of one stored measure, as the screen, the briefing and commands show it.

    ``rules`` overrides the measure's own rule set (to look at the same data under
    another rule set); it must fit the measure's chart kind. ``until`` leaves out
    months after it, for a briefing that shows the data as it stood on a past date.
    """
    info = measures.get_measure(db, measure_id)
    fields = info.fields
    stored = measures.list_points(db, measure_id)
    if until is not None:
        stored = [p for p in stored if p.period <= measures.month_start(until)]
    active = measures.active_baseline(db, measure_id)
    notes = measures.list_annotations(db, measure_id)

    warnings: list[str] = []
    chart_kind = fields.chart_kind
    fitting = measures.CHARTS_FOR_KIND.get(fields.kind, ("run",))
    if chart_kind not in fitting:
        warnings.append(
            f"A {measures.CHART_LABELS.get(chart_kind, chart_kind)} does not fit this kind of "
            f"measure, so a run chart is shown; choose the chart type again in the measure's "
            f"settings."
        )
        chart_kind = "run"
    if rules is not None and rules not in RULES_FOR_KIND[chart_kind]:
        allowed = " or ".join(RULES_FOR_KIND[chart_kind])
        raise ValidationError(f"The rules '{rules}' do not fit this chart; use {allowed}.")
    rule_set = rules or fields.rule_set
    if rule_set not in RULES_FOR_KIND[chart_kind]:
        rule_set = DEFAULT_RULES[chart_kind]

    periods = _months(stored)
    by_month = {p.period: p for p in stored}
    inputs = [_chart_input(month, by_month.get(month), fields.kind) for month in periods]
    exclusions = tuple(Exclusion(p.period, p.exclude_reason) for p in stored if p.excluded)
    annotations = tuple(
        ChartAnnotation(
            a.on_date,
            a.kind,
            measures.ANNOTATION_KINDS.get(a.kind, "Note"),
            a.text,
            _period_index(periods, a.on_date),
        )
        for a in notes
    )
    baseline = _baseline(periods, active, warnings)

    result: ChartResult | None = None
    unavailable = ""
    if not stored:
        unavailable = "No data yet: enter the first month to start the chart."
    else:
        try:
            result = compute_chart(
                inputs, chart_kind, rule_set, baseline=baseline, multiplier=fields.multiplier
            )
        except ValidationError as exc:
            if baseline is None:
                unavailable = _first_message(exc)
            else:
                try:
                    result = compute_chart(
                        inputs, chart_kind, rule_set, multiplier=fields.multiplier
                    )
                except ValidationError as again:
                    unavailable = _first_message(again)
                else:
                    warnings.append(
                        f"The frozen baseline could not be used ({_first_message(exc)}); the "
                        f"centre line and limits are worked out from every month until it is "
                        f"set again."
                    )
    interpretation: tuple[str, ...] = ()
    if result is not None:
        interpretation = tuple(
            interpret(result, periods, fields.direction, fields.target, fields.unit_label)
        )
    elif unavailable:
        interpretation = (unavailable,)

    return MeasureChart(
        measure_id=info.id,
        unit_id=info.unit_id,
        name=fields.name,
        measure_kind=fields.kind,
        unit_label=fields.unit_label,
        numerator_label=fields.numerator_label,
        denominator_label=fields.denominator_label,
        chart_kind=chart_kind,
        rule_set=rule_set,
        multiplier=fields.multiplier,
        direction=fields.direction,
        target=fields.target,
        periods=tuple(periods),
        values=tuple(p.value for p in inputs),
        result=result,
        unavailable=unavailable,
        baseline=active if result is not None and result.baseline is not None else None,
        exclusions=exclusions,
        annotations=annotations,
        interpretation=interpretation,
        warnings=tuple(warnings),
    )


def key_measure_charts(db: Database, unit_id: int) -> list[MeasureChart]:
    """Charts of the unit's key measures, in the unit's order (for the briefing)."""
    return [chart_for_measure(db, m.id) for m in measures.list_measures(db, unit_id, key_only=True)]


def _months(points: Sequence[measures.PointInfo]) -> list[date]:
    """Every month from the first to the last with data, gaps included."""
    if not points:
        return []
    first, last = points[0].period, points[-1].period
    out: list[date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _chart_input(month: date, point: measures.PointInfo | None, kind: str) -> ChartInput:
    """One month as chart input; the value is ``compute_value``'s, never worked out again."""
    label = f"{month.year:04d}-{month.month:02d}"
    if point is None:
        return ChartInput(period=label)
    ratio = kind in ("rate", "proportion")
    return ChartInput(
        period=label,
        value=point.value,
        numerator=point.numerator if ratio else None,
        denominator=point.denominator if ratio else None,
        excluded=point.excluded,
        exclude_reason=point.exclude_reason or None,
    )


def _period_index(periods: Sequence[date], on_date: date) -> int | None:
    month = on_date.replace(day=1)
    for i, p in enumerate(periods):
        if p == month:
            return i
    return None


def _baseline(
    periods: Sequence[date], active: measures.BaselineInfo | None, warnings: list[str]
) -> Baseline | None:
    """The frozen baseline as period indices, clipped to the months that have data."""
    if active is None or not periods:
        return None
    inside = [i for i, p in enumerate(periods) if active.first_period <= p <= active.last_period]
    if not inside:
        warnings.append(
            f"The frozen baseline ({month_label(active.first_period)} to "
            f"{month_label(active.last_period)}) has no months of data, so it is not used."
        )
        return None
    return Baseline(inside[0], inside[-1], active.reason)


def _first_message(exc: ValidationError) -> str:
    return exc.problems[0].message if exc.problems else str(exc)


# ---------------------------------------------------------------- interpretation


@dataclass(frozen=True)
class _Episode:
    """Neighbouring flagged points that tell one story (a shift, a trend, a point outside)."""

    kind: str  # "side", "trend", "inner"
    indices: tuple[int, ...]
    rules: frozenset[str]
    sign: int  # +1 above / rising, -1 below / falling, 0 neither


def interpret(
    result: ChartResult,
    periods: Sequence[date],
    direction: str,
    target: float | None,
    unit_label: str = "",
) -> list[str]:
    """Plain sentences on what the chart shows, newest signal first, then the target.

    A signal's side is judged against ``direction`` ("down" when lower is better),
    so the same shift below the centre line reads as improvement for falls and as
    deterioration for days between pressure injuries.
    """
    centre = centre_line_name(result.kind).lower()
    if centre == "centre":
        centre = "centre line"
    present = [p for p in result.points if p.value is not None]
    on_centre = sum(1 for p in present if p.value == p.centre)
    # Rare events: with most months at the median (often 0) the run rules see only the
    # months with an event, which all sit on one side; say so instead of calling a trend.
    rare = result.kind == "run" and on_centre * 2 > len(present)
    last_present = max((i for i, p in enumerate(result.points) if p.value is not None), default=-1)
    sentences: list[tuple[int, str]] = []
    for ep in _episodes(result):
        text = _episode_sentence(ep, result, periods, direction, centre, last_present, rare)
        sentences.append((ep.indices[-1], text))
    sentences.sort(key=lambda item: -item[0])
    out = [text for _, text in sentences[:MAX_SIGNAL_SENTENCES]]
    if len(sentences) > MAX_SIGNAL_SENTENCES:
        earlier = len(sentences) - MAX_SIGNAL_SENTENCES
        out.append(
            f"…and {earlier} earlier {'signal' if earlier == 1 else 'signals'}; "
            f"the chart marks them all."
        )
    for note in result.notes:
        if note.startswith(("Too few runs", "Too many runs", "Too few crossings")):
            out.append(f"Non-random pattern: {note[0].lower()}{note[1:]}")
    if not out:
        out.append(_no_signal_sentence(result, centre))
    if rare:  # first: it says how far to trust everything after it
        out.insert(
            0,
            f"Most months sit on the {centre} of {format_number(present[0].centre)}, so the run "
            f"chart rules say little about these rare events; chart the days between events "
            f"(a t-chart) to see whether they are getting rarer.",
        )
    target_text = _target_sentence(result, periods, direction, target, unit_label)
    if target_text:
        out.append(target_text)
    return out


def _episodes(result: ChartResult) -> list[_Episode]:
    points = result.points
    present = [i for i, p in enumerate(points) if p.value is not None]
    # Points on the centre line neither count for nor break a run, so they are
    # left out when judging which flagged points belong together.
    off_centre = [i for i in present if _side(points[i].value, points[i].centre) != 0]
    out: list[_Episode] = []

    def group(flagged: list[int], order: list[int], max_gap: int) -> list[list[int]]:
        position = {i: k for k, i in enumerate(order)}
        groups: list[list[int]] = []
        for i in flagged:
            if groups and position[i] - position[groups[-1][-1]] <= max_gap + 1:
                groups[-1].append(i)
            else:
                groups.append([i])
        return groups

    for sign in (1, -1):
        flagged = [
            i
            for i in off_centre
            if any(r in points[i].signals for r in _SIDE_RULES)
            and _side(points[i].value, points[i].centre) == sign
        ]
        for g in group(flagged, off_centre, 2):
            rules = frozenset(r for i in g for r in points[i].signals if r in _SIDE_RULES)
            out.append(_Episode("side", tuple(g), rules, sign))
    trend = [i for i in present if "trend" in points[i].signals]
    for g in group(trend, present, 0):
        first, last = points[g[0]].value, points[g[-1]].value
        assert first is not None and last is not None
        out.append(_Episode("trend", tuple(g), frozenset({"trend"}), 1 if last > first else -1))
    inner = [i for i in present if "fifteen_inner" in points[i].signals]
    for g in group(inner, present, 0):
        out.append(_Episode("inner", tuple(g), frozenset({"fifteen_inner"}), 0))
    return out


def _side(value: float | None, centre: float) -> int:
    if value is None or value == centre:
        return 0
    return 1 if value > centre else -1


def _months_text(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def _episode_sentence(
    ep: _Episode,
    result: ChartResult,
    periods: Sequence[date],
    direction: str,
    centre: str,
    last_present: int,
    rare: bool,
) -> str:
    first, last = month_label(periods[ep.indices[0]]), month_label(periods[ep.indices[-1]])
    n = len(ep.indices)
    ongoing = ep.indices[-1] == last_present
    if n == 1:
        when = f"in {first}"
    elif ongoing:
        when = f"since {first}"
    else:
        when = f"from {first} to {last}"
    if ep.kind == "inner":
        return (
            f"Less variation than expected: {n} months in a row close to the {centre} {when}; "
            f"check whether the limits were set on mixed data."
        )
    better = (ep.sign < 0) == (direction == "down")
    verdict = "Signal of improvement" if better else "Signal of deterioration"
    if ep.kind == "trend":
        way = "up" if ep.sign > 0 else "down"
        return f"{verdict}: {n} months going steadily {way} {when}."
    where = "above" if ep.sign > 0 else "below"
    if ep.rules & {"shift", "eight_side"}:
        run = [i for i in ep.indices if {"shift", "eight_side"} & set(result.points[i].signals)]
        if rare:
            return (
                f"The run chart rules flag {_months_text(len(run))} {where} the {centre} "
                f"{when} (a shift), with the months in between on the {centre}."
            )
        span = run[-1] - run[0] + 1
        in_a_row = "in a row " if span == len(run) else ""
        between = "" if in_a_row else f", none {'below' if ep.sign > 0 else 'above'} it"
        return (
            f"{verdict}: {_months_text(len(run))} {in_a_row}{where} the {centre}{between} {when}."
        )
    limit = "upper" if ep.sign > 0 else "lower"
    if "outside_limits" in ep.rules:
        if n == 1:
            return f"{verdict}: {first} is {where} the {limit} control limit."
        return f"{verdict}: {n} months {where} the {limit} control limit, the latest in {last}."
    if "astronomical" in ep.rules:
        if n == 1:
            return (
                f"{verdict}: {first} is unusually far {where} the {centre} (an astronomical "
                f"point); check the data, then ask what happened that month."
            )
        return f"{verdict}: {n} months unusually far {where} the {centre}, the latest in {last}."
    return f"{verdict}: {_months_text(n)} close to or beyond the {limit} limit {when}."


def _no_signal_sentence(result: ChartResult, centre: str) -> str:
    last = result.points[-1]
    level = format_number(last.centre)
    if result.kind == "run":
        return (
            f"No signal: the months vary around a {centre} of {level} with no non-random "
            f"pattern (common-cause variation)."
        )
    text = f"No signal: common-cause variation around a {centre} of {level}"
    if last.lower is not None and last.upper is not None:
        text += (
            f"; a month between {format_number(last.lower)} and {format_number(last.upper)} "
            f"is to be expected"
        )
    return text + "."


def _target_sentence(
    result: ChartResult,
    periods: Sequence[date],
    direction: str,
    target: float | None,
    unit_label: str,
) -> str:
    if target is None:
        return ""
    latest = next(
        ((i, p) for i, p in reversed(list(enumerate(result.points))) if p.value is not None),
        None,
    )
    if latest is None:
        return ""
    i, point = latest
    assert point.value is not None
    meets = measures.meets_target(point.value, target, direction)
    value = f"{format_number(point.value)} {unit_label}".rstrip()
    text = (
        f"Latest month, {month_label(periods[i])}: {value}, "
        f"{'meeting' if meets else 'not yet meeting'} the target of {format_number(target)}."
    )
    if not result.signals and point.lower is not None and point.upper is not None:
        if direction == "down" and target < point.lower:
            text += (
                " The target is below the lower limit: as things stand the process will not "
                "meet it without a change to the system."
            )
        elif direction == "up" and target > point.upper:
            text += (
                " The target is above the upper limit: as things stand the process will not "
                "meet it without a change to the system."
            )
    return text
