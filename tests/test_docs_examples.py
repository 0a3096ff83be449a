"""The documentation's examples run, and the numbers it prints are the code's.

How an example in README.md or docs/ is written so that this file checks it:

* ```python blocks run in page order, one fresh namespace per page, in a temporary folder that
  holds the example book twice (``xlhedge_example.xlsx``, as ``xlhedge demo`` writes it, and a
  copy named ``mybook.xlsx``) and the price files the estimation examples read (``SPY.csv`` and
  ``XOM.csv`` in Yahoo's shape, ``DCOILWTICO.csv`` and ``VIXCLS.csv`` in FRED's, ``MOVE.csv``;
  synthetic prices, see :func:`_write_price_files`).
  A block that shows a result is written doctest-style: ``>>> expression``, then the output as
  Python prints it (checked by doctest with ELLIPSIS and NORMALIZE_WHITESPACE). A block without
  ``>>>`` runs as a script and must not show results in comments (a comment starting with a
  number or a quote is refused: write it doctest-style). A block whose first line is
  ``# not run: needs Excel`` is skipped, and only those.
* ```bash blocks: every line that calls ``xlhedge`` runs in a fresh temporary folder per page
  (with the price files and ``book.xlsx``, a copy of the example book), with ``COLUMNS=200``;
  it must exit 0 unless :data:`EXPECTED_EXIT` says otherwise. A line ``xlhedge new BOOK`` is
  followed by the reader filling the book in: the test stands in by writing the example book
  over it. Skipped: the set-up lines (``pip install``, covered by tests/test_docs.py), lines
  that do not call xlhedge, and ``xlhedge addin install``/``uninstall`` (they need Excel).
* ```console blocks: ``$ command`` lines run as above; the lines after one are lines of its
  output, in order (an excerpt: other lines may come between), compared whitespace-normalised
  with the table-drawing characters removed.
* The worked numbers of the methodology pages (and the example book's, the catalogue's and the
  defaults the pages quote) are recomputed below through the public API and compared with the
  number as printed, read from the page with a pattern, so that a page that drifts fails.

Links are checked by tests/test_docs.py (files) and :func:`test_every_anchor_resolves` (anchors).
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xlhedge.template import template_path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.md"))]
NOT_RUN = "# not run: needs Excel"

#: Lines of ```bash blocks whose documented exit code is not 0 (on the book they run on).
EXPECTED_EXIT = {
    "xlhedge check book.xlsx --strict": 1,  # the example book has warnings
}

# ----------------------------------------------------------------------------- reading the pages

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    lang: str
    body: str

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def _text(page: str) -> str:
    return (ROOT / page).read_text(encoding="utf-8")


def blocks(page: str, *langs: str) -> list[Block]:
    text = _text(page)
    out = []
    for m in _FENCE.finditer(text):
        lang = m["info"].strip().split(" ")[0].lower()
        if langs and lang not in langs:
            continue
        indent = m["indent"]
        body = "".join(ln[len(indent) :] if ln.startswith(indent) else ln for ln in m["body"].splitlines(keepends=True))
        out.append(Block(page, text.count("\n", 0, m.start()) + 2, lang, body))
    return out


def _pages_with(*langs: str) -> list[str]:
    return [p for p in PAGES if blocks(p, *langs)]


_NUMBER = re.compile(r"[−+-]?\d[\d,]*(?:\.\d+)?")


def num(s: str) -> float:
    """A number as a page prints it: −46,000 / +0.3333 / 37% / 1.5%."""
    s = s.strip().replace("−", "-").replace(",", "").replace("\u2009", "")
    pct = s.endswith("%")
    v = float(s.rstrip("%").rstrip("×").lstrip("+"))
    return v / 100 if pct else v


def printed(page: str, pattern: str, flags: int = 0) -> list[float]:
    """The numbers a pattern's groups capture on a page (the pattern must match exactly once)."""
    text = _text(page)
    hits = list(re.finditer(pattern, text, flags))
    assert len(hits) == 1, f"{page}: expected one match of {pattern!r}, found {len(hits)}"
    return [num(g) for g in hits[0].groups()]


def one(page: str, pattern: str, flags: int = 0) -> float:
    (v,) = printed(page, pattern, flags)
    return v


