"""CUSPDesk: the unit-based patient-safety team's desktop."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "CUSPDesk"
APP_ORG = "CUSPDesk"
