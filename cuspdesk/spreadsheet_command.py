"""The ``cuspdesk export`` / ``import`` commands for spreadsheets.

``cli.py`` picks this module by the file's suffix (.csv, .xlsx) and calls
``run_export`` or ``run_import`` with the parsed arguments.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from cuspdesk.errors import CuspDeskError

if TYPE_CHECKING:
    from cuspdesk.services.log_import import LogImportPreview

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.cli import _open
    from cuspdesk.services.spreadsheet_export import export_spreadsheet
    from cuspdesk.services.spreadsheet_files import check_spreadsheet_target
    from cuspdesk.services.units import find_unit

    check_spreadsheet_target(args.out)
    db = _open(args)
    try:
        unit = find_unit(db, args.unit)
        result = export_spreadsheet(
            db, unit.id, args.out, table=args.table, include_archived=args.include_archived
        )
    finally:
        db.dispose()
    print(result.summary(unit.name), file=out)
    return EXIT_OK


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.cli import _open
    from cuspdesk.services.log_import import ImportRefusedError, import_log, preview_log_import
    from cuspdesk.services.units import find_unit

    columns = _columns(args.map, args.skip)
    db = _open(args)
    try:
        unit = find_unit(db, args.unit)
        if args.dry_run:
            preview = preview_log_import(db, unit.id, args.file, columns=columns)
            if not preview.ok:
                return _refused(preview, err)
            for line in preview.summary():
                print(line, file=out)
            print("Nothing was saved (--dry-run).", file=out)
            return EXIT_OK
        try:
            result = import_log(db, unit.id, args.file, columns=columns)
        except ImportRefusedError as refused:
            return _refused(refused.preview, err)
    finally:
        db.dispose()
    print(result.summary(unit.name), file=out)
    return EXIT_OK


def _refused(preview: LogImportPreview, err: TextIO) -> int:
    """Name every row in error (up to a limit), then say that nothing was imported."""
    for line in preview.problem_lines():
        print(f"cuspdesk: {line}", file=err)
    print(
        f"cuspdesk: Nothing was imported: {preview.with_problems:,} of "
        f"{len(preview.rows):,} {preview.row_word.lower()}s have problems; "
        "correct them and import the file again.",
        file=err,
    )
    return EXIT_FAILED


def _columns(maps: list[str], skips: list[str]) -> dict[str, str | None]:
    """The --map HEADER=FIELD and --skip HEADER options as one header -> field mapping."""
    columns: dict[str, str | None] = {}
    for item in maps:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise CuspDeskError(
                f'Write each --map as HEADER=FIELD, for example --map "Issue text=Description" '
                f"(“{item}” was given)."
            )
        columns[header.strip()] = field.strip()
    for header in skips:
        columns[header.strip()] = None
    return columns
