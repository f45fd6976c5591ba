"""The Learning from Defects screen: four parts, factors of both kinds, sharing."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QTableView

from cuspdesk.services import defects, issues
from cuspdesk.services.issues import IssueQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.defects import NEGATIVE, POSITIVE, DefectsScreen
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.text_area import TextArea


def open_screen(qtbot: Any, context: AppContext) -> DefectsScreen:
    screen = DefectsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def add_factor(ui: Any, screen: DefectsScreen, group: str, number: int, text: str, effect: str):
    ui.click(ui.find(screen, f"Add {group.lower()} factor", QPushButton))
    ui.type_into(ui.find(screen, f"{group} factor {number} description", QLineEdit), text)
    ui.choose(ui.find(screen, f"{group} factor {number} effect", QComboBox), effect)


def test_a_review_with_factors_of_both_kinds_an_action_and_a_share(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    ui.click(ui.find(screen, "New review", QPushButton))
    ui.type_into(ui.find(screen, "Title", QLineEdit), "Wrong-time vancomycin level")
    ui.find(screen, "Date of the event", OptionalDateEdit).setValue(date(2025, 4, 2))
    ui.find(screen, "Review date", OptionalDateEdit).setValue(date(2025, 4, 9))
    ui.type_into(ui.find(screen, "Review led by", QLineEdit), "Ana Costa")
    ui.type_into(ui.find(screen, "What happened", TextArea), "Level drawn after the dose.")
    add_factor(ui, screen, "Task", 1, "Level timing not on the MAR", NEGATIVE)
    add_factor(ui, screen, "Team", 1, "Pharmacist spotted the timing", POSITIVE)
    add_factor(ui, screen, "Team", 2, "Handoff skipped the level", NEGATIVE)
    ui.type_into(ui.find(screen, "Action 1 description", TextArea), "Add level time to the MAR")
    ui.choose(ui.find(screen, "Action 1 owner", PickList), "Ben Osei")
    ui.find(screen, "Action 1 target date", OptionalDateEdit).setValue(date(2025, 5, 9))
    ui.type_into(
        ui.find(screen, "How we know the risk is reduced", TextArea), "No mistimed levels in May."
    )
    ui.click(ui.find(screen, "Add share", QPushButton))
    ui.type_into(ui.find(screen, "Share 1 with whom", QLineEdit), "Night shift nurses")
    ui.find(screen, "Share 1 when", OptionalDateEdit).setValue(date(2025, 4, 20))
    ui.type_into(ui.find(screen, "Share 1 how", QLineEdit), "Safety huddle")

    with qtbot.waitSignal(context.data_changed):
        ui.click(ui.find(screen, "Save review", QPushButton))
    assert screen.errors.messages() == {}

    unit_id = small_unit["unit"].id
    [row] = defects.list_reviews(context.db, unit_id)
    assert (row.factor_count, row.action_count, row.shared) == (3, 1, True)
    detail = defects.get_review(context.db, row.id)
    assert [(f.group, f.description, f.positive) for f in detail.fields.factors] == [
        ("task", "Level timing not on the MAR", False),
        ("team", "Pharmacist spotted the timing", True),
        ("team", "Handoff skipped the level", False),
    ]
    assert [(s.audience, s.shared_on, s.method) for s in detail.fields.shares] == [
        ("Night shift nurses", date(2025, 4, 20), "Safety huddle")
    ]
    assert detail.fields.how_risk_reduced == "No mistimed levels in May."
    [issue] = issues.list_issues(context.db, IssueQuery(unit_id=unit_id)).rows
    assert (issue.source, issue.owner, issue.target_date) == (
        "defect_review",
        "Ben Osei",
        date(2025, 5, 9),
    )

    ui.click(ui.find(screen, "New review", QPushButton))
    ui.click_row(
        ui.find(screen, "Learning from defects", QTableView), "Wrong-time vancomycin level"
    )
    assert ui.find(screen, "Team factor 1 effect", QComboBox).currentText() == POSITIVE
    assert ui.find(screen, "Team factor 2 description", QLineEdit).text() == (
        "Handoff skipped the level"
    )
    assert ui.find(screen, "Share 1 how", QLineEdit).text() == "Safety huddle"
    assert not ui.find(screen, "Harm reached the patient", QCheckBox).isChecked()


def test_review_problems_land_on_the_right_factor_and_share(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    ui.click(ui.find(screen, "New review", QPushButton))
    ui.type_into(ui.find(screen, "Title", QLineEdit), "Fall in the bathroom")
    ui.find(screen, "Date of the event", OptionalDateEdit).setValue(date(2025, 4, 12))
    ui.find(screen, "Review date", OptionalDateEdit).setValue(date(2025, 4, 9))
    add_factor(ui, screen, "Patient", 1, "Confused at night", NEGATIVE)
    add_factor(ui, screen, "Environment", 1, "Wet floor\x07", NEGATIVE)
    ui.click(ui.find(screen, "Add share", QPushButton))
    ui.type_into(ui.find(screen, "Share 1 how", QLineEdit), "Newsletter")

    ui.click(ui.find(screen, "Save review", QPushButton))

    messages = screen.errors.messages()
    assert "cannot be before the date of the event" in messages["review_date"]
    assert "control characters" in messages["factors.2"]
    assert "Say who the learning was shared with" in messages["shares.1"]
    assert ui.find(screen, "Share 1 how", QLineEdit).text() == "Newsletter"
    assert ui.find(screen, "Patient factor 1 description", QLineEdit).text() == (
        "Confused at night"
    )
    assert defects.list_reviews(context.db, small_unit["unit"].id) == []


def test_every_control_on_a_full_review_has_a_name(
    qtbot: Any, ui: Any, demo_context: AppContext
) -> None:
    screen = open_screen(qtbot, demo_context)
    view = ui.find(screen, "Learning from defects", QTableView)
    view.selectRow(0)
    ui.click(ui.find(screen, "Add share", QPushButton))
    assert ui.unnamed_controls(screen) == []
