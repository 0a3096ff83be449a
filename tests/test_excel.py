"""The "Refresh book" entry point on an in-memory stand-in for an open Excel workbook.

``FakeBook``/``FakeSheet``/``FakeRange`` implement the part of xlwings' surface
that :class:`xlhedge.excel.live.LiveBook` uses, with the value shapes xlwings
returns (scalars for one cell, 1-D lists for one row/column, 2-D with
``options(ndim=2)``, ``None`` for blanks, error cells as ``None`` or, with
``err_to_str``, as ``"#N/A"``), ``formula``/``formula2`` as Excel's COM returns
them (a string for one cell, a tuple of tuples otherwise; every cell of a
legacy array shows the array's formula), ``has_array`` and
``api.CurrentArray.Address`` / ``api.HasSpill`` as on Windows. It is loaded
from a saved .xlsx with openpyxl (formulas, array ranges and cached values),
independently of xlhedge's own reader.

The refresh must give the same numbers as ``xlhedge recompute`` on the same
file (FileBook, headless), leave every formula as it was, re-enter the xlhedge
formulas so Excel recalculates them, and write the same status lines.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

import xlhedge
from xlhedge.calc.bookio import FormulaCell
from xlhedge.calc.layout import FACTOR_ROW0, FIRST_POSITION_COL, WEIGHT_ROW
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.calc.refs import CellRange
from xlhedge.engine.coerce import ExcelError
from xlhedge.excel import live as excel
from xlhedge.template.exposures_sheet import STATUS_ROW as S0  # the Status area written by a refresh
from xlhedge.workbook.filebook import FileBook

NOW = dt.datetime(2026, 3, 2, 9, 30, 0)
ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"}


# --------------------------------------------------------------------------- the fake


class Err:
    """An error value in a fake cell (what COM hands xlwings as an int code)."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Err) and other.code == self.code

    def __repr__(self) -> str:
        return f"Err({self.code})"


class FakeApp:
    def __init__(self) -> None:
        self.calculation = "automatic"
        self.screen_updating = True
        self.calculations = 0
        self.calc_mode_during_writes: set[str] = set()
        self.alerts: list[str] = []

    def calculate(self) -> None:
        self.calculations += 1

    def alert(self, prompt: str, title: str | None = None, **kw: Any) -> None:
        self.alerts.append(prompt)


class FakeName:
    def __init__(self, name: str, refers_to: str) -> None:
        self.name = name
        self.refers_to = refers_to


class _Addr:
    def __init__(self, address: str) -> None:
        self.Address = address


class FakeApi:
    """The COM members LiveBook may touch: CurrentArray, HasSpill, SpillingToRange."""

    def __init__(self, rng: FakeRange) -> None:
        self._rng = rng

    @property
    def CurrentArray(self) -> _Addr:
        a = self._rng.sheet._array_at(self._rng.row, self._rng.column)
        if a is None:
            raise AttributeError("no array")  # COM raises too
        r1, c1, r2, c2 = a
        return _Addr(f"${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}")

    @property
    def HasSpill(self) -> bool:
        return (self._rng.row, self._rng.column) in self._rng.sheet.spills

    @property
    def SpillingToRange(self) -> _Addr:
        r1, c1, r2, c2 = self._rng.sheet.spills[(self._rng.row, self._rng.column)]
        return _Addr(f"${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}")


class FakeFont:
    def __init__(self) -> None:
        self.color = None
        self.bold = False
        self.italic = False


