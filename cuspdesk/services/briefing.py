"""What the printed documents say, gathered as plain data from the other services.

The documents in ``cuspdesk/reports`` never touch the database: they are handed
the frozen dataclasses built here, so the same facts can be printed, previewed
and tested without a PDF in the way. Lists meant for a reader in a hurry are cut
to the most important lines, and say how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select

from cuspdesk.db import Database
from cuspdesk.models import (
    ACTIVE_STATUSES,
    SOURCE_LABELS,
    IssueSource,
    IssueStatus,
    Person,
    SafetyIssue,
)
from cuspdesk.services import defects, issues, measures, meetings, rounds, units
from cuspdesk.services.alignment import Alignment, gather_alignment
from cuspdesk.services.chart import (
    ChartInput,
    ChartResult,
    compute_chart,
    describe_signals,
)
from cuspdesk.services.measure_charts import chart_for_measure
from cuspdesk.services.validation import Checker, today

TOP_CONCERNS = 5
OPEN_ISSUES_SHOWN = 4
BARRIERS_SHOWN = 5
KEY_MEASURES_SHOWN = 3
REVIEWS_SHOWN = 2
REVIEW_WINDOW_DAYS = 90
WINS_WINDOW_DAYS = 90
WINS_SHOWN = 4
HELP_SHOWN = 5
TREND_MONTHS = 12
SINCE_FALLBACK_DAYS = 30
CHANGES_SHOWN = 3


# Short names of the chart signals for small print (the charts list them in full).
SIGNAL_WORDS = {
    "outside_limits": "point outside the limits",
    "astronomical": "astronomical point",
    "shift": "shift",
    "trend": "trend",
    "two_of_three": "2 of 3 near a limit",
    "four_of_five": "4 of 5 beyond 1 sigma",
    "eight_side": "8 in a row on one side",
    "fifteen_inner": "15 hugging the centre line",
    "runs": "too few or too many runs",
    "crossings": "too few crossings",
}


# --- plain data ----------------------------------------------------------------------


@dataclass(frozen=True)
class IssueChange:
    """An issue resolved or closed in a period: what, who, when, and how we know."""

    number: int
    description: str
    owner: str
    on: date
    status: str
    evidence: str = ""
    staff_feedback: str = ""


@dataclass(frozen=True)
class Shortlist:
    """The first lines of a longer list, and how many there are in all."""

    rows: tuple[issues.IssueRow, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class MeasureChart:
    """A key measure ready to draw: the computed chart, its target and annotations."""

    measure_id: int
    name: str
    unit_label: str
    direction: str
    target: float | None
    chart: ChartResult | None
    annotations: tuple[tuple[str, str], ...]
    latest_period: str | None
    latest_value: float | None
    signals: tuple[str, ...]
    problem: str = ""
    headline: str = ""  # measure_charts' reading, the same words the Measures screen shows

    @property
    def reading(self) -> str:
        """One plain sentence on what the chart shows, for the reader who only skims."""
        if self.headline:
            return self.headline
        if self.chart is None:
            return self.problem
        if not self.chart.signals:
            return "No special-cause signal: only common-cause variation."
        names = ", ".join(SIGNAL_WORDS.get(s, s) for s in self.chart.signals)
        flagged = [p for p in self.chart.points if p.signals]
        last = f"; last flagged {flagged[-1].period}" if flagged else ""
        verdict = improvement(self)
        side = {"better": ", on the better side", "worse": ", on the worse side"}.get(verdict, "")
        return f"Special-cause signal: {names}{last}{side}."


@dataclass(frozen=True)
class ReviewSummary:
    """A recent Learning from Defects review in a few lines."""

    id: int
    title: str
    review_date: date
    harm_reached_patient: bool
    what_happened: str
    how_risk_reduced: str
    factors_against: tuple[str, ...]
    factors_for: tuple[str, ...]
    action_count: int
    open_action_count: int
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class Period:
    """The window "since the last meeting": from the day after ``start`` up to the briefing."""

    start: date
    label: str
    meeting_title: str = ""


@dataclass(frozen=True)
class BriefingData:
    unit: units.UnitInfo
    briefing_date: date
    team: tuple[units.MemberInfo, ...]
    executive: units.ExecutivePartnerInfo | None
    since: Period
    next_meeting: date | None
    next_round: date | None
    next_round_area: str
    counts: issues.IssueCounts
    opened: Shortlist
    resolved: tuple[IssueChange, ...]
    resolved_total: int
    closed: tuple[IssueChange, ...]
    closed_total: int
    top_concerns: Shortlist
    # Active issues other than the top concerns, the most overdue first.
    other_open: Shortlist
    overdue: Shortlist
    barriers: Shortlist
    measures: tuple[MeasureChart, ...]
    reviews: tuple[ReviewSummary, ...]
    questions: tuple[str, ...]
    days_since_harm: int | None
    footer: str


@dataclass(frozen=True)
class GoalProgress:
    description: str
    measure_name: str
    unit_label: str
    direction: str
    target: float | None
    latest_value: float | None
    latest_period: str | None
    due_date: date | None

    @property
    def met(self) -> bool | None:
        """Whether the latest value meets the target (None when either is missing)."""
        if self.target is None or self.latest_value is None:
            return None
        if self.direction == "up":
            return self.latest_value >= self.target
        return self.latest_value <= self.target


@dataclass(frozen=True)
class AimProgress:
    title: str
    external_target: str
    goals: tuple[GoalProgress, ...]
    open_issues: int
    closed_issues: int


@dataclass(frozen=True)
class MonthCount:
    month: date
    opened: int
    closed: int
    open_at_end: int


@dataclass(frozen=True)
class SummaryData:
    unit: units.UnitInfo
    summary_date: date
    executive: units.ExecutivePartnerInfo | None
    counts: issues.IssueCounts
    aims: tuple[AimProgress, ...]
    trend: tuple[MonthCount, ...]
    trend_chart: ChartResult | None
    wins: tuple[IssueChange, ...]
    improving: tuple[MeasureChart, ...]
    help_needed: Shortlist
    days_since_harm: int | None
    footer: str
    alignment: Alignment | None = None  # the strategic alignment page after the summary


@dataclass(frozen=True)
class ActionLine:
    """A new action (tracking-log issue) from a meeting or review, with who and by when."""

    number: int
    description: str
    owner: str
    target_date: date | None
    status: str


@dataclass(frozen=True)
class MeetingData:
    unit: units.UnitInfo
    meeting: meetings.MeetingDetail
    actions: tuple[ActionLine, ...]
    open_items: Shortlist
    is_agenda: bool
    footer: str


@dataclass(frozen=True)
class TrackingLogData:
    unit: units.UnitInfo
    printed_on: date
    rows: tuple[issues.IssueRow, ...]
    total_in_log: int
    filters: tuple[str, ...]
    footer: str


@dataclass(frozen=True)
class DefectFormData:
    unit: units.UnitInfo
    review: defects.DefectDetail
    actions: tuple[ActionLine, ...]
    footer: str


# --- the briefing --------------------------------------------------------------------


def gather_briefing(db: Database, unit_id: int, on: date | None = None) -> BriefingData:
    """Everything the pre-rounds briefing prints, as of ``on`` (default today)."""
    when = on or today()
    check = Checker()
    check.date_in_range("date", "The briefing date", when, required=True)
    check.raise_if_any()
    unit = units.get_unit(db, unit_id)
    since = _since_last_meeting(db, unit_id, when)
    active = issues.list_issues(
        db, issues.IssueQuery(unit_id=unit_id, active_only=True, sort="priority_rank", today=when)
    ).rows
    opened = issues.list_issues(
        db,
        issues.IssueQuery(
            unit_id=unit_id,
            identified_from=since.start + timedelta(days=1),
            identified_to=when,
            sort="number",
            today=when,
        ),
    ).rows
    resolved = _changes(db, unit_id, since.start, when, closed=False)
    closed = _changes(db, unit_id, since.start, when, closed=True)
    overdue = sorted((r for r in active if r.overdue), key=lambda r: (-r.days_overdue, r.number))
    top = [r for r in active if r.priority_rank is not None][:TOP_CONCERNS]
    listed = {r.id for r in top}
    attention = sorted((r for r in active if r.id not in listed), key=_attention_order)
    barriers = [r for r in active if r.needs_executive or r.status == IssueStatus.BLOCKED.value]
    next_round = _next_round(db, unit_id, when)
    return BriefingData(
        unit=unit,
        briefing_date=when,
        team=tuple(units.list_team(db, unit_id)),
        executive=units.current_executive_partner(db, unit_id, when),
        since=since,
        next_meeting=_next_meeting(db, unit_id, when),
        next_round=next_round[0] if next_round else None,
        next_round_area=next_round[1] if next_round else "",
        counts=issues.count_issues(db, unit_id, on=when),
        opened=_shortlist(opened, CHANGES_SHOWN),
        resolved=tuple(resolved[:CHANGES_SHOWN]),
        resolved_total=len(resolved),
        closed=tuple(closed[:CHANGES_SHOWN]),
        closed_total=len(closed),
        top_concerns=Shortlist(tuple(top), sum(1 for r in active if r.priority_rank is not None)),
        other_open=_shortlist(attention, OPEN_ISSUES_SHOWN),
        overdue=_shortlist(overdue, OPEN_ISSUES_SHOWN),
        barriers=_shortlist(barriers, BARRIERS_SHOWN),
        measures=tuple(key_measure_charts(db, unit_id, when)[:KEY_MEASURES_SHOWN]),
        reviews=tuple(recent_reviews(db, unit_id, when)),
        questions=tuple(rounds.STANDARD_QUESTIONS),
        days_since_harm=days_since_harm(db, unit_id, when),
        footer=unit.confidentiality_footer,
    )


def _attention_order(row: issues.IssueRow) -> tuple[int, date, int, int]:
    """Overdue first (most overdue on top), then by target date, then by priority rank."""
    return (-row.days_overdue, row.target_date or date.max, row.priority_rank or 10**9, row.number)


def _shortlist(rows: Sequence[issues.IssueRow], limit: int) -> Shortlist:
    return Shortlist(tuple(rows[:limit]), len(rows))


def _since_last_meeting(db: Database, unit_id: int, when: date) -> Period:
    for row in meetings.list_meetings(db, unit_id):
        if row.meeting_date < when:
            title = row.title or row.kind or "Meeting"
            return Period(row.meeting_date, "since the last meeting", title)
    start = when - timedelta(days=SINCE_FALLBACK_DAYS)
    return Period(start, f"in the last {SINCE_FALLBACK_DAYS} days")


def _next_meeting(db: Database, unit_id: int, when: date) -> date | None:
    upcoming = [
        m.meeting_date for m in meetings.list_meetings(db, unit_id) if m.meeting_date >= when
    ]
    return min(upcoming) if upcoming else None


def _next_round(db: Database, unit_id: int, when: date) -> tuple[date, str] | None:
    upcoming = [
        (r.round_date, r.area) for r in rounds.list_rounds(db, unit_id) if r.round_date >= when
    ]
    return min(upcoming) if upcoming else None


def _changes(
    db: Database, unit_id: int, after: date, until: date, *, closed: bool
) -> list[IssueChange]:
    """Issues resolved (or closed) after ``after`` up to ``until``, latest first."""
    when_col = SafetyIssue.date_closed if closed else SafetyIssue.date_resolved
    query = (
        select(
            SafetyIssue.number,
            SafetyIssue.description,
            func.coalesce(Person.full_name, ""),
            when_col,
            SafetyIssue.status,
            SafetyIssue.risk_reduced_evidence,
            SafetyIssue.staff_feedback,
        )
        .outerjoin(Person, Person.id == SafetyIssue.owner_id)
        .where(
            SafetyIssue.unit_id == unit_id,
            SafetyIssue.archived_at.is_(None),
            when_col > after,
            when_col <= until,
        )
        .order_by(when_col.desc(), SafetyIssue.number.desc())
    )
    if not closed:
        query = query.where(SafetyIssue.status == IssueStatus.RESOLVED.value)
    with db.reader() as session:
        return [
            IssueChange(number, text, owner, on, status, evidence, feedback)
            for number, text, owner, on, status, evidence, feedback in session.execute(query)
            if on is not None
        ]


def days_since_harm(db: Database, unit_id: int, when: date) -> int | None:
    """Days since the last issue flagged as harm reaching a patient (None if never)."""
    with db.reader() as session:
        last = session.scalar(
            select(func.max(SafetyIssue.date_identified)).where(
                SafetyIssue.unit_id == unit_id,
                SafetyIssue.archived_at.is_(None),
                SafetyIssue.harm_event.is_(True),
                SafetyIssue.date_identified <= when,
            )
        )
    return (when - last).days if last is not None else None


def recent_reviews(db: Database, unit_id: int, when: date) -> list[ReviewSummary]:
    rows = [
        r
        for r in defects.list_reviews(db, unit_id, since=when - timedelta(days=REVIEW_WINDOW_DAYS))
        if r.review_date <= when
    ]
    out: list[ReviewSummary] = []
    for row in rows[:REVIEWS_SHOWN]:
        detail = defects.get_review(db, row.id)
        f = detail.fields
        out.append(
            ReviewSummary(
                id=row.id,
                title=f.title,
                review_date=f.review_date,
                harm_reached_patient=f.harm_reached_patient,
                what_happened=f.what_happened,
                how_risk_reduced=f.how_risk_reduced,
                factors_against=tuple(
                    f"{defects.factor_group_label(x.group)}: {x.description}"
                    for x in f.factors
                    if not x.positive
                ),
                factors_for=tuple(
                    f"{defects.factor_group_label(x.group)}: {x.description}"
                    for x in f.factors
                    if x.positive
                ),
                action_count=row.action_count,
                open_action_count=row.open_action_count,
                shared_with=tuple(s.audience for s in f.shares),
            )
        )
    return out


# --- measures ------------------------------------------------------------------------


def key_measure_charts(db: Database, unit_id: int, until: date | None = None) -> list[MeasureChart]:
    """The unit's key measures, each charted by the same function the screen uses."""
    return [measure_chart(db, m, until) for m in measures.list_measures(db, unit_id, key_only=True)]


