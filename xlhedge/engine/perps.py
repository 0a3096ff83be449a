"""Perpetual and futures mechanics (docs/methodology/perpetuals.md).

Signs
-----
* quantities and contracts: long > 0, short < 0;
* funding: an amount **received** is > 0, paid < 0. When the funding rate is
  positive, **longs pay shorts** (docs/methodology/perpetuals.md; some write-ups state it backwards);
* liquidation: isolated margin, leverage L, maintenance margin rate m, no
  added margin, fees and risk-limit tiers ignored — the exchanges' published
  simplified forms (e.g. Bybit's "Liquidation Price" pages)::

      linear  long  P0·(1 − 1/L + m)         linear  short  P0·(1 + 1/L − m)
      inverse long  P0/(1 + 1/L − m)         inverse short  P0/(1 − 1/L + m)

  A form that would give a price ≤ 0 (long) or an infinite price (short) means
  the position cannot be liquidated: 0.0 and ``inf`` are returned.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import CONTRACTS, SIDES, Contract, Float64Array, FloatArrayLike, FloatOrArray, Side
from xlhedge.engine.coerce import as_date, bounded_array, float_array, float_or_array
from xlhedge.engine.errors import InputError

__all__ = [
    "PERP_DEFAULTS",
    "SIDES",
    "CONTRACTS",
    "LIQUIDATION_NOTE",
    "linear_pnl",
    "inverse_pnl",
    "inverse_pnl_usd",
    "funding_payment",
    "annualised_carry",
    "liquidation_price",
    "liquidation_distance",
    "liquidation_table",
    "roll_warnings",
]

#: Defaults a user may change (shown on the Instruments / Hedges sheets).
PERP_DEFAULTS: dict[str, float] = {
    "funding_periods_per_day": 3,  # 8-hourly funding
    "mmr": 0.005,  # maintenance margin rate, 0.5%
    "roll_warning_days": 5,  # docs/methodology/perpetuals.md: warn N days before expiry
}

LIQUIDATION_NOTE = (
    "Simplified isolated-margin liquidation: no added margin, fees and risk-limit "
    "tiers ignored (exchanges' published simplified formulas)."
)


def _positive(x: Any, name: str) -> Float64Array:
    return bounded_array(x, name, low=0, low_open=True)


# --------------------------------------------------------------------------- PnL
def linear_pnl(qty: FloatArrayLike, entry: FloatArrayLike, exit: FloatArrayLike) -> FloatOrArray:
    """Linear PnL in quote currency, q·(P1 − P0); q in coin/units, short < 0 (docs/methodology/perpetuals.md)."""
    return float_or_array(float_array(qty, "qty") * (_positive(exit, "exit") - _positive(entry, "entry")))


def inverse_pnl(
    contracts: FloatArrayLike, face: FloatArrayLike, entry: FloatArrayLike, exit: FloatArrayLike
) -> FloatOrArray:
    """Inverse (coin-margined) PnL **in coin**, N·V·(1/P0 − 1/P1) (docs/methodology/perpetuals.md).

    Parameters
    ----------
    contracts : N, long > 0, short < 0.
    face : V, USD face value per contract (e.g. 100), > 0.
    entry, exit : P0, P1 in USD per coin, > 0.
    """
    n = float_array(contracts, "contracts")
    v = _positive(face, "face")
    p0 = _positive(entry, "entry")
    p1 = _positive(exit, "exit")
    return float_or_array(n * v * (1.0 / p0 - 1.0 / p1))


def inverse_pnl_usd(
    contracts: FloatArrayLike, face: FloatArrayLike, entry: FloatArrayLike, exit: FloatArrayLike
) -> FloatOrArray:
    """Inverse PnL in USD at the exit price: coin PnL × P1 = N·V·(P1/P0 − 1)."""
    return float_or_array(np.asarray(inverse_pnl(contracts, face, entry, exit)) * _positive(exit, "exit"))


# --------------------------------------------------------------------------- funding
def funding_payment(
    position_value: FloatArrayLike, rate: FloatArrayLike, periods: FloatArrayLike = 1, side: Side = "short"
) -> FloatOrArray:
    """Funding **received** (> 0) or paid (< 0) over ``periods`` funding periods.

    payment = |position value| × rate × periods, received by shorts and paid by
    longs when the rate is positive (docs/methodology/perpetuals.md).

    Parameters
    ----------
    position_value : size of the position in quote currency, ≥ 0 (direction in ``side``).
    rate : funding rate per period, decimal (0.0001 = 0.01%), either sign.
    periods : number of funding periods (3 per day when 8-hourly), ≥ 0.
    side : ``long`` or ``short``.
    """
    v = float_array(position_value, "position_value")
    if (v < 0).any():
        raise InputError("is the size of the position (≥ 0); give the direction in side", where="position_value")
    r = float_array(rate, "rate")
    k = bounded_array(periods, "periods", low=0)
    sign = 1.0 if coerce.choice(side, "side", SIDES) == "short" else -1.0
    return float_or_array(sign * v * r * k)


def annualised_carry(
    rates: FloatArrayLike,
    periods_per_day: FloatArrayLike = PERP_DEFAULTS["funding_periods_per_day"],
    side: Side = "short",
) -> FloatOrArray:
    """Annualised funding carry = mean rate × periods per day × 365, as received by ``side``.

    ``rates`` is a history of per-period funding rates (decimals); reduced along axis 0.
    Positive = the side earns funding (a short when rates are positive).
    """
    r = np.asarray(rates, dtype=np.float64)
    if r.size == 0 or np.isnan(r).all():
        raise InputError("has no funding rates", where="rates")
    ppd = _positive(periods_per_day, "periods_per_day")
    sign = 1.0 if coerce.choice(side, "side", SIDES) == "short" else -1.0
    return float_or_array(sign * np.nanmean(r, axis=0) * ppd * 365.0)


# --------------------------------------------------------------------------- liquidation
def liquidation_price(
    entry: FloatArrayLike,
    leverage: FloatArrayLike,
    side: Side,
    mmr: FloatArrayLike = PERP_DEFAULTS["mmr"],
    contract: Contract = "linear",
) -> FloatOrArray:
    """Isolated-margin liquidation price, simplified exchange form (docs/methodology/perpetuals.md).

    Parameters
    ----------
    entry : P0, > 0.
    leverage : L, > 0.
    side : ``long`` or ``short``.
    mmr : maintenance margin rate m ∈ [0, 1), default 0.5%.
    contract : ``linear`` (USDT-margined) or ``inverse`` (coin-margined).

    Returns
    -------
    Price; 0.0 for a long and ``inf`` for a short that cannot be liquidated under
    the simplified form (e.g. a 1× inverse short sits at P0/m: never in practice).
    """
    p0 = _positive(entry, "entry")
    lev = _positive(leverage, "leverage")
    m = float_array(mmr, "mmr")
    if ((m < 0) | (m >= 1)).any():
        raise InputError(f"must be in [0, 1), got {m[(m < 0) | (m >= 1)].ravel()[0]:g}", where="mmr")
    s = coerce.choice(side, "side", SIDES)
    c = coerce.choice(contract, "contract", CONTRACTS)
    inv = 1.0 / lev
    with np.errstate(divide="ignore"):
        if c == "linear":
            price = p0 * (1 - inv + m) if s == "long" else p0 * (1 + inv - m)
            if s == "long":
                price = np.maximum(price, 0.0)
        else:
            if s == "long":
                price = p0 / (1 + inv - m)
            else:
                den = 1 - inv + m
                price = np.where(den > 0, p0 / np.where(den > 0, den, 1.0), np.inf)
    return float_or_array(np.asarray(price, dtype=np.float64))


def liquidation_distance(
    entry: FloatArrayLike, liq_price: FloatArrayLike, daily_vol: FloatArrayLike | None = None
) -> tuple[FloatOrArray, FloatOrArray]:
    """Distance to liquidation: signed % move (liq/entry − 1) and, given σ daily, in σ.

    Returns ``(pct, sigmas)``; ``sigmas`` = |pct| / daily_vol (NaN without a vol);
    ``inf`` when the position cannot be liquidated.
    """
    p0 = _positive(entry, "entry")
    liq = float_array(liq_price, "liq_price")
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(np.isinf(liq), np.inf, liq / p0 - 1.0)
        if daily_vol is None:
            sig = np.full_like(pct, np.nan)
        else:
            sig = np.abs(pct) / _positive(daily_vol, "daily_vol")
    return float_or_array(pct), float_or_array(sig)


def liquidation_table(
    entry: float, leverages: Iterable[float], *, mmr: float = PERP_DEFAULTS["mmr"], daily_vol: float | None = None
) -> pd.DataFrame:
    """Liquidation prices for linear/inverse × long/short at several leverages.

    One row per (leverage, contract, side): liq_price, distance_pct, distance_sigmas;
    ``attrs['note']`` states the simplification.
    """
    lev = np.asarray(list(leverages), dtype=np.float64)
    rows = []
    for c in CONTRACTS:
        for s in SIDES:
            liq = np.atleast_1d(liquidation_price(entry, lev, s, mmr, c))
            pct, sig = liquidation_distance(entry, liq, daily_vol)
            rows.append(
                pd.DataFrame(
                    {
                        "leverage": lev,
                        "contract": c,
                        "side": s,
                        "liq_price": liq,
                        "distance_pct": np.atleast_1d(pct),
                        "distance_sigmas": np.atleast_1d(sig),
                    }
                )
            )
    out = pd.concat(rows, ignore_index=True)
    out.attrs["note"] = LIQUIDATION_NOTE
    return out


# --------------------------------------------------------------------------- roll
def roll_warnings(
    expiries: Mapping[str, Any] | pd.Series,
    as_of: Any = None,
    *,
    days: int = int(PERP_DEFAULTS["roll_warning_days"]),
) -> pd.DataFrame:
    """Roll status of dated futures (docs/methodology/perpetuals.md): ``expired``, ``roll`` (≤ ``days`` left) or ``ok``.

    Parameters
    ----------
    expiries : ticker → expiry date (a date, an Excel serial or ISO text; blank for
        undated instruments, which are skipped).
    as_of : valuation date (default, or blank: today).
    days : warn this many calendar days before expiry (*editable*, default 5).

    Returns
    -------
    DataFrame: ticker, expiry, days_left, status, message.
    """
    today = (as_date(as_of, "as_of") if as_of is not None else None) or _dt.date.today()
    days = coerce.whole_number(days, "days", minimum=0, maximum=36_500, what="a whole number of days")
    rows = []
    for t, e in pd.Series(expiries, dtype=object).items():
        d = as_date(e, f"expiry of {t}")
        if d is None:
            continue
        left = (d - today).days
        if left < 0:
            status, msg = "expired", f"{t} expired on {d:%Y-%m-%d}; roll or close it"
        elif left <= days:
            status, msg = "roll", f"{t} expires in {left} day(s) ({d:%Y-%m-%d}); roll it"
        else:
            status, msg = "ok", ""
        rows.append({"ticker": str(t), "expiry": d, "days_left": left, "status": status, "message": msg})
    return pd.DataFrame(rows, columns=["ticker", "expiry", "days_left", "status", "message"])
