"""What every CLI command shares: one-line errors, exit codes, the console."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from xlhedge.engine.errors import XlhedgeError, internal_error

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
    err_console.print(f"[bold red]xlhedge:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def handles_errors(fn: F) -> F:
    """Turn xlhedge errors into one line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
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
