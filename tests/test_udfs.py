"""xlhedge.udfs: every registry function as an xlwings UDF, checked with xlwings' own code.

No Excel here. The registration Excel would see is checked by importing
``xlwings.udfs`` (the Windows implementation of ``xw.func``/``xw.arg``/``xw.ret``
and the VBA wrapper generator behind "Import Functions") with pywin32's modules
stubbed in ``sys.modules``, rebuilding :mod:`xlhedge.udfs` with those
decorators, and reading back ``__xlfunc__`` and the generated VBA. Every test
iterates the registry, so functions added later are covered.
"""

from __future__ import annotations

import importlib
import inspect
import io
import logging
import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import xlwings as xw

from xlhedge import udfs
from xlhedge.excel import addin
from xlhedge.functions.registry import Arg, WorksheetFunction, registry

REPO = Path(__file__).resolve().parents[1]
REG = registry()


def _stubs() -> dict[str, types.ModuleType]:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com.client = client
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}


@pytest.fixture()
def windows_udfs(monkeypatch):
    """xlhedge.udfs reloaded with xlwings' Windows decorators, as Excel's COM server loads it."""
    if not sys.platform.startswith("win"):
        for name, mod in _stubs().items():
            monkeypatch.setitem(sys.modules, name, mod)
        monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    xu = importlib.import_module("xlwings.udfs")
    monkeypatch.setattr(xw, "func", xu.xlfunc)
    monkeypatch.setattr(xw, "arg", xu.xlarg)
    monkeypatch.setattr(xw, "ret", xu.xlret)
    try:
        yield xu, importlib.reload(udfs)
    finally:
        monkeypatch.undo()
        if "udfs" in vars(xw) and not sys.platform.startswith("win"):
            delattr(xw, "udfs")
        importlib.reload(udfs)


def test_every_registry_function_is_a_module_function():
    assert udfs.__all__ == sorted(REG)
    for name, wf in REG.items():
        f = getattr(udfs, name)
        assert f.__name__ == name
        assert f.__doc__ == wf.description
        params = list(inspect.signature(f).parameters.values())
        assert [p.name for p in params] == [udfs.excel_arg_name(a.name, name) for a in wf.args]
        assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)
        for p, a in zip(params, wf.args):
            assert (p.default is not inspect.Parameter.empty) == a.optional


def test_xlwings_metadata_for_every_function(windows_udfs):
    xu, mod = windows_udfs
    assert mod.__all__ == sorted(REG)
    for name, wf in REG.items():
        xlf = getattr(mod, name).__xlfunc__
        assert xlf["name"] == name
        assert xlf["category"] == "xlhedge"
        assert xlf["sub"] is False
        assert xlf["ret"]["doc"] == wf.description
        assert "expand" not in xlf["ret"]["options"]  # Excel 365 spills 2-D results natively
        assert [a["name"] for a in xlf["args"]] == [udfs.excel_arg_name(a.name, name) for a in wf.args]
        for xa, a in zip(xlf["args"], wf.args):
            assert xa["doc"] == a.doc and xa["doc"].strip()
            assert ("optional" in xa) == a.optional
            if a.optional:
                assert xa["optional"] == a.default
            opts = xa["options"]
            assert opts["empty"] is None and opts["err_to_str"] is True
            assert opts.get("ndim") == (2 if a.name in wf.range_args else None)


def _vba_signatures(vba: str) -> dict[str, list[tuple[str, bool]]]:
    out = {}
    for m in re.finditer(r"^Function (\w+)\((.*)\)\s*$", vba, re.M):
        args = [a.strip() for a in m.group(2).split(",") if a.strip()]
        out[m.group(1)] = [(a.removeprefix("Optional "), a.startswith("Optional ")) for a in args]
    return out


def test_xlwings_vba_wrapper_for_every_function(windows_udfs):
    xu, mod = windows_udfs
    buf = io.StringIO()
    xu.generate_vba_wrapper("xlhedge.udfs", mod, buf, types.SimpleNamespace(Name="Book1.xlsm"))
    vba = buf.getvalue()
    sigs = _vba_signatures(vba)
    assert sorted(sigs) == sorted(REG)
    for name, wf in REG.items():
        assert sigs[name] == [(udfs.excel_arg_name(a.name, name), a.optional) for a in wf.args]
        args = ", ".join(udfs.excel_arg_name(a.name, name) for a in wf.args)
        assert (
            f'{name} = XLPy.CallUDF("xlhedge.udfs", "{name}", Array({args}), ThisWorkbook, Application.Caller)'
        ) in vba


