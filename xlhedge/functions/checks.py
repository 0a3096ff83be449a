"""Common-mistakes and rebalance worksheet functions (docs/methodology/checks.md, Cross-Asset Hedging §11): HEDGE_CHECKS, REBALANCE.

Both read the Book sheet's ranges as they are laid out there: a *positions*
block (row labels in the first column, one column per position: ticker,
asset class, currency, is hedge, ..., weight) and a *betas* block (factor
labels in the first column). Book-level inputs come as a two-column
*settings* range (label | value): NAV, currency of record, last decomposition
date, today, and the VIX/MOVE/DVOL/CVIX levels.
"""

from __future__ import annotations

import math
from typing import Any

from xlhedge.engine import coerce
from xlhedge.engine.budget import VOL_INDEXES, as_date
from xlhedge.engine.checks import DEFAULT_TOLERANCES, TOLERANCE_DOCS, Finding, run_checks
from xlhedge.engine.errors import InputError
from xlhedge.engine.rebalance import DRIFT_TOLERANCE_PP, rebalance
from xlhedge.engine.schema import factor_key, factor_name, normalize_label
from xlhedge.functions.registry import worksheet_function

__all__ = ["HEDGE_CHECKS", "REBALANCE", "NO_FINDINGS", "checks_from_ranges", "settings_arg", "tolerances_arg", "pairs"]

# The Checks sheet's inputs as worksheet ranges (label | value settings, tolerances): HEDGE_CHECKS
# and every door that reads a book's Checks inputs (xlhedge.calc.bookread.book_findings) parse
# them here, so the sheet, the CLI and Python give the same findings.

_SETTINGS = {
    "nav": "nav",
    "nav currency of record": "nav",
    "currency of record": "record_currency",
    "record currency": "record_currency",
    "as of": "last_decomposition",
    "as of last decomposition date": "last_decomposition",
    "last decomposition": "last_decomposition",
    "last decomposition date": "last_decomposition",
    "last decomposed": "last_decomposition",
    "today": "today",
    "today blank run date": "today",
    "check date": "today",
    "date": "today",
    **{k.lower(): k for k in VOL_INDEXES},
}


def pairs(x: Any, name: str) -> list[tuple[Any, Any]]:
    """A two-column label | value range (or two rows) as (label, value) pairs, blank labels skipped."""
    g = coerce.grid(x, name)
    if g.shape[1] < 2 and g.shape[0] == 2:
        g = g.T
    if g.shape[1] < 2:
        raise InputError("expected two columns: label, value", where=name)
    return [(r[0], r[1]) for r in g if not coerce.is_blank(r[0])]


def settings_arg(settings: Any) -> dict[str, Any]:
    """Parse the label | value settings range into run_checks keyword arguments."""
    out: dict[str, Any] = {"vol_levels": {}}
    if settings is None:
        return out
    for lab, val in pairs(settings, "settings"):
        n = normalize_label(lab)
        key = _SETTINGS.get(n) or _SETTINGS.get(normalize_label(str(lab).split("(")[0]))
        if key is None:
            raise InputError(
                f"has an unknown label {lab!r}; expected NAV, Currency of record, Last decomposition, "
                f"Today, {', '.join(VOL_INDEXES)}",
                where="settings",
            )
        if coerce.is_blank(val):
            continue
        if key == "nav":
            out["nav"] = coerce.scalar(val, "settings NAV", minimum=0.0, strict_min=True)
        elif key == "record_currency":
            out["record_currency"] = str(val).strip().upper()
        elif key in ("last_decomposition", "today"):
            out[key] = as_date(val, f"settings {lab}")  # 0 (an empty cell via a formula) -> None
        elif val != 0:  # 0: a formula pointing at an empty cell, i.e. not given
            out["vol_levels"][key] = coerce.scalar(val, f"settings {key}", minimum=0.0)
    return out


def tolerances_arg(tolerances: Any) -> dict[str, float]:
    """Parse a label (or key) | value range of tolerances."""
    if _opt(tolerances) is None:
        return {}
    by_label = {normalize_label(lab): k for k, (lab, _, _) in TOLERANCE_DOCS.items()}
    out = {}
    for lab, val in pairs(tolerances, "tolerances"):
        key = str(lab).strip() if str(lab).strip() in DEFAULT_TOLERANCES else by_label.get(normalize_label(lab))
        if key is None:
            raise InputError(f"has an unknown tolerance {lab!r}", where="tolerances")
        if not coerce.is_blank(val):
            out[key] = coerce.scalar(val, f"tolerance {lab}")
    return out


def _opt(x: Any) -> Any:
    """``None`` for an omitted worksheet argument (None, a blank, Excel's missing marker)."""
    return None if coerce.is_omitted(x) else x


def checks_from_ranges(
    positions: Any,
    betas: Any,
    settings: Any = None,
    ledger: Any = None,
    tolerances: Any = None,
    theta_budget: Any = None,
    **overrides: Any,
) -> list[Finding]:
    """The findings for worksheet-shaped inputs: HEDGE_CHECKS and ``xlhedge check`` both call this.

    ``theta_budget`` is the ``=OPTION_THETA_BUDGET`` table (THETA_OVER_BUDGET; omitted = not
    checked). ``overrides`` replace settings (e.g. ``today=``) and are passed to :func:`run_checks`.
    """
    s = {**settings_arg(_opt(settings)), **{k: v for k, v in overrides.items() if v is not None}}
    return run_checks(
        positions, betas, _opt(ledger), tolerances=tolerances_arg(_opt(tolerances)), theta=_opt(theta_budget), **s
    )


