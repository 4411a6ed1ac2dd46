"""Tests of the Briefing 07 helpers (finance, growth, housing and pay) on small frames with known answers,
plus a parser value checked against the raw file."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from helpers.sections import s07_finance_growth_housing as s


def _frame(rows):
    return pd.DataFrame(rows, columns=["area_code", "year", "value"])


def test_dispersion_by_year_known_answer():
    # year 1: values 10, 20, 30 -> mean 20, sd (ddof=0) sqrt(200/3), cv = 100*sd/20, max/min 3
    # year 2: one area missing -> dropped; year 3: 20, 20, 20 -> cv 0, ratio 1
    f = _frame(
        [
            ("A", 2001, 10),
            ("B", 2001, 20),
            ("C", 2001, 30),
            ("A", 2002, 10),
            ("B", 2002, 20),
            ("A", 2003, 20),
            ("B", 2003, 20),
            ("C", 2003, 20),
            ("D", 2003, 99),
        ]
    )
    d = s.dispersion_by_year(f, ["A", "B", "C"])
    assert d["year"].tolist() == [2001, 2003]
    first = d.iloc[0]
    assert first["mean"] == pytest.approx(20)
    assert first["cv"] == pytest.approx(100 * np.sqrt(200 / 3) / 20)
    assert first["max_min_ratio"] == pytest.approx(3)
    assert first["range"] == pytest.approx(20)
    assert (first["max_code"], first["min_code"]) == ("C", "A")
    assert d.iloc[1]["cv"] == pytest.approx(0)
    assert d.iloc[1]["max_min_ratio"] == pytest.approx(1)


def test_dispersion_trend_direction():
    # spread grows every year: A fixed at 100, B rises by 10 a year -> cv rises -> widening
    rows = [r for y in range(2010, 2018) for r in (("A", y, 100.0), ("B", y, 100.0 + 10 * (y - 2009)))]
    d = s.dispersion_by_year(_frame(rows), ["A", "B"])
    trend, word = s.dispersion_trend(d, "cv")
    assert word == "widening" and trend.slope > 0
    # mirrored: B falls towards A -> narrowing
    rows = [r for y in range(2010, 2018) for r in (("A", y, 100.0), ("B", y, 200.0 - 10 * (y - 2009)))]
    _, word = s.dispersion_trend(s.dispersion_by_year(_frame(rows), ["A", "B"]), "max_min_ratio")
    assert word == "narrowing"
    _, word = s.dispersion_trend(d.head(2), "cv")
    assert word == "too few points"


def test_funding_claim_verdict_rule():
    assert s.funding_claim_verdict(-5.0, 3.0, 9.0)[0] == "supported"
    assert s.funding_claim_verdict(-5.0, 12.0, 9.0)[0] == "partly supported"
    assert s.funding_claim_verdict(2.0, 3.0, 9.0)[0] == "partly supported"
    assert s.funding_claim_verdict(2.0, 12.0, 9.0)[0] == "not supported"
    assert s.funding_claim_verdict(np.nan, 12.0, 9.0)[0] == "cannot be tested with public data"


def test_pct_change_and_england_total():
    sp = pd.DataFrame(
        {"area_code": ["A", "A", "B", "B"], "year": [2016, 2020, 2016, 2020], "value": [100.0, 110.0, 300.0, 300.0]}
    )
    assert s.pct_change(sp[sp["area_code"] == "A"], 2016, 2020) == pytest.approx(10)
    assert s.england_total_change(sp, 2016, 2020) == pytest.approx(2.5)
    assert np.isnan(s.pct_change(sp[sp["area_code"] == "A"], 2011, 2020))


def test_spending_per_head():
    sp = pd.DataFrame({"area_code": ["A"], "year": [2016], "value": [2.0]})
    pop = pd.DataFrame({"area_code": ["A"], "year": [2016], "population": [1000.0]})
    assert s.spending_per_head(sp, pop)["per_head"].iloc[0] == pytest.approx(2000)


def test_direction_of_travel():
    assert s.direction_of_travel(1, 2) == "improving"
    assert s.direction_of_travel(1, 2, "lower_is_better") == "worsening"
    assert s.direction_of_travel(np.nan, 2) == "not known"


def test_spending_power_parser_matches_raw_file():
    """The parsed Cambridgeshire, Fenland and Peterborough rows equal the raw CSV cells
    (the source.yaml's cambridgeshire_check rows), read here with the csv module."""
    from helpers import fetch
    from helpers.datasets import load

    sp = load(s.SPEND, "spending_power")
    path = fetch.fetch(s.SPEND, "SpendingMillions.csv")
    with open(path, newline="") as fh:
        raw = {r["ons_code"]: r for r in csv.DictReader(fh)}
    for code in ("E10000003", "E07000010", "E06000031"):
        for header in ("2012", "2016", "2017", "2021"):
            got = sp[(sp["area_code"] == code) & (sp["year"] == int(header) - 1)]["value"].iloc[0]
            assert got == pytest.approx(float(raw[code][header]))
    cam = sp[sp["area_code"] == "E10000003"].set_index("period")
    assert cam.loc["2011-12", "value"] == pytest.approx(389.59)
    assert cam.loc["2020-21", "value"] == pytest.approx(412.81)
    assert cam.loc["2016-17", "series"] == "core spending power"
