"""Read a :class:`~xlhedge.engine.book.Book` from a workbook, through its defined names.

Any door that implements :class:`~xlhedge.calc.bookio.BookIO` (a saved file, the open
workbook in Excel) gets the same Book: the Book sheet's attribute rows are found by
the defined names of the position schema's fields, the weights and betas by
``BookWeights`` and ``BookBetas``, NAV, currency of record and as-of date by their
names. Errors name the cell (``Book!D12``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from xlhedge.calc import layout
from xlhedge.calc.bookio import BookIO, named_range, read_named
from xlhedge.calc.origin import locate, non_finite
from xlhedge.calc.refs import CellRange, cell_name, parse_ref
from xlhedge.engine import coerce
from xlhedge.engine import instruments as _inst
from xlhedge.engine.book import Book, OptionInputs
from xlhedge.engine.checks import Finding
from xlhedge.engine.errors import InputError, WorkbookError, XlhedgeError
from xlhedge.engine.schema import SHEET_FIELDS, field_key
from xlhedge.functions.checks import checks_from_ranges

__all__ = ["book_from_io", "book_from_grid", "book_findings", "attribute_top", "option_inputs"]


def option_inputs(io: BookIO) -> OptionInputs:
    """What the book's option positions are valued with: the Hedges sheet's option rate and
    dividend yield (``OptionRate``, ``OptionDiv``; blank = 0) and the Instruments sheet
    (``InstrumentTable``; absent = the shipped catalogue). The valuation date is the book's
    as-of date (else today)."""

    def one(name: str) -> float:
        got = read_named(io, name)
        v = got[0][0] if got else None
        if v is None or coerce.is_blank(v):
            return 0.0
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise WorkbookError(f"the defined name {name} holds {v!r}, expected a number", where=io.name)
        return float(v)

    table = read_named(io, layout.INSTRUMENT_TABLE)
    cat = _inst.from_grid(table, "Instruments sheet") if table else None
    return OptionInputs(rate=one(layout.OPTION_RATE), div=one(layout.OPTION_DIV), instruments=cat)


def attribute_top(names: dict[str, str], weights: CellRange) -> int:
    """First row of the Book sheet's attribute block: the highest attribute row the book
    defines a name for (an older book may have fewer rows), else the weight row."""
    rows = [
        parse_ref(names[f.sheet_name.upper()].lstrip("=")).r1
        for f in SHEET_FIELDS
        if f.sheet_name and f.sheet_name.upper() in names
    ]
    return min([*rows, weights.r1])


def _finite_cells(io: BookIO, rng: CellRange, rows: Sequence[Sequence[Any]]) -> None:
    """A cell holding NaN or ±inf as its number is an error naming file and cell (never a blank)."""
    bad = non_finite(rng, rows)
    if bad is not None:
        cell, v = bad
        what = "NaN (not a number)" if v != v else f"{'-' if v < 0 else ''}inf (beyond the largest number)"
        raise InputError(f"holds {what}; enter a finite number or clear the cell", where=f"{io.name}: {cell}")


def _names_file(io: BookIO, exc: XlhedgeError) -> bool:
    return bool(exc.where) and (exc.where == io.name or str(exc.where).startswith(f"{io.name}:"))


def _name_file(io: BookIO, exc: XlhedgeError, blocks: Sequence[tuple[CellRange, Sequence[Sequence[Any]]]]) -> None:
    """Put the file (and the cell holding the offending value, when it can be found) in ``exc.where``."""
    if _names_file(io, exc):
        return
    cell = locate(exc, blocks)
    if cell is not None:
        exc.message = f"{exc.message} ({exc.where})" if exc.where else exc.message
        exc.where = f"{io.name}: {cell}"
    else:
        exc.where = f"{io.name}: {exc.where}" if exc.where else io.name


def book_from_io(io: BookIO) -> Book:
    """Read the Book sheet of a workbook through its defined names (the template's layout).

    Errors name the file and the cell (``book.xlsx: weight at Book!B29 (IPX): ...``); a cell
    holding NaN or ±inf is an error, not a blank.
    """
    try:
        return _book_from_io(io)
    except XlhedgeError as exc:
        if not _names_file(io, exc):
            exc.where = f"{io.name}: {exc.where}" if exc.where else io.name
        raise


def _book_from_io(io: BookIO) -> Book:
    names = io.defined_names()
    need = (layout.BOOK_WEIGHTS, layout.BOOK_BETAS, layout.BOOK_TICKERS, layout.NAV)
    missing = [n for n in need if n.upper() not in names]
    if missing:
        raise WorkbookError(
            f"is not an xlhedge book: the defined names {', '.join(missing)} are missing (start from `xlhedge new`)",
            where=io.name,
        )

    def ref(name: str) -> CellRange:
        try:
            return parse_ref(names[name.upper()].lstrip("="))
        except XlhedgeError as exc:
            raise WorkbookError(
                f"the defined name {name} does not refer to cells ({exc.message})", where=io.name
            ) from None

    def value(name: str, default: Any) -> Any:
        return io.read(ref(name))[0][0] if name.upper() in names else default

    weights, betas = ref(layout.BOOK_WEIGHTS), ref(layout.BOOK_BETAS)
    sheet = weights.sheet
    if sheet not in io.sheet_names():
        raise WorkbookError(f"has no sheet named {sheet!r}", where=io.name)
    top = attribute_top(names, weights)
    block = CellRange(sheet, top, 1, betas.r2, weights.c2)
    rows = io.read(block)
    _finite_cells(io, block, rows)
    g = coerce.grid(rows, sheet)
    labels = [("" if coerce.is_blank(v) else str(v).strip()) for v in g[:, 0]]
    attr_rows = {
        f.key: ref(f.sheet_name).r1 - top for f in SHEET_FIELDS if f.sheet_name and f.sheet_name.upper() in names
    }
    f_rows = list(range(betas.r1 - top, betas.r2 - top + 1))
    for i in f_rows:
        labels[i] = labels[i] or f"row {top + i}"
    sheet = sheet or layout.BOOK_SHEET

    def place(i: int, j: int) -> str:
        return f"{sheet}!{cell_name(top + i, weights.c1 + j)}"

    return Book.from_rows(
        g,
        labels,
        attr_rows,
        weights.r1 - top,
        f_rows,
        value(layout.NAV, None),
        value(layout.RECORD_CURRENCY, "USD"),
        place=place,
        label_place=lambda i: f"{sheet}!{cell_name(top + i, 1)}",
        sheet=sheet,
        as_of=value(layout.AS_OF, None),
        options=option_inputs(io),
    )


def book_from_grid(
    rows: Sequence[Sequence[Any]],
    nav: float,
    *,
    record_currency: str = "USD",
    sheet: str = layout.BOOK_SHEET,
    first_row: int = 1,
) -> Book:
    """2-D lists laid out like the Book sheet: labels in column 0, one column per position.

    Rows are found by their label: ``Ticker``, the attribute labels of the position
    schema, ``Weight`` (the row whose label starts with "weight"), then every following
    labelled row is a factor beta row. ``first_row`` numbers the rows in error messages
    (``Book!D12``; the first position is in column B).
    """
    g = coerce.grid(rows, "book")
    labels = [("" if coerce.is_blank(v) else str(v).strip()) for v in g[:, 0]]
    low = [x.lower() for x in labels]
    try:
        w_row = next(i for i, x in enumerate(low) if x.startswith("weight"))
    except StopIteration:
        raise InputError("has no row labelled 'Weight'", where=sheet) from None
    on_sheet = {f.key for f in SHEET_FIELDS}
    attr_rows: dict[str, int] = {}
    for i, lab in enumerate(labels[:w_row]):
        key = field_key(lab) if lab else None
        if key in on_sheet:
            attr_rows[str(key)] = i
    if "ticker" not in attr_rows:
        raise InputError("has no row labelled 'Ticker'", where=sheet)
    f_rows = [i for i in range(w_row + 1, len(labels)) if labels[i]]

    def place(i: int, j: int) -> str:
        return f"{sheet}!{cell_name(first_row + i, 2 + j)}"

    return Book.from_rows(
        g,
        labels,
        attr_rows,
        w_row,
        f_rows,
        nav,
        record_currency,
        place=place,
        label_place=lambda i: f"{sheet}!{cell_name(first_row + i, 1)}",
        sheet=sheet,
    )


def _first(rows: Any) -> Any:
    return rows[0][0] if rows else None


def book_findings(io: BookIO, *, today: _dt.date | None = None) -> list[Finding]:
    """The common-mistakes findings of a book (after a recompute): what ``=HEDGE_CHECKS`` shows.

    Reads the defined names the template gives the Checks sheet's inputs
    (``BookAttributeBlock``, ``BookFactorBlock``, ``CheckSettings``, ``HedgeLedger``,
    ``CheckTolerances``, ``OptionThetaBudget``); a book built before those existed falls back to the blocks its
    own Book names span and its NAV / RecordCurrency / AsOf cells.
    """
    read: list[tuple[CellRange, Sequence[Sequence[Any]]]] = []
    try:
        return _book_findings(io, read, today)
    except XlhedgeError as exc:
        _name_file(io, exc, read)
        raise


def _book_findings(
    io: BookIO, read: list[tuple[CellRange, Sequence[Sequence[Any]]]], today: _dt.date | None
) -> list[Finding]:
    names = io.defined_names()
    if layout.BOOK_SHEET not in io.sheet_names() and layout.BOOK_ATTRIBUTE_BLOCK.upper() not in names:
        raise WorkbookError(f"has no {layout.BOOK_SHEET} sheet: not an xlhedge book", where=io.name)
    blocks = (layout.BOOK_ATTRIBUTE_BLOCK, layout.BOOK_FACTOR_BLOCK)
    fallback = {} if all(n.upper() in names for n in blocks) else _blocks(io, names)

    def _read(name: str, fallback: str | None = None) -> Any:
        rng = named_range(io, name)
        if (rng is None or rng.sheet not in io.sheet_names()) and fallback is not None:
            rng = parse_ref(fallback.lstrip("="))
        if rng is None or rng.sheet not in io.sheet_names():
            return None
        rows = io.read(rng)
        _finite_cells(io, rng, rows)
        read.append((rng, rows))
        return rows

    positions, betas = (_read(n, fallback.get(n)) for n in blocks)
    settings = _read(layout.CHECK_SETTINGS)
    if settings is None:
        settings = [
            [label, _first(_read(name)) if name.upper() in names else None]
            for label, name in (
                ("NAV", layout.NAV),
                ("Currency of record", layout.RECORD_CURRENCY),
                ("Last decomposition", layout.AS_OF),
            )
        ]
    ledger, tolerances = _read(layout.HEDGE_LEDGER), _read(layout.CHECK_TOLERANCES)
    theta = _read("OptionThetaBudget")  # the Options sheet's theta vs budget (THETA_OVER_BUDGET)
    return checks_from_ranges(positions, betas, settings, ledger, tolerances, theta, today=today)


def _blocks(io: BookIO, names: dict[str, str]) -> dict[str, str]:
    """The labelled blocks of a book built before the template defined them, from its own
    Book names (attribute rows .. BookWeights, and BookBetas, with the labels in column A),
    so an older layout with fewer attribute rows is read where it is."""
    need = (layout.BOOK_WEIGHTS.upper(), layout.BOOK_BETAS.upper())
    if any(n not in names for n in need):
        raise WorkbookError(
            "is not an xlhedge book: it defines neither BookAttributeBlock/BookFactorBlock nor "
            "BookWeights/BookBetas (start from `xlhedge new`)",
            where=io.name,
        )
    w, b = (parse_ref(names[n].lstrip("=")) for n in need)
    top = attribute_top(names, w)
    return {
        layout.BOOK_ATTRIBUTE_BLOCK: str(CellRange(w.sheet, top, 1, w.r2, w.c2)),
        layout.BOOK_FACTOR_BLOCK: str(CellRange(b.sheet, b.r1, 1, b.r2, b.c2)),
    }
