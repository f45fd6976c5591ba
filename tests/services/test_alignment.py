"""Strategic alignment: aims, goals judged against their targets, and what serves which aim."""

from __future__ import annotations

from datetime import date

import pytest

from cuspdesk.db import Database
from cuspdesk.errors import NotFoundError
from cuspdesk.services import demo, issues, measures, units
from cuspdesk.services.alignment import (
    NO_CATEGORY,
    GoalState,
    Link,
    gather_alignment,
    issues_in_cell,
)

TODAY = date(2026, 11, 24)


def test_demo_unit_alignment(any_db: Database) -> None:
    unit = demo.create_demo_unit(any_db, today=TODAY)
    data = gather_alignment(any_db, unit.id)
    assert data.unit_name == "5 North Surgical ICU"
    assert [a.title for a in data.aims] == [
        "No preventable harm from falls",
        "Zero central line infections",
        "A unit where everyone speaks up",
    ]
    falls_aim, infection_aim, culture_aim = data.aims
    assert falls_aim.external_target.startswith("Riverside strategic plan")
    names = {m.name: m.measure_id for m in data.measures}
    assert data.link(falls_aim.aim_id, names["Falls with injury"]) is Link.BOTH
    assert data.link(falls_aim.aim_id, names["CLABSI"]) is Link.NONE
    assert [m.name for m in data.measures_for(culture_aim.aim_id)] == [
        "Days between pressure injuries"
    ]

    (falls_goal,) = falls_aim.goals
    assert falls_goal.state is GoalState.ON_TRACK
    assert falls_goal.detail == "October 2026: 0 per 1,000 patient-days; target 0.5 or lower"
    feedback, pressure = culture_aim.goals
    assert feedback.state is GoalState.NOT_MEASURED and feedback.detail == ""
    assert pressure.state is GoalState.NOT_ON_TRACK
    assert pressure.state_words == "Not on track"
    assert pressure.detail == "October 2026: 28 days; target 36 or higher"
    assert infection_aim.goals[0].state is GoalState.ON_TRACK

    # every active issue is counted once: under its aim or as not linked
    labels = [c.label for c in data.categories]
    assert "Falls" in labels and "Infection" in labels
    linked = sum(a.active_issues for a in data.aims)
    assert linked + sum(data.unlinked_issue_counts) == issues.count_issues(any_db, unit.id).open
    falls_col = labels.index("Falls")
    assert falls_aim.issue_counts[falls_col] > 0
    assert infection_aim.issue_counts[falls_col] == 0

    refs, total = issues_in_cell(
        any_db, unit.id, falls_aim.aim_id, data.categories[falls_col].category_id
    )
    assert total == falls_aim.issue_counts[falls_col] == len(refs)
    for ref in refs:
        detail = issues.get_issue(any_db, ref.issue_id)
        assert detail.fields.aim_id == falls_aim.aim_id
        assert ref.label.startswith(f"#{ref.number} ")


def new_unit(db: Database) -> int:
    return units.create_unit(db, units.UnitFields(name="4 West")).id


def add_measure(
    db: Database, unit_id: int, name: str, values: list[float], **kw: object
) -> measures.MeasureInfo:
    fields = measures.MeasureFields(name=name, unit_label="falls")
    for key, value in kw.items():
        setattr(fields, key, value)
    info = measures.create_measure(db, unit_id, fields)
    for i, v in enumerate(values):
        measures.set_point(db, info.id, date(2026, i + 1, 1), value=v)
    return info


