"""The sample unit: a year of a surgical ICU's CUSP work, written the way its team writes.

Used by ``cuspdesk demo``, by the welcome screen, by the tests and by the
benchmarks. Everything is dated relative to ``today`` so the sample always has
issues due soon, some overdue and a meeting coming up. Whatever ``today`` is, the
sample holds the same records, only their dates move with it.
"""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.models import Unit
from cuspdesk.resources import resource_path
from cuspdesk.services import assessments, defects, issues, measures, meetings, rounds, units
from cuspdesk.services.access import require
from cuspdesk.services.findings import FindingFields
from cuspdesk.services.validation import Checker
from cuspdesk.services.validation import today as _today

DEMO_UNIT_NAME = "5 North Surgical ICU"
DEMO_HOSPITAL = "Riverside General Hospital"
# Fixed seeds: the sample's content is the same on every day it is made.
_RECORDS_SEED = date(2026, 11, 24).toordinal()
_MEASURES_SEED = _RECORDS_SEED + 1


@dataclass(frozen=True)
class _Finding:
    category: str
    location: str
    description: str
    action_plan: str
    barrier: str
    evidence: str


@dataclass(frozen=True)
class _Sample:
    """The sample unit's words, kept in resources/sample/demo_unit.json."""

    findings: tuple[_Finding, ...]
    progress_notes: tuple[str, ...]
    responses: tuple[dict[str, str], ...]
    reviews: tuple[dict[str, Any], ...]


@functools.cache
def sample_records() -> _Sample:
    raw = json.loads(resource_path("sample", "demo_unit.json").read_text(encoding="utf-8"))
    return _Sample(
        findings=tuple(_Finding(**f) for f in raw["findings"]),
        progress_notes=tuple(raw["progress_notes"]),
        responses=tuple(raw["assessment_responses"]),
        reviews=tuple(raw["defect_reviews"]),
    )


