"""The Book's position block written as XML copies (template/book_sheet.py DEFER_BLOCK) is the file
openpyxl writes cell by cell, byte for byte; ``xlhedge new`` shows its phases on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from xlhedge.calc.layout import FACTOR_ROW0, FIRST_POSITION_COL, HEADER_ROW, LAST_FACTOR_ROW
from xlhedge.template import book_sheet, build_workbook

from .conftest import zip_members

BOOK = (
    dict(ticker="SPY", asset_class="equity", weight=0.25, betas={"equity": 1.0}),
    dict(ticker="TLT", asset_class="rates", weight=-0.1, betas={"duration": 17.0}),
    dict(ticker="GLD", asset_class="commodity", weight=0.05),
)


@pytest.mark.parametrize(("positions", "book"), [(70, BOOK), (40, ()), (3, BOOK)])
def test_deferred_block_is_the_file_openpyxl_writes_cell_by_cell(
    tmp_path: Path, monkeypatch, positions: int, book: tuple
):
    fast = zip_members(build_workbook(tmp_path / "fast.xlsx", positions=positions, book=book))
    monkeypatch.setattr(book_sheet, "DEFER_BLOCK", False)
    slow = zip_members(build_workbook(tmp_path / "slow.xlsx", positions=positions, book=book))
    assert list(fast) == list(slow)
    assert [n for n in fast if fast[n] != slow[n]] == []


def test_every_position_column_is_an_input_column(tmp_path: Path):
    n = 300
    ws = openpyxl.load_workbook(build_workbook(tmp_path / "b.xlsx", positions=n, book=BOOK))["Book"]
    last = FIRST_POSITION_COL + n - 1
    assert ws.max_column == last
    assert ws.cell(HEADER_ROW, last).value == f"Position {n}" and ws.cell(HEADER_ROW, last + 1).value is None
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(last)].width == 13
    for r in range(HEADER_ROW + 1, LAST_FACTOR_ROW + 1):
        first, end = ws.cell(r, FIRST_POSITION_COL + len(BOOK)), ws.cell(r, last)
        assert end.style_id == first.style_id and end.fill.fgColor.rgb == "00FFF2CC", r
        assert end.value is None
    assert ws.cell(FACTOR_ROW0, FIRST_POSITION_COL).value == 1.0  # SPY's equity beta


def test_a_block_row_that_does_not_end_with_its_prototype_is_a_bug_not_a_silent_gap():
    fill = book_sheet.BlockFill("Book", [7], 2, 4, 6, 2)
    xml = (
        b'<worksheet><dimension ref="A1:B7"/><cols><col width="13" customWidth="1" min="2" max="2"/></cols>'
        b'<sheetData><row r="6"><c r="B6" s="1" t="inlineStr"><is><t>Position 1</t></is></c></row>'
        b'<row r="7"><c r="B7" s="2" t="n"/></row></sheetData></worksheet>'
    )
    got = fill.expand(xml)
    assert b'<dimension ref="A1:D7"/>' in got
    assert b'<col width="13" customWidth="1" min="4" max="4"/></cols>' in got
    assert b'<c r="D6" s="1" t="inlineStr"><is><t>Position 3</t></is></c></row>' in got
    assert b'<c r="C7" s="2" t="n"/><c r="D7" s="2" t="n"/></row>' in got
    with pytest.raises(RuntimeError, match="row 7 has cells after B7"):
        fill.expand(xml.replace(b'<c r="B7" s="2" t="n"/>', b'<c r="B7" s="2" t="n"/><c r="E7" s="2" t="n"/>'))


def test_new_shows_its_phases_on_a_terminal(tmp_path: Path, monkeypatch):
    from rich.console import Console
    from typer.testing import CliRunner

    from xlhedge.cli import _common, app

    tty = io.StringIO()
    monkeypatch.delenv("XLHEDGE_NO_PROGRESS", raising=False)
    monkeypatch.setattr(_common, "err_console", Console(file=tty, force_terminal=True, width=80))
    out = tmp_path / "wide.xlsx"
    res = CliRunner().invoke(app, ["new", str(out), "--positions", "60"])
    assert res.exit_code == 0, res.output
    assert "wide.xlsx: " in tty.getvalue()
    assert openpyxl.load_workbook(out)["Book"].max_column == FIRST_POSITION_COL + 59


def test_an_archive_closed_without_its_block_is_an_error(tmp_path: Path):
    archive = book_sheet.BlockArchive(tmp_path / "x.zip", {"xl/worksheets/sheet1.xml": lambda b: b})
    archive.writestr("xl/workbook.xml", b"<workbook/>")
    with pytest.raises(RuntimeError, match="sheet1.xml was not written"):
        archive.close()
    patched = book_sheet.BlockArchive(tmp_path / "y.zip", {"a.xml": lambda b: b + b"!"})
    (tmp_path / "a.tmp").write_bytes(b"<a/>")
    patched.write(tmp_path / "a.tmp", "a.xml")
    patched.close()
    assert zip_members(tmp_path / "y.zip") == {"a.xml": b"<a/>!"}
