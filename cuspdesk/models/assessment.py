"""Staff Safety Assessment responses: the two questions every CUSP unit asks its staff."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cuspdesk.models.base import Base, RecordMixin
from cuspdesk.models.unit import Choice


class AssessmentResponse(RecordMixin, Base):
    """One staff member's answers; anonymous unless they chose to give a role."""

    __tablename__ = "assessment_response"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    response_date: Mapped[date] = mapped_column(index=True)
    respondent_role: Mapped[str] = mapped_column(String(200), default="")
    harm_answer: Mapped[str] = mapped_column(Text)
    prevention_answer: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("choice.id"), default=None)
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("safety_issue.id"), default=None, index=True
    )

    category: Mapped[Choice | None] = relationship()
