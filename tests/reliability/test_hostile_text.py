"""Hostile text thrown at every service that stores words, on SQLite and PostgreSQL.

Every string is either stored and read back exactly as typed (surrounding
spaces trimmed, which the forms say they do) or refused with a plain
ValidationError, and a refusal changes nothing that was already saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import assert_plain_message

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.services import (
    assessments,
    defects,
    drafts,
    issues,
    measures,
    meetings,
    rounds,
    sensitive,
    units,
)
from cuspdesk.services.findings import FindingFields

YESTERDAY = date.today() - timedelta(days=1)
ONE_MB = ("Pump alarm unheard; staff borrowed a pump. " * 25_000)[:1_000_000]
TEN_MB = "x" * 10_000_000

# name -> text; what each must survive is said by the kind of field it goes into.
HOSTILE: dict[str, str] = {
    "empty": "",
    "whitespace only": " \t \n  ",
    "padded": "   Bed 12 alarm   ",
    "one megabyte": ONE_MB,
    "ten megabytes": TEN_MB,
    "NUL byte": "before\x00after",
    "other control characters": "bell\x07 and escape\x1b[31m",
    "combining marks": "Zoë Lefèvre, Ångström, n̈, é (e + \u0301), Z̤͔ͧ̑̓ä͖̭̈̇",
    "right to left": "ممرضة الليل \u202etxet desrever\u202c עברית",
    "emoji with joiners": "👩🏽\u200d⚕️ 🩺 🇬🇧 ❤️\u200d🔥",
    "CJK": "患者安全 病棟 看護師 안전 라운드",
    "astral plane": "𝔘𝔫𝔦𝔱 𝟓 𐍈 𓀀 \U0010fffd",
    "ReportLab markup": '<b>bold</b> <img src="/etc/passwd"/> <para>x</para> <font size=99>',
    "XML entities": "&amp; &lt;tag&gt; &#x41; &bogus; ]]> <![CDATA[x]]>",
    "formula =": '=HYPERLINK("http://evil.example","Click")',
    "formula +": "+1+1",
    "formula -": "-2+3",
    "formula @": "@SUM(A1:A9)",
    "SQL": "'; DROP TABLE safety_issue; --",
    "LIKE wildcards": r"100% of _all_ \\ pumps",
    "line breaks": "first line\r\nsecond line\nthird",
    "unicode line separator": "one\u2028two\u2029three",
    "byte order mark": "\ufeffstarts with a BOM",
    "noncharacters": "end \uffff \ufffe",
}


@dataclass
class Target:
    """One place text goes in: how to save it and how to read it back."""

    name: str
    save: Callable[[Database, dict[str, int], str], Any]
    read: Callable[[Database, dict[str, int], Any], str]
    single_line: bool = False
    required: bool = False
    limit: int = 2_000_000


def _issue_fields(description: str = "Baseline issue") -> issues.IssueFields:
    return issues.IssueFields(description=description, date_identified=YESTERDAY)


def _update_issue(db: Database, ids: dict[str, int], field: str, text: str) -> int:
    seen = issues.get_issue(db, ids["issue"])
    issues.update_issue(
        db,
        ids["issue"],
        replace(seen.fields, **{field: text}),
        expected_version=seen.version,
    )
    return ids["issue"]


def _field_of_issue(field: str) -> Callable[[Database, dict[str, int], Any], str]:
    return lambda db, ids, issue_id: str(getattr(issues.get_issue(db, issue_id).fields, field))


TARGETS: list[Target] = [
    Target(
        "issue description",
        lambda db, ids, t: issues.create_issue(db, ids["unit"], _issue_fields(t)).id,
        _field_of_issue("description"),
        required=True,
    ),
    Target(
        "issue action plan",
        lambda db, ids, t: _update_issue(db, ids, "action_plan", t),
        _field_of_issue("action_plan"),
    ),
    Target(
        "issue location",
        lambda db, ids, t: _update_issue(db, ids, "location", t),
        _field_of_issue("location"),
        single_line=True,
        limit=200,
    ),
    Target(
        "follow-up note",
        lambda db, ids, t: issues.add_note(db, ids["issue"], t).id,
        lambda db, ids, note_id: next(
            n.text for n in issues.get_issue(db, ids["issue"]).notes if n.id == note_id
        ),
        required=True,
    ),
    Target(
        "unit name",
        lambda db, ids, t: units.create_unit(db, units.UnitFields(name=t)).id,
        lambda db, ids, unit_id: units.get_unit(db, unit_id).name,
        single_line=True,
        required=True,
        limit=200,
    ),
    Target(
        "person's name",
        lambda db, ids, t: units.create_person(db, units.PersonFields(full_name=t)).id,
        lambda db, ids, person_id: next(
            p.full_name for p in units.list_people(db) if p.id == person_id
        ),
        single_line=True,
        required=True,
        limit=200,
    ),
    Target(
        "category label",
        lambda db, ids, t: units.add_choice(db, units.CATEGORY_LIST, t).id,
        lambda db, ids, choice_id: next(
            c.label for c in units.list_choices(db, units.CATEGORY_LIST) if c.id == choice_id
        ),
        single_line=True,
        required=True,
        limit=200,
    ),
    Target(
        "meeting notes",
        lambda db, ids, t: (
            meetings.create_meeting(
                db,
                ids["unit"],
                meetings.MeetingFields(meeting_date=YESTERDAY, notes=t, decisions=["Fund it"]),
            ).id
        ),
        lambda db, ids, meeting_id: meetings.get_meeting(db, meeting_id).fields.notes,
    ),
    Target(
        "safety round finding",
        lambda db, ids, t: (
            rounds.create_round(
                db,
                ids["unit"],
                rounds.RoundFields(round_date=YESTERDAY, area="Bay 3"),
                [FindingFields(description=t)],
            ).id
        ),
        lambda db, ids, round_id: (
            rounds.get_round(db, round_id).findings[0].description
            if rounds.get_round(db, round_id).findings
            else ""
        ),
    ),
    Target(
        "staff assessment answer",
        lambda db, ids, t: (
            assessments.create_response(
                db, ids["unit"], assessments.AssessmentFields(YESTERDAY, t)
            ).id
        ),
        lambda db, ids, response_id: next(
            r.harm_answer
            for r in assessments.list_responses(db, ids["unit"])
            if r.id == response_id
        ),
        required=True,
    ),
    Target(
        "defect review story",
        lambda db, ids, t: (
            defects.create_review(
                db,
                ids["unit"],
                defects.DefectFields(review_date=YESTERDAY, title="Missed dose", what_happened=t),
            ).id
        ),
        lambda db, ids, review_id: defects.get_review(db, review_id).fields.what_happened,
    ),
    Target(
        "measure name",
        lambda db, ids, t: (
            measures.create_measure(db, ids["unit"], measures.MeasureFields(name=t)).id
        ),
        lambda db, ids, measure_id: measures.get_measure(db, measure_id).fields.name,
        single_line=True,
        required=True,
        limit=200,
    ),
    Target(
        "chart annotation",
        lambda db, ids, t: measures.add_annotation(db, ids["measure"], YESTERDAY, t).id,
        lambda db, ids, annotation_id: next(
            a.text for a in measures.list_annotations(db, ids["measure"]) if a.id == annotation_id
        ),
        required=True,
        limit=300,
    ),
    Target(
        "strategic aim",
        lambda db, ids, t: units.create_aim(db, ids["unit"], units.AimFields(title=t)).id,
        lambda db, ids, aim_id: next(
            a.title for a in units.list_aims(db, ids["unit"]) if a.id == aim_id
        ),
        required=True,
        limit=300,
    ),
]


def _baseline(db: Database) -> dict[str, int]:
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    issue = issues.create_issue(db, unit.id, _issue_fields())
    issues.add_note(db, issue.id, "Baseline note")
    measure = measures.create_measure(db, unit.id, measures.MeasureFields(name="Falls"))
    return {"unit": unit.id, "issue": issue.id, "measure": measure.id}


def _snapshot(db: Database, ids: dict[str, int]) -> tuple[Any, ...]:
    """What was saved before the hostile input; a refusal must leave it exactly so."""
    return (
        issues.get_issue(db, ids["issue"]),
        units.get_unit(db, ids["unit"]),
        issues.count_issues(db, ids["unit"]),
        len(units.list_people(db)),
        len(meetings.list_meetings(db, ids["unit"])),
        len(rounds.list_rounds(db, ids["unit"])),
        len(assessments.list_responses(db, ids["unit"])),
        len(defects.list_reviews(db, ids["unit"])),
        len(measures.list_measures(db, ids["unit"])),
        len(measures.list_annotations(db, ids["measure"])),
        len(units.list_aims(db, ids["unit"])),
        len(units.list_choices(db, units.CATEGORY_LIST)),
    )


def _expect_refusal(target: Target, text: str) -> str | None:
    """Why this text must be refused in this field, or None when it must be stored."""
    cleaned = text.strip()
    if not cleaned:
        return "is needed" if target.required else None
    if any(ch in cleaned for ch in "\x00\x07\x1b"):
        return "control characters"
    if len(cleaned) > target.limit:
        return "too long"
    if target.single_line and ("\n" in cleaned or "\r" in cleaned):
        return "one line"
    return None


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_hostile_text_is_kept_exactly_or_refused_plainly(any_db: Database, target: Target) -> None:
    ids = _baseline(any_db)
    for label, text in HOSTILE.items():
        before = _snapshot(any_db, ids)
        reason = _expect_refusal(target, text)
        try:
            record = target.save(any_db, ids, text)
        except ValidationError as exc:
            assert reason is not None, f"{target.name} refused {label}: {exc}"
            assert reason in str(exc), f"{target.name}/{label}: {exc}"
            assert_plain_message(str(exc))
            assert _snapshot(any_db, ids) == before, f"{target.name}/{label} changed saved data"
            continue
        assert reason is None, f"{target.name} stored {label} instead of refusing ({reason})"
        shown = target.read(any_db, ids, record)
        assert shown == text.strip(), f"{target.name}/{label} came back changed"


def test_duplicate_names_get_a_clear_message_or_are_kept_apart(any_db: Database) -> None:
    units.create_unit(any_db, units.UnitFields(name="5 North"))
    for same in ("5 North", "5 north", " 5 North "):
        with pytest.raises(ValidationError, match="already a unit called"):
            units.create_unit(any_db, units.UnitFields(name=same))
    units.add_choice(any_db, units.CATEGORY_LIST, "Alarms")
    with pytest.raises(ValidationError) as caught:
        units.add_choice(any_db, units.CATEGORY_LIST, "alarms")
    assert_plain_message(str(caught.value))
    # Two people may share a name; they stay two people.
    first = units.create_person(any_db, units.PersonFields("Ann Lee"))
    second = units.create_person(any_db, units.PersonFields("Ann Lee"))
    assert first.id != second.id
    assert [p.full_name for p in units.list_people(any_db)].count("Ann Lee") == 2


def test_search_takes_wildcards_literally(any_db: Database) -> None:
    ids = _baseline(any_db)
    literal = issues.create_issue(any_db, ids["unit"], _issue_fields(r"100% of _all_ \ pumps"))
    issues.create_issue(any_db, ids["unit"], _issue_fields("1000 of all pumps"))
    for text in ("100%", "_all_", "\\", "%", "_"):
        found = issues.list_issues(any_db, issues.IssueQuery(unit_id=ids["unit"], text=text))
        assert [r.id for r in found.rows] == [literal.id], text
    meetings.create_meeting(
        any_db, ids["unit"], meetings.MeetingFields(meeting_date=YESTERDAY, notes="50% agreed")
    )
    meetings.create_meeting(
        any_db, ids["unit"], meetings.MeetingFields(meeting_date=YESTERDAY, notes="500 agreed")
    )
    assert len(meetings.list_meetings(any_db, ids["unit"], text="50%")) == 1
    for text in HOSTILE.values():
        issues.list_issues(any_db, issues.IssueQuery(unit_id=ids["unit"], text=text[:5000]))


def test_drafts_keep_any_text(any_db: Database) -> None:
    for label, text in HOSTILE.items():
        if label == "ten megabytes":
            continue
        drafts.save_draft(any_db, "issue", "new", {"description": text})
        assert drafts.load_draft(any_db, "issue", "new") == {"description": text}, label


def test_the_identifier_check_survives_hostile_text() -> None:
    for text in HOSTILE.values():
        sensitive.find_identifiers(text)


_ROUND_TRIP = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_ROUND_TRIP
@given(text=st.text(min_size=0, max_size=400))
def test_any_text_round_trips_or_is_refused(any_db: Database, text: str) -> None:
    unit = units.list_units(any_db) or [units.create_unit(any_db, units.UnitFields(name="U"))]
    unit_id = unit[0].id
    count = issues.count_issues(any_db, unit_id).open
    try:
        made = issues.create_issue(any_db, unit_id, _issue_fields(text))
    except ValidationError as exc:
        assert_plain_message(str(exc))
        assert issues.count_issues(any_db, unit_id).open == count
        return
    assert issues.get_issue(any_db, made.id).fields.description == text.strip()
    found = issues.list_issues(any_db, issues.IssueQuery(unit_id=unit_id, text=text))
    if text.strip():
        assert made.id in [r.id for r in found.rows]


@_ROUND_TRIP
@given(text=st.text(min_size=1, max_size=200))
def test_any_single_line_name_round_trips_or_is_refused(any_db: Database, text: str) -> None:
    try:
        person = units.create_person(any_db, units.PersonFields(full_name=text))
    except ValidationError as exc:
        assert_plain_message(str(exc))
        return
    stored = next(p.full_name for p in units.list_people(any_db) if p.id == person.id)
    assert stored == text.strip()


def test_a_pasted_page_in_a_search_box_is_cut_to_a_few_words() -> None:
    """Each word is one more condition; a pasted page once kept PostgreSQL busy for minutes."""
    from cuspdesk.services.text_search import MAX_SEARCH_WORDS, search_words

    words = search_words(ONE_MB)
    assert len(words) == MAX_SEARCH_WORDS
    assert words == ONE_MB.split()[:MAX_SEARCH_WORDS]
