"""The ``cuspdesk export`` / ``import`` commands for unit files.

``cli.py`` picks this module by the file's suffix (.cuspdesk) and calls
``run_export`` or ``run_import`` with the parsed arguments.
"""

from __future__ import annotations

import argparse
from typing import TextIO

EXIT_USAGE = 2


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    print("cuspdesk: “export” is not available yet in this version.", file=err)
    return EXIT_USAGE


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    print("cuspdesk: “import” is not available yet in this version.", file=err)
    return EXIT_USAGE
