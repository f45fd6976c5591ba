"""Exceptions whose message is written for the person using the app.

Every error the services raise on purpose is a ``CuspDeskError``: the GUI shows its
message in a dialog or beside a field, the command line prints it as one sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


class CuspDeskError(Exception):
    """Base class: ``str(error)`` is a plain sentence fit to show a user."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a form: the field it belongs to and what to do about it."""

    field: str | None
    message: str


class ValidationError(CuspDeskError):
    """Input the app cannot accept; nothing was saved."""

    def __init__(self, message: str | Iterable[Problem], field: str | None = None) -> None:
        if isinstance(message, str):
            problems: tuple[Problem, ...] = (Problem(field, message),)
        else:
            problems = tuple(message)
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems: tuple[Problem, ...] = problems
        super().__init__(" ".join(p.message for p in problems))

    @property
    def field(self) -> str | None:
        return self.problems[0].field

    def messages_for(self, field: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field]


class NotFoundError(CuspDeskError):
    """The record asked for does not exist (or was archived)."""


class ConflictError(CuspDeskError):
    """Someone else saved the record after it was opened here.

    ``mine`` holds what this user tried to save and ``theirs`` what is in the
    database now, field by field, so the user can choose with both in view.
    """

    def __init__(
        self,
        message: str,
        *,
        mine: dict[str, Any] | None = None,
        theirs: dict[str, Any] | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.mine = mine or {}
        self.theirs = theirs or {}
        self.current_version = current_version

    @property
    def differing_fields(self) -> Sequence[str]:
        return [k for k in self.mine if self.mine.get(k) != self.theirs.get(k)]


class PermissionDeniedError(CuspDeskError):
    """The role in use may not do this."""


class DatabaseOpenError(CuspDeskError):
    """The database could not be opened; the file was left untouched."""


class NewerDatabaseError(DatabaseOpenError):
    """The database was written by a newer CUSPDesk."""


class NotADatabaseError(DatabaseOpenError):
    """The file is not a CUSPDesk database."""


class CorruptDatabaseError(DatabaseOpenError):
    """The file is damaged."""


class ReadOnlyDatabaseError(DatabaseOpenError):
    """The database can be read but not written."""


class StorageError(CuspDeskError):
    """A save failed because of the disk or the server; nothing was half-written."""


class UnitFileError(CuspDeskError):
    """A unit file cannot be read or merged; the database was left as it was."""
