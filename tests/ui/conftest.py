"""Fixtures for the record screens: a small unit made through the services, or the sample unit.

Each screen is tested on its own with an ``AppContext``; no main window is needed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cuspdesk.db import Database
from cuspdesk.services import demo, units
from cuspdesk.ui.context import AppContext


@pytest.fixture
def small_unit(db: Database) -> dict[str, Any]:
    """A unit with a four-person team and an executive partner."""
    unit = units.create_unit(db, units.UnitFields("4 West Medicine", hospital="St Elsewhere"))
    roles = {c.key: c.id for c in units.list_choices(db, units.ROLE_LIST)}
    people = {}
    for key, name, role in (
        ("champion", "Ana Costa", "champion"),
        ("manager", "Ben Osei", "nurse_manager"),
        ("executive", "Carla Jones", "executive_partner"),
        ("staff", "李 伟", "staff"),
    ):
        member = units.add_team_member(db, unit.id, units.PersonFields(name), role_id=roles[role])
        people[key] = member.person_id
    units.assign_executive_partner(db, unit.id, people["executive"], date(2025, 1, 1))
    return {"unit": unit, "people": people}


@pytest.fixture
def context(db: Database, small_unit: dict[str, Any]) -> AppContext:
    return AppContext(db, small_unit["unit"].id)


@pytest.fixture
def demo_context(db: Database) -> AppContext:
    unit = demo.create_demo_unit(db)
    return AppContext(db, unit.id)
