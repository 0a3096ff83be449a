"""Hedge-sizing worksheet functions (docs/methodology/sizing.md): HEDGE_NOTIONAL, HEDGE_UNITS, HEDGE_CONTRACTS,
EXPOSURE_AFTER, PUT_DELTA, PUT_PRICE, DV01, MINVAR_HEDGE, LSQ_HEDGE, FX_EXPOSURE,
PAIR_NEUTRAL, INSTRUMENT.

Numeric arguments accept a single cell or a range; ranges broadcast against each
other the way numpy does (a column of exposures with one NAV), so one formula can
size every factor. A result from single cells is a single value.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce, sizing
from xlhedge.engine import instruments as _inst
from xlhedge.engine._typing import Float64Array, Float64Array1D, Float64Array2D
from xlhedge.engine.errors import InputError
from xlhedge.engine.options import put_delta, put_price
from xlhedge.functions.registry import worksheet_function

# ----------------------------------------------------------------------------- helpers
# (imported by the perps and scenarios function modules too)


is_omitted = coerce.is_omitted


def num(x: Any, name: str, default: float | None = None) -> Float64Array2D:
    """A cell or range as a 2-D float array; blanks inside a range are NaN (reported by the engine).

    An omitted argument gives ``default`` (an error when there is none).
    """
    if is_omitted(x):
        if default is None:
            raise InputError("is required, found a blank", where=name)
        return np.array([[float(default)]])
    a = coerce.to_float(x, name, blank=np.nan)
    if np.isnan(a).any():
        i, j = (int(k[0]) for k in np.nonzero(np.isnan(a)))
        place = (
            f"item {j + 1}"
            if a.shape[0] == 1
            else (f"item {i + 1}" if a.shape[1] == 1 else f"row {i + 1}, column {j + 1}")
        )
        raise InputError(f"{place} is blank; expected a number", where=name)
    return a


def broadcast(**arrays: Float64Array2D) -> list[Float64Array2D]:
    """Broadcast 2-D argument arrays together, naming the misfit on failure."""
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        desc = ", ".join(f"{k} {a.shape[0]}×{a.shape[1]}" for k, a in arrays.items() if a.size > 1)
        raise InputError(f"ranges of different shapes cannot be combined: {desc}", where="arguments") from None
    return [np.broadcast_to(a, shape) for a in arrays.values()]


def result(a: Any) -> float | Float64Array:
    """1×1 → a number, otherwise the 2-D array."""
    a = np.asarray(a, dtype=np.float64)
    return float(a.reshape(-1)[0]) if a.size == 1 else a


# ----------------------------------------------------------------------------- general form
@worksheet_function(
    "HEDGE_NOTIONAL",
    "Signed currency notional of a factor hedge, −h·(E − T)·NAV/(1 − α) (docs/methodology/sizing.md).",
    docs={
        "exposure": "Factor exposure E_f as a fraction of NAV (long > 0); a cell or a column of factors.",
        "nav": "NAV in the currency of record (> 0).",
        "ratio": "Hedge ratio h in [0, 1]: the fraction of the gap to hedge (default 1).",
        "target": "Target exposure T_f, NAV fraction (default 0 = neutral).",
        "alpha": "Alpha estimate α in [0, 1) (default 0); the notional is divided by 1 − α.",
    },
    ranges=("exposure", "ratio", "target"),
)
def HEDGE_NOTIONAL(exposure: Any, nav: Any, ratio: Any = 1.0, target: Any = 0.0, alpha: Any = 0.0) -> Any:
    """Negative = sell (the book is longer than the target). E 0.92, NAV 100,000, h 0.5 → −46,000."""
    e, h, t = broadcast(
        exposure=num(exposure, "exposure"), ratio=num(ratio, "ratio", 1.0), target=num(target, "target", 0.0)
    )
    n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    a = coerce.scalar(alpha, "alpha", default=0.0, minimum=0, maximum=1, strict_max=True)
    return result(sizing.hedge_notional(e, n, h, t, a))


@worksheet_function(
    "HEDGE_UNITS",
    "Unrounded hedge units, notional / (price × multiplier × beta) (docs/methodology/sizing.md).",
    docs={
        "notional": "Signed hedge notional in currency (short < 0), e.g. from HEDGE_NOTIONAL.",
        "price": "Instrument price (> 0): futures points, share price, USD per coin.",
        "multiplier": "Currency per price point per unit (ES 50, MES 5, shares 1, ZN 1,000); default 1.",
        "beta": "Instrument beta to the factor (sector ETF beta, −1 for SH, duration for rates); default 1.",
    },
    ranges=("notional", "price", "multiplier", "beta"),
)
def HEDGE_UNITS(notional: Any, price: Any, multiplier: Any = 1.0, beta: Any = 1.0) -> Any:
    """Signed: −3.07 means sell 3.07 contracts/shares."""
    h, p, m, b = broadcast(
        notional=num(notional, "notional"),
        price=num(price, "price"),
        multiplier=num(multiplier, "multiplier", 1.0),
        beta=num(beta, "beta", 1.0),
    )
    return result(sizing.hedge_units(h, p, m, b))


@worksheet_function(
    "HEDGE_CONTRACTS",
    "Whole contracts, the notional left by rounding, and a micro-contract completion, as a row.",
    docs={
        "notional": "Signed hedge notional in currency (short < 0); a cell or a column.",
        "price": "Instrument price (> 0).",
        "multiplier": "Currency per price point per contract (ES 50); default 1.",
        "beta": "Instrument beta to the factor; default 1.",
        "micro_multiplier": "Multiplier of the micro contract (MES 5) to complete the rounding; optional.",
    },
    ranges=("notional", "price", "multiplier", "beta", "micro_multiplier"),
)
def HEDGE_CONTRACTS(
    notional: Any, price: Any, multiplier: Any = 1.0, beta: Any = 1.0, micro_multiplier: Any = None
) -> Any:
    """One row per notional: [contracts (signed, nearest), residual notional (currency not
    placed, signed like the notional), micro contracts, residual after micro]. Without a
    micro multiplier the last two cells are blank."""
    cells = broadcast(
        notional=num(notional, "notional"),
        price=num(price, "price"),
        multiplier=num(multiplier, "multiplier", 1.0),
        beta=num(beta, "beta", 1.0),
    )
    h, p, m, b = (x.reshape(-1) for x in cells)
    sizing.hedge_units(h, p, m, b)  # validates price > 0, multiplier > 0, beta ≠ 0
    micro = None
    if not is_omitted(micro_multiplier):
        mm = coerce.bounded_array(num(micro_multiplier, "micro_multiplier"), "micro_multiplier", low=0, low_open=True)
        micro = np.broadcast_to(mm.reshape(-1), h.shape) if mm.size == 1 else mm.reshape(-1)
        if micro.shape != h.shape:
            raise InputError(f"has {micro.size} values, notional {h.size}", where="micro_multiplier")
        micro = p * micro * b
    r = sizing.round_contracts(h, p * m * b, micro)
    return np.column_stack([np.atleast_1d(x) for x in (r.contracts, r.residual, r.micro, r.residual_after_micro)])


@worksheet_function(
    "EXPOSURE_AFTER",
    "Factor exposure after adding a hedge: E + contracts × price × multiplier × beta / NAV.",
    docs={
        "exposure": "Factor exposure before the hedge, NAV fraction (long > 0).",
        "nav": "NAV in the currency of record (> 0).",
        "contracts": "Hedge contracts/units, signed (short < 0).",
        "price": "Instrument price (> 0).",
        "multiplier": "Currency per price point per contract; default 1.",
        "beta": "Instrument beta to the factor; default 1.",
        "micro_contracts": "Micro contracts added (signed); optional.",
        "micro_multiplier": "Multiplier of the micro contract; needed with micro_contracts.",
    },
    ranges=("exposure", "contracts", "price", "multiplier", "beta", "micro_contracts", "micro_multiplier"),
)
def EXPOSURE_AFTER(
    exposure: Any,
    nav: Any,
    contracts: Any,
    price: Any,
    multiplier: Any = 1.0,
    beta: Any = 1.0,
    micro_contracts: Any = 0.0,
    micro_multiplier: Any = None,
) -> Any:
    """NAV fraction left on the factor once the hedge is in the book."""
    n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    mc = num(micro_contracts, "micro_contracts", 0.0)
    mm = num(micro_multiplier, "micro_multiplier", 0.0)
    if (mc != 0).any() and is_omitted(micro_multiplier):
        raise InputError("is required when micro_contracts is given", where="micro_multiplier")
    e, c, p, m, b, mc, mm = broadcast(
        exposure=num(exposure, "exposure"),
        contracts=num(contracts, "contracts"),
        price=num(price, "price"),
        multiplier=num(multiplier, "multiplier", 1.0),
        beta=num(beta, "beta", 1.0),
        micro_contracts=mc,
        micro_multiplier=mm,
    )
    coerce.bounded_array(p, "price", low=0, low_open=True)
    return result(e + (c * m + mc * mm) * p * b / n)


# ----------------------------------------------------------------------------- options
_OPTION_DOCS = {
    "spot": "Underlying price (> 0).",
    "strike": "Strike price (> 0).",
    "vol": "Implied volatility, annual decimal (0.18 = 18%, > 0).",
    "years": "Time to expiry in years (≥ 0).",
    "rate": "Risk-free rate, annual continuously compounded decimal (default 0).",
    "div": "Dividend yield, annual continuously compounded decimal (default 0).",
}


def _option_args(
    spot: Any, strike: Any, vol: Any, years: Any, rate: Any, div: Any
) -> tuple[Float64Array2D, Float64Array2D, Float64Array2D, Float64Array2D, float, float]:
    s, k, v, t = broadcast(
        spot=num(spot, "spot"), strike=num(strike, "strike"), vol=num(vol, "vol"), years=num(years, "years")
    )
    r = coerce.scalar(rate, "rate", default=0.0)
    q = coerce.scalar(div, "div", default=0.0)
    return s, k, v, t, r, q


@worksheet_function(
    "PUT_DELTA",
    "Black–Scholes delta of a European put, −e^(−qT)·N(−d1), between −1 and 0 (docs/methodology/sizing.md).",
    docs=_OPTION_DOCS,
    ranges=("spot", "strike", "vol", "years"),
)
def PUT_DELTA(spot: Any, strike: Any, vol: Any, years: Any, rate: Any = 0.0, div: Any = 0.0) -> Any:
    """Per unit of underlying; a long put contract carries Δ × spot × multiplier of exposure."""
    return result(put_delta(*_option_args(spot, strike, vol, years, rate, div)))


@worksheet_function(
    "PUT_PRICE",
    "Black–Scholes value of a European put per unit of underlying (× multiplier for a contract).",
    docs=_OPTION_DOCS,
    ranges=("spot", "strike", "vol", "years"),
)
def PUT_PRICE(spot: Any, strike: Any, vol: Any, years: Any, rate: Any = 0.0, div: Any = 0.0) -> Any:
    """Premium per unit of underlying, in the currency of ``spot``."""
    return result(put_price(*_option_args(spot, strike, vol, years, rate, div)))


# ----------------------------------------------------------------------------- rates
@worksheet_function(
    "UNIT_DV01",
    "DV01 of one unit in currency per 1bp, positive (docs/methodology/sizing.md rates).",
    docs={
        "price": "Price (> 0): per share for an ETF; points per 100 of face for a bond future.",
        "duration": "Effective (modified) duration in years (> 0): TLT ≈ 17, ZN ≈ 6.5.",
        "face": "1 (default) for a share priced in currency; the face per contract (100,000) for a "
        "bond future, whose price is then read per 100 of face.",
    },
    ranges=("price", "duration", "face"),
)
def UNIT_DV01(price: Any, duration: Any, face: Any = 1.0) -> Any:
    """price × D × 0.0001 per share, or (price/100) × face × D × 0.0001 per future.

    Called ``DV01`` before: Excel reads ``DV01(`` as the cell DV1 followed by a bracket (a
    function may not be named like a cell), so that name is kept only for books that still use
    it, computed without Excel with a warning (:data:`xlhedge.functions.registry.RENAMED`).
    """
    p, d, f = broadcast(price=num(price, "price"), duration=num(duration, "duration"), face=num(face, "face", 1.0))
    return result(sizing.dv01_unit(p, d, f))


# ----------------------------------------------------------------------------- from prices
def _series(x: Any, name: str) -> Float64Array1D:
    """A price column/row; blanks are missing observations (dropped pairwise)."""
    return coerce.vector(x, name, blank=np.nan)


@worksheet_function(
    "MINVAR_HEDGE",
    "Minimum-variance hedge from two price series: row of ratio h*, effectiveness ρ², residual vol.",
    docs={
        "spot_prices": "Prices of the position to hedge, oldest first (one column or row; blanks skipped).",
        "hedge_prices": "Prices of the hedge instrument on the same dates.",
        "periods_per_year": "Observations per year to annualise the residual vol (252 daily, "
        "52 weekly, 1 = per period); default 252.",
    },
    ranges=("spot_prices", "hedge_prices"),
)
def MINVAR_HEDGE(spot_prices: Any, hedge_prices: Any, periods_per_year: Any = 252) -> list[list[float]]:
    """[h* = Cov/Var (sell h* × spot value of the hedge), ρ², σ_S·√(1−ρ²) annualised]."""
    s = _series(spot_prices, "spot_prices")
    f = _series(hedge_prices, "hedge_prices")
    ppy = coerce.scalar(periods_per_year, "periods_per_year", default=252, minimum=0, strict_min=True)
    r = sizing.minvar_hedge(s, f, periods_per_year=ppy)
    return [[r.ratio, r.effectiveness, r.residual_vol]]


@worksheet_function(
    "LSQ_HEDGE",
    "Least-squares hedge of a book with several instruments: row of ratios, then R², residual vol.",
    docs={
        "book_prices": "Book (or position) value series, oldest first, one column.",
        "instrument_prices": "Prices of the hedge instruments, one column each, same rows.",
        "periods_per_year": "Observations per year to annualise the residual vol; default 252.",
    },
    ranges=("book_prices", "instrument_prices"),
)
def LSQ_HEDGE(book_prices: Any, instrument_prices: Any, periods_per_year: Any = 252) -> list[list[float]]:
    """[b_1 … b_k, R², residual vol]: sell b_j × book value of instrument j."""
    y = _series(book_prices, "book_prices")
    X = coerce.to_float(instrument_prices, "instrument_prices", blank=np.nan)
    if X.shape[0] != y.size and X.shape[1] == y.size:
        X = X.T
    ppy = coerce.scalar(periods_per_year, "periods_per_year", default=252, minimum=0, strict_min=True)
    r = sizing.lsq_hedge(y, X, periods_per_year=ppy)
    return [list(map(float, r.coefficients.to_numpy())) + [r.r_squared, r.residual_vol]]


# ----------------------------------------------------------------------------- FX, pairs
_LISTING_DOC = (
    "Per position, the listing currency: used where the FX exposure currency is blank "
    "(share as given, blank = 1); optional, same length."
)


@worksheet_function(
    "FX_EXPOSURE",
    "Exposure per currency against the currency of record, Σ weight × FX share (docs/methodology/sizing.md FX).",
    docs={
        "weights": "Position weights, fraction of NAV (short < 0), one row or column.",
        "currencies": "Per position, the currency its value moves with (ISO code), same length.",
        "fx_shares": "Per position, share of its value that moves with that currency (blank = 1); optional.",
        "record": "Currency of record (default USD); its positions carry no FX exposure.",
        "rows": "Pad the result with blank rows to this many (fits a fixed array range); optional.",
        "listing": _LISTING_DOC,
    },
    ranges=("weights", "currencies", "fx_shares", "listing"),
)
def FX_EXPOSURE(
    weights: Any, currencies: Any, fx_shares: Any = None, record: Any = "USD", rows: Any = None, listing: Any = None
) -> list[list[Any]]:
    """Two columns: currency, exposure (NAV fraction), largest first; one row per foreign currency."""
    e = _currency_exposures(weights, currencies, fx_shares, record, listing)
    out: list[list[Any]] = [[str(k), float(v)] for k, v in e.items()] or [["(none)", 0.0]]
    if not is_omitted(rows):
        n = coerce.whole_number(rows, "rows", minimum=1, maximum=1_048_576, what="a number of rows")
        if len(out) > n:
            raise InputError(
                f"the book has {len(out)} foreign currencies, more than the {n} rows given; enlarge the range",
                where="rows",
            )
        out += [[None, None]] * (n - len(out))
    return out


def _currency_exposures(weights: Any, currencies: Any, fx_shares: Any, record: Any, listing: Any) -> pd.Series:
    w = coerce.vector(weights, "weights")
    c = coerce.text_vector(currencies, "currencies")
    s = None if is_omitted(fx_shares) else coerce.vector(fx_shares, "fx_shares", blank=np.nan)
    lc = None if listing is None else coerce.text_vector(listing, "listing")
    return sizing.currency_exposures(w, c, s, record=_record(record), listing=lc)


def _currency(x: Any, name: str, example: str) -> str:
    """One currency code from a cell, upper-case; a blank or a number is an error."""
    v = coerce.grid(x, name)[0, 0]
    if coerce.is_blank(v) or not isinstance(v, str) or not v.strip():
        raise InputError(f"expected a currency code such as {example}, found {v!r}", where=name)
    return v.strip().upper()


def _record(record: Any) -> str:
    return "USD" if is_omitted(record) else _currency(record, "record", "USD")


@worksheet_function(
    "CURRENCY_EXPOSURE",
    "Exposure of the book to one currency against the currency of record (docs/methodology/sizing.md FX).",
    docs={
        "weights": "Position weights, fraction of NAV (short < 0), one row or column.",
        "currencies": "Per position, the currency its value moves with (ISO code), same length.",
        "fx_shares": "Per position, share of its value that moves with that currency (blank = 1).",
        "currency": "The currency to report (ISO code, e.g. EUR).",
        "record": "Currency of record (default USD).",
        "listing": _LISTING_DOC,
    },
    ranges=("weights", "currencies", "fx_shares", "listing"),
)
def CURRENCY_EXPOSURE(
    weights: Any, currencies: Any, fx_shares: Any, currency: Any, record: Any = "USD", listing: Any = None
) -> float:
    """NAV fraction (long the currency > 0); 0 when the book has none."""
    e = _currency_exposures(weights, currencies, fx_shares, record, listing)
    return float(e.get(_currency(currency, "currency", "EUR"), 0.0))


@worksheet_function(
    "FX_HEDGE",
    "Currency-future hedge of one currency exposure, as a row (docs/methodology/sizing.md FX; record currency a parameter).",
    docs={
        "currency": "Currency of the exposure (ISO code).",
        "exposure": "Exposure to it, NAV fraction (long the currency > 0), e.g. from CURRENCY_EXPOSURE.",
        "nav": "NAV in the currency of record (> 0).",
        "ratio": "Hedge ratio in [0, 1] (default 1).",
        "record": "Currency of record (default USD).",
        "instruments": "The Instruments sheet table (header row first); default the shipped catalogue.",
    },
    ranges=("instruments",),
)
def FX_HEDGE(
    currency: Any, exposure: Any, nav: Any, ratio: Any = 1.0, record: Any = "USD", instruments: Any = None
) -> list[list[Any]]:
    """[future, contracts unrounded, contracts, record-currency future, unrounded, contracts].

    With USD as the currency of record the last three cells are blank; with another
    record currency a USD-quoted future on it is the second leg (and the only one for USD).
    """
    c = _currency(currency, "currency", "EUR")
    e = coerce.scalar(exposure, "exposure", default=0.0)
    n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    h = coerce.scalar(ratio, "ratio", default=1.0, minimum=0, maximum=1)
    rec = _record(record)
    cat = None if is_omitted(instruments) else _inst.from_grid(instruments)
    legs = sizing.fx_hedges({c: e}, n, record=rec, ratio=h, instruments=cat)
    missing = legs[legs["instrument"] == ""]
    if len(missing):
        have = sorted({i.currency for i in _inst.catalogue(cat).values() if i.factor == "fx"})
        raise InputError(
            f"no currency future for {missing.iloc[0]['leg']} among the instruments; "
            f"futures exist for {', '.join(have)}",
            where="currency",
        )
    row: list[Any] = [None] * 6
    for _, leg in legs.iterrows():
        k = 0 if leg["leg"] != rec else 3
        row[k : k + 3] = [leg["instrument"], float(leg["contracts_unrounded"]), float(leg["contracts"])]
    return [row]


@worksheet_function(
    "HEDGE_PLAN",
    "Recommended hedge of one factor with one instrument, as a row; an option hedge also reports the "
    "vol exposure it adds (docs/methodology/sizing.md).",
    docs={
        "ticker": "Hedge instrument ticker (ES, SPY, SH, SPX_PUT, TLT, ZN, UUP, CL, BTC, BTCUSD…); blank = no hedge.",
        "exposure": "Factor exposure E_f, NAV fraction (long > 0).",
        "nav": "NAV in the currency of record (> 0).",
        "ratio": "Hedge ratio h in [0, 1] (default 1).",
        "target": "Target exposure T_f, NAV fraction (default 0).",
        "alpha": "Alpha estimate α in [0, 1) (default 0).",
        "instruments": "The Instruments sheet table (header row first); default the shipped catalogue.",
        "rate": "Risk-free rate for Black–Scholes options (default 0).",
        "div": "Dividend yield for Black–Scholes options (default 0; ignored by Black-76).",
        "funding_periods_per_day": "Perpetual funding periods per day (default 3).",
    },
    ranges=("instruments",),
)
def HEDGE_PLAN(
    ticker: Any,
    exposure: Any,
    nav: Any,
    ratio: Any = 1.0,
    target: Any = 0.0,
    alpha: Any = 0.0,
    instruments: Any = None,
    rate: Any = 0.0,
    div: Any = 0.0,
    funding_periods_per_day: Any = 3,
) -> list[list[Any]]:
    """[side, units (unrounded, signed), whole contracts, residual exposure left by rounding
    (× NAV), micro ticker, micro contracts, exposure after (× NAV), cost (premium paid, or
    funding paid per year; < 0 = received), vol exposure added (× NAV per vol point),
    vol exposure added (currency per vol point)].

    The last two are an option hedge's vega on the book's vol factor (contracts × multiplier ×
    vega, over NAV for the first): > 0 when the hedge buys options (long puts add long vol),
    0 for every other instrument and for options on a vol future (their vega is to the vol of
    vol). Multiply the first by 100 for the Exposures sheet's vol unit (% of NAV per vol point).
    """
    e = coerce.scalar(exposure, "exposure", default=0.0)
    n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    h = coerce.scalar(ratio, "ratio", default=1.0, minimum=0, maximum=1)
    t = coerce.scalar(target, "target", default=0.0)
    a = coerce.scalar(alpha, "alpha", default=0.0, minimum=0, maximum=1, strict_max=True)
    tk = coerce.grid(ticker, "ticker")[0, 0]
    if coerce.is_blank(tk):
        return [["none", None, None, None, None, None, e, 0.0, 0.0, 0.0]]
    cat = None if is_omitted(instruments) else _inst.from_grid(instruments)
    rec = sizing.size_hedge(
        e,
        n,
        str(tk),
        ratio=h,
        target=t,
        alpha=a,
        instruments=cat,
        rate=coerce.scalar(rate, "rate", default=0.0),
        div=coerce.scalar(div, "div", default=0.0),
        funding_periods_per_day=coerce.scalar(
            funding_periods_per_day, "funding_periods_per_day", default=3, minimum=0, strict_min=True
        ),
    )
    micro = rec.micro or None
    return [
        [
            rec.side,
            rec.units,
            rec.contracts,
            rec.residual_exposure,
            micro,
            rec.micro_contracts if micro else None,
            rec.exposure_after,
            rec.cost,
            rec.vol_added / 100.0,
            rec.vol_added_ccy,
        ]
    ]


@worksheet_function(
    "PAIR_NEUTRAL",
    "Weight of the short leg that makes a pair beta-neutral, −w_A·β_A/β_B (docs/methodology/sizing.md).",
    docs={
        "w_a": "Weight of leg A, NAV fraction (long > 0).",
        "beta_a": "Beta of A to the index.",
        "beta_b": "Beta of B to the index (≠ 0).",
    },
    ranges=("w_a", "beta_a", "beta_b"),
)
def PAIR_NEUTRAL(w_a: Any, beta_a: Any, beta_b: Any) -> Any:
    """NAV fraction for leg B (negative = short)."""
    a, ba, bb = broadcast(w_a=num(w_a, "w_a"), beta_a=num(beta_a, "beta_a"), beta_b=num(beta_b, "beta_b"))
    return result(sizing.pair_neutral_weight(a, ba, bb))


_FIELDS = (
    "name",
    "factor",
    "kind",
    "price",
    "multiplier",
    "beta",
    "face",
    "currency",
    "expiry",
    "micro",
    "strike",
    "vol",
    "years",
    "funding_rate",
    "tilt",
)


@worksheet_function(
    "INSTRUMENT",
    "A field of a shipped catalogue instrument (illustrative prices; refresh them).",
    docs={
        "ticker": "Ticker in the catalogue (ES, MES, SPY, SH, SPX_PUT, TLT, ZN, 6E, CL, BTC, BTCUSD…).",
        "field": "One of: " + ", ".join(_FIELDS) + " (default price).",
    },
)
def INSTRUMENT(ticker: Any, field: Any = "price") -> Any:
    """The catalogue default; blank when the instrument has no such field."""
    t = coerce.grid(ticker, "ticker")[0, 0]
    if coerce.is_blank(t):
        raise InputError("is required", where="ticker")
    inst = _inst.lookup(str(t))
    f = coerce.choice(field, "field", _FIELDS, default="price")
    v = getattr(inst, f)
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day)
    return v
