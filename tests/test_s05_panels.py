"""Briefing 05's panels (``helpers.sections.s05_net_zero``): each question's frame, figure data, sentences and
findings, checked against the raw emissions file (read with pandas, not the parser) and source.yaml check values."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import areas, fetch, register
from helpers.panels import Figure, Table
from helpers.sections import s05_net_zero as s05

pytestmark = pytest.mark.needs_mirror

COUNTY = "E10000003"


@pytest.fixture(scope="module")
def raw():
    r = pd.read_csv(fetch.fetch(s05.DATASET, "local_authority_emissions.csv"))
    return r[r["local-authority-code"] == "CAM"].set_index("Year")


@pytest.fixture(scope="module")
def county():
    return s05.scope(areas.resolve_briefing_area(COUNTY), register.load(), 5)


def _figure(p) -> Figure:
    return next(x for x in p.parts if isinstance(x, Figure))


def test_scope_reads_the_registers_target_and_takes_an_override(county):
    assert (county.target_year, county.residual_share) == (2030, 0.05)  # the register's net-zero pledge
    other = s05.scope(areas.resolve_briefing_area(COUNTY), register.load(), 5, target_year=2040)
    assert other.target_year == 2040 and other.residual_share == 0.05
    assert county.co2_years == "2005 to 2019, without 2020" and county.in_region == "in the East of England"


def test_sector_panel_matches_the_raw_row(county, raw):
    p = s05.sources_by_sector(county)
    row = raw.loc[2020]
    by_sector = p.frame.set_index("sector")
    for sector in s05.SECTORS:
        assert by_sector.loc[sector, "kt_co2"] == pytest.approx(row[f"{sector} Total:kt CO2"])
    assert by_sector["share_pct"].sum() == pytest.approx(100.0)
    top = by_sector["kt_co2"].idxmax()
    assert p.findings[0].startswith(f"{top} was the largest source")
    assert f"{row['Total Emissions:kt CO2']:,.0f} kt CO2" in p.parts[-1]
    data = _figure(p).data
    assert {"area_code", "area_name", "period", "value", "sector"} <= set(data.columns)
    transport = data[(data["sector"] == "Transport")].set_index("period")["value"]
    assert transport["2005"] == pytest.approx(raw.loc[2005, "Transport Total:kt CO2"])


def test_per_resident_panel_uses_the_published_per_person_figure(county, raw):
    p = s05.per_resident(county)
    own = p.frame.set_index("area_code").loc[COUNTY]
    assert own["per_person_t"] == pytest.approx(raw.loc[2020, "Per Person Emissions:t"], rel=1e-3)
    assert f"{raw.loc[2020, 'Per Person Emissions:t']:.2f} t" in p.findings[0]


def test_net_zero_path_needs_the_closed_form_cut(county):
    p = s05.net_zero_path(county)
    table = p.frame.set_index("target year")
    # needed from 2019 (3423.1 kt, source.yaml check) to 5% of 2005 (4984.2 kt) by 2030, constant % a year
    need = 100 * ((0.05 * 4984.2 / 3423.1) ** (1 / 11) - 1)
    assert table.loc[2030, "required change from 2019 (% per year)"] == pytest.approx(need, abs=0.05)
    assert list(table.index) == [2030, 2050] and table.loc[2030, "status"] == "off track"
    data = _figure(p).data
    assert set(data["series"]) == {"observed", "trend projection", "required path to 2030", "required path to 2050"}
    path = data[data["series"] == "required path to 2030"].set_index("period")["value"]
    assert path["2030"] == pytest.approx(0.05 * 4984.2, rel=1e-3)
    assert p.details and "Log-linear" in p.details[0]  # model diagnostics off the reader's path


def test_sector_and_england_panels_agree_with_the_trend_comparison(county):
    sectors = s05.sectors_on_path(county)
    assessed = sectors.frame[sectors.frame["status"] != "not assessed"]
    data = _figure(sectors).data.set_index("sector")
    for r in assessed.itertuples():
        assert data.loc[r.sector, "value"] == pytest.approx(-r.observed)
    eng = s05.against_england(county)
    assert set(eng.frame["area_code"]) >= {COUNTY, areas.ENGLAND_CODE, county.region.code}
    own = eng.frame.set_index("area_code").loc[COUNTY]
    assert f"{-own['apc']:.1f}% a year" in eng.findings[0]


def test_renewables_panel_sums_the_districts(county):
    p = s05.renewables(county)
    # source.yaml check: county total 1,374,356 / 1,480,738 / 1,615,781 MWh in 2018 / 2022 / 2024
    assert "2018 1,374 GWh; 2022 1,481 GWh; 2024 1,616 GWh" in p.parts[-1]
    table = next(x for x in p.parts if isinstance(x, Table)).frame
    assert table["2024"].sum() == pytest.approx(1615.781, abs=0.01)


def test_a_unitary_has_no_district_panel():
    v = s05.scope(areas.resolve_briefing_area("E06000031"), register.load(), 5)
    p = s05.by_district(v)
    assert "single-tier council" in p.parts[0] and not any(isinstance(x, Figure) for x in p.parts)


@pytest.mark.parametrize("code", ["E06000053", "E09000001"])
def test_panels_of_awkward_councils_say_what_is_missing(code):
    v = s05.scope(areas.resolve_briefing_area(code), register.load(), 5)
    for name in ("sources_by_sector", "per_resident", "greenhouse_gases", "net_zero_path", "home_energy", "renewables"):
        p = getattr(s05, name)(v)
        text = " ".join(x for x in p.parts if isinstance(x, str)) + " ".join(p.gaps) + " ".join(p.findings)
        assert "nan" not in text.split() and "{" not in text
