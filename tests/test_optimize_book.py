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
from xlhedge.engine.optimize import hedge_risk
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


def test_sheet_python_recompute_and_cli_agree(example, tmp_path) -> None:
    built = _section(example)
    # the default candidates and the sector ETF of the example book's largest tilt (industrials)
    assert built["tickers"] == [*cand.DEFAULT_CANDIDATES, "XLI"]
    fb = FileBook(example)
    recompute(fb, RecomputeOptions(write_status=False, estimate=False))
    out = tmp_path / "re.xlsx"
    fb.save(out)
    again = _section(out)
    assert again["contracts"] == built["contracts"]
    np.testing.assert_allclose(again["sigma"], built["sigma"], rtol=1e-9)

    book = book_from_io(fb)
    plan = optimised_plan(book, read_hedge_inputs(fb), read_optimiser_inputs(fb))
    assert plan.optimum.contracts.tolist() == built["contracts"]
    np.testing.assert_allclose(
        [plan.optimum.sigma_normal, plan.optimum.sigma_stress, plan.optimum.total_cost], built["sigma"], rtol=1e-9
    )
    before, thumb, best = zip(*built["summary"][:2])
    np.testing.assert_allclose(before, [plan.optimum.sigma_normal_before, plan.optimum.sigma_stress_before])
    np.testing.assert_allclose(thumb, [plan.rule_of_thumb_risk.sigma_normal, plan.rule_of_thumb_risk.sigma_stress])
    # the optimum's worse regime is never above the rule of thumb's (its legs are candidates, within budget)
    assert set(plan.rule_of_thumb.index) <= set(plan.optimum.contracts.index)
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

    from xlhedge.calc.optimize import OptimiserInputs

    fb = FileBook(example)
    base = book_from_io(fb)
    rng = np.random.default_rng(8)
    inputs = read_hedge_inputs(fb)
    for _ in range(2):
        pos = base.positions.copy()
        pos["weight"] = pos["weight"] * rng.uniform(-2, 3, size=len(pos))
        book = dataclasses.replace(base, positions=pos)
        opts = OptimiserInputs(candidates=["ES", "MES", "TLT", "UUP", "MCL"], budget=0.0)
        plan = optimised_plan(book, inputs, opts)
        assert set(plan.rule_of_thumb.index) <= set(plan.optimum.contracts.index)
        assert plan.rule_of_thumb_risk.total_cost == 0.0  # futures and ETFs: within the zero budget
        assert plan.optimum.status == "optimal"
        assert max(plan.optimum.sigma_normal, plan.optimum.sigma_stress) <= plan.rule_of_thumb_risk.worst + 1e-6
