"""European options: price and Greeks, Black–Scholes–Merton and Black-76 (docs/methodology/options.md).

A European option of type ω (+1 call, −1 put) on an underlying at ``S`` with strike ``K``,
implied vol ``σ`` (annual decimal), ``T`` years to expiry, risk-free rate ``r`` and a
continuous yield ``q`` (both annual, continuously compounded decimals)::

    d1 = (ln(S/K) + (r − q + σ²/2)·T) / (σ·√T),   d2 = d1 − σ·√T
    V  = ω·(S·e^{−qT}·N(ω·d1) − K·e^{−rT}·N(ω·d2))
    Δ  = ∂V/∂S  = ω·e^{−qT}·N(ω·d1)
    Γ  = ∂²V/∂S² = e^{−qT}·n(d1) / (S·σ·√T)
    ν  = ∂V/∂σ  = S·e^{−qT}·n(d1)·√T
    ∂V/∂T = S·e^{−qT}·n(d1)·σ/(2√T) − ω·q·S·e^{−qT}·N(ω·d1) + ω·r·K·e^{−rT}·N(ω·d2)

Model ``"bs"`` is Black–Scholes (1973) with Merton's (1973) continuous yield; model
``"black76"`` is Black (1976) on a futures or forward price given as ``S``: the same
formulas with ``q = r`` (the future costs nothing to carry; ``div`` is ignored).

Units of :func:`option_greeks` (per unit of underlying, currency of ``S``): ``price``,
``delta`` = ∂V/∂S, ``gamma`` = ∂²V/∂S², ``vega`` per vol point = 0.01·∂V/∂σ, ``theta``
per calendar day = −(∂V/∂T)/365 (the analytic derivative, not a one-day difference).

At ``T = 0`` the option is worth its intrinsic value max(ω·(S − K), 0); its delta is
±1 in the money, 0 out of the money, ±½ exactly at the money; gamma, vega and theta
are 0. N is the standard normal CDF, computed with :func:`math.erf` (no SciPy at run
time). Every argument broadcasts the numpy way (``kind`` and ``model`` may be arrays
of text too).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from xlhedge.engine._typing import (
    OPTION_KINDS,
    OPTION_MODELS,
    Float64Array,
    FloatOrArray,
    OptionKind,
    OptionModel,
)
from xlhedge.engine.errors import InputError

__all__ = [
    "norm_cdf",
    "norm_pdf",
    "OptionGreeks",
    "OptionExposure",
    "option_greeks",
    "option_price",
    "option_exposure",
    "intrinsic_value",
    "option_scenario",
    "put_price",
    "put_delta",
    "check_option_inputs",
    "option_signs",
    "black76_mask",
]

_erf = np.vectorize(math.erf, otypes=[np.float64])
_SQRT_2PI = math.sqrt(2.0 * math.pi)
#: Calendar days per year: theta per day = −(∂V/∂T)/365.
DAYS_PER_YEAR = 365.0


def norm_cdf(x: Float64Array | float) -> Float64Array:
    """Standard normal CDF, N(x) = ½·(1 + erf(x/√2))."""
    return 0.5 * (1.0 + _erf(np.asarray(x, dtype=np.float64) / math.sqrt(2.0)))


def norm_pdf(x: Float64Array | float) -> Float64Array:
    """Standard normal density, n(x) = e^{−x²/2}/√(2π)."""
    a = np.asarray(x, dtype=np.float64)
    return np.exp(-0.5 * a * a) / _SQRT_2PI


class OptionGreeks(NamedTuple):
    """Price and Greeks per unit of underlying (arrays of the broadcast shape; 0-d for scalars).

    ``vega`` is per vol point (0.01·∂V/∂σ), ``theta`` per calendar day (−(∂V/∂T)/365).
    """

    price: Float64Array
    delta: Float64Array
    gamma: Float64Array
    vega: Float64Array
    theta: Float64Array


class OptionExposure(NamedTuple):
    """A holding of options in book units (see :func:`option_exposure`)."""

    #: contracts·multiplier·Δ·S / nav: fraction of NAV in the underlying.
    delta: Float64Array
    #: contracts·multiplier·vega·vol_beta / nav: fraction of NAV per +1 point of the vol factor.
    vol: Float64Array
    #: ½·contracts·multiplier·Γ·(0.01·S)² / nav: convexity P&L of a 1% move, fraction of NAV.
    gamma: Float64Array
    #: contracts·multiplier·price: value of the holding in currency (> 0 long).
    premium: Float64Array
    #: contracts·multiplier·theta: currency per calendar day.
    theta: Float64Array


def _texts(x: Any, name: str, choices: tuple[str, ...]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Normalised text option(s) (stripped, lower-case), every one checked against ``choices``."""
    a = np.asarray(x, dtype=object)
    out = np.empty(a.shape, dtype=object)
    for idx, v in np.ndenumerate(a):
        norm = v.strip().lower() if isinstance(v, str) else None
        if norm not in choices:
            found = repr(v) if isinstance(v, str) else ("blank" if v is None else repr(v))
            raise InputError(f"expected one of {', '.join(choices)}, found {found}", where=name)
        out[idx] = norm
    return out


