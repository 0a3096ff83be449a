"""The "Refresh book" button: the recompute pipeline on the open workbook.

``xlhedge.xlam``'s ribbon button runs ``import xlhedge; xlhedge.main()``
(xlwings' ``RunPython``), which lands in :func:`refresh_book` with
``xw.Book.caller()`` — the active workbook. It runs
:func:`xlhedge.calc.recompute.recompute`, the same steps as ``xlhedge recompute``,
through :class:`LiveBook`, the :class:`~xlhedge.calc.bookio.BookIO` over
an xlwings ``Book``. Nothing here knows about exposures, hedges or checks: a
feature that registers a pipeline step or a worksheet function is picked up.

How results reach the cells. In Excel an xlhedge formula computes itself
through the worksheet functions (:mod:`xlhedge.udfs`), and its value cannot
be set without destroying the formula. So :meth:`LiveBook.write_result`
keeps the value the pipeline computed (later steps read it back, exactly as
they read a stored value from a file) and re-enters the formula as it was
(``formula_array`` for a legacy array range, ``formula2`` for a dynamic-array
formula, ``formula`` otherwise) so Excel recalculates it with the same
function code; calculation is held on manual during the refresh and Excel
recalculates once at the end. Inputs (estimated betas, the status lines) are
written as values. If the formulas show ``#NAME?`` after that (the functions
are not imported into this workbook), the Status area says how to fix it.

Every problem ends in the book's Status area (the ``XlhedgeStatus`` name, or a
``Status`` sheet when the book has none), never in a Python error dialog.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Iterator
from typing import Any

from xlhedge.calc import layout
from xlhedge.calc.bookio import FormulaCell
from xlhedge.calc.recompute import RecomputeOptions, RecomputeReport, recompute
from xlhedge.calc.refs import CellRange, parse_ref
from xlhedge.calc.status import write_status
from xlhedge.engine.coerce import EXCEL_ERRORS, ExcelError
from xlhedge.engine.errors import WorkbookError, XlhedgeError, internal_error

__all__ = ["LiveBook", "refresh_book", "run_refresh", "main", "STATUS_SHEET"]

logger = logging.getLogger(__name__)

#: Sheet used for the status lines when the book defines no ``XlhedgeStatus`` range.
STATUS_SHEET = "Status"
STATUS_ROWS = 30
_ERRORS = frozenset(EXCEL_ERRORS)


def _as_2d(v: Any, rows: int, cols: int) -> list[list[Any]]:
    """A value read from xlwings/COM (scalar, 1-D or 2-D, tuples or lists) as rows × cols."""
    if rows == 1 and cols == 1 and not isinstance(v, (list, tuple)):
        return [[v]]
    if isinstance(v, (list, tuple)) and v and isinstance(v[0], (list, tuple)):
        return [list(r) for r in v]
    flat = list(v) if isinstance(v, (list, tuple)) else [v]
    return [flat] if rows == 1 else [[x] for x in flat]


def _cell_value(v: Any) -> Any:
    """xlwings value -> the BookIO shapes: error literals become :class:`ExcelError`."""
    if isinstance(v, str) and v in _ERRORS:
        return ExcelError(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def _to_excel(v: Any) -> Any:
    if isinstance(v, ExcelError):
        return v.code
    return v


_AT = re.compile(r'("(?:[^"]|"")*")|(?<![A-Za-z0-9_.\[\]])@(?=[A-Za-z_$\'])')


def _strip_implicit_intersection(formula: str) -> str:
    """``@FOO(A1:B2)`` as Excel 365 shows a pre-dynamic-array formula -> ``FOO(A1:B2)``."""
    return _AT.sub(lambda m: m.group(1) or "", formula)


class LiveBook:
    """:class:`~xlhedge.calc.bookio.BookIO` over an open workbook (an xlwings ``Book``).

    Uses only the xlwings surface that Windows and macOS share (``sheets``,
    ``names``, ``used_range``, ``range``, ``options(ndim=2)``, ``formula``,
    ``formula2``, ``formula_array``, ``has_array``, notes, fonts) plus, where
    the platform has them, ``Range.api.CurrentArray`` / ``HasSpill`` /
    ``SpillingToRange`` (Windows COM) to find array and spill ranges.
    """

    def __init__(self, book: Any) -> None:
        self.book = book
        self.name = str(book.name)
        #: Values computed in this refresh, by (sheet, row, column): read back before the live value.
        self.overlay: dict[tuple[str, int, int], Any] = {}
        #: Result of every formula written in this refresh: anchor -> 2-D values.
        self.results: dict[CellRange, list[list[Any]]] = {}
        #: How each formula cell was read: anchor -> (property, text with "=", area).
        self._entered: dict[CellRange, tuple[str, str, CellRange]] = {}
        self._sheets: dict[str, Any] = {}
        self._bounds: dict[str, tuple[int, int, int, int]] = {}

    # ------------------------------------------------------------------ sheets
    def _sheet(self, name: str) -> Any:
        if not self._sheets:
            self._sheets = {s.name: s for s in self.book.sheets}
        try:
            return self._sheets[name]
        except KeyError:
            raise WorkbookError(f"has no sheet {name!r}", where=self.name) from None

    def _range(self, rng: CellRange) -> Any:
        sh = self._sheet(rng.sheet)
        if rng.size == 1:
            return sh.range((rng.r1, rng.c1))
        return sh.range((rng.r1, rng.c1), (rng.r2, rng.c2))

    def sheet_names(self) -> list[str]:
        self._sheets = {s.name: s for s in self.book.sheets}
        return list(self._sheets)

    def defined_names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for n in self.book.names:
            name = str(n.name)
            if "!" in name:  # sheet-scoped ("Sheet1!Print_Area"): not a workbook name
                continue
            refers = n.refers_to
            if refers is None:
                continue
            out[name.upper()] = str(refers).lstrip("=")
        return out

    # ------------------------------------------------------------------ formulas
    def _used(self, sheet: Any) -> tuple[int, int, int, int]:
        """(first row, first column, last row, last column) of the used range, cached."""
        b = self._bounds.get(sheet.name)
        if b is None:
            used = sheet.used_range
            rows, cols = used.shape
            r0, c0 = used.row, used.column
            b = self._bounds[sheet.name] = (r0, c0, r0 + rows - 1, c0 + cols - 1)
        return b

    @staticmethod
    def _formula_grid(rng: Any, rows: int, cols: int) -> tuple[str, list[list[Any]]]:
        try:
            return "formula2", _as_2d(rng.formula2, rows, cols)
        except Exception:  # Excel before dynamic arrays has no Formula2
            return "formula", _as_2d(rng.formula, rows, cols)

    def _array_of(self, sheet_name: str, cell: Any) -> CellRange | None:
        """The legacy array range a cell belongs to, via COM's CurrentArray."""
        try:
            addr = cell.api.CurrentArray.Address
        except Exception:
            addr = None
        if callable(addr):  # appscript-style accessor
            try:
                addr = addr()
            except Exception:
                addr = None
        if not addr:
            return None
        return parse_ref(str(addr).replace("$", ""), default_sheet=sheet_name)

    def _spill_of(self, sheet_name: str, cell: Any) -> CellRange | None:
        try:
            if not cell.api.HasSpill:
                return None
            addr = cell.api.SpillingToRange.Address
        except Exception:
            return None
        return parse_ref(str(addr).replace("$", ""), default_sheet=sheet_name)

    def formula_cells(self) -> Iterator[FormulaCell]:
        for sheet_name in self.sheet_names():
            sheet = self._sheet(sheet_name)
            r0, c0, r1, c1 = self._used(sheet)
            rows, cols = r1 - r0 + 1, c1 - c0 + 1
            prop, grid = self._formula_grid(sheet.used_range, rows, cols)
            covered: list[CellRange] = []  # array / spill areas already yielded
            for i, row in enumerate(grid):
                for j, text in enumerate(row):
                    if not (isinstance(text, str) and text.startswith("=")):
                        continue
                    r, c = r0 + i, c0 + j
                    if any(a.contains(r, c) for a in covered):
                        continue
                    here = CellRange(sheet_name, r, c, r, c)
                    cell = sheet.range((r, c))
                    array = dynamic = None
                    kind = prop
                    if cell.has_array:
                        array = self._array_of(sheet_name, cell) or self._array_by_formula(
                            grid, i, j, r0, c0, sheet_name
                        )
                        kind = "formula_array"
                    else:
                        spill = self._spill_of(sheet_name, cell)
                        if spill is not None:
                            array, dynamic, kind = spill, True, "formula2"
                    area = array or here
                    if array is not None:
                        covered.append(array)
                    self._entered[here] = (kind, text, area)
                    yield FormulaCell(here, _strip_implicit_intersection(text[1:]), array, bool(dynamic))

    @staticmethod
    def _array_by_formula(grid: list[list[Any]], i: int, j: int, r0: int, c0: int, sheet: str) -> CellRange:
        """Fallback without CurrentArray: the block of equal formulas starting at (i, j)."""
        text = grid[i][j]
        w = 1
        while j + w < len(grid[i]) and grid[i][j + w] == text:
            w += 1
        h = 1
        while i + h < len(grid) and all(grid[i + h][j + k] == text for k in range(w)):
            h += 1
        return CellRange(sheet, r0 + i, c0 + j, r0 + i + h - 1, c0 + j + w - 1)

    # ------------------------------------------------------------------ reading
    def read(self, rng: CellRange) -> list[list[Any]]:
        sheet = self._sheet(rng.sheet)
        out = [[None] * rng.cols for _ in range(rng.rows)]
        u0, v0, u1, v1 = self._used(sheet)
        # Whole columns/rows: read only the part that holds anything.
        a0, b0, a1, b1 = max(rng.r1, u0), max(rng.c1, v0), min(rng.r2, u1), min(rng.c2, v1)
        if a0 <= a1 and b0 <= b1:
            part = CellRange(rng.sheet, a0, b0, a1, b1)
            vals = self._range(part).options(ndim=2, empty=None, err_to_str=True).value
            for i, row in enumerate(_as_2d(vals, part.rows, part.cols)):
                dst = out[a0 - rng.r1 + i]
                for j, v in enumerate(row):
                    dst[b0 - rng.c1 + j] = _cell_value(v)
        for (s, r, c), v in self.overlay.items():
            if s == rng.sheet and rng.contains(r, c):
                out[r - rng.r1][c - rng.c1] = v
        return out

    # ------------------------------------------------------------------ writing
    def write_result(self, cell: FormulaCell, values: list[list[Any]]) -> None:
        """Keep the computed result for the rest of the pipeline; re-enter the formula.

        Excel recalculates the re-entered formula through the worksheet
        functions, i.e. the same code that computed ``values``.
        """
        anchor = cell.cell
        self.results[anchor] = values
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                self.overlay[(anchor.sheet, anchor.r1 + i, anchor.c1 + j)] = v
        kind, text, area = self._entered.get(
            anchor,
            (
                "formula_array"
                if cell.array is not None and not cell.dynamic
                else ("formula2" if cell.dynamic else "formula"),
                "=" + cell.formula,
                cell.array or anchor,
            ),
        )
        if kind == "formula_array":
            self._range(area).formula_array = text
        elif kind == "formula2":
            self._range(anchor).formula2 = text
        else:
            self._range(anchor).formula = text

    def write_input(
        self, rng: CellRange, values: list[list[Any]], *, note: str | None = None, style: str | None = None
    ) -> None:
        target = self._range(rng.resized(len(values), len(values[0]) if values else 1))
        target.value = [[_to_excel(v) for v in row] for row in values]
        self._bounds.pop(rng.sheet, None)  # the used range may have grown
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                self.overlay[(rng.sheet, rng.r1 + i, rng.c1 + j)] = v
        if note:
            self._note(self._range(rng.cell(0, 0)), note)
        if style:
            self._style(target, style)

    @staticmethod
    def _note(cell: Any, text: str) -> None:
        try:
            existing = cell.note
            if existing is not None:
                existing.text = text
            else:
                cell.add_note(text)
        except Exception:  # notes are a courtesy; never fail a refresh over one
            logger.debug("could not write a note", exc_info=True)

    @staticmethod
    def _style(target: Any, style: str) -> None:
        """Apply one of the template's named styles as direct formatting (works on both platforms)."""
        spec = layout.CELL_STYLES.get(style)
        if spec is None:
            return
        try:
            if spec.font_color:
                target.font.color = "#" + spec.font_color
            target.font.bold = spec.bold
            target.font.italic = spec.italic
            if spec.fill:
                target.color = "#" + spec.fill
        except Exception:
            logger.debug("could not apply style %s", style, exc_info=True)

    # ------------------------------------------------------------------ after the refresh
    def live_errors(self) -> list[tuple[CellRange, str]]:
        """Formula cells written in this refresh whose live value is ``#NAME?`` after recalculation."""
        out = []
        for anchor in self.results:
            v = _as_2d(self._range(anchor).options(ndim=2, err_to_str=True).value, 1, 1)[0][0]
            if isinstance(v, str) and v == "#NAME?":
                out.append((anchor, v))
        return out

    def ensure_sheet(self, name: str) -> None:
        if name in self.sheet_names():
            return
        sheets = self.book.sheets
        sheets.add(name, after=sheets[len(sheets) - 1] if len(sheets) else None)
        self._sheets = {}


