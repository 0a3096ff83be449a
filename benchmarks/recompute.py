"""Benchmark: `xlhedge recompute` vs LibreOffice headless recalculating the same workbook.

Books of 1,000, 5,000 and 16,000 positions (a sheet holds at most 16,384
columns) × 12 factor rows, built from the template. Both sides run as fresh
processes on the same file in the same run: xlhedge reads, evaluates every
xlhedge formula and writes the file; LibreOffice loads, recalculates every
formula (its baseline: the native SUMPRODUCT check cells) and writes a copy.
Prints both times, their ratio (LibreOffice / xlhedge: > 1 means xlhedge is
faster) and xlhedge's peak memory.

    python benchmarks/recompute.py [--sizes 1000 5000 16000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from xlhedge.calc.layout import FACTOR_LABEL_LIST
from xlhedge.template import build_workbook
from xlhedge.workbook.libreoffice import convert, soffice_path


def random_book(n: int, seed: int = 1) -> tuple[dict, ...]:
    rng = np.random.default_rng(seed)
    betas = rng.normal(0.0, 1.0, (n, len(FACTOR_LABEL_LIST))).round(6)
    weights = rng.normal(0.0, 1.0 / n, n).round(10)
    keys = ["equity", "duration", "usd", "commodity", "crypto", "vol"] + list(FACTOR_LABEL_LIST[6:])
    return tuple(
        dict(
            ticker=f"P{j}",
            asset_class="equity",
            weight=float(weights[j]),
            betas={k: float(b) for k, b in zip(keys, betas[j])},
        )
        for j in range(n)
    )


def time_xlhedge(path: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of `python -m xlhedge recompute PATH` in a fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "xlhedge", "recompute", "-q", str(path)])
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"xlhedge recompute failed on {path}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 16000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if soffice_path() is None:
        raise SystemExit("LibreOffice (soffice) is needed for the baseline: apt-get install libreoffice-calc")
    work = Path(tempfile.mkdtemp(prefix="xlhedge-bench-"))
    # Warm LibreOffice's profile once so its first-start cost is not counted.
    warm = build_workbook(work / "warm.xlsx", book=random_book(10), nav=1e6)
    convert(warm, "xlsx", work / "lo")
    print(
        f"{'positions':>9} | {'xlhedge s':>9} | {'LibreOffice s':>13} | {'ratio LO/xlhedge':>16} | {'xlhedge peak MiB':>16}"
    )
    print("-" * 78)
    try:
        for n in args.sizes:
            src = build_workbook(work / f"book_{n}.xlsx", book=random_book(n), nav=1e8)
            xs, los, mem = [], [], []
            for _ in range(args.repeat):
                copy = work / f"run_{n}.xlsx"
                shutil.copyfile(src, copy)
                s, m = time_xlhedge(copy)
                xs.append(s)
                mem.append(m)
                _, lo_s = convert(src, "xlsx", work / "lo")
                los.append(lo_s)
            x, lo = statistics.median(xs), statistics.median(los)
            print(f"{n:>9} | {x:>9.2f} | {lo:>13.2f} | {lo / x:>15.2f}x | {max(mem):>16.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\nBaseline: LibreOffice headless full recalculation + save of the same file (median of runs).")


if __name__ == "__main__":
    main()