class FakeNote:
    def __init__(self, text: str) -> None:
        self.text = text


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1: int, c1: int, r2: int, c2: int, options: dict | None = None):
        self.sheet, self.row, self.column = sheet, r1, c1
        self.last = (r2, c2)
        self._options = options or {}
        self.api = FakeApi(self)
        self.font = sheet.fonts.setdefault((r1, c1, r2, c2), FakeFont())

    @property
    def shape(self) -> tuple[int, int]:
        return (self.last[0] - self.row + 1, self.last[1] - self.column + 1)

    def _cells(self):
        return [[(r, c) for c in range(self.column, self.last[1] + 1)] for r in range(self.row, self.last[0] + 1)]

    def options(self, **options: Any) -> FakeRange:
        return FakeRange(self.sheet, self.row, self.column, *self.last, options=options)

    def _shape(self, grid: list[list[Any]]) -> Any:
        if self._options.get("ndim") == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        if len(grid[0]) == 1:
            return [r[0] for r in grid]
        return grid

    @property
    def value(self) -> Any:
        err_to_str = self._options.get("err_to_str", False)
        grid = []
        for row in self._cells():
            out = []
            for rc in row:
                v = self.sheet.values.get(rc)
                if isinstance(v, Err):
                    v = v.code if err_to_str else None
                out.append(v)
            grid.append(out)
        return self._shape(grid)

    @value.setter
    def value(self, v: Any) -> None:
        self.sheet.book.app.calc_mode_during_writes.add(self.sheet.book.app.calculation)
        cells = self._cells()
        grid = v if isinstance(v, list) and v and isinstance(v[0], list) else None
        for i, row in enumerate(cells):
            for j, rc in enumerate(row):
                x = grid[i][j] if grid is not None else v
                self.sheet.formulas.pop(rc, None)
                if x is None:
                    self.sheet.values.pop(rc, None)
                elif isinstance(x, str) and x in ERRORS:
                    self.sheet.values[rc] = Err(x)
                else:
                    self.sheet.values[rc] = x
        self.sheet.log.append(("value", self.address))

    def _formula_grid(self) -> Any:
        grid = []
        for row in self._cells():
            out = []
            for rc in row:
                if rc in self.sheet.formulas:
                    out.append(self.sheet.formulas[rc])
                else:
                    v = self.sheet.values.get(rc)
                    out.append("" if v is None else str(v.code if isinstance(v, Err) else v))
            grid.append(tuple(out))
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return tuple(grid)

    formula = property(_formula_grid)
    formula2 = property(_formula_grid)

    @formula.setter
    def formula(self, text: str) -> None:
        self._enter("formula", text)

    @formula2.setter
    def formula2(self, text: str) -> None:
        self._enter("formula2", text)

    @property
    def formula_array(self) -> str | None:
        return self.sheet.formulas.get((self.row, self.column))

    @formula_array.setter
    def formula_array(self, text: str) -> None:
        assert self.sheet.book.app.calculation == "manual"
        for row in self._cells():
            for rc in row:
                self.sheet.formulas[rc] = text
        self.sheet.arrays[(self.row, self.column)] = (self.row, self.column, *self.last)
        self.sheet.log.append(("formula_array", self.address, text))

    def _enter(self, prop: str, text: str) -> None:
        assert self.shape == (1, 1)
        assert self.sheet.book.app.calculation == "manual"
        self.sheet.formulas[(self.row, self.column)] = text
        self.sheet.log.append((prop, self.address, text))

    @property
    def has_array(self) -> bool:
        return self.sheet._array_at(self.row, self.column) is not None

    @property
    def address(self) -> str:
        a = f"${get_column_letter(self.column)}${self.row}"
        if self.shape == (1, 1):
            return a
        return f"{a}:${get_column_letter(self.last[1])}${self.last[0]}"

    @property
    def note(self) -> FakeNote | None:
        return self.sheet.notes.get((self.row, self.column))

    def add_note(self, text: str) -> FakeNote:
        n = self.sheet.notes[(self.row, self.column)] = FakeNote(text)
        return n

    @property
    def color(self) -> Any:
        return self.sheet.fills.get((self.row, self.column))

    @color.setter
    def color(self, v: Any) -> None:
        for row in self._cells():
            for rc in row:
                self.sheet.fills[rc] = v


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name
        self.values: dict[tuple[int, int], Any] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.arrays: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.spills: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.notes: dict[tuple[int, int], FakeNote] = {}
        self.fills: dict[tuple[int, int], Any] = {}
        self.fonts: dict[tuple, FakeFont] = {}
        self.log: list[tuple] = []

    def _array_at(self, r: int, c: int):
        for a in self.arrays.values():
            if a[0] <= r <= a[2] and a[1] <= c <= a[3]:
                return a
        return None

    @property
    def used_range(self) -> FakeRange:
        cells = set(self.values) | set(self.formulas)
        if not cells:
            return FakeRange(self, 1, 1, 1, 1)
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        return FakeRange(self, min(rows), min(cols), max(rows), max(cols))

    def range(self, a: Any, b: Any = None) -> FakeRange:
        if isinstance(a, str):
            c1, r1, c2, r2 = range_boundaries(a)
            return FakeRange(self, r1, c1, r2, c2)
        r2, c2 = b if b is not None else a
        return FakeRange(self, a[0], a[1], r2, c2)


