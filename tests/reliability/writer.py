"""The crash test's writer: saves issues, notes, status changes and rank moves until killed.

Every change is printed only after its transaction has committed, so the test
knows exactly what must survive a kill:

    issue <uuid>                  a new issue was saved
    note <note id> <issue id>     a follow-up note was saved
    status <issue id> <status> <version>
    rank <issue id> <rank>

Two ways to run it:

    python writer.py DB --once SEED   write until killed (a fresh interpreter each time)
    python writer.py DB --serve       read "go SEED" lines; fork one writer per line, print
                                      "child PID", wait for it to die, print "dead PID STATUS"

The serving mode imports the app once and forks, so hundreds of kills take
seconds instead of minutes; each forked child is still a separate process that
opens the database itself and is killed with SIGKILL.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from cuspdesk.db import Database, open_database
from cuspdesk.services import issues, units

UNIT_NAME = "Crash test unit"
YESTERDAY = date.today() - timedelta(days=1)
NEXT = {"open": "in_progress", "in_progress": "resolved", "resolved": "open"}


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ensure_unit(db: Database, *, quiet: bool = False) -> int:
    for unit in units.list_units(db):
        if unit.name == UNIT_NAME:
            return unit.id
    created = units.create_unit(db, units.UnitFields(name=UNIT_NAME))
    if not quiet:
        say(f"unit {created.id}")
    return created.id


def write_until_killed(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = open_database(path)
    say("open")
    unit_id = ensure_unit(db)
    known = [row.id for row in issues.list_issues(db, issues.IssueQuery(unit_id=unit_id)).rows]
    serial = 0
    while True:
        serial += 1
        roll = rng.random()
        if roll < 0.4 or len(known) < 3:
            detail = issues.create_issue(
                db,
                unit_id,
                issues.IssueFields(
                    description=f"Finding {seed}-{serial}: {'é🩺' * rng.randint(0, 40)}",
                    date_identified=YESTERDAY,
                    action_plan="Fix the cause",
                    likelihood=rng.randint(1, 5),
                    severity=rng.randint(1, 5),
                ),
            )
            known.append(detail.id)
            say(f"issue {detail.uuid}")
        elif roll < 0.65:
            issue_id = rng.choice(known)
            note = issues.add_note(
                db, issue_id, f"Follow-up {seed}-{serial} " + "x" * rng.randint(0, 3000)
            )
            say(f"note {note.id} {issue_id}")
        elif roll < 0.85:
            issue_id = rng.choice(known)
            current = issues.get_issue(db, issue_id)
            target = NEXT.get(current.status, "open")
            changed = issues.change_status(db, issue_id, target, note="Back on the list")
            say(f"status {issue_id} {changed.status} {changed.version}")
        else:
            ranked = issues.list_ranked(db, unit_id)
            if len(ranked) < 2:
                continue
            mover = rng.choice(ranked)
            target = rng.choice([r for r in range(1, len(ranked) + 1) if r != mover.priority_rank])
            issues.move_rank(db, mover.id, target)
            say(f"rank {mover.id} {target}")


def warm_up() -> None:
    """Do each kind of save once on a scratch file, so forked writers start warm.

    SQLAlchemy configures mappers and builds its caches on first use; done here,
    before forking, each child spends its short life writing instead.
    """
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "warm.sqlite3")
        unit_id = ensure_unit(db, quiet=True)
        for _ in range(3):
            made = issues.create_issue(
                db,
                unit_id,
                issues.IssueFields(description="warm", date_identified=YESTERDAY, action_plan="x"),
            )
        issues.add_note(db, made.id, "warm")
        issues.change_status(db, made.id, "in_progress")
        issues.move_rank(db, made.id, 1)
        issues.list_ranked(db, unit_id)
        issues.list_issues(db, issues.IssueQuery(unit_id=unit_id))
        issues.get_issue(db, made.id)
        db.dispose()


def serve(path: Path) -> None:
    warm_up()
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 2 or parts[0] != "go":
            continue
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                write_until_killed(path, int(parts[1]))
            except BaseException as exc:
                say(f"error {type(exc).__name__}: {exc}")
                code = 1
            finally:
                os._exit(code)
        say(f"child {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"dead {pid} {status}")


def main(argv: list[str]) -> int:
    path = Path(argv[1])
    if argv[2] == "--serve":
        serve(path)
        return 0
    try:
        write_until_killed(path, int(argv[3]))
    except BaseException as exc:
        say(f"error {type(exc).__name__}: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
