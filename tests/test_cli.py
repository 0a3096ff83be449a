"""The command line: the main job, recompute/--check, report, and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlhedge import read_book
from xlhedge.calc.layout import FACTOR_ROW0, FIRST_POSITION_COL, WEIGHT_ROW, attribute_row
from xlhedge.cli import app
from xlhedge.template.example import EXAMPLE_POSITIONS
from xlhedge.template.exposures_sheet import ROW0

runner = CliRunner()


def cli(*args: str, cwd: Path | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_demo_in_an_empty_folder(tmp_path: Path):
    r = cli("demo", cwd=tmp_path)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "xlhedge_example.xlsx").exists()
    equity = read_book(tmp_path / "xlhedge_example.xlsx").exposures().loc["equity", "exposure"]
    for text in ("Trades view", "Book view", "AAPL", "Equity beta (SPX)", f"{equity:+.4f}", "DV01", "Recommended"):
        assert text in r.output
    assert "Checks (common hedging mistakes" in r.output


def test_demo_figure01_in_an_empty_folder(tmp_path: Path):
    r = cli("demo", "--example", "figure01", cwd=tmp_path)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "xlhedge_example.xlsx").exists()
    for text in ("Trades view", "Book view", "IPX", "Equity beta (SPX)", "+0.0488", "DV01"):
        assert text in r.output
    # then the check findings, as `xlhedge check` prints them (the example records no FX decision)
    checks = r.output.index("Checks (common hedging mistakes")
    assert checks > r.output.index("Book view")
    assert "FX_UNDECIDED CHF exposure of +0.60% of NAV (AMRZ +0.60%)" in r.output[checks:]
    assert "findings — 0 errors" in r.output[checks:]


def test_demo_prints_error_findings_and_still_exits_0(tmp_path: Path, example_book: Path):
    """An over-hedged book: demo shows the OVER_HEDGE error but exits 0; `check` exits 1 on it."""
    wb = openpyxl.load_workbook(example_book)
    ws = wb["Book"]
    col = FIRST_POSITION_COL + len(EXAMPLE_POSITIONS)  # the first free position column
    assert ws.cell(row=attribute_row("ticker"), column=col).value is None
    ws.cell(row=attribute_row("ticker"), column=col, value="ES")
    ws.cell(row=attribute_row("is_hedge"), column=col, value=True)
    ws.cell(row=WEIGHT_ROW, column=col, value=-0.2)  # equity: book +0.0306, hedge -0.20
    ws.cell(row=FACTOR_ROW0, column=col, value=1.0)
    wb.save(example_book)
    r = cli("demo", str(example_book))  # exists, no --force: recomputed in place
    assert r.exit_code == 0, r.output
    assert "ERROR   OVER_HEDGE" in r.output
    assert cli("check", str(example_book)).exit_code == 1


def test_new_recompute_check_report(tmp_path: Path, example_book: Path):
    new = tmp_path / "mine.xlsx"
    assert cli("new", str(new)).exit_code == 0
    assert cli("new", str(new)).exit_code == 2  # refuses to overwrite
    assert cli("recompute", str(example_book), "--check").exit_code == 0
    # Edit an input with openpyxl (which drops every stored value) and check again: out of date.
    wb = openpyxl.load_workbook(example_book)
    wb["Book"].cell(row=FACTOR_ROW0, column=FIRST_POSITION_COL, value=0.03)  # IPX equity beta
    wb.save(example_book)
    r = cli("recompute", str(example_book), "--check")
    assert r.exit_code == 1 and "out of date" in r.output
    out = tmp_path / "out.xlsx"
    r = cli("recompute", str(example_book), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert cli("recompute", str(out), "--check").exit_code == 0
    v = openpyxl.load_workbook(out, data_only=True)["Exposures"][f"B{ROW0}"].value
    assert v == pytest.approx(read_book(out).exposures()["exposure"].iloc[0], rel=0, abs=0)
    r = cli("report", str(out))
    assert r.exit_code == 0 and "Largest contributor" in r.output


def test_strict_fails_on_warnings(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["w", 0.1])
    ws.append(["e", "=VLOOKUP(1,D1:E2,2)"])
    ws["A4"] = "=FACTOR_EXPOSURE(A1:B2)"
    p = tmp_path / "s.xlsx"
    wb.save(p)
    assert cli("recompute", str(p)).exit_code == 0
    r = cli("recompute", str(p), "--strict")
    assert r.exit_code == 1 and "Sheet!B2" in r.output


@pytest.mark.parametrize(
    "content, name, text",
    [
        (b"garbage", "bad.xlsx", "not a valid .xlsx/.xlsm file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", ".xls file"),
    ],
)
def test_bad_files_one_line_no_traceback(tmp_path: Path, content: bytes, name: str, text: str):
    p = tmp_path / name
    p.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "xlhedge", "recompute", str(p)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert text in proc.stderr and str(p.name) in proc.stderr
    assert p.read_bytes() == content


def test_report_on_empty_template(tmp_path: Path):
    p = tmp_path / "empty.xlsx"
    cli("new", str(p))
    r = cli("report", str(p))
    assert r.exit_code == 2 and "has no positions" in r.output


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("command", ["report", "hedge"])
def test_tables_fit_the_terminal_and_show_every_value(tmp_path: Path, example_book: Path, command: str, columns: int):
    """No table cell is cut ('…') and no table line is wider than the terminal; at 80 columns the
    wide hedge tables become one block per row, holding the same values."""
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "xlhedge", command, str(example_book)], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert not [ln for ln in lines if "…" in ln]
    assert not [ln for ln in lines if len(ln.rstrip()) > columns]
    assert "-15,280" in proc.stdout and "-28" in proc.stdout and "6S" in proc.stdout  # ES notional, TLT, CHF leg


def test_print_table_records_hold_the_table_s_values():
    from rich.console import Console
    from rich.table import Table

    from xlhedge.cli._common import print_table

    t = Table(title="Wide")
    for c in ("Name", *(f"Column {i}" for i in range(10))):
        t.add_column(c)
    t.add_row("first", *(f"value-{i}-long" for i in range(10)))
    narrow, wide = Console(width=40, record=True), Console(width=400, record=True)
    print_table(narrow, t)
    print_table(wide, t)
    text = narrow.export_text()
    assert "Name: first" in text and all(f"Column {i}  value-{i}-long" in text for i in range(10))
    assert max(len(ln.rstrip()) for ln in text.splitlines()) <= 40
    assert "┃" in wide.export_text() or "│" in wide.export_text()  # fits: printed as the table itself


def test_progress_bar_on_a_terminal_only_and_never_under_quiet(monkeypatch, example_book: Path):
    import io

    from rich.console import Console

    from xlhedge.cli import _common

    assert _common.progress_enabled() is False  # pytest's stderr is not a terminal
    with _common.progress("x", total=3) as bar:
        assert bar is _common.NO_PROGRESS
    tty = io.StringIO()
    monkeypatch.setattr(_common, "err_console", Console(file=tty, force_terminal=True, width=80))
    assert _common.progress_enabled() and not _common.progress_enabled(quiet=True)
    with _common.progress("book.xlsx", total=2) as bar:
        bar.step("recomputing")
        bar.advance()
    assert "book.xlsx: recomputing" in tty.getvalue()
    for args in (["recompute", str(example_book)], ["recompute", str(example_book), str(example_book), "-j", "1"]):
        tty.seek(0)
        tty.truncate()
        assert cli(*args).exit_code == 0
        assert ("Recomputing" if len(args) > 2 else "example.xlsx: ") in tty.getvalue()
        tty.seek(0)
        tty.truncate()
        assert cli(*args, "-q").exit_code == 0
        assert tty.getvalue() == ""
    monkeypatch.setenv("XLHEDGE_NO_PROGRESS", "1")
    assert not _common.progress_enabled()
