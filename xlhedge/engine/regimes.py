"""Vol regimes: classify a vol-index level as low / normal / high (docs/methodology/regimes.md, Cross-Asset Hedging §10).

    low  <  low threshold  ≤  normal  ≤  high threshold  <  high

Boundary values belong to ``normal`` (VIX 18.0 and 28.0 are both normal).
Thresholds are data, :data:`REGIME_THRESHOLDS`, passed as a keyword argument
and shown on the template's ``Regime`` sheet: VIX's 18/28 come from the
article; the source article gives none for MOVE (rates), DVOL (crypto) or CVIX (FX),
so those are documented starting values to be replaced with
:func:`calibrate_thresholds` on a history the user supplies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import REGIMES, Float64Array1D, FloatArrayLike, Regime, StrArray
from xlhedge.engine.errors import InputError, NotEnoughData

__all__ = [
    "Thresholds",
    "REGIME_THRESHOLDS",
    "REGIMES",
    "VIX_PERCENTILES",
    "thresholds_for",
    "classify",
    "vol_regime",
    "regime_counts",
    "threshold_percentiles",
    "calibrate_thresholds",
    "check_percentiles",
    "thresholds_table",
]


@dataclass(frozen=True)
class Thresholds:
    """Two levels splitting an index into low / normal / high (boundaries are normal)."""

    low: float
    high: float
    note: str = ""

    def __post_init__(self) -> None:
        if not (np.isfinite(self.low) and np.isfinite(self.high)) or self.low > self.high:
            raise InputError(f"low ({self.low:g}) must be a number ≤ high ({self.high:g})", where="thresholds")


#: Editable defaults (docs/methodology/regimes.md). Units: index points (annualised vol %; MOVE in bp).
REGIME_THRESHOLDS: dict[str, Thresholds] = {
    "VIX": Thresholds(
        18.0, 28.0, "docs/methodology/regimes.md / Cross-Asset Hedging §10: low < 18 ≤ normal ≤ 28 < high"
    ),
    "MOVE": Thresholds(
        85.0,
        125.0,
        "starting values (ICE BofA MOVE, bp): about its long-run median and its stress band; calibrate on your history",
    ),
    "DVOL": Thresholds(
        50.0,
        80.0,
        "starting values (Deribit BTC implied vol, %): calm below 50, stressed above 80; calibrate on your history",
    ),
    "CVIX": Thresholds(
        8.0,
        12.0,
        "starting values (Deutsche Bank FX vol index, %): calibrate on your history",
    ),
}

#: Where VIX's own thresholds sit in its history, as fractions of days: share of
#: days below 18 ("low") and share at or below 28 (not "high"). Approximate values
#: for daily VIX closes since 1990; :func:`threshold_percentiles` computes them
#: exactly from a VIX history you supply (``reference=``).
VIX_PERCENTILES: dict[str, float] = {"low": 0.52, "high": 0.90}


def thresholds_for(index: str, thresholds: Mapping[str, Thresholds] | None = None) -> Thresholds:
    """The thresholds of ``index`` (case-insensitive) from ``thresholds`` (default table)."""
    table = REGIME_THRESHOLDS if thresholds is None else thresholds
    key = str(index).strip().upper()
    upper = {k.upper(): v for k, v in table.items()}
    if key not in upper:
        raise InputError(f"expected one of {', '.join(table)}, found {index!r}", where="index")
    return upper[key]


def classify(levels: FloatArrayLike, low: float = 18.0, high: float = 28.0) -> StrArray:
    """Regime of each level: ``"low"`` (< low), ``"normal"`` (low ≤ x ≤ high), ``"high"`` (> high).

    Parameters
    ----------
    levels : array-like of float
        Index levels (NaN = no observation -> ``""``).
    low, high : float
        Thresholds, ``low ≤ high``; boundaries are ``normal`` (docs/methodology/regimes.md).

    Returns
    -------
    ndarray of str, same shape as ``levels``.
    """
    Thresholds(float(low), float(high))  # validates
    x = np.asarray(levels, dtype=np.float64)
    out = np.where(x < low, "low", np.where(x > high, "high", "normal")).astype("<U6")
    out[np.isnan(x)] = ""
    return out


def vol_regime(level: float, index: str = "VIX", *, thresholds: Mapping[str, Thresholds] | None = None) -> Regime:
    """Regime of one level of ``index`` (VIX, MOVE, DVOL, CVIX) with the editable table.

    >>> vol_regime(18.0), vol_regime(28.01), vol_regime(95, "MOVE")
    ('normal', 'high', 'normal')
    """
    t = thresholds_for(index, thresholds)
    x = coerce.scalar(level, "level", minimum=0.0)
    # a str array cannot carry the Literal; classify only writes the three regimes (and "" for NaN, excluded above)
    return cast(Regime, str(classify(np.array([x]), t.low, t.high)[0]))


def regime_counts(levels: FloatArrayLike, low: float = 18.0, high: float = 28.0) -> dict[str, int]:
    """Number of observations in each regime (NaN levels are not counted)."""
    c = classify(levels, low, high)
    return {r: int(np.count_nonzero(c == r)) for r in REGIMES}


def threshold_percentiles(reference: Any, low: float = 18.0, high: float = 28.0) -> dict[str, float]:
    """Where ``low``/``high`` sit in a reference history, as fractions of its days.

    ``low``: share of days strictly below ``low``; ``high``: share of days at or
    below ``high`` (boundaries are normal, so these are the regime shares).
    """
    r = _history(reference, "reference")
    return {"low": float(np.mean(r < low)), "high": float(np.mean(r <= high))}


def calibrate_thresholds(
    history: Any,
    *,
    reference: Any = None,
    reference_thresholds: tuple[float, float] = (18.0, 28.0),
    percentiles: Mapping[str, float] | None = None,
    note: str = "",
) -> Thresholds:
    """Thresholds for another index by percentile mapping (docs/methodology/regimes.md).

    The new thresholds sit at the same percentiles of ``history`` that VIX's 18
    and 28 occupy in VIX's own history, so the index spends the same share of
    days in each regime as VIX does.

    Parameters
    ----------
    history : array-like or Series
        Daily levels of the index to calibrate (MOVE, DVOL, CVIX...); NaN ignored.
    reference : array-like or Series, optional
        A VIX history; when given, the percentiles are computed from it with
        :func:`threshold_percentiles` and ``reference_thresholds``.
    reference_thresholds : (low, high)
        Thresholds of the reference index (VIX 18, 28).
    percentiles : {"low": p, "high": q}, optional
        Use these shares instead (default :data:`VIX_PERCENTILES`).

    Returns
    -------
    Thresholds
        ``low`` = the p-quantile and ``high`` = the q-quantile of ``history``
        (linear interpolation).

    Raises
    ------
    NotEnoughData
        Fewer than 20 observations in ``history``.
    """
    h = _history(history, "history")
    if reference is not None:
        p = threshold_percentiles(reference, *reference_thresholds)
    else:
        p = check_percentiles(percentiles)
    lo, hi = np.quantile(h, [p["low"], p["high"]])
    return Thresholds(
        float(lo),
        float(hi),
        note or f"calibrated: {p['low']:.1%} / {p['high']:.1%} percentiles of {h.size} observations",
    )


def check_percentiles(percentiles: Mapping[str, float] | None) -> dict[str, float]:
    """``{"low": p, "high": q}`` with 0 ≤ p ≤ q ≤ 1 (default :data:`VIX_PERCENTILES`), else InputError."""
    p = dict(VIX_PERCENTILES if percentiles is None else percentiles)
    for k in ("low", "high"):
        v = p.get(k)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0.0 <= v <= 1.0:
            raise InputError(f"needs {k!r} as a fraction between 0 and 1", where="percentiles")
    if p["low"] > p["high"]:
        raise InputError(f"needs low ({p['low']:g}) ≤ high ({p['high']:g})", where="percentiles")
    return {"low": float(p["low"]), "high": float(p["high"])}


#: Fewest observations :func:`calibrate_thresholds` accepts.
MIN_CALIBRATION_OBSERVATIONS = 20


def _history(x: Any, name: str) -> Float64Array1D:
    a = coerce.vector(x, name, blank=np.nan)
    a = a[~np.isnan(a)]
    if a.size < MIN_CALIBRATION_OBSERVATIONS:
        raise NotEnoughData(f"found {a.size} observations, need at least {MIN_CALIBRATION_OBSERVATIONS}", where=name)
    return a


def thresholds_table(thresholds: Mapping[str, Thresholds] | None = None) -> pd.DataFrame:
    """The thresholds as a table (index, low, high, note) — what the Regime sheet shows."""
    table = REGIME_THRESHOLDS if thresholds is None else thresholds
    return pd.DataFrame(
        [(k, t.low, t.high, t.note) for k, t in table.items()],
        columns=["index", "low", "high", "note"],
    ).set_index("index")
