"""Two processes on one database: no lost update, and a stale edit is refused, never saved over.

Each editor runs in its own process (editor.py), as two app instances or the app
and the command line would. They hammer the same issues with edits, notes,
status changes, rank moves and new issues; afterwards every change either side
reported as saved must be there.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from reliability_helpers import YESTERDAY, run_cli, unit_with_issues

from cuspdesk.db import Database, open_database
from cuspdesk.errors import ConflictError
from cuspdesk.services import audit, issues, units

EDITOR = Path(__file__).with_name("editor.py")
ROUNDS = 60


def target_of(db: Database) -> str:
    """What a second process passes as --db to reach the same database."""
    if db.path is not None:
        return str(db.path)
    return db.engine.url.render_as_string(hide_password=False)


def run_editors(target: str, shared: list[int], rounds: int = ROUNDS) -> dict[str, list[str]]:
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-u", str(EDITOR), target, name, str(rounds), str(seed)]
            + [str(i) for i in shared],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed, name in enumerate(("A", "B"), start=7)
    }
    for proc in procs.values():
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs.values():  # both start at the same moment
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs: dict[str, list[str]] = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, f"editor {name} failed: {err}"
        outputs[name] = out.splitlines()
    return outputs


def check_nothing_was_lost(
    db: Database, unit_id: int, outputs: dict[str, list[str]]
) -> Counter[str]:
    said: Counter[str] = Counter()
    tokens: dict[int, list[str]] = {}
    for lines in outputs.values():
        for line in lines:
            kind, *rest = line.split()
            said[kind] += 1
            if kind == "edit":
                tokens.setdefault(int(rest[0]), []).append(rest[1])
            elif kind == "note":
                note_issue = issues.get_issue(db, int(rest[1]))
                assert int(rest[0]) in {n.id for n in note_issue.notes}
            elif kind == "issue":
                page = issues.list_issues(db, issues.IssueQuery(unit_id=unit_id))
                assert rest[0] in {issues.get_issue(db, r.id).uuid for r in page.rows}
    for issue_id, expected in tokens.items():
        plan = issues.get_issue(db, issue_id).fields.action_plan.split()
        # Every saved edit is there, once: nobody's save silently replaced another's.
        assert sorted(plan) == sorted(expected), f"issue {issue_id} lost an edit"
    statuses = [
        r
        for r in audit.find_audit_events(
            db, audit.AuditQuery(entity="safety_issue", limit=10_000)
        ).rows
        if r.field == "status"
    ]
    assert len(statuses) >= said["status"]
    page = issues.list_issues(db, issues.IssueQuery(unit_id=unit_id))
    numbers = sorted(r.number for r in page.rows)
    assert numbers == list(range(1, len(numbers) + 1)), "issue numbers collided or skipped"
    ranks = sorted(r.priority_rank for r in page.rows if r.priority_rank is not None)
    assert ranks == list(range(1, len(ranks) + 1)), f"the priority order broke: {ranks}"
    return said


def test_two_processes_lose_no_update(any_db: Database) -> None:
    unit_id, shared = unit_with_issues(any_db, count=3)
    outputs = run_editors(target_of(any_db), shared)
    said = check_nothing_was_lost(any_db, unit_id, outputs)
    assert said["edit"] > 0 and said["note"] > 0 and said["status"] > 0 and said["rank"] > 0
    if any_db.is_sqlite:
        with any_db.reader() as session:
            assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def _save_in_another_process(target: str, issue_id: int, plan: str) -> None:
    script = textwrap.dedent(
        f"""
        from dataclasses import replace
        from cuspdesk.db import open_database
        from cuspdesk.services import issues
        db = open_database({target!r})
        seen = issues.get_issue(db, {issue_id})
        issues.update_issue(
            db, {issue_id}, replace(seen.fields, action_plan={plan!r}),
            expected_version=seen.version,
        )
        db.dispose()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_a_stale_edit_is_refused_with_both_versions(any_db: Database) -> None:
    _unit_id, (issue_id, *_rest) = unit_with_issues(any_db, count=1)
    mine = issues.get_issue(any_db, issue_id)  # the form opens here...
    _save_in_another_process(target_of(any_db), issue_id, "Theirs: new pumps ordered")
    with pytest.raises(ConflictError) as caught:  # ...and saves after the other one did
        issues.update_issue(
            any_db,
            issue_id,
            replace(mine.fields, action_plan="Mine: retrain the night shift"),
            expected_version=mine.version,
        )
    conflict = caught.value
    assert conflict.mine["action_plan"] == "Mine: retrain the night shift"
    assert conflict.theirs["action_plan"] == "Theirs: new pumps ordered"
    assert list(conflict.differing_fields) == ["action_plan"]
    now = issues.get_issue(any_db, issue_id)
    assert conflict.current_version == now.version > mine.version
    assert now.fields.action_plan == "Theirs: new pumps ordered"  # nothing silently overwritten
    with pytest.raises(ConflictError):
        issues.change_status(any_db, issue_id, "in_progress", expected_version=mine.version)
    assert issues.get_issue(any_db, issue_id).status == "open"
    # The person chooses: reload, keep both, save again with the current version.
    issues.update_issue(
        any_db,
        issue_id,
        replace(now.fields, action_plan=now.fields.action_plan + "; retrain the night shift"),
        expected_version=now.version,
    )
    assert "Theirs" in issues.get_issue(any_db, issue_id).fields.action_plan


