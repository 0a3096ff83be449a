"""Hostile, broken and odd workbook files: never a damaged file, never a silent number, always the place.

Every case asserts the exit code, one line on stderr naming the file and the part or cell,
no traceback, and (where the file is refused) the input bytes unchanged. The cases are
built at run time from a small book; a few run in a subprocess to measure memory or to
be killed with SIGKILL. The hypothesis tests mutate a real book's bytes and parts.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xlhedge import WorkbookError
from xlhedge.cli import app
from xlhedge.workbook import opc
from xlhedge.workbook.package import open_package, reference_cells

ROOT = Path(__file__).resolve().parents[1]
SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
runner = CliRunner()


# ---------------------------------------------------------------------- helpers


def small_book(path: Path, *, extra: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """Data!A1:C1 = qty, entry, exit; D1 an xlhedge formula; E1 a native one reading it; text, a date, a name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"], ws["B1"], ws["C1"] = 2, 100, 110
    ws["D1"] = "=LINEAR_PNL(A1,B1,C1)"
    ws["E1"] = "=SUM(A1:C1)+0*D1"  # a native formula that reads the xlhedge result
    ws["A2"] = "hello"
    ws["B2"] = "world"
    ws["A3"] = dt.datetime(2025, 6, 30)
    ws["A3"].number_format = "yyyy-mm-dd"
    wb.defined_names["Qty"] = openpyxl.workbook.defined_name.DefinedName("Qty", attr_text="Data!$A$1")
    if extra is not None:
        extra(wb)
    wb.save(path)
    return _shared_strings(path)


def _shared_strings(path: Path) -> Path:
    """Move the inline strings openpyxl wrote into a shared-strings part, as Excel stores text."""
    parts = members(path)
    table: list[str] = []

    def share(m: re.Match) -> str:
        table.append(m.group(3))
        return f'<c r="{m.group(1)}"{m.group(2)} t="s"><v>{len(table) - 1}</v></c>'

    pattern = re.compile(r'<c r="([A-Z]+\d+)" t="inlineStr"((?: s="\d+")?)><is><t>([^<]*)</t></is></c>')
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = pattern.sub(share, parts[name].decode()).encode()
    if not table:
        return path
    sst = "".join(f"<si><t>{t}</t></si>" for t in table)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN_NS}" count="{len(table)}" '
        f'uniqueCount="{len(table)}">{sst}</sst>'
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return rezip(path, parts)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(path: Path, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def patched(path: Path, member: str, fn: Callable[[str], str], out: Path | None = None) -> Path:
    parts = members(path)
    parts[member] = fn(parts[member].decode()).encode()
    return rezip(out or path, parts)


def cli(*args: str | Path):
    r = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def assert_one_line(stderr: str, *needles: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines, "no message on stderr"
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    first = lines[0]
    for n in needles:
        assert n in first, (n, first)
    return first


def assert_refused(path: Path, *needles: str, args: tuple[str, ...] = ()) -> str:
    before = path.read_bytes()
    code, out, err = cli("recompute", path, *args)
    assert code == 2, (code, out, err)
    line = assert_one_line(err, path.name, *needles)
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".~xlhedge-*"))
    return line


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return small_book(tmp_path / "book.xlsx")


def test_the_small_book_recomputes(book: Path):
    code, out, err = cli("recompute", book)
    assert code == 0, err
    ws = openpyxl.load_workbook(book, data_only=True)["Data"]
    assert ws["D1"].value == pytest.approx(2 * (110 - 100)) and ws["E1"].value == 212


# ---------------------------------------------------------------------- 1. never a damaged part


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE worksheet [<!ENTITY co "Acme">]>',  # internal entity, used in a cell
        '<!DOCTYPE worksheet [<!ENTITY co SYSTEM "file:///etc/passwd">]>',  # external entity
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY co "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',  # laughs
    ],
)
def test_a_doctype_in_a_sheet_is_refused_naming_the_part(book: Path, doctype: str):
    def add(x: str) -> str:
        x = x.replace("<worksheet", doctype + "<worksheet", 1)
        return x.replace("<v>hello</v>", "<v>&co;</v>").replace('<c r="B2" t="s">', '<c r="B2" t="str">', 1)

    patched(book, SHEET, add)
    assert_refused(book, SHEET, "DOCTYPE")


