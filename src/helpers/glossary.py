"""Plain words: the technical terms the briefings use, explained once per page (issue 23 §3).

:func:`annotate` wraps the FIRST use of each term in a page's visible prose in
``<abbr title="definition">`` and :func:`section_html` lists the terms used in a short glossary at the end.
Text inside code, links, headings, the contents list, ``<summary>``, ``<title>``, scripts, styles and
attributes (alt text) is never touched. :func:`helpers.report.briefing_html` does both automatically.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A term, the regular expression that finds it in text, and its plain-English definition."""

    term: str
    pattern: str
    definition: str
    case_sensitive: bool = True


def _t(term: str, definition: str, pattern: str | None = None, case_sensitive: bool = True) -> Term:
    return Term(term, pattern or rf"\b{re.escape(term)}s?\b", definition, case_sensitive)


#: The glossary, in the order it is listed at the end of a page.
TERMS: tuple[Term, ...] = (
    _t("APC", "Annual percentage change: the average change per year, as a percentage, over a period."),
    _t(
        "Breusch-Pagan",
        "A statistical test of whether the scatter of values around a fitted line changes along the line; "
        "if it does, ordinary confidence intervals can be too narrow.",
        r"\bBreusch[- ]Pagan\b",
        False,
    ),
    _t(
        "confidence interval",
        "The range that would contain the true value 95 times in 100 if the estimate were repeated: "
        "a measure of how precise the estimate is.",
        r"\bconfidence intervals?\b",
        False,
    ),
    _t(
        "CV",
        "Coefficient of variation: the standard deviation divided by the average, as a percentage; "
        "a measure of how spread out values are.",
    ),
    _t(
        "decile",
        "One tenth of a ranked list: the most deprived decile is the 10% of areas ranked most deprived.",
        r"\bdeciles?\b",
        False,
    ),
    _t(
        "DSG",
        "Dedicated Schools Grant: the government grant paying for schools, early years and high needs "
        "(special educational needs) provision.",
    ),
    _t(
        "DSR",
        "Directly standardised rate: a rate adjusted to a standard population's age mix, so areas with "
        "older or younger populations can be compared fairly.",
    ),
    _t("EHCP", "Education, health and care plan: a legal plan of support for a child with special educational needs."),
    _t(
        "FTE",
        "Full-time equivalent: staff numbers with part-time staff counted as fractions of a full-time post.",
    ),
    _t(
        "GDHI",
        "Gross disposable household income: the money households have for spending or saving after taxes and benefits.",
    ),
    _t(
        "GLM",
        "Generalised linear model: a regression model for counts or proportions rather than measurements.",
    ),
    _t(
        "IMD",
        "Index of Multiple Deprivation: the government's official measure of relative deprivation of small "
        "areas in England, combining income, employment, health, education, crime, housing and living "
        "environment.",
    ),
    _t(
        "IoD",
        "English Indices of Deprivation: the family of deprivation measures that includes the IMD.",
        r"\bIoD(?:2019|2025)?\b",
    ),
    _t(
        "IQR",
        "Inter-quartile range: the spread of the middle half of the values (from the value a quarter of the "
        "way up to the value three quarters of the way up).",
        r"\bIQR\b|\b[Ii]nter-quartile range\b",
    ),
    _t(
        "LILEE",
        "Low Income Low Energy Efficiency: the official fuel-poverty measure in England; a household is fuel "
        "poor if its home is rated energy efficiency band D or below and its income after housing and energy "
        "costs is below the poverty line.",
    ),
    _t(
        "LSOA",
        "Lower-layer super output area: a small statistical area of about 1,500 residents (there are about "
        "33,000 in England).",
    ),
    _t(
        "log-linear",
        "A trend fitted on a logarithmic scale, so it describes a constant percentage change a year.",
        r"\blog-linear\b",
        False,
    ),
    _t(
        "NEET",
        "Not in education, employment or training.",
    ),
    _t(
        "OLS",
        "Ordinary least squares: the standard way of fitting a straight line through points.",
    ),
    _t(
        "p-value",
        "How often a pattern at least this strong would appear by chance alone if there were no real effect; "
        "small values (below 0.05) suggest the pattern is real.",
        r"\bp-values?\b",
        False,
    ),
    _t(
        "pp",
        "Percentage points: the arithmetic difference between two percentages (from 10% to 12% is 2 "
        "percentage points, or 20%).",
        r"(?<=\d)\s?pp\b",
    ),
    _t(
        "prediction interval",
        "The range in which a single future value would fall 95 times in 100 if the past pattern continued; "
        "wider than a confidence interval because single years vary.",
        r"\bprediction intervals?\b",
        False,
    ),
    _t(
        "quasi-Poisson",
        "A model for counts that allows the counts to vary more than pure chance would, so its intervals are "
        "honest about extra variation.",
        r"\bquasi-Poisson\b",
        False,
    ),
    _t(
        "real terms",
        "Money adjusted for inflation, so amounts from different years buy the same.",
        r"\breal terms\b",
        False,
    ),
    _t(
        "RII",
        "Relative index of inequality: the gap between the most and least deprived ends of an area, as a "
        "ratio of the average.",
    ),
    _t(
        "SII",
        "Slope index of inequality: the gap (for example in years of life expectancy) between the most and "
        "least deprived ends of an area, allowing for everyone in between.",
    ),
    _t(
        "Wilson interval",
        "A 95% confidence interval for a proportion that stays sensible for small counts.",
        r"\bWilson (?:score )?intervals?\b",
        False,
    ),
    _t(
        "z-score",
        "How many standard deviations a value is above (positive) or below (negative) the average.",
        r"\bz-scores?\b",
        False,
    ),
)

