"""The small book interface the recompute pipeline talks to.

Two implementations:

* :class:`xlhedge.workbook.filebook.FileBook` — a saved .xlsx/.xlsm, no Excel
  (``xlhedge recompute``); results are written as cached values under the
  formulas, by patching the worksheet XML.
* :class:`xlhedge.excel.live.LiveBook` — the open workbook through xlwings (the
  "Refresh book" ribbon button).

Values crossing this interface have the shapes xlwings uses: ``None`` for a
blank, ``float`` for numbers, ``str``, ``bool``, ``datetime``, and
:class:`~xlhedge.engine.coerce.ExcelError` for error cells; ranges are 2-D lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from xlhedge.calc.refs import CellRange, parse_ref
from xlhedge.engine.errors import FormulaError

__all__ = ["FormulaCell", "BookIO", "named_range", "read_named"]


@dataclass(frozen=True, slots=True)
class FormulaCell:
    """A cell holding a formula.

    ``formula`` is the text without the leading ``=`` as stored in the file
    (shared formulas already expanded for this cell). ``array`` is the range of
    an array formula (the cells the result fills), ``None`` for a plain formula.
    ``dynamic`` marks an Excel 365 dynamic-array formula (spills on its own).
    """

    cell: CellRange
    formula: str
    array: CellRange | None = None
    dynamic: bool = False


class BookIO(Protocol):
    """What the pipeline needs from a workbook."""

    #: Shown in messages: the file name, or the open book's name.
    name: str

    #: Optional: input ranges that pipeline steps wrote with ``write_input``. The
    #: evaluator recomputes native formulas reading them (a saved file has no
    #: spreadsheet engine to do it). A live book leaves it out: Excel recalculates
    #: those formulas itself when the refresh ends.
    written_inputs: list[CellRange]

    def sheet_names(self) -> list[str]:
        """Worksheet names in tab order."""

    def defined_names(self) -> dict[str, str]:
        """Defined names: upper-case name -> reference text.

        Workbook-scope names are keyed by name; sheet-scope names by
        ``SHEET!NAME`` (both upper-case, sheet unquoted).
        """

    def formula_cells(self) -> Iterator[FormulaCell]:
        """Every formula cell of every worksheet."""

    def read(self, rng: CellRange) -> list[list[Any]]:
        """Values (for formula cells: their last computed value) of a range, 2-D."""

    def write_result(self, cell: FormulaCell, values: list[list[Any]]) -> None:
        """Store the computed result of a formula cell, keeping its formula.

        ``values`` has the shape the formula fills: 1×1 for a plain formula,
        the array range's shape for an array formula.
        """

    def write_input(
        self, rng: CellRange, values: list[list[Any]], *, note: str | None = None, style: str | None = None
    ) -> None:
        """Overwrite input cells (e.g. estimated betas, a status cell).

        ``note`` becomes a cell comment on the first cell, ``style`` names one
        of xlhedge's cell styles ("estimated", "status_ok", "status_warn").
        """


def named_range(io: BookIO, name: str) -> CellRange | None:
    """The range a workbook-scope defined name points at; None if missing or not a plain range."""
    text = io.defined_names().get(name.upper())
    if not text:
        return None
    try:
        return parse_ref(text.lstrip("="))
    except FormulaError:
        return None


def read_named(io: BookIO, name: str) -> list[list[Any]] | None:
    """The values under a defined name (2-D), or None when the book has no such range."""
    rng = named_range(io, name)
    return None if rng is None or rng.sheet not in io.sheet_names() else io.read(rng)