def test_goal_states_and_targets(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    falls = add_measure(any_db, unit_id, "Falls", [4, 3], direction="down", target=5.0)
    empty = add_measure(any_db, unit_id, "Restraint use", [])
    untargeted = add_measure(any_db, unit_id, "Days between falls", [40], direction="up")
    aim = units.create_aim(
        any_db,
        unit_id,
        units.AimFields(
            "Safer mobility <b>&</b> 安全",
            external_target="National falls collaborative",
            goals=[
                units.GoalFields("Falls at 5 or fewer a month", falls.id),  # measure's target
                units.GoalFields("Falls at 2 or fewer a month", falls.id, 2.0),  # own target
                units.GoalFields("Restraint use halved", empty.id, 1.0),
                units.GoalFields("More days between falls", untargeted.id),
                units.GoalFields("Huddles every shift"),
            ],
        ),
    )
    data = gather_alignment(any_db, unit_id)
    (row,) = data.aims
    assert row.title == "Safer mobility <b>&</b> 安全"
    assert [g.state for g in row.goals] == [
        GoalState.ON_TRACK,
        GoalState.NOT_ON_TRACK,
        GoalState.NO_DATA,
        GoalState.NO_TARGET,
        GoalState.NOT_MEASURED,
    ]
    assert row.goals[0].target == 5.0 and row.goals[1].target == 2.0
    assert row.goals[1].detail == "February 2026: 3 falls; target 2 or lower"
    # goal measures are linked to the aim even without Measure.aim_id
    assert data.link(aim.id, falls.id) is Link.GOAL
    assert data.unlinked_measures == ()


def test_issue_counts_by_aim_and_category(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    categories = {c.label: c.id for c in units.list_choices(any_db, "category", unit_id=unit_id)}
    aim = units.create_aim(any_db, unit_id, units.AimFields("Fewer falls"))
    serves = add_measure(any_db, unit_id, "Falls", [1, 2], aim_id=aim.id)
    loose = add_measure(any_db, unit_id, "Hand hygiene audits", [30])

    def issue(text: str, category: str | None, aim_id: int | None) -> int:
        fields = issues.IssueFields(
            description=text,
            date_identified=date(2026, 3, 1),
            category_id=categories[category] if category else None,
            aim_id=aim_id,
        )
        return issues.create_issue(any_db, unit_id, fields).id

    issue("Bed alarm broken", "Falls", aim.id)
    issue("Non-slip socks run out", "Falls", aim.id)
    issue("Night staffing short", "Staffing", aim.id)
    issue("Pump alarms ignored", "Equipment", None)
    issue("Unsorted worry", None, None)
    gone = issue("Entered twice", "Falls", aim.id)
    issues.archive_issue(any_db, gone, "Duplicate")

    data = gather_alignment(any_db, unit_id)
    labels = [c.label for c in data.categories]
    assert labels == [lbl for lbl in categories if lbl in {"Falls", "Staffing", "Equipment"}] + [
        NO_CATEGORY
    ]
    (row,) = data.aims
    counts = dict(zip(labels, row.issue_counts, strict=True))
    assert counts == {"Falls": 2, "Staffing": 1, "Equipment": 0, NO_CATEGORY: 0}
    unlinked = dict(zip(labels, data.unlinked_issue_counts, strict=True))
    assert unlinked == {"Falls": 0, "Staffing": 0, "Equipment": 1, NO_CATEGORY: 1}
    assert data.link(aim.id, serves.id) is Link.SERVES
    assert [m.measure_id for m in data.unlinked_measures] == [loose.id]

    refs, total = issues_in_cell(any_db, unit_id, aim.id, categories["Falls"])
    assert total == 2
    assert [r.description for r in refs] == ["Bed alarm broken", "Non-slip socks run out"]
    refs, total = issues_in_cell(any_db, unit_id, None, None)
    assert [r.description for r in refs] == ["Unsorted worry"] and total == 1


def test_unknown_unit(any_db: Database) -> None:
    with pytest.raises(NotFoundError):
        gather_alignment(any_db, 4242)


def test_unit_with_nothing_yet(any_db: Database) -> None:
    unit_id = new_unit(any_db)
    data = gather_alignment(any_db, unit_id)
    assert data.aims == () and data.measures == () and data.categories == ()
    assert data.unlinked_issue_counts == ()