def test_metadata_helper_restores_sys_modules():
    before = {k for k in ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs") if k in sys.modules}
    mod = addin.windows_udf_module()
    assert sorted(n for n in vars(mod) if hasattr(getattr(mod, n), "__xlfunc__")) == sorted(REG)
    after = {k for k in ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs") if k in sys.modules}
    assert after == before
    assert not hasattr(udfs.FACTOR_EXPOSURE, "__xlfunc__") or sys.platform.startswith("win")


def test_committed_bas_is_regenerated_from_the_registry():
    committed = (REPO / "workbook" / addin.BAS_NAME).read_bytes()
    fresh = addin.generate_bas().encode("ascii")
    assert committed == fresh, "workbook/xlhedge_udfs.bas is stale: run `python -m xlhedge.excel.addin`"
    text = fresh.decode("ascii")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert sorted(_vba_signatures(text)) == sorted(REG)
    # one MacroOptions registration per function, with as many argument docs as arguments
    for name in REG:
        assert f'"\'!{name}", Description:=' in text
    assert text.count("Application.MacroOptions") == len(REG)


def test_vba_string_keeps_unicode_and_quotes():
    s = addin._vba_string('a "b" Σ×c')
    assert s == '"a ""b"" " & ChrW(931) & ChrW(215) & "c"'
    assert addin._vba_string("") == '""'


# --------------------------------------------------------------------------
# Calling the functions the way Excel does


BLOCK = [[0.5, -0.25, 0.1], [1.0, 2.0, None], [0.3, None, -1.0]]


def test_factor_exposure_like_excel():
    got = udfs.FACTOR_EXPOSURE(BLOCK)
    w = np.array([0.5, -0.25, 0.1])
    b = np.array([[1.0, 2.0, 0.0], [0.3, 0.0, -1.0]])
    assert isinstance(got, list) and all(isinstance(r, list) and len(r) == 1 for r in got)
    np.testing.assert_allclose(np.array(got, float).ravel(), b @ w)
    assert got == REG["FACTOR_EXPOSURE"].call(BLOCK)


def test_errors_are_short_cell_messages():
    msg = udfs.FACTOR_EXPOSURE([[0.5, "#N/A"], [1.0, 2.0]])
    assert msg.startswith("#VALUE! FACTOR_EXPOSURE: ") and "#N/A" in msg
    msg = udfs.FACTOR_EXPOSURE([[0.5, 0.1, 0.2, 0.3, 0.4, 0.5]], [[1.0] * 5])
    assert msg.startswith("#VALUE! FACTOR_EXPOSURE: ") and "\n" not in msg
    assert udfs.FACTOR_EXPOSURE().startswith("#VALUE! FACTOR_EXPOSURE: missing")


def test_a_bug_is_one_line_not_a_traceback(caplog):
    def boom(x):
        return 1 / 0

    wf = WorksheetFunction("BOOM", boom, "Always fails.", (Arg("x", "anything"),))
    f = udfs.make_udf(wf)
    with caplog.at_level(logging.WARNING):
        msg = f([[1.0]])
    assert msg == "#VALUE! BOOM: internal error (ZeroDivisionError: division by zero)"
    assert "Traceback" not in caplog.text  # nothing on a terminal unless asked for
    with caplog.at_level(logging.DEBUG, logger="xlhedge"):
        f([[1.0]])
    assert "Traceback" in caplog.text  # the traceback goes to the debug log (XLHEDGE_DEBUG=1), not the cell


def test_every_function_survives_blank_arguments():
    """What a half-filled sheet passes: blanks only. A cell message, never an exception."""
    bad = []
    for name, wf in REG.items():
        out = getattr(udfs, name)(*[None] * wf.min_args)
        if isinstance(out, str):
            assert "\n" not in out and "Traceback" not in out, (name, out)
            if "internal error" in out:
                bad.append(out)
    assert not bad, "functions that fail with a bug on blank input:\n" + "\n".join(bad)


VBA_RESERVED = {
    w.lower()
    for w in """And As Boolean ByRef Byte ByVal Call Case Class Const Currency Date Declare Dim Do
    Double Each Else ElseIf Empty End Enum Eqv Erase Error Event Exit False For Friend Function Get Global GoSub
    GoTo If Imp Implements In Integer Is Let Like Long LongLong LongPtr Loop LSet Me Mod New Next Not Nothing Null
    On Option Optional Or ParamArray Preserve Private Property Public RaiseEvent ReDim Rem Resume Return RSet
    Select Set Single Static Step Stop String Sub Then To True Type TypeOf Until Variant Wend While With
    WithEvents Xor""".split()
}
# Names the generated wrapper itself uses; an argument of that name would shadow them.
WRAPPER_NAMES = {"array", "application", "thisworkbook", "activeworkbook", "xlpy", "err", "failed", "caller"}


def test_argument_names_are_usable_in_vba():
    """The VBA wrapper declares each argument by name: it must be a legal, unshadowing VBA identifier."""
    bad = []
    for name in REG:
        params = list(inspect.signature(getattr(udfs, name)).parameters)
        for p in params:
            if (
                not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,254}", p)
                or p.lower() in VBA_RESERVED | WRAPPER_NAMES
                or p.lower() == name.lower()
            ):
                bad.append(f"{name}({p})")
        if len({p.lower() for p in params}) != len(params):
            bad.append(f"{name}: argument names differ only in case")
    assert not bad, "not usable as VBA argument names: " + ", ".join(bad)


def test_reserved_argument_names_get_a_suffix_and_still_work():
    assert udfs.excel_arg_name("currency") == "currency_"
    assert udfs.excel_arg_name("Exit") == "Exit_"
    assert udfs.excel_arg_name("weights") == "weights"
    assert udfs.excel_arg_name("_x") == "x"
    wf = WorksheetFunction(
        "ECHO",
        lambda currency, exit=None: [[currency, exit]],
        "Echo.",
        (Arg("currency", "c"), Arg("exit", "e", True, None)),
    )
    f = udfs.make_udf(wf)
    assert list(inspect.signature(f).parameters) == ["currency_", "exit_"]
    assert f("EUR", 1.5) == [["EUR", 1.5]] and f(currency_="USD") == [["USD", None]]
