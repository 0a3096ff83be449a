"""Hedge sizing (docs/methodology/sizing.md): worked checks, independent computations, properties, Excel parity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from xlhedge import factor_exposure
from xlhedge.engine import instruments as I
from xlhedge.engine import sizing
from xlhedge.engine.errors import InputError, NotEnoughData
from xlhedge.engine.options import put_delta, put_price
from xlhedge.functions.registry import registry

R = registry()


def call(name, *args):
    return R[name].call(*args)


# ----------------------------------------------------------------------------- general form
def test_spec_worked_check_hedge_notional():
    # docs/methodology/sizing.md / Cross-Asset Hedging §05: E = +0.92, NAV 100,000, h = 0.5, α = 0 → −46,000
    assert sizing.hedge_notional(0.92, 100_000, 0.5) == pytest.approx(-46_000)
    assert call("HEDGE_NOTIONAL", 0.92, 100_000, 0.5) == pytest.approx(-46_000)


def test_general_form_target_and_alpha():
    # −h·(E − T)·NAV/(1 − α), by hand
    assert sizing.hedge_notional(0.92, 100_000, 0.5, 0.3, 0.2) == pytest.approx(-0.5 * 0.62 * 100_000 / 0.8)
    assert sizing.hedge_notional(-0.4, 1e6, 1.0) == pytest.approx(400_000)  # short book buys
    assert call("HEDGE_NOTIONAL", [[0.92], [-0.4]], 1e6, [[0.5], [1]], None, None) == [
        [pytest.approx(-460_000)],
        [pytest.approx(400_000)],
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        ((0.9, 100_000, 1.5), "ratio must be ≤ 1"),
        ((0.9, 100_000, -0.1), "ratio must be ≥ 0"),
        ((0.9, -5, 1), "nav must be > 0"),
        ((0.9, 100_000, 1, 0, 1.0), "alpha must be < 1"),
        (("x", 100_000), "expected a number, found text 'x'"),
    ],
)
def test_hedge_notional_bad_input_is_a_clear_cell_error(args, message):
    out = call("HEDGE_NOTIONAL", *args)
    assert out.startswith("#VALUE! HEDGE_NOTIONAL:") and message in out


def test_units_and_contracts_es_with_mes_completion():
    # −920,000 with ES at 6,000 × 50 = 300,000 a contract
    assert sizing.hedge_units(-920_000, 6000, 50) == pytest.approx(-920_000 / 300_000)
    row = call("HEDGE_CONTRACTS", -920_000, 6000, 50, 1, 5)
    assert row == [[-3.0, pytest.approx(-20_000), -1.0, pytest.approx(10_000)]]
    row = call("HEDGE_CONTRACTS", -920_000, 6000, 50)
    assert row == [[-3.0, pytest.approx(-20_000), None, None]]
    assert "price must be > 0" in call("HEDGE_UNITS", -1000, -5)
    assert "beta must be non-zero" in call("HEDGE_UNITS", -1000, 5, 1, 0)


def test_whole_contracts_round_half_away_from_zero():
    np.testing.assert_array_equal(sizing.whole_contracts([2.5, -2.5, 0.49, -0.51, -0.2]), [3, -3, 0, -1, 0])


def test_inverse_etf_is_bought():
    rec = sizing.size_hedge(0.5, 100_000, "SH")
    assert rec.side == "buy" and rec.units == pytest.approx(50_000 / 40)
    assert rec.exposure_after == pytest.approx(0.0, abs=40 / 100_000)


# ----------------------------------------------------------------------------- options
@pytest.mark.parametrize(
    "s, k, v, t, r, q",
    [
        (6000, 5700, 0.18, 0.25, 0.0, 0.0),
        (6000, 5700, 0.18, 0.25, 0.045, 0.013),
        (100, 120, 0.35, 2.0, 0.02, 0.0),
        (100, 80, 0.6, 0.05, 0.01, 0.03),
    ],
)
def test_black_scholes_put_against_scipy(s, k, v, t, r, q):
    d1 = (math.log(s / k) + (r - q + v * v / 2) * t) / (v * math.sqrt(t))
    d2 = d1 - v * math.sqrt(t)
    price = k * math.exp(-r * t) * norm.cdf(-d2) - s * math.exp(-q * t) * norm.cdf(-d1)
    delta = -math.exp(-q * t) * norm.cdf(-d1)
    assert put_price(s, k, v, t, r, q) == pytest.approx(price, rel=1e-12)
    assert put_delta(s, k, v, t, r, q) == pytest.approx(delta, rel=1e-12)
    assert call("PUT_PRICE", s, k, v, t, r, q) == pytest.approx(price, rel=1e-12)
    assert call("PUT_DELTA", s, k, v, t, r, q) == pytest.approx(delta, rel=1e-12)


def test_put_call_parity_and_expiry():
    s, k, v, t, r, q = 100.0, 95.0, 0.25, 0.5, 0.03, 0.01
    d1 = (math.log(s / k) + (r - q + v * v / 2) * t) / (v * math.sqrt(t))
    call_value = s * math.exp(-q * t) * norm.cdf(d1) - k * math.exp(-r * t) * norm.cdf(d1 - v * math.sqrt(t))
    assert call_value - put_price(s, k, v, t, r, q) == pytest.approx(s * math.exp(-q * t) - k * math.exp(-r * t))
    assert put_price(90, 100, 0.2, 0.0) == 10.0 and put_delta(90, 100, 0.2, 0.0) == -1.0
    assert put_delta(110, 100, 0.2, 0.0) == 0.0
    assert "vol must be > 0" in call("PUT_DELTA", 100, 100, 0, 1)
    assert "spot must be > 0" in call("PUT_PRICE", -1, 100, 0.2, 1)


def test_delta_adjusted_put_hedge_and_premium():
    rec = sizing.size_hedge(0.92, 100_000, "SPX_PUT", ratio=0.5)
    inst = I.lookup("SPX_PUT")
    d = put_delta(inst.price, inst.strike, inst.vol, inst.years)
    assert rec.side == "buy"
    assert rec.units == pytest.approx(-46_000 / (d * 6000 * 100))
    assert rec.cost == pytest.approx(rec.contracts * put_price(6000, 5700, 0.18, 0.25) * 100)
    assert "premium" in rec.cost_note


# ----------------------------------------------------------------------------- rates
def test_dv01_units():
    assert sizing.dv01_unit(90, 17) == pytest.approx(90 * 17 * 1e-4)
    assert sizing.dv01_unit(111, 6.5, 100_000) == pytest.approx(1.11 * 100_000 * 6.5 * 1e-4)
    assert call("UNIT_DV01", 111, 6.5, 100_000) == pytest.approx(72.15)
    assert "duration must be > 0" in call("UNIT_DV01", 90, -1)


def test_rates_hedge_is_dv01_matched_and_sells_against_long_duration():
    nav, e_dur = 1_000_000, 2.0
    book_dv01 = -e_dur * nav * 1e-4  # docs/methodology/factor-model.md sign: long duration → negative
    units = sizing.rates_hedge_units(book_dv01, sizing.dv01_unit(90, 17))
    assert units < 0
    rec = sizing.size_hedge(e_dur, nav, "TLT")
    assert rec.units == pytest.approx(units)  # general form with beta = duration
    zn = sizing.size_hedge(e_dur, nav, "ZN")
    assert zn.units == pytest.approx(book_dv01 / sizing.dv01_unit(111, 6.5, 100_000))


# ----------------------------------------------------------------------------- applying back
@pytest.mark.parametrize(
    "factor, ticker",
    [
        ("equity", "ES"),
        ("equity", "SPY"),
        ("equity", "SH"),
        ("equity", "XLK"),
        ("duration", "TLT"),
        ("duration", "ZN"),
        ("commodity", "CL"),
        ("crypto", "BTCUSDT"),
        ("crypto", "BTCUSD"),
        ("equity", "SPX_PUT"),
    ],
)
def test_hedge_applied_back_reaches_target_within_rounding(factor, ticker):
    # Book: three positions with betas on the factor; NAV large so units are many.
    nav = 5_000_000.0
    weights = pd.Series({"A": 0.4, "B": 0.35, "C": -0.1})
    betas = pd.DataFrame({"A": [1.1], "B": [0.9], "C": [1.3]}, index=[factor])
    e = factor_exposure(betas, weights)[factor]
    target = 0.1
    rec = sizing.size_hedge(e, nav, ticker, ratio=1.0, target=target)
    # Put the hedge into the book as a position: weight × position_beta on the factor
    w2 = pd.concat([weights, pd.Series({"HEDGE": rec.weight})])
    b2 = betas.assign(HEDGE=[rec.position_beta])
    after = factor_exposure(b2, w2)[factor]
    inst = I.lookup(ticker)
    one_unit = abs(rec.position_beta * (rec.weight / rec.contracts)) if rec.contracts else 1
    assert after == pytest.approx(target + rec.residual_exposure, abs=1e-12)
    assert abs(after - target) <= 0.5 * one_unit + 1e-12
    # micro completion only improves it
    if inst.micro:
        assert abs(rec.exposure_after - target) <= abs(after - target) + 1e-12


def test_recommend_hedges_for_a_book():
    e = pd.Series({"equity": 0.92, "duration": 2.0, "usd": -0.1, "commodity": 0.15, "crypto": 0.05, "vol": -0.3})
    recs = sizing.recommend_hedges(e, 1_000_000, ratios={"equity": 0.5})
    assert list(recs.index) == list(e.index)
    assert recs.loc["equity", "notional"] == pytest.approx(-460_000)
    assert recs.loc["equity", "instrument"] == "ES" and recs.loc["equity", "micro"] == "MES"
    assert recs.loc["usd", "side"] == "buy" and recs.loc["duration", "side"] == "sell"
    assert recs.loc["vol", "instrument"] == "" and "no hedge instrument" in recs.loc["vol", "cost_note"]
    perp = sizing.recommend_hedges(e, 1_000_000, hedge_instruments={"crypto": "BTCUSD"})
    assert perp.loc["crypto", "contracts"] == -500  # 50,000 / 100 face
    assert perp.loc["crypto", "cost"] < 0  # a short receives positive funding
    with pytest.raises(InputError, match="valid tickers"):
        sizing.recommend_hedges(e, 1e6, hedge_instruments={"equity": "NQ"})


# ----------------------------------------------------------------------------- FX
def test_currency_exposures_with_fx_shares():
    e = sizing.currency_exposures([0.1, 0.2, 0.05, -0.03], ["EUR", "USD", "CHF", "eur"], [np.nan, 1.0, 0.5, 1.0])
    assert e.to_dict() == pytest.approx({"EUR": 0.07, "CHF": 0.025})
    # currency of record as a parameter: EUR book sees the USD position instead
    e_eur = sizing.currency_exposures([0.1, 0.2], ["EUR", "USD"], record="EUR")
    assert e_eur.to_dict() == pytest.approx({"USD": 0.2})
    assert call("FX_EXPOSURE", [[0.1, 0.2, 0.05]], [["EUR", "USD", "CHF"]], [[1, None, 0.5]]) == [
        ["EUR", 0.1],
        ["CHF", pytest.approx(0.025)],
    ]
    assert "has 2 entries, weights 3" in call("FX_EXPOSURE", [[0.1, 0.2, 0.05]], [["EUR", "USD"]])


def test_currency_exposures_fall_back_to_the_listing_currency():
    # positions: EUR-listed (blank FX currency), GBP-listed with FX share 0.4 (blank FX currency),
    # EUR-listed but moving with CHF (explicit FX currency wins), USD-listed, all blank.
    w = [0.10, 0.05, 0.02, 0.30, 0.01]
    fx = ["", None, "CHF", np.nan, ""]
    shares = [np.nan, 0.4, 0.5, np.nan, np.nan]
    listing = ["EUR", "gbp", "EUR", "USD", None]
    by_hand = {"EUR": 0.10 * 1.0, "GBP": 0.05 * 0.4, "CHF": 0.02 * 0.5}
    e = sizing.currency_exposures(w, fx, shares, listing=listing)
    assert e.to_dict() == pytest.approx(by_hand)
    # without listing currencies a blank FX currency (None/NaN included) carries no exposure
    assert sizing.currency_exposures(w, fx, shares).to_dict() == pytest.approx({"CHF": 0.01})
    # a EUR book: the USD-listed position is the foreign one, the EUR-listed ones are not
    e_eur = sizing.currency_exposures(w, fx, shares, record="EUR", listing=listing)
    assert e_eur.to_dict() == pytest.approx({"USD": 0.30, "GBP": 0.02, "CHF": 0.01})
    # the worksheet functions take the listing row as an optional last argument
    row = lambda xs: [[None if (isinstance(x, float) and math.isnan(x)) else x for x in xs]]  # noqa: E731
    got = call("FX_EXPOSURE", row(w), row(fx), row(shares), "USD", 4, row(listing))
    assert got == [
        ["EUR", pytest.approx(0.10)],
        ["GBP", pytest.approx(0.02)],
        ["CHF", pytest.approx(0.01)],
        [None, None],
    ]
    assert call("CURRENCY_EXPOSURE", row(w), row(fx), row(shares), "gbp", "USD", row(listing)) == pytest.approx(0.02)
    assert call("CURRENCY_EXPOSURE", row(w), row(fx), row(shares), "EUR") == 0.0
    assert "listing has 2 entries, weights 5" in call(
        "FX_EXPOSURE", row(w), row(fx), None, "USD", None, [["EUR", "USD"]]
    )
    assert "expected a currency code such as EUR" in call("CURRENCY_EXPOSURE", row(w), row(fx), None, 5)


def test_fx_hedges_usd_and_eur_record():
    legs = sizing.fx_hedges({"EUR": 0.1}, 1_000_000)
    assert legs.loc[0, "instrument"] == "6E"
    assert legs.loc[0, "contracts_unrounded"] == pytest.approx(-100_000 / (1.08 * 125_000))
    # EUR record, USD exposure: buy EUR futures worth e·NAV (in EUR) / 125,000 EUR
    legs = sizing.fx_hedges({"USD": 0.3}, 1_000_000, record="EUR")
    assert list(legs["instrument"]) == ["6E"]
    assert legs.loc[0, "contracts_unrounded"] == pytest.approx(0.3 * 1_000_000 / 125_000)
    # cross: JPY exposure in a EUR book = short 6J + long 6E of the same USD value
    legs = sizing.fx_hedges({"JPY": 0.1}, 1_000_000, record="EUR")
    assert list(legs["leg"]) == ["JPY", "EUR"] and legs["notional_usd"].sum() == pytest.approx(0)
    assert "no SEK future" in sizing.fx_hedges({"SEK": 0.1}, 1e6).loc[0, "note"]


# ----------------------------------------------------------------------------- crypto
def test_crypto_linear_and_inverse_contracts():
    # docs/methodology/sizing.md: coin = h·β·V/F; linear contracts = coin / size; inverse = h·β·V/face
    v = 5 * 60_000.0
    assert sizing.crypto_contracts(v, 60_000, ratio=0.5) == pytest.approx(2.5)
    assert sizing.crypto_contracts(v, 60_000, ratio=0.5, contract_size=5) == pytest.approx(0.5)
    assert sizing.crypto_contracts(v, 60_000, ratio=0.5, contract_size=0.1) == pytest.approx(25)
    assert sizing.crypto_contracts(v, 60_000, ratio=0.5, contract="inverse", face=100) == pytest.approx(1500)
    with pytest.raises(InputError, match="linear, inverse"):
        sizing.crypto_contracts(v, 60_000, contract="quanto")


# ----------------------------------------------------------------------------- from returns
def _prices(seed=1, n=300):
    rng = np.random.default_rng(seed)
    f = rng.normal(0, 0.02, n)
    s = 0.8 * f + rng.normal(0, 0.01, n)
    g = rng.normal(0, 0.015, n)
    return (
        (100 * np.cumprod(1 + np.r_[0, s + 0.5 * g])),
        50 * np.cumprod(1 + np.r_[0, f]),
        30 * np.cumprod(1 + np.r_[0, g]),
    )


def test_minvar_ratio_is_the_ols_slope():
    s, f, _ = _prices()
    rs, rf = s[1:] / s[:-1] - 1, f[1:] / f[:-1] - 1
    ols = sm.OLS(rs, sm.add_constant(rf)).fit()
    res = sizing.minvar_hedge(s, f)
    assert res.ratio == pytest.approx(ols.params[1], rel=1e-10)
    assert res.effectiveness == pytest.approx(ols.rsquared, rel=1e-10)
    # residual vol σ_S·√(1−ρ²) equals the std of the hedged returns
    assert res.residual_vol == pytest.approx(np.std(rs - res.ratio * rf, ddof=1) * math.sqrt(252), rel=1e-10)
    row = call("MINVAR_HEDGE", s.reshape(-1, 1).tolist(), f.reshape(-1, 1).tolist())
    assert row[0] == pytest.approx([res.ratio, res.effectiveness, res.residual_vol], rel=1e-12)
    assert sizing.minvar_contracts(res.ratio, 300_000, 60_000) == pytest.approx(res.ratio * 5)


def test_minvar_skips_missing_rows_and_needs_data():
    s, f, _ = _prices(n=20)
    col = [[v] for v in s]
    col[5] = [None]
    out = call("MINVAR_HEDGE", col, [[v] for v in f])
    assert isinstance(out, list) and len(out[0]) == 3
    assert call("MINVAR_HEDGE", [[1], [2], [3]], [[1], [2], [4]]).startswith("#NUM! MINVAR_HEDGE")
    assert "must be > 0" in call("MINVAR_HEDGE", [[1], [-2], [3], [4]], [[1], [2], [4], [5]])
    with pytest.raises(NotEnoughData):
        sizing.minvar_hedge([1, 2, 3], [1, 2, 4])


def test_all_blank_price_ranges_say_how_many_observations_were_found_and_needed():
    """A sheet with the price ranges still empty: a #NUM! message with the counts, not an internal error."""
    assert call("MINVAR_HEDGE", None, None) == (
        "#NUM! MINVAR_HEDGE: spot_prices/hedge_prices needs at least 3 complete return observations, "
        "found 0 (from 1 price row)"
    )
    assert call("LSQ_HEDGE", [[None]] * 4, [[None, None]] * 4) == (
        "#NUM! LSQ_HEDGE: book_prices/instrument_prices needs at least 4 complete return observations "
        "for 2 instrument(s), found 0 (from 4 price rows)"
    )
    with pytest.raises(NotEnoughData, match="found 0"):
        sizing.lsq_hedge(np.full(5, np.nan), np.full((5, 2), np.nan), prices=False)


