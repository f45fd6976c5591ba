"""Findings and new actions: the short form that rounds, meetings and reviews turn into issues.

A finding typed into a round, an action agreed at a meeting and an action from a
defect review all become tracking-log issues in the same transaction as their
parent record, so a round is never saved without its findings or the reverse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cuspdesk.errors import Problem, ValidationError
from cuspdesk.models import IssueSource, SafetyIssue
from cuspdesk.services.issues import IssueFields, create_issue_in


@dataclass
class FindingFields:
    """What the person writes about one finding or action."""

    description: str
    category_id: int | None = None
    location: str = ""
    owner_id: int | None = None
    target_date: date | None = None
    likelihood: int | None = None
    severity: int | None = None
    action_plan: str = ""
    needs_executive: bool = False
    barriers: str = ""

    def is_blank(self) -> bool:
        """Nothing typed at all: an empty row left in the form, safe to skip."""
        return not (
            self.description.strip()
            or self.location.strip()
            or self.action_plan.strip()
            or self.barriers.strip()
            or self.needs_executive
            or any(
                value is not None
                for value in (
                    self.category_id,
                    self.owner_id,
                    self.target_date,
                    self.likelihood,
                    self.severity,
                )
            )
        )


def create_findings(
    session: Session,
    unit_id: int,
    findings: Sequence[FindingFields],
    *,
    source: IssueSource,
    identified: date,
    round_id: int | None = None,
    meeting_id: int | None = None,
    defect_review_id: int | None = None,
    noun: str = "Finding",
) -> list[SafetyIssue]:
    """Create one issue per finding; problems are reported per finding number.

    Empty rows are skipped; a row with anything typed in it but no description
    is refused rather than dropped, so no half-written finding is lost. ``noun``
    is what the form calls a row ("Action 2: …") in the problems it reports.
    """
    created: list[SafetyIssue] = []
    problems: list[Problem] = []
    for number, finding in enumerate(findings, start=1):
        if finding.is_blank():
            continue
        data = IssueFields(
            description=finding.description,
            date_identified=identified,
            source=source.value,
            round_id=round_id,
            meeting_id=meeting_id,
            defect_review_id=defect_review_id,
            category_id=finding.category_id,
            location=finding.location,
            owner_id=finding.owner_id,
            target_date=finding.target_date,
            likelihood=finding.likelihood,
            severity=finding.severity,
            action_plan=finding.action_plan,
            needs_executive=finding.needs_executive,
            barriers=finding.barriers,
        )
        try:
            created.append(create_issue_in(session, unit_id, data))
        except ValidationError as exc:
            problems.extend(
                Problem(f"findings.{number}.{p.field}", f"{noun} {number}: {p.message}")
                for p in exc.problems
            )
    if problems:
        raise ValidationError(problems)
    return created
