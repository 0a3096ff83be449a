"""Every command's output fits the terminal: at 80 and 200 columns no cell is cut ('…') and no line
(stdout or stderr) is longer than the terminal, on the bundled example book (22 positions, real prices,
estimates) and on the Figure 01 book."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xlhedge.cli._common import signed, small
from xlhedge.template import example_prices_path, template_path

COMMANDS = {
    "demo": ["demo", "{book}", "--force"],
    "report": ["report", "{book}"],
    "hedge": ["hedge", "{book}"],
    "check": ["check", "{book}"],
    "estimate": ["estimate", "{book}", "--prices", "{prices}"],
    "recompute": ["recompute", "{book}"],
}


def _run(args: list[str], columns: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xlhedge", *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", ["example", "figure01"])
def test_output_fits_the_terminal(tmp_path: Path, command: str, columns: int, kind: str):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(template_path(kind), book)
    args = [a.format(book=book, prices=example_prices_path()) for a in COMMANDS[command]]
    if command == "demo" and kind == "figure01":
        args += ["--example", "figure01"]
    proc = _run(args, columns)
    assert proc.returncode in (0, 1), proc.stderr  # 1: check's findings
    lines = (proc.stdout + proc.stderr).splitlines()
    assert lines, "no output"
    cut = [ln for ln in lines if "…" in ln]
    assert not cut, "cells cut:\n" + "\n".join(cut)
    long = [f"{len(ln.rstrip())}: {ln}" for ln in lines if len(ln.rstrip()) > columns]
    assert not long, f"lines longer than {columns} columns:\n" + "\n".join(long)
    negative_zero = re.findall(r"(?<![\d.,])-0(?:\.0+)?(?![\d.,])", proc.stdout)
    assert not negative_zero  # a tiny value shows its digits, a zero has no minus sign


def test_check_wraps_under_its_message():
    """`check` at 80 columns: a long message continues on indented lines, not soft-wrapped at column 0."""
    proc = _run(["check", str(template_path("example"))], 80)
    lines = proc.stdout.splitlines()
    first = next(i for i, ln in enumerate(lines) if "LATE_PROTECTION" in ln)
    assert lines[first + 1].startswith("        ") and lines[first + 1].strip()
    assert any(ln.startswith("        fix: ") for ln in lines[first:])


def test_negative_zero_and_tiny_values():
    assert signed(-0.00001) == "+0.0000" and signed(-0.00001, ".2f") == "0.00"
    assert signed(-1.5) == "-1.5000"
    assert small(-0.0) == "0.00" and small(1e-15) == "0.00"
    assert small(-0.0031) == "-0.0031" and small(-8.5) == "-8.50" and small(2950) == "+2,950.00"
