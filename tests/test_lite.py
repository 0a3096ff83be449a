"""The xlwings Lite door: the generated main.py/requirements.txt, Refresh book, and a wheel Pyodide can install.

Pyodide itself cannot run the engine here: the npm package ``pyodide`` (Pyodide's core,
reachable from this machine) ships no numpy/pandas/lxml wheels, which come from
Pyodide's CDN, out of reach of these machines (docs/lite.md, "What was verified").
So the generated ``main.py`` runs under CPython with a stand-in for xlwings Lite's
decorators (:class:`FakeLite`) that records what is registered, the way xlwings' Office.js
runtime reads ``__xlfunc__``-style metadata; and Refresh book runs against a stand-in for
the book object Lite passes a script (:class:`LiteBookDouble`, over an openpyxl workbook:
a value snapshot, queued writes, formulas only through ``await get_formula()``).
"""

from __future__ import annotations

import asyncio
import builtins
import importlib.util
import inspect
import json
import re
import shutil
import subprocess
import sys
import types
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from tests.test_udfs import _stubs
from xlhedge import udfs
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.calc.refs import CellRange, quote_sheet
from xlhedge.excel import lite
from xlhedge.excel.live import run_refresh
from xlhedge.excel.names import excel_arg_name
from xlhedge.functions.registry import WorksheetFunction, registry
from xlhedge.workbook.filebook import FileBook

from ._market_data import skfolio_file
from .conftest import ON_CI

REPO = Path(__file__).resolve().parents[1]
REG = registry()
PYODIDE_LIST = Path(__file__).parent / "data" / "pyodide_packages.txt"
NOW = __import__("datetime").datetime(2026, 1, 2, 3, 4, 5)


# ---------------------------------------------------------------------------
# A stand-in for xlwings Lite's decorators


class FakeLite:
    """``func``/``arg``/``ret``/``script`` as a module ``xlwings`` in Lite provides them, recording."""

    def __init__(self) -> None:
        self.functions: dict[str, Any] = {}
        self.scripts: dict[str, tuple[Any, dict[str, Any]]] = {}
        self.module = types.ModuleType("xlwings")
        self.module.func = self.func
        self.module.arg = self.arg
        self.module.ret = self.ret
        self.module.script = self.script
        self.module.Book = type("Book", (), {})

    @staticmethod
    def _meta(f: Any) -> dict[str, Any]:
        if not hasattr(f, "_lite"):
            f._lite = {"args": {}, "ret": None}
        return f._lite

    def func(self, f: Any = None, **options: Any) -> Any:
        def register(f: Any) -> Any:
            name = f.__name__.upper()  # Lite's Excel name: the Python name, upper-cased
            assert name not in self.functions, f"{name} registered twice"
            self._meta(f)["func"] = options
            self.functions[name] = f
            return f

        return register if f is None else register(f)

    def arg(self, name: str, convert: Any = None, **options: Any) -> Any:
        def decorate(f: Any) -> Any:
            assert name in inspect.signature(f).parameters, f"{f.__name__}: @arg for unknown argument {name!r}"
            doc = options.pop("doc", None)
            self._meta(f)["args"][name] = {"doc": doc, "convert": convert, "options": options}
            return f

        return decorate

    def ret(self, convert: Any = None, **options: Any) -> Any:
        def decorate(f: Any) -> Any:
            self._meta(f)["ret"] = options
            return f

        return decorate

    def script(self, f: Any = None, **options: Any) -> Any:
        def register(f: Any) -> Any:
            assert f.__name__ not in self.scripts
            self.scripts[f.__name__] = (f, options)
            return f

        return register if f is None else register(f)