# ---------------------------------------------------------------------------


class _StatusFallback:
    """A BookIO view that adds an ``XlhedgeStatus`` name pointing at the Status sheet."""

    def __init__(self, io: LiveBook, rng: CellRange) -> None:
        self._io = io
        self._rng = rng
        self.name = io.name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._io, attr)

    def defined_names(self) -> dict[str, str]:
        names = dict(self._io.defined_names())
        names[layout.STATUS.upper()] = str(self._rng)
        return names


def _status_io(io: LiveBook) -> Any:
    """``io`` itself when the book has a Status area, else a view writing to a Status sheet."""
    if layout.STATUS.upper() in io.defined_names():
        return io
    io.ensure_sheet(STATUS_SHEET)
    return _StatusFallback(io, CellRange(STATUS_SHEET, 1, 1, STATUS_ROWS, 1))


def _status_range(io: LiveBook) -> CellRange:
    text = io.defined_names().get(layout.STATUS.upper())
    if text:
        try:
            rng = parse_ref(text)
            return CellRange(rng.sheet, rng.r1, rng.c1, rng.r2, rng.c1)
        except XlhedgeError:
            pass
    io.ensure_sheet(STATUS_SHEET)
    return CellRange(STATUS_SHEET, 1, 1, STATUS_ROWS, 1)


