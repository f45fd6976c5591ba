"""The command line: ``cuspdesk [--db ...] [command]``. Thin: parses, calls services, reports.

Errors are printed as one sentence on stderr with a non-zero exit status; the
traceback is shown only with ``--debug``. Exit statuses: 0 done, 1 the command
could not do its job (the message says why), 2 the command line itself was
wrong or the command is not available in this version.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cuspdesk import APP_NAME, __version__
from cuspdesk.bulk_imports import importing_in_bulk
from cuspdesk.chart_command import add_chart_parser, run_chart
from cuspdesk.errors import CuspDeskError

EXPORT_TABLES = ("log", "meetings", "rounds", "assessments", "measures")

if TYPE_CHECKING:
    from cuspdesk.db import Database

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one sentence, not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message[0].upper()}{message[1:]}.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cuspdesk",
        description=f"{APP_NAME}: the unit-based patient-safety team's desktop.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $CUSPDESK_DB, else the user data folder)",
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--read-only", action="store_true", help="open the database without changing it (GUI)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help="fill the database with a realistic sample unit")
    demo.add_argument("--date", type=_iso_date, help="pretend today is this date (YYYY-MM-DD)")

    briefing = sub.add_parser("briefing", help="write the pre-rounds briefing PDF")
    briefing.add_argument("--out", required=True, type=Path, help="PDF file to write")
    briefing.add_argument("--unit", help="unit name (needed when there are several)")
    briefing.add_argument("--date", type=_iso_date, help="briefing date (YYYY-MM-DD)")

    summary = sub.add_parser("summary", help="write the one-page executive summary PDF")
    summary.add_argument("--out", required=True, type=Path, help="PDF file to write")
    summary.add_argument("--unit", help="unit name (needed when there are several)")

    export = sub.add_parser(
        "export", help="export records to a spreadsheet (CSV, XLSX) or a unit file (.cuspdesk)"
    )
    export.add_argument(
        "--out", required=True, type=Path, help="FILE.csv, FILE.xlsx or FILE.cuspdesk"
    )
    export.add_argument("--unit", help="unit name (needed when there are several)")
    export.add_argument(
        "--table",
        choices=EXPORT_TABLES,
        default="log",
        help="which records a CSV file holds (default: the tracking log; XLSX holds them all)",
    )
    export.add_argument("--include-archived", action="store_true", help="include archived issues")

    import_ = sub.add_parser(
        "import", help="import a tracking-log spreadsheet (CSV, XLSX) or merge a unit file"
    )
    import_.add_argument("file", type=Path, help="FILE.csv, FILE.xlsx or FILE.cuspdesk")
    import_.add_argument("--unit", help="unit name (needed when there are several)")
    import_.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="read the column HEADER as FIELD (repeat for several columns)",
    )
    import_.add_argument(
        "--skip", action="append", default=[], metavar="HEADER", help="ignore the column HEADER"
    )
    import_.add_argument(
        "--dry-run", action="store_true", help="check the file and report, saving nothing"
    )

    sub.add_parser("check", help="run the full integrity check")

    backup = sub.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("--out", type=Path, help="file to write (default: the backups folder)")

    restore = sub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("file", type=Path, help="backup file to restore")

    add_chart_parser(sub)
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a date; write it as YYYY-MM-DD, for example 2026-03-31"
        ) from None


# --- commands ------------------------------------------------------------------------


def _open(args: argparse.Namespace, *, create: bool = True, migrate: bool = True) -> Database:
    from cuspdesk.db import open_database
    from cuspdesk.errors import CorruptDatabaseError

    try:
        return open_database(args.db, create=create, migrate=migrate)
    except CorruptDatabaseError as exc:
        raise CorruptDatabaseError(f"{exc} {_recovery_advice(args.db)}".strip()) from exc


def _recovery_advice(target: str | None) -> str:
    """Name the newest good backup and the exact command that puts it back."""
    from cuspdesk.services.backup import recovery_advice, sqlite_path

    try:
        return recovery_advice(sqlite_path(target or ""))
    except CuspDeskError:
        return ""


def cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.services.demo import create_demo_unit

    db = _open(args)
    try:
        unit = create_demo_unit(db, today=args.date)
        print(f"Added the sample unit “{unit.name}” to {db.describe()}.", file=out)
    finally:
        db.dispose()
    return EXIT_OK


SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
UNIT_FILE_SUFFIX = ".cuspdesk"


def _file_kind(path: Path) -> str:
    """Which kind of file a name asks for, from its suffix: 'spreadsheet' or 'unit file'."""
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return "spreadsheet"
    if suffix == UNIT_FILE_SUFFIX:
        return "unit file"
    raise CuspDeskError(
        f"{path.name} is not a file CUSPDesk can read or write; name it FILE.csv or "
        "FILE.xlsx for a spreadsheet, or FILE.cuspdesk for a unit file."
    )


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if _file_kind(args.out) == "spreadsheet":
        from cuspdesk.spreadsheet_command import run_export
    else:
        from cuspdesk.unit_file_command import run_export
    return run_export(args, out, err)


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if _file_kind(args.file) == "spreadsheet":
        from cuspdesk.spreadsheet_command import run_import
    else:
        from cuspdesk.unit_file_command import run_import
    return run_import(args, out, err)


def cmd_briefing(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _print_document(args, out, "briefing", args.date)


def cmd_summary(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _print_document(args, out, "summary", None)


def _print_document(args: argparse.Namespace, out: TextIO, kind: str, on: date | None) -> int:
    with importing_in_bulk():
        from cuspdesk.printing import make_document
        from cuspdesk.reports.document import check_writable, write_pdf
        from cuspdesk.services.units import find_unit

    check_writable(args.out)
    db = _open(args)
    try:
        unit = find_unit(db, args.unit)
        document = make_document(db, kind, unit_id=unit.id, on=on)
    finally:
        db.dispose()
    write_pdf(args.out, document.pdf)
    print(f"Wrote the {document.title.lower()} for “{unit.name}” to {args.out}.", file=out)
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.services.backup import check_database

    db = _open(args)
    try:
        report = check_database(db)
    finally:
        db.dispose()
    if report.ok:
        print(f"{db.describe()}: {report.summary()}", file=out)
        return EXIT_OK
    print(f"cuspdesk: {db.describe()}: {report.summary()}", file=err)
    return EXIT_FAILED


def cmd_backup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.services.backup import backup_now

    db = _open(args)
    try:
        path = backup_now(db, args.out)
    finally:
        db.dispose()
    print(f"Backed up {db.describe()} to {path}.", file=out)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.db import is_url, resolve_target
    from cuspdesk.services.backup import PG_RESTORE_HINT, restore

    target = resolve_target(args.db)
    if is_url(target) and not target.startswith("sqlite"):
        raise CuspDeskError(PG_RESTORE_HINT)
    db_path, kept = restore(target, args.file)
    before = f"; what it held before is kept in {kept}" if kept is not None else ""
    print(f"Restored {db_path} from {args.file}{before}.", file=out)
    return EXIT_OK


def cmd_chart(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return run_chart(args, out, err)


def cmd_gui(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with importing_in_bulk():
        from cuspdesk.ui.app import run_gui

    return run_gui(db_target=args.db, read_only=args.read_only, debug=args.debug)


COMMANDS: dict[str | None, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    None: cmd_gui,
    "demo": cmd_demo,
    "briefing": cmd_briefing,
    "summary": cmd_summary,
    "export": cmd_export,
    "import": cmd_import,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "chart": cmd_chart,
}


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        # argparse prints --version, --help and usage errors itself; send them where asked.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler = COMMANDS[args.command]
    try:
        return handler(args, out, err)
    except CuspDeskError as exc:
        if args.debug:
            traceback.print_exc(file=err)
        print(f"cuspdesk: {exc}", file=err)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("cuspdesk: Stopped.", file=err)
        return 130
    except Exception as exc:  # the last line of defence: one sentence, never a traceback
        if args.debug:
            traceback.print_exc(file=err)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(
            f"cuspdesk: Something went wrong ({type(exc).__name__}: {detail}); "
            "run again with --debug for details.",
            file=err,
        )
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
