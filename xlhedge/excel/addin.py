"""The Excel side, built from files: the ribbon add-in and the UDF VBA module.

No Excel is needed to run anything here; Excel only ever loads the results.

* :func:`build_addin` — ``xlhedge.xlam``: xlwings' own ribbon add-in template
  (``quickstart_addin_ribbon.xlam``, the file behind
  ``xlwings quickstart --addin --ribbon``) with only two things changed: the
  ribbon (customUI XML: a tab ``xlhedge`` with a **Refresh book** button wired
  to the template's own callback ``RibbonMyAddin.RunMain``) and the
  configuration sheet (``_myaddin.conf`` renamed ``myaddin.conf`` so the
  template's VBA reads it, holding ``Interpreter_Win``/``Interpreter_Mac`` and
  ``UDF Modules = xlhedge.udfs``). The VBA project is copied byte for byte.
  ``RunMain`` runs ``import <file stem>; <file stem>.main()``, so the file must
  be called ``xlhedge.xlam`` to run :func:`xlhedge.main`. The template's VBA
  declares the xlwings DLL of the xlwings version that shipped it
  (``xlwings64-<version>.dll``), so the add-in is built on the user's machine
  from the user's installed xlwings (``xlhedge addin install``).
* :func:`generate_bas` — ``xlhedge_udfs.bas``: the VBA wrappers xlwings' own
  generator (``xlwings.udfs.generate_vba_wrapper``, what "Import Functions"
  runs) writes for :mod:`xlhedge.udfs`, plus a ``RegisterXlhedgeFunctions``
  macro that gives Excel's function wizard the descriptions.
* :func:`regenerate` — rewrites the committed copies under ``workbook/``
  (``python -m xlhedge.excel.addin``); ``tests/test_addin.py`` rebuilds and compares.

Parts are patched in place in the zip (lxml on the XML parts that change,
every other part copied unchanged, in the template's order, through
:mod:`xlhedge.workbook.opc`), never round-tripped through openpyxl, which
would drop the VBA project and ribbon. The configuration sheet is read with
the workbook reader (:mod:`xlhedge.workbook.package`).
"""

from __future__ import annotations

import importlib
import io
import sys
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl.xml.constants import CUSTOMUI_NS, SHEET_MAIN_NS, XML_NS

from xlhedge.engine.errors import WorkbookError
from xlhedge.excel import require_xlwings
from xlhedge.workbook.opc import XML_PARSER, OpcPackage, atomic_write_bytes
from xlhedge.workbook.package import XlsxPackage, open_package

__all__ = [
    "ADDIN_NAME",
    "BAS_NAME",
    "PLACEHOLDER_INTERPRETER",
    "build_addin",
    "configure_udf_modules",
    "excel_platform",
    "install_addin",
    "uninstall_addin",
    "committed_addin_path",
    "committed_dir",
    "conf_values",
    "generate_bas",
    "read_parts",
    "regenerate",
    "template_path",
    "xlwings_windows_udfs",
]

ADDIN_NAME = "xlhedge.xlam"
BAS_NAME = "xlhedge_udfs.bas"
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
UDF_MODULE = "xlhedge.udfs"
#: Interpreter written into the committed copy (reproducible; install writes sys.executable).
PLACEHOLDER_INTERPRETER = "python"

#: Namespaces of the ribbon XML itself (Office 2007 and 2010+ customUI).
RIBBON_NS = "http://schemas.microsoft.com/office/2006/01/customui"
RIBBON_NS_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
#: Package relationship types of the ribbon part (openpyxl ships the first).
UI_REL_TYPES = (CUSTOMUI_NS, "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility")
_S = f"{{{SHEET_MAIN_NS}}}"

#: The template's configuration sheet: shipped inactive, read by PROJECT_NAME "myaddin".
TEMPLATE_CONF_SHEET = "_myaddin.conf"
CONF_SHEET = "myaddin.conf"

