"""Scenario worksheet functions (docs/methodology/scenarios.md): SCENARIO_PNL, REGIME_MOVE, HEDGE_OUTCOMES,
JOINT_SCENARIO_PNL."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce, scenarios
from xlhedge.engine._typing import CORE_FACTORS, Float64Array2D
from xlhedge.engine.errors import InputError
from xlhedge.engine.optionbook import JOINT_COLUMNS
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


# ----------------------------------------------------------------------------- joint SPX / VIX scenarios
def _column(x: Any, name: str) -> np.ndarray:
    """A cell, column or row of a hedge plan as a 1-D object array (a 2-D block is an error)."""
    g = coerce.grid(x, name)
    if g.shape[0] > 1 and g.shape[1] > 1:
        raise InputError(f"is a {g.shape[0]}×{g.shape[1]} block; give one column", where=name)
    return g.ravel()


def hedge_plan_frame(instruments: Any, contracts: Any, micros: Any = None, micro_contracts: Any = None) -> pd.DataFrame:
    """The Hedges sheet's plan columns (ticker, whole contracts, micro ticker, micro contracts)
    as ``recommend_hedges``' columns; blanks are no leg, text in a contracts cell is an error."""
    tick = _column(instruments, "hedge_instruments")
    cols: dict[str, Any] = {"instrument": ["" if coerce.is_blank(v) else str(v).strip() for v in tick]}
    for key, x, name in (
        ("contracts", contracts, "hedge_contracts"),
        ("micro_contracts", micro_contracts, "hedge_micro_contracts"),
    ):
        if coerce.is_omitted(x):
            cols[key] = np.full(tick.size, np.nan)
            continue
        v = coerce.to_float(_column(x, name).reshape(-1, 1), name, blank=np.nan).ravel()
        if v.size != tick.size:
            raise InputError(f"has {v.size} rows, hedge_instruments {tick.size}", where=name)
        cols[key] = v
    if coerce.is_omitted(micros):
        cols["micro"] = [""] * tick.size
    else:
        m = _column(micros, "hedge_micros")
        if m.size != tick.size:
            raise InputError(f"has {m.size} rows, hedge_instruments {tick.size}", where="hedge_micros")
        cols["micro"] = ["" if coerce.is_blank(v) else str(v).strip() for v in m]
    return pd.DataFrame(cols)


@worksheet_function(
    "JOINT_SCENARIO_PNL",
    "Joint SPX / VIX scenarios of the book: every position but the options through its exposures, the "
    "options by full revaluation beside their delta-only estimate and the convexity, unhedged vs hedged with "
    "the recommended hedges (docs/methodology/scenarios.md).",
    docs={
        "attributes": "The Book's attribute block with its labels (BookAttributeBlock).",
        "factors": "The Book's factor block with its labels (BookFactorBlock).",
        "nav": "NAV in the currency of record (> 0).",
        "as_of": "Valuation date: years to expiry count from it (blank = today).",
        "rate": "Risk-free rate for the bs options and the option hedges, annual continuously compounded (default 0).",
        "div": "Dividend yield for the bs options and the option hedges (default 0).",
        "instruments": "The Instruments table (InstrumentTable); blank = the shipped catalogue.",
        "scenarios": "One row per scenario: name, SPX move (decimal, −0.20), VIX move (points, +25).",
        "hedge_instruments": "The hedges' tickers, one per row (HedgeInstruments); blank = no hedges.",
        "hedge_contracts": "Their whole contracts, signed (HedgeContracts), same rows.",
        "hedge_micros": "The micro contracts' tickers (HedgeMicros), same rows; optional.",
        "hedge_micro_contracts": "The micro contracts, signed (HedgeMicroContracts), same rows; optional.",
    },
    ranges=(
        "attributes",
        "factors",
        "instruments",
        "scenarios",
        "hedge_instruments",
        "hedge_contracts",
        "hedge_micros",
        "hedge_micro_contracts",
    ),
)
def JOINT_SCENARIO_PNL(
    attributes: Any,
    factors: Any,
    nav: Any,
    as_of: Any,
    rate: Any,
    div: Any,
    instruments: Any,
    scenarios: Any,
    hedge_instruments: Any = None,
    hedge_contracts: Any = None,
    hedge_micros: Any = None,
    hedge_micro_contracts: Any = None,
) -> list[list[Any]]:
    """Rows [name, SPX move, VIX move, book excluding options, options (full revaluation), options
    delta-only, convexity, unhedged, hedges, hedged], currency; one row per input row."""
    from xlhedge.functions.options import book_joint_scenarios, scenario_output, scenario_rows

    plan = None
    if not coerce.is_omitted(hedge_instruments):
        if coerce.is_omitted(hedge_contracts):
            raise InputError("is required with hedge_instruments", where="hedge_contracts")
        plan = hedge_plan_frame(hedge_instruments, hedge_contracts, hedge_micros, hedge_micro_contracts)
    n_rows, keep, sc = scenario_rows(scenarios)
    t = book_joint_scenarios(attributes, factors, nav, as_of, rate, div, instruments, sc, plan)
    return scenario_output(n_rows, keep, t, list(JOINT_COLUMNS))
