"""Schools and children's services indicators (briefing 03): DfE tables keyed by DfE local authority number put on
GSS codes, NEU school funding per pupil with England's pupil-weighted figure, care leavers in education,
employment or training, and Ofsted inspection grades.

DfE codes each year's rows with that year's GSS code; an authority whose boundaries did not change keeps its DfE
LA number (Somerset 933: E10000027 to 2022, E06000066 from 2023), so rows are put on the latest GSS code of their
LA number. Merged or split authorities get new numbers and are never relabelled.
"""

from __future__ import annotations

import pandas as pd

from ...areas import REGION_CODES
from ..store import derivation

ENGLAND = "E92000001"
CLA = "children_looked_after_la_2019_2025"
LAIT = "dfe_lait_la_indicators_2016_2025"
NEU = "school_funding_per_pupil_neu_2015_16_2020_21"
CARE_LEAVERS = "care_leavers_activity_la_2021_2025"
WORKFORCE = "childrens_social_work_workforce_la_2017_2025"
ILACS = "ofsted_ilacs_la_judgements_2018_2025"

#: LAIT's England and region names -> GSS codes (the project's region codes; LAIT also writes "the Humber").
AREA_NAMES = {"England": ENGLAND, **REGION_CODES, "Yorkshire and the Humber": REGION_CODES["Yorkshire and The Humber"]}

#: Ofsted grades as scores (1 = outstanding ... 4 = inadequate).
GRADE_SCORE = {"Outstanding": 1, "Good": 2, "Requires improvement to be good": 3, "Inadequate": 4}


def la_number_codes() -> dict[int, str]:
    """DfE 3-digit LA number -> its latest GSS code (DfE's own lookup, both releases)."""
    from ...datasets import load

    lookup = load(CLA, "la_lookup")
    latest = lookup.sort_values("last_year", ascending=False).drop_duplicates("la_number")
    return dict(zip(latest["la_number"].astype(int), latest["area_code"], strict=True))


def with_gss(frame: pd.DataFrame, number_col: str = "la_number", name_col: str = "area_name") -> pd.DataFrame:
    """``frame`` with ``area_code`` from its LA number (England and regions by name); unmatched rows dropped."""
    codes = la_number_codes()
    out = frame.copy()
    by_number = pd.to_numeric(out[number_col], errors="coerce").astype("Int64").map(codes)
    by_name = out[name_col].map(AREA_NAMES) if name_col in out.columns else pd.Series(None, index=out.index)
    if "area_code" in out.columns:
        fallback = out["area_code"]
        out["area_code"] = by_name.where(by_name.notna(), by_number.where(by_number.notna(), fallback))
    else:
        out["area_code"] = by_name.where(by_name.notna(), by_number)
    return out.dropna(subset=["area_code"])


@derivation("lait_measure")
def lait_measure(measure: str, scale: float = 1.0) -> pd.DataFrame:
    """One measure of the DfE Local Authority Interactive Tool (``year`` = the year the academic or financial
    year ends, or the 31 March snapshot's year), on GSS codes."""
    from ...datasets import load

    lait = load(LAIT, "children")
    rows = with_gss(lait[lait["measure"] == measure])
    out = rows[["area_code", "year", "value"]].dropna(subset=["value"])
    out = out.assign(value=out["value"] * scale)
    return out.drop_duplicates(["area_code", "year"]).reset_index(drop=True)


@derivation("neu_funding_per_pupil")
def neu_funding_per_pupil() -> pd.DataFrame:
    """Real-terms school grant funding per pupil by education authority, 2015-16 and 2020-21 (NEU analysis of
    DfE/ESFA data; ``year`` = the year the financial year starts), with England as funding over pupils of every
    authority. Numerator: funding (£); denominator: pupils."""
    from ...datasets import load

    neu = with_gss(load(NEU, "la"))
    rows = []
    for start, col in ((2015, "2015_16"), (2020, "2020_21")):
        part = neu[["area_code", f"funding_{col}", f"pupils_{col}", f"per_pupil_{col}"]].dropna()
        part.columns = ["area_code", "numerator", "denominator", "value"]
        rows.append(part.assign(year=start))
        rows.append(
            pd.DataFrame(
                {
                    "area_code": [ENGLAND],
                    "year": [start],
                    "numerator": [part["numerator"].sum()],
                    "denominator": [part["denominator"].sum()],
                    "value": [part["numerator"].sum() / part["denominator"].sum()],
                    "obtained": ["funding over pupils of every authority"],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


@derivation("care_leavers_eet")
def care_leavers_eet(age: str = "19 to 21 years") -> pd.DataFrame:
    """Care leavers of one age group in education, employment or training, % of all care leavers of that age
    (DfE, year to 31 March; ``year`` = that 31 March's year). Numerator and denominator are the counts."""
    from ...datasets import load

    cl = with_gss(load(CARE_LEAVERS))
    cl = cl[cl["age"] == age]
    wide = cl.pivot_table(index=["area_code", "year"], columns="activity", values="count", aggfunc="first")
    need = ["Total", "Total in education, employment or training"]
    if not set(need) <= set(wide.columns):
        return pd.DataFrame(columns=["area_code", "year", "value"])
    wide = wide[need].dropna()
    wide = wide[wide["Total"] > 0].reset_index()
    return pd.DataFrame(
        {
            "area_code": wide["area_code"],
            "year": wide["year"].astype(int),
            "numerator": wide[need[1]],
            "denominator": wide["Total"],
            "value": 100 * wide[need[1]] / wide["Total"],
        }
    )


@derivation("social_worker_caseload")
def social_worker_caseload(column: str = "caseload_fte") -> pd.DataFrame:
    """Children's social work workforce at 30 September (DfE): ``caseload_fte`` (average cases per case-holding
    social worker) or ``vacancy_rate_fte`` (% of posts)."""
    from ...datasets import load

    wf = with_gss(load(WORKFORCE))
    out = wf[["area_code", "year", column]].rename(columns={column: "value"}).dropna(subset=["value"])
    return out.drop_duplicates(["area_code", "year"]).reset_index(drop=True)


@derivation("ofsted_ilacs_grade")
def ofsted_ilacs_grade(judgement: str = "overall") -> pd.DataFrame:
    """An Ofsted ILACS judgement (``overall``, ``help_and_protection``, ``children_in_care`` ...) as a score
    (1 outstanding, 2 good, 3 requires improvement, 4 inadequate), by the calendar year the report was published;
    two reports in one year: the later one."""
    from ...datasets import load

    h = load(ILACS, "history").dropna(subset=[judgement]).sort_values("publication_date")
    h = h.assign(year=h["publication_date"].dt.year.astype(int), value=h[judgement].map(GRADE_SCORE))
    h = h.dropna(subset=["value"]).drop_duplicates(["area_code", "year"], keep="last")
    return h[["area_code", "year", "value"]].reset_index(drop=True)