class FakeSheets(list):
    def __init__(self, book: FakeBook) -> None:
        super().__init__()
        self.book = book

    def add(self, name: str, after: Any = None) -> FakeSheet:
        s = FakeSheet(self.book, name)
        self.append(s)
        return s


class FakeBook:
    def __init__(self, name: str) -> None:
        self.name = name
        self.app = FakeApp()
        self.sheets = FakeSheets(self)
        self.names: list[FakeName] = []

    def sheet(self, name: str) -> FakeSheet:
        return next(s for s in self.sheets if s.name == name)

    @classmethod
    def from_xlsx(cls, path: Path) -> FakeBook:
        """The open-workbook state Excel would have after opening ``path``."""
        wf = openpyxl.load_workbook(path)
        wv = openpyxl.load_workbook(path, data_only=True)
        book = cls(path.name)
        for ws in wf.worksheets:
            sh = book.sheets.add(ws.title)
            vs = wv[ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    rc = (cell.row, cell.column)
                    v = vs.cell(*rc).value
                    if isinstance(v, str) and v in ERRORS:
                        v = Err(v)
                    elif isinstance(v, int) and not isinstance(v, bool):
                        v = float(v)
                    if v is not None:
                        sh.values[rc] = v
                    f = cell.value
                    if isinstance(f, ArrayFormula):
                        c1, r1, c2, r2 = range_boundaries(f.ref)
                        sh.arrays[(r1, c1)] = (r1, c1, r2, c2)
                        for r in range(r1, r2 + 1):
                            for c in range(c1, c2 + 1):
                                sh.formulas[(r, c)] = f.text
                    elif isinstance(f, str) and f.startswith("="):
                        sh.formulas[rc] = f
        for name, dn in wf.defined_names.items():
            book.names.append(FakeName(name, "=" + dn.attr_text))
        for ws in wf.worksheets:  # sheet-scoped names, as COM lists them: "Sheet!name"
            for name, dn in ws.defined_names.items():
                book.names.append(FakeName(f"{ws.title}!{name}", "=" + dn.attr_text))
        return book


# --------------------------------------------------------------------------- helpers


def headless(path: Path) -> tuple[FileBook, Any, list[FormulaCell]]:
    fb = FileBook(path)
    cells = list(fb.formula_cells())
    rep = recompute(fb, RecomputeOptions(now=NOW))
    return fb, rep, cells


def _norm(v: Any) -> Any:
    if isinstance(v, Err):
        return ExcelError(v.code)
    if isinstance(v, float):
        return round(v, 12)
    return v


def _grid(rows: list[list[Any]]) -> list[list[Any]]:
    return [[_norm(v) for v in r] for r in rows]


@pytest.fixture
def book_copy(example_book: Path, tmp_path: Path) -> Path:
    p = tmp_path / "live.xlsx"
    shutil.copyfile(example_book, p)
    return p


# --------------------------------------------------------------------------- tests


def test_livebook_reads_what_filebook_reads(example_book: Path):
    fake = FakeBook.from_xlsx(example_book)
    live = excel.LiveBook(fake)
    fb = FileBook(example_book)
    assert live.sheet_names() == fb.sheet_names()
    assert live.defined_names() == fb.defined_names()
    assert list(live.formula_cells()) == list(fb.formula_cells())
    for name in ("BOOKBLOCK", "BOOKTICKERS", "EXPOSURES", "XLHEDGESTATUS", "NAV"):
        rng = excel.parse_ref(fb.defined_names()[name])
        assert _grid(live.read(rng)) == _grid(fb.read(rng)), name
    whole = CellRange("Book", 1, 1, 1_048_576, 2)  # whole columns: only the used part is read
    got, want = live.read(whole), fb.read(whole)
    assert len(got) == len(want) == 1_048_576 and all(len(r) == 2 for r in (got[0], got[-1]))
    assert _grid(got[:60]) == _grid(want[:60])
    assert not any(v is not None for r in got[60:] for v in r)


def test_refresh_equals_headless_recompute(tmp_path: Path):
    # the example book: its option columns' weights and betas are written by a step (Figure 01's book has none)
    from xlhedge.template import template_path

    example_book, book_copy = tmp_path / "example.xlsx", tmp_path / "live.xlsx"
    shutil.copyfile(template_path("example"), example_book)
    shutil.copyfile(template_path("example"), book_copy)
    fb, rep, cells = headless(book_copy)
    fake = FakeBook.from_xlsx(example_book)
    formulas_before = {s.name: dict(s.formulas) for s in fake.sheets}
    live = excel.LiveBook(fake)
    report = excel.run_refresh(live, RecomputeOptions(now=NOW))

    # the same cells computed, with the same values; the headless recompute also recomputes the native
    # formulas reading inputs a step wrote (the option columns' weights and betas), which Excel
    # recalculates itself once the refresh ends
    from xlhedge.functions.registry import registry

    natives = [fc for fc in cells if not any(f"{n}(" in fc.formula.upper() for n in registry())]
    on_written = {str(fc.cell) for fc in natives if "BOOKWEIGHTS" in fc.formula.upper()}
    assert fb.written_inputs and on_written
    assert report.cells_evaluated == rep.cells_evaluated - len(on_written)
    assert [str(f) for f in report.findings] == [str(f) for f in rep.findings]
    assert report.positions == rep.positions
    from xlhedge.functions.registry import registry

    xl_cells = {fc.cell for fc in cells if any(f"{n}(" in fc.formula.upper() for n in registry())}
    assert xl_cells and xl_cells <= set(live.results)
    for anchor, values in live.results.items():
        assert _grid(values) == _grid(fb.read(anchor.resized(len(values), len(values[0])))), str(anchor)

    # formulas untouched; xlhedge formulas re-entered, arrays over their whole range, under manual calc
    assert {s.name: s.formulas for s in fake.sheets} == formulas_before
    ex = fake.sheet("Exposures")
    entered = {(e[0], e[1]) for e in ex.log if e[0] != "value"}
    assert ("formula_array", "$B$5:$B$16") in entered
    assert ("formula_array", "$F$5:$H$16") in entered
    assert fake.app.calculation == "automatic" and fake.app.screen_updating is True
    assert fake.app.calculations == 1
    assert fake.app.calc_mode_during_writes == {"manual"}

    # the status lines Excel shows are the ones the headless recompute stored
    status = excel.parse_ref(fb.defined_names()["XLHEDGESTATUS"])
    live_status = FakeRange(ex, status.r1, status.c1, status.r2, status.c2).options(ndim=2).value
    assert _grid(live_status) == _grid(fb.read(status))
    assert live_status[0][0].startswith("Refreshed 2026-03-02 09:30:00")
    assert fake.app.alerts == []


def test_refresh_with_changed_inputs(book_copy: Path):
    """Change a weight in the open book: the refresh follows it as recompute does on the saved file."""
    wb = openpyxl.load_workbook(book_copy)
    wb["Book"].cell(row=WEIGHT_ROW, column=FIRST_POSITION_COL + 1, value=-0.2)  # AHCO's weight
    wb.save(book_copy)
    fake = FakeBook.from_xlsx(book_copy)
    live = excel.LiveBook(fake)
    excel.run_refresh(live, RecomputeOptions(now=NOW))
    fb, _, _ = headless(book_copy)
    b5 = CellRange("Exposures", 5, 2, 5, 2)
    got = live.results[b5]
    assert _grid(got) == _grid(fb.read(b5.resized(len(got), 1)))
    assert xlhedge.read_book(book_copy).exposures()["exposure"].iloc[0] == pytest.approx(got[0][0])


def test_main_uses_the_calling_book(monkeypatch, example_book: Path):
    import xlwings as xw

    fake = FakeBook.from_xlsx(example_book)
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: fake))
    xlhedge.main()
    status = fake.sheet("Exposures").values[(S0, 2)]
    assert status.startswith("Refreshed ") and "positions" in status


