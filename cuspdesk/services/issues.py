"""The tracking log: create, edit, find, rank and move safety issues through their workflow.

Status rules live here and nowhere else: an issue cannot be closed without saying
how we know the risk is reduced, a blocked or escalated issue names its barrier,
reopening needs a reason, and every status change leaves a dated note so the
history reads like the team's own log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, Problem, StorageError, ValidationError
from cuspdesk.models import (
    ACTIVE_STATUSES,
    SOURCE_LABELS,
    STATUS_LABELS,
    AssessmentResponse,
    Choice,
    DefectReview,
    IssueNote,
    IssueSource,
    IssueStatus,
    Meeting,
    Person,
    SafetyIssue,
    SafetyRound,
    StrategicAim,
    Unit,
    utcnow,
)
from cuspdesk.models.base import new_uuid
from cuspdesk.services.access import require
from cuspdesk.services.issue_search import indexed_match_count, matches_word
from cuspdesk.services.text_search import search_words
from cuspdesk.services.validation import Checker, today

# Where each status may go next. Resolved and closed issues go back only by reopening.
TRANSITIONS: dict[IssueStatus, frozenset[IssueStatus]] = {
    IssueStatus.OPEN: frozenset(
        {
            IssueStatus.IN_PROGRESS,
            IssueStatus.BLOCKED,
            IssueStatus.ESCALATED,
            IssueStatus.RESOLVED,
            IssueStatus.CLOSED,
        }
    ),
    IssueStatus.IN_PROGRESS: frozenset(
        {
            IssueStatus.OPEN,
            IssueStatus.BLOCKED,
            IssueStatus.ESCALATED,
            IssueStatus.RESOLVED,
            IssueStatus.CLOSED,
        }
    ),
    IssueStatus.BLOCKED: frozenset(
        {
            IssueStatus.OPEN,
            IssueStatus.IN_PROGRESS,
            IssueStatus.ESCALATED,
            IssueStatus.RESOLVED,
            IssueStatus.CLOSED,
        }
    ),
    IssueStatus.ESCALATED: frozenset(
        {
            IssueStatus.OPEN,
            IssueStatus.IN_PROGRESS,
            IssueStatus.BLOCKED,
            IssueStatus.RESOLVED,
            IssueStatus.CLOSED,
        }
    ),
    IssueStatus.RESOLVED: frozenset(
        {IssueStatus.CLOSED, IssueStatus.OPEN, IssueStatus.IN_PROGRESS}
    ),
    IssueStatus.CLOSED: frozenset({IssueStatus.OPEN, IssueStatus.IN_PROGRESS}),
}

SORT_KEYS = (
    "number",
    "date_identified",
    "description",
    "category",
    "owner",
    "source",
    "status",
    "target_date",
    "priority_rank",
    "risk_score",
    "feasibility_score",
    "location",
)
ROW_DESCRIPTION_CHARS = 500
DATE_RESOLVED_NEEDS_STATUS = (
    "Only a resolved or closed issue has a date resolved; clear the date or change the status."
)


# --- plain data ----------------------------------------------------------------------


@dataclass
class IssueFields:
    """Everything a person types into the issue form (status changes separately)."""

    description: str
    date_identified: date
    source: str = IssueSource.OTHER.value
    round_id: int | None = None
    meeting_id: int | None = None
    defect_review_id: int | None = None
    event_report_ref: str = ""
    category_id: int | None = None
    location: str = ""
    likelihood: int | None = None
    severity: int | None = None
    mitigate_ability: int | None = None
    implement_ability: int | None = None
    owner_id: int | None = None
    sponsor_id: int | None = None
    aim_id: int | None = None
    action_plan: str = ""
    barriers: str = ""
    needs_executive: bool = False
    target_date: date | None = None
    date_resolved: date | None = None
    risk_reduced_evidence: str = ""
    staff_feedback: str = ""
    feedback_date: date | None = None
    harm_event: bool = False


FIELD_LABELS = {
    "description": "Description",
    "date_identified": "Date identified",
    "source": "Source",
    "round_id": "Safety round",
    "meeting_id": "Meeting",
    "defect_review_id": "Defect review",
    "event_report_ref": "Event report number",
    "category_id": "Category",
    "location": "Location",
    "likelihood": "Likelihood",
    "severity": "Severity",
    "mitigate_ability": "Ability to mitigate",
    "implement_ability": "Ability to implement",
    "owner_id": "Owner",
    "sponsor_id": "Executive sponsor",
    "aim_id": "Strategic aim",
    "action_plan": "Action plan",
    "barriers": "Barriers needing executive help",
    "needs_executive": "Needs the executive",
    "target_date": "Target date",
    "date_resolved": "Date resolved",
    "risk_reduced_evidence": "How we know the risk is reduced",
    "staff_feedback": "Feedback given to staff",
    "feedback_date": "Date feedback given",
    "harm_event": "Harm reached a patient",
    "status": "Status",
}


@dataclass(frozen=True)
class NoteInfo:
    id: int
    note_date: date
    text: str
    kind: str
    author: str


@dataclass(frozen=True)
class IssueDetail:
    id: int
    uuid: str
    unit_id: int
    number: int
    version: int
    status: str
    fields: IssueFields
    priority_rank: int | None
    date_closed: date | None
    category_label: str
    owner_name: str
    sponsor_name: str
    source_label: str
    source_record: str
    notes: tuple[NoteInfo, ...]
    assessment_ids: tuple[int, ...]
    archived: bool
    archive_reason: str | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[IssueStatus(self.status)]

    @property
    def risk_score(self) -> int | None:
        return _product(self.fields.likelihood, self.fields.severity)

    @property
    def feasibility_score(self) -> int | None:
        return _product(self.fields.mitigate_ability, self.fields.implement_ability)

    def days_overdue(self, on: date | None = None) -> int:
        return _days_overdue(self.status, self.fields.target_date, on or today())


@dataclass(frozen=True)
class IssueRow:
    """One line of the tracking log as lists, boards and printouts show it."""

    id: int
    unit_id: int
    number: int
    version: int
    date_identified: date
    description: str
    category: str
    owner: str
    source: str
    location: str
    status: str
    target_date: date | None
    priority_rank: int | None
    risk_score: int | None
    feasibility_score: int | None
    likelihood: int | None
    severity: int | None
    needs_executive: bool
    barriers: str
    action_plan: str
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[IssueStatus(self.status)]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[IssueSource(self.source)]


@dataclass
class IssueQuery:
    """What the tracking log asks for: filters, free text, sort and one page."""

    unit_id: int | None = None
    statuses: Sequence[str] = ()
    active_only: bool = False
    category_ids: Sequence[int] = ()
    owner_ids: Sequence[int] = ()
    sources: Sequence[str] = ()
    overdue_only: bool = False
    due_within_days: int | None = None
    needs_executive_only: bool = False
    identified_from: date | None = None
    identified_to: date | None = None
    text: str = ""
    sort: str = "number"
    descending: bool = False
    offset: int = 0
    limit: int | None = None
    include_archived: bool = False
    today: date | None = None


@dataclass(frozen=True)
class IssuePage:
    rows: list[IssueRow]
    total: int


@dataclass(frozen=True)
class IssueCounts:
    open: int
    overdue: int
    due_soon: int
    needs_executive: int
    by_status: dict[str, int] = field(default_factory=dict)


# --- helpers -------------------------------------------------------------------------


def _product(a: int | None, b: int | None) -> int | None:
    return a * b if a is not None and b is not None else None


def _days_overdue(status: str, target: date | None, on: date) -> int:
    if target is None or status not in ACTIVE_STATUSES:
        return 0
    return max(0, (on - target).days)


def _get_issue(session: Session, issue_id: int) -> SafetyIssue:
    issue = session.get(SafetyIssue, issue_id)
    if issue is None:
        raise NotFoundError("That issue no longer exists.")
    return issue


def _person_name(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return ""
    person = session.get(Person, person_id)
    return person.full_name if person is not None else ""


def _fields_of(issue: SafetyIssue) -> IssueFields:
    return IssueFields(**{f.name: getattr(issue, f.name) for f in fields(IssueFields)})


def _clean(session: Session, unit_id: int, data: IssueFields) -> IssueFields:
    """Validate every field at once; return the cleaned copy to store."""
    check = Checker()
    description = check.text("description", "The description", data.description, required=True)
    identified = check.date_in_range(
        "date_identified", "The date identified", data.date_identified, required=True
    )
    check.not_future("date_identified", "The date identified", identified)
    try:
        source = IssueSource(data.source).value
    except ValueError:
        check.add("source", "Choose where the issue came from.")
        source = IssueSource.OTHER.value
    event_ref = check.name(
        "event_report_ref", "The event report number", data.event_report_ref, required=False
    )
    location = check.name("location", "The location", data.location, required=False)
    for name in ("likelihood", "severity", "mitigate_ability", "implement_ability"):
        check.rating(name, FIELD_LABELS[name], getattr(data, name))
    action_plan = check.text("action_plan", "The action plan", data.action_plan)
    barriers = check.text("barriers", "The barriers", data.barriers)
    check.date_in_range("target_date", "The target date", data.target_date)
    check.not_before(
        "target_date",
        "The target date",
        data.target_date,
        identified,
        "the date the issue was identified",
    )
    check.date_in_range("date_resolved", "The date resolved", data.date_resolved)
    check.not_before(
        "date_resolved",
        "The date resolved",
        data.date_resolved,
        identified,
        "the date the issue was identified",
    )
    check.not_future("date_resolved", "The date resolved", data.date_resolved)
    evidence = check.text(
        "risk_reduced_evidence", "How we know the risk is reduced", data.risk_reduced_evidence
    )
    feedback = check.text("staff_feedback", "The feedback to staff", data.staff_feedback)
    check.date_in_range("feedback_date", "The feedback date", data.feedback_date)
    check.not_before(
        "feedback_date",
        "The feedback date",
        data.feedback_date,
        identified,
        "the date the issue was identified",
    )
    _check_links(session, unit_id, data, check)
    check.raise_if_any()
    return replace(
        data,
        description=description,
        source=source,
        event_report_ref=event_ref,
        location=location,
        action_plan=action_plan,
        barriers=barriers,
        risk_reduced_evidence=evidence,
        staff_feedback=feedback,
        needs_executive=bool(data.needs_executive),
        harm_event=bool(data.harm_event),
    )


def _check_links(session: Session, unit_id: int, data: IssueFields, check: Checker) -> None:
    links: list[tuple[str, type[Any], int | None, str]] = [
        ("round_id", SafetyRound, data.round_id, "That safety round"),
        ("meeting_id", Meeting, data.meeting_id, "That meeting"),
        ("defect_review_id", DefectReview, data.defect_review_id, "That defect review"),
        ("aim_id", StrategicAim, data.aim_id, "That aim"),
    ]
    for name, model, record_id, label in links:
        if record_id is None:
            continue
        record = session.get(model, record_id)
        if record is None or record.unit_id != unit_id:
            check.add(name, f"{label} is not one of this unit's records.")
    if data.category_id is not None:
        choice = session.get(Choice, data.category_id)
        if choice is None or choice.list_name != "category":
            check.add("category_id", "Choose a category from the list.")
    for name in ("owner_id", "sponsor_id"):
        person_id = getattr(data, name)
        if person_id is not None and session.get(Person, person_id) is None:
            check.add(name, f"The {FIELD_LABELS[name].lower()} is no longer in the database.")


def _next_number(session: Session, unit_id: int) -> int:
    last = session.scalar(
        select(func.max(SafetyIssue.number)).where(SafetyIssue.unit_id == unit_id)
    )
    return (last or 0) + 1


def _next_rank(session: Session, unit_id: int) -> int:
    last = session.scalar(
        select(func.max(SafetyIssue.priority_rank)).where(SafetyIssue.unit_id == unit_id)
    )
    return (last or 0) + 1


def _drop_rank(session: Session, issue: SafetyIssue) -> None:
    """Take an issue out of the priority order and close the gap it leaves."""
    old = issue.priority_rank
    if old is None:
        return
    issue.priority_rank = None
    session.flush()
    session.execute(
        update(SafetyIssue)
        .where(SafetyIssue.unit_id == issue.unit_id, SafetyIssue.priority_rank > old)
        .values(priority_rank=SafetyIssue.priority_rank - 1)
        .execution_options(synchronize_session=False)
    )


def _add_note(session: Session, issue: SafetyIssue, text: str, kind: str, on: date) -> IssueNote:
    note = IssueNote(
        uuid=new_uuid(),
        note_date=on,
        text=text,
        kind=kind,
        author=session.info["actor"].os_user if "actor" in session.info else "",
    )
    if issue.id is None:  # not written yet: the note is written after it, with its id
        note.issue = issue
    else:
        note.issue_id = issue.id
    session.add(note)
    return note


def _detail(session: Session, issue: SafetyIssue) -> IssueDetail:
    category = session.get(Choice, issue.category_id) if issue.category_id else None
    notes = session.scalars(
        select(IssueNote)
        .where(IssueNote.issue_id == issue.id)
        .order_by(IssueNote.note_date, IssueNote.id)
    ).all()
    assessment_ids = session.scalars(
        select(AssessmentResponse.id).where(AssessmentResponse.issue_id == issue.id)
    ).all()
    return IssueDetail(
        id=issue.id,
        uuid=issue.uuid,
        unit_id=issue.unit_id,
        number=issue.number,
        version=issue.version,
        status=issue.status,
        fields=_fields_of(issue),
        priority_rank=issue.priority_rank,
        date_closed=issue.date_closed,
        category_label=category.label if category is not None else "",
        owner_name=_person_name(session, issue.owner_id),
        sponsor_name=_person_name(session, issue.sponsor_id),
        source_label=SOURCE_LABELS[IssueSource(issue.source)],
        source_record=_source_record(session, issue),
        notes=tuple(NoteInfo(n.id, n.note_date, n.text, n.kind, n.author) for n in notes),
        assessment_ids=tuple(assessment_ids),
        archived=issue.archived_at is not None,
        archive_reason=issue.archive_reason,
    )


def _source_record(session: Session, issue: SafetyIssue) -> str:
    """A one-line name for the record the issue came from."""
    if issue.round_id is not None:
        rnd = session.get(SafetyRound, issue.round_id)
        if rnd is not None:
            area = f" — {rnd.area}" if rnd.area else ""
            return f"Safety round of {rnd.round_date.isoformat()}{area}"
    if issue.meeting_id is not None:
        meeting = session.get(Meeting, issue.meeting_id)
        if meeting is not None:
            return f"Meeting of {meeting.meeting_date.isoformat()}"
    if issue.defect_review_id is not None:
        review = session.get(DefectReview, issue.defect_review_id)
        if review is not None:
            return f"Defect review “{review.title}” ({review.review_date.isoformat()})"
    if issue.event_report_ref:
        return f"Event report {issue.event_report_ref}"
    count = session.scalar(select(func.count()).where(AssessmentResponse.issue_id == issue.id))
    if count:
        plural = "s" if count != 1 else ""
        return f"{count} staff safety assessment response{plural}"
    return ""


# --- create and edit -----------------------------------------------------------------


def create_issue(
    db: Database,
    unit_id: int,
    data: IssueFields,
    *,
    status: str = IssueStatus.OPEN.value,
    assessment_ids: Sequence[int] = (),
) -> IssueDetail:
    """Add an issue to the log, at the bottom of the priority order."""
    require(db, "issues.edit")
    for attempt in range(3):
        try:
            with db.session() as session:
                issue = create_issue_in(session, unit_id, data, status=status)
                if assessment_ids:
                    _link_assessments(session, issue, assessment_ids)
                session.flush()
                return _detail(session, issue)
        except StorageError as exc:
            # Two people numbering at once on a server: the loser takes the next number.
            if attempt == 2 or not isinstance(exc.__cause__, IntegrityError):
                raise
    raise AssertionError("unreachable")


def create_issue_in(
    session: Session, unit_id: int, data: IssueFields, *, status: str = IssueStatus.OPEN.value
) -> SafetyIssue:
    """Create inside a caller's transaction (rounds, meetings and reviews add findings this way)."""
    require(session, "issues.edit")
    _unit_in(session, unit_id)
    ranked = status in ACTIVE_STATUSES
    issue, target_status = _new_issue(
        session,
        unit_id,
        data,
        status,
        number=_next_number(session, unit_id),
        rank=_next_rank(session, unit_id) if ranked else None,
    )
    session.add(issue)
    session.flush()
    if target_status is not IssueStatus.OPEN:
        _apply_status(session, issue, target_status, note="", on=today(), creating=True)
    return issue


