"""Benchmark: `xlhedge recompute` vs LibreOffice headless recalculating the same workbook.

Books of 1,000, 5,000 and 16,000 positions (a sheet holds at most 16,384
columns) × 12 factor rows, built from the template. Both sides run as fresh
processes on the same file in the same run: xlhedge reads, evaluates every
xlhedge formula and writes the file; LibreOffice loads, recalculates every
formula (its baseline: the native SUMPRODUCT check cells) and writes a copy.
Prints both times, their ratio (xlhedge / LibreOffice: < 1 means xlhedge is
faster) and xlhedge's peak memory, measured by GNU time in a fresh process that
runs only the command (not inherited from this benchmark); what the recompute
adds above a process that only imports its modules is compared with the
uncompressed XML of the book's largest sheet. A folder of books is also
recomputed with ``--jobs 2`` against one after the other.

    python benchmarks/recompute.py [--sizes 1000 5000 16000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from _common import PY, Row, run_process

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


def time_xlhedge(path: Path) -> tuple[float, float | None]:
    """Seconds and peak RSS (MiB) of `python -m xlhedge recompute -q PATH` in a fresh process."""
    return run_process([PY, "-m", "xlhedge", "recompute", "-q", str(path)])


def largest_sheet_mib(path: Path) -> float:
    with zipfile.ZipFile(path) as z:
        return max(i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/")) / 2**20


def collect(sizes: list[int], repeat: int = 3, batch: int = 4) -> list[Row]:
    """Recompute vs LibreOffice (goal ≤ 0.5×), peak memory vs the largest sheet's XML (goal ≤ 4×),
    and a folder of ``batch`` 1,000-position books with --jobs 2 vs --jobs 1."""
    if soffice_path() is None:
        raise SystemExit("LibreOffice (soffice) is needed for the baseline: apt-get install libreoffice-calc")
    work = Path(tempfile.mkdtemp(prefix="xlhedge-bench-"))
    rows: list[Row] = []
    try:
        warm = build_workbook(work / "warm.xlsx", book=random_book(10), nav=1e6)
        convert(warm, "xlsx", work / "lo")  # LibreOffice's first start (its profile) is not counted
        # what the recompute's modules take before any book is read (interpreter, numpy, pandas, openpyxl)
        base = run_process([PY, "-c", "import xlhedge.cli, xlhedge.cli.book, xlhedge.workbook.filebook"])[1]
        for n in sizes:
            src = build_workbook(work / f"book_{n}.xlsx", book=random_book(n), nav=1e8)
            xs, los, mem = [], [], []
            for _ in range(repeat):
                copy = work / f"run_{n}.xlsx"
                shutil.copyfile(src, copy)
                s, m = time_xlhedge(copy)
                xs.append(s)
                if m is not None:
                    mem.append(m)
                _, lo_s = convert(src, "xlsx", work / "lo")
                los.append(lo_s)
            x, lo = statistics.median(xs), statistics.median(los)
            rows.append(Row(f"`xlhedge recompute`, {n:,} positions", x, "LibreOffice recalc + save", lo, 0.5))
            if mem and base is not None:
                xml = largest_sheet_mib(src)
                rows.append(
                    Row(
                        f"peak memory above start-up, {n:,} positions",
                        max(mem) - base,
                        "largest sheet's XML",
                        xml,
                        4.0,
                        unit="MiB",
                        note=f"peak {max(mem):.0f} MiB; start-up {base:.0f} MiB",
                    )
                )
        folder = work / "folder"
        folder.mkdir()
        one = build_workbook(work / "one.xlsx", book=random_book(1000), nav=1e8)
        for i in range(batch):
            shutil.copyfile(one, folder / f"book{i}.xlsx")
        seq = statistics.median(
            run_process([PY, "-m", "xlhedge", "recompute", str(folder), "-q", "--jobs", "1"])[0] for _ in range(repeat)
        )
        par = statistics.median(
            run_process([PY, "-m", "xlhedge", "recompute", str(folder), "-q", "--jobs", "2"])[0] for _ in range(repeat)
        )
        rows.append(Row(f"{batch} books of 1,000, `--jobs 2`", par, "`--jobs 1`", seq, None))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 16000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for r in collect(args.sizes, args.repeat):
        goal = f"goal ≤ {r.goal:g}×" if r.goal else ""
        print(
            f"{r.name:<36} {r.xlhedge:8.2f} {r.unit} | {r.baseline_name:<26} {r.baseline:8.2f} {r.unit} "
            f"| {r.ratio:5.2f}× {goal}"
        )
    print("\nMedians of fresh processes; memory: GNU time's maximum resident set size of the recompute alone.")


if __name__ == "__main__":
    main()
