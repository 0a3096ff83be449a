"""Issue 11's last parts: the joint SPX / VIX scenarios on the Scenarios sheet (unhedged vs hedged with
the recommended hedges, option hedges revalued in full), the vol exposure an option hedge adds
(HEDGE_PLAN, the Hedges sheet, ``xlhedge hedge``) and THETA_OVER_BUDGET (docs/methodology/scenarios.md,
options.md, checks.md). Numbers are pinned against QuantLib and hand-worked values, and the same
numbers come from Python, the worksheet functions and ``xlhedge recompute``."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import xlhedge
from tests.test_option_book import AS_OF, DIV, NAV, POSITIONS, RATE, _option_book
from xlhedge.calc import layout
from xlhedge.calc.bookread import book_findings
from xlhedge.calc.hedges import hedge_plan, read_hedge_inputs
from xlhedge.calc.refs import parse_ref
from xlhedge.cli import app
from xlhedge.cli.report import joint_table
from xlhedge.engine import sizing
from xlhedge.engine.checks import check_theta_budget, run_checks
from xlhedge.engine.errors import InputError
from xlhedge.engine.instruments import lookup
from xlhedge.engine.optionbook import hedge_leg_pnl
from xlhedge.functions.checks import HEDGE_CHECKS
from xlhedge.functions.scenarios import JOINT_SCENARIO_PNL
from xlhedge.functions.sizing import HEDGE_PLAN
from xlhedge.template import build_workbook, hedges_sheet, options_sheet, scenarios_sheet
from xlhedge.workbook.filebook import FileBook

ql = pytest.importorskip("QuantLib")
runner = CliRunner()


def _black(kind: str, f: float, k: float, vol: float, t: float, r: float) -> ql.BlackCalculator:
    """QuantLib's Black formula on the forward ``f`` (discount e^(−rT))."""
    payoff = ql.PlainVanillaPayoff(ql.Option.Call if kind == "call" else ql.Option.Put, k)
    return ql.BlackCalculator(payoff, f, vol * math.sqrt(t), math.exp(-r * t))


def _bsm(kind: str, s: float, k: float, vol: float, t: float, r: float, q: float) -> ql.BlackCalculator:
    """Black–Scholes–Merton through QuantLib's Black formula on the forward S·e^((r−q)T)."""
    return _black(kind, s * math.exp((r - q) * t), k, vol, t, r)


# ----------------------------------------------------------------------------- hedge legs
def test_hedge_legs_in_a_joint_scenario_by_hand_and_quantlib() -> None:
    """Futures through their exposure, option hedges revalued in full (QuantLib), others still."""
    s, v = -0.2, 25.0
    es, spx_put, vix_call, ps = lookup("ES"), lookup("SPX_PUT"), lookup("VIX_CALL"), lookup("SPX_PS")
    assert hedge_leg_pnl(es, -3, s, v) == pytest.approx(-3 * 50 * 6000 * -0.2, rel=1e-15)  # +180,000
    assert hedge_leg_pnl(lookup("MES"), 2, s, v) == pytest.approx(2 * 5 * 6000 * -0.2, rel=1e-15)
    assert hedge_leg_pnl(lookup("VX"), -4, s, v) == pytest.approx(-4 * 1000 * 25.0, rel=1e-12)  # $1,000 a point
    assert hedge_leg_pnl(lookup("XLE"), -100, s, v) == pytest.approx(-100 * 90 * 0.9 * -0.2, rel=1e-15)
    assert hedge_leg_pnl(lookup("TLT"), 100, s, v) == 0.0  # duration does not move in a joint scenario
    # SPX puts: spot 6000 → 4800, implied vol 18% → 43% (the VIX move, vol beta 1)
    before = _bsm("put", 6000, 5700, 0.18, 0.25, RATE, DIV).value()
    after = _bsm("put", 4800, 5700, 0.43, 0.25, RATE, DIV).value()
    assert hedge_leg_pnl(spx_put, 10, s, v, rate=RATE, div=DIV) == pytest.approx(10 * 100 * (after - before), rel=1e-9)
    # the put spread is its two legs
    legs = [_bsm("put", x, k, vol, 0.25, RATE, DIV).value() for x, k, vol in ((6000, 5700, 0.18), (6000, 5100, 0.18))]
    moved = [_bsm("put", 4800, k, 0.43, 0.25, RATE, DIV).value() for k in (5700, 5100)]
    spread = 100 * ((moved[0] - moved[1]) - (legs[0] - legs[1]))
    assert hedge_leg_pnl(ps, 1, s, v, rate=RATE, div=DIV) == pytest.approx(spread, rel=1e-9)
    # VIX calls (Black-76 on VX): the future 18 → 18 + 25 points, the vol of vol unchanged
    t = vix_call.years
    gain = _black("call", 43.0, 25, 0.85, t, RATE).value() - _black("call", 18.0, 25, 0.85, t, RATE).value()
    assert hedge_leg_pnl(vix_call, 20, s, v, rate=RATE) == pytest.approx(20 * 100 * gain, rel=1e-9)
    with pytest.raises(InputError, match="implied vol of SPX_PUT"):
        hedge_leg_pnl(spx_put, 1, 0.0, -20.0, scenario="calm")  # 18% − 20 points


