"""Citations: one short source note under each chart or table, full provenance once per dataset.

A source note reads like a GOV.UK or ONS bulletin's: ``Source: ONS, Census 2021 TS045 (2021), OGL v3`` and
is at most :data:`NOTE_LIMIT` characters of visible text. Each dataset name links to ``#source-<dataset id>``,
the numbered entry of the briefing's sources section, where the landing page, pinned files, sha256
checksums and caveats are listed once (:func:`sources_section_html`).

The short publisher, title, period and licence are derived from the registry (``data/sources/<id>.yaml``)
by :func:`short_parts`; everything that reaches HTML is escaped here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from . import registry
from .errors import UnknownDatasetError

#: Longest source note, in characters of visible text (issue 19).
NOTE_LIMIT = 200
_ACRONYM = re.compile(r"[A-Za-z&]{2,10}")


#: Hand-written short forms (publisher, short title, period) for registered datasets; other ids fall back to
#: the heuristics of :func:`short_publisher`, :func:`short_title` and :func:`short_period`.
SHORT: dict[str, tuple[str, str, str]] = {
    "asc_outcomes_oflog_la_2015_2023": ("Oflog", "Adult social care outcomes", "2015-16 to 2022-23"),
    "bus_passenger_journeys_la_2010_2024": ("DfT", "Bus statistics BUS01", "2009-10 to 2023-24"),
    "care_home_deaths_la_2010_2023": ("ONS", "Deaths in care homes by local authority", "2010 to 2023"),
    "care_leavers_activity_la_2021_2025": ("DfE", "Care leavers' activity", "2021 to 2025"),
    "census2021_car_van_availability_ts045_la": ("ONS", "Census 2021 TS045 car or van availability", "2021"),
    "census2021_travel_to_work_method_ts061_la": ("ONS", "Census 2021 TS061 method of travel to work", "2021"),
    "children_in_need_la_2013_2025": ("DfE", "Characteristics of children in need", "2013 to 2025"),
    "children_looked_after_la_2019_2025": ("DfE", "Children looked after in England", "2019 to 2025"),
    "childrens_social_work_workforce_la_2017_2025": ("DfE", "Children's social work workforce", "2017 to 2025"),
    "covid_care_sector_deaths_la_2020": ("ONS", "COVID-19 deaths in the care sector", "March to June 2020"),
    "covid_deaths_by_place_of_death_la_2020_2021": ("ONS", "COVID-19 deaths by place of death", "2020 to 2021"),
    "cycling_proportion_adults_la_cw0302_2016_2021": ("DfT", "Walking and cycling statistics CW0302", "2016 to 2021"),
    "dfe_lait_la_indicators_2016_2025": ("DfE", "Local Authority Interactive Tool", "2016 to 2025"),
    "fingertips_la_health_indicators_tdl": ("OHID", "Fingertips public health indicators", "2011 to 2025"),
    "fuel_poverty_la_2010_2019": ("BEIS", "Sub-regional fuel poverty", "2010 to 2019"),
    "fuel_poverty_la_2020_2021_lilee": ("DESNZ", "Sub-regional fuel poverty (LILEE)", "2020 to 2021"),
    "housebuilding_by_tenure_incl_affordable_la_cfc_1974_2023": (
        "Centre for Cities",
        "Housebuilding by tenure",
        "1974 to 2023",
    ),
    "housing_affordability_workplace_ons_1997_2024": (
        "ONS",
        "Housing affordability in England and Wales",
        "1997 to 2024",
    ),
    "imd2019_lsoa_england": ("MHCLG", "English Indices of Deprivation 2019, LSOA ranks", "2019"),
    "imd2019_scores_and_la_composite_mysociety": ("mySociety", "IMD 2019 scores and council composites", "2019"),
    "iod_lad_summaries_2019_2025": ("MHCLG", "Indices of Deprivation, district summaries", "2019 and 2025"),
    "la_co2_emissions_by_sector_mysociety_2005_2020": (
        "mySociety from BEIS",
        "Local CO2 emissions by sector",
        "2005 to 2020",
    ),
    "la_population_totals_2005_2020": ("mySociety from BEIS/ONS", "Population totals", "2005 to 2020"),
    "la_revenue_outturn_rsx_ro3_2023_24_2024_25": ("MHCLG", "Revenue outturn RSX and RO3", "2023-24 to 2024-25"),
    "public_libraries_england_la_2010_2016": ("DCMS", "Public libraries in England", "2010 to 2016"),
    "la_revenue_outturn_summary_rs_2010_11_to_2017_18": ("MHCLG", "Revenue outturn summary (RS)", "2010-11 to 2017-18"),
    "la_spending_power_2011_12_to_2020_21": ("Newcastle University from MHCLG", "Spending power", "2011-12 to 2020-21"),
    "la_urban_rural_profile": ("mySociety from ONS", "Urban/rural profile of councils", "2011 Census basis"),
    "life_expectancy_fingertips_la_2015_2025": ("OHID", "Life expectancy and its inequality", "2015-17 to 2023-25"),
    "life_expectancy_ons_lad_2016_18_ci": ("ONS", "Life expectancy by local authority", "2016-18"),
    "neet_participation_16_17_la_2021_2025": ("DfE", "16-17 year olds NEET and participation", "2021 to 2025"),
    "ofsted_ilacs_la_judgements_2018_2025": ("Ofsted", "Children's services inspections (ILACS)", "2018 to 2025"),
    "ons_explore_local_statistics": ("ONS", "Explore Local Statistics", "latest available"),
    "ons_ltla22_utla22_lookup": ("ONS", "Lower to upper tier authority lookup", "December 2022"),
    "ons_similar_areas": ("ONS", "Explore Local Statistics similar areas", ""),
    "population_age_bands_la_mid2019_mid2020": ("ONS", "Mid-year population estimates by age", "mid-2019 and mid-2020"),
    "rail_station_usage_orr_2017_18_2018_19": ("ORR", "Estimates of station usage", "2017-18 and 2018-19"),
    "school_funding_per_pupil_neu_2015_16_2020_21": ("NEU from DfE", "School funding per pupil", "2015-16 and 2020-21"),
    "uk_la_names_codes_hierarchy": ("mySociety", "UK local authority names and codes", "2025"),
    "walking_cycling_proportion_adults_la_cw0301_0303_2015_16_to_2017_18": (
        "DfT",
        "Walking and cycling statistics CW0301-0303",
        "2015-16 to 2017-18",
    ),
}


def anchor(dataset_id: str) -> str:
    """The id of a dataset's entry in the sources section: ``source-<dataset id>``."""
    return "source-" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(dataset_id))


