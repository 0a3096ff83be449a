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
"""

from __future__ import annotations

from xlhedge.calc.bookio import BookIO
from xlhedge.calc.bookoptions import option_step
from xlhedge.calc.estimate import estimate_step
from xlhedge.calc.evaluate import evaluate_book
from xlhedge.calc.report import Notice, RecomputeOptions, RecomputeReport
from xlhedge.calc.status import write_status

__all__ = ["Notice", "RecomputeOptions", "RecomputeReport", "recompute"]


def recompute(io: BookIO, options: RecomputeOptions | None = None) -> RecomputeReport:
    """Estimate, evaluate every formula, write the status; return what happened."""
    options = options or RecomputeOptions()
    report = RecomputeReport(book=io.name)
    estimate_step(io, report, options)
    option_step(io, report, options)
    evaluate_book(io, report, options)
    write_status(io, report, options)
    return report
