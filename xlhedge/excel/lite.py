"""The xlwings Lite door: the worksheet functions and Refresh book in Excel on Mac, Windows and the web.

xlwings Lite is a free Excel add-in that runs Python (Pyodide, i.e. CPython compiled to
WebAssembly) inside Excel on all three platforms. A workbook's Python lives in the add-in's
editor: a ``main.py`` whose ``@func`` functions become Excel custom functions and whose
``@script`` functions run from the task pane, and a ``requirements.txt`` that the add-in
installs with Pyodide's ``micropip`` (https://lite.xlwings.org/custom_functions,
https://lite.xlwings.org/custom_scripts, https://lite.xlwings.org/dependencies).

This module writes both files from the registry (:func:`main_py`, :func:`requirements_txt`,
:func:`build`; ``xlhedge lite build DIR``) and holds what the generated ``main.py`` calls
at run time:

* :func:`call` — one worksheet function by its Excel name, through
  :meth:`~xlhedge.functions.registry.WorksheetFunction.call`, the same code the Windows
  add-in (:mod:`xlhedge.udfs`) and ``xlhedge recompute`` run, so a cell shows the same
  value or the same one-line message on every door. Each generated ``@func`` has the
  Excel name, the argument names (:func:`xlhedge.excel.names.excel_arg_name`), the
  optional arguments with their defaults, the description and the ``@arg`` help texts of
  the Windows add-in, and the same read options (``ndim=2, empty=None, err_to_str=True``
  on range arguments). Lite hands a custom function values, never Excel objects: a single
  cell arrives as a number, text, bool or ``None``, a range as a (2-D) list, an error cell
  as its ``"#N/A"`` text (``err_to_str``), an omitted optional argument as its default.
* :func:`refresh` — the **Refresh book** script: the recompute pipeline
  (:func:`xlhedge.calc.recompute.recompute`, the same steps as ``xlhedge recompute`` and
  the Windows ribbon button) on the open workbook through :class:`LiteBook`.

What Lite allows a script (xlwings' remote engine, ``xlwings/pro/_xlremote.py``): the book
it passes holds a snapshot of every sheet's cell *values*, the defined names and the sheet
structure; values are read from that snapshot, and writes (values, formulas, colours,
notes) are queued and applied to Excel when the script ends. Formulas are not in the
snapshot: an ``async`` script asks Excel for them (``await rng.get_formula()``), which is
what :func:`load_formulas` does, once per sheet, before the pipeline starts; the pipeline
itself then runs synchronously over :class:`LiteBook`. What Lite does not expose —
array/spill ranges of a cell, Excel's recalculated values during the script — is worked
around as :class:`LiteBook` says.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from xlhedge.calc.bookio import FormulaCell
from xlhedge.calc.recompute import RecomputeOptions, RecomputeReport
from xlhedge.calc.refs import CellRange
from xlhedge.engine.errors import WorkbookError, internal_error
from xlhedge.excel.live import (
    LiveBook,
    _as_2d,
    _failure_lines,
    _status_range,
    _strip_implicit_intersection,
    run_refresh,
)
from xlhedge.excel.names import excel_arg_name
from xlhedge.functions.registry import WorksheetFunction, registry

__all__ = [
    "LITE_DIR",
    "MAIN_NAME",
    "REQUIREMENTS_NAME",
    "PYODIDE_BUILT",
    "REFRESH_SCRIPT",
    "LiteBook",
    "build",
    "call",
    "committed_dir",
    "load_formulas",
    "main_py",
    "refresh",
    "refresh_loaded",
    "required_dependencies",
    "regenerate",
    "requirements_txt",
    "xlhedge_version",
]

logger = logging.getLogger(__name__)

LITE_DIR = "lite"
MAIN_NAME = "main.py"
REQUIREMENTS_NAME = "requirements.txt"
#: The name the task pane shows for the Refresh book script.
REFRESH_SCRIPT = "Refresh book"
#: xlhedge's required dependencies that Pyodide builds itself (compiled code): Lite installs
#: Pyodide's own build, whose version is tied to Pyodide, so requirements.txt must not pin them
#: (https://lite.xlwings.org/dependencies, "Version pinning"). The others are pure-Python wheels.
PYODIDE_BUILT = frozenset({"numpy", "pandas", "lxml", "scipy", "clarabel"})

#: Read options, as the Windows add-in sets them (:data:`xlhedge.udfs.RANGE_OPTIONS`, ``SCALAR_OPTIONS``;
#: repeated here because that module needs desktop xlwings).
_RANGE_OPTIONS = "ndim=2, empty=None, err_to_str=True"
_SCALAR_OPTIONS = "empty=None, err_to_str=True"

_FUNCTIONS: dict[str, WorksheetFunction] = {}


# ---------------------------------------------------------------------------
# Run time: what the generated main.py calls


def call(name: str, *args: Any) -> Any:
    """Worksheet function ``name`` on the values Lite passed: a scalar, a 2-D list or the cell message."""
    if not _FUNCTIONS:
        _FUNCTIONS.update(registry())
    return _FUNCTIONS[name].call(*args)


#: One sheet's formulas as Excel reported them: (first row, first column, 2-D grid of the used range).
SheetFormulas = tuple[int, int, list[list[Any]]]


async def load_formulas(book: Any) -> dict[str, SheetFormulas]:
    """Every sheet's formulas, asked of Excel once per sheet (Lite's ``await Range.get_formula()``).

    A cell without a formula reports its value, as Office.js's ``Range.formulas`` does.
    """
    out: dict[str, SheetFormulas] = {}
    for sheet in book.sheets:
        used = sheet.used_range
        rows, cols = used.shape
        grid = await used.options(ndim=2).get_formula()
        out[str(sheet.name)] = (int(used.row), int(used.column), _as_2d(grid, rows, cols))
    return out


class LiteBook(LiveBook):
    """:class:`~xlhedge.calc.bookio.BookIO` over the workbook xlwings Lite passes a script.

    Reading and writing are :class:`~xlhedge.excel.live.LiveBook`'s (the xlwings calls Lite's
    remote engine supports: ``sheets``, ``names``, ``used_range``, ``range(...).options(ndim=2,
    empty=None, err_to_str=True).value``, setting ``value``, ``formula``, ``formula_array``,
    font and fill colours; a note where the Excel version has them). Lite differs in three ways:

    * formulas come from ``formulas`` (:func:`load_formulas`), not from the cells: a
      rectangle of cells holding the same formula text is one legacy array formula over
      that rectangle (Excel reports an array formula in every cell of its range, as the
      template's array ranges are), any other formula cell a single-cell formula. Lite
      reports no spill ranges, so a formula that spills from one cell is evaluated as a
      single cell: Excel still shows its whole spill, and the Status area notes that only
      the first value was checked;
    * reads see the values Excel had when the script started, plus every value this
      refresh computed or wrote (Lite applies writes only when the script ends);
    * Excel's recalculated values are not readable before the script ends, so the
      ``#NAME?`` check of the Windows button (:meth:`LiveBook.live_errors`) finds nothing.
    """

    def __init__(self, book: Any, formulas: Mapping[str, SheetFormulas]) -> None:
        super().__init__(book)
        self._formulas = dict(formulas)

    def formula_cells(self) -> Iterator[FormulaCell]:
        for sheet_name in self.sheet_names():
            if sheet_name not in self._formulas:
                continue
            r0, c0, grid = self._formulas[sheet_name]
            covered: list[CellRange] = []
            for i, row in enumerate(grid):
                for j, text in enumerate(row):
                    if not (isinstance(text, str) and text.startswith("=")):
                        continue
                    r, c = r0 + i, c0 + j
                    if any(a.contains(r, c) for a in covered):
                        continue
                    here = CellRange(sheet_name, r, c, r, c)
                    block = self._array_by_formula(grid, i, j, r0, c0, sheet_name)
                    if block.size > 1:
                        covered.append(block)
                        self._entered[here] = ("formula_array", text, block)
                        yield FormulaCell(here, _strip_implicit_intersection(text[1:]), block, False)
                    else:
                        self._entered[here] = ("formula", text, here)
                        yield FormulaCell(here, _strip_implicit_intersection(text[1:]))

    def live_errors(self) -> list[tuple[CellRange, str]]:
        return []


def _failed(io: LiteBook, exc: BaseException, options: RecomputeOptions | None) -> None:
    """Write a failed refresh into the Status area (and Lite's output pane), as the Windows button does."""
    logger.error("Refresh book failed on %s", io.name, exc_info=exc)
    now = ((options.now if options else None) or _dt.datetime.now()).replace(microsecond=0)
    lines = [line.replace("the xlwings log", "xlwings Lite's output pane") for line in _failure_lines(exc, now)]
    try:
        rng = _status_range(io)
        padded: list[str | None] = [*lines[: rng.rows], *([None] * max(0, rng.rows - len(lines)))]
        io.write_input(rng, [[x] for x in padded], style="status_warn")
    except Exception:
        logger.exception("could not write the failure into the book")
    print("\n".join(lines))  # Lite's output pane


def refresh_loaded(
    book: Any, formulas: Mapping[str, SheetFormulas], options: RecomputeOptions | None = None
) -> RecomputeReport | None:
    """The pipeline on ``book`` with its formulas already loaded; a failure goes to the Status area.

    Returns the report, or ``None`` when the refresh failed (as
    :func:`xlhedge.excel.live.refresh_book` does on Windows).
    """
    io = LiteBook(book, formulas)
    try:
        return run_refresh(io, options)
    except Exception as exc:  # everything: the script must end in the book, not in a traceback
        _failed(io, exc, options)
        return None


async def refresh(book: Any, options: RecomputeOptions | None = None) -> RecomputeReport | None:
    """**Refresh book** in xlwings Lite: load the formulas, then the same recompute as every door.

    If Excel does not hand over the formulas, nothing is recomputed and the Status area says
    why (a refresh without its formulas would report a clean book it has not checked).
    """
    try:
        formulas = await load_formulas(book)
    except Exception as exc:
        error = WorkbookError(f"could not read the book's formulas from Excel ({internal_error(exc)})")
        _failed(LiteBook(book, {}), error, options)
        return None
    report = refresh_loaded(book, formulas, options)
    if report is not None:
        for notice in report.findings:
            print(f"{notice.level.upper()} {notice}")
        print(f"xlhedge: {report.cells_evaluated} formulas checked, {len(report.findings)} findings")
    return report


# ---------------------------------------------------------------------------
# Generation: main.py and requirements.txt


def xlhedge_version() -> str:
    """xlhedge's version (the package is loaded: this module is inside it)."""
    return str(sys.modules["xlhedge"].__version__)


def _literal(value: Any) -> str:
    """A Python literal for a default or a text: strings double-quoted (JSON's escapes are Python's)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"no literal for {value!r}")


def _function_source(wf: WorksheetFunction) -> str:
    names = [excel_arg_name(a.name, wf.name) for a in wf.args]
    lines = ["@func"]
    for n, a in zip(names, wf.args):
        options = _RANGE_OPTIONS if a.name in wf.range_args else _SCALAR_OPTIONS
        lines.append(f"@arg({_literal(n)}, doc={_literal(a.doc)}, {options})")
    params = ", ".join(f"{n}={_literal(a.default)}" if a.optional else n for n, a in zip(names, wf.args))
    lines.append(f"def {wf.name}({params}):")
    lines.append(f"    {_literal(wf.description)}")
    lines.append(f"    return _call({', '.join([_literal(wf.name), *names])})")
    return "\n".join(lines)


_HEADER = '''\
"""xlhedge in xlwings Lite: every worksheet function, and the Refresh book script.

Generated by `xlhedge lite build` from the worksheet-function registry of xlhedge {version}.
Do not edit: rebuild it. Paste this file into xlwings Lite's main.py tab and requirements.txt
into its requirements.txt tab (docs/lite.md). Each function calls the registry, the code
behind the Windows add-in and `xlhedge recompute`, so every door shows the same values.
"""

import xlwings as xw
from xlwings import arg, func, script

from xlhedge.excel import lite as _lite

_call = _lite.call


@script(name={script})
async def refresh_book(book: xw.Book):
    """Re-estimate betas, recompute every xlhedge output and write the Status lines."""
    await _lite.refresh(book)
'''


def main_py() -> str:
    """The text of ``main.py``: the Refresh book script and one ``@func`` per registered function."""
    parts = [_HEADER.format(version=xlhedge_version(), script=_literal(REFRESH_SCRIPT))]
    parts += [_function_source(wf) for wf in registry().values()]
    return "\n\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def required_dependencies() -> list[str]:
    """xlhedge's required (not extra) dependencies, as written in its project metadata.

    From the source tree's ``pyproject.toml`` when run from one (it is what the wheel will
    declare), else from the installed distribution's metadata.
    """
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "xlhedge":
            return [str(d) for d in project.get("dependencies", [])]
    from importlib.metadata import requires

    return [r for r in requires("xlhedge") or [] if "extra" not in r.partition(";")[2]]


def _requirement_lines() -> list[str]:
    """One requirements.txt line per required dependency; Pyodide's own builds unpinned."""
    out = []
    for text in required_dependencies():
        spec = text.partition(";")[0].strip()
        name = re.match(r"[A-Za-z0-9._-]+", spec)
        if name is None:
            continue
        key = name.group(0).lower()
        out.append(key if key in PYODIDE_BUILT else spec.replace(" ", ""))
    return out


def requirements_txt(wheel: str | None = None) -> str:
    """The text of ``requirements.txt``; ``wheel`` is where Lite finds the xlhedge wheel (a URL)."""
    xlhedge_line = wheel or f"xlhedge=={xlhedge_version()}"
    lines = [
        "# xlhedge for xlwings Lite (generated by `xlhedge lite build`; docs/lite.md).",
        "# Keep the xlwings line that xlwings Lite wrote into this tab (xlwings==...): it matches the add-in.",
        "# numpy, pandas, lxml, scipy and clarabel are Pyodide's own builds: their versions come with Pyodide, so they are not pinned.",
        *_requirement_lines(),
        "# xlhedge itself: the pure-Python wheel (py3-none-any), from PyPI or from a URL that allows",
        "# cross-origin downloads (e.g. a GitHub release asset): `xlhedge lite build DIR --wheel URL`.",
        xlhedge_line,
    ]
    return "\n".join(lines) + "\n"


def build(directory: str | Path, wheel: str | None = None) -> list[Path]:
    """Write ``main.py`` and ``requirements.txt`` into ``directory`` (created if needed)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    main = d / MAIN_NAME
    main.write_text(main_py(), encoding="utf-8", newline="\n")
    req = d / REQUIREMENTS_NAME
    req.write_text(requirements_txt(wheel), encoding="utf-8", newline="\n")
    return [main, req]


def committed_dir() -> Path:
    """The repo's ``lite/``: the committed copies (an installed xlhedge writes its own with :func:`build`)."""
    return Path(__file__).resolve().parents[2] / LITE_DIR


def regenerate(directory: str | Path | None = None) -> list[Path]:
    """Rewrite the committed ``lite/main.py`` and ``lite/requirements.txt``."""
    return build(Path(directory) if directory is not None else committed_dir())


def main(argv: list[str] | None = None) -> int:
    """``python -m xlhedge.excel.lite [DIR]``: regenerate the committed Lite files."""
    argv = sys.argv[1:] if argv is None else argv
    for p in regenerate(argv[0] if argv else None):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
