"""The book as the checks and the rebalance read it: positions × fields, positions × factors.

One row per position (hedges included, flagged ``is_hedge``; docs/methodology/factor-model.md) with the
fields of the position schema (:data:`xlhedge.engine.schema.POSITION_FIELDS`), and a positions × factors table of betas
(the six core factors of docs/methodology/factor-model.md plus any tilt rows). In the workbook the
Book sheet lays the same data out transposed, one column per position and one
labelled row per field or factor; :func:`book_tables` reads either shape.

Per factor f (weights w as fractions of NAV, short < 0)::

    U_f = Σ_{i not hedge} w_i β_{i,f}     exposure of the trading book
    H_f = Σ_{i hedge}     w_i β_{i,f}     exposure of the hedges
    h_f = −H_f / U_f                       hedge ratio (1 = fully hedged, > 1 = flipped)

:func:`hedge_state` returns these with each factor's target ratio and drift;
the common-mistakes checks (:mod:`xlhedge.engine.checks`) and the rebalance
(:mod:`xlhedge.engine.rebalance`) both read it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine.coerce import as_date
from xlhedge.engine.errors import InputError
from xlhedge.engine.factors import default_factor_names
from xlhedge.engine.schema import (
    FX_DECISION_ALIASES,
    FX_DECISIONS,
    IGNORED_COLUMNS,
    POSITION_FIELDS,
    Field,
    factor_key,
    field_key,
    normalize_label,
)

__all__ = [
    "MATERIALITY",
    "book_tables",
    "hedge_state",
    "assign_hedge_factors",
    "materiality",
    "cell_float",
]


#: Smallest factor exposure that counts (*editable*), in the factor's own units
#: (NAV fraction × beta; years for duration; % NAV per vol point for vol).
MATERIALITY: dict[str, float] = {
    "equity": 0.02,
    "duration": 0.25,
    "usd": 0.02,
    "commodity": 0.02,
    "crypto": 0.02,
    "vol": 0.02,
    "tilt": 0.02,
}


def cell_float(frame: pd.DataFrame, row: object, col: str) -> float:
    """One cell of a numeric column as a float (pandas types ``.at`` as any scalar)."""
    return float(cast(float, frame.at[row, col]))


def materiality(factor: str, table: Mapping[str, float] | None = None) -> float:
    t = MATERIALITY if table is None else {**MATERIALITY, **table}
    return float(t.get(factor, t["tilt"]))


# --------------------------------------------------------------------------- reading


def _is_true(v: Any, where: object) -> bool:
    if coerce.is_blank(v):
        return False
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v) != 0.0
    s = str(v).strip().lower()
    if s in ("true", "yes", "y", "1", "x", "hedge"):
        return True
    if s in ("false", "no", "n", "0", ""):
        return False
    raise InputError(f"expected TRUE or FALSE, found {v!r}", where=where)


def _fx_decision(v: Any, where: object) -> str:
    if coerce.is_blank(v):
        return ""
    s = normalize_label(v)
    if s in FX_DECISION_ALIASES:
        return FX_DECISION_ALIASES[s]
    raise InputError(f"expected one of {', '.join(FX_DECISIONS)} (or blank), found {v!r}", where=where)


class _Where:
    """The place named in an error ("Price of ES"), built only if an error is raised."""

    __slots__ = ("label", "tickers", "j")

    def __init__(self, label: str, tickers: list[str], j: int) -> None:
        self.label, self.tickers, self.j = label, tickers, j

    def __str__(self) -> str:
        return f"{self.label} of {self.tickers[self.j] or f'position {self.j + 1}'}"


def _convert(field: Field, values: list[Any], tickers: list[str]) -> list[Any]:
    if field.kind == "text":
        return [
            "" if coerce.is_blank(v) else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip())
            for v in values
        ]
    if field.kind == "num":
        try:  # whole row at once; the per-cell path below only to name a bad cell
            row = coerce.to_float([list(values)], field.label, blank=np.nan)[0].tolist()
            return [field.default if x != x else x for x in row]
        except InputError:
            pass
    out = []
    for j, v in enumerate(values):
        where = _Where(field.label, tickers, j)
        if field.kind == "num":
            out.append(field.default if _blankish(v) else coerce.scalar(v, str(where)))
        elif field.kind == "bool":
            out.append(_is_true(v, where))
        elif field.kind == "date":
            out.append(as_date(v, where))
        elif field.kind == "fx_decision":
            out.append(_fx_decision(v, where))
    return out


def _blankish(v: Any) -> bool:
    return coerce.is_blank(v) or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _table_from_rows(g: np.ndarray, name: str) -> dict[str, list[Any]]:
    """Rows labelled in column 0 -> {field key: values per position}; unknown rows ignored."""
    rows: dict[str, list[Any]] = {}
    for r in range(g.shape[0]):
        lab = g[r, 0]
        if coerce.is_blank(lab):
            continue
        key = field_key(lab)
        if key is not None and key not in rows:
            rows[key] = list(g[r, 1:])
    return rows


def book_tables(
    positions: Any,
    betas: Any = None,
    *,
    nav: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a book into (positions × fields, positions × factors).

    Parameters
    ----------
    positions : DataFrame or range
        A DataFrame has one row per position and fields as columns (any of
        :data:`POSITION_FIELDS`; ``weight`` or ``notional`` required). With
        ``betas=None`` every other column is a factor beta (core factor names or
        tilt names). A worksheet range is laid out as the Book sheet: labels in
        the first column, one column per position, one row per field.
    betas : DataFrame or range, optional
        Factor rows × position columns, optional first column of factor labels
        (the Book sheet's factor block). A DataFrame's columns are matched to the
        tickers when they name them.
    nav : float, optional — needed only when weights are given as notional.

    Returns
    -------
    (fields, betas) — both indexed by ticker (``pos N`` when blank), betas' columns
    are factor keys (:func:`factor_key`), blanks are 0.
    """
    beta_df: pd.DataFrame | None = None
    if isinstance(positions, pd.DataFrame):
        cols: dict[str, list[Any]] = {}
        extra = []
        for c in positions.columns:
            k = field_key(c)
            if k is not None and k not in cols:
                cols[k] = positions[c].tolist()
            elif normalize_label(c) not in IGNORED_COLUMNS:
                extra.append(c)
        n = len(positions)
        if betas is None and extra:
            beta_df = positions[extra].copy()
    else:
        g = coerce.grid(positions, "positions")
        if g.shape[1] < 2 or not coerce.label_column(g):
            raise InputError("needs row labels in its first column and one column per position", where="positions")
        cols = _table_from_rows(g, "positions")
        n = g.shape[1] - 1
    if "weight" not in cols and "notional" not in cols:
        raise InputError("needs a Weight row (fraction of NAV) or a Notional row", where="positions")
    tick_raw = cols.get("ticker", [""] * n)
    tickers = ["" if coerce.is_blank(t) else str(t).strip() for t in tick_raw]
    fields: dict[str, list[Any]] = {}
    for f in POSITION_FIELDS:
        vals = cols.get(f.key)
        fields[f.key] = _convert(f, vals, tickers) if vals is not None else [f.default] * n
    # keep only positions that exist: a ticker or a non-zero weight/notional
    w = np.asarray(fields["weight"], dtype=np.float64)
    notional = np.asarray(fields["notional"], dtype=np.float64)
    use_notional = ("weight" not in cols) | ((w == 0) & ~np.isnan(notional))
    if np.any(use_notional & ~np.isnan(notional)):
        if nav is None or not nav > 0:
            raise InputError("is needed (> 0) to turn notional into weights", where="nav")
        w = np.where(use_notional & ~np.isnan(notional), notional / nav, w)
    fields["weight"] = list(w)
    keep = np.array([bool(t) for t in tickers]) | (w != 0)
    idx = [t or f"pos {j + 1}" for j, t in enumerate(tickers)]
    fdf = pd.DataFrame(fields, index=pd.Index(idx, name="ticker"))
    fdf["ticker"] = idx
    if betas is None and beta_df is None:
        raise InputError("are required: the factor rows of the book", where="betas")
    if beta_df is not None:
        b = _betas_from_frame(beta_df.T, idx)
    elif isinstance(betas, pd.DataFrame):
        b = _betas_from_frame(betas, idx)
    else:
        b = _betas_from_grid(betas, idx)
    fdf, b = fdf.loc[keep], b.loc[keep]
    if fdf.index.has_duplicates:
        dup = fdf.index[fdf.index.duplicated()][0]
        raise InputError(f"names {dup!r} twice", where="positions")
    return fdf, b


