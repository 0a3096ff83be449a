"""Evaluate every xlhedge formula of a book, in dependency order.

The formula step of the pipeline (:mod:`xlhedge.calc.recompute`):

1. Collect every formula cell through the :class:`BookIO`; a formula that calls
   a registered worksheet function is an *xlhedge formula*.
2. Work out which cells must be computed now: every xlhedge formula, every
   native formula without a stored value, and every native formula that reads
   (directly or through other formulas) a cell computed now — its stored value
   would otherwise be stale.
3. Order them by their references (a cycle is an error naming the cells),
   compute each — xlhedge functions through the registry exactly as Excel calls
   them, the built-ins of :mod:`.native` — and hand each result to
   :meth:`BookIO.write_result`, so later formulas read fresh values.

A native formula this evaluator cannot compute keeps the value Excel stored; if
an xlhedge formula reads it and it must be recomputed (or has no value), the
report says so, naming the cell (an error under ``--strict``).

**Root cause, once.** An error is reported once, at its source: the input cell that holds
the bad value (``Book!B29: expected a number, found text 'abc'``, found through
:func:`xlhedge.calc.origin.locate`), a cell holding NaN or ±inf (no valid cell does), or
the formula itself when no input cell is at fault. A formula whose input is a cell that
ended in an error in this recompute is not called: its cell says ``depends on Book!B29``,
and the root's report line counts and lists the formulas that fail because of it. Every
xlhedge formula that ends in an error is therefore covered by an error in the report.

A number of absurd size (|x| ≥ :data:`~xlhedge.calc.origin.HUGE`) is followed the same way: a
formula whose result holds one records, for each such cell, the input cell it came from (the
huge input among its own inputs, or a huge formula result's own source), so an overflow three
formulas downstream (``Exposures!B5`` → ``Hedges!B7`` → ``HEDGE_NOTIONAL``) is reported at
``Book!B36``, the weight of 1e308, and the failing formula says ``depends on Book!B36``.
"""

from __future__ import annotations

import graphlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xlhedge.calc import formula as fx
from xlhedge.calc.bookio import BookIO, FormulaCell
from xlhedge.calc.native import NATIVE, ExcelValueError, Grid, as_number, binary, negate, percent
from xlhedge.calc.origin import HUGE, huge_cell, is_error_result, locate, non_finite
from xlhedge.calc.refs import CellRange, parse_ref, split_sheet
from xlhedge.calc.report import Notice, RecomputeOptions, RecomputeReport
from xlhedge.engine.coerce import ExcelError
from xlhedge.engine.errors import FormulaError, InputError, NumericalError, XlhedgeError, internal_error
from xlhedge.functions import memo
from xlhedge.functions.estimation import RangeValues, clear_parse_cache
from xlhedge.functions.registry import RENAMED, WorksheetFunction, registry

__all__ = ["evaluate_book", "Node"]


class _BadCell(InputError):
    """A cell whose stored number is NaN or ±inf: no formula can use it (Excel never stores one)."""

    def __init__(self, cell: CellRange, value: float) -> None:
        what = "NaN (not a number)" if value != value else f"{'-' if value < 0 else ''}inf (beyond the largest number)"
        super().__init__(f"holds {what}; enter a finite number or clear the cell", where=cell)
        self.cell = cell


@dataclass
class _Root:
    """The source of an error and the xlhedge formulas that fail because of it."""

    index: int  # its notice in report.findings
    message: str
    dependents: list[str] = field(default_factory=list)


#: How many failing formulas a root's report line lists by address.
_LIST_DEPENDENTS = 5


@dataclass
class Node:
    """One formula cell in the dependency graph."""

    fc: FormulaCell
    tree: tuple[Any, ...] | None
    calls: set[str]
    inputs: list[CellRange]
    xlhedge: bool
    supported: bool
    parse_error: str | None = None
    deps: set[int] = field(default_factory=set)

    @property
    def area(self) -> CellRange:
        return self.fc.array or self.fc.cell


