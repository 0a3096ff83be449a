"""Option worksheet functions (docs/methodology/options.md): OPTION_GREEKS, OPTION_EXPOSURE, OPTION_SCENARIO.

In OPTION_GREEKS and OPTION_EXPOSURE every argument is a cell or a column (or row) with
one option per item; single cells broadcast against the columns and the result has one
row per option. OPTION_SCENARIO takes one option and returns a grid of P&L, one row per
spot move and one column per vol move.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xlhedge.engine import coerce
from xlhedge.engine import options as _opt
from xlhedge.engine._typing import OPTION_KINDS, OPTION_MODELS, Float64Array1D, Float64Array2D
from xlhedge.engine.errors import InputError
from xlhedge.functions.registry import worksheet_function
from xlhedge.functions.sizing import num

__all__ = ["OPTION_GREEKS", "OPTION_EXPOSURE", "OPTION_SCENARIO", "option_columns"]

_COMMON_DOCS = {
    "kind": '"call" or "put"; a cell or a column with one option per row.',
    "spot": "Price of the underlying (> 0); for model black76 the futures price (VIX future, ES, CL).",
    "strike": "Strike (> 0), same currency as spot.",
    "vol": "Implied volatility, annual decimal (0.18 = 18%), > 0.",
    "years": "Time to expiry in years (≥ 0; 0 = at expiry: intrinsic value).",
    "rate": "Risk-free rate, annual continuously compounded decimal (default 0).",
    "div": "Dividend yield, annual continuously compounded decimal (default 0; ignored by black76).",
    "model": '"bs" (Black–Scholes–Merton on spot, default) or "black76" (Black-76 on a futures price).',
}


def _vector(x: Any, name: str, default: float | None = None) -> Float64Array1D:
    """A cell, a column or a row as a 1-D float array (a 2-D block is an error)."""
    a = num(x, name, default)
    if a.shape[0] > 1 and a.shape[1] > 1:
        raise InputError(f"is a {a.shape[0]}×{a.shape[1]} block; give one cell or one column", where=name)
    return a.ravel()


def _texts(x: Any, name: str, choices: tuple[str, ...], default: str | None) -> list[str]:
    """Text options (one per item), each checked against ``choices``; blank = ``default``."""
    if coerce.is_omitted(x):
        if default is None:
            raise InputError(f"is required; one of {', '.join(choices)}", where=name)
        return [default]
    g = coerce.grid(x, name)
    if g.shape[0] > 1 and g.shape[1] > 1:
        raise InputError(f"is a {g.shape[0]}×{g.shape[1]} block; give one cell or one column", where=name)
    out = []
    for i, v in enumerate(g.ravel()):
        where = name if g.size == 1 else f"{name} item {i + 1}"
        out.append(coerce.choice(v, where, choices, default=default))
    return out


def option_columns(**columns: Any) -> list[Any]:
    """Broadcast per-option columns (length n or 1) to one length, naming a misfit."""
    lengths = {k: len(v) for k, v in columns.items()}
    n = max(lengths.values())
    bad = {k: m for k, m in lengths.items() if m not in (1, n)}
    if bad:
        desc = ", ".join(f"{k} {m}" for k, m in lengths.items() if m > 1)
        raise InputError(f"columns of different lengths cannot be combined: {desc}", where="arguments")
    out: list[Any] = []
    for v in columns.values():
        if isinstance(v, list):
            out.append(np.array(v * n if len(v) == 1 else v, dtype=object))
        else:
            out.append(np.broadcast_to(v, (n,)))
    return out


@worksheet_function(
    "OPTION_GREEKS",
    "Row [price, delta, gamma, vega per vol point, theta per day] of European options per unit of "
    "underlying, one row per option (docs/methodology/options.md).",
    docs=_COMMON_DOCS,
    ranges=("kind", "spot", "strike", "vol", "years", "rate", "div", "model"),
)
def OPTION_GREEKS(
    kind: Any, spot: Any, strike: Any, vol: Any, years: Any, rate: Any = 0.0, div: Any = 0.0, model: Any = "bs"
) -> Float64Array2D:
    """delta = ∂V/∂S, gamma = ∂²V/∂S², vega = 0.01·∂V/∂σ, theta = −(∂V/∂T)/365."""
    k, s, x, v, t, r, q, m = option_columns(
        kind=_texts(kind, "kind", OPTION_KINDS, None),
        spot=_vector(spot, "spot"),
        strike=_vector(strike, "strike"),
        vol=_vector(vol, "vol"),
        years=_vector(years, "years"),
        rate=_vector(rate, "rate", 0.0),
        div=_vector(div, "div", 0.0),
        model=_texts(model, "model", OPTION_MODELS, "bs"),
    )
    g = _opt.option_greeks(k, s, x, v, t, r, q, m)
    return np.column_stack([g.price, g.delta, g.gamma, g.vega, g.theta])


@worksheet_function(
    "OPTION_EXPOSURE",
    "Row [delta exposure, vol exposure, gamma exposure, premium, theta per day] of option holdings, "
    "one row per option (docs/methodology/options.md).",
    docs={
        "kind": _COMMON_DOCS["kind"],
        "contracts": "Number of contracts held (long > 0, short < 0).",
        "multiplier": "Units of underlying per contract (> 0): 100 for SPX, SPY and VIX options.",
        "spot": _COMMON_DOCS["spot"],
        "strike": _COMMON_DOCS["strike"],
        "vol": _COMMON_DOCS["vol"],
        "years": _COMMON_DOCS["years"],
        "nav": "NAV in the currency of record (> 0).",
        "rate": _COMMON_DOCS["rate"],
        "div": _COMMON_DOCS["div"],
        "model": _COMMON_DOCS["model"],
        "vol_beta": "Vol-factor points per point of the option's implied vol (default 1: SPX options against VIX).",
    },
    ranges=("kind", "contracts", "multiplier", "spot", "strike", "vol", "years", "rate", "div", "model", "vol_beta"),
)
def OPTION_EXPOSURE(
    kind: Any,
    contracts: Any,
    multiplier: Any,
    spot: Any,
    strike: Any,
    vol: Any,
    years: Any,
    nav: Any,
    rate: Any = 0.0,
    div: Any = 0.0,
    model: Any = "bs",
    vol_beta: Any = 1.0,
) -> Float64Array2D:
    """Delta exposure n·m·Δ·S/nav, vol exposure n·m·vega·β/nav, gamma exposure ½·n·m·Γ·(0.01·S)²/nav
    (NAV fractions), premium n·m·V and theta n·m·θ (currency, per day)."""
    a = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    k, n, mu, s, x, v, t, r, q, m, b = option_columns(
        kind=_texts(kind, "kind", OPTION_KINDS, None),
        contracts=_vector(contracts, "contracts"),
        multiplier=_vector(multiplier, "multiplier"),
        spot=_vector(spot, "spot"),
        strike=_vector(strike, "strike"),
        vol=_vector(vol, "vol"),
        years=_vector(years, "years"),
        rate=_vector(rate, "rate", 0.0),
        div=_vector(div, "div", 0.0),
        model=_texts(model, "model", OPTION_MODELS, "bs"),
        vol_beta=_vector(vol_beta, "vol_beta", 1.0),
    )
    e = _opt.option_exposure(k, n, mu, s, x, v, t, a, r, q, m, b)
    return np.column_stack([e.delta, e.vol, e.gamma, e.premium, e.theta])


@worksheet_function(
    "OPTION_SCENARIO",
    "P&L of one option holding by full revaluation: one row per spot move, one column per vol move "
    "(docs/methodology/options.md).",
    docs={
        "kind": '"call" or "put" (one option).',
        "contracts": "Number of contracts held (long > 0, short < 0).",
        "multiplier": "Units of underlying per contract (> 0): 100 for SPX, SPY and VIX options.",
        "spot": _COMMON_DOCS["spot"],
        "strike": _COMMON_DOCS["strike"],
        "vol": _COMMON_DOCS["vol"],
        "years": _COMMON_DOCS["years"],
        "spot_moves": "A column of relative spot moves (−0.2 = −20%), one result row each.",
        "vol_moves": "A row of vol moves in vol points (+10 = σ + 0.10), one result column each.",
        "rate": _COMMON_DOCS["rate"],
        "div": _COMMON_DOCS["div"],
        "model": _COMMON_DOCS["model"],
        "horizon_days": "Calendar days that pass before the moves (default 0); at or past expiry the option "
        "is worth its intrinsic value.",
    },
    ranges=("spot_moves", "vol_moves"),
)
def OPTION_SCENARIO(
    kind: Any,
    contracts: Any,
    multiplier: Any,
    spot: Any,
    strike: Any,
    vol: Any,
    years: Any,
    spot_moves: Any,
    vol_moves: Any,
    rate: Any = 0.0,
    div: Any = 0.0,
    model: Any = "bs",
    horizon_days: Any = 0.0,
) -> Float64Array2D:
    """contracts·multiplier·(V(S·(1+m), σ + v/100, T − h/365) − V(S, σ, T)) in currency."""
    k = coerce.choice(kind, "kind", OPTION_KINDS)
    mdl = coerce.choice(model, "model", OPTION_MODELS, default="bs")
    mult = coerce.scalar(multiplier, "multiplier", minimum=0, strict_min=True)
    grid = _opt.option_scenario(
        k,
        coerce.scalar(contracts, "contracts"),
        mult,
        coerce.scalar(spot, "spot"),
        coerce.scalar(strike, "strike"),
        coerce.scalar(vol, "vol"),
        coerce.scalar(years, "years"),
        num(spot_moves, "spot_moves").ravel(),
        num(vol_moves, "vol_moves").ravel(),
        coerce.scalar(rate, "rate", default=0.0),
        coerce.scalar(div, "div", default=0.0),
        mdl,
        coerce.scalar(horizon_days, "horizon_days", default=0.0),
    )
    return grid
