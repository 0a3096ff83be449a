"""The README stays true: set-up commands, CI command, function catalogue."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
TEST_COMMAND = 'python -m pip install -e ".[test]" && python -m pytest'


def test_two_setup_commands_and_ci_runs_the_test_command():
    assert "python -m pip install . && xlhedge demo" in README
    assert TEST_COMMAND in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^" + re.escape(TEST_COMMAND) + r"$", ci, re.MULTILINE)


def test_function_catalogue_is_current():
    cat = subprocess.run(
        [sys.executable, "-m", "xlhedge.excel.catalogue"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert cat in README, "regenerate the README catalogue: python -m xlhedge.excel.catalogue"
