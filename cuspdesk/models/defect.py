"""Learning from Defects reviews: what happened, why, what we did, how we know, who learned."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cuspdesk.models.base import Base, RecordMixin


class FactorGroup(StrEnum):
    """The contributing-factor groups of the Learning from Defects tool."""

    PATIENT = "patient"
    TASK = "task"
    CAREGIVER = "caregiver"
    TEAM = "team"
    ENVIRONMENT = "environment"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return FACTOR_GROUP_LABELS[self]


FACTOR_GROUP_LABELS = {
    FactorGroup.PATIENT: "Patient",
    FactorGroup.TASK: "Task",
    FactorGroup.CAREGIVER: "Caregiver",
    FactorGroup.TEAM: "Team",
    FactorGroup.ENVIRONMENT: "Environment",
    FactorGroup.ORGANISATION: "Organisation",
}


class DefectReview(RecordMixin, Base):
    __tablename__ = "defect_review"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    review_date: Mapped[date] = mapped_column(index=True)
    event_date: Mapped[date | None] = mapped_column(default=None)
    title: Mapped[str] = mapped_column(String(300))
    what_happened: Mapped[str] = mapped_column(Text, default="")
    how_risk_reduced: Mapped[str] = mapped_column(Text, default="")
    harm_reached_patient: Mapped[bool] = mapped_column(Boolean, default=False)
    led_by: Mapped[str] = mapped_column(String(200), default="")

    factors: Mapped[list[ContributingFactor]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ContributingFactor.id"
    )
    shares: Mapped[list[LearningShare]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="LearningShare.id"
    )


class ContributingFactor(Base):
    """A factor that made the defect more likely (negative) or stopped it being worse (positive)."""

    __tablename__ = "contributing_factor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("defect_review.id"), index=True)
    factor_group: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    positive: Mapped[bool] = mapped_column(Boolean, default=False)

    review: Mapped[DefectReview] = relationship(back_populates="factors")


class LearningShare(Base):
    """With whom the learning was shared, when and how."""

    __tablename__ = "learning_share"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("defect_review.id"), index=True)
    audience: Mapped[str] = mapped_column(String(300))
    shared_on: Mapped[date | None] = mapped_column(default=None)
    method: Mapped[str] = mapped_column(String(300), default="")

    review: Mapped[DefectReview] = relationship(back_populates="shares")