def create_demo_unit(db: Database, *, today: date | None = None) -> units.UnitInfo:
    """Add the sample unit with a year of records; refuses if it is already there."""
    require(db, "unit.manage")
    now = today or _today()
    check = Checker()
    check.date_in_range("date", "The sample unit's date", now, required=True)
    check.not_future("date", "The sample unit's date", now)
    check.raise_if_any()
    with db.reader() as session:
        if session.scalar(select(Unit.id).where(Unit.name == DEMO_UNIT_NAME)) is not None:
            raise ValidationError(
                f"The sample unit “{DEMO_UNIT_NAME}” is already in this database."
            )
    rng = random.Random(_RECORDS_SEED)
    start = now - timedelta(days=420)
    unit = units.create_unit(
        db,
        units.UnitFields(
            name=DEMO_UNIT_NAME,
            hospital=DEMO_HOSPITAL,
            service_line="Surgical Services",
            bed_count=24,
            cusp_start_date=start,
            confidentiality_footer=(
                "Confidential patient safety work product. Do not copy or forward outside "
                "Riverside General Hospital."
            ),
        ),
    )
    people = _create_team(db, unit.id, start)
    categories = {c.key: c.id for c in units.list_choices(db, units.CATEGORY_LIST)}
    kinds = {c.key: c.id for c in units.list_choices(db, units.MEETING_KIND_LIST)}
    aims = _create_aims(db, unit.id, now)
    measure_ids = _create_measures(db, unit.id, now, aims)
    _link_goals(db, unit.id, aims, measure_ids)

    sample = sample_records()
    finding_pool = list(sample.findings)
    rng.shuffle(finding_pool)

    def take() -> _Finding:
        return finding_pool.pop() if finding_pool else rng.choice(sample.findings)

    def finding(spec: _Finding, identified: date) -> FindingFields:
        owner = rng.choice(
            [
                people["manager"],
                people["champion"],
                people["physician"],
                people["pharmacist"],
                people["rt"],
                people["evs"],
            ]
        )
        return FindingFields(
            description=spec.description,
            category_id=categories.get(spec.category),
            location=spec.location,
            owner_id=owner,
            target_date=identified + timedelta(days=rng.choice((21, 30, 45, 60, 90))),
            likelihood=rng.choice((2, 3, 3, 4, 4, 5)),
            severity=rng.choice((2, 3, 4, 4, 5)),
            action_plan=spec.action_plan,
            barriers=spec.barrier if rng.random() < 0.5 else "",
            needs_executive=bool(spec.barrier) and rng.random() < 0.6,
        )

    # Monthly executive meetings and rounds over the last year, plus the next ones.
    for months_ago in range(12, -1, -1):
        month_day = now - timedelta(days=30 * months_ago)
        meeting_day = month_day - timedelta(days=12)
        round_day = month_day - timedelta(days=5)
        exec_there = months_ago not in (4, 9)
        attendees = [
            meetings.AttendeeFields(people[k], True)
            for k in ("champion", "manager", "physician", "pharmacist", "night_charge")
        ] + [meetings.AttendeeFields(people["executive"], exec_there)]
        actions = [finding(take(), meeting_day)] if months_ago % 2 == 0 else []
        meetings.create_meeting(
            db,
            unit.id,
            meetings.MeetingFields(
                meeting_date=meeting_day,
                kind_id=kinds.get("executive_meeting"),
                title=f"CUSP executive partner meeting — {meeting_day.strftime('%B %Y')}",
                location="5 North conference room",
                notes=_meeting_notes(months_ago, exec_there),
                executive_attended=exec_there,
                next_meeting_date=meeting_day + timedelta(days=30),
                attendees=attendees,
                agenda=[
                    meetings.AgendaItemFields(
                        "Review of the tracking log and overdue items", "Daniel Reyes"
                    ),
                    meetings.AgendaItemFields(
                        "Measures: falls with injury and CLABSI run charts", "Maria Okafor"
                    ),
                    meetings.AgendaItemFields("Barriers needing executive help", "Maria Okafor"),
                    meetings.AgendaItemFields(
                        "Learning from defects review of the month", "Dr. Priya Natarajan"
                    ),
                ],
                decisions=_meeting_decisions(months_ago),
            ),
            actions,
        )
        findings = [finding(take(), round_day) for _ in range(rng.choice((2, 3, 3)))]
        if round_day <= now:
            rounds.create_round(
                db,
                unit.id,
                rounds.RoundFields(
                    round_date=round_day,
                    area=rng.choice(
                        (
                            "Pods A and B",
                            "Pods C and D",
                            "Whole unit",
                            "Med room and pods A–B",
                            "Night shift, whole unit",
                        )
                    ),
                    executive_id=people["executive"],
                    participant_ids=[people["champion"], people["manager"], people["night_charge"]],
                    questions_asked="\n".join(rounds.STANDARD_QUESTIONS[:3]),
                    notes=(
                        "Staff engaged; the executive thanked the night team for raising concerns."
                    ),
                ),
                findings,
            )
    # Next round, already planned.
    rounds.create_round(
        db,
        unit.id,
        rounds.RoundFields(
            round_date=now + timedelta(days=9),
            area="Whole unit",
            executive_id=people["executive"],
            participant_ids=[people["champion"], people["manager"]],
            notes="Planned. Focus: falls bundle and weekend pharmacy cover.",
        ),
    )
    meetings.create_meeting(
        db,
        unit.id,
        meetings.MeetingFields(
            meeting_date=now + timedelta(days=6),
            kind_id=kinds.get("pre_rounds"),
            title="Pre-rounds briefing with the executive partner",
            location="CNO office",
            attendees=[
                meetings.AttendeeFields(people["champion"], True),
                meetings.AttendeeFields(people["executive"], True),
            ],
            agenda=[
                meetings.AgendaItemFields("Briefing: open and overdue issues", "Maria Okafor"),
                meetings.AgendaItemFields("What to look for on the round", "Maria Okafor"),
            ],
        ),
    )

    # Staff safety assessment: at the CUSP start and again six months ago.
    for index, answer in enumerate(sample.responses):
        harm = answer["harm"]
        when = (
            start + timedelta(days=index % 5) if index < 12 else now - timedelta(days=180 - index)
        )
        assessments.create_response(
            db,
            unit.id,
            assessments.AssessmentFields(
                response_date=when,
                harm_answer=harm,
                prevention_answer=answer["prevention"],
                respondent_role=answer["role"],
                category_id=categories.get(_ssa_category(harm)),
            ),
        )
    responses = assessments.list_responses(db, unit.id)
    for group in (("fall",), ("handoff", "OR"), ("heparin", "vials")):
        ids = [r.id for r in responses if any(w.lower() in r.harm_answer.lower() for w in group)][
            :3
        ]
        if ids:
            spec = take()
            assessments.convert_to_issue(
                db,
                unit.id,
                ids,
                issues.IssueFields(
                    description=spec.description,
                    date_identified=start + timedelta(days=20),
                    category_id=categories.get(spec.category),
                    location=spec.location,
                    owner_id=people["manager"],
                    target_date=start + timedelta(days=80),
                    likelihood=4,
                    severity=4,
                    action_plan=spec.action_plan,
                ),
            )

    # Learning from defects: roughly one a month.
    for index, review in enumerate(sample.reviews):
        review_day = now - timedelta(days=35 * (len(sample.reviews) - index) - 3)
        actions = [finding(take(), review_day)]
        defects.create_review(
            db,
            unit.id,
            defects.DefectFields(
                review_date=review_day,
                title=review["title"],
                event_date=review_day - timedelta(days=6),
                what_happened=review["what_happened"],
                how_risk_reduced=review["how_risk_reduced"],
                harm_reached_patient=review["harm_reached_patient"],
                led_by="Dr. Priya Natarajan" if index % 2 else "Maria Okafor",
                factors=[
                    defects.FactorFields(f["group"], f["description"], f["positive"])
                    for f in review["factors"]
                ],
                shares=[
                    defects.ShareFields(s["audience"], review_day + timedelta(days=10), s["method"])
                    for s in review["shared_with"]
                ],
            ),
            actions,
        )

    # Event reports, two of them harm events.
    for days_ago, harmed in ((200, True), (120, False), (47, True), (15, False)):
        spec = take()
        issues.create_issue(
            db,
            unit.id,
            issues.IssueFields(
                description=spec.description,
                date_identified=now - timedelta(days=days_ago),
                source="event_report",
                event_report_ref=f"ER-{now.year - (1 if days_ago > 300 else 0)}-{4100 + days_ago}",
                category_id=categories.get(spec.category),
                location=spec.location,
                owner_id=people["manager"],
                target_date=now - timedelta(days=days_ago) + timedelta(days=45),
                likelihood=3,
                severity=5 if harmed else 3,
                action_plan=spec.action_plan,
                harm_event=harmed,
            ),
        )

    _age_issues(db, unit.id, now, rng, aims)
    return units.get_unit(db, unit.id)


