"""Unit measures and their monthly data: define a measure, enter a month, annotate, baseline.

The charts themselves (run and SPC rules) are computed elsewhere from the
series this module returns, so the screen, the briefing and the command line
all chart the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cuspdesk.chart_kinds import CHART_KINDS, RULE_SETS
from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, Problem, ValidationError
from cuspdesk.models import (
    Measure,
    MeasureAnnotation,
    MeasureBaseline,
    MeasureKind,
    MeasurePoint,
    Unit,
    utcnow,
)
from cuspdesk.models.base import new_uuid
from cuspdesk.services.access import require
from cuspdesk.services.archiving import archive_record, clean_reason
from cuspdesk.services.measure_values import MEASURE_UNITS, period_value
from cuspdesk.services.validation import Checker

ANNOTATION_KINDS = {"pdsa": "PDSA cycle", "intervention": "Intervention", "other": "Note"}
KIND_LABELS = {
    MeasureKind.COUNT.value: "Count",
    MeasureKind.RATE.value: "Rate",
    MeasureKind.PROPORTION.value: "Proportion",
    MeasureKind.DAYS_BETWEEN.value: "Days between events",
    MeasureKind.CASES_BETWEEN.value: "Cases between events",
}
_NEEDS_DENOMINATOR = {MeasureKind.RATE.value, MeasureKind.PROPORTION.value}
# Which charts fit which kind of measure: a p-chart's limits assume a proportion, a
# u-chart's a rate, a c-chart's whole counts, g and t charts gaps between events.
CHARTS_FOR_KIND = {
    MeasureKind.COUNT.value: ("run", "c", "i"),
    MeasureKind.RATE.value: ("run", "u", "i"),
    MeasureKind.PROPORTION.value: ("run", "p", "i"),
    MeasureKind.DAYS_BETWEEN.value: ("run", "t", "i"),
    MeasureKind.CASES_BETWEEN.value: ("run", "g", "i"),
}
CHART_LABELS = {
    "run": "Run chart",
    "p": "p-chart",
    "u": "u-chart",
    "c": "c-chart",
    "i": "I-chart",
    "g": "g-chart",
    "t": "t-chart",
}


@dataclass
class MeasureFields:
    name: str
    kind: str = MeasureKind.COUNT.value
    description: str = ""
    multiplier: float = 1.0
    unit_label: str = ""
    numerator_label: str = ""
    denominator_label: str = ""
    direction: str = "down"
    target: float | None = None
    chart_kind: str = "run"
    rule_set: str = "ihi"
    aim_id: int | None = None
    key_measure: bool = True


@dataclass(frozen=True)
class MeasureInfo:
    id: int
    unit_id: int
    version: int
    fields: MeasureFields
    point_count: int
    latest_period: date | None
    latest_value: float | None

    @property
    def needs_denominator(self) -> bool:
        return self.fields.kind in _NEEDS_DENOMINATOR


@dataclass(frozen=True)
class PointInfo:
    id: int
    period: date
    numerator: float | None
    denominator: float | None
    value: float | None
    excluded: bool
    exclude_reason: str
    note: str


@dataclass(frozen=True)
class AnnotationInfo:
    id: int
    on_date: date
    kind: str
    text: str


@dataclass(frozen=True)
class BaselineInfo:
    id: int
    first_period: date
    last_period: date
    reason: str
    created_by: str
    active: bool


def month_start(day: date) -> date:
    return day.replace(day=1)


def meets_target(value: float | None, target: float | None, direction: str) -> bool | None:
    """Whether ``value`` meets ``target`` the way the measure counts better; None without both."""
    if value is None or target is None:
        return None
    return value <= target if direction == "down" else value >= target


def compute_value(
    kind: str,
    multiplier: float,
    numerator: float | None,
    denominator: float | None,
    value: float | None,
) -> float | None:
    """The plotted value of one stored period, or None if it cannot be worked out.

    The arithmetic is ``measure_values.period_value``'s, so the table, the chart and
    the briefing agree; stored figures it refuses (a denominator of 0 written before
    the checks existed) show as a gap rather than stopping the whole screen.
    """
    if kind not in MEASURE_UNITS:
        return None
    try:
        return period_value(
            kind,
            numerator=numerator,
            denominator=denominator,
            value=value,
            multiplier=multiplier,
        )
    except ValidationError:
        return None


# --- measures ------------------------------------------------------------------------


def _clean(
    session: Session, unit_id: int, fields: MeasureFields, measure_id: int | None
) -> MeasureFields:
    check = Checker()
    name = check.name("name", "The measure's name", fields.name)
    description = check.text("description", "The description", fields.description)
    if fields.kind not in KIND_LABELS:
        check.add("kind", "Choose what kind of measure this is.")
    multiplier = check.number(
        "multiplier", "The multiplier", fields.multiplier, minimum=0, maximum=1e9, required=True
    )
    if multiplier == 0:
        check.add("multiplier", "The multiplier must be more than 0.")
    unit_label = check.name("unit_label", "The unit of measure", fields.unit_label, required=False)
    num_label = check.name(
        "numerator_label", "The numerator's name", fields.numerator_label, required=False
    )
    den_label = check.name(
        "denominator_label", "The denominator's name", fields.denominator_label, required=False
    )
    if fields.direction not in ("up", "down"):
        check.add("direction", "Say whether higher or lower is better.")
    check.number("target", "The target", fields.target)
    if fields.chart_kind not in CHART_KINDS:
        check.add("chart_kind", "Choose a chart type.")
    elif fields.kind in CHARTS_FOR_KIND and fields.chart_kind not in CHARTS_FOR_KIND[fields.kind]:
        fitting = ", ".join(CHART_LABELS[k] for k in CHARTS_FOR_KIND[fields.kind])
        check.add(
            "chart_kind",
            f"A {CHART_LABELS[fields.chart_kind]} does not fit a measure of this kind "
            f"({KIND_LABELS[fields.kind].lower()}); choose one of: {fitting}.",
        )
    if fields.rule_set not in RULE_SETS:
        check.add("rule_set", "Choose a rule set.")
    elif fields.chart_kind == "run":
        if fields.rule_set not in ("ihi", "anhoej"):
            check.add("rule_set", "A run chart uses the IHI or the Anhøj rules.")
    elif fields.chart_kind in CHART_KINDS and fields.rule_set not in ("we", "mdc"):
        check.add("rule_set", "A control chart uses the Western Electric or NHS rules.")
    if name:
        clash = session.scalar(
            select(Measure.id).where(
                Measure.unit_id == unit_id,
                func.lower(Measure.name) == name.lower(),
                Measure.id != (measure_id or -1),
            )
        )
        if clash is not None:
            check.add("name", f"This unit already has a measure called “{name}”.")
    check.raise_if_any()
    return MeasureFields(
        name=name,
        kind=fields.kind,
        description=description,
        multiplier=fields.multiplier,
        unit_label=unit_label,
        numerator_label=num_label,
        denominator_label=den_label,
        direction=fields.direction,
        target=fields.target,
        chart_kind=fields.chart_kind,
        rule_set=fields.rule_set,
        aim_id=fields.aim_id,
        key_measure=bool(fields.key_measure),
    )


def _apply(measure: Measure, clean: MeasureFields) -> None:
    for name, value in vars(clean).items():
        if getattr(measure, name) != value:
            setattr(measure, name, value)


def create_measure(db: Database, unit_id: int, fields: MeasureFields) -> MeasureInfo:
    require(db, "records.edit")
    with db.session() as session:
        if session.get(Unit, unit_id) is None:
            raise NotFoundError("That unit no longer exists.")
        clean = _clean(session, unit_id, fields, None)
        last = session.scalar(select(func.max(Measure.position)).where(Measure.unit_id == unit_id))
        measure = Measure(unit_id=unit_id, name=clean.name, position=(last or 0) + 1)
        _apply(measure, clean)
        session.add(measure)
        session.flush()
        return _info(session, measure)


def update_measure(
    db: Database, measure_id: int, fields: MeasureFields, *, expected_version: int
) -> MeasureInfo:
    require(db, "records.edit")
    with db.session() as session:
        measure = _get(session, measure_id)
        if measure.version != expected_version:
            raise ConflictError(
                "This measure was changed by someone else after you opened it.",
                current_version=measure.version,
            )
        clean = _clean(session, measure.unit_id, fields, measure_id)
        _apply(measure, clean)
        session.flush()
        return _info(session, measure)


def get_measure(db: Database, measure_id: int) -> MeasureInfo:
    with db.reader() as session:
        return _info(session, _get(session, measure_id))


def list_measures(db: Database, unit_id: int, *, key_only: bool = False) -> list[MeasureInfo]:
    query = (
        select(Measure)
        .where(Measure.unit_id == unit_id, Measure.archived_at.is_(None))
        .order_by(Measure.position, Measure.id)
    )
    if key_only:
        query = query.where(Measure.key_measure.is_(True))
    with db.reader() as session:
        return [_info(session, m) for m in session.scalars(query)]


def _get(session: Session, measure_id: int) -> Measure:
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFoundError("That measure no longer exists.")
    return measure


def _info(session: Session, measure: Measure) -> MeasureInfo:
    count, latest = session.execute(
        select(func.count(), func.max(MeasurePoint.period)).where(
            MeasurePoint.measure_id == measure.id
        )
    ).one()
    latest_value = None
    if latest is not None:
        point = session.scalar(
            select(MeasurePoint).where(
                MeasurePoint.measure_id == measure.id, MeasurePoint.period == latest
            )
        )
        if point is not None:
            latest_value = compute_value(
                measure.kind, measure.multiplier, point.numerator, point.denominator, point.value
            )
    fields = MeasureFields(
        name=measure.name,
        kind=measure.kind,
        description=measure.description,
        multiplier=measure.multiplier,
        unit_label=measure.unit_label,
        numerator_label=measure.numerator_label,
        denominator_label=measure.denominator_label,
        direction=measure.direction,
        target=measure.target,
        chart_kind=measure.chart_kind,
        rule_set=measure.rule_set,
        aim_id=measure.aim_id,
        key_measure=measure.key_measure,
    )
    return MeasureInfo(
        measure.id, measure.unit_id, measure.version, fields, count, latest, latest_value
    )


# --- data points ---------------------------------------------------------------------


def set_point(
    db: Database,
    measure_id: int,
    period: date,
    *,
    numerator: float | None = None,
    denominator: float | None = None,
    value: float | None = None,
    note: str = "",
) -> PointInfo:
    """Enter or correct one period's data (periods are months: any day means its month)."""
    require(db, "records.edit")
    with db.session() as session:
        measure = _get(session, measure_id)
        return _set_point(session, measure, period, numerator, denominator, value, note)


