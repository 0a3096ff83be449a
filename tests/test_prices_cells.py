"""The one-pass readers of a pasted price table's cells (engine/prices.py blank_cells, date_column,
number_cells) against the cell-by-cell reference they replace, and the Prices sheet read through
them (calc/estimate.py prices_from_sheet) against the same table built by hand."""

from __future__ import annotations

import datetime as dt
import math
import random
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xlhedge.calc.estimate import prices_from_sheet
from xlhedge.calc.refs import CellRange
from xlhedge.engine import coerce
from xlhedge.engine.prices import blank_cells, date_column, number_cells
from xlhedge.template import template_path
from xlhedge.workbook.filebook import FileBook

CELLS = [
    None,
    "",
    " ",
    "x",
    "#N/A",
    0.0,
    1.5,
    -2.0,
    float("nan"),
    float("inf"),
    3,
    10**400,
    True,
    False,
    dt.datetime(2024, 1, 2),
    dt.date(2024, 1, 3),
    coerce.ExcelError("#DIV/0!"),
    np.float64("nan"),
    np.float32("nan"),
    pd.NaT,
    pd.Timestamp("2024-01-04"),
]


def _grid(cells: list, shape: tuple[int, int]) -> np.ndarray:
    g = np.empty(shape, dtype=object)
    g.ravel()[:] = cells
    return g


def _reference_blank(g: np.ndarray) -> np.ndarray:
    return np.array([[coerce.is_blank(v) for v in row] for row in g.tolist()], dtype=bool).reshape(g.shape)


@pytest.mark.parametrize("seed", range(40))
def test_blank_cells_is_is_blank_of_every_cell(seed: int):
    rng = random.Random(seed)
    pool = CELLS if seed % 2 else CELLS[:17]  # odd seeds include types outside the one-pass set
    if seed % 4 == 0:
        pool = [None, 1.0, 2.5, float("nan"), 7]  # the usual sheet: numbers and blanks
    shape = (rng.randint(1, 12), rng.randint(1, 6))
    g = _grid([rng.choice(pool) for _ in range(shape[0] * shape[1])], shape)
    assert np.array_equal(blank_cells(g), _reference_blank(g))


def test_number_cells_is_to_float_with_blanks_missing_or_none():
    g = _grid([1.0, None, 3, float("nan"), -2.5, 0], (2, 3))
    assert np.array_equal(number_cells(g), np.array([[1.0, np.nan, 3.0], [np.nan, -2.5, 0.0]]), equal_nan=True)
    for odd in ("x", "", True, dt.datetime(2024, 1, 1), coerce.ExcelError("#N/A"), 10**400):
        assert number_cells(_grid([1.0, odd], (1, 2))) is None


def _reference_dates(cells: list) -> pd.DatetimeIndex:
    return pd.DatetimeIndex([pd.Timestamp(coerce.to_datetime(v)) for v in cells])


@pytest.mark.parametrize(
    "cells",
    [
        [45292.0, 45293.0, 45294],  # whole serials, an int among them
        [dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3, 12, 30)],
        [dt.datetime(2024, 1, 2), 45294.0, dt.datetime(2024, 1, 5), 45296.0],  # as a sheet stores them
        [1.0, 60.0, 61.0, 132_319.0],  # 1899-12-31 ... 2262-04-10
    ],
)
def test_date_column_is_the_cell_by_cell_conversion(cells: list):
    got = date_column(np.array(cells, dtype=object))
    assert got is not None
    want = _reference_dates(cells)
    assert got.dtype == want.dtype and got.equals(want)


@pytest.mark.parametrize(
    "cells",
    [
        [45292.5],  # a time of day: the reference keeps it
        [45292.0, None],
        [45292.0, "2024-01-03"],
        [0.0],
        [132_320.0],  # beyond 2262-04-10: cell by cell
        [dt.datetime(2024, 1, 2, tzinfo=dt.UTC)],
        [dt.date(2024, 1, 2)],
        [True],
        [],
    ],
)
def test_date_column_leaves_anything_else_to_the_reference(cells: list):
    assert date_column(np.array(cells, dtype=object)) is None


def test_prices_sheet_read_in_one_pass_or_cell_by_cell_is_the_same_table(tmp_path: Path):
    path = tmp_path / "t.xlsx"
    shutil.copyfile(template_path("template"), path)
    fb = FileBook(path)
    days = pd.bdate_range("2024-01-01", periods=30)
    rng = np.random.default_rng(5)
    px = 100 * np.cumprod(1 + rng.normal(0, 0.01, (30, 5)), axis=0)
    body: list[list] = []
    for i, d in enumerate(days):
        row: list = [d.to_pydatetime() if i % 3 else coerce.datetime_to_serial(d.to_pydatetime())]
        row += [None if (i + j) % 11 == 0 else float(px[i, j]) for j in range(5)]
        body.append(row)
    names = ["SPX", "DXY", "BCOM", "BTC", "AAA"]
    fb.write_input(CellRange("Prices", 4, 1, 4 + len(body), 6), [["Date", *names], *body])
    fb.save()
    fast = prices_from_sheet(FileBook(path))
    assert fast is not None
    table, roles, _ = fast
    want = pd.DataFrame(
        [[np.nan if v is None else v for v in r[1:]] for r in body], index=pd.DatetimeIndex(days), columns=names
    )
    assert roles == {"equity": "SPX", "usd": "DXY", "commodity": "BCOM", "crypto": "BTC"}
    assert np.array_equal(table.prices.index.asi8, want.index.as_unit(table.prices.index.unit).asi8)
    assert np.allclose(table.prices.to_numpy(), want.to_numpy(), rtol=0, atol=0, equal_nan=True)
    # a text price sends the column through the cell-by-cell path: reported, treated as missing
    fb = FileBook(path)
    fb.write_input(CellRange("Prices", 8, 6, 8, 6), [["n/a?"]])
    fb.save()
    table2, _, _ = prices_from_sheet(FileBook(path))
    assert math.isnan(table2.prices["AAA"].iloc[3]) and table2.report.of_kind("non_numeric")
    assert np.allclose(table2.prices.drop(columns="AAA"), table.prices.drop(columns="AAA"), equal_nan=True)


def test_csv_dates_with_spaces_parse_as_without(tmp_path: Path):
    from xlhedge.workbook.prices_csv import read_prices

    clean = "Date,SPX,AAA\n2024-01-02,100,10\n2024-01-03,101,10.5\n2024-01-04,102,11\n"
    spaced = "Date,SPX,AAA\n2024-01-02  ,100,10\n 2024-01-03\t,101,10.5\n2024-01-04 ,102,11\n"
    (tmp_path / "a.csv").write_text(clean)
    (tmp_path / "b.csv").write_text(spaced)
    a, b = read_prices(tmp_path / "a.csv"), read_prices(tmp_path / "b.csv")
    assert a.prices.index.equals(b.prices.index) and a.prices.equals(b.prices)
    assert list(a.prices.index.strftime("%Y-%m-%d")) == ["2024-01-02", "2024-01-03", "2024-01-04"]
