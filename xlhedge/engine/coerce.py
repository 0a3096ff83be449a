"""The one boundary helper: Excel/pandas/numpy input -> clean float64 arrays.

Excel hands a worksheet function list-of-lists, scalars, ``None`` for blank
cells and (with xlwings' ``err_to_str``) error values as strings such as
``"#N/A"``; the headless reader hands :class:`ExcelError` objects instead.
pandas and numpy callers hand DataFrames, Series and arrays. Every public
entry point converts its arguments here, once, and the numeric core only ever
sees float64 ndarrays (after arch's
``ensure1d/ensure2d``).

Rules, the same whichever door the value came in by:

* blank (``None``, ``""`` or NaN from pandas) -> ``blank`` (0.0 for betas and
  weights, docs/methodology/factor-model.md "blank = 0"; NaN where missing data must stay visible);
* a number -> itself;
* text, a boolean, a date or an error value in a numeric place -> :class:`InputError`
  naming the argument and the position, never a silent 0.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from xlhedge.engine._typing import Float64Array, Float64Array1D, Float64Array2D, FloatOrArray, ObjectArray2D
from xlhedge.engine.errors import InputError

__all__ = [
    "ExcelError",
    "is_error_value",
    "is_blank",
    "is_omitted",
    "grid",
    "to_float",
    "vector",
    "scalar",
    "optional_scalar",
    "whole_number",
    "optional_whole_number",
    "choice",
    "float_array",
    "bounded_array",
    "float_or_array",
    "text_vector",
    "object_map",
    "label_column",
    "serial_to_datetime",
    "datetime_to_serial",
    "to_datetime",
    "as_date",
]

_S = TypeVar("_S", bound=str)

#: The error literals Excel can put in a cell.
EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
)


@dataclass(frozen=True, slots=True)
class ExcelError:
    """An error value stored in a cell (``#N/A``, ``#DIV/0!``...)."""

    code: str

    def __str__(self) -> str:
        return self.code


def is_error_value(v: Any) -> bool:
    """True for an :class:`ExcelError` or an Excel error literal string."""
    if isinstance(v, ExcelError):
        return True
    return isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS


def is_blank(v: Any) -> bool:
    """True for what Excel shows as an empty cell."""
    if v is None:
        return True
    if isinstance(v, str):
        return v == ""
    if isinstance(v, float):
        return math.isnan(v)
    return False


def is_omitted(x: Any) -> bool:
    """True for an omitted worksheet argument: ``None`` or a single blank cell."""
    if x is None:
        return True
    g = grid(x, "argument")
    return g.size == 1 and is_blank(g[0, 0])


def grid(x: Any, name: str) -> ObjectArray2D:
    """Any cell-like input as a 2-D object array (rows × columns).

    Scalars become 1×1, a flat list or 1-D array becomes one row (Excel passes
    a row that way), a Series one column, a DataFrame its values.
    """
    if isinstance(x, pd.DataFrame):
        arr = x.to_numpy(dtype=object)
    elif isinstance(x, pd.Series):
        arr = x.to_numpy(dtype=object).reshape(-1, 1)
    elif isinstance(x, np.ndarray):
        arr = x.astype(object, copy=False)
    elif isinstance(x, (list, tuple)):
        if len(x) == 0:
            raise InputError("is empty", where=name)
        if all(isinstance(r, (list, tuple, np.ndarray)) for r in x):
            widths = {len(r) for r in x}
            if len(widths) != 1:
                raise InputError(f"rows have different lengths {sorted(widths)}", where=name)
            arr = np.empty((len(x), widths.pop()), dtype=object)
            for i, r in enumerate(x):
                arr[i, :] = list(r)
        else:
            arr = np.empty((1, len(x)), dtype=object)
            arr[0, :] = list(x)
    else:
        arr = np.empty((1, 1), dtype=object)
        arr[0, 0] = x
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr.reshape(1, -1)
    elif arr.ndim > 2:
        raise InputError(f"has {arr.ndim} dimensions, expected a range", where=name)
    if arr.size == 0:
        raise InputError("is empty", where=name)
    return arr


_NUMERIC_TYPES = frozenset({int, float, np.float64, np.float32, np.int64, np.int32})
_PLAIN = frozenset({float, int, type(None)})
#: What pandas' infer_dtype calls an array of numbers (blanks skipped): no bool, text, date or error.
_NUMBERS_ONLY = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


def _kind(v: Any) -> int:
    """0 number, 1 blank, 2 anything else (bool is not a number here)."""
    t = type(v)
    if t in _NUMERIC_TYPES:
        return 1 if t is float and v != v else 0
    if v is None or (t is str and v == ""):
        return 1
    return 2


def object_map(f: Callable[..., Any], nin: int = 1) -> Callable[..., Any]:
    """``np.frompyfunc(f, nin, 1)`` run with numpy's floating-point checks off.

    The per-element Python code compares floats (NaN included) the Python way; the CPU
    flags such comparisons leave are not numpy errors, and under
    :func:`~xlhedge.engine.errors.numeric_guard` they would otherwise raise.
    """
    u = np.frompyfunc(f, nin, 1)

    def call(*args: Any) -> Any:
        with np.errstate(all="ignore"):
            return u(*args)

    return call


_classify = object_map(_kind)


def _default_place(i: int, j: int, shape: tuple[int, int]) -> str:
    if shape == (1, 1):
        return ""
    if shape[0] == 1:
        return f"item {j + 1}"
    if shape[1] == 1:
        return f"item {i + 1}"
    return f"row {i + 1}, column {j + 1}"


def to_float(
    x: Any,
    name: str,
    *,
    blank: float = 0.0,
    place: Callable[[int, int], str] | None = None,
) -> Float64Array2D:
    """Convert cell-like input to a 2-D float64 array.

    Parameters
    ----------
    x : scalar, sequence, list of lists, ndarray, Series or DataFrame
    name : str
        Argument name used in error messages.
    blank : float
        Value for empty cells (0.0, or NaN to keep missing data visible).
    place : callable (i, j) -> str, optional
        Describes a position for error messages, e.g. ``"position 3 (IPX)"``.

    Raises
    ------
    InputError
        At the first non-numeric, non-blank cell, naming it.
    """
    arr = x if isinstance(x, np.ndarray) and x.dtype.kind == "f" and x.ndim == 2 else None
    if arr is not None:
        out = arr.astype(np.float64, copy=True)
        if not np.isnan(blank):
            out[np.isnan(out)] = blank
        return _finite(out, name, place)
    if isinstance(x, np.ndarray) and x.dtype.kind in "fiu":
        out = np.array(x, dtype=np.float64, ndmin=2)
        if out.ndim > 2:
            raise InputError(f"has {out.ndim} dimensions, expected a range", where=name)
        if not np.isnan(blank):
            out[np.isnan(out)] = blank
        return _finite(out, name, place)
    if type(x) is list and x and all(type(r) is list for r in x) and len(set(map(len, x))) == 1 and x[0]:
        # Fast path for Excel's 2-D list: one object array, its element types found in one C pass
        # (pandas' infer_dtype, blanks skipped); only numbers and blanks go straight to float64.
        obj = np.array(x, dtype=object)
        if obj.ndim == 2 and pd.api.types.infer_dtype(obj.ravel(), skipna=True) in _NUMBERS_ONLY:
            fast: Float64Array | None
            try:
                fast = obj.astype(np.float64)
            except OverflowError:  # a Python int beyond float range: the general path handles it
                fast = None
            if fast is not None:
                if not np.isnan(blank):
                    fast[np.isnan(fast)] = blank
                return _finite(fast, name, place)
    obj = grid(x, name)
    if set(map(type, obj.ravel().tolist())) <= _PLAIN:
        # Fast path: only numbers and blanks (numpy reads None as NaN).
        try:
            out = np.array(obj, dtype=np.float64)
        except OverflowError:  # a Python int beyond float range
            out = np.array([[_big_int(v) for v in row] for row in obj.tolist()], dtype=np.float64)
        if not np.isnan(blank):
            out[np.isnan(out)] = blank
        return _finite(out, name, place)
    kind = _classify(obj).astype(np.int8)
    numeric = kind == 0
    empty = kind == 1
    bad = ~(numeric | empty)
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        v = obj[i, j]
        where = f"{name} {place(i, j) if place else _default_place(i, j, obj.shape)}".strip()
        raise InputError(f"expected a number, found {_describe(v)}", where=where, found=v)
    out = np.full(obj.shape, blank, dtype=np.float64)
    try:
        out[numeric] = obj[numeric].astype(np.float64)
    except OverflowError:
        out[numeric] = [_big_int(v) for v in obj[numeric].tolist()]
    if not np.isnan(blank):
        out[np.isnan(out)] = blank
    return _finite(out, name, place)


def _big_int(v: Any) -> float:
    try:
        return float(v) if v is not None else math.nan
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def _finite(out: Float64Array2D, name: str, place: Callable[[int, int], str] | None) -> Float64Array2D:
    """``out`` itself when it holds no ±inf; else an :class:`InputError` at the first one.

    A non-finite number is never an input (NaN is a blank, handled by the caller's rule).
    """
    inf = np.isinf(out)
    if inf.any():
        i, j = (int(k[0]) for k in np.nonzero(inf))
        where = f"{name} {place(i, j) if place else _default_place(i, j, out.shape)}".strip()
        raise InputError(
            f"expected a finite number, found {'-' if out[i, j] < 0 else ''}inf (a value too large for a number)",
            where=where,
            found=float(out[i, j]),
        )
    return out


def _describe(v: Any) -> str:
    if is_error_value(v):
        return f"the error value {str(v).strip().upper()}"
    if isinstance(v, bool):
        return f"the logical value {str(v).upper()}"
    if isinstance(v, (_dt.date, _dt.datetime)):
        return f"the date {v:%Y-%m-%d}"
    if isinstance(v, str):
        return f"text {v!r}"
    return f"{type(v).__name__} {v!r}"


def vector(x: Any, name: str, *, blank: float = 0.0, length: int | None = None) -> Float64Array1D:
    """A single row or column as a 1-D float64 array (either orientation)."""
    a = to_float(x, name, blank=blank)
    if a.shape[0] != 1 and a.shape[1] != 1:
        raise InputError(
            f"expected one row or one column, got {a.shape[0]} rows × {a.shape[1]} columns",
            where=name,
        )
    v = a.ravel()
    if length is not None and v.size != length:
        raise InputError(f"has {v.size} values, expected {length}", where=name)
    return v


def scalar(
    x: Any,
    name: str,
    *,
    default: float | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_min: bool = False,
    strict_max: bool = False,
) -> float:
    """One number. Blank -> ``default`` (an error when no default is given)."""
    a = grid(x, name)
    if a.size != 1:
        raise InputError(f"expected a single value, got {a.shape[0]}×{a.shape[1]} cells", where=name)
    v = a[0, 0]
    if is_blank(v):
        if default is None:
            raise InputError("is required, found a blank", where=name)
        return float(default)
    f = to_float(a, name)[0, 0]
    if minimum is not None and (f < minimum or (strict_min and f == minimum)):
        op = ">" if strict_min else "≥"
        raise InputError(f"must be {op} {minimum:g}, got {f:g}", where=name)
    if maximum is not None and (f > maximum or (strict_max and f == maximum)):
        op = "<" if strict_max else "≤"
        raise InputError(f"must be {op} {maximum:g}, got {f:g}", where=name)
    return float(f)


def whole_number(
    x: Any,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    what: str = "a whole number",
) -> int:
    """One whole number (a window, a row count, a column number): the one integer coercion.

    The value must be finite, integral and within ``minimum``..``maximum``; anything else —
    ``1E+309``, ``2.5``, text — is an :class:`InputError` naming ``name``, never an
    ``OverflowError`` from ``int(inf)``. Blank -> ``default`` (an error when none is given).
    """
    f = scalar(x, name, default=None if default is None else float(default))
    if not f.is_integer():
        raise InputError(f"must be {what}, got {f:g}", where=name)
    if minimum is not None and f < minimum:
        raise InputError(f"must be {what} ≥ {minimum}, got {f:g}", where=name)
    if maximum is not None and f > maximum:
        raise InputError(f"must be {what} ≤ {maximum}, got {f:g}", where=name)
    return int(f)


def optional_whole_number(x: Any, name: str, **kw: Any) -> int | None:
    """Like :func:`whole_number` but an omitted argument or a blank -> ``None``."""
    if x is None:
        return None
    a = grid(x, name)
    if a.size == 1 and is_blank(a[0, 0]):
        return None
    return whole_number(a, name, **kw)


def optional_scalar(x: Any, name: str, **kw: Any) -> float | None:
    """Like :func:`scalar` but blank -> ``None``."""
    a = grid(x, name)
    if a.size == 1 and is_blank(a[0, 0]):
        return None
    return scalar(a, name, **kw)


def choice(x: Any, name: str, choices: Sequence[_S], *, default: _S | None = None) -> _S:
    """Text option normalised once (stripped, lower-case) and checked against ``choices``.

    Returns the matching entry of ``choices`` (typed as they are, e.g. a ``Literal``).
    """
    a = grid(x, name)
    if a.size != 1:
        raise InputError("expected a single value", where=name)
    v = a[0, 0]
    if is_blank(v):
        if default is None:
            raise InputError(f"is required; one of {', '.join(choices)}", where=name)
        return default
    if not isinstance(v, str):
        raise InputError(f"expected one of {', '.join(choices)}, found {_describe(v)}", where=name, found=v)
    norm = v.strip().lower()
    for c in choices:
        if c == norm:
            return c
    raise InputError(f"expected one of {', '.join(choices)}, found {v!r}", where=name, found=v)


# ----------------------------------------------------------------------------- numeric arrays
# What the element-wise engine functions (sizing, perpetuals, scenarios) call on their
# arguments: numpy-style broadcasting inputs, checked once, NaN never passed on silently.


def float_array(x: Any, name: str) -> Float64Array:
    """``x`` (a number, sequence or array of any shape) as a float64 array with no NaN.

    Unlike :func:`to_float` the shape is kept (a scalar stays 0-d) so results
    broadcast the numpy way.

    Raises
    ------
    InputError
        ``"NAME is missing (blank/NaN)"`` when any element is NaN; ``"... found inf"`` for ±inf.
    """
    a = np.asarray(x, dtype=np.float64)
    if np.isnan(a).any():
        raise InputError("is missing (blank/NaN)", where=name)
    inf = np.isinf(a)
    if inf.any():
        v = float(a[inf].ravel()[0])
        raise InputError(
            f"expected a finite number, found {'-' if v < 0 else ''}inf (a value too large for a number)",
            where=name,
            found=v,
        )
    return a


def bounded_array(
    x: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    nonzero: bool = False,
) -> Float64Array:
    """:func:`float_array` with range checks: ``low ≤ x ≤ high`` (``<`` with ``*_open``), ``x ≠ 0``.

    Raises
    ------
    InputError
        At the first element out of range, e.g. ``"price must be > 0, got -5"``.
    """
    a = float_array(x, name)
    if low is not None:
        bad = a <= low if low_open else a < low
        if bad.any():
            op = ">" if low_open else "≥"
            raise InputError(f"must be {op} {low:g}, got {a[bad].ravel()[0]:g}", where=name)
    if high is not None:
        bad = a >= high if high_open else a > high
        if bad.any():
            op = "<" if high_open else "≤"
            raise InputError(f"must be {op} {high:g}, got {a[bad].ravel()[0]:g}", where=name)
    if nonzero and (a == 0).any():
        raise InputError("must be non-zero", where=name)
    return a


def float_or_array(a: Float64Array) -> FloatOrArray:
    """An engine result as the caller gave its inputs: a 0-d array becomes a Python float."""
    return float(a.item()) if a.ndim == 0 else a


def text_vector(x: Any, name: str) -> list[str]:
    """One row or column of labels; blanks become ``""``, numbers their text."""
    a = grid(x, name)
    if a.shape[0] != 1 and a.shape[1] != 1:
        raise InputError("expected one row or one column of labels", where=name)
    out = []
    for v in a.ravel():
        if is_blank(v):
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v).strip())
    return out


