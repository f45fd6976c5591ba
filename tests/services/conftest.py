"""Fixtures for the service tests: a unit with its team on each backend, and issue makers.

Every fixture here builds on ``any_db``, so a test that asks for ``unit`` runs once
on SQLite and once on the real PostgreSQL server.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from builders import IssueMaker, Team, issue_fields

from cuspdesk.db import Database
from cuspdesk.services import issues, units


@pytest.fixture
def unit(any_db: Database) -> units.UnitInfo:
    return units.create_unit(
        any_db,
        units.UnitFields(
            name="5 West Medical",
            hospital="Riverside General",
            bed_count=28,
            cusp_start_date=date(2025, 1, 6),
        ),
    )


@pytest.fixture
def team(any_db: Database, unit: units.UnitInfo) -> Team:
    roles = {c.key: c.id for c in units.list_choices(any_db, units.ROLE_LIST)}

    def member(name: str, role: str) -> int:
        info = units.add_team_member(any_db, unit.id, units.PersonFields(name), role_id=roles[role])
        return info.person_id

    return Team(
        champion=member("Maria Okafor", "champion"),
        manager=member("Daniel Reyes", "nurse_manager"),
        executive=member("Carol Whitfield", "executive_partner"),
        nurse=member("Zoë Lefèvre", "staff"),
    )


@pytest.fixture
def categories(any_db: Database, unit: units.UnitInfo) -> dict[str, int]:
    """The default issue categories, by key (falls, medication, ...)."""
    return {
        c.key: c.id for c in units.list_choices(any_db, units.CATEGORY_LIST) if c.key is not None
    }


@pytest.fixture
def make_issue(any_db: Database, unit: units.UnitInfo) -> IssueMaker:
    """Create an issue in the test unit: ``make_issue("text", status="blocked", barriers=...)``."""

    def make(
        description: str = "Bed alarm not set on a high falls-risk patient",
        *,
        status: str = "open",
        **values: Any,
    ) -> issues.IssueDetail:
        return issues.create_issue(
            any_db, unit.id, issue_fields(description, **values), status=status
        )

    return make