#: Elements whose text is never annotated (links, code, headings, navigation, labels, non-prose).
SKIP = {
    "a",
    "abbr",
    "button",
    "code",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "kbd",
    "nav",
    "pre",
    "samp",
    "script",
    "style",
    "summary",
    "svg",
    "textarea",
    "title",
    "caption",
    "th",
}
_TAG = re.compile(r"(<!--.*?-->|<[^>]+>)", re.S)
_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)")


def _compiled(terms) -> list[tuple[Term, re.Pattern]]:
    return [(t, re.compile(t.pattern, 0 if t.case_sensitive else re.I)) for t in terms]


def annotate(fragment: str, terms=TERMS, used: list[Term] | None = None) -> tuple[str, list[Term]]:
    """``fragment`` (HTML) with the first use of each term in visible prose wrapped in ``<abbr title=...>``;
    returns the new HTML and the terms found, in order of first use. ``used`` (terms already explained
    earlier on the page) are not wrapped again."""
    found: list[Term] = list(used or [])
    compiled = [(t, p) for t, p in _compiled(terms) if t not in found]
    pieces = _TAG.split(fragment)
    skip_depth = 0
    out = []
    for piece in pieces:
        if not piece:
            continue
        if piece.startswith("<"):
            m = _NAME.match(piece)
            if m and m.group(1).lower() in SKIP and not piece.endswith("/>"):
                skip_depth += -1 if piece.startswith("</") else 1
                skip_depth = max(skip_depth, 0)
            out.append(piece)
            continue
        if skip_depth or not compiled or not piece.strip():
            out.append(piece)
            continue
        out.append(_wrap_first(piece, compiled, found))
        compiled = [(t, p) for t, p in compiled if t not in found]
    return "".join(out), found[len(used or []) :]


def _wrap_first(text: str, compiled, found: list[Term]) -> str:
    """Wrap the first match of each not-yet-found term in ``text`` (escaped HTML text, no tags)."""
    matches = []
    for term, pattern in compiled:
        m = pattern.search(text)
        if m and m.group(0).strip():
            matches.append((m.start(), m.end(), term))
    if not matches:
        return text
    matches.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    result, pos = [], 0
    for start, end, term in matches:
        if start < pos:
            continue  # overlaps a term wrapped just before: leave it for a later use
        word = text[start:end]
        lead = len(word) - len(word.lstrip())
        result.append(text[pos : start + lead])
        title = html.escape(term.definition, quote=True)
        name = html.escape(term.term, quote=True)
        # tabindex: a tap (or keyboard focus) opens the definition in place (CSS :focus::after), not hover only
        result.append(f'<abbr tabindex="0" title="{title}" data-def="{title}" data-term="{name}">{word[lead:]}</abbr>')
        pos = end
        found.append(term)
    result.append(text[pos:])
    return "".join(result)


def section_html(terms: list[Term]) -> str:
    """A short glossary of the terms a page uses (``<section class="glossary">``), or '' if none."""
    if not terms:
        return ""
    ordered = sorted(dict.fromkeys(terms), key=lambda t: t.term.lower())
    items = "\n".join(f"<dt>{html.escape(t.term)}</dt><dd>{html.escape(t.definition)}</dd>" for t in ordered)
    return (
        '<section class="glossary" aria-labelledby="glossary">\n<h2 id="glossary">Glossary</h2>\n'
        f"<dl>\n{items}\n</dl>\n</section>"
    )
