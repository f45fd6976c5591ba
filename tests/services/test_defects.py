"""Learning from Defects reviews: factors, sharing, and actions that become issues."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import Team, search_mismatches
from sentences import assert_plain_sentence

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, ValidationError
from cuspdesk.models import FactorGroup
from cuspdesk.services import defects, issues, units
from cuspdesk.services.audit import list_audit_events
from cuspdesk.services.findings import FindingFields
from cuspdesk.services.validation import today

DAY = today() - timedelta(days=10)


def review_fields(**values: object) -> defects.DefectFields:
    values.setdefault("event_date", DAY - timedelta(days=6))
    values.setdefault("what_happened", "Heparin 5,000 units/mL given instead of 1,000 units/mL.")
    return defects.DefectFields(DAY, "Heparin concentration mix-up", **values)  # type: ignore[arg-type]


def test_a_review_is_saved_with_factors_sharing_and_actions(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    detail = defects.create_review(
        any_db,
        unit.id,
        review_fields(
            how_risk_reduced="No look-alike vials in the med room on four weekly checks.",
            harm_reached_patient=True,
            led_by="Dr. Priya Natarajan",
            factors=[
                defects.FactorFields("task", "Two strengths stored side by side"),
                defects.FactorFields("team", "Pharmacist double-checked the pump", positive=True),
                defects.FactorFields("patient", "   "),  # an empty row is left out
            ],
            shares=[
                defects.ShareFields("Night staff", DAY + timedelta(days=3), "Safety huddle"),
                defects.ShareFields("  "),
            ],
        ),
        [
            FindingFields(
                "Separate heparin strengths in the med room",
                owner_id=team.manager,
                target_date=DAY + timedelta(days=14),
            )
        ],
    )
    assert [(f.group, f.description, f.positive) for f in detail.fields.factors] == [
        ("task", "Two strengths stored side by side", False),
        ("team", "Pharmacist double-checked the pump", True),
    ]
    assert detail.factors_in("team") == [detail.fields.factors[1]]
    assert detail.factors_in("patient") == []
    assert [(s.audience, s.method) for s in detail.fields.shares] == [
        ("Night staff", "Safety huddle")
    ]
    assert detail.fields.harm_reached_patient
    assert [a.description for a in detail.actions] == ["Separate heparin strengths in the med room"]
    issue = issues.get_issue(any_db, detail.actions[0].issue_id)
    assert issue.fields.source == "defect_review"
    assert issue.fields.defect_review_id == detail.id
    assert issue.source_label == "Learning from defects"
    assert issue.source_record == (
        f"Defect review “Heparin concentration mix-up” ({DAY.isoformat()})"
    )
    assert defects.get_review(any_db, detail.id) == detail


def test_every_factor_group_has_a_label() -> None:
    assert [defects.factor_group_label(g.value) for g in FactorGroup] == [
        "Patient",
        "Task",
        "Caregiver",
        "Team",
        "Environment",
        "Organisation",
    ]


def test_a_bad_action_saves_nothing_not_even_the_review(
    any_db: Database, unit: units.UnitInfo
) -> None:
    with pytest.raises(ValidationError) as caught:
        defects.create_review(
            any_db,
            unit.id,
            review_fields(),
            [FindingFields("Good"), FindingFields("Bad", severity=7)],
        )
    assert str(caught.value) == "Finding 2: Severity must be from 1 to 5."
    assert defects.list_reviews(any_db, unit.id) == []
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 0
    assert list_audit_events(any_db, entity="defect_review") == []


def test_review_form_problems(any_db: Database, unit: units.UnitInfo) -> None:
    with pytest.raises(ValidationError) as caught:
        defects.create_review(
            any_db,
            unit.id,
            defects.DefectFields(
                DAY,
                " ",
                event_date=today() + timedelta(days=1),
                led_by="Maria\nOkafor",
                factors=[defects.FactorFields("weather", "It rained")],
                shares=[defects.ShareFields("Board", date(1800, 1, 1), "m" * 301)],
            ),
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("event_date", "The date of the event cannot be in the future."),
        ("review_date", "The review date cannot be before the date of the event."),
        ("title", "The title is needed."),
        ("led_by", "Who led the review must fit on one line."),
        ("factors.1", "Choose a group for factor 1."),
        (
            "shares.1",
            "When it was shared (1) must be between 1950 and 2100 (1800-01-01 was given).",
        ),
        ("shares.1", "How it was shared (1) is too long (301 characters; the limit is 300)."),
    ]
    for problem in caught.value.problems:
        assert_plain_sentence(problem.message)
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        defects.create_review(any_db, 999, review_fields())


def test_editing_a_review_moves_the_version_once_and_keeps_the_actions(
    any_db: Database, unit: units.UnitInfo
) -> None:
    created = defects.create_review(
        any_db,
        unit.id,
        review_fields(
            factors=[defects.FactorFields("task", "A"), defects.FactorFields("team", "B")]
        ),
        [FindingFields("First action")],
    )
    edited = defects.update_review(
        any_db,
        created.id,
        review_fields(
            factors=[defects.FactorFields("organisation", "No pharmacy on weekends")],
            shares=[defects.ShareFields("Hospital safety newsletter", DAY, "Article")],
        ),
        expected_version=created.version,
        new_actions=[FindingFields("Second action")],
    )
    assert edited.version == created.version + 1
    assert [(f.group, f.description) for f in edited.fields.factors] == [
        ("organisation", "No pharmacy on weekends")
    ]
    assert [a.description for a in edited.actions] == ["First action", "Second action"]
    with pytest.raises(ConflictError) as caught:
        defects.update_review(
            any_db,
            created.id,
            review_fields(),
            expected_version=created.version,
        )
    assert str(caught.value) == "This review was changed by someone else after you opened it."
    with pytest.raises(NotFoundError, match="That defect review no longer exists."):
        defects.get_review(any_db, 31337)


def test_the_review_list_counts_factors_actions_and_sharing(
    any_db: Database, unit: units.UnitInfo
) -> None:
    old = defects.create_review(
        any_db,
        unit.id,
        defects.DefectFields(DAY - timedelta(days=40), "Fall in bathroom"),
        [FindingFields("A", action_plan="Done."), FindingFields("B")],
    )
    issues.change_status(any_db, old.actions[0].issue_id, "resolved")
    new = defects.create_review(
        any_db,
        unit.id,
        review_fields(
            harm_reached_patient=True,
            factors=[defects.FactorFields("task", "x"), defects.FactorFields("team", "y")],
            shares=[defects.ShareFields("Unit council")],
        ),
    )
    rows = defects.list_reviews(any_db, unit.id)
    assert rows == [
        defects.DefectRow(
            new.id,
            DAY,
            DAY - timedelta(days=6),
            "Heparin concentration mix-up",
            True,
            2,
            0,
            0,
            True,
        ),
        defects.DefectRow(
            old.id, DAY - timedelta(days=40), None, "Fall in bathroom", False, 0, 2, 1, False
        ),
    ]
    assert [r.id for r in defects.list_reviews(any_db, unit.id, since=DAY)] == [new.id]


REVIEW_SEARCHES = [
    ("heparin", {"heparin"}),
    ("mix-up HEPARIN", {"heparin"}),
    ("5,000 units", {"heparin"}),
    ("%", {"percent"}),
    ("_", {"underscore"}),
    ("chute", {"accent"}),
    ("ÉTAGE", {"accent"}),
]


def test_searching_reviews_takes_the_words_literally(
    any_db: Database, unit: units.UnitInfo
) -> None:
    ids = {
        "heparin": defects.create_review(any_db, unit.id, review_fields()).id,
        "percent": defects.create_review(
            any_db, unit.id, defects.DefectFields(DAY, "Only 80% of alarms on")
        ).id,
        "underscore": defects.create_review(
            any_db, unit.id, defects.DefectFields(DAY, "Wrong label", what_happened="bed_12")
        ).id,
        "accent": defects.create_review(
            any_db, unit.id, defects.DefectFields(DAY, "Chute au deuxième étage")
        ).id,
    }
    by_id = {v: k for k, v in ids.items()}
    wrong = search_mismatches(
        REVIEW_SEARCHES,
        lambda text: {by_id[r.id] for r in defects.list_reviews(any_db, unit.id, text=text)},
    )
    assert wrong == {}
