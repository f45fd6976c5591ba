"""The ``cuspdesk export`` / ``import`` commands for unit files.

``cli.py`` picks this module by the file's suffix (.cuspdesk) and calls
``run_export`` or ``run_import`` with the parsed arguments.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from cuspdesk.errors import ValidationError


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.cli import EXIT_OK, _open
    from cuspdesk.services.unit_exchange import export_unit
    from cuspdesk.services.units import find_unit

    db = _open(args)
    try:
        unit = find_unit(db, args.unit)
        result = export_unit(db, unit.id, args.out)
    finally:
        db.dispose()
    print(f"Wrote “{result.unit_name}” ({result.records:,} records) to {result.path}.", file=out)
    return EXIT_OK


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cuspdesk.cli import EXIT_OK, _open
    from cuspdesk.services.unit_exchange import merge_unit_file, read_package

    package = read_package(args.file)  # a bad file is refused before the database is opened
    wanted = (args.unit or "").strip()
    if wanted and wanted.lower() != package.unit_name.lower():
        raise ValidationError(
            f"“{args.file.name}” holds the unit “{package.unit_name}”, not “{wanted}”; "
            "leave out --unit or name that unit."
        )
    db = _open(args)
    try:
        result = merge_unit_file(db, args.file, dry_run=args.dry_run)
    finally:
        db.dispose()
    print(result.sentence(), file=out)
    if result.conflicts and not result.dry_run:
        print(
            "Open CUSPDesk and choose File › Merge conflicts… to decide which version to keep.",
            file=out,
        )
    return EXIT_OK
