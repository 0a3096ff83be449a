"""Scenario worksheet functions (docs/methodology/scenarios.md): SCENARIO_PNL, REGIME_MOVE, HEDGE_OUTCOMES."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce, scenarios
from xlhedge.engine._typing import CORE_FACTORS, Float64Array2D
from xlhedge.engine.errors import InputError
from xlhedge.engine.perps import CONTRACTS
from xlhedge.functions.registry import worksheet_function
from xlhedge.functions.sizing import broadcast, num, result

_OUTPUTS = ("table", "net", "spot", "hedge", "funding", "hedge_coin")


@worksheet_function(
    "SCENARIO_PNL",
    "Factor-shock P&L per factor and total, one column per book (docs/methodology/scenarios.md).",
    docs={
        "exposures": "Factor exposures E_f (NAV fractions), one row per factor in the core order "
        "(equity, duration, usd, commodity, crypto, vol) or with a first column of "
        "factor names; several columns = several books (unhedged, hedged).",
        "shocks": "One shock per factor row: equity/usd/commodity/crypto as decimal moves "
        "(−0.10), duration in bp of yield (+25), vol in points (+10).",
        "nav": "NAV in the currency of record (> 0).",
    },
    ranges=("exposures", "shocks"),
)
def SCENARIO_PNL(exposures: Any, shocks: Any, nav: Any) -> Float64Array2D:
    """Rows: one per factor, then the total; P&L in currency (duration through DV01)."""
    g = coerce.grid(exposures, "exposures")
    labels = None
    if coerce.label_column(g):
        labels = [s.lower() for s in coerce.text_vector(g[:, :1], "exposures")]
        g = g[:, 1:]
        if g.shape[1] == 0:
            raise InputError("has only a label column", where="exposures")
    e = num(g, "exposures")
    k = e.shape[0]
    if labels is None:
        if k > len(CORE_FACTORS):
            raise InputError(
                f"has {k} rows without factor names; label the rows beyond the {len(CORE_FACTORS)} core factors",
                where="exposures",
            )
        labels = list(CORE_FACTORS[:k])
    s = num(shocks, "shocks").ravel()
    if s.size != k:
        raise InputError(f"has {s.size} values, exposures {k} factor rows", where="shocks")
    n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    df = pd.DataFrame(e, index=labels)
    return scenarios.scenario_pnl(df, s, n).to_numpy()


@worksheet_function(
    "REGIME_MOVE",
    "Regime-consistent factor shocks from an SPX move: ρ·σ_j/σ_SPX·move × per_unit (docs/methodology/scenarios.md).",
    docs={
        "spx_move": "SPX move, decimal (−0.10 = −10%).",
        "spx_vol": "Annual vol of SPX (> 0), same basis as vols.",
        "vols": "Annual vols of the proxies (> 0), one per factor row.",
        "correlations": "Correlation of each proxy with SPX in the regime (normal or stress), in [−1, 1].",
        "per_unit": "Factor shock per unit proxy move (1; TLT→bp: −1/(duration×0.0001)); default 1.",
    },
    ranges=("vols", "correlations", "per_unit"),
)
def REGIME_MOVE(spx_move: Any, spx_vol: Any, vols: Any, correlations: Any, per_unit: Any = 1.0) -> Any:
    """One factor shock per row, in that factor's shock unit."""
    s = coerce.scalar(spx_move, "spx_move")
    sv = coerce.scalar(spx_vol, "spx_vol", minimum=0, strict_min=True)
    v, r, u = broadcast(
        vols=num(vols, "vols"), correlations=num(correlations, "correlations"), per_unit=num(per_unit, "per_unit", 1.0)
    )
    coerce.bounded_array(v, "vols", low=0, low_open=True)
    if (np.abs(r) > 1).any():
        raise InputError(f"must be in [−1, 1], got {r[np.abs(r) > 1][0]:g}", where="correlations")
    return result(r * v / sv * s * u)


@worksheet_function(
    "HEDGE_OUTCOMES",
    "Hedge-ratio outcome table: ratios × price moves → spot, hedge, funding, net P&L (docs/methodology/scenarios.md).",
    docs={
        "spot_qty": "Coin (units) held long, e.g. 5 BTC.",
        "price": "Entry price (> 0).",
        "ratios": "Hedge ratios in [0, 1], a row or column (0.5 = short half).",
        "moves": "Price moves, decimals > −1 (−0.2 = −20%), a row or column.",
        "contract": "linear (default: short ratio × qty coin) or inverse (short ratio×qty×price/face "
        "contracts, coin PnL at the exit price).",
        "funding_rate": "Funding rate per period, decimal; > 0 = the short hedge receives (default 0).",
        "days": "Horizon in days for funding (default 0).",
        "periods_per_day": "Funding periods per day (default 3).",
        "face": "USD face per inverse contract (default 100).",
        "output": "table (default: rows ratio × move, columns ratio, move, spot, hedge, funding, "
        "net) or net / spot / hedge / funding / hedge_coin (grid: rows ratios, columns "
        "moves; hedge_coin = inverse hedge PnL in coin).",
    },
    ranges=("ratios", "moves"),
)
def HEDGE_OUTCOMES(
    spot_qty: Any,
    price: Any,
    ratios: Any,
    moves: Any,
    contract: Any = "linear",
    funding_rate: Any = 0.0,
    days: Any = 0.0,
    periods_per_day: Any = 3,
    face: Any = 100.0,
    output: Any = "table",
) -> Float64Array2D:
    """5 BTC at 60,000, ratio 0.5, move −0.2 → spot −60,000, hedge +30,000, net −30,000."""
    c = coerce.choice(contract, "contract", CONTRACTS, default="linear")
    out = coerce.choice(output, "output", _OUTPUTS, default="table")
    q = coerce.scalar(spot_qty, "spot_qty")
    p = coerce.scalar(price, "price", minimum=0, strict_min=True)
    r = coerce.vector(ratios, "ratios", blank=np.nan)
    m = coerce.vector(moves, "moves", blank=np.nan)
    r, m = r[~np.isnan(r)], m[~np.isnan(m)]
    fr = coerce.scalar(funding_rate, "funding_rate", default=0.0)
    d = coerce.scalar(days, "days", default=0.0, minimum=0)
    ppd = coerce.scalar(periods_per_day, "periods_per_day", default=3, minimum=0, strict_min=True)
    fv = coerce.scalar(face, "face", default=100.0, minimum=0, strict_min=True)
    t = scenarios.hedge_outcomes(q, p, r, m, contract=c, funding_rate=fr, days=d, periods_per_day=ppd, face=fv)
    if out == "hedge_coin" and c != "inverse":
        raise InputError("hedge_coin needs contract inverse", where="output")
    if out == "table":
        return t[["ratio", "move", "spot", "hedge", "funding", "net"]].to_numpy()
    return t[out].to_numpy().reshape(r.size, m.size)
