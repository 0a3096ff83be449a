"""Perpetual and futures worksheet functions (docs/methodology/perpetuals.md): LINEAR_PNL, INVERSE_PNL, PERP_FUNDING,
PERP_CARRY, LIQ_PRICE, LIQ_DISTANCE, ROLL_DAYS."""

from __future__ import annotations

from typing import Any

import numpy as np

from xlhedge.engine import coerce, perps
from xlhedge.engine.coerce import as_date
from xlhedge.engine.errors import InputError, XlhedgeError
from xlhedge.functions.registry import worksheet_function
from xlhedge.functions.sizing import broadcast, is_omitted, num, result


@worksheet_function(
    "LINEAR_PNL",
    "Linear contract PnL in quote currency, qty × (exit − entry) (docs/methodology/perpetuals.md).",
    docs={
        "qty": "Quantity in coin/units, long > 0, short < 0.",
        "entry": "Entry price (> 0).",
        "exit": "Exit price (> 0).",
    },
    ranges=("qty", "entry", "exit"),
)
def LINEAR_PNL(qty: Any, entry: Any, exit: Any) -> Any:
    """Currency PnL (a short of 2.5 BTC from 60,000 to 48,000 makes +30,000)."""
    q, p0, p1 = broadcast(qty=num(qty, "qty"), entry=num(entry, "entry"), exit=num(exit, "exit"))
    return result(perps.linear_pnl(q, p0, p1))


@worksheet_function(
    "INVERSE_PNL",
    "Inverse (coin-margined) PnL in coin, contracts × face × (1/entry − 1/exit) (docs/methodology/perpetuals.md).",
    docs={
        "contracts": "Number of contracts, long > 0, short < 0.",
        "face": "USD face value per contract (e.g. 100), > 0.",
        "entry": "Entry price in USD per coin (> 0).",
        "exit": "Exit price in USD per coin (> 0). USD PnL = result × exit.",
    },
    ranges=("contracts", "face", "entry", "exit"),
)
def INVERSE_PNL(contracts: Any, face: Any, entry: Any, exit: Any) -> Any:
    """PnL in coin; multiply by the exit price for USD."""
    n, v, p0, p1 = broadcast(
        contracts=num(contracts, "contracts"), face=num(face, "face"), entry=num(entry, "entry"), exit=num(exit, "exit")
    )
    return result(perps.inverse_pnl(n, v, p0, p1))


@worksheet_function(
    "PERP_FUNDING",
    "Perpetual funding received (> 0) or paid (< 0); a positive rate means longs pay shorts (docs/methodology/perpetuals.md).",
    docs={
        "position_value": "Size of the position in quote currency (≥ 0); the direction goes in side.",
        "rate": "Funding rate per period, decimal (0.0001 = 0.01%), either sign.",
        "periods": "Number of funding periods (3 a day when 8-hourly); default 1.",
        "side": "long or short (default short: a hedge).",
    },
    ranges=("position_value", "rate", "periods"),
)
def PERP_FUNDING(position_value: Any, rate: Any, periods: Any = 1, side: Any = "short") -> Any:
    """|value| × rate × periods, signed as received by ``side``."""
    s = coerce.choice(side, "side", perps.SIDES, default="short")
    v, r, k = broadcast(
        position_value=num(position_value, "position_value"),
        rate=num(rate, "rate"),
        periods=num(periods, "periods", 1.0),
    )
    return result(perps.funding_payment(v, r, k, s))


@worksheet_function(
    "PERP_CARRY",
    "Annualised funding carry, mean rate × periods per day × 365, as received by side (docs/methodology/perpetuals.md).",
    docs={
        "rates": "History of funding rates per period, decimals (a column; blanks skipped).",
        "periods_per_day": "Funding periods per day (default 3: every 8 hours).",
        "side": "long or short (default short); > 0 means the side earns the carry.",
    },
    ranges=("rates",),
)
def PERP_CARRY(rates: Any, periods_per_day: Any = 3, side: Any = "short") -> float:
    """Decimal per year (0.1095 = 10.95% of the position value)."""
    s = coerce.choice(side, "side", perps.SIDES, default="short")
    r = coerce.to_float(rates, "rates", blank=np.nan)
    ppd = coerce.scalar(periods_per_day, "periods_per_day", default=3, minimum=0, strict_min=True)
    return float(perps.annualised_carry(r.ravel(), ppd, s))


