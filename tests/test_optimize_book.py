"""The optimised hedge in the book: worksheet functions = Python = `xlhedge recompute` = the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from xlhedge import optimize_hedge
from xlhedge.calc.bookread import book_from_io
from xlhedge.calc.hedges import read_hedge_inputs
from xlhedge.calc.optimize import optimised_plan, read_optimiser_inputs
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.cli import app
from xlhedge.engine import candidates as cand
from xlhedge.engine.covariance import factor_covariance
from xlhedge.engine.optimize import DEFAULT_MAX_NODES, NEAR_TIE, hedge_risk
from xlhedge.functions.registry import registry
from xlhedge.template import build_workbook
from xlhedge.template import hedges_sheet as hs
from xlhedge.workbook.filebook import FileBook

R = registry()


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("opt") / "example.xlsx", example=True)


def test_worksheet_functions_match_python() -> None:
    rng = np.random.default_rng(4)
    e = rng.normal(size=3) * 1e5
    a = rng.normal(size=(3, 2)) * 3e4
    cov = factor_covariance([0.16, 90.0, 0.07], [[1, 0.3, -0.4], [0.3, 1, -0.12], [-0.4, -0.12, 1]], 21)
    cov_s = factor_covariance([0.3, 140.0, 0.1], [[1, -0.4, 0.2], [-0.4, 1, -0.08], [0.2, -0.08, 1]], 21)
    got = R["FACTOR_COVARIANCE"].call([[0.16, 90.0, 0.07]], [[1, 0.3, -0.4], [0.3, 1, -0.12], [-0.4, -0.12, 1]], 21)
    np.testing.assert_allclose(np.array(got, dtype=float), cov, rtol=1e-15)
    err = R["FACTOR_COVARIANCE"].call([[0.1, 0.2]], [[1, 0.5], [0.5, 1.2]])
    assert err.startswith("#VALUE! FACTOR_COVARIANCE: correlations row 2, column 2 is 1.2")
    header = [["ES", "TLT"]] + a.tolist()
    col = R["HEDGE_OPTIMIZE"].call(
        [[v] for v in e], header, cov.tolist(), cov_s.tolist(), [[5.0, 1.0]], 40.0, [[None, 0]], [[3, None]]
    )
    py = optimize_hedge(e, a, cov, cov_s, [5.0, 1.0], 40.0, [None, 0], [3, None])
    assert len(col) == 2 + 3
    np.testing.assert_allclose([c[0] for c in col], py.column(), rtol=1e-12)
    assert R["HEDGE_OPTIMIZE"].call([[100.0]], [[-30.0]], [[1.0]], None, None, None, None, None, False) == [
        [pytest.approx(10 / 3, rel=1e-6)],
        [pytest.approx(0.0, abs=1e-6)],
        [pytest.approx(0.0, abs=1e-6)],
        [0.0],
    ]
    bad = R["HEDGE_OPTIMIZE"].call([[100.0]], [[-30.0, 5.0]], [[1.0]], None, [[10.0, 1.0]], 5.0, [[1, None]])
    assert "budget is 5.00, below the cost 10.00" in bad and "lower bound of instrument 1" in bad
    risk = R["HEDGE_RISK"].call([[v] for v in e], header, cov.tolist(), cov_s.tolist(), [[1.0, -2.0]], [[5.0, 1.0]])
    ref = hedge_risk(e, a, cov, cov_s, [1.0, -2.0], [5.0, 1.0])
    np.testing.assert_allclose([r[0] for r in risk], [ref.sigma_normal, ref.sigma_stress, ref.total_cost])


def _section(path: Path) -> dict:
    ws = openpyxl.load_workbook(path, data_only=True)[hs.SHEET]
    rows = range(hs.CAND_ROW0, hs.CAND_LAST + 1)
    return {
        "tickers": [ws.cell(row=r, column=1).value for r in rows],
        "contracts": [ws.cell(row=r, column=5).value for r in rows],
        "sigma": [ws.cell(row=hs.CAND_LAST + k, column=5).value for k in (1, 2, 3)],
        "summary": [[ws.cell(row=hs.SUMMARY_ROW0 + k, column=c).value for c in (2, 3, 4)] for k in range(4)],
        "costs": [ws.cell(row=r, column=2).value for r in rows],
    }


def _largest_tilt(path: Path) -> str:
    """The tilt factor with the largest |Σ weight × beta| over the Book sheet's cells (openpyxl, numpy)."""
    from xlhedge.calc.layout import FACTOR_ROW0, FIRST_POSITION_COL, LAST_FACTOR_ROW, WEIGHT_ROW, attribute_row

    ws = openpyxl.load_workbook(path, data_only=True)["Book"]
    cols = range(FIRST_POSITION_COL, ws.max_column + 1)
    cols = [c for c in cols if ws.cell(row=attribute_row("ticker"), column=c).value not in (None, "")]
    w = np.array([float(ws.cell(row=WEIGHT_ROW, column=c).value) for c in cols])
    rows = range(FACTOR_ROW0 + len(cand.FACTOR_MOVES), LAST_FACTOR_ROW + 1)  # the tilt rows, after the six core
    names = [str(ws.cell(row=r, column=1).value) for r in rows]
    b = np.array([[float(ws.cell(row=r, column=c).value or 0.0) for c in cols] for r in rows])
    label = names[int(np.argmax(np.abs(b @ w)))]
    return label.split()[0].lower()  # "Technology tilt" -> technology


