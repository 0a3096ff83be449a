"""The bundled example book: a cross-asset book shaped like the source article's Figure 02.

``xlhedge demo`` writes it (docs/example.md documents every figure). Twenty-two positions on
a 10,000,000 USD NAV: US equities with sector tilts (technology, financials, healthcare, energy),
three non-USD listings (EUR, JPY, CHF), a Treasury ETF against a short 10-year note future,
short oil and copper futures against long gold, a Bitcoin future and a short VIX future.

The equity names' equity, USD and commodity betas are **not** typed here: the book ships with
a Prices sheet of real 2016–2018 closes (:mod:`xlhedge.data`, ``example_prices.csv``) and the
build estimates them from the last 252 returns (the Prices sheet's default window), as
``xlhedge estimate`` would. Betas that cannot be estimated from those series (durations, vol,
the tilts, the futures and the non-USD listings, which have no series) are typed, with the
reasoning beside each. The weights are chosen so the book view lands near Figure 02: net
equity beta ≈ +1.2, duration ≈ −0.3 years, commodity ≈ −0.45, modest USD and crypto, and a
small short-vol position.

Option positions (an SPX put, a VIX call) live in :mod:`xlhedge.template.example_options`
when that module exists; :func:`example_positions` appends them.
"""

from __future__ import annotations

import datetime as _dt

from xlhedge.template.example_options import EXAMPLE_OPTIONS

EXAMPLE_NAV = 10_000_000.0
EXAMPLE_CURRENCY = "USD"
EXAMPLE_AS_OF = _dt.datetime(2026, 11, 13)
#: The packaged price file the example's Prices sheet is filled from (xlhedge/data/).
EXAMPLE_PRICES = "example_prices.csv"


def _stock(ticker: str, sector: str, weight: float, tilt: str | None = None, **betas: float) -> dict:
    """A US-listed stock: its equity/USD/commodity betas are estimated from the Prices sheet."""
    b: dict[str, float] = dict(betas)
    if tilt:
        b[tilt] = 1.0
    return dict(
        ticker=ticker,
        asset_class="equity",
        instrument="stock",
        currency="USD",
        sector=sector,
        is_hedge=False,
        weight=weight,
        betas=b,
    )


def _foreign(ticker: str, sector: str, currency: str, weight: float, betas: dict[str, float]) -> dict:
    """A stock listed outside the US: all of its value moves with its listing currency."""
    return dict(
        ticker=ticker,
        asset_class="equity",
        instrument="stock",
        currency=currency,
        sector=sector,
        is_hedge=False,
        fx_currency=currency,
        fx_share=1.0,
        weight=weight,
        betas=betas,
    )


def _other(
    ticker: str, asset_class: str, instrument: str, sector: str, weight: float, betas: dict, **extra: object
) -> dict:
    return dict(
        **extra,
        ticker=ticker,
        asset_class=asset_class,
        instrument=instrument,
        currency="USD",
        sector=sector,
        is_hedge=False,
        weight=weight,
        betas=betas,
    )


#: The book's linear positions, in Book-sheet column order.
BASE_POSITIONS: list[dict] = [
    # US equities, long-heavy, with sector tilts (betas estimated from the Prices sheet)
    _stock("AAPL", "Technology", 0.18, "Technology tilt"),
    _stock("MSFT", "Technology", 0.18, "Technology tilt"),
    _stock("JPM", "Financials", 0.13, "Financials tilt"),
    _stock("BAC", "Financials", 0.07, "Financials tilt"),
    _stock("UNH", "Healthcare", 0.10, "Healthcare tilt"),
    _stock("JNJ", "Healthcare", 0.08, "Healthcare tilt"),
    _stock("PFE", "Healthcare", -0.04, "Healthcare tilt"),  # pair short inside the sector
    _stock("XOM", "Energy", 0.05, "Energy tilt"),
    _stock("CVX", "Energy", 0.05, "Energy tilt"),
    _stock("GE", "Industrials", -0.03, "Industrials tilt"),  # a short in a weak industrial
    _stock("HD", "Discretionary", 0.12),
    _stock("MTUM", "Momentum ETF", 0.20, "Momentum tilt"),
    # Non-USD listings: no series in the example's prices, betas typed
    _foreign("SAP", "Technology", "EUR", 0.06, {"equity": 1.10, "usd": -0.90, "Technology tilt": 1.0}),
    _foreign("7203", "Discretionary", "JPY", 0.04, {"equity": 0.80, "usd": -0.60}),
    _foreign("NESN", "Staples", "CHF", 0.03, {"equity": 0.60, "usd": -0.80}),
    # Rates: a long-bond ETF against a short 10-year note future
    _other("TLT", "rates", "etf", "Treasuries", 0.04, {"equity": -0.20, "duration": 17.0}),
    _other("ZN", "rates", "future", "Treasuries", -0.15, {"equity": -0.10, "duration": 6.5}),
    # Commodities: short oil and copper, long gold
    _other("CL", "commodity", "future", "Energy", -0.45, {"equity": 0.30, "commodity": 1.0, "usd": -0.20}),
    _other("HG", "commodity", "future", "Metals", -0.20, {"equity": 0.40, "commodity": 0.80, "usd": -0.30}),
    _other("GC", "commodity", "future", "Metals", 0.08, {"commodity": 0.50, "usd": -0.50}),
    # Crypto: a CME Bitcoin future
    _other("BTC", "crypto", "future", "Crypto", 0.06, {"equity": 0.50, "crypto": 1.0}),
    # Vol: short a VIX future (+1 VIX point ≈ +1/16 on a future near 16)
    # the VIX future at 18: a VIX point is 1/18 of its price, 100/18 % of NAV per unit weight (the
    # vol row's unit, % of NAV per VIX point); its price is the VIX calls' underlying price too
    _other("VX", "vol", "future", "Volatility", -0.05, {"equity": -0.20, "vol": 100.0 / 18.0}, price=18.0),
]


def example_positions() -> tuple[dict, ...]:
    """The example book's positions: :data:`BASE_POSITIONS`, then its protection (the options of
    :mod:`xlhedge.template.example_options`)."""
    return tuple(BASE_POSITIONS) + EXAMPLE_OPTIONS


EXAMPLE_POSITIONS: tuple[dict, ...] = example_positions()