def _cut(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters (with an ellipsis if cut)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-(")
    return head + "…"


def short_publisher(publisher: str) -> str:
    """``'Office for National Statistics (ONS) - ...'`` -> ``'ONS'``; ``'mySociety (transformation ...)'`` ->
    ``'mySociety'``."""
    publisher = " ".join(str(publisher).split())
    m = re.match(r"([^(;]*?)\s*\(([^)]*)\)", publisher)
    if m:
        first = re.split(r"[,;/]", m.group(2))[0].strip()
        if _ACRONYM.fullmatch(first) and sum(c.isupper() for c in first) >= 2:
            return first
        if m.group(1).strip():
            publisher = m.group(1)
    head = re.split(r"\s+[-—–]\s+|[;,(]", publisher)[0].strip()
    return _cut(head or publisher, 60)


def short_title(title: str) -> str:
    """The dataset title up to its first sub-clause (`` - ``, ``:``, `` (``), at most 70 characters."""
    title = " ".join(str(title).split())
    head = re.split(r"\s+[-—–]\s+|:\s|\s\(|;\s", title)[0].strip()
    return _cut(head or title, 70)


def short_period(period: str) -> str:
    """The period up to its first note (``(``, ``;``, ``. ``), at most 40 characters."""
    head = re.split(r"\s\(|;\s|\.\s", " ".join(str(period).split()))[0].strip().rstrip(".")
    return _cut(head, 40)


def short_licence(licence: str) -> str:
    """``'OGL v3 (...)'`` or ``'Open Government Licence v3.0'`` -> ``'OGL v3'``; ``'CC-BY-4.0'`` -> ``'CC BY 4.0'``."""
    text = " ".join(str(licence).split())
    first = re.split(r"[;(]", text)[0]
    if re.search(r"no licen[cs]e", first, re.I):
        return "licence not stated"
    if "CC-BY-4.0" in first or "CC BY 4.0" in first or "Attribution 4.0" in first:
        return "CC BY 4.0"
    if "CC0" in first:
        return "CC0"
    if re.search(r"\bOGL\b|Open Government Licen", text):
        return "OGL v3"
    return _cut(first.strip() or text, 30)


@dataclass(frozen=True)
class ShortCitation:
    """A dataset's short citation parts (plain text; escape before use in HTML)."""

    dataset_id: str
    publisher: str
    title: str
    period: str
    licence: str

    def text(self, level: int = 0) -> str:
        """``publisher, title (period), licence`` at detail ``level`` 0 (all) to 3 (title only)."""
        period = f" ({self.period})" if self.period and level < 2 else ""
        licence = f", {self.licence}" if self.licence and level < 1 else ""
        if level >= 3:
            return self.title
        return f"{self.publisher}, {self.title}{period}{licence}"


def short_parts(dataset_id: str) -> ShortCitation:
    """Short citation parts of a registered dataset (an unregistered id is cited by its id)."""
    try:
        src = registry.get(dataset_id)
    except UnknownDatasetError:
        return ShortCitation(dataset_id, "", dataset_id, "", "")
    publisher, title, period = SHORT.get(
        dataset_id, (short_publisher(src.publisher), short_title(src.title), short_period(src.period))
    )
    return ShortCitation(dataset_id, publisher, title, period, short_licence(src.licence))


def _dedupe(source_ids) -> list[str]:
    return list(dict.fromkeys(str(s) for s in (source_ids or [])))


def _note_parts(source_ids) -> list[tuple[str, str]]:
    """(dataset id, visible text) per dataset, shortened until the whole note fits :data:`NOTE_LIMIT`."""
    cites = [short_parts(s) for s in _dedupe(source_ids)]
    if not cites:
        return []
    for level in range(4):
        parts = [(c.dataset_id, c.text(level)) for c in cites]
        if len(_plain(parts)) <= NOTE_LIMIT:
            return parts
    # many datasets: cut each title to an equal share of the budget
    share = max(12, (NOTE_LIMIT - len("Sources: ")) // len(cites) - 2)
    parts = [(c.dataset_id, _cut(c.title, share)) for c in cites]
    kept = len(parts)
    while kept > 1 and len(_plain(parts[:kept] + [("", f"and {len(parts) - kept} more")])) > NOTE_LIMIT:
        kept -= 1
    return parts if kept == len(parts) else parts[:kept] + [("", f"and {len(parts) - kept} more")]


def _plain(parts: list[tuple[str, str]]) -> str:
    label = "Sources: " if len(parts) > 1 else "Source: "
    return label + "; ".join(text for _, text in parts)


def note_text(source_ids) -> str:
    """The source note as plain text (at most :data:`NOTE_LIMIT` characters), or '' with no sources."""
    parts = _note_parts(source_ids)
    return _plain(parts) if parts else ""


def note_html(source_ids) -> str:
    """The source note as HTML: each dataset's text links to its entry in the sources section."""
    parts = _note_parts(source_ids)
    if not parts:
        return ""
    links = [
        f'<a href="#{html.escape(anchor(ds), quote=True)}">{html.escape(text)}</a>' if ds else html.escape(text)
        for ds, text in parts
    ]
    label = "Sources: " if len(parts) > 1 else "Source: "
    return f'<p class="source">{label}{"; ".join(links)}</p>'


# --- the sources section -------------------------------------------------------------------------


def entry(dataset_id: str, fallback: dict | None = None) -> dict:
    """Full provenance of one dataset: publisher, title, period, licence, landing page, files, caveats.

    ``fallback`` (a record row with publisher/licence/period/landing page) is used for an id the
    registry does not know."""
    fallback = fallback or {}
    try:
        src = registry.get(dataset_id)
    except UnknownDatasetError:
        return {
            "id": dataset_id,
            "title": fallback.get("title") or dataset_id,
            "publisher": fallback.get("publisher", ""),
            "period": fallback.get("period", ""),
            "licence": fallback.get("licence", ""),
            "landing_page": fallback.get("landing page") or fallback.get("landing_page") or fallback.get("url") or "",
            "files": [],
            "caveats": fallback.get("caveats", ""),
        }
    return {
        "id": src.id,
        "title": src.title,
        "publisher": src.publisher,
        "period": src.period,
        "licence": src.licence,
        "landing_page": src.landing_page,
        "files": [{"name": f.name, "url": f.url, "sha256": f.sha256} for f in src.files],
        "caveats": src.caveats,
    }


def _link(url: str, text: str | None = None) -> str:
    if not url:
        return html.escape(text or "")
    if not re.match(r"https?://", url):
        return html.escape(text or url)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text or url)}</a>'


def entry_html(e: dict) -> str:
    """One ``<li id="source-<id>">`` of the numbered sources list (all text escaped)."""
    rows = [
        ("Publisher", html.escape(e["publisher"])),
        ("Period", html.escape(e["period"])),
        ("Licence", html.escape(e["licence"])),
        ("Landing page", _link(e["landing_page"])),
    ]
    files = "".join(
        f"<li>{_link(f['url'], f['name'])}, sha256 <code>{html.escape(f['sha256'])}</code></li>" for f in e["files"]
    )
    if files:  # technical provenance: one click away on screen, left out of print
        n = len(e["files"])
        rows.append(
            (
                "Pinned file" + ("s" if n > 1 else ""),
                f'<details class="technical"><summary>{n} file{"s" if n > 1 else ""} with checksums</summary>'
                f"<ul>{files}</ul></details>",
            )
        )
    if e.get("caveats"):
        rows.append(("Caveats", html.escape(e["caveats"])))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return (
        f'<li id="{html.escape(anchor(e["id"]), quote=True)}"><p class="source-title"><strong>'
        f'{html.escape(e["title"])}</strong> <span class="source-id">(<code>{html.escape(e["id"])}</code>)</span>'
        f'</p><dl class="provenance">{body}</dl></li>'
    )


def sources_section_html(source_ids, fallbacks: dict | None = None, *, start: int = 1) -> str:
    """The numbered list of sources (``<ol class="sources-list">``), one entry per dataset."""
    ids = _dedupe(source_ids)
    if not ids:
        return ""
    fallbacks = fallbacks or {}
    items = "\n".join(entry_html(entry(i, fallbacks.get(i))) for i in ids)
    first = f' start="{start}"' if start != 1 else ""
    return f'<ol class="sources-list"{first}>\n{items}\n</ol>'
