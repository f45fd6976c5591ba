"""Staff Safety Assessment responses: entry, categories, and turning them into an issue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import issue_fields
from sentences import assert_plain_sentence

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, ValidationError
from cuspdesk.services import assessments, issues, units
from cuspdesk.services.assessments import AssessmentFields
from cuspdesk.services.validation import today

DAY = today() - timedelta(days=30)


def respond(db: Database, unit_id: int, harm: str, **values: object) -> assessments.AssessmentRow:
    return assessments.create_response(db, unit_id, AssessmentFields(DAY, harm, **values))  # type: ignore[arg-type]


def test_the_two_questions_are_the_programmes_own() -> None:
    assert assessments.HARM_QUESTION == "How will the next patient on our unit be harmed?"
    assert assessments.PREVENTION_QUESTION == "What can we do to prevent it?"


def test_a_response_is_anonymous_unless_a_role_is_given(
    any_db: Database, unit: units.UnitInfo, categories: dict[str, int]
) -> None:
    anonymous = respond(
        any_db,
        unit.id,
        "  A patient will fall on the way to the bathroom at night. ",
        prevention_answer="Hourly rounding.",
        category_id=categories["falls"],
    )
    assert anonymous.anonymous
    assert anonymous.harm_answer == "A patient will fall on the way to the bathroom at night."
    assert (anonymous.category, anonymous.issue_id, anonymous.issue_number) == ("Falls", None, None)
    named = respond(any_db, unit.id, "Wrong drug from look-alike vials.", respondent_role="RN")
    assert not named.anonymous
    assert named.respondent_role == "RN"


def test_response_form_problems(any_db: Database, unit: units.UnitInfo) -> None:
    role = units.list_choices(any_db, units.ROLE_LIST)[0]
    with pytest.raises(ValidationError) as caught:
        assessments.create_response(
            any_db,
            unit.id,
            AssessmentFields(
                today() + timedelta(days=1),
                "  ",
                "ok\x00",
                respondent_role="RN\nnights",
                category_id=role.id,
            ),
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("response_date", "The date cannot be in the future."),
        ("harm_answer", "The answer to “how will the next patient be harmed” is needed."),
        (
            "prevention_answer",
            "The answer to “what can we do” contains invisible control characters (such as "
            "NUL); retype it or paste it as plain text.",
        ),
        ("respondent_role", "The role must fit on one line."),
        ("category_id", "Choose a category from the list."),
    ]
    for problem in caught.value.problems:
        assert_plain_sentence(problem.message)
    assert assessments.list_responses(any_db, unit.id) == []
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        respond(any_db, 999, "x")


def test_editing_a_response_and_a_stale_copy(
    any_db: Database, unit: units.UnitInfo, categories: dict[str, int]
) -> None:
    row = respond(any_db, unit.id, "Handoffs from the OR miss the lines.")
    edited = assessments.update_response(
        any_db,
        row.id,
        AssessmentFields(DAY, row.harm_answer, category_id=categories["handoffs"]),
        expected_version=row.version,
    )
    assert (edited.category, edited.version) == ("Handoffs", row.version + 1)
    with pytest.raises(ConflictError) as caught:
        assessments.update_response(
            any_db, row.id, AssessmentFields(DAY, "Changed"), expected_version=row.version
        )
    assert str(caught.value) == "This response was changed by someone else after you opened it."
    assert assessments.list_responses(any_db, unit.id)[0].harm_answer == row.harm_answer
    with pytest.raises(NotFoundError, match="That assessment response no longer exists."):
        assessments.update_response(any_db, 999, AssessmentFields(DAY, "x"), expected_version=1)


def test_categorising_several_at_once_and_the_themes(
    any_db: Database, unit: units.UnitInfo, categories: dict[str, int]
) -> None:
    ids = [respond(any_db, unit.id, f"Fall risk {n}").id for n in range(3)]
    other = respond(any_db, unit.id, "Alarm fatigue").id
    assessments.categorise(any_db, ids, categories["falls"])
    assessments.categorise(any_db, [other], categories["equipment"])
    assert assessments.response_counts_by_category(any_db, unit.id) == [
        ("Falls", 3),
        ("Equipment", 1),
    ]
    assessments.categorise(any_db, [other], None)
    assert assessments.response_counts_by_category(any_db, unit.id) == [
        ("Falls", 3),
        ("Not categorised", 1),
    ]
    role = units.list_choices(any_db, units.ROLE_LIST)[0]
    with pytest.raises(ValidationError, match="Choose a category from the list."):
        assessments.categorise(any_db, ids, role.id)
    with pytest.raises(NotFoundError):
        assessments.categorise(any_db, [ids[0], 4242], categories["staffing"])
    # Nothing of the refused batch was saved.
    assert {r.category for r in assessments.list_responses(any_db, unit.id)} == {"Falls", ""}


def test_listing_filters_by_words_category_and_link(
    any_db: Database, unit: units.UnitInfo, categories: dict[str, int]
) -> None:
    falls = respond(
        any_db, unit.id, "Patient climbs over the rails", category_id=categories["falls"]
    )
    drugs = respond(any_db, unit.id, "Heparin 100% mix-up", prevention_answer="Separate the vials.")
    respond(any_db, unit.id, "Patient_ID band missing")
    listed = assessments.list_responses

    assert [r.id for r in listed(any_db, unit.id, category_id=categories["falls"])] == [falls.id]
    assert [r.id for r in listed(any_db, unit.id, text="VIALS separate")] == [drugs.id]
    assert [r.id for r in listed(any_db, unit.id, text="100%")] == [drugs.id]
    assert [r.id for r in listed(any_db, unit.id, text="%")] == [drugs.id]
    assert len(listed(any_db, unit.id, text="_")) == 1
    assessments.convert_to_issue(any_db, unit.id, [falls.id], issue_fields())
    assert falls.id not in [r.id for r in listed(any_db, unit.id, unlinked_only=True)]
    assert len(listed(any_db, unit.id, unlinked_only=True)) == 2


def test_several_responses_become_one_issue_linked_both_ways(
    any_db: Database, unit: units.UnitInfo
) -> None:
    ids = [
        respond(any_db, unit.id, "Falls at night when patients go to the bathroom.").id,
        respond(any_db, unit.id, "Someone will fall climbing out of bed.").id,
        respond(any_db, unit.id, "Bed alarms not set after transfers.").id,
    ]
    issue = assessments.convert_to_issue(
        any_db,
        unit.id,
        ids[:2],
        issue_fields("Patients fall at night on the way to the bathroom", source="meeting"),
    )
    assert issue.fields.source == "assessment"
    assert set(issue.assessment_ids) == set(ids[:2])
    assert issue.source_record == "2 staff safety assessment responses"
    rows = {r.id: r for r in assessments.list_responses(any_db, unit.id)}
    assert [(rows[i].issue_id, rows[i].issue_number) for i in ids] == [
        (issue.id, issue.number),
        (issue.id, issue.number),
        (None, None),
    ]


def test_a_response_that_already_fed_an_issue_is_refused_and_nothing_saved(
    any_db: Database, unit: units.UnitInfo
) -> None:
    first, second = (respond(any_db, unit.id, f"Handoff gap {n}").id for n in range(2))
    fed = assessments.convert_to_issue(any_db, unit.id, [first], issue_fields("Handoffs"))
    with pytest.raises(ValidationError) as caught:
        assessments.convert_to_issue(
            any_db, unit.id, [second, first], issue_fields("Handoffs again")
        )
    assert str(caught.value) == (
        f"A chosen response already fed issue {fed.number}; open that issue instead."
    )
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 1
    rows = {r.id: r for r in assessments.list_responses(any_db, unit.id)}
    assert rows[second].issue_id is None


def test_converting_needs_responses_of_this_unit(any_db: Database, unit: units.UnitInfo) -> None:
    with pytest.raises(ValidationError) as caught:
        assessments.convert_to_issue(any_db, unit.id, [], issue_fields())
    assert str(caught.value) == "Choose at least one response to turn into an issue."
    icu = units.create_unit(any_db, units.UnitFields(name="ICU"))
    theirs = respond(any_db, icu.id, "Their concern").id
    with pytest.raises(ValidationError) as other_unit:
        assessments.convert_to_issue(any_db, unit.id, [theirs], issue_fields())
    assert str(other_unit.value) == "One of the chosen assessment responses no longer exists."
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 0
    bad_form = issue_fields(" ")
    with pytest.raises(ValidationError, match="The description is needed."):
        assessments.convert_to_issue(any_db, icu.id, [theirs], bad_form)
    assert assessments.list_responses(any_db, icu.id)[0].issue_id is None
