"""The safety rounds screen, driven as a nurse would: by the controls' spoken names."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPushButton, QTableView, QTreeWidget

from cuspdesk.services import issues, rounds
from cuspdesk.services.issues import IssueQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.rounds import RoundsScreen
from cuspdesk.ui.widgets.check_list import CheckList
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList, RatingPicker
from cuspdesk.ui.widgets.text_area import TextArea

ROUND_DAY = date(2025, 6, 10)


def open_screen(qtbot: Any, context: AppContext) -> RoundsScreen:
    screen = RoundsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def fill_finding(ui: Any, screen: RoundsScreen, number: int, **values: Any) -> None:
    label = f"Finding {number}"
    if "description" in values:
        ui.type_into(ui.find(screen, f"{label} description", TextArea), values["description"])
    if "category" in values:
        ui.choose(ui.find(screen, f"{label} category", PickList), values["category"])
    if "location" in values:
        ui.type_into(ui.find(screen, f"{label} location", QLineEdit), values["location"])
    if "owner" in values:
        ui.choose(ui.find(screen, f"{label} owner", PickList), values["owner"])
    if "target" in values:
        ui.find(screen, f"{label} target date", OptionalDateEdit).setValue(values["target"])
    if "likelihood" in values:
        ui.choose(ui.find(screen, f"{label} likelihood", RatingPicker), str(values["likelihood"]))
    if "severity" in values:
        ui.choose(ui.find(screen, f"{label} severity", RatingPicker), str(values["severity"]))


def start_round(ui: Any, screen: RoundsScreen, area: str = "Pods A and B") -> None:
    ui.click(ui.find(screen, "New safety round", QPushButton))
    ui.find(screen, "Date of the round", OptionalDateEdit).setValue(ROUND_DAY)
    ui.type_into(ui.find(screen, "Area", QLineEdit), area)


def test_a_round_with_three_findings_makes_three_linked_issues(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(ui, screen)
    ui.choose(ui.find(screen, "Executive on the round", PickList), "Carla Jones")
    participants = ui.find(screen, "Participants", CheckList)
    ui.tick(participants, "Ana Costa (Unit champion / team leader)")
    ui.tick(participants, "李 伟 (Staff)")
    ui.tick(ui.find(screen, "Standard questions asked", CheckList), rounds.STANDARD_QUESTIONS[0])
    ui.type_into(ui.find(screen, "Other questions asked", TextArea), "Who covers breaks at night?")
    fill_finding(
        ui,
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
    ui.click(ui.find(screen, "Add finding", QPushButton))
    fill_finding(ui, screen, 2, description="Heparin vials look alike", category="Medication")
    ui.click(ui.find(screen, "Add finding", QPushButton))
    fill_finding(ui, screen, 3, description="No spare suction at bed 7", location="Bed 7")
    assert screen.has_unsaved_changes()

    with qtbot.waitSignal(context.data_changed):
        ui.click(ui.find(screen, "Save safety round", QPushButton))

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
    existing = ui.find(screen, "Findings already in the tracking log", QTreeWidget)
    assert existing.topLevelItemCount() == 3
    assert ui.find_all(screen, "Finding 1 description") == []
    with qtbot.waitSignal(context.open_record) as opened:
        ui.click(ui.find(screen, "Open the selected finding's issue", QPushButton))
    assert opened.args[0] == "issue"
    assert opened.args[1] in {r.id for r in page.rows}


def test_a_finding_with_details_but_no_description_is_refused_and_kept(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(ui, screen)
    fill_finding(ui, screen, 1, description="Sharps bin overfull")
    ui.click(ui.find(screen, "Add finding", QPushButton))
    fill_finding(ui, screen, 2, location="Dirty utility room", category="Environment")

    ui.click(ui.find(screen, "Save safety round", QPushButton))

    messages = screen.errors.messages()
    assert "Finding 2" in messages["findings.2.description"]
    assert "description is needed" in messages["findings.2.description"]
    assert screen.banner.isVisible()
    assert ui.find(screen, "Finding 2 location", QLineEdit).text() == "Dirty utility room"
    assert ui.find(screen, "Finding 1 description", TextArea).value() == "Sharps bin overfull"
    assert ui.find(screen, "Area", QLineEdit).text() == "Pods A and B"
    assert screen.has_unsaved_changes()
    assert rounds.list_rounds(context.db, small_unit["unit"].id) == []
    assert issues.count_issues(context.db, small_unit["unit"].id).open == 0


def test_a_target_date_before_the_round_is_shown_beside_that_finding(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(ui, screen)
    fill_finding(ui, screen, 1, description="Crash cart check missed", target=date(2025, 6, 1))

    ui.click(ui.find(screen, "Save safety round", QPushButton))

    message = screen.errors.messages()["findings.1.target_date"]
    assert "target date cannot be before" in message
    target = ui.find(screen, "Finding 1 target date", OptionalDateEdit)
    assert target.value() == date(2025, 6, 1)
    assert target.hasFocus() or ui.find(screen, "Finding 1 description", TextArea).value()
    assert rounds.list_rounds(context.db, small_unit["unit"].id) == []


def test_world_text_and_a_huge_note_are_stored_and_shown_exactly(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    area = "جناح ٤ — 病棟 🚑 <b>&amp;</b>"
    note = ("ملاحظة: المريض بخير. 患者は無事です。👩‍⚕️ <img src=x> & " * 20_000)[:1_000_000].strip()
    screen = open_screen(qtbot, context)
    start_round(ui, screen, area=area)
    ui.type_into(ui.find(screen, "Notes", TextArea), note)
    ui.click(ui.find(screen, "Save safety round", QPushButton))
    assert screen.errors.messages() == {}

    [row] = rounds.list_rounds(context.db, small_unit["unit"].id)
    assert rounds.get_round(context.db, row.id).fields.notes == note
    ui.click(ui.find(screen, "New safety round", QPushButton))
    assert ui.find(screen, "Area", QLineEdit).text() == ""
    ui.click_row(ui.find(screen, "Safety rounds", QTableView), area)
    assert ui.find(screen, "Area", QLineEdit).text() == area
    assert ui.find(screen, "Notes", TextArea).value() == note


def test_an_oversized_note_is_refused_beside_the_notes_and_kept(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(ui, screen)
    note = "a" * 2_000_001
    ui.type_into(ui.find(screen, "Notes", TextArea), note)
    ui.click(ui.find(screen, "Save safety round", QPushButton))
    assert "too long" in screen.errors.messages()["notes"]
    assert len(ui.find(screen, "Notes", TextArea).value()) == len(note)
    assert rounds.list_rounds(context.db, small_unit["unit"].id) == []


def test_leaving_a_changed_form_asks_first(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    start_round(ui, screen, area="Night shift")
    assert screen.has_unsaved_changes()

    answer = ui.answer_next_dialog("Keep editing")
    ui.click(ui.find(screen, "New safety round", QPushButton))
    assert answer.done and "not saved" in answer.text
    assert ui.find(screen, "Area", QLineEdit).text() == "Night shift"

    answer = ui.answer_next_dialog("Save")
    ui.click(ui.find(screen, "New safety round", QPushButton))
    assert answer.done
    assert [r.area for r in rounds.list_rounds(context.db, small_unit["unit"].id)] == [
        "Night shift"
    ]
    assert ui.find(screen, "Area", QLineEdit).text() == ""

    ui.type_into(ui.find(screen, "Area", QLineEdit), "Will be thrown away")
    answer = ui.answer_next_dialog("Discard changes")
    ui.click_row(ui.find(screen, "Safety rounds", QTableView), "Night shift")
    assert answer.done
    assert ui.find(screen, "Area", QLineEdit).text() == "Night shift"
    assert not screen.has_unsaved_changes()
    assert len(rounds.list_rounds(context.db, small_unit["unit"].id)) == 1


def test_every_control_on_a_logged_round_has_a_name(
    qtbot: Any, ui: Any, demo_context: AppContext
) -> None:
    screen = open_screen(qtbot, demo_context)
    ui.find(screen, "Safety rounds", QTableView).selectRow(1)
    assert ui.find(screen, "Findings already in the tracking log", QTreeWidget).topLevelItemCount()
    ui.click(ui.find(screen, "Add finding", QPushButton))
    assert ui.unnamed_controls(screen) == []
