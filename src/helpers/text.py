"""Number formatting for generated prose, so every briefing writes numbers the same way."""

from __future__ import annotations

import math


def fmt(value, unit: str = "", dp: int = 1) -> str:
    """``12.345, '%'`` -> ``'12.3%'``; ``1234567, ''`` -> ``'1,234,567'``; missing -> ``'not available'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    if unit == "£":
        return f"-£{abs(value):,.{dp}f}" if value < 0 else f"£{value:,.{dp}f}"
    number = f"{value:,.{dp}f}"
    if unit in ("%", "pp"):
        return f"{number}{'%' if unit == '%' else ' percentage points'}"
    return f"{number} {unit}".strip()


def fmt_share(fraction, dp: int = 1) -> str:
    """A fraction (0 to 1) as a percentage: ``0.123`` -> ``'12.3%'``; missing -> ``'not available'``."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "not available"
    return fmt(100 * fraction, "%", dp)


def fmt_interval(lower, upper, unit: str = "", dp: int = 1) -> str:
    """``(10.1 to 12.3%)``-style 95% interval text."""
    if lower is None or upper is None or any(isinstance(v, float) and math.isnan(v) for v in (lower, upper)):
        return ""
    return f"(95% CI {fmt(lower, '', dp)} to {fmt(upper, unit, dp)})"


def direction(
    change: float, tolerance: float = 0.0, *, up: str = "rose", down: str = "fell", flat: str = "was unchanged"
) -> str:
    """A verb for a change: ``rose``/``fell``/``was unchanged``."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "cannot be compared"
    if abs(change) <= tolerance:
        return flat
    return up if change > 0 else down


def listing(items) -> str:
    """``['a', 'b', 'c']`` -> ``'a, b and c'``."""
    items = [str(i) for i in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fy(year) -> str:
    """The financial (or academic) year starting in ``year``: ``2023`` -> ``'2023-24'``; ``1999`` -> ``'1999-00'``."""
    y = int(round(float(year)))
    return f"{y}-{(y + 1) % 100:02d}"


def period(text, end=None) -> str:
    """A period for prose: ``'2023 - 25'`` or ``(2023, 2025)`` -> ``'2023 to 2025'``; a financial or academic
    year (``'2023/24'``, ``'2023 - 24'``) -> ``'2023-24'``; ``'2015-16 - 2020-21'`` -> ``'2015-16 to 2020-21'``.
    Text that is not a period is returned unchanged."""
    import re

    if end is not None:
        return f"{int(text)} to {int(end)}" if int(end) != int(text) else str(int(text))
    s = " ".join(str(text).split())
    fyr = r"(\d{4})\s*[-–/]\s*(\d{2})"
    m = re.fullmatch(rf"{fyr}\s*(?:[-–]|to)\s*{fyr}", s)
    if m:
        return f"{fy(m.group(1))} to {fy(m.group(3))}"
    m = re.fullmatch(r"(\d{4})\s*(?:[-–/]|to)\s*(\d{2}|\d{4})", s)
    if not m:
        return s
    start, tail = int(m.group(1)), m.group(2)
    stop = int(tail) if len(tail) == 4 else (start // 100) * 100 + int(tail)
    if len(tail) == 2 and stop < start:
        stop += 100
    if stop == start + 1 and (len(tail) == 2 or "/" in s):
        return fy(start)
    return f"{start} to {stop}" if stop != start else str(start)