#: What HEDGE_CHECKS shows when nothing is found (a spill needs at least one row).
NO_FINDINGS = ["", "", "No findings.", "", ""]


@worksheet_function(
    "HEDGE_CHECKS",
    "Common hedging mistakes in the book (docs/methodology/checks.md): code, severity, message, positions, fix.",
    docs={
        "positions": "Book rows with labels in the first column, one column per position "
        "(Ticker, Asset class, Currency, Is hedge, FX decision, ..., Weight as a fraction of NAV).",
        "betas": "Factor rows with labels in the first column, one column per position (blank = 0).",
        "settings": "Two columns label | value: NAV, Currency of record, Last decomposition, Today, VIX, MOVE, DVOL, CVIX.",
        "ledger": "Protection ledger with a header row: Date, Instrument, Bucket, Premium, Vol index, Vol level.",
        "tolerances": "Optional two columns label | value overriding the default tolerances.",
        "rows": "Pad with blank rows to this many (fits a fixed array range); optional. "
        "Findings beyond it are summed up in the last row.",
        "theta_budget": "Optional: the options' theta against their budget buckets, the rows of OPTION_THETA_BUDGET "
        "(OptionThetaBudget: bucket, theta per year, budget, theta / budget, options) for THETA_OVER_BUDGET.",
    },
    ranges=("positions", "betas", "settings", "ledger", "tolerances", "theta_budget"),
)
def HEDGE_CHECKS(
    positions: Any,
    betas: Any,
    settings: Any = None,
    ledger: Any = None,
    tolerances: Any = None,
    rows: Any = None,
    theta_budget: Any = None,
) -> list[list[Any]]:
    """One row per finding, errors first: [code, severity, message, positions, fix]."""
    found = checks_from_ranges(positions, betas, settings, ledger, tolerances, theta_budget)
    out = [f.as_row() for f in found] or [list(NO_FINDINGS)]
    n = _rows(rows)
    if n is not None and len(out) > n:
        more = out[n - 1 :]
        errors = sum(1 for r in more if r[1] == "error")
        out = out[: n - 1] + [
            [
                "MORE",
                "error" if errors else more[0][1],
                f"{len(more)} more findings ({errors} errors): enlarge the range or run xlhedge check.",
                "",
                "",
            ]
        ]
    return _pad(out, n)


def _rows(rows: Any) -> int | None:
    if coerce.is_omitted(rows):
        return None
    return coerce.whole_number(rows, "rows", minimum=1, maximum=1_048_576, what="a number of rows")


def _pad(out: list[list[Any]], n: int | None) -> list[list[Any]]:
    if n is None or len(out) >= n:
        return out
    return out + [[None] * len(out[0]) for _ in range(n - len(out))]


@worksheet_function(
    "REBALANCE",
    "Hedge ratio per factor against target, drift in percentage points, and the orders back to target.",
    docs={
        "positions": "Book rows with labels in the first column (as HEDGE_CHECKS); hedges give Target hedge ratio, Price, Multiplier.",
        "betas": "Factor rows with labels in the first column, one column per position (blank = 0).",
        "nav": "NAV in the currency of record (> 0).",
        "tolerance_pp": "Drift in percentage points beyond which a factor is flagged (default 10).",
        "targets": "Optional two columns factor | target ratio (0–1), overriding the hedges' own targets "
        "(a blank target keeps the hedges' own).",
        "rows": "Pad with blank rows to this many (fits a fixed array range); optional.",
    },
    ranges=("positions", "betas", "targets"),
)
def REBALANCE(
    positions: Any, betas: Any, nav: Any, tolerance_pp: Any = None, targets: Any = None, rows: Any = None
) -> list[list[Any]]:
    """Rows: [factor, exposure, hedge, ratio, target, drift pp, flag, instrument, side,
    contracts, notional change, ratio after]; flag is REBALANCE beyond tolerance, ok within it."""
    tol = coerce.scalar(tolerance_pp, "tolerance_pp", default=DRIFT_TOLERANCE_PP, minimum=0.0)
    tg = None
    if not coerce.is_omitted(targets):
        tg = {
            factor_key(k): coerce.scalar(v, f"target of {k}", minimum=0.0)
            for k, v in pairs(targets, "targets")
            if not coerce.is_blank(v)
        }
    r = rebalance(
        positions, betas, nav=coerce.scalar(nav, "nav", minimum=0.0, strict_min=True), tolerance_pp=tol, targets=tg
    )
    out = []
    for f, x in r.iterrows():
        flag = "" if math.isnan(x["drift_pp"]) else ("REBALANCE" if x["flag"] else "ok")
        out.append(
            [
                factor_name(str(f)),
                x["exposure"],
                x["hedge"],
                x["ratio"],
                x["target"],
                x["drift_pp"],
                flag,
                x["instrument"],
                x["side"],
                x["contracts"],
                x["notional_change"],
                x["ratio_after"],
            ]
        )
    n = _rows(rows)
    out = out or [["No hedges or targets", *([None] * 11)]]
    if n is not None and len(out) > n:
        raise InputError(
            f"the book has {len(out)} hedged factors, more than the {n} rows given; enlarge the range", where="rows"
        )
    return _pad(out, n)