class _Names:
    """Defined names -> ranges or constant trees, resolved once each."""

    def __init__(self, io: BookIO) -> None:
        self.raw = io.defined_names()
        self.resolved: dict[str, CellRange | tuple | None] = {}

    def resolve(self, name: str, sheet: str | None = None) -> CellRange | tuple | None:
        """A name as written in a formula on ``sheet``: the sheet's own name first, then the workbook's."""
        qualified, bare = split_sheet(name)
        if qualified is not None:
            return self._lookup(f"{qualified.upper()}!{bare.upper()}")
        if sheet is not None:
            local = self._lookup(f"{sheet.upper()}!{bare.upper()}")
            if local is not None:
                return local
        return self._lookup(bare.upper())

    def _lookup(self, key: str) -> CellRange | tuple | None:
        if key in self.resolved:
            return self.resolved[key]
        text = self.raw.get(key)
        if text is None:
            self.resolved[key] = None
            return None
        text = text.lstrip("=")
        out: CellRange | tuple | None
        try:
            out = parse_ref(text)
        except FormulaError:
            try:
                out = fx.parse(text)
            except FormulaError:
                out = None
        self.resolved[key] = out
        return out


class Evaluator:
    def __init__(self, io: BookIO, report: RecomputeReport, options: RecomputeOptions) -> None:
        self.io = io
        self.report = report
        self.options = options
        self.functions: dict[str, WorksheetFunction] = registry(renamed=True)
        self.names = _Names(io)
        self.sheets = io.sheet_names()
        self.nodes: list[Node] = []
        self._name_stack: list[str] = []
        # Ranges already read, as object arrays; dropped when a result is written over them.
        self._cache: dict[CellRange, np.ndarray] = {}
        # Multi-cell range arguments of xlhedge functions, one object per range (parsed once, see
        # RangeValues); dropped with the cache entry.
        self._lists: dict[CellRange, RangeValues] = {}
        # Internal errors (bugs) raised by worksheet functions while computing the current cell.
        self._call_errors: list[tuple[str, Exception]] = []
        # Areas written with an error result in this recompute, per sheet, with their root cause.
        self._failed: dict[str, list[tuple[CellRange, str]]] = {}
        self._roots: dict[str, _Root] = {}
        # Cells written with a number of absurd size in this recompute, per sheet, with the input
        # cell that number came from (the root an overflow downstream is reported at).
        self._huge: dict[str, dict[tuple[int, int], CellRange]] = {}
        # The root cause of the current cell's error, once one is known.
        self._origin: str | None = None
        self._where = ""

    # ------------------------------------------------------------ references
    def resolve_ref(self, text: str, sheet: str) -> CellRange | tuple:
        """A reference or name used in a formula on ``sheet`` -> CellRange or a constant tree."""
        try:
            if "!" not in text:
                named = self.names.resolve(text, sheet)
                if named is not None:
                    return named
            rng = parse_ref(text, default_sheet=sheet)
        except FormulaError:
            named = self.names.resolve(text, sheet)
            if named is not None:
                return named
            raise FormulaError(f"{text!r} is neither a cell reference nor a defined name of this workbook") from None
        if rng.sheet not in self.sheets:
            match = [s for s in self.sheets if s.lower() == rng.sheet.lower()]
            if not match:
                if rng.sheet.startswith("["):
                    raise FormulaError(f"{text!r} points into another workbook; xlhedge reads only this one")
                raise FormulaError(f"{text!r} names a sheet that does not exist")
            rng = CellRange(match[0], rng.r1, rng.c1, rng.r2, rng.c2)
        return rng

    def _inputs(self, tree: tuple, sheet: str) -> list[CellRange]:
        out = []
        for ref in fx.refs_in(tree):
            r = self.resolve_ref(ref, sheet)
            if isinstance(r, CellRange):
                out.append(r)
            elif isinstance(r, tuple):
                out.extend(self._inputs(r, sheet))
        return out

    # ------------------------------------------------------------ graph
    def build(self) -> None:
        fnames = self.functions
        for fc in self.io.formula_cells():
            try:
                tree = fx.parse(fc.formula)
                calls = fx.calls_in(tree)
                xl = bool(calls & fnames.keys())
                unsupported = calls - fnames.keys() - NATIVE.keys()
                inputs = self._inputs(tree, fc.cell.sheet)
                self.nodes.append(Node(fc, tree, calls, inputs, xl, not unsupported))
            except FormulaError as exc:
                xl = bool(fx.function_calls(fc.formula) & fnames.keys())
                self.nodes.append(Node(fc, None, set(), [], xl, False, parse_error=exc.message))
        self._link()

    def _link(self) -> None:
        """deps[i] = nodes whose output area intersects one of node i's inputs."""
        by_sheet: dict[str, list[int]] = {}
        for i, n in enumerate(self.nodes):
            by_sheet.setdefault(n.area.sheet, []).append(i)
        rects = {
            s: (
                np.array(ids),
                np.array(
                    [
                        [self.nodes[i].area.r1, self.nodes[i].area.c1, self.nodes[i].area.r2, self.nodes[i].area.c2]
                        for i in ids
                    ]
                ),
            )
            for s, ids in by_sheet.items()
        }
        single = {(n.area.sheet, n.area.r1, n.area.c1): i for i, n in enumerate(self.nodes) if n.area.size == 1}
        multi = {s: [i for i in ids if self.nodes[i].area.size > 1] for s, ids in by_sheet.items()}
        for i, n in enumerate(self.nodes):
            for rng in n.inputs:
                if rng.sheet not in rects:
                    continue
                if rng.size == 1:
                    j = single.get((rng.sheet, rng.r1, rng.c1))
                    if j is not None:
                        n.deps.add(j)
                    for j in multi[rng.sheet]:
                        if self.nodes[j].area.intersects(rng):
                            n.deps.add(j)
                    continue
                ids, r = rects[rng.sheet]
                hit = (r[:, 0] <= rng.r2) & (rng.r1 <= r[:, 2]) & (r[:, 1] <= rng.c2) & (rng.c1 <= r[:, 3])
                n.deps.update(ids[hit].tolist())
            n.deps.discard(i)

    def dirty(self) -> set[int]:
        """Nodes to compute now: xlhedge formulas, the natives that read what a pipeline step wrote,
        natives with no value that feed an xlhedge formula, and all downstream.

        A native formula outside xlhedge's reach (it neither feeds an xlhedge formula nor reads
        an xlhedge result or input xlhedge wrote) is left as the file has it, even with no
        cached value: recomputing it is the spreadsheet's job, not xlhedge's.
        """
        feeders: set[int] = set()
        stack = [i for i, n in enumerate(self.nodes) if n.xlhedge]
        while stack:
            for j in self.nodes[stack.pop()].deps:
                if j not in feeders:
                    feeders.add(j)
                    stack.append(j)
        seeds = set()
        written = getattr(self.io, "written_inputs", ())
        for i, n in enumerate(self.nodes):
            if n.xlhedge:
                seeds.add(i)
            elif n.supported and (
                any(w.intersects(r) for w in written for r in n.inputs)
                or ((self.options.all_natives or i in feeders) and self._no_value(n))
            ):
                seeds.add(i)
        users: dict[int, list[int]] = {}
        for i, n in enumerate(self.nodes):
            for j in n.deps:
                users.setdefault(j, []).append(i)
        out, stack = set(seeds), list(seeds)
        while stack:
            j = stack.pop()
            for i in users.get(j, ()):
                if i not in out:
                    out.add(i)
                    stack.append(i)
        return out

    def _no_value(self, n: Node) -> bool:
        return self.io.read(n.fc.cell)[0][0] is None

    # ------------------------------------------------------------ evaluation
    def run(self) -> None:
        # Native formulas compute the Python way (an overflow is caught as #NUM! on the result);
        # each worksheet function call sets its own checks (the registry's numeric guard).
        with np.errstate(all="ignore"):
            self._run()

    def _run(self) -> None:
        self.build()
        todo = self.dirty()
        sorter = graphlib.TopologicalSorter({i: self.nodes[i].deps & todo for i in todo})
        try:
            order = list(sorter.static_order())
        except graphlib.CycleError as exc:
            cycle = exc.args[1]
            cells = " -> ".join(str(self.nodes[i].fc.cell) for i in cycle)
            raise FormulaError(f"circular reference: {cells}", where=self.nodes[cycle[0]].fc.cell) from None
        for i in order:
            self._compute(self.nodes[i], todo)
        self._finish_roots()

    # ------------------------------------------------------------ root causes
    def _root(self, where: str, message: str) -> str:
        """Report an error at its source once; return the source (the origin dependents name)."""
        if where not in self._roots:
            self._roots[where] = _Root(len(self.report.findings), message)
            self.report.error(where, message)
        return where

    def _failed_origin(self, ranges: list[CellRange]) -> str | None:
        """The root cause of the first range that overlaps a cell ended in an error in this recompute."""
        for rng in ranges:
            for area, origin in self._failed.get(rng.sheet, ()):
                if area.intersects(rng):
                    return origin
        return None

    def _huge_origin(self, ranges: list[CellRange]) -> CellRange | None:
        """The input cell behind a number of absurd size among ``ranges``: a huge formula result's
        recorded source, else the first huge cell read; ``None`` when the ranges hold none."""
        for rng in ranges:
            for (r, c), origin in self._huge.get(rng.sheet, {}).items():
                if rng.contains(r, c):
                    return origin
        return huge_cell((r, self.io.read(r)) for r in ranges)

    def _huge_root(self, cell: CellRange, reason: str) -> str:
        """Report an overflow once at the input cell of absurd size it comes from."""
        v = self.io.read(cell)[0][0]
        held = f"holds {v:.6g}, " if _is_huge(v) else ""
        return self._root(str(cell), f"{held}too large to compute with: {reason}")

    def _note_huge(self, n: Node, value: Any, written: CellRange) -> None:
        """Record the cells of a result that hold a number of absurd size, with where it came from."""
        if not any(_is_huge(v) for row in _as_rows(value) for v in row):
            return
        cells = [
            (written.r1 + i, written.c1 + j)
            for i, row in enumerate(self.io.read(written))
            for j, v in enumerate(row)
            if _is_huge(v)
        ]
        if not cells:
            return
        src = self._huge_origin(n.inputs) or CellRange(written.sheet, *cells[0], *cells[0])
        self._huge.setdefault(written.sheet, {}).update(dict.fromkeys(cells, src))

    def _finish_roots(self) -> None:
        for where, root in self._roots.items():
            deps = [d for d in dict.fromkeys(root.dependents) if d != where]
            if not deps:
                continue
            shown = ", ".join(deps[:_LIST_DEPENDENTS]) + (
                f" … and {len(deps) - _LIST_DEPENDENTS} more" if len(deps) > _LIST_DEPENDENTS else ""
            )
            n = len(deps)
            text = f"{root.message}; {n} xlhedge formula{'s' if n > 1 else ''} fail{'' if n > 1 else 's'} because of it: {shown}"
            self.report.findings[root.index] = Notice("error", where, text)

    def _compute(self, n: Node, todo: set[int]) -> None:
        where = str(n.fc.cell)
        self.report.cells_evaluated += 1
        if n.parse_error is not None or n.tree is None:
            msg = n.parse_error or "the formula could not be read"
            if n.xlhedge:
                self.report.error(where, msg)
                self._write(n, f"#NAME? {msg}")
            else:
                self.report.warn(where, f"not recomputed: {msg}")
            return
        if not n.supported:
            missing = sorted(n.calls - self.functions.keys() - NATIVE.keys())
            msg = f"uses {', '.join(missing)}, which xlhedge does not compute without Excel"
            if n.xlhedge:
                self.report.error(where, msg + "; put the xlhedge call in a cell of its own")
                self._write(n, f"#NAME? {msg}")
            else:
                self.report.warn(where, f"not recomputed: {msg}; Excel or LibreOffice will update it on open")
            return
        for old in sorted(n.calls & RENAMED.keys()):
            self.report.warn(
                where,
                f"{old} is now {RENAMED[old]}: Excel reads {old}( as a cell reference, so this formula works "
                f"only without Excel; rename it to {RENAMED[old]}(",
            )
        # Inputs that are stale natives we could not compute.
        for j in n.deps:
            d = self.nodes[j]
            if not d.xlhedge and (not d.supported or d.parse_error) and (j in todo or self._no_value(d)):
                text = f"reads {d.fc.cell}, a formula xlhedge cannot compute and whose stored value may be out of date"
                (self.report.error if self.options.strict else self.report.warn)(where, text)
        self._call_errors.clear()
        self._origin, self._where = None, where
        try:
            value = self.eval(n.tree, n.fc.cell.sheet)
        except _BadCell as exc:
            self._origin = self._origin or self._root(str(exc.cell), exc.message)
            value = f"#VALUE! {exc}"
        except XlhedgeError as exc:
            self._origin = self._origin or self._root(where, exc.message)
            value = exc.cell_message()
        for name, failure in self._call_errors:
            self.report.error(where, f"{internal_error(failure, name)}; please report it")
            self._origin = self._origin or where
            self._roots.setdefault(where, _Root(len(self.report.findings) - 1, self.report.findings[-1].message))
        if not n.xlhedge:
            value = _no_infinity(value)
        written = self._write(n, value)
        self._note_huge(n, value, written)
        first = _as_rows(value)[0][0]
        if not is_error_result(first):
            return
        origin = self._origin
        if origin is None:
            origin = self._failed_origin(n.inputs)
        if origin is None and not n.xlhedge and isinstance(first, ExcelError) and str(first).upper() == "#NUM!":
            huge = self._huge_origin(n.inputs)  # a native that overflowed on a number of absurd size
            if huge is not None:
                origin = self._huge_root(huge, f"{where} overflows (#NUM!)")
        if origin is None and n.xlhedge:
            origin = self._root(where, f"ends in the error {first}")
        if origin is None:
            return  # a native formula's own error value (#DIV/0!...): a value like any other
        self._failed.setdefault(written.sheet, []).append((written, origin))
        if n.xlhedge:
            self._roots[origin].dependents.append(where)

    def _write(self, n: Node, value: Any) -> CellRange:
        grid = _as_rows(value)
        fc = n.fc
        where = str(fc.cell)
        if fc.dynamic:
            out = grid
            blocker = self._spill_blocker(fc, len(grid), len(grid[0]))
            if blocker is not None:
                out = [[ExcelError("#SPILL!")]]
                self.report.warn(
                    where,
                    f"#SPILL!: the result needs {fc.cell.resized(len(grid), len(grid[0])).address} but "
                    f"{blocker} is not empty; clear it or move the formula",
                )
        elif fc.array is not None:
            out = _fit(grid, fc.array.shape)
            if len(grid) > fc.array.rows or len(grid[0]) > fc.array.cols:
                self.report.warn(
                    where,
                    f"the result has {len(grid)}×{len(grid[0])} values but the array formula covers "
                    f"{fc.array.address} ({fc.array.rows}×{fc.array.cols}); values that do not fit are not shown "
                    "— enlarge the array range",
                )
        else:
            out = [[grid[0][0]]]
            if len(grid) > 1 or len(grid[0]) > 1:
                self.report.warn(
                    where,
                    f"returns {len(grid)}×{len(grid[0])} values but is a single-cell formula: only the first "
                    f"shows (Excel shows the same); enter it as an array formula over "
                    f"{fc.cell.resized(len(grid), len(grid[0])).address}",
                )
        self.io.write_result(fc, out)
        written = fc.cell.resized(len(out), len(out[0]))
        for rng in [r for r in self._cache if r.intersects(written)]:
            del self._cache[rng]
        for rng in [r for r in self._lists if r.intersects(written)]:
            del self._lists[rng]
        return written

    def _spill_blocker(self, fc: FormulaCell, rows: int, cols: int) -> str | None:
        """The first non-empty cell (outside the formula's own previous spill) where a result would spill."""
        target = fc.cell.resized(rows, cols)
        own = fc.array or fc.cell
        formula_cells = {(n.fc.cell.r1, n.fc.cell.c1) for n in self.nodes if n.fc.cell.sheet == target.sheet}
        for i, row in enumerate(self.io.read(target)):
            for j, v in enumerate(row):
                r, c = target.r1 + i, target.c1 + j
                if own.contains(r, c):
                    continue
                if v is not None or (r, c) in formula_cells:
                    return str(CellRange(target.sheet, r, c, r, c))
        return None

    def eval(self, node: tuple, sheet: str) -> Any:
        kind = node[0]
        if kind == "num" or kind == "str" or kind == "bool":
            return node[1]
        if kind == "err":
            return ExcelError(node[1])
        if kind == "missing":
            return None
        if kind == "ref":
            target = self.resolve_ref(node[1], sheet)
            if isinstance(target, tuple):
                if node[1] in self._name_stack:
                    raise FormulaError(f"the defined name {node[1]} refers to itself")
                self._name_stack.append(node[1])
                try:
                    return self.eval(target, sheet)
                finally:
                    self._name_stack.pop()
            if target.size == 1:
                v = self.io.read(target)[0][0]
                if type(v) is float and not math.isfinite(v):
                    raise _BadCell(target, v)
                return v
            block = self._cache.get(target)
            if block is None:
                rows = self.io.read(target)
                bad = non_finite(target, rows)
                if bad is not None:
                    raise _BadCell(*bad)
                block = self._cache[target] = Grid.of(rows).a
            return Grid(block.copy())
        if kind == "array":
            rows = [[self._scalar(self.eval(x, sheet)) for x in r] for r in node[1]]
            return Grid.of(rows)
        if kind == "neg":
            return negate(self.eval(node[1], sheet))
        if kind == "pct":
            return _no_infinity(percent(self.eval(node[1], sheet)))
        if kind == "bin":
            return _no_infinity(binary(node[1], self.eval(node[2], sheet), self.eval(node[3], sheet)))
        if kind == "call":
            name, args = node[1], node[2]
            fn = self.functions.get(name)
            if fn is not None:
                return self._call_xlhedge(fn, args, sheet)
            impl = NATIVE.get(name)
            if impl is None:
                raise FormulaError(f"{name} is not a function xlhedge computes without Excel")
            if name in ("IF", "IFERROR") and args:
                return self._lazy(name, args, sheet)
            vals = [self.eval(a, sheet) for a in args]
            try:
                return _no_infinity(impl(*vals))
            except ExcelValueError as e:
                return e.err
            except TypeError:
                raise FormulaError(f"{name} got {len(vals)} arguments") from None
        raise FormulaError(f"cannot evaluate {node!r}")

    def _lazy(self, name: str, args: list[tuple], sheet: str) -> Any:
        """IF and IFERROR evaluate only the branch they return, as Excel does.

        IFERROR catches error values only: an xlhedge function's message is text
        in Excel (a UDF cannot return an error value with a message), so it is
        text here too.
        """
        first = self.eval(args[0], sheet)
        if name == "IFERROR":
            failed = isinstance(first.first() if isinstance(first, Grid) else first, ExcelError)
            return self.eval(args[1], sheet) if len(args) > 1 and failed else first
        cond = first.first() if isinstance(first, Grid) else first
        if isinstance(cond, ExcelError):
            return cond
        if isinstance(cond, str):
            return ExcelError("#VALUE!")
        if as_number(cond) != 0:
            return self.eval(args[1], sheet) if len(args) > 1 else True
        return self.eval(args[2], sheet) if len(args) > 2 else False

    def _scalar(self, v: Any) -> Any:
        return v.first() if isinstance(v, Grid) else v

    def _arg_ranges(self, tree: tuple, sheet: str) -> list[CellRange]:
        try:
            return self._inputs(tree, sheet)
        except FormulaError:
            return []

    def _call_xlhedge(self, fn: WorksheetFunction, args: list[tuple], sheet: str) -> Any:
        if len(args) < fn.min_args or len(args) > fn.max_args:
            need = f"{fn.min_args}" if fn.min_args == fn.max_args else f"{fn.min_args} to {fn.max_args}"
            raise FormulaError(f"{fn.name} takes {need} arguments, the formula gives {len(args)}")
        ranges = [self._arg_ranges(a, sheet) for a in args]
        upstream = self._failed_origin([r for rs in ranges for r in rs])
        if upstream is not None:  # an input ended in an error: say which, do not re-quote it
            self._origin = self._origin or upstream
            return f"#VALUE! {fn.name}: depends on {upstream}"
        values: list[Any] = []
        for spec, a in zip(fn.args, args):
            target = self.resolve_ref(a[1], sheet) if a[0] == "ref" else None
            if isinstance(target, CellRange) and target.size > 1:
                if target not in self._lists:
                    self._lists[target] = RangeValues(self.eval(a, sheet).tolist())
                values.append(self._lists[target])
                continue
            v = self.eval(a, sheet)
            if isinstance(v, Grid):
                v = v.tolist()
            elif spec.name in fn.range_args and v is not None:
                v = [[v]]
            values.append(v)
        result, error = fn.evaluate(*values)
        if isinstance(error, XlhedgeError):
            cell = self._source(fn, ranges, error)
            if cell is None:
                self._origin = self._origin or self._root(self._where, error.cell_message(fn.name))
            else:
                source = self._huge.get(cell.sheet, {}).get((cell.r1, cell.c1))
                if source is not None and source != cell:
                    # the cell holds a formula's huge result: the overflow's cause is the input it came from
                    self._origin = self._origin or self._huge_root(source, error.message)
                    result = f"{error.excel_code} {fn.name}: depends on {source}"
                else:
                    v = self.io.read(cell)[0][0]
                    text = (
                        f"holds {v:.6g}, too large to compute with: {error.message}" if _is_huge(v) else error.message
                    )
                    self._origin = self._origin or self._root(str(cell), text)
                    result = f"{error.cell_message(fn.name)} (cell {cell})"
        elif error is not None:
            self._call_errors.append((fn.name, error))
        if isinstance(result, list):
            return Grid.of(result)
        return result

    def _source(self, fn: WorksheetFunction, ranges: list[list[CellRange]], exc: XlhedgeError) -> CellRange | None:
        """The input cell behind a function's error: the cell holding the value it names, or the
        single cell passed as the argument it names; ``None`` when the fault is not in a cell."""
        words = set(re.findall(r"\w+", exc.where or ""))
        named = [k for k, a in enumerate(fn.args[: len(ranges)]) if a.name in words]
        order = named + [k for k in range(len(ranges)) if k not in named]
        cell = locate(exc, ((r, self.io.read(r)) for k in order for r in ranges[k]))
        if cell is not None:
            return cell
        overflowed = exc.found is not None and isinstance(exc.found[0], float) and math.isinf(exc.found[0])
        if isinstance(exc, NumericalError) or overflowed:  # an overflow: the input of absurd size, if one is
            return huge_cell((r, self.io.read(r)) for rs in ranges for r in rs)
        for k in named:
            if len(ranges[k]) == 1 and ranges[k][0].size == 1:
                return ranges[k][0]
        return None


