"""Staff Safety Assessment responses: quick entry, categorising, and turning them into issues."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError, ValidationError
from cuspdesk.models import AssessmentResponse, Choice, IssueSource, SafetyIssue, Unit
from cuspdesk.services.access import require
from cuspdesk.services.archiving import archive_record, clean_reason
from cuspdesk.services.issues import IssueDetail, IssueFields, create_issue
from cuspdesk.services.text_search import all_words_in
from cuspdesk.services.validation import Checker

HARM_QUESTION = "How will the next patient on our unit be harmed?"
PREVENTION_QUESTION = "What can we do to prevent it?"


@dataclass
class AssessmentFields:
    response_date: date
    harm_answer: str
    prevention_answer: str = ""
    respondent_role: str = ""
    category_id: int | None = None


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    version: int
    response_date: date
    respondent_role: str
    harm_answer: str
    prevention_answer: str
    category_id: int | None
    category: str
    issue_id: int | None
    issue_number: int | None

    @property
    def anonymous(self) -> bool:
        return not self.respondent_role


def _clean(session: Session, fields: AssessmentFields) -> AssessmentFields:
    check = Checker()
    check.date_in_range("response_date", "The date", fields.response_date, required=True)
    check.not_future("response_date", "The date", fields.response_date)
    harm = check.text(
        "harm_answer",
        "The answer to “how will the next patient be harmed”",
        fields.harm_answer,
        required=True,
    )
    prevention = check.text(
        "prevention_answer", "The answer to “what can we do”", fields.prevention_answer
    )
    role = check.name("respondent_role", "The role", fields.respondent_role, required=False)
    if fields.category_id is not None:
        category = session.get(Choice, fields.category_id)
        if category is None or category.list_name != "category":
            check.add("category_id", "Choose a category from the list.")
    check.raise_if_any()
    return AssessmentFields(fields.response_date, harm, prevention, role, fields.category_id)


def create_response(db: Database, unit_id: int, fields: AssessmentFields) -> AssessmentRow:
    require(db, "records.edit")
    with db.session() as session:
        if session.get(Unit, unit_id) is None:
            raise NotFoundError("That unit no longer exists.")
        clean = _clean(session, fields)
        response = AssessmentResponse(
            unit_id=unit_id,
            response_date=clean.response_date,
            harm_answer=clean.harm_answer,
            prevention_answer=clean.prevention_answer,
            respondent_role=clean.respondent_role,
            category_id=clean.category_id,
        )
        session.add(response)
        session.flush()
        return _row(session, response)


def update_response(
    db: Database, response_id: int, fields: AssessmentFields, *, expected_version: int
) -> AssessmentRow:
    require(db, "records.edit")
    with db.session() as session:
        response = _get(session, response_id)
        if response.version != expected_version:
            raise ConflictError(
                "This response was changed by someone else after you opened it.",
                current_version=response.version,
            )
        clean = _clean(session, fields)
        response.response_date = clean.response_date
        response.harm_answer = clean.harm_answer
        response.prevention_answer = clean.prevention_answer
        response.respondent_role = clean.respondent_role
        response.category_id = clean.category_id
        session.flush()
        return _row(session, response)


def categorise(db: Database, response_ids: Sequence[int], category_id: int | None) -> None:
    """Give several responses the same category at once."""
    require(db, "records.edit")
    with db.session() as session:
        if category_id is not None:
            category = session.get(Choice, category_id)
            if category is None or category.list_name != "category":
                raise ValidationError("Choose a category from the list.", "category_id")
        for response_id in response_ids:
            _get(session, response_id).category_id = category_id


def list_responses(
    db: Database,
    unit_id: int,
    *,
    text: str = "",
    category_id: int | None = None,
    unlinked_only: bool = False,
) -> list[AssessmentRow]:
    query = (
        select(AssessmentResponse, Choice.label, SafetyIssue.number)
        .outerjoin(Choice, Choice.id == AssessmentResponse.category_id)
        .outerjoin(SafetyIssue, SafetyIssue.id == AssessmentResponse.issue_id)
        .where(AssessmentResponse.unit_id == unit_id, AssessmentResponse.archived_at.is_(None))
        .order_by(AssessmentResponse.response_date.desc(), AssessmentResponse.id.desc())
    )
    query = query.where(
        *all_words_in(text, AssessmentResponse.harm_answer, AssessmentResponse.prevention_answer)
    )
    if category_id is not None:
        query = query.where(AssessmentResponse.category_id == category_id)
    if unlinked_only:
        query = query.where(AssessmentResponse.issue_id.is_(None))
    with db.reader() as session:
        return [
            _row_from(response, label or "", number)
            for response, label, number in session.execute(query)
        ]


def response_counts_by_category(db: Database, unit_id: int) -> list[tuple[str, int]]:
    """How many responses fall in each category, largest first (for the themes view)."""
    with db.reader() as session:
        rows = session.execute(
            select(func.coalesce(Choice.label, "Not categorised"), func.count())
            .select_from(AssessmentResponse)
            .outerjoin(Choice, Choice.id == AssessmentResponse.category_id)
            .where(AssessmentResponse.unit_id == unit_id, AssessmentResponse.archived_at.is_(None))
            .group_by(Choice.label)
            .order_by(func.count().desc())
        ).all()
        return [(label, count) for label, count in rows]


def convert_to_issue(
    db: Database, unit_id: int, response_ids: Sequence[int], data: IssueFields
) -> IssueDetail:
    """Turn one or several responses into one tracking-log issue, linked both ways."""
    require(db, "records.edit")
    if not response_ids:
        raise ValidationError("Choose at least one response to turn into an issue.")
    data = replace(data, source=IssueSource.ASSESSMENT.value)
    return create_issue(db, unit_id, data, assessment_ids=response_ids)


def _get(session: Session, response_id: int) -> AssessmentResponse:
    response = session.get(AssessmentResponse, response_id)
    if response is None:
        raise NotFoundError("That assessment response no longer exists.")
    return response


def _row(session: Session, response: AssessmentResponse) -> AssessmentRow:
    category = session.get(Choice, response.category_id) if response.category_id else None
    number = (
        session.scalar(select(SafetyIssue.number).where(SafetyIssue.id == response.issue_id))
        if response.issue_id
        else None
    )
    return _row_from(response, category.label if category else "", number)


def _row_from(response: AssessmentResponse, category: str, number: int | None) -> AssessmentRow:
    return AssessmentRow(
        id=response.id,
        version=response.version,
        response_date=response.response_date,
        respondent_role=response.respondent_role,
        harm_answer=response.harm_answer,
        prevention_answer=response.prevention_answer,
        category_id=response.category_id,
        category=category,
        issue_id=response.issue_id,
        issue_number=number,
    )


def archive_response(db: Database, response_id: int, reason: str) -> None:
    """Take a staff safety assessment response out of the lists."""
    require(db, "records.edit")
    cleaned = clean_reason(reason)
    with db.session() as session:
        archive_record(
            session, AssessmentResponse, response_id, cleaned, "That response no longer exists."
        )
