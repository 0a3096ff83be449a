"""``xlhedge lite``: the files that bring the worksheet functions and Refresh book to xlwings Lite."""

from __future__ import annotations

from pathlib import Path

import typer

from xlhedge.cli._common import console, fail, handles_errors
from xlhedge.excel import lite as _lite

group = typer.Typer(
    help="xlwings Lite (Excel on Mac, Windows and the web, no local Python): main.py and requirements.txt.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="lite")


@group.command("build")
@handles_errors
def build(
    directory: Path = typer.Argument(..., help="Folder to write main.py and requirements.txt into (created)."),
    wheel: str | None = typer.Option(
        None,
        "--wheel",
        help="Where xlwings Lite downloads the xlhedge wheel (a URL that allows cross-origin downloads); "
        "default: xlhedge==VERSION from PyPI.",
    ),
) -> None:
    """Write main.py (every worksheet function, and the Refresh book script) and requirements.txt."""
    if directory.exists() and not directory.is_dir():
        fail(f"{directory} is a file, not a folder: give the folder to write main.py and requirements.txt into")
    main, req = _lite.build(directory, wheel=wheel)
    n = len(_lite.registry())
    console.print(
        f"Wrote {main} ({n} worksheet functions and the {_lite.REFRESH_SCRIPT!r} script) and {req}. "
        "In Excel: open the xlwings Lite task pane, paste main.py into its main.py tab and "
        "requirements.txt into its requirements.txt tab (docs/lite.md).",
        highlight=False,
    )
    if wheel is None:
        console.print(
            f"requirements.txt installs xlhedge=={_lite.xlhedge_version()} from PyPI. If that version is not published "
            "there, build the wheel (python -m pip wheel --no-deps -w dist .), put it where the browser may "
            "download it, and rebuild with --wheel URL.",
            highlight=False,
        )
