"""Council finance indicators computed from parsed tables (cash; the store adds real terms): spending power in
£ million and per resident, and Revenue Support Grant and net revenue expenditure from the revenue outturn, each
with former councils added up (a county council as a body: its own budget, never its districts')."""

from __future__ import annotations

import pandas as pd

from ...datasets import load
from ..store import derivation

#: Councils in the 100% business rates retention pilots of 2017-18 (Greater Manchester, Liverpool City Region,
#: West Midlands, West of England, Cornwall): their Revenue Support Grant was rolled into retained business rates,
#: so a grant of about nil in 2017-18 is a change of funding route, not a cut. 27 councils.
RATES_RETENTION_PILOTS_2017 = (
    # Greater Manchester (10)
    *(f"E0800000{i}" for i in range(1, 10)),
    "E08000010",
    # Liverpool City Region (6): Knowsley, Liverpool, St Helens, Sefton, Wirral, Halton
    "E08000011",
    "E08000012",
    "E08000013",
    "E08000014",
    "E08000015",
    "E06000006",
    # West Midlands (7): Birmingham, Coventry, Dudley, Sandwell, Solihull, Walsall, Wolverhampton
    *(f"E080000{i}" for i in range(25, 32)),
    # West of England (3): Bath and North East Somerset, Bristol, South Gloucestershire
    "E06000022",
    "E06000023",
    "E06000025",
    # Cornwall
    "E06000052",
)
PILOT_YEAR = 2017


def _with_obtained(frame: pd.DataFrame, column: str, scale: float = 1.0) -> pd.DataFrame:
    made = frame.get("aggregated_from", pd.Series("", index=frame.index)).fillna("") != ""
    return pd.DataFrame(
        {
            "area_code": frame["area_code"],
            "year": frame["year"],
            "value": pd.to_numeric(frame[column], errors="coerce") * scale,
            "obtained": made.map({True: "sum of former councils", False: "published"}),
        }
    ).dropna(subset=["value"])


DEFLATOR = "gdp_deflator_ybgb_ons_1948_2025"


def _record_first() -> None:
    """Load the GDP deflator (used for real terms anyway) before calling a cached national table, so that the
    store's open dataset recorder holds a table the nested one never loads. Works around
    :func:`helpers.datasets.recording` removing recorders by equality: when a nested recorder ends with the same
    contents as the store's, its exit removes the store's recorder, whose own exit then fails with
    "list.remove(x): x not in list"."""
    load(DEFLATOR, "financial_years")


@derivation("spending_power")
def spending_power(column: str = "value") -> pd.DataFrame:
    """Spending power by current council (``value``: £ million; ``per_head``: £ per resident, ONS mid-year
    population at the start of the year), 2011-12 to 2020-21, former councils added up as bodies."""
    from ...sections import s07_finance_growth_housing as s07

    _record_first()
    return _with_obtained(s07.spending_power(), column)


@derivation("revenue_outturn_rs")
def revenue_outturn_rs(column: str = "rsg", drop_pilots: bool = True) -> pd.DataFrame:
    """Revenue Support Grant (``rsg``) or net revenue expenditure (``net_revenue_expenditure``) in £ million by
    current council (MHCLG revenue outturn, RS). With ``drop_pilots`` the 2017-18 grant of the 27 councils in the
    100% business rates retention pilots is left out (see :data:`RATES_RETENTION_PILOTS_2017`)."""
    from ...sections import s07_finance_growth_housing as s07

    _record_first()
    out = _with_obtained(s07.grant(), column, scale=0.001)
    if drop_pilots:
        out = out[~(out["area_code"].isin(RATES_RETENTION_PILOTS_2017) & (out["year"] == PILOT_YEAR))]
    return out