def option_signs(kind: OptionKind | Any) -> Float64Array:
    """ω per option: +1 for ``"call"``, −1 for ``"put"`` (any other text is an :class:`InputError`)."""
    k = _texts(kind, "kind", OPTION_KINDS)
    return np.where(k == "call", 1.0, -1.0).astype(np.float64)


def black76_mask(model: OptionModel | Any) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """True where ``model`` is ``"black76"``, False for ``"bs"`` (anything else is an :class:`InputError`)."""
    m = _texts(model, "model", OPTION_MODELS)
    return np.asarray(m == "black76", dtype=np.bool_)


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


def _finite(name: str, v: Any) -> Float64Array:
    a = np.asarray(v, dtype=np.float64)
    if not np.isfinite(a).all():
        raise InputError("must be a finite number", where=name)
    return a


def intrinsic_value(kind: OptionKind | Any, spot: Any, strike: Any) -> Float64Array:
    """max(ω·(S − K), 0): the value at expiry."""
    w = option_signs(kind)
    s = np.asarray(spot, dtype=np.float64)
    k = np.asarray(strike, dtype=np.float64)
    return np.asarray(np.maximum(w * (s - k), 0.0), dtype=np.float64)


def option_greeks(
    kind: OptionKind | Any,
    spot: Any,
    strike: Any,
    vol: Any,
    years: Any,
    rate: Any = 0.0,
    div: Any = 0.0,
    model: OptionModel | Any = "bs",
) -> OptionGreeks:
    """Price, delta, gamma, vega (per vol point) and theta (per calendar day) of European options.

    Parameters
    ----------
    kind : ``"call"`` or ``"put"`` (or an array of them).
    spot : price of the underlying (> 0); for ``model="black76"`` the futures/forward price.
    strike : strike (> 0), same currency as ``spot``.
    vol : implied volatility, annual decimal (0.18 = 18%), > 0.
    years : time to expiry in years, ≥ 0 (0: intrinsic value, see the module docstring).
    rate, div : risk-free rate and dividend yield, annual continuously compounded
        decimals; ``div`` is ignored by Black-76.
    model : ``"bs"`` (Black–Scholes–Merton) or ``"black76"`` (Black 1976 on a future).

    Returns
    -------
    OptionGreeks of float64 arrays of the broadcast shape of the arguments, per unit of
    underlying; multiply by the contract multiplier (100 for SPX/SPY/VIX options) for one
    contract.

    >>> g = option_greeks("put", 100.0, 100.0, 0.2, 1.0)
    >>> round(float(g.price), 4), round(float(g.delta), 4)
    (7.9656, -0.4602)
    """
    w = option_signs(kind)
    is76 = black76_mask(model)
    check_option_inputs(spot, strike, vol, years)
    r = _finite("rate", rate)
    q_in = _finite("div", div)
    w, is76, s, k, v, t, r, q_in = np.broadcast_arrays(
        w,
        is76,
        np.asarray(spot, dtype=np.float64),
        np.asarray(strike, dtype=np.float64),
        np.asarray(vol, dtype=np.float64),
        np.asarray(years, dtype=np.float64),
        r,
        q_in,
    )
    q = np.where(is76, r, q_in)
    live = t > 0
    tt = np.where(live, t, 1.0)  # a placeholder tenor where expired (overwritten below)
    sqt = np.sqrt(tt)
    sd = v * sqt
    d1 = (np.log(s / k) + (r - q + 0.5 * v * v) * tt) / sd
    d2 = d1 - sd
    dq = np.exp(-q * tt)
    dr = np.exp(-r * tt)
    nd1 = norm_cdf(w * d1)
    nd2 = norm_cdf(w * d2)
    pdf = norm_pdf(d1)
    price = w * (s * dq * nd1 - k * dr * nd2)
    delta = w * dq * nd1
    gamma = dq * pdf / (s * sd)
    vega = s * dq * pdf * sqt
    dv_dt = s * dq * pdf * v / (2.0 * sqt) - w * q * s * dq * nd1 + w * r * k * dr * nd2

    expired_delta = np.where(w * (s - k) > 0, w, np.where(s == k, 0.5 * w, 0.0))
    zero = np.zeros_like(price)
    return OptionGreeks(
        price=np.asarray(np.where(live, price, np.maximum(w * (s - k), 0.0)), dtype=np.float64),
        delta=np.asarray(np.where(live, delta, expired_delta), dtype=np.float64),
        gamma=np.asarray(np.where(live, gamma, zero), dtype=np.float64),
        vega=np.asarray(np.where(live, 0.01 * vega, zero), dtype=np.float64),
        theta=np.asarray(np.where(live, -dv_dt / DAYS_PER_YEAR, zero), dtype=np.float64),
    )


