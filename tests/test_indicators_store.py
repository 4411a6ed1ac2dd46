"""The indicator catalogue (validation, one-line errors, search) and the national store (values against the raw
files, periods as people write them, roll-ups, real terms), plus the register's checks on claim kinds."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import indicators, register
from helpers.indicators import periods
from helpers.indicators.catalogue import CatalogueError, Period

# the module (the package re-exports its function `catalogue` under the same name)
cat = importlib.import_module("helpers.indicators.catalogue")

ROOT = Path(__file__).resolve().parents[1]


# --- catalogue ------------------------------------------------------------------------------------------------


def test_every_entry_validates_and_is_listed():
    frame = indicators.catalogue()
    assert len(frame) == len(list(cat.CATALOGUE_DIR.glob("*.yaml")))
    assert frame["id"].is_unique and set(frame["polarity"]) <= set(cat.POLARITIES)


@pytest.fixture
def temp_catalogue(tmp_path, monkeypatch):
    folder = tmp_path / "indicators"
    shutil.copytree(cat.CATALOGUE_DIR, folder)
    monkeypatch.setenv(cat.CATALOGUE_ENV, str(folder))
    cat._load.cache_clear()
    yield folder
    cat._load.cache_clear()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"polarity": "up_is_good"}, "polarity"),
        ({"unit": None}, "unit"),
        ({"source": {"dataset": "fuel_poverty_la_2020_2021_lilea"}}, "did you mean fuel_poverty_la_2020_2021_lilee"),
        ({"derive": {"function": "x", "datasets": ["y"]}}, "exactly one of `source`"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_entry_is_one_line_naming_file_id_and_problem(temp_catalogue, change, message):
    path = temp_catalogue / "fuel-poverty-lilee.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(change)
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CatalogueError) as err:
        indicators.catalogue()
    text = str(err.value)
    assert "\n" not in text and "fuel-poverty-lilee" in text and message in text


def test_unknown_indicator_names_the_closest():
    with pytest.raises(CatalogueError, match="did you mean fuel-poverty-lilee"):
        indicators.get("fuel-poverty-lile")


def test_search():
    assert "bus-journeys-per-head" in set(indicators.search("bus journeys")["id"])
    assert indicators.search("no such words here").empty


# --- periods --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, start, label, bounds",
    [
        (Period(kind="calendar_year"), 2023, "2023", ("2023-01-01", "2023-12-31")),
        (Period(kind="financial_year"), 2023, "2023-24", ("2023-04-01", "2024-03-31")),
        (Period(kind="financial_year"), 1999, "1999-00", ("1999-04-01", "2000-03-31")),
        (Period(kind="academic_year"), 2022, "2022/23", ("2022-09-01", "2023-08-31")),
        (Period(kind="rolling_years", years=3), 2021, "2021 to 2023", ("2021-01-01", "2023-12-31")),
        (Period(kind="mid_year"), 2020, "mid-2020", ("2020-06-30", "2020-06-30")),
    ],
)
def test_period_labels_as_people_write_them(period, start, label, bounds):
    assert periods.label(start, period) == label
    assert periods.bounds(start, period) == bounds
    assert "P1Y" not in label


def test_year_means_the_first_calendar_year():
    import pandas as pd

    end = Period(kind="financial_year", year_is="end")
    assert periods.start_year(pd.Series([2020]), end).tolist() == [2019]
    rolling = Period(kind="rolling_years", years=3, year_is="end")
    assert periods.start_year(pd.Series([2023]), rolling).tolist() == [2021]


# --- the store against the raw files (values read by hand from the mirror's files) ---------------------------


@pytest.mark.needs_mirror
def test_fuel_poverty_values_against_the_raw_file():
    f = indicators.get("fuel-poverty-lilee", areas=["E07000010"])
    got = f.set_index("period")["value"].round(4).to_dict()
    # fuel_poverty_la_2020.csv: E07000010,43906,6731,15.33047875; 2021: E07000010,44519,5981,13.4347...
    assert got == {"2020": 15.3305, "2021": 13.4347}
    assert (f["obtained"] == "published").all() and (f["area_type"] == "district").all()


@pytest.mark.needs_mirror
def test_a_county_is_pooled_from_its_districts_and_says_so():
    f = indicators.get("fuel-poverty-lilee", areas=["E10000003"], periods=[2021]).iloc[0]
    assert f["numerator"] == 31889 and f["denominator"] == 280597
    assert f["value"] == pytest.approx(100 * 31889 / 280597) and f["obtained"] == "pooled from its 5 districts"


@pytest.mark.needs_mirror
def test_bus_periods_are_financial_years_from_the_table_year_end():
    f = indicators.get("bus-journeys-per-head", areas=["E10000003"])
    assert f["period"].iloc[0] == "2009-10" and f["year"].iloc[0] == 2009
    assert f["period_start"].iloc[0] == "2009-04-01"


@pytest.mark.needs_mirror
def test_latest_and_period_filters():
    latest = indicators.get("fuel-poverty-lilee", periods="latest")
    assert latest.groupby("area_code").size().max() == 1 and set(latest["period"]) == {"2021"}


@pytest.mark.needs_mirror
def test_gdp_deflator_financial_years_match_the_dataset_notes():
    from helpers import load

    d = load("gdp_deflator_ybgb_ons_1948_2025", "financial_years").set_index("period")["deflator"]
    assert d["2016-17"] == pytest.approx(85.65, abs=0.01) and d["2020-21"] == pytest.approx(95.83, abs=0.01)


@pytest.mark.needs_mirror
def test_write_store_is_atomic_and_readable(tmp_path):
    import pandas as pd

    target = tmp_path / "data" / "indicators.parquet"
    indicators.write_store(target, ["fuel-poverty-lilee", "bus-journeys-per-head"])
    back = pd.read_parquet(target)
    assert list(back.columns) == indicators.STORE_COLUMNS
    assert set(back["indicator_id"]) == {"fuel-poverty-lilee", "bus-journeys-per-head"}
    assert not list(target.parent.glob("*.tmp"))


# --- the register's checks ------------------------------------------------------------------------------------

GOOD = {"kind": "level", "indicator": "fuel-poverty-lilee", "reading": "many", "period": 2021}


def _register(tmp_path: Path, check: dict) -> Path:
    path = tmp_path / "reg.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "manifesto": {
                    "id": "toy-2021",
                    "title": "Toy manifesto",
                    "date": "2021-05-06",
                    "subject_area": "E10000003",
                    "documents": {"manifesto": {"title": "Toy", "date": "2021-04-01"}},
                },
                "sections": {
                    "01_communities": {
                        "claims": [
                            {
                                "id": "fuel-poverty-many",
                                "text": "Many households were in fuel poverty",
                                "source": "manifesto §1",
                                "indicator": "Fuel poverty",
                                "check": check,
                            }
                        ]
                    }
                },
            },
            sort_keys=False,
        )
    )
    return path


@pytest.mark.parametrize(
    "change, closest",
    [
        ({"kind": "levl"}, "level"),
        ({"indicator": "fuel-povrty-lilee"}, "fuel-poverty-lilee"),
        ({"reading": "mnay"}, "'many'"),
        ({"perod": 2021}, "period"),
        ({"reading": "the worst"}, "for level use"),
    ],
)
def test_a_bad_check_is_one_line_naming_file_entry_and_closest(tmp_path, change, closest):
    path = _register(tmp_path, {**GOOD, **change})
    with pytest.raises(register.RegisterError) as err:
        register.load(path)
    text = str(err.value)
    assert "\n" not in text and str(path) in text and "fuel-poverty-many" in text and closest in text


@pytest.mark.needs_mirror
def test_a_good_check_evaluates_to_a_card(tmp_path):
    from helpers import areas

    m = register.load(_register(tmp_path, GOOD))
    section, _, entry = m.find("fuel-poverty-many")
    text, out = register.evaluate(entry, register.Context(areas.resolve("E10000003"), m, section))
    assert out.verdict == "supported" and out.figure == "about 1 in 9" and out.kind == "level"
    assert out.conclusion.startswith("The data support the claim: Households in fuel poverty")


def test_only_marked_claim_tests_can_be_named(tmp_path):
    with pytest.raises(ValueError, match="is not a claim test"):
        register.resolve("helpers.report.atomic_write")


@pytest.mark.needs_mirror
def test_one_former_council_never_stands_in_for_a_merged_one():
    # Somerset (E06000066) was formed in 2023 from a county and four districts; fuel poverty 2020 has rows only for
    # the former districts, so the store pools them (numerators and denominators), never picks one
    row = indicators.get("fuel-poverty-lilee", areas=["E06000066"], periods=[2020]).iloc[0]
    assert row["obtained"] == "pooled from former councils"
    assert row["value"] == pytest.approx(100 * row["numerator"] / row["denominator"])
    assert row["denominator"] > 200_000  # all of Somerset's households, not one district's


def test_the_store_cache_is_keyed_by_entry_code_and_the_datasets_read(tmp_path, monkeypatch):
    import pandas as pd

    from helpers import config

    store = importlib.import_module("helpers.indicators.store")

    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "cache"))
    sources = tmp_path / "sources"
    shutil.copytree(config.SOURCES_DIR, sources)
    monkeypatch.setattr(config, "SOURCES_DIR", sources)
    ind = indicators.entry("fuel-poverty-lilee")
    base = store._base_key(ind)
    frame = pd.DataFrame({"area_code": ["E10000003"], "value": [11.4]})
    store._to_cache(ind, base, frame, [("fuel_poverty_la_2020_2021_lilee", "default")])
    assert store._from_cache(ind, base).equals(frame)
    assert store._from_cache(ind, "another entry or code") is None
    entry_file = sources / "fuel_poverty_la_2020_2021_lilee.yaml"
    entry_file.write_text(entry_file.read_text() + "\n# a new release\n")
    assert store._from_cache(ind, base) is None  # a dataset the build read has a new registry entry
