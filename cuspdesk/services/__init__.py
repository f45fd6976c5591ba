"""What CUSPDesk does, in plain Python: the GUI, the command line and the tests all call these.

Importing the package installs the audit hook, so every change made through a
service is recorded.
"""

from __future__ import annotations

from cuspdesk.services import audit as audit

__all__ = ["audit"]
