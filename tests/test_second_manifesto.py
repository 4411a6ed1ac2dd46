"""A second real manifesto, kinds only (issue 31): Kent Labour's 2021 register loads, every tested entry is a
claim kind, every entry gives a verdict for Kent and for awkward councils, and a bad entry is refused in one line
that names the file, the entry and the closest valid names."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import areas, config, register, verdicts
from helpers.register import RegisterError

KENT_LABOUR = config.REPO_ROOT / "manifestos" / "kent-labour-2021"
KENT = "E10000016"


def load(path: Path = KENT_LABOUR) -> register.Manifesto:
    register._load.cache_clear()
    return register.load(path)


def every_entry(m: register.Manifesto):
    for what in ("claims", "pledges"):
        for section, entry in m.entries(what):
            yield what, section, entry


def evaluate_all(m: register.Manifesto, code: str) -> dict[str, verdicts.Outcome]:
    area = areas.resolve_briefing_area(code)
    out = {}
    for what, section, entry in every_entry(m):
        if register.applies(entry, area.code) is None:
            continue
        ctx = register.Context(area=area, manifesto=m, section=section)
        _, outcome = register.evaluate(entry, ctx, pledge=what == "pledges")
        out[entry.id] = outcome
    return out


def test_the_register_loads_with_every_section_and_its_sources():
    m = load()
    assert m.info.subject_area == KENT and m.info.date.isoformat() == "2021-05-06"
    assert sorted(m.sections) == [
        "00_inequality",
        "01_communities",
        "02_adult_social_care",
        "03_schools_children",
        "04_public_health",
        "05_net_zero",
        "06_transport",
        "07_finance_growth_housing",
    ]
    entries = list(every_entry(m))
    assert len(entries) >= 14
    for doc in m.info.documents.values():
        assert doc.url.startswith("http") and doc.publisher and doc.election


def test_every_tested_entry_is_a_claim_kind():
    m = load()
    tested = [e for _, _, e in every_entry(m) if e.untestable is None]
    assert tested, "the register tests nothing"
    assert all(e.check is not None and e.test is None for e in tested), [e.id for e in tested if e.check is None]
    for _, _, e in every_entry(m):
        if e.untestable is not None:
            assert e.untestable.holder, f"{e.id}: an untestable entry names who holds the data"


@pytest.mark.needs_mirror
def test_every_entry_gives_a_valid_verdict_for_kent_with_a_conclusion_or_reason():
    m = load()
    got = evaluate_all(m, KENT)
    assert len(got) == len(list(every_entry(m)))
    pledges = {e.id for _, e in m.entries("pledges")}
    for entry_id, o in got.items():
        allowed = verdicts.PLEDGE_STATUSES if entry_id in pledges else verdicts.CLAIM_VERDICTS
        assert o.verdict in allowed, (entry_id, o.verdict)
        assert (o.conclusion or o.evidence).strip(), entry_id


@pytest.mark.needs_mirror
def test_council_tax_claim_is_judged_on_the_published_band_d_in_real_terms():
    import helpers

    raw = helpers.load("council_tax_requirement_band_d_asc_la_2014_15_to_2023_24", "band_d")
    kent = raw[raw["area_code"] == KENT].set_index("financial_year")["band_d"]
    assert kent["2014-15"] == pytest.approx(1068.66) and kent["2021-22"] == pytest.approx(1418.76)
    o = evaluate_all(load(), KENT)["council-tax-above-inflation"]
    assert o.verdict == verdicts.Verdict.SUPPORTED
    # cash shown beside real terms, both from the raw figures
    assert "£1,069 to £1,419 (+32.8%)" in o.evidence, o.evidence
    real = re.search(r"went from £([\d,]+) in 2014-15 to £([\d,]+) in 2021-22", o.evidence)
    assert real is not None, o.evidence
    a, b = (float(x.replace(",", "")) for x in real.groups())
    assert b / a - 1 < 1418.76 / 1068.66 - 1  # a real-terms rise is smaller than the cash rise
    assert b > a


@pytest.mark.needs_mirror
def test_a_decade_of_austerity_across_the_settlement_break_cannot_be_tested():
    o = evaluate_all(load(), KENT)["decade-of-austerity"]
    assert o.verdict == verdicts.Verdict.UNTESTABLE
    assert "series break" in (o.conclusion or o.evidence)


@pytest.mark.needs_mirror
@pytest.mark.parametrize("code", ["E06000053", "E09000001"])
def test_the_register_evaluates_for_awkward_councils_without_an_exception(code):
    m = load()
    got = evaluate_all(m, code)
    assert len(got) == len(list(every_entry(m)))
    assert all((o.conclusion or o.evidence).strip() for o in got.values())


def _copy_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    dest = tmp_path / "kent-labour-2021"
    shutil.copytree(KENT_LABOUR, dest)
    path = dest / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return dest


BAD = [
    # (file, what is replaced, replacement, entry id, names the message must carry)
    pytest.param(
        "07_finance_growth_housing.yaml",
        "{kind: change, indicator: council-tax-band-d, reading: rose,",
        "{kind: chnage, indicator: council-tax-band-d, reading: rose,",
        "council-tax-above-inflation",
        ["chnage", "change"],
        id="kind",
    ),
    pytest.param(
        "06_transport.yaml",
        "indicator: bus-journeys-per-head, reading: increase}",
        "indicator: bus-journey-per-head, reading: increase}",
        "affordable-buses",
        ["bus-journey-per-head", "bus-journeys-per-head"],
        id="indicator",
    ),
    pytest.param(
        "05_net_zero.yaml",
        "indicator: ghg-per-resident, reading: reduce}",
        "indicator: ghg-per-resident, reading: reduced}",
        "real-climate-action",
        ["reduced", "reduce"],
        id="reading",
    ),
    pytest.param(
        "00_inequality.yaml",
        "{kind: since, indicator: claimant-count-rate, reading: reduce}",
        "{kind: since, indicator: claimant-count-rate, reading: reduce, period: 2021}",
        "recovery-from-pandemic",
        ["'period'", "kind 'since'"],
        id="param",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "entry_id", "names"), BAD)
def test_a_bad_entry_is_refused_in_one_line_naming_file_entry_and_closest_names(
    tmp_path, file, old, new, entry_id, names
):
    bad = _copy_with(tmp_path, file, old, new)
    register._load.cache_clear()
    try:
        register.load(bad)
    except RegisterError as exc:
        message = str(exc)
    except Exception as exc:  # noqa: BLE001 - the defect: another error type escapes
        raise AssertionError(f"{type(exc).__name__} instead of RegisterError: {exc}") from None
    else:
        raise AssertionError("the bad register loaded")
    assert "\n" not in message
    assert file in message and repr(entry_id) in message, message
    for name in names:
        assert name in message, message
