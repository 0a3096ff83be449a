"""The example book's protection: an SPY put and VIX calls (docs/methodology/options.md).

Self-contained so the example book's other positions can change without touching it;
:mod:`xlhedge.template.example` appends :data:`EXAMPLE_OPTIONS` to its positions. Both
options are on instruments of the catalogue (Instruments sheet), so their spot and factor
betas come from there; their weight (delta exposure) and betas are computed from their
Greeks by the recompute, never typed. Valued at the example book's as-of date
(2026-11-13) with the Instruments sheet's option rate and dividend yield.

* ``SPY_P570`` — 20 long SPY puts, strike 570 (5% below the catalogue's SPY at 600),
  expiring 2027-03-19 (about 4 months), implied vol 19%, Black–Scholes–Merton, 100 shares
  per contract: tail protection (the source article's largest budget bucket). About
  −3.6% of NAV of delta (its equity exposure) and a long vol exposure.
* ``VIX_C25`` — 10 long VIX calls, strike 25 on the VIX future (catalogue ``VX`` at 18),
  expiring 2027-01-20, implied vol (vol of vol) 85%, Black-76, multiplier 100: long vol.
  Their vol exposure is their delta on the VIX future (whose beta is 100/18 % of NAV per
  VIX point); their own vega is to the vol of vol, so their option vol beta is 0 (blank).
  Held as a long-vol position, not flagged as a factor hedge: the book has no vol exposure
  of its own for it to offset (the checks would call it OVER_HEDGE).

Sized for the example's NAV of 10,000,000: scale ``contracts`` with the NAV.
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["EXAMPLE_OPTIONS"]

#: Option positions in the format of :data:`xlhedge.template.example.EXAMPLE_POSITIONS`
#: (no weight or betas: both are computed from the Greeks).
EXAMPLE_OPTIONS: tuple[dict, ...] = (
    dict(
        ticker="SPY_P570",
        asset_class="option",
        instrument="option",
        currency="USD",
        sector="Protection",
        is_hedge=True,
        hedge_factor="equity",
        option_type="put",
        underlying="SPY",
        strike=570.0,
        implied_vol=0.19,
        contracts=20.0,
        multiplier=100.0,
        expiry=_dt.datetime(2027, 3, 19),
        option_model="bs",
        weight=None,
        betas={},
    ),
    dict(
        ticker="VIX_C25",
        asset_class="option",
        instrument="option",
        currency="USD",
        sector="Protection",
        is_hedge=False,
        option_type="call",
        underlying="VX",
        strike=25.0,
        implied_vol=0.85,
        contracts=10.0,
        multiplier=100.0,
        expiry=_dt.datetime(2027, 1, 20),
        option_model="black76",
        weight=None,
        betas={},
    ),
)
