"""Real-spreadsheet cross-check: LibreOffice recomputes the native SUMPRODUCT check cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from xlhedge.calc.layout import N_FACTORS
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.template import build_workbook
from xlhedge.template.exposures_sheet import DV01_ROW, ROW0
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.libreoffice import recalculate

from .conftest import require_tool

LAST = ROW0 + N_FACTORS - 1


def _random_book(n: int, seed: int) -> tuple[dict, ...]:
    rng = np.random.default_rng(seed)
    keys = ["equity", "duration", "usd", "commodity", "crypto", "vol", "Healthcare tilt", "Energy tilt"]
    out = []
    for j in range(n):
        betas = {k: float(v) for k, v in zip(keys, rng.normal(0, 3, len(keys)).round(6)) if rng.random() > 0.3}
        out.append(dict(ticker=f"P{j}", asset_class="equity", weight=round(float(rng.normal(0, 0.05)), 8), betas=betas))
    return tuple(out)


@pytest.mark.parametrize("kind", ["example", "random"])
def test_libreoffice_sumproduct_equals_xlhedge(tmp_path: Path, kind: str):
    require_tool("soffice")
    path = tmp_path / f"{kind}.xlsx"
    if kind == "example":
        build_workbook(path, example="figure01")
    else:
        build_workbook(path, book=_random_book(40, 7), nav=2_500_000.0)
    fb = FileBook(path)
    recompute(fb, RecomputeOptions())
    fb.save()
    ours = openpyxl.load_workbook(path, data_only=True)["Exposures"]
    lo_path, _ = recalculate(path, tmp_path / "lo")
    lo = openpyxl.load_workbook(lo_path, data_only=True)["Exposures"]
    xl = np.array([ours[f"B{r}"].value for r in range(ROW0, LAST + 1)], dtype=float)
    xl_ccy = np.array([ours[f"C{r}"].value for r in range(ROW0, LAST + 1)], dtype=float)
    native = np.array([lo[f"D{r}"].value for r in range(ROW0, LAST + 1)], dtype=float)
    nav = openpyxl.load_workbook(path, data_only=True)["Book"]["B3"].value
    assert np.abs(xl).max() > 0  # a book with real exposures
    np.testing.assert_allclose(native, xl, rtol=0, atol=1e-9)
    np.testing.assert_allclose(native * nav, xl_ccy, rtol=1e-9)
    # DV01 (a native formula over our duration result, computed by xlhedge): docs/methodology/factor-model.md by hand.
    assert ours[f"C{DV01_ROW}"].value == pytest.approx(-native[1] * nav * 1e-4, rel=1e-9)