def test_least_squares_hedge_matches_statsmodels():
    s, f, g = _prices(seed=7)
    X = np.column_stack([f, g])
    res = sizing.lsq_hedge(s, X, names=["F", "G"])
    rs = s[1:] / s[:-1] - 1
    rx = X[1:] / X[:-1] - 1
    ols = sm.OLS(rs, sm.add_constant(rx)).fit()
    np.testing.assert_allclose(res.coefficients.to_numpy(), ols.params[1:], rtol=1e-10)
    assert res.r_squared == pytest.approx(ols.rsquared, rel=1e-10)
    assert res.residual_vol == pytest.approx(math.sqrt(ols.scale * 252), rel=1e-10)
    row = call("LSQ_HEDGE", s.reshape(-1, 1).tolist(), X.tolist())
    assert row[0] == pytest.approx(list(ols.params[1:]) + [ols.rsquared, math.sqrt(ols.scale * 252)])
    assert "collinear" in call("LSQ_HEDGE", s.reshape(-1, 1).tolist(), np.column_stack([f, f]).tolist())


def test_pair_neutral():
    wb = sizing.pair_neutral_weight(0.05, 1.2, 0.8)
    assert wb == pytest.approx(-0.075)
    assert sizing.pair_residual_beta(0.05, 1.2, wb, 0.8) == pytest.approx(0.0)
    assert sizing.pair_residual_beta(0.05, 1.2, -0.05, 0.8) == pytest.approx(0.02)
    assert call("PAIR_NEUTRAL", 0.05, 1.2, 0.8) == pytest.approx(-0.075)
    assert "beta_b must be non-zero" in call("PAIR_NEUTRAL", 0.05, 1.2, 0)


