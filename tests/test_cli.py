"""The command-line contract: exit statuses, one-sentence errors, and what each command does.

Most cases call ``cuspdesk.cli.main`` in-process; a few run the real thing
(``python -m cuspdesk`` and the ``cuspdesk`` console script) in a subprocess.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sentences import assert_plain_sentence

from cuspdesk import __version__, cli
from cuspdesk.db import (
    ENV_VAR,
    Database,
    backup_folder,
    default_database_path,
    open_database,
)
from cuspdesk.services import units
from cuspdesk.services.backup import PG_RESTORE_HINT

CONSOLE_SCRIPT = Path(sys.executable).with_name("cuspdesk")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def error_line(self) -> str:
        """The one line of stderr, without the program name in front."""
        lines = self.err.splitlines()
        assert len(lines) == 1, f"stderr is not one line: {self.err!r}"
        assert lines[0].startswith(("cuspdesk: ", "cuspdesk ")), lines[0]
        return lines[0].split(": ", 1)[1]


def run(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return Run(code, out.getvalue(), err.getvalue())


def run_process(*argv: str, env: dict[str, str] | None = None, script: bool = False) -> Run:
    command = [str(CONSOLE_SCRIPT)] if script else [sys.executable, "-m", "cuspdesk"]
    done = subprocess.run(
        [*command, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_failed_cleanly(result: Run, code: int = 1) -> str:
    assert result.code == code, result
    assert "Traceback" not in result.err
    message = result.error_line
    assert_plain_sentence(message)
    return message


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Where the command line should make its database."""
    return tmp_path / "unit.sqlite3"


DEMO_DAY = "2026-06-15"