def _set_point(
    session: Session,
    measure: Measure,
    period: date,
    numerator: float | None,
    denominator: float | None,
    value: float | None,
    note: str,
) -> PointInfo:
    check = Checker()
    check.date_in_range("period", "The month", period, required=True)
    check.number("numerator", "The numerator", numerator, minimum=0, maximum=1e12)
    check.number("denominator", "The denominator", denominator, minimum=0, maximum=1e12)
    check.number("value", "The value", value, minimum=0, maximum=1e12)
    note = check.text("note", "The note", note, limit=2000)
    if measure.kind in _NEEDS_DENOMINATOR:
        if numerator is None:
            check.add("numerator", f"Enter the {measure.numerator_label or 'numerator'}.")
        if not denominator:
            check.add(
                "denominator",
                f"Enter the {measure.denominator_label or 'denominator'} (it cannot be 0).",
            )
        if (
            measure.kind == MeasureKind.PROPORTION.value
            and numerator is not None
            and denominator
            and numerator > denominator
        ):
            check.add("numerator", "The numerator cannot be larger than the denominator.")
    elif value is None and numerator is None:
        check.add("value", "Enter the value for the month.")
    check.raise_if_any()
    month = month_start(period)
    point = session.scalar(
        select(MeasurePoint).where(
            MeasurePoint.measure_id == measure.id, MeasurePoint.period == month
        )
    )
    if point is None:
        point = MeasurePoint(uuid=new_uuid(), measure_id=measure.id, period=month)
        session.add(point)
    point.numerator = numerator
    point.denominator = denominator
    point.value = value if measure.kind not in _NEEDS_DENOMINATOR else None
    point.note = note
    session.flush()
    return _point_info(point)