def test_a_doctype_in_shared_strings_is_refused(book: Path):
    patched(book, "xl/sharedStrings.xml", lambda x: x.replace("<sst", '<!DOCTYPE sst [<!ENTITY e "x">]><sst', 1))
    assert_refused(book, "xl/sharedStrings.xml", "DOCTYPE")


def test_a_part_that_would_not_read_back_is_never_renamed_into_place(book: Path, monkeypatch):
    """The mechanism, not one example: break the cell writer and the save refuses before any rename."""
    from xlhedge.workbook import package

    real = package._write_value

    def broken(el, value, pkg):
        real(el, value, pkg)
        for v in el:
            if v.tag.endswith("}v"):
                v.text = "0"  # the value lost on the way to the file

    monkeypatch.setattr(package, "_write_value", broken)
    before = book.read_bytes()
    code, _, err = cli("recompute", book)
    assert code == 2
    assert_one_line(err, "book.xlsx", SHEET, "cannot rewrite this part faithfully", "Data!D1")
    assert book.read_bytes() == before and not list(book.parent.glob(".~xlhedge-*"))


# ---------------------------------------------------------------------- 2. read-only, missing folders


def test_a_read_only_book_is_refused_like_excel(book: Path, tmp_path: Path):
    book.chmod(0o444)
    try:
        line = assert_refused(book, "is read-only; use -o OTHER.xlsx")
        assert line.endswith("book.xlsx is read-only; use -o OTHER.xlsx")
        assert stat.S_IMODE(book.stat().st_mode) == 0o444
        code, _, err = cli("recompute", book, "-o", tmp_path / "other.xlsx")
        assert code == 0, err
        assert openpyxl.load_workbook(tmp_path / "other.xlsx", data_only=True)["Data"]["D1"].value == 20
    finally:
        book.chmod(0o644)


@pytest.mark.parametrize(
    "args",
    [
        ("recompute", "{book}", "-o", "{tmp}/nodir/out.xlsx"),
        ("new", "{tmp}/nodir/b.xlsx"),
        ("demo", "{tmp}/nodir/d.xlsx"),
    ],
)
def test_an_output_in_a_folder_that_does_not_exist(book: Path, tmp_path: Path, args: tuple[str, ...]):
    before = book.read_bytes()
    code, _, err = cli(*(a.format(book=book, tmp=tmp_path) for a in args))
    assert code == 2
    assert_one_line(err, "nodir", "the folder", "does not exist")
    assert book.read_bytes() == before and not (tmp_path / "nodir").exists()


# ---------------------------------------------------------------------- 4. input faults name the place


def _cell(book: Path, old: str, new: str) -> None:
    patched(book, SHEET, lambda x: x.replace(old, new, 1) if old in x else pytest.fail(f"{old} not in sheet"))


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ('<c r="B1" t="n"><v>100</v>', '<c r="B1" t="n"><v>abc</v>', ("Data!B1", "expected a number", "'abc'")),
        ('<c r="A2" t="s"><v>0</v>', '<c r="A2" t="s"><v>57</v>', ("Data!A2", "shared-string index below 2", "57")),
        ('<c r="A2" t="s"><v>0</v>', '<c r="A2" t="s"><v>-1</v>', ("Data!A2", "shared-string index", "-1")),
        ('<c r="A2" t="s"><v>0</v>', '<c r="A2" t="s"><v>x</v>', ("Data!A2", "shared-string index", "'x'")),
        ('<c r="B1" t="n"><v>100</v>', '<c r="B1" t="b"><v>7</v>', ("Data!B1", "expected a boolean", "'7'")),
        ('<c r="B1" t="n"><v>100</v>', '<c r="B1" t="d"><v>yesterday</v>', ("Data!B1", "ISO 8601", "yesterday")),
        ('<c r="B1" t="n"><v>100</v>', '<c r="B1" t="zz"><v>1</v>', ("Data!B1", "cell type", "zz")),
        ('<c r="B1" t="n"><v>100</v>', '<c r="B1" s="x" t="n"><v>100</v>', ("Data!B1", "style number", "'x'")),
    ],
)
def test_a_stored_value_unfit_for_its_cell_names_the_cell(book: Path, old: str, new: str, needles: tuple[str, ...]):
    _cell(book, old, new)
    assert_refused(book, *needles)


def _workbook_xml(book: Path, fn: Callable[[str], str]) -> None:
    patched(book, "xl/workbook.xml", fn)