def measure_chart(
    db: Database, info: measures.MeasureInfo, until: date | None = None
) -> MeasureChart:
    """One measure's chart, with the months up to ``until`` (a briefing for a past date
    shows the data as it stood then), from the bridge the Measures screen uses too."""
    charted = chart_for_measure(db, info.id, until=until)
    latest = charted.latest()
    chart = charted.result
    return MeasureChart(
        measure_id=info.id,
        name=charted.name,
        unit_label=charted.unit_label,
        direction=charted.direction,
        target=charted.target,
        chart=chart,
        annotations=tuple((a.on_date.isoformat(), a.text) for a in charted.annotations),
        latest_period=_month(latest[0]) if latest else None,
        latest_value=latest[1] if latest else None,
        signals=tuple(describe_signals(chart)) if chart is not None else (),
        problem="" if chart is not None else charted.unavailable,
        headline=charted.headline,
    )


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def improvement(m: MeasureChart) -> str:
    """ "better", "worse" or "" from the latest signalled point and the direction of good."""
    chart = m.chart
    if chart is None or not chart.signals:
        return ""
    flagged = [p for p in chart.points[-6:] if p.signals and p.value is not None]
    if not flagged:
        return ""
    last = flagged[-1]
    assert last.value is not None
    above = last.value > last.centre
    if last.value == last.centre:
        return ""
    good_is_up = m.direction == "up"
    return "better" if above == good_is_up else "worse"


