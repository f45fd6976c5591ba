"""The safety rounds screen, driven as a nurse would: by the controls' spoken names."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QTableView, QTreeWidget, QWidget

from cuspdesk.db import Database, open_database
from cuspdesk.services import issues, rounds, units
from cuspdesk.services.issues import IssueQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.rounds import RoundsScreen
from cuspdesk.ui.widgets.check_list import CheckList
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList, RatingPicker
from cuspdesk.ui.widgets.text_area import TextArea
from ui.qt_helpers import (
    DialogAnswerer,
    click,
    click_row,
    find,
    find_all,
    mnemonic_clashes,
    pick,
    tab_path,
    tick,
    type_into,
    unnamed_controls,
)

ROUND_DAY = date(2025, 6, 10)


def open_screen(qtbot: Any, context: AppContext) -> RoundsScreen:
    screen = RoundsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def fill_finding(screen: RoundsScreen, number: int, **values: Any) -> None:
    label = f"Finding {number}"
    if "description" in values:
        type_into(find(screen, TextArea, f"{label} description"), values["description"])
    if "category" in values:
        pick(find(screen, PickList, f"{label} category"), values["category"])
    if "location" in values:
        type_into(find(screen, QLineEdit, f"{label} location"), values["location"])
    if "owner" in values:
        pick(find(screen, PickList, f"{label} owner"), values["owner"])
    if "target" in values:
        find(screen, OptionalDateEdit, f"{label} target date").setValue(values["target"])
    if "likelihood" in values:
        pick(find(screen, RatingPicker, f"{label} likelihood"), str(values["likelihood"]))
    if "severity" in values:
        pick(find(screen, RatingPicker, f"{label} severity"), str(values["severity"]))


def start_round(screen: RoundsScreen, area: str = "Pods A and B") -> None:
    click(find(screen, QPushButton, "New safety round"))
    find(screen, OptionalDateEdit, "Date of the round").setValue(ROUND_DAY)
    type_into(find(screen, QLineEdit, "Area"), area)


def test_a_round_with_three_findings_makes_three_linked_issues(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(screen)
    pick(find(screen, PickList, "Executive on the round"), "Carla Jones")
    participants = find(screen, CheckList, "Participants")
    tick(participants, "Ana Costa (Unit champion / team leader)")
    tick(participants, "李 伟 (Staff)")
    tick(find(screen, CheckList, "Standard questions asked"), rounds.STANDARD_QUESTIONS[0])
    type_into(find(screen, TextArea, "Other questions asked"), "Who covers breaks at night?")
    fill_finding(
        screen,
        1,
        description="Bed alarm in bay 4 silenced",
        category="Falls",
        location="Bay 4",
        owner="Ben Osei",
        target=date(2025, 7, 1),
        likelihood=4,
        severity=3,
    )
    click(find(screen, QPushButton, "Add finding"))
    fill_finding(screen, 2, description="Heparin vials look alike", category="Medication")
    click(find(screen, QPushButton, "Add finding"))
    fill_finding(screen, 3, description="No spare suction at bed 7", location="Bed 7")
    assert screen.has_unsaved_changes()

    with qtbot.waitSignal(context.data_changed):
        click(find(screen, QPushButton, "Save safety round"))

    assert not screen.has_unsaved_changes()
    assert screen.errors.messages() == {}
    unit_id = small_unit["unit"].id
    [row] = rounds.list_rounds(context.db, unit_id)
    assert (row.round_date, row.area, row.finding_count, row.participant_count) == (
        ROUND_DAY,
        "Pods A and B",
        3,
        2,
    )
    detail = rounds.get_round(context.db, row.id)
    assert detail.executive_name == "Carla Jones"
    assert detail.fields.questions_asked == (
        f"{rounds.STANDARD_QUESTIONS[0]}\nWho covers breaks at night?"
    )
    page = issues.list_issues(context.db, IssueQuery(unit_id=unit_id))
    assert sorted(r.description for r in page.rows) == [
        "Bed alarm in bay 4 silenced",
        "Heparin vials look alike",
        "No spare suction at bed 7",
    ]
    assert {r.source for r in page.rows} == {"safety_round"}
    first = issues.get_issue_by_number(context.db, unit_id, min(r.number for r in page.rows))
    assert first.fields.round_id == row.id
    assert (first.fields.likelihood, first.fields.severity) == (4, 3)
    assert first.owner_name == "Ben Osei"
    assert first.fields.target_date == date(2025, 7, 1)

    # The saved findings are listed with their issue numbers and open their issue.
    existing = find(screen, QTreeWidget, "Findings already in the tracking log")
    assert existing.topLevelItemCount() == 3
    assert find_all(screen, QWidget, "Finding 1 description") == []
    with qtbot.waitSignal(context.open_record) as opened:
        click(find(screen, QPushButton, "Open the selected finding's issue"))
    assert opened.args[0] == "issue"
    assert opened.args[1] in {r.id for r in page.rows}


def test_a_finding_with_details_but_no_description_is_refused_and_kept(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(screen)
    fill_finding(screen, 1, description="Sharps bin overfull")
    click(find(screen, QPushButton, "Add finding"))
    fill_finding(screen, 2, location="Dirty utility room", category="Environment")

    click(find(screen, QPushButton, "Save safety round"))

    messages = screen.errors.messages()
    assert "Finding 2" in messages["findings.2.description"]
    assert "description is needed" in messages["findings.2.description"]
    assert screen.banner.isVisible()
    assert find(screen, QLineEdit, "Finding 2 location").text() == "Dirty utility room"
    assert find(screen, TextArea, "Finding 1 description").value() == "Sharps bin overfull"
    assert find(screen, QLineEdit, "Area").text() == "Pods A and B"
    assert screen.has_unsaved_changes()
    assert rounds.list_rounds(context.db, small_unit["unit"].id) == []
    assert issues.count_issues(context.db, small_unit["unit"].id).open == 0


def test_a_target_date_before_the_round_is_shown_beside_that_finding(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(screen)
    fill_finding(screen, 1, description="Crash cart check missed", target=date(2025, 6, 1))

    click(find(screen, QPushButton, "Save safety round"))

    message = screen.errors.messages()["findings.1.target_date"]
    assert "target date cannot be before" in message
    target = find(screen, OptionalDateEdit, "Finding 1 target date")
    assert target.value() == date(2025, 6, 1)
    assert target.hasFocus() or find(screen, TextArea, "Finding 1 description").value()
    assert rounds.list_rounds(context.db, small_unit["unit"].id) == []


def test_world_text_and_a_huge_note_are_stored_and_shown_exactly(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    area = "جناح ٤ — 病棟 🚑 <b>&amp;</b>"
    note = ("ملاحظة: المريض بخير. 患者は無事です。👩‍⚕️ <img src=x> & " * 20_000)[:1_000_000].strip()
    screen = open_screen(qtbot, context)
    start_round(screen, area=area)
    type_into(find(screen, TextArea, "Notes"), note)
    click(find(screen, QPushButton, "Save safety round"))
    assert screen.errors.messages() == {}

    [row] = rounds.list_rounds(context.db, small_unit["unit"].id)
    assert rounds.get_round(context.db, row.id).fields.notes == note
    click(find(screen, QPushButton, "New safety round"))
    assert find(screen, QLineEdit, "Area").text() == ""
    click_row(find(screen, QTableView, "Safety rounds"), area)
    assert find(screen, QLineEdit, "Area").text() == area
    assert find(screen, TextArea, "Notes").value() == note


def test_an_oversized_note_is_refused_beside_the_notes_and_kept(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(screen)
    note = "a" * 2_000_001
    type_into(find(screen, TextArea, "Notes"), note)
    click(find(screen, QPushButton, "Save safety round"))
    assert "too long" in screen.errors.messages()["notes"]
    assert len(find(screen, TextArea, "Notes").value()) == len(note)
    assert rounds.list_rounds(context.db, small_unit["unit"].id) == []


def test_leaving_a_changed_form_asks_first(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(screen, area="Night shift")
    assert screen.has_unsaved_changes()

    asked = DialogAnswerer().then("Cancel")
    click(find(screen, QPushButton, "New safety round"))
    assert asked.seen == [
        "Save your changes to this safety round?\nIf you discard them, what you typed is lost."
    ]
    assert find(screen, QLineEdit, "Area").text() == "Night shift"

    asked = DialogAnswerer().then("Save")
    click(find(screen, QPushButton, "New safety round"))
    assert asked.seen
    assert [r.area for r in rounds.list_rounds(context.db, small_unit["unit"].id)] == [
        "Night shift"
    ]
    assert find(screen, QLineEdit, "Area").text() == ""

    type_into(find(screen, QLineEdit, "Area"), "Will be thrown away")
    asked = DialogAnswerer().then("Discard")
    click_row(find(screen, QTableView, "Safety rounds"), "Night shift")
    assert asked.seen
    assert find(screen, QLineEdit, "Area").text() == "Night shift"
    assert not screen.has_unsaved_changes()

    type_into(find(screen, QLineEdit, "Area"), " B")
    asked = DialogAnswerer().then("Discard")
    click(find(screen, QPushButton, "Discard changes"))
    assert asked.seen and find(screen, QLineEdit, "Area").text() == "Night shift"
    assert len(rounds.list_rounds(context.db, small_unit["unit"].id)) == 1


def test_every_control_on_a_logged_round_has_a_name(qtbot: Any, demo_context: AppContext) -> None:
    screen = open_screen(qtbot, demo_context)
    find(screen, QTableView, "Safety rounds").selectRow(1)
    assert find(screen, QTreeWidget, "Findings already in the tracking log").topLevelItemCount()
    click(find(screen, QPushButton, "Add finding"))
    assert unnamed_controls(screen) == []
    assert mnemonic_clashes(screen) == []


def test_tab_walks_the_form_in_the_order_it_is_shown(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    screen.activateWindow()
    qtbot.waitActive(screen)
    click(find(screen, QPushButton, "Add finding"))
    path = tab_path(find(screen, QTableView, "Safety rounds"), "Add finding")
    assert path == [
        "Safety rounds",
        "Discard changes",  # the added row is a change
        "Save safety round",
        "Date of the round",
        "Area",
        "Executive on the round",
        "Participants",
        "Standard questions asked",
        "Other questions asked",
        "Notes",
        "Remove finding 1",
        "Finding 1 description",
        "Finding 1 category",
        "Finding 1 location",
        "Finding 1 owner",
        "Finding 1 target date",
        "Finding 1 likelihood",
        "Finding 1 severity",
        "Remove finding 2",
        "Finding 2 description",
        "Finding 2 category",
        "Finding 2 location",
        "Finding 2 owner",
        "Finding 2 target date",
        "Finding 2 likelihood",
        "Finding 2 severity",
        "Add finding",
    ]


def test_a_read_only_database_shows_rounds_but_offers_no_save(
    qtbot: Any, db: Database, db_path: Path, small_unit: dict[str, Any]
) -> None:
    rounds.create_round(db, small_unit["unit"].id, rounds.RoundFields(ROUND_DAY, "Bay 1"))
    db.dispose()
    read_only = open_database(db_path, read_only=True)
    screen = open_screen(qtbot, AppContext(read_only, small_unit["unit"].id))
    click_row(find(screen, QTableView, "Safety rounds"), "Bay 1")
    assert find(screen, QLineEdit, "Area").text() == "Bay 1"
    assert not find(screen, QPushButton, "Save safety round").isEnabled()
    assert "read-only" in screen.state_note.text()
    type_into(find(screen, QLineEdit, "Area"), " and 2")
    assert not screen.save_changes()
    assert "read-only" in screen.banner.text()
    assert [r.area for r in rounds.list_rounds(read_only, small_unit["unit"].id)] == ["Bay 1"]
    screen.discard_changes()


def test_a_round_changed_elsewhere_is_not_overwritten(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    saved = rounds.create_round(context.db, unit_id, rounds.RoundFields(ROUND_DAY, "Bay 1"))
    screen = open_screen(qtbot, context)
    click_row(find(screen, QTableView, "Safety rounds"), "Bay 1")
    rounds.update_round(
        context.db,
        saved.id,
        rounds.RoundFields(ROUND_DAY, "Bay 1 (their change)"),
        expected_version=saved.version,
    )
    area = find(screen, QLineEdit, "Area")
    area.clear()
    type_into(area, "Bay 1 (my change)")
    click(find(screen, QPushButton, "Save safety round"))
    assert "changed by someone else" in screen.banner.text()
    assert area.text() == "Bay 1 (my change)"
    assert rounds.get_round(context.db, saved.id).fields.area == "Bay 1 (their change)"
    assert screen.has_unsaved_changes()


def test_switching_unit_shows_that_units_rounds_and_people(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    rounds.create_round(context.db, small_unit["unit"].id, rounds.RoundFields(ROUND_DAY, "Bay 1"))
    other = units.create_unit(context.db, units.UnitFields("6 East Oncology"))
    units.add_team_member(context.db, other.id, units.PersonFields("Omar Haddad"))
    rounds.create_round(context.db, other.id, rounds.RoundFields(ROUND_DAY, "Chemo suite"))
    screen = open_screen(qtbot, context)
    click_row(find(screen, QTableView, "Safety rounds"), "Bay 1")

    context.set_unit(other.id)

    table = find(screen, QTableView, "Safety rounds")
    assert [table.model().index(r, 1).data() for r in range(table.model().rowCount())] == [
        "Chemo suite"
    ]
    assert find(screen, QLineEdit, "Area").text() == ""  # a new round, for the new unit
    participants = find(screen, CheckList, "Participants")
    assert [participants.item(i).text() for i in range(participants.count())] == ["Omar Haddad"]


def test_arrow_keys_show_rounds_and_enter_goes_into_the_form(
    qtbot: Any, demo_context: AppContext
) -> None:
    screen = open_screen(qtbot, demo_context)
    screen.activateWindow()
    qtbot.waitActive(screen)
    table = find(screen, QTableView, "Safety rounds")
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Down)
    QTest.keyClick(table, Qt.Key.Key_Down)
    shown = table.model().index(table.currentIndex().row(), 1).data()
    assert find(screen, QLineEdit, "Area").text() == shown
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert find(screen, OptionalDateEdit, "Date of the round").hasFocus()