def test_book_joint_scenarios_with_hedges() -> None:
    book = _option_book()
    plan = pd.DataFrame(
        {"instrument": ["ES", "SPX_PUT", "", "VX"], "contracts": [-3.0, 10.0, np.nan, -2.0]}
        | {"micro": ["MES", "", "", ""], "micro_contracts": [4.0, np.nan, np.nan, np.nan]}
    )
    out = book.joint_scenarios(hedges=plan, rate=RATE, div=DIV)
    for _, r in out.iterrows():
        s, v = r["spx_move"], r["vix_move"]
        legs = [("ES", -3), ("MES", 4), ("SPX_PUT", 10), ("VX", -2)]
        expect = sum(hedge_leg_pnl(lookup(t), n, s, v, rate=RATE, div=DIV) for t, n in legs)
        assert r["hedges"] == pytest.approx(expect, rel=1e-12)
        assert r["hedged"] == pytest.approx(r["unhedged"] + r["hedges"], rel=1e-12)
        assert r["unhedged"] == pytest.approx(r["book_ex_options"] + r["options"], rel=1e-12)
    assert list(out.index) == ["normal", "stress"]
    assert out.loc["stress", ["spx_move", "vix_move"]].tolist() == [-0.2, 25.0]


# ----------------------------------------------------------------------------- the sheet
@pytest.fixture(scope="module")
def recomputed(tmp_path_factory) -> Path:
    """The option book of tests/test_option_book.py in the template, its equity hedge an SPX put and
    a third joint scenario typed in, recomputed by ``xlhedge recompute``."""
    p = tmp_path_factory.mktemp("joint") / "joint.xlsx"
    build_workbook(p, book=POSITIONS, nav=NAV, as_of=AS_OF)
    wb = load_workbook(p)
    names = FileBook(p).defined_names()
    for name, v in ((layout.OPTION_RATE, RATE), (layout.OPTION_DIV, DIV)):
        ref = parse_ref(names[name.upper()].lstrip("="))
        wb[ref.sheet].cell(row=ref.r1, column=ref.c1, value=v)
    ws = wb[scenarios_sheet.SHEET]
    r = scenarios_sheet.J_INPUT0 + 2
    ws.cell(row=r, column=1, value="crash")
    ws.cell(row=r, column=2, value=-0.35)
    ws.cell(row=r, column=3, value=45.0)
    wb[hedges_sheet.SHEET].cell(row=hedges_sheet.ROW0, column=3, value="SPX_PUT")  # the equity row
    wb.save(p)
    res = runner.invoke(app, ["recompute", str(p)])
    assert res.exit_code == 0, res.output
    return p


def _rng(fb: FileBook, name: str) -> list[list]:
    return fb.read(parse_ref(fb.defined_names()[name.upper()].lstrip("=")))


