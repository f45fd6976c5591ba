"""The identifier check: it catches record numbers and birth dates, and stays quiet on the demo."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text, select

from cuspdesk.db import Actor, Database
from cuspdesk.errors import PermissionDeniedError
from cuspdesk.models import Base
from cuspdesk.resources import resource_path
from cuspdesk.services import sensitive
from cuspdesk.services.demo import create_demo_unit
from cuspdesk.services.sensitive import (
    DATE_OF_BIRTH,
    GREAT_AGE,
    NATIONAL_NUMBER,
    PHONE_NUMBER,
    RECORD_NUMBER,
    find_identifiers,
    scan_fields,
)

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Pt MRN 12345678 fell at 03:10", RECORD_NUMBER, "MRN 12345678"),
        ("mrn: A1234567", RECORD_NUMBER, "mrn: A1234567"),
        ("Medical record no. 44-12-391", RECORD_NUMBER, "Medical record no. 44-12-391"),
        ("Hospital number 009 887 12", RECORD_NUMBER, "Hospital number 009 887 12"),
        ("wrong label on 4412391 bag", RECORD_NUMBER, "4412391"),
        ("DOB 12/03/1941, wrong wristband", DATE_OF_BIRTH, "DOB 12/03/1941"),
        ("D.O.B.: 1941-03-12", DATE_OF_BIRTH, "D.O.B.: 1941-03-12"),
        ("date of birth 12 March 1941", DATE_OF_BIRTH, "date of birth 12 March 1941"),
        ("born on March 12, 1941", DATE_OF_BIRTH, "born on March 12, 1941"),
        ("84-year-old (12/03/1941) fell", DATE_OF_BIRTH, "12/03/1941"),
        ("seen 3/2/42 after the fall", DATE_OF_BIRTH, "3/2/42"),
        ("A 94 yo patient fell", GREAT_AGE, "94 yo"),
        ("102-year-old with a pressure injury", GREAT_AGE, "102-year-old"),
        ("daughter on 555-123-4567", PHONE_NUMBER, "555-123-4567"),
        ("call (555) 123-4567 tonight", PHONE_NUMBER, "(555) 123-4567"),
        ("son on +44 20 7946 0958", PHONE_NUMBER, "+44 20 7946 0958"),
        ("mobile 07700 900123", PHONE_NUMBER, "07700 900123"),
        ("NHS 943 476 5919 on the form", NATIONAL_NUMBER, "943 476 5919"),
        ("SSN 123-45-6789", NATIONAL_NUMBER, "123-45-6789"),
    ],
)
def test_identifiers_are_found(text: str, kind: str, found: str) -> None:
    hits = find_identifiers(text, today=TODAY)
    assert [(h.kind, h.text) for h in hits] == [(kind, found)]
    hit = hits[0]
    assert text[hit.start : hit.end].strip() == found
    assert hit.message == f"“{found}” looks like a {kind}."


@pytest.mark.parametrize(
    "text",
    [
        "Bed exit alarm on bed 12 does not sound at the nurses' station.",
        "Heparin 5,000 units and 10,000 units stored side by side.",
        "Rooms 14–18 share two pumps; 92% compliant for 6 weeks.",
        "Event report ER-2025-4412 filed.",
        "Restock daily at 07:00; huddle at 09:45 for 10 minutes.",
        "An 78-year-old patient on day 2 after surgery fell at 03:10.",
        "A 78-year-old patient fell on 2026-02-01 in room 7.",
        "Two identifiers (name and DOB) not checked before the transfusion.",
        "Check MRN against the wristband every time.",
        "0.9 FTE float position; 1,000 patient-days; SIR below 0.5.",
        "Review due 2026-03-31, next round 31/03/2026.",
        "Extension 4455 for biomed; bleep 2231.",
        "Version 6.2.1 of the pump library.",
        "",
        "No digits at all, just words and émojis 🩺.",
    ],
)
def test_ordinary_safety_writing_is_left_alone(text: str) -> None:
    assert find_identifiers(text, today=TODAY) == []


def test_ten_digit_numbers_that_fail_the_nhs_check_are_not_nhs_numbers() -> None:
    assert find_identifiers("943 476 5918", today=TODAY)[0].kind == PHONE_NUMBER
    assert find_identifiers("9434765918", today=TODAY)[0].kind == RECORD_NUMBER


def test_several_hits_come_in_reading_order_without_overlaps() -> None:
    text = "Pt MRN 1234567, DOB 01/02/1939, daughter 555-123-4567."
    hits = find_identifiers(text, today=TODAY)
    assert [h.kind for h in hits] == [RECORD_NUMBER, DATE_OF_BIRTH, PHONE_NUMBER]
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))


def test_scan_fields_names_the_field() -> None:
    found = scan_fields({"description": "MRN 1234567", "action_plan": "Retrain staff"})
    assert [(name, hit.kind) for name, hit in found] == [("description", RECORD_NUMBER)]


def _text_columns() -> list[tuple[str, str]]:
    skip_tables = {"audit_event", "app_setting", "draft", "alembic_version"}
    skip_columns = {"uuid", "entity_uuid", "os_user", "contact"}
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        if table.name not in skip_tables
        for column in table.columns
        if isinstance(column.type, String | Text) and column.name not in skip_columns
    ]


def test_the_demo_unit_raises_no_false_alarm(db: Database) -> None:
    """Every text the sample unit stores, read back from the database, is clean."""
    create_demo_unit(db)
    checked = 0
    with db.reader() as session:
        for table_name, column_name in _text_columns():
            table = Base.metadata.tables[table_name]
            for (value,) in session.execute(select(table.c[column_name])):
                if isinstance(value, str) and value:
                    checked += 1
                    assert find_identifiers(value) == [], f"{table_name}.{column_name}: {value}"
    assert checked > 500


def test_the_sample_words_raise_no_false_alarm() -> None:
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    raw = json.loads(resource_path("sample", "demo_unit.json").read_text(encoding="utf-8"))
    texts = strings(raw)
    assert len(texts) > 100
    assert [t for t in texts if find_identifiers(t)] == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_is_checked_without_crashing(text: str) -> None:
    hits = find_identifiers(text)
    assert hits == sorted(hits, key=lambda h: h.start)
    for hit in hits:
        assert text[hit.start : hit.end].strip() == hit.text
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1_000_000, max_value=99_999_999_999), st.text(max_size=20))
def test_a_record_number_is_found_whatever_surrounds_it(number: int, words: str) -> None:
    text = f"{words.replace(chr(10), ' ')} MRN {number} checked"
    assert any(h.kind == RECORD_NUMBER for h in find_identifiers(text))


def test_a_megabyte_of_text_is_checked() -> None:
    text = ("Bed 12 alarm not heard; 92% of staff agree. " * 25_000) + "MRN 1234567"
    hits = find_identifiers(text)
    assert [h.text for h in hits] == ["MRN 1234567"]


def test_the_check_can_be_turned_off_by_the_team_leader(any_db: Database) -> None:
    assert sensitive.identifier_check_enabled(any_db)
    sensitive.set_identifier_check(any_db, False)
    assert not sensitive.identifier_check_enabled(any_db)
    any_db.actor = Actor(any_db.actor.os_user, "nurse_manager")
    with pytest.raises(PermissionDeniedError):
        sensitive.set_identifier_check(any_db, True)
    assert not sensitive.identifier_check_enabled(any_db)
