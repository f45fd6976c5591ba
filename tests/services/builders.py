"""Small builders the service tests share: form values and the test team."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cuspdesk.services import issues
from cuspdesk.services.validation import today

# make_issue(description, *, status=..., **fields) -> IssueDetail
IssueMaker = Callable[..., issues.IssueDetail]


@dataclass(frozen=True)
class Team:
    """The people of the test unit, by what they do."""

    champion: int
    manager: int
    executive: int
    nurse: int


def issue_fields(
    description: str = "Bed alarm not set on a high falls-risk patient", **values: Any
) -> issues.IssueFields:
    """Form values for an issue identified ten days ago; override any field by name."""
    values.setdefault("date_identified", today() - timedelta(days=10))
    return issues.IssueFields(description=description, **values)


def search_mismatches(
    cases: Iterable[tuple[str, set[str]]], search: Callable[[str], set[str]]
) -> dict[str, tuple[set[str], set[str]]]:
    """Every search whose result differs from the expected one, as text: (found, expected).

    One database serves many searches; an empty dict means all of them were right.
    """
    return {text: (got, want) for text, want in cases if (got := search(text)) != want}
