"""Executive safety rounds: who walked the unit, what they asked, what they found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError
from cuspdesk.models import IssueSource, Person, RoundParticipant, SafetyIssue, SafetyRound, Unit
from cuspdesk.models import utcnow as _utcnow
from cuspdesk.services.access import require
from cuspdesk.services.archiving import archive_record, clean_reason
from cuspdesk.services.findings import FindingFields, create_findings
from cuspdesk.services.text_search import all_words_in
from cuspdesk.services.validation import Checker

# The questions executives are encouraged to ask on a CUSP safety round.
STANDARD_QUESTIONS = (
    "How will the next patient on this unit be harmed?",
    "What can we do to prevent it?",
    "What got in the way of safe care this week?",
    "Is there anything you need from me to work more safely?",
    "What has been done about the issues we found on our last round?",
    "What worries you most about the care on this unit?",
)


@dataclass
class RoundFields:
    round_date: date
    area: str = ""
    executive_id: int | None = None
    participant_ids: list[int] = field(default_factory=list)
    questions_asked: str = ""
    notes: str = ""


@dataclass(frozen=True)
class FindingSummary:
    issue_id: int
    number: int
    description: str
    status: str


@dataclass(frozen=True)
class RoundDetail:
    id: int
    unit_id: int
    version: int
    fields: RoundFields
    executive_name: str
    participant_names: tuple[str, ...]
    findings: tuple[FindingSummary, ...]


@dataclass(frozen=True)
class RoundRow:
    id: int
    round_date: date
    area: str
    executive_name: str
    participant_count: int
    finding_count: int
    open_finding_count: int


def _clean(session: Session, fields: RoundFields) -> RoundFields:
    check = Checker()
    check.date_in_range("round_date", "The date of the round", fields.round_date, required=True)
    area = check.name("area", "The area", fields.area, required=False)
    questions = check.text("questions_asked", "The questions asked", fields.questions_asked)
    notes = check.text("notes", "The notes", fields.notes)
    people = [fields.executive_id] if fields.executive_id is not None else []
    for person_id in [*people, *fields.participant_ids]:
        if session.get(Person, person_id) is None:
            check.add("participant_ids", "One of the people chosen is no longer in the database.")
            break
    check.raise_if_any()
    participants = list(dict.fromkeys(fields.participant_ids))
    return RoundFields(fields.round_date, area, fields.executive_id, participants, questions, notes)


def create_round(
    db: Database, unit_id: int, fields: RoundFields, findings: Sequence[FindingFields] = ()
) -> RoundDetail:
    """Save a round and its findings together; each finding becomes a tracking-log issue."""
    require(db, "rounds.edit")
    with db.session() as session:
        if session.get(Unit, unit_id) is None:
            raise NotFoundError("That unit no longer exists.")
        clean = _clean(session, fields)
        rnd = SafetyRound(
            unit_id=unit_id,
            round_date=clean.round_date,
            area=clean.area,
            executive_id=clean.executive_id,
            questions_asked=clean.questions_asked,
            notes=clean.notes,
        )
        rnd.participants = [RoundParticipant(person_id=p) for p in clean.participant_ids]
        session.add(rnd)
        session.flush()
        create_findings(
            session,
            unit_id,
            findings,
            source=IssueSource.SAFETY_ROUND,
            identified=clean.round_date,
            round_id=rnd.id,
        )
        session.flush()
        return _detail(session, rnd)


def update_round(
    db: Database,
    round_id: int,
    fields: RoundFields,
    *,
    expected_version: int,
    new_findings: Sequence[FindingFields] = (),
) -> RoundDetail:
    require(db, "rounds.edit")
    with db.session() as session:
        rnd = _get(session, round_id)
        if rnd.version != expected_version:
            raise ConflictError(
                "This round was changed by someone else after you opened it.",
                current_version=rnd.version,
            )
        clean = _clean(session, fields)
        # Loaded before any change, so the load does not flush half an edit (and
        # bump the version twice for one save).
        keep = {p.person_id: p for p in rnd.participants}
        rnd.round_date = clean.round_date
        rnd.area = clean.area
        rnd.executive_id = clean.executive_id
        rnd.questions_asked = clean.questions_asked
        rnd.notes = clean.notes
        rnd.participants = [
            keep.get(p) or RoundParticipant(person_id=p) for p in clean.participant_ids
        ]
        rnd.updated_at = _utcnow()
        session.flush()
        create_findings(
            session,
            rnd.unit_id,
            new_findings,
            source=IssueSource.SAFETY_ROUND,
            identified=clean.round_date,
            round_id=rnd.id,
        )
        session.flush()
        return _detail(session, rnd)


def get_round(db: Database, round_id: int) -> RoundDetail:
    with db.reader() as session:
        return _detail(session, _get(session, round_id))


def list_rounds(db: Database, unit_id: int, *, text: str = "") -> list[RoundRow]:
    """Rounds newest first, with how many findings each produced and how many are still open."""
    findings = (
        select(
            SafetyIssue.round_id.label("round_id"),
            func.count().label("total"),
            func.count().filter(SafetyIssue.status.notin_(("resolved", "closed"))).label("open"),
        )
        .where(SafetyIssue.round_id.is_not(None), SafetyIssue.archived_at.is_(None))
        .group_by(SafetyIssue.round_id)
        .subquery()
    )
    participants = (
        select(RoundParticipant.round_id.label("round_id"), func.count().label("n"))
        .group_by(RoundParticipant.round_id)
        .subquery()
    )
    query = (
        select(
            SafetyRound.id,
            SafetyRound.round_date,
            SafetyRound.area,
            func.coalesce(Person.full_name, ""),
            func.coalesce(participants.c.n, 0),
            func.coalesce(findings.c.total, 0),
            func.coalesce(findings.c.open, 0),
        )
        .outerjoin(Person, Person.id == SafetyRound.executive_id)
        .outerjoin(findings, findings.c.round_id == SafetyRound.id)
        .outerjoin(participants, participants.c.round_id == SafetyRound.id)
        .where(SafetyRound.unit_id == unit_id, SafetyRound.archived_at.is_(None))
        .order_by(SafetyRound.round_date.desc(), SafetyRound.id.desc())
    )
    query = query.where(
        *all_words_in(text, SafetyRound.area, SafetyRound.notes, SafetyRound.questions_asked)
    )
    with db.reader() as session:
        return [RoundRow(*row) for row in session.execute(query)]


def _get(session: Session, round_id: int) -> SafetyRound:
    rnd = session.get(SafetyRound, round_id)
    if rnd is None:
        raise NotFoundError("That safety round no longer exists.")
    return rnd


def _detail(session: Session, rnd: SafetyRound) -> RoundDetail:
    executive = session.get(Person, rnd.executive_id) if rnd.executive_id else None
    issues = session.scalars(
        select(SafetyIssue).where(SafetyIssue.round_id == rnd.id).order_by(SafetyIssue.number)
    ).all()
    names = tuple(p.person.full_name for p in rnd.participants)
    return RoundDetail(
        id=rnd.id,
        unit_id=rnd.unit_id,
        version=rnd.version,
        fields=RoundFields(
            round_date=rnd.round_date,
            area=rnd.area,
            executive_id=rnd.executive_id,
            participant_ids=[p.person_id for p in rnd.participants],
            questions_asked=rnd.questions_asked,
            notes=rnd.notes,
        ),
        executive_name=executive.full_name if executive is not None else "",
        participant_names=names,
        findings=tuple(FindingSummary(i.id, i.number, i.description, i.status) for i in issues),
    )


def archive_round(db: Database, round_id: int, reason: str) -> None:
    """Take a round out of the lists (its findings stay in the tracking log)."""
    require(db, "rounds.edit")
    cleaned = clean_reason(reason)
    with db.session() as session:
        archive_record(
            session, SafetyRound, round_id, cleaned, "That safety round no longer exists."
        )