@pytest.mark.parametrize(
    ("fn", "needles"),
    [
        (lambda x: x.replace('name="Qty"', 'name="Qty" localSheetId="x"'), ("xl/workbook.xml", "localSheetId", "'x'")),
        (lambda x: x.replace('name="Qty"', ""), ("xl/workbook.xml", "defined name has no name")),
        (lambda x: x.replace(' name="Data"', ""), ("xl/workbook.xml", "<sheet> has no name")),
    ],
)
def test_a_bad_workbook_part_names_it(book: Path, fn: Callable[[str], str], needles: tuple[str, ...]):
    _workbook_xml(book, fn)
    assert_refused(book, *needles)


def test_a_non_integer_number_format_id_names_the_styles_part(book: Path):
    patched(book, "xl/styles.xml", lambda x: re.sub(r'numFmtId="(\d+)"', 'numFmtId="x"', x, count=1))
    assert_refused(book, "xl/styles.xml", "numFmtId", "'x'")


def _flip_in_member(book: Path, member: str, *, stored: bool) -> None:
    parts = members(book)
    data = bytearray(rezip(book, parts, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED).read_bytes())
    with zipfile.ZipFile(book) as z:
        info = z.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 5, start + min(info.compress_size, 60), 7):
        data[k] ^= 0x5A
    book.write_bytes(bytes(data))


@pytest.mark.parametrize("stored", [False, True], ids=["bad-deflate", "bad-crc"])
def test_a_damaged_member_names_the_part(book: Path, stored: bool):
    _flip_in_member(book, SHEET, stored=stored)
    assert_refused(book, SHEET, "cannot be read")


def test_duplicate_zip_members_are_refused(book: Path):
    with zipfile.ZipFile(book, "a") as z:
        z.writestr(SHEET.upper().replace("XL/", "xl/"), b"<worksheet/>")
    assert_refused(book, "two members")


# ---------------------------------------------------------------------- 6. bounded memory and time

_MEASURE = r"""
import resource, sys, time
from typer.testing import CliRunner
from xlhedge.cli import app
r = CliRunner()
for path in sys.argv[1:]:
    t = time.monotonic()
    res = r.invoke(app, ["recompute", path, "-o", path + ".out.xlsx"], catch_exceptions=False)
    print(res.exit_code, round(time.monotonic() - t, 2), res.stderr.strip().replace("\n", " | "), flush=True)
try:  # this process's own peak (ru_maxrss would carry the forking parent's over exec)
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("maxrss_kib", peak)
"""


