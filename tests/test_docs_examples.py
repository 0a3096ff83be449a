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

import datetime as dt
import doctest
import math
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import xlhedge
import xlhedge.engine.factors
from xlhedge.functions.registry import registry
from xlhedge.template import example_prices_path, template_path
from xlhedge.template.figure01 import FIGURE01_POSITIONS

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


def _example_book(path: Path, kind: str = "figure01") -> Path:
    """A copy of a shipped book: the Figure 01 book stands in for "your book" (its numbers are
    hand-worked in the methodology pages); ``kind="example"`` is what ``xlhedge demo`` writes."""
    shutil.copyfile(template_path(kind), path)
    return path


def _sample_prices(folder: Path) -> None:
    """The shipped sample price file at the path a clone's top folder has it (README's estimate)."""
    (folder / "xlhedge" / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(example_prices_path(), folder / "xlhedge" / "data" / "example_prices.csv")


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
    _example_book(folder / "xlhedge_example.xlsx", "example")
    _example_book(folder / "figure01.xlsx")
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
            # pandas' display defaults (another test or a terminal may have changed them)
            with pd.option_context("display.width", 80, "display.max_columns", 20, "display.precision", 6):
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


_SHELL_SYNTAX = re.compile(r"[|&;<>$`(){}*?~]")


def _in_process(cmd: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """A plain ``xlhedge ARGS`` line, run through the CLI in this process (typer's runner): the same
    command as the shell would run, without paying Python's start-up for every line."""
    import shlex

    from typer.testing import CliRunner

    from xlhedge.cli import _common, app

    args = shlex.split(cmd)[1:]
    old = os.getcwd()
    widths = (_common.console.width, _common.err_console.width)
    os.chdir(folder)
    try:
        _common.console.width = _common.err_console.width = 200
        r = CliRunner().invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    finally:
        os.chdir(old)
        _common.console.width, _common.err_console.width = widths
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return subprocess.CompletedProcess(cmd, r.exit_code, r.stdout, r.stderr)


def _run(cmd: str, folder: Path, env: dict[str, str], *, as_typed: bool) -> subprocess.CompletedProcess[str]:
    if not as_typed and _SHELL_SYNTAX.search(cmd) is None and cmd.startswith("xlhedge "):
        proc = _in_process(cmd, folder)
    else:
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


#: Pages whose shell lines run exactly as typed, through bash and a fresh process each (the others
#: run the same commands in this process, which is faster and gives the same exit codes and output).
_AS_TYPED_PAGES = frozenset({"README.md"})


@pytest.mark.parametrize("page", _shell_pages())
def test_shell_examples_run(page: str, folder: Path):
    as_typed = page in _AS_TYPED_PAGES
    _example_book(folder / "book.xlsx")
    _example_book(folder / "xlhedge_example.xlsx", "example")  # as `xlhedge demo` left it
    _sample_prices(folder)
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
                proc = _run(cmd, folder, env, as_typed=as_typed)
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
                proc = _run(cmd, folder, env, as_typed=as_typed)
                ran += 1
                assert proc.returncode == EXPECTED_EXIT.get(cmd, 0), f"{b.where}: {cmd}\n{proc.stdout}{proc.stderr}"
                assert "Traceback" not in proc.stdout + proc.stderr
    assert ran


# ----------------------------------------------------------------------------- numbers: helpers


def close(printed_value: float, computed: float, digits: int) -> bool:
    """The printed value is the computed one rounded to ``digits`` decimals (either way at a half)."""
    return abs(printed_value - float(computed)) <= 0.5 * 10.0**-digits * (1 + 1e-9) + 1e-12


def assert_printed(page: str, pattern: str, computed: float, digits: int, flags: int = 0) -> None:
    v = one(page, pattern, flags)
    assert close(v, computed, digits), f"{page}: {pattern!r} prints {v}, the code gives {computed}"


def call(name: str, *args):
    """A worksheet function, as a cell calls it."""
    return registry()[name].call(*args)


@pytest.fixture(scope="module")
def example() -> xlhedge.Book:
    return xlhedge.read_book(template_path("figure01"))


# ----------------------------------------------------------------------------- factor-model.md

FM = "docs/methodology/factor-model.md"


def test_factor_model_example_table_is_the_example_book(example):
    rows = table(FM, "Worked example: the article's Figure 01")
    assert [r[0] for r in rows] == list(example.positions.index)
    factors = ["equity", "duration", "usd", "commodity"]
    for r in rows:
        t = r[0]
        assert num(r[1]) == example.positions.loc[t, "weight"], t
        for f, cell in zip(factors, r[2:]):
            assert (num(cell) if cell else 0.0) == example.betas.loc[f, t], (t, f)


def test_factor_model_worked_numbers(example):
    e = example.exposures()
    nav = example.nav
    pat = (
        r"0\.015·1\.4 \+ 0\.015·0\.9 \+ 0\.0075·1\.1 \+ 0\.010·1\.0 − 0\.010·0\.3 \+ 0\.005·\(−0\.2\) = \*\*([^*]+)\*\*"
    )
    assert_printed(FM, pat, e.loc["equity", "exposure"], 5)
    assert_printed(FM, r"\(([\d,]+) USD\); largest contributor IPX", e.loc["equity", "exposure_ccy"], 0)
    c = example.contributions().loc["equity"]
    top, gross, share = printed(FM, r"largest contributor IPX, ([\d.]+) of a gross ([\d.]+) = (\d+)%")
    assert e.loc["equity", "top_contributor"] == "IPX"
    assert (top, gross) == (round(c["IPX"], 5), round(c.abs().sum(), 5))
    assert close(share / 100, e.loc["equity", "top_share"], 2)
    assert_printed(FM, r"Duration: 0\.005·17 = \*\*([^*]+)\*\*", e.loc["duration", "exposure"], 4)
    assert_printed(FM, r"0\.085 · 1,000,000 · 0\.0001 =\s+\*\*([−\d.]+) USD per \+1 bp\*\*", example.dv01(), 2)
    assert example.dv01() == xlhedge.engine.factors.dv01(e.loc["duration", "exposure"], nav)
    assert_printed(FM, r"USD: 0\.010·\(−0\.3\) − 0\.010·\(−0\.2\) = \*\*([^*]+)\*\*", e.loc["usd", "exposure"], 4)
    assert_printed(FM, r"commodity: 0\.015·0\.3 − 0\.010·1\.0 = \*\*([^*]+)\*\*", e.loc["commodity", "exposure"], 4)
    assert_printed(FM, r"\+0\.0488 equity means\s+([\d.]+%) of NAV", e.loc["equity", "exposure"], 4)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # B6 is the duration exposure: the second row of the Exposures block
        ("BookDV01", lambda first: f"=-B{first + 1}*NAV*0.0001"),
        # B10 is the vol exposure: the sixth row of the Exposures block, in % of NAV per point
        ("BookVolPerPoint", lambda first: f"=B{first + 5}*NAV*0.01"),
    ],
)
def test_book_dv01_and_vol_cells_are_the_documented_formulas(name, expected):
    import openpyxl

    wb = openpyxl.load_workbook(template_path("figure01"))
    sheet, cell = wb.defined_names[name].attr_text.replace("$", "").split("!")
    formula = wb[sheet][cell].value
    for page in (FM, "docs/workbook.md"):
        assert f"`{formula}`" in _text(page)
    first = wb.defined_names["Exposures"].attr_text.replace("$", "").split("!")[1].split(":")[0]
    assert formula == expected(int(first[1:]))


# ----------------------------------------------------------------------------- sizing.md

SZ = "docs/methodology/sizing.md"


def _inst(ticker: str):
    return xlhedge.instrument(ticker)


def test_sizing_general_form_worked_check():
    from xlhedge.engine.sizing import SIZING_DEFAULTS

    h = xlhedge.hedge_notional(0.92, 100_000, 0.5)
    assert_printed(SZ, r"H = −0\.5 · \(0\.92 − 0\) · 100,000 / \(1 − 0\) = (−[\d,]+)", h, 0)
    assert_printed(
        SZ, r"`=HEDGE_NOTIONAL\(0\.92, 100000, 0\.5\)` →\s+(−[\d,]+)", call("HEDGE_NOTIONAL", 0.92, 100000, 0.5), 0
    )
    t = xlhedge.hedge_notional(0.92, 100_000, 0.5, target=0.30, alpha=0.2)
    assert_printed(SZ, r"H = −0\.5 · 0\.62 · 100,000 / 0\.8 = (−[\d,]+)", t, 0)
    assert_printed(
        SZ, r"−0\.40 on 1,000,000, fully hedged: H = (\+[\d,]+) \(buy\)", xlhedge.hedge_notional(-0.40, 1e6), 0
    )
    assert SIZING_DEFAULTS["ratio"] == 1 and SIZING_DEFAULTS["target"] == 0 and SIZING_DEFAULTS["alpha"] == 0
    assert "h = 1 in the engine (`SIZING_DEFAULTS`), 50% on the template's Hedges sheet" in _text(SZ)
    import openpyxl

    wb = openpyxl.load_workbook(template_path("template"))
    sheet, rng = wb.defined_names["HedgeRatios"].attr_text.replace("$", "").split("!")
    assert {c.value for (c,) in wb[sheet][rng]} == {0.5}


