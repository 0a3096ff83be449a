"""Inputs of the hedge optimiser in currency per unit factor move (docs/methodology/hedge-optimizer.md).

Units of each factor move (the same as the scenario shocks, :data:`xlhedge.engine.scenarios.FACTOR_SHOCKS`):
equity = SPX return (decimal), duration = change of yield in basis points, usd = DXY return,
commodity = commodity-composite return, crypto = BTC return, vol = VIX points, a tilt = the
sector's return relative to SPX. Every figure is signed: a positive exposure gains when the factor
rises.

* Book exposure per unit move: ``E_f × NAV × scale_f`` (scale −0.0001 for duration: a long-duration
  book loses when yields rise; 0.01 for vol: the vol exposure is % of NAV per point).
* Loadings of one long contract (:func:`candidate_loadings`): ``price × multiplier × beta`` on the
  instrument's factor; for rates ``−price × multiplier × D × 0.0001`` per bp; a sector ETF also loads
  ``price × multiplier`` on its tilt; a currency future loads ``−price × multiplier`` on the DXY
  factor (long EUR is short USD, taken one for one: illustrative); an option loads its delta
  ``Δ × S × multiplier`` on its underlying's factor and, for an equity option, its vega
  ``ν × multiplier`` (per vol point) on the vol factor (implied vol taken to move point for point
  with VIX); a VIX option loads ``Δ × multiplier`` per VIX point (Black-76 on the VIX future).
  Delta, vega and premium are the catalogue's own per unit (:func:`xlhedge.engine.instruments.option_unit`:
  its option type, model and second strike, blank = a Black–Scholes put), as in the rule-of-thumb sizing.
* Costs per contract over the horizon (:func:`candidate_costs`): an option's premium, a perpetual's
  |funding rate| × periods per day × days × notional (the sign of the hedge is not known in
  advance, so funding is charged either way), 0 for futures and ETFs (edit them on the sheet).
* Illustrative vols and correlations (:func:`illustrative_vols`, :func:`illustrative_correlations`):
  the typical SPX correlations of docs/methodology/estimation.md turned to factor moves (a yield
  rises when TLT falls, so ρ(SPX, yield) = −ρ(SPX, TLT)); two other factors correlate through SPX
  only (ρᵢⱼ = ρᵢ·ρⱼ, a one-factor matrix, always positive semi-definite); tilts are uncorrelated.
  Illustrative: recompute against current data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import instruments as _inst
from xlhedge.engine._typing import CORE_FACTORS, Float64Array1D, Float64Array2D
from xlhedge.engine.errors import InputError
from xlhedge.engine.factors import BASIS_POINT, VOL_POINT

__all__ = [
    "FACTOR_MOVES",
    "TILT_MOVE",
    "ILLUSTRATIVE_NOTE",
    "DEFAULT_CANDIDATES",
    "DEFAULT_HORIZON_DAYS",
    "move_scale",
    "move_unit",
    "exposure_per_move",
    "tilt_instrument",
    "default_candidates",
    "candidate_loadings",
    "candidate_costs",
    "candidate_bounds",
    "SIZE_LIMIT",
    "illustrative_vols",
    "illustrative_correlations",
]

#: Unit, book-exposure scale and illustrative annual vols (normal, stress) of each core factor's move.
FACTOR_MOVES = pd.DataFrame(
    {
        "unit": ["SPX return", "yield change (bp)", "DXY return", "commodity return", "BTC return", "VIX points"],
        "scale": [1.0, -BASIS_POINT, 1.0, 1.0, 1.0, VOL_POINT],
        "vol_normal": [0.16, 90.0, 0.07, 0.25, 0.60, 20.0],
        "vol_stress": [0.30, 140.0, 0.10, 0.45, 0.90, 55.0],
        "rho_spx_normal": [1.0, 0.3, -0.4, 0.1, 0.4, -0.7],
        "rho_spx_stress": [1.0, -0.4, 0.2, -0.2, 0.7, -0.8],
    },
    index=pd.Index(list(CORE_FACTORS), name="factor"),
)
#: A tilt's move (sector return relative to SPX): scale 1, illustrative vols, uncorrelated.
TILT_MOVE = {"unit": "sector return relative to SPX", "scale": 1.0, "vol_normal": 0.12, "vol_stress": 0.20}
ILLUSTRATIVE_NOTE = (
    "Illustrative vols and correlations (typical SPX correlations of docs/methodology/estimation.md, "
    "other pairs through SPX): recompute against current data."
)
#: The optimiser's default candidates; the sector ETF of the book's largest tilt is added to them.
DEFAULT_CANDIDATES: tuple[str, ...] = (
    "ES",
    "MES",
    "TLT",
    "ZN",
    "UUP",
    "6E",
    "CL",
    "BTCUSDT",
    "SPX_PUT",
    "VIX_CALL",
)
#: Default horizon of the costs and the covariances, trading days (one month).
DEFAULT_HORIZON_DAYS = 21


def move_scale(factor: str) -> float:
    """Book exposure (× NAV) → P&L per unit move: −0.0001 for duration, 0.01 for vol, 1 otherwise."""
    return float(FACTOR_MOVES["scale"].get(factor, TILT_MOVE["scale"]))


def move_unit(factor: str) -> str:
    """The unit of a factor's move: ``SPX return``, ``yield change (bp)``, ..., ``VIX points``; a tilt's
    is the sector's return relative to SPX."""
    return str(FACTOR_MOVES["unit"].get(factor, TILT_MOVE["unit"]))