def test_scenarios_sheet_python_and_worksheet_function_agree(recomputed: Path) -> None:
    fb = FileBook(recomputed)
    sheet = _rng(fb, "JointScenarioPnl")
    assert [r[0] for r in sheet] == ["normal", "stress", "crash", None]
    book = xlhedge.read_book(recomputed)
    py = joint_table(book, fb)  # what xlhedge demo / report print
    assert list(py.index) == ["normal", "stress", "crash"]
    for r in sheet[:3]:
        assert r[1:] == pytest.approx(py.loc[r[0]].tolist(), rel=1e-12)
    # the worksheet function on the same ranges
    direct = JOINT_SCENARIO_PNL(
        _rng(fb, layout.BOOK_ATTRIBUTE_BLOCK),
        _rng(fb, layout.BOOK_FACTOR_BLOCK),
        NAV,
        AS_OF,
        RATE,
        DIV,
        _rng(fb, layout.INSTRUMENT_TABLE),
        _rng(fb, "JointScenarios"),
        _rng(fb, "HedgeInstruments"),
        _rng(fb, "HedgeContracts"),
        _rng(fb, "HedgeMicros"),
        _rng(fb, "HedgeMicroContracts"),
    )
    assert [d[0] for d in direct] == [r[0] for r in sheet]
    for d, r in zip(direct[:3], sheet[:3]):
        assert d[1:] == pytest.approx(r[1:], rel=1e-12)
    # the options' columns are the option book's own, the hedges the Hedges sheet's contracts
    own = _option_book().joint_scenarios(py[["spx_move", "vix_move"]])
    for col in ("book_ex_options", "options", "options_delta_only", "convexity", "unhedged"):
        assert py[col].tolist() == pytest.approx(own[col].tolist(), rel=1e-9)
    plan = hedge_plan(book, read_hedge_inputs(fb))["factors"]
    equity = plan.loc["equity"]
    assert equity["instrument"] == "SPX_PUT" and equity["contracts"] > 0
    contracts = [r[0] for r in _rng(fb, "HedgeContracts")]
    assert contracts[0] == equity["contracts"]
    crash = py.loc["crash"]
    legs = [(lookup(t), n) for t, n in zip(plan["instrument"], plan["contracts"]) if t and n == n]
    legs += [(lookup(t), n) for t, n in zip(plan["micro"], plan["micro_contracts"]) if t and n == n]
    by_hand = sum(hedge_leg_pnl(i, n, -0.35, 45.0, rate=RATE, div=DIV) for i, n in legs)
    assert crash["hedges"] == pytest.approx(by_hand, rel=1e-12)
    # the SPX puts in the crash by QuantLib: 6000 → 3900, 18% → 63%
    gain = (
        _bsm("put", 3900, 5700, 0.63, 0.25, RATE, DIV).value() - _bsm("put", 6000, 5700, 0.18, 0.25, RATE, DIV).value()
    )
    others = sum(hedge_leg_pnl(i, n, -0.35, 45.0) for i, n in legs if i.kind != "option")
    assert crash["hedges"] - others == pytest.approx(equity["contracts"] * 100 * gain, rel=1e-9)


def test_options_sheet_points_to_the_scenarios_sheet(recomputed: Path) -> None:
    wb = load_workbook(recomputed)
    ws = wb[options_sheet.SHEET]
    link = ws.cell(row=options_sheet.POINTER_ROW, column=1)
    assert "Scenarios sheet, section 2" in link.value
    assert link.hyperlink.location == f"'{scenarios_sheet.SHEET}'!A{scenarios_sheet.J_TITLE}"
    formulas = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("SCENARIO" in f.upper() and f.startswith("=") for f in formulas)  # no second table


