"""The disk says no: full, read-only, the file deleted underneath, a network drive.

Every case must end with a plain sentence, nothing half-written, everything
saved before still there, and the person's input still in their hands. The
full and read-only disks are real: a 2 MB tmpfs and a read-only bind mount
(both need root; without it the tests skip and say why), and a read-only file
checked as the unprivileged user ``nobody``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from reliability_helpers import YESTERDAY, assert_plain_message, descriptions, run_cli

from cuspdesk.db import Database, network_drive_warning, open_database
from cuspdesk.errors import CuspDeskError, ReadOnlyDatabaseError, StorageError
from cuspdesk.services import backup, drafts, issues, units

FULL_DISK_MESSAGE = "The disk is full, so the change was not saved. Free some space."


def _skip(reason: str) -> None:
    print(f"\nskipped: {reason}", file=sys.stderr)
    pytest.skip(reason)


def _mount(*args: str) -> None:
    if os.geteuid() != 0:
        _skip("mounting a test filesystem needs root")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        _skip(f"mount is not permitted here: {done.stderr.strip() or done.returncode}")


def _unmount(point: Path) -> None:
    done = subprocess.run(["umount", str(point)], capture_output=True)
    if done.returncode != 0:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB filesystem that fills up quickly."""
    point = tmp_path / "small-disk"
    point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point))
    try:
        yield point
    finally:
        _unmount(point)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable folder, the same folder seen through a read-only bind mount)."""
    source = tmp_path / "source"
    source.mkdir()
    view = tmp_path / "read-only-view"
    view.mkdir()
    _mount("--bind", str(source), str(view))
    done = subprocess.run(
        ["mount", "-o", "remount,bind,ro", str(view)], capture_output=True, text=True
    )
    if done.returncode != 0:
        _unmount(view)
        _skip(f"a read-only remount is not permitted here: {done.stderr.strip()}")
    try:
        yield source, view
    finally:
        _unmount(view)


def _issue_fields(text: str) -> issues.IssueFields:
    return issues.IssueFields(description=text, date_identified=YESTERDAY)


# --- a full disk ---------------------------------------------------------------------


def test_a_full_disk_refuses_the_save_and_loses_nothing(small_disk: Path) -> None:
    filler = small_disk / "someone-elses-files.bin"
    filler.write_bytes(b"\0" * 600_000)
    path = small_disk / "cusp.sqlite3"
    db = open_database(path)
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    saved: dict[int, str] = {}
    typed = _issue_fields("")
    with pytest.raises(StorageError) as caught:
        for n in range(500):
            typed = _issue_fields(f"Finding {n}: " + "pump alarm not heard in bay 3. " * 2000)
            saved[issues.create_issue(db, unit.id, typed).id] = typed.description.strip()
    assert str(caught.value) == FULL_DISK_MESSAGE
    assert typed.description.startswith(f"Finding {len(saved)}:")  # the input is still there
    assert len(saved) >= 1

    # Whatever room the refused save left, someone else's files now take.
    with contextlib.suppress(OSError), (small_disk / "more-files.bin").open("wb") as more:
        while True:
            more.write(b"\0" * 4096)
            more.flush()
    # Notes, drafts and backups are refused the same way; nothing half-written. (A refused
    # save leaves room in SQLite's journal, so a smaller save after it may fit: then it
    # must be there, whole.)
    with pytest.raises(StorageError, match="disk is full"):
        issues.add_note(db, next(iter(saved)), "A long note. " * 30_000)
    try:
        drafts.save_draft(db, "issue", "new", {"description": typed.description})
    except StorageError as exc:
        assert str(exc) == FULL_DISK_MESSAGE
    else:
        assert drafts.load_draft(db, "issue", "new") == {"description": typed.description}
    with pytest.raises(StorageError, match="disk is full"):
        backup.backup_now(db)
    code, _, err = run_cli("--db", str(path), "backup")
    assert code == 1
    assert_plain_message(err.strip())

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = dict(conn.execute("SELECT id, description FROM safety_issue").fetchall())
    assert stored == saved
    assert not list(small_disk.glob("**/*.partial"))

    # Space freed: the very same input saves.
    filler.unlink()
    (small_disk / "more-files.bin").unlink()
    kept = issues.create_issue(db, unit.id, typed)
    assert issues.get_issue(db, kept.id).fields.description == typed.description.strip()
    db.dispose()
    assert open_database(path).read_only is False


def test_a_new_database_on_a_full_disk_fails_cleanly(small_disk: Path) -> None:
    (small_disk / "full.bin").write_bytes(b"\0" * (2 * 1024 * 1024 - 8192))
    path = small_disk / "new.sqlite3"
    with pytest.raises(CuspDeskError) as caught:
        open_database(path)
    assert_plain_message(str(caught.value))
    (small_disk / "full.bin").unlink()
    # What was left behind is either nothing or something the next open can finish.
    db = open_database(path)
    assert units.list_units(db) == []


# --- a read-only folder --------------------------------------------------------------


def _fill(path: Path) -> list[int]:
    db = open_database(path)
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    made = [issues.create_issue(db, unit.id, _issue_fields(f"Finding {n}")).id for n in (1, 2)]
    db.dispose()
    return made


def test_a_read_only_folder_opens_read_only_and_says_why(
    read_only_folder: tuple[Path, Path], tmp_path: Path
) -> None:
    source, view = read_only_folder
    ids = _fill(source / "cusp.sqlite3")
    db = open_database(view / "cusp.sqlite3")
    assert db.read_only
    assert "read-only" in db.read_only_reason
    assert [issues.get_issue(db, i).fields.description for i in ids] == ["Finding 1", "Finding 2"]
    typed = _issue_fields("Typed while read-only")
    with pytest.raises(ReadOnlyDatabaseError) as caught:
        issues.create_issue(db, issues.get_issue(db, ids[0]).unit_id, typed)
    assert_plain_message(str(caught.value))
    with pytest.raises(ReadOnlyDatabaseError):
        drafts.save_draft(db, "issue", "new", {"description": typed.description})
    assert backup.daily_backup_if_due(db) is None  # nothing here can change
    with pytest.raises(StorageError, match="read-only") as refused:
        backup.backup_now(db)
    assert_plain_message(str(refused.value))
    elsewhere = backup.backup_now(db, tmp_path / "copy.sqlite3")
    assert descriptions(elsewhere) == ["Finding 1", "Finding 2"]
    code, out, err = run_cli("--db", str(view / "cusp.sqlite3"), "check")
    assert (code, err) == (0, "") and "good order" in out


def test_a_new_database_cannot_be_made_in_a_read_only_folder(
    read_only_folder: tuple[Path, Path],
) -> None:
    _source, view = read_only_folder
    with pytest.raises(ReadOnlyDatabaseError) as caught:
        open_database(view / "new.sqlite3")
    assert_plain_message(str(caught.value))
    assert not (view / "new.sqlite3").exists()


def test_a_database_left_mid_write_in_a_read_only_folder(
    read_only_folder: tuple[Path, Path],
) -> None:
    """A crash left a -wal file, and the folder became read-only before anyone reopened it."""
    source, view = read_only_folder
    path = source / "cusp.sqlite3"
    _fill(path)
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE safety_issue SET description = 'in the wal' WHERE id = 1")
    holder.commit()
    shutil.copyfile(path.with_name(path.name + "-wal"), tmp_wal := path.parent / "saved-wal")
    holder.close()
    os.replace(tmp_wal, path.with_name(path.name + "-wal"))
    with contextlib.suppress(FileNotFoundError):
        path.with_name(path.name + "-shm").unlink()
    try:
        db = open_database(view / "cusp.sqlite3")
    except CuspDeskError as exc:
        assert_plain_message(str(exc))
        assert "left in the middle of a save" in str(exc)
    else:
        assert db.read_only
        assert issues.get_issue(db, 1).fields.description == "in the wal"


def test_a_read_only_file_as_an_ordinary_user(tmp_path: Path) -> None:
    """Root ignores permission bits, so this runs the check as ``nobody``."""
    runuser = shutil.which("runuser")
    if os.geteuid() != 0 or runuser is None:
        _skip("needs root and runuser to act as the user 'nobody'")
    folder = Path(tempfile.mkdtemp(prefix="cuspdesk-ro-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        path = folder / "cusp.sqlite3"
        _fill(path)
        path.chmod(0o444)
        folder.chmod(0o555)
        site = next(Path(sys.prefix).glob("lib/python*/site-packages"))
        project = Path(__file__).resolve().parents[2]
        script = textwrap.dedent(
            f"""
            from cuspdesk.db import open_database
            from cuspdesk.errors import CuspDeskError
            from cuspdesk.services import issues
            db = open_database({str(path)!r})
            print("read_only", db.read_only)
            print("reason", db.read_only_reason)
            print("kept", issues.get_issue(db, 1).fields.description)
            try:
                issues.add_note(db, 1, "typed by nobody")
            except CuspDeskError as exc:
                print("refused", exc)
            """
        )
        done = subprocess.run(
            [runuser, "-u", "nobody", "--", "/usr/bin/python3", "-c", script],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": f"{project}:{site}"},
            timeout=120,
        )
        if "ModuleNotFoundError" in done.stderr or "Permission denied" in done.stderr:
            _skip(f"'nobody' cannot run this Python: {done.stderr.strip().splitlines()[-1]}")
        assert done.returncode == 0, done.stderr
        lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
        assert lines["read_only"] == "True"
        assert "read-only" in lines["reason"]
        assert lines["kept"] == "Finding 1"
        assert "read-only" in lines["refused"]
        assert_plain_message(lines["refused"])
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


# --- the file deleted or swapped underneath ------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-wal", "-shm") if Path(f"{path}{s}").exists()]


def test_a_file_deleted_while_open_refuses_saves(db: Database) -> None:
    assert db.path is not None
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    for extra in [db.path, *_sidecars(db.path)]:
        extra.unlink()
    typed = _issue_fields("Saved after the file was deleted")
    with pytest.raises(StorageError) as caught:
        issues.create_issue(db, unit.id, typed)
    message = str(caught.value)
    assert_plain_message(message)
    assert "moved, deleted or replaced" in message
    with pytest.raises(StorageError):
        drafts.save_draft(db, "issue", "new", {"description": typed.description})
    db.dispose()
    assert not db.path.exists(), "closing must not leave an empty new file in its place"


def test_a_file_moved_away_and_back(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    away = tmp_path / "away.sqlite3"
    os.replace(db.path, away)
    with pytest.raises(StorageError, match="moved"):
        issues.create_issue(db, unit.id, _issue_fields("while away"))
    os.replace(away, db.path)
    made = issues.create_issue(db, unit.id, _issue_fields("after coming back"))
    assert issues.get_issue(db, made.id).fields.description == "after coming back"


def test_a_file_replaced_by_another_refuses_saves(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    other = open_database(tmp_path / "other.sqlite3")
    other.dispose()
    os.replace(tmp_path / "other.sqlite3", db.path)
    with pytest.raises(StorageError, match="replaced"):
        issues.create_issue(db, unit.id, _issue_fields("into the wrong file"))
    assert descriptions(db.path) == []


def test_a_stale_form_keeps_its_input_after_a_refused_save(db: Database) -> None:
    """The form holds the person's fields; a refused save hands them back untouched."""
    assert db.path is not None
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    made = issues.create_issue(db, unit.id, _issue_fields("Original"))
    edited = replace(made.fields, action_plan="New plan typed by the nurse")
    db.path.unlink()
    with pytest.raises(StorageError):
        issues.update_issue(db, made.id, edited, expected_version=made.version)
    assert edited.action_plan == "New plan typed by the nurse"


# --- network drives ------------------------------------------------------------------


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
server:/export/ward /mnt/ward nfs4 rw,relatime 0 0
//fileserver/cusp /mnt/shared\\040drive cifs rw 0 0
tmpfs /mnt/ward/local tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "remote"),
    [
        ("/mnt/ward/cusp.sqlite3", True),
        ("/mnt/shared drive/5north/cusp.sqlite3", True),
        ("/mnt/ward/local/cusp.sqlite3", False),
        ("/mnt/wardrobe/cusp.sqlite3", False),
        ("/home/nurse/cusp.sqlite3", False),
        ("//fileserver/cusp/cusp.sqlite3", True),
    ],
)
def test_a_network_drive_is_named_in_plain_words(path: str, remote: bool) -> None:
    warning = network_drive_warning(Path(path), mounts=MOUNTS)
    if remote:
        assert warning is not None and "network drive" in warning and "PostgreSQL" in warning
    else:
        assert warning is None


def test_this_machines_temp_folder_is_not_a_network_drive(db_path: Path) -> None:
    assert network_drive_warning(db_path) is None
