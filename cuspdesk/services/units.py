"""The unit and its team: unit details, people and roles, the executive partner, aims.

Also the lists a hospital edits for itself (issue categories, team roles,
meeting kinds), which start from sensible defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cuspdesk.db import Database
from cuspdesk.errors import NotFoundError, ValidationError
from cuspdesk.models import (
    Choice,
    ExecutivePartnerAssignment,
    Goal,
    Measure,
    Person,
    StrategicAim,
    TeamMember,
    Unit,
    utcnow,
)
from cuspdesk.services.access import require
from cuspdesk.services.archiving import archive_record, clean_reason
from cuspdesk.services.validation import Checker, today

CATEGORY_LIST = "category"
ROLE_LIST = "team_role"
MEETING_KIND_LIST = "meeting_kind"

# (label, key): keys mark entries the app relies on, whatever the hospital renames them to.
DEFAULT_LISTS: dict[str, list[tuple[str, str | None]]] = {
    CATEGORY_LIST: [
        ("Communication", "communication"),
        ("Medication", "medication"),
        ("Equipment", "equipment"),
        ("Falls", "falls"),
        ("Infection", "infection"),
        ("Staffing", "staffing"),
        ("Handoffs", "handoffs"),
        ("Environment", "environment"),
        ("Other", "other"),
    ],
    ROLE_LIST: [
        ("Unit champion / team leader", "champion"),
        ("Nurse manager", "nurse_manager"),
        ("Physician champion", "physician_champion"),
        ("Executive partner", "executive_partner"),
        ("Staff", "staff"),
        ("Other", "other"),
    ],
    MEETING_KIND_LIST: [
        ("Monthly executive meeting", "executive_meeting"),
        ("Pre-rounds huddle", "pre_rounds"),
        ("CUSP team meeting", "team_meeting"),
        ("Other", "other"),
    ],
}
LIST_LABELS = {
    CATEGORY_LIST: "Issue categories",
    ROLE_LIST: "Team roles",
    MEETING_KIND_LIST: "Meeting kinds",
}


# --- plain data ----------------------------------------------------------------------


@dataclass
class UnitFields:
    name: str
    hospital: str = ""
    service_line: str = ""
    bed_count: int | None = None
    cusp_start_date: date | None = None
    confidentiality_footer: str = ""


@dataclass(frozen=True)
class UnitInfo:
    id: int
    uuid: str
    name: str
    hospital: str
    service_line: str
    bed_count: int | None
    cusp_start_date: date | None
    confidentiality_footer: str
    version: int
    archived: bool


@dataclass
class PersonFields:
    full_name: str
    title: str = ""
    contact: str = ""


@dataclass(frozen=True)
class MemberInfo:
    member_id: int
    person_id: int
    full_name: str
    title: str
    contact: str
    role_id: int | None
    role_label: str
    role_key: str | None
    active: bool


@dataclass(frozen=True)
class PersonInfo:
    id: int
    full_name: str
    title: str
    contact: str
    active: bool


@dataclass(frozen=True)
class ChoiceInfo:
    id: int
    list_name: str
    label: str
    key: str | None
    position: int
    active: bool
    unit_id: int | None


@dataclass(frozen=True)
class ExecutivePartnerInfo:
    assignment_id: int
    person_id: int
    full_name: str
    title: str
    start_date: date
    end_date: date | None


@dataclass
class GoalFields:
    description: str
    measure_id: int | None = None
    target_value: float | None = None
    due_date: date | None = None


@dataclass
class AimFields:
    title: str
    description: str = ""
    external_target: str = ""
    goals: list[GoalFields] = field(default_factory=list)


@dataclass(frozen=True)
class GoalInfo:
    id: int
    description: str
    measure_id: int | None
    target_value: float | None
    due_date: date | None


@dataclass(frozen=True)
class AimInfo:
    id: int
    title: str
    description: str
    external_target: str
    position: int
    version: int
    goals: tuple[GoalInfo, ...]


# --- units ---------------------------------------------------------------------------


def _unit_info(unit: Unit) -> UnitInfo:
    return UnitInfo(
        id=unit.id,
        uuid=unit.uuid,
        name=unit.name,
        hospital=unit.hospital,
        service_line=unit.service_line,
        bed_count=unit.bed_count,
        cusp_start_date=unit.cusp_start_date,
        confidentiality_footer=unit.confidentiality_footer,
        version=unit.version,
        archived=unit.archived_at is not None,
    )


def _check_unit(session: Session, fields: UnitFields, unit_id: int | None) -> UnitFields:
    check = Checker()
    name = check.name("name", "The unit name", fields.name)
    hospital = check.name("hospital", "The hospital name", fields.hospital, required=False)
    service_line = check.name(
        "service_line", "The service line", fields.service_line, required=False
    )
    if fields.bed_count is not None and not 0 <= fields.bed_count <= 10_000:
        check.add("bed_count", "The number of beds must be between 0 and 10,000.")
    check.date_in_range("cusp_start_date", "The CUSP start date", fields.cusp_start_date)
    footer = check.text(
        "confidentiality_footer",
        "The confidentiality footer",
        fields.confidentiality_footer,
        limit=500,
    )
    if name:
        clash = session.scalar(
            select(Unit.id).where(func.lower(Unit.name) == name.lower(), Unit.id != (unit_id or -1))
        )
        if clash is not None:
            check.add("name", f"There is already a unit called “{name}”.")
    check.raise_if_any()
    return UnitFields(
        name, hospital, service_line, fields.bed_count, fields.cusp_start_date, footer
    )


def create_unit(db: Database, fields: UnitFields) -> UnitInfo:
    require(db, "unit.manage")
    with db.session() as session:
        clean = _check_unit(session, fields, None)
        ensure_default_lists(session)
        unit = Unit(
            name=clean.name,
            hospital=clean.hospital,
            service_line=clean.service_line,
            bed_count=clean.bed_count,
            cusp_start_date=clean.cusp_start_date,
            confidentiality_footer=clean.confidentiality_footer,
        )
        session.add(unit)
        session.flush()
        return _unit_info(unit)


def update_unit(db: Database, unit_id: int, fields: UnitFields) -> UnitInfo:
    require(db, "unit.manage")
    with db.session() as session:
        unit = _get_unit(session, unit_id)
        clean = _check_unit(session, fields, unit_id)
        unit.name = clean.name
        unit.hospital = clean.hospital
        unit.service_line = clean.service_line
        unit.bed_count = clean.bed_count
        unit.cusp_start_date = clean.cusp_start_date
        unit.confidentiality_footer = clean.confidentiality_footer
        session.flush()
        return _unit_info(unit)


def list_units(db: Database, *, include_archived: bool = False) -> list[UnitInfo]:
    query = select(Unit).order_by(func.lower(Unit.name))
    if not include_archived:
        query = query.where(Unit.archived_at.is_(None))
    with db.reader() as session:
        return [_unit_info(u) for u in session.scalars(query)]


def get_unit(db: Database, unit_id: int) -> UnitInfo:
    with db.reader() as session:
        return _unit_info(_get_unit(session, unit_id))


def find_unit(db: Database, name: str | None) -> UnitInfo:
    """The unit a command means: by name (any case), or the only one there is."""
    units = list_units(db)
    if name is None or not name.strip():
        if not units:
            raise NotFoundError(
                "The database has no unit yet; create one in the app or run “cuspdesk demo”."
            )
        if len(units) > 1:
            names = ", ".join(u.name for u in units)
            raise ValidationError(
                f"The database holds several units; choose one with --unit ({names})."
            )
        return units[0]
    wanted = name.strip().lower()
    for unit in units:
        if unit.name.lower() == wanted:
            return unit
    raise NotFoundError(f"There is no unit called “{name.strip()}” in this database.")


def archive_unit(db: Database, unit_id: int, reason: str) -> None:
    require(db, "unit.manage")
    check = Checker()
    reason = check.text("reason", "The reason", reason, required=True, limit=2000)
    check.raise_if_any()
    with db.session() as session:
        unit = _get_unit(session, unit_id)
        unit.archived_at = utcnow()
        unit.archive_reason = reason


def _get_unit(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("That unit no longer exists.")
    return unit


# --- editable lists ------------------------------------------------------------------


def ensure_default_lists(session: Session) -> None:
    """Give a new database its starting lists; leaves lists the hospital edited alone."""
    for list_name, entries in DEFAULT_LISTS.items():
        exists = session.scalar(
            select(Choice.id).where(Choice.list_name == list_name, Choice.unit_id.is_(None))
        )
        if exists is not None:
            continue
        for position, (label, key) in enumerate(entries):
            session.add(Choice(list_name=list_name, label=label, key=key, position=position))
    session.flush()


def _choice_info(choice: Choice) -> ChoiceInfo:
    return ChoiceInfo(
        id=choice.id,
        list_name=choice.list_name,
        label=choice.label,
        key=choice.key,
        position=choice.position,
        active=choice.active,
        unit_id=choice.unit_id,
    )


def list_choices(
    db: Database, list_name: str, *, unit_id: int | None = None, include_inactive: bool = False
) -> list[ChoiceInfo]:
    """A list's entries: the shared ones plus the unit's own, in the team's order."""
    _check_list_name(list_name)
    query = select(Choice).where(Choice.list_name == list_name)
    if unit_id is None:
        query = query.where(Choice.unit_id.is_(None))
    else:
        query = query.where((Choice.unit_id.is_(None)) | (Choice.unit_id == unit_id))
    if not include_inactive:
        query = query.where(Choice.active.is_(True))
    with db.reader() as session:
        return [
            _choice_info(c) for c in session.scalars(query.order_by(Choice.position, Choice.id))
        ]