def _create_team(db: Database, unit_id: int, start: date) -> dict[str, int]:
    roles = {c.key: c.id for c in units.list_choices(db, units.ROLE_LIST)}
    team = (
        (
            "champion",
            "Maria Okafor",
            "Clinical Nurse III, BSN, RN",
            "m.okafor@riverside.example",
            "champion",
        ),
        (
            "manager",
            "Daniel Reyes",
            "Nurse Manager, MSN, RN",
            "d.reyes@riverside.example",
            "nurse_manager",
        ),
        (
            "physician",
            "Dr. Priya Natarajan",
            "Intensivist",
            "p.natarajan@riverside.example",
            "physician_champion",
        ),
        (
            "executive",
            "Carol Whitfield",
            "Chief Nursing Officer, DNP, RN",
            "c.whitfield@riverside.example",
            "executive_partner",
        ),
        ("rt", "Tomás Álvarez", "Respiratory Therapist", "t.alvarez@riverside.example", "staff"),
        (
            "pharmacist",
            "Aisha Rahman",
            "Clinical Pharmacist, PharmD",
            "a.rahman@riverside.example",
            "staff",
        ),
        (
            "night_charge",
            "Kevin O'Brien",
            "Charge Nurse, nights",
            "k.obrien@riverside.example",
            "staff",
        ),
        ("cna", "Zoë Lefèvre", "Patient Care Technician", "z.lefevre@riverside.example", "staff"),
        (
            "evs",
            "Marcus Bell",
            "Environmental Services Supervisor",
            "m.bell@riverside.example",
            "other",
        ),
    )
    people: dict[str, int] = {}
    for key, name, title, contact, role in team:
        member = units.add_team_member(
            db,
            unit_id,
            units.PersonFields(name, title, contact),
            role_id=roles.get(role),
            joined_on=start,
        )
        people[key] = member.person_id
    units.assign_executive_partner(db, unit_id, people["executive"], start)
    return people


