"""The one-page executive summary: aims and goals, the open-issue trend, wins and help needed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pdf_reading import DEMO_DAY, HOSTILE, flat, links_and_images, page_texts, pdf_text, qpdf_ok

from cuspdesk.db import Database
from cuspdesk.reports.summary import summary_pdf
from cuspdesk.services import briefing, issues, units


def test_demo_summary_is_one_page_with_aims_goals_wins_and_help(
    demo_db: Database, tmp_path: Path
) -> None:
    unit = units.find_unit(demo_db, None)
    data = briefing.gather_summary(demo_db, unit.id, DEMO_DAY)
    pdf = summary_pdf(data)
    qpdf_ok(pdf, tmp_path)
    pages = page_texts(pdf)
    assert len(pages) == 1 and "Page 1 of 1" in pages[0]
    text = flat(pdf_text(pdf))
    assert "Executive summary: 5 North Surgical ICU" in text
    for aim in units.list_aims(demo_db, unit.id):
        assert aim.title in text
        for goal in aim.goals:
            assert goal.description in text
    falls = next(g for a in data.aims for g in a.goals if g.measure_name == "Falls with injury")
    assert falls.latest_value is not None and falls.target == 0.5
    assert ("✓ Met" if falls.met else "✗ Not yet") in text
    assert "Open issues, month by month" in text
    assert f"Open at month end: {data.trend[-1].open_at_end} now" in text
    assert data.trend[-1].month == date(2026, 11, 1) and len(data.trend) == 12
    for win in data.wins:
        assert f"✔ #{win.number}" in text
    needing = issues.list_issues(
        demo_db,
        issues.IssueQuery(unit_id=unit.id, needs_executive_only=True, sort="priority_rank"),
    ).rows
    assert [r.number for r in data.help_needed.rows] == [r.number for r in needing][:5]
    for row in data.help_needed.rows:
        assert f"#{row.number}" in text
    assert links_and_images(pdf) == (0, 0)


def test_open_issue_trend_counts_each_month(db: Database) -> None:
    unit = units.create_unit(db, units.UnitFields(name="4 West"))
    first = issues.create_issue(
        db, unit.id, issues.IssueFields("Old problem", date(2026, 9, 10), action_plan="Fix it")
    )
    issues.create_issue(db, unit.id, issues.IssueFields("New problem", date(2026, 11, 2)))
    detail = issues.get_issue(db, first.id)
    fields = detail.fields
    fields.date_resolved = date(2026, 10, 20)
    issues.update_issue(db, first.id, fields, expected_version=detail.version, status="resolved")
    trend = briefing.open_issue_trend(db, unit.id, date(2026, 11, 24), months=4)
    assert [(t.month, t.opened, t.closed, t.open_at_end) for t in trend] == [
        (date(2026, 8, 1), 0, 0, 0),
        (date(2026, 9, 1), 1, 0, 1),
        (date(2026, 10, 1), 0, 1, 0),
        (date(2026, 11, 1), 1, 0, 1),
    ]


def test_summary_of_an_empty_unit_and_of_hostile_text(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="Empty & <new>"))
    pdf = summary_pdf(briefing.gather_summary(db, unit.id, DEMO_DAY))
    qpdf_ok(pdf, tmp_path)
    text = flat(pdf_text(pdf))
    assert "Executive summary: Empty & <new>" in text
    assert "No strategic aims have been recorded yet." in text
    assert "No barrier is waiting for senior leadership." in text
    units.create_aim(db, unit.id, units.AimFields(HOSTILE[2], goals=[units.GoalFields(HOSTILE[3])]))
    for hostile in HOSTILE:
        issues.create_issue(
            db,
            unit.id,
            issues.IssueFields(
                hostile, DEMO_DAY - timedelta(days=5), barriers=hostile, needs_executive=True
            ),
        )
    pdf = summary_pdf(briefing.gather_summary(db, unit.id, DEMO_DAY))
    qpdf_ok(pdf, tmp_path)
    text = flat(pdf_text(pdf))
    assert HOSTILE[2] in text and HOSTILE[3] in text
    for hostile in HOSTILE[:5]:
        assert hostile in text
    assert f"… and {len(HOSTILE) - 5} more in the tracking log." in text
    assert links_and_images(pdf) == (0, 0)