def option_price(
    kind: OptionKind | Any,
    spot: Any,
    strike: Any,
    vol: Any,
    years: Any,
    rate: Any = 0.0,
    div: Any = 0.0,
    model: OptionModel | Any = "bs",
) -> FloatOrArray:
    """Value of European options per unit of underlying (a float for scalar input, else an array).

    Arguments as :func:`option_greeks`.
    """
    p = option_greeks(kind, spot, strike, vol, years, rate, div, model).price
    return p.item() if p.ndim == 0 else p


def option_exposure(
    kind: OptionKind | Any,
    contracts: Any,
    multiplier: Any,
    spot: Any,
    strike: Any,
    vol: Any,
    years: Any,
    nav: Any,
    rate: Any = 0.0,
    div: Any = 0.0,
    model: OptionModel | Any = "bs",
    vol_beta: Any = 1.0,
) -> OptionExposure:
    """A holding of ``contracts`` options (long > 0, short < 0) in book units.

    delta = n·m·Δ·S/nav, vol = n·m·vega·vol_beta/nav (per +1 point of the vol factor),
    gamma = ½·n·m·Γ·(0.01·S)²/nav, premium = n·m·price, theta = n·m·theta (per day),
    with ``n`` contracts of multiplier ``m`` (> 0) and ``nav`` > 0.
    """
    g = option_greeks(kind, spot, strike, vol, years, rate, div, model)
    n = _finite("contracts", contracts)
    m = _finite("multiplier", multiplier)
    if (m <= 0).any():
        raise InputError(f"must be > 0, got {m[m <= 0].ravel()[0]:g}", where="multiplier")
    a = _finite("nav", nav)
    if (a <= 0).any():
        raise InputError(f"must be > 0, got {a[a <= 0].ravel()[0]:g}", where="nav")
    b = _finite("vol_beta", vol_beta)
    s = np.asarray(spot, dtype=np.float64)
    units = n * m
    return OptionExposure(
        delta=np.asarray(units * g.delta * s / a, dtype=np.float64),
        vol=np.asarray(units * g.vega * b / a, dtype=np.float64),
        gamma=np.asarray(0.5 * units * g.gamma * (0.01 * s) ** 2 / a, dtype=np.float64),
        premium=np.asarray(units * g.price, dtype=np.float64),
        theta=np.asarray(units * g.theta, dtype=np.float64),
    )


