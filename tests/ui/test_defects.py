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
from ui.qt_helpers import (
    click,
    click_row,
    find,
    mnemonic_clashes,
    paste_into,
    pick,
    type_into,
    unnamed_controls,
)


def open_screen(qtbot: Any, context: AppContext) -> DefectsScreen:
    screen = DefectsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def add_factor(screen: DefectsScreen, group: str, number: int, text: str, effect: str):
    click(find(screen, QPushButton, f"Add {group.lower()} factor"))
    type_into(find(screen, QLineEdit, f"{group} factor {number} description"), text)
    pick(find(screen, QComboBox, f"{group} factor {number} effect"), effect)


def test_a_review_with_factors_of_both_kinds_an_action_and_a_share(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    click(find(screen, QPushButton, "New review"))
    type_into(find(screen, QLineEdit, "Title"), "Wrong-time vancomycin level")
    find(screen, OptionalDateEdit, "Date of the event").setValue(date(2025, 4, 2))
    find(screen, OptionalDateEdit, "Review date").setValue(date(2025, 4, 9))
    type_into(find(screen, QLineEdit, "Review led by"), "Ana Costa")
    type_into(find(screen, TextArea, "What happened"), "Level drawn after the dose.")
    add_factor(screen, "Task", 1, "Level timing not on the MAR", NEGATIVE)
    add_factor(screen, "Team", 1, "Pharmacist spotted the timing", POSITIVE)
    add_factor(screen, "Team", 2, "Handoff skipped the level", NEGATIVE)
    type_into(find(screen, TextArea, "Action 1 description"), "Add level time to the MAR")
    pick(find(screen, PickList, "Action 1 owner"), "Ben Osei")
    find(screen, OptionalDateEdit, "Action 1 target date").setValue(date(2025, 5, 9))
    type_into(
        find(screen, TextArea, "How we know the risk is reduced"), "No mistimed levels in May."
    )
    click(find(screen, QPushButton, "Add share"))
    type_into(find(screen, QLineEdit, "Share 1 with whom"), "Night shift nurses")
    find(screen, OptionalDateEdit, "Share 1 when").setValue(date(2025, 4, 20))
    type_into(find(screen, QLineEdit, "Share 1 how"), "Safety huddle")

    with qtbot.waitSignal(context.data_changed):
        click(find(screen, QPushButton, "Save review"))
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

    click(find(screen, QPushButton, "New review"))
    click_row(find(screen, QTableView, "Learning from defects"), "Wrong-time vancomycin level")
    assert find(screen, QComboBox, "Team factor 1 effect").currentText() == POSITIVE
    assert find(screen, QLineEdit, "Team factor 2 description").text() == (
        "Handoff skipped the level"
    )
    assert find(screen, QLineEdit, "Share 1 how").text() == "Safety huddle"
    assert not find(screen, QCheckBox, "Harm reached the patient").isChecked()


def test_review_problems_land_on_the_right_factor_and_share(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    click(find(screen, QPushButton, "New review"))
    type_into(find(screen, QLineEdit, "Title"), "Fall in the bathroom")
    find(screen, OptionalDateEdit, "Date of the event").setValue(date(2025, 4, 12))
    find(screen, OptionalDateEdit, "Review date").setValue(date(2025, 4, 9))
    add_factor(screen, "Patient", 1, "Confused at night", NEGATIVE)
    add_factor(screen, "Environment", 1, "Wet floor", NEGATIVE)
    paste_into(find(screen, QLineEdit, "Environment factor 1 description"), "\x07")
    click(find(screen, QPushButton, "Add share"))
    type_into(find(screen, QLineEdit, "Share 1 how"), "Newsletter")

    click(find(screen, QPushButton, "Save review"))

    messages = screen.errors.messages()
    assert "cannot be before the date of the event" in messages["review_date"]
    assert "control characters" in messages["factors.2"]
    assert "Say who the learning was shared with" in messages["shares.1"]
    assert find(screen, QLineEdit, "Share 1 how").text() == "Newsletter"
    assert find(screen, QLineEdit, "Patient factor 1 description").text() == ("Confused at night")
    assert defects.list_reviews(context.db, small_unit["unit"].id) == []


def test_every_control_on_a_full_review_has_a_name(qtbot: Any, demo_context: AppContext) -> None:
    screen = open_screen(qtbot, demo_context)
    view = find(screen, QTableView, "Learning from defects")
    view.selectRow(0)
    click(find(screen, QPushButton, "Add share"))
    assert unnamed_controls(screen) == []
    assert mnemonic_clashes(screen) == []