def _create_aims(db: Database, unit_id: int, now: date) -> dict[str, int]:
    aims = {
        "falls": units.create_aim(
            db,
            unit_id,
            units.AimFields(
                title="No preventable harm from falls",
                description=(
                    "Every patient at risk of falling has the falls bundle in place, every shift."
                ),
                external_target=(
                    "Riverside strategic plan: halve falls with injury by the end of next year."
                ),
            ),
        ).id,
        "infection": units.create_aim(
            db,
            unit_id,
            units.AimFields(
                title="Zero central line infections",
                description="Lines in only while needed, inserted and cared for by the bundle.",
                external_target="National CLABSI elimination goal; hospital target SIR below 0.5.",
            ),
        ).id,
        "culture": units.create_aim(
            db,
            unit_id,
            units.AimFields(
                title="A unit where everyone speaks up",
                description="Staff raise concerns and hear back what happened to them.",
                external_target=(
                    "Hospital safety culture survey: teamwork climate 75% positive or more."
                ),
            ),
        ).id,
    }
    return aims


def _link_goals(
    db: Database, unit_id: int, aims: dict[str, int], measure_ids: dict[str, int]
) -> None:
    existing = {a.id: a for a in units.list_aims(db, unit_id)}

    for key, goals in (
        (
            "falls",
            [
                units.GoalFields(
                    "Falls with injury below 0.5 per 1,000 patient-days for six months",
                    measure_ids["falls"],
                    0.5,
                )
            ],
        ),
        (
            "infection",
            [
                units.GoalFields(
                    "Twelve consecutive months without a CLABSI", measure_ids["clabsi"], 0.0
                )
            ],
        ),
        (
            "culture",
            [
                units.GoalFields("Every staff concern gets feedback within 30 days"),
                units.GoalFields(
                    "At least 36 days between pressure injuries on average",
                    measure_ids["pressure"],
                    36.0,
                ),
            ],
        ),
    ):
        aim = existing[aims[key]]
        units.update_aim(
            db, aim.id, units.AimFields(aim.title, aim.description, aim.external_target, goals)
        )


