"""The (id, label) pairs the screens' pick lists offer, read from the services."""

from __future__ import annotations

from collections.abc import Iterable

from cuspdesk.db import Database
from cuspdesk.services import units

Options = list[tuple[int, str]]


def team_options(db: Database, unit_id: int) -> Options:
    """Active team members as person ids, named with their role so namesakes differ."""
    return [
        (m.person_id, f"{m.full_name} ({m.role_label})" if m.role_label else m.full_name)
        for m in units.list_team(db, unit_id)
    ]


def choice_options(db: Database, list_name: str, unit_id: int) -> Options:
    return [(c.id, c.label) for c in units.list_choices(db, list_name, unit_id=unit_id)]


def with_missing(options: Options, extra: Iterable[tuple[int | None, str]]) -> Options:
    """Add people or entries a saved record uses but the list no longer offers
    (someone left the team, a category was retired), so the record still shows them."""
    known = {key for key, _label in options}
    added = [
        (key, f"{label} (no longer in the list)")
        for key, label in extra
        if key is not None and key not in known
    ]
    return options + added
