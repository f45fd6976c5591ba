"""The unit's executive partners over time, for the Team & unit screen."""

from __future__ import annotations

from datetime import date

from builders import Team

from cuspdesk.db import Database
from cuspdesk.services import units


def test_history_lists_every_partner_newest_first(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    assert units.executive_partner_history(any_db, unit.id) == []
    units.assign_executive_partner(any_db, unit.id, team.executive, date(2025, 1, 6))
    units.assign_executive_partner(any_db, unit.id, team.manager, date(2025, 9, 1))

    history = units.executive_partner_history(any_db, unit.id)
    assert [(p.full_name, p.start_date, p.end_date) for p in history] == [
        ("Daniel Reyes", date(2025, 9, 1), None),
        ("Carol Whitfield", date(2025, 1, 6), date(2025, 8, 31)),
    ]


def test_history_belongs_to_its_unit(any_db: Database, unit: units.UnitInfo, team: Team) -> None:
    other = units.create_unit(any_db, units.UnitFields("6 East"))
    units.assign_executive_partner(any_db, other.id, team.executive, date(2025, 2, 1))
    assert units.executive_partner_history(any_db, unit.id) == []
    assert len(units.executive_partner_history(any_db, other.id)) == 1