#: Ribbon labels (the button's callback is read from the template, not written here).
RIBBON = {
    "tab_id": "xlhedgeTab",
    "tab_label": "xlhedge",
    "group_id": "xlhedgeBook",
    "group_label": "Book",
    "button_id": "xlhedgeRefreshBook",
    "button_label": "Refresh book",
    "image": "Refresh",
    "screentip": "Refresh book",
    "supertip": (
        "Recompute every xlhedge output of the active workbook: estimation from "
        "prices, exposures, hedges, scenarios, checks (the same pipeline as "
        "'xlhedge recompute'). Problems are listed in the Status area."
    ),
}


# ---------------------------------------------------------------------------
# Locations


def template_path() -> Path:
    """xlwings' ribbon add-in template of the installed xlwings."""
    xlwings = require_xlwings()

    path = Path(xlwings.__file__).parent / TEMPLATE_NAME
    if not path.is_file():
        raise WorkbookError(
            f"xlwings {xlwings.__version__} ships no {TEMPLATE_NAME}; "
            "install an xlwings version with 'xlwings quickstart --addin --ribbon'",
            where=str(path.parent),
        )
    return path


def committed_dir() -> Path:
    """Where the committed add-in and VBA module live (repo ``workbook/`` or the wheel's copy)."""
    package = Path(__file__).resolve().parents[1]  # xlhedge/
    for candidate in (package / "addin_files", package.parent / "workbook"):
        if (candidate / ADDIN_NAME).is_file():
            return candidate
    return package.parent / "workbook"


def committed_addin_path() -> Path:
    return committed_dir() / ADDIN_NAME


# ---------------------------------------------------------------------------
# Reading a package


def read_parts(path_or_bytes: str | Path | bytes) -> OpcPackage:
    """Every part of an OPC package (zip): a read-only mapping name -> uncompressed bytes, in the zip's order."""
    return OpcPackage.open(path_or_bytes, where=ADDIN_NAME if isinstance(path_or_bytes, bytes) else None)


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, XML_PARSER)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def customui_part(parts: OpcPackage) -> str:
    """Name of the ribbon part, found through the package relationships."""
    for rel in parts.relationships(""):
        if rel.type in UI_REL_TYPES and not rel.external:
            return rel.target
    raise WorkbookError("has no ribbon (customUI) part", where=parts.where)


def _conf_sheet(book: XlsxPackage, names: tuple[str, ...]) -> str:
    """The first sheet of the workbook named one of ``names``."""
    for name in book.sheet_order:
        if name in names:
            return name
    raise WorkbookError(f"has no sheet named {' or '.join(names)}", where=book.where)


def conf_values(path_or_bytes: str | Path | bytes) -> dict[str, Any]:
    """Key -> value of the add-in's configuration sheet (column A -> column B)."""
    book = open_package(path_or_bytes, where=ADDIN_NAME if isinstance(path_or_bytes, bytes) else None)
    cells = book.sheet(_conf_sheet(book, (CONF_SHEET, TEMPLATE_CONF_SHEET))).values
    rows = sorted({r for r, _ in cells})
    return {cells[(r, 1)]: cells.get((r, 2)) for r in rows if cells.get((r, 1))}


# ---------------------------------------------------------------------------
# Patching the parts that change