def test_the_app_saves_while_the_command_line_fills_the_demo_unit(db: Database) -> None:
    unit = units.create_unit(db, units.UnitFields(name="Ward 9"))
    cli = subprocess.Popen(
        [sys.executable, "-m", "cuspdesk", "--db", str(db.path), "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    made = []
    while cli.poll() is None or len(made) < 5:
        fields = issues.IssueFields(description=f"App save {len(made)}", date_identified=YESTERDAY)
        made.append(issues.create_issue(db, unit.id, fields).number)
        time.sleep(0.01)
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    assert "sample unit" in out
    assert made == list(range(1, len(made) + 1))
    assert {u.name for u in units.list_units(db)} >= {"Ward 9"}
    code, _, err = run_cli("--db", str(db.path), "check")
    assert code == 0, err


@pytest.mark.postgres
def test_two_clients_on_one_server_editing_one_issue_get_the_conflict(pg_db: Database) -> None:
    """Two desktops open the same shared server: the second save is refused, with both sides."""
    _unit_id, (issue_id, *_rest) = unit_with_issues(pg_db, count=1)
    other = open_database(target_of(pg_db))
    try:
        first = issues.get_issue(pg_db, issue_id)  # both forms open the issue...
        second = issues.get_issue(other, issue_id)
        issues.update_issue(
            pg_db,
            issue_id,
            replace(first.fields, action_plan="First client: pumps ordered"),
            expected_version=first.version,
        )
        with pytest.raises(ConflictError) as info:
            issues.update_issue(
                other,
                issue_id,
                replace(second.fields, action_plan="Second client: pumps serviced"),
                expected_version=second.version,
            )
        conflict = info.value
        assert conflict.theirs["action_plan"] == "First client: pumps ordered"
        assert conflict.mine["action_plan"] == "Second client: pumps serviced"
        assert "action_plan" in conflict.differing_fields
        assert conflict.current_version == first.version + 1
        # Nothing was saved over the first client's change; reloading and saving works.
        reloaded = issues.get_issue(other, issue_id)
        assert reloaded.fields.action_plan == "First client: pumps ordered"
        issues.update_issue(
            other,
            issue_id,
            replace(reloaded.fields, action_plan="Second client, after reloading"),
            expected_version=reloaded.version,
        )
        assert issues.get_issue(pg_db, issue_id).fields.action_plan == (
            "Second client, after reloading"
        )
    finally:
        other.dispose()
