"""A second window on the same database file is told another one has it, and may read only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.ui.instance_lock import (
    HolderInfo,
    acquire_instance_lock,
    ask_open_read_only,
    lock_path,
)


def test_the_first_window_gets_the_lock_and_the_second_is_told(db: Database) -> None:
    assert db.path is not None
    first = acquire_instance_lock(db)
    assert first.acquired and first.path == lock_path(db.path)
    assert first.path.name == db.path.name + ".lock" and first.path.exists()
    second = acquire_instance_lock(db)
    assert not second.acquired and second.held_elsewhere
    assert second.holder is not None and second.holder.pid == os.getpid()
    assert second.holder.host == socket.gethostname()
    first.release()
    assert not first.path.exists()
    third = acquire_instance_lock(db)
    assert third.acquired
    third.release()


def test_a_lock_left_by_a_crashed_window_is_cleared(db: Database) -> None:
    assert db.path is not None
    script = (
        "import sys, time\n"
        "from PySide6.QtCore import QLockFile\n"
        f"lock = QLockFile({str(lock_path(db.path))!r})\n"
        "print(lock.tryLock(0), flush=True)\n"
        "time.sleep(120)\n"
    )
    other = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "True"
        while_running = acquire_instance_lock(db)
        assert while_running.held_elsewhere
        assert while_running.holder is not None and while_running.holder.pid == other.pid
    finally:
        other.send_signal(signal.SIGKILL)
        other.wait(timeout=30)
    after_crash = acquire_instance_lock(db)
    assert after_crash.acquired
    after_crash.release()


def test_a_lock_from_another_computer_is_kept_until_the_person_takes_over(db: Database) -> None:
    assert db.path is not None
    lock_path(db.path).write_text("4242\ncuspdesk\nward-laptop-7\n")
    found = acquire_instance_lock(db)
    assert found.held_elsewhere
    assert found.holder == HolderInfo(pid=4242, host="ward-laptop-7", app="cuspdesk")
    assert found.holder.describe() == "on ward-laptop-7 (process 4242)"
    assert found.take_over()
    assert found.acquired and found.holder is None
    assert not acquire_instance_lock(db).acquired
    found.release()


def test_server_databases_need_no_lock(pg_db: Database) -> None:
    lock = acquire_instance_lock(pg_db)
    assert lock.acquired and lock.path is None
    lock.release()


def test_a_folder_where_no_lock_can_be_written(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    lock_path(db.path).mkdir()  # something in the way that is not a lock file
    lock = acquire_instance_lock(db)
    assert not lock.acquired and not lock.held_elsewhere
    assert "could not note" in lock.problem


def test_a_read_only_folder_gets_no_lock_and_says_why(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    db.dispose()
    view = tmp_path / "read-only-view"
    view.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    mounted = subprocess.run(["mount", "--bind", str(db.path.parent), str(view)])
    if mounted.returncode != 0:
        pytest.skip("mount is not permitted here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        from cuspdesk.db import open_database

        reader = open_database(view / db.path.name)
        lock = acquire_instance_lock(reader)
        assert not lock.acquired and not lock.held_elsewhere
        assert "read-only" in lock.problem
        reader.dispose()
    finally:
        subprocess.run(["umount", str(view)])


def _answer(button_name: str) -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            assert widget.accessibleName() == "Database already open"
            assert "ward-laptop-7" in widget.text()
            button = next(
                b for b in widget.findChildren(QPushButton) if b.accessibleName() == button_name
            )
            button.click()
            return
    QTimer.singleShot(10, lambda: _answer(button_name))


@pytest.mark.parametrize(("button", "expected"), [("Open read-only", True), ("Cancel", False)])
def test_ask_open_read_only(qtbot: QtBot, button: str, expected: bool) -> None:
    QTimer.singleShot(0, lambda: _answer(button))
    holder = HolderInfo(pid=7, host="ward-laptop-7", app="cuspdesk")
    assert ask_open_read_only(None, holder) is expected
