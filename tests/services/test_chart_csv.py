"""Reading chart data from CSV files as spreadsheets write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuspdesk.errors import ValidationError
from cuspdesk.services.chart import ChartInput
from cuspdesk.services.chart_csv import parse_chart_csv, read_chart_csv


def problems(text: str, kind: str) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        parse_chart_csv(text, kind)
    return [p.message for p in exc.value.problems]


def test_value_file_for_a_run_chart() -> None:
    rows = parse_chart_csv("period,value\n2024-01,3\n2024-02,5.5\n2024-03,\n", "run")
    assert rows == [
        ChartInput("2024-01", 3.0),
        ChartInput("2024-02", 5.5),
        ChartInput("2024-03", None),
    ]


def test_numerator_denominator_file_for_a_p_chart() -> None:
    rows = parse_chart_csv("Period,Numerator,Denominator\n2024-01-31,3,40\n2024-02-29,0,38\n", "p")
    assert rows == [
        ChartInput("2024-01-31", None, 3.0, 40.0),
        ChartInput("2024-02-29", None, 0.0, 38.0),
    ]


def test_run_chart_takes_numerator_and_denominator_too() -> None:
    rows = parse_chart_csv("period,numerator,denominator\n2024-01,3,1500\n", "run")
    assert rows == [ChartInput("2024-01", None, 3.0, 1500.0)]


def test_bom_semicolons_decimal_commas_header_case_and_trailing_blank_lines(
    tmp_path: Path,
) -> None:
    f = tmp_path / "falls.csv"
    f.write_bytes("\ufeffPERIOD;Value\r\n2024-01;2,5\r\n2024-02;3\r\n\r\n\r\n".encode())
    assert read_chart_csv(f, "i") == [ChartInput("2024-01", 2.5), ChartInput("2024-02", 3.0)]


def test_quoted_fields_and_extra_columns_are_fine() -> None:
    text = 'period,value,comment\n"2024-01","4","new staff, many agency"\n2024-02,5,\n'
    assert parse_chart_csv(text, "c") == [ChartInput("2024-01", 4.0), ChartInput("2024-02", 5.0)]


def test_excluded_column() -> None:
    text = "period,value,excluded,exclude_reason\n2024-01,4,yes,coding change\n2024-02,5,,\n"
    rows = parse_chart_csv(text, "c")
    assert rows[0] == ChartInput("2024-01", 4.0, excluded=True, exclude_reason="coding change")
    assert rows[1] == ChartInput("2024-02", 5.0)


def test_bad_rows_are_all_reported_with_line_numbers() -> None:
    text = (
        "period,numerator,denominator\n"  # line 1
        "2024-01,3,40\n"  # 2
        "2024-02,3,0\n"  # 3
        "2024-03,41,40\n"  # 4
        "2024-13,1,40\n"  # 5
        "2024-04,three,40\n"  # 6
        "2024-05,,40\n"  # 7
        "2024-05,1,40\n"  # 8
        "2024-04-30,1,40\n"  # 9: before 2024-05 on line 8
    )
    assert problems(text, "p") == [
        "Line 3: the denominator is 0.",
        "Line 4: the numerator (41) is larger than the denominator (40).",
        "Line 5: the period '2024-13' is not a date like 2024-03 or 2024-03-31.",
        "Line 6: the numerator 'three' is not a number.",
        "Line 7: the numerator is empty but the denominator is not.",
        "Line 8: the period 2024-05 is already on line 7.",
        "Line 9: the period 2024-04-30 comes before 2024-05 on line 7; put the rows in time order.",
    ]


def test_rate_may_exceed_its_denominator_but_not_be_negative() -> None:
    assert parse_chart_csv("period,numerator,denominator\n2024-01,5,2\n", "u")[0].numerator == 5
    assert problems("period,numerator,denominator\n2024-01,-5,2\n", "u") == [
        "Line 2: the numerator is below 0."
    ]


def test_negative_counts_are_refused() -> None:
    assert problems("period,value\n2024-01,-1\n", "c") == ["Line 2: the value cannot be below 0."]
    # an I-chart value may be negative (e.g. a temperature difference)
    assert parse_chart_csv("period,value\n2024-01,-1\n", "i")[0].value == -1.0


def test_only_the_first_twenty_problems_are_listed() -> None:
    body = "".join(f"2024-01-{d:02d},x\n" for d in range(1, 26))
    found = problems("period,value\n" + body, "c")
    assert len(found) == 21
    assert found[0] == "Line 2: the value 'x' is not a number."
    assert found[-1] == "…and 5 more lines with problems."


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("", "run", "The file is empty"),
        ("period,value\n", "run", "The file has a header row but no data rows."),
        ("period,count\n2024-01,3\n", "c", "The header row has no 'value' column"),
        ("period,value\n2024-01,3\n", "p", "no 'numerator' and 'denominator' column"),
        ("period,numerator\n2024-01,3\n", "run", "A run chart file needs a 'value' column"),
        ("period,value,value\n2024-01,3,4\n", "run", "names the column 'value' twice"),
        (
            "period,value,numerator,denominator\n2024-01,3,4,5\n",
            "run",
            "keep one or the other",
        ),
        ("period,value\n2024-01,3\n", "z", "Unknown chart kind 'z'"),
    ],
)
def test_file_level_problems(text: str, kind: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_chart_csv(text, kind)
    assert message in str(exc.value)


def test_missing_file_and_wrong_encoding(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"does not exist\.$"):
        read_chart_csv(tmp_path / "nope.csv", "run")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("period,value\n2024-01,3 \xe9\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        read_chart_csv(latin, "run")
    with pytest.raises(ValidationError, match="is a folder"):
        read_chart_csv(tmp_path, "run")


def test_blank_lines_in_the_middle_are_skipped_and_numbered_right() -> None:
    text = "period,value\n2024-01,1\n\n2024-02,oops\n"
    assert problems(text, "run") == ["Line 4: the value 'oops' is not a number."]
