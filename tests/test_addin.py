"""The "Refresh book" add-in, tested from its contents (no Excel here).

Built from xlwings' ribbon template: only the ribbon XML, the workbook part
(sheet rename) and the configuration sheet may differ; the VBA project must be
the template's, byte for byte. The VBA is read with oletools' olevba to check
what the button runs and which xlwings DLL it loads.
"""

from __future__ import annotations

import importlib
import re
import sys
import warnings
from pathlib import Path

import pytest
import xlwings
from lxml import etree
from openpyxl.xml.constants import SHEET_MAIN_NS

with warnings.catch_warnings():  # olevba's pyparsing grammar warns on import
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

from xlhedge.excel import addin

REPO = Path(__file__).resolve().parents[1]
INTERP = r"C:\Users\trader\venvs\xlhedge\Scripts\python.exe"
CHANGED = {"customUI/customUI.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}


@pytest.fixture(scope="module")
def built() -> bytes:
    return addin.build_addin(interpreter=INTERP)


@pytest.fixture(scope="module")
def vba(built) -> dict[str, str]:
    """VBA module name -> source code, as olevba extracts it."""
    parser = VBA_Parser(addin.ADDIN_NAME, data=built)
    try:
        assert parser.detect_vba_macros()
        return {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


def test_only_ribbon_and_conf_parts_change(built):
    template = addin.read_parts(addin.template_path())
    parts = addin.read_parts(built)
    assert list(parts) == list(template)  # same parts, same order
    differing = {name for name in parts if parts[name] != template[name]}
    assert differing == CHANGED
    assert parts["xl/vbaProject.bin"] == template["xl/vbaProject.bin"]


def test_ribbon_xml(built):
    parts = addin.read_parts(built)
    ui = addin.customui_part(parts)
    root = etree.fromstring(parts[ui])  # well-formed, or this raises
    ns = addin.RIBBON_NS
    assert root.tag == f"{{{ns}}}customUI"
    tabs = root.findall(f"{{{ns}}}ribbon/{{{ns}}}tabs/{{{ns}}}tab")
    assert [t.get("label") for t in tabs] == ["xlhedge"]
    buttons = list(root.iter(f"{{{ns}}}button"))
    assert [b.get("label") for b in buttons] == ["Refresh book"]
    # the callback is the template's own
    template_ui = etree.fromstring(addin.read_parts(addin.template_path())[ui])
    (template_button,) = template_ui.iter(f"{{{ns}}}button")
    assert buttons[0].get("onAction") == template_button.get("onAction") == "RibbonMyAddin.RunMain"
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_ribbon_callback_runs_xlhedge_main(vba, built):
    parts = addin.read_parts(built)
    onaction = next(etree.fromstring(parts["customUI/customUI.xml"]).iter(f"{{{addin.RIBBON_NS}}}button")).get(
        "onAction"
    )
    module, sub = onaction.split(".")
    code = vba[module]
    body = re.search(rf"Sub {sub}\(control As IRibbonControl\)(.*?)End Sub", code, re.S)
    assert body, f"{module} has no ribbon callback {sub}(control As IRibbonControl)"
    text = body.group(1)
    # mymodule = the add-in's file name without extension; RunPython "import m;m.main()"
    assert re.search(r'mymodule = Left\(ThisWorkbook\.Name, \(InStrRev\(ThisWorkbook\.Name, "\."', text)
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in text
    stem = Path(addin.ADDIN_NAME).stem
    command = f"import {stem};{stem}.main()"
    compile(command, "<RunPython>", "exec")
    assert callable(importlib.import_module(stem).main), "xlhedge.main must exist for the ribbon button"


def test_vba_loads_the_dll_of_the_installed_xlwings(vba):
    code = vba["xlwings"]
    version = xlwings.__version__
    assert f'Public Const XLWINGS_VERSION As String = "{version}"' in code
    dlls = set(re.findall(r'"(xlwings(?:32|64)-[^"]+\.dll)"', code))
    assert dlls == {f"xlwings32-{version}.dll", f"xlwings64-{version}.dll"}


def test_conf_sheet_is_the_one_the_vba_reads(vba, built):
    m = re.search(r'Public Const PROJECT_NAME As String = "(\w+)"', vba["xlwings"])
    assert m and f"{m.group(1)}.conf" == addin.CONF_SHEET
    wb = etree.fromstring(addin.read_parts(built)["xl/workbook.xml"])
    names = [s.get("name") for s in wb.iter(f"{{{SHEET_MAIN_NS}}}sheet")]
    assert names == [addin.CONF_SHEET]


def test_conf_values(built):
    conf = addin.conf_values(built)
    assert conf["Interpreter_Win"] == INTERP
    assert conf["Interpreter_Mac"] == INTERP
    assert conf["UDF Modules"] == "xlhedge.udfs"
    template = addin.conf_values(addin.template_path())
    assert list(conf) == list(template)  # same keys, same order
    for key in set(conf) - {"Interpreter_Win", "Interpreter_Mac", "UDF Modules"}:
        assert conf[key] == template[key]


def test_conf_keys_are_contiguous_from_a1(built):
    # GetConfigFromSheet reads A1 down to Range("A1").End(xlDown): no gaps allowed.
    from xlhedge.workbook.package import open_package

    cells = open_package(built).sheet(addin.CONF_SHEET).values
    key_rows = sorted(r for (r, c), v in cells.items() if c == 1 and v)
    assert key_rows == list(range(1, len(addin.conf_values(built)) + 1))


def test_default_interpreter_is_this_python():
    assert addin.conf_values(addin.build_addin())["Interpreter_Win"] == sys.executable


def test_committed_addin_is_a_rebuild():
    committed = addin.read_parts(REPO / "workbook" / addin.ADDIN_NAME)
    fresh = addin.read_parts(addin.build_addin(interpreter=addin.PLACEHOLDER_INTERPRETER))
    assert list(committed) == list(fresh)
    for name in fresh:
        assert committed[name] == fresh[name], (
            f"workbook/{addin.ADDIN_NAME} part {name} differs from a rebuild with "
            f"xlwings {xlwings.__version__}: run `python -m xlhedge.excel.addin`"
        )
    assert addin.committed_addin_path().is_file()


def test_build_writes_the_file_and_refuses_other_names(tmp_path):
    out = tmp_path / "sub" / "xlhedge.xlam"
    data = addin.build_addin(out, interpreter="python")
    assert out.read_bytes() == data
    with pytest.raises(addin.WorkbookError, match="must be named xlhedge.xlam"):
        addin.build_addin(tmp_path / "myaddin.xlam")


def test_build_is_reproducible():
    assert addin.build_addin(interpreter="python") == addin.build_addin(interpreter="python")


def test_an_independent_reader_sees_the_conf_sheet(built):
    """openpyxl (which refuses the add-in content type) reads the same package as a .xlsm."""
    import io
    import zipfile

    import openpyxl

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(built)) as src, zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"ms-excel.addin.macroEnabled.main", b"ms-excel.sheet.macroEnabled.main")
            z.writestr(info, data)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.sheetnames == ["myaddin.conf"]
    rows = {a: b for a, b in wb["myaddin.conf"].iter_rows(min_col=1, max_col=2, values_only=True) if a}
    assert rows["Interpreter_Win"] == INTERP and rows["UDF Modules"] == "xlhedge.udfs"
    assert rows["Use UDF Server"] is False


