"""Hedge instruments as data: the contracts docs/methodology/sizing.md names, with illustrative prices.

The catalogue is a table, one row per instrument, shown on the template's
``Instruments`` sheet and passed to the sizing functions as a keyword argument
(``instruments=``); nothing in :mod:`xlhedge.engine.sizing` hard-codes a contract size.

.. warning::
   Prices (and the betas, durations, vols and funding rates) shipped here are
   **illustrative**: round numbers of the right order of magnitude so the example
   book sizes sensibly. They are inputs the user refreshes before trading.
   Contract sizes are the exchanges' published ones.

Columns (units and meaning per ``kind``)
-----------------------------------------
ticker
    Key used everywhere (case-insensitive lookup).
factor
    The factor the instrument hedges: a core factor of docs/methodology/factor-model.md (``equity``,
    ``duration``, ``usd``, ``commodity``, ``crypto``) or ``fx`` for currency
    futures (one per ``currency``, docs/methodology/sizing.md FX).
kind
    One of :data:`KINDS`: ``future``, ``etf``, ``inverse_etf``, ``option``,
    ``perp_linear``, ``perp_inverse``.
price
    Quote in USD: futures in index points / USD per unit of the underlying
    (currency futures: USD per unit of ``currency``; Treasury futures: points
    per 100 of face), ETF price per share, underlying spot for options,
    perpetual mark price in USD per coin.
multiplier
    Currency value of one price point per unit: ES 50, MES 5, shares 1, options
    100, ZN/ZB 1,000 (= face / 100), CL 1,000 bbl, 6E 125,000 EUR, CME BTC 5 BTC,
    linear perps 1 coin. Unused for inverse perps (see ``face``).
face
    Face value: Treasury futures 100,000 USD; inverse perps the USD value of
    one contract (100 for BTCUSD, 10 for ETHUSD). Blank otherwise.
beta
    Beta of one unit of the instrument's value to its factor: 1 for a direct
    instrument, −1 for a 1× inverse ETF, a sector ETF's beta to SPX, the
    effective **duration** in years for rates instruments (docs/methodology/sizing.md rates: DV01
    matching is the general form with beta = duration), ETH's beta to BTC.
currency
    Currency the instrument moves with against USD (currency futures).
expiry
    Last trading day of the illustrative front contract (dated futures, options).
micro
    Ticker of the micro contract that completes a rounded position (ES → MES).
strike, vol, years
    Options only: strike in index points, implied vol (annual, decimal),
    time to expiry in years.
option_type, model, strike2
    Options only: ``call`` or ``put`` (blank = put), ``bs`` (Black–Scholes–Merton on
    spot) or ``black76`` (Black-76 on a futures price, VIX options on the VIX future;
    blank = bs), and the strike of the short leg of a spread (a put spread: long the put
    at ``strike``, short the put at ``strike2``; blank = a single option). Prices, deltas
    and vegas per contract: docs/methodology/options.md.
funding_rate
    Perpetuals only: illustrative funding rate per period (8-hourly), decimal.
tilt
    Sector or style tilt a sector ETF hedges (``energy``...), blank otherwise.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import KINDS, OPTION_KINDS, OPTION_MODELS, Kind
from xlhedge.engine.coerce import as_date
from xlhedge.engine.errors import InputError

__all__ = [
    "KINDS",
    "Kind",
    "Instrument",
    "INSTRUMENTS",
    "ILLUSTRATIVE_NOTE",
    "DEFAULT_HEDGE_INSTRUMENTS",
    "instrument_table",
    "lookup",
    "catalogue",
    "unit_value",
    "currency_future",
    "with_prices",
    "SHEET_COLUMNS",
    "from_grid",
    "option_unit",
]

#: Shown on the Instruments sheet and in every printed catalogue.
ILLUSTRATIVE_NOTE = (
    "Illustrative prices, betas, durations, vols and funding rates: refresh them "
    "before sizing a real hedge. Contract sizes are the exchanges' published ones."
)


@dataclass(frozen=True)
class Instrument:
    """One hedge instrument (see the module docstring for units per field)."""

    ticker: str
    name: str
    factor: str
    kind: str
    price: float
    multiplier: float = 1.0
    beta: float = 1.0
    face: float | None = None
    currency: str = "USD"
    expiry: _dt.date | None = None
    micro: str | None = None
    strike: float | None = None
    vol: float | None = None
    years: float | None = None
    funding_rate: float | None = None
    tilt: str | None = None
    option_type: str | None = None
    model: str | None = None
    strike2: float | None = None

    @property
    def duration(self) -> float | None:
        """Effective duration in years (rates instruments: their beta to ``duration``)."""
        return self.beta if self.factor == "duration" else None


_D = _dt.date
#: The shipped catalogue (docs/methodology/sizing.md). Prices ILLUSTRATIVE; see :data:`ILLUSTRATIVE_NOTE`.
INSTRUMENTS: tuple[Instrument, ...] = (
    # Equity (docs/methodology/sizing.md equity): index futures, shares, inverse ETF, puts, sector ETFs.
    Instrument("ES", "E-mini S&P 500 future", "equity", "future", 6000.0, 50.0, expiry=_D(2026, 12, 18), micro="MES"),
    Instrument("MES", "Micro E-mini S&P 500 future", "equity", "future", 6000.0, 5.0, expiry=_D(2026, 12, 18)),
    Instrument("SPY", "SPDR S&P 500 ETF", "equity", "etf", 600.0, 1.0),
    Instrument("SH", "ProShares Short S&P 500 (1x inverse)", "equity", "inverse_etf", 40.0, 1.0, beta=-1.0),
    Instrument(
        "SPX_PUT",
        "SPX put, 5% OTM, 3 months",
        "equity",
        "option",
        6000.0,
        100.0,
        expiry=_D(2027, 2, 19),
        strike=5700.0,
        vol=0.18,
        years=0.25,
    ),
    Instrument(
        "SPY_PUT",
        "SPY put, 5% OTM, 3 months",
        "equity",
        "option",
        600.0,
        100.0,
        expiry=_D(2027, 2, 19),
        strike=570.0,
        vol=0.18,
        years=0.25,
    ),
    # Vol (docs/methodology/options.md): the VIX future, underlying of VIX options (Black-76). Its beta
    # is the vol factor's unit per unit weight, % of NAV per VIX point: 100 / price (the future is
    # taken to move point for point with the index).
    Instrument(
        "VX",
        "Cboe VIX future (1,000 x index)",
        "vol",
        "future",
        18.0,
        1000.0,
        beta=100.0 / 18.0,
        expiry=_D(2026, 12, 16),
    ),
    Instrument(
        "SPX_CALL",
        "SPX call, 5% OTM, 3 months",
        "equity",
        "option",
        6000.0,
        100.0,
        expiry=_D(2027, 2, 19),
        strike=6300.0,
        vol=0.15,
        years=0.25,
        option_type="call",
    ),
    Instrument(
        "SPX_PS",
        "SPX put spread 5700/5100, 3 months",
        "equity",
        "option",
        6000.0,
        100.0,
        expiry=_D(2027, 2, 19),
        strike=5700.0,
        vol=0.18,
        years=0.25,
        option_type="put",
        strike2=5100.0,
    ),
    Instrument(
        "VIX_CALL",
        "VIX call on the VIX future, strike 25, 2 months (Black-76)",
        "vol",
        "option",
        18.0,
        100.0,
        beta=100.0 / 18.0,
        expiry=_D(2027, 1, 20),
        strike=25.0,
        vol=0.85,
        years=0.15,
        option_type="call",
        model="black76",
    ),
    Instrument("XLE", "Energy Select Sector SPDR", "equity", "etf", 90.0, 1.0, beta=0.9, tilt="energy"),
    Instrument("XLK", "Technology Select Sector SPDR", "equity", "etf", 230.0, 1.0, beta=1.2, tilt="technology"),
    Instrument("XLF", "Financial Select Sector SPDR", "equity", "etf", 50.0, 1.0, beta=1.1, tilt="financials"),
    Instrument("XLI", "Industrial Select Sector SPDR", "equity", "etf", 140.0, 1.0, beta=1.05, tilt="industrials"),
    Instrument("XLV", "Health Care Select Sector SPDR", "equity", "etf", 145.0, 1.0, beta=0.75, tilt="healthcare"),
    Instrument(
        "XLY",
        "Consumer Discretionary Select Sector SPDR",
        "equity",
        "etf",
        210.0,
        1.0,
        beta=1.15,
        tilt="consumer_discretionary",
    ),
    # Vol (docs/methodology/hedge-optimizer.md): a VIX call, priced Black-76 on the VIX future given as price.
    Instrument(
        "VIX_CALL",
        "VIX call, strike 25, 3 months",
        "vol",
        "option",
        17.0,
        100.0,
        expiry=_D(2027, 2, 17),
        strike=25.0,
        vol=0.9,
        years=0.25,
    ),
    # Rates (docs/methodology/sizing.md rates): beta = effective duration; futures price in points per 100 face.
    Instrument("TLT", "iShares 20+ Year Treasury Bond ETF", "duration", "etf", 90.0, 1.0, beta=17.0),
    Instrument("IEF", "iShares 7-10 Year Treasury Bond ETF", "duration", "etf", 95.0, 1.0, beta=7.5),
    Instrument("SHY", "iShares 1-3 Year Treasury Bond ETF", "duration", "etf", 82.0, 1.0, beta=1.9),
    Instrument(
        "ZN",
        "10-Year T-Note future",
        "duration",
        "future",
        111.0,
        1000.0,
        beta=6.5,
        face=100_000.0,
        expiry=_D(2026, 12, 21),
    ),
    Instrument(
        "ZB",
        "U.S. Treasury Bond future",
        "duration",
        "future",
        117.0,
        1000.0,
        beta=11.5,
        face=100_000.0,
        expiry=_D(2026, 12, 21),
    ),
    # USD factor (DXY) and currency futures (docs/methodology/sizing.md FX), price = USD per unit of currency.
    Instrument("UUP", "Invesco DB US Dollar Index Bullish", "usd", "etf", 28.0, 1.0),
    Instrument("6E", "Euro FX future", "fx", "future", 1.08, 125_000.0, currency="EUR", expiry=_D(2026, 12, 14)),
    Instrument("6S", "Swiss franc future", "fx", "future", 1.13, 125_000.0, currency="CHF", expiry=_D(2026, 12, 14)),
    Instrument(
        "6J", "Japanese yen future", "fx", "future", 0.0067, 12_500_000.0, currency="JPY", expiry=_D(2026, 12, 14)
    ),
    Instrument("6B", "British pound future", "fx", "future", 1.27, 62_500.0, currency="GBP", expiry=_D(2026, 12, 14)),
    Instrument(
        "6C", "Canadian dollar future", "fx", "future", 0.73, 100_000.0, currency="CAD", expiry=_D(2026, 12, 15)
    ),
    Instrument(
        "6A", "Australian dollar future", "fx", "future", 0.66, 100_000.0, currency="AUD", expiry=_D(2026, 12, 14)
    ),
    # Commodity (docs/methodology/sizing.md): beta to the book's commodity composite, illustrative.
    Instrument(
        "CL",
        "WTI crude oil future (1,000 bbl)",
        "commodity",
        "future",
        70.0,
        1000.0,
        expiry=_D(2026, 12, 18),
        micro="MCL",
        tilt="energy",
    ),
    Instrument(
        "MCL",
        "Micro WTI crude oil future (100 bbl)",
        "commodity",
        "future",
        70.0,
        100.0,
        expiry=_D(2026, 12, 18),
        tilt="energy",
    ),
    Instrument("GC", "Gold future (100 oz)", "commodity", "future", 2600.0, 100.0, beta=0.5, expiry=_D(2026, 12, 29)),
    Instrument(
        "HG", "Copper future (25,000 lb)", "commodity", "future", 4.5, 25_000.0, beta=0.8, expiry=_D(2026, 12, 29)
    ),
    # Crypto (docs/methodology/sizing.md, perpetuals.md): CME dated futures, linear (USDT) and inverse (coin-margined) perps.
    Instrument(
        "BTC", "CME Bitcoin future (5 BTC)", "crypto", "future", 60_000.0, 5.0, expiry=_D(2026, 12, 24), micro="MBT"
    ),
    Instrument("MBT", "CME Micro Bitcoin future (0.1 BTC)", "crypto", "future", 60_000.0, 0.1, expiry=_D(2026, 12, 24)),
    Instrument(
        "BTCUSDT",
        "BTC linear perpetual (USDT-margined, 1 BTC)",
        "crypto",
        "perp_linear",
        60_000.0,
        1.0,
        funding_rate=0.0001,
    ),
    Instrument(
        "BTCUSD",
        "BTC inverse perpetual (coin-margined, USD 100 face)",
        "crypto",
        "perp_inverse",
        60_000.0,
        1.0,
        face=100.0,
        funding_rate=0.0001,
    ),
    Instrument(
        "ETHUSDT",
        "ETH linear perpetual (USDT-margined, 1 ETH)",
        "crypto",
        "perp_linear",
        3000.0,
        1.0,
        beta=1.2,
        funding_rate=0.0001,
    ),
    Instrument(
        "ETHUSD",
        "ETH inverse perpetual (coin-margined, USD 10 face)",
        "crypto",
        "perp_inverse",
        3000.0,
        1.0,
        beta=1.2,
        face=10.0,
        funding_rate=0.0001,
    ),
)

#: Default hedge instrument per factor (docs/methodology/sizing.md), *editable*: a Hedges-sheet input.
DEFAULT_HEDGE_INSTRUMENTS: dict[str, str] = {
    "equity": "ES",
    "duration": "TLT",
    "usd": "UUP",
    "commodity": "CL",
    "crypto": "BTC",
}

_COLUMNS = [f.name for f in fields(Instrument)]


def instrument_table(instruments: Iterable[Instrument] = INSTRUMENTS) -> pd.DataFrame:
    """The catalogue as a DataFrame indexed by ticker (the Instruments sheet's layout)."""
    rows = [asdict(i) for i in instruments]
    df = pd.DataFrame(rows, columns=_COLUMNS).set_index("ticker", drop=False)
    df.index.name = None
    return df


def catalogue(instruments: Any = None) -> dict[str, Instrument]:
    """Normalise a catalogue argument to ``{TICKER: Instrument}``.

    Accepts ``None`` (the shipped defaults), an iterable of :class:`Instrument`,
    a dict of them, or a DataFrame with the :func:`instrument_table` columns
    (e.g. read back from the Instruments sheet).
    """
    if instruments is None:
        items: Iterable[Instrument] = INSTRUMENTS
    elif isinstance(instruments, pd.DataFrame):
        items = [_from_row(r) for r in instruments.to_dict("records")]
    elif isinstance(instruments, dict):
        items = instruments.values()
    else:
        items = instruments
    out: dict[str, Instrument] = {}
    for inst in items:
        if not isinstance(inst, Instrument):
            raise InputError(f"expected Instrument entries, found {type(inst).__name__}", where="instruments")
        _validate(inst)
        out[inst.ticker.strip().upper()] = inst
    return out


def _none(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if v is pd.NaT:
        return None
    return v


def _from_row(row: Mapping[Any, Any]) -> Instrument:
    kw = {k: _none(row.get(k)) for k in _COLUMNS}
    missing = [k for k in ("ticker", "factor", "kind", "price") if kw[k] is None]
    if missing:
        raise InputError(f"row for {kw.get('ticker')!r} has no {', '.join(missing)}", where="instruments")
    for k in ("multiplier", "beta"):
        if kw[k] is None:
            kw[k] = 1.0
    if kw["currency"] is None:
        kw["currency"] = "USD"
    if isinstance(kw["expiry"], (pd.Timestamp, _dt.datetime)):
        kw["expiry"] = pd.Timestamp(kw["expiry"]).date()
    kw["kind"] = str(kw["kind"]).strip().lower()
    kw["factor"] = str(kw["factor"]).strip().lower()
    return Instrument(**kw)


def _validate(inst: Instrument) -> None:
    where = f"instrument {inst.ticker}"
    if inst.kind not in KINDS:
        raise InputError(f"kind must be one of {', '.join(KINDS)}, found {inst.kind!r}", where=where)
    if not (inst.price > 0):
        raise InputError(f"price must be > 0, got {inst.price:g}", where=where)
    if not (inst.multiplier > 0):
        raise InputError(f"multiplier must be > 0, got {inst.multiplier:g}", where=where)
    if inst.beta == 0:
        raise InputError("beta must be non-zero (it divides the hedge notional)", where=where)
    if inst.kind == "perp_inverse" and not (inst.face and inst.face > 0):
        raise InputError("an inverse perpetual needs its USD face value per contract (> 0)", where=where)
    if inst.kind == "option":
        for k in ("strike", "vol", "years"):
            v = getattr(inst, k)
            if v is None or not (v > 0):
                raise InputError(f"an option needs {k} > 0", where=where)
        if inst.option_type is not None and str(inst.option_type).strip().lower() not in OPTION_KINDS:
            raise InputError(
                f"option type must be one of {', '.join(OPTION_KINDS)}, found {inst.option_type!r}", where=where
            )
        if inst.model is not None and str(inst.model).strip().lower() not in OPTION_MODELS:
            raise InputError(f"model must be one of {', '.join(OPTION_MODELS)}, found {inst.model!r}", where=where)
        if inst.strike2 is not None and not (inst.strike2 > 0):
            raise InputError("the second strike of a spread must be > 0", where=where)


def option_unit(inst: Instrument, *, rate: float = 0.0, div: float = 0.0) -> tuple[float, float, float]:
    """(premium, delta, vega per vol point) of one unit of underlying of an option instrument.

    A spread (``strike2``) is long the option at ``strike`` and short the one at ``strike2``
    (same type, expiry and vol); blank type = put, blank model = bs (docs/methodology/options.md).
    Multiply by the multiplier for one contract.
    """
    from xlhedge.engine.options import option_greeks

    kind = str(inst.option_type or "put").strip().lower()
    model = str(inst.model or "bs").strip().lower()
    g = option_greeks(kind, inst.price, inst.strike, inst.vol, inst.years, rate, div, model)
    p, d, v = float(g.price), float(g.delta), float(g.vega)
    if inst.strike2 is not None:
        g2 = option_greeks(kind, inst.price, inst.strike2, inst.vol, inst.years, rate, div, model)
        p, d, v = p - float(g2.price), d - float(g2.delta), v - float(g2.vega)
    return p, d, v


def lookup(ticker: str, instruments: Any = None) -> Instrument:
    """The instrument called ``ticker`` (case-insensitive).

    Raises
    ------
    InputError
        Unknown ticker; the message lists the valid ones.
    """
    cat = catalogue(instruments)
    key = str(ticker).strip().upper()
    if key not in cat:
        raise InputError(f"unknown instrument {ticker!r}; valid tickers: {', '.join(cat)}", where="instrument")
    return cat[key]


def unit_value(inst: Instrument) -> float:
    """Currency value of one unit (contract/share) before beta and delta (docs/methodology/sizing.md).

    ``price × multiplier`` for futures, shares and linear perps (for options the
    underlying notional, the sizing multiplies by |Δ|); the USD face for an
    inverse perpetual.
    """
    if inst.kind == "perp_inverse":
        if inst.face is None:  # catalogue() refuses it; an Instrument built by hand may lack it
            raise InputError(
                "an inverse perpetual needs its USD face value per contract (> 0)", where=f"instrument {inst.ticker}"
            )
        return float(inst.face)
    return float(inst.price * inst.multiplier)


def currency_future(currency: str, instruments: Any = None) -> Instrument | None:
    """The currency future for ``currency`` in the catalogue, or ``None``."""
    c = str(currency).strip().upper()
    for inst in catalogue(instruments).values():
        if inst.factor == "fx" and inst.kind == "future" and inst.currency.upper() == c:
            return inst
    return None


def with_prices(prices: dict[str, float], instruments: Any = None) -> dict[str, Instrument]:
    """A copy of the catalogue with refreshed prices ``{ticker: price}``."""
    cat = catalogue(instruments)
    out = dict(cat)
    for t, p in prices.items():
        inst = lookup(t, cat)
        out[inst.ticker.upper()] = replace(inst, price=float(p))
        _validate(out[inst.ticker.upper()])
    return out


#: Instruments-sheet column headers, in order, and the field each one fills.
SHEET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Ticker", "ticker"),
    ("Name", "name"),
    ("Factor", "factor"),
    ("Kind", "kind"),
    ("Price", "price"),
    ("Multiplier", "multiplier"),
    ("Beta / duration", "beta"),
    ("Face", "face"),
    ("Currency", "currency"),
    ("Expiry", "expiry"),
    ("Micro", "micro"),
    ("Strike", "strike"),
    ("Vol", "vol"),
    ("Years", "years"),
    ("Funding rate", "funding_rate"),
    ("Tilt", "tilt"),
    ("Option type", "option_type"),
    ("Model", "model"),
    ("Strike 2", "strike2"),
)
_HEADER_TO_FIELD = (
    {h.lower(): f for h, f in SHEET_COLUMNS}
    | {f: f for _, f in SHEET_COLUMNS}
    | {
        "beta": "beta",
        "duration": "beta",
        "funding": "funding_rate",
        "contract size": "multiplier",
    }
)
_REQUIRED = ("ticker", "factor", "kind", "price")  # a blank name takes the ticker
_TEXT_FIELDS = {"ticker", "name", "factor", "kind", "currency", "micro", "tilt", "option_type", "model"}


def from_grid(rows: Any, name: str = "instruments") -> dict[str, Instrument]:
    """Read an Instruments-sheet range (a header row, then one row per instrument).

    Headers are matched case-insensitively against :data:`SHEET_COLUMNS`; other
    columns (computed ones) are ignored; rows with a blank ticker are skipped.
    Blank numbers take the :class:`Instrument` defaults (multiplier 1, beta 1).
    """
    g = coerce.grid(rows, name)
    header = [str(v).strip().lower() if isinstance(v, str) else "" for v in g[0]]
    cols = {i: _HEADER_TO_FIELD[h] for i, h in enumerate(header) if h in _HEADER_TO_FIELD}
    missing = [h for h, f in SHEET_COLUMNS if f in _REQUIRED and f not in cols.values()]
    if missing:
        raise InputError(
            f"needs a header row with the columns {', '.join(missing)} "
            f"(found {', '.join(h for h in header if h) or 'none'})",
            where=name,
        )
    out: dict[str, Instrument] = {}
    for r in range(1, g.shape[0]):
        kw: dict[str, Any] = {}
        for i, field_name in cols.items():
            v = g[r, i]
            where = f"{name} row {r + 1} ({field_name})"
            if coerce.is_error_value(v):
                raise InputError(f"holds the error value {v}", where=where)
            if coerce.is_blank(v):
                continue
            if field_name in _TEXT_FIELDS:
                kw[field_name] = str(v).strip()
            elif field_name == "expiry":
                kw[field_name] = as_date(v, where)
            else:
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    raise InputError(f"expected a number, found {v!r}", where=where)
                kw[field_name] = float(v)
        if not kw.get("ticker"):
            continue
        for k in _REQUIRED[1:]:
            if k not in kw:
                raise InputError(f"has no {k}", where=f"{name} row {r + 1} ({kw['ticker']})")
        kw.setdefault("name", kw["ticker"])
        kw["factor"] = kw["factor"].lower()
        kw["kind"] = kw["kind"].lower()
        inst = Instrument(**kw)
        _validate(inst)
        out[inst.ticker.upper()] = inst
    if not out:
        raise InputError("has no instrument rows", where=name)
    return out
