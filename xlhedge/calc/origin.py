"""Where an error comes from: the cell behind a bad value, and whether a value is an error.

A worksheet function reports a bad input by its argument and position ("weights position 1:
expected a number, found text 'abc'") because that is all it sees; the door that read the
values knows which cell each came from. :func:`locate` finds the cell holding the offending
value (:attr:`~xlhedge.engine.errors.XlhedgeError.found`) in the ranges that were read, so
the evaluator and the book reader can name ``Book!B29`` once, as the root cause.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from xlhedge.calc.refs import CellRange
from xlhedge.engine.coerce import EXCEL_ERRORS, ExcelError
from xlhedge.engine.errors import XlhedgeError

__all__ = ["is_error_result", "same_value", "locate", "non_finite", "huge_cell", "HUGE"]

#: Beyond any amount, weight or price a book holds: an input this large is what overflowed.
HUGE = 1e100


def is_error_result(v: Any) -> bool:
    """True for an error value or an xlhedge error message (``"#VALUE! NAME: ..."``) in a cell."""
    if isinstance(v, ExcelError):
        return True
    if isinstance(v, str) and v.startswith("#"):
        head = v.split(" ", 1)[0].upper()
        return head in EXCEL_ERRORS
    return False


def same_value(cell: Any, found: Any) -> bool:
    """True when a cell's value is the offending value an error reported."""
    if isinstance(found, float) and math.isnan(found):
        return isinstance(cell, float) and math.isnan(cell)
    if isinstance(found, bool) or isinstance(cell, bool):
        return type(found) is type(cell) and found == cell
    if isinstance(found, ExcelError) or isinstance(cell, ExcelError):
        return str(found).strip().upper() == str(cell).strip().upper()
    if isinstance(found, (int, float)) and isinstance(cell, (int, float)):
        return float(found) == float(cell)
    return type(found) is type(cell) and bool(found == cell)


def locate(exc: XlhedgeError, blocks: Iterable[tuple[CellRange, Sequence[Sequence[Any]]]]) -> CellRange | None:
    """The first cell, in the blocks read (a range and its values), holding ``exc.found``."""
    if exc.found is None:
        return None
    found = exc.found[0]
    if found is None or (isinstance(found, str) and found == ""):
        return None  # a blank is everywhere; it names no cell
    for rng, rows in blocks:
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if same_value(v, found):
                    return CellRange(rng.sheet, rng.r1 + i, rng.c1 + j, rng.r1 + i, rng.c1 + j)
    return None


def non_finite(rng: CellRange, rows: Sequence[Sequence[Any]]) -> tuple[CellRange, float] | None:
    """The first cell of a block holding NaN or ±inf as a number (no valid cell does), and its value."""
    for i, row in enumerate(rows):
        floats = [v for v in row if type(v) is float]
        if not floats or math.isfinite(sum(floats)):  # one sum per row: NaN/inf make it non-finite
            continue
        for j, v in enumerate(row):  # (or finite numbers whose sum overflows: look cell by cell)
            if type(v) is float and not math.isfinite(v):
                return CellRange(rng.sheet, rng.r1 + i, rng.c1 + j, rng.r1 + i, rng.c1 + j), v
    return None


def huge_cell(blocks: Iterable[tuple[CellRange, Sequence[Sequence[Any]]]]) -> CellRange | None:
    """The first cell holding a number of absurd size (|x| ≥ :data:`HUGE`): the likely cause of an overflow."""
    for rng, rows in blocks:
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if type(v) in (int, float) and abs(v) >= HUGE:
                    return CellRange(rng.sheet, rng.r1 + i, rng.c1 + j, rng.r1 + i, rng.c1 + j)
    return None