# --- the executive summary -----------------------------------------------------------


def gather_summary(db: Database, unit_id: int, on: date | None = None) -> SummaryData:
    """The one-page summary for senior leadership: aims, trend, wins and help needed."""
    when = on or today()
    unit = units.get_unit(db, unit_id)
    charts = key_measure_charts(db, unit_id, when)
    all_measures = {m.id: m for m in measures.list_measures(db, unit_id)}
    chart_by_id = {c.measure_id: c for c in charts}
    aim_counts = _issue_counts_by_aim(db, unit_id)
    aims: list[AimProgress] = []
    for aim in units.list_aims(db, unit_id):
        goals: list[GoalProgress] = []
        for goal in aim.goals:
            info = all_measures.get(goal.measure_id) if goal.measure_id is not None else None
            chart = chart_by_id.get(info.id) if info is not None else None
            if info is not None and chart is None:
                chart = measure_chart(db, info, when)
            goals.append(
                GoalProgress(
                    description=goal.description,
                    measure_name=info.fields.name if info else "",
                    unit_label=info.fields.unit_label if info else "",
                    direction=info.fields.direction if info else "down",
                    target=goal.target_value,
                    latest_value=chart.latest_value if chart else None,
                    latest_period=chart.latest_period if chart else None,
                    due_date=goal.due_date,
                )
            )
        open_n, closed_n = aim_counts.get(aim.id, (0, 0))
        aims.append(AimProgress(aim.title, aim.external_target, tuple(goals), open_n, closed_n))
    trend = open_issue_trend(db, unit_id, when)
    trend_chart = None
    if len(trend) >= 2:
        trend_chart = compute_chart(
            [ChartInput(period=_month(t.month), value=float(t.open_at_end)) for t in trend], "run"
        )
    wins = [
        c
        for c in _changes(db, unit_id, when - timedelta(days=WINS_WINDOW_DAYS), when, closed=True)
        if c.status == IssueStatus.CLOSED.value
    ]
    active = issues.list_issues(
        db,
        issues.IssueQuery(
            unit_id=unit_id,
            active_only=True,
            needs_executive_only=True,
            sort="priority_rank",
            today=when,
        ),
    ).rows
    return SummaryData(
        unit=unit,
        summary_date=when,
        executive=units.current_executive_partner(db, unit_id, when),
        counts=issues.count_issues(db, unit_id, on=when),
        aims=tuple(aims),
        trend=tuple(trend),
        trend_chart=trend_chart,
        wins=tuple(wins[:WINS_SHOWN]),
        improving=tuple(c for c in charts if improvement(c) == "better"),
        help_needed=_shortlist(active, HELP_SHOWN),
        days_since_harm=days_since_harm(db, unit_id, when),
        footer=unit.confidentiality_footer,
        alignment=gather_alignment(db, unit_id),
    )


