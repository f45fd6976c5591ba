"""The tracking log's spreadsheet columns: what export writes and what import recognises.

Export and import share this one list so a file written by CUSPDesk always reads
back; the synonyms are the names teams give these columns in their own
spreadsheets ("Issue", "Who", "Due date"...). Headers are compared with case,
spaces and punctuation ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# What a cell holds, which decides how it is written and read back.
TEXT = "text"
DATE = "date"
NUMBER = "number"
RATING = "rating"
YES_NO = "yes/no"


@dataclass(frozen=True)
class LogColumn:
    key: str
    header: str
    kind: str = TEXT
    width: int = 14
    importable: bool = True
    synonyms: tuple[str, ...] = ()
    hint: str = ""  # what an import expects, for the mapping dialog and the README


LOG_COLUMNS: tuple[LogColumn, ...] = (
    LogColumn(
        "number",
        "Number",
        NUMBER,
        8,
        synonyms=("No", "#", "Issue number", "Issue no", "Ref", "Reference"),
        hint="the unit's issue number; kept when it is free",
    ),
    LogColumn(
        "date_identified",
        "Date identified",
        DATE,
        12,
        synonyms=(
            "Date",
            "Identified",
            "Date raised",
            "Date found",
            "Date logged",
            "Date reported",
            "Date opened",
            "Reported",
            "Raised",
            "Opened",
        ),
    ),
    LogColumn(
        "description",
        "Description",
        TEXT,
        50,
        synonyms=(
            "Issue",
            "Problem",
            "Concern",
            "Safety issue",
            "Safety concern",
            "Issue description",
            "Finding",
            "Details",
            "What is the problem",
            "Summary",
        ),
    ),
    LogColumn(
        "category",
        "Category",
        TEXT,
        16,
        synonyms=("Type", "Kind", "Theme", "Issue type", "Category of issue"),
        hint="a category from the unit's list; a new one is added to the list",
    ),
    LogColumn(
        "source",
        "Source",
        TEXT,
        18,
        synonyms=("Where from", "Origin", "Found through", "Identified by", "Found by"),
        hint="safety round, staff safety assessment, learning from defects, event report, "
        "meeting or other",
    ),
    LogColumn(
        "event_report_ref",
        "Event report number",
        TEXT,
        14,
        synonyms=("Event report", "Incident number", "Incident report", "Report number"),
    ),
    LogColumn("location", "Location", TEXT, 16, synonyms=("Area", "Where", "Room", "Place")),
    LogColumn("likelihood", "Likelihood", RATING, 10, synonyms=("Probability",), hint="1 to 5"),
    LogColumn("severity", "Severity", RATING, 10, synonyms=("Impact", "Harm level"), hint="1 to 5"),
    LogColumn("risk_score", "Risk score", NUMBER, 10, importable=False, synonyms=("Risk",)),
    LogColumn(
        "mitigate_ability",
        "Ability to mitigate",
        RATING,
        10,
        synonyms=("Mitigate", "Mitigation"),
        hint="1 to 5",
    ),
    LogColumn(
        "implement_ability",
        "Ability to implement",
        RATING,
        10,
        synonyms=("Implement", "Implementation", "Ease of implementation"),
        hint="1 to 5",
    ),
    LogColumn(
        "feasibility_score",
        "Feasibility score",
        NUMBER,
        10,
        importable=False,
        synonyms=("Feasibility",),
    ),
    LogColumn(
        "priority_rank",
        "Priority rank",
        NUMBER,
        9,
        importable=False,
        synonyms=("Priority", "Rank"),
    ),
    LogColumn(
        "owner",
        "Owner",
        TEXT,
        20,
        synonyms=(
            "Responsible",
            "Who",
            "Person responsible",
            "Responsible person",
            "Assigned to",
            "Assignee",
            "Lead",
            "Action owner",
        ),
        hint="a person's name; someone new is added to the unit's team",
    ),
    LogColumn(
        "sponsor",
        "Executive sponsor",
        TEXT,
        20,
        synonyms=("Sponsor", "Executive", "Executive partner"),
        hint="a person's name; someone new is added to the unit's team",
    ),
    LogColumn(
        "status",
        "Status",
        TEXT,
        12,
        synonyms=("State", "Progress"),
        hint="open, in progress, blocked, escalated, resolved or closed",
    ),
    LogColumn(
        "target_date",
        "Target date",
        DATE,
        12,
        synonyms=(
            "Due",
            "Due date",
            "Due by",
            "Target",
            "Deadline",
            "Follow-up date",
            "Follow up by",
            "By when",
            "Completion date",
        ),
    ),
    LogColumn(
        "action_plan",
        "Action plan",
        TEXT,
        40,
        synonyms=("Action", "Actions", "Plan", "Next steps", "Actions taken", "What we will do"),
    ),
    LogColumn(
        "barriers",
        "Barriers needing executive help",
        TEXT,
        30,
        synonyms=("Barriers", "Barrier", "Obstacles", "Help needed"),
    ),
    LogColumn(
        "needs_executive",
        "Needs the executive",
        YES_NO,
        10,
        synonyms=("Executive help", "Escalate", "Needs executive", "Needs executive help"),
        hint="yes or no",
    ),
    LogColumn(
        "date_resolved",
        "Date resolved",
        DATE,
        12,
        synonyms=("Resolved", "Resolved on", "Date completed", "Completed"),
    ),
    LogColumn(
        "date_closed",
        "Date closed",
        DATE,
        12,
        synonyms=("Closed", "Closed on"),
        hint="kept for a closed issue",
    ),
    LogColumn(
        "risk_reduced_evidence",
        "How we know the risk is reduced",
        TEXT,
        30,
        synonyms=("Evidence", "How we know", "How do we know", "How do we know risk is reduced"),
    ),
    LogColumn(
        "staff_feedback",
        "Feedback given to staff",
        TEXT,
        30,
        synonyms=("Feedback", "Feedback to staff", "Closing the loop", "Staff feedback"),
    ),
    LogColumn(
        "feedback_date",
        "Date feedback given",
        DATE,
        12,
        synonyms=("Feedback date", "Date of feedback"),
    ),
    LogColumn(
        "harm_event",
        "Harm reached a patient",
        YES_NO,
        10,
        synonyms=("Harm", "Harm event", "Patient harmed"),
        hint="yes or no",
    ),
    LogColumn(
        "notes",
        "Follow-up notes",
        TEXT,
        40,
        synonyms=("Notes", "Note", "Comments", "Comment", "Updates", "Follow up", "Progress notes"),
        hint="one note per line starting with its date (2026-03-31: ...); other text becomes "
        "one note dated the day of import",
    ),
    LogColumn(
        "uuid",
        "ID",
        TEXT,
        38,
        synonyms=("UUID", "CUSPDesk ID", "Record ID"),
        hint="CUSPDesk's own identifier; an issue with the same ID is recognised as present",
    ),
)

COLUMNS_BY_KEY = {c.key: c for c in LOG_COLUMNS}
IMPORTABLE = tuple(c for c in LOG_COLUMNS if c.importable)

_SPACES = re.compile(r"\s+")


def header_key(text: str) -> str:
    """A header reduced to its letters and digits, in lower case ("Due-date " → "duedate")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch for ch in folded if ch.isalnum())
    return kept or _SPACES.sub("", folded)


def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for column in LOG_COLUMNS:
        for name in (column.key, column.header, *column.synonyms):
            names.setdefault(header_key(name), column.key)
    return names


_NAMES = _names()


def match_header(text: str) -> str | None:
    """The column a header names, or None when it is not one CUSPDesk knows."""
    return _NAMES.get(header_key(text))