def test_a_failure_is_a_message_in_the_status_area(monkeypatch, example_book: Path):
    fake = FakeBook.from_xlsx(example_book)

    def broken(io, options=None):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(excel, "recompute", broken)
    assert excel.refresh_book(fake, RecomputeOptions(now=NOW)) is None
    ex = fake.sheet("Exposures")
    assert ex.values[(S0, 2)] == "Refresh FAILED 2026-03-02 09:30:00"
    assert ex.values[(S0 + 1, 2)].startswith("ERROR internal error (ZeroDivisionError: float division by zero)")
    assert "Traceback" not in str(ex.values)
    assert fake.app.calculation == "automatic"  # restored even on failure


def test_an_input_error_reads_like_the_cli(monkeypatch, example_book: Path):
    fake = FakeBook.from_xlsx(example_book)

    def bad(io, options=None):
        raise xlhedge.InputError("has 6 columns, betas 5", where="weights")

    monkeypatch.setattr(excel, "recompute", bad)
    excel.refresh_book(fake, RecomputeOptions(now=NOW))
    assert fake.sheet("Exposures").values[(S0 + 1, 2)] == "ERROR weights has 6 columns, betas 5"


def test_book_without_status_area_gets_a_status_sheet(example_book: Path):
    fake = FakeBook.from_xlsx(example_book)
    fake.names = [n for n in fake.names if n.name.upper() != "XLHEDGESTATUS"]
    excel.refresh_book(fake, RecomputeOptions(now=NOW))
    st = fake.sheet(excel.STATUS_SHEET)
    assert st.values[(1, 1)].startswith("Refreshed 2026-03-02 09:30:00")


