"""The kinds of chart and the rule sets CUSPDesk knows, by name.

Plain constants kept out of ``cuspdesk.services`` so the command line can offer them
as choices without loading the database layer (``cuspdesk --version`` stays quick).
"""

from __future__ import annotations

CHART_KINDS: tuple[str, ...] = ("run", "p", "u", "c", "i", "g", "t")
RULE_SETS: tuple[str, ...] = ("ihi", "anhoej", "we", "mdc")

KIND_NAMES: dict[str, str] = {
    "run": "run chart",
    "p": "p-chart (proportion)",
    "u": "u-chart (rate)",
    "c": "c-chart (count)",
    "i": "I-chart (individual values)",
    "g": "g-chart (cases between events)",
    "t": "t-chart (time between events)",
}

RULE_SET_NAMES: dict[str, str] = {
    "ihi": "IHI run chart rules (shift, trend, too few or too many runs, astronomical point)",
    "anhoej": "Anhøj run chart rules (unusually long run, too few crossings)",
    "we": "Western Electric rules",
    "mdc": "NHS Making Data Count rules",
}
