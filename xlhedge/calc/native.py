"""The Excel built-ins the headless evaluator computes itself.

Only what a book typically wraps around xlhedge results or feeds into them:
arithmetic, comparisons, ``&``, and a short list of functions. A formula that
needs anything else keeps the value Excel last stored (and the report says so),
because a wrong imitation of an Excel function would be a silent wrong number.

Values: ``None`` (blank), float, str, bool, :class:`ExcelError`, or a 2-D
object ndarray for ranges and arrays (:class:`Grid`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from xlhedge.engine.coerce import ExcelError

__all__ = ["Grid", "NATIVE", "binary", "negate", "percent", "as_number", "ExcelValueError"]

VALUE = ExcelError("#VALUE!")
DIV0 = ExcelError("#DIV/0!")
NA = ExcelError("#N/A")
NUM = ExcelError("#NUM!")
REF = ExcelError("#REF!")


class Grid:
    """A 2-D block of values (a range or an array constant)."""

    __slots__ = ("a",)

    def __init__(self, a: np.ndarray) -> None:
        self.a = a

    @classmethod
    def of(cls, rows: list[list[Any]]) -> Grid:
        a = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
        for i, r in enumerate(rows):
            a[i, :] = r
        return cls(a)

    @property
    def shape(self) -> tuple[int, int]:
        return self.a.shape

    def tolist(self) -> list[list[Any]]:
        return self.a.tolist()

    def first(self) -> Any:
        return self.a[0, 0] if self.a.size else None


class ExcelValueError(Exception):
    """Carries an Excel error value up through a native computation."""

    def __init__(self, err: ExcelError) -> None:
        self.err = err


def as_number(v: Any) -> float:
    """Excel's coercion of one value to a number in arithmetic."""
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, ExcelError):
        raise ExcelValueError(v)
    if isinstance(v, str):
        try:
            return float(v.strip().replace(",", ""))
        except ValueError:
            raise ExcelValueError(VALUE) from None
    raise ExcelValueError(VALUE)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, ExcelError):
        raise ExcelValueError(v)
    return str(v)


def _scalar_op(op: str, x: Any, y: Any) -> Any:
    try:
        if op == "&":
            return _text(x) + _text(y)
        if op in ("=", "<>", "<", ">", "<=", ">="):
            return _compare(op, x, y)
        a, b = as_number(x), as_number(y)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return DIV0 if b == 0 else a / b
        if op == "^":
            try:
                r = a**b
            except (OverflowError, ZeroDivisionError):
                return NUM
            return NUM if isinstance(r, complex) else float(r)
    except ExcelValueError as e:
        return e.err
    raise ExcelValueError(VALUE)


def _rank(v: Any) -> int:
    # Excel orders numbers < text < logicals.
    if isinstance(v, bool):
        return 2
    if isinstance(v, str):
        return 1
    return 0