def test_zip_bombs_and_whole_sheet_ranges_stay_under_1_gib(tmp_path: Path):
    # a: a sheet part inflating far past the ratio limit (whitespace); b: a declared size past the
    # part limit; c: =LINEAR_PNL(SUM(Data!A1:XFD1048576), ...) and a huge <dimension>.
    a = small_book(tmp_path / "bomb.xlsx")
    parts = members(a)
    parts[SHEET] = parts[SHEET].replace(b"<sheetData>", b"<sheetData>" + b" " * (24 * 2**20), 1)
    rezip(a, parts)
    b = small_book(tmp_path / "declared.xlsx")
    data = bytearray(b.read_bytes())
    with zipfile.ZipFile(b) as z:
        info = z.getinfo(SHEET)
    data[info.header_offset + 22 : info.header_offset + 26] = (2**31).to_bytes(4, "little")
    i = 0
    while (i := data.find(b"PK\x01\x02", i + 1)) != -1:
        name_len = int.from_bytes(data[i + 28 : i + 30], "little")
        if data[i + 46 : i + 46 + name_len] == SHEET.encode():
            data[i + 24 : i + 28] = (2**31).to_bytes(4, "little")
    b.write_bytes(bytes(data))

    def whole_sheet(wb: openpyxl.Workbook) -> None:
        wb["Data"]["F1"] = "=LINEAR_PNL(SUM(Data!A1:XFD1048576),100,110)"

    c = small_book(tmp_path / "huge_range.xlsx", extra=whole_sheet)
    patched(c, SHEET, lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', x))
    t = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(a), str(b), str(c)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.monotonic() - t
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    rss_mib = int(lines[-1].split()[1]) / 1024
    (ca, _, ea), (cb, _, eb), (cc, _, ec) = (ln.split(" ", 2) for ln in lines[:3])
    assert ca == "2" and "bomb.xlsx" in ea and SHEET in ea and "zip bomb" in ea, ea
    assert cb == "2" and "declared.xlsx" in eb and SHEET in eb and "MiB" in eb, eb
    assert cc == "0", ec
    out = openpyxl.load_workbook(str(c) + ".out.xlsx", data_only=True)["Data"]
    assert out["F1"].value == pytest.approx((2 + 100 + 110 + 20 + 212) * 10)
    assert rss_mib < 1024, rss_mib
    assert elapsed < 60
    assert "Traceback" not in proc.stderr


def test_a_huge_array_formula_is_refused_naming_the_cell(book: Path):
    _cell(book, "<f>LINEAR_PNL(A1,B1,C1)</f>", '<f t="array" ref="D1:XFD1048576">LINEAR_PNL(A1,B1,C1)</f>')
    assert_refused(book, "Data!D1", "array formula", "D1:XFD1048576")


# ---------------------------------------------------------------------- files already handled


def test_not_a_zip_truncated_xls_ods_encrypted_and_locked(tmp_path: Path, book: Path):
    cases = {
        "junk.xlsx": b"this is not a zip file",
        "cut.xlsx": book.read_bytes()[: len(book.read_bytes()) // 2],
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "secret.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,  # an encrypted package is a CFB file
    }
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    cases["calc.ods"] = ods.getvalue()
    expect = {
        "junk.xlsx": "not a valid",
        "cut.xlsx": "not a valid",
        "old.xls": ".xls file",
        "secret.xlsx": "password-protected",
        "calc.ods": "not an Excel workbook",
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        assert_refused(p, expect[name])
    (tmp_path / "~$book.xlsx").write_bytes(b"lock")
    assert_refused(book, "open in Excel", "~$book.xlsx")


def test_ten_thousand_defined_names_and_non_ascii_names(tmp_path: Path):
    from openpyxl.workbook.defined_name import DefinedName

    def extra(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet("Позиции €")
        ws["A1"], ws["B1"], ws["C1"] = 3, 10, 12
        ws["D1"] = "=LINEAR_PNL(Bêta,B1,C1)"
        wb.defined_names["Bêta"] = DefinedName("Bêta", attr_text="'Позиции €'!$A$1")
        for i in range(10_000):
            wb.defined_names[f"N{i}"] = DefinedName(f"N{i}", attr_text=f"Data!$A${i % 100 + 1}")

    p = small_book(tmp_path / "namés.xlsx", extra=extra)
    t = time.monotonic()
    code, _, err = cli("recompute", p)
    assert code == 0, err
    assert time.monotonic() - t < 10
    assert openpyxl.load_workbook(p, data_only=True)["Позиции €"]["D1"].value == 6


def test_an_xlsm_keeps_its_vba_project_byte_for_byte(tmp_path: Path, book: Path):
    parts = members(book)
    vba = bytes(range(256)) * 40
    parts["xl/vbaProject.bin"] = vba
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
        .replace(
            b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1
        )
    )
    p = rezip(tmp_path / "macro.xlsm", parts)
    before = members(p)
    code, _, err = cli("recompute", p)
    assert code == 0, err
    after = members(p)
    assert after["xl/vbaProject.bin"] == vba
    assert {k for k in before if before[k] != after[k]} == {SHEET}


# ---------------------------------------------------------------------- (b) names, relationships


def test_part_names_are_case_insensitive_and_targets_percent_decoded(tmp_path: Path, book: Path):
    parts = members(book)
    renamed = {}
    for name, data in parts.items():
        name = {"xl/sharedStrings.xml": "xl/SharedStrings.xml", SHEET: "xl/worksheets/sheet 1.xml"}.get(name, name)
        renamed[name] = data
    rels = renamed["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace('Target="/xl/worksheets/sheet1.xml"', 'Target="worksheets/sheet%201.xml"')
    rels = rels.replace("sharedStrings.xml", "sharedstrings.XML")
    renamed["xl/_rels/workbook.xml.rels"] = rels.encode()
    renamed["[Content_Types].xml"] = renamed["[Content_Types].xml"].replace(b"sheet1.xml", b"sheet%201.xml")
    p = rezip(tmp_path / "odd.xlsx", renamed)
    code, _, err = cli("recompute", p)
    assert code == 0, err
    with zipfile.ZipFile(p) as z:
        assert "xl/worksheets/sheet 1.xml" in z.namelist() and "xl/SharedStrings.xml" in z.namelist()
    pkg = open_package(p)
    assert pkg.sheet("Data").values[(2, 1)] == "hello"
    assert pkg.sheet("Data").values[(1, 4)] == 20


def test_the_workbook_part_is_found_through_the_package_relationships(tmp_path: Path, book: Path):
    parts = members(book)
    moved = {("book/main.xml" if k == "xl/workbook.xml" else k): v for k, v in parts.items()}
    rels = moved.pop("xl/_rels/workbook.xml.rels")
    for target in (b"styles", b"theme", b"sharedStrings"):
        rels = rels.replace(b'Target="' + target, b'Target="../xl/' + target)
    moved["book/_rels/main.xml.rels"] = rels
    moved["_rels/.rels"] = moved["_rels/.rels"].replace(b"xl/workbook.xml", b"book/main.xml")
    moved["[Content_Types].xml"] = moved["[Content_Types].xml"].replace(b"/xl/workbook.xml", b"/book/main.xml")
    p = rezip(tmp_path / "moved.xlsx", moved)
    code, _, err = cli("recompute", p)
    assert code == 0, err
    pkg = open_package(p)
    assert pkg.workbook_part == "book/main.xml" and pkg.sheet("Data").values[(1, 4)] == 20
    assert pkg.shared_strings == ["hello", "world"] and pkg.date_styles
    # A sheet whose relationship points nowhere is refused, not skipped ("0 formulas recomputed").
    moved["book/_rels/main.xml.rels"] = rels.replace(b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/gone.xml")
    assert_refused(rezip(tmp_path / "gone.xlsx", moved), "book/main.xml", "'Data'", "gone.xml")


# ---------------------------------------------------------------------- (c) Strict Open XML


def test_strict_open_xml_is_refused_not_reported_as_done(tmp_path: Path, book: Path):
    strict = {
        MAIN_NS: "http://purl.oclc.org/ooxml/spreadsheetml/main",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            "http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }
    parts = members(book)
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            text = data.decode()
            for a, b in strict.items():
                text = text.replace(a, b)
            parts[name] = text.encode()
    p = rezip(tmp_path / "strict.xlsx", parts)
    assert_refused(p, "Strict Open XML")
    # Only a worksheet in the strict namespace: refused too, naming the part.
    parts = members(book)
    parts[SHEET] = parts[SHEET].replace(MAIN_NS.encode(), strict[MAIN_NS].encode())
    p = rezip(tmp_path / "strict_sheet.xlsx", parts)
    assert_refused(p, SHEET, "Strict Open XML")


# ---------------------------------------------------------------------- (d), (e) what is written


def test_a_native_formula_spelling_a_function_name_is_not_an_xlhedge_formula(tmp_path: Path):
    def extra(wb: openpyxl.Workbook) -> None:
        wb["Data"]["F1"] = "=FLOOR(beta,1,2)"
        wb["Data"]["G1"] = '="BETA("&A1'

    p = small_book(tmp_path / "floor.xlsx", extra=extra)
    _cell(p, "<f>FLOOR(beta,1,2)</f><v></v>", "<f>FLOOR(beta,1,2)</f><v>#NAME?</v>")
    _cell(p, '<c r="F1">', '<c r="F1" t="e">')
    code, _, err = cli("recompute", p)
    assert code == 0, err
    pkg = open_package(p)
    assert str(pkg.sheet("Data").values[(1, 6)]) == "#NAME?"
    assert pkg.sheet("Data").values[(1, 4)] == 20


def test_a_book_with_no_xlhedge_formula_is_never_rewritten(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = 1, "=A1+1"  # a native formula with no cached value
    ws["A3"] = "=FLOOR(beta,1,2)"
    p = tmp_path / "plain.xlsx"
    wb.save(p)
    before, st0 = p.read_bytes(), p.stat()
    code, out, err = cli("recompute", p)
    assert code == 0, err
    out = " ".join(out.split())
    assert "no xlhedge formula" in out and "not changed" in out
    st1 = p.stat()
    assert p.read_bytes() == before and (st1.st_ino, st1.st_mtime_ns) == (st0.st_ino, st0.st_mtime_ns)
    assert openpyxl.load_workbook(p, data_only=True).active["A2"].value is None


def test_a_recompute_that_changes_no_value_writes_nothing(book: Path):
    assert cli("recompute", book)[0] == 0
    before, st0 = book.read_bytes(), book.stat()
    time.sleep(0.01)
    code, out, _ = cli("recompute", book)
    assert code == 0 and "not rewritten" in " ".join(out.split())
    st1 = book.stat()
    assert book.read_bytes() == before and (st1.st_ino, st1.st_mtime_ns) == (st0.st_ino, st0.st_mtime_ns)


# ---------------------------------------------------------------------- 1904 date system


def test_dates_in_a_1904_workbook_use_its_epoch_on_read_and_write(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = dt.datetime(2025, 6, 30)
    ws["A2"] = dt.datetime(2020, 1, 1)
    for c in ("A1", "A2"):
        ws[c].number_format = "yyyy-mm-dd"
    ws["B1"] = "=LINEAR_PNL(1,1,2)"
    p = tmp_path / "mac.xlsx"
    wb.save(p)
    assert b'date1904="1"' in members(p)["xl/workbook.xml"]
    pkg = open_package(p)
    assert pkg.sheet("Data").values[(1, 1)] == dt.datetime(2025, 6, 30)
    assert pkg.set_cached("Data", 2, 1, dt.datetime(2025, 6, 30, 12, 0))
    pkg.save(p)
    back = openpyxl.load_workbook(p)["Data"]
    assert back["A1"].value == dt.datetime(2025, 6, 30)
    assert back["A2"].value == dt.datetime(2025, 6, 30, 12, 0)


# ---------------------------------------------------------------------- 3. kill -9, two at once

_SLOW_WRITE = r"""
import os, sys, time
from xlhedge.workbook import opc
from xlhedge.workbook.package import open_package
moment = sys.argv[2]
real_write_to, real_replace = opc.OpcPackage.write_to, os.replace
def slow_write_to(self, fh, replace=None, normalize=False):
    if moment == "writing":
        fh.write(b"PK\x03\x04 partial"); fh.flush()
        print("READY", flush=True); time.sleep(30)
    real_write_to(self, fh, replace, normalize=normalize)
def slow_replace(a, b):
    if moment == "renaming":
        print("READY", flush=True); time.sleep(30)
    real_replace(a, b)
opc.OpcPackage.write_to = slow_write_to
os.replace = slow_replace
if moment == "reading":
    print("READY", flush=True); time.sleep(30)
pkg = open_package(sys.argv[1])
pkg.set_cached("Data", 1, 4, 12345.0)
pkg.save(sys.argv[1])
print("DONE", flush=True)
"""


@pytest.mark.parametrize("moment", ["reading", "writing", "renaming"])
def test_kill_9_leaves_the_original_intact_and_no_debris(book: Path, moment: str):
    before = book.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITE, str(book), moment],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout.readline().strip() == "READY"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert book.read_bytes() == before
    debris = list(book.parent.glob(".~xlhedge-*"))
    fd = opc._unnamed_file(book.parent)
    if fd is not None:
        os.close(fd)
    if fd is None or moment == "renaming":
        # Named temporary files (no O_TMPFILE; or the instant between link and rename): the next run that
        # means to write in the folder removes them, even when it then has nothing to write.
        assert cli("recompute", book)[0] == 0
        assert not list(book.parent.glob(".~xlhedge-*"))
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()  # a process that no longer runs
        (book.parent / f".~xlhedge-{gone.pid}-0badf00d.xlsx").write_bytes(b"debris")
        assert cli("recompute", book)[0] == 0  # up to date: nothing written, the debris still removed
        assert not list(book.parent.glob(".~xlhedge-*"))
    else:
        assert not debris, debris  # an unnamed file vanishes with the process


def test_stale_temporaries_of_dead_processes_are_removed_live_ones_kept(tmp_path: Path):
    dead = tmp_path / ".~xlhedge-999999999-abcd1234.xlsx"
    live = tmp_path / f".~xlhedge-{os.getpid()}-abcd1234.xlsx"
    old = tmp_path / ".~xlhedge-a1b2c3d4.xlsx"  # an earlier version's name, an hour old
    mine = tmp_path / ".~xlhedge-notes.txt"  # not xlhedge's naming: never touched
    for f in (dead, live, old, mine):
        f.write_bytes(b"x")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    opc.atomic_write_bytes(tmp_path / "out.bin", b"data")
    assert not dead.exists() and not old.exists() and live.exists() and mine.exists()


def test_the_named_temporary_fallback_leaves_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(opc, "_unnamed_file", lambda folder: None)
    out = tmp_path / "x.bin"
    opc.atomic_write_bytes(out, b"one")
    with pytest.raises(ZeroDivisionError):
        opc.atomic_write(out, lambda fh: (fh.write(b"two"), 1 / 0))
    assert out.read_bytes() == b"one" and [p.name for p in tmp_path.iterdir()] == ["x.bin"]


_WRITER = r"""
import sys
from xlhedge.workbook.package import open_package
pkg = open_package(sys.argv[1])
pkg.set_cached("Data", 1, 4, float(sys.argv[2]))
pkg.save(sys.argv[1])
"""


def test_two_recomputes_at_once(book: Path):
    """Two writers of one book at the same moment: each rename is whole, the last one wins, no debris."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(book), str(v)], env=env, stderr=subprocess.PIPE)
        for v in (111.0, 222.0)
    ]
    errs = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert openpyxl.load_workbook(book, data_only=True)["Data"]["D1"].value in (111, 222)
    assert not list(book.parent.glob(".~xlhedge-*"))


# ---------------------------------------------------------------------- (a) the two readers agree

_T = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6)


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_CELLS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: ("", f"<v>{x!r}</v>")),
    st.integers(-(10**15), 10**15).map(lambda x: ("", f"<v>{x}</v>")),
    st.tuples(st.sampled_from(["", ' xml:space="preserve"']), _T).map(
        lambda a: (' t="str"', f"<f>A1</f><v{a[0]}>{_x(a[1])}</v>")
    ),
    _T.map(lambda s: (' t="str"', f'<v xml:space="preserve">{_x(s)}</v>')),
    st.lists(_T, min_size=1, max_size=3).map(
        lambda runs: (
            ' t="inlineStr"',
            "<is>" + "".join(f"<r><t>{_x(r)}</t></r>" for r in runs) + "<rPh><t>ph</t></rPh></is>",
        )
    ),
    _T.map(lambda s: (' t="inlineStr"', f'<is><t>{_x(s)}</t><rPh sb="0" eb="1"><t>ふ</t></rPh></is>')),
    st.sampled_from(["0", "1"]).map(lambda b: (' t="b"', f"<v>{b}</v>")),
    st.sampled_from(["#N/A", "#DIV/0!", "#NAME?"]).map(lambda e: (' t="e"', f"<v>{e}</v>")),
    st.sampled_from(["2025-06-30", "2025-06-30T10:10:10", "10:10:10", "1904-01-01T00:00:00Z"]).map(
        lambda d: (' t="d"', f"<v>{d}</v>")
    ),
    st.sampled_from(["<v/>", "<v></v>", ""]).map(lambda v: ("", v)),
    st.sampled_from(["<v/>", "<v>0</v>", "<v>1</v>"]).map(lambda v: (' t="s"', v)),
    st.sampled_from([' s="1"', ' s="0"']).map(lambda s: (s, "<v>45000.5</v>")),
    st.just((' t="n" vm="1"', "<v>3</v>")),
    st.just((' cm="1"', '<f t="array" ref="Z1">A1</f><v>2</v>')),
)


def _sheet_with(cells: list[tuple[str, str]]) -> bytes:
    body = "".join(f'<c r="{chr(65 + i % 26)}{1 + i // 26}"{a}>{inner}</c>' for i, (a, inner) in enumerate(cells))
    return f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">{body}</row></sheetData></worksheet>'.encode()


@pytest.fixture(scope="module")
def agree_base(tmp_path_factory) -> dict[str, bytes]:
    p = tmp_path_factory.mktemp("agree") / "b.xlsx"

    def extra(wb: openpyxl.Workbook) -> None:
        wb["Data"]["A5"] = dt.datetime(2024, 1, 1)
        wb["Data"]["A5"].number_format = "yyyy-mm-dd"

    return members(small_book(p, extra=extra))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(_CELLS, min_size=1, max_size=12))
def test_the_scan_and_the_tree_reader_agree_on_every_cell_form(agree_base: dict[str, bytes], cells):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in agree_base.items():
            z.writestr(name, _sheet_with(cells) if name == SHEET else data)
    pkg = open_package(buf.getvalue())
    values, formulas = reference_cells(pkg, "Data")
    part = pkg.sheet("Data")
    assert part.values == values
    assert part.formulas == formulas
    # The same cells in a form only the tree reads (prefixed namespace): the same answer.
    pkg2 = open_package(
        _rezip_bytes(
            agree_base,
            SHEET,
            _sheet_with(cells)
            .replace(b"<", b"<x:")
            .replace(b"<x:/", b"</x:")
            .replace(b'<x:worksheet xmlns="', b'<x:worksheet xmlns:x="'),
        )
    )
    assert pkg2.sheet("Data").values == values


def _rezip_bytes(parts: dict[str, bytes], member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, d in parts.items():
            z.writestr(name, data if name == member else d)
    return buf.getvalue()


def test_cached_text_with_attributes_on_v_is_read_not_blank(agree_base: dict[str, bytes]):
    sheet = _sheet_with(
        [
            (' t="str"', '<f>A1</f><v xml:space="preserve">World </v>'),
            (' t="inlineStr"', '<is><r><t>a</t></r><r><t xml:space="preserve"> b</t></r><rPh><t>X</t></rPh></is>'),
            (' t="d"', "<v>10:10:10</v>"),
            (' t="s"', "<v/>"),
        ]
    )
    pkg = open_package(_rezip_bytes(agree_base, SHEET, sheet))
    v = pkg.sheet("Data").values
    assert v[(1, 1)] == "World " and v[(1, 2)] == "a b" and v[(1, 3)] == dt.datetime(1899, 12, 30, 10, 10, 10)
    assert (1, 4) not in v


# ---------------------------------------------------------------------- mutation tests of the reader


@functools.lru_cache(maxsize=1)
def _mutation_base() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        return small_book(Path(d) / "base.xlsx").read_bytes()


def _run_mutant(tmp: Path, data: bytes) -> None:
    src, out = tmp / "m.xlsx", tmp / "m_out.xlsx"
    src.write_bytes(data)
    out.unlink(missing_ok=True)
    code, _, err = cli("recompute", src, "-o", out)
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert len([ln for ln in err.splitlines() if ln.strip()]) == 1, err
        assert src.read_bytes() == data
    if out.exists():
        assert code != 2
        # Never a damaged output: what openpyxl opens going in, it opens coming out, and every
        # part xlhedge did not rewrite is the input's, byte for byte.
        try:
            openpyxl.load_workbook(src)
        except Exception:
            pass
        else:
            openpyxl.load_workbook(out)
        before, after = members(src), members(out)
        assert before.keys() == after.keys()
        assert {k for k in before if before[k] != after[k]} <= {SHEET}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_byte_mutations_of_a_real_book_give_exit_0_or_2(tmp_path: Path, data):
    raw = bytearray(_mutation_base())
    kind = data.draw(st.sampled_from(["truncate", "flip"]))
    if kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    else:
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] ^= data.draw(st.integers(1, 255))
    _run_mutant(tmp_path, bytes(raw))


_XML_EDITS = [
    lambda x, i, s: x[:i] + x[i + 1 + len(s) % 7 :],  # delete a run of characters
    lambda x, i, s: x[:i] + s + x[i:],  # insert text (may be markup)
    lambda x, i, s: x.replace("<v>", f"<v>{s}", 1),
    lambda x, i, s: x.replace('r="', f'r="{s}', 1),
    lambda x, i, s: x.replace(' t="s"', f' t="{s}"', 1),
    lambda x, i, s: x.replace("</row>", f'</row><row r="{len(s)}"><c r="A{len(s)}"><v>{s}</v></c></row>', 1),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    member=st.sampled_from(
        [SHEET, "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels"]
    ),
    edit=st.integers(0, len(_XML_EDITS) - 1),
    where=st.floats(0, 1),
    text=st.sampled_from(["<", "&", "x", "<c>", "</v>", "&co;", "-1", "1e999", "NaN", "<![CDATA[z]]>", "\u00e9", "99"]),
)
def test_xml_mutations_of_a_real_book_give_exit_0_or_2(tmp_path: Path, member, edit, where, text):
    with zipfile.ZipFile(io.BytesIO(_mutation_base())) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    x = parts[member].decode()
    parts[member] = _XML_EDITS[edit](x, int(where * (len(x) - 1)), text).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, d in parts.items():
            z.writestr(name, d)
    _run_mutant(tmp_path, buf.getvalue())


def test_open_package_errors_are_workbook_errors(book: Path):
    with pytest.raises(WorkbookError):
        open_package(b"PK\x03\x04")


def test_a_full_disk_while_writing_is_one_line_and_the_book_untouched(book: Path, monkeypatch):
    import errno

    def full(self, fh, replace=None, normalize=False):
        fh.write(b"PK")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(opc.OpcPackage, "write_to", full)
    assert_refused(book, "cannot be written (No space left on device)")
