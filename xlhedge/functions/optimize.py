"""Hedge-optimiser worksheet functions (docs/methodology/hedge-optimizer.md): FACTOR_COVARIANCE,
HEDGE_OPTIMIZE, HEDGE_RISK, and the builders of their inputs from a book and the Instruments sheet:
EXPOSURE_PER_MOVE, HEDGE_LOADINGS, HEDGE_COSTS, HEDGE_LIMITS.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xlhedge.engine import candidates as cand
from xlhedge.engine import coerce
from xlhedge.engine import instruments as _inst
from xlhedge.engine._typing import Float64Array1D, Float64Array2D
from xlhedge.engine.covariance import factor_covariance
from xlhedge.engine.errors import InputError
from xlhedge.engine.optimize import hedge_risk, optimize_hedge
from xlhedge.engine.schema import factor_key
from xlhedge.functions.registry import worksheet_function

is_omitted = coerce.is_omitted


def _flag(x: Any, name: str, default: bool) -> bool:
    if is_omitted(x):
        return default
    a = coerce.grid(x, name)
    if a.size != 1:
        raise InputError("expected a single TRUE or FALSE", where=name)
    v = a[0, 0]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    raise InputError(f"expected TRUE or FALSE, found {v!r}", where=name)


def _matrix(x: Any, name: str) -> Float64Array2D:
    a = coerce.to_float(x, name, blank=np.nan)
    if np.isnan(a).any():
        i, j = (int(k[0]) for k in np.nonzero(np.isnan(a)))
        raise InputError(f"row {i + 1}, column {j + 1} is blank; expected a number", where=name)
    return a


def _loadings(x: Any) -> tuple[Float64Array2D, list[str] | None]:
    """The loadings and the names of an optional header row (a first row holding text)."""
    g = coerce.grid(x, "loadings")
    first = g[0]
    if g.shape[0] > 1 and any(isinstance(v, str) and v.strip() and not coerce.is_error_value(v) for v in first):
        names = [str(v).strip() if not coerce.is_blank(v) else f"instrument {j + 1}" for j, v in enumerate(first)]
        return _matrix(g[1:], "loadings"), names
    return _matrix(g, "loadings"), None


def _row(x: Any, name: str, m: int, blank: float) -> Float64Array1D | None:
    if is_omitted(x):
        return None
    v = coerce.vector(x, name, blank=blank)
    if v.size != m:
        raise InputError(f"has {v.size} values, expected {m} (one per instrument, the columns of loadings)", where=name)
    return v


@worksheet_function(
    "FACTOR_COVARIANCE",
    "n×n covariance of factor moves over a horizon: ρᵢⱼ·σᵢ·σⱼ·horizon_days/days_per_year "
    "(docs/methodology/hedge-optimizer.md).",
    docs={
        "vols": "A row or column of n annualised vols, each in its factor's move unit (SPX return, bp of yield, "
        "VIX points...).",
        "correlations": "n×n correlation matrix: symmetric, within [−1, 1], 1 on the diagonal, PSD (each to 1e-9).",
        "horizon_days": "Horizon in trading days (> 0), default 1.",
        "days_per_year": "Trading days per year (> 0), default 252.",
        "repair": "TRUE: a non-PSD matrix is replaced by the nearest correlation matrix (Higham 2002); default FALSE.",
    },
    ranges=("vols", "correlations"),
)
def FACTOR_COVARIANCE(
    vols: Any, correlations: Any, horizon_days: Any = 1.0, days_per_year: Any = 252.0, repair: Any = False
) -> Any:
    """An error names the first offending correlation entry by its row and column."""
    s = coerce.vector(vols, "vols", blank=np.nan)
    rho = coerce.to_float(correlations, "correlations", blank=np.nan)
    h = coerce.scalar(horizon_days, "horizon_days", default=1.0, minimum=0, strict_min=True)
    d = coerce.scalar(days_per_year, "days_per_year", default=252.0, minimum=0, strict_min=True)
    return factor_covariance(s, rho, h, d, _flag(repair, "repair", False))


@worksheet_function(
    "HEDGE_OPTIMIZE",
    "Contracts per instrument minimising max(σ normal, σ stress) of the residual + cost_weight × cost, within "
    "the budget and bounds; then σ normal, σ stress and the total cost (one column of m + 3).",
    docs={
        "exposures": "A column of n values: the book's P&L per unit move of each factor (currency).",
        "loadings": "n × m: P&L per contract per unit move of each factor (currency); an optional header row "
        "of instrument names.",
        "cov_normal": "n × n covariance of the factor moves in the normal regime (FACTOR_COVARIANCE).",
        "cov_stress": "n × n covariance in the stress regime; blank = normal only.",
        "costs": "A row of m costs per contract over the horizon (≥ 0), charged on |contracts|; blank = 0.",
        "budget": "Most the hedge may cost, Σ cost × |contracts|; blank = no limit.",
        "lower": "A row of m lower bounds in contracts (blank cell = none; 0 = long only).",
        "upper": "A row of m upper bounds in contracts (blank cell = none).",
        "integer": "TRUE (default): whole contracts; FALSE: the continuous optimum.",
        "cost_weight": "Weight w ≥ 0 of the cost in the objective (default 0).",
    },
    ranges=("exposures", "loadings", "cov_normal", "cov_stress", "costs", "lower", "upper"),
)
def HEDGE_OPTIMIZE(
    exposures: Any,
    loadings: Any,
    cov_normal: Any,
    cov_stress: Any = None,
    costs: Any = None,
    budget: Any = None,
    lower: Any = None,
    upper: Any = None,
    integer: Any = True,
    cost_weight: Any = 0.0,
) -> Any:
    """Ties (ES and MES) go to the smallest total cost, then the smallest Σ|contracts|, then the smallest norm."""
    e = coerce.vector(exposures, "exposures", blank=np.nan)
    a, names = _loadings(loadings)
    m = a.shape[1]
    cn = _matrix(cov_normal, "cov_normal")
    cs = None if is_omitted(cov_stress) else _matrix(cov_stress, "cov_stress")
    c = _row(costs, "costs", m, 0.0)
    b = coerce.optional_scalar(budget, "budget", minimum=0)
    lo = _row(lower, "lower", m, np.nan)
    hi = _row(upper, "upper", m, np.nan)
    w = coerce.scalar(cost_weight, "cost_weight", default=0.0, minimum=0)
    opt = optimize_hedge(e, a, cn, cs, c, b, lo, hi, _flag(integer, "integer", True), w, names=names)
    return opt.column()


@worksheet_function(
    "HEDGE_RISK",
    "Residual σ normal, σ stress and total cost of a given hedge (e.g. the rule of thumb), one column of 3.",
    docs={
        "exposures": "A column of n values: the book's P&L per unit move of each factor (currency).",
        "loadings": "n × m loadings (optional header row), as HEDGE_OPTIMIZE.",
        "cov_normal": "n × n covariance, normal regime.",
        "cov_stress": "n × n covariance, stress regime; blank = normal only.",
        "contracts": "A row or column of m contracts (long > 0, short < 0); blank = 0.",
        "costs": "A row of m costs per contract (≥ 0); blank = 0.",
    },
    ranges=("exposures", "loadings", "cov_normal", "cov_stress", "contracts", "costs"),
)
def HEDGE_RISK(
    exposures: Any, loadings: Any, cov_normal: Any, cov_stress: Any = None, contracts: Any = None, costs: Any = None
) -> Any:
    e = coerce.vector(exposures, "exposures", blank=np.nan)
    a, _ = _loadings(loadings)
    m = a.shape[1]
    cn = _matrix(cov_normal, "cov_normal")
    cs = None if is_omitted(cov_stress) else _matrix(cov_stress, "cov_stress")
    x = _row(contracts, "contracts", m, 0.0)
    r = hedge_risk(e, a, cn, cs, x, _row(costs, "costs", m, 0.0))
    return np.array([r.sigma_normal, r.sigma_stress, r.total_cost])


def _factors(x: Any) -> list[str]:
    return [factor_key(f) if f else "" for f in coerce.text_vector(x, "factors")]


def _tickers(x: Any) -> list[str]:
    return [t for t in coerce.text_vector(x, "tickers")]


@worksheet_function(
    "EXPOSURE_PER_MOVE",
    "The book's P&L per unit move of each factor: exposure × NAV × scale (−0.0001 duration, 0.01 vol, else 1).",
    docs={
        "exposures": "A column of factor exposures (× NAV), e.g. the Exposures sheet's.",
        "factors": "The factor labels beside them (core factors or tilts).",
        "nav": "NAV in the currency of record (> 0).",
    },
    ranges=("exposures", "factors"),
)
def EXPOSURE_PER_MOVE(exposures: Any, factors: Any, nav: Any) -> Any:
    e = coerce.vector(exposures, "exposures")
    f = _factors(factors)
    if len(f) != e.size:
        raise InputError(f"has {len(f)} labels for {e.size} exposures", where="factors")
    n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    return np.array([v * n * cand.move_scale(k) for v, k in zip(e, f)])


@worksheet_function(
    "HEDGE_LOADINGS",
    "P&L of one long contract of each candidate per unit move of each factor (currency), with a header row of "
    "tickers (docs/methodology/hedge-optimizer.md).",
    docs={
        "tickers": "A row of candidate tickers from the Instruments sheet (blank cells are skipped).",
        "factors": "A column of factor labels (core factors or tilts).",
        "instruments": "The Instruments sheet's table (InstrumentTable); blank = the shipped catalogue.",
        "rate": "Risk-free rate for option Greeks, annual decimal (default 0).",
        "div": "Dividend yield for option Greeks, annual decimal (default 0).",
    },
    ranges=("tickers", "factors", "instruments"),
)
def HEDGE_LOADINGS(tickers: Any, factors: Any, instruments: Any = None, rate: Any = 0.0, div: Any = 0.0) -> Any:
    cat = None if is_omitted(instruments) else _inst.from_grid(instruments)
    all_t = _tickers(tickers)
    t = [x for x in all_t if x]
    if not t:
        raise InputError("names no instrument", where="tickers")
    r = coerce.scalar(rate, "rate", default=0.0)
    q = coerce.scalar(div, "div", default=0.0)
    f = _factors(factors)
    df = cand.candidate_loadings(t, f, cat, r, q)
    out = np.empty((len(f) + 1, len(all_t)), dtype=object)
    for j, x in enumerate(all_t):  # a blank ticker is a column of zeros (it never trades)
        out[0, j] = x.upper()
        out[1:, j] = df[x.upper()].to_numpy() if x else 0.0
    return out


@worksheet_function(
    "HEDGE_COSTS",
    "Cost per contract over the horizon (≥ 0): option premium, perpetual funding carry, 0 for futures and ETFs.",
    docs={
        "tickers": "A row of candidate tickers (blank cells are skipped).",
        "instruments": "The Instruments sheet's table; blank = the shipped catalogue.",
        "horizon_days": "Horizon in days for funding carry (default 21).",
        "rate": "Risk-free rate for option prices (default 0).",
        "div": "Dividend yield for option prices (default 0).",
        "funding_per_day": "Funding periods per day (default 3: 8-hourly).",
    },
    ranges=("tickers", "instruments"),
)
def HEDGE_COSTS(
    tickers: Any,
    instruments: Any = None,
    horizon_days: Any = cand.DEFAULT_HORIZON_DAYS,
    rate: Any = 0.0,
    div: Any = 0.0,
    funding_per_day: Any = 3.0,
) -> Any:
    cat = None if is_omitted(instruments) else _inst.from_grid(instruments)
    all_t = _tickers(tickers)
    t = [x for x in all_t if x]
    h = coerce.scalar(horizon_days, "horizon_days", default=cand.DEFAULT_HORIZON_DAYS, minimum=0)
    c = cand.candidate_costs(
        t,
        cat,
        h,
        coerce.scalar(rate, "rate", default=0.0),
        coerce.scalar(div, "div", default=0.0),
        coerce.scalar(funding_per_day, "funding_per_day", default=3.0, minimum=0),
    )
    out = np.array([float(c[x.upper()]) if x else 0.0 for x in all_t])
    return out.reshape(-1, 1) if _vertical(tickers) else out.reshape(1, -1)


def _vertical(x: Any) -> bool:
    g = coerce.grid(x, "tickers")
    return g.shape[0] > 1 and g.shape[1] == 1


@worksheet_function(
    "HEDGE_LIMITS",
    "Default bounds in contracts, two rows (lower, upper): options bought only, and |contracts| ≤ "
    "⌈size_limit × book σ / σ of one contract⌉ in the normal regime.",
    docs={
        "tickers": "A row of candidate tickers.",
        "loadings": "n × m loadings with their header row (HEDGE_LOADINGS).",
        "exposures": "A column of n: the book's P&L per unit move (EXPOSURE_PER_MOVE).",
        "cov_normal": "n × n covariance, normal regime.",
        "instruments": "The Instruments sheet's table; blank = the shipped catalogue.",
        "size_limit": "Multiple of the book's σ one leg may carry (default 2).",
    },
    ranges=("tickers", "loadings", "exposures", "cov_normal", "instruments"),
)
def HEDGE_LIMITS(
    tickers: Any, loadings: Any, exposures: Any, cov_normal: Any, instruments: Any = None, size_limit: Any = 2.0
) -> Any:
    import pandas as pd

    cat = None if is_omitted(instruments) else _inst.from_grid(instruments)
    all_t = [x.upper() for x in _tickers(tickers)]
    a, _ = _loadings(loadings)
    if a.shape[1] != len(all_t):
        raise InputError(f"has {a.shape[1]} columns for {len(all_t)} tickers", where="loadings")
    e = coerce.vector(exposures, "exposures")
    s = _matrix(cov_normal, "cov_normal")
    k = coerce.scalar(size_limit, "size_limit", default=2.0, minimum=0, strict_min=True)
    sigma = float(np.sqrt(max(float(e @ s @ e), 0.0)))
    keep = [j for j, x in enumerate(all_t) if x]
    t = [all_t[j] for j in keep]
    lo_k, hi_k = cand.candidate_bounds(t, cat, pd.DataFrame(a[:, keep], columns=t), s, sigma, k)
    lo, hi = np.zeros(len(all_t)), np.zeros(len(all_t))  # a blank ticker never trades
    lo[keep], hi[keep] = lo_k, hi_k
    out = np.vstack([lo, hi])
    out = np.where(np.isfinite(out), out, np.nan)
    return out.T if _vertical(tickers) else out


@worksheet_function(
    "TILT_ETF",
    "The sector ETF of the Instruments sheet matching the book's largest tilt (by |exposure|); blank if none.",
    docs={
        "exposures": "A column of factor exposures (× NAV).",
        "factors": "The factor labels beside them; tilts are every label that is not a core factor.",
        "instruments": "The Instruments sheet's table; blank = the shipped catalogue.",
    },
    ranges=("exposures", "factors", "instruments"),
)
def TILT_ETF(exposures: Any, factors: Any, instruments: Any = None) -> Any:
    import pandas as pd

    cat = None if is_omitted(instruments) else _inst.from_grid(instruments)
    e = coerce.vector(exposures, "exposures")
    f = _factors(factors)
    if len(f) != e.size:
        raise InputError(f"has {len(f)} labels for {e.size} exposures", where="factors")
    c = cand.default_candidates(pd.Series(e, index=f), cat)
    extra = [x for x in c if x not in cand.DEFAULT_CANDIDATES]
    return extra[0] if extra else ""
