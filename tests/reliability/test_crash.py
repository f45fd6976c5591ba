"""Kill a writer with SIGKILL at random moments; every committed change must survive, intact.

One database is reused across all kills, so each kill lands on a file that has
already survived the ones before. After every kill the file is checked with
SQLite's own integrity and foreign-key checks, every change the writer
reported as committed is looked up, and the tracking log's own rules (numbers
without gaps, one priority order, an audit row for every record) are checked.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# How many times the writer is killed in a normal run (CI included).
KILLS = int(os.environ.get("CUSPDESK_CRASH_KILLS", "200"))
# Of those, how many start a whole new interpreter instead of a fork of a warm one.
FRESH_INTERPRETER_KILLS = 5
# The longest a writer lives (from its start or its first save) before it is killed.
MAX_LIFETIME_S = 0.25
WRITER = Path(__file__).with_name("writer.py")
SEED = int(os.environ.get("CUSPDESK_CRASH_SEED", "20260105"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not hasattr(os, "fork"), reason="the crash test forks writers; this OS cannot fork"
    ),
]


@dataclass
class Reported:
    """Everything the writers said they had committed, across all kills."""

    issues: set[str] = field(default_factory=set)
    notes: dict[int, int] = field(default_factory=dict)
    statuses: list[tuple[int, str, int]] = field(default_factory=list)
    ranks: list[tuple[int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def take(self, line: str) -> None:
        kind, _, rest = line.partition(" ")
        parts = rest.split()
        if kind == "issue":
            self.issues.add(parts[0])
        elif kind == "note":
            self.notes[int(parts[0])] = int(parts[1])
        elif kind == "status":
            self.statuses.append((int(parts[0]), parts[1], int(parts[2])))
        elif kind == "rank" and parts[1] != "None":
            self.ranks.append((int(parts[0]), int(parts[1])))
        elif kind == "error":
            self.errors.append(rest)

    @property
    def changes(self) -> int:
        return len(self.issues) + len(self.notes) + len(self.statuses) + len(self.ranks)


class Lines:
    """A background reader, so the test can wait for a line without blocking forever."""

    def __init__(self, stream: object) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self.thread.start()

    def _pump(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def until(self, predicate: object, timeout: float = 30) -> Iterator[str]:
        """Yield lines up to and including the first that ``predicate`` accepts."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.queue.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                raise AssertionError("the writer stopped talking")
            yield line
            if predicate(line):  # type: ignore[operator]
                return


def check_database(path: Path, reported: Reported, kill: int) -> None:
    where = f"after kill {kill} (seed {SEED})"
    conn = sqlite3.connect(path, timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], where
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "safety_issue" not in tables:
            # Killed while the very first writer was still creating the database: the
            # schema is one transaction, so nothing of it (and nothing else) is there.
            assert tables <= {"alembic_version"}, f"half-made schema {where}: {tables}"
            assert not reported.changes and not reported.issues, where
            return
        uuids = {r[0] for r in conn.execute("SELECT uuid FROM safety_issue")}
        lost = reported.issues - uuids
        assert not lost, f"{len(lost)} committed issue(s) lost {where}"
        notes = dict(conn.execute("SELECT id, issue_id FROM issue_note").fetchall())
        lost_notes = {n for n, issue in reported.notes.items() if notes.get(n) != issue}
        assert not lost_notes, f"committed note(s) {sorted(lost_notes)[:5]} lost {where}"
        versions = dict(conn.execute("SELECT id, version FROM safety_issue").fetchall())
        status_events = set(
            conn.execute(
                "SELECT entity_id, new_value FROM audit_event "
                "WHERE entity = 'safety_issue' AND field = 'status'"
            ).fetchall()
        )
        for issue_id, status, version in reported.statuses:
            assert versions[issue_id] >= version, f"issue {issue_id} went back in time {where}"
            assert (issue_id, status) in status_events, f"status of {issue_id} lost {where}"
        rank_events = set(
            conn.execute(
                "SELECT entity_id, new_value FROM audit_event "
                "WHERE entity = 'safety_issue' AND field = 'priority_rank'"
            ).fetchall()
        )
        for issue_id, rank in reported.ranks:
            assert (issue_id, str(rank)) in rank_events, f"rank move of {issue_id} lost {where}"
        check_log_rules(conn, where)
    finally:
        conn.close()