def _patch_customui(data: bytes) -> bytes:
    """Replace the template's tab by the xlhedge tab, keeping its callback."""
    root = _xml(data)
    ns = etree.QName(root).namespace
    if ns not in (RIBBON_NS, RIBBON_NS_2009):
        raise WorkbookError(f"ribbon XML in an unexpected namespace {ns!r}", where=TEMPLATE_NAME)
    buttons = [b for b in root.iter(f"{{{ns}}}button") if b.get("onAction")]
    if len(buttons) != 1:
        raise WorkbookError(f"expected one ribbon button, found {len(buttons)}", where=TEMPLATE_NAME)
    callback = buttons[0].get("onAction")
    tabs = root.find(f"{{{ns}}}ribbon/{{{ns}}}tabs")
    for tab in list(tabs):
        tabs.remove(tab)
    tab = etree.SubElement(tabs, f"{{{ns}}}tab", id=RIBBON["tab_id"], label=RIBBON["tab_label"])
    group = etree.SubElement(tab, f"{{{ns}}}group", id=RIBBON["group_id"], label=RIBBON["group_label"])
    etree.SubElement(
        group,
        f"{{{ns}}}button",
        id=RIBBON["button_id"],
        label=RIBBON["button_label"],
        size="large",
        onAction=callback,
        imageMso=RIBBON["image"],
        screentip=RIBBON["screentip"],
        supertip=RIBBON["supertip"],
    )
    etree.indent(root, space="    ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _patch_workbook(data: bytes) -> bytes:
    root = _xml(data)
    sheets = [s for s in root.iter(f"{_S}sheet") if s.get("name") == TEMPLATE_CONF_SHEET]
    if len(sheets) != 1:
        raise WorkbookError(f"has no sheet {TEMPLATE_CONF_SHEET}", where=TEMPLATE_NAME)
    sheets[0].set("name", CONF_SHEET)
    return _serialize(root)


def _patch_conf_sheet(data: bytes, keys: Mapping[int, Any], values: Mapping[str, str]) -> bytes:
    """Write ``values`` (by key, case-insensitive) into column B next to the keys in column A.

    ``keys`` is row -> the value in column A, as the workbook reader reads it.
    """
    root = _xml(data)
    wanted = {k.upper(): v for k, v in values.items()}
    found: set[str] = set()
    for row in root.iter(f"{_S}row"):
        r = row.get("r")
        cells = {c.get("r"): c for c in row.iter(f"{_S}c")}
        a = cells.get(f"A{r}")
        key = keys.get(int(r)) if a is not None else None
        if not isinstance(key, str) or key.upper() not in wanted:
            continue
        found.add(key.upper())
        b = cells.get(f"B{r}")
        if b is None:
            b = etree.Element(f"{_S}c", r=f"B{r}")
            a.addnext(b)
        style = a.get("s")
        for attr in list(b.attrib):
            if attr != "r":
                del b.attrib[attr]
        for child in list(b):
            b.remove(child)
        if style is not None:
            b.set("s", style)
        b.set("t", "inlineStr")
        is_ = etree.SubElement(b, f"{_S}is")
        t = etree.SubElement(is_, f"{_S}t")
        t.text = wanted[key.upper()]
        if t.text != t.text.strip():
            t.set(f"{{{XML_NS}}}space", "preserve")
        if row.get("spans"):
            lo = row.get("spans").split(":")[0]
            row.set("spans", f"{lo}:{max(2, int(row.get('spans').split(':')[1]))}")
    missing = set(wanted) - found
    if missing:
        raise WorkbookError(f"configuration sheet has no key {', '.join(sorted(missing))}", where=TEMPLATE_NAME)
    return _serialize(root)


def addin_settings(interpreter: str) -> dict[str, str]:
    """The configuration-sheet entries the add-in is built with."""
    return {"Interpreter_Win": interpreter, "Interpreter_Mac": interpreter, "UDF Modules": UDF_MODULE}


def build_addin(
    out: str | Path | None = None,
    *,
    interpreter: str | None = None,
    template: str | Path | None = None,
) -> bytes:
    """Build ``xlhedge.xlam`` from the installed xlwings' ribbon template.

    Parameters
    ----------
    out : path, optional
        Where to write it. Its file name must be ``xlhedge.xlam``: the
        template's ``RunMain`` imports the add-in's file stem and calls its
        ``main()``.
    interpreter : str, optional
        Python executable written as ``Interpreter_Win``/``Interpreter_Mac``;
        default ``sys.executable`` (this machine's Python, where xlhedge is
        installed).
    template : path, optional
        Another ``quickstart_addin_ribbon.xlam`` (default: the installed xlwings').

    Returns
    -------
    bytes
        The add-in file's content (also written to ``out`` when given).
    """
    if out is not None and Path(out).name != ADDIN_NAME:
        raise WorkbookError(
            f"the add-in must be named {ADDIN_NAME}: its Refresh button runs 'import <file stem>; <file stem>.main()'",
            where=str(out),
        )
    src = Path(template) if template is not None else template_path()
    parts = OpcPackage.open(src)
    book = XlsxPackage(parts)
    ui = customui_part(parts)
    conf = book.sheet(_conf_sheet(book, (TEMPLATE_CONF_SHEET,)))
    keys = {r: v for (r, c), v in conf.values.items() if c == 1}
    settings = addin_settings(interpreter or sys.executable)
    changed = {
        ui: _patch_customui(parts[ui]),
        book.workbook_part: _patch_workbook(parts[book.workbook_part]),
        conf.member: _patch_conf_sheet(parts[conf.member], keys, settings),
    }
    data = parts.to_bytes(changed, normalize=True)
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(out, data)
    return data


# ---------------------------------------------------------------------------
# The VBA module of UDF wrappers


_WIN_STUBS = ("pythoncom", "pywintypes", "win32com", "win32com.client")


def _stub_modules() -> dict[str, types.ModuleType]:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    pythoncom.IID_IDispatch = None  # type: ignore[attr-defined]
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")

    def Dispatch(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no COM here: xlwings.udfs was imported off Windows for its metadata")

    client.Dispatch = Dispatch  # type: ignore[attr-defined]
    win32com.client = client  # type: ignore[attr-defined]
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}


def xlwings_windows_udfs() -> types.ModuleType:
    """``xlwings.udfs`` (the Windows decorators and the VBA wrapper generator).

    On Windows it is imported as usual. Elsewhere pywin32's modules are
    stubbed in ``sys.modules`` just for the import (the decorators and the
    generator are pure Python; only calling into Excel needs COM), then
    ``sys.modules`` is restored so nothing else sees the stubs.
    """
    try:
        return importlib.import_module("xlwings.udfs")
    except ImportError:
        pass
    xlwings = require_xlwings()

    keys = (*_WIN_STUBS, "xlwings.udfs")
    saved = {k: sys.modules.get(k) for k in keys}
    had_attr = "udfs" in vars(xlwings)
    try:
        for name, mod in _stub_modules().items():
            if saved[name] is None:
                sys.modules[name] = mod
        return importlib.import_module("xlwings.udfs")
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
        if not had_attr and "udfs" in vars(xlwings):
            delattr(xlwings, "udfs")


def windows_udf_module() -> types.ModuleType:
    """:mod:`xlhedge.udfs` as built on Windows: with xlwings' ``__xlfunc__`` metadata."""
    from xlhedge import udfs

    xu = xlwings_windows_udfs()
    return udfs.build_module(xu.xlfunc, xu.xlarg, xu.xlret)


def _vba_string(text: str) -> str:
    """A VBA string expression for ``text``: ASCII literals joined with ChrW() for the rest.

    VBA modules are read in the system code page, so characters such as Σ or ×
    are written as ``ChrW(931)`` to reach Excel unchanged.
    """
    pieces: list[str] = []
    run: list[str] = []
    for ch in text:
        if 32 <= ord(ch) < 127:
            run.append('""' if ch == '"' else ch)
        else:
            if run:
                pieces.append('"' + "".join(run) + '"')
                run = []
            pieces.append(f"ChrW({ord(ch)})" if ch not in "\r\n\t" else '" "')
    if run or not pieces:
        pieces.append('"' + "".join(run) + '"')
    return " & ".join(pieces)


def _iter_register_lines(module: types.ModuleType) -> Iterator[str]:
    yield "Sub RegisterXlhedgeFunctions()"
    yield "    ' Gives Excel's function wizard (Insert Function, Ctrl+Shift+A) the description"
    yield "    ' and argument help of every xlhedge function. Run once after importing this"
    yield "    ' module, or call it from Workbook_Open."
    yield "    Dim d() As Variant"
    for name in sorted(module.__all__):
        xlf = getattr(module, name).__xlfunc__
        args = [a for a in xlf["args"] if not a["vba"]]
        yield f"    ReDim d(0 To {max(len(args), 1) - 1})"
        for i, a in enumerate(args):
            yield f"    d({i}) = {_vba_string(a['doc'][:255])}"
        yield (
            f'    Application.MacroOptions Macro:="\'" & ThisWorkbook.Name & "\'!{xlf["name"]}", '
            f"Description:={_vba_string(xlf['ret']['doc'][:255])}, "
            f"Category:={_vba_string(str(xlf['category']))}, ArgumentDescriptions:=d"
        )
    yield "End Sub"


def generate_bas(module: types.ModuleType | None = None) -> str:
    """The VBA module ``xlhedge_udfs.bas`` (text with CRLF line ends).

    The function wrappers are written by xlwings' own generator
    (``xlwings.udfs.generate_vba_wrapper``), exactly as "Import Functions"
    would write them into a macro workbook (``ThisWorkbook``).
    """
    xu = xlwings_windows_udfs()
    module = module or windows_udf_module()
    out = io.StringIO()
    out.write('Attribute VB_Name = "xlhedge_udfs"\n')
    out.write("'Generated from xlhedge's worksheet-function registry by `python -m xlhedge.excel.addin`:\n")
    out.write("'do not edit. The wrappers call the Python functions in xlhedge.udfs through\n")
    out.write("'xlwings, so the workbook also needs xlwings' VBA module (xlwings.bas, e.g. from\n")
    out.write("'`xlwings quickstart NAME --standalone`) or a reference to the xlwings add-in.\n")
    out.write('#Const App = "Microsoft Excel" \'Adjust when using outside of Excel\n')
    book = types.SimpleNamespace(Name="xlhedge_udfs.xlsm")  # a macro workbook, not an add-in
    xu.generate_vba_wrapper(UDF_MODULE, module, out, book)
    for line in _iter_register_lines(module):
        out.write(line + "\n")
    return out.getvalue().replace("\r\n", "\n").replace("\n", "\r\n")


# ---------------------------------------------------------------------------
# Installing (Windows / macOS): xlwings' own installer and user configuration


def excel_platform(platform: str | None = None) -> str | None:
    """ "windows", "mac", or None where Excel does not run."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform.startswith("darwin"):
        return "mac"
    return None


NO_EXCEL_MESSAGE = (
    "Excel is not available on this system ({platform}), so there is nothing to install here. "
    "Recompute saved workbooks with `xlhedge recompute BOOK.xlsx` (formulas and their values stay in "
    "the file); to prepare the add-in for a Windows or Mac machine, run `xlhedge addin build "
    "OUT/xlhedge.xlam --interpreter PATH-TO-PYTHON-THERE` or run `xlhedge addin install` on that machine."
)


def _read_user_config(path: Path) -> list[tuple[str, str]]:
    """xlwings' user configuration: lines ``"KEY","VALUE"`` (xlwings/cli.py update_user_config)."""
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        key, _, value = line.partition(",")
        out.append((key.strip().strip('"'), value.strip().strip('"')))
    return out


def _write_user_config(path: Path, items: list[tuple[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f'"{k}","{v}"\n' for k, v in items), encoding="utf-8")


def configure_udf_modules(
    add: bool = True,
    *,
    config_file: str | Path | None = None,
    interpreter: str | None = None,
    platform: str | None = None,
) -> list[str]:
    """Add (or remove) ``xlhedge.udfs`` in xlwings' ``UDF Modules`` user setting.

    Other modules already listed are kept. On install the interpreter setting
    for this platform (``INTERPRETER_WIN``/``INTERPRETER_MAC``) is written only
    when there is none, so an existing choice is respected. Returns what changed.
    """
    xlwings = require_xlwings()

    path = Path(config_file) if config_file is not None else Path(xlwings.USER_CONFIG_FILE)
    items = _read_user_config(path)
    changes: list[str] = []
    idx = {k.upper(): i for i, (k, _) in enumerate(items)}
    modules = [m for m in (items[idx["UDF MODULES"]][1].split(";") if "UDF MODULES" in idx else []) if m]
    if add and UDF_MODULE not in modules:
        modules.append(UDF_MODULE)
        changes.append(f"UDF Modules += {UDF_MODULE}")
    elif not add and UDF_MODULE in modules:
        modules.remove(UDF_MODULE)
        changes.append(f"UDF Modules -= {UDF_MODULE}")
    value = ";".join(modules)
    if "UDF MODULES" in idx:
        items[idx["UDF MODULES"]] = (items[idx["UDF MODULES"]][0], value)
    elif value:
        items.append(("UDF Modules", value))
    if add:
        key = "INTERPRETER_MAC" if excel_platform(platform) == "mac" else "INTERPRETER_WIN"
        if key not in idx:
            items.append((key, interpreter or sys.executable))
            changes.append(f"{key} = {interpreter or sys.executable}")
    items = [(k, v) for k, v in items if not (k.upper() == "UDF MODULES" and not v)]
    if changes:
        _write_user_config(path, items)
    return changes


def install_addin(
    *,
    interpreter: str | None = None,
    platform: str | None = None,
    installer: Any = None,
    workdir: str | Path | None = None,
) -> Path:
    """Build ``xlhedge.xlam`` for this machine and install it with xlwings' installer.

    ``installer`` defaults to ``xlwings.cli._addin_install`` (copies the file
    into Excel's XLSTART folder, asking Excel for it, and loads it). Raises
    :class:`WorkbookError` where Excel does not run.
    """
    plat = excel_platform(platform)
    if plat is None:
        raise WorkbookError(NO_EXCEL_MESSAGE.format(platform=platform or sys.platform))
    import tempfile

    d = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="xlhedge-addin-"))
    out = d / ADDIN_NAME
    build_addin(out, interpreter=interpreter)
    if installer is None:
        from xlwings.cli import _addin_install as installer  # xlwings' own mechanism
    installer(str(out))
    return out


