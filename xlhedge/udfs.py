"""Every registered worksheet function as an xlwings UDF (Excel on Windows).

This module is what xlwings' *UDF Modules* setting names (``xlhedge.udfs``):
Excel's "Import Functions" button reads the functions below, and the
``workbook/xlhedge_udfs.bas`` VBA module calls them by name. The functions are
generated at import time from :func:`xlhedge.functions.registry.registry`, one per
entry, so a function registered anywhere under :mod:`xlhedge.functions`
appears in Excel with no code here.

Each generated function

* has the Excel name as ``__name__``, the implementation's positional
  parameters as its real :class:`inspect.Signature` (xlwings reads it with
  ``inspect.signature``), and the registry description as its docstring (the
  one-line text of Excel's function wizard); a parameter whose name VBA
  reserves (``currency``, ``exit``...) gets a trailing ``_`` in Excel
  (:func:`excel_arg_name`), since xlwings declares the VBA wrapper's
  arguments by these names and one reserved word stops the whole module;
* carries ``xw.arg(name, doc=...)`` for every argument, with xlwings' read
  options ``ndim=2, empty=None, err_to_str=True`` on range arguments, so Excel
  hands over a 2-D list with ``None`` for blanks and ``"#N/A"``-style strings
  for error cells, and ``empty=None, err_to_str=True`` on the others;
* converts nothing itself: the implementation converts through
  :mod:`xlhedge.engine.coerce`, because xlwings' converters only run inside Excel
  (so a recalculation in Excel and ``xlhedge recompute`` see the same code);
* returns :meth:`~xlhedge.functions.registry.WorksheetFunction.call`'s result: a scalar
  or a 2-D list (Excel 365 spills it; no ``expand=`` legacy resizing is set),
  and for a bad input the short text ``#VALUE! NAME: message``. An exception
  that is not an :class:`~xlhedge.engine.errors.XlhedgeError` (a bug) is logged with
  its traceback and shown as one line, never as a traceback in the cell.

Off Windows, ``xw.func``/``xw.arg``/``xw.ret`` are no-ops in xlwings, so the
functions are plain Python callables there::

    >>> from xlhedge import udfs
    >>> udfs.FACTOR_EXPOSURE([[0.5, -0.25], [1.0, 2.0]])
    [[0.0]]
"""

from __future__ import annotations

import inspect
import logging
import types
from collections.abc import Callable
from typing import Any

from xlhedge.excel import XLWINGS_MISSING
from xlhedge.excel.names import VBA_RESERVED, excel_arg_name  # noqa: F401  (re-exported: udfs.excel_arg_name)
from xlhedge.functions.registry import WorksheetFunction, registry

try:
    import xlwings as xw
except ImportError as _exc:  # the optional xlhedge[excel] extra
    raise ImportError(f"xlhedge.udfs: {XLWINGS_MISSING}") from _exc

__all__: list[str] = []  # filled below with every Excel name

logger = logging.getLogger(__name__)

#: xlwings read options for a range argument (xlwings/conversion/standard.py:
#: ``AdjustDimensionsStage`` ndim, ``CleanDataFromReadStage`` empty / err_to_str).
RANGE_OPTIONS: dict[str, Any] = {"ndim": 2, "empty": None, "err_to_str": True}
#: xlwings read options for a scalar argument (a cell or a typed value).
SCALAR_OPTIONS: dict[str, Any] = {"empty": None, "err_to_str": True}
#: Excel function-wizard category.
CATEGORY = "xlhedge"


def make_udf(
    wf: WorksheetFunction,
    func: Callable[..., Any] | None = None,
    arg: Callable[..., Any] | None = None,
    ret: Callable[..., Any] | None = None,
) -> Callable[..., Any]:
    """Build the xlwings UDF for one registry entry.

    ``func``/``arg``/``ret`` default to ``xw.func``/``xw.arg``/``xw.ret``; a
    test passes xlwings' Windows implementations (``xlwings.udfs.xlfunc``...)
    to check the metadata Excel would receive.
    """
    func = func or xw.func
    arg = arg or xw.arg
    ret = ret or xw.ret
    names = [excel_arg_name(a.name, wf.name) for a in wf.args]
    params = [
        inspect.Parameter(
            n,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=a.default if a.optional else inspect.Parameter.empty,
        )
        for n, a in zip(names, wf.args)
    ]
    sig = inspect.Signature(params)

    def udf(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as exc:
            return f"#VALUE! {wf.name}: {exc}"
        bound.apply_defaults()
        # call() turns bad input and bugs alike into one line of cell text (registry.py).
        return wf.call(*bound.args)

    udf.__name__ = udf.__qualname__ = wf.name
    udf.__module__ = __name__
    udf.__doc__ = wf.description
    udf.__signature__ = sig  # type: ignore[attr-defined]
    udf.__annotations__ = {}
    udf.__wrapped_function__ = wf  # type: ignore[attr-defined]

    # Decorate bottom-up as the @-syntax would (@func outermost, applied last):
    # xlwings' xlarg/xlret call xlfunc(f) without options, which resets the
    # category, so func(category=...) must come after them.
    f = udf
    for n, a in reversed(list(zip(names, wf.args))):
        options = RANGE_OPTIONS if a.name in wf.range_args else SCALAR_OPTIONS
        f = arg(n, doc=a.doc, **options)(f)
    f = ret()(f)
    return func(category=CATEGORY)(f)


def build(
    namespace: dict[str, Any] | None = None,
    func: Callable[..., Any] | None = None,
    arg: Callable[..., Any] | None = None,
    ret: Callable[..., Any] | None = None,
) -> dict[str, Callable[..., Any]]:
    """One UDF per registry entry, keyed by Excel name; stored into ``namespace``."""
    udfs = {name: make_udf(wf, func, arg, ret) for name, wf in registry().items()}
    if namespace is not None:
        namespace.update(udfs)
    return udfs


def build_module(func: Callable[..., Any], arg: Callable[..., Any], ret: Callable[..., Any]) -> types.ModuleType:
    """A fresh module named ``xlhedge.udfs`` decorated with the given decorators.

    Used to obtain xlwings' Windows metadata off Windows (VBA module generator,
    tests); the real :mod:`xlhedge.udfs` is left as it is.
    """
    mod = types.ModuleType(__name__, __doc__)
    built = build(vars(mod), func, arg, ret)
    mod.__all__ = sorted(built)
    return mod


__all__.extend(sorted(build(globals())))
