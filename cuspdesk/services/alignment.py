"""Strategic alignment: which of the unit's work serves which aim, and whether goals are met.

The improvement literature ties every unit aim to the organisational or national
target above it, to measurable goals that track it, and to the measures and
safety issues that serve it. This module gathers that picture for the matrix
screen and the executive summary page, in one read of the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select

from cuspdesk.db import Database
from cuspdesk.errors import NotFoundError
from cuspdesk.models import ACTIVE_STATUSES, STATUS_LABELS, Choice, IssueStatus, SafetyIssue, Unit
from cuspdesk.services import measures, units
from cuspdesk.services.measure_charts import format_number, month_label

NO_CATEGORY = "No category"
# How many issues a cell lists when it is opened; a busier cell says "and N more".
CELL_ISSUE_LIMIT = 50


class Link(StrEnum):
    """How a measure relates to an aim: as a measure of the aim, as a goal's measure, or both."""

    NONE = ""
    SERVES = "serves"
    GOAL = "goal"
    BOTH = "both"


class GoalState(StrEnum):
    ON_TRACK = "on_track"
    NOT_ON_TRACK = "not_on_track"
    NOT_MEASURED = "not_measured"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"


GOAL_STATE_WORDS = {
    GoalState.ON_TRACK: "On track",
    GoalState.NOT_ON_TRACK: "Not on track",
    GoalState.NOT_MEASURED: "Not measured",
    GoalState.NO_DATA: "No data yet",
    GoalState.NO_TARGET: "No target set",
}


@dataclass(frozen=True)
class GoalStatus:
    """A measurable goal with its measure's latest month judged against the goal's target."""

    goal_id: int
    description: str
    due_date: date | None
    measure_id: int | None
    measure_name: str
    unit_label: str
    direction: str
    target: float | None
    latest_period: date | None
    latest_value: float | None
    state: GoalState

    @property
    def state_words(self) -> str:
        return GOAL_STATE_WORDS[self.state]

    @property
    def detail(self) -> str:
        """'October 2026: 0 per 1,000 patient-days; target 0.5 or lower'."""
        parts: list[str] = []
        if self.latest_period is not None and self.latest_value is not None:
            value = f"{format_number(self.latest_value)} {self.unit_label}".rstrip()
            parts.append(f"{month_label(self.latest_period)}: {value}")
        if self.target is not None:
            way = "or lower" if self.direction == "down" else "or higher"
            parts.append(f"target {format_number(self.target)} {way}")
        return "; ".join(parts)


@dataclass(frozen=True)
class AimRow:
    """One of the unit's aims, the target above it, its goals and the issues that serve it."""

    aim_id: int
    title: str
    description: str
    external_target: str
    goals: tuple[GoalStatus, ...]
    issue_counts: tuple[int, ...]  # active issues linked to the aim, per category column

    @property
    def active_issues(self) -> int:
        return sum(self.issue_counts)


@dataclass(frozen=True)
class MeasureColumn:
    measure_id: int
    name: str
    aim_id: int | None
    key_measure: bool


@dataclass(frozen=True)
class CategoryColumn:
    category_id: int | None
    label: str


@dataclass(frozen=True)
class Alignment:
    """The whole matrix: aims as rows; measures and issue categories as columns.

    ``unlinked_issue_counts`` are the active issues not tied to any aim, per category;
    ``unlinked_measures`` the measures that neither serve an aim nor track a goal.
    """

    unit_id: int
    unit_name: str
    aims: tuple[AimRow, ...]
    measures: tuple[MeasureColumn, ...]
    categories: tuple[CategoryColumn, ...]
    unlinked_issue_counts: tuple[int, ...]
    unlinked_measures: tuple[MeasureColumn, ...]

    def link(self, aim_id: int, measure_id: int) -> Link:
        aim = next((a for a in self.aims if a.aim_id == aim_id), None)
        column = next((m for m in self.measures if m.measure_id == measure_id), None)
        if aim is None or column is None:
            return Link.NONE
        serves = column.aim_id == aim_id
        goal = any(g.measure_id == measure_id for g in aim.goals)
        if serves and goal:
            return Link.BOTH
        if serves:
            return Link.SERVES
        return Link.GOAL if goal else Link.NONE

    def measures_for(self, aim_id: int) -> list[MeasureColumn]:
        return [m for m in self.measures if self.link(aim_id, m.measure_id) is not Link.NONE]


@dataclass(frozen=True)
class IssueRef:
    """An issue as a cell of the matrix lists it, to open it."""

    issue_id: int
    number: int
    description: str
    status: str

    @property
    def label(self) -> str:
        text = " ".join(self.description.split())
        if len(text) > 80:
            text = text[:79] + "…"
        return f"#{self.number} {text} ({STATUS_LABELS[IssueStatus(self.status)]})"


