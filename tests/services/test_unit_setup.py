"""Setting up a unit in one go: every entry checked first, nothing half-made."""

from __future__ import annotations

import pytest

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.services import units
from cuspdesk.services.unit_setup import MemberEntry, UnitSetup, set_up_unit


def test_unit_team_and_executive_partner_are_created(any_db: Database) -> None:
    unit = set_up_unit(
        any_db,
        UnitSetup(
            unit=units.UnitFields(name="7 South Cardiac", hospital="St Brigid’s"),
            members=[
                MemberEntry("Zoë Ólafsdóttir", "champion", "Charge nurse"),
                MemberEntry("", None, ""),
                MemberEntry("李娜", "nurse_manager"),
                MemberEntry("سارة حداد", None, "Physiotherapist"),
            ],
            executive_name="Dr Ana Ruiz",
            executive_title="Chief Nursing Officer",
        ),
    )
    team = {m.full_name: m for m in units.list_team(any_db, unit.id)}
    assert set(team) == {"Zoë Ólafsdóttir", "李娜", "سارة حداد", "Dr Ana Ruiz"}
    assert team["Zoë Ólafsdóttir"].role_key == "champion"
    assert team["Zoë Ólafsdóttir"].title == "Charge nurse"
    assert team["李娜"].role_key == "nurse_manager"
    assert team["سارة حداد"].role_key is None
    assert team["Dr Ana Ruiz"].role_key == "executive_partner"
    partner = units.current_executive_partner(any_db, unit.id)
    assert partner is not None and partner.full_name == "Dr Ana Ruiz"


def test_problems_in_any_row_are_reported_and_nothing_is_created(any_db: Database) -> None:
    setup = UnitSetup(
        unit=units.UnitFields(name="5 East"),
        members=[
            MemberEntry("Fine Name", "staff"),
            MemberEntry("", "staff", "Has a title but no name"),
            MemberEntry("x" * 500),
        ],
        executive_title="CNO",
    )
    with pytest.raises(ValidationError) as caught:
        set_up_unit(any_db, setup)
    fields = {p.field for p in caught.value.problems}
    assert {"members.2.full_name", "members.3.full_name", "executive_name"} <= fields
    assert units.list_units(any_db) == []


def test_a_duplicate_unit_name_leaves_the_team_alone(any_db: Database) -> None:
    units.create_unit(any_db, units.UnitFields(name="ICU"))
    people_before = len(units.list_people(any_db))
    with pytest.raises(ValidationError) as caught:
        set_up_unit(
            any_db,
            UnitSetup(unit=units.UnitFields(name="icu"), members=[MemberEntry("Sam", "staff")]),
        )
    assert caught.value.field == "name"
    assert len(units.list_people(any_db)) == people_before


def test_a_member_given_the_executive_role_becomes_the_partner(any_db: Database) -> None:
    unit = set_up_unit(
        any_db,
        UnitSetup(
            unit=units.UnitFields(name="NICU"),
            members=[MemberEntry("Dr Kofi Mensah", "executive_partner", "CMO")],
        ),
    )
    partner = units.current_executive_partner(any_db, unit.id)
    assert partner is not None and partner.full_name == "Dr Kofi Mensah"
