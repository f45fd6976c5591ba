"""How typed search text becomes an SQL LIKE pattern: "50%" finds "50%", not everything."""

from __future__ import annotations

LIKE_ESCAPE = "\\"


def contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with ``%``, ``_`` and ``\\`` taken literally.

    Use it with ``column.ilike(contains(text), escape=LIKE_ESCAPE)``.
    """
    # A NUL cannot be stored, so it cannot be found either; PostgreSQL refuses to look.
    text = text.replace("\x00", "")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
