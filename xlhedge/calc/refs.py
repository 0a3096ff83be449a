"""A1 references: parsing, formatting, ranges (1-based rows and columns).

Column letters and A1 ranges are openpyxl's (:mod:`openpyxl.utils.cell`,
cached there); this module adds sheet names (quoted as Excel quotes them),
whole-column/row ranges and :class:`CellRange`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from xlhedge.engine.errors import FormulaError

__all__ = ["CellRange", "col_index", "col_letters", "parse_ref", "cell_name", "quote_sheet"]

MAX_ROWS = 1_048_576
MAX_COLS = 16_384

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_index(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384 (a ValueError for what is no column)."""
    return column_index_from_string(letters)


def col_letters(idx: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    return get_column_letter(idx)


def cell_name(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def quote_sheet(sheet: str) -> str:
    """Sheet name as it appears in a formula: quoted when it needs to be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) and not _CELL.match(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class CellRange:
    """A rectangle on one sheet, 1-based inclusive bounds."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def rows(self) -> int:
        return self.r2 - self.r1 + 1

    @property
    def cols(self) -> int:
        return self.c2 - self.c1 + 1

    @property
    def shape(self) -> tuple[int, int]:
        return (self.rows, self.cols)

    @property
    def size(self) -> int:
        return self.rows * self.cols

    @property
    def address(self) -> str:
        """'B2' or 'B2:D9' (no sheet)."""
        a = cell_name(self.r1, self.c1)
        return a if (self.r1, self.c1) == (self.r2, self.c2) else f"{a}:{cell_name(self.r2, self.c2)}"

    def __str__(self) -> str:
        return f"{quote_sheet(self.sheet)}!{self.address}"

    def intersects(self, other: CellRange) -> bool:
        return (
            self.sheet == other.sheet
            and self.r1 <= other.r2
            and other.r1 <= self.r2
            and self.c1 <= other.c2
            and other.c1 <= self.c2
        )

    def contains(self, row: int, col: int) -> bool:
        return self.r1 <= row <= self.r2 and self.c1 <= col <= self.c2

    def resized(self, rows: int, cols: int) -> CellRange:
        return CellRange(self.sheet, self.r1, self.c1, self.r1 + rows - 1, self.c1 + cols - 1)

    def cell(self, i: int = 0, j: int = 0) -> CellRange:
        r, c = self.r1 + i, self.c1 + j
        return CellRange(self.sheet, r, c, r, c)


def split_sheet(ref: str) -> tuple[str | None, str]:
    """ "'My Sheet'!A1:B2" -> ("My Sheet", "A1:B2"); no sheet -> (None, ref)."""
    ref = ref.strip()
    if ref.startswith("'"):
        # Walk the quoted name, honouring doubled quotes.
        i, name = 1, []
        while i < len(ref):
            ch = ref[i]
            if ch == "'":
                if i + 1 < len(ref) and ref[i + 1] == "'":
                    name.append("'")
                    i += 2
                    continue
                break
            name.append(ch)
            i += 1
        if i + 1 >= len(ref) or ref[i + 1] != "!":
            raise FormulaError(f"cannot read the reference {ref!r}")
        return "".join(name), ref[i + 2 :]
    if "!" in ref:
        sheet, addr = ref.rsplit("!", 1)
        return sheet, addr
    return None, ref


def parse_ref(ref: str, default_sheet: str | None = None) -> CellRange:
    """Parse 'Sheet!$A$1:$B$3', 'A1', 'A:A', '3:3' into a :class:`CellRange`."""
    sheet, addr = split_sheet(ref)
    sheet = sheet if sheet is not None else default_sheet
    if sheet is None:
        raise FormulaError(f"the reference {ref!r} names no sheet")
    if ":" not in addr and not _CELL.match(addr):  # "BLK" or "3" alone is a name or a number, not a range
        raise FormulaError(f"cannot read the reference {ref!r}")
    try:
        c1, r1, c2, r2 = range_boundaries(addr)
    except ValueError:
        raise FormulaError(f"cannot read the reference {ref!r}") from None
    if r1 is None or r2 is None:  # whole columns, A:C
        r1, r2 = 1, MAX_ROWS
    if c1 is None or c2 is None:  # whole rows, 3:5
        c1, c2 = 1, MAX_COLS
    return CellRange(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
