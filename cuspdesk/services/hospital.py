"""The hospital view: every unit side by side, for the quality department.

Per unit: open, overdue and soon-due issues, days without harm (the dashboard's own
definition of a harm event), each measure's latest value against its target, and
merge conflicts waiting; then the most overdue issues and the measures off target
across all units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from cuspdesk.db import Database
from cuspdesk.models import MergeConflict
from cuspdesk.services.dashboard import DUE_SOON_DAYS, HarmEvent, last_harm_event
from cuspdesk.services.issues import IssueQuery, IssueRow, count_issues, list_issues
from cuspdesk.services.measures import list_measures, meets_target
from cuspdesk.services.units import list_units
from cuspdesk.services.validation import today as _today

MOST_OVERDUE = 25


@dataclass(frozen=True)
class MeasureStanding:
    """A measure's latest value against its target; ``on_target`` is None without both."""

    unit_id: int
    unit_name: str
    measure_id: int
    name: str
    unit_label: str
    direction: str
    target: float | None
    latest_period: date | None
    latest_value: float | None
    on_target: bool | None


@dataclass(frozen=True)
class UnitStanding:
    unit_id: int
    name: str
    hospital: str
    open: int
    overdue: int
    due_soon: int
    needs_executive: int
    last_harm: HarmEvent | None
    measures: tuple[MeasureStanding, ...]
    open_conflicts: int

    @property
    def harm_free_days(self) -> int | None:
        return self.last_harm.days_since if self.last_harm is not None else None

    @property
    def off_target(self) -> int:
        return sum(1 for m in self.measures if m.on_target is False)

    @property
    def on_target(self) -> int:
        return sum(1 for m in self.measures if m.on_target is True)


@dataclass(frozen=True)
class OverdueIssue:
    """An overdue issue and the unit it belongs to."""

    unit_id: int
    unit_name: str
    issue: IssueRow


@dataclass(frozen=True)
class HospitalOverview:
    on: date
    units: tuple[UnitStanding, ...]
    most_overdue: tuple[OverdueIssue, ...]
    overdue_total: int
    off_target: tuple[MeasureStanding, ...]

    @property
    def open(self) -> int:
        return sum(u.open for u in self.units)

    @property
    def overdue(self) -> int:
        return sum(u.overdue for u in self.units)


def load_hospital_overview(
    db: Database, on: date | None = None, *, overdue_limit: int = MOST_OVERDUE
) -> HospitalOverview:
    """Every unit's standing on ``on`` (today by default), in unit-name order."""
    day = on or _today()
    unit_list = list_units(db)
    names = {u.id: u.name for u in unit_list}
    standings: list[UnitStanding] = []
    for unit in unit_list:
        counts = count_issues(db, unit.id, on=day)
        measures = tuple(
            MeasureStanding(
                unit_id=unit.id,
                unit_name=unit.name,
                measure_id=m.id,
                name=m.fields.name,
                unit_label=m.fields.unit_label,
                direction=m.fields.direction,
                target=m.fields.target,
                latest_period=m.latest_period,
                latest_value=m.latest_value,
                on_target=meets_target(m.latest_value, m.fields.target, m.fields.direction),
            )
            for m in list_measures(db, unit.id)
        )
        standings.append(
            UnitStanding(
                unit_id=unit.id,
                name=unit.name,
                hospital=unit.hospital,
                open=counts.open,
                overdue=counts.overdue,
                due_soon=counts.due_soon,
                needs_executive=counts.needs_executive,
                last_harm=last_harm_event(db, unit.id, day),
                measures=measures,
                open_conflicts=_open_conflicts(db, unit.id),
            )
        )
    standings.sort(key=lambda s: s.name.casefold())
    overdue = list_issues(
        db,
        IssueQuery(overdue_only=True, sort="target_date", limit=max(1, overdue_limit), today=day),
    )
    most_overdue = tuple(
        OverdueIssue(row.unit_id, names.get(row.unit_id, ""), row)
        for row in overdue.rows
        if row.unit_id in names
    )
    off_target = tuple(m for s in standings for m in s.measures if m.on_target is False)
    return HospitalOverview(
        on=day,
        units=tuple(standings),
        most_overdue=most_overdue,
        overdue_total=overdue.total,
        off_target=off_target,
    )


def _open_conflicts(db: Database, unit_id: int) -> int:
    """Records of the unit changed both here and in a merged unit file, still undecided."""
    with db.reader() as session:
        count = session.scalar(
            select(func.count())
            .select_from(MergeConflict)
            .where(MergeConflict.unit_id == unit_id, MergeConflict.decided_at.is_(None))
        )
    return int(count or 0)


__all__ = [
    "DUE_SOON_DAYS",
    "HospitalOverview",
    "MeasureStanding",
    "OverdueIssue",
    "UnitStanding",
    "load_hospital_overview",
]