def label_column(a: ObjectArray2D) -> bool:
    """True when column 0 of a 2-D object grid is a column of text labels.

    It is one when every non-blank cell in it is text (not an error literal)
    and at least one is; a mixed column is data, so a stray text cell in a
    numeric column is reported instead of being mistaken for a label.
    """
    col: Iterable[Any] = a[:, 0]
    seen_text = False
    for v in col:
        if is_blank(v):
            continue
        if isinstance(v, str) and not is_error_value(v):
            seen_text = True
            continue
        return False
    return seen_text


# ----------------------------------------------------------------------------- dates
#: Day 0 of Excel's 1900 date system as it counts in practice (serial 1 = 1900-01-01,
#: with Lotus' phantom 1900-02-29 absorbed for every date after February 1900).
EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


def serial_to_datetime(x: float) -> _dt.datetime:
    """Excel serial date (days, fraction = time of day) -> datetime."""
    return EXCEL_EPOCH + _dt.timedelta(days=x)


def datetime_to_serial(d: _dt.date) -> float:
    """date/datetime -> Excel serial date."""
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime(d.year, d.month, d.day)
    delta = d - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


def to_datetime(v: Any) -> _dt.datetime | None:
    """A date-like value or an Excel serial (1 ≤ x < 2,958,466, fraction = time of day) as a
    datetime; anything else (blank, text, bool, out of range) ``None``. The one conversion
    :func:`as_date` and the readers of date columns share."""
    if isinstance(v, pd.Timestamp):
        return None if v is pd.NaT else v.to_pydatetime()
    if isinstance(v, _dt.datetime):
        return v
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day)
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else pd.Timestamp(v).to_pydatetime()
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
        x = _big_int(v)
        if math.isfinite(x) and 1 <= x < 2_958_466:
            return serial_to_datetime(x)
    return None


def as_date(v: Any, where: object) -> _dt.date | None:
    """A cell value as a date: date/datetime/Timestamp, an Excel serial number or ISO text.

    Blank or 0 (a formula pointing at an empty cell) -> None; anything else ->
    :class:`InputError` naming ``where``.
    """
    if is_blank(v) or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
        return v
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and _big_int(v) == 0.0:
        return None  # what a formula pointing at an empty date cell returns
    d = to_datetime(v)
    if d is not None:
        return d.date()
    if isinstance(v, str) and not is_error_value(v):
        try:
            return _dt.date.fromisoformat(v.strip()[:10])
        except ValueError:
            pass
    raise InputError(f"expected a date, found {v!r}", where=where, found=v)