def _issue_counts_by_aim(db: Database, unit_id: int) -> dict[int, tuple[int, int]]:
    active = SafetyIssue.status.in_(ACTIVE_STATUSES)
    with db.reader() as session:
        rows = session.execute(
            select(
                SafetyIssue.aim_id,
                func.count().filter(active),
                func.count().filter(SafetyIssue.status == IssueStatus.CLOSED.value),
            )
            .where(
                SafetyIssue.unit_id == unit_id,
                SafetyIssue.archived_at.is_(None),
                SafetyIssue.aim_id.is_not(None),
            )
            .group_by(SafetyIssue.aim_id)
        ).all()
    return {aim_id: (int(o), int(c)) for aim_id, o, c in rows if aim_id is not None}


def open_issue_trend(
    db: Database, unit_id: int, when: date, months: int = TREND_MONTHS
) -> list[MonthCount]:
    """Issues opened and closed each month, and how many were open at each month's end."""
    with db.reader() as session:
        rows = session.execute(
            select(SafetyIssue.date_identified, SafetyIssue.date_resolved).where(
                SafetyIssue.unit_id == unit_id, SafetyIssue.archived_at.is_(None)
            )
        ).all()
    first = _add_months(when.replace(day=1), -(months - 1))
    out: list[MonthCount] = []
    for index in range(months):
        start = _add_months(first, index)
        end = min(_add_months(start, 1) - timedelta(days=1), when)
        opened = sum(1 for ident, _ in rows if start <= ident <= end)
        closed = sum(1 for _, done in rows if done is not None and start <= done <= end)
        open_at_end = sum(
            1 for ident, done in rows if ident <= end and (done is None or done > end)
        )
        out.append(MonthCount(start, opened, closed, open_at_end))
    return out