def _betas_from_frame(betas: pd.DataFrame, idx: list[str]) -> pd.DataFrame:
    """A factors × positions DataFrame -> positions × factor keys."""
    b = betas
    if set(map(str, b.columns)) >= set(idx) and len(idx) == len(set(idx)):
        b = b[[c for c in b.columns if str(c) in idx]]
        b.columns = [str(c) for c in b.columns]
        b = b[idx]
    elif b.shape[1] != len(idx):
        raise InputError(f"has {b.shape[1]} position columns, the book {len(idx)} positions", where="betas")
    labels = [str(i) for i in b.index]
    vals = coerce.to_float(b.to_numpy(dtype=object), "betas", place=lambda i, j: f"{labels[i]} of {idx[j]}")
    return _betas_frame(vals, labels, idx)


def _betas_from_grid(betas: Any, idx: list[str]) -> pd.DataFrame:
    g = coerce.grid(betas, "betas")
    if coerce.label_column(g):
        labels = coerce.text_vector(g[:, :1], "betas")
        g = g[:, 1:]
    else:
        labels = default_factor_names(g.shape[0])
    if g.shape[1] != len(idx):
        raise InputError(f"has {g.shape[1]} position columns, the positions block {len(idx)}", where="betas")
    keep_rows = [i for i, lab in enumerate(labels) if lab]
    g = g[keep_rows]
    labels = [labels[i] for i in keep_rows]
    vals = coerce.to_float(g, "betas", place=lambda i, j: f"{labels[i]} of {idx[j]}")
    return _betas_frame(vals, labels, idx)


