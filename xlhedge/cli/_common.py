"""What every CLI command shares: one-line errors, exit codes, the console."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from xlhedge.engine.errors import XlhedgeError, internal_error, numeric_guard

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 fine, 1 findings (--check differences, errors, --strict warnings), 2 unusable input.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


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


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    err_console.print(f"[bold red]xlhedge:[/] {message}", highlight=False, soft_wrap=True)
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
