"""Worksheet functions through xlhedge.udfs vs the numpy core, on a 500,000-cell input.

Run: ``python benchmarks/udfs.py``. No Excel: the UDF is called with what
xlwings hands it (a 2-D list of floats, ``None`` for blanks), so the time is
xlhedge's share of a recalculation; Excel's own COM transfer of the range
comes on top and is the same for any Python UDF.

Three timings per function (best of ``REPEAT``):

* core: the numpy engine on ready float64 arrays;
* core + list->array: the same plus ``np.array(list, dtype=float)``, the least
  any Python function must do with Excel's 2-D list;
* UDF: ``xlhedge.udfs.<NAME>(2-D list)``, including the boundary checks
  (every cell is a number or blank, shapes, labels) and the 2-D list result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _common import Row

from xlhedge import udfs
from xlhedge.functions.registry import registry

REPEAT = 9
ROWS, COLS = 10_000, 50


def best(f: Callable[[], Any], repeat: int = REPEAT) -> float:
    t = np.inf
    for _ in range(repeat):
        s = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - s)
    return t


def report(name: str, shape: str, core: float, core_conv: float, udf: float) -> None:
    print(
        f"{name:<22} {shape:<18} core {core * 1e3:8.2f} ms | core+list->array {core_conv * 1e3:8.2f} ms "
        f"| UDF {udf * 1e3:8.2f} ms | UDF/(core+conv) {udf / core_conv:5.1f}x | UDF/core {udf / core:7.1f}x"
    )


def collect(repeat: int = 15) -> list[Row]:
    """FACTOR_EXPOSURE over a 12 × 16,000 block (+ the weights row) passed as Excel's 2-D list, against
    the numpy floor: ``np.array(list)`` + ``nan_to_num`` + matmul (medians). Goal ≤ 1.3×."""
    import statistics

    rng = np.random.default_rng(1)
    k, n = 12, 16_000
    betas = rng.normal(size=(k, n))
    betas[rng.random(betas.shape) < 0.05] = np.nan
    block = np.vstack([rng.normal(size=n) / n, betas])
    block_list = [[None if np.isnan(v) else v for v in row] for row in block.tolist()]

    def floor() -> np.ndarray:
        a = np.nan_to_num(np.array(block_list, dtype=np.float64))
        return a[1:] @ a[0]

    got = np.array(udfs.FACTOR_EXPOSURE(block_list), dtype=float).ravel()
    assert np.allclose(got, floor()), "UDF and floor disagree"

    def med(f: Callable[[], Any]) -> float:
        ts = []
        for _ in range(repeat):
            s = time.perf_counter()
            f()
            ts.append(time.perf_counter() - s)
        return statistics.median(ts)

    # interleaved, so both see the same load
    t_udf, t_floor = [], []
    for _ in range(3):
        t_udf.append(med(lambda: udfs.FACTOR_EXPOSURE(block_list)))
        t_floor.append(med(floor))
    return [
        Row(
            "`FACTOR_EXPOSURE` 12 × 16,000 (2-D list)",
            min(t_udf),
            "`np.array` + `nan_to_num` + matmul",
            min(t_floor),
            1.3,
        )
    ]


def main() -> None:
    reg = registry()
    rng = np.random.default_rng(0)
    print(f"{len(reg)} worksheet functions registered; input {ROWS:,} x {COLS} = {ROWS * COLS:,} cells\n")

    # FACTOR_EXPOSURE: a block of 10,000 positions (columns) x 50 factors (+ the weights row).
    from xlhedge.engine.factors import exposures

    betas = rng.normal(size=(COLS, ROWS))
    betas[rng.random(betas.shape) < 0.05] = np.nan  # 5 % blank cells (blank beta = 0)
    weights = rng.normal(size=ROWS) / ROWS
    block = np.vstack([weights, betas])
    block_list = [[None if np.isnan(v) else v for v in row] for row in block.tolist()]
    clean = np.nan_to_num(betas)
    core = best(lambda: exposures(clean, weights))
    conv = best(lambda: exposures(np.nan_to_num(np.array(block_list, dtype=float)[1:]), weights))
    udf = best(lambda: udfs.FACTOR_EXPOSURE(block_list))
    got = np.array(udfs.FACTOR_EXPOSURE(block_list), dtype=float).ravel()
    assert np.allclose(got, exposures(clean, weights)), "UDF and core disagree"
    report("FACTOR_EXPOSURE", f"{COLS + 1} x {ROWS:,}", core, conv, udf)

    # CORRELATION_MATRIX, when registered: 10,000 dates x 50 price series.
    if "CORRELATION_MATRIX" in reg:
        from xlhedge.engine.estimation import correlation_matrix

        prices = 100.0 * np.exp(np.cumsum(rng.normal(size=(ROWS, COLS)) * 0.01, axis=0))
        plist = prices.tolist()
        core = best(lambda: correlation_matrix(prices))
        conv = best(lambda: correlation_matrix(np.array(plist, dtype=float)))
        f = udfs.CORRELATION_MATRIX
        out = f(plist)
        if isinstance(out, str):
            print(f"CORRELATION_MATRIX     returned {out!r}; not timed")
        else:
            r = np.diff(prices, axis=0) / prices[:-1]
            assert np.allclose(np.array(out, dtype=float), np.corrcoef(r, rowvar=False)), "UDF and numpy disagree"
            udf = best(lambda: f(plist))
            report("CORRELATION_MATRIX", f"{ROWS:,} x {COLS}", core, conv, udf)
            raw = best(lambda: np.corrcoef(r, rowvar=False))
            print(f"{'':<22} (np.corrcoef on ready returns: {raw * 1e3:.2f} ms)")


if __name__ == "__main__":
    main()
