"""New cells keep the sheet's row and column order, however they are written (package._new_cell's
left-to-right fast path against the row scan it replaces for that case)."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import openpyxl

from xlhedge.calc.refs import CellRange, col_index
from xlhedge.workbook.filebook import FileBook


def _sheet_with_gaps(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["D1"], ws["H1"] = "a", "d", "h"  # new cells go between, before and after these
    ws["C3"] = 3.0
    ws["B6"] = 6.0
    wb.save(path)
    return path


def _order(path: Path) -> list[tuple[int, list[int]]]:
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    rows = []
    for m in re.finditer(r'<row r="(\d+)"[^>]*>(.*?)</row>', xml):
        cols = [col_index(c) for c in re.findall(r'<c r="([A-Z]+)\d+"', m.group(2))]
        rows.append((int(m.group(1)), cols))
    return rows


def test_cells_written_in_any_order_land_in_row_and_column_order(tmp_path: Path):
    cells = [(r, c) for r in range(1, 9) for c in range(1, 10)]
    for seed, order in enumerate(("left to right", "right to left", "shuffled")):
        path = _sheet_with_gaps(tmp_path / f"{seed}.xlsx")
        todo = sorted(cells) if order == "left to right" else sorted(cells, key=lambda k: (k[0], -k[1]))
        if order == "shuffled":
            random.Random(seed).shuffle(todo)
        fb = FileBook(path)
        for r, c in todo:
            fb.write_input(CellRange("S", r, c, r, c), [[float(100 * r + c)]])
        fb.save()
        rows = _order(path)
        assert [r for r, _ in rows] == list(range(1, 9)), order
        assert all(cols == list(range(1, 10)) for _, cols in rows), order
        ws = openpyxl.load_workbook(path)["S"]
        assert all(ws.cell(r, c).value == 100 * r + c for r, c in cells), order


def test_a_block_written_row_by_row_into_an_empty_sheet(tmp_path: Path):
    path = _sheet_with_gaps(tmp_path / "b.xlsx")
    fb = FileBook(path)
    block = [[float(i * 40 + j) for j in range(40)] for i in range(30)]
    fb.write_input(CellRange("S", 10, 2, 39, 41), block)
    fb.save()
    ws = openpyxl.load_workbook(path)["S"]
    assert [[ws.cell(10 + i, 2 + j).value for j in range(40)] for i in range(30)] == block
    assert [r for r, _ in _order(path)] == [1, 3, 6, *range(10, 40)]
