"""The tracking log's search index: one case-folded text per issue, its fields and its notes.

Searching 100,000 issues with ``LIKE`` over several columns and a notes subquery
reads every row; one indexed text per issue answers in milliseconds (on SQLite
the table is FTS5 with the trigram tokenizer, so ``LIKE '%word%'`` uses it). A
session hook keeps it current for every issue or note saved through the ORM, in
the same transaction; ``rebuild_search_index`` rebuilds it after bulk loads.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    delete,
    event,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from cuspdesk.db import CuspSession
from cuspdesk.models import IssueNote, SafetyIssue
from cuspdesk.services.text_search import LIKE_ESCAPE, contains_literal, like_pattern

issue_search = Table(
    "issue_search",
    MetaData(),
    Column("rowid", Integer, primary_key=True),
    Column("body", Text, nullable=False),
)

_SEARCHED_FIELDS = ("description", "action_plan", "barriers", "location")


def fold(text: str) -> str:
    """The form both the index and the search words are kept in (SQL lower() agrees)."""
    return text.lower()


def _bodies(conn: Connection, issue_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(issue_ids))
    bodies: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(
            select(
                SafetyIssue.id, *(getattr(SafetyIssue, name) for name in _SEARCHED_FIELDS)
            ).where(SafetyIssue.id.in_(chunk))
        ):
            bodies[row[0]] = [value or "" for value in row[1:]]
        for issue_id, note in conn.execute(
            select(IssueNote.issue_id, IssueNote.text).where(IssueNote.issue_id.in_(chunk))
        ):
            bodies.setdefault(issue_id, []).append(note)
    return {issue_id: fold("\n".join(parts)) for issue_id, parts in bodies.items()}


def refresh(conn: Connection, issue_ids: Iterable[int]) -> None:
    """Rewrite the index rows of these issues from what is in the database now."""
    ids = sorted(set(issue_ids))
    if not ids:
        return
    bodies = _bodies(conn, ids)
    for start in range(0, len(ids), 500):
        conn.execute(delete(issue_search).where(issue_search.c.rowid.in_(ids[start : start + 500])))
    if bodies:
        conn.execute(
            insert(issue_search),
            [{"rowid": issue_id, "body": body} for issue_id, body in bodies.items()],
        )


def rebuild_search_index(conn: Connection) -> None:
    """Index every issue again (after a migration or a bulk load)."""
    conn.execute(delete(issue_search))
    ids = list(conn.scalars(select(SafetyIssue.id)))
    for start in range(0, len(ids), 5000):
        refresh(conn, ids[start : start + 5000])


# The trigram index answers a phrase of three characters or more; shorter words are
# matched with LIKE, which reads the whole index but still finds them.
TRIGRAM = 3


class _IndexedContains(FunctionElement[bool]):
    """``body`` contains a word: an FTS5 trigram phrase on SQLite, ``LIKE`` elsewhere.

    On SQLite a ``LIKE`` with an ``ESCAPE`` clause cannot use the trigram index, so a
    search for a word typed with ``%`` or ``_`` would read every issue; a quoted
    phrase takes every character literally and does use it (four times quicker).
    """

    # No Boolean type: SQLite would be sent "MATCH ? = 1", which FTS5 refuses.
    inherit_cache = True
    name = "indexed_contains"


@compiles(_IndexedContains)
def _contains_by_like(element: _IndexedContains, compiler: SQLCompiler, **kw: object) -> str:
    body, pattern, _phrase = element.clauses
    like = f"{compiler.process(body, **kw)} LIKE {compiler.process(pattern, **kw)}"
    return f"{like} ESCAPE '{LIKE_ESCAPE}'"


@compiles(_IndexedContains, "sqlite")
def _contains_by_phrase(element: _IndexedContains, compiler: SQLCompiler, **kw: object) -> str:
    _body, _pattern, phrase = element.clauses
    return f"issue_search MATCH {compiler.process(phrase, **kw)}"


def matches_word(word: str, *, in_number_order: bool = False) -> ColumnElement[bool]:
    """The issue's fields or notes contain ``word``, in any case, taken literally.

    ``in_number_order`` hides the id from the planner (``id + 0``), so SQLite walks the
    issues by number and keeps the matches instead of looking every match up and
    sorting them all: quicker for the first pages of a word found in thousands.
    """
    found: ColumnElement[bool]
    folded = fold(word)
    if len(folded) >= TRIGRAM:
        found = _indexed_contains(folded)
    else:
        found = contains_literal(issue_search.c.body, folded)
    issue = SafetyIssue.id + 0 if in_number_order else SafetyIssue.id
    return issue.in_(select(issue_search.c.rowid).where(found))


def indexed_match_count(session: Session, word: str) -> int | None:
    """How many issues the trigram index finds ``word`` in (quick: the index alone), or
    None where there is no such index (PostgreSQL) or the word is too short for it."""
    folded = fold(word)
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" or len(folded) < TRIGRAM:
        return None
    return session.scalar(
        select(func.count()).select_from(issue_search).where(_indexed_contains(folded))
    )


def _indexed_contains(folded: str) -> _IndexedContains:
    # As an FTS5 phrase in double quotes, every character of the word is taken literally.
    phrase = '"' + folded.replace('"', '""') + '"'
    return _IndexedContains(issue_search.c.body, literal(like_pattern(folded)), literal(phrase))


def _touched_issues(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    if not isinstance(session, CuspSession):
        return
    pending: set[SafetyIssue | IssueNote] = session.info.setdefault("_search_pending", set())
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, SafetyIssue | IssueNote):
            pending.add(obj)
    for obj in session.deleted:
        if isinstance(obj, IssueNote):
            pending.add(obj)


def _reindex(session: Session, _ctx: UOWTransaction) -> None:
    if not isinstance(session, CuspSession):
        return
    pending: set[SafetyIssue | IssueNote] = session.info.pop("_search_pending", set())
    ids = {obj.id if isinstance(obj, SafetyIssue) else obj.issue_id for obj in pending}
    if ids:
        refresh(session.connection(), ids)


event.listen(CuspSession, "before_flush", _touched_issues)
event.listen(CuspSession, "after_flush_postexec", _reindex)