@dataclass(frozen=True)
class PointEntry:
    """One month's figures to enter, as an import reads them."""

    period: date
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None


def set_points(db: Database, measure_id: int, entries: Sequence[PointEntry]) -> int:
    """Enter or correct many months in one transaction: all are saved, or none.

    A month that already has data keeps its note and its exclusion; only the
    figures change. Returns how many months were written.
    """
    require(db, "records.edit")
    with db.session() as session:
        measure = _get(session, measure_id)
        session.info["audit_summary"] = f"Imported {len(entries)} months of data"
        notes = {p.period: p.note for p in measure.points}
        for entry in entries:
            try:
                _set_point(
                    session,
                    measure,
                    entry.period,
                    entry.numerator,
                    entry.denominator,
                    entry.value,
                    notes.get(month_start(entry.period), ""),
                )
            except ValidationError as exc:
                month = f"{entry.period:%Y-%m}"
                raise ValidationError(
                    [Problem(p.field, f"{month}: {p.message}") for p in exc.problems]
                ) from None
        return len(entries)


def remove_point(db: Database, measure_id: int, period: date, reason: str = "") -> None:
    """Remove one month's data (entered by mistake); the audit keeps what it was, and why."""
    require(db, "records.edit")
    with db.session() as session:
        session.info["audit_summary"] = reason.strip()
        point = session.scalar(
            select(MeasurePoint).where(
                MeasurePoint.measure_id == measure_id, MeasurePoint.period == month_start(period)
            )
        )
        if point is None:
            raise NotFoundError("There is no data for that month.")
        session.delete(point)