def test_demo_prints_the_scenarios_sheet_numbers(recomputed: Path) -> None:
    res = runner.invoke(app, ["report", str(recomputed)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    text = res.output
    sheet = {r[0]: r for r in _rng(FileBook(recomputed), "JointScenarioPnl") if r[0]}
    block = text[text.index("Joint scenarios") :]
    for label, col in (("Options, full revaluation", 4), ("Recommended hedges", 8), ("Hedged", 9)):
        line = next(x for x in block.splitlines() if x.strip("│ ").startswith(label))
        for name in ("normal", "stress", "crash"):
            assert f"{sheet[name][col]:,.0f}" in line, (label, name, line)
    assert max(len(x) for x in text.splitlines()) <= 80


# ----------------------------------------------------------------------------- vol exposure added
def test_hedge_plan_reports_the_vol_exposure_a_put_hedge_adds() -> None:
    row = HEDGE_PLAN("SPX_PUT", 1.0, NAV, 0.5, 0.0, 0.0, None, RATE, DIV)[0]
    assert len(row) == 10 and row[0] == "buy"
    vega = 0.01 * _bsm("put", 6000, 5700, 0.18, 0.25, RATE, DIV).vega(0.25)  # per vol point, per unit
    assert row[9] == pytest.approx(row[2] * 100 * vega, rel=1e-9)  # currency per vol point
    assert row[8] == pytest.approx(row[9] / NAV, rel=1e-12) and row[8] > 0  # long puts: long vol
    rec = sizing.size_hedge(1.0, NAV, "SPX_PUT", ratio=0.5, rate=RATE, div=DIV)
    assert rec.vol_added == pytest.approx(100 * row[8], rel=1e-12)  # the vol factor's unit, % of NAV
    assert HEDGE_PLAN("ES", 1.0, NAV, 0.5)[0][8:] == [0.0, 0.0]
    assert HEDGE_PLAN("VIX_CALL", -0.5, NAV, 0.5)[0][8:] == [0.0, 0.0]  # its vega is to the vol of VIX
    assert HEDGE_PLAN(None, 1.0, NAV)[0][8:] == [0.0, 0.0]
    sold = HEDGE_PLAN("SPX_CALL", 1.0, NAV, 0.5)[0]
    assert sold[0] == "sell" and sold[8] < 0  # selling calls: short vol


def test_hedges_sheet_and_cli_show_the_vol_added(recomputed: Path) -> None:
    fb = FileBook(recomputed)
    added = [r[0] for r in _rng(fb, "HedgeVolAdded")]
    ccy = [r[0] for r in _rng(fb, "HedgeVolAddedCcy")]
    book = xlhedge.read_book(recomputed)
    plan = hedge_plan(book, read_hedge_inputs(fb))["factors"]
    assert added == pytest.approx((plan["vol_added"] / 100).tolist(), rel=1e-12)
    assert ccy == pytest.approx(plan["vol_added_ccy"].tolist(), rel=1e-12)
    assert added[0] > 0 and all(a == 0 for a in added[1:])
    # the Scenarios sheet's hedged vol exposure counts it (× 100: % of NAV per vol point)
    ws = load_workbook(recomputed, data_only=True)[scenarios_sheet.SHEET]
    vol_row = scenarios_sheet.S_ROW0 + 5
    after = _rng(fb, "HedgeExposureAfter")[5][0]
    assert ws.cell(row=vol_row, column=5).value == pytest.approx(after + 100 * sum(added), rel=1e-12)
    res = runner.invoke(app, ["hedge", str(recomputed)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert f"add {added[0]:+.6f} × NAV ({ccy[0]:+,.0f} USD) per vol point of long vol" in text
    assert "Vol added (× NAV/pt)" in res.output
    # the Hedges sheet's vol exposure after every hedge: its own row's plus the puts' vega, as the CLI says
    vol_after = _rng(fb, "HedgeVolAfter")[0][0]
    assert vol_after == pytest.approx(after + 100 * sum(added), rel=1e-12) and vol_after > after
    assert f"to {vol_after:+.4f} (% of NAV per vol point) with every hedge in" in text
    # its currency per point: the book's own (numpy on the Book) plus the hedges' added vega in currency
    vol_after_ccy = load_workbook(recomputed, data_only=True)["Hedges"].cell(row=hedges_sheet.VOL_AFTER_ROW, column=16)
    assert vol_after_ccy.value == pytest.approx(book.vol_per_point() + sum(ccy), rel=1e-9)


# ----------------------------------------------------------------------------- theta vs budget
def test_theta_over_budget_by_hand() -> None:
    theta = pd.DataFrame(
        {"theta_year": [120_000.0, 10_000.0, -5_000.0, 800.0], "budget": [90_000.0, 75_000.0, 0.0, 0.0]}
        | {"options": ["SPY_P570, SPX_P5500", "VIX_C25", "ESC", ""]},
        index=["tail", "long_vol", "cross_asset", "fx"],
    )
    found = check_theta_budget(theta, nav=10_000_000)
    assert [f.code for f in found] == ["THETA_OVER_BUDGET"] * 2 and {f.severity for f in found} == {"warning"}
    tail, fx = found
    assert tail.positions == ("SPY_P570", "SPX_P5500")
    assert (
        "$120,000 a year" in tail.message and "133% of its $90,000" in tail.message and "1.20% of NAV" in tail.message
    )
    assert "no budget" in fx.message  # a cost with no budget; the short call earns theta: not reported
    assert check_theta_budget(theta, nav=10_000_000, theta_budget_max=1.5) == [fx]  # the tolerance
    assert check_theta_budget(None) == []
    # a table whose formula failed (an older book without the Book blocks): nothing to check
    assert check_theta_budget([["#NAME? 'BookAttributeBlock' is not defined", None, None, None, None]]) == []
    with pytest.raises(InputError, match="expected a bucket"):
        check_theta_budget([["Straddles", 1.0, 2.0]])


def test_theta_over_budget_from_python_the_worksheet_and_the_cli(tmp_path: Path) -> None:
    """A budget of 0.2% of NAV: 600 of tail protection a year, below the SPY puts' theta."""
    book = _option_book()
    t = book.theta_budget(rate=0.002)
    assert t.loc["tail", "options"] == "P570" and t.loc["tail", "theta_year"] > t.loc["tail", "budget"]
    found = {
        f.positions: f for f in run_checks(_frame_positions(), None, theta=t, nav=NAV) if f.code == "THETA_OVER_BUDGET"
    }
    over = [k for k in t.index if t.loc[k, "theta_year"] > t.loc[k, "budget"]]
    assert set(found) == {(t.loc[k, "options"],) for k in over} and ("P570",) in found
    used = t.loc["tail", "theta_year"] / t.loc["tail", "budget"]
    assert f"{used:.0%} of its ${t.loc['tail', 'budget']:,.0f}" in found[("P570",)].message
    # the saved book with that budget rate: the Checks sheet, HEDGE_CHECKS and xlhedge check agree
    p = tmp_path / "theta.xlsx"
    build_workbook(p, book=POSITIONS, nav=NAV, as_of=AS_OF)
    wb = load_workbook(p)
    names = FileBook(p).defined_names()
    for name, v in ((layout.OPTION_RATE, RATE), (layout.OPTION_DIV, DIV), ("BudgetRate", 0.002)):
        ref = parse_ref(names[name.upper()].lstrip("="))
        wb[ref.sheet].cell(row=ref.r1, column=ref.c1, value=v)
    wb.save(p)
    assert runner.invoke(app, ["recompute", str(p)]).exit_code == 0
    fb = FileBook(p)
    sheet = [r for r in _rng(fb, "OptionThetaBudget") if r[0] == "Tail protection"][0]
    assert sheet[1] == pytest.approx(t.loc["tail", "theta_year"], rel=1e-9) and sheet[4] == "P570"
    checks = load_workbook(p, data_only=True)["Checks"]
    codes = [checks.cell(row=r, column=1).value for r in range(1, 120)]
    assert "THETA_OVER_BUDGET" in codes
    direct = HEDGE_CHECKS(
        _rng(fb, layout.BOOK_ATTRIBUTE_BLOCK),
        _rng(fb, layout.BOOK_FACTOR_BLOCK),
        _rng(fb, layout.CHECK_SETTINGS),
        _rng(fb, layout.HEDGE_LEDGER),
        _rng(fb, layout.CHECK_TOLERANCES),
        None,
        _rng(fb, "OptionThetaBudget"),
    )
    mine = [r for r in direct if r[0] == "THETA_OVER_BUDGET"]
    assert "P570" in [r[3] for r in mine] and len(mine) == len(over)
    assert [f.message for f in book_findings(fb) if f.code == "THETA_OVER_BUDGET"] == [r[2] for r in mine]
    res = runner.invoke(app, ["check", str(p), "--json"])
    doc = json.loads(res.output)
    assert [d["message"] for d in doc if d["code"] == "THETA_OVER_BUDGET"] == [r[2] for r in mine]
    # without the last argument HEDGE_CHECKS does not check theta (the argument order is unchanged)
    five = HEDGE_CHECKS(*(_rng(fb, n) for n in (layout.BOOK_ATTRIBUTE_BLOCK, layout.BOOK_FACTOR_BLOCK)))
    assert not any(r[0] == "THETA_OVER_BUDGET" for r in five)


def _frame_positions() -> pd.DataFrame:
    """The option book's positions as the checks read them (weights from the Greeks)."""
    book = _option_book()
    pos = book.positions.reset_index()
    return pos.join(book.betas.T.reset_index(drop=True))


# ----------------------------------------------------------------------------- roll
def test_roll_due_fires_for_an_option_within_the_roll_window_even_without_delta() -> None:
    """An expiring far-out-of-the-money put has a delta weight of 0 but is still held."""
    pos = pd.DataFrame(
        {
            "ticker": ["SPY", "P400", "ESC"],
            "weight": [0.6, 0.0, -0.01],
            "option_type": [None, "put", "call"],
            "contracts": [None, 50.0, -5.0],
            "expiry": [None, dt.date(2026, 11, 20), dt.date(2027, 1, 15)],
        }
    )
    betas = pd.DataFrame({"SPY": [1.0], "P400": [1.0], "ESC": [1.0]}, index=["equity"])
    found = run_checks(pos, betas, today=dt.date(2026, 11, 17), checks=("ROLL_DUE",))
    assert [(f.severity, f.positions) for f in found] == [("warning", ("P400",))]
    assert "in 3 days (roll window 5 days)" in found[0].message
    found = run_checks(pos, betas, today=dt.date(2026, 11, 23), checks=("ROLL_DUE",))
    assert [(f.severity, f.positions) for f in found] == [("error", ("P400",))]
    found = run_checks(pos, betas, today=dt.date(2027, 1, 12), checks=("ROLL_DUE",), tolerances={"roll_days": 3})
    assert [f.positions for f in found if f.severity == "warning"] == [("ESC",)]


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("example") / "example.xlsx"
    build_workbook(p, example=True)
    return p


def test_the_example_books_joint_scenarios_and_put_hedge_as_the_docs_say(example: Path) -> None:
    """docs/methodology/scenarios.md's table and options.md's SPX put hedge, from the example book."""
    fb = FileBook(example)
    sheet = {r[0]: r for r in _rng(fb, "JointScenarioPnl") if r[0]}
    docs = Path(__file__).parents[1] / "docs" / "methodology"
    text = (docs / "scenarios.md").read_text(encoding="utf-8")
    labels = ("Book excluding options", "Options, full revaluation", "Options, delta only", "Convexity")
    labels += ("Unhedged", "Recommended hedges", "Hedged")
    for k, label in enumerate(labels):
        row = f"| {label} | {sheet['normal'][3 + k]:,.0f} | {sheet['stress'][3 + k]:,.0f} |".replace("-", "−")
        assert row in text, row
    assert sheet["normal"][8] == pytest.approx((19 * 50 + 4 * 5) * 6000 * 0.05, rel=1e-12)  # 291,000 by hand
    book = xlhedge.read_book(example)
    inp = read_hedge_inputs(fb)
    inp.hedge_instruments["equity"] = "SPX_PUT"
    plan = hedge_plan(book, inp)["factors"]
    rec = plan.loc["equity"]
    assert rec["contracts"] == 36 and round(rec["vol_added_ccy"]) == 35_663
    vol = plan.loc["vol"]
    assert round(vol["exposure"], 4) == -0.2508 and round(vol["exposure_after"] + plan["vol_added"].sum(), 4) == 0.1059
    opts = (docs / "options.md").read_text(encoding="utf-8")
    assert "36 puts" in opts and "+35,663 per vol point" in opts and f"{rec['vol_added'] / 100:+.6f} × NAV" in opts


def test_the_example_books_theta_against_a_two_percent_budget(example: Path, tmp_path: Path) -> None:
    """docs/methodology/checks.md's example: the SPY puts' theta is 68% of the 3% budget's tail
    bucket (no finding) and 103% of the 2% budget's (THETA_OVER_BUDGET)."""
    p = tmp_path / "ex.xlsx"
    p.write_bytes(example.read_bytes())
    fb = FileBook(p)
    tail = next(r for r in _rng(fb, "OptionThetaBudget") if r[0] == "Tail protection")
    greeks = xlhedge.read_book(p).greeks
    assert tail[1] == pytest.approx(-365 * greeks.loc["SPY_P570", "theta_day"], rel=1e-12)
    assert (round(tail[1]), tail[2], round(tail[3], 2)) == (67_782, 99_000, 0.68)
    assert not [f for f in book_findings(fb) if f.code == "THETA_OVER_BUDGET"]
    wb = load_workbook(p)
    ref = parse_ref(fb.defined_names()["BUDGETRATE"].lstrip("="))
    wb[ref.sheet].cell(row=ref.r1, column=ref.c1, value=0.02)
    wb.save(p)
    assert runner.invoke(app, ["recompute", str(p)]).exit_code == 0
    found = [f for f in book_findings(FileBook(p)) if f.code == "THETA_OVER_BUDGET"]
    assert [f.message for f in found] == [
        "The options held against the tail protection bucket (SPY_P570) bleed $67,782 a year in theta at "
        "today's Greeks, 0.68% of NAV: 103% of its $66,000 annual budget (limit 100%)."
    ]
    text = (Path(__file__).parents[1] / "docs" / "methodology" / "checks.md").read_text(encoding="utf-8")
    assert " ".join(found[0].message.split()) in " ".join(text.replace("        ", " ").split())
