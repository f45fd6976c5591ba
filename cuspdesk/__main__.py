"""``python -m cuspdesk`` runs the same command line as ``cuspdesk``."""

from __future__ import annotations

import sys

from cuspdesk.cli import main

sys.exit(main())