def load_main(monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[FakeLite, types.ModuleType]:
    """Import a generated main.py the way Lite does, with ``xlwings`` being the stand-in."""
    fake = FakeLite()
    monkeypatch.setitem(sys.modules, "xlwings", fake.module)
    spec = importlib.util.spec_from_file_location("lite_main_under_test", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return fake, mod


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    lite.build(tmp_path)
    return tmp_path


@pytest.fixture()
def main(monkeypatch: pytest.MonkeyPatch, built: Path) -> tuple[FakeLite, types.ModuleType]:
    return load_main(monkeypatch, built / lite.MAIN_NAME)


# ---------------------------------------------------------------------------
# The generated files


def test_committed_copies_are_regenerated_from_the_registry(built: Path):
    for name in (lite.MAIN_NAME, lite.REQUIREMENTS_NAME):
        committed = lite.committed_dir() / name
        assert committed.is_file(), f"{committed} is missing: run `python -m xlhedge.excel.lite`"
        assert committed.read_text(encoding="utf-8") == (built / name).read_text(encoding="utf-8"), (
            f"{committed} is out of step with the registry: run `python -m xlhedge.excel.lite`"
        )


def test_committed_main_registers_every_function(monkeypatch: pytest.MonkeyPatch):
    fake, _ = load_main(monkeypatch, lite.committed_dir() / lite.MAIN_NAME)
    assert sorted(fake.functions) == sorted(REG)


def test_every_registry_function_registered_once_as_the_windows_add_in_names_it(main):
    fake, mod = main
    assert sorted(fake.functions) == sorted(REG)  # FakeLite.func refuses a second registration
    for name, wf in REG.items():
        f = fake.functions[name]
        assert f.__name__ == name and getattr(mod, name) is f
        assert f.__doc__ == wf.description
        params = list(inspect.signature(f).parameters.values())
        assert [p.name for p in params] == [excel_arg_name(a.name, name) for a in wf.args]
        meta = f._lite
        assert meta["func"] == {} and meta["ret"] is None  # no converters: values as Lite passes them
        assert list(meta["args"]) == [p.name for p in reversed(params)]  # one @arg per argument
        for p, a in zip(params, wf.args):
            assert p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            assert (p.default is not inspect.Parameter.empty) == a.optional
            if a.optional:
                assert p.default == a.default and type(p.default) is type(a.default)
            m = meta["args"][p.name]
            assert m["doc"] == a.doc and m["convert"] is None
            expected = {"empty": None, "err_to_str": True} | ({"ndim": 2} if a.name in wf.range_args else {})
            assert m["options"] == expected, (name, p.name)


def test_lite_metadata_is_the_windows_add_ins(main, monkeypatch: pytest.MonkeyPatch):
    """Names, argument names, help texts, optional arguments and read options equal xlwings' Windows metadata."""
    fake, _ = main
    monkeypatch.setitem(sys.modules, "xlwings", xlwings)
    if not sys.platform.startswith("win"):
        for name, m in _stubs().items():
            monkeypatch.setitem(sys.modules, name, m)
        monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    xu = importlib.import_module("xlwings.udfs")
    win = udfs.build_module(xu.xlfunc, xu.xlarg, xu.xlret)
    for name in REG:
        xlf = getattr(win, name).__xlfunc__
        f = fake.functions[name]
        assert xlf["ret"]["doc"] == f.__doc__
        params = inspect.signature(f).parameters
        assert [a["name"] for a in xlf["args"]] == list(params)
        for xa in xlf["args"]:
            mine = f._lite["args"][xa["name"]]
            assert xa["doc"] == mine["doc"]
            assert xa["options"] == mine["options"]
            assert ("optional" in xa) == (params[xa["name"]].default is not inspect.Parameter.empty)
            if "optional" in xa:
                assert xa["optional"] == params[xa["name"]].default


def test_refresh_book_is_one_async_script_taking_the_book(main):
    fake, _ = main
    assert list(fake.scripts) == ["refresh_book"]
    f, options = fake.scripts["refresh_book"]
    assert options == {"name": "Refresh book"}
    assert inspect.iscoroutinefunction(f)  # it awaits get_formula(): Lite's async API
    (param,) = inspect.signature(f).parameters.values()
    assert param.annotation in ("xw.Book", sys.modules["xlwings"].Book)


def test_main_py_is_plain_python_calling_only_the_registry(built: Path):
    text = (built / lite.MAIN_NAME).read_text(encoding="utf-8")
    compile(text, "main.py", "exec")
    assert text.count("@func\n") == len(REG)
    calls = re.findall(r"^    return _call\(\"(\w+)\"", text, re.M)
    assert sorted(calls) == sorted(REG)


def test_requirements_pin_nothing_pyodide_builds(built: Path):
    lines = [
        ln for ln in (built / lite.REQUIREMENTS_NAME).read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"
    ]
    names = [re.match(r"[A-Za-z0-9._-]+", ln).group(0).lower() for ln in lines]
    assert names[-1] == "xlhedge"
    deps = [n for n in names[:-1]]
    # the runtime dependencies (pyproject.toml): scipy and clarabel are the hedge optimiser's solver
    assert sorted(deps) == sorted({"numpy", "pandas", "lxml", "openpyxl", "typer", "rich", "scipy", "clarabel"})
    assert {"numpy", "pandas", "lxml", "scipy", "clarabel"} <= lite.PYODIDE_BUILT
    for ln, n in zip(lines, names):
        if n in lite.PYODIDE_BUILT:
            assert ln == n, f"{ln!r}: Pyodide's own build must not be pinned"
    assert "xlwings" not in names  # Lite's own xlwings line stays
    assert lite.requirements_txt("https://example.org/xlhedge-0.1.0-py3-none-any.whl").splitlines()[-1] == (
        "https://example.org/xlhedge-0.1.0-py3-none-any.whl"
    )


def test_cli_lite_build(tmp_path: Path):
    from typer.testing import CliRunner

    from xlhedge.cli import app

    r = CliRunner().invoke(
        app, ["lite", "build", str(tmp_path / "out"), "--wheel", "https://h/x.whl"], env={"COLUMNS": "200"}
    )
    assert r.exit_code == 0, r.output
    assert f"{len(REG)} worksheet functions" in " ".join(r.output.split())  # at any terminal width
    assert (tmp_path / "out" / "main.py").read_text(encoding="utf-8") == lite.main_py()
    assert (tmp_path / "out" / "requirements.txt").read_text(encoding="utf-8").endswith("https://h/x.whl\n")
    (tmp_path / "file").write_text("x")
    r = CliRunner().invoke(app, ["lite", "build", str(tmp_path / "file")], env={"COLUMNS": "200"})
    assert r.exit_code == 2 and "is a file, not a folder" in " ".join(r.output.split())


# ---------------------------------------------------------------------------
# Values: the same as the other doors


def _recorded_calls(book: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """Every worksheet-function call `xlhedge recompute` makes on ``book``, with the values passed."""
    calls: list[tuple[str, tuple[Any, ...]]] = []
    original = WorksheetFunction.evaluate

    def recording(self: WorksheetFunction, *args: Any) -> Any:
        calls.append((self.name, args))
        return original(self, *args)

    monkeypatch.setattr(WorksheetFunction, "evaluate", recording)
    recompute(FileBook(book), RecomputeOptions(now=NOW))
    monkeypatch.setattr(WorksheetFunction, "evaluate", original)
    return calls


def _samples() -> dict[str, tuple[Any, ...]]:
    """Inputs for the functions the example book does not call (its Prices sheet is empty)."""
    import numpy as np

    rng = np.random.default_rng(7)
    n = 80
    spx = 100 * np.cumprod(1 + rng.normal(0, 0.01, n))
    r_spx = np.r_[0.0, spx[1:] / spx[:-1] - 1]
    a = 50 * np.cumprod(1 + 1.2 * r_spx + rng.normal(0, 0.004, n))
    b = 20 * np.cumprod(1 - 0.5 * r_spx + rng.normal(0, 0.006, n))
    vix = 15 + 10 * np.abs(np.sin(np.arange(n) / 7))
    col = lambda x: [[float(v)] for v in x]  # noqa: E731
    table = [["A", "B", "SPX"], *[[float(x), float(y), float(z)] for x, y, z in zip(a, b, spx)]]
    return {
        "ADJUSTED_BETA": (1.2,),
        "BETA": (col(a), col(spx)),
        "BETA_STATS": (col(a), col(spx)),
        "CALIBRATE_THRESHOLDS": (col(vix),),
        "CORRELATION": (col(a), col(spx)),
        "CORRELATION_MATRIX": (table,),
        "EWMA_BETA": (col(a), col(spx)),
        "EXPOSURE_AFTER": (0.5, 1e6, -2.0, 5000.0, 50.0),
        "HEDGE_BUDGET": (1e6,),
        "HEDGE_CONTRACTS": (-46000.0, 5000.0, 50.0),
        "HEDGE_UNITS": (-46000.0, 5000.0),
        "INSTRUMENT": ("ES",),
        "INVERSE_PNL": (10.0, 100.0, 60000.0, 66000.0),
        "LINEAR_PNL": (1.0, 60000.0, 66000.0),
        "LSQ_HEDGE": (col(a), [row[1:] for row in table[1:]]),
        "MINVAR_HEDGE": (col(a), col(spx)),
        "PAIR_NEUTRAL": (1.0, 1.2, 0.8),
        "PERP_CARRY": ([[0.0001], [0.0002], [-0.0001]],),
        "OPTION_EXPOSURE": ("put", 20.0, 100.0, 600.0, 570.0, 0.2, 0.25, 1e7),
        "OPTION_SCENARIO": ("put", 20.0, 100.0, 600.0, 570.0, 0.2, 0.25, [[-0.1], [0.0], [0.1]], [[0.1, 0.0, -0.05]]),
        "PUT_DELTA": (100.0, 95.0, 0.2, 0.25),
        "PUT_PRICE": (100.0, 95.0, 0.2, 0.25),
        "REGIME_CORRELATION": (table, col(vix), "high", 16.0, 20.0),
        "ROLLING_BETA": (col(a), col(spx), 20.0),
        "ROLLING_CORRELATION": (col(a), col(spx), 20.0),
        "SERIES_NAMES": (table,),
    }


def test_results_equal_the_registry_and_the_windows_udfs(main, example_book: Path, monkeypatch):
    """Every call the example book makes, through Lite's function, the registry and xlhedge.udfs."""
    fake, _ = main
    calls = _recorded_calls(example_book, monkeypatch)
    used = {n for n, _ in calls}
    assert len(used) >= 20, sorted(used)  # the example book reaches most of the registry
    seen = set()
    for name, args in calls:
        key = (name, repr(args))
        if key in seen:
            continue
        seen.add(key)
        expected = REG[name].call(*args)
        got = fake.functions[name](*args)
        assert got == expected, name
        assert getattr(udfs, name)(*args) == got, name
    # The functions the book does not call, on sample inputs.
    samples = _samples()
    # OPTION_BOOK_SCENARIOS (the book without vs with its options) takes the first eight arguments
    # of the Scenarios sheet's JOINT_SCENARIO_PNL: the book's blocks and its scenarios
    samples["OPTION_BOOK_SCENARIOS"] = next(args for n, args in calls if n == "JOINT_SCENARIO_PNL")[:8]
    values = 0
    for name in sorted(set(REG) - used):
        assert name in samples, f"{name}: add a sample input"
        args = samples[name]
        expected = REG[name].call(*args)
        assert fake.functions[name](*args) == expected == getattr(udfs, name)(*args), name
        values += not (isinstance(expected, str) and expected.startswith("#"))
    assert values == len(set(REG) - used), "a sample input gives an error message"
    # Blank arguments (a half-filled sheet): the same message through every door.
    for name, wf in REG.items():
        blanks = [None] * wf.min_args
        assert fake.functions[name](*blanks) == wf.call(*blanks) == getattr(udfs, name)(*blanks), name


def test_omitted_optional_arguments_get_the_registry_defaults(main):
    """What Lite passes for an omitted optional argument is its default (the signature's)."""
    fake, _ = main
    wf = REG["HEDGE_NOTIONAL"]
    f = fake.functions["HEDGE_NOTIONAL"]
    required = [0.92, 100_000.0][: wf.min_args] + [None] * max(0, wf.min_args - 2)
    defaults = [a.default for a in wf.args[wf.min_args :]]
    assert f(*required) == wf.call(*required, *defaults)
    assert f(0.92, 100_000.0, 0.5) == -46000.0


# ---------------------------------------------------------------------------
# Refresh book against a stand-in for the book Lite passes a script


def _formula_text(v: Any) -> Any:
    return v.text if isinstance(v, ArrayFormula) else v


class _Font:
    def __init__(self, log: list, where: str) -> None:
        self.__dict__["_log"], self.__dict__["_where"] = log, where

    def __setattr__(self, key: str, value: Any) -> None:
        self._log.append(("font." + key, self._where, value))


class RangeDouble:
    """A range of :class:`LiteBookDouble`: values from the snapshot, writes queued, formulas async."""

    def __init__(self, sheet: SheetDouble, r1: int, c1: int, r2: int, c2: int, options: dict | None = None) -> None:
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2
        self._options = options or {}

    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1

    @property
    def where(self) -> str:
        return str(CellRange(self.sheet.name, self.r1, self.c1, self.r2, self.c2))

    def options(self, **options: Any) -> RangeDouble:
        return RangeDouble(self.sheet, self.r1, self.c1, self.r2, self.c2, options)

    def _grid(self, source: list[list[Any]]) -> Any:
        grid = [
            [
                source[r - 1][c - 1] if r <= len(source) and c <= len(source[0]) else None
                for c in range(self.c1, self.c2 + 1)
            ]
            for r in range(self.r1, self.r2 + 1)
        ]
        if self._options.get("ndim") == 2:
            return grid
        if self.shape == (1, 1):
            return grid[0][0]
        return grid[0] if self.shape[0] == 1 else ([r[0] for r in grid] if self.shape[1] == 1 else grid)

    @property
    def value(self) -> Any:
        assert self._options.get("err_to_str") in (True, None)
        return self._grid(self.sheet.values)

    @value.setter
    def value(self, v: Any) -> None:
        self.sheet.book.actions.append(("value", self.where, v))  # applied when the script ends, as in Lite

    @property
    def formula(self) -> Any:
        raise NotImplementedError("Reading formulas synchronously isn't supported on this engine.")

    @formula.setter
    def formula(self, v: Any) -> None:
        self.sheet.book.actions.append(("formula", self.where, v))

    @property
    def formula2(self) -> Any:
        raise NotImplementedError("Reading formulas synchronously isn't supported on this engine.")

    @formula2.setter
    def formula2(self, v: Any) -> None:
        self.sheet.book.actions.append(("formula", self.where, v))

    @property
    def formula_array(self) -> Any:
        raise NotImplementedError

    @formula_array.setter
    def formula_array(self, v: Any) -> None:
        self.sheet.book.actions.append(("formula_array", self.where, v))

    @property
    def has_array(self) -> None:
        return None  # Lite's remote engine: not supported

    async def get_formula(self) -> Any:
        await asyncio.sleep(0)
        return self._grid(self.sheet.formulas)

    @property
    def note(self) -> None:
        return None

    def add_note(self, text: str) -> None:
        self.sheet.book.actions.append(("note", self.where, text))

    @property
    def font(self) -> _Font:
        return _Font(self.sheet.book.actions, self.where)

    @property
    def color(self) -> None:
        return None

    @color.setter
    def color(self, v: Any) -> None:
        self.sheet.book.actions.append(("color", self.where, v))


class SheetDouble:
    def __init__(self, book: LiteBookDouble, name: str, values: list[list[Any]], formulas: list[list[Any]]) -> None:
        self.book, self.name, self.values, self.formulas = book, name, values, formulas

    def range(self, a: tuple[int, int], b: tuple[int, int] | None = None) -> RangeDouble:
        b = b or a
        return RangeDouble(self, a[0], a[1], b[0], b[1])

    @property
    def used_range(self) -> RangeDouble:
        rows = max(len(self.values), 1)
        cols = max((len(r) for r in self.values), default=1) or 1
        return RangeDouble(self, 1, 1, rows, cols)


class LiteBookDouble:
    """What xlwings Lite hands a script, over a saved workbook: values as Excel last computed them."""

    def __init__(self, path: Path) -> None:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path)
        self.name = path.name
        self.actions: list[tuple[str, str, Any]] = []
        self.sheets = []
        for ws in formulas.worksheets:
            wv = values[ws.title]
            rows, cols = ws.max_row, ws.max_column
            vals = [[wv.cell(r, c).value for c in range(1, cols + 1)] for r in range(1, rows + 1)]
            fgrid = [[None] * cols for _ in range(rows)]
            for r in range(1, rows + 1):
                for c in range(1, cols + 1):
                    v = ws.cell(r, c).value
                    if isinstance(v, ArrayFormula):  # Office.js reports the formula in every cell of the array
                        c1, r1, c2, r2 = range_boundaries(v.ref)
                        for rr in range(r1, r2 + 1):
                            for cc in range(c1, c2 + 1):
                                fgrid[rr - 1][cc - 1] = _formula_text(v)
                    elif fgrid[r - 1][c - 1] is None:
                        fgrid[r - 1][c - 1] = v if not (isinstance(v, str) and v.startswith("=")) else v
                    if fgrid[r - 1][c - 1] is None:
                        fgrid[r - 1][c - 1] = vals[r - 1][c - 1]  # no formula: Office.js reports the value
            self.sheets.append(SheetDouble(self, ws.title, vals, fgrid))
        self.names = [
            types.SimpleNamespace(name=n, refers_to="=" + d.attr_text) for n, d in formulas.defined_names.items()
        ]
        for ws in formulas.worksheets:
            for n, d in ws.defined_names.items():
                self.names.append(
                    types.SimpleNamespace(name=f"{quote_sheet(ws.title)}!{n}", refers_to="=" + d.attr_text)
                )
        self.app = types.SimpleNamespace(calculate=lambda: self.actions.append(("calculate", "", None)))


def _file_values(path: Path) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return {
        ws.title: [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(1, ws.max_row + 1)]
        for ws in wb.worksheets
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
    if hasattr(a, "code"):
        a = a.code
    if hasattr(b, "code"):
        b = b.code
    return a == b or (a in (None, "") and b in (None, ""))


@pytest.fixture()
def recomputed(example_book: Path, tmp_path: Path) -> tuple[Path, Any]:
    """The example book after `xlhedge recompute`, and that run's report."""
    out = tmp_path / "recomputed.xlsx"
    shutil.copyfile(example_book, out)
    fb = FileBook(out)
    report = recompute(fb, RecomputeOptions(now=NOW))
    fb.save()
    return out, report


def test_lite_book_computes_what_xlhedge_recompute_stores(example_book: Path, recomputed):
    out, file_report = recomputed
    book = LiteBookDouble(example_book)
    io = lite.LiteBook(book, asyncio.run(lite.load_formulas(book)))
    report = run_refresh(io, RecomputeOptions(now=NOW))
    assert [str(f) for f in report.findings] == [str(f) for f in file_report.findings]
    assert report.cells_evaluated == file_report.cells_evaluated
    stored = _file_values(out)
    assert len(io.results) >= 100
    for anchor, grid in io.results.items():
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                want = stored[anchor.sheet][anchor.r1 + i - 1][anchor.c1 + j - 1]
                assert _same(v, want), (str(anchor), i, j, v, want)


def _refresh_like_recompute(fake: FakeLite, path: Path, tmp_path: Path) -> LiteBookDouble:
    """Refresh book (the generated script) on ``path`` writes what `xlhedge recompute` stores in a copy."""
    out = tmp_path / "recomputed-copy.xlsx"
    shutil.copyfile(path, out)
    fb = FileBook(out)
    file_report = recompute(fb, RecomputeOptions(now=NOW))
    fb.save()
    stored = _file_values(out)
    book = LiteBookDouble(path)
    script, _ = fake.scripts["refresh_book"]
    report = asyncio.run(script(book))
    assert report is None  # the script returns nothing to Lite; the report went to the output pane
    values = [(w, v) for kind, w, v in book.actions if kind == "value"]
    assert values, "Refresh book wrote nothing"
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
    for where, v in values:
        rng = CellRange(*_parse(where))
        grid = v if isinstance(v, list) else [[v]]
        for i, row in enumerate(grid):
            for j, x in enumerate(row):
                want = stored[rng.sheet][rng.r1 + i - 1][rng.c1 + j - 1]
                if isinstance(x, str) and isinstance(want, str):
                    x, want = stamp.sub("T", x), stamp.sub("T", want)
                assert _same(x, want), (where, i, j, x, want)
    # Every xlhedge formula re-entered as it was, so Excel binds and recalculates it with Lite's functions.
    entered = {(kind, w): v for kind, w, v in book.actions if kind.startswith("formula")}
    xl = [fc for fc in FileBook(path).formula_cells() if re.search(r"\b(" + "|".join(REG) + r")\(", fc.formula)]
    assert xl
    for fc in xl:
        if fc.array is not None:
            assert entered[("formula_array", str(fc.array))] == "=" + fc.formula
        else:
            assert entered[("formula", str(fc.cell))] == "=" + fc.formula
    book.file_report = file_report
    return book


def test_refresh_book_script_writes_what_xlhedge_recompute_stores(main, example_book: Path, tmp_path, capsys):
    fake, _ = main
    book = _refresh_like_recompute(fake, example_book, tmp_path)
    printed = capsys.readouterr().out
    assert f"{book.file_report.cells_evaluated} formulas checked" in printed


def test_refresh_book_reestimates_betas_as_recompute_does(main, tmp_path, capsys):
    """A book with prices whose estimate window changed: Refresh book re-estimates the betas (values,
    notes and the "estimated" colours) and checks the price-based formulas as `xlhedge recompute` does."""
    from typer.testing import CliRunner

    from xlhedge.calc.refs import parse_ref
    from xlhedge.cli import app
    from xlhedge.template import template_path
    from xlhedge.workbook.prices_csv import read_prices

    t = read_prices([skfolio_file("sp500_dataset"), skfolio_file("sp500_index")])  # real closes (tests/_market_data)
    prices_csv = tmp_path / "closes.csv"
    t.prices.loc["2021":, ["SP500", "XOM", "CVX", "AAPL"]].to_csv(prices_csv, index_label="Date")
    book = tmp_path / "book.xlsx"
    shutil.copyfile(template_path("template"), book)
    names = FileBook(book).defined_names()
    tickers, weights = (parse_ref(names[n].lstrip("=")) for n in ("BOOKTICKERS", "BOOKWEIGHTS"))
    wb = openpyxl.load_workbook(book)
    for j, (ticker, w) in enumerate((("XOM", 0.02), ("CVX", 0.02), ("AAPL", 0.03))):
        wb[tickers.sheet].cell(row=tickers.r1, column=tickers.c1 + j, value=ticker)
        wb[weights.sheet].cell(row=weights.r1, column=weights.c1 + j, value=w)
    wb.save(book)
    assert CliRunner().invoke(app, ["estimate", str(book), "--prices", str(prices_csv)]).exit_code == 0
    fb = FileBook(book)
    fb.write_input(parse_ref(fb.defined_names()["ESTIMATEWINDOW"]), [[60]])
    fb.save()
    fake, _ = main
    lb = _refresh_like_recompute(fake, book, tmp_path)
    notes = [(w, v) for kind, w, v in lb.actions if kind == "note"]
    assert len(notes) >= 2 and all("60" in v for _, v in notes), notes
    assert [a for a in lb.actions if a[0] == "font.color"], "estimated cells are coloured"
    betas = [w for kind, w, _ in lb.actions if kind == "value" and w.startswith("Book!")]
    assert len(betas) >= 2, "the re-estimated betas are written into the Book sheet"


def _parse(where: str) -> tuple[str, int, int, int, int]:
    from xlhedge.calc.refs import parse_ref

    r = parse_ref(where)
    return r.sheet, r.r1, r.c1, r.r2, r.c2


def test_a_failing_refresh_ends_in_the_status_area(main, example_book: Path, monkeypatch, capsys):
    fake, _ = main
    book = LiteBookDouble(example_book)

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(lite, "run_refresh", boom)
    script, _ = fake.scripts["refresh_book"]
    asyncio.run(script(book))
    (status,) = [v for kind, w, v in book.actions if kind == "value"]
    lines = [r[0] for r in status if r[0]]
    assert lines[0].startswith("Refresh FAILED")
    assert "disk on fire" in lines[1] and "output pane" in lines[1] and "Traceback" not in " ".join(lines)
    assert "Refresh FAILED" in capsys.readouterr().out


def test_formulas_excel_does_not_hand_over_fail_the_refresh_in_the_status_area(main, example_book: Path, capsys):
    """Without its formulas a refresh would check nothing and report OK: it fails instead, saying why."""
    fake, _ = main
    book = LiteBookDouble(example_book)

    async def refused(self):
        raise RuntimeError("getRangeData failed")

    RangeDouble.get_formula, saved = refused, RangeDouble.get_formula
    try:
        script, _ = fake.scripts["refresh_book"]
        asyncio.run(script(book))
    finally:
        RangeDouble.get_formula = saved
    (status,) = [v for kind, w, v in book.actions if kind == "value"]
    lines = [r[0] for r in status if r[0]]
    assert lines[0].startswith("Refresh FAILED")
    assert "could not read the book's formulas from Excel" in lines[1] and "getRangeData failed" in lines[1]
    assert not [a for a in book.actions if a[0].startswith("formula")]
    assert "Refresh FAILED" in capsys.readouterr().out


def test_spilling_single_cell_formula_is_evaluated_as_one_cell():
    """Lite reports no spill ranges: a lone formula is a single cell; a block of one text is one array."""
    sheet_formulas = {"S": (1, 1, [["=FACTOR_EXPOSURE(A1:B2)", 1.0], ["=NAV", "=NAV"], ["=NAV", "=NAV"]])}
    book = types.SimpleNamespace(name="b.xlsx", sheets=[types.SimpleNamespace(name="S")], names=[])
    io = lite.LiteBook(book, sheet_formulas)
    cells = list(io.formula_cells())
    assert [(str(c.cell), c.array and str(c.array), c.dynamic) for c in cells] == [
        ("S!A1", None, False),
        ("S!A2", "S!A2:B3", False),
    ]


# ---------------------------------------------------------------------------
# Installable in Pyodide


def _pyodide_packages() -> dict[str, set[str]]:
    """Pyodide's packages (name -> import names) from the shipped pyodide-lock.json list."""
    out = {}
    for line in PYODIDE_LIST.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, _version, *imports = line.split()
        out[name.lower()] = set(imports[0].split(",")) if imports else set()
    return out


def _pyodide_versions() -> dict[str, str]:
    """Pyodide's packages (name -> version) from the shipped pyodide-lock.json list."""
    out = {}
    for line in PYODIDE_LIST.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, version, *_ = line.split()
        out[_canonical(name)] = version
    return out


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requires(metadata_text: str) -> list[str]:
    return Parser().parsestr(metadata_text).get_all("Requires-Dist") or []


def _pure_python_closure(requirements: list[str], pyodide: dict[str, set[str]]) -> dict[str, str]:
    """Each non-Pyodide dependency (recursively) -> its installed wheel's tag; all must be pure Python."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement

    env = {"sys_platform": "emscripten", "platform_system": "Emscripten", "python_version": "3.14", "extra": ""}
    seen: dict[str, str] = {}
    todo = list(requirements)
    while todo:
        req = Requirement(todo.pop())
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = _canonical(req.name)
        if name in seen or name in {_canonical(p) for p in pyodide}:
            continue
        dist = distribution(req.name)
        wheel = dist.read_text("WHEEL") or ""
        tags = re.findall(r"^Tag: (\S+)", wheel, re.M)
        purelib = re.search(r"^Root-Is-Purelib: true", wheel, re.M | re.I) is not None
        assert purelib and tags and all(t.endswith("-none-any") for t in tags), (name, tags)
        seen[name] = ",".join(tags)
        todo += dist.requires or []
    return seen


def test_wheel_is_pure_python_and_its_dependencies_are_in_pyodide(tmp_path: Path):
    if ON_CI:
        import hatchling  # noqa: F401  (the test extra installs it: CI must not skip)
    pytest.importorskip("hatchling")
    r = subprocess.run(
        [sys.executable, "-c", f"from hatchling.build import build_wheel; print(build_wheel({str(tmp_path)!r}))"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    (whl,) = tmp_path.glob("*.whl")
    assert whl.name.endswith("-py3-none-any.whl"), whl.name
    with zipfile.ZipFile(whl) as z:
        names = z.namelist()
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        wheel_text = z.read(info).decode()
        metadata = z.read(meta).decode()
    assert "Root-Is-Purelib: true" in wheel_text and "Tag: py3-none-any" in wheel_text
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dll", ".dylib"))]
    assert "xlhedge/excel/lite.py" in names and "xlhedge/templates/xlhedge_template.xlsx" in names
    requires = _requires(metadata)
    required = [r for r in requires if "extra ==" not in r]
    pyodide = _pyodide_packages()
    names_required = {_canonical(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in required}
    assert names_required == {"numpy", "pandas", "lxml", "openpyxl", "typer", "rich", "scipy", "clarabel"}
    assert not any("xlwings" in r for r in required)  # desktop xlwings is the excel extra
    assert any(re.match(r"xlwings\b.*;\s*extra\s*==\s*['\"]excel['\"]", r) for r in requires), requires
    compiled = {"numpy", "pandas", "lxml", "scipy", "clarabel"}
    assert compiled <= set(pyodide), "numpy, pandas, lxml, scipy and clarabel must be Pyodide builds"
    from packaging.requirements import Requirement

    versions = _pyodide_versions()
    for r in required:  # Pyodide's own build of each compiled dependency satisfies the wheel's range
        req = Requirement(r)
        if _canonical(req.name) in compiled:
            assert req.specifier.contains(versions[_canonical(req.name)], prereleases=True), (r, versions)
    pure = _pure_python_closure(required, pyodide)
    assert {"openpyxl", "typer", "et-xmlfile"} <= set(pure), pure


def test_pyodide_list_is_the_lock_file_it_names():
    head = PYODIDE_LIST.read_text(encoding="utf-8").splitlines()[:3]
    assert "pyodide-lock.json" in head[0] and "pyodide@" in head[1]
    pkgs = _pyodide_packages()
    assert len(pkgs) > 200 and {"numpy", "pandas", "lxml", "micropip"} <= set(pkgs)


IMPORT_PROBE = r"""
import builtins, json, os, sys, threading
direct = set()
_orig = builtins.__import__
def _rec(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__", "") or ""
    if importer.startswith("xlhedge") and level == 0:
        direct.add((importer, name.split(".")[0]))
    return _orig(name, globals, locals, fromlist, level)
builtins.__import__ = _rec
opened = []
sys.addaudithook(lambda ev, args: opened.append(args[0]) if ev == "open" and isinstance(args[0], str) else None)
before = set(sys.modules)
import xlhedge.engine, xlhedge.functions
from xlhedge.functions.registry import registry
value = registry()["FACTOR_EXPOSURE"].call([[0.5, -0.25], [1.0, 2.0]])
import xlhedge.excel.lite
new = set(sys.modules) - before
files = [getattr(sys.modules[m], "__file__", None) or "" for m in new]
# compiled extensions outside the standard library, by the folder they are installed in
ext = sorted({f.split("site-packages" + os.sep, 1)[1].split(os.sep)[0] for f in files
              if f.endswith((".so", ".pyd")) and "site-packages" + os.sep in f})
print(json.dumps({"value": value, "threads": threading.active_count(), "ext": ext,
                  "direct": sorted(direct), "opened": opened, "new": sorted(new)}))
"""


def test_engine_and_functions_import_nothing_pyodide_lacks(tmp_path: Path):
    """Module-level imports of the engine, the worksheet functions and the Lite door: no thread started,
    no subprocess/multiprocessing/socket/xlwings/CLI module, no compiled extension outside Pyodide's set,
    no file read outside the installation."""
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    r = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["value"] == [[0.0]]
    assert out["threads"] == 1
    banned = {"subprocess", "multiprocessing", "concurrent", "threading", "socket", "asyncio", "ctypes", "tempfile"}
    banned |= {"shutil", "xlwings", "typer", "rich", "click", "PIL", "zipfile"}
    bad = [(m, n) for m, n in out["direct"] if n in banned]
    assert not bad, bad
    imports = set().union(*_pyodide_packages().values())
    assert set(out["ext"]) <= imports, set(out["ext"]) - imports
    assert {"numpy", "pandas"} <= set(out["ext"])
    assert not [p for p in out["opened"] if p.startswith(str(tmp_path))]
    assert "xlwings" not in {m.split(".")[0] for m in out["new"]}
    assert not {"typer", "rich"} & {m.split(".")[0] for m in out["new"]}


def test_cli_and_demo_run_without_xlwings(tmp_path: Path):
    """`pip install xlhedge` (no extra) still runs the CLI and its main job; the add-in says what to install."""
    probe = (
        "import sys, runpy; sys.modules['xlwings'] = None; sys.argv = ['xlhedge'] + sys.argv[1:];"
        "runpy.run_module('xlhedge', run_name='__main__')"
    )
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "200"}
    r = subprocess.run(
        [sys.executable, "-c", probe, "demo"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "xlhedge_example.xlsx").is_file()
    r = subprocess.run(
        [sys.executable, "-c", probe, "addin", "build", str(tmp_path / "xlhedge.xlam")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 2
    assert "pip install 'xlhedge[excel]'" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['xlwings'] = None\nimport xlhedge.udfs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 1 and "pip install 'xlhedge[excel]'" in r.stderr
    assert builtins is not None


# ---------------------------------------------------------------------------
# Pyodide's own Python (the npm package: its core, without numpy/pandas, which come from its CDN)

PYODIDE_VERSION = "314.0.8"
PYODIDE_PROBE = r"""
import { loadPyodide } from "%(pkg)s/pyodide.mjs";
const py = await loadPyodide({ indexURL: "%(pkg)s/" });
py.FS.mkdirTree("/repo");
py.FS.mount(py.FS.filesystems.NODEFS, { root: "%(repo)s" }, "/repo");
const out = py.runPython(`
import ast, importlib.util, json, os, sys
compiled, errors, imported = 0, [], set()
for folder, _, files in os.walk("/repo/xlhedge"):
    for f in sorted(files):
        if not f.endswith(".py"):
            continue
        path = os.path.join(folder, f)
        try:
            tree = compile(open(path, encoding="utf-8").read(), path, "exec", ast.PyCF_ONLY_AST)
            compile(tree, path, "exec")
            compiled += 1
        except SyntaxError as exc:
            errors.append(f"{path}: {exc}")
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
std = sorted(n for n in imported if n in sys.stdlib_module_names)
missing = [n for n in std if importlib.util.find_spec(n) is None]
json.dumps({"version": sys.version.split()[0], "platform": sys.platform, "compiled": compiled,
            "errors": errors, "stdlib": std, "missing": missing, "other": sorted(imported - set(std))})
`);
console.log(out);
"""


def _pyodide_dir() -> Path | None:
    import os

    for candidate in (os.environ.get("XLHEDGE_PYODIDE_DIR"), REPO / ".cache" / "pyodide" / "package"):
        if candidate and (Path(candidate) / "pyodide.mjs").is_file():
            return Path(candidate)
    return None


def test_sources_compile_and_their_stdlib_imports_exist_in_pyodide(tmp_path: Path):
    """Every xlhedge module compiles under Pyodide's Python, and every standard-library module xlhedge
    imports exists there. Pyodide's core comes from the npm package (.ci/run fetches it); its numpy
    and pandas builds do not (Pyodide's CDN), so the engine itself is not run under Pyodide here."""
    node, pkg = shutil.which("node"), _pyodide_dir()
    if node is None or pkg is None:
        msg = f"needs node and the npm package pyodide@{PYODIDE_VERSION} in .cache/pyodide (.ci/run)"
        if ON_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    probe = tmp_path / "probe.mjs"
    probe.write_text(PYODIDE_PROBE % {"pkg": pkg.as_posix(), "repo": REPO.as_posix()}, encoding="utf-8")
    r = subprocess.run([node, str(probe)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["platform"] == "emscripten"
    assert f"Python {out['version']}" in PYODIDE_LIST.read_text(encoding="utf-8").splitlines()[1]
    assert out["compiled"] == len(list((REPO / "xlhedge").rglob("*.py"))) and not out["errors"], out["errors"]
    assert not out["missing"], f"standard-library modules Pyodide lacks: {out['missing']}"
    assert {"graphlib", "dataclasses", "inspect", "zipfile"} <= set(out["stdlib"])
    pyodide = _pyodide_packages()
    # Pure-Python packages (openpyxl, typer and its click), xlwings (Lite supplies it), PIL (openpyxl's
    # optional image support) and js (Pyodide's own); distributed only behind `recompute --cluster`.
    door_only = {"openpyxl", "typer", "click", "xlwings", "PIL", "js", "distributed"}
    assert set(out["other"]) - {"xlhedge"} <= set(pyodide) | door_only, set(out["other"]) - set(pyodide) - door_only