def exposure_per_move(exposures: Mapping[str, float] | pd.Series, nav: float) -> pd.Series:
    """The book's P&L per unit move of each factor, ``E_f × NAV × scale_f`` (currency)."""
    e = pd.Series(exposures, dtype=np.float64)
    return pd.Series([float(v) * nav * move_scale(str(f)) for f, v in e.items()], index=e.index, name="per_move")


def tilt_instrument(tilt: str, instruments: Any = None) -> str | None:
    """The first ETF of the catalogue whose tilt is ``tilt`` (e.g. energy → XLE), else None."""
    for t, inst in _inst.catalogue(instruments).items():
        if inst.tilt == tilt and inst.kind == "etf" and inst.factor == "equity":
            return t
    return None


def default_candidates(exposures: Mapping[str, float] | pd.Series, instruments: Any = None) -> list[str]:
    """:data:`DEFAULT_CANDIDATES` present in the catalogue, plus the sector ETF of the largest tilt."""
    cat = _inst.catalogue(instruments)
    out = [t for t in DEFAULT_CANDIDATES if t in cat]
    e = pd.Series(exposures, dtype=np.float64)
    tilts = e[[f for f in e.index if f not in CORE_FACTORS]]
    tilts = tilts[tilts.abs() > 0]
    if len(tilts):
        etf = tilt_instrument(str(tilts.abs().idxmax()), cat)
        if etf and etf not in out:
            out.append(etf)
    return out


def candidate_loadings(
    tickers: Sequence[str],
    factors: Sequence[str],
    instruments: Any = None,
    rate: float = 0.0,
    div: float = 0.0,
) -> pd.DataFrame:
    """n × m: P&L of one long contract of each candidate per unit move of each factor (currency).

    See the module docstring for each kind of instrument; a factor the instrument does not load
    on gets 0. Unknown tickers raise :class:`InputError` listing the valid ones.
    """
    fl = [str(f) for f in factors]
    out = pd.DataFrame(0.0, index=pd.Index(fl, name="factor"), columns=[str(t).strip().upper() for t in tickers])
    for t in out.columns:
        inst = _inst.lookup(t, instruments)
        col: dict[str, float] = {}
        uv = _inst.unit_value(inst)
        if inst.kind == "option":
            _, delta, vega = _inst.option_unit(inst, rate=rate, div=div)
            if inst.factor == "vol":
                col["vol"] = delta * inst.multiplier
            else:
                col[inst.factor] = delta * inst.price * inst.multiplier * (inst.beta or 1.0)
                if inst.factor == "equity":
                    col["vol"] = vega * inst.multiplier
        elif inst.factor == "duration":
            col["duration"] = -uv * inst.beta * BASIS_POINT
        elif inst.factor == "fx":
            col["usd"] = -uv
        else:
            col[inst.factor] = uv * inst.beta
            if inst.tilt and inst.factor == "equity":
                col[inst.tilt] = uv
        for f, v in col.items():
            if f in out.index:
                out.loc[f, t] = v
    return out