@dataclass(frozen=True)
class DemoRun:
    path: Path
    result: Run


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """``cuspdesk demo --date 2026-06-15`` into a new file, once for this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    return DemoRun(path, run("--db", str(path), "demo", "--date", DEMO_DAY))


@pytest.fixture
def demo_file(db_file: Path, demo_run: DemoRun) -> Path:
    """A copy of the database the demo filled, for a test to change as it likes."""
    assert demo_run.result.code == 0, demo_run.result
    assert not demo_run.path.with_name(demo_run.path.name + "-wal").exists()
    shutil.copyfile(demo_run.path, db_file)
    return db_file


@pytest.fixture
def no_env_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ENV_VAR, raising=False)
    yield


# --- version and usage ---------------------------------------------------------------


def test_version_in_process() -> None:
    result = run("--version")
    assert (result.code, result.out, result.err) == (0, f"CUSPDesk {__version__}\n", "")


@pytest.mark.parametrize("script", [False, True], ids=["python -m cuspdesk", "cuspdesk"])
def test_version_as_a_real_program(script: bool) -> None:
    if script:
        assert CONSOLE_SCRIPT.is_file(), "the cuspdesk console script is not installed"
    result = run_process("--version", script=script)
    assert (result.code, result.out, result.err) == (0, f"CUSPDesk {__version__}\n", "")


def test_the_command_line_answers_version_and_help_without_loading_the_database_layer() -> None:
    """Building the parser must stay light: every command pays for it."""
    probe = (
        "import sys, cuspdesk.cli as cli; cli.build_parser(); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'reportlab', 'PySide6') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.code == 0
    for command in ("demo", "briefing", "summary", "export", "import", "check", "backup"):
        assert command in result.out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["frobnicate"], "Argument COMMAND: invalid choice: 'frobnicate'"),
        (["--no-such-option"], "Unrecognized arguments: --no-such-option."),
        (["briefing"], "The following arguments are required: --out."),
        (["restore"], "The following arguments are required: file."),
        (["demo", "--date", "2026-02-30"], "Argument --date: “2026-02-30” is not a date"),
        (["backup", "--out"], "Argument --out: expected one argument."),
    ],
)
def test_a_usage_mistake_is_one_line_and_exit_2(argv: list[str], expected: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert result.out == ""
    assert expected in result.error_line
    assert result.error_line.endswith(".")
    assert "usage:" not in result.err


def test_a_usage_mistake_from_the_real_program() -> None:
    result = run_process("frobnicate")
    assert result.code == 2
    assert "invalid choice: 'frobnicate'" in result.error_line


# --- demo ----------------------------------------------------------------------------


def test_demo_fills_a_new_database_and_refuses_to_run_twice(
    demo_run: DemoRun, demo_file: Path
) -> None:
    first = demo_run.result
    assert first.code == 0, first
    assert first.out == f"Added the sample unit “5 North Surgical ICU” to {demo_run.path}.\n"
    assert first.err == ""
    again = run("--db", str(demo_file), "demo")
    message = assert_failed_cleanly(again)
    assert message == "The sample unit “5 North Surgical ICU” is already in this database."


def test_demo_is_dated_from_the_day_given(demo_file: Path) -> None:
    conn = sqlite3.connect(demo_file)
    try:
        newest = conn.execute("SELECT max(meeting_date) FROM meeting").fetchone()[0]
    finally:
        conn.close()
    # The pre-rounds huddle is planned six days ahead of the day the demo was made.
    assert newest == "2026-06-21"


def sqlite_module_pragmas(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [
            str(row[0])
            for pragma in ("integrity_check", "foreign_key_check")
            for row in conn.execute(f"PRAGMA {pragma}")
        ]
    finally:
        conn.close()


def test_demo_as_a_real_program_leaves_a_sound_file(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    result = run_process("--db", str(path), "demo", script=True)
    assert result.code == 0, result
    assert result.out.startswith("Added the sample unit")
    assert sqlite_module_pragmas(path) == ["ok"]
    sqlite_cli = shutil.which("sqlite3")
    if sqlite_cli is None:
        pytest.skip("the sqlite3 command-line program is not installed")
    done = subprocess.run(
        [sqlite_cli, str(path), "PRAGMA integrity_check; PRAGMA foreign_key_check;"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")


# --- check, backup, restore ----------------------------------------------------------


def test_check_a_good_database(demo_file: Path) -> None:
    result = run("--db", str(demo_file), "check")
    assert (result.code, result.err) == (0, "")
    assert result.out == f"{demo_file}: The database is in good order.\n"


def test_check_a_database_with_broken_links(demo_file: Path) -> None:
    conn = sqlite3.connect(demo_file)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE issue_note SET issue_id = 999999 WHERE id = 1")
        conn.commit()
    finally:
        conn.close()
    result = run("--db", str(demo_file), "check")
    assert result.code == 1
    assert result.error_line == (
        f"{demo_file}: The database has problems: 1 record(s) point at missing records in "
        "issue_note."
    )
    assert result.out == ""


def test_backup_and_restore(demo_file: Path, tmp_path: Path) -> None:
    default = run("--db", str(demo_file), "backup")
    assert default.code == 0, default
    made = list(backup_folder(demo_file).glob("*.sqlite3"))
    assert len(made) == 1
    assert default.out == f"Backed up {demo_file} to {made[0]}.\n"

    chosen = tmp_path / "friday.sqlite3"
    result = run("--db", str(demo_file), "backup", "--out", str(chosen))
    assert result.code == 0, result
    assert result.out == f"Backed up {demo_file} to {chosen}.\n"

    conn = sqlite3.connect(demo_file)
    try:
        conn.execute("UPDATE unit SET name = 'Renamed by mistake'")
        conn.commit()
    finally:
        conn.close()
    restored = run("--db", str(demo_file), "restore", str(chosen))
    assert restored.code == 0, restored
    safety = [p for p in backup_folder(demo_file).glob("*before-restore*.sqlite3")]
    assert len(safety) == 1
    assert restored.out == (
        f"Restored {demo_file} from {chosen}; what it held before is kept in {safety[0]}.\n"
    )
    conn = sqlite3.connect(demo_file)
    try:
        assert conn.execute("SELECT name FROM unit").fetchall() == [("5 North Surgical ICU",)]
    finally:
        conn.close()


def test_backup_to_a_missing_folder_and_restore_of_a_bad_file_fail_cleanly(
    demo_file: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "gone" / "b.sqlite3"
    message = assert_failed_cleanly(run("--db", str(demo_file), "backup", "--out", str(missing)))
    assert message == f"The folder {missing.parent} does not exist."
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    message = assert_failed_cleanly(run("--db", str(demo_file), "restore", str(notes)))
    assert message == f"{notes} is not a CUSPDesk database, so it was not restored."
    message = assert_failed_cleanly(
        run("--db", str(demo_file), "restore", str(tmp_path / "none.sqlite3"))
    )
    assert message == f"There is no backup file at {tmp_path / 'none.sqlite3'}."


def test_backup_and_restore_of_a_server_database_point_at_its_tools(
    pg_db: Database, tmp_path: Path
) -> None:
    url = pg_db.engine.url.render_as_string(hide_password=False)
    backed = run("--db", url, "backup")
    assert backed.code == 1
    assert "pg_dump" in backed.error_line
    spare = tmp_path / "spare.sqlite3"
    assert run("--db", str(spare), "check").code == 0
    restored = run("--db", url, "restore", str(spare))
    assert restored.code == 1
    assert restored.error_line == PG_RESTORE_HINT
    checked = run("--db", url, "check")
    assert checked.code == 0, checked
    assert checked.out.endswith(": The database is in good order.\n")


# --- choosing the database -----------------------------------------------------------


def write_newer_database(path: Path) -> None:
    assert run("--db", str(path), "check").code == 0
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["folder", "text file", "newer schema", "missing folder"])
def test_a_bad_database_is_one_sentence_and_exit_1(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        target = tmp_path
        expected = f"{tmp_path} is a folder, not a database file."
    elif kind == "text file":
        target = tmp_path / "minutes.txt"
        target.write_text("Minutes of the March meeting\n")
        expected = f"{target} is not a CUSPDesk database."
    elif kind == "newer schema":
        target = tmp_path / "newer.sqlite3"
        write_newer_database(target)
        expected = (
            f"{target} was saved by a newer version of CUSPDesk; install that version to open "
            "it. The file was left untouched."
        )
    else:
        target = tmp_path / "no" / "such" / "x.sqlite3"
        expected = f"The folder {target.parent} does not exist."
    before = target.read_bytes() if target.is_file() else None
    for command in (["check"], ["demo"], ["backup"]):
        result = run("--db", str(target), *command)
        assert assert_failed_cleanly(result) == expected
        assert result.out == ""
    if before is not None:
        assert target.read_bytes() == before
    assert not (tmp_path / "no").exists()


def test_a_bad_database_from_the_real_program_has_no_traceback(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    result = run_process("--db", str(notes), "check")
    assert assert_failed_cleanly(result) == f"{notes} is not a CUSPDesk database."


def test_the_environment_variable_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_env = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv(ENV_VAR, str(from_env))
    result = run("check")
    assert result.code == 0, result
    assert result.out == f"{from_env}: The database is in good order.\n"
    # --db still wins over the environment.
    given = tmp_path / "given.sqlite3"
    assert run("--db", str(given), "check").out.startswith(str(given))
    real = run_process("check", env={ENV_VAR: str(tmp_path / "real.sqlite3")})
    assert real.code == 0, real
    assert (tmp_path / "real.sqlite3").is_file()


def test_without_a_choice_the_database_lives_in_the_user_data_folder(no_env_db: None) -> None:
    result = run("check")
    assert result.code == 0, result
    assert result.out == f"{default_database_path()}: The database is in good order.\n"
    assert default_database_path().is_file()


def test_a_server_address_that_cannot_be_reached_is_one_sentence() -> None:
    result = run("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "check")
    message = assert_failed_cleanly(result)
    assert message.startswith("Could not connect to the database server")


# --- unexpected errors ---------------------------------------------------------------


def explode(*_args: object) -> int:
    raise RuntimeError("disk controller said no\nsecond line of driver detail")


def test_an_unexpected_error_is_one_sentence_without_debug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(cli.COMMANDS, "check", explode)
    result = run("check")
    message = assert_failed_cleanly(result)
    assert message == (
        "Something went wrong (RuntimeError: disk controller said no); run again with --debug "
        "for details."
    )


def test_debug_shows_the_traceback_of_an_unexpected_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(cli.COMMANDS, "check", explode)
    result = run("--debug", "check")
    assert result.code == 1
    assert result.err.startswith("Traceback (most recent call last):")
    assert "RuntimeError: disk controller said no" in result.err
    assert "in explode" in result.err
    assert result.err.splitlines()[-1].startswith("cuspdesk: Something went wrong")


def test_debug_shows_the_traceback_of_a_refusal_too(tmp_path: Path) -> None:
    result = run("--debug", "--db", str(tmp_path), "check")
    assert result.code == 1
    assert "Traceback" in result.err
    assert "NotADatabaseError" in result.err
    assert result.err.splitlines()[-1] == f"cuspdesk: {tmp_path} is a folder, not a database file."


def test_ctrl_c_stops_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "check", interrupted)
    result = run("check")
    assert (result.code, result.err) == (130, "cuspdesk: Stopped.\n")


def test_the_unit_the_demo_made_is_readable_through_the_services(demo_file: Path) -> None:
    db = open_database(demo_file)
    try:
        assert [u.name for u in units.list_units(db)] == ["5 North Surgical ICU"]
    finally:
        db.dispose()
