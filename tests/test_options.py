"""Option prices and Greeks (engine.options, functions.options) against QuantLib, parity,
finite differences and hand-worked exposures (docs/methodology/options.md)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from xlhedge.engine import options as opt
from xlhedge.engine.errors import InputError
from xlhedge.functions.options import OPTION_EXPOSURE, OPTION_GREEKS, OPTION_SCENARIO
from xlhedge.functions.registry import registry

ql = pytest.importorskip("QuantLib")

TODAY = ql.Date(15, 1, 2026)
DC = ql.Actual365Fixed()


def _ql_option(kind: str, spot: float, strike: float, vol: float, days: int, r: float, q: float):
    """QuantLib's AnalyticEuropeanEngine on a Black–Scholes–Merton process (flat r, q, σ)."""
    ql.Settings.instance().evaluationDate = TODAY
    payoff = ql.PlainVanillaPayoff(ql.Option.Call if kind == "call" else ql.Option.Put, strike)
    option = ql.EuropeanOption(payoff, ql.EuropeanExercise(TODAY + days))
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(spot)),
        ql.YieldTermStructureHandle(ql.FlatForward(TODAY, q, DC)),
        ql.YieldTermStructureHandle(ql.FlatForward(TODAY, r, DC)),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(TODAY, ql.NullCalendar(), vol, DC)),
    )
    option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    return option


CASES = list(
    itertools.product(
        ("call", "put"),
        (0.7, 0.95, 1.0, 1.1, 1.4),  # moneyness K/S
        (7, 91, 365, 1460),  # days to expiry
        (0.0, 0.045),  # r
        (0.0, 0.02),  # q
    )
)


@pytest.mark.parametrize("kind,mny,days,r,q", CASES)
def test_bsm_greeks_match_quantlib(kind: str, mny: float, days: int, r: float, q: float) -> None:
    s, vol = 5000.0, 0.22
    k = s * mny
    o = _ql_option(kind, s, k, vol, days, r, q)
    g = opt.option_greeks(kind, s, k, vol, days / 365.0, r, q, "bs")
    assert float(g.price) == pytest.approx(o.NPV(), rel=1e-9, abs=1e-9)
    assert float(g.delta) == pytest.approx(o.delta(), rel=1e-9, abs=1e-12)
    assert float(g.gamma) == pytest.approx(o.gamma(), rel=1e-9, abs=1e-15)
    assert float(g.vega) == pytest.approx(0.01 * o.vega(), rel=1e-9, abs=1e-12)
    # QuantLib's theta is ∂V/∂t per year (t = calendar time): ours is that per calendar day
    assert float(g.theta) == pytest.approx(o.theta() / 365.0, rel=1e-8, abs=1e-12)


