"""The data behind the printed documents, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, timedelta

from cuspdesk.db import Database
from cuspdesk.services import briefing, issues, measures, meetings, units
from cuspdesk.services.demo import create_demo_unit

DAY = date(2026, 11, 24)


def _unit_with_issues(db: Database) -> tuple[int, dict[str, int]]:
    unit = units.create_unit(db, units.UnitFields(name="4 West", confidentiality_footer="Private"))
    owner = units.add_team_member(db, unit.id, units.PersonFields("Ana Silva")).person_id
    meetings.create_meeting(
        db, unit.id, meetings.MeetingFields(meeting_date=date(2026, 11, 10), title="November")
    )
    made: dict[str, int] = {}

    def add(key: str, identified: date, **extra: object) -> None:
        fields = issues.IssueFields(
            description=f"Issue {key}",
            date_identified=identified,
            owner_id=owner,
            action_plan="Plan",
            **extra,  # type: ignore[arg-type]
        )
        made[key] = issues.create_issue(db, unit.id, fields).id

    add("old_overdue", date(2026, 9, 1), target_date=date(2026, 10, 1), likelihood=5, severity=5)
    add("new", date(2026, 11, 15), target_date=date(2026, 12, 20))
    add("barrier", date(2026, 10, 1), barriers="Needs money", needs_executive=True)
    add("done", date(2026, 10, 2))
    add("before_meeting", date(2026, 11, 9))
    detail = issues.get_issue(db, made["done"])
    fields = detail.fields
    fields.date_resolved = date(2026, 11, 12)
    fields.risk_reduced_evidence = "Audit shows 100%"
    issues.update_issue(
        db,
        made["done"],
        fields,
        expected_version=detail.version,
        status="closed",
        status_date=date(2026, 11, 20),
    )
    return unit.id, made


def test_briefing_counts_and_lists(any_db: Database) -> None:
    unit_id, made = _unit_with_issues(any_db)
    data = briefing.gather_briefing(any_db, unit_id, DAY)
    assert data.since.start == date(2026, 11, 10) and data.since.meeting_title == "November"
    assert [r.description for r in data.opened.rows] == ["Issue new"]
    assert data.closed_total == 1 and data.resolved_total == 0
    [closed] = data.closed
    assert (closed.description, closed.on, closed.evidence) == (
        "Issue done",
        date(2026, 11, 20),
        "Audit shows 100%",
    )
    assert data.counts.open == 4
    assert data.counts.overdue == 1
    assert [r.id for r in data.barriers.rows] == [made["barrier"]]
    assert data.top_concerns.total == 4
    assert data.top_concerns.rows[0].id == made["old_overdue"]
    assert data.other_open.total == 0  # all four active issues are top concerns
    assert data.footer == "Private"
    assert data.days_since_harm is None
    assert data.measures == ()


def test_changes_after_the_briefing_day_are_left_out(any_db: Database) -> None:
    unit_id, _ = _unit_with_issues(any_db)
    data = briefing.gather_briefing(any_db, unit_id, date(2026, 11, 19))
    assert data.closed_total == 0
    assert data.counts.open == 4


def test_with_more_issues_than_fit_the_list_says_how_many_more(any_db: Database) -> None:
    unit = units.create_unit(any_db, units.UnitFields(name="Big"))
    with any_db.session() as session:
        for i in range(30):
            issues.create_issue_in(
                session,
                unit.id,
                issues.IssueFields(
                    f"Issue {i}",
                    date(2026, 1, 1),
                    target_date=date(2026, 2, 1) + timedelta(days=i),
                ),
            )
    data = briefing.gather_briefing(any_db, unit.id, DAY)
    assert data.top_concerns.total == 30 and len(data.top_concerns.rows) == briefing.TOP_CONCERNS
    shown = len(data.other_open.rows)
    assert shown == briefing.OPEN_ISSUES_SHOWN
    assert data.other_open.more == 30 - briefing.TOP_CONCERNS - shown
    # Most overdue first: the earliest target dates.
    days = [r.days_overdue for r in data.other_open.rows]
    assert days == sorted(days, reverse=True)


def test_summary_aims_trend_and_help(any_db: Database) -> None:
    unit_id, made = _unit_with_issues(any_db)
    measure = measures.create_measure(
        any_db,
        unit_id,
        measures.MeasureFields(name="Falls", kind="count", target=2.0, direction="down"),
    )
    for month in range(1, 11):
        measures.set_point(any_db, measure.id, date(2026, month, 1), value=float(month % 4))
    units.create_aim(
        any_db,
        unit_id,
        units.AimFields(
            "Fewer falls",
            external_target="Hospital plan",
            goals=[units.GoalFields("At most 2 a month", measure.id, 2.0)],
        ),
    )
    data = briefing.gather_summary(any_db, unit_id, DAY)
    [aim] = data.aims
    [goal] = aim.goals
    assert goal.measure_name == "Falls" and goal.latest_value == 2.0 and goal.met is True
    assert goal.latest_period == "2026-10"
    assert [m.month for m in data.trend][-1] == date(2026, 11, 1)
    assert data.trend[-1].open_at_end == 4
    assert [r.id for r in data.help_needed.rows] == [made["barrier"]]
    assert data.trend_chart is not None and data.trend_chart.kind == "run"


def test_tracking_log_filters_in_words(any_db: Database) -> None:
    unit_id, _ = _unit_with_issues(any_db)
    query = issues.IssueQuery(statuses=["open"], overdue_only=True, text="Issue")
    data = briefing.gather_tracking_log(any_db, unit_id, query, on=DAY)
    assert [r.description for r in data.rows] == ["Issue old_overdue"]
    assert data.filters == ("status: Open", "overdue only", "matching “Issue”")
    assert data.total_in_log == 5


def test_demo_measures_chart_like_the_screen(db: Database) -> None:
    unit = create_demo_unit(db, today=DAY)
    charts = briefing.key_measure_charts(db, unit.id)
    assert [c.name for c in charts] == [
        "Falls with injury",
        "CLABSI",
        "Days between pressure injuries",
    ]
    falls = charts[0]
    assert falls.chart is not None and falls.chart.kind == "u"
    assert falls.chart.baseline is not None
    assert falls.annotations and falls.reading.startswith(("Special-cause", "No special-cause"))
    assert all(p.period[:4].isdigit() for p in falls.chart.points)


def test_a_briefing_for_a_past_date_charts_the_data_as_it_stood(db: Database) -> None:
    unit = create_demo_unit(db, today=DAY)
    data = briefing.gather_briefing(db, unit.id, date(2026, 6, 15))
    for m in data.measures:
        assert m.chart is not None
        assert m.chart.points[-1].period == "2026-06"
        assert m.latest_period == "2026-06"
