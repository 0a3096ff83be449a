"""The recompute: every output of a book, through a :class:`~xlhedge.calc.bookio.BookIO`.

``xlhedge recompute`` (a saved file) and the "Refresh book" ribbon button (the open
book) both call :func:`recompute`; neither has steps of its own. Four steps, in order:

1. **estimate** (:func:`xlhedge.calc.estimate.estimate_step`): betas from the Prices
   sheet into the Book's factor rows, where the book asks for it;
2. **options** (:func:`xlhedge.calc.bookoptions.option_step`): each option position's
   weight and betas from its Greeks into the Book sheet;
3. **formulas** (:func:`xlhedge.calc.evaluate.evaluate_book`): every xlhedge worksheet
   function in the book, and the native formulas around them, in dependency order;
4. **status** (:func:`xlhedge.calc.status.write_status`): the summary in the book's
   Status area.

A feature reached through worksheet functions in the template needs no step of its own.

The write decision for a saved file: a book without a single xlhedge formula is
left alone (no step runs, so no native formula is filled in and nothing is
written); and when the estimate, options and formula steps change no stored value, the
status step is skipped too when the book already shows a status line (it would
only stamp a new time), so the file is not rewritten. Whether a formula is an
xlhedge formula is read from its tokens (:func:`xlhedge.calc.formula.function_calls`),
never from its text.
"""

from __future__ import annotations

from xlhedge.calc import formula as fx
from xlhedge.calc import layout
from xlhedge.calc.bookio import BookIO, named_range
from xlhedge.calc.bookoptions import option_step
from xlhedge.calc.estimate import estimate_step
from xlhedge.calc.evaluate import evaluate_book
from xlhedge.calc.refs import CellRange
from xlhedge.calc.report import Notice, RecomputeOptions, RecomputeReport
from xlhedge.calc.status import count_positions, write_status
from xlhedge.engine.errors import FormulaError
from xlhedge.functions.registry import registry

__all__ = ["Notice", "RecomputeOptions", "RecomputeReport", "has_xlhedge_formulas", "recompute"]


def has_xlhedge_formulas(io: BookIO) -> bool:
    """Whether any formula of the book calls an xlhedge worksheet function (by its tokens)."""
    names = registry(renamed=True).keys()
    try:
        return any(fx.function_calls(fc.formula) & names for fc in io.formula_cells())
    except FormulaError:
        return True  # a formula that cannot be expanded: the formula step reports it, naming the cell


def _has_status(io: BookIO) -> bool:
    """Whether the book's Status area already holds a summary line (or the book has none)."""
    rng = named_range(io, layout.STATUS)
    if rng is None or rng.sheet not in io.sheet_names():
        return True
    first = io.read(CellRange(rng.sheet, rng.r1, rng.c1, rng.r1, rng.c1))[0][0]
    return isinstance(first, str) and first.startswith("Refreshed ")


def recompute(io: BookIO, options: RecomputeOptions | None = None) -> RecomputeReport:
    """Estimate, evaluate every formula, write the status; return what happened.

    Nothing at all happens to a saved file (a :class:`BookIO` with a ``changed``
    list) with no xlhedge formula, and one gets no new status line when nothing
    else changed, so an up-to-date file is not rewritten. (An open book in Excel
    recalculates its own native formulas, so the Refresh button skips the check.)
    """
    options = options or RecomputeOptions()
    report = RecomputeReport(book=io.name)
    changed = getattr(io, "changed", None)
    before = len(changed) if isinstance(changed, list) else None
    if before is not None and not has_xlhedge_formulas(io):
        return report  # a saved file with nothing of xlhedge's: not a cell is touched
    estimate_step(io, report, options)
    option_step(io, report, options)
    evaluate_book(io, report, options)
    if before is not None and isinstance(changed, list) and len(changed) == before and _has_status(io):
        report.positions = count_positions(io)
    else:
        write_status(io, report, options)
    return report
