"""The documentation stays true: README and docs/ against the code, and no citation of a document
outside the repository anywhere in the project."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xlhedge.excel import catalogue

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
TEST_COMMAND = 'python -m pip install -e ".[test]" && python -m pytest'

_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _tracked_text_files() -> list[Path]:
    """Every file git tracks whose first 8 KiB hold no NUL byte (text), plus the untracked new ones."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = []
    for name in filter(None, out.split("\0")):
        p = ROOT / name
        if not p.is_file():
            continue
        with p.open("rb") as fh:
            if b"\0" in fh.read(8192):
                continue  # binary: .xlsx, .xlam, .png
        files.append(p)
    return files


def _find(pattern: re.Pattern[str]) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for p in _tracked_text_files():
        text = p.read_text(encoding="utf-8", errors="replace")
        for n, line in enumerate(text.splitlines(), 1):
            if pattern.search(line):
                hits.setdefault(p.relative_to(ROOT).as_posix(), []).append(f"{n}: {line.strip()[:120]}")
    return hits


# ----------------------------------------------------------------------------- README


def test_two_setup_commands_and_ci_runs_the_test_command():
    assert "python -m pip install . && xlhedge demo" in README
    assert TEST_COMMAND in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^" + re.escape(TEST_COMMAND) + r"$", ci, re.MULTILINE)


# ----------------------------------------------------------------------------- docs/


def test_function_catalogue_is_current():
    page = (DOCS / "functions.md").read_text(encoding="utf-8")
    assert catalogue.render_page(page) == page, "regenerate it: python -m xlhedge.excel.catalogue --write"
    printed = subprocess.run(
        [sys.executable, "-m", "xlhedge.excel.catalogue"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert printed.strip() in page
    check = subprocess.run([sys.executable, "-m", "xlhedge.excel.catalogue", "--check"], cwd=ROOT)
    assert check.returncode == 0


def test_catalogue_lists_every_function_under_a_heading():
    from xlhedge.functions.registry import registry

    page = (DOCS / "functions.md").read_text(encoding="utf-8")
    for name in registry():
        assert f"\n### {name}\n" in page
        assert f"(#{name.lower()})" in page


def test_catalogue_does_not_import_xlwings():
    code = "import xlhedge.excel.catalogue, sys; assert 'xlwings' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_catalogue_page_markers_are_required(tmp_path):
    page = tmp_path / "functions.md"
    page.write_text("# no markers\n")
    with pytest.raises(SystemExit):
        catalogue.main(["--check", "--page", str(page)])
    page.write_text(f"# title\n\n{catalogue.BEGIN}\nstale\n{catalogue.END}\n\nafter\n")
    assert catalogue.main(["--check", "--page", str(page)]) == 1
    assert catalogue.main(["--write", "--page", str(page)]) == 0
    assert catalogue.main(["--check", "--page", str(page)]) == 0
    text = page.read_text()
    assert text.startswith("# title\n") and text.endswith("\n\nafter\n") and "stale" not in text


# ----------------------------------------------------------------------------- outside documents
