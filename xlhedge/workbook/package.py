"""Read and patch an .xlsx/.xlsm package without round-tripping it through openpyxl.

Reading parses only what the evaluator needs: the sheet list, defined names,
shared strings, date styles and each worksheet's cells. Writing changes only
the ``<c>`` elements of cells whose cached values xlhedge computed, re-serialises
just those worksheet parts and copies every other zip member unchanged (charts,
images, comments, VBA, external links, styles...). The zip itself is
:mod:`xlhedge.workbook.opc`'s: the new file is written to a temporary file
beside the original and moved over it in one rename.
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
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.xml.constants import REL_NS, SHEET_MAIN_NS, WORKBOOK_MACRO, XLSM, XLSX, XLTM, XLTX

from xlhedge.calc.refs import CellRange, col_index, col_letters
from xlhedge.engine.coerce import ExcelError, datetime_to_serial, serial_to_datetime
from xlhedge.engine.errors import WorkbookError
from xlhedge.workbook.opc import OFFICE_DOCUMENT, OpcPackage

__all__ = ["XlsxPackage", "SheetPart", "open_package"]

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


class XlsxPackage:
    """An opened workbook package. Use :func:`open_package`.

    ``opc`` is the zip (:class:`~xlhedge.workbook.opc.OpcPackage`); the
    workbook part is the package's main part (its ``officeDocument``
    relationship) when that is a SpreadsheetML workbook, else
    ``xl/workbook.xml`` — never guessed from the file name.
    """

    def __init__(self, opc: OpcPackage) -> None:
        self.opc = opc
        self.where = opc.where
        self.workbook_part = _workbook_part(opc)
        self.sheets: dict[str, SheetPart] = {}
        self.sheet_order: list[str] = []
        self.defined_names: dict[str, str] = {}
        self.local_names: dict[tuple[str, str], str] = {}
        self.date1904 = False
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
                return target
        return default if default in self.opc else None

    def _read_workbook(self) -> None:
        wb = self._xml(self.workbook_part)
        rels = self.opc.rel_targets(self.workbook_part)
        pr = wb.find(_M + "workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        for sh in wb.iterfind(f"{_M}sheets/{_M}sheet"):
            name = sh.get("name")
            target = rels.get(sh.get(f"{{{REL_NS}}}id"))
            if not target or target.endswith(("chartsheet.xml",)) or "/chartsheets/" in target:
                continue
            if target not in self.opc:
                continue
            self.sheets[name] = SheetPart(name, target)
            self.sheet_order.append(name)
        all_sheets = [sh.get("name") for sh in wb.iterfind(f"{_M}sheets/{_M}sheet")]
        for dn in wb.iterfind(f"{_M}definedNames/{_M}definedName"):
            name = dn.get("name")
            text = (dn.text or "").strip()
            if dn.get("localSheetId") is not None:
                idx = int(dn.get("localSheetId"))
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
            t = si.find(_T)
            if t is not None and len(si) == 1:
                out.append(t.text or "")
            else:  # rich text runs; phonetic runs (rPh) are not part of the value
                out.append(
                    "".join(x.text or "" for x in si.iterfind(f"{_M}r/{_T}")) or (t.text or "" if t is not None else "")
                )
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
        for nf in root.iterfind(f"{_M}numFmts/{_M}numFmt"):
            custom[int(nf.get("numFmtId"))] = nf.get("formatCode", "")
        dates = set()
        for i, xf in enumerate(root.iterfind(f"{_M}cellXfs/{_M}xf")):
            fid = int(xf.get("numFmtId", "0"))
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
            if v == "":
                return None
            num = float(v)
            if style is not None and not has_formula and int(style) in self.date_styles:
                return serial_to_datetime(num + (1462 if self.date1904 else 0))
            return num
        if t == "s":
            return self.shared_strings[int(v)]
        if t in ("str", "inlineStr"):
            return v
        if t == "b":
            return v.strip() in ("1", "true")
        if t == "e":
            return ExcelError(v.strip())
        if t == "d":
            return _dt.datetime.fromisoformat(v)
        return v

    def iter_formulas(self, sheet: str) -> Iterator[tuple[int, int, Formula]]:
        part = self.sheet(sheet)
        for (r, c), f in part.formulas.items():
            yield r, c, f

    def read_range(self, rng: CellRange) -> list[list[Any]]:
        part = self.sheet(rng.sheet)
        get = part.values.get
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
        _write_value(el, value)
        if value is None:
            part.values.pop((row, col), None)
        else:
            part.values[(row, col)] = value
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
            later = [r for r in part.rows if r > row]
            if later:
                part.rows[min(later)].addprevious(row_el)
            else:
                sd.append(row_el)
            part.rows[row] = row_el
        el = etree.Element(_C, r=f"{col_letters(col)}{row}")
        # keep cells in column order
        after = None
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

    def save(self, out: str | os.PathLike[str]) -> list[str]:
        """Write the package to ``out`` atomically; return the members re-serialised."""
        patched = {
            p.member: etree.tostring(p.root, xml_declaration=True, encoding="UTF-8", standalone=True)
            for p in self.sheets.values()
            if p.dirty
        }
        self.opc.write(Path(out), patched)
        return sorted(patched)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    return type(a) is type(b) and a == b


def _write_value(el: etree._Element, value: Any) -> None:
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
    elif isinstance(value, (_dt.datetime, _dt.date)):
        t, text = None, repr(datetime_to_serial(value))
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
    for target in opc.related("", OFFICE_DOCUMENT):
        content_type = opc.content_type(target)
        if content_type == _XLSB_TYPE:
            raise WorkbookError("is a binary .xlsb workbook; save it as .xlsx or .xlsm", where=opc.where)
        if target in opc and content_type in WORKBOOK_TYPES:
            return target
    if _DEFAULT_WORKBOOK in opc:
        return _DEFAULT_WORKBOOK
    raise WorkbookError(
        "is not an Excel workbook package (no xl/workbook.xml); save it as .xlsx or .xlsm", where=opc.where
    )


def open_package(source: str | os.PathLike[str] | bytes, *, where: str | None = None) -> XlsxPackage:
    """Open a workbook (a file, or its bytes) for reading/patching, with a one-line error for every bad file.

    ``where`` names it in errors (default: the path; ``"<bytes>"`` for bytes).
    """
    if isinstance(source, bytes):
        data = source
        where = where or "<bytes>"
    else:
        p = Path(source)
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
    return XlsxPackage(OpcPackage(data, where=where, kind=".xlsx/.xlsm file"))


# ---------------------------------------------------------------------- cell positions


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
            raise WorkbookError(f"the part {member} has a row numbered {r_attr!r}", where=where) from None
        next_row = rnum
        rows[rnum] = row
        next_col = 0
        for c in row.iterchildren(_C):
            ref = c.get("r")
            col = _ref_col(ref) if ref else next_col + 1
            if col is None:
                raise WorkbookError(f"the part {member} has a cell at {ref!r}, not an A1 reference", where=where)
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
    if b"<sheetData" not in data:
        return b"sheetData" not in data  # no cells at all, or a prefixed namespace
    if not data.rstrip().endswith(b"</worksheet>") or (b"</sheetData>" not in data and b"<sheetData/>" not in data):
        return False  # cut short: the XML parse says where the part is damaged
    return _UNSCANNABLE.search(data) is None


def _scannable_cells(data: bytes, where: str, member: str) -> bytes:
    """The part's cells rewritten in the form the scan reads (one <c r="A1"> each, unprefixed)."""
    try:
        root = etree.fromstring(data, parser=_CANON_PARSER)
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(f"the part {member} is damaged ({exc})", where=where) from None
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
                for t in child.iter(_T):
                    etree.SubElement(is_, "t").text = t.text
    return etree.tostring(out, encoding="UTF-8")


