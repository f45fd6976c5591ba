"""Learning from Defects: the four questions, contributing factors, actions and sharing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, NotFoundError
from cuspdesk.models import (
    FACTOR_GROUP_LABELS,
    ContributingFactor,
    DefectReview,
    FactorGroup,
    IssueSource,
    LearningShare,
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
class FactorFields:
    group: str
    description: str
    positive: bool = False


@dataclass
class ShareFields:
    audience: str
    shared_on: date | None = None
    method: str = ""


@dataclass
class DefectFields:
    review_date: date
    title: str
    event_date: date | None = None
    what_happened: str = ""
    how_risk_reduced: str = ""
    harm_reached_patient: bool = False
    led_by: str = ""
    factors: list[FactorFields] = field(default_factory=list)
    shares: list[ShareFields] = field(default_factory=list)


@dataclass(frozen=True)
class DefectDetail:
    id: int
    unit_id: int
    version: int
    fields: DefectFields
    actions: tuple[FindingSummary, ...]

    def factors_in(self, group: str) -> list[FactorFields]:
        return [f for f in self.fields.factors if f.group == group]


@dataclass(frozen=True)
class DefectRow:
    id: int
    review_date: date
    event_date: date | None
    title: str
    harm_reached_patient: bool
    factor_count: int
    action_count: int
    open_action_count: int
    shared: bool


def _clean(fields: DefectFields) -> DefectFields:
    check = Checker()
    check.date_in_range("review_date", "The review date", fields.review_date, required=True)
    check.date_in_range("event_date", "The date of the event", fields.event_date)
    check.not_future("event_date", "The date of the event", fields.event_date)
    check.not_before(
        "review_date",
        "The review date",
        fields.review_date,
        fields.event_date,
        "the date of the event",
    )
    title = check.text("title", "The title", fields.title, required=True, limit=300)
    happened = check.text("what_happened", "What happened", fields.what_happened)
    reduced = check.text(
        "how_risk_reduced", "How we know the risk is reduced", fields.how_risk_reduced
    )
    led_by = check.name("led_by", "Who led the review", fields.led_by, required=False)
    factors: list[FactorFields] = []
    for number, factor in enumerate(fields.factors, start=1):
        text = check.text(f"factors.{number}", f"Factor {number}", factor.description)
        if not text:
            continue
        if factor.group not in {g.value for g in FactorGroup}:
            check.add(f"factors.{number}", f"Choose a group for factor {number}.")
        factors.append(FactorFields(factor.group, text, bool(factor.positive)))
    shares: list[ShareFields] = []
    for number, share in enumerate(fields.shares, start=1):
        audience = check.text(
            f"shares.{number}", f"Who learned ({number})", share.audience, limit=300
        )
        if not audience:
            if share.method.strip() or share.shared_on is not None:
                check.add(f"shares.{number}", f"Say who the learning was shared with ({number}).")
            continue
        check.date_in_range(f"shares.{number}", f"When it was shared ({number})", share.shared_on)
        method = check.text(
            f"shares.{number}", f"How it was shared ({number})", share.method, limit=300
        )
        shares.append(ShareFields(audience, share.shared_on, method))
    check.raise_if_any()
    return DefectFields(
        review_date=fields.review_date,
        title=title,
        event_date=fields.event_date,
        what_happened=happened,
        how_risk_reduced=reduced,
        harm_reached_patient=bool(fields.harm_reached_patient),
        led_by=led_by,
        factors=factors,
        shares=shares,
    )


def _apply(review: DefectReview, clean: DefectFields) -> None:
    review.review_date = clean.review_date
    review.title = clean.title
    review.event_date = clean.event_date
    review.what_happened = clean.what_happened
    review.how_risk_reduced = clean.how_risk_reduced
    review.harm_reached_patient = clean.harm_reached_patient
    review.led_by = clean.led_by
    factors = list(review.factors)
    new_factors = []
    for index, factor in enumerate(clean.factors):
        row = (
            factors[index]
            if index < len(factors)
            else ContributingFactor(factor_group=factor.group, description=factor.description)
        )
        row.factor_group, row.description, row.positive = (
            factor.group,
            factor.description,
            factor.positive,
        )
        new_factors.append(row)
    review.factors = new_factors
    shares = list(review.shares)
    new_shares = []
    for index, share in enumerate(clean.shares):
        row_s = shares[index] if index < len(shares) else LearningShare(audience=share.audience)
        row_s.audience, row_s.shared_on, row_s.method = (
            share.audience,
            share.shared_on,
            share.method,
        )
        new_shares.append(row_s)
    review.shares = new_shares


def create_review(
    db: Database, unit_id: int, fields: DefectFields, actions: Sequence[FindingFields] = ()
) -> DefectDetail:
    """Save a review; its risk-reducing actions become tracking-log issues with owners."""
    require(db, "records.edit")
    clean = _clean(fields)
    with db.session() as session:
        if session.get(Unit, unit_id) is None:
            raise NotFoundError("That unit no longer exists.")
        review = DefectReview(unit_id=unit_id, review_date=clean.review_date, title=clean.title)
        session.add(review)
        _apply(review, clean)
        session.flush()
        create_findings(
            session,
            unit_id,
            actions,
            source=IssueSource.DEFECT_REVIEW,
            identified=clean.review_date,
            defect_review_id=review.id,
            noun="Action",
        )
        session.flush()
        return _detail(session, review)


def update_review(
    db: Database,
    review_id: int,
    fields: DefectFields,
    *,
    expected_version: int,
    new_actions: Sequence[FindingFields] = (),
) -> DefectDetail:
    require(db, "records.edit")
    clean = _clean(fields)
    with db.session() as session:
        review = _get(session, review_id)
        if review.version != expected_version:
            raise ConflictError(
                "This review was changed by someone else after you opened it.",
                current_version=review.version,
            )
        _apply(review, clean)
        review.updated_at = utcnow()  # factors and shares alone still bump the version
        session.flush()
        create_findings(
            session,
            review.unit_id,
            new_actions,
            source=IssueSource.DEFECT_REVIEW,
            identified=clean.review_date,
            defect_review_id=review.id,
            noun="Action",
        )
        session.flush()
        return _detail(session, review)


def get_review(db: Database, review_id: int) -> DefectDetail:
    with db.reader() as session:
        return _detail(session, _get(session, review_id))


def list_reviews(
    db: Database, unit_id: int, *, text: str = "", since: date | None = None
) -> list[DefectRow]:
    """Reviews newest first, with their action counts."""
    actions = (
        select(
            SafetyIssue.defect_review_id.label("review_id"),
            func.count().label("total"),
            func.count().filter(SafetyIssue.status.notin_(("resolved", "closed"))).label("open"),
        )
        .where(SafetyIssue.defect_review_id.is_not(None), SafetyIssue.archived_at.is_(None))
        .group_by(SafetyIssue.defect_review_id)
        .subquery()
    )
    factors = (
        select(ContributingFactor.review_id.label("review_id"), func.count().label("n"))
        .group_by(ContributingFactor.review_id)
        .subquery()
    )
    shares = (
        select(LearningShare.review_id.label("review_id"), func.count().label("n"))
        .group_by(LearningShare.review_id)
        .subquery()
    )
    query = (
        select(
            DefectReview.id,
            DefectReview.review_date,
            DefectReview.event_date,
            DefectReview.title,
            DefectReview.harm_reached_patient,
            func.coalesce(factors.c.n, 0),
            func.coalesce(actions.c.total, 0),
            func.coalesce(actions.c.open, 0),
            func.coalesce(shares.c.n, 0) > 0,
        )
        .outerjoin(actions, actions.c.review_id == DefectReview.id)
        .outerjoin(factors, factors.c.review_id == DefectReview.id)
        .outerjoin(shares, shares.c.review_id == DefectReview.id)
        .where(DefectReview.unit_id == unit_id, DefectReview.archived_at.is_(None))
        .order_by(DefectReview.review_date.desc(), DefectReview.id.desc())
    )
    if since is not None:
        query = query.where(DefectReview.review_date >= since)
    query = query.where(*all_words_in(text, DefectReview.title, DefectReview.what_happened))
    with db.reader() as session:
        return [DefectRow(*row) for row in session.execute(query)]


def factor_group_label(group: str) -> str:
    return FACTOR_GROUP_LABELS[FactorGroup(group)]


def _get(session: Session, review_id: int) -> DefectReview:
    review = session.get(DefectReview, review_id)
    if review is None:
        raise NotFoundError("That defect review no longer exists.")
    return review


def _detail(session: Session, review: DefectReview) -> DefectDetail:
    issues = session.scalars(
        select(SafetyIssue)
        .where(SafetyIssue.defect_review_id == review.id)
        .order_by(SafetyIssue.number)
    ).all()
    return DefectDetail(
        id=review.id,
        unit_id=review.unit_id,
        version=review.version,
        fields=DefectFields(
            review_date=review.review_date,
            title=review.title,
            event_date=review.event_date,
            what_happened=review.what_happened,
            how_risk_reduced=review.how_risk_reduced,
            harm_reached_patient=review.harm_reached_patient,
            led_by=review.led_by,
            factors=[
                FactorFields(f.factor_group, f.description, f.positive) for f in review.factors
            ],
            shares=[ShareFields(s.audience, s.shared_on, s.method) for s in review.shares],
        ),
        actions=tuple(FindingSummary(i.id, i.number, i.description, i.status) for i in issues),
    )


def archive_review(db: Database, review_id: int, reason: str) -> None:
    """Take a defect review out of the lists (its actions stay in the tracking log)."""
    require(db, "records.edit")
    cleaned = clean_reason(reason)
    with db.session() as session:
        archive_record(
            session, DefectReview, review_id, cleaned, "That defect review no longer exists."
        )