def _betas_frame(vals: np.ndarray, labels: list[str], idx: list[str]) -> pd.DataFrame:
    keys = [factor_key(lab) for lab in labels]
    seen: dict[str, int] = {}
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
    dup = [k for k, c in seen.items() if c > 1]
    if dup:
        raise InputError(f"has two rows for the factor {dup[0]!r}", where="betas")
    return pd.DataFrame(vals.T, index=pd.Index(idx, name="ticker"), columns=keys)


# --------------------------------------------------------------------------- hedge state


def assign_hedge_factors(
    fields: pd.DataFrame, betas: pd.DataFrame, *, materiality_table: Mapping[str, float] | None = None
) -> pd.Series:
    """The factor each hedge targets: its ``hedge_factor`` field, else its largest factor.

    "Largest" compares |w β_f| / materiality_f, so a TLT long (duration 17) is a
    duration hedge and an SPY short an equity hedge. Non-hedges get ``""``.
    """
    c = betas.to_numpy() * fields["weight"].to_numpy()[:, None]
    scale = np.array([materiality(f, materiality_table) for f in betas.columns])
    largest = (
        np.asarray(betas.columns)[np.argmax(np.abs(c) / scale, axis=1)]
        if betas.shape[1]
        else np.array([""] * len(fields))
    )
    given = fields["hedge_factor"].map(lambda s: factor_key(s) if s else "")
    out = np.where(given != "", given, largest)
    out = np.where(fields["is_hedge"].to_numpy(dtype=bool), out, "")
    unknown = [(t, f) for t, f in zip(fields.index, out) if f and f not in betas.columns]
    if unknown:
        t, f = unknown[0]
        raise InputError(
            f"names the factor {f!r}, which the book has no row for ({', '.join(betas.columns)})",
            where=f"Hedge factor of {t}",
        )
    return pd.Series(out, index=fields.index, name="hedge_factor")


def hedge_state(
    fields: pd.DataFrame,
    betas: pd.DataFrame,
    *,
    targets: Mapping[str, float] | None = None,
    materiality_table: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per factor: book exposure U, hedge exposure H, net, hedge ratio, target and drift.

    Targets come from ``targets`` (factor -> ratio) or else from the hedges on
    that factor: their ``target_ratio`` (falling back to the inception ratio),
    averaged by the size of each hedge's factor exposure. A factor with no
    target has NaN target and drift.

    Returns
    -------
    DataFrame indexed by factor key: ``exposure`` (U), ``hedge`` (H, all hedges),
    ``assigned`` (the part of H from hedges whose target is this factor), ``net``,
    ``ratio`` (−H/U, NaN when |U| is below materiality), ``target``, ``drift_pp``
    ((ratio − target)·100), ``material`` (|U| ≥ materiality), ``hedges`` (tickers,
    comma-separated), ``main_hedge`` (ticker of the largest hedge on the factor).
    """
    hedge = fields["is_hedge"].to_numpy(dtype=bool)
    w = fields["weight"].to_numpy(dtype=np.float64)
    c = betas.to_numpy() * w[:, None]
    U = c[~hedge].sum(axis=0)
    H = c[hedge].sum(axis=0)
    mat = np.array([materiality(f, materiality_table) for f in betas.columns])
    material = np.abs(U) >= mat
    ratio = np.divide(-H, U, out=np.full(U.shape, np.nan), where=material)
    assigned = assign_hedge_factors(fields, betas, materiality_table=materiality_table)
    tr = fields["target_ratio"].to_numpy(dtype=np.float64)
    ir = fields["hedge_inception_ratio"].to_numpy(dtype=np.float64)
    row_target = np.where(np.isnan(tr), ir, tr)
    targets_out, hedges_out, main_out, assigned_out = [], [], [], []
    for j, f in enumerate(betas.columns):
        on = assigned.to_numpy() == f
        size = np.abs(c[on, j])
        assigned_out.append(float(c[on, j].sum()))
        tick = list(fields.index[on])
        hedges_out.append(", ".join(tick))
        main_out.append(tick[int(np.argmax(size))] if tick else "")
        if targets and f in targets:
            targets_out.append(float(targets[f]))
            continue
        t = row_target[on]
        ok = ~np.isnan(t)
        if ok.any():
            wts = size[ok]
            top = wts.max()
            # scaled to [0, 1] first: tiny (even subnormal) weights must not underflow the average
            targets_out.append(float(np.average(t[ok], weights=wts / top)) if top > 0 else float(t[ok].mean()))
        else:
            targets_out.append(math.nan)
    target = np.array(targets_out, dtype=np.float64)
    return pd.DataFrame(
        {
            "exposure": U,
            "hedge": H,
            "assigned": np.array(assigned_out, dtype=np.float64),
            "net": U + H,
            "ratio": ratio,
            "target": target,
            "drift_pp": (ratio - target) * 100.0,
            "material": material,
            "hedges": hedges_out,
            "main_hedge": main_out,
        },
        index=pd.Index(list(betas.columns), name="factor"),
    )
