"""Free-text search as every list does it: words in any order, typed characters taken literally.

A nurse who types ``100%`` or ``pre_rounds`` means those characters, not LIKE
wildcards, so they are escaped; each word must appear somewhere, in any order.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import QueryableAttribute

LIKE_ESCAPE = "\\"


def search_words(text: str) -> list[str]:
    """The words of a search box, split on any white space.

    A NUL cannot be stored, so it cannot be searched for either (PostgreSQL
    refuses to even look); it is dropped.
    """
    return [word for word in re.split(r"\s+", text.replace("\x00", "").strip()) if word]


def contains(column: QueryableAttribute[str], word: str) -> ColumnElement[bool]:
    """``column`` holds ``word``, whatever the case, with ``%``, ``_`` and ``\\`` literal."""
    escaped = (
        word.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return column.ilike(f"%{escaped}%", escape=LIKE_ESCAPE)


def all_words_in(text: str, *columns: QueryableAttribute[str]) -> list[ColumnElement[bool]]:
    """One condition per word: each word appears in at least one of ``columns``."""
    return [or_(*(contains(column, word) for column in columns)) for word in search_words(text)]
