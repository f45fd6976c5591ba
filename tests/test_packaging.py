"""What the installable app is made from: the desktop entry, the icons, the PyInstaller
recipe and the programs the package declares. The built app itself is run by
``make dist-check`` (scripts/check-dist.sh), which CI runs after the tests."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(RESOURCES / "cuspdesk.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def declared_programs() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {**project["scripts"], **project["gui-scripts"]}


def test_the_desktop_entry_passes_the_freedesktop_validator() -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    checked = subprocess.run(
        [validator, str(RESOURCES / "cuspdesk.desktop")], capture_output=True, text=True
    )
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout


def test_the_desktop_entry_starts_a_declared_program_and_matches_the_window() -> None:
    entry = desktop_entry()
    assert entry["Name"] == "CUSPDesk"
    assert entry["Exec"].split()[0] in declared_programs()
    assert entry["Terminal"] == "false"
    # The window names the same desktop file, so docks group it under this icon.
    assert entry["StartupWMClass"] == "cuspdesk"
    assert entry["Icon"] == "cuspdesk"


def test_the_icon_exists_at_every_size_it_is_declared_at() -> None:
    for size in (16, 32, 48, 64, 128, 256):
        image = QImage(str(RESOURCES / "icons" / f"cuspdesk-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    assert (RESOURCES / "icons" / "cuspdesk.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert (RESOURCES / "icons" / "cuspdesk.ico").stat().st_size > 0


def test_both_programs_run_the_same_command_line() -> None:
    assert declared_programs() == {
        "cuspdesk": "cuspdesk.cli:main",
        "cuspdesk-gui": "cuspdesk.cli:main",
    }


def test_the_recipe_ships_migrations_and_resources_and_leaves_out_unused_qt() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    # PyInstaller's collect_submodules, standing in: the package's own name is enough here.
    namespace: dict[str, object] = {"SPECPATH": str(ROOT), "collect_submodules": lambda p: [p]}
    setup = spec.split("a = Analysis(")[0]
    setup = setup.replace("from PyInstaller.utils.hooks import collect_submodules\n", "")
    exec(compile(setup, "build.spec", "exec"), namespace)
    # The PostgreSQL driver goes in whenever the build environment has it (make dist does).
    assert namespace["POSTGRES_DRIVER"] == ["psycopg"]
    migrations = {Path(src).name for src, _dest in namespace["migrations"]}  # type: ignore[attr-defined]
    shipped = {p.name for p in (ROOT / "cuspdesk" / "migrations" / "versions").glob("*.py")}
    assert shipped and shipped <= migrations
    assert {"env.py", "script.py.mako"} <= migrations
    resources = {
        str(Path(src).relative_to(ROOT))
        for src, _dest in namespace["resources"]  # type: ignore[attr-defined]
    }
    assert "resources/fonts/DejaVuSans.ttf" in resources
    assert "resources/fonts/LICENSE" in resources
    assert "resources/sample/demo_unit.json" in resources
    unused = set(namespace["UNUSED_QT"])  # type: ignore[arg-type]
    assert "PySide6.QtWebEngineCore" in unused
    imported = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtPdf"}
    assert not imported & unused
