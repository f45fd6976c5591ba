"""Executive safety rounds: saved together with their findings, which become issues."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import Team, search_mismatches
from sentences import assert_plain_sentence

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, ValidationError
from cuspdesk.services import issues, rounds, units
from cuspdesk.services.findings import FindingFields
from cuspdesk.services.validation import today

DAY = today() - timedelta(days=7)


def round_fields(team: Team, **values: object) -> rounds.RoundFields:
    values.setdefault("area", "Pods A and B")
    values.setdefault("executive_id", team.executive)
    values.setdefault("participant_ids", [team.champion, team.manager])
    return rounds.RoundFields(DAY, **values)  # type: ignore[arg-type]


def all_issues(db: Database, unit_id: int) -> list[issues.IssueRow]:
    return issues.list_issues(db, issues.IssueQuery(unit_id=unit_id, include_archived=True)).rows


def test_the_standard_questions_are_questions() -> None:
    assert len(rounds.STANDARD_QUESTIONS) >= 3
    assert rounds.STANDARD_QUESTIONS[0] == "How will the next patient on this unit be harmed?"
    assert all(q.endswith("?") for q in rounds.STANDARD_QUESTIONS)


def test_a_round_and_its_findings_are_saved_together(
    any_db: Database, unit: units.UnitInfo, team: Team, categories: dict[str, int]
) -> None:
    before = issues.create_issue(any_db, unit.id, issues.IssueFields("Already on the log", DAY))
    detail = rounds.create_round(
        any_db,
        unit.id,
        round_fields(
            team,
            participant_ids=[team.champion, team.manager, team.champion],
            questions_asked="\n".join(rounds.STANDARD_QUESTIONS[:2]),
            notes="Night staff very open.",
        ),
        [
            FindingFields(
                "Bed alarm pads missing in pod B",
                category_id=categories["falls"],
                location="Pod B",
                owner_id=team.manager,
                target_date=DAY + timedelta(days=30),
                likelihood=4,
                severity=4,
                action_plan="Order pads.",
            ),
            FindingFields("   "),  # an empty row in the form is left out
            FindingFields(
                "No interpreter phone on nights",
                needs_executive=True,
                barriers="Contract with the phone provider.",
            ),
        ],
    )
    assert detail.unit_id == unit.id
    assert detail.executive_name == "Carol Whitfield"
    assert detail.participant_names == ("Maria Okafor", "Daniel Reyes")
    assert detail.fields.participant_ids == [team.champion, team.manager]
    assert detail.fields.questions_asked.startswith("How will the next patient")
    assert [f.description for f in detail.findings] == [
        "Bed alarm pads missing in pod B",
        "No interpreter phone on nights",
    ]
    assert [f.number for f in detail.findings] == [2, 3]
    assert all(f.status == "open" for f in detail.findings)
    for finding in detail.findings:
        issue = issues.get_issue(any_db, finding.issue_id)
        assert issue.fields.source == "safety_round"
        assert issue.fields.round_id == detail.id
        assert issue.fields.date_identified == DAY
        assert issue.source_record == f"Safety round of {DAY.isoformat()} — Pods A and B"
    first = issues.get_issue(any_db, detail.findings[0].issue_id)
    assert (first.category_label, first.owner_name, first.risk_score) == (
        "Falls",
        "Daniel Reyes",
        16,
    )
    assert first.priority_rank == before.priority_rank + 1  # type: ignore[operator]
    second = issues.get_issue(any_db, detail.findings[1].issue_id)
    assert second.fields.needs_executive
    assert rounds.get_round(any_db, detail.id) == detail


def test_a_bad_finding_saves_nothing_not_even_the_round(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    with pytest.raises(ValidationError) as caught:
        rounds.create_round(
            any_db,
            unit.id,
            round_fields(team),
            [
                FindingFields("Fine finding", likelihood=3),
                FindingFields("Bad ratings", likelihood=9, severity=0),
                FindingFields("Bad place", location="Pod\nB", owner_id=424242),
            ],
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("findings.2.likelihood", "Finding 2: Likelihood must be from 1 to 5."),
        ("findings.2.severity", "Finding 2: Severity must be from 1 to 5."),
        ("findings.3.location", "Finding 3: The location must fit on one line."),
        ("findings.3.owner_id", "Finding 3: The owner is no longer in the database."),
    ]
    for problem in caught.value.problems:
        assert_plain_sentence(problem.message)
    assert rounds.list_rounds(any_db, unit.id) == []
    assert all_issues(any_db, unit.id) == []


def test_a_finding_on_a_planned_round_cannot_be_dated_in_the_future(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    planned = rounds.RoundFields(today() + timedelta(days=9), area="Whole unit")
    assert rounds.create_round(any_db, unit.id, planned).findings == ()
    with pytest.raises(ValidationError) as caught:
        rounds.create_round(any_db, unit.id, planned, [FindingFields("Too early")])
    assert str(caught.value) == "Finding 1: The date identified cannot be in the future."
    assert len(rounds.list_rounds(any_db, unit.id)) == 1


def test_round_form_problems(any_db: Database, unit: units.UnitInfo, team: Team) -> None:
    with pytest.raises(ValidationError) as caught:
        rounds.create_round(
            any_db,
            unit.id,
            rounds.RoundFields(
                date(1900, 5, 1),
                area="Pod A\nPod B",
                executive_id=team.executive,
                participant_ids=[777777],
                notes="ok\x00",
            ),
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        (
            "round_date",
            "The date of the round must be between 1950 and 2100 (1900-05-01 was given).",
        ),
        ("area", "The area must fit on one line."),
        (
            "notes",
            "The notes contains invisible control characters (such as NUL); retype it or paste "
            "it as plain text.",
        ),
        ("participant_ids", "One of the people chosen is no longer in the database."),
    ]
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        rounds.create_round(any_db, 5555, rounds.RoundFields(DAY))


def test_editing_a_round_adds_findings_and_changes_the_people(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    created = rounds.create_round(
        any_db, unit.id, round_fields(team), [FindingFields("Suction not checked")]
    )
    edited = rounds.update_round(
        any_db,
        created.id,
        round_fields(team, area="Whole unit", participant_ids=[team.manager, team.nurse]),
        expected_version=created.version,
        new_findings=[FindingFields("Linen cart blocks the fire exit")],
    )
    assert edited.version == created.version + 1
    assert edited.fields.area == "Whole unit"
    assert edited.participant_names == ("Daniel Reyes", "Zoë Lefèvre")
    assert [f.description for f in edited.findings] == [
        "Suction not checked",
        "Linen cart blocks the fire exit",
    ]
    # Changing only who came along still moves the version on.
    people_only = rounds.update_round(
        any_db,
        created.id,
        round_fields(team, area="Whole unit", participant_ids=[team.nurse]),
        expected_version=edited.version,
    )
    assert people_only.version == edited.version + 1


def test_editing_an_old_copy_of_a_round_is_a_conflict(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    created = rounds.create_round(any_db, unit.id, round_fields(team))
    rounds.update_round(
        any_db, created.id, round_fields(team, notes="First edit"), expected_version=1
    )
    with pytest.raises(ConflictError) as caught:
        rounds.update_round(
            any_db,
            created.id,
            round_fields(team, notes="Second edit"),
            expected_version=1,
            new_findings=[FindingFields("Lost finding?")],
        )
    assert str(caught.value) == "This round was changed by someone else after you opened it."
    assert caught.value.current_version == 2
    assert rounds.get_round(any_db, created.id).fields.notes == "First edit"
    assert all_issues(any_db, unit.id) == []
    with pytest.raises(NotFoundError, match="That safety round no longer exists."):
        rounds.get_round(any_db, 999)


def test_the_round_list_counts_findings_and_what_is_still_open(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    older = rounds.create_round(
        any_db,
        unit.id,
        rounds.RoundFields(DAY - timedelta(days=30), area="Med room", participant_ids=[team.nurse]),
        [FindingFields("A", action_plan="Fixed."), FindingFields("B"), FindingFields("C")],
    )
    issues.change_status(any_db, older.findings[0].issue_id, "resolved")
    issues.archive_issue(any_db, older.findings[2].issue_id, "Duplicate")
    newer = rounds.create_round(any_db, unit.id, round_fields(team))
    rows = rounds.list_rounds(any_db, unit.id)
    assert [r.id for r in rows] == [newer.id, older.id]
    assert rows[0] == rounds.RoundRow(newer.id, DAY, "Pods A and B", "Carol Whitfield", 2, 0, 0)
    assert rows[1] == rounds.RoundRow(older.id, DAY - timedelta(days=30), "Med room", "", 1, 2, 1)


ROUND_SEARCHES = [
    ("med room", {"percent", "plain"}),
    ("ROOM med", {"percent", "plain"}),
    ("100%", {"percent"}),
    ("%", {"percent"}),
    ("_", {"underscore"}),
    ("pumps", {"percent"}),
    ("école", {"accent"}),
    ("ÉCOLE", {"accent"}),
    ("", {"percent", "plain", "underscore", "accent"}),
]


def test_searching_rounds_takes_the_words_literally(any_db: Database, unit: units.UnitInfo) -> None:
    ids = {
        "percent": rounds.create_round(
            any_db, unit.id, rounds.RoundFields(DAY, "Med room", notes="100% of pumps checked")
        ).id,
        "plain": rounds.create_round(any_db, unit.id, rounds.RoundFields(DAY, "Med room")).id,
        "underscore": rounds.create_round(any_db, unit.id, rounds.RoundFields(DAY, "Pod_C")).id,
        "accent": rounds.create_round(any_db, unit.id, rounds.RoundFields(DAY, "Salle d'école")).id,
    }
    by_id = {v: k for k, v in ids.items()}
    wrong = search_mismatches(
        ROUND_SEARCHES,
        lambda text: {by_id[r.id] for r in rounds.list_rounds(any_db, unit.id, text=text)},
    )
    assert wrong == {}
