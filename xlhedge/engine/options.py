"""Black–Scholes puts for delta-adjusted equity hedges (docs/methodology/sizing.md equity).

European put on an underlying paying a continuous yield ``q``, risk-free rate
``r`` (both annual, continuously compounded, decimals), vol ``σ`` annual::

    d1 = (ln(S/K) + (r − q + σ²/2)·T) / (σ·√T),   d2 = d1 − σ·√T
    put  = K·e^{−rT}·N(−d2) − S·e^{−qT}·N(−d1)
    Δ_put = −e^{−qT}·N(−d1)        (between −1 and 0)

N is the standard normal CDF, computed with :func:`math.erf` (no SciPy at run
time). At ``T = 0`` the put is worth its intrinsic value and its delta is −1
in the money, 0 out of the money (−½ at the money).
All functions broadcast over numpy arrays.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from xlhedge.engine._typing import Float64Array, FloatOrArray
from xlhedge.engine.errors import InputError

__all__ = ["norm_cdf", "put_price", "put_delta", "check_option_inputs"]

_erf = np.vectorize(math.erf, otypes=[np.float64])


def norm_cdf(x: Float64Array | float) -> Float64Array:
    """Standard normal CDF, N(x) = ½·(1 + erf(x/√2))."""
    return 0.5 * (1.0 + _erf(np.asarray(x, dtype=np.float64) / math.sqrt(2.0)))


def check_option_inputs(spot: Any, strike: Any, vol: Any, years: Any) -> None:
    """Raise :class:`InputError` naming the first argument out of range.

    ``spot``, ``strike`` and ``vol`` must be > 0, ``years`` ≥ 0; none may be NaN.
    """
    for name, v, strict in (
        ("spot", spot, True),
        ("strike", strike, True),
        ("vol", vol, True),
        ("years", years, False),
    ):
        a = np.asarray(v, dtype=np.float64)
        if np.isnan(a).any():
            raise InputError("is missing (blank/NaN)", where=name)
        bad = (a <= 0) if strict else (a < 0)
        if bad.any():
            op = "> 0" if strict else "≥ 0"
            raise InputError(f"must be {op}, got {a[bad].ravel()[0]:g}", where=name)


def _d1_d2(
    spot: Any, strike: Any, vol: Any, years: Any, rate: float, div: float
) -> tuple[Float64Array, Float64Array, Float64Array]:
    s = np.asarray(spot, dtype=np.float64)
    k = np.asarray(strike, dtype=np.float64)
    v = np.asarray(vol, dtype=np.float64)
    t = np.asarray(years, dtype=np.float64)
    sd = v * np.sqrt(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = (np.log(s / k) + (rate - div + 0.5 * v * v) * t) / sd
    return d1, d1 - sd, t


def put_price(spot: Any, strike: Any, vol: Any, years: Any, rate: float = 0.0, div: float = 0.0) -> FloatOrArray:
    """Black–Scholes European put value per unit of underlying (same currency as spot).

    Parameters
    ----------
    spot, strike : price of the underlying and strike, > 0.
    vol : implied volatility, annual decimal (0.18 = 18%), > 0.
    years : time to expiry in years, ≥ 0.
    rate, div : risk-free rate and dividend yield, annual continuously compounded.

    Multiply by the contract multiplier (100 for SPX/SPY options) for the premium
    of one contract.
    """
    check_option_inputs(spot, strike, vol, years)
    d1, d2, t = _d1_d2(spot, strike, vol, years, rate, div)
    s = np.asarray(spot, dtype=np.float64)
    k = np.asarray(strike, dtype=np.float64)
    value = k * np.exp(-rate * t) * norm_cdf(-d2) - s * np.exp(-div * t) * norm_cdf(-d1)
    value = np.where(t == 0, np.maximum(k - s, 0.0), value)
    return value.item() if value.ndim == 0 else value


def put_delta(spot: Any, strike: Any, vol: Any, years: Any, rate: float = 0.0, div: float = 0.0) -> FloatOrArray:
    """Black–Scholes put delta, −e^{−qT}·N(−d1) ∈ [−1, 0] (per unit of underlying).

    A long put carries ``Δ × spot × multiplier`` of underlying exposure per
    contract (negative: it gains when the underlying falls).
    """
    check_option_inputs(spot, strike, vol, years)
    d1, _, t = _d1_d2(spot, strike, vol, years, rate, div)
    s = np.asarray(spot, dtype=np.float64)
    k = np.asarray(strike, dtype=np.float64)
    delta = -np.exp(-div * t) * norm_cdf(-d1)
    at_expiry = np.where(s < k, -1.0, np.where(s > k, 0.0, -0.5))
    delta = np.where(t == 0, at_expiry, delta)
    return delta.item() if delta.ndim == 0 else delta
