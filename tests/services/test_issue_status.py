"""The issue workflow: which moves are allowed, what each needs, and what it leaves behind.

Also the team's priority order, which the workflow keeps as ranks 1..n over the
active issues whatever happens to them.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest
from builders import IssueMaker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sentences import assert_plain_sentence

from cuspdesk.db import Database
from cuspdesk.errors import ConflictError, ValidationError
from cuspdesk.models import IssueStatus
from cuspdesk.services import issues, units
from cuspdesk.services.audit import list_audit_events
from cuspdesk.services.issues import TRANSITIONS
from cuspdesk.services.validation import today

STATUSES = [s.value for s in IssueStatus]
ALLOWED = [(old.value, new.value) for old, targets in TRANSITIONS.items() for new in targets]
REFUSED = [
    (old, new)
    for old, new in itertools.product(STATUSES, STATUSES)
    if old != new and (old, new) not in ALLOWED
]
COMPLETE = {
    "action_plan": "Bed alarms checked at every handover.",
    "barriers": "Biomed has no spare alarm pads until next quarter.",
    "risk_reduced_evidence": "No unalarmed high-risk beds on six weekly audits.",
}


def problems(error: ValidationError) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in error.problems]


def ranked(db: Database, unit_id: int) -> list[tuple[int, int | None]]:
    return [(r.id, r.priority_rank) for r in issues.list_ranked(db, unit_id)]


def audit_count(db: Database, issue_id: int) -> int:
    return len(list_audit_events(db, entity="safety_issue", entity_id=issue_id))


def test_the_transition_table_covers_every_status_and_refuses_some_moves() -> None:
    assert set(TRANSITIONS) == set(IssueStatus)
    assert all(old not in targets for old, targets in TRANSITIONS.items())
    assert REFUSED, "the workflow should refuse some moves"


# --- every move ----------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_every_allowed_move_is_accepted(
    any_db: Database, make_issue: IssueMaker, old: str, new: str
) -> None:
    issue = make_issue(status=old, **COMPLETE)
    assert issue.status == old
    reopening = not IssueStatus(old).is_active and IssueStatus(new).is_active
    note = "Came back on nights." if reopening else ""
    moved = issues.change_status(any_db, issue.id, new, note=note)
    assert moved.status == new
    assert moved.version > issue.version
    assert (moved.priority_rank is not None) == IssueStatus(new).is_active
    last = moved.notes[-1]
    assert last.kind == "status"
    old_label, new_label = IssueStatus(old).label, IssueStatus(new).label
    if reopening:
        assert last.text == f"Reopened ({old_label} → {new_label}): Came back on nights."
    else:
        assert last.text == f"Status {old_label} → {new_label}."


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_every_other_move_is_refused_with_the_reason(
    any_db: Database, make_issue: IssueMaker, old: str, new: str
) -> None:
    issue = make_issue(status=old, **COMPLETE)
    before = audit_count(any_db, issue.id)
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, new, note="Because.")
    old_label, new_label = IssueStatus(old).label.lower(), IssueStatus(new).label.lower()
    assert problems(caught.value) == [
        ("status", f"An issue that is {old_label} cannot be marked {new_label}.")
    ]
    assert_plain_sentence(str(caught.value))
    assert issues.get_issue(any_db, issue.id) == issue
    assert audit_count(any_db, issue.id) == before


def test_moving_to_the_same_status_changes_nothing(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue(status="blocked", **COMPLETE)
    again = issues.change_status(any_db, issue.id, "blocked")
    assert again == issue
    result = issues.change_status_many(any_db, [issue.id], "blocked")
    assert result.refused == {}
    assert issues.get_issue(any_db, issue.id).notes == issue.notes


def test_an_unknown_status_is_refused_in_words(any_db: Database, make_issue: IssueMaker) -> None:
    issue = make_issue()
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, "done")
    assert problems(caught.value) == [("status", "“done” is not a status an issue can have.")]
    with pytest.raises(ValidationError):
        make_issue(status="done")


# --- what each status needs ----------------------------------------------------------


def test_closing_without_how_we_know_the_risk_is_reduced_is_refused_and_nothing_saved(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue(action_plan="Alarm pads restocked.")
    before = audit_count(any_db, issue.id)
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, "closed")
    assert problems(caught.value) == [
        (
            "risk_reduced_evidence",
            "An issue can only be closed once “How we know the risk is reduced” is filled in.",
        )
    ]
    assert_plain_sentence(str(caught.value))
    # The same from the form: the other edits in that save are not kept either.
    edited = replace(issue.fields, location="Pod C", risk_reduced_evidence="   ")
    with pytest.raises(ValidationError, match="can only be closed once"):
        issues.update_issue(
            any_db, issue.id, edited, expected_version=issue.version, status="closed"
        )
    assert issues.get_issue(any_db, issue.id) == issue
    assert audit_count(any_db, issue.id) == before


def test_an_issue_cannot_be_created_closed_without_the_evidence(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    with pytest.raises(ValidationError, match="can only be closed once"):
        make_issue(status="closed")
    assert issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).total == 0
    # The refused one did not use up a number.
    assert make_issue().number == 1


def test_a_closed_issue_must_keep_its_evidence(any_db: Database, make_issue: IssueMaker) -> None:
    issue = make_issue(status="closed", **COMPLETE)
    with pytest.raises(ValidationError) as caught:
        issues.update_issue(
            any_db,
            issue.id,
            replace(issue.fields, risk_reduced_evidence=""),
            expected_version=issue.version,
        )
    assert problems(caught.value) == [
        (
            "risk_reduced_evidence",
            "A closed issue must keep “How we know the risk is reduced”; reopen it first if "
            "that has changed.",
        )
    ]
    assert (
        issues.get_issue(any_db, issue.id).fields.risk_reduced_evidence
        == (COMPLETE["risk_reduced_evidence"])
    )


@pytest.mark.parametrize("status", ["blocked", "escalated"])
def test_blocked_and_escalated_need_the_barrier(
    any_db: Database, make_issue: IssueMaker, status: str
) -> None:
    issue = make_issue(barriers="  ")
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, status)
    assert problems(caught.value) == [
        ("barriers", f"Describe the barrier before marking the issue {status}.")
    ]
    assert issues.get_issue(any_db, issue.id).status == "open"
    # Typing the barrier into the same save is enough.
    saved = issues.update_issue(
        any_db,
        issue.id,
        replace(issue.fields, barriers="Needs capital funding for new pumps."),
        expected_version=issue.version,
        status=status,
    )
    assert saved.status == status


def test_escalating_marks_the_issue_for_the_executive(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue(barriers="Pharmacy will not stock a second concentration.")
    assert not issue.fields.needs_executive
    escalated = issues.change_status(any_db, issue.id, "escalated")
    assert escalated.fields.needs_executive
    created = make_issue(status="escalated", barriers="Staffing budget.")
    assert created.fields.needs_executive


def test_resolving_needs_the_action_plan(any_db: Database, make_issue: IssueMaker) -> None:
    issue = make_issue()
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, "resolved")
    assert problems(caught.value) == [
        ("action_plan", "Write what was done (the action plan) before marking it resolved.")
    ]


@pytest.mark.parametrize("old", ["resolved", "closed"])
@pytest.mark.parametrize("new", ["open", "in_progress"])
def test_reopening_needs_a_reason(
    any_db: Database, make_issue: IssueMaker, old: str, new: str
) -> None:
    issue = make_issue(status=old, **COMPLETE)
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, new, note="  ")
    assert problems(caught.value) == [("status_note", "Say why the issue is being reopened.")]
    assert issues.get_issue(any_db, issue.id) == issue


def test_several_problems_are_named_together() -> None:
    data = issues.IssueFields(description="x", date_identified=today())
    assert issues.status_problems("open", "closed", data) == [
        "An issue can only be closed once “How we know the risk is reduced” is filled in."
    ]
    assert issues.status_problems("open", "open", data) == []
    assert issues.status_problems("closed", "in_progress", data, note="Came back") == []
    assert issues.status_problems("resolved", "blocked", data) == [
        "An issue that is resolved cannot be marked blocked."
    ]


def test_a_status_note_with_control_characters_is_refused(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue()
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, "in_progress", note="ok\x00")
    assert caught.value.field == "status_note"
    assert issues.get_issue(any_db, issue.id).status == "open"


# --- dates and history ---------------------------------------------------------------


def test_resolving_and_closing_set_the_dates_and_reopening_clears_them(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue(**COMPLETE)
    resolved = issues.change_status(any_db, issue.id, "resolved")
    assert (resolved.fields.date_resolved, resolved.date_closed) == (today(), None)
    closed = issues.change_status(any_db, issue.id, "closed")
    assert (closed.fields.date_resolved, closed.date_closed) == (today(), today())
    reopened = issues.change_status(any_db, issue.id, "open", note="Fall on nights again.")
    assert (reopened.fields.date_resolved, reopened.date_closed) == (None, None)


def test_only_a_resolved_or_closed_issue_has_a_date_resolved(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue(**COMPLETE)
    message = (
        "Only a resolved or closed issue has a date resolved; clear the date or change the status."
    )
    with pytest.raises(ValidationError) as on_edit:
        issues.update_issue(
            any_db,
            issue.id,
            replace(issue.fields, date_resolved=today()),
            expected_version=issue.version,
        )
    assert problems(on_edit.value) == [("date_resolved", message)]
    with pytest.raises(ValidationError) as on_create:
        make_issue(date_resolved=today())
    assert problems(on_create.value) == [("date_resolved", message)]
    assert issues.get_issue(any_db, issue.id) == issue
    # Reopening from the form, which still shows the old date, clears it.
    closed = issues.change_status(any_db, issue.id, "closed")
    reopened = issues.update_issue(
        any_db,
        issue.id,
        closed.fields,
        expected_version=closed.version,
        status="open",
        status_note="Came back.",
    )
    assert reopened.fields.date_resolved is None
    # A resolved issue's date can be corrected.
    resolved = issues.change_status(any_db, issue.id, "resolved")
    corrected = issues.update_issue(
        any_db,
        issue.id,
        replace(resolved.fields, date_resolved=today() - timedelta(days=1)),
        expected_version=resolved.version,
    )
    assert corrected.fields.date_resolved == today() - timedelta(days=1)


def test_a_date_resolved_typed_by_the_team_is_kept(
    any_db: Database, make_issue: IssueMaker
) -> None:
    earlier = today() - timedelta(days=3)
    issue = make_issue(**COMPLETE)
    closed = issues.update_issue(
        any_db,
        issue.id,
        replace(issue.fields, date_resolved=earlier),
        expected_version=issue.version,
        status="closed",
    )
    assert (closed.fields.date_resolved, closed.date_closed) == (earlier, today())


def test_closing_straight_from_open_and_blocked_sets_both_dates(
    any_db: Database, make_issue: IssueMaker
) -> None:
    for status in ("open", "blocked"):
        issue = make_issue(status=status, **COMPLETE)
        closed = issues.change_status(any_db, issue.id, "closed")
        assert (closed.fields.date_resolved, closed.date_closed) == (today(), today())


def test_a_change_recorded_after_the_fact_carries_its_own_day(
    any_db: Database, make_issue: IssueMaker
) -> None:
    identified = today() - timedelta(days=10)
    issue = make_issue(date_identified=identified, **COMPLETE)
    resolved = issues.change_status(any_db, issue.id, "resolved", on=today() - timedelta(days=4))
    assert resolved.fields.date_resolved == today() - timedelta(days=4)
    assert resolved.notes[-1].note_date == today() - timedelta(days=4)
    closed = issues.update_issue(
        any_db,
        issue.id,
        resolved.fields,
        expected_version=resolved.version,
        status="closed",
        status_date=today() - timedelta(days=2),
    )
    assert (closed.fields.date_resolved, closed.date_closed) == (
        today() - timedelta(days=4),
        today() - timedelta(days=2),
    )


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (1, "The date of the change cannot be in the future."),
        (-11, "The date of the change cannot be before the date the issue was identified."),
    ],
)
def test_the_day_of_a_change_must_have_happened_since_the_issue_was_found(
    any_db: Database, make_issue: IssueMaker, days: int, message: str
) -> None:
    issue = make_issue(date_identified=today() - timedelta(days=10))
    with pytest.raises(ValidationError) as caught:
        issues.change_status(any_db, issue.id, "in_progress", on=today() + timedelta(days=days))
    assert problems(caught.value) == [("status_date", message)]
    with pytest.raises(ValidationError) as from_form:
        issues.update_issue(
            any_db,
            issue.id,
            issue.fields,
            expected_version=issue.version,
            status="in_progress",
            status_date=today() + timedelta(days=days),
        )
    assert problems(from_form.value) == [("status_date", message)]
    assert issues.get_issue(any_db, issue.id) == issue


def test_reopening_keeps_the_history_as_notes_and_audit(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue(**COMPLETE)
    issues.change_status(any_db, issue.id, "in_progress", note="Biomed ordering pads.")
    issues.change_status(any_db, issue.id, "closed")
    final = issues.change_status(
        any_db, issue.id, "in_progress", note="Two unalarmed beds found on the night round."
    )
    assert [n.text for n in final.notes] == [
        "Status Open → In progress. Biomed ordering pads.",
        "Status In progress → Closed.",
        "Reopened (Closed → In progress): Two unalarmed beds found on the night round.",
    ]
    assert all(n.kind == "status" and n.note_date == today() for n in final.notes)
    changes = [
        (e.old_value, e.new_value)
        for e in reversed(list_audit_events(any_db, entity="safety_issue", entity_id=issue.id))
        if e.action == "status"
    ]
    assert changes == [
        ("open", "in_progress"),
        ("in_progress", "closed"),
        ("closed", "in_progress"),
    ]
    # The evidence written before closing is still there to read.
    assert final.fields.risk_reduced_evidence == COMPLETE["risk_reduced_evidence"]


def test_creating_in_a_later_status_says_so_in_the_history(make_issue: IssueMaker) -> None:
    closed = make_issue(status="closed", **COMPLETE)
    assert [n.text for n in closed.notes] == ["Logged as closed."]
    assert closed.date_closed == today()
    assert closed.priority_rank is None
    assert make_issue(status="in_progress").notes[0].text == "Logged as in progress."


def test_change_many_saves_what_it_can_and_says_why_not_for_the_rest(
    any_db: Database, make_issue: IssueMaker
) -> None:
    ready = make_issue("Ready", **COMPLETE)
    not_ready = make_issue("Not ready")
    result = issues.change_status_many(any_db, [ready.id, not_ready.id, 99999], "closed")
    assert result.changed == [ready.id]
    assert result.refused == {
        not_ready.id: (
            "An issue can only be closed once “How we know the risk is reduced” is filled in."
        ),
        99999: "That issue no longer exists.",
    }
    assert issues.get_issue(any_db, ready.id).status == "closed"
    assert issues.get_issue(any_db, not_ready.id).status == "open"


# --- priority order ------------------------------------------------------------------


def test_resolving_or_closing_takes_the_rank_away_and_reopening_puts_it_at_the_bottom(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    a, b, c, d = (make_issue(name, **COMPLETE) for name in "ABCD")
    issues.change_status(any_db, b.id, "resolved")
    assert ranked(any_db, unit.id) == [(a.id, 1), (c.id, 2), (d.id, 3)]
    issues.change_status(any_db, a.id, "closed")
    assert ranked(any_db, unit.id) == [(c.id, 1), (d.id, 2)]
    issues.change_status(any_db, b.id, "open", note="Recurred.")
    assert ranked(any_db, unit.id) == [(c.id, 1), (d.id, 2), (b.id, 3)]
    issues.change_status(any_db, a.id, "in_progress", note="Recurred too.")
    assert ranked(any_db, unit.id) == [(c.id, 1), (d.id, 2), (b.id, 3), (a.id, 4)]
    # Moves between active statuses keep the place.
    issues.change_status(any_db, d.id, "blocked")
    assert ranked(any_db, unit.id)[1] == (d.id, 2)


def test_move_rank_up_down_and_past_the_ends(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    a, b, c, d = (make_issue(name) for name in "ABCD")
    issues.move_rank(any_db, d.id, 1)
    assert ranked(any_db, unit.id) == [(d.id, 1), (a.id, 2), (b.id, 3), (c.id, 4)]
    issues.move_rank(any_db, d.id, 3)
    assert ranked(any_db, unit.id) == [(a.id, 1), (b.id, 2), (d.id, 3), (c.id, 4)]
    issues.move_rank(any_db, a.id, 99)
    assert ranked(any_db, unit.id) == [(b.id, 1), (d.id, 2), (c.id, 3), (a.id, 4)]
    issues.move_rank(any_db, a.id, -5)
    assert ranked(any_db, unit.id) == [(a.id, 1), (b.id, 2), (d.id, 3), (c.id, 4)]
    issues.move_rank(any_db, a.id, 1)
    assert ranked(any_db, unit.id) == [(a.id, 1), (b.id, 2), (d.id, 3), (c.id, 4)]


def test_moving_one_issue_is_one_rank_change_in_the_audit(
    any_db: Database, make_issue: IssueMaker
) -> None:
    make_issue("A")
    make_issue("B")
    c = make_issue("C")
    issues.move_rank(any_db, c.id, 1)
    moves = [
        (e.old_value, e.new_value)
        for e in list_audit_events(any_db, entity="safety_issue", entity_id=c.id)
        if e.action == "rank"
    ]
    assert moves == [("3", "1")]
    assert issues.get_issue(any_db, c.id).version == c.version + 1


def test_a_resolved_issue_has_no_place_in_the_order(
    any_db: Database, make_issue: IssueMaker
) -> None:
    issue = make_issue(status="resolved", **COMPLETE)
    with pytest.raises(ValidationError) as caught:
        issues.move_rank(any_db, issue.id, 1)
    assert str(caught.value) == "Only open issues have a place in the priority order."
    assert caught.value.field == "priority_rank"


def test_reorder_gives_ranks_in_the_order_dragged(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    a, b, c, d, e = (make_issue(name) for name in "ABCDE")
    issues.reorder_ranks(any_db, unit.id, [a.id, b.id, e.id, d.id, c.id])
    assert ranked(any_db, unit.id) == [(a.id, 1), (b.id, 2), (e.id, 3), (d.id, 4), (c.id, 5)]
    # Only the issues whose place changed were touched.
    assert issues.get_issue(any_db, a.id).version == a.version
    assert issues.get_issue(any_db, d.id).version == d.version
    rank_events = [
        e for e in list_audit_events(any_db, entity="safety_issue") if e.action == "rank"
    ]
    assert sorted((ev.entity_id, ev.old_value, ev.new_value) for ev in rank_events) == sorted(
        [(e.id, "5", "3"), (c.id, "3", "5")]
    )


def test_reorder_with_a_stale_list_is_a_conflict_and_changes_nothing(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    a, b, c = (make_issue(name, **COMPLETE) for name in "ABC")
    seen = [c.id, b.id, a.id]
    issues.change_status(any_db, b.id, "resolved")
    for stale in (seen, [c.id, a.id, a.id], [c.id], [c.id, a.id, 4242]):
        with pytest.raises(ConflictError) as caught:
            issues.reorder_ranks(any_db, unit.id, stale)
        assert str(caught.value) == (
            "The list of open issues changed while you were reordering; reload it and try again."
        )
    assert ranked(any_db, unit.id) == [(a.id, 1), (c.id, 2)]
    new = make_issue("D")
    with pytest.raises(ConflictError):
        issues.reorder_ranks(any_db, unit.id, [c.id, a.id])
    issues.reorder_ranks(any_db, unit.id, [new.id, c.id, a.id])
    assert ranked(any_db, unit.id) == [(new.id, 1), (c.id, 2), (a.id, 3)]


def test_ranks_of_one_unit_do_not_move_another(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    icu = units.create_unit(any_db, units.UnitFields(name="ICU"))
    theirs = [
        issues.create_issue(
            any_db, icu.id, issues.IssueFields(description=n, date_identified=today())
        )
        for n in "XY"
    ]
    a, b = make_issue("A", **COMPLETE), make_issue("B")
    issues.move_rank(any_db, b.id, 1)
    issues.change_status(any_db, a.id, "closed")
    issues.archive_issue(any_db, b.id, "Duplicate")
    assert ranked(any_db, icu.id) == [(theirs[0].id, 1), (theirs[1].id, 2)]


# --- the invariant, under any sequence of actions -----------------------------------

actions = st.lists(
    st.tuples(
        st.sampled_from(["move", "close", "reopen", "resolve", "archive", "restore", "new"]),
        st.integers(min_value=0, max_value=7),
        st.integers(min_value=-1, max_value=9),
    ),
    min_size=1,
    max_size=12,
)
_unit_names = itertools.count(1)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions)
def test_ranks_stay_one_to_n_whatever_the_team_does(
    any_db: Database, steps: list[tuple[str, int, int]]
) -> None:
    unit = units.create_unit(any_db, units.UnitFields(name=f"Unit {next(_unit_names)}"))

    def create() -> int:
        return issues.create_issue(
            any_db,
            unit.id,
            issues.IssueFields(description="x", date_identified=today(), **COMPLETE),
        ).id

    ids = [create() for _ in range(4)]
    for action, which, rank in steps:
        issue_id = ids[which % len(ids)]
        detail = issues.get_issue(any_db, issue_id)
        active = IssueStatus(detail.status).is_active
        if action == "move" and detail.priority_rank is not None:
            issues.move_rank(any_db, issue_id, rank)
        elif action == "close" and detail.status != "closed":
            issues.change_status(any_db, issue_id, "closed")
        elif action == "resolve" and active:
            issues.change_status(any_db, issue_id, "resolved")
        elif action == "reopen" and not active:
            issues.change_status(any_db, issue_id, "open", note="Again.")
        elif action == "archive":
            issues.archive_issue(any_db, issue_id, "Tidy up")
        elif action == "restore":
            issues.restore_issue(any_db, issue_id)
        elif action == "new":
            ids.append(create())
        every = issues.list_issues(
            any_db, issues.IssueQuery(unit_id=unit.id, include_archived=True)
        ).rows
        shown = {r.id for r in issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).rows}
        holders = [r for r in every if IssueStatus(r.status).is_active and r.id in shown]
        assert sorted(r.priority_rank or 0 for r in holders) == list(range(1, len(holders) + 1))
        assert all(r.priority_rank is None for r in every if r not in holders)
