"""Prices and `xlhedge estimate`: 50 series × 2,520 days, against pandas.read_csv of the same file.

The series are the four factor benchmarks and 46 assets, so estimate fits 4 × 46 betas.

* ``read_prices`` (the CSV door: shape detection, the date column, the price report) against
  ``pandas.read_csv`` of the same file, both in this process (medians). Goal ≤ 3×.
* ``xlhedge estimate BOOK --prices FILE.csv`` and then ``xlhedge estimate BOOK`` (prices from
  the Prices sheet, where the first run stored them), fresh processes on a 46-position book,
  against a fresh process that only runs ``pandas.read_csv`` on the file. Goal ≤ 5×.

    python benchmarks/prices.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import PY, Row, median_process, median_time

SERIES, DAYS = 50, 2_520


def write_csv(path: Path, seed: int = 3) -> list[str]:
    """The four factor benchmarks (SPX, DXY, BCOM, BTC) and 46 assets; returns the assets' tickers."""
    rng = np.random.default_rng(seed)
    factors = rng.normal(3e-4, 0.011, (DAYS, 4)) * [1.0, 0.5, 1.2, 3.0]
    loadings = rng.uniform(-0.5, 1.8, (4, SERIES - 4))
    assets = factors @ loadings + rng.normal(0, 0.015, (DAYS, SERIES - 4))
    r = np.column_stack([factors, assets])
    cols = ["SPX", "DXY", "BCOM", "BTC"] + [f"A{i:02d}" for i in range(SERIES - 4)]
    px = pd.DataFrame(100 * np.cumprod(1 + r, axis=0), index=pd.bdate_range("2015-01-02", periods=DAYS), columns=cols)
    px.round(4).to_csv(path, index_label="Date")
    return cols[4:]


def build_book(path: Path, tickers: list[str]) -> Path:
    from xlhedge.template import build_workbook

    book = tuple(dict(ticker=t, asset_class="equity", weight=0.01, betas={}) for t in tickers)
    return build_workbook(path, book=book, nav=1e8)


def collect(repeat: int = 5) -> list[Row]:
    from xlhedge.workbook.prices_csv import read_prices

    work = Path(tempfile.mkdtemp(prefix="xlhedge-bench-prices-"))
    try:
        csv = work / "prices.csv"
        tickers = write_csv(csv)
        t_read = median_time(lambda: read_prices(csv), 9)
        t_pd = median_time(lambda: pd.read_csv(csv), 9)
        src = build_book(work / "book.xlsx", tickers)
        book = work / "run.xlsx"
        shutil.copyfile(src, book)
        est_csv, _ = median_process([PY, "-m", "xlhedge", "estimate", str(book), "--prices", str(csv), "-q"], repeat)
        est_sheet, _ = median_process([PY, "-m", "xlhedge", "estimate", str(book), "-q"], repeat)
        pd_proc, _ = median_process([PY, "-c", f"import pandas; pandas.read_csv({str(csv)!r})"], repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [
        Row("`read_prices` (50 × 2,520 CSV)", t_read, "`pandas.read_csv`", t_pd, 3.0),
        Row("`xlhedge estimate --prices CSV` (50 × 2,520)", est_csv, "`pandas.read_csv` process", pd_proc, 5.0),
        Row("`xlhedge estimate` (Prices sheet)", est_sheet, "`pandas.read_csv` process", pd_proc, 5.0),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    for r in collect(ap.parse_args().repeat):
        goal = f"goal ≤ {r.goal:g}×" if r.goal else ""
        print(f"{r.name:<46} {r.xlhedge:7.3f} s | {r.baseline_name:<26} {r.baseline:7.3f} s | {r.ratio:5.2f}× {goal}")


if __name__ == "__main__":
    main()
