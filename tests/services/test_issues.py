"""The tracking log's records: create, edit, validate, score, lock, note, archive."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest
from builders import IssueMaker, Team, issue_fields
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sentences import assert_plain_sentence
from sqlalchemy import text

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, ValidationError
from cuspdesk.models import SafetyIssue
from cuspdesk.services import assessments, defects, issues, meetings, rounds, units
from cuspdesk.services.audit import list_audit_events
from cuspdesk.services.validation import today


def problems(error: ValidationError) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in error.problems]


# --- creating ------------------------------------------------------------------------


def test_a_new_issue_is_open_numbered_and_last_in_priority(
    any_db: Database, unit: units.UnitInfo, team: Team, categories: dict[str, int]
) -> None:
    first = issues.create_issue(
        any_db,
        unit.id,
        issue_fields(
            "  Bed alarm not set on a high falls-risk patient  ",
            category_id=categories["falls"],
            location=" Pod B ",
            owner_id=team.manager,
            sponsor_id=team.executive,
            likelihood=4,
            severity=3,
            target_date=today() + timedelta(days=20),
        ),
    )
    second = issues.create_issue(any_db, unit.id, issue_fields("Heparin vials look alike"))
    assert (first.number, second.number) == (1, 2)
    assert (first.priority_rank, second.priority_rank) == (1, 2)
    assert first.status == "open"
    assert first.status_label == "Open"
    assert first.version == 1
    assert first.fields.description == "Bed alarm not set on a high falls-risk patient"
    assert first.fields.location == "Pod B"
    assert first.category_label == "Falls"
    assert first.owner_name == "Daniel Reyes"
    assert first.sponsor_name == "Carol Whitfield"
    assert first.source_label == "Other"
    assert first.notes == ()
    assert first.date_closed is None
    assert not first.archived
    assert issues.get_issue(any_db, first.id) == first


def test_each_unit_numbers_its_own_issues(any_db: Database, unit: units.UnitInfo) -> None:
    icu = units.create_unit(any_db, units.UnitFields(name="ICU"))
    issues.create_issue(any_db, unit.id, issue_fields())
    issues.create_issue(any_db, unit.id, issue_fields())
    theirs = issues.create_issue(any_db, icu.id, issue_fields())
    assert (theirs.number, theirs.priority_rank) == (1, 1)
    assert issues.get_issue_by_number(any_db, icu.id, 1).id == theirs.id
    with pytest.raises(NotFoundError) as caught:
        issues.get_issue_by_number(any_db, icu.id, 2)
    assert str(caught.value) == "There is no issue number 2 in this unit."


def test_priority_scores_multiply_the_ratings(make_issue: IssueMaker) -> None:
    both = make_issue(likelihood=4, severity=5, mitigate_ability=2, implement_ability=3)
    assert (both.risk_score, both.feasibility_score) == (20, 6)
    half = make_issue(likelihood=4)
    assert (half.risk_score, half.feasibility_score) == (None, None)
    extremes = make_issue(likelihood=1, severity=1, mitigate_ability=5, implement_ability=5)
    assert (extremes.risk_score, extremes.feasibility_score) == (1, 25)


def test_scores_are_the_same_in_the_list(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    make_issue(likelihood=3, severity=5, mitigate_ability=4, implement_ability=2)
    row = issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).rows[0]
    assert (row.risk_score, row.feasibility_score, row.likelihood, row.severity) == (15, 8, 3, 5)


def test_every_problem_with_the_form_is_reported_at_once(
    any_db: Database, unit: units.UnitInfo
) -> None:
    identified = today() - timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        issues.create_issue(
            any_db,
            unit.id,
            issues.IssueFields(
                description="   ",
                date_identified=identified,
                source="rumour",
                location="Pod A\nPod B",
                likelihood=0,
                severity=6,
                mitigate_ability=-1,
                implement_ability=9,
                target_date=identified - timedelta(days=1),
                date_resolved=today() + timedelta(days=1),
                feedback_date=identified - timedelta(days=2),
                event_report_ref="E" * 201,
            ),
        )
    assert problems(caught.value) == [
        ("description", "The description is needed."),
        ("source", "Choose where the issue came from."),
        (
            "event_report_ref",
            "The event report number is too long (201 characters; the limit is 200).",
        ),
        ("location", "The location must fit on one line."),
        ("likelihood", "Likelihood must be from 1 to 5."),
        ("severity", "Severity must be from 1 to 5."),
        ("mitigate_ability", "Ability to mitigate must be from 1 to 5."),
        ("implement_ability", "Ability to implement must be from 1 to 5."),
        ("target_date", "The target date cannot be before the date the issue was identified."),
        ("date_resolved", "The date resolved cannot be in the future."),
        ("feedback_date", "The feedback date cannot be before the date the issue was identified."),
    ]
    for _field, message in problems(caught.value):
        assert_plain_sentence(message)
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 0


def test_dates_identified_must_be_real_and_not_in_the_future(
    any_db: Database, unit: units.UnitInfo
) -> None:
    with pytest.raises(ValidationError) as future:
        issues.create_issue(
            any_db, unit.id, issue_fields(date_identified=today() + timedelta(days=1))
        )
    assert problems(future.value) == [
        ("date_identified", "The date identified cannot be in the future.")
    ]
    with pytest.raises(ValidationError) as ancient:
        issues.create_issue(any_db, unit.id, issue_fields(date_identified=date(1900, 5, 1)))
    assert problems(ancient.value) == [
        (
            "date_identified",
            "The date identified must be between 1950 and 2100 (1900-05-01 was given).",
        )
    ]
    resolved_early = issue_fields(date_resolved=today() - timedelta(days=30))
    with pytest.raises(ValidationError, match="The date resolved cannot be before"):
        issues.create_issue(any_db, unit.id, resolved_early)


def test_links_must_point_at_this_units_records(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    icu = units.create_unit(any_db, units.UnitFields(name="ICU"))
    their_round = rounds.create_round(any_db, icu.id, rounds.RoundFields(today()))
    their_aim = units.create_aim(any_db, icu.id, units.AimFields("Zero CLABSI"))
    role = units.list_choices(any_db, units.ROLE_LIST)[0]
    with pytest.raises(ValidationError) as caught:
        issues.create_issue(
            any_db,
            unit.id,
            issue_fields(
                round_id=their_round.id,
                meeting_id=4040,
                defect_review_id=4041,
                aim_id=their_aim.id,
                category_id=role.id,
                owner_id=98765,
                sponsor_id=98766,
            ),
        )
    assert problems(caught.value) == [
        ("round_id", "That safety round is not one of this unit's records."),
        ("meeting_id", "That meeting is not one of this unit's records."),
        ("defect_review_id", "That defect review is not one of this unit's records."),
        ("aim_id", "That aim is not one of this unit's records."),
        ("category_id", "Choose a category from the list."),
        ("owner_id", "The owner is no longer in the database."),
        ("sponsor_id", "The executive sponsor is no longer in the database."),
    ]


def test_an_issue_for_a_missing_unit_is_refused(any_db: Database) -> None:
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        issues.create_issue(any_db, 31337, issue_fields())


def test_a_missing_issue_is_not_found(any_db: Database) -> None:
    with pytest.raises(NotFoundError) as caught:
        issues.get_issue(any_db, 999)
    assert str(caught.value) == "That issue no longer exists."


def test_hostile_text_is_kept_exactly(make_issue: IssueMaker, any_db: Database) -> None:
    text = (
        'Pump <b>alarm</b> & <img src="x.png"/> ignored — ‘smart’ “quotes”, Zoë, '
        "مريض سقط, 患者跌倒, 🚑🩺, a\u200bzero-width space, tab\there\nand a second line"
    )
    issue = make_issue(text, location="Bay 4 & 5 <east>")
    again = issues.get_issue(any_db, issue.id)
    assert again.fields.description == text
    assert again.fields.location == "Bay 4 & 5 <east>"


def test_a_huge_description_is_stored_and_the_list_shows_its_start(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    text = "Infusion pump library out of date. " * 3_000
    issue = make_issue(text.strip())
    assert issues.get_issue(any_db, issue.id).fields.description == text.strip()
    row = issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).rows[0]
    assert row.description == text[: issues.ROW_DESCRIPTION_CHARS]


def test_an_oversize_description_is_refused(any_db: Database, unit: units.UnitInfo) -> None:
    with pytest.raises(ValidationError) as caught:
        issues.create_issue(any_db, unit.id, issue_fields("x" * 2_000_001))
    assert problems(caught.value) == [
        (
            "description",
            "The description is too long (2,000,001 characters; the limit is 2,000,000).",
        )
    ]


printable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=200
).filter(lambda s: s.strip() == s and s != "")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(description=printable_text)
def test_any_printable_unicode_description_round_trips_exactly(
    any_db: Database, unit: units.UnitInfo, description: str
) -> None:
    created = issues.create_issue(any_db, unit.id, issue_fields(description))
    assert issues.get_issue(any_db, created.id).fields.description == description
    updated = issues.update_issue(
        any_db,
        created.id,
        replace(created.fields, action_plan=description),
        expected_version=created.version,
    )
    assert issues.get_issue(any_db, updated.id).fields.action_plan == description


# --- where the issue came from -------------------------------------------------------


def test_the_source_record_is_named_in_words(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    day = today() - timedelta(days=5)
    rnd = rounds.create_round(any_db, unit.id, rounds.RoundFields(day, area="Pods A and B"))
    meeting = meetings.create_meeting(any_db, unit.id, meetings.MeetingFields(day))
    review = defects.create_review(any_db, unit.id, defects.DefectFields(day, "Wrong-site line"))
    cases = {
        make_issue(round_id=rnd.id, source="safety_round").id: (
            f"Safety round of {day.isoformat()} — Pods A and B"
        ),
        make_issue(meeting_id=meeting.id, source="meeting").id: f"Meeting of {day.isoformat()}",
        make_issue(defect_review_id=review.id, source="defect_review").id: (
            f"Defect review “Wrong-site line” ({day.isoformat()})"
        ),
        make_issue(event_report_ref="ER-2026-4147", source="event_report").id: (
            "Event report ER-2026-4147"
        ),
        make_issue().id: "",
    }
    for issue_id, expected in cases.items():
        assert issues.get_issue(any_db, issue_id).source_record == expected
    responses = [
        assessments.create_response(
            any_db, unit.id, assessments.AssessmentFields(day, f"Falls at night {n}")
        ).id
        for n in range(2)
    ]
    linked = assessments.convert_to_issue(any_db, unit.id, responses, issue_fields())
    assert linked.source_record == "2 staff safety assessment responses"
    assert linked.source_label == "Staff safety assessment"
    assert set(linked.assessment_ids) == set(responses)


# --- editing and optimistic locking --------------------------------------------------


def test_saving_the_form_changes_the_fields_and_the_version(
    any_db: Database, make_issue: IssueMaker, team: Team
) -> None:
    issue = make_issue()
    data = replace(issue.fields, owner_id=team.champion, likelihood=5, severity=5)
    saved = issues.update_issue(any_db, issue.id, data, expected_version=issue.version)
    assert saved.version == issue.version + 1
    assert saved.owner_name == "Maria Okafor"
    assert saved.risk_score == 25
    # Saving an unchanged form writes nothing and keeps the version.
    same = issues.update_issue(any_db, issue.id, saved.fields, expected_version=saved.version)
    assert same.version == saved.version


def test_saving_over_someone_elses_change_is_refused_with_both_versions(
    any_db: Database, make_issue: IssueMaker
) -> None:
    opened = make_issue("Suction not checked at start of shift")
    theirs = issues.update_issue(
        any_db,
        opened.id,
        replace(opened.fields, location="Pod C"),
        expected_version=opened.version,
    )
    audit_before = list_audit_events(any_db, entity="safety_issue", entity_id=opened.id)
    mine = replace(opened.fields, description="Suction not checked on nights", location="Pod A")
    with pytest.raises(ConflictError) as caught:
        issues.update_issue(any_db, opened.id, mine, expected_version=opened.version)
    conflict = caught.value
    assert_plain_sentence(str(conflict))
    assert str(conflict) == "Issue 1 was changed by someone else after you opened it."
    assert conflict.current_version == theirs.version
    assert conflict.mine["description"] == "Suction not checked on nights"
    assert conflict.mine["location"] == "Pod A"
    assert conflict.theirs["description"] == "Suction not checked at start of shift"
    assert conflict.theirs["location"] == "Pod C"
    assert conflict.theirs["status"] == "open"
    assert set(conflict.differing_fields) == {"description", "location"}
    assert issues.get_issue(any_db, opened.id) == theirs
    assert list_audit_events(any_db, entity="safety_issue", entity_id=opened.id) == audit_before


def test_a_status_change_with_a_stale_version_is_refused(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue()
    issues.add_note(any_db, issue.id, "Spoke to biomed.")
    issues.update_issue(
        any_db, issue.id, replace(issue.fields, location="Pod D"), expected_version=issue.version
    )
    with pytest.raises(ConflictError) as caught:
        issues.change_status(any_db, issue.id, "in_progress", expected_version=issue.version)
    assert str(caught.value) == ("Issue 1 was changed by someone else; reload before changing it.")
    assert issues.get_issue(any_db, issue.id).status == "open"


def test_two_people_saving_at_the_same_moment_one_wins_one_is_told(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue("Call bells out of reach")
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(who: str) -> None:
        data = replace(issue.fields, description=f"Call bells out of reach ({who})")
        start.wait()
        try:
            outcomes[who] = issues.update_issue(
                any_db, issue.id, data, expected_version=issue.version
            )
        except ConflictError as exc:
            outcomes[who] = exc

    threads = [threading.Thread(target=save, args=(who,)) for who in ("day", "night")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [w for w, o in outcomes.items() if isinstance(o, issues.IssueDetail)]
    losers = [o for o in outcomes.values() if isinstance(o, ConflictError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    assert_plain_sentence(str(losers[0]))
    final = issues.get_issue(any_db, issue.id)
    assert final.fields.description == f"Call bells out of reach ({winners[0]})"
    assert final.version == issue.version + 1


def test_a_race_on_the_server_is_caught_by_the_version_column(pg_db: Database) -> None:
    """Two PostgreSQL sessions read version 1; the second UPDATE finds no row and is refused."""
    unit = units.create_unit(pg_db, units.UnitFields(name="ICU"))
    issue = issues.create_issue(pg_db, unit.id, issue_fields())
    with pytest.raises(ConflictError) as caught, pg_db.session() as slow:
        row = slow.get(SafetyIssue, issue.id)
        assert row is not None
        issues.update_issue(
            pg_db, issue.id, replace(issue.fields, location="Pod A"), expected_version=1
        )
        row.location = "Pod B"
    assert str(caught.value) == (
        "Someone else changed this record after you opened it. Reload it to see their change."
    )
    assert issues.get_issue(pg_db, issue.id).fields.location == "Pod A"


def test_editing_a_missing_issue_is_not_found(any_db: Database) -> None:
    with pytest.raises(NotFoundError):
        issues.update_issue(any_db, 404, issue_fields(), expected_version=1)


# --- notes ---------------------------------------------------------------------------


def test_follow_up_notes_are_dated_and_kept_in_date_order(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue()
    late = issues.add_note(any_db, issue.id, "  Biomed replaced the alarm.  ")
    early = issues.add_note(any_db, issue.id, "Asked biomed to check.", today() - timedelta(days=4))
    assert late.note_date == today()
    assert late.text == "Biomed replaced the alarm."
    assert late.kind == "note"
    assert late.author == any_db.actor.os_user
    assert [n.id for n in issues.get_issue(any_db, issue.id).notes] == [early.id, late.id]


def test_a_note_needs_words_and_a_date_that_has_happened(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue()
    with pytest.raises(ValidationError) as empty:
        issues.add_note(any_db, issue.id, " \n ")
    assert problems(empty.value) == [("note", "The note is needed.")]
    with pytest.raises(ValidationError) as future:
        issues.add_note(any_db, issue.id, "Will do.", today() + timedelta(days=2))
    assert problems(future.value) == [("note_date", "The note date cannot be in the future.")]
    with pytest.raises(NotFoundError):
        issues.add_note(any_db, 999, "Orphan")
    assert issues.get_issue(any_db, issue.id).notes == ()


# --- archive and restore -------------------------------------------------------------


def test_archiving_hides_an_issue_keeps_it_and_closes_the_rank_gap(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    a, b, c = make_issue("A"), make_issue("B"), make_issue("C")
    with pytest.raises(ValidationError, match="The reason is needed."):
        issues.archive_issue(any_db, b.id, " ")
    issues.archive_issue(any_db, b.id, "Logged twice; see issue 1.")
    issues.archive_issue(any_db, b.id, "Second click does nothing.")
    archived = issues.get_issue(any_db, b.id)
    assert archived.archived
    assert archived.archive_reason == "Logged twice; see issue 1."
    assert archived.priority_rank is None
    assert [(r.id, r.priority_rank) for r in issues.list_ranked(any_db, unit.id)] == [
        (a.id, 1),
        (c.id, 2),
    ]
    everything = issues.list_issues(
        any_db, issues.IssueQuery(unit_id=unit.id, include_archived=True)
    )
    assert everything.total == 3
    restored = issues.restore_issue(any_db, b.id)
    assert not restored.archived
    assert restored.priority_rank == 3
    assert [r.priority_rank for r in issues.list_ranked(any_db, unit.id)] == [1, 2, 3]


def test_restoring_a_closed_issue_gives_it_no_rank(
    any_db: Database, make_issue: IssueMaker
) -> None:
    closed = make_issue(status="closed", risk_reduced_evidence="No falls for 90 days.")
    issues.archive_issue(any_db, closed.id, "Duplicate")
    restored = issues.restore_issue(any_db, closed.id)
    assert restored.status == "closed"
    assert restored.priority_rank is None


def test_allowed_statuses_follow_the_transitions() -> None:
    assert issues.allowed_statuses("open") == [
        "in_progress",
        "blocked",
        "escalated",
        "resolved",
        "closed",
    ]
    assert issues.allowed_statuses("closed") == ["open", "in_progress"]
    assert issues.allowed_statuses("resolved") == ["open", "in_progress", "closed"]


def wait_for_a_lock_wait(db: Database, seconds: float = 60) -> bool:
    """True once some session of this database waits for a lock another one holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # A new transaction each time: PostgreSQL keeps one pg_stat_activity
        # snapshot for the whole of a transaction.
        with db.engine.connect() as watcher:
            waiting = watcher.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            ).scalar()
        if waiting:
            return True
        time.sleep(0.05)
    return False


def test_two_laptops_numbering_at_once_on_the_server_both_get_saved(pg_db: Database) -> None:
    """Another session holds issue 2 uncommitted; our save waits, clashes, then takes 3."""
    unit = units.create_unit(pg_db, units.UnitFields(name="ICU"))
    issues.create_issue(pg_db, unit.id, issue_fields("First"))
    outcome: dict[str, object] = {}

    def save() -> None:
        try:
            outcome["detail"] = issues.create_issue(pg_db, unit.id, issue_fields("Mine"))
        except Exception as exc:  # the assertion below shows what went wrong
            outcome["error"] = exc

    with pg_db.session() as other:
        other.add(
            SafetyIssue(unit_id=unit.id, number=2, date_identified=today(), description="Theirs")
        )
        other.flush()
        worker = threading.Thread(target=save)
        worker.start()
        assert wait_for_a_lock_wait(pg_db), "our save never reached the clash"
    worker.join(60)
    assert "error" not in outcome, outcome
    detail = outcome["detail"]
    assert isinstance(detail, issues.IssueDetail)
    assert detail.number == 3
    numbers = [r.number for r in issues.list_issues(pg_db, issues.IssueQuery(unit_id=unit.id)).rows]
    assert numbers == [1, 2, 3]
