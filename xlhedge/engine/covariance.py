"""Covariance of factor moves from vols and a correlation matrix (docs/methodology/hedge-optimizer.md).

Σᵢⱼ = ρᵢⱼ · σᵢ · σⱼ · horizon_days / days_per_year, with σ the annualised vol of each factor's move
in its own unit (SPX return, yield change in bp, DXY return, commodity return, BTC return, VIX
points). A correlation matrix must be symmetric, within [−1, 1], have a unit diagonal (each to
1e-9) and be positive semi-definite; :func:`check_correlation` names the first entry that is not.
A matrix that fails only the last test can be replaced by the nearest correlation matrix in the
Frobenius norm (:func:`nearest_correlation`, Higham 2002).

Reference: N. J. Higham, "Computing the nearest correlation matrix — a problem from finance",
IMA Journal of Numerical Analysis 22 (2002) 329–343.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xlhedge.engine._typing import Float64Array1D, Float64Array2D
from xlhedge.engine.errors import InputError

__all__ = ["CORRELATION_TOL", "check_correlation", "nearest_correlation", "factor_covariance"]

#: Tolerance of every correlation test (symmetry, range, unit diagonal, smallest eigenvalue).
CORRELATION_TOL = 1e-9


def _matrix(corr: Any, name: str) -> Float64Array2D:
    a = np.asarray(corr, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise InputError(f"must be a square matrix, got shape {a.shape}", where=name)
    return a


def _first_not_psd(a: Float64Array2D, tol: float) -> tuple[int, int, float] | None:
    """(row, column, smallest eigenvalue) of the first entry that makes the matrix non-PSD, else None.

    The row is the first k whose leading k×k block is not PSD; the column the first j < k such
    that the principal block on rows/columns {0..j} ∪ {k} is not PSD either (the entry that
    contradicts the ones before it).
    """
    n = a.shape[0]
    if np.linalg.eigvalsh(a).min() >= -tol:
        return None
    for k in range(n):
        lam = np.linalg.eigvalsh(a[: k + 1, : k + 1]).min()
        if lam < -tol:
            for j in range(k):
                idx = list(range(j + 1)) + [k]
                if np.linalg.eigvalsh(a[np.ix_(idx, idx)]).min() < -tol:
                    return k, j, float(lam)
            return k, k, float(lam)  # pragma: no cover - the diagonal check catches this first
    return None  # pragma: no cover


def check_correlation(corr: Any, name: str = "correlations", *, psd: bool = True) -> Float64Array2D:
    """The correlation matrix as float64, or :class:`InputError` naming the first offending entry.

    Tests, each to :data:`CORRELATION_TOL`, in this order: every entry a number within [−1, 1]
    and the diagonal 1 (row by row), symmetry (the first entry ρᵢⱼ ≠ ρⱼᵢ in row order), then
    positive semi-definiteness (``psd=True``). Rows and columns are numbered from 1.
    """
    a = _matrix(corr, name)
    tol = CORRELATION_TOL
    n = a.shape[0]
    for i in range(n):
        for j in range(n):
            v = a[i, j]
            where = f"{name} row {i + 1}, column {j + 1}"
            if not np.isfinite(v):
                raise InputError("is not a number (blank or NaN)", where=where)
            if abs(v) > 1 + tol:
                raise InputError(f"is {v:g}, outside [−1, 1]", where=where)
            if i == j and abs(v - 1) > tol:
                raise InputError(f"is {v:g}; a correlation matrix has 1 on its diagonal", where=where)
    for i in range(n):
        for j in range(n):
            if abs(a[i, j] - a[j, i]) > tol:
                raise InputError(
                    f"is {a[i, j]:g} but row {j + 1}, column {i + 1} is {a[j, i]:g}: the matrix is not symmetric",
                    where=f"{name} row {i + 1}, column {j + 1}",
                )
    if psd:
        bad = _first_not_psd(a, tol)
        if bad is not None:
            k, j, lam = bad
            raise InputError(
                f"is {a[k, j]:g}, inconsistent with the entries before it: the matrix is not positive "
                f"semi-definite (smallest eigenvalue of its first {k + 1} rows and columns {lam:.3g}); "
                "use repair=TRUE for the nearest correlation matrix (Higham 2002)",
                where=f"{name} row {k + 1}, column {j + 1}",
            )
    return a


def nearest_correlation(
    corr: Any, *, tol: float = 1e-12, max_iterations: int = 10_000, name: str = "correlations"
) -> Float64Array2D:
    """The nearest correlation matrix in the Frobenius norm (Higham 2002, Algorithm 3.3, unit weights).

    Alternating projections with Dykstra's correction between the positive semi-definite cone
    (clip negative eigenvalues to 0) and the matrices with a unit diagonal, until successive
    iterates differ by less than ``tol`` (Frobenius, relative). The result is symmetric, has a
    unit diagonal and no eigenvalue below −1e-9 (the last eigenvalues are clipped once more and
    the diagonal rescaled to 1). A matrix that already is a correlation matrix comes back as is.

    >>> a = [[1, 1, 0], [1, 1, 1], [0, 1, 1]]
    >>> nearest_correlation(a).round(4)
    array([[1.    , 0.7607, 0.1573],
           [0.7607, 1.    , 0.7607],
           [0.1573, 0.7607, 1.    ]])
    """
    a = _matrix(corr, name)
    a = 0.5 * (a + a.T)
    y = a.copy()
    ds = np.zeros_like(a)
    for _ in range(max_iterations):
        r = y - ds
        w, v = np.linalg.eigh(r)
        x = (v * np.maximum(w, 0.0)) @ v.T
        ds = x - r
        y_new = x.copy()
        np.fill_diagonal(y_new, 1.0)
        done = float(np.linalg.norm(y_new - y, "fro")) <= tol * max(1.0, float(np.linalg.norm(y, "fro")))
        y = y_new
        if done:
            break
    w, v = np.linalg.eigh(0.5 * (y + y.T))
    if w.min() < 0:  # the last unit-diagonal projection may leave rounding-size negatives
        y = (v * np.maximum(w, 0.0)) @ v.T
        d = np.sqrt(np.diag(y))
        y = y / np.outer(d, d)
    y = 0.5 * (y + y.T)
    np.fill_diagonal(y, 1.0)
    return np.asarray(y, dtype=np.float64)


def factor_covariance(
    vols: Any,
    correlations: Any,
    horizon_days: float = 1.0,
    days_per_year: float = 252.0,
    repair: bool = False,
) -> Float64Array2D:
    """n×n covariance of factor moves over ``horizon_days``: ρᵢⱼ·σᵢ·σⱼ·horizon_days/days_per_year.

    Parameters
    ----------
    vols : n annualised vols, each in its factor's move unit (≥ 0).
    correlations : n×n correlation matrix (see :func:`check_correlation`).
    horizon_days : horizon in trading days (> 0), default 1.
    days_per_year : trading days per year (> 0), default 252.
    repair : replace a non-positive-semi-definite matrix by :func:`nearest_correlation`
        instead of raising; the other tests still raise.

    >>> factor_covariance([0.2, 0.1], [[1, -0.5], [-0.5, 1]], 252).round(4)
    array([[ 0.04, -0.01],
           [-0.01,  0.01]])
    """
    s: Float64Array1D = np.asarray(vols, dtype=np.float64).reshape(-1)
    if not np.isfinite(s).all():
        raise InputError(f"item {int(np.nonzero(~np.isfinite(s))[0][0]) + 1} is not a number", where="vols")
    if (s < 0).any():
        i = int(np.nonzero(s < 0)[0][0])
        raise InputError(f"item {i + 1} is {s[i]:g}; a vol is ≥ 0", where="vols")
    for label, v in (("horizon_days", horizon_days), ("days_per_year", days_per_year)):
        if not (np.isfinite(v) and v > 0):
            raise InputError(f"must be > 0, got {v:g}", where=label)
    a = check_correlation(correlations, psd=not repair)
    if a.shape[0] != s.size:
        raise InputError(f"has {s.size} vols but the correlation matrix is {a.shape[0]}×{a.shape[0]}", where="vols")
    if repair and _first_not_psd(a, CORRELATION_TOL) is not None:
        a = nearest_correlation(a)
    cov = a * np.outer(s, s) * (float(horizon_days) / float(days_per_year))
    return np.asarray(0.5 * (cov + cov.T), dtype=np.float64)
