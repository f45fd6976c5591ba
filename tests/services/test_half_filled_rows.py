"""Rows left half-filled in a form are refused with a reason, never silently dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import Team

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.services import defects, issues, rounds, units
from cuspdesk.services.findings import FindingFields
from cuspdesk.services.validation import today

DAY = today() - timedelta(days=5)


def test_an_empty_finding_row_is_skipped(any_db: Database, unit: units.UnitInfo) -> None:
    detail = rounds.create_round(
        any_db,
        unit.id,
        rounds.RoundFields(DAY),
        [FindingFields("Bed alarm off"), FindingFields("")],
    )
    assert [f.description for f in detail.findings] == ["Bed alarm off"]


@pytest.mark.parametrize(
    "half_filled",
    [
        FindingFields("  ", location="Bay 4"),
        FindingFields("", severity=3),
        FindingFields("", target_date=DAY),
        FindingFields("", needs_executive=True),
    ],
)
def test_a_finding_with_details_but_no_description_is_refused(
    any_db: Database, unit: units.UnitInfo, team: Team, half_filled: FindingFields
) -> None:
    with pytest.raises(ValidationError) as caught:
        rounds.create_round(
            any_db, unit.id, rounds.RoundFields(DAY), [FindingFields("Fine"), half_filled]
        )
    assert caught.value.problems[0].field == "findings.2.description"
    assert caught.value.problems[0].message == "Finding 2: The description is needed."
    assert rounds.list_rounds(any_db, unit.id) == []
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 0


def test_a_share_without_an_audience_is_refused(any_db: Database, unit: units.UnitInfo) -> None:
    fields = defects.DefectFields(
        DAY, "Fall", shares=[defects.ShareFields("", DAY, "Newsletter"), defects.ShareFields(" ")]
    )
    with pytest.raises(ValidationError) as caught:
        defects.create_review(any_db, unit.id, fields)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("shares.1", "Say who the learning was shared with (1).")
    ]
    assert defects.list_reviews(any_db, unit.id) == []
