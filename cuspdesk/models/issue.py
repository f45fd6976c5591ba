"""The tracking log: safety issues and their dated follow-up notes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from cuspdesk.models.base import Base, RecordMixin, utcnow
from cuspdesk.models.unit import Choice, Person


class IssueStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_active(self) -> bool:
        """Still needs work: counts as open, can be overdue, holds a priority rank."""
        return self not in (IssueStatus.RESOLVED, IssueStatus.CLOSED)


STATUS_LABELS = {
    IssueStatus.OPEN: "Open",
    IssueStatus.IN_PROGRESS: "In progress",
    IssueStatus.BLOCKED: "Blocked",
    IssueStatus.ESCALATED: "Escalated",
    IssueStatus.RESOLVED: "Resolved",
    IssueStatus.CLOSED: "Closed",
}

ACTIVE_STATUSES = tuple(s.value for s in IssueStatus if s.is_active)


class IssueSource(StrEnum):
    ASSESSMENT = "assessment"
    SAFETY_ROUND = "safety_round"
    DEFECT_REVIEW = "defect_review"
    EVENT_REPORT = "event_report"
    MEETING = "meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    IssueSource.ASSESSMENT: "Staff safety assessment",
    IssueSource.SAFETY_ROUND: "Safety round",
    IssueSource.DEFECT_REVIEW: "Learning from defects",
    IssueSource.EVENT_REPORT: "Event report",
    IssueSource.MEETING: "Meeting",
    IssueSource.OTHER: "Other",
}


class SafetyIssue(RecordMixin, Base):
    """One line of the tracking log.

    ``number`` is the unit's own running number, the one people say aloud
    ("issue 42"). ``priority_rank`` is the team's manual order of active issues;
    the risk and feasibility scores are computed from the 1–5 ratings.
    """

    __tablename__ = "safety_issue"
    __table_args__ = (
        UniqueConstraint("unit_id", "number"),
        # Status then target date: "overdue" and "due soon" read only active issues' entries.
        Index(None, "unit_id", "status", "target_date"),
        Index(None, "unit_id", "harm_event", "date_identified"),  # days since last harm
        Index(None, "unit_id", "archived_at", "status"),
        Index(None, "unit_id", "target_date"),
        Index(None, "unit_id", "priority_rank"),
        Index(None, "unit_id", "date_identified"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity_range"),
        CheckConstraint("mitigate_ability BETWEEN 1 AND 5", name="mitigate_range"),
        CheckConstraint("implement_ability BETWEEN 1 AND 5", name="implement_range"),
        CheckConstraint(
            "status IN ('open','in_progress','blocked','escalated','resolved','closed')",
            name="status_known",
        ),
    )

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    number: Mapped[int] = mapped_column(Integer)
    date_identified: Mapped[date]
    source: Mapped[str] = mapped_column(String(20), default=IssueSource.OTHER.value)
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("safety_round.id"), default=None, index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id"), default=None, index=True
    )
    defect_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("defect_review.id"), default=None, index=True
    )
    event_report_ref: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("choice.id"), default=None)
    location: Mapped[str] = mapped_column(String(200), default="")
    likelihood: Mapped[int | None] = mapped_column(Integer, default=None)
    severity: Mapped[int | None] = mapped_column(Integer, default=None)
    mitigate_ability: Mapped[int | None] = mapped_column(Integer, default=None)
    implement_ability: Mapped[int | None] = mapped_column(Integer, default=None)
    priority_rank: Mapped[int | None] = mapped_column(Integer, default=None)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), default=None)
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), default=None)
    aim_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_aim.id"), default=None)
    action_plan: Mapped[str] = mapped_column(Text, default="")
    barriers: Mapped[str] = mapped_column(Text, default="")
    needs_executive: Mapped[bool] = mapped_column(Boolean, default=False)
    target_date: Mapped[date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default=IssueStatus.OPEN.value)
    date_resolved: Mapped[date | None] = mapped_column(default=None)
    date_closed: Mapped[date | None] = mapped_column(default=None)
    risk_reduced_evidence: Mapped[str] = mapped_column(Text, default="")
    staff_feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_date: Mapped[date | None] = mapped_column(default=None)
    harm_event: Mapped[bool] = mapped_column(Boolean, default=False)

    category: Mapped[Choice | None] = relationship()
    owner: Mapped[Person | None] = relationship(foreign_keys=[owner_id])
    sponsor: Mapped[Person | None] = relationship(foreign_keys=[sponsor_id])
    notes: Mapped[list[IssueNote]] = relationship(
        back_populates="issue", order_by="(IssueNote.note_date, IssueNote.id)"
    )

    @hybrid_property
    def risk_score(self) -> int | None:
        if self.likelihood is None or self.severity is None:
            return None
        return self.likelihood * self.severity

    @risk_score.inplace.expression
    @classmethod
    def _risk_score_expression(cls) -> ColumnElement[int | None]:
        return cls.likelihood * cls.severity

    @hybrid_property
    def feasibility_score(self) -> int | None:
        if self.mitigate_ability is None or self.implement_ability is None:
            return None
        return self.mitigate_ability * self.implement_ability

    @feasibility_score.inplace.expression
    @classmethod
    def _feasibility_score_expression(cls) -> ColumnElement[int | None]:
        return cls.mitigate_ability * cls.implement_ability


class IssueNote(Base):
    """A dated entry in an issue's follow-up history; status changes add one too."""

    __tablename__ = "issue_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("safety_issue.id"), index=True)
    note_date: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="note")
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    issue: Mapped[SafetyIssue] = relationship(back_populates="notes")