def option_scenario(
    kind: OptionKind | Any,
    contracts: float,
    multiplier: float,
    spot: float,
    strike: float,
    vol: float,
    years: float,
    spot_moves: Any,
    vol_moves: Any,
    rate: float = 0.0,
    div: float = 0.0,
    model: OptionModel | Any = "bs",
    horizon_days: float = 0.0,
) -> Float64Array:
    """P&L grid of one option holding by full revaluation (rows: spot moves, columns: vol moves).

    Cell (i, j) = n·m·(V(S·(1 + m_i), σ + v_j/100, T − h/365) − V(S, σ, T)) with spot moves
    ``m_i`` relative (−0.2 = −20%) and vol moves ``v_j`` in vol points (+10 = σ + 0.10); a
    horizon of ``h`` calendar days at or past expiry values the option at intrinsic. A vol
    move that takes σ to 0 or below, or a spot move of −100% or below, is an
    :class:`InputError` naming that move.
    """
    m_s = np.atleast_1d(_finite("spot_moves", spot_moves)).ravel()
    m_v = np.atleast_1d(_finite("vol_moves", vol_moves)).ravel()
    h = float(_finite("horizon_days", horizon_days))
    if h < 0:
        raise InputError(f"must be ≥ 0, got {h:g}", where="horizon_days")
    base = option_greeks(kind, spot, strike, vol, years, rate, div, model).price
    for v in m_v:
        if vol + v / 100.0 <= 0:
            raise InputError(
                f"vol move {v:+g} points takes vol {vol:g} to {vol + v / 100.0:.4g}; it must stay > 0",
                where="vol_moves",
            )
    for m in m_s:
        if m <= -1.0:
            raise InputError(f"spot move {m:g} takes spot to {spot * (1 + m):g}; it must stay > −1", where="spot_moves")
    t_h = max(float(years) - h / DAYS_PER_YEAR, 0.0)
    s_grid = spot * (1.0 + m_s)[:, None]
    v_grid = vol + m_v[None, :] / 100.0
    after = option_greeks(kind, s_grid, strike, v_grid, t_h, rate, div, model).price
    return np.asarray(float(contracts) * float(multiplier) * (after - base), dtype=np.float64)


def put_price(spot: Any, strike: Any, vol: Any, years: Any, rate: float = 0.0, div: float = 0.0) -> FloatOrArray:
    """Black–Scholes European put value per unit of underlying (same currency as spot).

    ``option_price("put", ...)`` with model ``"bs"``: multiply by the contract multiplier
    (100 for SPX/SPY options) for the premium of one contract.
    """
    return option_price("put", spot, strike, vol, years, rate, div, "bs")


def put_delta(spot: Any, strike: Any, vol: Any, years: Any, rate: float = 0.0, div: float = 0.0) -> FloatOrArray:
    """Black–Scholes put delta, −e^{−qT}·N(−d1) ∈ [−1, 0] (per unit of underlying).

    A long put carries ``Δ × spot × multiplier`` of underlying exposure per
    contract (negative: it gains when the underlying falls).
    """
    d = option_greeks("put", spot, strike, vol, years, rate, div, "bs").delta
    return d.item() if d.ndim == 0 else d