def _add_months(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


# --- meetings, the tracking log and defect reviews -----------------------------------


def _action_lines(db: Database, issue_ids: Sequence[int]) -> tuple[ActionLine, ...]:
    lines = []
    for issue_id in issue_ids:
        detail = issues.get_issue(db, issue_id)
        lines.append(
            ActionLine(
                detail.number,
                detail.fields.description,
                detail.owner_name,
                detail.fields.target_date,
                detail.status,
            )
        )
    return tuple(lines)


def gather_meeting(db: Database, meeting_id: int, on: date | None = None) -> MeetingData:
    """A meeting's agenda (before it happens) or minutes (once notes or decisions exist)."""
    when = on or today()
    meeting = meetings.get_meeting(db, meeting_id)
    unit = units.get_unit(db, meeting.unit_id)
    f = meeting.fields
    has_minutes = bool(f.notes.strip() or f.decisions or any(a.minutes.strip() for a in f.agenda))
    open_rows = issues.list_issues(
        db,
        issues.IssueQuery(unit_id=unit.id, active_only=True, sort="priority_rank", today=when),
    ).rows
    attention = sorted(open_rows, key=_attention_order)
    return MeetingData(
        unit=unit,
        meeting=meeting,
        actions=_action_lines(db, [a.issue_id for a in meeting.actions]),
        open_items=_shortlist(attention, OPEN_ISSUES_SHOWN),
        is_agenda=not has_minutes,
        footer=unit.confidentiality_footer,
    )


def gather_tracking_log(
    db: Database, unit_id: int, query: issues.IssueQuery | None = None, on: date | None = None
) -> TrackingLogData:
    """Every issue the query matches (all of the unit's issues by default), for printing."""
    when = on or today()
    unit = units.get_unit(db, unit_id)
    q = query or issues.IssueQuery()
    wanted = replace(q, unit_id=unit_id, offset=0, limit=None, today=when)
    rows = issues.list_issues(db, wanted).rows
    total = issues.count_issues(db, unit_id, on=when)
    return TrackingLogData(
        unit=unit,
        printed_on=when,
        rows=tuple(rows),
        total_in_log=sum(total.by_status.values()),
        filters=tuple(describe_filters(db, wanted)),
        footer=unit.confidentiality_footer,
    )


def describe_filters(db: Database, q: issues.IssueQuery) -> list[str]:
    """The query in words, printed above the log so a reader knows what was left out."""
    words: list[str] = []
    if q.statuses:
        words.append("status: " + ", ".join(IssueStatus(s).label for s in q.statuses))
    if q.active_only:
        words.append("active issues only")
    if q.overdue_only:
        words.append("overdue only")
    if q.due_within_days is not None:
        words.append(f"due within {q.due_within_days} days")
    if q.needs_executive_only:
        words.append("needing the executive")
    if q.category_ids:
        labels = {
            c.id: c.label
            for c in units.list_choices(db, units.CATEGORY_LIST, include_inactive=True)
        }
        words.append("category: " + ", ".join(labels.get(i, "?") for i in q.category_ids))
    if q.owner_ids:
        people = {p.id: p.full_name for p in units.list_people(db)}
        words.append("owner: " + ", ".join(people.get(i, "?") for i in q.owner_ids))
    if q.sources:
        words.append("source: " + ", ".join(SOURCE_LABELS[IssueSource(s)] for s in q.sources))
    if q.identified_from is not None:
        words.append(f"identified from {q.identified_from.isoformat()}")
    if q.identified_to is not None:
        words.append(f"identified up to {q.identified_to.isoformat()}")
    if q.text.strip():
        words.append(f"matching “{q.text.strip()}”")
    if q.include_archived:
        words.append("archived issues included")
    return words


def gather_defect_form(db: Database, review_id: int) -> DefectFormData:
    review = defects.get_review(db, review_id)
    unit = units.get_unit(db, review.unit_id)
    return DefectFormData(
        unit=unit,
        review=review,
        actions=_action_lines(db, [a.issue_id for a in review.actions]),
        footer=unit.confidentiality_footer,
    )
