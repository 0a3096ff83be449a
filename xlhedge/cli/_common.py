"""What every CLI command shares: one-line errors, exit codes, the console."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from xlhedge.engine.errors import XlhedgeError, internal_error, numeric_guard

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 fine, 1 findings (--check differences, errors, --strict warnings), 2 unusable input.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def signed(x: float, fmt: str = "+.4f") -> str:
    """``format(x, fmt)`` without a negative zero: a value that rounds to 0 prints as +0 (or 0).

    ``-0.00001`` with ``+.4f`` is ``+0.0000``, not ``-0.0000``.
    """
    text = format(x, fmt)
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = ("+" if "+" in fmt else "") + text[1:]
    return text


def small(x: float, decimals: int = 2) -> str:
    """A signed amount at ``decimals`` places; one too small for them shows two significant digits.

    ``-8.5`` → ``-8.50``; ``-0.0031`` → ``-0.0031`` (not ``-0.00``); ``0`` and ``-0.0`` → ``0.00``.
    """
    if x == 0 or abs(x) < 1e-12:
        return f"{0:.{decimals}f}"
    if abs(x) < 0.5 * 10.0**-decimals:
        return f"{x:+.2g}"
    return signed(x, f"+,.{decimals}f")


def print_table(out: Console, table: Table) -> None:
    """Print a table whole: as it is where it fits the terminal, else one record per row.

    A table wider than the terminal would have rich squeeze its columns until cells read
    ``Fac…``; instead each row becomes a block of ``column  value`` lines under the row's
    first cell, so every value is shown in full at any width.
    """
    natural = Measurement.get(out, out.options.update(max_width=1_000_000), table).maximum
    if natural <= out.width:
        out.print(table)
        return
    if table.title:
        out.print(table.title, style="bold", highlight=False)
    columns = [(str(c.header).replace("\n", " "), [str(v) for v in c.cells]) for c in table.columns]
    if not columns:
        return
    width = max(len(h) for h, _ in columns[1:]) if len(columns) > 1 else 0
    for i, first in enumerate(columns[0][1]):
        block = Table.grid(padding=(0, 2))
        block.add_column(style="dim", no_wrap=True, min_width=width)
        block.add_column(overflow="fold")
        for header, cells in columns[1:]:
            if cells[i].strip():
                block.add_row(header, cells[i])
        out.print(f"{columns[0][0]}: [bold]{first}[/]", highlight=False)
        out.print(block, highlight=False)


class Progress(Protocol):
    """What a long piece of work tells the progress bar (see :func:`progress`).

    ``step("saving")`` names what is being done now; ``advance(n)`` moves the bar by ``n`` units of
    the total; ``total(n)`` sets (or changes) the total once it is known. A library function can take
    a ``Progress`` argument (default :data:`NO_PROGRESS`) and call these without knowing about rich.
    """

    def step(self, description: str) -> None: ...

    def advance(self, n: float = 1) -> None: ...

    def total(self, n: float | None) -> None: ...


class _Silent:
    def step(self, description: str) -> None:
        pass

    def advance(self, n: float = 1) -> None:
        pass

    def total(self, n: float | None) -> None:
        pass


#: The hook that does nothing (the default of any function that takes a progress hook).
NO_PROGRESS: Progress = _Silent()


class _Bar:
    def __init__(self, bar: Any, task: Any, label: str) -> None:
        self._bar, self._task, self._label = bar, task, label

    def step(self, description: str) -> None:
        self._bar.update(self._task, description=f"{self._label}: {description}" if self._label else description)

    def advance(self, n: float = 1) -> None:
        self._bar.advance(self._task, n)

    def total(self, n: float | None) -> None:
        self._bar.update(self._task, total=n)


def progress_enabled(quiet: bool = False) -> bool:
    """A bar is drawn only on a terminal, never under ``-q`` (nor with ``XLHEDGE_NO_PROGRESS`` set)."""
    return not quiet and err_console.is_terminal and not os.environ.get("XLHEDGE_NO_PROGRESS")


@contextlib.contextmanager
def progress(label: str, total: float | None = None, *, quiet: bool = False) -> Iterator[Progress]:
    """A rich progress bar on stderr for work that can take over a second; off under ``-q``/non-TTY.

    ``label`` says what is being worked on (a file name); the hook's ``step`` says the phase::

        with progress(book.name, total=3, quiet=quiet) as p:
            p.step("reading"); ...; p.advance()

    ``total=None`` draws a pulsing bar until a total is set. The bar disappears when the work
    ends, so the command's own output reads as before.
    """
    if not progress_enabled(quiet):
        yield NO_PROGRESS
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns: list[Any] = [TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]
    if total is not None and float(total).is_integer() and total > 3:
        columns.insert(2, MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield _Bar(bar, task, label)


def print_hanging(out: Console, head: str, body: str, indent: int = 8, body_style: str | None = None) -> None:
    """Print ``head`` then ``body`` wrapped at the terminal's width, continuation lines under the body.

    ``head`` (rich markup, at most ``indent`` cells wide, or blank) sits in a fixed left column;
    ``body`` (rich markup) wraps on word boundaries, so no line is longer than the terminal and
    nothing overprints or is cut.
    """
    grid = Table.grid(padding=0)
    grid.add_column(width=indent, no_wrap=True)
    grid.add_column(overflow="fold", style=body_style)
    grid.add_row(head, body)
    out.print(grid, highlight=False)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    err_console.print(f"[bold red]xlhedge:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def handles_errors(fn: F) -> F:
    """Turn xlhedge errors into one line on stderr and a non-zero exit, never a traceback.

    The command runs under :func:`~xlhedge.engine.errors.numeric_guard`, so a numpy or
    pandas warning never reaches the terminal (it is an error naming the operation).
    ``XLHEDGE_DEBUG=1`` shows the tracebacks: a bug is raised, and the ``xlhedge`` logger
    (where a worksheet function's internal error is logged) prints at DEBUG level.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if os.environ.get("XLHEDGE_DEBUG"):
            _debug_logging()
        try:
            with numeric_guard():
                return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except XlhedgeError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted; no file was changed", 130)
        except Exception as exc:  # a bug in xlhedge: say so plainly
            if os.environ.get("XLHEDGE_DEBUG"):
                raise
            fail(f"{internal_error(exc)}; rerun with XLHEDGE_DEBUG=1 for details and report it", 3)

    return wrapper  # type: ignore[return-value]


def _debug_logging() -> None:
    log = logging.getLogger("xlhedge")
    if not log.handlers:
        log.addHandler(logging.StreamHandler())
    log.setLevel(logging.DEBUG)