def add_choice(
    db: Database, list_name: str, label: str, *, unit_id: int | None = None
) -> ChoiceInfo:
    require(db, "unit.manage")
    with db.session() as session:
        return _choice_info(add_choice_in(session, list_name, label, unit_id=unit_id))


def add_choice_in(
    session: Session, list_name: str, label: str, *, unit_id: int | None = None
) -> Choice:
    """Add a list entry inside a caller's transaction (an import adds its new categories so)."""
    require(session, "unit.manage")
    _check_list_name(list_name)
    check = Checker()
    label = check.name("label", "The name", label)
    check.raise_if_any()
    ensure_default_lists(session)
    _refuse_duplicate_label(session, list_name, unit_id, label, None)
    last = session.scalar(select(func.max(Choice.position)).where(Choice.list_name == list_name))
    choice = Choice(list_name=list_name, label=label, unit_id=unit_id, position=(last or 0) + 1)
    session.add(choice)
    session.flush()
    return choice


def rename_choice(db: Database, choice_id: int, label: str) -> ChoiceInfo:
    require(db, "unit.manage")
    check = Checker()
    label = check.name("label", "The name", label)
    check.raise_if_any()
    with db.session() as session:
        choice = _get_choice(session, choice_id)
        _refuse_duplicate_label(session, choice.list_name, choice.unit_id, label, choice.id)
        choice.label = label
        session.flush()
        return _choice_info(choice)


