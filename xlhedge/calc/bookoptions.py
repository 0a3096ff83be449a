"""The recompute's option step: an option position's weight and betas from its Greeks (docs/methodology/options.md).

A Book column with an ``Option type`` (call / put) is an option position. Its weight cell
(its delta exposure, a fraction of NAV) and its factor-beta cells (its underlying's betas,
the vol row with its vega added) are computed by :func:`~xlhedge.engine.optionbook.resolve_options`
when the book is read, and written into the Book sheet by this step (in the ``option``
cell style), so every formula of the workbook (``FACTOR_EXPOSURE(BookBetas,BookWeights,NAV)``,
the hedges, the checks) sees the same numbers as Python and the CLI. Nothing is typed by hand
and ``xlhedge estimate`` never writes into those cells.
"""

from __future__ import annotations

import math
import re

from xlhedge.calc import layout
from xlhedge.calc.bookio import BookIO, named_range
from xlhedge.calc.bookread import book_from_io
from xlhedge.calc.refs import CellRange, parse_ref
from xlhedge.calc.report import RecomputeOptions, RecomputeReport
from xlhedge.engine.errors import InputError, WorkbookError
from xlhedge.engine.optionbook import is_option

__all__ = ["option_step", "write_option_columns"]


def write_option_columns(io: BookIO) -> int:
    """Write every option column's weight and betas into the Book sheet; the number of options.

    Raises the :class:`InputError` / :class:`WorkbookError` of reading the book (naming the cell).
    """
    opt_rng = named_range(io, layout.BOOK_OPTION_TYPES)
    if opt_rng is None or not any(is_option(v) for v in io.read(opt_rng)[0]):
        return 0
    book = book_from_io(io)
    tick_rng = named_range(io, layout.BOOK_TICKERS)
    w_rng, b_rng = named_range(io, layout.BOOK_WEIGHTS), named_range(io, layout.BOOK_BETAS)
    if tick_rng is None or w_rng is None or b_rng is None:
        return 0
    tickers = [str(v).strip() if v is not None else "" for v in io.read(tick_rng)[0]]
    types = io.read(opt_rng)[0]
    n_rows = b_rng.r2 - b_rng.r1 + 1
    count = 0
    for j, (t, kind) in enumerate(zip(tickers, types)):
        if not is_option(kind) or t not in book.greeks.index:
            continue
        c = w_rng.c1 + j
        weight = float(book.weights[t])
        io.write_input(
            CellRange(w_rng.sheet, w_rng.r1, c, w_rng.r1, c),
            [[weight]],
            note="Delta exposure of the option (fraction of NAV), from its Greeks: written by the recompute.",
            style="option",
        )
        col = book.betas[t].to_numpy()[:n_rows]
        values = [[float(v) if math.isfinite(float(v)) else 0.0] for v in col]
        io.write_input(CellRange(b_rng.sheet, b_rng.r1, c, b_rng.r1 + len(values) - 1, c), values, style="option")
        count += 1
    return count


def option_step(io: BookIO, report: RecomputeReport, options: RecomputeOptions) -> None:
    """Recompute step: option columns' weights and betas (a bad option input is an error naming its cell)."""
    try:
        write_option_columns(io)
    except (InputError, WorkbookError) as exc:
        if _outside_option_columns(io, exc.where):
            return  # a bad cell that is not an option's: the evaluator reports it once, at its source
        report.error(exc.where or layout.BOOK_SHEET, exc.message)


def _outside_option_columns(io: BookIO, where: str | None) -> bool:
    """Whether an error's place is a Book cell outside every option column (known not to be an option's)."""
    m = re.search(r"((?:'[^']+'|[A-Za-z_][\w.]*)![$]?[A-Z]{1,3}[$]?\d+)", where or "")
    opt_rng = named_range(io, layout.BOOK_OPTION_TYPES)
    if m is None or opt_rng is None:
        return False
    try:
        cell = parse_ref(m.group(1))
    except Exception:  # not a cell reference after all: keep the message
        return False
    if cell.sheet != opt_rng.sheet:
        return False
    types = io.read(opt_rng)[0]
    return not any(is_option(v) and opt_rng.c1 + j == cell.c1 for j, v in enumerate(types))
