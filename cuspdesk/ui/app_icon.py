"""The CUSPDesk shield icon, for the windows, the About box and the window system."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from cuspdesk.resources import resources_dir

ICON_SIZES = (16, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The icon at every size the window system may ask for (PNG: no SVG plugin needed)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resources_dir() / "icons" / f"cuspdesk-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