def exclude_point(
    db: Database, measure_id: int, period: date, *, excluded: bool, reason: str = ""
) -> PointInfo:
    """Leave a month out of the centre line and limits (with a reason), or put it back."""
    require(db, "records.edit")
    check = Checker()
    reason = check.text("exclude_reason", "The reason", reason, required=excluded, limit=2000)
    check.raise_if_any()
    with db.session() as session:
        point = session.scalar(
            select(MeasurePoint).where(
                MeasurePoint.measure_id == measure_id, MeasurePoint.period == month_start(period)
            )
        )
        if point is None:
            raise NotFoundError("There is no data for that month.")
        point.excluded = excluded
        point.exclude_reason = reason if excluded else ""
        session.flush()
        return _point_info(point)


def list_points(db: Database, measure_id: int) -> list[PointInfo]:
    with db.reader() as session:
        points = session.scalars(
            select(MeasurePoint)
            .where(MeasurePoint.measure_id == measure_id)
            .order_by(MeasurePoint.period)
        )
        return [_point_info(p) for p in points]


def _point_info(point: MeasurePoint) -> PointInfo:
    measure = point.measure
    return PointInfo(
        id=point.id,
        period=point.period,
        numerator=point.numerator,
        denominator=point.denominator,
        value=compute_value(
            measure.kind, measure.multiplier, point.numerator, point.denominator, point.value
        ),
        excluded=point.excluded,
        exclude_reason=point.exclude_reason,
        note=point.note,
    )


# --- annotations and baselines -------------------------------------------------------


def add_annotation(
    db: Database, measure_id: int, on_date: date, text: str, kind: str = "pdsa"
) -> AnnotationInfo:
    """Mark a PDSA cycle or intervention on the chart."""
    require(db, "records.edit")
    check = Checker()
    check.date_in_range("on_date", "The date", on_date, required=True)
    cleaned = check.text("text", "The annotation", text, required=True, limit=300)
    if kind not in ANNOTATION_KINDS:
        check.add("kind", "Choose what kind of annotation this is.")
    check.raise_if_any()
    with db.session() as session:
        _get(session, measure_id)
        annotation = MeasureAnnotation(
            uuid=new_uuid(), measure_id=measure_id, on_date=on_date, kind=kind, text=cleaned
        )
        session.add(annotation)
        session.flush()
        return AnnotationInfo(annotation.id, on_date, kind, cleaned)


