"""Claim cards, the since-the-manifesto tracker and the main points in words (issue 28 §1-3), on constructed
records: the new Outcome fields filled (as the claim kinds fill them) and empty (hand-written tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from helpers import briefing, register, summary, verdicts
from helpers.briefing import Briefing, Claim, Pledge


def claim(cid="c1", verdict="supported", **kw) -> Claim:
    fields = {
        "section": "06_transport",
        "claim_id": cid,
        "claim": f"Claim {cid} about buses",
        "source": "manifesto §6",
        "indicator": "Bus journeys per head",
        "verdict": verdict,
        "untestable": "",
        "evidence": f"Evidence of {cid}: 41.2 journeys per head in 2019-20. Second sentence.",
        "rule": "a rule",
        "period": "2019-20",
        "period_end": 2020,
        "value": 41.2,
    }
    fields.update(kw)
    return Claim(**fields)


def pledge(pid="p1", status="direction only", **kw) -> Pledge:
    fields = {
        "section": "06_transport",
        "pledge_id": pid,
        "pledge": f"Pledge {pid} for buses",
        "source": "manifesto §6",
        "indicator": "Spending on buses",
        "latest": "",
        "direction": "improving",
        "status": status,
        "untestable": "",
        "evidence": f"Evidence of {pid}.",
        "rule": "r",
        "period": "2020-21 to 2023-24",
        "period_end": 2024,
    }
    fields.update(kw)
    return Pledge(**fields)


class _Cards(HTMLParser):
    """id -> text of every <article class="card"> (the text of its children, tags dropped)."""

    def __init__(self):
        super().__init__()
        self.cards, self._id, self._depth = {}, None, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and "card" in (a.get("class") or "").split():
            self._id, self._depth = a["id"], 1
            self.cards[self._id] = ""
        elif self._id and tag == "article":
            self._depth += 1

    def handle_endtag(self, tag):
        if self._id and tag == "article":
            self._depth -= 1
            if not self._depth:
                self._id = None

    def handle_data(self, data):
        if self._id:
            self.cards[self._id] += data


def cards_of(page: str) -> dict:
    parser = _Cards()
    parser.feed(page)
    return {k: " ".join(v.split()) for k, v in parser.cards.items()}


@pytest.fixture(scope="module")
def manifesto():
    return register.load(None)


def test_card_shows_the_new_outcome_fields(manifesto):
    c = claim(
        kind="level",
        figure="about 1 in 9 households",
        conclusion="Many households were in fuel poverty.",
        compared="Cambridgeshire against England, 2021",
        match="the data period (2021) is the claim's",
        knife_edge=True,
        review="the evidence and the verdict disagree",
    )
    page = briefing.cards_html([c], [], manifesto)
    text = cards_of(page)["claim-c1"]
    for expected in (
        "Supported",
        "Claim c1 about buses",
        "about 1 in 9 households",
        "Many households were in fuel poverty.",
        "Cambridgeshire against England, 2021",
        "the data period (2021) is the claim's",
        briefing.KNIFE_EDGE,
        "the evidence and the verdict disagree",
        "§6",
        "April 2021",  # the manifesto document's date
    ):
        assert expected in text, expected
    assert "Evidence of c1" not in text  # the conclusion replaces the evidence when the kind gives one


def test_card_falls_back_to_evidence_for_hand_written_tests(manifesto):
    text = cards_of(briefing.cards_html([claim()], [], manifesto))["claim-c1"]
    assert "Conclusion Evidence of c1: 41.2 journeys per head in 2019-20." in text
    assert "Best figure" not in text and "Review" not in text  # nothing shown for empty fields


def test_untestable_card_says_why_and_who_holds_the_data(manifesto):
    c = claim(
        verdict="cannot be tested",
        untestable=verdicts.NOT_YET_USED,
        evidence="The DfT publishes bus journeys by operator (BUS01); not loaded here.",
    )
    text = cards_of(briefing.cards_html([c], [], manifesto))["claim-c1"]
    assert "Cannot be tested" in text
    assert f"Why it cannot be tested {verdicts.NOT_YET_USED.capitalize()}. The DfT publishes" in text


def test_document_link_when_the_register_gives_a_url(manifesto):
    doc = manifesto.info.documents["manifesto"].model_copy(update={"url": "https://example.org/m.pdf"})
    info = manifesto.info.model_copy(update={"documents": {**manifesto.info.documents, "manifesto": doc}})
    other = register.Manifesto(info=info, sections=manifesto.sections, path=manifesto.path)
    assert '<a href="https://example.org/m.pdf">' in briefing.cards_html([claim()], [], other)
    assert "https://" not in briefing.cards_html([claim()], [], manifesto)


def test_text_from_the_register_and_data_is_escaped(manifesto):
    c = claim(claim="<script>alert(1)</script>", conclusion='"><img src=x onerror=1>', figure="<b>x</b>")
    page = briefing.cards_html([c], [pledge(pledge="<i>p</i>")], manifesto)
    assert "<script>" not in page and "<img" not in page and "<b>x" not in page and "<i>p" not in page
    assert "&lt;script&gt;" in page


def test_tracker_row_in_real_terms_for_money_and_points_for_percentages(manifesto):
    money = pledge(
        "p1",
        extra={
            "baseline_value": 10.0,
            "baseline_period": "2020-21",
            "latest_value": 12.0,
            "latest_period": "2023-24",
            "change": 2.0,
            "change_real": -0.5,
            "price_base": "2023-24",
            "unit": "£m",
        },
    )
    share = pledge(
        "p2",
        extra={
            "baseline_value": 61.2,
            "baseline_period": "2019",
            "latest_value": 58.7,
            "latest_period": "2023",
            "change": -2.5,
            "unit": "%",
        },
    )
    base = pledge("p3", status="baseline only", extra={"baseline_value": 5.0, "baseline_period": "P1Y", "unit": ""})
    none = pledge("p4")
    page = briefing.cards_html([], [money, share, base, none], manifesto)
    rows = re.findall(r"<tr><th scope=\"row\".*?</tr>", page, re.S)
    assert len(rows) == 3  # the pledge without tracker values has a card but no row
    text = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]
    assert "£10.0 m (2020-21)" in text[0] and "£12.0 m (2023-24)" in text[0]
    assert "-£0.5 m in real terms (2023-24 prices)" in text[0]
    assert "-2.5 points" in text[1] and "61.2% (2019)" in text[1]
    assert "none published since" in text[2] and "one year" in text[2] and "P1Y" not in page
    assert 'data-label="Latest"' in page  # stacked on a phone
    assert set(cards_of(page)) == {"pledge-p1", "pledge-p2", "pledge-p3", "pledge-p4"}


@pytest.mark.parametrize(
    ("period", "words"),
    [("P1Y", "one year"), ("P3M", "3 months"), ("P2Y6M", "2 years and 6 months"), ("2023-24", "2023-24")],
)
def test_periods_never_shown_as_iso_durations(period, words):
    assert briefing.period_words(period) == words


def test_briefing_carries_the_outcome_card_fields(monkeypatch):
    b = Briefing.__new__(Briefing)
    b.section, b.claims, b.pledges = "06_transport", [], []
    # a register entry's fields as the briefing reads them (a real Entry would validate its check's indicator)
    entry = SimpleNamespace(id="bus-use", source="manifesto §6", indicator="Bus journeys", national=True, weight=1)
    out = verdicts.Outcome(
        verdict="supported",
        evidence="e",
        rule="r",
        kind="level",
        conclusion="It fell.",
        figure="about 1 in 9",
        compared="A against B",
        match="matches",
        knife_edge=True,
        extra={"baseline_value": 1, "x": float("nan")},
    )
    c = b._add_claim(entry, "Bus use in Cambridgeshire fell", out)
    assert (c.conclusion, c.figure, c.compared, c.match, c.knife_edge) == (
        "It fell.",
        "about 1 in 9",
        "A against B",
        "matches",
        True,
    )
    assert c.national and c.weight == 1 and c.extra == {"baseline_value": 1.0, "x": None}


# --- main points -------------------------------------------------------------------------------------------


def row(cid, verdict, **kw):
    from dataclasses import asdict

    return asdict(claim(cid, verdict, **kw))


def prow(pid, status, **kw):
    from dataclasses import asdict

    return asdict(pledge(pid, status, **kw))


def _href(r, kind):
    return f"#{kind}-{r[kind + '_id']}"


def test_main_points_choose_by_weight_never_national_or_knife_edge():
    claims = [
        row("a", "supported", weight=3),
        row("b", "not supported", weight=2),
        row("c", "supported", weight=1),
        row("d", "not supported", weight=1, knife_edge=True),
        row("e", "not supported", weight=1, national=True),
        row("f", "cannot be tested", untestable=verdicts.NO_PUBLIC_DATA),
    ]
    pledges = [prow("p", "off track"), prow("q", "baseline only"), prow("r", "direction only")]
    points = summary.main_points(claims, pledges, "Camden", href=_href, year=2021)
    chosen = [s[1]["href"] for s in points["sentences"] if len(s) == 3 and s[0]["text"] == "The claim that "]
    assert chosen == ["#claim-c", "#claim-b", "#claim-a"]  # weight 1 first; d (knife edge), e (national) never
    first = points["sentences"][0][0]["text"]
    # national claim e is not counted: 5 local claims
    assert first == (
        "Of the 5 claims this briefing checks for Camden, 2 hold, 0 partly hold, 2 do not hold and 1 cannot be "
        "tested with the data used."
    )
    assert 4 <= len(points["sentences"]) <= 6
    assert points["tests"] == 4 + 2  # tested local claims + pledges with a status from data
    assert points["chance"] == pytest.approx(0.3)
    lists = dict(points["lists"])
    assert [i["href"] for i in lists["Claims that hold"]] == ["#claim-a", "#claim-c"]
    assert [i["href"] for i in lists["Claims that do not hold"]] == ["#claim-b", "#claim-d"]
    assert [i["href"] for i in lists["Pledges off track"]] == ["#pledge-p"]
    assert [i["href"] for i in lists["Pledges with no data since the manifesto"]] == ["#pledge-q"]
    assert [i["href"] for i in lists["National claims (the same for every council)"]] == ["#claim-e"]


def test_main_points_html_links_every_named_claim_to_its_card():
    record = {
        "briefing": {"area_name": "Camden", "manifesto_date": "2022-05-05"},
        "claims": [row("a", "supported", conclusion="It holds <b>."), row("b", "not supported")],
        "pledges": [prow("p", "off track")],
    }
    page = summary.briefing_main_points(record)
    assert 'href="#claim-a"' in page and 'href="#claim-b"' in page and 'href="#pledge-p"' in page
    assert "It holds &lt;b&gt;" in page
    assert "ran 3 tests" in page and "about 0.15" in page and "0.05 × 3" in page
    assert "register&#39;s weight" in page or "register's weight" in page  # the rule is stated


def test_council_tally_leaves_out_national_claims():
    rec = {
        "briefing": {"section": "00_x", "title": "T", "manifesto_date": "2021-05-06"},
        "claims": [row("a", "supported"), row("n", "supported", national=True)],
        "pledges": [],
    }
    rows = summary.tally([{"section": "00_x", "record": rec, "html": "00_x.html"}])
    assert rows[0]["claims"][summary.SUPPORTED] == 1 and rows[0]["national"] == 1
    top = summary.top_findings([{"section": "00_x", "record": rec, "html": "00_x.html"}], "X")
    assert [f["claim_id"] for f in top] == ["a"]
