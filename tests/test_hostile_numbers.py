"""Hostile numbers at every door: never a traceback, never a numpy warning, never a silent number,
and the root cause named once, at its cell (issue 10, classes 5, 7 and 8).

Each case asserts the exit code, a one-line message naming the place, no "Traceback" and no
"RuntimeWarning" in what the user sees. The CLI cases run in-process (typer's runner captures
stderr, where a warning or a logged traceback would go); one case runs the real program.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlhedge.calc.layout import FIRST_POSITION_COL, WEIGHT_ROW
from xlhedge.calc.refs import cell_name
from xlhedge.cli import app
from xlhedge.engine import coerce, sizing
from xlhedge.engine.checks import _expo
from xlhedge.engine.errors import InputError, NumericalError, numeric_guard
from xlhedge.engine.estimation import beta_stats
from xlhedge.engine.prices import clean_prices
from xlhedge.engine.rebalance import rebalance
from xlhedge.functions import registry as registry_module
from xlhedge.functions.registry import Arg, WorksheetFunction, registry
from xlhedge.template import template_path

from .test_checks import frame, pos

R = registry()
runner = CliRunner()
WEIGHT_CELL = f"Book!{cell_name(WEIGHT_ROW, FIRST_POSITION_COL)}"  # the first position's weight (IPX)


def cli(*args: str) -> tuple[int, str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = runner.invoke(app, list(args), catch_exceptions=False)
    out = r.output
    assert "Traceback" not in out, out
    assert "RuntimeWarning" not in out, out
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in caught]
    return r.exit_code, out


def error_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("error ", "xlhedge:"))]


def patch_cell(book: Path, ref: str, value_xml: str) -> None:
    """Write a cell's XML as another program might: ``<v>NaN</v>``, ``<v>INF</v>``..."""
    sheet, cell = ref.split("!")
    wb = openpyxl.load_workbook(book, read_only=True)
    part = f"xl/worksheets/sheet{wb.sheetnames.index(sheet) + 1}.xml"
    wb.close()
    with zipfile.ZipFile(book) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename == part:
                s = data.decode()
                i = s.index(f'<c r="{cell}"')
                j = s.index("</c>", i) + 4
                data = (s[:i] + f'<c r="{cell}">{value_xml}</c>' + s[j:]).encode()
            z.writestr(info, data)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    p = tmp_path / "book.xlsx"
    shutil.copyfile(template_path("example"), p)
    return p


# ----------------------------------------------------------------------------- class 5: no traceback


