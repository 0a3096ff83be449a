"""A1 references: parsing, formatting, ranges (1-based rows and columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xlhedge.engine.errors import FormulaError

__all__ = ["CellRange", "col_index", "col_letters", "parse_ref", "cell_name", "quote_sheet"]

MAX_ROWS = 1_048_576
MAX_COLS = 16_384

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_COLS = re.compile(r"^\$?([A-Za-z]{1,3})$")
_ROWS = re.compile(r"^\$?(\d+)$")


@lru_cache(maxsize=20_000)
def col_index(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


@lru_cache(maxsize=20_000)
def col_letters(idx: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    s = ""
    while idx:
        idx, rem = divmod(idx - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_name(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


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
    parts = addr.split(":")
    if len(parts) == 1:
        if not _CELL.match(addr):  # "BLK" or "3" alone is a name or a number, not a range
            raise FormulaError(f"cannot read the reference {ref!r}")
        parts = parts * 2
    if len(parts) != 2:
        raise FormulaError(f"cannot read the reference {ref!r}")
    a, b = parts
    ma, mb = _CELL.match(a), _CELL.match(b)
    if ma and mb:
        r1, c1 = int(ma.group(2)), col_index(ma.group(1))
        r2, c2 = int(mb.group(2)), col_index(mb.group(1))
    elif _COLS.match(a) and _COLS.match(b):
        c1, c2 = col_index(_COLS.match(a).group(1)), col_index(_COLS.match(b).group(1))
        r1, r2 = 1, MAX_ROWS
    elif _ROWS.match(a) and _ROWS.match(b):
        r1, r2 = int(_ROWS.match(a).group(1)), int(_ROWS.match(b).group(1))
        c1, c2 = 1, MAX_COLS
    else:
        raise FormulaError(f"cannot read the reference {ref!r}")
    return CellRange(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
