"""Every command's --help reads cleanly: no typer type labels (<bool>, <path>, <list[str]>), no {book}
usage braces, each has an example line, and no paragraph is broken where a source line ended."""

from __future__ import annotations

import re

import click
import pytest
import typer
from typer.testing import CliRunner

from xlhedge.cli import app


def _commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    found: list[list[str]] = [[]]

    def walk(cmd: click.Command, path: list[str]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            found.append([*path, name])
            walk(sub, [*path, name])

    walk(root, [])
    return found


COMMANDS = _commands()


def test_every_command_is_listed():
    names = {" ".join(c) for c in COMMANDS}
    assert {"", "new", "demo", "recompute", "report", "hedge", "check", "estimate", "addin", "addin build"} <= names


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "xlhedge")
def test_help_screen(command: list[str], columns: int):
    r = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    text = r.output
    assert not re.search(r"<(bool|path|int|float|str|text|list\[[^\]]*\]|[a-z ]+ range)>", text), text
    assert not re.search(r"\{[a-z_]+\}", text), text
    assert re.search(r"Example: xlhedge\b", text), f"no example line:\n{text}"
    assert max(len(ln.rstrip()) for ln in text.splitlines()) <= columns
    # a description paragraph that ends a line mid-sentence at 200 columns was broken in the source
    if columns == 200:
        for ln in text.splitlines():
            body = ln.strip(" │")
            assert not re.search(r"\b(The|the|a|an|of|and|to|is)$", body), f"broken line: {ln!r}"
