"""Loading the heavy libraries without the cyclic garbage collector running meanwhile.

Importing SQLAlchemy, Qt and ReportLab creates several hundred thousand objects, none
of them garbage, and the collector's repeated passes over them cost about a tenth of
the start-up time. Once loaded they are frozen out of later passes too, which keeps
the collections that do run while the app is in use short.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def importing_in_bulk() -> Iterator[None]:
    """Pause garbage collection for the imports inside; restore it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