def _hold_calculation(app: Any) -> dict[str, Any]:
    saved: dict[str, Any] = {}
    for attr, value in (("screen_updating", False), ("calculation", "manual")):
        try:
            saved[attr] = getattr(app, attr)
            setattr(app, attr, value)
        except Exception:
            saved.pop(attr, None)
    return saved


def _release_calculation(app: Any, saved: dict[str, Any]) -> None:
    for attr in ("calculation", "screen_updating"):
        if attr in saved:
            try:
                setattr(app, attr, saved[attr])
            except Exception:
                logger.debug("could not restore %s", attr, exc_info=True)
    try:
        app.calculate()
    except Exception:
        logger.debug("calculate failed", exc_info=True)


def run_refresh(io: LiveBook, options: RecomputeOptions | None = None) -> RecomputeReport:
    """The pipeline on a :class:`LiveBook`, then Excel's recalculation and the ``#NAME?`` check.

    Raises whatever the pipeline raises; :func:`refresh_book` turns that into
    a message in the book.
    """

    options = options or RecomputeOptions()
    app = io.book.app
    saved = _hold_calculation(app)
    try:
        report = recompute(io, options)
        if options.write_status:
            status_io = _status_io(io)
            if status_io is not io:  # no Status area in the book: the pipeline wrote none
                write_status(status_io, report, options)
    finally:
        _release_calculation(app, saved)
    missing = io.live_errors()
    if missing:
        cells = ", ".join(str(a) for a, _ in missing[:5]) + (" …" if len(missing) > 5 else "")
        report.warn(
            io.name,
            f"{len(missing)} xlhedge formulas show #NAME? ({cells}): the worksheet functions are not "
            "imported in this workbook. xlwings tab → UDF Modules = xlhedge.udfs → Import Functions "
            "(or import workbook/xlhedge_udfs.bas), then Refresh book again.",
        )
        if options.write_status:
            write_status(_status_io(io), report, options)
    return report


