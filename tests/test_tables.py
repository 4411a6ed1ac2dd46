"""helpers.tables: tables formatted for people (issue 19): labels, units in headers, integers without decimals,
1 dp for percentages, whole pounds, years, right-aligned numbers, long tables collapsed, CSV download, escaping."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pandas as pd
import pytest

from helpers import report, tables


def cells(frame, **kw) -> dict[str, list[str]]:
    shown, _ = tables.format_frame(frame, **kw)
    return {h.strip(): list(shown[h]) for h in shown.columns}


def test_machine_values_from_the_issue_print_for_people():
    # ranks and counts arrived as floats: 42.00 and 657,204.00 in the old tables
    frame = pd.DataFrame({"rank": [42.0, 1.0], "population": [657204.0, 90172.0]})
    assert cells(frame) == {"Rank": ["42", "1"], "Residents": ["657,204", "90,172"]}


@pytest.mark.parametrize(
    "column,label",
    [
        ("pt_minutes", "Minutes to key services by public transport or walking"),
        ("no_station_pct", "Not near a rail station (%)"),
        ("rural_pct", "Rural residents (%)"),
        ("bus_stops_per_km2", "Bus stops per km2"),
        ("no_bus_pct", "No bus (%)"),
        ("spend_gbp", "Spend (£)"),
        ("% fuel poor", "% fuel poor"),
        ("kt CO2 2020", "kt CO2 2020"),
    ],
)
def test_human_labels(column, label):
    assert tables.human_label(column) == label


def test_labels_argument_wins():
    assert tables.human_label("pt_minutes", {"pt_minutes": "Travel time (minutes)"}) == "Travel time (minutes)"


def test_percentages_one_decimal_with_the_unit_in_the_header():
    frame = pd.DataFrame({"share_pct": [12.345, 7.0], "% drive": [55.55, 60.04]})
    assert cells(frame) == {"Share (%)": ["12.3", "7.0"], "% drive": ["55.5", "60.0"]}


def test_pounds_whole_unless_small_and_years_without_separators():
    frame = pd.DataFrame(
        {
            "year": [2019, 2020],
            "net_per_adult": [412.4, 1380.6],
            "£ per pupil": [5123.2, 5500.7],
            "cost_gbp": [2.456, 3.1],
        }
    )
    assert cells(frame) == {
        "Year": ["2019", "2020"],
        "Net spend per adult (£)": ["412", "1,381"],
        "£ per pupil": ["5,123", "5,501"],
        "Cost (£)": ["2.46", "3.10"],
    }


def test_precision_follows_magnitude_for_plain_decimals():
    frame = pd.DataFrame({"slope": [0.0523, -0.31], "kt": [1334.02, 237.9], "t_per_head": [4.852, 3.66]})
    got = cells(frame)
    assert got["Change a year"] == ["0.05", "-0.31"]
    assert got["Kt"] == ["1,334", "238"]
    assert got["T per head"] == ["4.9", "3.7"]


def test_missing_values_never_print_nan_or_none():
    frame = pd.DataFrame({"value": [1.5, np.nan], "name": ["a", None], "n": pd.array([1, None], dtype="Int64")})
    got = cells(frame)
    assert got["Value"] == ["1.5", tables.MISSING] and got["Area"] == ["a", tables.MISSING]
    assert got["Number"] == ["1", tables.MISSING]
    text = tables.table_html(frame, "c")
    assert not re.search(r">\s*(nan|None|NaN|<NA>)\s*<", text)


def test_format_override_and_unknown_format():
    frame = pd.DataFrame({"apc": [-2.8247, 1.0], "code": [1, 2]})
    assert cells(frame, formats={"apc": "dp2", "code": "text"}) == {
        "Annual change (%)": ["-2.82", "1.00"],
        "Code": ["1", "2"],
    }
    with pytest.raises(ValueError, match="unknown table format"):
        tables.format_frame(frame, formats={"apc": "percent"})


@pytest.mark.parametrize(
    "value,fmt,text",
    [
        (1234.5, "int", "1,234"),  # round half to even: 1234.5 -> 1234
        (1235.5, "dp0", "1,236"),
        (0.04, "pp", "0.0"),
        (-0.04, "dp1", "0.0"),  # no "-0.0"
        (12.3456, "dp2", "12.35"),
        (8.456, "ratio", "8.46"),
        (2023, "year", "2023"),
        (5.5, "gbp2", "5.50"),
    ],
)
def test_format_value(value, fmt, text):
    assert tables.format_value(value, fmt) == text


def test_legacy_floatfmt_still_sets_decimals_of_plain_decimal_columns():
    frame = pd.DataFrame({"ratio_x": [1.234, 2.0], "rank": [3.0, 4.0], "kt": [1334.0, 212.5]})
    got = cells(frame, floatfmt="{:,.2f}")
    assert got["Rank"] == ["3", "4"]  # integers stay integers
    assert got["Kt"] == ["1,334", "212"]  # large values stay whole


def test_numbers_right_aligned_and_text_left():
    text = tables.table_html(pd.DataFrame({"name": ["a"], "value": [1.25]}), "c")
    assert '<th scope="col">Area</th>' in text and '<td data-label="Area">a</td>' in text
    assert '<th scope="col" class="num">Value</th>' in text and '<td class="num" data-label="Value">1.2</td>' in text


def test_header_css_never_breaks_inside_a_word():
    css = report.css()
    rule = re.search(r"(?m)^th \{([^}]*)\}", css).group(1)
    for decl in ("hyphens: none", "word-break: normal", "overflow-wrap: normal"):
        assert decl in rule
    assert re.search(r"\.table-scroll \{[^}]*overflow-x: auto", css)
    assert re.search(r"th\.num, td\.num \{[^}]*text-align: right", css)


@pytest.mark.parametrize(
    "rows,collapsed,expect", [(15, None, False), (16, None, True), (3, True, True), (40, False, False)]
)
def test_long_tables_are_collapsed(rows, collapsed, expect):
    frame = pd.DataFrame({"name": [f"x{i}" for i in range(rows)], "value": range(rows)})
    text = tables.table_html(frame, "Caption", number=2, collapsed=collapsed)
    assert ("<details" in text) is expect
    if expect:
        assert re.search(rf"<summary>Table 2\. Caption \({rows} rows", text)


def test_csv_download_holds_the_table():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "no_station_pct": [12.345, 50.0, np.nan]})
    text = tables.table_html(frame, "c", number=4)
    m = re.search(r'href="data:text/csv;base64,([^"]+)" download="table-4\.csv" data-rows="3"', text)
    assert m
    back = pd.read_csv(io.BytesIO(base64.b64decode(m.group(1))))
    assert list(back.columns) == ["Area", "Not near a rail station (%)"]
    assert back["Not near a rail station (%)"].iloc[0] == 12.345 and len(back) == 3


def test_script_in_cell_caption_and_header_is_escaped():
    frame = pd.DataFrame({"<script>h</script>": ["<script>alert(1)</script>"], "value": [1]})
    text = tables.table_html(frame, "<script>cap</script>", number=1)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;script&gt;cap&lt;/script&gt;" in text


def test_interval_level_is_not_a_percent_unit():
    frame = pd.DataFrame(
        {"95% CI lower": [-0.0523, 0.01], "95% lower (%)": [12.34, 1.0], "% cycle weekly": [9.87, 1.0]}
    )
    assert cells(frame) == {
        "95% CI lower": ["-0.05", "0.01"],
        "95% lower (%)": ["12.3", "1.0"],
        "% cycle weekly": ["9.9", "1.0"],
    }