def _is_huge(v: Any) -> bool:
    """A number of absurd size (|x| ≥ HUGE, finite or not): what overflows downstream."""
    return type(v) in (int, float) and abs(v) >= HUGE


def _no_infinity(value: Any) -> Any:
    """A native result that overflowed (or is NaN) shows #NUM!, as in Excel, never a non-finite number."""
    if type(value) is float and not math.isfinite(value):
        return ExcelError("#NUM!")
    if isinstance(value, Grid) and value.a.size:
        flat = value.a.ravel()
        bad = [k for k, v in enumerate(flat.tolist()) if type(v) is float and not math.isfinite(v)]
        if bad:
            a = value.a.copy()
            a.ravel()[bad] = ExcelError("#NUM!")
            return Grid(a)
    return value


def _as_rows(value: Any) -> list[list[Any]]:
    if isinstance(value, Grid):
        return value.tolist() if value.a.size else [[None]]
    return [[value]]


#: What fills the cells of an array range beyond its result. Excel shows #N/A there; a stored book
#: shows blank text instead, so a matrix smaller than its range (fewer price series than the heatmap
#: holds) is not framed by hundreds of #N/A cells.
_FILL = ""


def _fit(grid: list[list[Any]], shape: tuple[int, int]) -> list[list[Any]]:
    """Excel's fill of a legacy array range: broadcast one row/column, blank text (:data:`_FILL`) elsewhere."""
    rows, cols = shape
    gr, gc = len(grid), len(grid[0])
    out = []
    for i in range(rows):
        src_i = 0 if gr == 1 else i
        row = []
        for j in range(cols):
            src_j = 0 if gc == 1 else j
            row.append(grid[src_i][src_j] if src_i < gr and src_j < gc else _FILL)
        out.append(row)
    return out


def evaluate_book(io: BookIO, report: RecomputeReport, options: RecomputeOptions) -> None:
    """Compute every xlhedge formula (and what depends on it) and write the results."""
    try:
        Evaluator(io, report, options).run()
    except FormulaError as exc:  # a circular reference: named by its first cell, not the file again
        report.error(exc.where or "workbook", exc.message)
    finally:
        clear_parse_cache()
        memo.clear()
