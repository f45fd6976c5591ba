"""Free-text search as every list does it: words in any order, typed characters taken literally.

A nurse who types ``100%`` or ``pre_rounds`` means those characters, not LIKE
wildcards, so they are escaped; each word must appear somewhere, in any order.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import QueryableAttribute

LIKE_ESCAPE = "\\"
MAX_SEARCH_WORDS = 12


def search_words(text: str) -> list[str]:
    """The words of a search box, split on white space and invisible control characters.

    A pasted NUL would otherwise reach PostgreSQL, which refuses it in text. Only
    the first ``MAX_SEARCH_WORDS`` count: a pasted page would otherwise become
    hundreds of conditions that keep PostgreSQL busy for minutes.
    """
    words = [word for word in re.split(r"[\s\x00-\x1f\x7f]+", text) if word]
    return words[:MAX_SEARCH_WORDS]


def like_pattern(word: str) -> str:
    """``%word%`` with the word's own ``%``, ``_`` and ``\\`` escaped."""
    escaped = (
        word.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def contains(column: QueryableAttribute[str], word: str) -> ColumnElement[bool]:
    """``column`` holds ``word``, whatever the case, with ``%``, ``_`` and ``\\`` literal."""
    return column.ilike(like_pattern(word), escape=LIKE_ESCAPE)


def contains_literal(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    """``column`` holds ``word`` as given (for text already folded to one case)."""
    return column.like(like_pattern(word), escape=LIKE_ESCAPE)


def all_words_in(text: str, *columns: QueryableAttribute[str]) -> list[ColumnElement[bool]]:
    """One condition per word: each word appears in at least one of ``columns``."""
    return [or_(*(contains(column, word) for column in columns)) for word in search_words(text)]
