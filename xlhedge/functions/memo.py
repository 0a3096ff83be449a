"""Convert a range once per recompute: results keyed on the very :class:`RangeValues` objects.

The headless evaluator hands the same :class:`~xlhedge.functions.estimation.RangeValues`
object to every function reading the same range during one recompute (and a new one once a
result is written over it). :func:`once` keeps what a conversion built from such arguments, so
``BOOK_GREEKS`` and ``OPTION_THETA_BUDGET`` over one Book attribute block price its options
once. A call with any other range argument (a list from Excel, a DataFrame, a list built by
hand) is never cached: Excel's worksheet functions always compute afresh. The evaluator
forgets everything when a recompute ends (:func:`clear`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["once", "clear"]

T = TypeVar("T")

#: (kind, argument keys) -> (the RangeValues arguments, kept alive so their ids stay theirs; the result)
_DONE: dict[tuple[Hashable, ...], tuple[tuple[Any, ...], Any]] = {}
_MAX = 16


def _key(args: tuple[Any, ...]) -> tuple[Hashable, ...] | None:
    """A key naming each argument: a RangeValues by identity, a scalar by value; None = not cacheable."""
    from xlhedge.functions.estimation import RangeValues

    out: list[Hashable] = []
    for a in args:
        if isinstance(a, RangeValues):
            out.append(("range", id(a)))
        elif a is None or isinstance(a, (bool, int, float, str, _dt.date, _dt.time)):
            out.append((type(a).__name__, a))
        else:
            return None  # a list from Excel, a DataFrame, an error value...: computed every time
    return tuple(out)


def once(kind: str, build: Callable[..., T], *args: Any) -> T:
    """``build(*args)``, computed once per recompute for the same range objects and scalars.

    ``build`` must not depend on anything but its arguments, and its caller must not change
    the result (callers get the object itself).
    """
    from xlhedge.functions.estimation import RangeValues

    if not any(isinstance(a, RangeValues) for a in args):
        return build(*args)
    key = _key(args)
    if key is None:
        return build(*args)
    full = (kind, *key)
    hit = _DONE.get(full)
    # the ranges by identity (their ids are only theirs while they live); the scalars matched in the key
    if hit is not None and all(x is y for x, y in zip(hit[0], args) if isinstance(y, RangeValues)):
        return hit[1]
    result = build(*args)
    if len(_DONE) >= _MAX:
        _DONE.pop(next(iter(_DONE)))
    _DONE[full] = (args, result)
    return result


def clear() -> None:
    """Forget every kept result (the evaluator calls it when a recompute ends)."""
    _DONE.clear()
