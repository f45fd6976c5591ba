"""One of the two people in the concurrency test: edits shared issues from its own process.

    python editor.py DATABASE NAME ROUNDS SEED ISSUE_ID...

It opens the database, prints "ready", waits for a line on stdin (so both
editors start together), then does ROUNDS random changes to the given issues,
the way a person at the form would: read the issue, change it, save with the
version it was read at. Each saved change is printed after its commit returns:

    edit <issue id> <token>       the token was appended to the action plan
    note <note id> <issue id>
    status <issue id> <status>
    rank <issue id>
    issue <uuid>                  a new issue (numbering under contention)
    conflict <issue id>           a stale save was refused, reloaded and retried
    busy                          the database said "try again", and it was tried again
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TypeVar

from cuspdesk.db import open_database
from cuspdesk.errors import ConflictError, StorageError
from cuspdesk.services import issues

YESTERDAY = date.today() - timedelta(days=1)
TOGGLE = {"open": "in_progress", "in_progress": "open"}
T = TypeVar("T")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    target, name, rounds, seed = argv[1], argv[2], int(argv[3]), int(argv[4])
    shared = [int(x) for x in argv[5:]]
    rng = random.Random(seed)
    db = open_database(target)
    unit_id = issues.get_issue(db, shared[0]).unit_id
    say("ready")
    sys.stdin.readline()

    def retrying(issue_id: int, attempt: Callable[[], T]) -> T:
        """What the form does after "someone else changed it": reload, redo, save again."""
        while True:
            try:
                return attempt()
            except ConflictError:
                say(f"conflict {issue_id}")
            except StorageError as exc:
                if "busy" not in str(exc) and "clashes" not in str(exc):
                    raise
                say("busy")

    for n in range(rounds):
        issue_id = rng.choice(shared)
        roll = rng.random()
        if roll < 0.35:
            token = f"{name}{n}"

            def edit(issue_id: int = issue_id, token: str = token) -> None:
                seen = issues.get_issue(db, issue_id)
                plan = f"{seen.fields.action_plan} {token}".strip()
                issues.update_issue(
                    db,
                    issue_id,
                    replace(seen.fields, action_plan=plan),
                    expected_version=seen.version,
                )

            retrying(issue_id, edit)
            say(f"edit {issue_id} {token}")
        elif roll < 0.55:
            note = retrying(issue_id, lambda i=issue_id, n=n: issues.add_note(db, i, f"{name} {n}"))
            say(f"note {note.id} {issue_id}")
        elif roll < 0.75:

            def toggle(issue_id: int = issue_id) -> str:
                seen = issues.get_issue(db, issue_id)
                wanted = TOGGLE[seen.status]
                issues.change_status(db, issue_id, wanted, expected_version=seen.version)
                return wanted

            status = retrying(issue_id, toggle)
            say(f"status {issue_id} {status}")
        elif roll < 0.9:
            rank = rng.randint(1, len(shared))
            retrying(issue_id, lambda i=issue_id, r=rank: issues.move_rank(db, i, r))
            say(f"rank {issue_id}")
        else:
            fields = issues.IssueFields(description=f"{name} new {n}", date_identified=YESTERDAY)
            made = retrying(0, lambda f=fields: issues.create_issue(db, unit_id, f))
            say(f"issue {made.uuid}")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
