"""The unit, its people and team, its executive partner, aims and editable lists."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cuspdesk.models.base import Base, RecordMixin

if TYPE_CHECKING:
    from cuspdesk.models.measure import Measure


class Unit(RecordMixin, Base):
    __tablename__ = "unit"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    hospital: Mapped[str] = mapped_column(String(200), default="")
    service_line: Mapped[str] = mapped_column(String(200), default="")
    bed_count: Mapped[int | None] = mapped_column(Integer, default=None)
    cusp_start_date: Mapped[date | None] = mapped_column(default=None)
    confidentiality_footer: Mapped[str] = mapped_column(Text, default="")

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="unit", order_by="TeamMember.id"
    )
    executive_assignments: Mapped[list[ExecutivePartnerAssignment]] = relationship(
        back_populates="unit", order_by="ExecutivePartnerAssignment.start_date"
    )


class Person(RecordMixin, Base):
    """Anyone who appears in the records: staff, owners, executives."""

    __tablename__ = "person"

    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Choice(Base):
    """An entry in a list the hospital edits: issue categories, team roles, meeting kinds.

    Lists are per unit when ``unit_id`` is set, shared by every unit otherwise.
    ``key`` marks the entries the app itself relies on (for example the
    executive-partner role) so they keep their meaning when renamed.
    """

    __tablename__ = "choice"
    __table_args__ = (
        UniqueConstraint("list_name", "unit_id", "label"),
        Index(None, "list_name", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_name: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), default=None)
    label: Mapped[str] = mapped_column(String(200))
    key: Mapped[str | None] = mapped_column(String(40), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TeamMember(Base):
    """A person's place on a unit's CUSP team, with their role from the editable list."""

    __tablename__ = "team_member"
    __table_args__ = (UniqueConstraint("unit_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("choice.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_on: Mapped[date | None] = mapped_column(default=None)

    unit: Mapped[Unit] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()
    role: Mapped[Choice | None] = relationship()


class ExecutivePartnerAssignment(Base):
    """Which senior executive adopted the unit, and from when to when."""

    __tablename__ = "executive_assignment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    start_date: Mapped[date]
    end_date: Mapped[date | None] = mapped_column(default=None)

    unit: Mapped[Unit] = relationship(back_populates="executive_assignments")
    person: Mapped[Person] = relationship()


class StrategicAim(RecordMixin, Base):
    """An aim of the unit, tied to the organisational or national target above it."""

    __tablename__ = "strategic_aim"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    external_target: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    goals: Mapped[list[Goal]] = relationship(back_populates="aim", order_by="Goal.position")


class Goal(Base):
    """A measurable goal that tracks an aim, optionally read off one of the unit's measures."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aim_id: Mapped[int] = mapped_column(ForeignKey("strategic_aim.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"), default=None)
    target_value: Mapped[float | None] = mapped_column(default=None)
    due_date: Mapped[date | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)

    aim: Mapped[StrategicAim] = relationship(back_populates="goals")
    measure: Mapped[Measure | None] = relationship()
