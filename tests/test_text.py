"""Number formatting used in generated prose."""

from helpers.text import direction, fmt, fmt_interval, listing


def test_fmt_units():
    assert fmt(12.345, "%") == "12.3%"
    assert fmt(1234567, "", 0) == "1,234,567"
    assert fmt(-12.5, "£", 0) == "-£12"
    assert fmt(float("nan"), "%") == "not available"
    assert fmt(2.0, "pp") == "2.0 percentage points"


def test_interval_direction_and_listing():
    assert fmt_interval(10.06, 12.34, "%") == "(95% CI 10.1 to 12.3%)"
    assert fmt_interval(None, 1) == ""
    assert direction(0.5) == "rose" and direction(-0.5) == "fell" and direction(0.01, 0.05) == "was unchanged"
    assert listing(["a", "b", "c"]) == "a, b and c" and listing([]) == "none"


def test_fmt_share_reads_a_fraction_as_a_percentage():
    from helpers.text import fmt_share

    assert fmt_share(0.4235) == "42.4%"
    assert fmt_share(0.5, 0) == "50%"
    assert fmt_share(float("nan")) == "not available"