def set_choice_active(db: Database, choice_id: int, active: bool) -> ChoiceInfo:
    """Retire an entry from the pick lists; records that use it keep it."""
    require(db, "unit.manage")
    with db.session() as session:
        choice = _get_choice(session, choice_id)
        choice.active = active
        session.flush()
        return _choice_info(choice)


def move_choice(db: Database, choice_id: int, offset: int) -> None:
    """Move an entry up (negative) or down (positive) in its list."""
    require(db, "unit.manage")
    with db.session() as session:
        choice = _get_choice(session, choice_id)
        siblings = list(
            session.scalars(
                select(Choice)
                .where(Choice.list_name == choice.list_name)
                .order_by(Choice.position, Choice.id)
            )
        )
        index = siblings.index(choice)
        new_index = max(0, min(len(siblings) - 1, index + offset))
        siblings.insert(new_index, siblings.pop(index))
        for position, item in enumerate(siblings):
            if item.position != position:
                item.position = position


def choice_by_key(db: Database, list_name: str, key: str) -> ChoiceInfo | None:
    with db.reader() as session:
        choice = session.scalar(
            select(Choice).where(Choice.list_name == list_name, Choice.key == key).limit(1)
        )
        return _choice_info(choice) if choice is not None else None


def _check_list_name(list_name: str) -> None:
    if list_name not in DEFAULT_LISTS:
        raise ValidationError(f"There is no list called “{list_name}”.")


def _refuse_duplicate_label(
    session: Session, list_name: str, unit_id: int | None, label: str, choice_id: int | None
) -> None:
    clash = session.scalar(
        select(Choice.id).where(
            Choice.list_name == list_name,
            func.lower(Choice.label) == label.lower(),
            Choice.id != (choice_id or -1),
            (Choice.unit_id.is_(None)) | (Choice.unit_id == unit_id),
        )
    )
    if clash is not None:
        raise ValidationError(f"“{label}” is already in the list.", "label")


