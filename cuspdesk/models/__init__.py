"""SQLAlchemy models: tables and relations only, no behaviour beyond computed scores."""

from __future__ import annotations

from cuspdesk.models.assessment import AssessmentResponse
from cuspdesk.models.audit import AuditEvent
from cuspdesk.models.base import Base, RecordMixin, utcnow
from cuspdesk.models.defect import (
    FACTOR_GROUP_LABELS,
    ContributingFactor,
    DefectReview,
    FactorGroup,
    LearningShare,
)
from cuspdesk.models.exchange import ExchangeSource, ExchangeState, MergeConflict
from cuspdesk.models.issue import (
    ACTIVE_STATUSES,
    SOURCE_LABELS,
    STATUS_LABELS,
    IssueNote,
    IssueSource,
    IssueStatus,
    SafetyIssue,
)
from cuspdesk.models.measure import (
    Measure,
    MeasureAnnotation,
    MeasureBaseline,
    MeasureKind,
    MeasurePoint,
)
from cuspdesk.models.meeting import AgendaItem, Decision, Meeting, MeetingAttendee
from cuspdesk.models.safety_round import RoundParticipant, SafetyRound
from cuspdesk.models.settings import AppSetting, Draft
from cuspdesk.models.unit import (
    Choice,
    ExecutivePartnerAssignment,
    Goal,
    Person,
    StrategicAim,
    TeamMember,
    Unit,
)

__all__ = [
    "ACTIVE_STATUSES",
    "FACTOR_GROUP_LABELS",
    "SOURCE_LABELS",
    "STATUS_LABELS",
    "AgendaItem",
    "AppSetting",
    "AssessmentResponse",
    "AuditEvent",
    "Base",
    "Choice",
    "ContributingFactor",
    "Decision",
    "DefectReview",
    "Draft",
    "ExchangeSource",
    "ExchangeState",
    "ExecutivePartnerAssignment",
    "FactorGroup",
    "Goal",
    "IssueNote",
    "IssueSource",
    "IssueStatus",
    "LearningShare",
    "Measure",
    "MeasureAnnotation",
    "MeasureBaseline",
    "MeasureKind",
    "MeasurePoint",
    "Meeting",
    "MeetingAttendee",
    "MergeConflict",
    "Person",
    "RecordMixin",
    "RoundParticipant",
    "SafetyIssue",
    "SafetyRound",
    "StrategicAim",
    "TeamMember",
    "Unit",
    "utcnow",
]