def test_functions_not_imported_are_reported(example_book: Path):
    """Excel shows #NAME? when the UDFs are not in the workbook: say how to fix it."""
    fake = FakeBook.from_xlsx(example_book)
    ex = fake.sheet("Exposures")
    for r in range(5, 17):
        ex.values[(r, 2)] = Err("#NAME?")
    rep = excel.refresh_book(fake, RecomputeOptions(now=NOW))
    assert any("#NAME?" in f.message and "Import Functions" in f.message for f in rep.warnings)
    lines = [ex.values.get((r, 2)) for r in range(S0, S0 + 10)]
    assert any(isinstance(x, str) and "Import Functions" in x for x in lines)
    assert "warnings" in lines[0]


def test_dynamic_array_and_plain_formulas_are_reentered_with_the_right_property():
    fake = FakeBook("dyn.xlsx")
    sh = fake.sheets.add("Book")
    sh.values.update({(1, 1): 0.5, (1, 2): -0.25, (2, 1): 1.0, (2, 2): 2.0, (3, 1): 0.3, (3, 2): None or 0.0})
    sh.formulas[(5, 1)] = "=FACTOR_EXPOSURE(A1:B3)"  # dynamic array spilling to A5:A6
    sh.spills[(5, 1)] = (5, 1, 6, 1)
    sh.values[(5, 1)], sh.values[(6, 1)] = 0.0, 0.0
    sh.formulas[(8, 1)] = "=@FACTOR_EXPOSURE(A1:B3)"  # pre-dynamic formula as Excel 365 shows it
    live = excel.LiveBook(fake)
    cells = list(live.formula_cells())
    assert cells == [
        FormulaCell(CellRange("Book", 5, 1, 5, 1), "FACTOR_EXPOSURE(A1:B3)", CellRange("Book", 5, 1, 6, 1), True),
        FormulaCell(CellRange("Book", 8, 1, 8, 1), "FACTOR_EXPOSURE(A1:B3)", None, False),
    ]
    excel.run_refresh(live, RecomputeOptions(now=NOW, write_status=False))
    assert live.results[CellRange("Book", 5, 1, 5, 1)] == [[0.5 * 1.0 - 0.25 * 2.0], [0.5 * 0.3]]
    assert ("formula2", "$A$5", "=FACTOR_EXPOSURE(A1:B3)") in sh.log
    assert ("formula2", "$A$8", "=@FACTOR_EXPOSURE(A1:B3)") in sh.log  # re-entered exactly as read
    assert sh.formulas[(8, 1)] == "=@FACTOR_EXPOSURE(A1:B3)"
    assert [s.name for s in fake.sheets] == ["Book"]  # write_status=False: no Status sheet added


def test_write_input_note_and_style(example_book: Path):
    fake = FakeBook.from_xlsx(example_book)
    live = excel.LiveBook(fake)
    r, c = FACTOR_ROW0, FIRST_POSITION_COL  # equity betas of the first two positions
    rng = CellRange("Book", r, c, r, c + 1)
    live.write_input(rng, [[1.1, ExcelError("#N/A")]], note="estimated from Prices, 250 days", style="estimated")
    sh = fake.sheet("Book")
    assert sh.values[(r, c)] == 1.1 and sh.values[(r, c + 1)] == Err("#N/A")
    assert sh.notes[(r, c)].text == "estimated from Prices, 250 days"
    assert sh.fills[(r, c)] == "#DDEBF7"
    assert live.read(rng) == [[1.1, ExcelError("#N/A")]]


def test_import_xlhedge_does_not_import_xlwings():
    import subprocess
    import sys

    code = "import sys, xlhedge; assert callable(xlhedge.main); print('xlwings' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