def _check_role(session: Session, role_id: int) -> None:
    if _get_choice(session, role_id).list_name != ROLE_LIST:
        raise ValidationError("Choose a role from the list.", "role_id")


def _get_choice(session: Session, choice_id: int) -> Choice:
    choice = session.get(Choice, choice_id)
    if choice is None:
        raise NotFoundError("That list entry no longer exists.")
    return choice


# --- people and the team -------------------------------------------------------------


def _clean_person(fields: PersonFields) -> PersonFields:
    check = Checker()
    name = check.name("full_name", "The person's name", fields.full_name)
    title = check.name("title", "The job title", fields.title, required=False)
    contact = check.name("contact", "The contact details", fields.contact, required=False)
    check.raise_if_any()
    return PersonFields(name, title, contact)


def _person_info(person: Person) -> PersonInfo:
    return PersonInfo(person.id, person.full_name, person.title, person.contact, person.active)


def create_person(db: Database, fields: PersonFields) -> PersonInfo:
    require(db, "unit.manage")
    clean = _clean_person(fields)
    with db.session() as session:
        person = Person(full_name=clean.full_name, title=clean.title, contact=clean.contact)
        session.add(person)
        session.flush()
        return _person_info(person)


def update_person(db: Database, person_id: int, fields: PersonFields) -> PersonInfo:
    require(db, "unit.manage")
    clean = _clean_person(fields)
    with db.session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFoundError("That person is no longer in the database.")
        person.full_name = clean.full_name
        person.title = clean.title
        person.contact = clean.contact
        session.flush()
        return _person_info(person)


def list_people(db: Database) -> list[PersonInfo]:
    with db.reader() as session:
        people = session.scalars(
            select(Person)
            .where(Person.archived_at.is_(None))
            .order_by(func.lower(Person.full_name))
        )
        return [_person_info(p) for p in people]


def add_team_member(
    db: Database,
    unit_id: int,
    fields: PersonFields,
    *,
    role_id: int | None = None,
    person_id: int | None = None,
    joined_on: date | None = None,
) -> MemberInfo:
    """Put a person on the unit's team, creating the person unless ``person_id`` is given."""
    require(db, "unit.manage")
    with db.session() as session:
        member = add_team_member_in(
            session, unit_id, fields, role_id=role_id, person_id=person_id, joined_on=joined_on
        )
        return _member_info(session, member)


def add_team_member_in(
    session: Session,
    unit_id: int,
    fields: PersonFields,
    *,
    role_id: int | None = None,
    person_id: int | None = None,
    joined_on: date | None = None,
) -> TeamMember:
    """``add_team_member`` inside a caller's transaction (an import adds new owners so)."""
    require(session, "unit.manage")
    clean = _clean_person(fields) if person_id is None else None
    check = Checker()
    check.date_in_range("joined_on", "The date they joined", joined_on)
    check.raise_if_any()
    _get_unit(session, unit_id)
    if role_id is not None:
        _check_role(session, role_id)
    if person_id is None:
        assert clean is not None
        person = Person(full_name=clean.full_name, title=clean.title, contact=clean.contact)
        session.add(person)
        session.flush()
    else:
        found = session.get(Person, person_id)
        if found is None:
            raise NotFoundError("That person is no longer in the database.")
        person = found
        existing = session.scalar(
            select(TeamMember).where(
                TeamMember.unit_id == unit_id, TeamMember.person_id == person.id
            )
        )
        if existing is not None:
            raise ValidationError(f"{person.full_name} is already on this unit's team.")
    member = TeamMember(unit_id=unit_id, person_id=person.id, role_id=role_id, joined_on=joined_on)
    session.add(member)
    session.flush()
    return member


def update_team_member(
    db: Database, member_id: int, fields: PersonFields, *, role_id: int | None, active: bool
) -> MemberInfo:
    require(db, "unit.manage")
    clean = _clean_person(fields)
    with db.session() as session:
        member = session.get(TeamMember, member_id)
        if member is None:
            raise NotFoundError("That team member is no longer on the team.")
        if role_id is not None:
            _check_role(session, role_id)
        member.role_id = role_id
        member.active = active
        member.person.full_name = clean.full_name
        member.person.title = clean.title
        member.person.contact = clean.contact
        session.flush()
        return _member_info(session, member)


