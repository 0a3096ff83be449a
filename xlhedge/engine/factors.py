"""The book view: factor exposures as a sum-product (docs/methodology/factor-model.md, Cross-Asset Hedging §01–§02).

    E_f  = Σ_i w_i · β_{i,f}        per factor f (weights: fraction of NAV, short < 0)
    $E_f = E_f · NAV                currency exposure (SPX-equivalent dollars etc.)
    DV01 = −E_duration · NAV · 0.0001   ($ per +1bp of yield)

The numeric core works on float64 ndarrays laid out as the workbook lays them
out: betas are factors × positions (one column per position, one row per
factor), weights one value per position. ``factor_exposure`` is the labelled
entry point; it converts its inputs once through :mod:`xlhedge.engine.coerce`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import (
    CORE_FACTORS,
    ArrayLike,
    Float64Array1D,
    Float64Array2D,
    FloatOrArray,
    IntArray1D,
)
from xlhedge.engine.errors import InputError

__all__ = [
    "exposures",
    "contributions",
    "top_contributors",
    "dv01",
    "vol_per_point",
    "factor_exposure",
    "split_block",
    "betas_and_weights",
    "default_factor_names",
]

#: docs/methodology/factor-model.md: DV01 is per one basis point.
BASIS_POINT = 1e-4


def exposures(betas: Float64Array2D, weights: Float64Array1D) -> Float64Array1D:
    """E_f = Σ_i w_i β_{i,f} for every factor row at once.

    Parameters
    ----------
    betas : (k, n) float64 — factor betas, one column per position.
    weights : (n,) float64 — weights, fraction of NAV, short < 0.

    Returns
    -------
    (k,) float64 — exposure per factor, in NAV fractions.
    """
    return betas @ weights


def contributions(betas: Float64Array2D, weights: Float64Array1D) -> Float64Array2D:
    """Per-position contributions w_i β_{i,f}, shape (k, n); rows sum to :func:`exposures`."""
    return betas * weights[np.newaxis, :]


def top_contributors(c: Float64Array2D) -> tuple[IntArray1D, Float64Array1D, Float64Array1D, Float64Array1D]:
    """Largest contributor per factor row of a contributions matrix (k, n).

    Returns (column index, its contribution, its share of the row's gross
    Σ|contribution|, the gross); share is 0 for a row with no exposure.
    """
    idx = np.argmax(np.abs(c), axis=1)
    top = c[np.arange(c.shape[0]), idx]
    gross = np.abs(c).sum(axis=1)
    share = np.divide(np.abs(top), gross, out=np.zeros_like(gross), where=gross > 0)
    return idx, top, share, gross


def dv01(duration_exposure: FloatOrArray, nav: float) -> FloatOrArray:
    """Book DV01 in currency per +1bp: −E_duration · NAV · 0.0001 (docs/methodology/factor-model.md).

    Long duration loses when yields rise, so a long-duration book has a negative DV01.
    """
    return -np.asarray(duration_exposure) * nav * BASIS_POINT


#: The vol row's unit: % of NAV per +1 vol point, so currency per point = E_vol · NAV · 0.01.
VOL_POINT = 0.01


def vol_per_point(vol_exposure: FloatOrArray, nav: float) -> FloatOrArray:
    """Book vol P&L in currency per +1 vol point (VIX point): E_vol · NAV · 0.01
    (docs/methodology/factor-model.md).

    The vol row is % of NAV per vol point (a beta of 0.5 is 0.5% of NAV per point), so its
    exposure × NAV is 100 times the currency a +1 point move makes or loses; this is that P&L.

    Examples
    --------
    >>> float(vol_per_point(-0.2508, 10_000_000))
    -25080.0
    """
    return np.asarray(vol_exposure) * nav * VOL_POINT


def split_block(block: Any, name: str = "block") -> tuple[Float64Array2D, Float64Array1D, list[str] | None]:
    """Split a FACTOR_EXPOSURE block into (betas (k, n), weights (n,), row labels).

    The block's first row holds the weights, each following row one factor's
    betas; an optional first column of text labels is dropped (and returned).
    """
    labels = None
    g: Any
    if type(block) is list and block and all(type(r) is list and r and type(r[0]) is not str for r in block):
        g, rows = block, len(block)  # Excel's 2-D list without a label column: to_float's fast path
    else:
        g = coerce.grid(block, name)
        if coerce.label_column(g):
            labels = coerce.text_vector(g[:, :1], name)
            g = g[:, 1:]
            if g.shape[1] == 0:
                raise InputError("has only a label column, no positions", where=name)
        rows = g.shape[0]
    if rows < 2:
        raise InputError(
            f"needs the weights in its first row and at least one row of betas below, got {rows} row",
            where=name,
        )

    def place(i: int, j: int) -> str:
        row = "weights row" if i == 0 else f"beta row {i}"
        if labels and labels[i]:
            row += f" ({labels[i]})"
        return f"{row}, position {j + 1}"

    a = coerce.to_float(g, name, place=place)
    return a[1:], a[0], (labels[1:] if labels else None)


def betas_and_weights(
    betas: Any, weights: Any
) -> tuple[Float64Array2D, Float64Array1D, list[str] | None, list[str] | None]:
    """Two-range form: betas (factors × positions) and one row/column of weights.

    pandas inputs are aligned by label (positions = betas' columns, weights' index).
    """
    factor_labels = position_labels = None
    if isinstance(betas, pd.DataFrame) and isinstance(weights, pd.Series):
        missing = [p for p in betas.columns if p not in weights.index]
        extra = [p for p in weights.index if p not in betas.columns]
        if missing or extra:
            raise InputError(
                "weights and betas name different positions: "
                + "; ".join(
                    s
                    for s in (
                        f"no weight for {', '.join(map(str, missing))}" if missing else "",
                        f"no betas for {', '.join(map(str, extra))}" if extra else "",
                    )
                    if s
                ),
                where="weights",
            )
        weights = weights.reindex(betas.columns)
    if isinstance(betas, pd.DataFrame):
        factor_labels = [str(i) for i in betas.index]
        position_labels = [str(c) for c in betas.columns]
    g = coerce.grid(betas, "betas")
    if factor_labels is None and coerce.label_column(g):
        factor_labels = coerce.text_vector(g[:, :1], "betas")
        g = g[:, 1:]
    n = g.shape[1]
    wg = coerce.grid(weights, "weights")
    if wg.shape[0] != 1 and wg.shape[1] != 1:
        raise InputError(
            f"expected one row or one column, got {wg.shape[0]} rows × {wg.shape[1]} columns",
            where="weights",
        )
    wflat = wg.reshape(1, -1)
    if wflat.shape[1] == n + 1 and isinstance(wflat[0, 0], str) and not coerce.is_error_value(wflat[0, 0]):
        wflat = wflat[:, 1:]  # a "Weight" label in front
    if wflat.shape[1] != n:
        raise InputError(f"has {wflat.shape[1]} positions, betas {n}", where="weights")

    def position(j: int) -> str:
        return f"position {j + 1}" + (f" ({position_labels[j]})" if position_labels else "")

    def bplace(i: int, j: int) -> str:
        fl = factor_labels
        return f"row {i + 1}" + (f" ({fl[i]})" if fl and fl[i] else "") + f", {position(j)}"

    b = coerce.to_float(g, "betas", place=bplace)
    w = coerce.to_float(wflat, "weights", place=lambda i, j: position(j))[0]
    return b, w, factor_labels, position_labels


def factor_exposure(
    betas: ArrayLike,
    weights: ArrayLike = None,
    nav: float | None = None,
) -> pd.Series:
    """Net exposure per factor, E_f = Σ_i w_i β_{i,f} (docs/methodology/factor-model.md).

    Parameters
    ----------
    betas : DataFrame (factors × positions), 2-D array or list of lists
        Factor betas, one row per factor, one column per position; blank = 0.
        When ``weights`` is omitted this is a *block*: first row weights,
        following rows betas (the worksheet form ``FACTOR_EXPOSURE(block)``).
        An optional first column of text labels names the factors.
    weights : Series, 1-D array or list, optional
        Position weights as a fraction of NAV, long > 0, short < 0. A Series is
        aligned to ``betas``' columns by label.
    nav : float, optional
        If given, the result is multiplied by it (currency exposure, docs/methodology/factor-model.md $E_f).

    Returns
    -------
    pandas.Series
        One value per factor, indexed by the factor labels (or ``factor_1``...).

    Examples
    --------
    >>> factor_exposure([[1.0, 0.5], [0.0, 17.0]], [0.02, 0.01]).round(4).tolist()
    [0.025, 0.17]
    """
    if weights is None:
        b, w, labels = split_block(betas)
    else:
        b, w, labels, _ = betas_and_weights(betas, weights)
    e = exposures(b, w)
    if nav is not None:
        e = e * coerce.scalar(nav, "nav")
    names = default_factor_names(e.size)
    index = (
        labels if labels and all(labels) else [(labels[i] if labels and labels[i] else names[i]) for i in range(e.size)]
    )
    return pd.Series(e, index=pd.Index(index, name="factor"), name="exposure")


def default_factor_names(n: int) -> list[str]:
    """Names of ``n`` factor rows given without labels (docs/methodology/factor-model.md).

    The core factors in their order (``equity``, ``duration``, ``usd``, ``commodity``,
    ``crypto``, ``vol``), then ``tilt_1``, ``tilt_2``, ... for rows beyond them; fewer
    than six rows take the first ``n`` core factors.

    Examples
    --------
    >>> default_factor_names(8)[-3:]
    ['vol', 'tilt_1', 'tilt_2']
    """
    if n < 0:
        raise InputError(f"must be ≥ 0, got {n}", where="n")
    core = list(CORE_FACTORS[:n])
    return core + [f"tilt_{k}" for k in range(1, n - len(core) + 1)]