def test_sizing_whole_contracts_and_micro():
    es, mes = _inst("ES"), _inst("MES")
    assert printed(SZ, r"ES at ([\d,]+) × (\d+) = ([\d,]+) a contract") == [
        es.price,
        es.multiplier,
        es.price * es.multiplier,
    ]
    assert printed(SZ, r"MES at ([\d,]+) × (\d+) = ([\d,]+):") == [
        mes.price,
        mes.multiplier,
        mes.price * mes.multiplier,
    ]
    assert (es.micro, _inst("CL").micro, _inst("BTC").micro) == ("MES", "MCL", "MBT")
    assert "(ES → MES, CL → MCL, BTC → MBT)" in _text(SZ)
    s = xlhedge.size_hedge(0.92, 1_000_000, "ES")
    assert_printed(SZ, r"Example: H = (−[\d,]+) with ES", s.notional, 0)
    assert_printed(SZ, r"units (−[\d.]+) → \*\*−3 ES\*\*", s.units, 2)
    assert (s.contracts, s.micro, s.micro_contracts) == (-3, "MES", -1)
    residual = s.notional - s.contracts * es.price * es.multiplier
    assert_printed(SZ, r"residual (−[\d,]+); MES", residual, 0)
    assert_printed(SZ, r"30,000: (−[\d.]+) → \*\*−1 MES\*\*", residual / (mes.price * mes.multiplier), 2)
    after = residual - s.micro_contracts * mes.price * mes.multiplier
    assert_printed(SZ, r"residual after the micro\s+(\+[\d,]+)", after, 0)
    cell = call("HEDGE_CONTRACTS", -920000, 6000, 50, 1, 5)
    shown = printed(SZ, r"`=HEDGE_CONTRACTS\(-920000, 6000, 50, 1, 5\)` → `\[(\S+), (\S+), (\S+), (\S+)\]`")
    assert cell == [shown]


def test_sizing_put_example():
    from xlhedge.engine import options

    put = _inst("SPX_PUT")
    S, K, vol, T = printed(SZ, r"SPX put \(S ([\d,]+), K ([\d,]+), σ (\d+%), T ([\d.]+), r = q = 0\)")
    assert (S, K, vol, T) == (put.price, put.strike, put.vol, put.years)
    d, v = options.put_delta(S, K, vol, T), options.put_price(S, K, vol, T)
    assert_printed(SZ, r"Δ = (−[\d.]+), value", d, 4)
    assert_printed(SZ, r"value\s+([\d.]+) per unit", v, 2)
    assert call("PUT_DELTA", S, K, vol, T) == pytest.approx(d, abs=1e-12)
    s = xlhedge.size_hedge(0.92, 10_000_000, "SPX_PUT", ratio=0.5)
    assert_printed(SZ, r"at 50%: H = (−[\d,]+);", s.notional, 0)
    assert_printed(SZ, r"Δ × 6,000 × 100 = (−[\d,]+);", d * S * put.multiplier, 0)
    assert_printed(SZ, r"units (\+[\d.]+) → \*\*buy 28 puts\*\*", s.units, 2)
    assert (s.side, s.contracts) == ("buy", 28)
    assert_printed(SZ, r"premium 28 × 100 × [\d.]+ =\s+([\d,]+);", s.cost, 0)
    assert_printed(SZ, r"premium 28 × 100 × ([\d.]+) =", v, 3)
    assert_printed(SZ, r"exposure after ([\d.]+)\. The tests", s.exposure_after, 3)


def test_sizing_rates_dv01():
    from xlhedge.engine.sizing import dv01_unit, rates_hedge_units

    tlt, zn = _inst("TLT"), _inst("ZN")
    p, d, u = printed(SZ, r"TLT (\d+), D (\d+)\s+→ ([\d.]+) per share")
    assert (p, d) == (tlt.price, tlt.beta) and close(u, dv01_unit(p, d), 3)
    assert close(u, call("UNIT_DV01", p, d), 3)
    p, f, d, u = printed(SZ, r"ZN (\d+), face ([\d,]+), D ([\d.]+) → ([\d.]+)")
    assert (p, f, d) == (zn.price, zn.face, zn.beta) and close(u, dv01_unit(p, d, f), 2)
    assert zn.price * zn.multiplier == pytest.approx(p / 100 * f)  # the catalogue's multiplier is face / 100
    e, book = printed(SZ, r"E_duration = ([\d.]+) years on 1,000,000 NAV: book DV01 = (−\d+) per bp")
    assert book == xlhedge.engine.factors.dv01(e, 1e6)
    assert_printed(SZ, r"TLT units =\s+−200 / 0\.153 = (−[\d,.]+) →", rates_hedge_units(book, dv01_unit(90, 17)), 1)
    assert "**sell 1,307 TLT**" in _text(SZ)
    assert_printed(
        SZ, r"in ZN: −200 / 72\.15 = (−[\d.]+) contracts", rates_hedge_units(book, dv01_unit(111, 6.5, 1e5)), 2
    )
    # the general form with β = duration gives the same units
    s = xlhedge.size_hedge(e, 1e6, "TLT")
    assert s.units == pytest.approx(rates_hedge_units(book, dv01_unit(90, 17)))
    ex = xlhedge.size_hedge(0.085, 1e6, "TLT", ratio=0.5)
    assert_printed(SZ, r"\(E_duration = 0\.085, 50%\): (−[\d,]+) of TLT-equivalent", ex.notional, 0)
    assert_printed(SZ, r"TLT-equivalent → (−[\d.]+) → \*\*sell 28 TLT\*\*", ex.units, 2)
    assert ex.contracts == -28
    for t, dur in re.findall(r"(TLT|IEF|SHY|ZN|ZB) ≈? ?([\d.]+)", _text(SZ).split("Durations are inputs")[1][:120]):
        assert _inst(t).beta == float(dur), t


def test_sizing_fx():
    e = xlhedge.currency_exposures([0.1, 0.2, 0.05], ["EUR", "USD", "CHF"], [1, None, 0.5])
    assert printed(SZ, r"record USD → EUR ([\d.]+), CHF ([\d.]+)\.") == [e["EUR"], e["CHF"]]
    p = xlhedge.read_book(template_path("figure01")).positions
    ex = xlhedge.currency_exposures(p["weight"], p["fx_currency"], p["fx_share"], listing=p["currency"])
    assert_printed(SZ, r"AMRZ \(1% of NAV, CHF share 0\.6\) → CHF (\+[\d.]+)", ex["CHF"], 4)
    assert_printed(SZ, r"IPX \(1\.5%, AUD share 0\.3\) → AUD\s+(\+\d[\d.]*\d)", ex["AUD"], 5)
    fx = xlhedge.fx_hedges({"EUR": 0.1}, 1_000_000).iloc[0]
    usd, price, size, k, whole = printed(
        SZ, r"sell ([\d,]+) USD of 6E = −100,000 / \(([\d.]+) × ([\d,]+)\) =\s+(−[\d.]+) contracts \((−\d) whole\)"
    )
    assert (-usd, price, size) == (fx["notional_usd"], _inst("6E").price, _inst("6E").multiplier)
    assert close(k, fx["contracts_unrounded"], 2) and whole == fx["contracts"]
    jpy = xlhedge.fx_hedges({"JPY": 0.1}, 1_000_000, record="EUR").set_index("instrument")
    nav_usd, j, eur = printed(SZ, r"= ([\d,]+)\s+USD\): 6J (−[\d.]+) and 6E (\+[\d.]+),")
    assert nav_usd == 1_000_000 * _inst("6E").price
    assert close(j, jpy.loc["6J", "contracts_unrounded"], 2) and close(eur, jpy.loc["6E", "contracts_unrounded"], 2)
    assert jpy.loc["6J", "notional_usd"] == -jpy.loc["6E", "notional_usd"]
    sizes = re.findall(r"(6[ESJBCA])\s+([\d,]+) ([A-Z]{3})", _text(SZ).split("Contract sizes (CME):")[1][:200])
    assert len(sizes) == 6
    for t, size, ccy in sizes:
        assert (_inst(t).multiplier, _inst(t).currency) == (num(size), ccy), t


def test_sizing_commodity_crypto_pairs_and_defaults():
    from xlhedge.engine.instruments import DEFAULT_HEDGE_INSTRUMENTS
    from xlhedge.engine.sizing import crypto_contracts, pair_neutral_weight, pair_residual_beta

    for t, size in re.findall(r"\b(CL|MCL|GC|HG) \(([\d,]+) ", _text(SZ)):
        assert _inst(t).multiplier == num(size), t
    btc, mbt, perp = printed(SZ, r"CME Bitcoin (\d+) BTC, CME Micro Bitcoin ([\d.]+) BTC, a USDT perpetual (\d) coin")
    assert (_inst("BTC").multiplier, _inst("MBT").multiplier, _inst("BTCUSDT").multiplier) == (btc, mbt, perp)
    f_btc, f_eth = printed(SZ, r"inverse\s+faces (\d+) USD \(BTCUSD\) and (\d+) USD \(ETHUSD\)")
    assert (_inst("BTCUSD").face, _inst("ETHUSD").face) == (f_btc, f_eth)
    coin, cme, micro, inv = printed(
        SZ, r"h = 0\.5 →\s+([\d.]+) BTC short = ([\d.]+) CME contracts = (\d+) MBT = ([\d,]+) inverse contracts"
    )
    v = 5 * 60_000
    assert coin == crypto_contracts(v, 60_000, ratio=0.5)
    assert cme == crypto_contracts(v, 60_000, ratio=0.5, contract_size=5)
    assert micro == pytest.approx(crypto_contracts(v, 60_000, ratio=0.5, contract_size=0.1))
    assert inv == crypto_contracts(v, 60_000, ratio=0.5, contract="inverse", face=100)
    wb = one(SZ, r"β 0\.8 → w_B = (−[\d.]+%)")
    assert wb == pytest.approx(pair_neutral_weight(0.05, 1.2, 0.8))
    assert pair_residual_beta(0.05, 1.2, wb, 0.8) == pytest.approx(0)
    assert call("PAIR_NEUTRAL", 0.05, 1.2, 0.8) == pytest.approx(wb)
    text = _text(SZ)
    listed = re.search(r"Default hedge per factor:\s+(.*?); vol and tilts", text, re.S)[1]
    assert dict(re.findall(r"(\w+) (\w+)", listed.replace(" (CME)", ""))) == DEFAULT_HEDGE_INSTRUMENTS


