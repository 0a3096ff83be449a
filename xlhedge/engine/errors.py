"""Every error xlhedge raises on purpose, in one place.

Each adapter maps these the same way:

* a worksheet cell shows :meth:`XlhedgeError.cell_message`, e.g.
  ``#VALUE! FACTOR_EXPOSURE: weights has 6 columns, betas 5``;
* the CLI prints one line naming file, sheet and cell, and exits non-zero;
* Python callers get the typed exception.

Anything else that escapes is a bug in xlhedge, not a user error.
"""

from __future__ import annotations

__all__ = [
    "XlhedgeError",
    "InputError",
    "NotEnoughData",
    "WorkbookError",
    "FormulaError",
    "XlhedgeWarning",
    "BudgetRateWarning",
    "internal_error",
]

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

    def __init__(self, message: str, *, where: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = str(where) if where is not None else None

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


class XlhedgeWarning(UserWarning):
    """A soft issue: the result stands, but the user should look at it.

    Engine functions return an instance (or ``None``) rather than a bare sentence, so a
    caller can tell the issues apart by class, pass one to :func:`warnings.warn`, or show
    it: ``str(w)`` is the sentence every door displays.
    """


class BudgetRateWarning(XlhedgeWarning):
    """The annual hedging budget rate lies outside the usual 2–4% of NAV (docs/methodology/budget.md)."""
