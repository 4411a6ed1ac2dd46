"""Briefing 03 - schools, children and young people: the section's analysis and its claim and pledge tests.

Pure functions on frames (code look-ups, rankings, district spreads, interval tables); the panels at the end
(:func:`funding`, :func:`send_budget`, :func:`outcomes`, :func:`looked_after`, :func:`neet` ...) each answer one
question of ``notebooks/03_schools_children.ipynb`` as a :class:`helpers.panels.Panel`; and the one hand-written
claim test the register names (:func:`claim_ofsted_help_and_protection`), which returns a
:class:`helpers.verdicts.Outcome` decided by :mod:`helpers.verdicts` (a council with no usable data raises
:class:`helpers.verdicts.NoData`).
Interval, comparison and trend maths come from :mod:`helpers.stats`; trends take the series breaks declared
in each dataset's registry entry (``breaks:``) and are never fitted across them.

Sources: NEU school funding per pupil (real terms, 2022-23 prices), DfE section 251 / ESFA Dedicated Schools
Grant balance (DfE SEND and AP dashboard), DfE children looked after, children in need, care leavers' activity,
children's social work workforce, 16-17 NEET and LAIT, Ofsted ILACS judgements; all OGL v3 except the NEU
analysis (third-party derived data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import national, text
from ..claims import claim_test
from ..indicators.derive.schools import AREA_NAMES
from ..stats import proportion_table, rate_table, significance_labels

ENGLAND = "E92000001"
NEU = "school_funding_per_pupil_neu_2015_16_2020_21"
CLA = "children_looked_after_la_2019_2025"
NEET = "neet_participation_16_17_la_2021_2025"
LAIT = "dfe_lait_la_indicators_2016_2025"
ELS = "ons_explore_local_statistics"


#: ONS Explore Local Statistics tables on school outcomes: table -> (short label, polarity).
OUTCOME_TABLES = {
    "early-years": ("Early years: expected level (by area of learning)", "higher_is_better"),
    "pupils-at-expected-standards-by-end-of-primary-school": (
        "End of primary: expected standard in RWM",
        "higher_is_better",
    ),
    "gcses-in-english-and-maths": ("GCSE English and maths by age 19", "higher_is_better"),
    "persistent-absences-for-all-pupils": ("Persistent absence: all pupils", "lower_is_better"),
    "persistent-absences-for-pupils-eligible-for-free-school-meals": (
        "Persistent absence: FSM pupils",
        "lower_is_better",
    ),
    "persistent-absences-for-pupils-looked-after-by-local-authorities": (
        "Persistent absence: looked-after pupils",
        "lower_is_better",
    ),
}

#: LAIT gap pairs: label -> (disadvantaged measure, other pupils measure).
LAIT_GAPS = {
    "Good level of development at age 5 (FSM vs non-FSM)": ("FSP_Gooddev_FSM", "FSP_Gooddev_FSM_Other"),
    "KS2 reading, writing and maths (disadvantaged vs others)": ("DAP_NEW_KS2_RWM", "NonDAP_NEW_KS2_RWM"),
    "KS4 Attainment 8 score (disadvantaged vs others)": ("DAP_KS4_ATT8", "NonDAP_KS4_ATT8"),
}

#: GSS codes of the councils ranked against each other: counties and single-tier councils.
COUNCIL_CODES = r"^E(06|08|09|10)\d{6}$"

#: LAIT region and England names -> GSS codes: the indicator derivations' one map.
LAIT_AREA_NAMES = AREA_NAMES


# --- codes ------------------------------------------------------------------------------------------


def la_number_lookup(lookup: pd.DataFrame) -> dict[int, str]:
    """DfE 3-digit LA number -> GSS code, taking the latest code where an authority was re-coded
    (e.g. North Yorkshire 815: E10000023 until 2020, E06000065 from 2023)."""
    latest = lookup.sort_values("last_year", ascending=False).drop_duplicates("la_number")
    return dict(zip(latest["la_number"].astype(int), latest["area_code"], strict=True))


def add_gss_codes(
    frame: pd.DataFrame, lookup: pd.DataFrame, number_col: str = "la_number", name_col: str = "area_name"
) -> pd.DataFrame:
    """Add ``area_code`` to a frame keyed by DfE LA number; England and regions are matched by name.
    Rows matched by neither (e.g. Inner/Outer London) get a missing code."""
    codes = la_number_lookup(lookup)
    out = frame.copy()
    by_number = pd.to_numeric(out[number_col], errors="coerce").astype("Int64").map(codes)
    by_name = out[name_col].map(LAIT_AREA_NAMES)
    out["area_code"] = by_name.where(by_name.notna(), by_number)
    return out


# --- rankings and gaps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """Position of one area among ``n`` (rank 1 = lowest value)."""

    rank: int | None
    n: int
    value: float | None

    @property
    def share(self) -> float | None:
        """rank / n: 0.2 or less means the lowest fifth."""
        return None if self.rank is None or self.n == 0 else self.rank / self.n

    @property
    def from_top(self) -> int | None:
        """Rank counted from the highest value (1 = highest)."""
        return None if self.rank is None else self.n - self.rank + 1


def rank_lowest(frame: pd.DataFrame, code: str, value: str, key: str = "area_code") -> Rank:
    """Rank of ``code`` among all rows with a value (1 = lowest; ties share the lowest rank)."""
    data = frame.dropna(subset=[value])
    n = int(len(data))
    if code not in set(data[key]):
        return Rank(None, n, None)
    ranks = data[value].rank(method="min", ascending=True)
    row = data[key].eq(code).to_numpy()
    return Rank(int(ranks[row].iloc[0]), n, float(data.loc[row, value].iloc[0]))


def weighted_benchmark(frame: pd.DataFrame, total: str, count: str) -> float:
    """Sum of ``total`` over sum of ``count`` (e.g. England funding per pupil from every authority)."""
    data = frame.dropna(subset=[total, count])
    return float(data[total].sum() / data[count].sum()) if data[count].sum() > 0 else math.nan


def district_spread(frame: pd.DataFrame, codes: list[str], value: str = "value", name: str = "area_name") -> dict:
    """Highest and lowest of the given areas: names, values and the range (max - min).

    Returns an empty dict when fewer than two of the areas have a value.
    """
    data = frame[frame["area_code"].isin(codes)].dropna(subset=[value])
    if len(data) < 2:
        return {}
    hi = data.loc[data[value].idxmax()]
    lo = data.loc[data[value].idxmin()]
    return {
        "max_name": hi[name],
        "max": float(hi[value]),
        "min_name": lo[name],
        "min": float(lo[value]),
        "range": float(hi[value] - lo[value]),
        "n": int(len(data)),
    }


def disadvantage_gaps(lait: pd.DataFrame, codes: list[str], year: int | None = None) -> pd.DataFrame:
    """For each LAIT gap pair (:data:`LAIT_GAPS`), the disadvantaged and other pupils' values and the gap
    (others minus disadvantaged) for each area code, in the latest year both are published (or ``year``)."""
    rows = []
    for label, (dis, other) in LAIT_GAPS.items():
        pair = lait[lait["measure"].isin([dis, other]) & lait["area_code"].isin(codes)]
        wide = pair.pivot_table(index=["area_code", "year"], columns="measure", values="value").dropna()
        if wide.empty or dis not in wide or other not in wide:
            continue
        wide = wide.reset_index()
        pick = year if year is not None else int(wide["year"].max())
        for _, r in wide[wide["year"] == pick].iterrows():
            rows.append(
                {
                    "measure": label,
                    "area_code": r["area_code"],
                    "year": pick,
                    "disadvantaged": r[dis],
                    "others": r[other],
                    "gap": r[other] - r[dis],
                }
            )
    return pd.DataFrame(rows, columns=["measure", "area_code", "year", "disadvantaged", "others", "gap"])


# --- intervals --------------------------------------------------------------------------------------


def cla_latest_year(cla: pd.DataFrame, code: str, indicator: str = "Children looked after on 31 March") -> int | None:
    """The latest year with a published (unsuppressed) looked-after count for ``code`` (None if none).

    Small councils have suppressed years (City of London 2025, every year but 2019 for the Isles of Scilly),
    so the area's own latest year, not the file's, is the one to show."""
    rows = cla[(cla["indicator"] == indicator) & (cla["area_code"] == code)].dropna(subset=["numerator", "denominator"])
    rows = rows[rows["denominator"] > 0]
    return int(rows["year"].max()) if len(rows) else None


def cla_rate_table(
    cla: pd.DataFrame, codes: list[str], year: int, indicator: str = "Children looked after on 31 March"
) -> pd.DataFrame:
    """Looked-after rate per 10,000 with Byar's 95%/99.8% limits for the given areas and year, labelled
    higher/similar/lower than England (no judgement: a higher rate is not in itself better or worse)."""
    data = cla[(cla["indicator"] == indicator) & (cla["year"] == year)]
    data = data.dropna(subset=["numerator", "denominator"])
    data = data[data["denominator"] > 0]
    table = rate_table(data, "numerator", "denominator", multiplier=10000)
    england = table.loc[table["area_code"] == ENGLAND]
    bench = float(england["numerator"].iloc[0] / england["denominator"].iloc[0] * 10000) if len(england) else np.nan
    table = significance_labels(table, bench, polarity="no_judgement")
    keep = table[table["area_code"].isin(codes)].copy()
    keep["england_rate"] = bench
    return keep


def lac_trend(cla: pd.DataFrame, code: str, indicator: str = "Children looked after on 31 March"):
    """Quasi-Poisson trend in the looked-after rate of one area (count with the child population as exposure),
    leaving out the years declared as series breaks in the dataset's registry entry (2021: Covid-19).

    Returns ``(rows, trend)``: the area's rows with a count, and a :class:`helpers.stats.TrendResult` or a falsy
    :class:`helpers.stats.TrendGap` whose ``reason`` says why no trend was fitted. Quasi-Poisson because a
    year-end stock varies more than a Poisson count (children stay in care from one year to the next)."""
    from .. import registry
    from ..stats import try_fit_trend

    own = cla[(cla["indicator"] == indicator) & (cla["area_code"] == code)].dropna(subset=["numerator", "denominator"])
    own = own[own["denominator"] > 0].sort_values("year")
    trend = try_fit_trend(
        own["year"],
        own["numerator"],
        kind="quasipoisson",
        use_t=True,
        exposure=own["denominator"],
        breaks=registry.get(CLA).breaks,
    )
    return own, trend


def neet_table(neet: pd.DataFrame, codes: list[str], year: int, column: str = "neet_or_not_known_pct") -> pd.DataFrame:
    """NEET (or NEET/not known) share of the 16-17 cohort with Wilson 95%/99.8% limits, labelled against
    England (lower is better). Counts are reconstructed as round(percent x cohort / 100): the published
    percentages are rounded to one decimal, so the interval is approximate."""
    data = neet[(neet["year"] == year)].dropna(subset=[column, "cohort"]).copy()
    data = data[data["cohort"] > 0]
    data["count"] = (data[column] * data["cohort"] / 100).round()
    table = proportion_table(data, "count", "cohort", multiplier=100)
    england = table[table["area_code"] == ENGLAND]
    bench = float(england["value"].iloc[0]) if len(england) else np.nan
    table = significance_labels(table, bench, polarity="lower_is_better")
    keep = table[table["area_code"].isin(codes)].copy()
    keep["england_value"] = bench
    return keep


#: LAIT measures added to the outcomes table (upper-tier councils only): measure -> (label, polarity).
LAIT_OUTCOMES = {
    "FSP_NEW_GOODDEV": ("Good level of development at age 5 (LAIT)", "higher_is_better"),
    "EngMaths9-4": ("GCSE English and maths grade 4+ at age 16 (LAIT)", "higher_is_better"),
}


def direction_only(gap: float, polarity: str) -> str:
    """Which side of England an area is on, with no judgement of significance: the school outcome tables are
    published without confidence intervals or cohort sizes, so a difference cannot be called better or worse.

    ``'above England'`` / ``'below England'`` (a published value equal to England's: ``'equal to England'``),
    followed by which side is favourable for the indicator, e.g. ``'above England (higher is better)'``."""
    if gap is None or (isinstance(gap, float) and math.isnan(gap)):
        return "not compared"
    if round(float(gap), 6) == 0:
        return "equal to England"
    side = "above England" if gap > 0 else "below England"
    return f"{side} ({'higher' if polarity == 'higher_is_better' else 'lower'} is better)"


def academic_label(start_year: int) -> str:
    """``2024`` -> ``'2024/25'`` (an academic or financial year from its first calendar year)."""
    return f"{int(start_year)}/{(int(start_year) + 1) % 100:02d}"


def outcome_row(
    frame: pd.DataFrame,
    code: str,
    *,
    label: str,
    polarity: str,
    period: str,
    england: str,
    region: str,
    similar: list[str],
    districts: list[str],
    upper_tier: pd.Series,
) -> dict:
    """One row of the outcomes table for one indicator and year: the area, England, region, similar councils'
    mean, gap to England, rank among upper-tier councils (1 = best by ``polarity``) and the district range.
    ``comparison`` is a direction only (:func:`direction_only`): the published figures have no intervals and no
    cohort sizes, so no difference is called better or worse.

    ``frame`` holds one indicator and one year (``area_code``, ``area_name``, ``value``); ``upper_tier`` is a
    boolean mask over ``frame`` selecting the councils to rank among.
    """
    val = lambda c: frame.loc[frame["area_code"] == c, "value"].mean()  # noqa: E731
    r = rank_lowest(frame[upper_tier], code, "value")
    best = (r.from_top if polarity == "higher_is_better" else r.rank) if r.rank else None
    spread = district_spread(frame, districts) if districts else {}
    gap = val(code) - val(england)
    comparison = direction_only(gap, polarity)
    return {
        "Indicator": label,
        "Year": period,
        "polarity": polarity,
        "Area": val(code),
        "England": val(england),
        "Region": val(region),
        "Similar councils (mean)": frame.loc[frame["area_code"].isin(similar), "value"].mean(),
        "Gap to England": gap,
        "comparison": comparison,
        "Rank (1 = best)": best,
        "of": r.n,
        "Districts: lowest": spread.get("min"),
        "Districts: highest": spread.get("max"),
        "low_name": spread.get("min_name"),
        "high_name": spread.get("max_name"),
    }


# --- claim and pledge tests (named in the claims register) --------------------------------------------

DSG = "dsg_deficit_la_2019_20_to_2021_22"
CIN = "children_in_need_la_2013_2025"
CARE_LEAVERS = "care_leavers_activity_la_2021_2025"
WORKFORCE = "childrens_social_work_workforce_la_2017_2025"
ILACS = "ofsted_ilacs_la_judgements_2018_2025"

#: Ofsted grades as numbers (higher = better), for judging "at least good".
GRADE_SCORE = {"Outstanding": 4, "Good": 3, "Requires improvement to be good": 2, "Inadequate": 1}


def _load(dataset: str, table: str | None = None) -> pd.DataFrame:
    from ..datasets import load

    return load(dataset, table)


def recode_by_la_number(frame: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Give every local-authority row the current GSS code of its DfE LA number.

    DfE files code each year's rows with that year's GSS code, so a county that became a unitary with the same
    boundaries and LA number (Somerset 933: E10000027 to 2022, E06000066 from 2023; North Yorkshire 815) would
    otherwise split into two short series. Councils that were merged or split get new LA numbers
    (Northamptonshire 928 -> 940 and 941; Bournemouth 837 and Poole 836 -> 839), so they are never relabelled."""
    codes = la_number_lookup(lookup)
    out = frame.copy()
    number = pd.to_numeric(out["la_number"], errors="coerce")
    mapped = number.astype("Int64").map(codes)
    out["area_code"] = mapped.where(mapped.notna(), out["area_code"])
    return out


@national.table(prime_with=[(NEET,), (CARE_LEAVERS,), (WORKFORCE,), (CIN,)])
def _la_frame(dataset: str, table: str | None = None) -> pd.DataFrame:
    """A DfE local-authority frame with current codes (:func:`recode_by_la_number`)."""
    return recode_by_la_number(_load(dataset, table), _load(CLA, "la_lookup"))


@national.table
def _neu_with_codes() -> pd.DataFrame:
    return add_gss_codes(_load(NEU, "la"), _load(CLA, "la_lookup"))


@national.table
def _lait_with_codes() -> pd.DataFrame:
    return add_gss_codes(_load(LAIT, "children"), _load(CLA, "la_lookup"))


def funding_ranks(code: str) -> dict[str, Rank]:
    """The area's rank (1 = lowest funded) in real-terms school grant funding per pupil in 2015-16 and 2020-21."""
    neu = _neu_with_codes()
    return {
        label: rank_lowest(neu, code, f"per_pupil_{col}")
        for label, col in (("2015-16", "2015_16"), ("2020-21", "2020_21"))
    }


def dsg_balance(code: str) -> pd.DataFrame:
    """The area's cumulative DSG deficit (% of its total DSG) by financial year, with England's value and how many
    authorities were in deficit that year (``england``, ``in_deficit``, ``authorities``)."""
    dsg = _load(DSG)
    las = dsg[dsg["geographic_level"].eq("Local authority")].dropna(subset=["deficit_pct"])
    count = las.groupby("year")["deficit_pct"].agg(in_deficit=lambda v: int((v > 0).sum()), authorities="size")
    england = dsg[dsg["area_code"].eq(ENGLAND)].set_index("year")["deficit_pct"].rename("england")
    own = dsg[dsg["area_code"].eq(code)].dropna(subset=["deficit_pct"]).set_index("year")
    out = own[["financial_year", "area_name", "deficit_pct"]].join(england).join(count)
    return out.reset_index().sort_values("year")


def ilacs_history(code: str) -> pd.DataFrame:
    """Every ILACS inspection of the council, oldest first (Ofsted)."""
    h = _load(ILACS, "history")
    return h[h["area_code"] == code].sort_values("inspection_date")


@claim_test
def claim_ofsted_help_and_protection(
    ctx, by_year: int = 2019, judgement: str = "help_and_protection", service: str = ""
):
    """Claim (council newsletter, April 2019, quoting Ofsted) that help for children who need it is effective.

    Only inspections published by the end of ``by_year`` count (a claim made in 2019 is never judged on a later
    inspection). When the claim quotes Ofsted on one ``service`` (the Early Help Hub), no published grade measures
    it: Ofsted's ILACS sub-judgement covers help and protection as a whole, so the claim cannot be tested and the
    grade is shown as context (``verdicts.OTHER_MEASURE``). Without a ``service`` (the general form: "help and
    protection was judged good or better"), "Good" or "Outstanding" supports the claim (no sampling interval)."""
    from .. import verdicts

    h = ilacs_history(ctx.area.code)
    h = h[h["publication_date"].dt.year <= by_year].dropna(subset=[judgement])
    if h.empty:
        raise verdicts.NoData(f"Ofsted published no ILACS inspection of {ctx.area.name} by the end of {by_year}.")
    last = h.iloc[-1]
    grade = str(last[judgement])
    context = (
        f"Ofsted's {last['inspection_type'].replace('ILACS ', '').lower()} of {last['inspection_date']:%B %Y} "
        f"graded help and protection for children '{grade}' (overall effectiveness '{last['overall']}')"
    )
    year = int(last["publication_date"].year)
    if service:
        return verdicts.untestable(
            verdicts.OTHER_MEASURE,
            f"The claim is about {service}, one service; Ofsted's published grades judge help and protection as "
            f"a whole, of which it is one part. For context: {context}.",
            period=str(year),
            period_end=year,
        )
    return verdicts.claim(
        verdicts.judge(float(GRADE_SCORE[grade]), 2.5, claimed="above"),
        f"{context}; only inspections published by the end of {by_year} count.",
        period=str(year),
        period_end=year,
        value=float(GRADE_SCORE[grade]),
    )


def care_leavers_eet(code: str, age: str = "19 to 21 years") -> pd.DataFrame:
    """Care leavers of one age group in education, employment or training: year, number, total and %."""
    cl = _la_frame(CARE_LEAVERS)
    own = cl[(cl["area_code"] == code) & (cl["age"] == age)]
    wide = own.pivot_table(index="year", columns="activity", values="count")
    need = ["Total", "Total in education, employment or training"]
    if wide.empty or not set(need) <= set(wide.columns):
        return pd.DataFrame(columns=["year", "eet", "total", "pct"])
    wide = wide[need].dropna()
    wide = wide[wide["Total"] > 0]
    out = pd.DataFrame(
        {"year": wide.index.astype(int), "eet": wide[need[1]].to_numpy(), "total": wide["Total"].to_numpy()}
    )
    out["pct"] = out["eet"] / out["total"] * 100
    return out


# --- panels: one question of the briefing each (helpers.panels), shown by the notebook with ``b.show(p)`` -----


def _places(b):
    """The council, England's code, the similar councils' codes, the districts' codes (empty for a single-tier
    council) and the code-to-name table."""
    from .. import areas

    A = b.area
    districts = [d.code for d in areas.districts_of(A)] if A.kind == "county" else []
    return A, areas.ENGLAND_CODE, [a.code for a in b.similar()], districts, areas.names()


def _tidy(frame: pd.DataFrame, value: str, period, name: str = "area_name", lower=None, upper=None):
    """A chart's data: area_code, area_name, period, value (and lower/upper)."""
    out = pd.DataFrame(
        {
            "area_code": frame["area_code"].to_numpy(),
            "area_name": frame[name].to_numpy(),
            "period": frame[period].to_numpy() if period in frame else period,
            "value": frame[value].to_numpy(),
        }
    )
    if lower and upper:
        out["lower"], out["upper"] = frame[lower].to_numpy(), frame[upper].to_numpy()
    return out


def comparison_areas(b):
    """The council, its similar councils and (a county) its districts."""
    from .. import areas
    from ..panels import Panel
    from ..text import listing

    A = b.area
    districts = areas.districts_of(A)
    return Panel("Comparison areas").say(
        f"**Area:** {A.name} ({A.code}), a {A.kind} in {b.region.name}. **Similar councils** (open nearest-neighbour "
        f"model, same kind of council): {listing(a.name for a in b.similar())}."
        + (
            f" **Districts:** {listing(d.name for d in districts)}."
            if A.kind == "county"
            else " As a single-tier council it has no districts: district views below show the council itself."
        )
    )


def funding_table(b) -> pd.DataFrame:
    """Real-terms school grant funding per pupil, 2015-16 and 2020-21, for the council, its similar councils,
    its region and England (pupil-weighted), with the change and the rank from the lowest funded."""
    from .. import areas

    A, ENG, similar, _, names = _places(b)
    neu = _neu_with_codes().copy()
    neu["area_name"] = neu["area_code"].map(names).fillna(neu["area_name"])
    in_region = neu[neu["area_code"].map(areas.areas_table().set_index("code")["region"]).eq(b.region.name)]
    bench = [
        {
            "area_code": code,
            "area_name": label,
            **{f"per_pupil_{y}": weighted_benchmark(f, f"funding_{y}", f"pupils_{y}") for y in ("2015_16", "2020_21")},
        }
        for code, label, f in (
            (b.region.code, f"{b.region.name} (all authorities)", in_region),
            (ENG, "England (all authorities)", neu),
        )
    ]
    show = pd.concat([neu[neu["area_code"].isin([A.code, *similar])], pd.DataFrame(bench)], ignore_index=True)
    show["change"] = show["per_pupil_2020_21"] - show["per_pupil_2015_16"]
    show["rank"] = [rank_lowest(neu, c, "per_pupil_2020_21").rank for c in show["area_code"]]
    return show[["area_code", "area_name", "per_pupil_2015_16", "per_pupil_2020_21", "change", "rank"]]


def funding(b):
    """Question 1a: is school funding per pupil among the lowest in England (NEU analysis, real terms)?"""
    from .. import charts
    from ..panels import Figure, Panel, Table

    A, ENG, *_ = _places(b)
    show = funding_table(b)
    p = Panel("School funding per pupil", frame=show)
    ranks = funding_ranks(A.code)
    new, old = ranks["2020-21"], ranks["2015-16"]
    if new.rank is None:
        return p.gap(
            f"{A.name} has no row in the NEU school funding table (152 education authorities as in 2020-21): "
            "the council was created later or its schools are reported under a predecessor authority."
        )
    eng = float(show.loc[show["area_code"] == ENG, "per_pupil_2020_21"].iloc[0])
    fig = charts.ranked_bars(
        show,
        "area_name",
        "per_pupil_2020_21",
        highlight=[A.name],
        benchmark=eng,
        benchmark_label="England",
        title=f"{A.name}: £{new.value:,.0f} per pupil in 2020-21, rank {new.rank} of {new.n} from the lowest",
        xlabel="Grant funding per pupil, 2020-21 (£, 2022-23 prices)",
    )
    p.add(
        Figure(
            fig,
            alt=f"Bar chart of real-terms school grant funding per pupil in 2020-21 for {A.name} (£{new.value:,.0f}), "
            f"its similar councils, its region and England (£{eng:,.0f}).",
            data=_tidy(show.assign(period="2020-21"), "per_pupil_2020_21", "period"),
            sources=[NEU],
            caption="Real terms at 2022-23 prices (NEU's own deflator); England and the region are pupil-weighted "
            "over all their authorities.",
        )
    )
    gap = new.value - eng
    side = f"{fmt_money(abs(gap))} {'below' if gap < 0 else 'above'}"
    p.say(
        f"In 2020-21 schools in {A.name} received {fmt_money(new.value)} per pupil in real terms, {side} England's "
        f"{fmt_money(eng)}, ranking {new.rank} of {new.n} from the lowest-funded (2015-16: {old.rank} of {old.n}). "
        + _claim_check(b, ["school-funding-per-pupil"])
    )
    p.add(
        Table(
            show.drop(columns="area_code"),
            caption="School grant funding per pupil, real terms (2022-23 prices): area, similar councils, region "
            "and England",
            sources=[NEU],
            collapsed=True,
            formats={"per_pupil_2015_16": "gbp", "per_pupil_2020_21": "gbp", "change": "gbp", "rank": "int"},
            labels={
                "area_name": "Area",
                "per_pupil_2015_16": "2015-16 (£ per pupil)",
                "per_pupil_2020_21": "2020-21 (£ per pupil)",
                "change": "Change (£ per pupil)",
                "rank": "Rank 2020-21 (1 = lowest funded)",
            },
        )
    )
    return p.finding(
        f"School funding: {A.name} received {fmt_money(new.value)} per pupil in 2020-21 (real terms), {side} "
        f"England, ranking {new.rank} of {new.n} authorities from the lowest-funded (NEU analysis)."
    )


def fmt_money(value: float) -> str:
    """Whole pounds for prose: £5,432."""
    return text.fmt(value, "£", 0)


def send_budget(b):
    """Question 1b: the Dedicated Schools Grant balance carried forward (the special needs budget's deficit)."""
    from .. import charts
    from ..panels import Figure, Panel, Table

    A, ENG, similar, _, names = _places(b)
    dsg = _load(DSG)
    own = dsg_balance(A.code)
    show = dsg[dsg["area_code"].isin([A.code, b.region.code, ENG, *similar])].copy()
    show["area_name"] = show["area_code"].map(names).fillna(show["area_name"])
    p = Panel("The special needs budget", frame=show)
    if own.empty:
        return p.gap(
            f"{A.name} has no Dedicated Schools Grant balance in the DfE file for 2019-20 to 2021-22 (the file "
            "covers education authorities as they were then, by name)."
        )
    wide = show.pivot_table(index="area_name", columns="financial_year", values="deficit_pct").reset_index()
    wide.columns.name = None
    last_fy, last = own["financial_year"].iloc[-1], own.iloc[-1]
    chart = show[show["financial_year"] == last_fy].dropna(subset=["deficit_pct"])
    fig = charts.ranked_bars(
        chart,
        "area_name",
        "deficit_pct",
        highlight=[A.name],
        benchmark=float(last["england"]),
        benchmark_label="England",
        title=f"{A.name}: Dedicated Schools Grant balance at 31 March, {last_fy}",
        xlabel="Cumulative DSG deficit, % of total DSG allocation (below 0 = surplus)",
    )
    p.add(
        Figure(
            fig,
            alt="Bar chart of the cumulative Dedicated Schools Grant deficit as a share of the total grant in "
            f"{last_fy} for {A.name} ({last['deficit_pct']:.2f}%), similar councils, its region and England.",
            data=_tidy(chart, "deficit_pct", "financial_year"),
            sources=[DSG],
            caption="The whole grant carried forward (schools, early years, central and high needs blocks), not the "
            "high needs block alone.",
        )
    )
    p.add(
        Table(
            wide,
            caption="Cumulative Dedicated Schools Grant deficit at 31 March, % of total DSG allocation "
            "(negative = surplus)",
            sources=[DSG],
            collapsed=True,
            formats={c: "dp2" for c in wide.columns if c != "area_name"},
            labels={"area_name": "Area"},
        )
    )
    return p.say(
        "The special needs claim is tested with the whole Dedicated Schools Grant carried forward: DfE publishes "
        f"the balance for the grant as a whole, and deficits are mostly high needs overspends. {A.name} had a "
        f"cumulative {'deficit' if last['deficit_pct'] > 0 else 'surplus'} of {abs(last['deficit_pct']):.2f}% of "
        f"its grant in {last_fy} (England {last['england']:.2f}% deficit; {int(last['in_deficit'])} of "
        f"{int(last['authorities'])} authorities in deficit). "
        + _claim_check(b, ["dsg-cumulative-deficit", "dsg-cumulative-deficit-share"])
    )


def funding_by_district(b):
    """Per-pupil funding by the district where the school is (a county only)."""
    from .. import charts
    from ..panels import Figure, Panel

    A, ENG, _, districts, _ = _places(b)
    dist = _load(NEU, "district")
    dd = dist[dist["area_code"].isin(districts)].copy()
    p = Panel("School funding by district", frame=dd)
    if not districts:
        return p
    spread = district_spread(dd, districts, value="per_pupil_2020_21")
    if not spread:
        return p.gap(
            f"The NEU district table has fewer than two districts of {A.name} (district codes changed after 2020)."
        )
    eng = float(funding_table(b).set_index("area_code").loc[ENG, "per_pupil_2020_21"])
    fig = charts.ranked_bars(
        dd,
        "area_name",
        "per_pupil_2020_21",
        benchmark=eng,
        benchmark_label="England",
        title=f"Per-pupil funding by district of {A.name}, 2020-21",
        xlabel="Grant funding per pupil, 2020-21 (£, 2022-23 prices)",
    )
    p.add(
        Figure(
            fig,
            alt=f"Bar chart of school grant funding per pupil in 2020-21 in the districts of {A.name}, from "
            f"£{spread['min']:,.0f} in {spread['min_name']} to £{spread['max']:,.0f} in {spread['max_name']}, with "
            "the England figure marked.",
            data=_tidy(dd.assign(period="2020-21"), "per_pupil_2020_21", "period"),
            sources=[NEU],
            caption="By the district where the school is; real terms at 2022-23 prices.",
        )
    )
    return p.say(
        f"By school location, funding per pupil in 2020-21 ranged from {fmt_money(spread['min'])} in "
        f"{spread['min_name']} to {fmt_money(spread['max'])} in {spread['max_name']}. The table has no "
        "school-level detail, so it says nothing about small primary schools."
    )


def _claim_check(b, indicators: list[str]) -> str:
    """' Claim check: <links>.' to the register's claims on ``indicators`` that apply here; '' when none."""
    from .s00_inequality import claim_links

    links = claim_links(b, indicators=indicators, claims_only=True)
    return f"Claim check: {links}." if links else ""


def outcome_table(b) -> pd.DataFrame:
    """One row per school indicator (ONS Explore Local Statistics and LAIT), latest year held for the council:
    the council, England, region, similar councils' mean, gap to England (direction only), rank and district
    range (:func:`outcome_row`)."""
    A, ENG, similar, districts, _ = _places(b)
    frames = []
    for table, (label, polarity) in OUTCOME_TABLES.items():
        t = _load(ELS, table).assign(table=table, polarity=polarity)
        t["label"] = ("Early years: " + t["indicator"].str.lower()) if table == "early-years" else label
        frames.append(t)
    lait = _lait_with_codes()
    for measure, (label, polarity) in LAIT_OUTCOMES.items():
        g = lait[lait["measure"] == measure].dropna(subset=["value", "area_code"])
        frames.append(g.assign(label=label, polarity=polarity, year=g["year"] - 1, lait=True))
    rows = []
    for label, g in pd.concat(frames, ignore_index=True).groupby("label", sort=False):
        if not (g["area_code"] == A.code).any():
            continue
        gy = g[g["year"] == int(g.loc[g["area_code"] == A.code, "year"].max())].drop_duplicates("area_code")
        from_lait = "lait" in gy and bool(gy["lait"].eq(True).any())
        rows.append(
            outcome_row(
                gy,
                A.code,
                label=label,
                polarity=gy["polarity"].iloc[0],
                period=academic_label(int(gy["year"].iloc[0])),
                england=ENG,
                region=b.region.code,
                similar=similar,
                districts=[] if from_lait else districts,
                upper_tier=gy["area_code"].str.match(COUNCIL_CODES),
            )
        )
    out = pd.DataFrame(rows)
    if districts or out.empty:
        return out.dropna(subset=["Gap to England"]) if len(out) else out
    no_districts = ["Districts: lowest", "Districts: highest", "low_name", "high_name"]  # a single-tier council
    return out.dropna(subset=["Gap to England"]).drop(columns=no_districts)


def outcomes(b):
    """Question 2a: school outcomes against England (direction only: no intervals are published)."""
    from .. import charts
    from ..panels import Figure, Panel

    A, *_, districts, _ = _places(b)
    out = outcome_table(b)
    p = Panel("School outcomes", frame=out)
    if out.empty:
        return p.gap(
            f"ONS Explore Local Statistics and LAIT have no school outcome rows for {A.name} (small cohorts are "
            "suppressed)."
        )
    fig = charts.ranked_bars(
        out,
        "Indicator",
        "Gap to England",
        benchmark=0,
        benchmark_label="England",
        title=f"{A.name} minus England on {len(out)} school indicators, latest year",
        xlabel="Area minus England (percentage points)",
    )
    data = out[["Indicator", "Year", "Area", "England", "Gap to England", "comparison"]]  # value: the gap
    p.add(
        Figure(
            fig,
            alt=f"Bar chart of the gap between {A.name} and England on {len(out)} school indicators in the latest "
            "year; bars to the right are above England. For absence, lower is better.",
            data=data.rename(columns={"Indicator": "indicator", "Year": "period", "Area": "area_value"})
            .rename(columns={"England": "england", "Gap to England": "value"})
            .assign(area_code=A.code, area_name=A.name),
            sources=[ELS, LAIT],
            caption="Only the direction can be read: the figures are published without confidence intervals or "
            "cohort sizes, so no gap is called better or worse. For persistent absence a bar to the left is the "
            "favourable side.",
        )
    )
    p.add(_outcome_table_part(b, out))
    above, below = (out["comparison"].str.startswith(w).sum() for w in ("above", "below"))
    p.say(
        f"On {len(out)} school indicators {A.name} is above England on {above} and below on {below}. Only the "
        "direction can be read: the published figures have no confidence intervals and no cohort sizes, so a gap "
        "of a point or two cannot be told apart from year-to-year movement and none is called better or worse. "
        + _claim_check(b, ["ks2-expected-standard-rwm"])
    )
    wide = out.dropna(subset=["Districts: lowest"]) if districts else out.iloc[0:0]
    if len(wide):
        w = wide.assign(rng=wide["Districts: highest"] - wide["Districts: lowest"]).sort_values("rng").iloc[-1]
        p.finding(
            f"Inside {A.name} the widest district gap is in {w['Indicator']}: {text.fmt(w['Districts: lowest'], '%')} "
            f"in {w['low_name']} against {text.fmt(w['Districts: highest'], '%')} in {w['high_name']} ({w['Year']})."
        )
    return p


def _outcome_table_part(b, out: pd.DataFrame):
    from ..panels import Table

    A, *_, districts, _ = _places(b)
    out = out.assign(
        Rank=[
            f"{int(r)} of {int(n)}" if pd.notna(r) else ""
            for r, n in zip(out["Rank (1 = best)"], out["of"], strict=True)
        ]
    )
    cols = ["Indicator", "Year", "Area", "England", "Region", "Similar councils (mean)", "Gap to England"]
    cols += ["comparison", "Rank"] + (["Districts: lowest", "Districts: highest"] if districts else [])
    dp1 = ["Area", "England", "Region", "Similar councils (mean)", "Districts: lowest", "Districts: highest"]
    return Table(
        out[cols],
        caption=f"School outcomes, latest year: {A.name} against England, {b.region.name}, similar councils"
        + (" and its districts" if districts else "")
        + " (% of pupils; rank among counties and single-tier councils, 1 = best)",
        sources=[ELS, LAIT],
        formats={c: "dp1" for c in dp1} | {"Gap to England": "pp", "comparison": "text"},
        labels={
            "comparison": "Side of England (no interval)",
            "Area": f"{A.name} (%)",
            "England": "England (%)",
            "Region": "Region (%)",
        },
        collapsed=True,
    )


def disadvantage(b):
    """Question 2b: the attainment gap between disadvantaged pupils and the rest."""
    from ..panels import Panel, Table

    A, ENG, similar, _, _ = _places(b)
    gaps = disadvantage_gaps(_lait_with_codes(), [A.code, ENG, b.region.code, *similar])
    p = Panel("The disadvantage gap", frame=gaps)
    if gaps.empty or not (gaps["area_code"] == A.code).any():
        return p.gap(f"The DfE LAIT data set has no disadvantage-gap rows for {A.name}.")
    piv = gaps.pivot_table(index="measure", columns="area_code", values="gap", sort=False)
    summary = pd.DataFrame(
        {
            "Measure": piv.index,
            "Year": [academic_label(y - 1) for y in gaps.groupby("measure", sort=False)["year"].first()],
            "area": piv.get(A.code),
            "England": piv.get(ENG),
            "Region": piv.get(b.region.code),
            "Similar councils (mean)": piv[[c for c in similar if c in piv]].mean(axis=1),
        }
    ).dropna(subset=["area"])
    p.add(
        Table(
            summary,
            caption="Attainment gap between disadvantaged pupils and the rest (percentage points; Attainment 8 in "
            "score points)",
            sources=[LAIT],
            formats={"area": "dp1", "England": "dp1", "Region": "dp1", "Similar councils (mean)": "dp1"},
            labels={"area": A.name, "Region": b.region.name},
        )
    )
    wider = summary[summary["area"] > summary["England"]]
    p.say(
        f"The gap between disadvantaged pupils and the rest is wider than England's on {len(wider)} of "
        f"{len(summary)} measures (only the direction can be read: no intervals are published)."
    )
    ks2 = summary[summary["Measure"].str.startswith("KS2")]
    if len(ks2):
        k = ks2.iloc[0]
        p.finding(
            f"Disadvantage gap: at the end of primary, disadvantaged pupils in {A.name} trailed the rest by "
            f"{text.fmt(k['area'], 'pp', 0)} in reading, writing and maths against {text.fmt(k['England'], 'pp', 0)} "
            f"in England ({k['Year']})."
        )
    return p


def _cla(b):
    """The looked-after table with current codes, the council's latest unsuppressed year and the codes compared."""
    A, ENG, similar, _, _ = _places(b)
    cla = recode_by_la_number(_load(CLA), _load(CLA, "la_lookup"))
    return cla, cla_latest_year(cla, A.code), [A.code, b.region.code, ENG, *similar]


def looked_after(b):
    """Question 3a: the rate of children looked after on 31 March with Byar's intervals, against England."""
    from .. import charts
    from ..panels import Figure, Panel

    A, *_, names = _places(b)
    cla, year, codes = _cla(b)
    if year is None:
        return Panel("Children looked after").gap(
            f"Every looked-after count for {A.name} is suppressed (small numbers): no rate can be shown."
        )
    rt = cla_rate_table(cla, codes, year)
    rt["area_name"] = rt["area_code"].map(names).fillna(rt["area_name"])
    p = Panel("Children looked after", frame=rt)
    me = rt[rt["area_code"] == A.code].iloc[0]
    fig = charts.ranked_bars(
        rt,
        "area_name",
        "value",
        lower="lower_95",
        upper="upper_95",
        highlight=[A.name],
        benchmark=me["england_rate"],
        benchmark_label="England",
        comparison="vs_benchmark_95",
        title=f"{A.name}: {me['value']:.0f} children looked after per 10,000 on 31 March {year}",
        xlabel="Children looked after per 10,000 children (95% Byar's interval)",
    )
    p.add(
        Figure(
            fig,
            alt=f"Bar chart with 95% intervals of the rate of children looked after per 10,000 on 31 March {year} in "
            f"{A.name}, its region, England and similar councils, each labelled higher, similar or lower than England.",
            data=_tidy(rt.assign(period=str(year)), "value", "period", lower="lower_95", upper="upper_95"),
            sources=[CLA],
            caption="A higher rate is not in itself better or worse: need and practice both drive it.",
        )
    )
    later = f" Later years are suppressed for {A.name} (small numbers)." if year < int(cla["year"].max()) else ""
    return p.say(
        f"On 31 March {year}, {int(me['numerator']):,} children were looked after by {A.name}, "
        f"{text.fmt(me['value'], 'per 10,000 children')} {text.fmt_interval(me['lower_95'], me['upper_95'])}, "
        f"against {text.fmt(me['england_rate'])} in England: {me['vs_benchmark_95']} at 95% and "
        f"{me['vs_benchmark_998']} at 99.8% confidence.{later}"
    )


def looked_after_trend(b, forecast_to: int):
    """Question 3b: the looked-after rate over time (quasi-Poisson trend, projected to ``forecast_to``)."""
    from .. import charts
    from ..panels import Figure, Panel
    from ..stats import forecast
    from ..verdicts import p_text

    A, ENG, *_, names = _places(b)
    cla, year, codes = _cla(b)
    own, trend = lac_trend(cla, A.code)
    series = cla[(cla["indicator"] == "Children looked after on 31 March") & cla["area_code"].isin(codes)].copy()
    series["area_name"] = series["area_code"].map(names).fillna(series["area_name"])
    p = Panel("The looked-after rate over time", frame=series)
    if not trend:
        return p.gap(f"No looked-after trend for {A.name}: {trend.reason}.")
    fig = charts.trend_lines(
        series,
        "year",
        "value",
        "area_name",
        highlight=[A.name, "England", b.region.name],
        title=f"Looked-after rate in {A.name}, {b.region.name}, England and similar councils",
        ylabel="Per 10,000 children",
    )
    first, last = int(series["year"].min()), int(series["year"].max())
    p.add(
        Figure(
            fig,
            alt=f"Line chart of the rate of children looked after per 10,000 from {first} to {last} for {A.name}, "
            "its region and England, with similar councils in grey.",
            data=_tidy(series.assign(period=series["year"].astype(int).astype(str)), "value", "period"),
            sources=[CLA],
            caption="Rates as published by DfE, rounded to whole numbers; similar councils in grey.",
        )
    )
    fit_years = own[~own["year"].isin(trend.excluded_years)]
    fc = forecast(trend, list(fit_years["year"]) + list(range(int(own["year"].max()) + 1, int(forecast_to) + 1)))
    for col in ("mean", "pi_lower", "pi_upper"):
        fc[col] = fc[col] / fc["exposure"] * 10000
    hist = own.assign(rate=own["numerator"] / own["denominator"] * 10000)
    apc, lo, hi = trend.change
    clear = lo > 0 or hi < 0
    fig = charts.forecast_chart(
        hist,
        fc,
        x="year",
        y="rate",
        title=f"{A.name}: looked-after rate {'rising' if apc > 0 else 'falling'} {abs(apc):.1f}% a year"
        if clear
        else f"{A.name}: no clear trend in the looked-after rate",
        ylabel="Per 10,000 children",
    )
    hist_data = hist.assign(area_code=A.code, area_name=A.name, period=hist["year"].astype(int).astype(str))
    p.add(
        Figure(
            fig,
            alt=f"Observed looked-after rate in {A.name} {int(own['year'].min())} to {int(own['year'].max())} with "
            f"a quasi-Poisson trend fitted on {trend.years_text}, projected to {int(forecast_to)} with its 95% "
            "prediction interval.",
            data=_tidy(hist_data, "rate", "period"),
            sources=[CLA],
            caption=f"Quasi-Poisson trend fitted on {trend.years_text}.",
        )
    )
    _, trend_eng = lac_trend(cla, ENG)
    p.say(
        f"The looked-after rate in {A.name} changed by {apc:+.1f}% a year (95% CI {lo:+.1f}% to {hi:+.1f}%, "
        f"{p_text(trend.p_value)}), fitted on {trend.years_text}: "
        + ("the interval excludes no change." if clear else "the interval includes no change, so no trend is claimed.")
        + (f" England: {trend_eng.change[0]:+.1f}% a year." if trend_eng else "")
    )
    p.details.append(
        f"Quasi-Poisson model on the year-end counts with the child population as exposure: a year-end stock varies "
        f"more than a Poisson count (estimated dispersion {trend.dispersion:.2f}), so the interval is widened by the "
        f"dispersion and uses Student's t with {trend.n - 2} degrees of freedom. Projection to {int(forecast_to)}: "
        f"{fc['mean'].iloc[-1]:.0f} per 10,000 (95% prediction interval {fc['pi_lower'].iloc[-1]:.0f} to "
        f"{fc['pi_upper'].iloc[-1]:.0f}). *Model assumptions:* {trend.assumptions}."
    )
    if year is not None:
        me = cla_rate_table(cla, codes, year).set_index("area_code").loc[A.code]
        p.finding(
            f"Looked-after children: {text.fmt(me['value'], 'per 10,000', 0)} in {A.name} on 31 March {year} "
            f"({me['vs_benchmark_95']} than England's {text.fmt(me['england_rate'], '', 0)} at 95%); "
            + (
                f"the rate changed {apc:+.1f}% a year ({trend.years_text})."
                if clear
                else f"no clear trend over {trend.years_text}."
            )
        )
    return p


def childrens_services(b):
    """Question 3c: Ofsted's ILACS judgements, social workers' caseloads and children in need."""
    from .. import charts
    from ..panels import Figure, Panel, Table

    A, ENG, *_, names = _places(b)
    ilacs = ilacs_history(A.code)
    p = Panel("Children's services", frame=ilacs)
    if ilacs.empty:
        p.gap(f"Ofsted has published no ILACS inspection of {A.name} (January 2018 to March 2025).")
    else:
        judged = ["inspection_type", "overall", "help_and_protection", "children_in_care", "care_leavers"]
        p.add(
            Table(
                ilacs[["inspection_date", *judged]].assign(
                    inspection_date=ilacs["inspection_date"].dt.strftime("%B %Y")
                ),
                caption=f"Ofsted inspections of {A.name}'s children's services (ILACS), 2018 to 2025",
                sources=[ILACS],
                collapsed=True,
                formats={c: "text" for c in judged},
                labels={
                    "inspection_date": "Inspected",
                    "inspection_type": "Type",
                    "overall": "Overall effectiveness",
                    "help_and_protection": "Help and protection",
                    "children_in_care": "Children in care",
                    "care_leavers": "Care leavers (from 2023)",
                },
            )
        )
    wf = _la_frame(WORKFORCE)
    w = wf[wf["area_code"].isin([A.code, ENG])].dropna(subset=["caseload_fte"]).copy()
    if (w["area_code"] == A.code).sum() >= 2:
        w["area_name"] = w["area_code"].map(names)
        fig = charts.trend_lines(
            w,
            "year",
            "caseload_fte",
            "area_name",
            highlight=[A.name, "England"],
            title=f"Cases per children's social worker, {A.name} and England",
            ylabel="Cases per case-holding FTE",
        )
        p.add(
            Figure(
                fig,
                alt="Line chart of the average caseload per case-holding children's social worker at 30 September "
                f"in {A.name} and England.",
                data=_tidy(w.assign(period=w["year"].astype(int).astype(str)), "caseload_fte", "period"),
                sources=[WORKFORCE],
                caption="At 30 September each year; full-time equivalent social workers holding cases.",
            )
        )
    else:
        p.gap(f"Social worker caseloads are not published for {A.name} for two or more years.")
    cin = _la_frame(CIN)
    own = cin[cin["area_code"] == A.code].dropna(subset=["at_31_march"]).sort_values("year")
    if len(own):
        c = own.iloc[-1]
        p.sources.append(CIN)
        p.say(
            f"{int(c['at_31_march']):,} children were in need on 31 March {int(c['year'])} in {A.name} "
            f"({int(c['any_point']):,} at some point in the year)."
        )
    return p


def neet(b):
    """Question 4a: 16-17 year olds not in education, employment or training (or not known), with Wilson
    intervals against England."""
    from .. import charts
    from ..panels import Figure, Panel

    A, ENG, similar, _, names = _places(b)
    data = _la_frame(NEET)
    year = int(data["year"].max())
    nt = neet_table(data, [A.code, b.region.code, ENG, *similar], year)
    nt["area_name"] = nt["area_code"].map(names).fillna(nt["area_name"])
    p = Panel("Young people not in education, employment or training", frame=nt)
    if not (nt["area_code"] == A.code).any():
        return p.gap(
            f"{A.name} has no row in the 16-17 NEET statistics for {year} (some small councils are merged with "
            "neighbours)."
        )
    me = nt[nt["area_code"] == A.code].iloc[0]
    fig = charts.ranked_bars(
        nt,
        "area_name",
        "value",
        lower="lower_95",
        upper="upper_95",
        highlight=[A.name],
        benchmark=me["england_value"],
        benchmark_label="England",
        comparison="vs_benchmark_95",
        title=f"{A.name}: {me['value']:.1f}% of 16-17 year olds NEET or activity not known, {year}",
        xlabel="% of 16-17 year olds NEET or not known (95% Wilson interval)",
    )
    p.add(
        Figure(
            fig,
            alt="Bar chart with 95% intervals of the share of 16-17 year olds not in education, employment or "
            f"training or whose activity is not known in {year}, for {A.name}, its region, England and similar "
            "councils, labelled better, similar or worse than England.",
            data=_tidy(nt.assign(period=str(year)), "value", "period", lower="lower_95", upper="upper_95"),
            sources=[NEET],
            caption="Intervals are approximate: counts are rebuilt from percentages rounded to one decimal place.",
        )
    )
    p.say(
        f"In {year}, {text.fmt(me['value'], '%')} {text.fmt_interval(me['lower_95'], me['upper_95'], '%')} of "
        f"{int(me['cohort']):,} 16-17 year olds in {A.name} were NEET or their activity was not known, against "
        f"{text.fmt(me['england_value'], '%')} in England: {me['vs_benchmark_95']} at 95% confidence. "
        f"{text.fmt(me['apprenticeship_pct'], '%')} of the cohort were on apprenticeships. The trend is tracked in "
        "the pledge table."
    )
    return p.finding(
        f"Young people: {text.fmt(me['value'], '%')} of 16-17 year olds in {A.name} were NEET or not known in "
        f"{year}, {me['vs_benchmark_95']} than England ({text.fmt(me['england_value'], '%')}) at 95% confidence."
    )


def apprenticeships(b):
    """Question 4b: apprenticeship starts per 100,000 people (all ages), latest academic year."""
    from .. import charts
    from ..panels import Figure, Panel

    A, ENG, similar, districts, names = _places(b)
    app = _load(ELS, "apprenticeships")
    starts = app[app["indicator"].str.startswith("Apprenticeship starts")]
    year = int(starts["year"].max())
    cur = starts[
        (starts["year"] == year) & starts["area_code"].isin([A.code, *districts, b.region.code, ENG, *similar])
    ]
    cur = cur.assign(area_name=cur["area_code"].map(names).fillna(cur["area_name"]), period=academic_label(year))
    p = Panel("Apprenticeship starts", frame=cur)
    if not (cur["area_code"] == A.code).any():
        return p.gap(f"No apprenticeship starts figures for {A.name} in ONS Explore Local Statistics.")
    mine = cur.loc[cur["area_code"] == A.code, "value"].iloc[0]
    eng = cur.loc[cur["area_code"] == ENG, "value"].iloc[0]
    fig = charts.ranked_bars(
        cur,
        "area_name",
        "value",
        highlight=[A.name],
        benchmark=eng,
        benchmark_label="England",
        title=f"{A.name}: {mine:,.0f} apprenticeship starts per 100,000 people in {academic_label(year)}",
        xlabel="Apprenticeship starts per 100,000 population",
    )
    p.add(
        Figure(
            fig,
            alt=f"Bar chart of apprenticeship starts per 100,000 people in {academic_label(year)} for {A.name}"
            + (", its districts" if districts else "")
            + ", similar councils, its region and England.",
            data=_tidy(cur, "value", "period"),
            sources=[ELS],
            caption="All ages; by the learner's home area.",
        )
    )
    first = starts[starts["area_code"] == A.code].dropna(subset=["value"]).sort_values("year").iloc[0]
    return p.say(
        f"Apprenticeship starts (all ages) were {text.fmt(mine, 'per 100,000', 0)} in {A.name} in "
        f"{academic_label(year)}, against {text.fmt(eng, 'per 100,000', 0)} in England and "
        f"{text.fmt(first['value'], '', 0)} in {academic_label(int(first['year']))} (two values with no interval: "
        "only the direction can be read)."
    )


def health_checks(b):
    """Question 5: the two-year health check (not loaded: an evidence gap) and LAIT's ASQ-3 context."""
    from ..panels import Panel

    A, ENG, *_ = _places(b)
    lait = _lait_with_codes()
    asq = lait[(lait["measure"] == "HCP_PHOF") & lait["area_code"].isin([A.code, ENG])].dropna(subset=["value"])
    p = Panel("Health checks for two-year-olds", frame=asq).gap(
        "The share of children who get the 2 to 2½ year health visitor review is published by OHID (health visitor "
        "service delivery metrics) but not loaded here; LAIT has only the share of reviews that used ASQ-3."
    )
    if (asq["area_code"] == A.code).any():
        year = int(asq.loc[asq["area_code"] == A.code, "year"].max())
        mine = asq[(asq["area_code"] == A.code) & (asq["year"] == year)]["value"].iloc[0]
        eng = asq[(asq["area_code"] == ENG) & (asq["year"] == year)]["value"].mean()
        p.sources.append(LAIT)
        p.say(
            f"Context only: in {year}, {text.fmt(mine, '%')} of the 2 to 2½ year reviews carried out in {A.name} "
            f"used ASQ-3 (England {text.fmt(eng, '%')}): a share of reviews done, not of children."
        )
    return p


def caveats() -> str:
    """The caveats and method notes of the briefing, with the count of suppressed cells made missing."""
    supp = {
        f"{d}/{t}": _load(d, None if t == "default" else t).attrs.get("suppressed_cells", 0)
        for d, t in ((CLA, "default"), (NEET, "default"), (LAIT, "children"))
    }
    return "\n".join(
        [
            "- **School funding** comes from the National Education Union's analysis, not an official statistic "
            "(cited as third-party derived data; the underlying DfE/ESFA data are OGL). Two years only (2015-16 and "
            "2020-21), so no trend; councils created after 2020-21 have no row.",
            "- **The special needs budget** is tested with the whole Dedicated Schools Grant balance (DfE section 251 "
            "outturn and ESFA allocations, derived by DfE's SEND and AP dashboard), not the high needs block alone. "
            "Authorities are named, not coded, in the file: names are matched to codes, and councils created after "
            "2021-22 have no row.",
            "- **School outcomes** are published without confidence intervals or cohort sizes: only the direction of "
            "a gap to England can be read. 2019-20 and 2020-21 assessments were cancelled.",
            "- **Looked-after children**: the trend leaves out 31 March 2021 (Covid-19, declared as a series break) "
            "and uses a quasi-Poisson model because a year-end stock varies more than a Poisson count.",
            "- **NEET and care leavers**: trends leave out 2021 (Covid-19). NEET intervals are approximate (counts "
            "rebuilt from rounded percentages).",
            "- **Spending** (LAIT) is cash, not real terms, and demand-led: a rise cannot be attributed to a pledge.",
            f"- Suppressed or not-available cells made missing: {', '.join(f'{k} {v:,}' for k, v in supp.items())}.",
        ]
    )
