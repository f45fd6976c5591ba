"""Units, people and the team, the executive partner, editable lists and aims."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import Team, issue_fields
from sentences import assert_plain_sentence

from cuspdesk.db import Database
from cuspdesk.errors import NotFoundError, ValidationError
from cuspdesk.services import issues, measures, units
from cuspdesk.services.audit import list_audit_events
from cuspdesk.services.validation import today

# --- units ---------------------------------------------------------------------------


def test_a_unit_is_saved_with_its_details(any_db: Database) -> None:
    info = units.create_unit(
        any_db,
        units.UnitFields(
            name="  4 East Cardiac Step-down ",
            hospital="Riverside General",
            service_line="Cardiology",
            bed_count=0,
            cusp_start_date=date(2025, 2, 1),
            confidentiality_footer="Confidential patient safety work product.",
        ),
    )
    again = units.get_unit(any_db, info.id)
    assert again == info
    assert again.name == "4 East Cardiac Step-down"
    assert again.bed_count == 0
    assert again.version == 1
    assert not again.archived
    assert len(again.uuid) == 36


@pytest.mark.parametrize(
    "name",
    ["Unité de soins intensifs", "重症监护室 3楼", "وحدة العناية المركزة", "NICU 👶 Level IV"],
)
def test_unit_names_in_any_script_round_trip(any_db: Database, name: str) -> None:
    info = units.create_unit(any_db, units.UnitFields(name=name))
    assert units.get_unit(any_db, info.id).name == name
    assert units.find_unit(any_db, name.upper()).id == info.id


def test_every_unit_problem_is_reported_at_once(any_db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        units.create_unit(
            any_db,
            units.UnitFields(
                name=" ",
                hospital="Riverside\nGeneral",
                bed_count=10_001,
                cusp_start_date=date(1900, 1, 1),
                confidentiality_footer="x" * 501,
            ),
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("name", "The unit name is needed."),
        ("hospital", "The hospital name must fit on one line."),
        ("bed_count", "The number of beds must be between 0 and 10,000."),
        (
            "cusp_start_date",
            "The CUSP start date must be between 1950 and 2100 (1900-01-01 was given).",
        ),
        (
            "confidentiality_footer",
            "The confidentiality footer is too long (501 characters; the limit is 500).",
        ),
    ]
    for problem in caught.value.problems:
        assert_plain_sentence(problem.message)
    assert units.list_units(any_db) == []


def test_a_negative_bed_count_is_refused(any_db: Database) -> None:
    with pytest.raises(ValidationError, match="between 0 and 10,000"):
        units.create_unit(any_db, units.UnitFields(name="PICU", bed_count=-1))


@pytest.mark.parametrize("clash", ["5 west medical", "5 WEST MEDICAL", " 5 West Medical "])
def test_unit_names_are_unique_whatever_the_case(
    any_db: Database, unit: units.UnitInfo, clash: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        units.create_unit(any_db, units.UnitFields(name=clash))
    assert str(caught.value) == f"There is already a unit called “{clash.strip()}”."
    assert caught.value.field == "name"


def test_accented_unit_names_clash_whatever_the_case(any_db: Database) -> None:
    units.create_unit(any_db, units.UnitFields(name="Unité Érable"))
    with pytest.raises(ValidationError, match="already a unit"):
        units.create_unit(any_db, units.UnitFields(name="UNITÉ ÉRABLE"))


def test_a_unit_keeps_its_own_name_when_edited(any_db: Database, unit: units.UnitInfo) -> None:
    updated = units.update_unit(
        any_db, unit.id, units.UnitFields(name="5 WEST MEDICAL", bed_count=30)
    )
    assert updated.name == "5 WEST MEDICAL"
    assert updated.bed_count == 30
    assert updated.version == unit.version + 1
    other = units.create_unit(any_db, units.UnitFields(name="ICU"))
    with pytest.raises(ValidationError, match="already a unit called “icu”"):
        units.update_unit(any_db, unit.id, units.UnitFields(name="icu"))
    assert units.get_unit(any_db, other.id).name == "ICU"


def test_units_are_listed_by_name_and_archived_ones_hidden(any_db: Database) -> None:
    for name in ("b ward", "A ward", "C ward"):
        units.create_unit(any_db, units.UnitFields(name=name))
    listed = units.list_units(any_db)
    assert [u.name for u in listed] == ["A ward", "b ward", "C ward"]
    with pytest.raises(ValidationError, match="The reason is needed."):
        units.archive_unit(any_db, listed[0].id, "  ")
    units.archive_unit(any_db, listed[0].id, "Merged into C ward.")
    assert [u.name for u in units.list_units(any_db)] == ["b ward", "C ward"]
    everything = units.list_units(any_db, include_archived=True)
    assert [u.archived for u in everything] == [True, False, False]


def test_find_unit_by_name_or_the_only_one(any_db: Database) -> None:
    with pytest.raises(NotFoundError) as none:
        units.find_unit(any_db, None)
    assert str(none.value) == (
        "The database has no unit yet; create one in the app or run “cuspdesk demo”."
    )
    first = units.create_unit(any_db, units.UnitFields(name="5 West Medical"))
    assert units.find_unit(any_db, None).id == first.id
    assert units.find_unit(any_db, "  ").id == first.id
    units.create_unit(any_db, units.UnitFields(name="ICU"))
    with pytest.raises(ValidationError) as several:
        units.find_unit(any_db, None)
    assert str(several.value) == (
        "The database holds several units; choose one with --unit (5 West Medical, ICU)."
    )
    assert units.find_unit(any_db, " icu ").name == "ICU"
    with pytest.raises(NotFoundError) as missing:
        units.find_unit(any_db, " PICU ")
    assert str(missing.value) == "There is no unit called “PICU” in this database."


def test_a_missing_unit_is_not_found(any_db: Database) -> None:
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        units.get_unit(any_db, 999)
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        units.update_unit(any_db, 999, units.UnitFields(name="x"))


# --- editable lists ------------------------------------------------------------------


def test_a_new_database_gets_the_default_lists(any_db: Database, unit: units.UnitInfo) -> None:
    for list_name, defaults in units.DEFAULT_LISTS.items():
        got = units.list_choices(any_db, list_name)
        assert [(c.label, c.key) for c in got] == defaults
        assert all(c.unit_id is None and c.active for c in got)
    with any_db.session() as session:
        units.ensure_default_lists(session)
    assert len(units.list_choices(any_db, units.CATEGORY_LIST)) == 9


def test_an_unknown_list_is_refused(any_db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        units.list_choices(any_db, "colours")
    assert str(caught.value) == "There is no list called “colours”."
    with pytest.raises(ValidationError):
        units.add_choice(any_db, "colours", "Red")


def test_a_hospital_adds_its_own_category(any_db: Database, unit: units.UnitInfo) -> None:
    added = units.add_choice(any_db, units.CATEGORY_LIST, "  Blood transfusion ")
    assert added.label == "Blood transfusion"
    assert added.key is None
    labels = [c.label for c in units.list_choices(any_db, units.CATEGORY_LIST)]
    assert labels[-1] == "Blood transfusion"


def test_a_unit_only_entry_shows_only_for_that_unit(any_db: Database, unit: units.UnitInfo) -> None:
    other = units.create_unit(any_db, units.UnitFields(name="ICU"))
    units.add_choice(any_db, units.CATEGORY_LIST, "Telemetry", unit_id=unit.id)
    mine = [c.label for c in units.list_choices(any_db, units.CATEGORY_LIST, unit_id=unit.id)]
    theirs = [c.label for c in units.list_choices(any_db, units.CATEGORY_LIST, unit_id=other.id)]
    shared = [c.label for c in units.list_choices(any_db, units.CATEGORY_LIST)]
    assert "Telemetry" in mine
    assert "Telemetry" not in theirs
    assert "Telemetry" not in shared
    # Another unit may use the same label for its own entry.
    units.add_choice(any_db, units.CATEGORY_LIST, "Telemetry", unit_id=other.id)


@pytest.mark.parametrize("label", ["falls", "FALLS", " Falls "])
def test_duplicate_list_entries_are_refused_whatever_the_case(
    any_db: Database, unit: units.UnitInfo, label: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        units.add_choice(any_db, units.CATEGORY_LIST, label)
    assert str(caught.value) == f"“{label.strip()}” is already in the list."
    assert caught.value.field == "label"
    with pytest.raises(ValidationError, match="already in the list"):
        units.add_choice(any_db, units.CATEGORY_LIST, label, unit_id=unit.id)


def test_accented_list_entries_clash_whatever_the_case(
    any_db: Database, unit: units.UnitInfo
) -> None:
    units.add_choice(any_db, units.CATEGORY_LIST, "Éducation des patients")
    with pytest.raises(ValidationError, match="already in the list"):
        units.add_choice(any_db, units.CATEGORY_LIST, "éducation DES PATIENTS")


def test_renaming_an_entry_keeps_its_key_and_refuses_clashes(
    any_db: Database, unit: units.UnitInfo, categories: dict[str, int]
) -> None:
    renamed = units.rename_choice(any_db, categories["falls"], "Falls and mobility")
    assert renamed.key == "falls"
    assert units.choice_by_key(any_db, units.CATEGORY_LIST, "falls") == renamed
    assert units.rename_choice(any_db, categories["falls"], "FALLS AND MOBILITY").label == (
        "FALLS AND MOBILITY"
    )
    with pytest.raises(ValidationError, match="“medication” is already in the list."):
        units.rename_choice(any_db, categories["falls"], "medication")
    with pytest.raises(ValidationError, match="The name is needed."):
        units.rename_choice(any_db, categories["falls"], "")
    with pytest.raises(NotFoundError, match="That list entry no longer exists."):
        units.rename_choice(any_db, 99999, "x")
    assert units.choice_by_key(any_db, units.CATEGORY_LIST, "no-such-key") is None


def test_a_retired_entry_leaves_the_pick_list_but_old_records_keep_it(
    any_db: Database, unit: units.UnitInfo, categories: dict[str, int]
) -> None:
    issue = issues.create_issue(any_db, unit.id, issue_fields(category_id=categories["equipment"]))
    retired = units.set_choice_active(any_db, categories["equipment"], False)
    assert not retired.active
    labels = [c.label for c in units.list_choices(any_db, units.CATEGORY_LIST)]
    assert "Equipment" not in labels
    everything = units.list_choices(any_db, units.CATEGORY_LIST, include_inactive=True)
    assert "Equipment" in [c.label for c in everything]
    assert issues.get_issue(any_db, issue.id).category_label == "Equipment"
    row = issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).rows[0]
    assert row.category == "Equipment"
    units.set_choice_active(any_db, categories["equipment"], True)
    assert "Equipment" in [c.label for c in units.list_choices(any_db, units.CATEGORY_LIST)]


def test_list_entries_move_up_and_down(
    any_db: Database, unit: units.UnitInfo, categories: dict[str, int]
) -> None:
    def order() -> list[str]:
        return [c.key or c.label for c in units.list_choices(any_db, units.CATEGORY_LIST)]

    units.move_choice(any_db, categories["other"], -100)
    assert order()[0] == "other"
    units.move_choice(any_db, categories["other"], 1)
    assert order()[:2] == ["communication", "other"]
    units.move_choice(any_db, categories["communication"], 100)
    assert order()[-1] == "communication"
    positions = [c.position for c in units.list_choices(any_db, units.CATEGORY_LIST)]
    assert positions == list(range(len(positions)))


# --- people and the team -------------------------------------------------------------


def test_team_members_are_listed_by_name_with_their_roles(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    members = units.list_team(any_db, unit.id)
    assert [(m.full_name, m.role_key) for m in members] == [
        ("Carol Whitfield", "executive_partner"),
        ("Daniel Reyes", "nurse_manager"),
        ("Maria Okafor", "champion"),
        ("Zoë Lefèvre", "staff"),
    ]
    assert members[0].role_label == "Executive partner"


def test_a_person_joins_a_second_unit_once(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    icu = units.create_unit(any_db, units.UnitFields(name="ICU"))
    added = units.add_team_member(any_db, icu.id, units.PersonFields(""), person_id=team.champion)
    assert added.full_name == "Maria Okafor"
    assert added.role_id is None
    with pytest.raises(ValidationError) as caught:
        units.add_team_member(any_db, icu.id, units.PersonFields(""), person_id=team.champion)
    assert str(caught.value) == "Maria Okafor is already on this unit's team."
    with pytest.raises(NotFoundError, match="That person is no longer in the database."):
        units.add_team_member(any_db, icu.id, units.PersonFields(""), person_id=12345)
    with pytest.raises(NotFoundError, match="That unit no longer exists."):
        units.add_team_member(any_db, 12345, units.PersonFields("Ann Lee"))


def test_a_new_member_needs_a_name(any_db: Database, unit: units.UnitInfo) -> None:
    with pytest.raises(ValidationError) as caught:
        units.add_team_member(any_db, unit.id, units.PersonFields(" ", "Nurse\nnights", "x" * 201))
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("full_name", "The person's name is needed."),
        ("title", "The job title must fit on one line."),
        ("contact", "The contact details is too long (201 characters; the limit is 200)."),
    ]
    assert units.list_team(any_db, unit.id) == []
    assert units.list_people(any_db) == []


def test_a_member_who_leaves_is_kept_but_hidden(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    member = next(m for m in units.list_team(any_db, unit.id) if m.person_id == team.nurse)
    roles = {c.key: c.id for c in units.list_choices(any_db, units.ROLE_LIST)}
    updated = units.update_team_member(
        any_db,
        member.member_id,
        units.PersonFields("Zoë Lefèvre-Martin", "PCT", "ext 4411"),
        role_id=roles["other"],
        active=False,
    )
    assert updated.full_name == "Zoë Lefèvre-Martin"
    assert updated.role_key == "other"
    assert not updated.active
    assert team.nurse not in [m.person_id for m in units.list_team(any_db, unit.id)]
    everyone = units.list_team(any_db, unit.id, include_inactive=True)
    assert team.nurse in [m.person_id for m in everyone]
    with pytest.raises(NotFoundError, match="That team member is no longer on the team."):
        units.update_team_member(any_db, 9999, units.PersonFields("x"), role_id=None, active=True)


def test_people_are_created_edited_and_listed(any_db: Database) -> None:
    ann = units.create_person(any_db, units.PersonFields(" Ann Lee ", "RN"))
    units.create_person(any_db, units.PersonFields("bob Stone"))
    assert [p.full_name for p in units.list_people(any_db)] == ["Ann Lee", "bob Stone"]
    edited = units.update_person(any_db, ann.id, units.PersonFields("Ann Lee-Park", "CNS"))
    assert (edited.full_name, edited.title) == ("Ann Lee-Park", "CNS")
    with pytest.raises(NotFoundError):
        units.update_person(any_db, 4242, units.PersonFields("Nobody"))
    with pytest.raises(ValidationError, match="The person's name is needed."):
        units.create_person(any_db, units.PersonFields(""))


# --- executive partner ---------------------------------------------------------------


def test_a_new_executive_partner_ends_the_previous_term_the_day_before(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    first = units.assign_executive_partner(any_db, unit.id, team.executive, date(2025, 1, 6))
    assert (first.full_name, first.start_date, first.end_date) == (
        "Carol Whitfield",
        date(2025, 1, 6),
        None,
    )
    # Naming the same person again changes nothing.
    assert units.assign_executive_partner(any_db, unit.id, team.executive, date(2025, 6, 1)) == (
        first
    )
    cmo = units.create_person(any_db, units.PersonFields("Dr. Samuel Ito", "CMO"))
    second = units.assign_executive_partner(any_db, unit.id, cmo.id, date(2026, 3, 1))
    assert second.start_date == date(2026, 3, 1)
    on_feb_28 = units.current_executive_partner(any_db, unit.id, date(2026, 2, 28))
    assert on_feb_28 is not None
    assert on_feb_28.full_name == "Carol Whitfield"
    assert on_feb_28.end_date == date(2026, 2, 28)
    on_mar_1 = units.current_executive_partner(any_db, unit.id, date(2026, 3, 1))
    assert on_mar_1 is not None
    assert on_mar_1.full_name == "Dr. Samuel Ito"
    assert units.current_executive_partner(any_db, unit.id, date(2024, 12, 31)) is None


def test_a_new_partner_must_start_after_the_current_one(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    units.assign_executive_partner(any_db, unit.id, team.executive, date(2025, 1, 6))
    with pytest.raises(ValidationError) as caught:
        units.assign_executive_partner(any_db, unit.id, team.champion, date(2025, 1, 6))
    assert str(caught.value) == (
        "The new executive partner must start after the current one started (2025-01-06)."
    )
    assert caught.value.field == "start_date"
    current = units.current_executive_partner(any_db, unit.id, date(2026, 1, 1))
    assert current is not None
    assert current.end_date is None
    assert current.person_id == team.executive


def test_partner_defaults_to_today_and_checks_the_person(
    any_db: Database, unit: units.UnitInfo, team: Team
) -> None:
    info = units.assign_executive_partner(any_db, unit.id, team.executive)
    assert info.start_date == today()
    assert units.current_executive_partner(any_db, unit.id) == info
    with pytest.raises(NotFoundError):
        units.assign_executive_partner(any_db, unit.id, 9999)
    with pytest.raises(ValidationError, match="between 1950 and 2100"):
        units.assign_executive_partner(any_db, unit.id, team.executive, date(1900, 1, 1))


# --- strategic aims ------------------------------------------------------------------


def test_aims_with_goals_are_saved_in_order(any_db: Database, unit: units.UnitInfo) -> None:
    falls = units.create_aim(
        any_db,
        unit.id,
        units.AimFields(
            "No preventable harm from falls",
            "Bundle in place every shift.",
            "Halve falls with injury.",
            [
                units.GoalFields("Falls with injury below 0.5", None, 0.5, date(2026, 12, 31)),
                units.GoalFields("  Bundle audit 95% compliant  "),
            ],
        ),
    )
    units.create_aim(any_db, unit.id, units.AimFields("Zero CLABSI"))
    aims = units.list_aims(any_db, unit.id)
    assert [a.title for a in aims] == ["No preventable harm from falls", "Zero CLABSI"]
    assert [a.position for a in aims] == [1, 2]
    assert [g.description for g in falls.goals] == [
        "Falls with injury below 0.5",
        "Bundle audit 95% compliant",
    ]
    assert falls.goals[0].target_value == 0.5


def test_editing_an_aim_replaces_its_goals_and_audits_the_removed_one(
    any_db: Database, unit: units.UnitInfo
) -> None:
    aim = units.create_aim(
        any_db,
        unit.id,
        units.AimFields("Speak up", goals=[units.GoalFields("A"), units.GoalFields("B")]),
    )
    removed_id = aim.goals[1].id
    edited = units.update_aim(
        any_db, aim.id, units.AimFields("Everyone speaks up", goals=[units.GoalFields("A2")])
    )
    assert edited.title == "Everyone speaks up"
    assert [(g.id, g.description) for g in edited.goals] == [(aim.goals[0].id, "A2")]
    deleted = list_audit_events(any_db, entity="goal", entity_id=removed_id)
    assert [e.action for e in deleted] == ["delete", "create"]
    assert '"description": "B"' in (deleted[0].old_value or "")
    with pytest.raises(NotFoundError, match="That aim no longer exists."):
        units.update_aim(any_db, 999, units.AimFields("x"))


def test_aim_problems_name_the_goal(any_db: Database, unit: units.UnitInfo) -> None:
    with pytest.raises(ValidationError) as caught:
        units.create_aim(
            any_db,
            unit.id,
            units.AimFields(
                "",
                goals=[
                    units.GoalFields("ok"),
                    units.GoalFields(" ", target_value=float("nan")),
                    units.GoalFields("late", due_date=date(2200, 1, 1)),
                ],
            ),
        )
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("title", "The aim is needed."),
        ("goals.2", "Goal 2 is needed."),
        ("goals.2", "Goal 2's target value must be a number."),
        ("goals.3", "Goal 3's due date must be between 1950 and 2100 (2200-01-01 was given)."),
    ]
    assert units.list_aims(any_db, unit.id) == []
    with pytest.raises(NotFoundError):
        units.create_aim(any_db, 999, units.AimFields("x"))


def test_unit_dates_relative_to_today_are_fine(any_db: Database) -> None:
    info = units.create_unit(
        any_db, units.UnitFields(name="New unit", cusp_start_date=today() + timedelta(days=30))
    )
    assert info.cusp_start_date == today() + timedelta(days=30)


def test_a_role_must_come_from_the_roles_list(
    any_db: Database, unit: units.UnitInfo, team: Team, categories: dict[str, int]
) -> None:
    with pytest.raises(ValidationError) as caught:
        units.add_team_member(
            any_db, unit.id, units.PersonFields("Ann Lee"), role_id=categories["falls"]
        )
    assert (caught.value.field, str(caught.value)) == ("role_id", "Choose a role from the list.")
    assert "Ann Lee" not in [p.full_name for p in units.list_people(any_db)]
    member = units.list_team(any_db, unit.id)[0]
    with pytest.raises(ValidationError, match="Choose a role from the list."):
        units.update_team_member(
            any_db,
            member.member_id,
            units.PersonFields(member.full_name),
            role_id=categories["falls"],
            active=True,
        )
    with pytest.raises(NotFoundError, match="That list entry no longer exists."):
        units.add_team_member(any_db, unit.id, units.PersonFields("Bo"), role_id=987654)


def test_a_goal_reads_one_of_this_units_measures(any_db: Database, unit: units.UnitInfo) -> None:
    icu = units.create_unit(any_db, units.UnitFields(name="ICU"))
    theirs = measures.create_measure(any_db, icu.id, measures.MeasureFields("CLABSI"))
    mine = measures.create_measure(any_db, unit.id, measures.MeasureFields("Falls"))
    for measure_id in (theirs.id, 4242):
        with pytest.raises(ValidationError) as caught:
            units.create_aim(
                any_db,
                unit.id,
                units.AimFields(
                    "Zero harm",
                    goals=[units.GoalFields("ok", mine.id), units.GoalFields("x", measure_id)],
                ),
            )
        assert [(p.field, p.message) for p in caught.value.problems] == [
            ("goals.2", "Goal 2's measure is not one of this unit's measures.")
        ]
    assert units.list_aims(any_db, unit.id) == []
    aim = units.create_aim(
        any_db, unit.id, units.AimFields("Zero harm", goals=[units.GoalFields("ok", mine.id)])
    )
    with pytest.raises(ValidationError, match="Goal 1's measure is not one of this unit's"):
        units.update_aim(
            any_db, aim.id, units.AimFields("Zero harm", goals=[units.GoalFields("x", theirs.id)])
        )
    assert units.list_aims(any_db, unit.id)[0].goals[0].measure_id == mine.id