def test_an_infinite_window_is_an_input_error_not_an_overflow(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, (a, b) in enumerate([(100, 50), (101, 51), (99, 52), (102, 50)], start=1):
        ws.cell(i, 1, a)
        ws.cell(i, 2, b)
    ws["D1"] = "=CORRELATION(A1:A4,B1:B4,1E+309)"
    ws["D2"] = "=CORRELATION(A1:A4,B1:B4,2.5)"
    p = tmp_path / "corr.xlsx"
    wb.save(p)
    code, out = cli("recompute", str(p))
    assert code == 1
    errs = error_lines(out)
    assert any("Sheet!D1" in e and "window" in e and "finite" in e for e in errs), out
    assert any("Sheet!D2" in e and "window must be a whole number" in e for e in errs), out
    assert (
        R["CORRELATION"]
        .call([[1.0], [2.0], [4.0]], [[1.0], [3.0], [2.0]], 1e309)
        .startswith("#VALUE! CORRELATION: window: expected a finite number")
    )


def test_the_real_program_prints_no_traceback_and_no_warning(tmp_path: Path):
    p = tmp_path / "corr.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["B1"], ws["B2"], ws["B3"] = 1, 2, 4, 1, 3, 2
    ws["D1"] = "=CORRELATION(A1:A3,B1:B3,1E+309)"
    ws["D2"] = "=BETA_STATS(A1:A3,A1:A3)"
    wb.save(p)
    env = {k: v for k, v in os.environ.items() if k != "XLHEDGE_DEBUG"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    r = subprocess.run([sys.executable, "-m", "xlhedge", "recompute", str(p)], capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "Warning" not in r.stderr, r.stderr
    assert "Sheet!D1" in r.stderr


def test_an_internal_error_shows_its_traceback_only_under_xlhedge_debug(tmp_path: Path, monkeypatch):
    def boom(x: object) -> float:
        raise KeyError("oops")

    monkeypatch.setitem(registry_module._REGISTRY, "BOOM", WorksheetFunction("BOOM", boom, "Fails.", (Arg("x", "x"),)))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=BOOM(1)"
    p = tmp_path / "boom.xlsx"
    wb.save(p)
    monkeypatch.delenv("XLHEDGE_DEBUG", raising=False)
    code, out = cli("recompute", str(p))
    assert code == 1 and "Sheet!A1" in out and "internal error in BOOM (KeyError" in out
    monkeypatch.setenv("XLHEDGE_DEBUG", "1")
    r = runner.invoke(app, ["recompute", str(p)], catch_exceptions=False)
    assert "Traceback" in r.output and "KeyError" in r.output


def test_whole_number_is_the_one_integer_coercion():
    assert coerce.whole_number(5.0, "window") == 5
    assert coerce.optional_whole_number(None, "window") is None
    assert coerce.optional_whole_number([[None]], "window") is None
    for bad, text in [
        (math.inf, "window: expected a finite number, found inf"),
        (10**400, "window: expected a finite number, found inf"),
        (2.5, "window must be a whole number, got 2.5"),
        ("ten", "window: expected a number, found text 'ten'"),
        (1.0, "window must be a whole number ≥ 2, got 1"),
    ]:
        with pytest.raises(InputError) as e:
            coerce.whole_number(bad, "window", minimum=2)
        assert str(e.value).startswith(text)


# ----------------------------------------------------------------------------- class 7: non-finite numbers


@pytest.mark.parametrize(("xml", "shown"), [("<v>NaN</v>", "NaN"), ("<v>-INF</v>", "-inf")])
def test_a_non_finite_weight_is_an_error_naming_its_cell(book: Path, xml: str, shown: str):
    patch_cell(book, WEIGHT_CELL, xml)
    before = book.read_bytes()
    code, out = cli("report", str(book))
    assert code == 2
    (line,) = error_lines(out)
    assert line.startswith(f"xlhedge: book.xlsx: {WEIGHT_CELL} holds {shown} "), line
    assert "+0.00%" not in out
    code, out = cli("check", str(book))
    assert code == 2 and f"book.xlsx: {WEIGHT_CELL} holds {shown}" in out
    assert book.read_bytes() == before  # report and check never write
    code, out = cli("recompute", str(book))
    assert code == 1
    errs = error_lines(out)
    assert len(errs) == 1 and f"{WEIGHT_CELL}: holds {shown}" in errs[0], out
    assert "fail because of it" in errs[0]


def test_a_huge_weight_overflows_into_an_error_not_inf(book: Path):
    patch_cell(book, WEIGHT_CELL, "<v>1e308</v>")
    code, out = cli("recompute", str(book))
    assert code == 1
    errs = error_lines(out)
    assert any(
        e.startswith(f"error book.xlsx: {WEIGHT_CELL}: holds 1e+308, too large to compute with: overflow") for e in errs
    ), out
    assert not [e for e in errs if e.startswith("error book.xlsx: Hedges!D")], out  # no formula cell blamed
    assert "units is missing" not in out
    wb = openpyxl.load_workbook(book, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, float) and not math.isfinite(v) for v in row), ws.title


def test_a_csv_with_an_infinite_price_is_refused_naming_file_column_and_date(tmp_path: Path):
    csv = tmp_path / "spy.csv"
    csv.write_text("Date,SPY\n2024-01-01,100\n2024-01-02,101\n2024-01-03,inf\n2024-01-04,102\n2024-01-05,103\n")
    p = tmp_path / "b.xlsx"
    shutil.copyfile(template_path("template"), p)
    code, out = cli("estimate", str(p), "--prices", str(csv))
    assert code == 2
    assert error_lines(out) == [
        "xlhedge: spy column SPY has an infinite price (inf) on 2024-01-03; a price must be a finite number > 0"
    ]
    import pandas as pd

    with pytest.raises(InputError, match="infinite price"):
        clean_prices(pd.DataFrame({"X": [1.0, math.inf, 2.0]}, index=pd.date_range("2024-01-01", periods=3)))


def test_a_perfect_fit_has_no_t_statistic():
    x = [[100.0], [101.0], [99.0], [103.0], [104.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert R["BETA_STATS"].call(x, x) == (
            "#VALUE! BETA_STATS: asset_prices: perfect fit: the residual variance is zero, so SE(β) = 0 and the "
            "t-statistic is undefined (is the asset the benchmark itself?); BETA gives the beta"
        )
        assert R["BETA"].call(x, x) == pytest.approx(1.0)
        st = beta_stats([r[0] for r in x], [r[0] for r in x])
    assert math.isnan(st["t"].iloc[0]) and st["se"].iloc[0] == 0 and st["beta"].iloc[0] == pytest.approx(1.0)


def test_numeric_guard_turns_numpy_warnings_into_one_error():
    import numpy as np

    with pytest.raises(NumericalError, match="overflow in multiply"):
        with numeric_guard():
            np.array([1e308]) * 10
    with pytest.raises(NumericalError, match="division by zero"):
        with numeric_guard():
            np.array([1.0]) / 0.0
    with pytest.raises(NumericalError, match="undefined result"):
        with numeric_guard():
            np.array([np.inf]) - np.inf
    assert R["FACTOR_EXPOSURE"].call([[1e308, 1e308]], [[1e308], [1e308]]).startswith("#NUM! FACTOR_EXPOSURE: overflow")


def test_huge_date_serials_are_input_errors():
    prices = [["Date", "A", "B"], [1e300, 100.0, 5.0], [45000.0, 101.0, 6.0], [45001.0, 102.0, 5.5], [45002, 103, 6.0]]
    msg = R["CORRELATION_MATRIX"].call(prices)
    assert msg == "#VALUE! CORRELATION_MATRIX: prices: expected a date in row 2, found 1e+300"


# ----------------------------------------------------------------------------- class 8: root cause once


def test_text_in_a_weight_is_reported_once_at_its_cell(book: Path):
    wb = openpyxl.load_workbook(book)
    wb["Book"][WEIGHT_CELL.split("!")[1]] = "abc"
    wb.save(book)
    code, out = cli("recompute", str(book))
    assert code == 1
    errs = error_lines(out)
    assert len(errs) == 1, out
    assert errs[0].startswith(f"error book.xlsx: {WEIGHT_CELL}: expected a number, found text 'abc'; ")
    assert "xlhedge formulas fail because of it: Exposures!" in errs[0]
    assert "#VALUE!" not in errs[0] and "found text '#" not in out and 'found text "#' not in out
    wb = openpyxl.load_workbook(book, data_only=True)
    shown = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    readers = [v for v in shown if v.startswith("#VALUE!") and f"(cell {WEIGHT_CELL})" in v]
    dependents = [v for v in shown if v.endswith(f": depends on {WEIGHT_CELL}")]
    assert readers and dependents
    assert not [v for v in shown if "found text '#" in v or 'found text "#' in v]  # nothing re-quoted
    code, out = cli("recompute", "--check", str(book))
    assert code == 1 and "up to date" not in out.replace("not up to date", "")
    code, out = cli("check", str(book))
    assert code == 2
    assert error_lines(out) == [
        f"xlhedge: book.xlsx: {WEIGHT_CELL}: expected a number, found text 'abc' (Weight of IPX)"
    ]


def test_the_circular_reference_message_names_the_file_once(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=FACTOR_EXPOSURE(B1:C2)"
    ws["B1"] = "=A1"
    p = tmp_path / "circ.xlsx"
    wb.save(p)
    code, out = cli("recompute", str(p))
    assert code == 1
    (line,) = [e for e in error_lines(out) if "circular" in e]
    assert line.count("circ.xlsx") == 1 and "Sheet!" in line


# ----------------------------------------------------------------------------- one rounding, one answer


def test_rebalance_rounds_an_exact_half_contract_away_from_zero_like_hedge_contracts():
    rows = [
        pos("AAPL", 0.5, equity=1.0),
        pos("HEDGE", -0.25, is_hedge=True, equity=1.0, target_ratio=0.75, price=100_000.0, multiplier=50.0),
    ]
    r = rebalance(frame(rows), nav=100_000_000.0)
    # ΔH = −0.75 × 0.5 + 0.25 = −0.125 → −12,500,000 / (100,000 × 50) = −2.5 contracts exactly
    assert r.loc["equity", "notional_change"] == -12_500_000
    assert r.loc["equity", "contracts"] == -3.0
    assert sizing.whole_contracts(-2.5) == -3.0 and sizing.whole_contracts(2.5) == 3.0
    assert R["HEDGE_CONTRACTS"].call(-12_500_000, 100_000, 50, 1)[0][0] == -3.0


def test_no_bankers_rounding_of_contracts_in_the_engine_or_the_functions():
    """Whole contracts come from sizing.whole_contracts only; np.round stays for money to the cent (budget)."""
    root = Path(__file__).resolve().parents[1] / "xlhedge"
    for folder in ("engine", "functions"):
        for f in (root / folder).glob("*.py"):
            text = f.read_text()
            assert "np.rint(" not in text and "np.around(" not in text, f
            assert "np.round(" not in text or f.name == "budget.py", f


def test_report_and_hedge_give_one_answer_per_file(book: Path):
    wb = openpyxl.load_workbook(book)
    wb["Hedges"]["D7"] = 1.0  # the equity hedge ratio: 100% instead of the default 50%
    wb.save(book)
    code_r, report = cli("report", str(book))
    code_h, hedge = cli("hedge", str(book))
    assert code_r == code_h == 0
    assert "inputs: defaults" not in report
    assert "-48,750" in report and "-48,750" in hedge and "-24,375" not in report


def test_hedge_instruments_are_merged_over_the_defaults():
    r = sizing.recommend_hedges({"equity": 0.5, "duration": 2.0}, 1_000_000, hedge_instruments={"equity": "MES"})
    assert r.loc["equity", "instrument"] == "MES"
    assert (
        r.loc["duration", "instrument"]
        == sizing.recommend_hedges({"duration": 2.0}, 1_000_000).loc["duration", "instrument"]
    )
    assert r.loc["duration", "instrument"]


def test_vol_exposure_is_printed_in_its_unit():
    assert _expo("vol", 0.5) == "+0.500% of NAV per vol point"


def test_origin_helpers_find_the_cell_behind_a_value():
    from xlhedge.calc.origin import huge_cell, is_error_result, locate, non_finite
    from xlhedge.calc.refs import CellRange
    from xlhedge.engine.coerce import ExcelError

    rng = CellRange("Book", 28, 2, 29, 4)
    rows = [["IPX", "XOM", "SPY"], [0.1, "abc", ExcelError("#N/A")]]
    assert str(locate(InputError("x", found="abc"), [(rng, rows)])) == "Book!C29"
    assert str(locate(InputError("x", found="#N/A"), [(rng, rows)])) == "Book!D29"
    assert locate(InputError("x"), [(rng, rows)]) is None and locate(InputError("x", found=None), [(rng, rows)]) is None
    assert non_finite(rng, rows) is None
    cell, v = non_finite(rng, [[1.0, 2.0, 3.0], [1e308, 1e308, math.nan]])
    assert str(cell) == "Book!D29" and math.isnan(v)
    assert str(huge_cell([(rng, [[1.0, 2.0, 3.0], [1e308, 0.0, 0.0]])])) == "Book!B29"
    assert is_error_result("#VALUE! FACTOR_EXPOSURE: x") and is_error_result(ExcelError("#N/A"))
    assert not is_error_result("#hashtag") and not is_error_result(0.0)


def test_text_in_a_hedge_ratio_is_an_error_naming_its_cell_not_the_default(book: Path):
    wb = openpyxl.load_workbook(book)
    wb["Hedges"]["D7"] = "abc"  # the equity hedge ratio
    wb.save(book)
    code, out = cli("hedge", str(book))
    assert code == 2
    assert error_lines(out) == ["xlhedge: book.xlsx: Hedges!D7: expected a number, found 'abc'"]


def test_a_book_level_error_names_the_file_once(tmp_path: Path):
    p = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(p)
    for command in ("report", "check"):
        code, out = cli(command, str(p))
        (line,) = error_lines(out)
        assert code == 2 and line.count("plain.xlsx") == 1, line
