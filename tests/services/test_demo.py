"""The sample unit behind ``cuspdesk demo``: a believable year of records, and a sound database."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from cuspdesk.db import Database, open_database
from cuspdesk.errors import ValidationError
from cuspdesk.models import IssueStatus
from cuspdesk.services import (
    assessments,
    backup,
    defects,
    issues,
    measures,
    meetings,
    rounds,
    units,
)
from cuspdesk.services.audit import list_audit_events
from cuspdesk.services.demo import DEMO_UNIT_NAME, create_demo_unit
from cuspdesk.services.validation import today


def sqlite_pragmas(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return integrity, orphans


def test_the_sample_unit_reads_like_a_year_of_a_real_units_work(any_db: Database) -> None:
    now = today()
    unit = create_demo_unit(any_db)
    assert unit.name == DEMO_UNIT_NAME
    assert unit.hospital and unit.bed_count and unit.cusp_start_date

    # Running it again is refused; the first one is left as it was.
    with pytest.raises(ValidationError) as again:
        create_demo_unit(any_db)
    assert str(again.value) == (f"The sample unit “{DEMO_UNIT_NAME}” is already in this database.")
    assert [u.name for u in units.list_units(any_db)] == [DEMO_UNIT_NAME]

    # The team and its executive partner.
    team = units.list_team(any_db, unit.id)
    assert len(team) >= 8
    assert {"champion", "nurse_manager", "physician_champion", "executive_partner"} <= {
        m.role_key for m in team
    }
    partner = units.current_executive_partner(any_db, unit.id)
    assert partner is not None
    assert partner.full_name in {m.full_name for m in team}

    # About sixty issues, every status, some overdue, ranks 1..n.
    log = issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).rows
    assert 50 <= len(log) <= 75
    counts = issues.count_issues(any_db, unit.id, on=now)
    assert all(counts.by_status[s.value] > 0 for s in IssueStatus), counts.by_status
    assert counts.overdue > 0
    assert counts.needs_executive > 0
    ranked = issues.list_ranked(any_db, unit.id)
    assert [r.priority_rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert len(ranked) == counts.open
    sources = Counter(r.source for r in log)
    assert {"safety_round", "meeting", "defect_review", "assessment", "event_report"} <= set(
        sources
    )
    assert len({r.description for r in log}) >= 50, "the sample repeats itself"
    assert all(r.owner for r in log)
    closed = [issues.get_issue(any_db, r.id) for r in log if r.status == "closed"]
    assert all(c.fields.risk_reduced_evidence for c in closed)
    histories = [n.text for r in log for n in issues.get_issue(any_db, r.id).notes]
    assert any(text.startswith("Reopened") for text in histories)

    # Monthly executive meetings for a year, and the next one planned.
    held = [m for m in meetings.list_meetings(any_db, unit.id) if m.meeting_date <= now]
    executive = [m for m in held if m.kind == "Monthly executive meeting"]
    months = {(m.meeting_date.year, m.meeting_date.month) for m in executive}
    assert len(months) >= 12
    assert any(not m.executive_attended for m in executive), "an executive missed none"
    assert any(m.meeting_date > now for m in meetings.list_meetings(any_db, unit.id))

    # Rounds with findings, and the next round planned.
    all_rounds = rounds.list_rounds(any_db, unit.id)
    walked = [r for r in all_rounds if r.round_date <= now]
    assert len(walked) >= 12
    assert all(r.finding_count >= 2 for r in walked)
    assert any(r.round_date > now for r in all_rounds)

    # Staff safety assessment responses, some of them turned into issues.
    responses = assessments.list_responses(any_db, unit.id)
    assert len(responses) >= 15
    assert any(r.issue_id is not None for r in responses)
    assert any(r.anonymous for r in responses) or all(r.respondent_role for r in responses)

    # About one learning-from-defects review a month, with factors, actions and sharing.
    reviews = defects.list_reviews(any_db, unit.id)
    assert len(reviews) >= 6
    assert all(r.factor_count > 0 and r.action_count > 0 for r in reviews)
    assert sum(r.shared for r in reviews) >= len(reviews) - 2
    assert any(r.harm_reached_patient for r in reviews)

    # Three measures with two years of monthly data.
    unit_measures = measures.list_measures(any_db, unit.id)
    assert len(unit_measures) == 3
    for measure in unit_measures:
        points = measures.list_points(any_db, measure.id)
        assert 22 <= len(points) <= 25, measure.fields.name
        periods = [p.period for p in points]
        assert all(p.day == 1 for p in periods)
        assert all(
            (b.year - a.year) * 12 + b.month - a.month == 1
            for a, b in zip(periods, periods[1:], strict=False)
        ), "a month is missing"
        assert all(p.value is not None for p in points)
    assert any(measures.active_baseline(any_db, m.id) for m in unit_measures)
    assert any(measures.list_annotations(any_db, m.id) for m in unit_measures)

    # Aims with measurable goals, some read off the measures.
    aims = units.list_aims(any_db, unit.id)
    assert len(aims) >= 3
    assert all(a.goals for a in aims)
    assert {g.measure_id for a in aims for g in a.goals} >= {m.id for m in unit_measures}

    # Sound: the check passes and every change was audited.
    assert backup.check_database(any_db).ok
    assert len(list_audit_events(any_db, unit_id=unit.id, limit=5)) == 5
    if any_db.path is not None:
        any_db.dispose()
        assert sqlite_pragmas(any_db.path) == ([("ok",)], [])


def _sample_issues(path: Path, day: date) -> list[tuple[object, ...]]:
    db = open_database(path)
    try:
        unit = create_demo_unit(db, today=day)
        return [
            (r.number, r.description, r.status, r.target_date and (r.target_date - day).days)
            for r in issues.list_issues(db, issues.IssueQuery(unit_id=unit.id)).rows
        ]
    finally:
        db.dispose()


def test_the_sample_is_the_same_whatever_the_day_only_its_dates_move(tmp_path: Path) -> None:
    """A trainer's handout and the tests both rely on "issue 12" being the same issue."""
    june = _sample_issues(tmp_path / "a.sqlite3", date(2026, 6, 15))
    assert june == _sample_issues(tmp_path / "b.sqlite3", date(2026, 6, 15))
    assert june == _sample_issues(tmp_path / "c.sqlite3", date(2025, 12, 3))
    assert len(june) >= 50


def test_a_sample_dated_in_the_future_is_refused_in_words(db: Database) -> None:
    with pytest.raises(ValidationError, match="The sample unit's date cannot be in the future"):
        create_demo_unit(db, today=date.fromordinal(today().toordinal() + 3))
    assert units.list_units(db) == []
