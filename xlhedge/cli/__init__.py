"""The ``xlhedge`` command line (typer). One module per command group, each with ``register(app)``."""

from __future__ import annotations

import typer

from xlhedge.cli import _help, addin, book, checks, estimate, export, hedge

_help.install()

app = typer.Typer(
    name="xlhedge",
    help="Cross-asset book → factor exposures → hedges, for Excel books, without Excel.\n\n"
    "Example: xlhedge demo, then xlhedge report xlhedge_example.xlsx",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Command modules, in help order. A feature adds its module here.
COMMAND_MODULES = [book, addin, hedge, checks, estimate, export]

for _module in COMMAND_MODULES:
    _module.register(app)


def main() -> None:
    app()
