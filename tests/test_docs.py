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


def test_readme_is_short_and_shows_the_picture():
    assert len(README.splitlines()) <= 200
    assert "](docs/exposures.png)" in README


@pytest.mark.parametrize("page", ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in DOCS.rglob("*.md"))])
def test_every_relative_link_points_to_a_file(page):
    src = ROOT / page
    missing = []
    for target in _LINK.findall(src.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # https:, mailto:, an anchor on the same page
        path = target.split("#", 1)[0]
        if not (src.parent / path).exists():
            missing.append(target)
    assert not missing, f"{page} links to missing files: {missing}"


# ----------------------------------------------------------------------------- docs/


def test_every_docs_page_the_code_cites_exists():
    cited = _find(re.compile(r"docs/[\w./-]+\.md"))
    missing = {}
    for f, lines in cited.items():
        for line in lines:
            for path in re.findall(r"docs/[\w./-]*?\.md", line):
                if not (ROOT / path).is_file():
                    missing.setdefault(path, []).append(f"{f}:{line.split(':', 1)[0]}")
    assert not missing, f"cited docs pages that do not exist: {missing}"


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


def test_mkdocs_build_strict(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "site" / "methodology" / "factor-model" / "index.html").is_file()
    assert (tmp_path / "site" / "api" / "sizing" / "index.html").is_file()


# ----------------------------------------------------------------------------- outside documents

# Built from pieces so that this file does not match itself.
_OUTSIDE = re.compile(
    r"\b" + "SP" + "EC" + r"\b|\.\./shared|/work/" + "shared|shared/" + "reference|reference/0" + "00_"
)


def test_no_reference_to_a_document_outside_the_repository():
    hits = _find(_OUTSIDE)
    assert not hits, f"references to documents outside the repository: {hits}"


# Other private working notes the code once cited: the seeds, the conventions note, and section
# numbers of a one-digit form (the source article numbers its sections §01–§12). None is left.
_PRIVATE_NOTES = re.compile(r"\bseeds? (?:0" + r"0\d|on beta)|\bCONVEN" + r"TIONS\b|§" + r"\d(?!\d)")


def test_no_new_citation_of_private_notes():
    hits = _find(_PRIVATE_NOTES)
    assert not hits, f"citations of notes outside the repository: {hits}"


def test_the_workbook_page_lists_every_book_row_of_the_position_schema():
    """docs/workbook.md's attribute-row table names every Book row of the schema, in order."""
    from xlhedge.engine.schema import SHEET_FIELDS

    page = (ROOT / "docs" / "workbook.md").read_text()
    table = page[page.index("### Attribute rows") : page.index("### The other defined names")]
    names = re.findall(r"`(Book[A-Za-z]+)`", table)
    assert names == [f.sheet_name for f in SHEET_FIELDS]
    for f in SHEET_FIELDS:
        assert f.label.split(" (")[0] in table, f.label