def list_team(db: Database, unit_id: int, *, include_inactive: bool = False) -> list[MemberInfo]:
    query = (
        select(TeamMember)
        .join(Person)
        .where(TeamMember.unit_id == unit_id)
        .order_by(func.lower(Person.full_name))
    )
    if not include_inactive:
        query = query.where(TeamMember.active.is_(True))
    with db.reader() as session:
        return [_member_info(session, m) for m in session.scalars(query)]


def _member_info(session: Session, member: TeamMember) -> MemberInfo:
    role = session.get(Choice, member.role_id) if member.role_id is not None else None
    person = session.get(Person, member.person_id)
    assert person is not None
    return MemberInfo(
        member_id=member.id,
        person_id=person.id,
        full_name=person.full_name,
        title=person.title,
        contact=person.contact,
        role_id=member.role_id,
        role_label=role.label if role is not None else "",
        role_key=role.key if role is not None else None,
        active=member.active,
    )


# --- executive partner ---------------------------------------------------------------


def assign_executive_partner(
    db: Database, unit_id: int, person_id: int, start_date: date | None = None
) -> ExecutivePartnerInfo:
    """Make a person the unit's executive partner; the previous one's term ends the day before."""
    require(db, "unit.manage")
    start = start_date or today()
    check = Checker()
    check.date_in_range("start_date", "The start date", start)
    check.raise_if_any()
    with db.session() as session:
        _get_unit(session, unit_id)
        person = session.get(Person, person_id)
        if person is None:
            raise NotFoundError("That person is no longer in the database.")
        current = session.scalars(
            select(ExecutivePartnerAssignment).where(
                ExecutivePartnerAssignment.unit_id == unit_id,
                ExecutivePartnerAssignment.end_date.is_(None),
            )
        ).all()
        for assignment in current:
            if assignment.person_id == person_id:
                return _partner_info(assignment, person)
            if assignment.start_date >= start:
                raise ValidationError(
                    "The new executive partner must start after the current one started "
                    f"({assignment.start_date.isoformat()}).",
                    "start_date",
                )
            assignment.end_date = start - timedelta(days=1)
        assignment = ExecutivePartnerAssignment(
            unit_id=unit_id, person_id=person_id, start_date=start
        )
        session.add(assignment)
        session.flush()
        return _partner_info(assignment, person)


def current_executive_partner(
    db: Database, unit_id: int, on: date | None = None
) -> ExecutivePartnerInfo | None:
    when = on or today()
    with db.reader() as session:
        row = session.execute(
            select(ExecutivePartnerAssignment, Person)
            .join(Person, Person.id == ExecutivePartnerAssignment.person_id)
            .where(
                ExecutivePartnerAssignment.unit_id == unit_id,
                ExecutivePartnerAssignment.start_date <= when,
                (ExecutivePartnerAssignment.end_date.is_(None))
                | (ExecutivePartnerAssignment.end_date >= when),
            )
            .order_by(ExecutivePartnerAssignment.start_date.desc())
            .limit(1)
        ).first()
        return _partner_info(row[0], row[1]) if row is not None else None


def executive_partner_history(db: Database, unit_id: int) -> list[ExecutivePartnerInfo]:
    """Every executive partner the unit has had, the current one first."""
    with db.reader() as session:
        rows = session.execute(
            select(ExecutivePartnerAssignment, Person)
            .join(Person, Person.id == ExecutivePartnerAssignment.person_id)
            .where(ExecutivePartnerAssignment.unit_id == unit_id)
            .order_by(
                ExecutivePartnerAssignment.start_date.desc(), ExecutivePartnerAssignment.id.desc()
            )
        ).all()
        return [_partner_info(assignment, person) for assignment, person in rows]


def _partner_info(assignment: ExecutivePartnerAssignment, person: Person) -> ExecutivePartnerInfo:
    return ExecutivePartnerInfo(
        assignment_id=assignment.id,
        person_id=person.id,
        full_name=person.full_name,
        title=person.title,
        start_date=assignment.start_date,
        end_date=assignment.end_date,
    )


# --- strategic aims ------------------------------------------------------------------