@pytest.mark.parametrize("kind,mny,days,r", [(k, m, d, r) for k, m, d, r, q in CASES if q == 0.0])
def test_black76_matches_quantlib(kind: str, mny: float, days: int, r: float) -> None:
    """Black-76 = BSM on the future with q = r (QuantLib's engine); value and delta also through
    QuantLib's BlackCalculator; ``div`` is ignored."""
    f, vol = 18.5, 0.85  # a VIX future and its option vol
    k = f * mny
    t = days / 365.0
    o = _ql_option(kind, f, k, vol, days, r, r)
    g = opt.option_greeks(kind, f, k, vol, t, r, 0.03, "black76")
    assert float(g.price) == pytest.approx(o.NPV(), rel=1e-9, abs=1e-12)
    assert float(g.delta) == pytest.approx(o.delta(), rel=1e-9, abs=1e-12)
    assert float(g.gamma) == pytest.approx(o.gamma(), rel=1e-9, abs=1e-15)
    assert float(g.vega) == pytest.approx(0.01 * o.vega(), rel=1e-9, abs=1e-12)
    assert float(g.theta) == pytest.approx(o.theta() / 365.0, rel=1e-8, abs=1e-12)
    bc = ql.BlackCalculator(
        ql.PlainVanillaPayoff(ql.Option.Call if kind == "call" else ql.Option.Put, k),
        f,
        vol * math.sqrt(t),
        math.exp(-r * t),
    )
    assert float(g.price) == pytest.approx(bc.value(), rel=1e-9, abs=1e-12)
    assert float(g.delta) == pytest.approx(bc.delta(f), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("model", ["bs", "black76"])
def test_put_call_parity(model: str) -> None:
    s, k, vol, r, q = 100.0, np.array([70.0, 100.0, 130.0]), 0.3, 0.04, 0.015
    t = np.array([[0.1], [1.0], [3.0]])
    c = opt.option_greeks("call", s, k, vol, t, r, q, model)
    p = opt.option_greeks("put", s, k, vol, t, r, q, model)
    qq = r if model == "black76" else q
    np.testing.assert_allclose(c.price - p.price, s * np.exp(-qq * t) - k * np.exp(-r * t), atol=1e-10)
    np.testing.assert_allclose(c.delta - p.delta, np.broadcast_to(np.exp(-qq * t), c.delta.shape), atol=1e-12)
    np.testing.assert_allclose(c.gamma, p.gamma, rtol=1e-12)
    np.testing.assert_allclose(c.vega, p.vega, rtol=1e-12)


@pytest.mark.parametrize("kind,model", itertools.product(("call", "put"), ("bs", "black76")))
def test_greeks_are_finite_differences_of_the_price(kind: str, model: str) -> None:
    s, k, vol, t, r, q = 100.0, np.array([80.0, 100.0, 120.0]), 0.25, 0.6, 0.03, 0.01

    def v(s_: float = s, vol_: float = vol, t_: float = t) -> np.ndarray:
        return opt.option_greeks(kind, s_, k, vol_, t_, r, q, model).price

    g = opt.option_greeks(kind, s, k, vol, t, r, q, model)
    d = 1e-4 * s
    np.testing.assert_allclose(g.delta, (v(s + d) - v(s - d)) / (2 * d), rtol=1e-6, atol=1e-8)
    h = 1e-3 * s
    np.testing.assert_allclose(g.gamma, (v(s + h) - 2 * v() + v(s - h)) / h**2, rtol=1e-4, atol=1e-7)
    dv = 1e-5
    np.testing.assert_allclose(g.vega, 0.01 * (v(vol_=vol + dv) - v(vol_=vol - dv)) / (2 * dv), rtol=1e-6)
    dt = 1e-6
    np.testing.assert_allclose(g.theta, -(v(t_=t + dt) - v(t_=t - dt)) / (2 * dt) / 365.0, rtol=1e-5, atol=1e-10)


def test_at_expiry_intrinsic_and_step_delta() -> None:
    g = opt.option_greeks(["call", "call", "call", "put", "put", "put"], [90, 100, 110, 90, 100, 110], 100, 0.2, 0.0)
    assert g.price.tolist() == [0, 0, 10, 10, 0, 0]
    assert g.delta.tolist() == [0, 0.5, 1, -1, -0.5, 0]
    assert g.gamma.tolist() == g.vega.tolist() == g.theta.tolist() == [0] * 6
    # put_price / put_delta are the put of option_greeks
    assert opt.put_price(90, 100, 0.2, 0.5, 0.03, 0.01) == opt.option_price("put", 90, 100, 0.2, 0.5, 0.03, 0.01)


@pytest.mark.parametrize(
    "args,where,fragment",
    [
        (("cal", 100, 100, 0.2, 1), "kind", "call, put"),
        (("put", 100, 100, 0.2, 1, 0, 0, "bsm"), "model", "bs, black76"),
        (("put", 100, 100, 0.0, 1), "vol", "> 0"),
        (("put", 100, 100, 0.2, -1), "years", "≥ 0"),
        (("put", -1, 100, 0.2, 1), "spot", "> 0"),
        (("put", 100, 0, 0.2, 1), "strike", "> 0"),
    ],
)
def test_bad_input_names_the_argument_and_what_is_valid(args: tuple, where: str, fragment: str) -> None:
    with pytest.raises(InputError) as e:
        opt.option_greeks(*args)
    assert e.value.where == where and fragment in e.value.message
    msg, err = registry()["OPTION_GREEKS"].evaluate(*args)
    assert err is not None and msg.startswith("#VALUE!") and where in msg and fragment in msg


def test_option_greeks_function_one_row_per_option_and_broadcast() -> None:
    kinds = [["call"], ["put"], ["call"]]
    out = OPTION_GREEKS(
        kinds, [[100.0], [100.0], [20.0]], [[95.0], [90.0], [22.0]], 0.2, 0.5, 0.03, 0.01, [["bs"], ["bs"], ["black76"]]
    )
    assert out.shape == (3, 5)
    for i, (k, s, x, m) in enumerate([("call", 100, 95, "bs"), ("put", 100, 90, "bs"), ("call", 20, 22, "black76")]):
        g = opt.option_greeks(k, s, x, 0.2, 0.5, 0.03, 0.01, m)
        assert out[i].tolist() == [float(g.price), float(g.delta), float(g.gamma), float(g.vega), float(g.theta)]
    single = registry()["OPTION_GREEKS"].call("put", 100, 100, 0.2, 1)
    assert np.asarray(single).shape == (1, 5)
    msg, err = registry()["OPTION_GREEKS"].evaluate("put", [[100], [90]], [[1], [2], [3]], 0.2, 1)
    assert err is not None and "different lengths" in msg


def test_option_exposure_formulas_by_hand() -> None:
    """10 long SPX puts, 5700 strike, spot 6000, 18% vol, 3 months, NAV 50m; and 20 short VIX calls."""
    n, m, s, k, v, t, nav = 10.0, 100.0, 6000.0, 5700.0, 0.18, 0.25, 50e6
    g = opt.option_greeks("put", s, k, v, t, 0.04, 0.013)
    row = OPTION_EXPOSURE("put", n, m, s, k, v, t, nav, 0.04, 0.013)[0]
    hand = [
        n * m * float(g.delta) * s / nav,
        n * m * float(g.vega) * 1.0 / nav,
        0.5 * n * m * float(g.gamma) * (0.01 * s) ** 2 / nav,
        n * m * float(g.price),
        n * m * float(g.theta),
    ]
    assert row.tolist() == pytest.approx(hand, rel=1e-13)
    assert row[0] < 0 and row[1] > 0 and row[2] > 0 and row[3] > 0 and row[4] < 0
    short = OPTION_EXPOSURE("call", -20, 100, 18.5, 25, 0.9, 0.1, nav, 0.04, 0, "black76", 0.5)[0]
    gv = opt.option_greeks("call", 18.5, 25, 0.9, 0.1, 0.04, 0, "black76")
    assert short[1] == pytest.approx(-20 * 100 * float(gv.vega) * 0.5 / nav, rel=1e-13)
    assert short[3] < 0  # a short holding is a liability
    msg, err = registry()["OPTION_EXPOSURE"].evaluate("put", 1, 100, 100, 100, 0.2, 1, 0)
    assert err is not None and "nav" in msg


def test_option_scenario_against_quantlib_repricing() -> None:
    n, m, s, k, v, days, r, q, h = 10.0, 100.0, 6000.0, 5700.0, 0.18, 91, 0.04, 0.013, 30
    spot_moves = [[-0.2], [-0.05], [0.0], [0.03]]
    vol_moves = [[0.0, 3.0, 25.0]]
    grid = OPTION_SCENARIO("put", n, m, s, k, v, days / 365.0, spot_moves, vol_moves, r, q, "bs", h)
    assert grid.shape == (4, 3)
    base = _ql_option("put", s, k, v, days, r, q).NPV()
    for i, (mv,) in enumerate(spot_moves):
        for j, dv in enumerate(vol_moves[0]):
            after = _ql_option("put", s * (1 + mv), k, v + dv / 100, days - h, r, q).NPV()
            assert grid[i, j] == pytest.approx(n * m * (after - base), rel=1e-9, abs=1e-6)
    # Black-76 VIX call, VIX future +25 points of vol
    g76 = OPTION_SCENARIO("call", 5, 100, 18.0, 25.0, 0.9, 0.2, [[0.5]], [[10.0]], 0.04, 0, "black76")
    b76 = _ql_option("call", 18.0, 25.0, 0.9, 73, 0.04, 0.04).NPV()
    a76 = _ql_option("call", 27.0, 25.0, 1.0, 73, 0.04, 0.04).NPV()
    assert g76[0, 0] == pytest.approx(500 * (a76 - b76), rel=1e-9)


def test_option_scenario_horizon_past_expiry_and_bad_vol_move() -> None:
    out = OPTION_SCENARIO("put", 2, 100, 100.0, 100.0, 0.2, 10 / 365, [[-0.1], [0.1]], [[0.0]], 0, 0, "bs", 30)
    base = opt.option_price("put", 100.0, 100.0, 0.2, 10 / 365)
    assert out[:, 0].tolist() == pytest.approx([200 * (10 - base), 200 * (0 - base)])
    msg, err = registry()["OPTION_SCENARIO"].evaluate("put", 1, 100, 100, 100, 0.2, 1, [[0]], [[5, -20]])
    assert err is not None and "vol move -20" in msg


def test_option_instruments_per_contract_against_quantlib() -> None:
    """Calls, put spreads and VIX calls (Black-76 on VX) of the catalogue: premium, delta and vega
    per contract from QuantLib's BlackCalculator; a put hedge reports the vol exposure it adds."""
    from xlhedge.engine import sizing
    from xlhedge.engine.instruments import lookup, option_unit

    def black(kind: str, f: float, k: float, vol: float, t: float, r: float) -> tuple[float, float, float]:
        bc = ql.BlackCalculator(
            ql.PlainVanillaPayoff(ql.Option.Call if kind == "call" else ql.Option.Put, k),
            f,
            vol * math.sqrt(t),
            math.exp(-r * t),
        )
        return bc.value(), bc.delta(f), 0.01 * bc.vega(t)

    r = 0.04
    vix = lookup("VIX_CALL")
    assert (vix.option_type, vix.model, vix.multiplier, vix.factor) == ("call", "black76", 100.0, "vol")
    p, d, v = option_unit(vix, rate=r)
    assert (p, d, v) == pytest.approx(black("call", 18.0, 25.0, 0.85, vix.years, r), rel=1e-9)
    ps = lookup("SPX_PS")
    p, d, v = option_unit(ps, rate=r, div=0.013)
    g1 = opt.option_greeks("put", 6000.0, 5700.0, 0.18, 0.25, r, 0.013)
    g2 = opt.option_greeks("put", 6000.0, 5100.0, 0.18, 0.25, r, 0.013)
    assert (p, d, v) == pytest.approx(
        (float(g1.price - g2.price), float(g1.delta - g2.delta), float(g1.vega - g2.vega)), rel=1e-12
    )
    assert 0 < p < float(g1.price) and -float(g1.delta) > -d > 0  # cheaper, less delta than the put alone
    rec = sizing.size_hedge(0.3, 10_000_000, "SPX_PUT", rate=r, div=0.013)
    _, _, vega = option_unit(lookup("SPX_PUT"), rate=r, div=0.013)
    assert rec.side == "buy" and rec.vol_added == pytest.approx(100 * rec.contracts * 100 * vega / 10_000_000)
    assert rec.vol_added > 0 and "adds" in rec.cost_note and "vega" in rec.cost_note
    call = sizing.size_hedge(0.3, 10_000_000, "SPX_CALL")
    assert call.side == "sell" and call.cost < 0 and call.vol_added < 0  # selling calls: premium in, short vol
    vol_hedge = sizing.size_hedge(-0.5, 10_000_000, "VIX_CALL", rate=r)
    _, dv, _ = option_unit(vix, rate=r)
    assert vol_hedge.contracts * dv * 100 * vix.beta * 18.0 / 10_000_000 == pytest.approx(0.5, abs=0.01)
    assert vol_hedge.vol_added == 0.0  # a VIX option's vega is to the vol of vol, not the vol factor