def table(page: str, heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after a line containing ``heading``."""
    lines = _text(page).splitlines()
    start = next(i for i, ln in enumerate(lines) if heading in ln)
    i = next(k for k in range(start, len(lines)) if lines[k].startswith("|"))
    rows = []
    while i < len(lines) and lines[i].startswith("|"):
        cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
        if not all(set(c) <= set("-: ") for c in cells):
            rows.append(cells)
        i += 1
    return rows[1:]  # without the header


def plain(s: str) -> str:
    return s.replace("*", "").replace("`", "").strip()


# ----------------------------------------------------------------------------- the folders


def _write_price_files(folder: Path) -> None:
    """Synthetic daily prices in the shapes people download, 320 business days of 2025.

    SPY and XOM as Yahoo files (one per ticker), WTI crude (DCOILWTICO) and the VIX close (VIXCLS)
    as FRED files, with FRED's "." for a missing day, and a MOVE history (``Date,MOVE``). The
    market's daily vol follows the VIX, so there are low, normal and stress days.
    """
    rng = np.random.default_rng(20251121)
    dates = pd.bdate_range("2025-01-02", periods=320)
    t = np.arange(dates.size)
    vix = 21 + 9 * np.sin(t / 23) + rng.normal(0, 1.5, dates.size)
    r_spy = rng.normal(0.0003, 1, dates.size) * vix / 100 / np.sqrt(252)
    r_xom = 0.9 * r_spy + rng.normal(0, 0.008, dates.size)
    r_wti = 0.5 * r_spy + rng.normal(0, 0.015, dates.size)
    spy = 500 * np.cumprod(1 + r_spy)
    xom = 110 * np.cumprod(1 + r_xom)
    wti = 70 * np.cumprod(1 + r_wti)
    day = dates.strftime("%Y-%m-%d")
    for name, px in (("SPY", spy), ("XOM", xom)):
        pd.DataFrame(
            {
                "Date": day,
                "Open": px,
                "High": px * 1.01,
                "Low": px * 0.99,
                "Close": px,
                "Adj Close": px,
                "Volume": 1_000_000,
            }
        ).to_csv(folder / f"{name}.csv", index=False, float_format="%.4f")
    wti_col = [f"{v:.2f}" for v in wti]
    wti_col[40] = "."  # a FRED holiday
    pd.DataFrame({"observation_date": day, "DCOILWTICO": wti_col}).to_csv(folder / "DCOILWTICO.csv", index=False)
    pd.DataFrame({"DATE": day, "VALUE": np.round(vix, 2)}).to_csv(folder / "VIXCLS.csv", index=False)
    move = 4 * vix + 20 + rng.normal(0, 3, dates.size)
    pd.DataFrame({"Date": day, "MOVE": np.round(move, 2)}).to_csv(folder / "MOVE.csv", index=False)


def _example_book(path: Path) -> Path:
    shutil.copyfile(template_path("example"), path)
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _write_price_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ----------------------------------------------------------------------------- Python blocks

_RESULT_COMMENT = re.compile(r"#\s*[−+\-\d'\"]")


def test_every_python_block_is_run_or_marked():
    """A ```python block is doctest-style, a plain script (no results in comments) or marked not run."""
    bad = []
    for page in PAGES:
        for b in blocks(page, "python"):
            if b.body.startswith(NOT_RUN) or ">>>" in b.body:
                continue
            for k, ln in enumerate(b.body.splitlines()):
                code, _, comment = ln.partition("  #")
                if comment and _RESULT_COMMENT.match("#" + comment):
                    bad.append(f"{b.page}:{b.line + k}: {ln.strip()}")
    assert not bad, "results shown in comments (write these blocks doctest-style):\n" + "\n".join(bad)
    assert {"README.md", "docs/python.md"} <= set(_pages_with("python"))


@pytest.mark.parametrize("page", _pages_with("python"))
def test_python_examples_run(page: str, folder: Path):
    _example_book(folder / "xlhedge_example.xlsx")
    _example_book(folder / "mybook.xlsx")
    ns: dict = {"__name__": "__docs__"}
    parser = doctest.DocTestParser()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    ran = 0
    for b in blocks(page, "python"):
        if b.body.startswith(NOT_RUN):
            continue
        ran += 1
        if ">>>" in b.body:
            test = parser.get_doctest(b.body, ns, b.where, page, b.line - 1)
            report: list[str] = []
            runner = doctest.DocTestRunner(optionflags=flags)
            runner.run(test, out=report.append, clear_globs=False)
            ns.update(test.globs)
            assert not runner.failures, "".join(report)
        else:
            try:
                exec(compile(b.body, b.where, "exec"), ns)
            except Exception as exc:
                pytest.fail(f"{b.where}: the example raised {type(exc).__name__}: {exc}")
    assert ran


# ----------------------------------------------------------------------------- shell blocks


def _shell_env(folder: Path) -> dict[str, str]:
    """``xlhedge`` on PATH runs this checkout with this Python."""
    bindir = folder / ".bin"
    bindir.mkdir(exist_ok=True)
    exe = bindir / "xlhedge"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m xlhedge "$@"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ)
    env.update(
        PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep),
        COLUMNS="200",
        NO_COLOR="1",
        TERM="dumb",
    )
    env.pop("XLHEDGE_DEBUG", None)
    return env


def _command(line: str) -> str:
    """The command of a shell line, without its trailing comment."""
    return re.sub(r"\s+#\s.*$", "", line).strip()


def _skip_reason(cmd: str) -> str | None:
    if "pip install" in cmd:
        return "set-up (tests/test_docs.py)"
    if not cmd.startswith("xlhedge"):
        return "does not call xlhedge"
    if re.match(r"xlhedge addin (install|uninstall)\b", cmd):
        return "needs Excel"
    return None


def _run(cmd: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["bash", "-c", cmd], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    new = re.fullmatch(r"xlhedge new (\S+\.xlsx)", cmd)
    if new and proc.returncode == 0:
        _example_book(folder / new[1])  # the reader fills the fresh book in
    return proc


_BOX = re.compile(r"[\u2500-\u257f]")


def _norm(s: str) -> str:
    return " ".join(_BOX.sub(" ", s).split())


def _shell_pages() -> list[str]:
    pages = []
    for p in _pages_with("bash", "console"):
        for b in blocks(p, "bash", "console"):
            lines = [ln.removeprefix("$ ") for ln in b.body.splitlines()]
            if any(_skip_reason(_command(ln)) is None for ln in lines if ln.startswith("xlhedge")):
                pages.append(p)
                break
    return pages


@pytest.mark.parametrize("page", _shell_pages())
def test_shell_examples_run(page: str, folder: Path):
    _example_book(folder / "book.xlsx")
    env = _shell_env(folder)
    ran = 0
    for b in blocks(page, "bash", "console"):
        lines = b.body.splitlines()
        if b.lang == "console":
            k = 0
            while k < len(lines):
                if not lines[k].startswith("$ "):
                    k += 1
                    continue
                cmd = _command(lines[k][2:])
                expected = []
                k += 1
                while k < len(lines) and not lines[k].startswith("$ "):
                    if lines[k].strip() and lines[k].strip() != "…":
                        expected.append(_norm(lines[k]))
                    k += 1
                if _skip_reason(cmd):
                    continue
                proc = _run(cmd, folder, env)
                ran += 1
                assert proc.returncode == EXPECTED_EXIT.get(cmd, 0), f"{b.where}: {cmd}\n{proc.stdout}{proc.stderr}"
                out = [_norm(ln) for ln in (proc.stdout + proc.stderr).splitlines()]
                at = 0
                for want in expected:
                    hit = next((i for i in range(at, len(out)) if want in out[i]), None)
                    assert hit is not None, (
                        f"{b.where}: {cmd}: line not in the output (in order): {want!r}\n" + "\n".join(out)
                    )
                    at = hit + 1
        else:
            for ln in lines:
                cmd = _command(ln)
                if not cmd or cmd.startswith("#") or _skip_reason(cmd):
                    continue
                proc = _run(cmd, folder, env)
                ran += 1
                assert proc.returncode == EXPECTED_EXIT.get(cmd, 0), f"{b.where}: {cmd}\n{proc.stdout}{proc.stderr}"
                assert "Traceback" not in proc.stdout + proc.stderr
    assert ran
