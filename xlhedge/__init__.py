"""xlhedge: a cross-asset trading book in Excel -> factor exposures -> hedges.

Python API (the same engine the worksheet functions and the CLI use)::

    import xlhedge
    xlhedge.factor_exposure(betas, weights, nav=None)   # SPEC §2
    book = xlhedge.Book.from_workbook("mybook.xlsx")
    book.exposures()
"""

from __future__ import annotations

from .errors import FormulaError, InputError, NotEnoughData, WorkbookError, XlhedgeError
from .book import Book
from .factors import factor_exposure

__version__ = "0.1.0"

__all__ = [
    "Book",
    "factor_exposure",
    "XlhedgeError",
    "InputError",
    "NotEnoughData",
    "WorkbookError",
    "FormulaError",
    "__version__",
]
