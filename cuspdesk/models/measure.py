"""Unit measures: monthly data points, annotations and frozen baselines."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cuspdesk.models.base import Base, RecordMixin, utcnow


class MeasureKind(StrEnum):
    COUNT = "count"
    RATE = "rate"
    PROPORTION = "proportion"
    DAYS_BETWEEN = "days_between"
    CASES_BETWEEN = "cases_between"


class Measure(RecordMixin, Base):
    """A measure of system performance the executive reviews monthly.

    ``direction`` says which way is better ("down" for falls, "up" for days
    between events); ``chart_kind`` and ``rule_set`` choose how it is charted.
    """

    __tablename__ = "measure"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default=MeasureKind.COUNT.value)
    multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    unit_label: Mapped[str] = mapped_column(String(100), default="")
    numerator_label: Mapped[str] = mapped_column(String(100), default="")
    denominator_label: Mapped[str] = mapped_column(String(100), default="")
    direction: Mapped[str] = mapped_column(String(10), default="down")
    target: Mapped[float | None] = mapped_column(Float, default=None)
    chart_kind: Mapped[str] = mapped_column(String(10), default="run")
    rule_set: Mapped[str] = mapped_column(String(10), default="ihi")
    aim_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_aim.id"), default=None)
    key_measure: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    points: Mapped[list[MeasurePoint]] = relationship(
        back_populates="measure", order_by="MeasurePoint.period"
    )
    annotations: Mapped[list[MeasureAnnotation]] = relationship(
        back_populates="measure", order_by="MeasureAnnotation.on_date"
    )
    baselines: Mapped[list[MeasureBaseline]] = relationship(
        back_populates="measure", order_by="MeasureBaseline.id"
    )


class MeasurePoint(Base):
    """One period's data. ``value`` is given for counts and intervals, derived otherwise."""

    __tablename__ = "measure_point"
    __table_args__ = (UniqueConstraint("measure_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    period: Mapped[date]
    numerator: Mapped[float | None] = mapped_column(Float, default=None)
    denominator: Mapped[float | None] = mapped_column(Float, default=None)
    value: Mapped[float | None] = mapped_column(Float, default=None)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    exclude_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    measure: Mapped[Measure] = relationship(back_populates="points")


class MeasureAnnotation(Base):
    """A PDSA cycle, intervention or other event marked on the chart."""

    __tablename__ = "measure_annotation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    on_date: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20), default="pdsa")
    text: Mapped[str] = mapped_column(Text)

    measure: Mapped[Measure] = relationship(back_populates="annotations")


class MeasureBaseline(Base):
    """A frozen centre line and limits; re-baselining adds a row and keeps the old one."""

    __tablename__ = "measure_baseline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    first_period: Mapped[date]
    last_period: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    superseded_at: Mapped[datetime | None] = mapped_column(default=None)

    measure: Mapped[Measure] = relationship(back_populates="baselines")
