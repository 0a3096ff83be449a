"""``xlhedge addin``: build, locate, install and uninstall the "Refresh book" Excel add-in."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from xlhedge.cli._common import EXIT_FINDINGS, console, fail, handles_errors
from xlhedge.excel import addin as _addin
from xlhedge.excel import require_xlwings

group = typer.Typer(
    help="The Excel add-in: an xlhedge ribbon tab with a Refresh book button (needs xlwings and Excel).\n\n"
    "Example: xlhedge addin build out/xlhedge.xlam",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="addin")


@group.command("build")
@handles_errors
def build(
    out: Path = typer.Argument(..., help="Where to write the add-in; the file must be named xlhedge.xlam."),
    interpreter: str | None = typer.Option(
        None, "--interpreter", help="Python executable the button runs (default: this Python)."
    ),
) -> None:
    """Build xlhedge.xlam from the installed xlwings' ribbon template (any OS, no Excel needed).

    Example: xlhedge addin build out/xlhedge.xlam
    """
    if out.is_dir():
        out = out / _addin.ADDIN_NAME
    _addin.build_addin(out, interpreter=interpreter)
    xlwings = require_xlwings()

    console.print(
        f"Wrote {out} (xlwings {xlwings.__version__}, interpreter {interpreter or sys.executable}). "
        "It loads the xlwings DLL of that version: the machine running it needs the same xlwings."
    )


@group.command("path")
@handles_errors
def path() -> None:
    """Print where the committed copy of the add-in (for inspection) lives.

    Example: xlhedge addin path
    """
    p = _addin.committed_addin_path()
    if not p.is_file():
        fail(f"no committed add-in at {p}; build one with `xlhedge addin build OUT/xlhedge.xlam`", EXIT_FINDINGS)
    print(p)


@group.command("install")
@handles_errors
def install(
    interpreter: str | None = typer.Option(
        None, "--interpreter", help="Python executable the button runs (default: this Python)."
    ),
) -> None:
    """Build the add-in for this machine, install it where Excel loads it, point xlwings' UDF Modules at xlhedge.udfs.

    Example: xlhedge addin install
    """
    if _addin.excel_platform() is None:
        fail(_addin.NO_EXCEL_MESSAGE.format(platform=sys.platform), EXIT_FINDINGS)
    out = _addin.install_addin(interpreter=interpreter)
    for change in _addin.configure_udf_modules(True, interpreter=interpreter):
        console.print(f"xlwings configuration: {change}")
    console.print(
        f"Built from xlwings' ribbon template: {out}. Restart Excel; the xlhedge tab has Refresh book. "
        "For the worksheet functions: xlwings tab → Import Functions in your workbook."
    )


@group.command("uninstall")
@handles_errors
def uninstall() -> None:
    """Remove the add-in from Excel's start-up folder and xlhedge.udfs from xlwings' UDF Modules.

    Example: xlhedge addin uninstall
    """
    if _addin.excel_platform() is None:
        fail(_addin.NO_EXCEL_MESSAGE.format(platform=sys.platform), EXIT_FINDINGS)
    _addin.uninstall_addin()
    for change in _addin.configure_udf_modules(False):
        console.print(f"xlwings configuration: {change}")
