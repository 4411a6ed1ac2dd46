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