@dataclass
class NewIssue:
    """One issue for ``create_issues_in``: its fields, status and, when imported, its own
    number and identifier (the caller has checked both are free) and the day its status
    was reached."""

    data: IssueFields
    status: str = IssueStatus.OPEN.value
    number: int | None = None
    uuid: str | None = None
    on: date | None = None


def create_issues_in(
    session: Session, unit_id: int, entries: Sequence[NewIssue], *, batch: int = 500
) -> list[SafetyIssue]:
    """Create many issues inside a caller's transaction, each checked as ``create_issue_in``
    checks one.

    Numbers and priority ranks are counted here rather than asked of the database for
    every issue, each issue is written once with the status it is to have (its history
    still opens with "Logged as closed." and the like), and the issues are written a
    batch at a time, so importing 10,000 rows takes seconds instead of minutes.
    """
    require(session, "issues.edit")
    _unit_in(session, unit_id)
    given = [e.number for e in entries if e.number is not None]
    number = max(_next_number(session, unit_id) - 1, max(given, default=0))
    rank = _next_rank(session, unit_id) - 1
    created: list[SafetyIssue] = []
    for start in range(0, len(entries), batch):
        with session.no_autoflush:
            for entry in entries[start : start + batch]:
                if entry.number is None:
                    number += 1
                ranked = entry.status in ACTIVE_STATUSES
                issue, target = _new_issue(
                    session,
                    unit_id,
                    entry.data,
                    entry.status,
                    number=entry.number if entry.number is not None else number,
                    rank=rank + 1 if ranked else None,
                )
                rank += 1 if ranked else 0
                if entry.uuid is not None:
                    issue.uuid = entry.uuid
                session.add(issue)
                if target is not IssueStatus.OPEN:
                    on = entry.on or today()
                    _apply_status(session, issue, target, note="", on=on, creating=True)
                created.append(issue)
        session.flush()
    return created