def _compare(op: str, x: Any, y: Any) -> Any:
    for v in (x, y):
        if isinstance(v, ExcelError):
            return v
    if x is None:
        x = "" if isinstance(y, str) else (False if isinstance(y, bool) else 0.0)
    if y is None:
        y = "" if isinstance(x, str) else (False if isinstance(x, bool) else 0.0)
    rx, ry = _rank(x), _rank(y)
    a: Any
    b: Any
    if rx != ry:
        a, b = rx, ry
    elif isinstance(x, str):
        a, b = x.lower(), y.lower()
    else:
        a, b = float(x), float(y)
    return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def _broadcast(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    ax = x.a if isinstance(x, Grid) else np.array([[x]], dtype=object)
    ay = y.a if isinstance(y, Grid) else np.array([[y]], dtype=object)
    rows = max(ax.shape[0], ay.shape[0])
    cols = max(ax.shape[1], ay.shape[1])

    def fit(a: np.ndarray) -> np.ndarray:
        out = np.full((rows, cols), NA, dtype=object)
        r = rows if a.shape[0] == 1 else min(rows, a.shape[0])
        c = cols if a.shape[1] == 1 else min(cols, a.shape[1])
        src = np.broadcast_to(a, (rows if a.shape[0] == 1 else a.shape[0], cols if a.shape[1] == 1 else a.shape[1]))
        out[:r, :c] = src[:r, :c]
        return out

    return fit(ax), fit(ay)


def binary(op: str, x: Any, y: Any) -> Any:
    """Apply an infix operator with Excel's array broadcasting."""
    if not isinstance(x, Grid) and not isinstance(y, Grid):
        return _scalar_op(op, x, y)
    ax, ay = _broadcast(x, y)
    f = np.frompyfunc(lambda a, b: _scalar_op(op, a, b), 2, 1)
    return Grid(f(ax, ay))


def negate(x: Any) -> Any:
    return binary("*", x, -1.0)


def percent(x: Any) -> Any:
    return binary("/", x, 100.0)


# ---------------------------------------------------------------- functions
def _flatten(args: list[Any]) -> list[float]:
    """Numbers for SUM-like functions: in ranges only numbers count; direct args coerce."""
    out: list[float] = []
    for a in args:
        if isinstance(a, Grid):
            for v in a.a.ravel():
                if isinstance(v, ExcelError):
                    raise ExcelValueError(v)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    out.append(float(v))
        elif a is None:
            continue
        else:
            out.append(as_number(a))
    return out


def _sum(*args: Any) -> float:
    return math.fsum(_flatten(list(args)))


def _sumproduct(*args: Any) -> Any:
    grids = [a if isinstance(a, Grid) else Grid(np.array([[a]], dtype=object)) for a in args]
    shape = grids[0].shape
    if any(g.shape != shape for g in grids):
        return VALUE
    prod = np.ones(shape, dtype=np.float64)
    for g in grids:
        vals = np.zeros(shape, dtype=np.float64)
        for idx, v in np.ndenumerate(g.a):
            if isinstance(v, ExcelError):
                return v
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                vals[idx] = v
        prod *= vals
    return float(prod.sum())


def _minmax(fn: Callable[[list[float]], float]) -> Callable[..., float]:
    def inner(*args: Any) -> float:
        nums = _flatten(list(args))
        return fn(nums) if nums else 0.0

    return inner


def _average(*args: Any) -> Any:
    nums = _flatten(list(args))
    return math.fsum(nums) / len(nums) if nums else DIV0


def _count(*args: Any) -> float:
    n = 0
    for a in args:
        if isinstance(a, Grid):
            types = list(map(type, a.a.ravel().tolist()))  # C-speed over large ranges
            n += types.count(float) + types.count(int)
        elif isinstance(a, (int, float)) and not isinstance(a, bool):
            n += 1
    return float(n)


def _counta(*args: Any) -> float:
    n = 0
    for a in args:
        if isinstance(a, Grid):
            flat = a.a.ravel().tolist()
            n += len(flat) - list(map(type, flat)).count(type(None)) - flat.count("")
        elif a is not None:
            n += 1
    return float(n)


def _round(x: Any, digits: Any = 0.0) -> Any:
    v, d = as_number(x), int(as_number(digits))
    # Excel rounds half away from zero.
    q = 10.0**d
    return math.copysign(math.floor(abs(v) * q + 0.5) / q, v)


def _if(cond: Any, yes: Any = True, no: Any = False) -> Any:
    if isinstance(cond, Grid):
        cond = cond.first()
    if isinstance(cond, ExcelError):
        return cond
    if isinstance(cond, str):
        return VALUE
    return yes if as_number(cond) != 0 else no


def _iferror(x: Any, alt: Any) -> Any:
    return alt if isinstance(x, ExcelError) else x


def _index(arr: Any, row: Any = None, col: Any = None) -> Any:
    g = arr if isinstance(arr, Grid) else Grid(np.array([[arr]], dtype=object))
    r = int(as_number(row)) if row is not None else 0
    c = int(as_number(col)) if col is not None else 0
    if g.shape[0] == 1 and col is None and r:
        r, c = 1, r
    if r < 0 or c < 0 or r > g.shape[0] or c > g.shape[1]:
        return REF
    if r and c:
        return g.a[r - 1, c - 1]
    if r:
        return Grid(g.a[r - 1 : r, :])
    if c:
        return Grid(g.a[:, c - 1 : c])
    return g


def _logical(fn: Callable[[list[bool]], bool]) -> Callable[..., Any]:
    def inner(*args: Any) -> Any:
        vals = []
        for a in args:
            items = a.a.ravel() if isinstance(a, Grid) else [a]
            for v in items:
                if isinstance(v, ExcelError):
                    return v
                if v is None or isinstance(v, str):
                    continue
                vals.append(bool(as_number(v)))
        return fn(vals) if vals else VALUE

    return inner


def _unary_math(fn: Callable[[float], float]) -> Callable[[Any], Any]:
    def inner(x: Any) -> Any:
        try:
            return float(fn(as_number(x)))
        except (ValueError, OverflowError):
            return NUM

    return inner


def _is(pred: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def inner(x: Any) -> bool:
        if isinstance(x, Grid):
            x = x.first()
        return pred(x)

    return inner


#: Excel name -> implementation. Arguments arrive evaluated (Grid or scalar).
NATIVE: dict[str, Callable[..., Any]] = {
    "SUM": _sum,
    "SUMPRODUCT": _sumproduct,
    "MIN": _minmax(min),
    "MAX": _minmax(max),
    "AVERAGE": _average,
    "COUNT": _count,
    "COUNTA": _counta,
    "ABS": _unary_math(abs),
    "SQRT": _unary_math(math.sqrt),
    "EXP": _unary_math(math.exp),
    "LN": _unary_math(math.log),
    "ROUND": _round,
    "IF": _if,
    "IFERROR": _iferror,
    "INDEX": _index,
    "AND": _logical(all),
    "OR": _logical(any),
    "NOT": lambda x: not as_number(x.first() if isinstance(x, Grid) else x),
    "ISNUMBER": _is(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)),
    "ISBLANK": _is(lambda v: v is None),
    "ISERROR": _is(lambda v: isinstance(v, ExcelError)),
    "ISTEXT": _is(lambda v: isinstance(v, str)),
    "ROWS": lambda x: float(x.shape[0] if isinstance(x, Grid) else 1),
    "COLUMNS": lambda x: float(x.shape[1] if isinstance(x, Grid) else 1),
    "TRANSPOSE": lambda x: Grid(x.a.T.copy()) if isinstance(x, Grid) else x,
    "NA": lambda: NA,
}
