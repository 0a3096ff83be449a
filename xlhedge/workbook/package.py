"""Read and patch an .xlsx/.xlsm package without round-tripping it through openpyxl.

Reading parses only what the evaluator needs: the sheet list, defined names,
shared strings, date styles and each worksheet's cells. Writing changes only
the ``<c>`` elements of cells whose cached values xlhedge computed, re-serialises
just those worksheet parts and copies every other zip member unchanged (charts,
images, comments, VBA, external links, styles...). The zip itself is
:mod:`xlhedge.workbook.opc`'s: the new file is written to a temporary file
beside the original and moved over it in one rename.

Before anything is written, every re-serialised part is parsed again and read
back: if a cell would not read back as written, the save is refused and the
file left alone. When no cell changed, nothing is written at all (same bytes,
inode and modification time). Dates are converted with the workbook's own
epoch (1900 or 1904 date system) through openpyxl's ``from_excel``/``to_excel``,
here only (:meth:`XlsxPackage.serial_to_datetime`, :func:`_write_value`).
A stored value that is not what its cell type says (``<v>abc</v>`` in a number
cell, a shared-string index past the table) is a
:class:`~xlhedge.engine.errors.WorkbookError` naming the sheet and cell.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, to_excel
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.xml.constants import REL_NS, SHEET_MAIN_NS, WORKBOOK_MACRO, XLSM, XLSX, XLTM, XLTX

from xlhedge.calc.refs import CellRange, col_index, col_letters
from xlhedge.engine.coerce import ExcelError
from xlhedge.engine.errors import WorkbookError
from xlhedge.workbook.opc import (
    MAX_FILE_BYTES,
    OFFICE_DOCUMENT,
    OpcPackage,
    atomic_write_bytes,
    check_writable,
    parse_xml,
)

__all__ = ["XlsxPackage", "SheetPart", "open_package", "CLIP_CELLS", "MAX_ARRAY_CELLS"]

#: A range of more cells than this is read only as far as the sheet's used cells reach (blank beyond).
CLIP_CELLS = 4 * 2**20
#: The largest area an array formula in a file may fill.
MAX_ARRAY_CELLS = 2**20
#: Strict Open XML (ISO/IEC 29500 Strict) namespaces, which xlhedge does not read.
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_STRICT_PREFIX = "http://purl.oclc.org/ooxml/"
_STRICT_REFUSED = (
    "is saved as Strict Open XML, which xlhedge does not read; in Excel use File > Save As > 'Excel Workbook (*.xlsx)'"
)

_M = f"{{{SHEET_MAIN_NS}}}"
_C, _V, _F, _IS, _T, _ROW, _SHEETDATA = (_M + x for x in ("c", "v", "f", "is", "t", "row", "sheetData"))

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Content types of a workbook part xlhedge reads (.xlsx, .xlsm, .xltx, .xltm, .xlam).
WORKBOOK_TYPES = frozenset((XLSX, XLSM, XLTX, XLTM, WORKBOOK_MACRO % "addin"))
#: The binary workbook (.xlsb), which xlhedge does not read.
_XLSB_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_DEFAULT_WORKBOOK = "xl/workbook.xml"
_SHARED_STRINGS_REL = REL_NS + "/sharedStrings"
_STYLES_REL = REL_NS + "/styles"

#: Built-in number formats (ids without a numFmt element) that display dates/times: 14-22, 45-47.
_BUILTIN_DATE_FORMATS = frozenset(i for i, code in BUILTIN_FORMATS.items() if is_date_format(code))


@dataclass(slots=True)
class Formula:
    """A formula as stored: text and attributes (its value lives in ``SheetPart.values``)."""

    formula: str | None = None
    ftype: str | None = None  # None (plain) | "array" | "shared" | "dataTable"
    fref: str | None = None  # array/shared range
    si: str | None = None  # shared-formula index
    dynamic: bool = False  # Excel 365 dynamic array (cm attribute)


@dataclass
class SheetPart:
    """A worksheet: its zip member, parsed XML (lazily) and cells by (row, col)."""

    name: str
    member: str
    root: etree._Element | None = None
    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    elements: dict[tuple[int, int], etree._Element] = field(default_factory=dict)
    rows: dict[int, etree._Element] = field(default_factory=dict)
    dirty: bool = False
    loaded: bool = False
    extent: tuple[int, int] | None = None  # (last used row, last used column), once asked for


class _BadCell(ValueError):
    """A stored value that does not fit its cell type (the message says what was expected and found)."""


class XlsxPackage:
    """An opened workbook package. Use :func:`open_package`.

    ``opc`` is the zip (:class:`~xlhedge.workbook.opc.OpcPackage`); the
    workbook part is the package's main part (its ``officeDocument``
    relationship) when that is a SpreadsheetML workbook, else
    ``xl/workbook.xml`` — never guessed from the file name.
    """

    def __init__(self, opc: OpcPackage, path: Path | None = None) -> None:
        self.opc = opc
        self.where = opc.where
        #: The file the package was read from (None for bytes): a save to it that changes nothing writes nothing.
        self.path = path
        self.workbook_part = _workbook_part(opc)
        self.sheets: dict[str, SheetPart] = {}
        self.sheet_order: list[str] = []
        self.defined_names: dict[str, str] = {}
        self.local_names: dict[tuple[str, str], str] = {}
        self.date1904 = False
        self.epoch = WINDOWS_EPOCH
        self._read_workbook()
        self.shared_strings = self._read_shared_strings()
        self.date_styles = self._read_date_styles()

    # ------------------------------------------------------------------ reading
    def _xml(self, member: str) -> etree._Element:
        return self.opc.xml(member)

    def _workbook_related(self, rel_type: str, default: str) -> str | None:
        """The part the workbook relates to with ``rel_type``; else ``default`` if the package has it."""
        for target in self.opc.related(self.workbook_part, rel_type):
            if target in self.opc:
                return self.opc.part_name(target)
        return self.opc.part_name(default)

    def _read_workbook(self) -> None:
        wb = self._xml(self.workbook_part)
        part = self.workbook_part
        if not isinstance(wb.tag, str) or wb.tag.startswith("{" + _STRICT_PREFIX):
            raise WorkbookError(_STRICT_REFUSED, where=self.where)
        if wb.tag != _M + "workbook":
            raise WorkbookError(f"{part}: expected a SpreadsheetML <workbook>, found <{wb.tag}>", where=self.where)
        rels = self.opc.rel_targets(self.workbook_part)
        pr = wb.find(_M + "workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if self.date1904 else WINDOWS_EPOCH
        for sh in wb.iterfind(f"{_M}sheets/{_M}sheet"):
            name = sh.get("name")
            if not name:
                raise WorkbookError(f"{part}: a <sheet> has no name", where=self.where)
            rid = sh.get(f"{{{REL_NS}}}id")
            if not rid:
                continue  # a sheet with no part at all (an old macro module sheet): no cells to read
            target = rels.get(rid)
            if not target:
                raise WorkbookError(
                    f"{part}: the sheet {name!r} has no relationship {rid!r} in the workbook's relationships",
                    where=self.where,
                )
            if target.endswith(("chartsheet.xml",)) or "/chartsheets/" in target:
                continue
            if target not in self.opc:
                raise WorkbookError(
                    f"{part}: the sheet {name!r} points to {target}, which the package does not have",
                    where=self.where,
                )
            self.sheets[name] = SheetPart(name, self.opc.part_name(target) or target)
            self.sheet_order.append(name)
        all_sheets = [sh.get("name") for sh in wb.iterfind(f"{_M}sheets/{_M}sheet")]
        for dn in wb.iterfind(f"{_M}definedNames/{_M}definedName"):
            name = dn.get("name")
            if not name:
                raise WorkbookError(f"{part}: a defined name has no name attribute", where=self.where)
            text = (dn.text or "").strip()
            if dn.get("localSheetId") is not None:
                try:
                    idx = int(dn.get("localSheetId"))
                except ValueError:
                    raise WorkbookError(
                        f"{part}: the defined name {name}: expected a sheet number in localSheetId, "
                        f"found {dn.get('localSheetId')!r}",
                        where=self.where,
                    ) from None
                if 0 <= idx < len(all_sheets):
                    self.local_names[(all_sheets[idx], name.upper())] = text
            else:
                self.defined_names[name.upper()] = text

    def _read_shared_strings(self) -> list[str]:
        member = self._workbook_related(_SHARED_STRINGS_REL, "xl/sharedStrings.xml")
        if member is None:
            return []
        root = self._xml(member)
        out = []
        for si in root.iterfind(_M + "si"):
            out.append(_rich_text(si))
        return out

    def named_style_index(self, name: str) -> int | None:
        """Index of a cell format (cellXfs) based on the named cell style ``name``, if the file has one."""
        root = self._styles()
        if root is None:
            return None
        xf_id = next(
            (cs.get("xfId") for cs in root.iterfind(f"{_M}cellStyles/{_M}cellStyle") if cs.get("name") == name), None
        )
        if xf_id is None:
            return None
        for i, xf in enumerate(root.iterfind(f"{_M}cellXfs/{_M}xf")):
            if xf.get("xfId") == xf_id:
                return i
        return None

    def set_style(self, sheet: str, row: int, col: int, index: int) -> None:
        """Give a cell the cell format ``index`` (from :meth:`named_style_index`)."""
        part = self.sheet(sheet)
        self._tree(part)
        el = part.elements.get((row, col))
        if el is None:
            el = self._new_cell(part, row, col)
        if el.get("s") != str(index):
            el.set("s", str(index))
            part.dirty = True

    def _styles(self) -> etree._Element | None:
        member = self._workbook_related(_STYLES_REL, "xl/styles.xml")
        return self._xml(member) if member is not None else None

    def _read_date_styles(self) -> frozenset[int]:
        root = self._styles()
        if root is None:
            return frozenset()
        custom = {}
        member = self._workbook_related(_STYLES_REL, "xl/styles.xml")

        def fmt_id(el: etree._Element, what: str) -> int:
            raw = el.get("numFmtId", "0")
            try:
                return int(raw)
            except ValueError:
                raise WorkbookError(
                    f"{member}: expected a whole number as the numFmtId of {what}, found {raw!r}", where=self.where
                ) from None

        for nf in root.iterfind(f"{_M}numFmts/{_M}numFmt"):
            custom[fmt_id(nf, "a number format")] = nf.get("formatCode", "")
        dates = set()
        for i, xf in enumerate(root.iterfind(f"{_M}cellXfs/{_M}xf")):
            fid = fmt_id(xf, f"cell format {i}")
            if fid in _BUILTIN_DATE_FORMATS or (fid in custom and is_date_format(custom[fid])):
                dates.add(i)
        return frozenset(dates)

    def sheet(self, name: str) -> SheetPart:
        """A worksheet by name, its cells read on first use."""
        part = self.sheets.get(name)
        if part is None:
            for k, v in self.sheets.items():
                if k.lower() == name.lower():
                    part = v
                    break
        if part is None:
            raise WorkbookError(
                f"has no sheet named {name!r} (sheets: {', '.join(self.sheet_order)})", where=self.where
            )
        if not part.loaded:
            _scan_cells(self, part, self.opc.read(part.member))
            part.loaded = True
        return part

    def _extent(self, part: SheetPart) -> tuple[int, int]:
        """The last used row and column of a sheet (cells with a value or a formula); (0, 0) when empty."""
        if part.extent is None:
            rows = cols = 0
            for keys in (part.values, part.formulas):
                if keys:
                    rows = max(rows, max(r for r, _ in keys))
                    cols = max(cols, max(c for _, c in keys))
            part.extent = rows, cols
        return part.extent

    def serial_to_datetime(self, serial: float) -> _dt.datetime | float:
        """A date serial of this workbook (its 1900 or 1904 system) as a datetime; the number itself when
        no date has it (Excel shows ``####``)."""
        try:
            out = from_excel(serial, self.epoch)
        except (OverflowError, ValueError):
            return serial
        if isinstance(out, _dt.time):  # a time of day alone: on the epoch's first day, as Excel keeps it
            return _dt.datetime.combine(self.epoch.date(), out)
        return out

    def datetime_to_serial(self, value: _dt.date | _dt.datetime | _dt.time) -> float:
        """A date, datetime or time as a serial of this workbook's date system."""
        return float(to_excel(value, self.epoch))

    def _tree(self, part: SheetPart) -> etree._Element:
        """The worksheet's XML tree with row/cell element indexes (parsed for writing)."""
        if part.root is None:
            part.root = self._xml(part.member)
            part.rows, part.elements = _index_cells(part.root, self.where, part.member)
        return part.root

    def _value(self, t: str | None, v: str | None, style: str | None, has_formula: bool) -> Any:
        """A stored cell value as Python: number, text, bool, ExcelError or datetime."""
        if v is None:
            return None
        if t is None or t == "n":
            if v.strip() == "":
                return None
            try:
                num = float(v)  # NaN and INF are valid xsd:double text: the formulas reading them say so
            except ValueError:
                raise _BadCell(f"expected a number, found {v!r}") from None
            if style is not None and not has_formula and self._date_style(style):
                return self.serial_to_datetime(num)
            return num
        if t == "s":
            if v.strip() == "":
                return None  # <c t="s"><v/></c>: Excel reads an empty cell
            try:
                i = int(v)
            except ValueError:
                raise _BadCell(f"expected a shared-string index, found {v!r}") from None
            if not 0 <= i < len(self.shared_strings):
                raise _BadCell(
                    f"expected a shared-string index below {len(self.shared_strings)} (the size of the table), "
                    f"found {i}"
                )
            return self.shared_strings[i]
        if t in ("str", "inlineStr"):
            return v
        if t == "b":
            b = v.strip()
            if b in ("1", "true"):
                return True
            if b in ("0", "false"):
                return False
            raise _BadCell(f"expected a boolean (0 or 1), found {v!r}")
        if t == "e":
            return ExcelError(v.strip())
        if t == "d":
            return self._iso_date(v)
        raise _BadCell(f"expected a cell type n, s, str, inlineStr, b, e or d, found t={t!r}")

    def _date_style(self, style: str) -> bool:
        try:
            return int(style) in self.date_styles
        except ValueError:
            raise _BadCell(f"expected a style number in s, found {style!r}") from None

    def _iso_date(self, v: str) -> _dt.datetime:
        """A ``t="d"`` value: an ISO 8601 date, date-time or (time-only) time of day."""
        text = v.strip()
        try:
            return _dt.datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            pass
        try:
            return _dt.datetime.combine(self.epoch.date(), _dt.time.fromisoformat(text))
        except ValueError:
            raise _BadCell(f"expected an ISO 8601 date or time, found {v!r}") from None

    def iter_formulas(self, sheet: str) -> Iterator[tuple[int, int, Formula]]:
        part = self.sheet(sheet)
        for (r, c), f in part.formulas.items():
            yield r, c, f

    def read_range(self, rng: CellRange) -> list[list[Any]]:
        part = self.sheet(rng.sheet)
        get = part.values.get
        if rng.size > CLIP_CELLS:
            # A huge range (A1:XFD1048576): only as far as the sheet's used cells reach; beyond is blank.
            last_r, last_c = self._extent(part)
            r2, c2 = min(rng.r2, max(last_r, rng.r1)), min(rng.c2, max(last_c, rng.c1))
            rng = CellRange(rng.sheet, rng.r1, rng.c1, r2, c2)
        if rng.size <= 4 * max(len(part.values), 1):
            cols = range(rng.c1, rng.c2 + 1)
            return [[get((r, c)) for c in cols] for r in range(rng.r1, rng.r2 + 1)]
        # A huge range (whole columns): fill from the stored cells only.
        out = [[None] * rng.cols for _ in range(rng.rows)]
        for (r, c), v in part.values.items():
            if rng.contains(r, c):
                out[r - rng.r1][c - rng.c1] = v
        return out

    # ------------------------------------------------------------------ writing
    def set_cached(self, sheet: str, row: int, col: int, value: Any) -> bool:
        """Set the cached value of a cell, keeping its formula. Returns True if it changed."""
        part = self.sheet(sheet)
        if _same(part.values.get((row, col)), value):
            return False
        self._tree(part)
        el = part.elements.get((row, col))
        if el is None:
            el = self._new_cell(part, row, col)
        _write_value(el, value, self)
        if value is None:
            part.values.pop((row, col), None)
        else:
            part.values[(row, col)] = value
            if part.extent is not None and (row > part.extent[0] or col > part.extent[1]):
                part.extent = max(row, part.extent[0]), max(col, part.extent[1])
        part.dirty = True
        return True

    def set_array_ref(self, sheet: str, row: int, col: int, ref: str) -> None:
        """Change the range an array formula fills (dynamic-array spill size)."""
        part = self.sheet(sheet)
        self._tree(part)
        el = part.elements[(row, col)]
        f = el.find(_F)
        if f is not None and f.get("ref") != ref:
            f.set("ref", ref)
            part.formulas[(row, col)].fref = ref
            part.dirty = True

    def drop_formulas(self, sheet: str) -> None:
        """Replace every formula of a sheet by its stored value (for a static rendering copy)."""
        part = self.sheet(sheet)
        self._tree(part)
        for key in list(part.formulas):
            el = part.elements.get(key)
            f = el.find(_F) if el is not None else None
            if f is not None:
                el.remove(f)
                el.attrib.pop("cm", None)
                part.dirty = True
        part.formulas.clear()

    def _new_cell(self, part: SheetPart, row: int, col: int) -> etree._Element:
        sd = part.root.find(_SHEETDATA)
        if sd is None:
            sd = etree.SubElement(part.root, _SHEETDATA)
        row_el = part.rows.get(row)
        if row_el is None:
            row_el = etree.Element(_ROW, r=str(row))
            last_el = _last_child(sd)
            last_r = last_el.get("r", "") if last_el is not None else "0"
            later = [] if last_r.isdigit() and int(last_r) < row else [r for r in part.rows if r > row]
            if later:
                part.rows[min(later)].addprevious(row_el)
            else:
                sd.append(row_el)
            part.rows[row] = row_el
        el = etree.Element(_C, r=f"{col_letters(col)}{row}")
        # keep cells in column order; writing left to right goes after the cell just written or at
        # the row's end, without scanning the row (quadratic in its width)
        after = None
        prev = part.elements.get((row, col - 1))
        nxt = prev.getnext() if prev is not None and prev.getparent() is row_el else None
        tail = _last_child(row_el)
        if prev is not None and nxt is not None and nxt.tag == _C and (_ref_col(nxt.get("r", "")) or 0) > col:
            after = nxt
        elif tail is None or (tail.tag == _C and (_ref_col(tail.get("r", "")) or col + 1) < col):
            pass  # the row's end
        else:
            for c in row_el.iterchildren(_C):
                c_col = _ref_col(c.get("r", ""))
                if c_col is not None and c_col > col:
                    after = c
                    break
        if after is not None:
            after.addprevious(el)
        else:
            row_el.append(el)
        if "spans" in row_el.attrib:
            lo, _, hi = row_el.get("spans").partition(":")
            try:
                lo_i, hi_i = int(lo), int(hi)
                row_el.set("spans", f"{min(lo_i, col)}:{max(hi_i, col)}")
            except ValueError:
                pass
        part.elements[(row, col)] = el
        return el

    @property
    def dirty(self) -> bool:
        """Whether any cell was changed since the package was read."""
        return any(p.dirty for p in self.sheets.values())

    def save(self, out: str | os.PathLike[str]) -> list[str]:
        """Write the package to ``out`` atomically; return the members re-serialised.

        Nothing changed: a save over the file read writes nothing, a save elsewhere
        writes the original bytes. Every re-serialised part is read back first
        (:meth:`_verify`); one that would not read back as written is refused.
        """
        out = Path(out)
        patched = {
            p.member: etree.tostring(p.root, xml_declaration=True, encoding="UTF-8", standalone=True)
            for p in self.sheets.values()
            if p.dirty
        }
        if not patched:
            if self.path is not None and out.exists() and os.path.samefile(out, self.path):
                check_writable(out)
                return []
            atomic_write_bytes(out, self.opc.data)
            return []
        for p in self.sheets.values():
            if p.dirty:
                self._verify(p, patched[p.member])
        self.opc.write(out, patched)
        return sorted(patched)

    def _verify(self, part: SheetPart, data: bytes) -> None:
        """Read a re-serialised worksheet back (a fresh parse) and compare every cell with what was meant."""
        again = SheetPart(part.name, part.member)
        _scan_cells(self, again, data)
        bad = next(
            (
                k
                for k in sorted(part.values.keys() | again.values.keys())
                if not _same_stored(part.values.get(k), again.values.get(k), self)
            ),
            None,
        )
        if bad is None and again.formulas.keys() != part.formulas.keys():
            bad = min(again.formulas.keys() ^ part.formulas.keys())
        if bad is not None:
            cell = f"{part.name}!{col_letters(bad[1])}{bad[0]}"
            raise WorkbookError(
                f"{part.member}: xlhedge cannot rewrite this part faithfully ({cell} would read back as "
                f"{again.values.get(bad)!r}, not {part.values.get(bad)!r}); nothing was written",
                where=self.where,
            )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    return type(a) is type(b) and a == b


def _same_stored(a: Any, b: Any, pkg: XlsxPackage) -> bool:
    """Whether a value read back from a rewritten part is the one written (dates compare as serials)."""
    if isinstance(a, (_dt.date, _dt.time)):
        a = pkg.datetime_to_serial(a)
    if isinstance(b, (_dt.date, _dt.time)):
        b = pkg.datetime_to_serial(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        x = float(a)
        if x != x or x in (float("inf"), float("-inf")):
            return b == ExcelError("#NUM!")
        return abs(x - float(b)) <= 1e-9 * max(1.0, abs(x))  # a date-time keeps milliseconds
    if isinstance(a, (int, float)) and isinstance(b, ExcelError):
        return a != a or a in (float("inf"), float("-inf"))
    if isinstance(a, ExcelError) or isinstance(b, ExcelError):
        return isinstance(a, ExcelError) and isinstance(b, ExcelError) and a.code == b.code
    if a is None or b is None:
        return (a is None or a == "") and (b is None or b == "")
    return str(a) == str(b)


def _write_value(el: etree._Element, value: Any, pkg: XlsxPackage) -> None:
    """Set <v> and the t attribute of a cell for ``value``; keep <f> if any."""
    for child in list(el):
        if child.tag in (_V, _IS):
            el.remove(child)
    if value is None:
        el.attrib.pop("t", None)
        return
    if isinstance(value, bool):
        t, text = "b", "1" if value else "0"
    elif isinstance(value, (int, float)):
        x = float(value)
        if x != x or x in (float("inf"), float("-inf")):
            t, text = "e", "#NUM!"  # Excel has no NaN/inf
        elif x.is_integer() and abs(x) < 1e15:
            t, text = None, str(int(x))
        else:
            t, text = None, repr(x)  # shortest text that reads back to the same double
    elif isinstance(value, ExcelError):
        t, text = "e", value.code
    elif isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        serial = pkg.datetime_to_serial(value)
        t, text = None, str(int(serial)) if float(serial).is_integer() else repr(float(serial))
    else:
        t, text = "str", str(value)
    if t is None:
        el.attrib.pop("t", None)
    else:
        el.set("t", t)
    v = etree.SubElement(el, _V)
    v.text = text


def _workbook_part(opc: OpcPackage) -> str:
    """The package's workbook part, found through its relationships (``xl/workbook.xml`` failing that)."""
    if any(r.type.startswith(_STRICT_PREFIX) for r in opc.relationships("")):
        raise WorkbookError(_STRICT_REFUSED, where=opc.where)
    for target in opc.related("", OFFICE_DOCUMENT):
        content_type = opc.content_type(target)
        if content_type == _XLSB_TYPE:
            raise WorkbookError("is a binary .xlsb workbook; save it as .xlsx or .xlsm", where=opc.where)
        if target in opc and content_type in WORKBOOK_TYPES:
            return opc.part_name(target) or target
    if _DEFAULT_WORKBOOK in opc:
        return opc.part_name(_DEFAULT_WORKBOOK) or _DEFAULT_WORKBOOK
    raise WorkbookError(
        "is not an Excel workbook package (no xl/workbook.xml); save it as .xlsx or .xlsm", where=opc.where
    )


def open_package(source: str | os.PathLike[str] | bytes, *, where: str | None = None) -> XlsxPackage:
    """Open a workbook (a file, or its bytes) for reading/patching, with a one-line error for every bad file.

    ``where`` names it in errors (default: the path; ``"<bytes>"`` for bytes).
    """
    path = None
    if isinstance(source, bytes):
        data = source
        where = where or "<bytes>"
    else:
        p = path = Path(source)
        where = where or str(p)
        if not p.exists():
            raise WorkbookError("no such file", where=where)
        if p.is_dir():
            raise WorkbookError("is a folder, not a workbook", where=where)
        suffix = p.suffix.lower()
        if suffix == ".xls":
            raise WorkbookError(
                "is an Excel 97-2003 .xls file; xlhedge reads .xlsx and .xlsm — open it in Excel and Save As .xlsx",
                where=where,
            )
        lock = p.with_name("~$" + p.name)
        if lock.exists():
            raise WorkbookError(
                f"is open in Excel (lock file {lock.name} beside it); close it there first", where=where
            )
        try:
            if p.stat().st_size > MAX_FILE_BYTES:
                raise WorkbookError(
                    f"is {p.stat().st_size / 2**20:,.0f} MiB; xlhedge reads workbooks of at most "
                    f"{MAX_FILE_BYTES // 2**20} MiB",
                    where=where,
                )
            data = p.read_bytes()
        except PermissionError:
            raise WorkbookError("cannot be read (permission denied)", where=where) from None
        except OSError as exc:
            raise WorkbookError(f"cannot be read ({exc.strerror})", where=where) from None
        if suffix == ".xlsb" and data[:8] != _OLE_MAGIC:
            raise WorkbookError("is a binary .xlsb workbook; save it as .xlsx or .xlsm", where=where)
    if data[:8] == _OLE_MAGIC:
        raise WorkbookError(
            "is password-protected (encrypted) or an old binary workbook; remove the password / "
            "save it as .xlsx and try again",
            where=where,
        )
    return XlsxPackage(OpcPackage(data, where=where, kind=".xlsx/.xlsm file"), path)


# ---------------------------------------------------------------------- cell positions


def _last_child(el: etree._Element) -> etree._Element | None:
    """The last child element (lxml's ``len`` walks every child)."""
    try:
        return el[-1]
    except IndexError:
        return None


def _ref_col(ref: str) -> int | None:
    """The column of a cell's ``r`` attribute ("AB12" -> 28); None when it is no A1 cell reference."""
    try:
        return col_index(ref.rstrip("0123456789"))  # what Excel writes; twice as fast as the general parse
    except ValueError:
        pass
    try:
        return col_index(coordinate_from_string(ref)[0])  # "$A$1", ...
    except (CellCoordinatesException, ValueError):
        return None


def _index_cells(
    root: etree._Element, where: str, member: str
) -> tuple[dict[int, etree._Element], dict[tuple[int, int], etree._Element]]:
    """Row elements by row number and cell elements by (row, col), in document order.

    A row or cell without an ``r`` attribute follows the one before it.
    """
    rows: dict[int, etree._Element] = {}
    elements: dict[tuple[int, int], etree._Element] = {}
    sd = root.find(_SHEETDATA)
    next_row = 0
    for row in sd.iterchildren(_ROW) if sd is not None else ():
        r_attr = row.get("r")
        try:
            rnum = int(r_attr) if r_attr else next_row + 1
        except ValueError:
            raise WorkbookError(f"{member}: expected a row number, found r={r_attr!r}", where=where) from None
        next_row = rnum
        rows[rnum] = row
        next_col = 0
        for c in row.iterchildren(_C):
            ref = c.get("r")
            col = _ref_col(ref) if ref else next_col + 1
            if col is None:
                raise WorkbookError(f"{member}: expected an A1 cell reference, found r={ref!r}", where=where)
            next_col = col
            elements[(rnum, col)] = c
    return rows, elements


# ---------------------------------------------------------------------- the cell reader
# One reader of a worksheet's cells: a regular-expression scan of the XML text,
# fast enough for 16,000-column books. It reads the text Excel, openpyxl and
# LibreOffice write: SpreadsheetML as the default namespace, every <c> with r
# as its first attribute, <v> without attributes. Any other well-formed part
# (prefixed namespace, cells or rows without r, CDATA, comments) is first
# rewritten into that form by _scannable_cells (lxml), then scanned. The
# lxml tree walk reference_cells is the reference the tests compare it with.
# <c r="B5" s="3" t="s" ...>: column, row, s, t, other attributes, then either a lone <v> or the body.
_SCAN_ROW = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"(?: s="(\d+)")?(?: t="(\w+)")?([^>]*?)(?:/>|><v>([^<]+)</v></c>|>(.*?)</c>)', re.S
)
_SCAN_F = re.compile(rb"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
# Attributes after r (and a leading s/t): any order, spacing or quotes.
_SCAN_ATTR = re.compile(rb"""(?:^|\s)([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SCAN_V = re.compile(rb"<v>(.*?)</v>|<v/>", re.S)
_SCAN_T = re.compile(rb"<t\b[^>]*>(.*?)</t>|<t\b[^>]*/>", re.S)
# What the scan does not read as is: a cell whose r is not its first attribute (or
# missing, or not "A1" form), a <v> with attributes, CDATA, comments, a DOCTYPE.
_UNSCANNABLE = re.compile(rb'<(?:c(?! r="[A-Z]{1,3}\d+")[\s/>]|v\s|!)')
_SCAN_RPH = re.compile(rb"<rPh\b.*?</rPh>|<rPh\b[^>]*/>", re.S)
_MAIN_NS_DECL = f'xmlns="{SHEET_MAIN_NS}"'.encode()
_CANON_PARSER = etree.XMLParser(
    huge_tree=True, resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
)


def _text(b: bytes) -> str:
    s = b.decode("utf-8")
    return html.unescape(s) if "&" in s else s


def _attrs(b: bytes) -> dict[bytes, bytes]:
    return {name: dq or sq for name, dq, sq in _SCAN_ATTR.findall(b)}


def _scannable(data: bytes) -> bool:
    """Whether the scan reads the part's text as it is."""
    if _MAIN_NS_DECL not in data[:8192]:
        return False  # another default namespace (Strict Open XML) or a prefixed one: the parse looks
    if b"<sheetData" not in data:
        return b"sheetData" not in data  # no cells at all, or a prefixed namespace
    if not data.rstrip().endswith(b"</worksheet>") or (b"</sheetData>" not in data and b"<sheetData/>" not in data):
        return False  # cut short: the XML parse says where the part is damaged
    return b"\r" not in data and _UNSCANNABLE.search(data) is None  # the parse normalises line ends


def _rich_text(el: etree._Element) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>``, or its runs' ``<r><t>``; phonetic runs (``<rPh>``) skipped."""
    out = []
    for child in el.iterchildren(_T, _M + "r"):
        if child.tag == _T:
            out.append(child.text or "")
        else:
            out.extend(t.text or "" for t in child.iterchildren(_T))
    return "".join(out)


def _check_root(root: etree._Element, where: str, member: str) -> None:
    """Refuse a worksheet in the Strict Open XML namespace (read as no cells, it would be silently skipped)."""
    if isinstance(root.tag, str) and root.tag.startswith("{" + _STRICT_PREFIX):
        raise WorkbookError(f"{member}: the part {_STRICT_REFUSED.removeprefix('is ')}", where=where)


def _scannable_cells(data: bytes, where: str, member: str) -> bytes:
    """The part's cells rewritten in the form the scan reads (one <c r="A1"> each, unprefixed)."""
    root = parse_xml(data, where=where, part=member, parser=_CANON_PARSER)
    _check_root(root, where, member)
    out = etree.Element("sheetData")
    for (r, col), c in _index_cells(root, where, member)[1].items():
        cell = etree.SubElement(out, "c", r=f"{col_letters(col)}{r}")
        for k, v in c.attrib.items():
            if k != "r" and not k.startswith("{"):
                cell.set(k, v)
        for child in c:
            if child.tag == _V:
                etree.SubElement(cell, "v").text = child.text
            elif child.tag == _F:
                f = etree.SubElement(cell, "f", {k: v for k, v in child.attrib.items() if not k.startswith("{")})
                f.text = child.text
            elif child.tag == _IS:
                is_ = etree.SubElement(cell, "is")
                etree.SubElement(is_, "t").text = _rich_text(child)
    return etree.tostring(out, encoding="UTF-8")


def _scan_cells(pkg: XlsxPackage, part: SheetPart, data: bytes) -> None:
    """Fill the part's values/formulas from its XML text; a value unfit for its cell names the cell."""
    if not _scannable(data):
        data = _scannable_cells(data, pkg.where, part.member)
    try:
        _scan(pkg, part, data)
    except _BadCell as exc:
        key = getattr(exc, "key", (0, 0))
        raise WorkbookError(
            f"{part.name}!{col_letters(key[1])}{key[0]}: {exc} (part {part.member})", where=pkg.where
        ) from None


def _scan(pkg: XlsxPackage, part: SheetPart, data: bytes) -> tuple[int, int]:
    values = part.values
    value = pkg._value
    strings = pkg.shared_strings
    n_strings = len(strings)
    dates = pkg.date_styles
    col_of: dict[bytes, int] = {}
    is_date: dict[bytes, bool] = {b"": False}
    key = (0, 0)
    try:
        for col_s, row_s, s_b, t_b, extra, raw, body in _SCAN_ROW.findall(data):
            if not (raw or body):
                continue  # an empty (styled) cell
            col = col_of.get(col_s)
            if col is None:
                col = col_of[col_s] = col_index(col_s.decode())
            key = (int(row_s), col)
            if raw and not extra:
                # The common cell: a stored value and nothing else.
                if not t_b or t_b == b"n":
                    d = is_date.get(s_b)
                    if d is None:
                        d = is_date[s_b] = int(s_b) in dates
                    if d:
                        values[key] = value(None, raw.decode(), s_b.decode(), False)
                    else:
                        try:
                            x = float(raw)
                        except ValueError:
                            x = value(None, raw.decode(), None, False)  # blank, or the message
                        if x is None:
                            continue
                        values[key] = x
                elif t_b == b"s":
                    if raw.isdigit() and int(raw) < n_strings:
                        values[key] = strings[int(raw)]
                    else:
                        x = value("s", raw.decode(), None, False)
                        if x is not None:
                            values[key] = x
                else:
                    values[key] = value(t_b.decode(), _text(raw), s_b.decode() or None, False)
                continue
            t = t_b.decode() if t_b else None
            s_attr = s_b.decode() if s_b else None
            attrs = _attrs(extra) if extra else {}
            if b"t" in attrs:
                t = attrs[b"t"].decode()
            if b"s" in attrs:
                s_attr = attrs[b"s"].decode()
            if raw:
                # A lone <v> with more attributes (vm="1" of a data-type cell, s after t, ...).
                values[key] = value(t, _text(raw), s_attr, False)
                continue
            fm = _SCAN_F.search(body)
            if fm is not None:
                fa = _attrs(fm.group(1))
                part.formulas[key] = Formula(
                    _text(fm.group(2)) if fm.group(2) is not None else None,
                    fa[b"t"].decode() if b"t" in fa else None,
                    fa[b"ref"].decode() if b"ref" in fa else None,
                    fa[b"si"].decode() if b"si" in fa else None,
                    b"cm" in attrs,
                )
            if t == "inlineStr" and b"<is" in body:
                if b"<rPh" in body:
                    body = _SCAN_RPH.sub(b"", body)
                v = "".join(_text(g.group(1)) for g in _SCAN_T.finditer(body) if g.group(1) is not None)
            else:
                vm = _SCAN_V.search(body, fm.end() if fm is not None else 0)
                v = (_text(vm.group(1)) if vm.group(1) is not None else "") if vm is not None else None
            if v == "" and t not in ("str", "inlineStr"):
                v = None
            if v is not None:
                values[key] = value(t, v, s_attr, fm is not None)
    except _BadCell as bad:
        if not hasattr(bad, "key"):
            bad.key = key  # type: ignore[attr-defined]
        raise
    except (ValueError, IndexError, OverflowError, UnicodeDecodeError):
        # Re-read the cell through _value, which says what was expected and what was found.
        raw_cell = _cell_text(data, key)
        try:
            value(*raw_cell)
        except _BadCell as bad:
            bad.key = key  # type: ignore[attr-defined]
            raise bad from None
        except (ValueError, IndexError, OverflowError) as exc:
            bad = _BadCell(f"cannot read the stored value ({exc})")
        else:
            bad = _BadCell("cannot read the stored value")
        bad.key = key  # type: ignore[attr-defined]
        raise bad from None
    return key


def _cell_text(data: bytes, key: tuple[int, int]) -> tuple[str | None, str | None, str | None, bool]:
    """(t, value text, s, has formula) of one cell of scannable text, for an error message."""
    ref = f"{col_letters(key[1])}{key[0]}".encode()
    for col_s, row_s, s_b, t_b, extra, raw, body in _SCAN_ROW.findall(data):
        if col_s + row_s != ref:
            continue
        attrs = _attrs(extra) if extra else {}
        t = (attrs.get(b"t") or t_b or b"").decode() or None
        s_attr = (attrs.get(b"s") or s_b or b"").decode() or None
        if raw:
            return t, _text(raw), s_attr, False
        vm = _SCAN_V.search(body)
        v = (vm.group(1) or b"") if vm is not None else b""
        return t, _text(v), s_attr, b"<f" in body
    return None, None, None, False


# ---------------------------------------------------------------------- the reference reader


def reference_cells(pkg: XlsxPackage, sheet: str) -> tuple[dict[tuple[int, int], Any], dict[tuple[int, int], Formula]]:
    """A worksheet's (values, formulas) read from its lxml tree: the reference for the scan.

    Not used to read workbooks (:meth:`XlsxPackage.sheet` scans the text);
    the tests compare the two on every kind of part. It walks the
    namespace-aware tree, so it reads any well-formed part.
    """
    part = pkg.sheet(sheet)
    values: dict[tuple[int, int], Any] = {}
    formulas: dict[tuple[int, int], Formula] = {}
    for key, c in _index_cells(pkg._xml(part.member), pkg.where, part.member)[1].items():
        t = c.get("t")
        v = None
        f = None
        inline = None
        for child in c:
            tag = child.tag
            if tag == _V and v is None:
                v = child.text if child.text is not None else ""
            elif tag == _F:
                f = child
            elif tag == _IS:
                inline = _rich_text(child)
        if t == "inlineStr" and inline is not None:
            v = inline
        if v == "" and t not in ("str", "inlineStr"):
            v = None
        if f is not None:
            formulas[key] = Formula(f.text, f.get("t"), f.get("ref"), f.get("si"), c.get("cm") is not None)
        if v is not None:
            values[key] = pkg._value(t, v, c.get("s"), f is not None)
    return values, formulas