def candidate_costs(
    tickers: Iterable[str],
    instruments: Any = None,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
    rate: float = 0.0,
    div: float = 0.0,
    funding_periods_per_day: float = 3.0,
) -> pd.Series:
    """Cost per contract over the horizon (currency, ≥ 0): premium, funding carry, 0 otherwise."""
    if not (np.isfinite(horizon_days) and horizon_days >= 0):
        raise InputError(f"must be ≥ 0, got {horizon_days:g}", where="horizon_days")
    out = {}
    for t in tickers:
        inst = _inst.lookup(t, instruments)
        if inst.kind == "option":
            cost = _inst.option_unit(inst, rate=rate, div=div)[0] * inst.multiplier
        elif inst.kind in ("perp_linear", "perp_inverse"):
            cost = abs(inst.funding_rate or 0.0) * funding_periods_per_day * horizon_days * _inst.unit_value(inst)
        else:
            cost = 0.0
        out[str(t).strip().upper()] = cost
    return pd.Series(out, dtype=np.float64, name="cost")


#: Default size limit: a candidate's own normal-regime σ may reach this multiple of the book's.
SIZE_LIMIT = 2.0


def candidate_bounds(
    tickers: Iterable[str],
    instruments: Any = None,
    loadings: pd.DataFrame | None = None,
    cov: Any = None,
    book_sigma: float | None = None,
    size_limit: float = SIZE_LIMIT,
) -> tuple[Float64Array1D, Float64Array1D]:
    """(lower, upper) contracts: options are bought only (lower 0); with ``loadings``, ``cov`` and
    ``book_sigma``, |contracts| ≤ ⌈size_limit × book σ / σ of one contract⌉ (a hedge leg need not be
    much riskier than the book; the limit keeps collinear pairs such as TLT and ZN from offsetting
    each other in ever larger sizes). Both are inputs the user can change."""
    t = list(tickers)
    lo = np.array([0.0 if _inst.lookup(x, instruments).kind == "option" else -np.inf for x in t])
    hi = np.full(len(t), np.inf)
    if loadings is not None and cov is not None and book_sigma is not None and book_sigma > 0:
        s = np.asarray(cov, dtype=np.float64)
        for j, x in enumerate(t):
            a = loadings[str(x).strip().upper()].to_numpy(dtype=np.float64)
            one = float(np.sqrt(max(a @ s @ a, 0.0)))
            if one > 0:
                cap = float(np.ceil(size_limit * book_sigma / one))
                hi[j] = cap
                lo[j] = max(lo[j], -cap)
    return lo, hi


def illustrative_vols(factors: Sequence[str], regime: str = "normal") -> Float64Array1D:
    """Annual vols of the factor moves, illustrative (:data:`FACTOR_MOVES`, :data:`TILT_MOVE`)."""
    key = f"vol_{regime}"
    return np.array([float(FACTOR_MOVES[key].get(f, TILT_MOVE[key])) for f in factors])


def illustrative_correlations(factors: Sequence[str], regime: str = "normal") -> Float64Array2D:
    """Factor-move correlations, illustrative: SPX's typical ones, other pairs through SPX (ρᵢ·ρⱼ)."""
    key = f"rho_spx_{regime}"
    rho = np.array([float(FACTOR_MOVES[key].get(f, 0.0)) for f in factors])
    c = np.outer(rho, rho)
    np.fill_diagonal(c, 1.0)
    return np.asarray(c, dtype=np.float64)
