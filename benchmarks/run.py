"""Every benchmark target in one run: a table of ratios against baselines measured in the same run.

    python benchmarks/run.py            # print the table
    python benchmarks/run.py --write    # and replace the tables in README.md and docs/benchmarks.md

Runs startup.py, prices.py, newbook.py, estimation.py, udfs.py and recompute.py (their ``collect()``);
about 10 minutes on 2 cores, most of it building and recomputing the 16,000-position book and
LibreOffice's recalculations. Times are medians; each ratio is xlhedge / its baseline, so
below the goal is met. Run it on a quiet machine: the machine's load moves both sides, but
not always equally.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import platform
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Row

START, END = "<!-- benchmarks:start (python benchmarks/run.py --write) -->", "<!-- benchmarks:end -->"


def _fmt(v: float, unit: str) -> str:
    if unit == "MiB":
        return f"{v:,.0f} MiB"
    return f"{v * 1e3:.1f} ms" if v < 1 else f"{v:.2f} s"


def markdown(rows: list[Row], method: str = "[docs/benchmarks.md](docs/benchmarks.md#method)") -> str:
    lines = [
        "| Target | xlhedge | Baseline (same run) | Ratio | Goal |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        goal = f"≤ {r.goal:g}× {'✓' if r.met else '✗'}" if r.goal is not None else "—"
        base = f"{r.baseline_name}: {_fmt(r.baseline, r.unit)}"
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.name}{note} | {_fmt(r.xlhedge, r.unit)} | {base} | {r.ratio:.2f}× | {goal} |")
    stamp = f"{_dt.date.today():%Y-%m-%d}, {platform.machine()}, Python {platform.python_version()}"
    lines.append("")
    lines.append(
        f"Measured {stamp} by `python benchmarks/run.py` on a shared 2-core machine: medians, "
        f"xlhedge and each baseline in the same run; method: {method}."
    )
    return "\n".join(lines)


def write(path: Path, table: str) -> None:
    text = path.read_text()
    block = f"{START}\n{table}\n{END}"
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    else:
        raise SystemExit(f"{path}: no {START} marker")
    path.write_text(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="replace the tables in README.md and docs/benchmarks.md")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 16000])
    ap.add_argument("--repeat", type=int, default=3, help="fresh processes per recompute measurement")
    args = ap.parse_args()

    import estimation
    import newbook
    import prices
    import recompute
    import startup
    import udfs

    rows: list[Row] = []
    for name, collect in (
        ("start-up", lambda: startup.collect(9)),
        ("prices and estimate", lambda: prices.collect(5)),
        ("new book", lambda: newbook.collect(3)),
        ("estimation", lambda: estimation.collect(9)),
        ("worksheet functions", lambda: udfs.collect(15)),
        ("recompute", lambda: recompute.collect(args.sizes, args.repeat)),
    ):
        print(f"… {name}", file=sys.stderr, flush=True)
        got = collect()
        rows.extend(got)
        for r in got:
            print(f"  {r.name}: {_fmt(r.xlhedge, r.unit)} vs {_fmt(r.baseline, r.unit)} = {r.ratio:.2f}×", flush=True)
    table = markdown(rows)
    print()
    print(table)
    if args.write:
        write(ROOT / "README.md", table)
        write(ROOT / "docs" / "benchmarks.md", markdown(rows, "[below](#method)"))


if __name__ == "__main__":
    main()