def uninstall_addin(*, platform: str | None = None, remover: Any = None) -> None:
    """Remove ``xlhedge.xlam`` from Excel's XLSTART folder (xlwings' remover)."""
    plat = excel_platform(platform)
    if plat is None:
        raise WorkbookError(NO_EXCEL_MESSAGE.format(platform=platform or sys.platform))
    if remover is None:
        from xlwings.cli import _addin_remove

        def remover(name: str) -> None:
            _addin_remove(name, False)

    remover(ADDIN_NAME)


# ---------------------------------------------------------------------------
# The committed copies


def regenerate(directory: str | Path | None = None) -> list[Path]:
    """Rewrite the committed ``xlhedge.xlam`` (placeholder interpreter) and ``xlhedge_udfs.bas``."""
    d = Path(directory) if directory is not None else Path(__file__).resolve().parents[2] / "workbook"
    d.mkdir(parents=True, exist_ok=True)
    xlam = d / ADDIN_NAME
    build_addin(xlam, interpreter=PLACEHOLDER_INTERPRETER)
    bas = d / BAS_NAME
    bas.write_bytes(generate_bas().encode("ascii"))
    return [xlam, bas]


def main(argv: list[str] | None = None) -> int:
    """``python -m xlhedge.excel.addin [DIR]``: regenerate the committed add-in and VBA module."""
    argv = sys.argv[1:] if argv is None else argv
    for p in regenerate(argv[0] if argv else None):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
