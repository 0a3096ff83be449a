"""Every error xlhedge raises on purpose, in one place.

Each adapter maps these the same way:

* a worksheet cell shows :meth:`XlhedgeError.cell_message`, e.g.
  ``#VALUE! FACTOR_EXPOSURE: weights has 6 columns, betas 5``;
* the CLI prints one line naming file, sheet and cell, and exits non-zero;
* Python callers get the typed exception.

Anything else that escapes is a bug in xlhedge, not a user error.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = [
    "XlhedgeError",
    "InputError",
    "NotEnoughData",
    "WorkbookError",
    "FormulaError",
    "NumericalError",
    "XlhedgeWarning",
    "BudgetRateWarning",
    "internal_error",
    "numeric_guard",
    "check_finite",
]

_NOT_GIVEN: Any = object()

_VERBS = frozenset({"has", "is", "must", "needs", "holds", "names", "contains"})


def internal_error(exc: BaseException, within: str | None = None) -> str:
    """How every door names a bug in xlhedge (an exception that is not an :class:`XlhedgeError`).

    ``internal error [in NAME] (TypeError: ...)``: the type and the first 200 characters of
    the message on one line; each door adds what the user should do next.
    """
    text = " ".join(str(exc).split())[:200]
    return f"internal error{f' in {within}' if within else ''} ({type(exc).__name__}: {text})"


class XlhedgeError(Exception):
    """Base class. ``where`` names the place (sheet/cell, argument, field)."""

    #: Excel error literal used when the message is shown in a cell.
    excel_code = "#VALUE!"

    def __init__(self, message: str, *, where: object = None, found: object = _NOT_GIVEN) -> None:
        super().__init__(message)
        self.message = message
        self.where = str(where) if where is not None else None
        #: ``(value,)``: the offending input value itself, when the error is about one value
        #: (so a door that knows where the values came from can name the cell); else ``None``.
        self.found: tuple[object] | None = None if found is _NOT_GIVEN else (found,)

    def __str__(self) -> str:
        if not self.where:
            return self.message
        # "weights has 6 positions, betas 5" reads better than "weights: has ..."
        sep = " " if self.message.split(" ", 1)[0] in _VERBS else ": "
        return f"{self.where}{sep}{self.message}"

    def cell_message(self, function: str | None = None) -> str:
        """Short text for a worksheet cell: ``#VALUE! NAME: message``."""
        prefix = f"{function}: " if function else ""
        return f"{self.excel_code} {prefix}{self}"


class InputError(XlhedgeError, ValueError):
    """An argument or field has the wrong type, shape or value.

    ``where`` names the argument and, when known, the position inside it
    (``"betas row 3 (position 2)"``).
    """


class NotEnoughData(InputError):
    """Too few observations for an estimate: says how many were found/needed."""

    excel_code = "#NUM!"


class WorkbookError(XlhedgeError):
    """The file itself cannot be used: not an xlsx, locked, encrypted, missing sheet."""


class FormulaError(XlhedgeError):
    """A workbook formula cannot be evaluated: bad syntax, unknown name, cycle."""

    excel_code = "#NAME?"


class NumericalError(InputError):
    """A computation left the range of floating-point numbers: an overflow, a division by zero
    or an undefined value (inf − inf, 0/0) where a number was expected. Shown as ``#NUM!``; the
    message names the operation, the cause is nearly always an input of absurd size."""

    excel_code = "#NUM!"


_NUMPY_WORDS = {
    "overflow": ("overflow", "the numbers are too large; check the inputs for huge values"),
    "divide by zero": ("division by zero", "check the inputs for zeros or series that do not move"),
    "invalid value": (
        "undefined result (such as inf − inf or 0/0)",
        "check the inputs for huge values or series that do not move",
    ),
}


def _numerical(exc: BaseException) -> NumericalError:
    text = str(exc)
    what, hint = next((v for k, v in _NUMPY_WORDS.items() if k in text), ("floating-point error", "check the inputs"))
    op = text.rsplit(" in ", 1)[1].strip() if " in " in text else ""
    return NumericalError(f"{what}{f' in {op}' if op else ''}; {hint}")


@contextlib.contextmanager
def numeric_guard() -> Iterator[None]:
    """Run numeric code so that no numpy/pandas warning reaches a user.

    Inside the block numpy raises on overflow, division by zero and invalid operations
    (underflow to 0 stays silent), and a :class:`RuntimeWarning` from numpy or pandas is an
    exception; both leave the block as one :class:`NumericalError` naming the operation.
    Code that computes through NaN on purpose says so with its own ``np.errstate``. The
    worksheet-function registry and the command line run everything under it — the one place
    that turns a floating-point problem into an xlhedge error.
    """
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"), warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            yield
    except (FloatingPointError, RuntimeWarning) as exc:
        raise _numerical(exc) from exc


def check_finite(value: Any, what: str = "the result") -> None:
    """Raise :class:`NumericalError` when a result (a number, an array or 2-D lists) holds ±inf.

    NaN is how a result marks a blank cell and passes; an infinity is never a number a user
    can act on.
    """
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and np.isinf(value).any():
            raise NumericalError(f"{what} is not finite (an input is too large or a division by zero)")
        if value.dtype.kind != "O":
            return
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        for v in value:
            check_finite(v, what)
        return
    if isinstance(value, (float, np.floating)) and math.isinf(value):
        raise NumericalError(f"{what} is not finite (an input is too large or a division by zero)")


class XlhedgeWarning(UserWarning):
    """A soft issue: the result stands, but the user should look at it.

    Engine functions return an instance (or ``None``) rather than a bare sentence, so a
    caller can tell the issues apart by class, pass one to :func:`warnings.warn`, or show
    it: ``str(w)`` is the sentence every door displays.
    """


class BudgetRateWarning(XlhedgeWarning):
    """The annual hedging budget rate lies outside the usual 2–4% of NAV (docs/methodology/budget.md)."""