def test_sizing_minvar_needs_three_returns():
    with pytest.raises(xlhedge.NotEnoughData, match="at least 3"):
        xlhedge.minvar_hedge([100, 101, 102], [50, 51, 50])
    xlhedge.minvar_hedge([100, 101, 102, 101], [50, 51, 50, 49])
    rng = np.random.default_rng(1)
    x = 100 + rng.normal(0, 1, (5, 2)).cumsum(axis=0)
    with pytest.raises(xlhedge.NotEnoughData, match="at least 4"):  # k + 2 for k = 2 instruments
        xlhedge.lsq_hedge(x[:4, 0] + x[:4, 1], x[:4])
    assert "at least 3 complete returns are needed" in _text(SZ)
    assert "It needs k + 2 complete returns for k instruments" in _text(SZ)


# ----------------------------------------------------------------------------- perpetuals.md

PP = "docs/methodology/perpetuals.md"


def test_perpetuals_pnl_examples():
    from xlhedge.engine.perps import inverse_pnl_usd

    short, long_ = printed(PP, r"short 2\.5 BTC linear from 60,000 to 48,000 → (\+[\d,]+); long 5 → (−[\d,]+)\.")
    assert short == xlhedge.linear_pnl(-2.5, 60_000, 48_000)
    assert long_ == xlhedge.linear_pnl(5, 60_000, 48_000)
    coin, usd = printed(PP, r"100,000·\(1/50,000 − 1/60,000\) = (\+[\d.]+) BTC,\s+worth (\+[\d,]+) USD at 60,000")
    assert close(coin, xlhedge.inverse_pnl(1000, 100, 50_000, 60_000), 4)
    assert close(usd, inverse_pnl_usd(1000, 100, 50_000, 60_000), 0)
    faces = printed(PP, r"BTCUSD (\d+), ETHUSD (\d+) on\s+Binance COIN-M")
    assert faces == [_inst("BTCUSD").face, _inst("ETHUSD").face]
    # spot Q plus a 1× inverse short of Q·P0/V contracts holds Q·P0 in USD at any exit price
    q, p0, v = 3.7, 61_234.0, 100.0
    for p1 in (20_000.0, 61_234.0, 150_000.0):
        held = q * p1 + xlhedge.inverse_pnl(-q * p0 / v, v, p0, p1) * p1
        assert held == pytest.approx(q * p0)


def test_perpetuals_funding_examples():
    from xlhedge.engine.perps import PERP_DEFAULTS, annualised_carry

    assert PERP_DEFAULTS["funding_periods_per_day"] == 3
    rec, paid, neg = printed(
        PP, r"over 3 periods receives (\+\d+); the long pays (−\d+); at\s+−0\.02% for one period the short pays (−\d+)"
    )
    assert rec == xlhedge.funding_payment(100_000, 0.0001, 3, "short")
    assert paid == xlhedge.funding_payment(100_000, 0.0001, 3, "long")
    assert neg == xlhedge.funding_payment(100_000, -0.0002, 1, "short")
    carry = one(PP, r"0\.0002 × 3 × 365 = (\+[\d.]+%) a year")
    assert carry == pytest.approx(annualised_carry([0.0001, 0.0003, 0.0002]))
    assert call("PERP_CARRY", [[0.0001], [0.0003], [0.0002]]) == pytest.approx(carry)
    from xlhedge.engine.checks import DEFAULT_TOLERANCES

    assert_printed(PP, r"paying more than (\d+%) a year of its\s+value", DEFAULT_TOLERANCES["funding_annual_max"], 2)


def test_perpetuals_liquidation_table():
    from xlhedge.engine.perps import PERP_DEFAULTS, liquidation_distance

    assert_printed(PP, r"maintenance margin rate m \(default ([\d.]+%)\)", PERP_DEFAULTS["mmr"], 4)
    rows = table(PP, "Examples, entry 60,000, m = 0.5%")
    assert [r[0] for r in rows] == ["2×", "10×"]
    for r in rows:
        lev = num(r[0])
        cells = [num(plain(c)) for c in r[1:]]
        got = [
            xlhedge.liquidation_price(60_000, lev, side, contract=c)
            for c, side in (("linear", "long"), ("linear", "short"), ("inverse", "long"), ("inverse", "short"))
        ]
        decimals = [len(plain(c).partition(".")[2]) for c in r[1:]]
        for want, have, d in zip(cells, got, decimals):
            assert close(want, have, d), (r[0], want, have)
    m = one(PP, r"A\s+1× inverse short sits at P0/m \(([\d,]+) for P0 = 60,000, m = 0\.5%\)")
    assert m == pytest.approx(xlhedge.liquidation_price(60_000, 1, "short", contract="inverse"))
    assert xlhedge.liquidation_price(60_000, 1, "short", contract="linear") == 60_000 * (2 - 0.005)
    assert xlhedge.liquidation_price(60_000, 0.5, "long") == 0.0  # a form that would go ≤ 0
    assert call("LIQ_PRICE", 60_000, 0.5, "long").startswith("#NUM!")
    below, sig = printed(PP, r"The 10× linear long is ([\d.]+%) below entry: with a 3% daily σ that is ([\d.]+) σ")
    pct, sigmas = liquidation_distance(60_000, xlhedge.liquidation_price(60_000, 10, "long"), 0.03)
    assert close(below, -pct, 3) and close(sig, sigmas, 1)


def test_perpetuals_roll_example():
    from xlhedge.engine.perps import PERP_DEFAULTS

    assert PERP_DEFAULTS["roll_warning_days"] == one(PP, r"\(default (\d+), editable on the Instruments sheet\)")
    days = one(PP, r"ES expiring 2026-12-18, as of 2026-12-14 → (\d+) days, `roll`")
    r = xlhedge.roll_warnings({"ES": "2026-12-18"}, "2026-12-14").iloc[0]
    assert (r["days_left"], r["status"]) == (days, "roll")
    assert xlhedge.roll_warnings({"ES": "2026-12-18"}, "2026-12-19").iloc[0]["status"] == "expired"
    assert xlhedge.roll_warnings({"ES": "2026-12-18"}, "2026-12-12").iloc[0]["status"] == "ok"


# ----------------------------------------------------------------------------- budget.md

BG = "docs/methodology/budget.md"
_BUCKET_ROWS = {
    "Long volatility": "long_vol",
    "Tail protection": "tail",
    "Cross-asset diversifiers": "cross_asset",
    "FX hedges": "fx",
    "Rebalance reserve": "rebalance",
}


def test_budget_split_table_is_the_default():
    from xlhedge.engine.budget import BUDGET_RATE, DEFAULT_SPLITS

    rows = table(BG, "The split per regime is an editable")
    assert [_BUCKET_ROWS[r[0]] for r in rows] == list(DEFAULT_SPLITS.index)
    for r in rows:
        for regime, cell in zip(("low", "normal", "high"), r[2:]):
            assert num(plain(cell)) == pytest.approx(DEFAULT_SPLITS.loc[_BUCKET_ROWS[r[0]], regime]), (r[0], regime)
    assert DEFAULT_SPLITS.sum().tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert_printed(BG, r"b default (\d+%); 2–4% is the usual", BUDGET_RATE, 4)
    from xlhedge.engine.budget import budget_rate_warning

    assert budget_rate_warning(0.019) and budget_rate_warning(0.041)
    assert budget_rate_warning(0.02) is None and budget_rate_warning(0.04) is None


def test_budget_worked_examples():
    amounts = printed(BG, r"B = 30,000 → \*\*([\d,]+) / ([\d,]+) / ([\d,]+) / ([\d,]+) /\s+([\d,]+)\*\*")
    assert_printed(BG, r"NAV 1,000,000, 3%, normal → B = ([\d,]+)", 0.03 * 1e6, 2)
    assert xlhedge.hedge_budget(1_000_000)["amount"].tolist() == amounts
    assert call("HEDGE_BUDGET", 1_000_000)  # the cell form computes too
    from xlhedge.engine.budget import allocate

    assert allocate(100.0, [1, 1, 1]).tolist() == printed(BG, r"100\.00 in thirds → ([\d.]+),\s+([\d.]+), ([\d.]+)\.")
    # mixed regimes: each bucket its own regime's share, the reserve the rest
    cross, fx, lv, tail, rest = printed(
        BG,
        r"VIX normal, MOVE high, CVIX low → cross-asset (\d+%) \(high\), FX (\d+%) \(low\), long vol (\d+%), tail\s+"
        r"(\d+%), reserve 100% − \d+% = (\d+%)",
    )
    from xlhedge.engine.budget import bucket_regimes, split_fractions

    regimes = bucket_regimes({"VIX": 22, "MOVE": 130, "CVIX": 7})["regime"]
    assert regimes.to_dict() == {
        "long_vol": "normal",
        "tail": "normal",
        "cross_asset": "high",
        "fx": "low",
        "rebalance": "normal",
    }
    f = split_fractions(regimes.to_dict())
    assert [f["cross_asset"], f["fx"], f["long_vol"], f["tail"], f["rebalance"]] == pytest.approx(
        [cross, fx, lv, tail, rest]
    )