def test_sheet_python_recompute_and_cli_agree(example, tmp_path) -> None:
    built = _section(example)
    # the default candidates and the sector ETF of the example book's largest tilt (technology: XLK),
    # the tilt found by numpy on the Book sheet's cells
    tilt = _largest_tilt(example)
    assert tilt == "technology"
    assert (
        built["tickers"] == [*cand.DEFAULT_CANDIDATES, cand.tilt_instrument(tilt)] == [*cand.DEFAULT_CANDIDATES, "XLK"]
    )
    fb = FileBook(example)
    recompute(fb, RecomputeOptions(write_status=False, estimate=False))
    out = tmp_path / "re.xlsx"
    fb.save(out)
    again = _section(out)
    assert again["contracts"] == built["contracts"]
    np.testing.assert_allclose(again["sigma"], built["sigma"], rtol=1e-9)

    book = book_from_io(fb)
    plan = optimised_plan(book, read_hedge_inputs(fb), read_optimiser_inputs(fb))
    # the eleven default candidates: the search ends (near-ties within 1e-5), so the sheet and Python agree
    assert plan.optimum.status == "optimal"
    assert plan.optimum.contracts.tolist() == built["contracts"]
    np.testing.assert_allclose(
        [plan.optimum.sigma_normal, plan.optimum.sigma_stress, plan.optimum.total_cost], built["sigma"], rtol=1e-9
    )
    before, thumb, best = zip(*built["summary"][:2])
    np.testing.assert_allclose(before, [plan.optimum.sigma_normal_before, plan.optimum.sigma_stress_before])
    np.testing.assert_allclose(thumb, [plan.rule_of_thumb_risk.sigma_normal, plan.rule_of_thumb_risk.sigma_stress])
    # the optimum's worse regime is below the rule of thumb's (whose CL/MCL, BTC/MBT legs are not all
    # candidates here: test_rule_of_thumb_is_never_better_in_the_worse_regime pins the property)
    assert plan.rule_of_thumb_risk.total_cost <= (plan.budget or np.inf)
    assert max(best) <= max(thumb)
    assert plan.optimum.total_cost <= plan.budget
    # option costs are their Black–Scholes/Black-76 premiums
    assert built["costs"][cand.DEFAULT_CANDIDATES.index("SPX_PUT")] == pytest.approx(
        float(cand.candidate_costs(["SPX_PUT"])["SPX_PUT"])
    )

    res = CliRunner().invoke(app, ["hedge", str(out), "--optimize"], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    assert all(len(line) <= 80 for line in res.output.splitlines())
    assert f"{plan.optimum.sigma_stress:,.0f}" in res.output and "Rule of thumb" in res.output
    res = CliRunner().invoke(
        app,
        ["hedge", str(out), "--candidates", "ES,MES,TLT", "--budget", "0", "--horizon-days", "5"],
        env={"COLUMNS": "80"},
    )
    assert res.exit_code == 0, res.output
    assert "budget 0" in res.output and "over 5 days" in res.output
    res = CliRunner().invoke(app, ["hedge", str(out), "--candidates", "ES,NOPE"])
    assert res.exit_code != 0 and "unknown instrument 'NOPE'" in res.output


def test_rule_of_thumb_is_never_better_in_the_worse_regime(example) -> None:
    """Random books over candidates holding the rule of thumb's legs: the optimum's worse σ ≤ the rule of thumb's."""
    import dataclasses

    from xlhedge.calc.optimize import OptimiserInputs, rule_of_thumb_contracts

    fb = FileBook(example)
    base = book_from_io(fb)
    rng = np.random.default_rng(8)
    inputs = read_hedge_inputs(fb)
    for _ in range(2):
        pos = base.positions.copy()
        pos["weight"] = pos["weight"] * rng.uniform(-2, 3, size=len(pos))
        book = dataclasses.replace(base, positions=pos)
        # the candidates hold every leg of the rule of thumb (the example's: ES/MES, TLT, UUP, CL/MCL, BTC/MBT),
        # so its hedge is one the optimiser may choose
        legs = list(rule_of_thumb_contracts(book, inputs).index)
        assert {"ES", "TLT", "UUP"} <= set(legs)
        opts = OptimiserInputs(candidates=list(dict.fromkeys(["ES", "MES", "TLT", "UUP", *legs])), budget=0.0)
        plan = optimised_plan(book, inputs, opts)
        assert set(plan.rule_of_thumb.index) <= set(plan.optimum.contracts.index)
        assert plan.rule_of_thumb_risk.total_cost == 0.0  # futures and ETFs: within the zero budget
        assert plan.optimum.status == "optimal"
        assert max(plan.optimum.sigma_normal, plan.optimum.sigma_stress) <= plan.rule_of_thumb_risk.worst + 1e-6


def test_example_default_candidates_end_with_a_small_gap_and_sensible_sizes(example) -> None:
    """The example book, its eleven default candidates (ES and MES, TLT and ZN, UUP and 6E proportional):
    the search ends well before its node limit with a stated gap under 1e-4 of the objective, and no
    leg is larger than the book itself (its σ alone at most the book's worse-regime σ before the hedge) —
    no offsetting pair such as +391,921 TLT against −827 ZN. The pairs' smaller contract holds at most the
    remainder of one larger contract."""
    import time

    fb = FileBook(example)
    recompute(fb, RecomputeOptions(write_status=False, estimate=False))
    book, opts = book_from_io(fb), read_optimiser_inputs(fb)
    t0 = time.perf_counter()
    plan = optimised_plan(book, read_hedge_inputs(fb), opts)
    elapsed = time.perf_counter() - t0
    opt = plan.optimum
    m = len(opt.contracts)
    assert m == 11
    assert opt.status == "optimal" and opt.nodes < DEFAULT_MAX_NODES * m
    assert 0 <= opt.gap <= 1e-4 * opt.objective, (opt.gap, opt.objective)
    assert "near-ties within 1e-05" in opt.method and NEAR_TIE == 1e-5
    covs = [
        factor_covariance(np.asarray(opts.vols[r], float), np.asarray(opts.correlations[r], float), opts.horizon_days)
        for r in ("normal", "stress")
    ]
    worst_before = max(opt.sigma_normal_before, opt.sigma_stress_before)
    loads = plan.loadings.to_numpy()
    for j, (ticker, x) in enumerate(opt.contracts.items()):
        leg = abs(x) * max(float(np.sqrt(loads[:, j] @ s @ loads[:, j])) for s in covs)
        assert leg <= worst_before, (ticker, x, leg, worst_before)
    x = opt.contracts
    assert abs(x["MES"]) <= 9 and abs(x["TLT"]) <= 472 and abs(x["UUP"]) <= 4822
    # the worse regime far below the rule of thumb's, within the budget
    assert max(opt.sigma_normal, opt.sigma_stress) < plan.rule_of_thumb_risk.worst
    assert opt.total_cost <= plan.budget
    assert elapsed < 10.0  # about 0.2 s alone; generous for a loaded machine
