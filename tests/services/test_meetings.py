"""Executive–team meetings: attendance, agenda, decisions and the new actions they create."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import Team, search_mismatches
from sentences import assert_plain_sentence

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, ValidationError
from cuspdesk.services import issues, meetings, units
from cuspdesk.services.audit import list_audit_events
from cuspdesk.services.findings import FindingFields
from cuspdesk.services.validation import today

DAY = today() - timedelta(days=12)


@pytest.fixture
def kinds(any_db: Database, unit: units.UnitInfo) -> dict[str, int]:
    return {
        c.key: c.id
        for c in units.list_choices(any_db, units.MEETING_KIND_LIST)
        if c.key is not None
    }


def meeting_fields(team: Team, kinds: dict[str, int], **values: object) -> meetings.MeetingFields:
    values.setdefault("kind_id", kinds["executive_meeting"])
    values.setdefault("title", "CUSP executive partner meeting")
    values.setdefault(
        "attendees",
        [
            meetings.AttendeeFields(team.champion),
            meetings.AttendeeFields(team.manager),
            meetings.AttendeeFields(team.executive, attended=False),
        ],
    )
    return meetings.MeetingFields(DAY, **values)  # type: ignore[arg-type]


def test_a_meeting_is_saved_with_its_attendance_agenda_and_decisions(
    any_db: Database, unit: units.UnitInfo, team: Team, kinds: dict[str, int]
) -> None:
    detail = meetings.create_meeting(
        any_db,
        unit.id,
        meeting_fields(
            team,
            kinds,
            location="5 West conference room",
            notes="Carol sent apologies.",
            next_meeting_date=DAY + timedelta(days=30),
            agenda=[
                meetings.AgendaItemFields("Tracking log review", "Daniel Reyes", "Three overdue."),
                meetings.AgendaItemFields("  ", "", ""),  # an empty row is left out
                meetings.AgendaItemFields("Falls run chart", "Maria Okafor"),
            ],
            decisions=["Pilot hourly rounding on nights.", "  ", "Invite pharmacy next time."],
        ),
    )
    assert detail.kind_label == "Monthly executive meeting"
    assert detail.fields.location == "5 West conference room"
    assert [(a.full_name, a.attended) for a in detail.attendees] == [
        ("Maria Okafor", True),
        ("Daniel Reyes", True),
        ("Carol Whitfield", False),
    ]
    assert [i.title for i in detail.fields.agenda] == ["Tracking log review", "Falls run chart"]
    assert detail.fields.agenda[0].minutes == "Three overdue."
    assert detail.fields.decisions == [
        "Pilot hourly rounding on nights.",
        "Invite pharmacy next time.",
    ]
    assert not detail.fields.executive_attended
    assert detail.actions == ()
    assert meetings.get_meeting(any_db, detail.id) == detail


def test_new_actions_become_issues_linked_to_the_meeting(
    any_db: Database, unit: units.UnitInfo, team: Team, kinds: dict[str, int]
) -> None:
    detail = meetings.create_meeting(
        any_db,
        unit.id,
        meeting_fields(team, kinds),
        [
            FindingFields(
                "Ask pharmacy for weekend cover",
                owner_id=team.executive,
                target_date=DAY + timedelta(days=21),
                needs_executive=True,
            ),
            FindingFields(""),
        ],
    )
    assert [a.description for a in detail.actions] == ["Ask pharmacy for weekend cover"]
    issue = issues.get_issue(any_db, detail.actions[0].issue_id)
    assert issue.fields.source == "meeting"
    assert issue.fields.meeting_id == detail.id
    assert issue.fields.date_identified == DAY
    assert issue.owner_name == "Carol Whitfield"
    assert issue.source_record == f"Meeting of {DAY.isoformat()}"


def test_a_bad_action_saves_nothing_not_even_the_meeting(
    any_db: Database, unit: units.UnitInfo, team: Team, kinds: dict[str, int]
) -> None:
    with pytest.raises(ValidationError) as caught:
        meetings.create_meeting(
            any_db,
            unit.id,
            meeting_fields(team, kinds),
            [
                FindingFields("Fine"),
                FindingFields("Too late", target_date=DAY - timedelta(days=1)),
            ],
        )
    assert str(caught.value) == (
        "Finding 2: The target date cannot be before the date the issue was identified."
    )
    assert caught.value.field == "findings.2.target_date"
    assert meetings.list_meetings(any_db, unit.id) == []
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 0
    assert list_audit_events(any_db, entity="meeting") == []


def test_meeting_form_problems(
    any_db: Database, unit: units.UnitInfo, team: Team, kinds: dict[str, int]
) -> None:
    category = units.list_choices(any_db, units.CATEGORY_LIST)[0]
    with pytest.raises(ValidationError) as caught:
        meetings.create_meeting(
            any_db,
            unit.id,
            meetings.MeetingFields(
                DAY,
                kind_id=category.id,
                title="t" * 301,
                location="Room 1\nRoom 2",
                next_meeting_date=DAY - timedelta(days=1),
                attendees=[meetings.AttendeeFields(868686)],
                agenda=[
                    meetings.AgendaItemFields("Fine"),
                    meetings.AgendaItemFields("", minutes="Minutes with no title"),
                    meetings.AgendaItemFields("Third", presenter="Dr.\nWho"),
                ],
                decisions=["ok", "bad\x00"],
            ),
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("title", "The title is too long (301 characters; the limit is 300)."),
        ("location", "The location must fit on one line."),
        ("next_meeting_date", "The next meeting date cannot be before this meeting."),
        ("kind_id", "Choose the kind of meeting from the list."),
        ("attendees", "One of the attendees is no longer in the database."),
        ("agenda.2", "Agenda item 2 needs a title."),
        ("agenda.3", "Agenda item 3's presenter must fit on one line."),
        (
            "decisions.2",
            "Decision 2 contains invisible control characters (such as NUL); retype it or "
            "paste it as plain text.",
        ),
    ]
    for problem in caught.value.problems:
        assert_plain_sentence(problem.message)
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        meetings.create_meeting(any_db, 999, meetings.MeetingFields(DAY))
    with pytest.raises(ValidationError, match="The meeting date is needed."):
        meetings.create_meeting(any_db, unit.id, meetings.MeetingFields(None))  # type: ignore[arg-type]


def test_editing_a_meeting_replaces_its_parts_and_moves_the_version_once(
    any_db: Database, unit: units.UnitInfo, team: Team, kinds: dict[str, int]
) -> None:
    created = meetings.create_meeting(
        any_db,
        unit.id,
        meeting_fields(
            team,
            kinds,
            agenda=[meetings.AgendaItemFields("A"), meetings.AgendaItemFields("B")],
            decisions=["One", "Two"],
        ),
    )
    edited = meetings.update_meeting(
        any_db,
        created.id,
        meeting_fields(
            team,
            kinds,
            executive_attended=True,
            attendees=[
                meetings.AttendeeFields(team.executive, True),
                meetings.AttendeeFields(team.nurse),
                meetings.AttendeeFields(team.nurse),
            ],
            agenda=[meetings.AgendaItemFields("A, reworded")],
            decisions=["Two", "Three", "Four"],
        ),
        expected_version=created.version,
        new_actions=[FindingFields("Order new bed alarms")],
    )
    assert edited.version == created.version + 1
    assert edited.fields.executive_attended
    assert [(a.full_name, a.attended) for a in edited.attendees] == [
        ("Carol Whitfield", True),
        ("Zoë Lefèvre", True),
    ]
    assert [i.title for i in edited.fields.agenda] == ["A, reworded"]
    assert edited.fields.decisions == ["Two", "Three", "Four"]
    assert [a.description for a in edited.actions] == ["Order new bed alarms"]
    # Attendance alone is a change too.
    attendance = meetings.update_meeting(
        any_db,
        created.id,
        meeting_fields(
            team,
            kinds,
            executive_attended=True,
            attendees=[meetings.AttendeeFields(team.executive, False)],
            agenda=[meetings.AgendaItemFields("A, reworded")],
            decisions=["Two", "Three", "Four"],
        ),
        expected_version=edited.version,
    )
    assert attendance.version == edited.version + 1
    assert [(a.full_name, a.attended) for a in attendance.attendees] == [("Carol Whitfield", False)]


def test_editing_an_old_copy_of_a_meeting_is_a_conflict(
    any_db: Database, unit: units.UnitInfo, team: Team, kinds: dict[str, int]
) -> None:
    created = meetings.create_meeting(any_db, unit.id, meeting_fields(team, kinds))
    meetings.update_meeting(
        any_db, created.id, meeting_fields(team, kinds, notes="Mine first"), expected_version=1
    )
    with pytest.raises(ConflictError) as caught:
        meetings.update_meeting(
            any_db,
            created.id,
            meeting_fields(team, kinds, notes="Mine second"),
            expected_version=1,
            new_actions=[FindingFields("Lost?")],
        )
    assert str(caught.value) == "This meeting was changed by someone else after you opened it."
    assert meetings.get_meeting(any_db, created.id).fields.notes == "Mine first"
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 0
    with pytest.raises(NotFoundError, match="That meeting no longer exists."):
        meetings.get_meeting(any_db, 4040)


def test_the_meeting_list_counts_who_came_and_the_actions(
    any_db: Database, unit: units.UnitInfo, team: Team, kinds: dict[str, int]
) -> None:
    older = meetings.create_meeting(
        any_db,
        unit.id,
        meetings.MeetingFields(DAY - timedelta(days=30), title="October"),
        [FindingFields("A"), FindingFields("B")],
    )
    newer = meetings.create_meeting(
        any_db, unit.id, meeting_fields(team, kinds, next_meeting_date=DAY + timedelta(days=30))
    )
    issues.archive_issue(any_db, older.actions[1].issue_id, "Duplicate")
    rows = meetings.list_meetings(any_db, unit.id)
    assert rows == [
        meetings.MeetingRow(
            newer.id,
            DAY,
            "Monthly executive meeting",
            "CUSP executive partner meeting",
            False,
            2,
            0,
            DAY + timedelta(days=30),
        ),
        meetings.MeetingRow(older.id, DAY - timedelta(days=30), "", "October", False, 0, 1, None),
    ]


MEETING_SEARCHES = [
    ("budget", {"percent"}),
    ("budget 10%", {"percent"}),
    ("10% BUDGET", {"percent"}),
    ("%", {"percent"}),
    ("_", {"underscore"}),
    ("réunion", {"accent"}),
    ("RÉUNION", {"accent"}),
]


def test_searching_meetings_takes_the_words_literally(
    any_db: Database, unit: units.UnitInfo
) -> None:
    ids = {
        "percent": meetings.create_meeting(
            any_db, unit.id, meetings.MeetingFields(DAY, title="Budget", notes="Cut 10% of agency")
        ).id,
        "plain": meetings.create_meeting(
            any_db, unit.id, meetings.MeetingFields(DAY, title="Plain")
        ).id,
        "underscore": meetings.create_meeting(
            any_db, unit.id, meetings.MeetingFields(DAY, title="pre_rounds huddle")
        ).id,
        "accent": meetings.create_meeting(
            any_db, unit.id, meetings.MeetingFields(DAY, title="Réunion mensuelle")
        ).id,
    }
    by_id = {v: k for k, v in ids.items()}
    wrong = search_mismatches(
        MEETING_SEARCHES,
        lambda text: {by_id[r.id] for r in meetings.list_meetings(any_db, unit.id, text=text)},
    )
    assert wrong == {}