def _clean_aim(fields: AimFields) -> AimFields:
    check = Checker()
    title = check.text("title", "The aim", fields.title, required=True, limit=300)
    description = check.text("description", "The description", fields.description)
    external = check.text("external_target", "The target above it", fields.external_target)
    goals: list[GoalFields] = []
    for number, goal in enumerate(fields.goals, start=1):
        text = check.text(f"goals.{number}", f"Goal {number}", goal.description, required=True)
        check.number(f"goals.{number}", f"Goal {number}'s target value", goal.target_value)
        check.date_in_range(f"goals.{number}", f"Goal {number}'s due date", goal.due_date)
        goals.append(GoalFields(text, goal.measure_id, goal.target_value, goal.due_date))
    check.raise_if_any()
    return AimFields(title, description, external, goals)


def _aim_info(aim: StrategicAim) -> AimInfo:
    return AimInfo(
        id=aim.id,
        title=aim.title,
        description=aim.description,
        external_target=aim.external_target,
        position=aim.position,
        version=aim.version,
        goals=tuple(
            GoalInfo(g.id, g.description, g.measure_id, g.target_value, g.due_date)
            for g in aim.goals
        ),
    )


def create_aim(db: Database, unit_id: int, fields: AimFields) -> AimInfo:
    require(db, "unit.manage")
    clean = _clean_aim(fields)
    with db.session() as session:
        _get_unit(session, unit_id)
        last = session.scalar(
            select(func.max(StrategicAim.position)).where(StrategicAim.unit_id == unit_id)
        )
        aim = StrategicAim(
            unit_id=unit_id,
            title=clean.title,
            description=clean.description,
            external_target=clean.external_target,
            position=(last or 0) + 1,
        )
        _check_goal_measures(session, unit_id, clean.goals)
        session.add(aim)
        session.flush()
        _replace_goals(session, aim, clean.goals)
        session.flush()
        session.refresh(aim)
        return _aim_info(aim)


def update_aim(db: Database, aim_id: int, fields: AimFields) -> AimInfo:
    require(db, "unit.manage")
    clean = _clean_aim(fields)
    with db.session() as session:
        aim = session.get(StrategicAim, aim_id)
        if aim is None:
            raise NotFoundError("That aim no longer exists.")
        _check_goal_measures(session, aim.unit_id, clean.goals)
        aim.title = clean.title
        aim.description = clean.description
        aim.external_target = clean.external_target
        _replace_goals(session, aim, clean.goals)
        session.flush()
        session.refresh(aim)
        return _aim_info(aim)


def _check_goal_measures(session: Session, unit_id: int, goals: list[GoalFields]) -> None:
    check = Checker()
    for number, goal in enumerate(goals, start=1):
        if goal.measure_id is None:
            continue
        measure = session.get(Measure, goal.measure_id)
        if measure is None or measure.unit_id != unit_id:
            check.add(
                f"goals.{number}", f"Goal {number}'s measure is not one of this unit's measures."
            )
    check.raise_if_any()


def _replace_goals(session: Session, aim: StrategicAim, goals: list[GoalFields]) -> None:
    existing = list(aim.goals)
    for position, goal in enumerate(goals):
        if position < len(existing):
            row = existing[position]
        else:
            row = Goal(aim_id=aim.id, description=goal.description)
            session.add(row)
        row.description = goal.description
        row.measure_id = goal.measure_id
        row.target_value = goal.target_value
        row.due_date = goal.due_date
        row.position = position
    for row in existing[len(goals) :]:
        session.delete(row)


def list_aims(db: Database, unit_id: int) -> list[AimInfo]:
    with db.reader() as session:
        aims = session.scalars(
            select(StrategicAim)
            .where(StrategicAim.unit_id == unit_id, StrategicAim.archived_at.is_(None))
            .order_by(StrategicAim.position, StrategicAim.id)
        )
        return [_aim_info(a) for a in aims]


def archive_person(db: Database, person_id: int, reason: str) -> None:
    """Take a person out of the pick lists; the records that name them keep the name."""
    require(db, "unit.manage")
    cleaned = clean_reason(reason)
    with db.session() as session:
        archive_record(session, Person, person_id, cleaned, "That person is no longer listed.")


def archive_aim(db: Database, aim_id: int, reason: str) -> None:
    """Take a strategic aim out of the lists; issues that served it keep the link."""
    require(db, "unit.manage")
    cleaned = clean_reason(reason)
    with db.session() as session:
        archive_record(session, StrategicAim, aim_id, cleaned, "That aim no longer exists.")