def _failure_lines(exc: BaseException, now: _dt.datetime) -> list[str]:
    if isinstance(exc, XlhedgeError):
        what = str(exc)
    else:
        what = f"{internal_error(exc)}; please report it with the xlwings log"
    return [
        f"Refresh FAILED {now:%Y-%m-%d %H:%M:%S}",
        f"ERROR {what}",
        "Nothing else was changed by this refresh. `xlhedge recompute` on the saved file "
        "gives the same message with more detail.",
    ]


def refresh_book(book: Any = None, options: RecomputeOptions | None = None) -> RecomputeReport | None:
    """Recompute every output of ``book`` (default: the workbook that called from Excel).

    Returns the report, or ``None`` when the refresh failed; a failure is
    written to the Status area, not raised.
    """
    if book is None:
        from xlhedge.excel import require_xlwings

        xw = require_xlwings()

        try:
            book = xw.Book.caller()
        except Exception as exc:
            raise WorkbookError(
                "Refresh book runs from Excel (the xlhedge tab); from Python pass an xlwings Book: "
                "xlhedge.excel.live.refresh_book(xw.Book('my book.xlsx')), or use `xlhedge recompute`"
            ) from exc
    io = LiveBook(book)
    try:
        return run_refresh(io, options)
    except Exception as exc:  # everything: the button must not end in a Python error dialog
        logger.exception("Refresh book failed on %s", io.name)
        now = ((options.now if options else None) or _dt.datetime.now()).replace(microsecond=0)
        lines = _failure_lines(exc, now)
        try:
            rng = _status_range(io)
            lines = lines[: rng.rows] + [None] * max(0, rng.rows - len(lines))
            io.write_input(rng, [[x] for x in lines], style="status_warn")
        except Exception:
            logger.exception("could not write the failure into the book")
            try:
                book.app.alert("\n".join(x for x in lines if x), title="xlhedge: Refresh book")
            except Exception:
                pass
        return None


def main() -> None:
    """Entry point of the ribbon button (``RunMain`` in ``xlhedge.xlam``)."""
    refresh_book()