def test_budget_regimes_and_deployment():
    from xlhedge.engine.budget import BUCKET_VOL_INDEX, DEPLOYMENT_RULES

    rows = table(BG, "| Bucket | Vol index (default, editable) |")
    mapping = {}
    for r in rows:
        for name in r[0].split(", "):
            mapping[_BUCKET_ROWS[name]] = r[1]
    assert mapping == BUCKET_VOL_INDEX
    rows = table(BG, "| Regime | Action | Spend now | Moved to rebalance cash |")
    for regime, _action, spend, moved in rows:
        assert num(spend.split(" ")[0]) == DEPLOYMENT_RULES.loc[regime, "deploy"]
        assert (0.0 if moved == "—" else num(moved.split(" ")[0])) == DEPLOYMENT_RULES.loc[regime, "to_rebalance"]
    d = xlhedge.deployment(1_000_000, 0.03, {"VIX": 16, "MOVE": 130, "CVIX": 9})
    assert d["regime"].to_dict() == {
        "long_vol": "low",
        "tail": "low",
        "cross_asset": "high",
        "fx": "normal",
        "rebalance": "low",
    }
    lv_s, tail_s, lv_b, tail_b = printed(BG, r"take the low column's (\d+%) and (\d+%) \(([\d,]+) and ([\d,]+)\)")
    assert (lv_b, tail_b) == (d.loc["long_vol", "budget"], d.loc["tail", "budget"]) == (lv_s * 3e4, tail_s * 3e4)
    cross_s, cross_b = printed(BG, r"cross-asset the high\s+column's (\d+%) \(([\d,]+)\)")
    fx_s, fx_b = printed(BG, r"FX the normal column's (\d+%) \(([\d,]+)\)")
    rest_s, rest_b = printed(BG, r"and the reserve the rest, (\d+%) \(([\d,]+)\)")
    assert [cross_b, fx_b, rest_b] == d.loc[["cross_asset", "fx", "rebalance"], "budget"].tolist()
    assert [cross_b, fx_b, rest_b] == pytest.approx([cross_s * 3e4, fx_s * 3e4, rest_s * 3e4])
    lv_d, tail_d, fx_d = printed(BG, r"\((\d[\d,]+)\), tail 75% \(([\d,]+)\), FX 25% \(([\d,]+)\)")
    assert [lv_d, tail_d, fx_d] == d.loc[["long_vol", "tail", "fx"], "deploy_now"].tolist()
    moved, change = printed(BG, r"moves all of its ([\d,]+) to the reserve, whose change is exactly (\+[\d,]+)")
    assert d.loc["cross_asset", "rebalance_change"] == -moved
    assert d.loc["rebalance", "rebalance_change"] == change
    assert d["rebalance_change"].sum() == 0
    curve = xlhedge.engine.budget.deployment_curve()
    lo, hi = printed(BG, r"`=HEDGE_DEPLOYMENT_CURVE\(\)` gives, for VIX (\d+) to (\d+),")
    assert (curve["vix"].min(), curve["vix"].max()) == (lo, hi)
    assert [row[0] for row in call("HEDGE_DEPLOYMENT_CURVE")] == curve["vix"].tolist()


# ----------------------------------------------------------------------------- regimes.md

RG = "docs/methodology/regimes.md"


def test_regime_boundaries_are_normal():
    lo, hi, below, above = printed(
        RG, r"VIX ([\d.]+) and ([\d.]+) are both normal; ([\d.]+) is low, ([\d.]+) is\s+high"
    )
    assert [xlhedge.vol_regime(x) for x in (lo, hi, below, above)] == ["normal", "normal", "low", "high"]
    assert "A blank level has no regime." in _text(RG)
    assert call("VOL_REGIME", None) is None  # a blank cell: a blank result
    assert call("VOL_REGIME", [[17], [None], [29]]) == [["low"], [None], ["high"]]


def test_regime_thresholds_table():
    rows = table(RG, "| Index | What it measures | Low | High | Source |")
    assert [r[0] for r in rows] == list(xlhedge.REGIME_THRESHOLDS)
    for r in rows:
        t = xlhedge.REGIME_THRESHOLDS[r[0]]
        assert (num(r[2]), num(r[3])) == (t.low, t.high), r[0]
    from xlhedge.engine.regimes import VIX_PERCENTILES

    assert printed(RG, r"the shipped shares are used: about (\d+%) and (\d+%)") == [
        VIX_PERCENTILES["low"],
        VIX_PERCENTILES["high"],
    ]
    n = one(RG, r"At least (\d+) observations are needed")
    with pytest.raises(xlhedge.NotEnoughData):
        xlhedge.calibrate_thresholds(np.arange(n - 1) + 10.0)
    xlhedge.calibrate_thresholds(np.arange(n) + 10.0)


def test_regime_worked_examples_and_calibration():
    text = _text(RG)
    for args, want in re.findall(r"`=VOL_REGIME\(([^)]+)\)` → `(\w+)`", text):
        parts = [a.strip().strip('"') for a in args.split(",")]
        value = [float(parts[0]), *parts[1:]]
        assert call("VOL_REGIME", *value) == want, args
    assert len(re.findall(r"`=VOL_REGIME\(", text)) == 4  # three scalar examples and the range one
    import openpyxl

    wb = openpyxl.load_workbook(template_path("figure01"), data_only=True)

    def level(name: str) -> float:
        sheet, cell = wb.defined_names[name].attr_text.replace("$", "").split("!")
        return wb[sheet][cell].value

    shown = re.search(r"The example book's Budget sheet: (.*)\.", text)[1]
    for index, lvl, regime in re.findall(r"(VIX|MOVE|DVOL|CVIX) ([\d.]+) → (\w+)", shown):
        assert level(f"Vol{index}") == float(lvl), index
        assert xlhedge.vol_regime(float(lvl), index) == regime, index
    # calibration: VIX on its own history gives about 18 and 28; an affine image maps exactly
    rng = np.random.default_rng(3)
    vix = np.clip(20 + 6 * rng.standard_normal(2000).cumsum() / 40 + rng.normal(0, 4, 2000), 9, 80)
    own = xlhedge.calibrate_thresholds(vix, reference=vix)
    assert abs(own.low - 18) < 0.2 and abs(own.high - 28) < 0.2
    aff = xlhedge.calibrate_thresholds(3 * vix + 40, reference=vix)
    assert (aff.low, aff.high) == pytest.approx((3 * own.low + 40, 3 * own.high + 40))


# ----------------------------------------------------------------------------- estimation.md

ES_ = "docs/methodology/estimation.md"


def test_estimation_worked_examples():
    from xlhedge.engine.estimation import ADJUSTED_BETA, ESTIMATION_DEFAULTS

    bench = printed(ES_, r"\(benchmark (\d+), (\d+), (\d+), (\d+), (\d+); asset 100·\(b/100\)²\)")
    b = np.array(bench)
    assert_printed(ES_, r"has OLS β ≈ ([\d.]+)\.", xlhedge.beta(100 * (b / 100) ** 2, b), 2)
    assert_printed(ES_, r"β = 1\.3 adjusts to\s+0\.67·1\.3 \+ 0\.33 = ([\d.]+)\.", xlhedge.adjusted_beta(1.3), 3)
    assert call("ADJUSTED_BETA", 1.3) == pytest.approx(xlhedge.adjusted_beta(1.3))
    w, prior = printed(ES_, r"β_adj = ([\d.]+) · β \+ ([\d.]+) · 1 ")
    assert (ADJUSTED_BETA["weight"], 1 - ADJUSTED_BETA["weight"], ADJUSTED_BETA["prior"]) == pytest.approx(
        (w, prior, 1)
    )
    assert_printed(ES_, r"decay λ \(default ([\d.]+)\)", ESTIMATION_DEFAULTS["lam"], 2)
    assert_printed(
        ES_, r"over the trailing `window` returns \(default (\d+), about one", ESTIMATION_DEFAULTS["window"], 0
    )
    assert_printed(ES_, r"by the trailing (\d+)-day realised vol", ESTIMATION_DEFAULTS["realised_vol_window"], 0)
    msg = call("BETA", [[100], [101], [99]], [[50], [51], [50]])
    assert f"`{msg}`" in _text(ES_) and f"`{msg}`" in _text("docs/excel.md")


def test_estimation_ewma_is_the_formula():
    rng = np.random.default_rng(7)
    m = 100 * np.cumprod(1 + rng.normal(0, 0.01, 60))
    ra_m = m[1:] / m[:-1] - 1
    asset = 100 * np.cumprod(np.r_[1.0, 1 + 1.3 * ra_m + rng.normal(0, 0.004, ra_m.size)])
    rm, ra = ra_m, asset[1:] / asset[:-1] - 1
    lam = 0.94
    k = np.arange(rm.size)[::-1]  # 0 for the newest return
    want = (lam**k * ra * rm).sum() / (lam**k * rm**2).sum()
    assert xlhedge.beta(asset, m, method="ewma") == pytest.approx(want, rel=1e-12)
    assert "λ = 0.94 is the RiskMetrics daily decay factor" in _text(ES_)


def test_forbes_rigobon_worked_example_and_delta():
    from xlhedge.engine.estimation import forbes_rigobon

    rho, delta, r2, shown = printed(
        ES_,
        r"ρ = ([\d.]+) measured on stress days with a market variance four times the normal one\s+"
        r"\(δ = (\d)\) adjusts to 0\.6 / √\(1 \+ 3·([\d.]+)\) = \*\*([\d.]+)\*\*",
    )
    assert r2 == pytest.approx(1 - rho**2)
    assert_printed(ES_, r"= \*\*([\d.]+)\*\*", forbes_rigobon(rho, delta), 3)
    assert shown == round(rho / math.sqrt(1 + delta * (1 - rho**2)), 3)
    assert forbes_rigobon(0.6, 0.0) == pytest.approx(0.6) and forbes_rigobon(-1.0, 3.0) == -1.0
    # δ is the market's variance on regime days over normal days, minus 1; ρ* uses it
    rng = np.random.default_rng(11)
    n = 400
    vix = np.where(np.arange(n) % 3 == 0, 35.0, 22.0)
    rm = rng.normal(0, 1, n) * vix / 100 / 16
    ra = 0.8 * rm + rng.normal(0, 0.004, n)
    px = pd.DataFrame({"M": 100 * np.cumprod(1 + rm), "A": 100 * np.cumprod(1 + ra)})
    rc = xlhedge.regime_correlation(px, vix)
    r = px["M"].pct_change().to_numpy()[1:]
    lab = vix[1:]
    want = np.var(r[lab > 28], ddof=1) / np.var(r[(lab >= 18) & (lab <= 28)], ddof=1) - 1
    assert rc.delta["stress"] == pytest.approx(want)
    assert rc.adjusted["stress"].loc["M", "A"] == pytest.approx(forbes_rigobon(rc.raw["stress"].loc["M", "A"], want))


