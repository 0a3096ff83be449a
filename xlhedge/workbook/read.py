"""A :class:`~xlhedge.engine.book.Book` from a saved workbook, without Excel."""

from __future__ import annotations

import os

from xlhedge.calc.bookread import book_from_io
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.engine.book import Book
from xlhedge.workbook.filebook import FileBook

__all__ = ["read_book"]


def read_book(path: str | os.PathLike[str]) -> Book:
    """Read a saved book (.xlsx/.xlsm) after recomputing it in memory; the file is not changed."""
    fb = FileBook(path)
    recompute(fb, RecomputeOptions(write_status=False, estimate=False))
    return book_from_io(fb)
