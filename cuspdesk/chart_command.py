"""The ``cuspdesk chart`` command: a chart from a CSV file, as a table, JSON or a file.

Kept apart from ``cli.py`` so the command line's front door stays thin; ``cli.py``
calls ``add_chart_parser`` to register the subcommand and ``run_chart`` to run it.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from cuspdesk.chart_kinds import CHART_KINDS, KIND_NAMES, RULE_SET_NAMES, RULE_SETS
from cuspdesk.errors import CuspDeskError, ValidationError

if TYPE_CHECKING:
    from cuspdesk.services.chart import ChartResult


def add_chart_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register ``chart`` on the main parser's subcommands (sets ``func=run_chart``)."""
    p = subparsers.add_parser(
        "chart",
        help="compute a run chart or control chart from a CSV file",
        description=(
            "Compute a run chart or SPC chart from a CSV file with a header row: "
            "period,value (run, c, i, g, t) or period,numerator,denominator (p, u; "
            "a run chart takes either)."
        ),
    )
    p.add_argument("data", metavar="DATA.csv", help="CSV file, one row per period")
    p.add_argument("--kind", required=True, choices=CHART_KINDS, help="kind of chart")
    p.add_argument(
        "--rules",
        choices=RULE_SETS,
        default=None,
        help="ihi or anhoej for run charts (default ihi); we or mdc for control charts "
        "(default we)",
    )
    p.add_argument(
        "--multiplier",
        type=float,
        default=1.0,
        metavar="N",
        help="scale numerator/denominator, e.g. 1000 for a rate per 1,000 patient-days",
    )
    p.add_argument("--json", action="store_true", help="print the chart as JSON")
    p.add_argument("--out", metavar="FILE", help="also draw the chart to FILE.pdf or FILE.png")
    p.add_argument("--title", help="title printed on the drawn chart")
    p.set_defaults(func=run_chart)


def run_chart(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``cuspdesk chart``; 0 on success, 1 with a plain message on ``err`` otherwise."""
    # Imported here: the parser is built for every command, the charting code is not.
    from cuspdesk.services.chart import compute_chart
    from cuspdesk.services.chart_csv import read_chart_csv

    try:
        rows = read_chart_csv(args.data, args.kind)
        result = compute_chart(rows, args.kind, args.rules, multiplier=args.multiplier)
        if args.out:
            # imported here: drawing pulls in ReportLab, which a table or JSON does not need
            from cuspdesk.reports.chart_drawing import write_chart_file

            write_chart_file(result, args.out, title=getattr(args, "title", None))
    except ValidationError as exc:
        err.writelines(problem.message + "\n" for problem in exc.problems)
        return 1
    except CuspDeskError as exc:
        err.write(f"{exc}\n")
        return 1
    if args.json:
        out.write(json.dumps(result.to_json_dict(), indent=2) + "\n")
    else:
        out.write(format_table(result))
        if args.out:
            out.write(f"Chart drawn to {args.out}.\n")
    return 0


def format_table(result: ChartResult) -> str:
    """Aligned table of the points, then the signals and rules in plain words."""
    from cuspdesk.services.chart import describe_signals

    numbers = [
        abs(x)
        for p in result.points
        for x in (p.value, p.centre, p.lower, p.upper)
        if x is not None
    ]
    biggest = max(numbers, default=0.0)
    decimals = 4 if biggest < 1 else 2 if biggest < 1000 else 1

    def num(x: float | None) -> str:
        return "" if x is None else f"{x:,.{decimals}f}"

    header = ["Period", "Value", "Centre", "Lower", "Upper", "Signals"]
    rows = [
        [
            p.period,
            num(p.value),
            num(p.centre),
            num(p.lower),
            num(p.upper),
            ", ".join(p.signals) + (" (excluded)" if p.excluded else ""),
        ]
        for p in result.points
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])]
        cells += [r[i].rjust(widths[i]) for i in range(1, 5)]
        cells.append(r[5])
        lines.append("  ".join(cells).rstrip())
    rules = RULE_SET_NAMES.get(result.rules, result.rules)
    kind = KIND_NAMES.get(result.kind, result.kind)
    lines.append("")
    if result.signals:
        lines.append(f"Signals on this {kind}: {', '.join(result.signals)} (rules: {rules}).")
        lines += [f"  {line}" for line in describe_signals(result)]
    else:
        lines.append(f"No signals on this {kind} (rules: {rules}).")
    lines += [f"Note: {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
