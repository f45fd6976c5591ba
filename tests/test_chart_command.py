"""``cuspdesk chart``: table, JSON and drawn output, and plain error messages."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from cuspdesk.chart_command import add_chart_parser, run_chart

ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip


def run(argv: list[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="cuspdesk")
    add_chart_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    assert args.func is run_chart
    out, err = io.StringIO(), io.StringIO()
    code = args.func(args, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def juice_csv(tmp_path: Path) -> Path:
    f = tmp_path / "juice.csv"
    lines = ["period,numerator,denominator"]
    lines += [f"{2020 + i // 12}-{i % 12 + 1:02d},{d},50" for i, d in enumerate(ORANGE_JUICE)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f


def test_table_output(juice_csv: Path) -> None:
    """Montgomery's orange-juice p-chart: samples 15 (2021-03) and 23 (2021-11) out."""
    code, out, err = run(["chart", str(juice_csv), "--kind", "p"])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["Period", "Value", "Centre", "Lower", "Upper", "Signals"]
    assert lines[1].split() == ["2020-01", "0.2400", "0.2313", "0.0524", "0.4102"]
    assert lines[15].split() == [
        "2021-03",
        "0.4400",
        "0.2313",
        "0.0524",
        "0.4102",
        "outside_limits",
    ]
    # columns line up
    assert {len(line.split("  ")[0]) for line in lines[1:31]} == {7}
    assert lines[-4] == (
        "Signals on this p-chart (proportion): outside_limits, two_of_three, four_of_five "
        "(rules: Western Electric rules)."
    )
    assert "  outside_limits: a point outside the control limits (2 points: 2021-03, 2021-11)" in (
        lines
    )


def test_json_output(juice_csv: Path) -> None:
    code, out, _ = run(["chart", str(juice_csv), "--kind", "p", "--rules", "mdc", "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "p" and data["rules"] == "mdc"
    assert data["signals"] == ["outside_limits", "two_of_three"]
    assert data["points"][14]["signals"] == ["outside_limits"]
    assert data["points"][0]["centre"] == pytest.approx(0.23133, abs=1e-5)


def test_run_chart_with_multiplier(tmp_path: Path) -> None:
    f = tmp_path / "falls.csv"
    f.write_text("period,numerator,denominator\n2024-01,3,1500\n2024-02,4,1000\n", "utf-8")
    code, out, _ = run(["chart", str(f), "--kind", "run", "--multiplier", "1000", "--json"])
    assert code == 0
    assert [p["value"] for p in json.loads(out)["points"]] == [2.0, 4.0]


def test_no_signals_and_notes_in_plain_words(tmp_path: Path) -> None:
    f = tmp_path / "v.csv"
    f.write_text("period,value\n2024-01,3\n2024-02,5\n2024-03,4\n", "utf-8")
    code, out, _ = run(["chart", str(f), "--kind", "run", "--rules", "anhoej"])
    assert code == 0
    assert "No signals on this run chart (rules: Anhøj run chart rules" in out
    assert "Note: Only 2 points are off the median" in out


def test_out_draws_pdf_and_png(juice_csv: Path, tmp_path: Path) -> None:
    pdf, png = tmp_path / "c.pdf", tmp_path / "c.png"
    assert run(["chart", str(juice_csv), "--kind", "p", "--out", str(pdf)])[0] == 0
    code, out, _ = run(["chart", str(juice_csv), "--kind", "p", "--out", str(png), "--json"])
    assert code == 0
    json.loads(out)  # --json output stays pure JSON
    assert pdf.read_bytes().startswith(b"%PDF")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_file_is_one_sentence(tmp_path: Path) -> None:
    code, out, err = run(["chart", str(tmp_path / "none.csv"), "--kind", "run"])
    assert (code, out) == (1, "")
    assert err == f"The file {tmp_path / 'none.csv'} does not exist.\n"


def test_bad_rows_each_on_a_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("period,numerator,denominator\n2024-01,3,0\n2024-02,9,4\n", "utf-8")
    code, _, err = run(["chart", str(f), "--kind", "p"])
    assert code == 1
    assert err.splitlines() == [
        "Line 2: the denominator is 0.",
        "Line 3: the numerator (9) is larger than the denominator (4).",
    ]


def test_rules_that_do_not_fit_the_kind(juice_csv: Path) -> None:
    code, _, err = run(["chart", str(juice_csv), "--kind", "p", "--rules", "ihi"])
    assert code == 1
    assert err == "The rules 'ihi' do not apply to a control chart; use we or mdc.\n"


def test_unknown_output_type(juice_csv: Path, tmp_path: Path) -> None:
    code, _, err = run(["chart", str(juice_csv), "--kind", "p", "--out", str(tmp_path / "c.svg")])
    assert code == 1
    assert err == "Charts can be saved as .pdf or .png, not '.svg'.\n"


def test_kind_is_required() -> None:
    with pytest.raises(SystemExit):
        run(["chart", "x.csv"])