def _unit_in(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("That unit no longer exists.")
    return unit


def _new_issue(
    session: Session,
    unit_id: int,
    data: IssueFields,
    status: str,
    *,
    number: int,
    rank: int | None,
) -> tuple[SafetyIssue, IssueStatus]:
    """A checked, numbered issue not yet added to the session, and the status it is to reach."""
    clean = _clean(session, unit_id, data)
    target_status = _status(status)
    if target_status.is_active and clean.date_resolved is not None:
        raise ValidationError(DATE_RESOLVED_NEEDS_STATUS, "date_resolved")
    issue = SafetyIssue(unit_id=unit_id, number=number, **asdict(clean))
    issue.status = IssueStatus.OPEN.value
    if target_status.is_active:
        issue.priority_rank = rank
    if target_status is IssueStatus.ESCALATED:
        issue.needs_executive = True
    return issue, target_status


def issue_problems_in(
    session: Session, unit_id: int, data: IssueFields, status: str = IssueStatus.OPEN.value
) -> list[Problem]:
    """Everything ``create_issue_in`` would refuse about a new issue, without saving it.

    An import checks each of its rows this way, so the preview lists every problem
    before anything is written.
    """
    problems: list[Problem] = []
    clean = data
    try:
        clean = _clean(session, unit_id, data)
    except ValidationError as exc:
        problems.extend(exc.problems)
    try:
        target = _status(status)
    except ValidationError as exc:
        return [*problems, *exc.problems]
    problems.extend(
        _status_problem(p) for p in status_problems(IssueStatus.OPEN.value, target.value, clean)
    )
    if target.is_active and clean.date_resolved is not None:
        problems.append(Problem("date_resolved", DATE_RESOLVED_NEEDS_STATUS))
    return problems


def _link_assessments(session: Session, issue: SafetyIssue, assessment_ids: Sequence[int]) -> None:
    """Point the responses at the issue they fed; a response feeds one issue only."""
    for response_id in assessment_ids:
        response = session.get(AssessmentResponse, response_id)
        if response is None or response.unit_id != issue.unit_id:
            raise ValidationError("One of the chosen assessment responses no longer exists.")
        if response.issue_id is not None and response.issue_id != issue.id:
            number = session.scalar(
                select(SafetyIssue.number).where(SafetyIssue.id == response.issue_id)
            )
            raise ValidationError(
                f"A chosen response already fed issue {number}; open that issue instead."
            )
        response.issue_id = issue.id


def check_issue(db: Database, unit_id: int, data: IssueFields) -> None:
    """Run the save-time checks without saving, so a form can explain itself as people type."""
    with db.reader() as session:
        _clean(session, unit_id, data)


def get_issue(db: Database, issue_id: int) -> IssueDetail:
    with db.reader() as session:
        return _detail(session, _get_issue(session, issue_id))


def get_issue_by_number(db: Database, unit_id: int, number: int) -> IssueDetail:
    with db.reader() as session:
        issue = session.scalar(
            select(SafetyIssue).where(SafetyIssue.unit_id == unit_id, SafetyIssue.number == number)
        )
        if issue is None:
            raise NotFoundError(f"There is no issue number {number} in this unit.")
        return _detail(session, issue)


def update_issue(
    db: Database,
    issue_id: int,
    data: IssueFields,
    *,
    expected_version: int,
    status: str | None = None,
    status_note: str = "",
    status_date: date | None = None,
) -> IssueDetail:
    """Save the form; with ``status`` the change of status is checked against the new values.

    ``expected_version`` is the version the form was opened at: if someone else
    saved meanwhile, nothing is written and ``ConflictError`` carries both versions.
    """
    require(db, "issues.edit")
    with db.session() as session:
        issue = _get_issue(session, issue_id)
        if issue.version != expected_version:
            theirs = _fields_of(issue)
            raise ConflictError(
                f"Issue {issue.number} was changed by someone else after you opened it.",
                mine=_comparable(data),
                theirs=_comparable(theirs) | {"status": issue.status},
                current_version=issue.version,
            )
        clean = _clean(session, issue.unit_id, data)
        for name, value in asdict(clean).items():
            if getattr(issue, name) != value:
                setattr(issue, name, value)
        if status is not None and status != issue.status:
            on = _status_date(status_date, issue)
            _apply_status(session, issue, _status(status), note=status_note, on=on)
        elif issue.status == IssueStatus.CLOSED.value and not issue.risk_reduced_evidence:
            raise ValidationError(
                "A closed issue must keep “How we know the risk is reduced”; reopen it first "
                "if that has changed.",
                "risk_reduced_evidence",
            )
        if IssueStatus(issue.status).is_active and issue.date_resolved is not None:
            raise ValidationError(DATE_RESOLVED_NEEDS_STATUS, "date_resolved")
        session.flush()
        return _detail(session, issue)


def _comparable(data: IssueFields) -> dict[str, Any]:
    return {k: v for k, v in asdict(data).items()}


def _status(value: str) -> IssueStatus:
    try:
        return IssueStatus(value)
    except ValueError:
        raise ValidationError(f"“{value}” is not a status an issue can have.", "status") from None


def allowed_statuses(current: str) -> list[str]:
    """The statuses the workflow lets an issue move to from ``current``."""
    return [s.value for s in IssueStatus if s in TRANSITIONS[IssueStatus(current)]]


def status_problems(current: str, target: str, data: IssueFields, note: str = "") -> list[str]:
    """Why a status change would be refused, in words; empty when it is allowed.

    The form calls this as the person types, so the Save button can explain itself.
    """
    old, new = IssueStatus(current), IssueStatus(target)
    if old == new:
        return []
    problems: list[str] = []
    if new not in TRANSITIONS[old]:
        problems.append(
            f"An issue that is {old.label.lower()} cannot be marked {new.label.lower()}."
        )
        return problems
    reopening = not old.is_active and new.is_active
    if reopening and not note.strip():
        problems.append("Say why the issue is being reopened.")
    if new in (IssueStatus.BLOCKED, IssueStatus.ESCALATED) and not data.barriers.strip():
        problems.append(f"Describe the barrier before marking the issue {new.label.lower()}.")
    if new is IssueStatus.RESOLVED and not data.action_plan.strip():
        problems.append("Write what was done (the action plan) before marking it resolved.")
    if new is IssueStatus.CLOSED and not data.risk_reduced_evidence.strip():
        problems.append(
            "An issue can only be closed once “How we know the risk is reduced” is filled in."
        )
    return problems


def _status_date(on: date | None, issue: SafetyIssue) -> date:
    """The day a status change happened: today unless the person says otherwise."""
    if on is None:
        return today()
    check = Checker()
    check.date_in_range("status_date", "The date of the change", on)
    check.not_future("status_date", "The date of the change", on)
    check.not_before(
        "status_date",
        "The date of the change",
        on,
        issue.date_identified,
        "the date the issue was identified",
    )
    check.raise_if_any()
    return on


def _apply_status(
    session: Session,
    issue: SafetyIssue,
    new: IssueStatus,
    *,
    note: str,
    on: date,
    creating: bool = False,
) -> None:
    old = IssueStatus(issue.status)
    problems = status_problems(old.value, new.value, _fields_of(issue), note)
    if problems:
        raise ValidationError([_status_problem(p) for p in problems])
    check = Checker()
    note = check.text("status_note", "The note", note)
    check.raise_if_any()
    issue.status = new.value
    if new is IssueStatus.RESOLVED:
        issue.date_resolved = issue.date_resolved or on
        issue.date_closed = None
    elif new is IssueStatus.CLOSED:
        issue.date_resolved = issue.date_resolved or on
        issue.date_closed = on
    else:
        issue.date_resolved = None
        issue.date_closed = None
    if new is IssueStatus.ESCALATED:
        issue.needs_executive = True
    if new.is_active and issue.priority_rank is None and issue.archived_at is None:
        issue.priority_rank = _next_rank(session, issue.unit_id)
    if not new.is_active:
        _drop_rank(session, issue)
    if creating:
        text = f"Logged as {new.label.lower()}."
    elif not old.is_active and new.is_active:
        text = f"Reopened ({old.label} → {new.label}): {note}"
    else:
        text = f"Status {old.label} → {new.label}." + (f" {note}" if note else "")
    _add_note(session, issue, text, "status", on)


def _status_problem(message: str) -> Problem:
    field_name = "status"
    if "How we know" in message:
        field_name = "risk_reduced_evidence"
    elif "barrier" in message:
        field_name = "barriers"
    elif "action plan" in message:
        field_name = "action_plan"
    elif "reopened" in message:
        field_name = "status_note"
    return Problem(field_name, message)


def change_status(
    db: Database,
    issue_id: int,
    status: str,
    *,
    note: str = "",
    expected_version: int | None = None,
    on: date | None = None,
) -> IssueDetail:
    """Move one issue along the workflow (also used for bulk changes, one issue at a time).

    ``on`` is the day the change happened, for changes recorded after the fact.
    """
    require(db, "issues.edit")
    with db.session() as session:
        issue = _get_issue(session, issue_id)
        if expected_version is not None and issue.version != expected_version:
            raise ConflictError(
                f"Issue {issue.number} was changed by someone else; reload before changing it.",
                current_version=issue.version,
            )
        target = _status(status)
        if target.value != issue.status:
            _apply_status(session, issue, target, note=note, on=_status_date(on, issue))
            session.flush()
        return _detail(session, issue)


@dataclass(frozen=True)
class BulkResult:
    changed: list[int]
    refused: dict[int, str]


def change_status_many(
    db: Database, issue_ids: Sequence[int], status: str, *, note: str = ""
) -> BulkResult:
    """Change several issues; each that the rules refuse is reported, the rest are saved."""
    changed: list[int] = []
    refused: dict[int, str] = {}
    for issue_id in issue_ids:
        try:
            detail = change_status(db, issue_id, status, note=note)
        except (ValidationError, NotFoundError, ConflictError) as exc:
            refused[issue_id] = str(exc)
        else:
            changed.append(detail.id)
    return BulkResult(changed, refused)


def add_note_in(session: Session, issue: SafetyIssue, text: str, on: date) -> IssueNote:
    """Add a follow-up note inside a caller's transaction (an import adds a file's notes so)."""
    require(session, "issues.comment")
    check = Checker()
    cleaned = check.text("note", "The note", text, required=True)
    check.date_in_range("note_date", "The note date", on, required=True)
    check.not_future("note_date", "The note date", on)
    check.raise_if_any()
    return _add_note(session, issue, cleaned, "note", on)


def add_note(db: Database, issue_id: int, text: str, on: date | None = None) -> NoteInfo:
    """Add a dated follow-up note to an issue's history."""
    require(db, "issues.comment")
    check = Checker()
    cleaned = check.text("note", "The note", text, required=True)
    when = check.date_in_range("note_date", "The note date", on or today(), required=True)
    check.not_future("note_date", "The note date", when)
    check.raise_if_any()
    assert when is not None
    with db.session() as session:
        issue = _get_issue(session, issue_id)
        note = _add_note(session, issue, cleaned, "note", when)
        session.flush()
        return NoteInfo(note.id, note.note_date, note.text, note.kind, note.author)


def archive_issue(db: Database, issue_id: int, reason: str) -> None:
    """Take an issue out of the log without deleting it; the reason is kept."""
    require(db, "issues.edit")
    check = Checker()
    reason = check.text("reason", "The reason", reason, required=True, limit=2000)
    check.raise_if_any()
    with db.session() as session:
        issue = _get_issue(session, issue_id)
        if issue.archived_at is not None:
            return
        issue.archived_at = utcnow()
        issue.archive_reason = reason
        _drop_rank(session, issue)


def restore_issue(db: Database, issue_id: int) -> IssueDetail:
    require(db, "issues.edit")
    with db.session() as session:
        issue = _get_issue(session, issue_id)
        issue.archived_at = None
        if IssueStatus(issue.status).is_active and issue.priority_rank is None:
            issue.priority_rank = _next_rank(session, issue.unit_id)
        session.flush()
        return _detail(session, issue)


# --- priority order ------------------------------------------------------------------


def move_rank(db: Database, issue_id: int, new_rank: int) -> None:
    """Put an active issue at ``new_rank`` (1 = top) and shift the others to make room."""
    require(db, "issues.edit")
    with db.session() as session:
        issue = _get_issue(session, issue_id)
        old = issue.priority_rank
        if old is None:
            raise ValidationError(
                "Only open issues have a place in the priority order.", "priority_rank"
            )
        count = (
            session.scalar(
                select(func.max(SafetyIssue.priority_rank)).where(
                    SafetyIssue.unit_id == issue.unit_id
                )
            )
            or 1
        )
        new = max(1, min(count, new_rank))
        if new == old:
            return
        if new < old:
            shift = (
                update(SafetyIssue)
                .where(
                    SafetyIssue.unit_id == issue.unit_id,
                    SafetyIssue.priority_rank >= new,
                    SafetyIssue.priority_rank < old,
                )
                .values(priority_rank=SafetyIssue.priority_rank + 1)
            )
        else:
            shift = (
                update(SafetyIssue)
                .where(
                    SafetyIssue.unit_id == issue.unit_id,
                    SafetyIssue.priority_rank > old,
                    SafetyIssue.priority_rank <= new,
                )
                .values(priority_rank=SafetyIssue.priority_rank - 1)
            )
        session.execute(shift.execution_options(synchronize_session=False))
        issue.priority_rank = new


def reorder_ranks(db: Database, unit_id: int, issue_ids_in_order: Sequence[int]) -> None:
    """Give the listed active issues ranks 1..n in that order (a drag on the board)."""
    require(db, "issues.edit")
    with db.session() as session:
        active = session.scalars(
            select(SafetyIssue).where(
                SafetyIssue.unit_id == unit_id, SafetyIssue.priority_rank.is_not(None)
            )
        ).all()
        by_id = {i.id: i for i in active}
        if set(issue_ids_in_order) != set(by_id) or len(issue_ids_in_order) != len(by_id):
            raise ConflictError(
                "The list of open issues changed while you were reordering; reload it and "
                "try again."
            )
        # Only the issues whose place changed are touched, so the others keep their
        # version (no false conflicts for someone editing them) and the audit shows
        # one change per move.
        for rank, issue_id in enumerate(issue_ids_in_order, start=1):
            if by_id[issue_id].priority_rank != rank:
                by_id[issue_id].priority_rank = rank


# --- finding and counting ------------------------------------------------------------


def _filters(
    query: IssueQuery, on: date, *, in_number_order: bool = False
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.unit_id is not None:
        where.append(SafetyIssue.unit_id == query.unit_id)
    if not query.include_archived:
        where.append(SafetyIssue.archived_at.is_(None))
    if query.statuses:
        where.append(SafetyIssue.status.in_(list(query.statuses)))
    if query.active_only or query.overdue_only or query.due_within_days is not None:
        where.append(SafetyIssue.status.in_(ACTIVE_STATUSES))
    if query.category_ids:
        where.append(SafetyIssue.category_id.in_(list(query.category_ids)))
    if query.owner_ids:
        where.append(SafetyIssue.owner_id.in_(list(query.owner_ids)))
    if query.sources:
        where.append(SafetyIssue.source.in_(list(query.sources)))
    if query.overdue_only:
        where.append(SafetyIssue.target_date < on)
    if query.due_within_days is not None:
        where.append(
            and_(
                SafetyIssue.target_date >= on,
                SafetyIssue.target_date <= on + timedelta(days=query.due_within_days),
            )
        )
    if query.needs_executive_only:
        where.append(or_(SafetyIssue.needs_executive.is_(True), SafetyIssue.status == "escalated"))
    if query.identified_from is not None:
        where.append(SafetyIssue.date_identified >= query.identified_from)
    if query.identified_to is not None:
        where.append(SafetyIssue.date_identified <= query.identified_to)
    for word in search_words(query.text):
        matches: list[ColumnElement[bool]] = [matches_word(word, in_number_order=in_number_order)]
        digits = word.lstrip("#")
        if digits.isdecimal() and len(digits) < 10:
            matches.append(SafetyIssue.number == int(digits))
        where.append(or_(*matches))
    return where


def list_issues(db: Database, query: IssueQuery) -> IssuePage:
    """One page of the log, filtered and sorted in SQL so 100,000 issues stay quick, and
    how many issues match in all.

    The page's ids are chosen first from the issue table alone (indexes can serve
    the filter and the order), then only those rows are joined to names.
    """
    on = query.today or today()
    where = _filters(query, on)
    with db.reader() as session:
        # A search counts its matches in the same pass that pages them (a window
        # count): finding the words twice, once to page and once to count, took twice
        # as long. Without words the count reads an index and stays a query of its own.
        counting = bool(search_words(query.text)) and query.limit is not None
        page = _page_of_ids(session, query, where)
        if counting:
            page = page.add_columns(func.count().over())
        found: Sequence[Any] = session.execute(page).all()
        rows = _rows_for(session, [row[0] for row in found], on)
        if counting and (found or not query.offset):
            total = found[0][1] if found else 0
        elif query.limit is None and not query.offset:
            total = len(rows)
        else:
            total = _count(session, where)
    return IssuePage(rows, total)


def find_issue_rows(db: Database, query: IssueQuery) -> list[IssueRow]:
    """One page of the log without counting the rest, so a screen can show the rows
    first and the count when ``count_matching_issues`` has it: at 100,000 issues the
    count of a common word costs more than the page itself."""
    on = query.today or today()
    with db.reader() as session:
        where = _filters(query, on, in_number_order=_walk_in_number_order(session, query))
        ids = list(session.scalars(_page_of_ids(session, query, where)))
        return _rows_for(session, ids, on)


# Paging a search by issue number, SQLite either looks every match up and sorts them,
# or walks the issues in number order keeping the matches until the page is full. For
# a word in 15,000 of 100,000 issues the walk takes 5 ms and the sort 25; for a word in
# a few hundred, or deep into the pages, the sort is quicker.
WALK_FROM_MATCHES = 2_000
WALK_UP_TO_ROW = 2_000


def _walk_in_number_order(session: Session, query: IssueQuery) -> bool:
    if query.sort != "number" or query.limit is None:
        return False
    if query.offset + query.limit > WALK_UP_TO_ROW:
        return False
    narrowed = (
        query.statuses,
        query.active_only,
        query.category_ids,
        query.owner_ids,
        query.sources,
        query.overdue_only,
        query.due_within_days is not None,
        query.needs_executive_only,
        query.identified_from,
        query.identified_to,
    )
    words = search_words(query.text)
    if any(narrowed) or not words:
        return False
    for word in words:
        found = indexed_match_count(session, word)
        if found is None or found < WALK_FROM_MATCHES:
            return False
    return True


def count_matching_issues(db: Database, query: IssueQuery) -> int:
    """How many issues the query's filters and words match, whatever its page."""
    where = _filters(query, query.today or today())
    with db.reader() as session:
        return _count(session, where)


def _page_of_ids(session: Session, query: IssueQuery, where: Sequence[Any]) -> Select[Any]:
    """The ids of one page, filtered and in the order asked for."""
    if query.sort not in SORT_KEYS:
        raise ValidationError(f"The log cannot be sorted by “{query.sort}”.")
    key, nullable = _sort_key(session, query.sort)
    ordered = key.desc() if query.descending else key.asc()
    if nullable:
        ordered = ordered.nulls_last()
    tiebreak = SafetyIssue.number.desc() if query.descending else SafetyIssue.number.asc()
    order = [ordered] if query.unit_id is not None else [ordered, SafetyIssue.unit_id]
    if query.sort != "number":
        order.append(tiebreak)
    page = select(SafetyIssue.id).where(*where).order_by(*order)
    if query.limit is not None:
        page = page.limit(query.limit)
    if query.offset:
        page = page.offset(query.offset)
    return page


def _count(session: Session, where: Sequence[Any]) -> int:
    return session.scalar(select(func.count()).select_from(SafetyIssue).where(*where)) or 0


def _sort_key(session: Session, sort: str) -> tuple[Any, bool]:
    """The ORDER BY expression for a column of the log, and whether it can be empty.

    Owner and category sort by name without joining 100,000 rows: the few names
    are put in order here and the query sorts by each row's place in that order.
    """
    if sort == "owner":
        names = session.execute(select(Person.id, Person.full_name)).all()
        return _by_place(SafetyIssue.owner_id, names), True
    if sort == "category":
        labels = session.execute(select(Choice.id, Choice.label)).all()
        return _by_place(SafetyIssue.category_id, labels), True
    keys: dict[str, tuple[Any, bool]] = {
        "number": (SafetyIssue.number, False),
        "date_identified": (SafetyIssue.date_identified, False),
        "description": (SafetyIssue.description, False),
        "source": (SafetyIssue.source, False),
        "status": (
            case(*((SafetyIssue.status == s.value, n) for n, s in enumerate(IssueStatus))),
            False,
        ),
        "target_date": (SafetyIssue.target_date, True),
        "priority_rank": (SafetyIssue.priority_rank, True),
        "risk_score": (SafetyIssue.risk_score, True),
        "feasibility_score": (SafetyIssue.feasibility_score, True),
        "location": (func.nullif(func.lower(SafetyIssue.location), ""), True),
    }
    return keys[sort]


def _by_place(column: Any, names: Sequence[Any]) -> Any:
    ranked = sorted(names, key=lambda row: (row[1].casefold(), row[0]))
    if not ranked:
        # No names, so no issue has one: every row's own (empty) column sorts them alike.
        # PostgreSQL refuses a constant such as NULL as a sort key.
        return column
    return case({row[0]: place for place, row in enumerate(ranked)}, value=column)


def _rows_for(session: Session, ids: Sequence[int], on: date) -> list[IssueRow]:
    """The log's rows for these issues, in the order given."""
    if not ids:
        return []
    owner = aliased(Person)
    category = aliased(Choice)
    days_over = case(
        (
            and_(SafetyIssue.status.in_(ACTIVE_STATUSES), SafetyIssue.target_date < on),
            SafetyIssue.target_date,
        ),
        else_=None,
    )
    columns = (
        SafetyIssue.id,
        SafetyIssue.unit_id,
        SafetyIssue.number,
        SafetyIssue.version,
        SafetyIssue.date_identified,
        func.substr(SafetyIssue.description, 1, ROW_DESCRIPTION_CHARS),
        func.coalesce(category.label, ""),
        func.coalesce(owner.full_name, ""),
        SafetyIssue.source,
        SafetyIssue.location,
        SafetyIssue.status,
        SafetyIssue.target_date,
        SafetyIssue.priority_rank,
        SafetyIssue.likelihood,
        SafetyIssue.severity,
        SafetyIssue.mitigate_ability,
        SafetyIssue.implement_ability,
        SafetyIssue.needs_executive,
        func.substr(SafetyIssue.barriers, 1, ROW_DESCRIPTION_CHARS),
        func.substr(SafetyIssue.action_plan, 1, ROW_DESCRIPTION_CHARS),
        days_over,
    )
    by_id: dict[int, IssueRow] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        statement = (
            select(*columns)
            .select_from(SafetyIssue)
            .outerjoin(owner, owner.id == SafetyIssue.owner_id)
            .outerjoin(category, category.id == SafetyIssue.category_id)
            .where(SafetyIssue.id.in_(chunk))
        )
        for r in session.execute(statement):
            by_id[r[0]] = _row(r, on)
    return [by_id[i] for i in ids if i in by_id]


def _row(r: Any, on: date) -> IssueRow:
    (
        id_,
        unit_id,
        number,
        version,
        identified,
        description,
        category,
        owner,
        source,
        location,
        status,
        target,
        rank,
        likelihood,
        severity,
        mitigate,
        implement,
        needs_exec,
        barriers,
        action_plan,
        overdue_target,
    ) = r
    return IssueRow(
        id=id_,
        unit_id=unit_id,
        number=number,
        version=version,
        date_identified=identified,
        description=description,
        category=category,
        owner=owner,
        source=source,
        location=location,
        status=status,
        target_date=target,
        priority_rank=rank,
        risk_score=_product(likelihood, severity),
        feasibility_score=_product(mitigate, implement),
        likelihood=likelihood,
        severity=severity,
        needs_executive=bool(needs_exec) or status == IssueStatus.ESCALATED.value,
        barriers=barriers,
        action_plan=action_plan,
        days_overdue=(on - overdue_target).days if overdue_target is not None else 0,
    )


def count_issues(db: Database, unit_id: int | None, *, on: date | None = None) -> IssueCounts:
    """Counts for the status bar and dashboard, in one query."""
    when = on or today()
    active = SafetyIssue.status.in_(ACTIVE_STATUSES)
    where: list[ColumnElement[bool]] = [SafetyIssue.archived_at.is_(None)]
    if unit_id is not None:
        where.append(SafetyIssue.unit_id == unit_id)
    with db.reader() as session:
        by_status = dict(
            session.execute(
                select(SafetyIssue.status, func.count()).where(*where).group_by(SafetyIssue.status)
            ).all()
        )
        overdue, due_soon, needs_exec = session.execute(
            select(
                func.count().filter(SafetyIssue.target_date < when),
                func.count().filter(
                    SafetyIssue.target_date >= when,
                    SafetyIssue.target_date <= when + timedelta(days=14),
                ),
                func.count().filter(
                    or_(SafetyIssue.needs_executive.is_(True), SafetyIssue.status == "escalated"),
                ),
            ).where(*where, active)  # in WHERE: the index skips the closed majority
        ).one()
    open_count = sum(n for s, n in by_status.items() if s in ACTIVE_STATUSES)
    return IssueCounts(
        open=open_count,
        overdue=overdue,
        due_soon=due_soon,
        needs_executive=needs_exec,
        by_status={s.value: by_status.get(s.value, 0) for s in IssueStatus},
    )


def list_ranked(db: Database, unit_id: int) -> list[IssueRow]:
    """The concerns board: active issues in the team's priority order."""
    return list_issues(db, IssueQuery(unit_id=unit_id, active_only=True, sort="priority_rank")).rows
