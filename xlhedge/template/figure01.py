"""The source article's Figure 01 book (trades view → book view): `xlhedge demo --example figure01`.

Positions and weights are Figure 01's: long IPX 1.5%, AHCO 1.5%, EFOR 0.75%,
AMRZ 1.0%, short WTI 1.0%, long TLT 0.5% of NAV. The betas are ours, chosen to
be plausible and documented here (the source article prints none):

* IPX — small-cap materials/industrial name: high equity beta (1.40), some
  commodity beta (0.30, metals), industrials tilt.
* AHCO — US healthcare services: equity beta 0.90, healthcare tilt 1.0.
* EFOR — industrial small cap: equity beta 1.10, industrials tilt 1.0.
* AMRZ — NYSE-listed building-materials company with Swiss roots: equity beta
  1.00, industrials tilt 1.0, and 60% of its value moving with CHF (Cross-Asset Hedging §07).
* WTI — crude oil future, short: commodity beta 1.0, equity beta 0.30 (oil's
  pro-cyclical link), energy tilt 1.0.
* TLT — long Treasury ETF: duration 17 years (Cross-Asset Hedging §06), equity beta −0.20.

The article's right-hand column (+0.92 equity beta and so on) cannot come from
these weights: positions summing to ~6% of NAV cannot carry 0.92 NAV of equity
beta. xlhedge shows what the sum-product gives; docs/methodology/factor-model.md says so.
"""

from __future__ import annotations

import datetime as _dt

FIGURE01_NAV = 1_000_000.0
FIGURE01_CURRENCY = "USD"
FIGURE01_AS_OF = _dt.datetime(2026, 11, 13)

#: One dict per position: attributes by key, then betas by factor label / key.
FIGURE01_POSITIONS: tuple[dict, ...] = (
    dict(
        ticker="IPX",
        asset_class="equity",
        instrument="stock",
        currency="USD",
        sector="Materials",
        is_hedge=False,
        fx_currency="AUD",
        fx_share=0.3,
        weight=0.015,
        betas={"equity": 1.40, "commodity": 0.30, "Industrials tilt": 0.60},
    ),
    dict(
        ticker="AHCO",
        asset_class="equity",
        instrument="stock",
        currency="USD",
        sector="Healthcare",
        is_hedge=False,
        weight=0.015,
        betas={"equity": 0.90, "Healthcare tilt": 1.0},
    ),
    dict(
        ticker="EFOR",
        asset_class="equity",
        instrument="stock",
        currency="USD",
        sector="Industrials",
        is_hedge=False,
        weight=0.0075,
        betas={"equity": 1.10, "Industrials tilt": 1.0},
    ),
    dict(
        ticker="AMRZ",
        asset_class="equity",
        instrument="stock",
        currency="USD",
        sector="Industrials",
        is_hedge=False,
        fx_currency="CHF",
        fx_share=0.6,
        weight=0.010,
        betas={"equity": 1.00, "usd": -0.3, "Industrials tilt": 1.0},
    ),
    dict(
        ticker="WTI",
        asset_class="commodity",
        instrument="future",
        currency="USD",
        sector="Energy",
        is_hedge=False,
        weight=-0.010,
        betas={"equity": 0.30, "commodity": 1.0, "usd": -0.2, "Energy tilt": 1.0},
    ),
    dict(
        ticker="TLT",
        asset_class="rates",
        instrument="etf",
        currency="USD",
        sector="Treasuries",
        is_hedge=False,
        weight=0.005,
        betas={"equity": -0.20, "duration": 17.0},
    ),
)