def test_estimation_typical_correlations_are_the_defaults():
    from xlhedge.engine.checks import STRESS_CORRELATIONS
    from xlhedge.engine.scenarios import REGIME_DEFAULTS

    proxy = {"TLT": "TLT", "DXY": "DXY", "Gold": "Gold", "BTC": "BTC"}
    ticker = {"TLT": "TLT", "DXY": "DXY", "Gold": "GLD", "BTC": "BTC"}
    rows = table(ES_, "| Pair | Normal | Stress |")
    assert len(rows) == 4
    for pair, normal, stress in rows:
        other = pair.split(" × ")[1]
        assert (num(normal), num(stress)) == tuple(REGIME_DEFAULTS.loc[proxy[other], ["rho_normal", "rho_stress"]])
        assert (num(normal), num(stress)) == STRESS_CORRELATIONS[ticker[other]]


def test_estimate_settings_defaults_in_the_template():
    import openpyxl

    wb = openpyxl.load_workbook(template_path("template"))

    def value(name: str):
        sheet, cell = wb.defined_names[name].attr_text.replace("$", "").split("!")
        return wb[sheet][cell].value

    assert value("EstimateWindow") == one(ES_, r"returns \(default (\d+)\), pairwise aligned")
    assert value("EstimateMethod") == "ols"
    assert "`EstimateWindow`, default 252 returns; `EstimateMethod`, `ols` or `ewma`" in _text("docs/workbook.md")


# ----------------------------------------------------------------------------- scenarios.md

SC = "docs/methodology/scenarios.md"


def test_scenario_shock_table_is_the_default():
    from xlhedge.engine.scenarios import FACTOR_SHOCKS

    rows = table(SC, "| Factor | Shock unit | scale | Default shock | So P&L_f is |")
    assert [r[0] for r in rows] == list(FACTOR_SHOCKS.index)
    for f, _unit, scale, shock, _ in rows:
        assert num(scale) == FACTOR_SHOCKS.loc[f, "scale"], f
        assert num(shock.split(" ")[0]) == FACTOR_SHOCKS.loc[f, "default_shock"], f


def test_scenario_worked_pnl():
    e = dict(equity=0.92, duration=2.0, usd=-0.1, commodity=0.15, crypto=0.05, vol=-0.3)
    shocks = dict(equity=-0.10, duration=25, usd=0.02, commodity=-0.05, crypto=-0.20, vol=10)
    pnl = xlhedge.scenario_pnl(e, shocks, 1e6)["book"]
    rows = table(SC, "| Factor | P&L |")
    for factor, cell in rows:
        f, value = plain(factor), num(plain(cell).split("=")[-1])
        assert pnl[f] == pytest.approx(value), f
    assert set(pnl.index) == {plain(r[0]) for r in rows}


def test_regime_scenario_table_and_tlt():
    from xlhedge.engine.scenarios import REGIME_DEFAULTS, regime_shocks

    rows = table(SC, "| Proxy | Factor | σ | ρ normal | ρ stress |")
    assert [r[0] for r in rows] == list(REGIME_DEFAULTS.index)
    for proxy, factor, vol, rn, rs in rows:
        got = REGIME_DEFAULTS.loc[proxy]
        assert (factor, num(vol), num(rn), num(rs)) == (got["factor"], got["vol"], got["rho_normal"], got["rho_stress"])
    assert REGIME_DEFAULTS.loc["TLT", "per_unit"] == pytest.approx(-1 / (17 * 0.0001))
    assert "with D its duration (17)" in _text(SC)
    shocks = regime_shocks(-0.10).set_index("proxy")
    normal, stress = printed(SC, r"= \*\*(\+[\d.]+%)\*\* in normal times and\s+.*?= \*\*(−[\d.]+%)\*\* in stress", re.S)
    assert close(normal, shocks.loc["TLT", "move_normal"], 4) and close(stress, shocks.loc["TLT", "move_stress"], 4)
    gain, loss = printed(
        SC, r"gains 0\.30 × 1,000,000 × 2\.5% = (\+[\d,]+) in the normal column and loses about (−[\d,]+)"
    )
    books = pd.DataFrame({"TLT": {"equity": 0.0, "duration": 0.30 * 17}})
    p = xlhedge.regime_comparison(books, -0.10, 1e6).loc["total"]
    assert close(gain, p["normal: TLT"], 0) and close(loss, p["stress: TLT"], 0)


def test_outcome_table_worked_check():
    spot, hedge, net = printed(SC, r"spot (−[\d,]+),\s+hedge (\+[\d,]+), net \*\*(−[\d,]+)\*\* before funding")
    for contract in ("linear", "inverse"):
        t = xlhedge.hedge_outcomes(5, 60_000, [0.5], [-0.2], contract=contract).iloc[0]
        assert (t["spot"], t["hedge"], t["net"]) == pytest.approx((spot, hedge, net)), contract
    notional, funding, full = printed(
        SC,
        r"\(notional ([\d,]+)\) also receives 150,000 × 0\.0001 × 30 × 3 = (\+[\d,]+); fully hedged only the funding\s+"
        r"is left \((\+[\d,]+)\)",
    )
    t = xlhedge.hedge_outcomes(5, 60_000, [0.5, 1.0], [-0.2], funding_rate=0.0001, days=30).set_index("ratio")
    assert notional == 0.5 * 5 * 60_000
    assert t.loc[0.5, "funding"] == pytest.approx(funding)
    assert t.loc[1.0, "net"] == pytest.approx(full)
    inv = xlhedge.hedge_outcomes(5, 60_000, [1.0], [-0.2, 0.3], contract="inverse")
    assert (5 * (1 + inv["move"]) * 60_000 + inv["hedge_coin"] * (1 + inv["move"]) * 60_000).tolist() == pytest.approx(
        [300_000, 300_000]
    )  # fully hedged, spot plus the coin P&L are worth Q·P0


# ----------------------------------------------------------------------------- checks.md

CK = "docs/methodology/checks.md"


def test_check_tolerances_table():
    from xlhedge.engine.checks import tolerances_table

    t = tolerances_table().set_index("label")["value"]
    rows = table(CK, "| Tolerance | Default | Unit |")
    seen = set()
    for label, value, _unit in rows:
        labels = label.split(" / ")
        values = value.split(" / ")
        if len(labels) == 2 and len(values) == 2 and " " not in labels[1].strip():
            labels = [labels[0], labels[0].rsplit(" ", 1)[0] + " " + labels[1]]  # "warning / error"
        for lab, v in zip(labels, values):
            lab = lab.strip()
            key = next(k for k in t.index if k.lower() == lab.lower())
            assert t[key] == num(v), lab
            seen.add(key)
    assert seen == set(t.index)


def _check_rows(hedge_weight: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(ticker="AAPL", weight=0.30, equity=1.2),
            dict(ticker="MSFT", weight=0.20, equity=1.0),
            dict(ticker="ES", weight=hedge_weight, is_hedge=True, equity=1.0, target_ratio=0.5),
        ]
    ).fillna(0.0)


def test_check_examples():
    today, last = dt.date(2026, 11, 21), dt.date(2026, 11, 20)
    quote = re.search(r'on equity: "(The book\'s energy tilt[^"]+)"', _text(CK).replace("\n", " "))[1]
    wrong = pd.DataFrame(
        [
            dict(ticker="XOM", weight=0.15, equity=0.90, energy=1.0),
            dict(ticker="CVX", weight=0.15, equity=0.95, energy=1.0),
            dict(ticker="SPY_PUT", weight=-0.20, is_hedge=True, equity=1.0),
        ]
    ).fillna(0.0)
    (f,) = xlhedge.run_checks(wrong, today=today, last_decomposition=last, checks=("WRONG_FACTOR",))
    assert f.message == quote
    u, h, target, ratio, pp, near, near_ratio = printed(
        CK,
        r"U = (\+[\d.]+) equity, an ES hedge of (−[\d.]+) against a (\d+%) target → h = (\d+%): \"(\+\d+) pp,\s+beyond "
        r"the 10 pp tolerance\"; (−[\d.]+) \(([\d.]+%)\) does not fire",
    )
    assert u == pytest.approx(0.56) and target == 0.5
    (f,) = xlhedge.run_checks(_check_rows(h), today=today, last_decomposition=last, checks=("STALE_HEDGE",))
    assert f"covers {ratio:.0%} of the book's +56.0% of NAV" in f.message
    assert f.message.endswith(f"+{pp:.0f} pp, beyond the 10 pp tolerance.")
    assert close(ratio, -h / u, 2) and close(near_ratio, -near / u, 3)
    assert xlhedge.run_checks(_check_rows(near), today=today, last_decomposition=last, checks=("STALE_HEDGE",)) == []
    quote = re.search(r'equity hedge: "(TLT \(long[^"]+)"', _text(CK).replace("\n", " "))[1]
    flip = pd.concat(
        [
            _check_rows(-0.25),
            pd.DataFrame(
                [
                    dict(
                        ticker="TLT",
                        weight=0.10,
                        is_hedge=True,
                        asset_class="rates",
                        hedge_factor="equity",
                        duration=17.0,
                    )
                ]
            ),
        ]
    ).fillna({"equity": 0.0, "duration": 0.0, "is_hedge": False, "target_ratio": 0.0})
    (f,) = xlhedge.run_checks(flip, today=today, last_decomposition=last, checks=("STRESS_FLIP",))
    assert f.message == quote