def check_log_rules(conn: sqlite3.Connection, where: str) -> None:
    """The rules a half-written save would break."""
    for (unit_id,) in conn.execute("SELECT id FROM unit").fetchall():
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT number FROM safety_issue WHERE unit_id = ? ORDER BY number", (unit_id,)
            )
        ]
        assert numbers == list(range(1, len(numbers) + 1)), f"issue numbers have gaps {where}"
        ranks = [
            r[0]
            for r in conn.execute(
                "SELECT priority_rank FROM safety_issue WHERE unit_id = ? "
                "AND priority_rank IS NOT NULL ORDER BY priority_rank",
                (unit_id,),
            )
        ]
        assert ranks == list(range(1, len(ranks) + 1)), f"priority order broken {where}"
        unranked_active = conn.execute(
            "SELECT count(*) FROM safety_issue WHERE unit_id = ? AND priority_rank IS NULL "
            "AND status IN ('open', 'in_progress', 'blocked', 'escalated') "
            "AND archived_at IS NULL",
            (unit_id,),
        ).fetchone()[0]
        assert unranked_active == 0, f"an active issue lost its place {where}"
    for table in ("safety_issue", "issue_note", "unit"):
        missing = conn.execute(
            f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM audit_event a "
            f"WHERE a.entity = '{table}' AND a.entity_id = t.id AND a.action = 'create')"
        ).fetchone()[0]
        assert missing == 0, f"{missing} {table} row(s) saved without their audit event {where}"


def _kill_fresh_writer(path: Path, seed: int, delay: float, reported: Reported) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-u", str(WRITER), str(path), "--once", str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = Lines(proc.stdout)
    # A fresh interpreter spends its first moments importing; start the clock once it opens.
    for line in lines.until(lambda s: s == "open" or s.startswith("error")):
        reported.take(line)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    lines.thread.join(timeout=30)
    while not lines.queue.empty():
        line = lines.queue.get()
        if line is not None:
            reported.take(line)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert not stderr.strip(), stderr
    assert proc.returncode == -signal.SIGKILL


CHANGES = ("issue ", "note ", "status ", "rank ")


def _kill_forked_writer(
    server: subprocess.Popen[str],
    lines: Lines,
    seed: int,
    delay: float,
    reported: Reported,
    *,
    from_first_change: bool,
) -> None:
    """Kill a forked writer ``delay`` seconds after it started (or after its first save).

    Counting from the first save keeps most kills in the middle of writing even
    when a busy machine makes start-up slow.
    """
    assert server.stdin is not None
    server.stdin.write(f"go {seed}\n")
    server.stdin.flush()
    child = 0
    for line in lines.until(lambda s: s.startswith("child ")):
        if line.startswith("child "):
            child = int(line.split()[1])
        else:
            reported.take(line)
    if from_first_change:
        for line in lines.until(lambda s: s.startswith((*CHANGES, "error ")), timeout=60):
            reported.take(line)
    time.sleep(delay)
    os.kill(child, signal.SIGKILL)
    died = f"dead {child} "
    for line in lines.until(lambda s: s.startswith(died)):
        if line.startswith(died):
            status = int(line.split()[2])
            assert os.WIFSIGNALED(status), f"the writer ended by itself: {status}"
            assert os.WTERMSIG(status) == signal.SIGKILL
        else:
            reported.take(line)


def test_committed_changes_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    rng = random.Random(SEED)
    reported = Reported()
    server = subprocess.Popen(
        [sys.executable, "-u", str(WRITER), str(path), "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert server.stdin is not None
    lines = Lines(server.stdout)
    started = time.monotonic()
    try:
        for kill in range(1, KILLS + 1):
            # The first writer creates the database: kill it while it is doing so.
            delay = rng.uniform(0, 0.05 if kill == 1 else MAX_LIFETIME_S)
            seed = rng.randrange(10**9)
            if kill % max(1, KILLS // FRESH_INTERPRETER_KILLS) == 0:
                _kill_fresh_writer(path, seed, delay, reported)
            else:
                # One kill in four may land anywhere, start-up included.
                midway = kill > 1 and rng.random() < 0.75
                _kill_forked_writer(server, lines, seed, delay, reported, from_first_change=midway)
            assert not reported.errors, reported.errors
            check_database(path, reported, kill)
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A failed check can leave a writer running; stop the server and its children.
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        assert server.stderr is not None
        stderr = server.stderr.read()
        server.stderr.close()
    elapsed = time.monotonic() - started
    assert not stderr.strip(), stderr
    # Enough real work happened between kills for the test to mean something.
    assert reported.changes > KILLS // 2, reported.changes
    assert reported.notes and reported.statuses and reported.ranks
    print(
        f"\n{KILLS} kills in {elapsed:.1f} s; {reported.changes} committed changes checked "
        f"({len(reported.issues)} issues, {len(reported.notes)} notes, "
        f"{len(reported.statuses)} status changes, {len(reported.ranks)} rank moves)"
    )