# --------------------------------------------------------------------------- CLI and install


def _cli(*args: str):
    from typer.testing import CliRunner

    from xlhedge.cli import app

    return CliRunner().invoke(app, ["addin", *args])


def test_cli_build_and_path(tmp_path):
    res = _cli("build", str(tmp_path / "xlhedge.xlam"), "--interpreter", INTERP)
    assert res.exit_code == 0, res.output
    assert addin.conf_values(tmp_path / "xlhedge.xlam")["Interpreter_Win"] == INTERP
    res = _cli("build", str(tmp_path / "other.xlam"))
    assert res.exit_code == 2 and "must be named xlhedge.xlam" in res.output
    res = _cli("path")
    assert res.exit_code == 0 and Path(res.output.strip()) == addin.committed_addin_path()


def test_cli_install_without_excel_says_what_to_do(monkeypatch):
    monkeypatch.setattr(addin, "excel_platform", lambda platform=None: None)
    for cmd in ("install", "uninstall"):
        res = _cli(cmd)
        assert res.exit_code == 1
        text = " ".join(res.output.split())
        assert "Excel is not available" in text and "xlhedge recompute" in text


def test_install_builds_for_this_machine_and_uses_xlwings_installer(tmp_path):
    seen = []
    out = addin.install_addin(interpreter=INTERP, platform="win32", installer=seen.append, workdir=tmp_path)
    assert seen == [str(out)] and out.name == "xlhedge.xlam"
    assert addin.conf_values(out)["Interpreter_Win"] == INTERP
    with pytest.raises(addin.WorkbookError, match="Excel is not available"):
        addin.install_addin(platform="linux", installer=seen.append)
    removed = []
    addin.uninstall_addin(platform="darwin", remover=removed.append)
    assert removed == ["xlhedge.xlam"]


def test_udf_modules_config_is_merged_not_overwritten(tmp_path):
    cfg = tmp_path / "xlwings.conf"
    cfg.write_text('"UDF Modules","mymodule"\n"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\n')
    changes = addin.configure_udf_modules(True, config_file=cfg, interpreter=INTERP, platform="win32")
    assert changes == ["UDF Modules += xlhedge.udfs"]  # the user's interpreter is kept
    assert addin._read_user_config(cfg)[0] == ("UDF Modules", "mymodule;xlhedge.udfs")
    assert addin.configure_udf_modules(True, config_file=cfg, platform="win32") == []  # idempotent
    addin.configure_udf_modules(False, config_file=cfg)
    assert addin._read_user_config(cfg)[0] == ("UDF Modules", "mymodule")

    fresh = tmp_path / "new" / "xlwings.conf"
    addin.configure_udf_modules(True, config_file=fresh, interpreter="/usr/bin/python3", platform="darwin")
    assert addin._read_user_config(fresh) == [("UDF Modules", "xlhedge.udfs"), ("INTERPRETER_MAC", "/usr/bin/python3")]
    addin.configure_udf_modules(False, config_file=fresh)
    assert addin._read_user_config(fresh) == [("INTERPRETER_MAC", "/usr/bin/python3")]
