"""Find bundled files (fonts, icons, sample data) from a source checkout or a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path

from cuspdesk.errors import CuspDeskError


def resources_dir() -> Path:
    """The ``resources`` folder: inside the PyInstaller bundle, or at the top of the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise CuspDeskError(f"A file CUSPDesk needs is missing: {path}. Reinstall CUSPDesk.")
    return path