def test_rebalance_worked_example():
    nav = one(CK, r"Worked example \(pinned, NAV ([\d,]+)\)")
    book = pd.DataFrame(
        [
            dict(ticker="AAPL", weight=0.30, equity=1.2),
            dict(ticker="MSFT", weight=0.20, equity=1.0),
            dict(ticker="IEF", weight=0.50, asset_class="rates", duration=7.5),
            dict(ticker="ES", weight=-0.25, is_hedge=True, equity=1.0, target_ratio=0.5, price=5000.0, multiplier=50.0),
            dict(
                ticker="TLT",
                weight=-0.10,
                is_hedge=True,
                asset_class="rates",
                duration=17.0,
                target_ratio=0.6,
                price=90.0,
            ),
        ]
    )
    r = xlhedge.rebalance(book, nav=nav)
    eq, du = r.loc["equity"], r.loc["duration"]
    u, h, ratio, drift, hstar, dh, notional, n = printed(
        CK,
        r"Equity: U = ([\d.]+), H = (−[\d.]+), ratio ([\d.]+%), drift (−[\d.]+) pp \(not flagged\); H\* = (−[\d.]+), "
        r"ΔH = (−[\d.]+) →\s+(−[\d,]+) of ES at 5,000 × 50 = \*\*sell (\d+) ES\*\*; ratio after 50%",
    )
    assert (eq["exposure"], eq["hedge"]) == pytest.approx((u, h))
    assert close(ratio, eq["ratio"], 3) and close(drift, eq["drift_pp"], 1) and not eq["flag"]
    assert (hstar, hstar - h, dh * nav) == pytest.approx((-0.5 * u, dh, notional))
    assert eq["notional_change"] == pytest.approx(notional)
    assert (eq["side"], eq["contracts"], eq["ratio_after"]) == ("sell", -n, pytest.approx(0.5))
    u, h, ratio, drift, hstar, dh, notional, units, n = printed(
        CK,
        r"Duration: U = ([\d.]+) years, H = (−[\d.]+), ratio ([\d.]+%), drift (−[\d.]+) pp \(\*\*flagged\*\*\); "
        r"H\* = (−[\d.]+),\s+ΔH = (−[\d.]+) → (−[\d,]+) / \(90 × 17\) = (−[\d,.]+) → \*\*sell ([\d,]+) TLT\*\*",
    )
    assert (du["exposure"], du["hedge"]) == pytest.approx((u, h))
    assert close(ratio, du["ratio"], 3) and close(drift, du["drift_pp"], 1) and du["flag"]
    assert (hstar, hstar - h, dh * nav) == pytest.approx((-0.6 * u, dh, notional))
    assert close(units, notional / (90 * 17), 1)
    assert (du["side"], du["contracts"]) == ("sell", -n)


