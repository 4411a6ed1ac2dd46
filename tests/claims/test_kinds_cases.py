"""The claim kinds against tables of constructed cases (frame in, verdict out), as PHEindicatormethods is tested
against its worked-example workbooks. Each CSV row is one case; its ``note`` says what it checks."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from helpers.claims import kinds, read
from helpers.indicators import periods
from helpers.indicators.catalogue import Period

HERE = Path(__file__).parent
MANIFESTO = date(2021, 5, 6)


def _cases(name: str) -> list[dict]:
    with open(HERE / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def _ids(rows: list[dict]) -> list[str]:
    return [r["case"] for r in rows]


RANK = _cases("cases_rank.csv")
COMPARE = _cases("cases_compare.csv")
LEVEL = _cases("cases_level.csv")
CHANGE = _cases("cases_change.csv")
SINCE = _cases("cases_since.csv")


@pytest.mark.parametrize("case", RANK, ids=_ids(RANK))
def test_rank_cases(case):
    pairs = [p.split("=") for p in case["values"].split(";")]
    group = pd.DataFrame(
        {"area_code": [k for k, _ in pairs], "area_name": [k for k, _ in pairs], "value": [float(v) for _, v in pairs]}
    )
    group["lower"] = group["upper"] = float("nan")
    group.loc[group["area_code"] == "A", ["lower", "upper"]] = [_num(case["lower_a"]), _num(case["upper_a"])]
    group["period"] = "2020"
    m = kinds.Measure(title="Measure", unit="", polarity=case["polarity"])
    out = kinds.rank(group, "A", m, read(case["reading"], "rank"), group_name="places")
    assert (out.verdict, out.extra["rank"], out.knife_edge) == (
        case["verdict"],
        int(case["rank"]),
        case["knife_edge"] == "True",
    ), case["note"]
    assert out.kind == "rank" and out.conclusion and f"ranked {out.extra['rank']} of {len(group)}" in out.evidence
    json.dumps(out.as_dict())  # an outcome travels as JSON (scraps, manifests): no numpy types


def test_rank_worst_needs_a_polarity():
    group = pd.DataFrame({"area_code": ["A", "B"], "value": [1.0, 2.0]})
    with pytest.raises(ValueError, match="polarity"):
        kinds.rank(group, "A", kinds.Measure("m", ""), read("the worst"), group_name="places")


@pytest.mark.parametrize("case", COMPARE, ids=_ids(COMPARE))
def test_compare_cases(case):
    row = pd.Series(
        {
            "area_name": "A",
            "period": "2020",
            "value": float(case["value"]),
            "lower": _num(case["lower"]),
            "upper": _num(case["upper"]),
        }
    )
    other = pd.Series({"area_name": "England", "value": float(case["comparator"]), "period": "2020"})
    m = kinds.Measure(title="Measure", unit="%", polarity=case["polarity"])
    out = kinds.compare(row, other, m, read(case["reading"], "compare"))
    assert (out.verdict, out.knife_edge) == (case["verdict"], case["knife_edge"] == "True"), case["note"]


@pytest.mark.parametrize("case", LEVEL, ids=_ids(LEVEL))
def test_level_cases(case):
    row = pd.Series(
        {
            "area_name": "A",
            "period": "2021",
            "value": float(case["value"]),
            "lower": _num(case["lower"]),
            "upper": _num(case["upper"]),
        }
    )
    m = kinds.Measure(title="Households in fuel poverty", unit=case["unit"])
    out = kinds.level(row, m, read(case["reading"], "level"), stated=_num(case["stated"]))
    assert (out.verdict, out.figure) == (case["verdict"], case["figure"]), case["note"]


@pytest.mark.parametrize("case", CHANGE, ids=_ids(CHANGE))
def test_change_cases(case):
    money = case["money"] == "True"
    s = pd.DataFrame(
        {
            "period": ["2015-16", "2020-21"],
            "year": [2015, 2020],
            "value": [float(case["start_value"]), float(case["end_value"])],
            "value_real": [_num(case["start_real"]), _num(case["end_real"])],
            "series": [1, 1],
        }
    )
    m = kinds.Measure(title="Spending", unit="£", money=money, price_base="2024-25 prices")
    out = kinds.change(s, "2015-16", "2020-21", m, read(case["reading"], "change"))
    assert (out.verdict, out.knife_edge) == (case["verdict"], case["knife_edge"] == "True"), case["note"]
    if money:
        assert "real terms" in out.evidence and "in cash" in out.evidence


def test_change_refuses_to_join_across_a_series_break():
    s = pd.DataFrame({"period": ["2018", "2022"], "year": [2018, 2022], "value": [4716.0, 749.0], "series": [1, 2]})
    out = kinds.change(s, "2018", "2022", kinds.Measure("Renewable generation", "GWh"), read("fell"))
    assert out.verdict == "cannot be tested" and "series break" in out.evidence


@pytest.mark.parametrize("case", SINCE, ids=_ids(SINCE))
def test_since_cases(case):
    pairs = [p.split("=") for p in case["values"].split(";")]
    per = Period(kind="calendar_year")
    years = [int(y) for y, _ in pairs]
    s = pd.DataFrame(
        {
            "year": years,
            "period": [periods.label(y, per) for y in years],
            "period_start": [periods.bounds(y, per)[0] for y in years],
            "period_end": [periods.bounds(y, per)[1] for y in years],
            "value": [float(v) for _, v in pairs],
            "value_real": float("nan"),
        }
    )
    m = kinds.Measure(title="Recycling", unit="%", polarity=case["polarity"])
    excluded = (2020,) if case["case"] == "covid_year_left_out" else ()
    out = kinds.since(
        s,
        MANIFESTO,
        m,
        read(case["reading"], "since"),
        target=_num(case["target"]),
        target_year=int(case["target_year"]) if case["target_year"] else None,
        excluded_years=excluded,
    )
    assert (out.verdict, out.direction) == (case["status"], case["direction"]), case["note"]
    assert out.extra["baseline_period"] == case["baseline_period"]
    assert out.extra.get("latest_period", "") == case["latest_period"]


def test_trend_with_zero_width_interval_is_not_a_result():
    s = pd.DataFrame({"year": [2017, 2018, 2019, 2020], "value": [10.0, 12.0, 14.0, 16.0]})
    out = kinds.trend(s, kinds.Measure("Share", "%"), read("rising"))
    assert out.verdict == "cannot be tested" and "zero width" in out.evidence


def test_trend_rising_with_noise():
    s = pd.DataFrame({"year": list(range(2012, 2020)), "value": [10, 11.2, 11.9, 13.1, 13.8, 15.2, 15.9, 17.1]})
    out = kinds.trend(s, kinds.Measure("Share", "%"), read("rising"))
    assert out.verdict == "supported" and "percentage points a year" in out.evidence


def test_share_too_much_of_growth():
    r = read("too much of", "share")
    m = kinds.Measure("Population", "people")
    # the part grew by 60 of the whole's 100, from 40% of the whole: 60 - 40 = 20 points > 5
    out = kinds.share(400, 460, 1000, 1100, m, r, part_name="P", whole_name="county", periods=("2011", "2020"))
    assert out.verdict == "supported" and out.value == pytest.approx(20.0)
    out = kinds.share(400, 442, 1000, 1100, m, r, part_name="P", whole_name="county", periods=("2011", "2020"))
    assert out.verdict == "partly supported"  # 42% of growth from 40%: +2 points, under the 5-point margin
    out = kinds.share(400, 430, 1000, 1100, m, r, part_name="P", whole_name="county", periods=("2011", "2020"))
    assert out.verdict == "not supported"


def test_in_words():
    assert kinds.in_words(11.364, "%") == "about 1 in 9"
    assert kinds.in_words(62.0, "%") == "about 6 in 10"
    assert kinds.in_words(1234.5, "£") == "£1,234"


def test_since_money_is_judged_in_real_terms_leaving_out_years_without_a_deflator():
    per = Period(kind="calendar_year")
    years = [2020, 2023, 2025]
    s = pd.DataFrame(
        {
            "year": years,
            "period": [str(y) for y in years],
            "period_start": [periods.bounds(y, per)[0] for y in years],
            "period_end": [periods.bounds(y, per)[1] for y in years],
            "value": [100.0, 110.0, 130.0],  # cash rises by 10% to 2023 ...
            "value_real": [100.0, 95.0, float("nan")],  # ... a real fall; 2025 has no deflator yet
        }
    )
    m = kinds.Measure("Pay", "£", "higher_is_better", money=True, price_base="2024-25 prices")
    out = kinds.since(s, MANIFESTO, m, read("increase", "since"))
    assert (out.verdict, out.direction) == ("direction only", "worsening")
    assert out.extra["latest_period"] == "2023" and "2025 not yet covered by the GDP deflator" in out.evidence


def test_since_never_joins_across_a_declared_break():
    per = Period(kind="calendar_year")
    years = [2018, 2022, 2024]
    s = pd.DataFrame(
        {
            "year": years,
            "period": [str(y) for y in years],
            "period_start": [periods.bounds(y, per)[0] for y in years],
            "period_end": [periods.bounds(y, per)[1] for y in years],
            "value": [4716.0, 749.0, 800.0],  # offshore wind re-allocated between the 2018 and 2022 editions
            "value_real": float("nan"),
            "series": [1, 2, 2],
        }
    )
    out = kinds.since(s, MANIFESTO, kinds.Measure("Renewable generation", "GWh", "higher_is_better"), read("increase"))
    assert (out.verdict, out.direction) == ("direction only", "improving")  # 749 -> 800, not 4,716 -> 800
    assert out.extra["baseline_period"] == "2022" and "series breaks at 2022" in out.evidence
