"""Heavy imports run with the garbage collector paused, and it comes back as it was."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from cuspdesk.bulk_imports import importing_in_bulk


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_inside_and_restored_after(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        frozen_before = gc.get_freeze_count()
        with importing_in_bulk():
            assert not gc.isenabled()
            made = [[] for _ in range(100)]
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() >= frozen_before + len(made)
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


def test_an_error_inside_still_restores_the_collector() -> None:
    assert gc.isenabled()
    with pytest.raises(ImportError), importing_in_bulk():
        import cuspdesk.no_such_module  # type: ignore[import-not-found]  # noqa: F401
    assert gc.isenabled()
    gc.unfreeze()


def test_a_printed_briefing_leaves_the_collector_on(tmp_path: Path) -> None:
    """The command line loads its libraries in bulk, then works with the collector on."""
    script = (
        "import gc, sys\n"
        "from cuspdesk.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('collector on' if gc.isenabled() else 'collector off')\n"
        "sys.exit(code)\n"
    )
    db = f"{tmp_path}/unit.sqlite3"
    subprocess.run([sys.executable, "-m", "cuspdesk", "--db", db, "demo"], check=True)
    done = subprocess.run(
        [sys.executable, "-c", script, "--db", db, "briefing", "--out", f"{tmp_path}/b.pdf"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().endswith("collector on")