def test_the_example_books_findings(tmp_path: Path):
    import json

    book = _example_book(tmp_path / "figure01.xlsx")
    proc = subprocess.run(
        [sys.executable, "-m", "xlhedge", "check", str(book), "--json"],
        capture_output=True,
        text=True,
        env=_shell_env(tmp_path),
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    fs = [SimpleNamespace(**f) for f in json.loads(proc.stdout)]
    codes = [(f.code, f.severity) for f in fs]
    assert codes == [
        ("LATE_PROTECTION", "warning"),
        ("STALE_HEDGE", "warning"),
        ("FX_UNDECIDED", "info"),
        ("FX_UNDECIDED", "info"),
    ]
    text = _text(CK).replace("\n", " ")
    bought, premium, vix = re.search(
        r"SPX puts bought on (\S+) for \$([\d,]+) with the VIX at ([\d.]+);", text
    ).groups()
    assert f"bought on {bought} for ${premium} with VIX at {vix}" in fs[0].message
    last, days = re.search(r"last decomposed on (\S+), (\d+) days earlier", text).groups()
    assert f"last decomposed on {last}, {days} days ago" in fs[1].message
    aud, chf = re.search(r"AUD (\+[\d.]+%) of NAV through IPX, CHF (\+[\d.]+%) through AMRZ", text).groups()
    assert fs[2].message.startswith(f"AUD exposure of {aud} of NAV (IPX") and fs[3].message.startswith(
        f"CHF exposure of {chf} of NAV (AMRZ"
    )
    assert "check date 2026-11-21" in text


# ----------------------------------------------------------------------------- signatures cited on the pages

_CITED = re.compile(r"`=([A-Z][A-Z0-9_]+)\(([^)`]*)\)`")


def test_cited_signatures_are_the_registrys():
    """`=NAME(arg, [opt], …)` on any page names the function's arguments, in order; [brackets] = optional."""
    reg = registry()
    checked = 0
    for page in PAGES:
        if page == "docs/functions.md":
            continue  # generated from the registry
        for name, args in _CITED.findall(_text(page)):
            parts = [a.strip() for a in args.split(",")] if args.strip() else []
            if name not in reg or not parts or not all(re.fullmatch(r"\[?[a-z_]+\]?|…", a) for a in parts):
                continue  # a formula with values or ranges, or the bare name, not a signature
            expected = reg[name].args
            k = 0
            for a in parts:
                if a == "…":
                    nxt = parts[parts.index(a) + 1].strip("[]") if parts.index(a) + 1 < len(parts) else None
                    while k < len(expected) and expected[k].name != nxt:
                        k += 1
                    continue
                assert k < len(expected), f"{page}: =NAME({args}): {name} has no argument {a}"
                arg = expected[k]
                assert a.strip("[]") == arg.name, f"{page}: ={name}({args}): argument {k + 1} is {arg.name}"
                assert a.startswith("[") == arg.optional, f"{page}: ={name}({args}): {arg.name} optional={arg.optional}"
                k += 1
            assert all(a.optional for a in expected[k:]), f"{page}: ={name}({args}) leaves out a required argument"
            checked += 1
    assert checked >= 7


def test_cited_formulas_are_the_templates():
    """Formulas the pages quote with the template's defined names are the template's own (or the same
    call with its optional arguments left out)."""
    import openpyxl

    wb = openpyxl.load_workbook(template_path("template"))
    formulas = set()
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                v = getattr(c.value, "text", c.value)
                if isinstance(v, str) and v.startswith("="):
                    formulas.add(v.replace(" ", ""))
    names = set(wb.defined_names)
    quoted = 0
    for page in ("README.md", "docs/index.md", "docs/workbook.md", FM):
        for name, args in _CITED.findall(_text(page)):
            parts = [a.strip() for a in args.split(",")] if args.strip() else []
            if parts and all(a in names or re.fullmatch(r"\d+", a) for a in parts) and any(a in names for a in parts):
                f = f"={name}({','.join(parts)})"
                shortened = f[:-1] + ","  # the same call with the optional arguments left out
                assert f in formulas or any(g.startswith(shortened) for g in formulas), (
                    f"{page}: {f} is not a formula of the template"
                )
                quoted += 1
    assert quoted >= 4


# ----------------------------------------------------------------------------- workbook.md, cli.md, excel.md, index.md

WB = "docs/workbook.md"


def test_workbook_layout_table_is_the_templates():
    import openpyxl

    from xlhedge.engine.schema import SHEET_FIELDS

    wb = openpyxl.load_workbook(template_path("template"))

    def ref(name: str) -> str:
        return wb.defined_names[name].attr_text.replace("$", "")

    def rows_of(name: str) -> tuple[int, int]:
        cells = ref(name).split("!")[1].split(":")
        rows = [int(re.sub(r"[A-Z]", "", c)) for c in cells]
        return rows[0], rows[-1]

    t = {r[1].split(":")[0].replace("*", ""): r for r in table(WB, "| Rows | What | Defined names |")}
    text = _text(WB)
    assert [ref(n) for n in ("NAV", "RecordCurrency", "AsOf")] == ["Book!B3", "Book!B4", "Book!B5"]
    assert "| 3–5 |" in text
    attr = rows_of("BookAttributeBlock")
    assert (attr[0], attr[1] - 1) == (7, 35) and "| 7–35 |" in text
    assert attr[1] - attr[0] == len(SHEET_FIELDS)  # one row per attribute, then the weight row
    assert rows_of("BookWeights") == (36, 36) and "| 36 |" in text
    assert rows_of("BookBetas") == (37, 48) and "`BookBetas` (rows 37–48)" in text
    assert rows_of("BookBlock") == (36, 48) and "weights row + every beta row (rows 36–48)" in text
    assert ref("BookFactors") == "Book!A37:A48" and "the factor labels (A37:A48)" in text
    assert ref("BookWeights").endswith("B36:AE36") and "Position columns run from B (30 of them, B–AE" in text
    assert ref("XlhedgeStatus") == "Exposures!B22:B31" and "(Exposures!B22:B31\nin the template)" in text
    assert t  # the table parsed


def test_workbook_settings_and_catalogue():
    import openpyxl

    from xlhedge.engine.budget import BUDGET_RATE
    from xlhedge.engine.instruments import INSTRUMENTS
    from xlhedge.engine.perps import PERP_DEFAULTS

    wb = openpyxl.load_workbook(template_path("template"))

    def value(name: str):
        sheet, cell = wb.defined_names[name].attr_text.replace("$", "").split("!")
        return wb[sheet][cell].value

    text = _text(WB).replace("\n", " ")
    assert value("RollWarnDays") == PERP_DEFAULTS["roll_warning_days"] == 5 and "the roll-warning days (5)" in text
    assert value("FundingPerDay") == 3 and "funding periods per day (3)" in text
    assert value("MMR") == PERP_DEFAULTS["mmr"] == 0.005 and "the maintenance margin rate (0.5%)" in text
    assert value("BudgetRate") == BUDGET_RATE == 0.03 and "(`BudgetRate`, default 3% of NAV)" in text
    listed = re.search(r"The contract catalogue \((.*?)\): factor, kind", text)[1]
    names = []
    for part in re.split(r", | and ", listed.replace("linear and inverse BTC and ETH perpetuals", "PERPS")):
        part = part.replace("CME ", "")
        if part == "PERPS":
            names += ["BTCUSDT", "BTCUSD", "ETHUSDT", "ETHUSD"]
        elif part == "SPX":  # "SPX and SPY puts"
            names.append("SPX_PUT")
        elif part == "SPY puts":
            names.append("SPY_PUT")
        else:
            names += part.split("/")
    assert sorted(names) == sorted(i.ticker for i in INSTRUMENTS)


CL = "docs/cli.md"


def test_cli_defaults_as_documented(folder: Path):
    from typer.testing import CliRunner

    from xlhedge.cli import app
    from xlhedge.template import DEFAULT_POSITIONS

    runner = CliRunner()
    text = _text(CL)
    assert "with `N` position columns (default 30, 1–16,383)" in text
    assert DEFAULT_POSITIONS == 30
    assert runner.invoke(app, ["new", "a.xlsx", "--positions", "0"]).exit_code == 2
    assert runner.invoke(app, ["new", "b.xlsx", "--positions", "16384"]).exit_code == 2
    assert runner.invoke(app, ["new", "c.xlsx", "--positions", "1"]).exit_code == 0
    assert runner.invoke(app, ["new", "c.xlsx"]).exit_code == 2  # refuses to overwrite
    assert runner.invoke(app, ["new", "c.xlsx", "--force"]).exit_code == 0
    assert runner.invoke(app, ["new", "d.xlsm"]).exit_code == 2  # must end in .xlsx
    assert "`--window` (returns, ≥ 2, default the book's setting, 252)" in text


def test_cli_report_json_example_is_the_example_book(tmp_path: Path):
    """cli.md's shortened ``report --json`` block: every key it shows is in the real output of the
    example book, with the value it shows (rounded as printed: 3 significant figures or better)."""
    import json

    from typer.testing import CliRunner

    from xlhedge.cli import app

    (block,) = [b for b in blocks(CL, "json") if '"greeks"' in b.body]
    shown = json.loads(block.body)
    r = CliRunner().invoke(app, ["report", str(_example_book(tmp_path / "ex.xlsx", "example")), "--json"])
    assert r.exit_code == 0, r.output
    real = json.loads(r.stdout)

    def same(doc, got, where):
        if isinstance(doc, dict):
            for k, v in doc.items():
                assert k in got, f"{where}.{k}"
                same(v, got[k], f"{where}.{k}")
        elif isinstance(doc, list):
            key = "factor" if doc and "factor" in doc[0] else "ticker"
            by = {g[key]: g for g in got}
            for d in doc:
                same(d, by[d[key]], f"{where}[{d[key]}]")
        elif isinstance(doc, float) and not isinstance(doc, bool):
            assert doc == pytest.approx(got, rel=5e-3, abs=1e-9), where
        else:
            assert doc == got, where

    same(shown, real, "report")


def test_cli_exit_codes_as_documented(tmp_path: Path):
    """The exit-code table: 1 for findings, 2 with the one-line message the page shows."""
    import openpyxl

    from xlhedge.calc.layout import FACTOR_ROW0, FIRST_POSITION_COL, WEIGHT_ROW, attribute_row

    env = _shell_env(tmp_path)
    rows = {r[0]: r[1] for r in table(CL, "| Code | Meaning |")}
    assert set(rows) == {"0", "1", "2", "3", "130"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xlhedge", *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    book = _example_book(tmp_path / "mybook.xlsx")
    assert run("check", "mybook.xlsx").returncode == 0
    assert "warnings under `--strict`" in rows["1"] and run("check", "mybook.xlsx", "--strict").returncode == 1
    # an `error` finding from `check`: a hedge on equity bigger than the book's equity exposure (OVER_HEDGE)
    wb = openpyxl.load_workbook(book)
    ws = wb["Book"]
    col = FIRST_POSITION_COL + len(FIGURE01_POSITIONS)  # the first free column
    ws.cell(row=attribute_row("ticker"), column=col, value="ES")
    ws.cell(row=attribute_row("is_hedge"), column=col, value=True)
    ws.cell(row=WEIGHT_ROW, column=col, value=-0.2)
    ws.cell(row=FACTOR_ROW0, column=col, value=1.0)
    wb.save(tmp_path / "over.xlsx")
    assert "an `error` finding from `check`" in rows["1"] and run("check", "over.xlsx").returncode == 1
    assert "`recompute --check` found stored values out of date" in rows["1"]
    assert run("recompute", "--check", "over.xlsx").returncode == 1  # openpyxl dropped the stored values
    assert "`addin install`/`uninstall` where Excel is not available" in rows["1"]
    if sys.platform.startswith("linux"):
        assert run("addin", "install").returncode == 1
    # 2: one line naming the file, never a traceback; the page's example, verbatim
    shown = re.search(r"e\.g\. `(xlhedge: mybook\.xlsx is open in Excel[^`]+)`", rows["2"])[1]
    (tmp_path / "~$mybook.xlsx").write_bytes(b"lock")
    proc = run("recompute", "mybook.xlsx")
    assert proc.returncode == 2 and proc.stderr.strip() == shown
    assert run("report", "missing.xlsx").returncode == 2


def test_excel_page_error_texts():
    text = _text("docs/excel.md")
    block = [["weight", 0.01, 0.02, 0.03], ["equity", 1.0, 1.0, 1.0], ["duration", 5.0, 6.0, "high"]]
    msg = call("FACTOR_EXPOSURE", block)
    assert (
        msg == "#VALUE! FACTOR_EXPOSURE: block beta row 2 (duration), position 3: expected a number, found text 'high'"
    )
    assert f"`{msg}`" in text
    msg = call("FACTOR_EXPOSURE", [[1.0] * 5] * 2, [[0.01] * 6])
    assert f"`{msg}`" in text, msg


def test_index_page_figure_01_weights(example):
    listed = re.search(r"Figure 01 \((long .*?) of a\s+1,000,000 USD NAV\)", _text("docs/index.md"), re.S)[1]
    weights = {}
    side = 1
    for part in listed.replace("\n", " ").split(", "):
        words = part.split()
        if words[0] in ("long", "short"):
            side = 1 if words[0] == "long" else -1
            words = words[1:]
        weights[words[0]] = side * num(words[1])
    assert weights == pytest.approx(example.weights.to_dict())
    assert example.nav == 1_000_000 and example.record_currency == "USD"


def test_readme_counts():
    n = one("README.md", r"all (\d+) worksheet functions")
    assert n == len(registry())
    assert len(_text("README.md").splitlines()) <= 200


# ----------------------------------------------------------------------------- anchors


def test_every_anchor_resolves():
    """Every [text](page.md#anchor) and (#anchor) names a heading of the target page (README included,
    which mkdocs does not see; tests/test_docs.py checks that the files exist)."""
    toc = pytest.importorskip("markdown.extensions.toc")
    link = re.compile(r"\]\(([^)\s#]*\.md)?#([^)\s]+)\)")
    heading = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)
    bad = []
    for page in PAGES:
        for target, anchor in link.findall(_text(page)):
            dest = (ROOT / page).parent / target if target else ROOT / page
            if not dest.is_file():
                continue  # reported by tests/test_docs.py
            fenced = _FENCE.sub("", dest.read_text(encoding="utf-8"))
            slugs = {toc.slugify(plain(h), "-") for h in heading.findall(fenced)}
            if anchor not in slugs:
                bad.append(f"{page}: {target}#{anchor}")
    assert not bad, f"links to missing anchors: {bad}"


# ----------------------------------------------------------------------------- formulas as the pages write them


def test_ols_statistics_are_the_formulas():
    """estimation.md: β = Cov/Var, α = r̄ₐ − β·r̄ₘ, R² = ρ², SE(β) = √(Σe²/(n−2)/Σ(rₘ−r̄ₘ)²), t = β/SE."""
    for formula in (
        "β     = Cov(rₐ, rₘ) / Var(rₘ)",
        "α     = r̄ₐ − β · r̄ₘ",
        "R²    = ρ²ₐ,ₘ",
        "SE(β) = √( Σ eₜ² / (n − 2) / Σ (rₘ,ₜ − r̄ₘ)² )",
        "t     = β / SE(β)",
    ):
        assert formula in _text(ES_), formula
    rng = np.random.default_rng(0)
    m = 100 * np.cumprod(1 + rng.normal(0, 0.01, 80))
    a = 100 * np.cumprod(1 + rng.normal(0, 0.01, 80))
    st = xlhedge.beta_stats(a, m).iloc[0]
    rm, ra = m[1:] / m[:-1] - 1, a[1:] / a[:-1] - 1
    b = np.cov(ra, rm)[0, 1] / np.var(rm, ddof=1)
    alpha = ra.mean() - b * rm.mean()
    e = ra - alpha - b * rm
    se = math.sqrt((e**2).sum() / (rm.size - 2) / ((rm - rm.mean()) ** 2).sum())
    assert (st["beta"], st["alpha"], st["r2"], st["se"], st["t"]) == pytest.approx(
        (b, alpha, np.corrcoef(ra, rm)[0, 1] ** 2, se, b / se), rel=1e-10
    )


def test_calibration_percentiles_are_the_formulas():
    """regimes.md: p_low = share strictly below 18, p_high = share at or below 28; linear quantiles."""
    from xlhedge.engine.regimes import threshold_percentiles

    vix = np.array([10, 17, 18, 18, 20, 28, 28, 30, 40, 12.0] * 2)
    assert threshold_percentiles(vix) == {"low": 0.3, "high": 0.8}
    other = np.linspace(50, 150, 20)
    t = xlhedge.calibrate_thresholds(other, reference=vix)
    assert (t.low, t.high) == pytest.approx(tuple(np.quantile(other, [0.3, 0.8])))
    assert "p_low  = share of VIX days strictly below 18" in _text(RG)
    assert "p_high = share of VIX days at or below 28" in _text(RG)


def test_put_at_expiry_and_put_call_form():
    """sizing.md: at T = 0 the put is max(K − S, 0), Δ −1 in the money, 0 out of it, −½ at the money."""
    from xlhedge.engine import options

    assert [options.put_price(s, 5700, 0.2, 0.0) for s in (5000, 5700, 6000)] == [700, 0, 0]
    assert [options.put_delta(s, 5700, 0.2, 0.0) for s in (5000, 5700, 6000)] == [-1, -0.5, 0]
    s, k, v, t, r, q = 6000.0, 5700.0, 0.18, 0.25, 0.03, 0.01
    d1 = (math.log(s / k) + (r - q + v * v / 2) * t) / (v * math.sqrt(t))
    d2 = d1 - v * math.sqrt(t)
    n = options.norm_cdf
    assert options.put_price(s, k, v, t, r, q) == pytest.approx(
        k * math.exp(-r * t) * n(-d2) - s * math.exp(-q * t) * n(-d1), rel=1e-12
    )
    assert options.put_delta(s, k, v, t, r, q) == pytest.approx(-math.exp(-q * t) * n(-d1), rel=1e-12)


def test_perpetual_hedge_cost_sign():
    """sizing.md / perpetuals.md: a perpetual hedge's cost is its funding per year, > 0 paid, < 0 received."""
    short_linear = xlhedge.size_hedge(0.05, 1e6, "BTCUSDT", factor="crypto")  # a short at +0.01%: receives
    assert short_linear.side == "sell" and short_linear.cost == pytest.approx(-1 * 60_000 * 0.0001 * 3 * 365)
    short_inverse = xlhedge.size_hedge(0.05, 1e6, "BTCUSD", factor="crypto")
    assert short_inverse.contracts == -500 and short_inverse.cost == pytest.approx(-500 * 100 * 0.0001 * 3 * 365)
    assert (
        "perpetual funding per year\n  (contracts × unit value × funding rate × periods per day × 365; > 0 paid, < 0 received)"
        in _text(SZ)
    )


def test_scenario_scales_and_budget_vix_required():
    from xlhedge.engine.scenarios import _scales

    assert _scales(["equity", "energy", "vol"], None).tolist() == [1.0, 1.0, 0.01]  # tilts have scale 1
    assert "Tilts have scale 1." in _text(SC)
    with pytest.raises(xlhedge.InputError, match="VIX"):
        xlhedge.deployment(1e6, 0.03, {"MOVE": 100})
    assert "A bucket whose index has no level\nfollows VIX; VIX itself is required." in _text(BG)


def test_vol_exposure_unit_matches_the_scenario_scale():
    """The vol beta is % of NAV per vol point: a vol exposure of E loses E% of NAV per point (scale 0.01)."""
    from xlhedge.engine.scenarios import FACTOR_SHOCKS

    assert FACTOR_SHOCKS.loc["vol", "scale"] == 0.01
    pnl = xlhedge.scenario_pnl({"vol": 0.5}, {"vol": 1.0}, 1e6)["book"]["vol"]
    assert pnl == pytest.approx(0.005 * 1e6)  # 0.5 → 0.5% of NAV for one point
    for page in (FM, SC, "docs/methodology/index.md", WB):
        text = _text(page).replace("\n", " ")
        assert "% of NAV per" in text, page
        assert "fraction of NAV per vol point" not in text and "fraction of NAV per +1" not in text, page


def test_small_claims_of_the_sizing_and_regime_pages():
    from xlhedge.engine.sizing import whole_contracts

    assert "nearest whole contract, halves away from zero" in _text(SZ)
    assert whole_contracts(np.array([2.5, -2.5, 0.5, -0.5, 1.49])).tolist() == [3, -3, 1, -1, 1]
    rng = np.random.default_rng(5)
    a = 100 * np.cumprod(1 + rng.normal(0, 0.01, 40))
    b = 100 * np.cumprod(1 + rng.normal(0, 0.01, 40))
    m = xlhedge.minvar_hedge(a, b)
    assert "`=MINVAR_HEDGE(spot_prices, hedge_prices)` returns `[h*, ρ², residual vol]`" in _text(SZ)
    assert call("MINVAR_HEDGE", [[x] for x in a], [[x] for x in b]) == [
        pytest.approx([m.ratio, m.effectiveness, m.residual_vol])
    ]
    assert m.effectiveness == pytest.approx(m.correlation**2)
    assert m.residual_vol == pytest.approx(m.spot_vol * math.sqrt(1 - m.correlation**2))
    assert "`=CALIBRATE_THRESHOLDS(history, [reference])` returns `[low, high]`" in _text(RG)
    t = xlhedge.calibrate_thresholds(a)
    assert call("CALIBRATE_THRESHOLDS", [[x] for x in a]) == [pytest.approx([t.low, t.high])]


# ----------------------------------------------------------------------------- names the pages cite


def _resolve(ref: str):
    import importlib

    parts = ref.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for a in parts[i:]:
            obj = getattr(obj, a)
        return obj
    raise ImportError(ref)


def test_every_cited_python_name_exists():
    refs = set()
    for page in PAGES:
        refs |= set(re.findall(r"`(xlhedge(?:\.[A-Za-z_]\w*)+)", _text(page)))
    bad = []
    for ref in sorted(refs - {"xlhedge.xlam"}):
        try:
            _resolve(ref)
        except (ImportError, AttributeError):
            bad.append(ref)
    assert not bad, f"names the docs cite that do not exist: {bad}"
    # the editable-defaults table: the bare names beside a module are that module's
    for what, where in table("docs/python.md", "| What | Where |"):
        module = None
        for token in re.findall(r"`([^`]+)`", where):
            name = token.split("(")[0]
            if name.startswith("xlhedge."):
                obj = _resolve(name)
                module = name if isinstance(obj, type(xlhedge)) else name.rsplit(".", 1)[0]
            elif name.isidentifier() and name not in ("instruments",):
                assert module and hasattr(_resolve(module), name), (what, token)


def test_status_line_and_check_date_as_documented(tmp_path: Path):
    import openpyxl

    from xlhedge.calc.recompute import RecomputeOptions, recompute
    from xlhedge.workbook.filebook import FileBook

    form = re.compile(r"Refreshed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · \d+ positions · OK")
    for page in (WB, "docs/excel.md"):
        shown = re.search(r"`(Refreshed [^`]+)`", _text(page))[1]
        assert form.fullmatch(shown), page
    book = _example_book(tmp_path / "b.xlsx")
    fb = FileBook(book)
    recompute(fb, RecomputeOptions(strict=False))
    fb.save()
    wb = openpyxl.load_workbook(book, data_only=True)
    sheet, rng = wb.defined_names["XlhedgeStatus"].attr_text.replace("$", "").split("!")
    first = wb[sheet][rng.split(":")[0]].value
    assert form.fullmatch(first) and f" · {len(FIGURE01_POSITIONS)} positions · " in first
    sheet, cell = wb.defined_names["CheckDate"].attr_text.replace("$", "").split("!")
    shown = re.search(r"on the Figure 01 book \(check date (\S+)\)", _text(CK))[1]
    assert wb[sheet][cell].value.date().isoformat() == shown


def test_price_problems_are_handled_as_the_table_says():
    rules = {plain(r[0]): r[1] for r in table(ES_, "| Problem | Handling |")}
    assert rules["dates out of order"] == "sorted"
    assert rules["a date with no price in any series"] == "dropped"
    csv = (
        "Date,AAA,BBB\n2025-01-03,101,null\n2025-01-02,100,50\n2025-01-03,102,51\n"
        "2025-01-06,0,52\n2025-01-07,.,\n2025-01-08,104,-1\n"
    )
    t = xlhedge.read_prices_csv(csv)
    p = t.prices
    assert list(p.index.strftime("%m-%d")) == ["01-02", "01-03", "01-06", "01-08"]  # sorted; 01-07 dropped
    assert p.loc["2025-01-03"].tolist() == [102, 51]  # the last row of a date kept
    assert np.isnan(p.loc["2025-01-06", "AAA"]) and np.isnan(p.loc["2025-01-08", "BBB"])  # ≤ 0 is missing
    kinds = " ".join(str(i) for i in t.report.issues)
    assert "more than once" in kinds and "zero or negative" in kinds and "no price in any series" in kinds
    with pytest.raises(xlhedge.InputError):
        xlhedge.read_prices_csv(csv, duplicates="error")
    assert xlhedge.read_prices_csv(csv, duplicates="first").prices.loc["2025-01-03", "AAA"] == 101
    yahoo = "Date,Open,High,Low,Close,Adj Close,Volume\n2025-01-02,1,1,1,10,9,100\n2025-01-03,1,1,1,11,10,100\n"
    assert xlhedge.read_prices_csv(yahoo, ticker="X").prices["X"].tolist() == [9, 10]  # Adj Close is used


def test_wrong_factor_compares_with_the_larger_of_book_and_hedge():
    """checks.md: s_g is the larger of |U_g| and |H_g| in materiality units."""
    assert "s_g is the larger of g's book exposure and\nits hedge, |U_g| and |H_g|" in _text(CK)

    def codes(hedge: float) -> list[str]:
        book = pd.DataFrame(
            [
                dict(ticker="XOM", weight=0.05, energy=1.0, equity=0.4),  # energy s = 2.5, equity U = 0.02 (s = 1)
                dict(ticker="SPY_PUT", weight=hedge, is_hedge=True, equity=1.0),
            ]
        ).fillna(0.0)
        fs = xlhedge.run_checks(book, today=dt.date(2026, 11, 21), last_decomposition=dt.date(2026, 11, 20))
        return [f.code for f in fs if f.code == "WRONG_FACTOR"]

    assert codes(-0.02) == ["WRONG_FACTOR"]  # s_g = max(1, 1) = 1: 2.5 ≥ 0.75
    assert codes(-0.20) == []  # s_g = max(1, 10) = 10: 2.5 < 7.5
