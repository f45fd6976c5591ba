"""Executive safety rounds; each finding is a tracking-log issue pointing back here."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cuspdesk.models.base import Base, RecordMixin
from cuspdesk.models.unit import Person


class SafetyRound(RecordMixin, Base):
    __tablename__ = "safety_round"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    round_date: Mapped[date] = mapped_column(index=True)
    area: Mapped[str] = mapped_column(String(200), default="")
    executive_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), default=None)
    questions_asked: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    executive: Mapped[Person | None] = relationship()
    participants: Mapped[list[RoundParticipant]] = relationship(
        back_populates="safety_round", cascade="all, delete-orphan", order_by="RoundParticipant.id"
    )


class RoundParticipant(Base):
    __tablename__ = "round_participant"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("safety_round.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))

    safety_round: Mapped[SafetyRound] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()