def gather_alignment(db: Database, unit_id: int) -> Alignment:
    """The unit's aims, goals, measures and active issues, and how they connect."""
    with db.reader() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("That unit no longer exists.")
        unit_name = unit.name
        counted = session.execute(
            select(SafetyIssue.aim_id, SafetyIssue.category_id, func.count())
            .where(
                SafetyIssue.unit_id == unit_id,
                SafetyIssue.archived_at.is_(None),
                SafetyIssue.status.in_(ACTIVE_STATUSES),
            )
            .group_by(SafetyIssue.aim_id, SafetyIssue.category_id)
        ).all()
        used = {category for _, category, _ in counted if category is not None}
        labels = {
            c.id: (c.position, c.label)
            for c in session.scalars(select(Choice).where(Choice.id.in_(used)))
        }
    counts: Counter[tuple[int | None, int | None]] = Counter()
    for aim_id, category_id, n in counted:
        counts[(aim_id, category_id)] += n
    categories = [
        CategoryColumn(cid, labels[cid][1]) for cid in sorted(labels, key=lambda c: labels[c])
    ]
    if any(category is None for _, category in counts):
        categories.append(CategoryColumn(None, NO_CATEGORY))

    infos = measures.list_measures(db, unit_id)
    by_id = {m.id: m for m in infos}
    columns = tuple(
        MeasureColumn(m.id, m.fields.name, m.fields.aim_id, m.fields.key_measure) for m in infos
    )
    aims: list[AimRow] = []
    for aim in units.list_aims(db, unit_id):
        goals = tuple(_goal_status(g, by_id.get(g.measure_id or -1)) for g in aim.goals)
        aims.append(
            AimRow(
                aim_id=aim.id,
                title=aim.title,
                description=aim.description,
                external_target=aim.external_target,
                goals=goals,
                issue_counts=tuple(counts[(aim.id, c.category_id)] for c in categories),
            )
        )
    aim_ids = {a.aim_id for a in aims}
    goal_measures = {g.measure_id for a in aims for g in a.goals}
    # issues tied to an archived aim count as not linked: nobody is steering them
    unlinked_counts = tuple(
        sum(n for (aim, cat), n in counts.items() if cat == c.category_id and aim not in aim_ids)
        for c in categories
    )
    unlinked_measures = tuple(
        m for m in columns if m.aim_id not in aim_ids and m.measure_id not in goal_measures
    )
    return Alignment(
        unit_id=unit_id,
        unit_name=unit_name,
        aims=tuple(aims),
        measures=columns,
        categories=tuple(categories),
        unlinked_issue_counts=unlinked_counts,
        unlinked_measures=unlinked_measures,
    )


def _goal_status(goal: units.GoalInfo, info: measures.MeasureInfo | None) -> GoalStatus:
    target = goal.target_value
    if target is None and info is not None:
        target = info.fields.target
    direction = info.fields.direction if info is not None else "down"
    if info is None:
        state = GoalState.NOT_MEASURED
    elif info.latest_value is None:
        state = GoalState.NO_DATA
    elif target is None:
        state = GoalState.NO_TARGET
    else:
        met = measures.meets_target(info.latest_value, target, direction)
        state = GoalState.ON_TRACK if met else GoalState.NOT_ON_TRACK
    return GoalStatus(
        goal_id=goal.id,
        description=goal.description,
        due_date=goal.due_date,
        measure_id=info.id if info is not None else None,
        measure_name=info.fields.name if info is not None else "",
        unit_label=info.fields.unit_label if info is not None else "",
        direction=direction,
        target=target,
        latest_period=info.latest_period if info is not None else None,
        latest_value=info.latest_value if info is not None else None,
        state=state,
    )


def issues_in_cell(
    db: Database, unit_id: int, aim_id: int | None, category_id: int | None
) -> tuple[list[IssueRef], int]:
    """The active issues behind one count of the matrix (highest priority first), and how many.

    ``aim_id`` None means issues tied to no current aim; ``category_id`` None, no category.
    """
    where = [
        SafetyIssue.unit_id == unit_id,
        SafetyIssue.archived_at.is_(None),
        SafetyIssue.status.in_(ACTIVE_STATUSES),
        SafetyIssue.category_id.is_(None)
        if category_id is None
        else SafetyIssue.category_id == category_id,
    ]
    if aim_id is None:
        current = [a.id for a in units.list_aims(db, unit_id)]
        where.append(SafetyIssue.aim_id.is_(None) | SafetyIssue.aim_id.not_in(current))
    else:
        where.append(SafetyIssue.aim_id == aim_id)
    with db.reader() as session:
        total = session.scalar(select(func.count()).select_from(SafetyIssue).where(*where)) or 0
        rows = session.execute(
            select(SafetyIssue.id, SafetyIssue.number, SafetyIssue.description, SafetyIssue.status)
            .where(*where)
            .order_by(
                SafetyIssue.priority_rank.is_(None),
                SafetyIssue.priority_rank,
                SafetyIssue.number,
            )
            .limit(CELL_ISSUE_LIMIT)
        ).all()
    return [IssueRef(r[0], r[1], r[2], r[3]) for r in rows], total
