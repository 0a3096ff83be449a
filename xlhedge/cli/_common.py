"""What every CLI command shares: one-line errors, exit codes, the console."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from xlhedge.engine.errors import XlhedgeError, internal_error

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 fine, 1 findings (--check differences, errors, --strict warnings), 2 unusable input.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


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
