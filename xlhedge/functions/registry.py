"""One registry of worksheet functions: ``{EXCEL_NAME: WorksheetFunction}``.

Every front end reads it: :mod:`xlhedge.udfs` (xlwings, Excel on Windows),
the headless evaluator in :mod:`xlhedge.workbook` (``xlhedge recompute``), the
VBA-module generator and the docs. A function added to any module under
:mod:`xlhedge.functions` with :func:`worksheet_function` appears in all of
them at once.

A registered implementation takes what Excel passes (scalars, 2-D lists,
``None`` for blanks, error values as ``"#N/A"`` strings or
:class:`~xlhedge.engine.coerce.ExcelError`) and returns a scalar or a 2-D list.
:meth:`WorksheetFunction.call` is the one place where raised
:class:`~xlhedge.engine.errors.XlhedgeError` become the short cell message, so the
same text appears in Excel and in a headlessly recomputed file.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine.coerce import ExcelError
from xlhedge.engine.errors import XlhedgeError, check_finite, internal_error, numeric_guard

__all__ = ["Arg", "WorksheetFunction", "worksheet_function", "registry", "to_excel"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Arg:
    """One worksheet-function argument as Excel's function wizard shows it."""

    name: str
    doc: str
    optional: bool = False
    default: Any = None


@dataclass(frozen=True)
class WorksheetFunction:
    """A worksheet function: Excel name, implementation and its documentation."""

    name: str
    impl: Callable[..., Any]
    description: str
    args: tuple[Arg, ...]
    category: str = "xlhedge"
    #: Names of arguments that are ranges (passed as 2-D lists, errors kept as text).
    range_args: frozenset[str] = field(default_factory=frozenset)

    def call(self, *args: Any) -> Any:
        """Run the function as a cell would: result as Excel values, errors as text."""
        return self.evaluate(*args)[0]

    def evaluate(self, *args: Any) -> tuple[Any, Exception | None]:
        """(cell value, the exception behind an error text or None).

        A bad input becomes its short cell message; a bug in xlhedge becomes one
        line too (its traceback goes to the ``xlhedge`` logger at DEBUG level, which
        the command line shows under ``XLHEDGE_DEBUG=1``), so no door ever shows a
        traceback and every door shows the same text.

        The call runs under :func:`~xlhedge.engine.errors.numeric_guard`: an overflow, a
        division by zero or a numpy/pandas ``RuntimeWarning`` becomes a ``#NUM!`` message
        instead of a warning on the terminal, and a result holding ±inf is an error too
        (:func:`~xlhedge.engine.errors.check_finite`) — never an infinite number in a cell.
        """
        try:
            with numeric_guard():
                result = to_excel(self.impl(*args))
            check_finite(result)
            return result, None
        except XlhedgeError as exc:
            return exc.cell_message(self.name), exc
        except Exception as exc:  # a bug, not a user error
            logger.debug("%s failed", self.name, exc_info=True)
            return f"#VALUE! {self.name}: {internal_error(exc)}", exc

    @property
    def min_args(self) -> int:
        return sum(1 for a in self.args if not a.optional)

    @property
    def max_args(self) -> int:
        return len(self.args)


_REGISTRY: dict[str, WorksheetFunction] = {}
_LOADED = False


def worksheet_function(
    name: str,
    description: str,
    *,
    docs: dict[str, str],
    ranges: tuple[str, ...] = (),
    category: str = "xlhedge",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``impl`` under the Excel name ``name``.

    ``docs`` gives each argument's one-line help (unit and sign convention);
    every parameter must have one. ``ranges`` lists arguments that take ranges.
    Arguments with a default are optional in Excel. The decorated function is
    returned unchanged so it stays callable from Python.
    """

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        upper = name.upper()
        if upper in _REGISTRY and _REGISTRY[upper].impl is not impl:
            raise RuntimeError(f"worksheet function {upper} registered twice")
        sig = inspect.signature(impl)
        args = []
        for p in sig.parameters.values():
            if p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD:
                raise TypeError(f"{upper}: only positional parameters fit a worksheet function")
            if p.name not in docs:
                raise TypeError(f"{upper}: argument {p.name!r} has no doc")
            optional = p.default is not inspect.Parameter.empty
            args.append(Arg(p.name, docs[p.name], optional, p.default if optional else None))
        extra = set(docs) - {a.name for a in args}
        if extra:
            raise TypeError(f"{upper}: docs for unknown arguments {sorted(extra)}")
        _REGISTRY[upper] = WorksheetFunction(upper, impl, description, tuple(args), category, frozenset(ranges))
        return impl

    return register


#: Old name → new name of renamed worksheet functions. ``DV01`` looks like a cell (column DV,
#: row 1): Excel reads ``=DV01(…)`` as a reference followed by a bracket, so no workbook can call a
#: function of that name. Books that still hold the old name are computed without Excel (the
#: headless recompute, ``export``), each such cell with a warning to rename it; Excel, xlwings
#: Lite and the catalogue know only the new name.
RENAMED: dict[str, str] = {"DV01": "UNIT_DV01"}


def registry(*, renamed: bool = False) -> dict[str, WorksheetFunction]:
    """All worksheet functions, loading every module of :mod:`xlhedge.functions` once;
    with ``renamed``, also the old names of :data:`RENAMED` (for the headless door)."""
    global _LOADED
    if not _LOADED:
        from xlhedge import functions

        for mod in sorted(pkgutil.iter_modules(functions.__path__), key=lambda m: m.name):
            importlib.import_module(f"{functions.__name__}.{mod.name}")
        _LOADED = True
    out = dict(sorted(_REGISTRY.items()))
    if renamed:
        out.update({old: _REGISTRY[new] for old, new in RENAMED.items()})
    return out


def _cell(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, ExcelError):
        return v.code
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def to_excel(result: Any) -> Any:
    """A scalar stays a scalar; anything array-like becomes a 2-D list.

    1-D results come back as one column (Excel 365 spills them down); NaN is
    returned as a blank cell.
    """
    if isinstance(result, pd.DataFrame):
        result = result.to_numpy(dtype=object)
    elif isinstance(result, pd.Series):
        result = result.to_numpy(dtype=object).reshape(-1, 1)
    if isinstance(result, np.ndarray):
        if result.ndim == 0:
            return _cell(result.item())
        if result.ndim == 1:
            result = result.reshape(-1, 1)
        if result.dtype.kind == "f":  # fast path: numbers with NaN as blanks
            out = result.astype(object)
            out[np.isnan(result)] = None
            return out.tolist()
        return [[_cell(v) for v in row] for row in result.tolist()]
    if isinstance(result, (list, tuple)):
        if result and all(isinstance(r, (list, tuple)) for r in result):
            return [[_cell(v) for v in r] for r in result]
        return [[_cell(v)] for v in result]
    return _cell(result)
