"""The ``xlhedge`` command line (typer). One module per command group, each with ``register(app)``.

The command modules are imported only when a command runs: ``xlhedge --help`` lists the
commands from :data:`COMMANDS` (their one-line summaries, kept equal to the commands' own
docstrings by tests/test_startup.py), so it loads neither pandas, openpyxl nor PIL.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import click
import typer
from typer.core import TyperGroup

from xlhedge.cli import _help

HELP = (
    "Cross-asset book → factor exposures → hedges, for Excel books, without Excel.\n\n"
    "Example: xlhedge demo, then xlhedge report xlhedge_example.xlsx"
)

#: Command modules (under ``xlhedge.cli``), in registration order. A feature adds its module here
#: and its commands to :data:`COMMANDS`.
COMMAND_MODULES = ["book", "addin", "lite", "hedge", "checks", "estimate", "export"]

#: Command -> its one-line summary in ``xlhedge --help``, in help order.
COMMANDS: dict[str, str] = {
    "new": "Write a fresh book from the template.",
    "demo": "Write the bundled example book (the source article's Figure 01), recompute it and print its book view\n"
    "and its check findings.",
    "recompute": "Recompute every xlhedge formula of saved workbooks without Excel.",
    "report": "Print the trades view beside the book view (the file is not changed).",
    "hedge": "Print the recommended hedges of a saved book (the file is not changed).",
    "check": "Print the common-mistakes findings of a book; exit 1 when any is an error.",
    "estimate": "Estimate the Book's factor betas from prices and recompute the book.",
    "addin": "The Excel add-in: an xlhedge ribbon tab with a Refresh book button (needs xlwings and Excel).",
    "export": "Write a copy of a book that shows its numbers without xlhedge.",
    "lite": "xlwings Lite (Excel on Mac, Windows and the web, no local Python): main.py and requirements.txt.",
}


@functools.cache
def full_group() -> click.Group:
    """The click group with every command module imported and registered (what a command runs in).

    All modules are loaded, not only the one the command lives in, so a module's registrations
    (e.g. the hedge section of the book view) are there whichever command runs.
    """
    full = typer.Typer(name="xlhedge", help=HELP, add_completion=False, pretty_exceptions_enable=False)
    for name in COMMAND_MODULES:
        importlib.import_module(f"xlhedge.cli.{name}").register(full)
    return typer.main.get_group(full)


class LazyGroup(TyperGroup):
    """A typer group whose commands are imported on first use; its help listing needs no import."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return click.Command(cmd_name, help=COMMANDS[cmd_name])
        return full_group().get_command(ctx, cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


_help.install()

app = typer.Typer(
    name="xlhedge",
    help=HELP,
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    pass


def main() -> Any:
    return app()
