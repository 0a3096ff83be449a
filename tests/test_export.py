"""`xlhedge export`: a static .xlsx anyone can open, and a PDF report (xlhedge/workbook/export.py).

The static copy is checked against the recomputed book cell by cell, and through LibreOffice: a
full recalculation of the copy (LibreOffice has none of xlhedge's functions) shows no #NAME? and
the same numbers, because the xlhedge cells now hold constants and the native formulas recompute
from them.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import xlhedge
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.cli import app
from xlhedge.engine.errors import InputError, XlhedgeError
from xlhedge.template import template_path
from xlhedge.workbook import export as _export
from xlhedge.workbook.export import export_static, is_xlhedge_formula
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.libreoffice import recalculate

from .conftest import require_tool


def _recomputed(tmp_path: Path, kind: str) -> tuple[Path, dict[tuple[str, str], object]]:
    """A recomputed copy of a shipped book and its cached values by (sheet, cell)."""
    book = tmp_path / f"{kind}.xlsx"
    shutil.copyfile(template_path(kind), book)
    fb = FileBook(book)
    recompute(fb, RecomputeOptions())
    fb.save()
    wb = openpyxl.load_workbook(book, data_only=True)
    values = {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}
    return book, values


def _xlhedge_cells(book: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(book)
    cells = []
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                text = c.value.text if hasattr(c.value, "text") else c.value
                if isinstance(text, str) and text.startswith("=") and is_xlhedge_formula(text):
                    ref = getattr(c.value, "ref", None)
                    if ref:
                        cells += [(ws.title, x.coordinate) for line in ws[ref] for x in line]
                    else:
                        cells.append((ws.title, c.coordinate))
    return cells


def _same(a: object, b: object) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b or (a in (None, "") and b in (None, ""))


def test_is_xlhedge_formula():
    assert is_xlhedge_formula("=FACTOR_EXPOSURE(BookBlock)")
    assert is_xlhedge_formula('=IF(COUNT(PricesValues)<3,"",REGIME_CORRELATION(PricesTable))')
    assert is_xlhedge_formula("=_xludf.hedge_notional(B7,NAV,0.5)")
    assert not is_xlhedge_formula("=SUMPRODUCT(BookWeights,B12:AE12)")
    assert not is_xlhedge_formula('="see FACTOR_EXPOSURE(x) in the docs"')
    assert not is_xlhedge_formula("=RegimeHighVIX")


@pytest.mark.parametrize("kind", ["example", "figure01"])
def test_static_copy_keeps_values_and_everything_else(tmp_path: Path, kind: str):
    book, values = _recomputed(tmp_path, kind)
    live_cells = _xlhedge_cells(book)
    assert len(live_cells) > 100
    out = tmp_path / "static.xlsx"
    rep = export_static(book, out)
    assert rep.formulas_replaced > 50 and rep.formulas_kept > 50
    assert not _xlhedge_cells(out)  # no xlhedge formula left
    wb = openpyxl.load_workbook(out)
    static = openpyxl.load_workbook(out, data_only=True)
    for sheet, cell in live_cells:
        assert _same(static[sheet][cell].value, values[(sheet, cell)]), (sheet, cell)
    # native formulas are kept as formulas
    native = [
        c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "SUMPRODUCT" in c.value
    ]
    assert native
    # every other part (charts, drawings, styles, comments) and every defined name is kept
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(out) as b:
        assert set(a.namelist()) - {"xl/calcChain.xml"} == set(b.namelist())
        for name in a.namelist():
            if name.startswith(("xl/charts/", "xl/drawings/", "xl/styles", "xl/comments")):
                assert a.read(name) == b.read(name), name
    assert set(openpyxl.load_workbook(book).defined_names) == set(wb.defined_names)


def test_libreoffice_recalculates_the_static_copy_with_the_same_numbers(tmp_path: Path):
    require_tool("soffice")
    book, values = _recomputed(tmp_path, "example")
    out = tmp_path / "static.xlsx"
    export_static(book, out)
    lo, _ = recalculate(out, tmp_path / "lo")  # full recalculation on load, as any viewer would
    wb = openpyxl.load_workbook(lo, data_only=True)
    names = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.value == "#NAME?"]
    assert not names, names[:10]
    checked = 0
    for sheet, cell in _xlhedge_cells(book):
        v, want = wb[sheet][cell].value, values[(sheet, cell)]
        if isinstance(want, float | int) and not isinstance(want, bool):
            assert _same(v, want), (sheet, cell, v, want)
            checked += 1
    assert checked > 200
    # a native formula recomputed by LibreOffice from the frozen values: the Exposures SUMPRODUCTs
    live = openpyxl.load_workbook(book, data_only=True)
    for row in live["Exposures"].iter_rows():
        for c in row:
            if isinstance(c.value, float):
                assert _same(wb["Exposures"][c.coordinate].value, c.value), c.coordinate


def test_pdf_report_one_page_per_sheet(tmp_path: Path):
    require_tool("soffice")
    pdfinfo = require_tool("pdfinfo")
    out = tmp_path / "report.pdf"
    path = xlhedge.export_book(template_path("example"), out)
    assert path == out and out.stat().st_size > 10_000
    info = subprocess.run([pdfinfo, str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
    assert pages == len(openpyxl.load_workbook(template_path("example"), read_only=True).sheetnames)


def test_pdf_without_libreoffice_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_export.libreoffice, "soffice_path", lambda: None)
    with pytest.raises(XlhedgeError, match="needs LibreOffice"):
        _export.export_pdf(template_path("example"), tmp_path / "r.pdf")


def test_export_refuses_bad_targets(tmp_path: Path):
    book = tmp_path / "b.xlsx"
    shutil.copyfile(template_path("figure01"), book)
    with pytest.raises(InputError):
        xlhedge.export_book(book, tmp_path / "b.csv")
    with pytest.raises(InputError):
        xlhedge.export_book(book, book)
    # a missing output folder is refused before any work, as recompute/new/demo refuse it (no folder made)
    for name in ("copy.xlsx", "report.pdf"):
        with pytest.raises(XlhedgeError, match="does not exist"):
            xlhedge.export_book(book, tmp_path / "nodir" / name)
    assert not (tmp_path / "nodir").exists()


def test_cli_export(tmp_path: Path):
    book = tmp_path / "b.xlsx"
    shutil.copyfile(template_path("figure01"), book)
    before = book.read_bytes()
    runner = CliRunner()
    r = runner.invoke(app, ["export", str(book), str(tmp_path / "s.xlsx")], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert "xlhedge formulas replaced by their values" in " ".join(r.output.split())  # wraps at any width
    assert book.read_bytes() == before  # the book itself is not changed
    r = runner.invoke(app, ["export", str(book), str(tmp_path / "s.xlsx")])
    assert r.exit_code == 2 and "--force" in r.output