# ----------------------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(e=st.floats(-3, 3), nav=st.floats(1e3, 1e9), h=st.floats(0, 1), t=st.floats(-1, 1), a=st.floats(0, 0.9))
def test_notional_properties(e, nav, h, t, a):
    hn = sizing.hedge_notional(e, nav, h, t, a)
    # opposite sign to the gap, linear in NAV, zero at the target
    assert hn * (e - t) <= 1e-9 * nav
    assert sizing.hedge_notional(e, 2 * nav, h, t, a) == pytest.approx(2 * hn, rel=1e-12, abs=1e-9)
    assert sizing.hedge_notional(t, nav, h, t, a) == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(notional=st.floats(-1e8, 1e8), price=st.floats(0.01, 1e5), mult=st.sampled_from([1, 5, 50, 100, 1000]))
def test_rounding_residual_is_at_most_half_a_contract(notional, price, mult):
    r = sizing.round_contracts(notional, price * mult)
    assert abs(r.residual) <= 0.5 * price * mult * (1 + 1e-12)
    assert r.contracts * price * mult + r.residual == pytest.approx(notional, abs=1e-6)


def test_python_and_worksheet_inputs_are_not_modified():
    a = np.array([[0.5], [0.2]])
    before = a.copy()
    call("HEDGE_NOTIONAL", a, 1e5)
    np.testing.assert_array_equal(a, before)
