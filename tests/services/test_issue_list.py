"""Finding issues: filters, free text, sorting, paging and the counts the dashboard shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from builders import IssueMaker, Team, search_mismatches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuspdesk.db import Database
from cuspdesk.errors import ValidationError
from cuspdesk.services import issues, units
from cuspdesk.services.issues import IssueQuery
from cuspdesk.services.validation import today

TODAY = today()
EVIDENCE = {
    "action_plan": "Done.",
    "barriers": "Budget.",
    "risk_reduced_evidence": "Audited for three months.",
}


@dataclass(frozen=True)
class Log:
    """A small tracking log with one issue for each thing a filter can catch."""

    unit_id: int
    other_unit_id: int
    ids: dict[str, int]


@pytest.fixture
def log(
    any_db: Database,
    unit: units.UnitInfo,
    team: Team,
    categories: dict[str, int],
    make_issue: IssueMaker,
) -> Log:
    ids = {
        "overdue": make_issue(
            "Bed alarm not set on a high falls-risk patient",
            category_id=categories["falls"],
            owner_id=team.manager,
            location="Pod B",
            target_date=TODAY - timedelta(days=3),
            likelihood=4,
            severity=4,
            date_identified=TODAY - timedelta(days=40),
        ).id,
        "due_soon": make_issue(
            "Heparin vials of two strengths stored side by side",
            category_id=categories["medication"],
            owner_id=team.champion,
            location="Med room",
            target_date=TODAY + timedelta(days=14),
            likelihood=3,
            severity=5,
            mitigate_ability=4,
            implement_ability=4,
            source="safety_round",
            date_identified=TODAY - timedelta(days=20),
        ).id,
        "later": make_issue(
            "Interpreter phone missing from pod C",
            category_id=categories["communication"],
            owner_id=team.nurse,
            location="pod C",
            target_date=TODAY + timedelta(days=15),
            likelihood=2,
            severity=2,
            needs_executive=True,
            date_identified=TODAY - timedelta(days=5),
        ).id,
        "escalated": make_issue(
            "Weekend pharmacy cover leaves no one to verify infusions",
            status="escalated",
            category_id=categories["staffing"],
            barriers="Needs a budget decision.",
            source="meeting",
            date_identified=TODAY - timedelta(days=60),
        ).id,
        "resolved_late": make_issue(
            "Sharps bin overfilled in bay 6",
            status="resolved",
            target_date=TODAY - timedelta(days=30),
            action_plan="Collection twice daily.",
            location="Bay 6",
            date_identified=TODAY - timedelta(days=90),
        ).id,
        "closed": make_issue(
            "Hand gel dispensers empty at night",
            status="closed",
            source="event_report",
            event_report_ref="ER-1",
            date_identified=TODAY - timedelta(days=200),
            **EVIDENCE,
        ).id,
        "archived": make_issue(
            "Duplicate of the bed alarm issue",
            target_date=TODAY - timedelta(days=1),
            date_identified=TODAY - timedelta(days=2),
        ).id,
    }
    issues.archive_issue(any_db, ids["archived"], "Logged twice.")
    other = units.create_unit(any_db, units.UnitFields(name="ICU"))
    issues.create_issue(
        any_db,
        other.id,
        issues.IssueFields(
            "Bed alarm cables frayed",
            TODAY - timedelta(days=9),
            target_date=TODAY - timedelta(days=1),
        ),
    )
    return Log(unit.id, other.id, ids)


def found(db: Database, **query: object) -> set[int]:
    return {r.id for r in issues.list_issues(db, IssueQuery(**query)).rows}  # type: ignore[arg-type]


def names(log: Log, db: Database, **query: object) -> set[str]:
    by_id = {v: k for k, v in log.ids.items()}
    return {by_id.get(i, "other unit") for i in found(db, **query)}


# --- filters -------------------------------------------------------------------------


def test_the_unit_filter_and_archived_issues(any_db: Database, log: Log) -> None:
    everything = {"overdue", "due_soon", "later", "escalated", "resolved_late", "closed"}
    assert names(log, any_db, unit_id=log.unit_id) == everything
    assert names(log, any_db, unit_id=log.unit_id, include_archived=True) == everything | {
        "archived"
    }
    assert names(log, any_db) == everything | {"other unit"}


def test_status_filters(any_db: Database, log: Log) -> None:
    assert names(log, any_db, unit_id=log.unit_id, statuses=["resolved", "closed"]) == {
        "resolved_late",
        "closed",
    }
    assert names(log, any_db, unit_id=log.unit_id, active_only=True) == {
        "overdue",
        "due_soon",
        "later",
        "escalated",
    }


def test_category_owner_and_source_filters(
    any_db: Database, log: Log, team: Team, categories: dict[str, int]
) -> None:
    assert names(
        log, any_db, unit_id=log.unit_id, category_ids=[categories["falls"], categories["staffing"]]
    ) == {"overdue", "escalated"}
    assert names(log, any_db, unit_id=log.unit_id, owner_ids=[team.champion]) == {"due_soon"}
    assert names(log, any_db, unit_id=log.unit_id, sources=["meeting", "event_report"]) == {
        "escalated",
        "closed",
    }


def test_overdue_and_due_soon(any_db: Database, log: Log) -> None:
    # A resolved issue past its date is not overdue, nor is an archived one.
    assert names(log, any_db, unit_id=log.unit_id, overdue_only=True) == {"overdue"}
    assert names(log, any_db, unit_id=log.unit_id, due_within_days=14) == {"due_soon"}
    assert names(log, any_db, unit_id=log.unit_id, due_within_days=15) == {"due_soon", "later"}
    # "today" can be moved, for the briefing of another day.
    later = TODAY + timedelta(days=16)
    assert names(log, any_db, unit_id=log.unit_id, overdue_only=True, today=later) == {
        "overdue",
        "due_soon",
        "later",
    }


def test_days_overdue_on_each_row(any_db: Database, log: Log) -> None:
    rows = {r.id: r for r in issues.list_issues(any_db, IssueQuery(unit_id=log.unit_id)).rows}
    assert rows[log.ids["overdue"]].days_overdue == 3
    assert rows[log.ids["overdue"]].overdue
    assert rows[log.ids["due_soon"]].days_overdue == 0
    assert rows[log.ids["resolved_late"]].days_overdue == 0
    assert not rows[log.ids["resolved_late"]].overdue
    detail = issues.get_issue(any_db, log.ids["overdue"])
    assert detail.days_overdue() == 3
    assert detail.days_overdue(TODAY + timedelta(days=7)) == 10


def test_needs_the_executive(any_db: Database, log: Log) -> None:
    assert names(log, any_db, unit_id=log.unit_id, needs_executive_only=True) == {
        "later",
        "escalated",
    }
    rows = {r.id: r for r in issues.list_issues(any_db, IssueQuery(unit_id=log.unit_id)).rows}
    assert rows[log.ids["escalated"]].needs_executive
    assert rows[log.ids["later"]].needs_executive
    assert not rows[log.ids["overdue"]].needs_executive


def test_date_identified_range(any_db: Database, log: Log) -> None:
    assert names(
        log,
        any_db,
        unit_id=log.unit_id,
        identified_from=TODAY - timedelta(days=60),
        identified_to=TODAY - timedelta(days=20),
    ) == {"overdue", "due_soon", "escalated"}


def test_filters_combine(any_db: Database, log: Log, categories: dict[str, int]) -> None:
    assert names(
        log,
        any_db,
        unit_id=log.unit_id,
        active_only=True,
        category_ids=[categories["falls"], categories["medication"]],
        text="bed",
    ) == {"overdue"}


def test_row_labels_are_words(any_db: Database, log: Log) -> None:
    row = next(
        r
        for r in issues.list_issues(any_db, IssueQuery(unit_id=log.unit_id)).rows
        if r.id == log.ids["due_soon"]
    )
    assert (row.status_label, row.source_label, row.category, row.owner) == (
        "Open",
        "Safety round",
        "Medication",
        "Maria Okafor",
    )


# --- free text -----------------------------------------------------------------------


WORD_SEARCHES = [
    ("alarm", {"overdue"}),
    ("ALARM bed", {"overdue"}),
    ("  risk   falls-risk  bed ", {"overdue"}),
    ("patient alarm high", {"overdue"}),
    ("alarm heparin", set()),
    ("pod", {"overdue", "later"}),
    ("POD c", {"later"}),
    ("verify infusions weekend", {"escalated"}),
    ("budget decision", {"escalated"}),
    ("twice daily", {"resolved_late"}),
    ("", {"overdue", "due_soon", "later", "escalated", "resolved_late", "closed"}),
]


def test_words_match_in_any_order_in_any_field(any_db: Database, log: Log) -> None:
    wrong = search_mismatches(
        WORD_SEARCHES, lambda text: names(log, any_db, unit_id=log.unit_id, text=text)
    )
    assert wrong == {}


def test_search_finds_words_in_the_follow_up_notes(any_db: Database, log: Log) -> None:
    issues.add_note(any_db, log.ids["later"], "Asked telecoms for a wall-mounted handset.")
    assert names(log, any_db, unit_id=log.unit_id, text="telecoms") == {"later"}
    assert names(log, any_db, unit_id=log.unit_id, text="handset interpreter") == {"later"}


def test_search_by_issue_number(any_db: Database, log: Log) -> None:
    number = issues.get_issue(any_db, log.ids["escalated"]).number
    assert names(log, any_db, unit_id=log.unit_id, text=f"#{number}") == {"escalated"}
    assert names(log, any_db, unit_id=log.unit_id, text=str(number)) == {"escalated"}
    assert names(log, any_db, unit_id=log.unit_id, text="99999999999") == set()


WILDCARD_SEARCHES = [
    ("%", {"percent"}),
    ("100%", {"percent"}),
    ("_", {"underscore"}),
    ("a_b", {"underscore"}),
    ("\\", {"backslash"}),
    ("C:\\Temp", {"backslash"}),
    ("%_", set()),
    ("'", {"quote"}),
    ("o'brien", {"quote"}),
]


def test_wildcards_typed_by_the_user_are_literal(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    ids = {
        "percent": make_issue("Only 100% of pumps checked").id,
        "underscore": make_issue("Label a_b on the wrong line").id,
        "backslash": make_issue("Export saved to C:\\Temp by mistake").id,
        "quote": make_issue("Kevin O'Brien reported the gap").id,
        "plain": make_issue("Nothing special here at all").id,
    }
    by_id = {v: k for k, v in ids.items()}
    wrong = search_mismatches(
        WILDCARD_SEARCHES,
        lambda text: {by_id[i] for i in found(any_db, unit_id=unit.id, text=text)},
    )
    assert wrong == {}


SCRIPT_SEARCHES = [
    ("école", {"french"}),
    ("ÉCOLE", {"french"}),
    ("Zoë", {"french"}),
    ("ZOË", {"french"}),
    ("zoe", set()),
    ("跌倒", {"chinese"}),
    ("患者 夜间", {"chinese"}),
    ("سقط", {"arabic"}),
    ("🚑", {"emoji"}),
    ("ΣΥΝΑΓΕΡΜ", {"greek"}),
]


def test_search_in_any_script_and_case(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    ids = {
        "french": make_issue("Élève infirmière de l'École: Zoë a signalé une chute").id,
        "chinese": make_issue("患者夜间跌倒，床栏未拉起").id,
        "arabic": make_issue("مريض سقط من السرير ليلا").id,
        "emoji": make_issue("Ambulance bay 🚑 blocked by deliveries").id,
        "greek": make_issue("Ο συναγερμός της κλίνης δεν ήταν ενεργός").id,
    }
    by_id = {v: k for k, v in ids.items()}
    wrong = search_mismatches(
        SCRIPT_SEARCHES, lambda text: {by_id[i] for i in found(any_db, unit_id=unit.id, text=text)}
    )
    assert wrong == {}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    word=st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
        min_size=1,
        max_size=12,
    )
)
def test_any_word_in_a_description_finds_it(
    any_db: Database, unit: units.UnitInfo, word: str
) -> None:
    issue = issues.create_issue(any_db, unit.id, issues.IssueFields(f"before {word} after", TODAY))
    assert issue.id in found(any_db, unit_id=unit.id, text=word)


# --- sorting and paging --------------------------------------------------------------


def sort_value(row: issues.IssueRow, key: str) -> object:
    values = {
        "category": row.category.lower() or None,
        "owner": row.owner.lower() or None,
        "location": row.location.lower() or None,
        "status": [s.value for s in issues.IssueStatus].index(row.status),
    }
    return values.get(key, getattr(row, key))


def sort_problems(rows: list[issues.IssueRow], key: str, descending: bool) -> list[str]:
    values = [sort_value(r, key) for r in rows]
    present = [v for v in values if v is not None]
    problems = []
    if values != present + [None] * (len(values) - len(present)):
        problems.append(f"blanks not last: {values}")
    if present != sorted(present, reverse=descending):  # type: ignore[type-var]
        problems.append(f"out of order: {present}")
    # Ties fall back to the issue number, in the same direction.
    for a, b in zip(rows, rows[1:], strict=False):
        if sort_value(a, key) == sort_value(b, key) and (a.number > b.number) != descending:
            problems.append(f"tie of {a.number} and {b.number} in the wrong order")
    return problems


def test_every_sort_key_in_both_directions_with_blanks_last(any_db: Database, log: Log) -> None:
    wrong = {}
    for key in issues.SORT_KEYS:
        for descending in (False, True):
            query = IssueQuery(unit_id=log.unit_id, sort=key, descending=descending)
            problems = sort_problems(issues.list_issues(any_db, query).rows, key, descending)
            if problems:
                wrong[(key, descending)] = problems
    assert wrong == {}


def test_sorting_by_owner_or_category_works_before_there_are_any(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    from sqlalchemy import delete

    from cuspdesk.models import Choice, Person

    with any_db.session() as session:
        session.execute(delete(Person))
        session.execute(delete(Choice))
    make_issue("No owner yet")
    make_issue("Nor a category")
    for sort in ("owner", "category"):
        for descending in (False, True):
            page = issues.find_issue_rows(
                any_db, IssueQuery(unit_id=unit.id, sort=sort, descending=descending, limit=5)
            )
            assert [r.number for r in page] == ([2, 1] if descending else [1, 2])


def test_sorting_by_an_unknown_column_is_refused(any_db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        issues.list_issues(any_db, IssueQuery(sort="colour"))
    assert str(caught.value) == "The log cannot be sorted by “colour”."


def test_pages_cover_the_log_once_and_total_counts_every_match(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    for n in range(23):
        make_issue(f"Issue {n}", location="Pod A" if n % 2 else "Pod B")
    seen: list[int] = []
    for offset in range(0, 30, 10):
        page = issues.list_issues(
            any_db,
            IssueQuery(unit_id=unit.id, text="pod", sort="number", offset=offset, limit=10),
        )
        assert page.total == 23
        seen.extend(r.number for r in page.rows)
    assert seen == list(range(1, 24))
    filtered = issues.list_issues(
        any_db, IssueQuery(unit_id=unit.id, text="pod a", limit=5, offset=10)
    )
    assert filtered.total == 11
    assert [r.number for r in filtered.rows] == [22]
    assert issues.list_issues(any_db, IssueQuery(unit_id=unit.id, offset=5)).total == 23
    # A search counts in the same pass as it pages: past the last match it still knows.
    beyond = issues.list_issues(
        any_db, IssueQuery(unit_id=unit.id, text="pod", limit=10, offset=40)
    )
    assert (beyond.total, beyond.rows) == (23, [])
    nothing = issues.list_issues(any_db, IssueQuery(unit_id=unit.id, text="ward", limit=10))
    assert (nothing.total, nothing.rows) == (0, [])


def test_rows_without_a_count_and_the_count_alone_agree_with_the_whole_page(
    any_db: Database, log: Log, categories: dict[str, int]
) -> None:
    queries = [
        IssueQuery(unit_id=log.unit_id, limit=2),
        IssueQuery(unit_id=log.unit_id, limit=2, offset=2, sort="owner", descending=True),
        IssueQuery(unit_id=log.unit_id, text="heparin", limit=5),
        IssueQuery(unit_id=log.unit_id, text="ward", limit=5),
        IssueQuery(statuses=["open", "blocked"], category_ids=[categories["falls"]]),
        IssueQuery(unit_id=log.unit_id, overdue_only=True, include_archived=True),
    ]
    for query in queries:
        whole = issues.list_issues(any_db, query)
        assert issues.find_issue_rows(any_db, query) == whole.rows, query
        assert issues.count_matching_issues(any_db, query) == whole.total, query
    with pytest.raises(ValidationError, match="cannot be sorted by “colour”"):
        issues.find_issue_rows(any_db, IssueQuery(sort="colour"))


def test_a_word_in_many_issues_pages_the_same_walking_the_numbers_in_order(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import event

    for n in range(30):
        make_issue(f"Night shift handover {n}" if n % 3 else f"Day round {n}", location="Pod A")
    queries = [
        IssueQuery(unit_id=unit.id, text=text, limit=limit, offset=offset, descending=descending)
        for text in ("night", "NIGHT pod", "handover shift", "day")
        for limit, offset in ((5, 0), (5, 10), (50, 0))
        for descending in (False, True)
    ]
    expected = [issues.list_issues(any_db, query).rows for query in queries]
    statements: list[str] = []
    event.listen(any_db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    monkeypatch.setattr(issues, "WALK_FROM_MATCHES", 1)
    assert [issues.find_issue_rows(any_db, query) for query in queries] == expected
    walked = [s for s in statements if "safety_issue.id + " in s]
    if any_db.engine.dialect.name == "sqlite":
        assert len(walked) == len(queries)
    else:  # PostgreSQL has no trigram index to ask how common a word is
        assert walked == []
    # Narrowed by a filter, sorted otherwise, or deep in the pages: found by looking up.
    statements.clear()
    for query in (
        IssueQuery(unit_id=unit.id, text="night", limit=5, statuses=["open"]),
        IssueQuery(unit_id=unit.id, text="night", limit=5, sort="owner"),
        IssueQuery(unit_id=unit.id, text="night", limit=5, offset=issues.WALK_UP_TO_ROW),
    ):
        assert issues.find_issue_rows(any_db, query) == issues.list_issues(any_db, query).rows
    assert not [s for s in statements if "safety_issue.id + " in s]


def test_the_concerns_board_lists_active_issues_by_rank(any_db: Database, log: Log) -> None:
    board = issues.list_ranked(any_db, log.unit_id)
    assert [r.id for r in board] == [
        log.ids["overdue"],
        log.ids["due_soon"],
        log.ids["later"],
        log.ids["escalated"],
    ]
    assert [r.priority_rank for r in board] == [1, 2, 3, 4]


# --- counts --------------------------------------------------------------------------


def test_counts_for_the_dashboard(any_db: Database, log: Log) -> None:
    counts = issues.count_issues(any_db, log.unit_id, on=TODAY)
    assert (counts.open, counts.overdue, counts.due_soon, counts.needs_executive) == (4, 1, 1, 2)
    assert counts.by_status == {
        "open": 3,
        "in_progress": 0,
        "blocked": 0,
        "escalated": 1,
        "resolved": 1,
        "closed": 1,
    }
    later = issues.count_issues(any_db, log.unit_id, on=TODAY + timedelta(days=2))
    assert (later.overdue, later.due_soon) == (1, 2)
    everywhere = issues.count_issues(any_db, None, on=TODAY)
    assert (everywhere.open, everywhere.overdue) == (5, 2)


def test_counts_agree_with_the_list_filters(any_db: Database, log: Log) -> None:
    counts = issues.count_issues(any_db, log.unit_id)
    assert counts.open == len(found(any_db, unit_id=log.unit_id, active_only=True))
    assert counts.overdue == len(found(any_db, unit_id=log.unit_id, overdue_only=True))
    assert counts.due_soon == len(found(any_db, unit_id=log.unit_id, due_within_days=14))
    assert counts.needs_executive == len(
        found(any_db, unit_id=log.unit_id, needs_executive_only=True, active_only=True)
    )


def test_an_empty_log_counts_zero(any_db: Database, unit: units.UnitInfo) -> None:
    counts = issues.count_issues(any_db, unit.id, on=date(2026, 1, 1))
    assert (counts.open, counts.overdue, counts.due_soon, counts.needs_executive) == (0, 0, 0, 0)
    assert set(counts.by_status.values()) == {0}
    assert issues.list_issues(any_db, IssueQuery(unit_id=unit.id)).rows == []


def test_odd_characters_in_the_search_box_are_harmless(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    make_issue("Bed alarm not set")
    for text in ["²", "#³", "x²", "½", "٣", "\x00", "bed\x00alarm", "\t\n"]:
        page = issues.list_issues(any_db, IssueQuery(unit_id=unit.id, text=text))
        assert page.total == len(page.rows), text


def test_control_characters_separate_search_words(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    wanted = make_issue("Bed alarm not set").id
    assert found(any_db, unit_id=unit.id, text="alarm\x00bed") == {wanted}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=30))
def test_any_search_text_gives_an_answer_not_an_error(
    any_db: Database, unit: units.UnitInfo, text: str
) -> None:
    page = issues.list_issues(any_db, IssueQuery(unit_id=unit.id, text=text, limit=5))
    assert page.total >= len(page.rows)


def test_quotes_and_fts_syntax_typed_in_the_search_box_are_literal(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    quoted = make_issue('Sign says "no entry" at bay 4').id
    make_issue("No entry sign missing")
    assert found(any_db, unit_id=unit.id, text='"no') == {quoted}
    assert found(any_db, unit_id=unit.id, text='entry"') == {quoted}
    for syntax in ["AND", "NEAR(", "bay*", "^sign", "entry OR", "-bay", "{col}:x"]:
        page = issues.list_issues(any_db, IssueQuery(unit_id=unit.id, text=syntax))
        assert page.total == len(page.rows), syntax
    assert found(any_db, unit_id=unit.id, text="bay*") == set()


def test_on_sqlite_a_word_of_three_letters_or_more_is_looked_up_in_the_trigram_index() -> None:
    """A LIKE with ESCAPE reads all of the index; a quoted FTS5 phrase uses it."""
    from sqlalchemy import select
    from sqlalchemy.dialects import sqlite

    from cuspdesk.models import SafetyIssue
    from cuspdesk.services.issue_search import matches_word

    def compiled(word: str) -> str:
        statement = select(SafetyIssue.id).where(matches_word(word))
        return str(statement.compile(dialect=sqlite.dialect()))

    assert "issue_search MATCH" in compiled("heparin")
    assert "ESCAPE" not in compiled("100%")
    assert "LIKE" in compiled("iv") and "MATCH" not in compiled("iv")
