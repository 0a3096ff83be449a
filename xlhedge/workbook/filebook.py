"""The book interface over a saved .xlsx/.xlsm file (no Excel): read → evaluate → write."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xlhedge.calc import formula as fx
from xlhedge.calc.bookio import FormulaCell
from xlhedge.calc.refs import CellRange, cell_name, parse_ref
from xlhedge.engine.errors import FormulaError, WorkbookError
from xlhedge.workbook.package import MAX_ARRAY_CELLS, XlsxPackage, open_package

__all__ = ["FileBook"]


class FileBook:
    """:class:`~xlhedge.calc.bookio.BookIO` over a workbook file.

    Results are kept in memory until :meth:`save`, which patches only the
    worksheets whose cached values changed and replaces the file atomically.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.pkg: XlsxPackage = open_package(self.path)
        self.changed: list[str] = []  # "Sheet!A1" of every cell whose value changed
        #: Input ranges written by pipeline steps; formulas reading them are recomputed.
        self.written_inputs: list[CellRange] = []
        self._styles: dict[str, int | None] = {}

    # -------------------------------------------------------------- BookIO
    def sheet_names(self) -> list[str]:
        return list(self.pkg.sheet_order)

    def defined_names(self) -> dict[str, str]:
        names = dict(self.pkg.defined_names)
        names.update({f"{sheet.upper()}!{name}": text for (sheet, name), text in self.pkg.local_names.items()})
        return names

    def formula_cells(self) -> Iterator[FormulaCell]:
        for sheet in self.pkg.sheet_order:
            shared: dict[str, tuple[str, str]] = {}
            cells = list(self.pkg.iter_formulas(sheet))
            for r, c, cell in cells:
                if cell.ftype == "shared" and cell.formula and cell.si is not None:
                    shared[cell.si] = (cell.formula, cell_name(r, c))
            for r, c, cell in cells:
                here = CellRange(sheet, r, c, r, c)
                text = cell.formula
                if cell.ftype == "shared" and not text:
                    master = shared.get(cell.si or "")
                    if master is None:
                        raise FormulaError(f"shared formula {cell.si} has no master cell", where=str(here))
                    text = fx.translate(master[0], master[1], cell_name(r, c))
                if not text:
                    continue
                array = None
                if cell.ftype == "array" and cell.fref:
                    array = parse_ref(cell.fref, default_sheet=sheet)
                    if array.size > MAX_ARRAY_CELLS:
                        raise WorkbookError(
                            f"{here}: expected an array formula over at most {MAX_ARRAY_CELLS:,} cells, "
                            f"found one over {cell.fref} ({array.size:,} cells)",
                            where=self.name,
                        )
                if cell.ftype == "dataTable":
                    continue
                yield FormulaCell(here, text, array, cell.dynamic)

    def read(self, rng: CellRange) -> list[list[Any]]:
        return self.pkg.read_range(rng)

    def write_result(self, cell: FormulaCell, values: list[list[Any]]) -> None:
        sheet, r0, c0 = cell.cell.sheet, cell.cell.r1, cell.cell.c1
        if cell.dynamic:
            self._resize_spill(cell, len(values), len(values[0]))
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if self.pkg.set_cached(sheet, r0 + i, c0 + j, v):
                    self.changed.append(f"{sheet}!{cell_name(r0 + i, c0 + j)}")

    def write_input(
        self, rng: CellRange, values: list[list[Any]], *, note: str | None = None, style: str | None = None
    ) -> None:
        """Write input values; ``style`` applies the named cell style when the file has it.

        A ``note`` is not written into the file (comments need parts of their own);
        the step that writes one also logs it in the book (e.g. the estimate log).
        """
        if style is not None and style not in self._styles:
            self._styles[style] = self.pkg.named_style_index(style)
        index = self._styles.get(style) if style is not None else None
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                r, c = rng.r1 + i, rng.c1 + j
                if self.pkg.set_cached(rng.sheet, r, c, v):
                    self.changed.append(f"{rng.sheet}!{cell_name(r, c)}")
                if index is not None:
                    self.pkg.set_style(rng.sheet, r, c, index)
        self.written_inputs.append(rng.resized(len(values), max(len(r) for r in values)))

    # -------------------------------------------------------------- helpers
    def _resize_spill(self, cell: FormulaCell, rows: int, cols: int) -> None:
        old = cell.array or cell.cell
        new = cell.cell.resized(rows, cols)
        # Clear what the old spill covered and the new one does not (only cells that hold a value).
        stored = self.pkg.sheet(old.sheet).values
        for r, c in [k for k in stored if old.contains(*k) and not new.contains(*k)]:
            self.pkg.set_cached(old.sheet, r, c, None)
        self.pkg.set_array_ref(cell.cell.sheet, cell.cell.r1, cell.cell.c1, new.address)

    def save(self, out: str | os.PathLike[str] | None = None) -> list[str]:
        """Write the (patched) package to ``out`` (default: in place), atomically."""
        return self.pkg.save(Path(out) if out else self.path)