def list_annotations(db: Database, measure_id: int) -> list[AnnotationInfo]:
    with db.reader() as session:
        rows = session.scalars(
            select(MeasureAnnotation)
            .where(MeasureAnnotation.measure_id == measure_id)
            .order_by(MeasureAnnotation.on_date, MeasureAnnotation.id)
        )
        return [AnnotationInfo(a.id, a.on_date, a.kind, a.text) for a in rows]


def set_baseline(
    db: Database, measure_id: int, first_period: date, last_period: date, reason: str
) -> BaselineInfo:
    """Freeze the centre line and limits on a span of months; the old baseline is kept."""
    require(db, "records.edit")
    check = Checker()
    reason = check.text("reason", "The reason", reason, required=True, limit=2000)
    check.date_in_range("first_period", "The first month", first_period, required=True)
    check.date_in_range("last_period", "The last month", last_period, required=True)
    check.not_before("last_period", "The last month", last_period, first_period, "the first month")
    check.raise_if_any()
    with db.session() as session:
        _get(session, measure_id)
        first, last = month_start(first_period), month_start(last_period)
        points = (
            session.scalar(
                select(func.count()).where(
                    MeasurePoint.measure_id == measure_id,
                    MeasurePoint.period >= first,
                    MeasurePoint.period <= last,
                )
            )
            or 0
        )
        if points < 2:
            raise ValidationError(
                "A baseline needs at least two months of data in the chosen span.", "last_period"
            )
        now = utcnow()
        session.info["audit_summary"] = f"Baseline frozen: {reason}"
        for old in session.scalars(
            select(MeasureBaseline).where(
                MeasureBaseline.measure_id == measure_id, MeasureBaseline.superseded_at.is_(None)
            )
        ):
            old.superseded_at = now
        baseline = MeasureBaseline(
            measure_id=measure_id,
            first_period=first,
            last_period=last,
            reason=reason,
            created_by=session.info["actor"].os_user,
        )
        session.add(baseline)
        session.flush()
        return _baseline_info(baseline)


def clear_baseline(db: Database, measure_id: int, reason: str) -> None:
    """Unfreeze: limits are computed from all the data again. The reason is recorded."""
    require(db, "records.edit")
    check = Checker()
    reason = check.text("reason", "The reason", reason, required=True, limit=2000)
    check.raise_if_any()
    with db.session() as session:
        session.info["audit_summary"] = f"Baseline removed: {reason}"
        active = list(
            session.scalars(
                select(MeasureBaseline).where(
                    MeasureBaseline.measure_id == measure_id,
                    MeasureBaseline.superseded_at.is_(None),
                )
            )
        )
        if not active:
            raise NotFoundError("This measure has no frozen baseline to remove.")
        for old in active:
            old.superseded_at = utcnow()


def list_baselines(db: Database, measure_id: int) -> list[BaselineInfo]:
    with db.reader() as session:
        rows = session.scalars(
            select(MeasureBaseline)
            .where(MeasureBaseline.measure_id == measure_id)
            .order_by(MeasureBaseline.id)
        )
        return [_baseline_info(b) for b in rows]


def active_baseline(db: Database, measure_id: int) -> BaselineInfo | None:
    return next((b for b in reversed(list_baselines(db, measure_id)) if b.active), None)


def _baseline_info(baseline: MeasureBaseline) -> BaselineInfo:
    return BaselineInfo(
        id=baseline.id,
        first_period=baseline.first_period,
        last_period=baseline.last_period,
        reason=baseline.reason,
        created_by=baseline.created_by,
        active=baseline.superseded_at is None,
    )


def archive_measure(db: Database, measure_id: int, reason: str) -> None:
    """Take a measure off the charts and lists; its data is kept."""
    require(db, "records.edit")
    cleaned = clean_reason(reason)
    with db.session() as session:
        archive_record(session, Measure, measure_id, cleaned, "That measure no longer exists.")