class _NoLiquidation(XlhedgeError):
    excel_code = "#NUM!"


@worksheet_function(
    "LIQ_PRICE",
    "Isolated-margin liquidation price, exchanges' simplified form: no added margin, fees or tiers (docs/methodology/perpetuals.md).",
    docs={
        "entry": "Entry price (> 0).",
        "leverage": "Leverage L (> 0).",
        "side": "long or short.",
        "mmr": "Maintenance margin rate, decimal in [0, 1) (default 0.005).",
        "contract": "linear (USDT-margined, default) or inverse (coin-margined).",
    },
    ranges=("entry", "leverage"),
)
def LIQ_PRICE(entry: Any, leverage: Any, side: Any, mmr: Any = 0.005, contract: Any = "linear") -> Any:
    """Linear long P0(1−1/L+m), short P0(1+1/L−m); inverse long P0/(1+1/L−m), short P0/(1−1/L+m).

    A position the simplified form cannot liquidate shows a #NUM! message saying so.
    """
    s = coerce.choice(side, "side", perps.SIDES)
    c = coerce.choice(contract, "contract", perps.CONTRACTS, default="linear")
    p0, lev = broadcast(entry=num(entry, "entry"), leverage=num(leverage, "leverage"))
    m = coerce.scalar(mmr, "mmr", default=0.005, minimum=0, maximum=1, strict_max=True)
    price = np.asarray(perps.liquidation_price(p0, lev, s, m, c), dtype=np.float64)
    if price.size == 1 and (np.isinf(price).any() or (s == "long" and (price <= 0).any())):
        raise _NoLiquidation(
            f"{'an' if c == 'inverse' else 'a'} {c} {s} at leverage {float(lev.ravel()[0]):g} with mmr {m:g} is never liquidated "
            "under the simplified formula",
            where="leverage",
        )
    price = np.where(np.isinf(price), np.nan, price)  # in a range: blank = never
    return result(price)


@worksheet_function(
    "LIQ_DISTANCE",
    "Distance to liquidation as a row: signed % move to the liquidation price, and in daily σ.",
    docs={
        "entry": "Entry (or current) price (> 0).",
        "liq_price": "Liquidation price, e.g. from LIQ_PRICE.",
        "daily_vol": "σ of daily returns, decimal (0.03 = 3%); optional.",
    },
)
def LIQ_DISTANCE(entry: Any, liq_price: Any, daily_vol: Any = None) -> list[list[Any]]:
    """[liq/entry − 1, |distance| / daily σ (blank without a vol)]."""
    p0 = coerce.scalar(entry, "entry", minimum=0, strict_min=True)
    liq = coerce.scalar(liq_price, "liq_price", minimum=0, strict_min=True)
    vol = None if is_omitted(daily_vol) else coerce.scalar(daily_vol, "daily_vol", minimum=0, strict_min=True)
    pct, sig = perps.liquidation_distance(p0, liq, vol)
    return [[float(pct), None if np.isnan(sig) else float(sig)]]


@worksheet_function(
    "ROLL_DAYS",
    "Days to a dated future's expiry and its roll status as a row: [days, ok | roll | expired].",
    docs={
        "expiry": "Expiry date of the contract.",
        "as_of": "Valuation date (default today).",
        "days": "Warn this many calendar days before expiry (default 5).",
    },
)
def ROLL_DAYS(expiry: Any, as_of: Any = None, days: Any = 5) -> list[list[Any]]:
    """Calendar days left and a status word (docs/methodology/perpetuals.md roll warning)."""
    e = as_date(coerce.grid(expiry, "expiry")[0, 0], "expiry")
    if e is None:  # blank, or 0 from a formula pointing at an empty cell
        raise InputError("is required, found a blank", where="expiry")
    a = None if is_omitted(as_of) else coerce.grid(as_of, "as_of")[0, 0]
    n = coerce.whole_number(days, "days", default=5, minimum=0, maximum=36_500, what="a whole number of days")
    t = perps.roll_warnings({"contract": e}, a, days=n)
    row = t.iloc[0]
    return [[float(row["days_left"]), str(row["status"])]]