def _scan_cells(pkg: XlsxPackage, part: SheetPart, data: bytes) -> None:
    """Fill the part's values/formulas from its XML text."""
    if not _scannable(data):
        data = _scannable_cells(data, pkg.where, part.member)
    values = part.values
    value = pkg._value
    strings = pkg.shared_strings
    dates = pkg.date_styles
    col_of: dict[bytes, int] = {}
    is_date: dict[bytes, bool] = {b"": False}
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
                values[key] = value(None, raw.decode(), s_b.decode(), False) if d else float(raw)
            elif t_b == b"s":
                values[key] = strings[int(raw)]
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
        if t == "inlineStr":
            v = "".join(_text(g.group(1)) for g in _SCAN_T.finditer(body) if g.group(1) is not None)
        else:
            vm = _SCAN_V.search(body, fm.end() if fm is not None else 0)
            v = (_text(vm.group(1)) if vm.group(1) is not None else "") if vm is not None else None
        if v == "" and t not in ("str", "inlineStr", "s"):
            v = None
        if v is not None:
            values[key] = value(t, v, s_attr, fm is not None)


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
        for child in c:
            tag = child.tag
            if tag == _V:
                v = child.text if child.text is not None else ""
            elif tag == _F:
                f = child
            elif tag == _IS:
                v = "".join(x.text or "" for x in child.iter(_T))
        if v == "" and t not in ("str", "inlineStr", "s"):
            v = None
        if f is not None:
            formulas[key] = Formula(f.text, f.get("t"), f.get("ref"), f.get("si"), c.get("cm") is not None)
        if v is not None:
            values[key] = pkg._value(t, v, c.get("s"), f is not None)
    return values, formulas
