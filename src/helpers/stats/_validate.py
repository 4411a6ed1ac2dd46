"""Shared input checks and array handling for the stats subpackage.

Every public function in ``helpers.stats`` accepts scalars, lists, numpy arrays or
pandas Series.  These helpers turn inputs into float arrays, check them, and give the
result back in the shape the caller used (a float for scalars, a Series with the
caller's index for Series, otherwise a numpy array).

Missing values (NaN) are never an error: the checks ignore them so that they flow
through to NaN results.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def as_float_array(values: Any, name: str) -> np.ndarray:
    """Return ``values`` as a float numpy array (0-d for scalars); None becomes NaN."""
    if isinstance(values, pd.Series):
        arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric; convert text columns with pd.to_numeric first") from exc
    return arr


def first_bad(mask: np.ndarray) -> str:
    """Describe where the first True in ``mask`` is, for error messages."""
    if mask.ndim == 0:
        return ""
    position = int(np.flatnonzero(mask.ravel())[0])
    return f" (first at position {position})"


def check_non_negative(arr: np.ndarray, name: str) -> None:
    """Raise ValueError if any non-missing value is below zero."""
    bad = arr < 0  # NaN compares False, so missing values pass
    if np.any(bad):
        raise ValueError(f"{name} must be >= 0{first_bad(bad)}; negative counts are data errors, fix or drop them")


def check_positive(arr: np.ndarray, name: str) -> None:
    """Raise ValueError if any non-missing value is zero or negative."""
    bad = arr <= 0
    if np.any(bad):
        raise ValueError(
            f"{name} must be > 0{first_bad(bad)}; a rate or proportion needs a positive denominator, "
            "drop rows with no population"
        )


def check_not_above(numerator: np.ndarray, denominator: np.ndarray, num_name: str, den_name: str) -> None:
    """Raise ValueError if numerator exceeds denominator anywhere (proportions only)."""
    bad = numerator > denominator
    if np.any(bad):
        raise ValueError(
            f"{num_name} must not exceed {den_name}{first_bad(bad)}; a proportion cannot be above 1, "
            "use byars_ci for rates"
        )


def check_confidence(confidence: float) -> float:
    """Return confidence as a float, raising ValueError unless 0 < confidence < 1."""
    try:
        level = float(confidence)
    except (TypeError, ValueError) as exc:
        raise ValueError("confidence must be a number between 0 and 1, e.g. 0.95") from exc
    if not 0 < level < 1:
        raise ValueError(
            f"confidence must be strictly between 0 and 1 (got {confidence}); pass 0.95 for a 95% interval"
        )
    return level


def check_multiplier(multiplier: float) -> float:
    """Return multiplier as a float, raising ValueError unless it is positive."""
    try:
        value = float(multiplier)
    except (TypeError, ValueError) as exc:
        raise ValueError("multiplier must be a positive number such as 1, 100 or 100000") from exc
    if not value > 0:
        raise ValueError(f"multiplier must be > 0 (got {multiplier}); use 100 for percentages, 100000 for rates")
    return value


def broadcast(*arrays: np.ndarray, names: tuple[str, ...]) -> list[np.ndarray]:
    """Broadcast arrays together, raising a readable ValueError when lengths differ."""
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError as exc:
        shapes = ", ".join(f"{n}{a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"inputs must have matching lengths ({shapes}); pass one value per row") from exc


def shape_like(result: np.ndarray, *inputs: Any) -> Any:
    """Give ``result`` back as a float (all-scalar inputs), a Series (first Series input) or an array."""
    for item in inputs:
        if isinstance(item, pd.Series):
            return pd.Series(np.asarray(result, dtype=float), index=item.index)
    result = np.asarray(result, dtype=float)
    if result.ndim == 0:
        return float(result)
    return result
