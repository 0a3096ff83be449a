"""Perpetual and futures mechanics (docs/methodology/perpetuals.md): PnL, funding sign, liquidation, roll."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlhedge.engine import perps
from xlhedge.engine.errors import InputError
from xlhedge.functions.registry import registry

R = registry()


def call(name, *args):
    return R[name].call(*args)


def test_linear_pnl():
    assert perps.linear_pnl(-2.5, 60_000, 48_000) == pytest.approx(30_000)
    assert perps.linear_pnl(5, 60_000, 48_000) == pytest.approx(-60_000)
    assert call("LINEAR_PNL", -2.5, 60_000, 48_000) == pytest.approx(30_000)
    assert "exit must be > 0" in call("LINEAR_PNL", 1, 60_000, -1)


def test_inverse_pnl_by_hand():
    # long 1,000 contracts of $100 from 50,000 to 60,000: 100,000·(1/50,000 − 1/60,000) coin
    coin = 100_000 * (1 / 50_000 - 1 / 60_000)
    assert perps.inverse_pnl(1000, 100, 50_000, 60_000) == pytest.approx(coin)
    assert perps.inverse_pnl(-1000, 100, 50_000, 60_000) == pytest.approx(-coin)  # short = negative
    assert perps.inverse_pnl_usd(1000, 100, 50_000, 60_000) == pytest.approx(coin * 60_000)
    assert call("INVERSE_PNL", 1000, 100, 50_000, 60_000) == pytest.approx(coin)
    assert "face must be > 0" in call("INVERSE_PNL", 1000, 0, 50_000, 60_000)


@settings(max_examples=100, deadline=None)
@given(
    q=st.floats(0.01, 1000),
    p0=st.floats(100, 200_000),
    p1=st.floats(1, 1_000_000),
    face=st.sampled_from([1.0, 10.0, 100.0]),
)
def test_one_x_inverse_short_keeps_usd_value(q, p0, p1, face):
    # docs/methodology/perpetuals.md property: spot Q plus a 1× inverse short of N = Q·P0/V contracts keeps USD Q·P0
    n = q * p0 / face
    coin_total = q + perps.inverse_pnl(-n, face, p0, p1)
    assert coin_total * p1 == pytest.approx(q * p0, rel=1e-9)
    wf = call("INVERSE_PNL", -n, face, p0, p1)
    assert (q + wf) * p1 == pytest.approx(q * p0, rel=1e-9)


def test_funding_sign_longs_pay_shorts_when_positive():
    assert perps.funding_payment(100_000, 0.0001, 3, "short") == pytest.approx(30.0)
    assert perps.funding_payment(100_000, 0.0001, 3, "long") == pytest.approx(-30.0)
    assert perps.funding_payment(100_000, -0.0002, 1, "short") == pytest.approx(-20.0)
    assert perps.funding_payment(100_000, -0.0002, 1, "long") == pytest.approx(20.0)
    assert call("PERP_FUNDING", 100_000, 0.0001, 3) == pytest.approx(30.0)  # default side: short
    assert call("PERP_FUNDING", 100_000, 0.0001, 3, " LONG ") == pytest.approx(-30.0)
    assert "expected one of long, short" in call("PERP_FUNDING", 1, 0.1, 1, "both")
    assert "give the direction in side" in call("PERP_FUNDING", -1, 0.1)


def test_annualised_carry():
    rates = np.array([0.0001, 0.0003, np.nan, 0.0002])
    assert perps.annualised_carry(rates) == pytest.approx(0.0002 * 3 * 365)
    assert perps.annualised_carry(rates, 3, "long") == pytest.approx(-0.0002 * 3 * 365)
    assert call("PERP_CARRY", [[0.0001], [0.0003], [None], [0.0002]]) == pytest.approx(0.219)


@pytest.mark.parametrize(
    "contract, side, expected",
    [
        ("linear", "long", lambda p, L, m: p * (1 - 1 / L + m)),
        ("linear", "short", lambda p, L, m: p * (1 + 1 / L - m)),
        ("inverse", "long", lambda p, L, m: p / (1 + 1 / L - m)),
        ("inverse", "short", lambda p, L, m: p / (1 - 1 / L + m)),
    ],
)
@pytest.mark.parametrize("lev", [2, 5, 10, 25, 100])
def test_liquidation_matches_published_simplified_formulas(contract, side, expected, lev):
    p, m = 60_000.0, 0.005
    want = expected(p, lev, m)
    assert perps.liquidation_price(p, lev, side, m, contract) == pytest.approx(want, rel=1e-12)
    assert call("LIQ_PRICE", p, lev, side, m, contract) == pytest.approx(want, rel=1e-12)


def test_liquidation_bybit_style_example():
    # 10× linear long from 60,000 with 0.5% MMR: 60,000 × (1 − 0.1 + 0.005) = 54,300
    assert perps.liquidation_price(60_000, 10, "long") == pytest.approx(54_300)
    # a 1× inverse short sits at P0/m (docs/methodology/perpetuals.md: never liquidated in practice)
    assert perps.liquidation_price(60_000, 1, "short", 0.005, "inverse") == pytest.approx(12_000_000)
    assert perps.liquidation_price(60_000, 0.5, "short", 0.005, "inverse") == np.inf
    assert call("LIQ_PRICE", 60_000, 0.5, "short", 0.005, "inverse").startswith("#NUM! LIQ_PRICE")


@pytest.mark.parametrize("contract", ["linear", "inverse"])
def test_liquidation_moves_towards_entry_with_leverage(contract):
    lev = np.array([1.5, 2, 3, 5, 10, 20, 50, 100])
    long_liq = perps.liquidation_price(60_000, lev, "long", 0.005, contract)
    short_liq = perps.liquidation_price(60_000, lev, "short", 0.005, contract)
    assert np.all(np.diff(long_liq) > 0) and np.all(long_liq < 60_000)
    assert np.all(np.diff(short_liq) < 0) and np.all(short_liq > 60_000)


@pytest.mark.parametrize(
    "args, message",
    [
        ((60_000, 0, "long"), "leverage must be > 0"),
        ((60_000, -2, "long"), "leverage must be > 0"),
        ((-5, 2, "long"), "entry must be > 0"),
        ((60_000, 2, "up"), "expected one of long, short"),
        ((60_000, 2, "long", 0.005, "quanto"), "expected one of linear, inverse"),
        ((60_000, 2, "long", 1.5), "mmr must be < 1"),
    ],
)
def test_liquidation_bad_input(args, message):
    out = call("LIQ_PRICE", *args)
    assert out.startswith("#VALUE! LIQ_PRICE:") and message in out


def test_liquidation_distance_and_table():
    pct, sig = perps.liquidation_distance(60_000, 54_300, 0.03)
    assert pct == pytest.approx(-0.095) and sig == pytest.approx(0.095 / 0.03)
    assert call("LIQ_DISTANCE", 60_000, 54_300, 0.03) == [[pytest.approx(-0.095), pytest.approx(0.095 / 0.03)]]
    assert call("LIQ_DISTANCE", 60_000, 54_300) == [[pytest.approx(-0.095), None]]
    t = perps.liquidation_table(60_000, [2, 10], daily_vol=0.03)
    assert len(t) == 8 and "simplified" in t.attrs["note"].lower()


def test_roll_warnings():
    exp = {"ES": dt.date(2026, 12, 18), "ZN": dt.date(2026, 12, 30), "6E": dt.date(2026, 12, 10), "SPY": None}
    t = perps.roll_warnings(exp, dt.date(2026, 12, 14)).set_index("ticker")
    assert t.loc["ES", "status"] == "roll" and t.loc["ES", "days_left"] == 4
    assert t.loc["ZN", "status"] == "ok"
    assert t.loc["6E", "status"] == "expired"
    assert "SPY" not in t.index
    assert perps.roll_warnings({"ES": "2026-12-18"}, "2026-12-10", days=10).loc[0, "status"] == "roll"
    assert call("ROLL_DAYS", dt.datetime(2026, 12, 18), dt.datetime(2026, 12, 14)) == [[4.0, "roll"]]
    # Excel date serial numbers too: 46374 = 2026-12-18
    assert call("ROLL_DAYS", 46374, 46366) == [[8.0, "ok"]]
    with pytest.raises(InputError, match="expected a date"):
        perps.roll_warnings({"ES": "soon"}, "2026-12-10")


def test_roll_days_bad_dates_are_messages_not_internal_errors():
    # an out-of-range serial, a formula pointing at an empty cell (0), a logical value
    for expiry, message in (
        (1e10, "expiry: expected a date"),
        (0, "expiry is required"),
        (True, "expiry: expected a date"),
    ):
        value, exc = R["ROLL_DAYS"].evaluate(expiry, 46366)
        assert isinstance(exc, InputError) and message in value, value
    # a blank valuation date means today
    today = dt.date.today()
    t = perps.roll_warnings({"ES": today + dt.timedelta(days=3)}, "")
    assert t.loc[0, "days_left"] == 3 and t.loc[0, "status"] == "roll"
