"""Start-up: which heavy modules `import xlhedge`, `xlhedge --help` and `import xlhedge.udfs` load.

Each case runs in a fresh interpreter (a module already imported by pytest would hide a
regression). Timings are benchmarks (benchmarks/startup.py), not tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "openpyxl", "PIL", "lxml", "scipy", "numpy", "rich", "typer")


def _loaded(code: str) -> dict[str, list[str]]:
    """Run ``code`` in a fresh interpreter; the top-level packages it left in sys.modules."""
    probe = (
        "import sys, json\n"
        "before = set(sys.modules)\n"
        f"{code}\n"
        "after = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(json.dumps(sorted(after)), file=sys.__stderr__)\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    last = r.stderr.strip().splitlines()[-1]
    return {"all": json.loads(last), "stdout": [r.stdout]}


def test_import_xlhedge_loads_no_heavy_module():
    got = _loaded("import xlhedge")["all"]
    assert not set(got) & set(HEAVY), got


def test_xlhedge_help_loads_neither_pandas_openpyxl_nor_pil():
    got = _loaded(
        "sys.argv = ['xlhedge', '--help']\n"
        "import xlhedge.cli\n"
        "try:\n    xlhedge.cli.main()\nexcept SystemExit:\n    pass"
    )
    assert not set(got["all"]) & {"pandas", "openpyxl", "PIL", "lxml", "scipy", "numpy"}, got["all"]
    assert "recompute" in got["stdout"][0] and "estimate" in got["stdout"][0]


def test_udfs_add_nothing_beyond_xlwings():
    pytest.importorskip("xlwings")
    got = _loaded("import xlwings\nbefore = set(sys.modules)\nimport xlhedge.udfs")["all"]
    # only xlhedge itself and the standard library
    extra = {m for m in got if m != "xlhedge" and m not in sys.stdlib_module_names}
    assert not extra, extra


def test_a_public_name_loads_on_first_use():
    got = _loaded("import xlhedge\nassert callable(xlhedge.factor_exposure)")["all"]
    assert "numpy" in got
    import xlhedge

    assert set(xlhedge.__all__) <= set(dir(xlhedge))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        xlhedge.nope  # noqa: B018


def test_lazy_help_lists_every_command_with_its_own_summary():
    from xlhedge.cli import COMMANDS, app, full_group

    full = full_group()
    ctx = click.Context(full)
    assert sorted(full.list_commands(ctx)) == sorted(COMMANDS)
    for name, summary in COMMANDS.items():
        cmd = full.get_command(ctx, name)
        own = (cmd.help or "").split("\n\n")[0].strip()
        assert own == summary, name
    # the help listed lazily is the help of the full group, character for character
    lazy = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"}).output
    import typer

    eager = typer.Typer(name="xlhedge", help=full.help, add_completion=False)
    for module in __import__("xlhedge.cli", fromlist=["COMMAND_MODULES"]).COMMAND_MODULES:
        __import__(f"xlhedge.cli.{module}", fromlist=["register"]).register(eager)
    ordered = CliRunner().invoke(eager, ["--help"], env={"COLUMNS": "100"}).output
    assert sorted(lazy.splitlines()) == sorted(ordered.splitlines())
