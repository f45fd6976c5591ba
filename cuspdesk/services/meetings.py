"""Executive–team meetings and pre-rounds huddles: attendance, agenda, decisions, new actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError
from cuspdesk.models import (
    AgendaItem,
    Choice,
    Decision,
    IssueSource,
    Meeting,
    MeetingAttendee,
    Person,
    SafetyIssue,
    Unit,
    utcnow,
)
from cuspdesk.services.access import require
from cuspdesk.services.archiving import archive_record, clean_reason
from cuspdesk.services.findings import FindingFields, create_findings
from cuspdesk.services.rounds import FindingSummary
from cuspdesk.services.text_search import all_words_in
from cuspdesk.services.validation import Checker


@dataclass
class AgendaItemFields:
    title: str
    presenter: str = ""
    minutes: str = ""


@dataclass
class AttendeeFields:
    person_id: int
    attended: bool = True


@dataclass
class MeetingFields:
    meeting_date: date
    kind_id: int | None = None
    title: str = ""
    location: str = ""
    notes: str = ""
    executive_attended: bool = False
    next_meeting_date: date | None = None
    attendees: list[AttendeeFields] = field(default_factory=list)
    agenda: list[AgendaItemFields] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AttendeeInfo:
    person_id: int
    full_name: str
    title: str
    attended: bool


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    unit_id: int
    version: int
    fields: MeetingFields
    kind_label: str
    attendees: tuple[AttendeeInfo, ...]
    actions: tuple[FindingSummary, ...]


@dataclass(frozen=True)
class MeetingRow:
    id: int
    meeting_date: date
    kind: str
    title: str
    executive_attended: bool
    attendee_count: int
    action_count: int
    next_meeting_date: date | None


def _clean(session: Session, fields: MeetingFields) -> MeetingFields:
    check = Checker()
    check.date_in_range("meeting_date", "The meeting date", fields.meeting_date, required=True)
    title = check.text("title", "The title", fields.title, limit=300)
    location = check.name("location", "The location", fields.location, required=False)
    notes = check.text("notes", "The notes", fields.notes)
    check.date_in_range("next_meeting_date", "The next meeting date", fields.next_meeting_date)
    check.not_before(
        "next_meeting_date",
        "The next meeting date",
        fields.next_meeting_date,
        fields.meeting_date,
        "this meeting",
    )
    if fields.kind_id is not None:
        kind = session.get(Choice, fields.kind_id)
        if kind is None or kind.list_name != "meeting_kind":
            check.add("kind_id", "Choose the kind of meeting from the list.")
    seen: dict[int, AttendeeFields] = {}
    for attendee in fields.attendees:
        if session.get(Person, attendee.person_id) is None:
            check.add("attendees", "One of the attendees is no longer in the database.")
            break
        seen[attendee.person_id] = attendee
    agenda: list[AgendaItemFields] = []
    for number, item in enumerate(fields.agenda, start=1):
        title_ = check.text(f"agenda.{number}", f"Agenda item {number}", item.title)
        if not title_ and not item.minutes.strip():
            continue
        if not title_:
            check.add(f"agenda.{number}", f"Agenda item {number} needs a title.")
        presenter = check.name(
            f"agenda.{number}",
            f"Agenda item {number}'s presenter",
            item.presenter,
            required=False,
        )
        minutes = check.text(f"agenda.{number}", f"Agenda item {number}'s minutes", item.minutes)
        agenda.append(AgendaItemFields(title_, presenter, minutes))
    decisions = [
        text
        for number, raw in enumerate(fields.decisions, start=1)
        if (text := check.text(f"decisions.{number}", f"Decision {number}", raw))
    ]
    check.raise_if_any()
    return MeetingFields(
        meeting_date=fields.meeting_date,
        kind_id=fields.kind_id,
        title=title,
        location=location,
        notes=notes,
        executive_attended=bool(fields.executive_attended),
        next_meeting_date=fields.next_meeting_date,
        attendees=list(seen.values()),
        agenda=agenda,
        decisions=decisions,
    )


def _apply(meeting: Meeting, clean: MeetingFields) -> None:
    # Loaded before any change, so the loads do not flush half an edit (and bump
    # the version twice for one save).
    existing = {a.person_id: a for a in meeting.attendees}
    items = list(meeting.agenda_items)
    decisions = list(meeting.decisions)
    meeting.meeting_date = clean.meeting_date
    meeting.kind_id = clean.kind_id
    meeting.title = clean.title
    meeting.location = clean.location
    meeting.notes = clean.notes
    meeting.executive_attended = clean.executive_attended
    meeting.next_meeting_date = clean.next_meeting_date
    attendees = []
    for wanted in clean.attendees:
        row = existing.get(wanted.person_id) or MeetingAttendee(person_id=wanted.person_id)
        row.attended = wanted.attended
        attendees.append(row)
    meeting.attendees = attendees
    new_items = []
    for position, item in enumerate(clean.agenda):
        agenda_row = items[position] if position < len(items) else AgendaItem(title=item.title)
        agenda_row.position = position
        agenda_row.title = item.title
        agenda_row.presenter = item.presenter
        agenda_row.minutes = item.minutes
        new_items.append(agenda_row)
    meeting.agenda_items = new_items
    new_decisions = []
    for position, text in enumerate(clean.decisions):
        row_d = decisions[position] if position < len(decisions) else Decision(text=text)
        row_d.position, row_d.text = position, text
        new_decisions.append(row_d)
    meeting.decisions = new_decisions


def create_meeting(
    db: Database, unit_id: int, fields: MeetingFields, actions: Sequence[FindingFields] = ()
) -> MeetingDetail:
    """Save a meeting; the new actions agreed at it become tracking-log issues."""
    require(db, "records.edit")
    with db.session() as session:
        if session.get(Unit, unit_id) is None:
            raise NotFoundError("That unit no longer exists.")
        clean = _clean(session, fields)
        meeting = Meeting(unit_id=unit_id, meeting_date=clean.meeting_date)
        session.add(meeting)
        _apply(meeting, clean)
        session.flush()
        create_findings(
            session,
            unit_id,
            actions,
            source=IssueSource.MEETING,
            identified=clean.meeting_date,
            meeting_id=meeting.id,
            noun="Action",
        )
        session.flush()
        return _detail(session, meeting)


def update_meeting(
    db: Database,
    meeting_id: int,
    fields: MeetingFields,
    *,
    expected_version: int,
    new_actions: Sequence[FindingFields] = (),
) -> MeetingDetail:
    require(db, "records.edit")
    with db.session() as session:
        meeting = _get(session, meeting_id)
        if meeting.version != expected_version:
            raise ConflictError(
                "This meeting was changed by someone else after you opened it.",
                current_version=meeting.version,
            )
        clean = _clean(session, fields)
        _apply(meeting, clean)
        # Attendance, agenda and decisions live in other tables; touching the
        # meeting row keeps its version honest when only they change.
        meeting.updated_at = utcnow()
        session.flush()
        create_findings(
            session,
            meeting.unit_id,
            new_actions,
            source=IssueSource.MEETING,
            identified=clean.meeting_date,
            meeting_id=meeting.id,
            noun="Action",
        )
        session.flush()
        return _detail(session, meeting)


def get_meeting(db: Database, meeting_id: int) -> MeetingDetail:
    with db.reader() as session:
        return _detail(session, _get(session, meeting_id))


def list_meetings(db: Database, unit_id: int, *, text: str = "") -> list[MeetingRow]:
    """Meetings newest first."""
    attendees = (
        select(MeetingAttendee.meeting_id.label("meeting_id"), func.count().label("n"))
        .where(MeetingAttendee.attended.is_(True))
        .group_by(MeetingAttendee.meeting_id)
        .subquery()
    )
    actions = (
        select(SafetyIssue.meeting_id.label("meeting_id"), func.count().label("n"))
        .where(SafetyIssue.meeting_id.is_not(None), SafetyIssue.archived_at.is_(None))
        .group_by(SafetyIssue.meeting_id)
        .subquery()
    )
    query = (
        select(
            Meeting.id,
            Meeting.meeting_date,
            func.coalesce(Choice.label, ""),
            Meeting.title,
            Meeting.executive_attended,
            func.coalesce(attendees.c.n, 0),
            func.coalesce(actions.c.n, 0),
            Meeting.next_meeting_date,
        )
        .outerjoin(Choice, Choice.id == Meeting.kind_id)
        .outerjoin(attendees, attendees.c.meeting_id == Meeting.id)
        .outerjoin(actions, actions.c.meeting_id == Meeting.id)
        .where(Meeting.unit_id == unit_id, Meeting.archived_at.is_(None))
        .order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
    )
    query = query.where(*all_words_in(text, Meeting.title, Meeting.notes))
    with db.reader() as session:
        return [MeetingRow(*row) for row in session.execute(query)]


def _get(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError("That meeting no longer exists.")
    return meeting


def _detail(session: Session, meeting: Meeting) -> MeetingDetail:
    kind = session.get(Choice, meeting.kind_id) if meeting.kind_id else None
    issues = session.scalars(
        select(SafetyIssue).where(SafetyIssue.meeting_id == meeting.id).order_by(SafetyIssue.number)
    ).all()
    return MeetingDetail(
        id=meeting.id,
        unit_id=meeting.unit_id,
        version=meeting.version,
        fields=MeetingFields(
            meeting_date=meeting.meeting_date,
            kind_id=meeting.kind_id,
            title=meeting.title,
            location=meeting.location,
            notes=meeting.notes,
            executive_attended=meeting.executive_attended,
            next_meeting_date=meeting.next_meeting_date,
            attendees=[AttendeeFields(a.person_id, a.attended) for a in meeting.attendees],
            agenda=[
                AgendaItemFields(i.title, i.presenter, i.minutes) for i in meeting.agenda_items
            ],
            decisions=[d.text for d in meeting.decisions],
        ),
        kind_label=kind.label if kind is not None else "",
        attendees=tuple(
            AttendeeInfo(a.person_id, a.person.full_name, a.person.title, a.attended)
            for a in meeting.attendees
        ),
        actions=tuple(FindingSummary(i.id, i.number, i.description, i.status) for i in issues),
    )


def archive_meeting(db: Database, meeting_id: int, reason: str) -> None:
    """Take a meeting out of the lists (its actions stay in the tracking log)."""
    require(db, "records.edit")
    cleaned = clean_reason(reason)
    with db.session() as session:
        archive_record(session, Meeting, meeting_id, cleaned, "That meeting no longer exists.")