def _create_measures(db: Database, unit_id: int, now: date, aims: dict[str, int]) -> dict[str, int]:
    rng = random.Random(_MEASURES_SEED)
    falls = measures.create_measure(
        db,
        unit_id,
        measures.MeasureFields(
            name="Falls with injury",
            kind="rate",
            multiplier=1000.0,
            unit_label="per 1,000 patient-days",
            numerator_label="Falls with injury",
            denominator_label="Patient-days",
            direction="down",
            target=0.5,
            chart_kind="u",
            rule_set="we",
            aim_id=aims["falls"],
            description="Falls with any injury (minor or worse) per 1,000 patient-days.",
        ),
    )
    clabsi = measures.create_measure(
        db,
        unit_id,
        measures.MeasureFields(
            name="CLABSI",
            kind="rate",
            multiplier=1000.0,
            unit_label="per 1,000 line-days",
            numerator_label="Central line infections",
            denominator_label="Central line-days",
            direction="down",
            target=0.0,
            chart_kind="run",
            rule_set="ihi",
            aim_id=aims["infection"],
            description="Central line-associated bloodstream infections (NHSN definition).",
        ),
    )
    pressure = measures.create_measure(
        db,
        unit_id,
        measures.MeasureFields(
            name="Days between pressure injuries",
            kind="days_between",
            unit_label="days",
            direction="up",
            target=36.0,
            chart_kind="run",
            rule_set="ihi",
            aim_id=aims["culture"],
            description="Days between hospital-acquired pressure injuries, stage 2 or worse.",
        ),
    )
    first_month = measures.month_start(now - timedelta(days=30 * 24))
    month = first_month
    index = 0
    while month < measures.month_start(now):
        patient_days = rng.randint(610, 700)
        line_days = rng.randint(300, 390)
        improved = index >= 15
        falls_n = rng.choice((0, 1, 1, 2)) if not improved else rng.choice((0, 0, 0, 1))
        clabsi_n = rng.choice((0, 0, 1, 1)) if index < 14 else (0 if index != 19 else 1)
        gap = rng.randint(8, 25) if index < 14 else rng.randint(25, 60)
        measures.set_point(db, falls.id, month, numerator=falls_n, denominator=patient_days)
        measures.set_point(db, clabsi.id, month, numerator=clabsi_n, denominator=line_days)
        measures.set_point(db, pressure.id, month, value=gap)
        month = measures.month_start(month + timedelta(days=32))
        index += 1
    measures.set_baseline(
        db,
        falls.id,
        first_month,
        measures.month_start(first_month + timedelta(days=32 * 11)),
        "The year before the unit started CUSP.",
    )
    measures.add_annotation(
        db, falls.id, now - timedelta(days=270), "PDSA 1: hourly rounding on nights", "pdsa"
    )
    measures.add_annotation(
        db,
        falls.id,
        now - timedelta(days=240),
        "Scheduled toileting for patients on diuretics",
        "intervention",
    )
    measures.add_annotation(
        db,
        clabsi.id,
        now - timedelta(days=300),
        "Daily line-necessity question on rounds",
        "intervention",
    )
    measures.add_annotation(
        db, pressure.id, now - timedelta(days=280), "Heel offloading boots stocked", "pdsa"
    )
    return {"falls": falls.id, "clabsi": clabsi.id, "pressure": pressure.id}


