"""What CUSPDesk does, in plain Python: the GUI, the command line and the tests all call these.

Importing the package installs the session hooks, so every change made through a
service is audited and every issue saved is searchable.
"""

from __future__ import annotations

from cuspdesk.services import audit as audit
from cuspdesk.services import issue_search as issue_search

__all__ = ["audit", "issue_search"]
