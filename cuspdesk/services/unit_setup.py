"""Set up a new unit in one go: its details, its CUSP team and its executive partner.

The welcome screen of a fresh database collects all of it on one page; this
checks every person's entry before anything is written, so a typo in the third
team member never leaves a half-made unit behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cuspdesk.db import Database
from cuspdesk.services import units
from cuspdesk.services.validation import Checker

EXECUTIVE_ROLE_KEY = "executive_partner"


@dataclass
class MemberEntry:
    """One line of the team list; a line with no name is ignored.

    ``role_key`` is a key of the team-role list (``units.DEFAULT_LISTS``), so the
    welcome page can offer roles before the database has any lists.
    """

    full_name: str
    role_key: str | None = None
    title: str = ""


@dataclass
class UnitSetup:
    unit: units.UnitFields
    members: list[MemberEntry] = field(default_factory=list)
    executive_name: str = ""
    executive_title: str = ""


def set_up_unit(db: Database, setup: UnitSetup, *, today: date | None = None) -> units.UnitInfo:
    """Create the unit, add its team and name its executive partner.

    Problems are reported with fields ``members.N.full_name`` (N from 1, as the
    person sees the rows) and ``executive_name`` / ``executive_title``.
    """
    members = [m for m in setup.members if m.full_name.strip() or m.title.strip()]
    check = Checker()
    for number, member in enumerate(setup.members, start=1):
        if member not in members:
            continue
        check.name(f"members.{number}.full_name", f"Team member {number}'s name", member.full_name)
        check.name(
            f"members.{number}.title",
            f"Team member {number}'s job title",
            member.title,
            required=False,
        )
    check.name(
        "executive_name", "The executive partner's name", setup.executive_name, required=False
    )
    check.name(
        "executive_title", "The executive partner's title", setup.executive_title, required=False
    )
    if setup.executive_title.strip() and not setup.executive_name.strip():
        check.add("executive_name", "Give the executive partner's name as well as the title.")
    check.raise_if_any()

    unit = units.create_unit(db, setup.unit)
    roles = {c.key: c.id for c in units.list_choices(db, units.ROLE_LIST) if c.key}
    executive_role_id = roles.get(EXECUTIVE_ROLE_KEY)
    executive_person: int | None = None
    for member in members:
        info = units.add_team_member(
            db,
            unit.id,
            units.PersonFields(member.full_name, member.title),
            role_id=roles.get(member.role_key or ""),
            joined_on=setup.unit.cusp_start_date,
        )
        if executive_person is None and member.role_key == EXECUTIVE_ROLE_KEY:
            executive_person = info.person_id
    if setup.executive_name.strip():
        info = units.add_team_member(
            db,
            unit.id,
            units.PersonFields(setup.executive_name, setup.executive_title),
            role_id=executive_role_id,
            joined_on=setup.unit.cusp_start_date,
        )
        executive_person = info.person_id
    if executive_person is not None:
        units.assign_executive_partner(
            db, unit.id, executive_person, setup.unit.cusp_start_date or today
        )
    return unit