def _age_issues(
    db: Database, unit_id: int, now: date, rng: random.Random, aims: dict[str, int]
) -> None:
    """Move each issue along the workflow the way a year of follow-up would have."""
    sample = sample_records()
    by_text = {f.description: f for f in sample.findings}
    rows = issues.list_issues(db, issues.IssueQuery(unit_id=unit_id)).rows
    aim_for = {
        "falls": aims["falls"],
        "infection": aims["infection"],
        "communication": aims["culture"],
        "staffing": aims["culture"],
    }
    counts: dict[str, int] = {}
    for row in rows:
        detail = issues.get_issue(db, row.id)
        spec = by_text.get(detail.fields.description)
        if spec is None:
            continue
        data = detail.fields
        data.aim_id = aim_for.get(spec.category)
        age = (now - data.date_identified).days
        if age > 330:
            target = "closed"
        elif age > 200:
            target = rng.choice(("closed", "closed", "resolved", "in_progress"))
        elif age > 90:
            target = rng.choice(("closed", "resolved", "in_progress", "in_progress", "blocked"))
        elif age > 30:
            target = rng.choice(("in_progress", "open", "open", "escalated", "resolved"))
        else:
            target = "open" if rng.random() < 0.8 else "in_progress"
        if target in ("blocked", "escalated") and not spec.barrier:
            target = "in_progress"
        if target in ("closed",) and not spec.evidence:
            target = "resolved"
        if spec.barrier and target in ("open", "in_progress"):
            if counts.get("blocked", 0) < 2:
                target = "blocked"
            elif counts.get("escalated", 0) < 3:
                target = "escalated"
        counts[target] = counts.get(target, 0) + 1
        if target in ("open", "in_progress", "blocked") and age > 60 and rng.random() < 0.5:
            # The team moved the target date when the first one proved too tight.
            data.target_date = now + timedelta(days=rng.choice((4, 9, 12, 25, 40, 55)))
        if target in ("blocked", "escalated"):
            data.barriers = spec.barrier
            data.needs_executive = True
        if target in ("resolved", "closed"):
            data.date_resolved = min(
                now, data.date_identified + timedelta(days=rng.randint(20, 90))
            )
        if target == "closed":
            data.risk_reduced_evidence = spec.evidence
            data.staff_feedback = "Shared at the staff meeting and on the safety board."
            data.feedback_date = data.date_resolved
        note_day = min(now, data.date_identified + timedelta(days=rng.randint(3, 20)))
        issues.add_note(db, row.id, rng.choice(sample.progress_notes), note_day)
        changed_on = data.date_resolved or min(now, note_day + timedelta(days=rng.randint(1, 20)))
        if target == "closed" and data.date_resolved is not None:
            changed_on = min(now, data.date_resolved + timedelta(days=rng.randint(7, 30)))
        issues.update_issue(
            db,
            row.id,
            data,
            expected_version=detail.version,
            status=None if target == "open" else target,
            status_date=changed_on,
        )
    # One reopened issue, so the history shows it.
    closed = issues.list_issues(db, issues.IssueQuery(unit_id=unit_id, statuses=["closed"])).rows
    if closed:
        issues.change_status(
            db,
            closed[-1].id,
            "in_progress",
            note="Night staff report the problem has come back.",
            on=now,
        )


def _meeting_notes(months_ago: int, exec_there: bool) -> str:
    if not exec_there:
        return (
            "Carol sent apologies (board meeting); Daniel to brief her by phone. "
            "Team reviewed overdue items and agreed owners."
        )
    return (
        "Carol reviewed the tracking log with the team, asked about the oldest overdue items "
        "and agreed which barriers she will take to the operations meeting."
    )


def _meeting_decisions(months_ago: int) -> list[str]:
    options = (
        "Carol to raise weekend pharmacy cover with the director of pharmacy.",
        "Pilot hourly rounding on nights in pods A and B for four weeks.",
        "Biomed to report on bed-alarm repairs at the next meeting.",
        "Share the heparin near-miss learning in the hospital safety newsletter.",
        "Approve the float RN request for the next budget cycle.",
        "Invite infection prevention to the next meeting to review CLABSI data.",
    )
    return [options[months_ago % len(options)], options[(months_ago + 2) % len(options)]]


def _ssa_category(answer: str) -> str:
    text = answer.lower()
    for word, key in (
        ("fall", "falls"),
        ("slip", "falls"),
        ("climb", "falls"),
        ("heparin", "medication"),
        ("drug", "medication"),
        ("vancomycin", "medication"),
        ("allergic", "medication"),
        ("infection", "infection"),
        ("handoff", "handoffs"),
        ("transfer", "handoffs"),
        ("staff", "staffing"),
        ("fatigue", "staffing"),
        ("nurse", "staffing"),
        ("alarm", "equipment"),
        ("label", "equipment"),
        ("corridor", "environment"),
        ("interpreter", "communication"),
        ("surgeon", "communication"),
    ):
        if word in text:
            return key
    return "other"
