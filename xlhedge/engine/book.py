"""A book: NAV plus positions, each with attributes, a weight and factor betas (docs/methodology/factor-model.md).

Build one from a tidy DataFrame (one row per position), from 2-D lists laid
out like the Book sheet (one column per position), or from a workbook file.
Every constructor validates once and names the offending field or cell; the
methods compute on the validated arrays through :mod:`xlhedge.engine.factors`.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import CORE_FACTORS, FACTOR_LABELS
from xlhedge.engine.errors import InputError, WorkbookError
from xlhedge.engine.factors import contributions, dv01, exposures, top_contributors

__all__ = ["Book"]

#: Attribute columns a position may carry besides weight and betas: the Book sheet's
#: attribute rows (:data:`xlhedge.calc.layout.ATTRIBUTES`) except the ticker.
ATTRIBUTE_COLUMNS = (
    "asset_class",
    "instrument",
    "currency",
    "sector",
    "is_hedge",
    "fx_currency",
    "fx_share",
    # the fields the checks and the rebalance read (xlhedge.engine.hedgebook.POSITION_FIELDS)
    "fx_decision",
    "hedge_for",
    "hedge_factor",
    "hedge_inception_ratio",
    "target_ratio",
    "hedge_date",
    "expiry",
    "price",
    "multiplier",
    "liquidation_price",
    "funding_rate",
    "daily_vol",
    "corr_normal",
    "corr_stress",
)
_LABEL_TO_KEY = {v.lower(): k for k, v in FACTOR_LABELS.items()}


def _factor_key(label: str) -> str:
    """'Equity beta (SPX)' or 'equity' -> 'equity'; tilts keep their label."""
    low = label.strip().lower()
    return _LABEL_TO_KEY.get(low, low if low in CORE_FACTORS else label.strip())


@dataclass(frozen=True)
class Book:
    """A validated book.

    Attributes
    ----------
    positions : DataFrame
        One row per position, index ``ticker``; columns ``weight`` (fraction of
        NAV, short < 0) and the attributes of :data:`ATTRIBUTE_COLUMNS` present
        (asset_class, instrument, currency, sector, is_hedge, fx_currency,
        fx_share, and the hedge fields the checks read: fx_decision, hedge_for,
        ..., corr_stress). Numeric attributes are floats (blank = NaN), dates
        stay as read, text as read (blank = None).
    betas : DataFrame
        Factors × positions (rows: ``equity``, ``duration``, ``usd``,
        ``commodity``, ``crypto``, ``vol``, then tilts by label); blank = 0.
    nav : float
        NAV in the currency of record.
    record_currency : str
    as_of : datetime or None
        Date of the last decomposition (docs/methodology/checks.md ``STALE_HEDGE``).
    """

    positions: pd.DataFrame
    betas: pd.DataFrame
    nav: float
    record_currency: str = "USD"
    as_of: _dt.datetime | None = None

    # ---------------------------------------------------------------- builders
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        nav: float,
        *,
        record_currency: str = "USD",
        factors: Sequence[str] | None = None,
        as_of: _dt.datetime | None = None,
    ) -> Book:
        """One row per position: ``ticker`` (column or index), ``weight`` or ``notional``,
        attribute columns, and one column per factor beta.

        Factor columns are the six core factor names present in the frame plus
        any listed in ``factors`` (tilts). ``notional`` is converted with
        weight = notional / NAV (docs/methodology/factor-model.md).
        """
        nav_f = coerce.scalar(nav, "nav", minimum=0.0, strict_min=True)
        df = frame.copy()
        if "ticker" in df.columns:
            df = df.set_index("ticker")
        df.index = df.index.map(lambda t: "" if coerce.is_blank(t) else str(t).strip())
        df.index.name = "ticker"
        if (df.index == "").any():
            raise InputError(f"row {int(np.argmax(df.index == '')) + 1} has no ticker", where="positions")
        if "weight" in df.columns and "notional" in df.columns:
            raise InputError("give either weight or notional, not both", where="positions")
        if "weight" in df.columns:
            w = coerce.vector(df["weight"].to_numpy(dtype=object), "weight")
        elif "notional" in df.columns:
            w = coerce.vector(df["notional"].to_numpy(dtype=object), "notional") / nav_f
        else:
            raise InputError("needs a 'weight' (fraction of NAV) or 'notional' column", where="positions")
        names = [f for f in CORE_FACTORS if f in df.columns] + [f for f in (factors or ()) if f not in CORE_FACTORS]
        missing = [f for f in names if f not in df.columns]
        if missing:
            raise InputError(f"has no column for factor {', '.join(missing)}", where="positions")
        if not names:
            raise InputError(
                f"has no factor beta columns (expected some of {', '.join(CORE_FACTORS)})", where="positions"
            )
        tickers = list(df.index)
        b = coerce.to_float(
            df[names].to_numpy(dtype=object).T, "betas", place=lambda i, j: f"{names[i]} of {tickers[j]}"
        )
        positions = pd.DataFrame({"weight": w}, index=df.index)
        for col in ATTRIBUTE_COLUMNS:
            if col in df.columns:
                positions[col] = df[col].to_numpy()
        betas = pd.DataFrame(b, index=pd.Index(names, name="factor"), columns=df.index)
        return cls(positions, betas, nav_f, record_currency.strip().upper(), as_of)

    @classmethod
    def from_grid(
        cls,
        rows: Sequence[Sequence[Any]],
        nav: float,
        *,
        record_currency: str = "USD",
        sheet: str = "Book",
        first_row: int = 1,
    ) -> Book:
        """2-D lists laid out like the Book sheet: labels in column 0, one column per position.

        Rows are found by their label: ``Ticker``, the attribute labels, ``Weight``
        (the row whose label starts with "weight"), then every following
        labelled row is a factor beta row. ``first_row`` numbers the rows in
        error messages (``Book!D12``).
        """
        from xlhedge.calc.layout import ATTRIBUTES

        g = coerce.grid(rows, "book")
        labels = [("" if coerce.is_blank(v) else str(v).strip()) for v in g[:, 0]]
        low = [x.lower() for x in labels]
        try:
            w_row = next(i for i, x in enumerate(low) if x.startswith("weight"))
        except StopIteration:
            raise InputError("has no row labelled 'Weight'", where=sheet) from None
        attr_rows: dict[str, int] = {}
        for att in ATTRIBUTES:
            for i, x in enumerate(low[:w_row]):
                if x == att.label.lower() or x == att.key:
                    attr_rows[att.key] = i
        if "ticker" not in attr_rows:
            raise InputError("has no row labelled 'Ticker'", where=sheet)
        f_rows = [i for i in range(w_row + 1, len(labels)) if labels[i]]
        return cls._from_rows(g, labels, attr_rows, w_row, f_rows, nav, record_currency, sheet, first_row, 2)

    @classmethod
    def _from_rows(
        cls,
        g: np.ndarray,
        labels: list[str],
        attr_rows: dict[str, int],
        w_row: int,
        f_rows: list[int],
        nav: Any,
        record_currency: str,
        sheet: str,
        first_row: int,
        first_col: int,
        as_of: Any = None,
    ) -> Book:
        from xlhedge.calc.layout import ATTRIBUTES
        from xlhedge.calc.refs import cell_name

        nav_f = coerce.scalar(nav, f"{sheet} NAV", minimum=0.0, strict_min=True)
        data = g[:, 1:]
        tick = data[attr_rows["ticker"]]
        wrow = data[w_row]
        used = [j for j in range(data.shape[1]) if not (coerce.is_blank(tick[j]) and coerce.is_blank(wrow[j]))]
        if not used:
            raise InputError("has no positions (no ticker or weight in any position column)", where=sheet)

        def cell(i: int, j: int) -> str:
            return f"{sheet}!{cell_name(first_row + i, first_col + j)}"

        tickers = []
        for j in used:
            t = tick[j]
            if coerce.is_blank(t):
                raise InputError("a position with a weight needs a ticker", where=cell(attr_rows["ticker"], j))
            tickers.append(str(t).strip() if not isinstance(t, float) else f"{t:g}")
        sub = data[:, used]
        w = coerce.to_float(
            sub[w_row : w_row + 1], "weight", place=lambda i, j: f"at {cell(w_row, used[j])} ({tickers[j]})"
        )[0]
        if f_rows:
            b = coerce.to_float(
                sub[f_rows],
                "beta",
                place=lambda i, j: f"at {cell(f_rows[i], used[j])} ({labels[f_rows[i]]}, {tickers[j]})",
            )
        else:
            b = np.zeros((0, len(used)))
        positions = pd.DataFrame({"weight": w}, index=pd.Index(tickers, name="ticker"))
        atts = {a.key: a for a in ATTRIBUTES}
        for key, i in attr_rows.items():
            if key == "ticker":
                continue
            att = atts[key]
            if att.kind == "num":
                vals = list(
                    coerce.to_float(
                        sub[i : i + 1],
                        att.label,
                        blank=np.nan,
                        place=lambda _i, j, i=i: f"at {cell(i, used[j])} ({tickers[j]})",
                    )[0]
                )
            else:  # text as read, dates stay dates
                vals = [None if coerce.is_blank(v) else v for v in sub[i]]
            positions[key] = vals
        factors = [_factor_key(labels[i]) for i in f_rows]
        betas = pd.DataFrame(b, index=pd.Index(factors, name="factor"), columns=positions.index)
        rc = str(record_currency or "USD").strip().upper()
        return cls(positions, betas, nav_f, rc, as_of if isinstance(as_of, _dt.datetime) else None)

    @classmethod
    def from_bookio(cls, io: Any) -> Book:
        """Read the Book sheet of a workbook through its defined names (the template's layout)."""
        from xlhedge.calc.layout import ATTRIBUTES, BOOK_SHEET
        from xlhedge.calc.refs import CellRange, parse_ref

        names = io.defined_names()
        need = ("BOOKWEIGHTS", "BOOKBETAS", "BOOKTICKERS", "NAV")
        missing = [n for n in need if n not in names]
        if missing:
            raise WorkbookError(
                f"is not an xlhedge book: the defined names {', '.join(missing)} are missing "
                "(start from `xlhedge new`)",
                where=io.name,
            )

        def ref(name: str) -> CellRange:
            return parse_ref(names[name].lstrip("="))

        weights = ref("BOOKWEIGHTS")
        betas = ref("BOOKBETAS")
        sheet = weights.sheet
        if sheet not in io.sheet_names():
            raise WorkbookError(f"has no sheet named {sheet!r}", where=io.name)
        top = min([ref(a.name.upper()).r1 for a in ATTRIBUTES if a.name.upper() in names] + [weights.r1])
        block = CellRange(sheet, top, 1, betas.r2, weights.c2)
        rows = io.read(block)
        g = coerce.grid(rows, sheet)
        labels = [("" if coerce.is_blank(v) else str(v).strip()) for v in g[:, 0]]
        attr_rows = {a.key: ref(a.name.upper()).r1 - top for a in ATTRIBUTES if a.name.upper() in names}
        w_row = weights.r1 - top
        f_rows = list(range(betas.r1 - top, betas.r2 - top + 1))
        for i in f_rows:
            if not labels[i]:
                labels[i] = f"row {top + i}"
        nav = io.read(ref("NAV"))[0][0]
        rc = io.read(ref("RECORDCURRENCY"))[0][0] if "RECORDCURRENCY" in names else "USD"
        as_of = io.read(ref("ASOF"))[0][0] if "ASOF" in names else None
        return cls._from_rows(
            g, labels, attr_rows, w_row, f_rows, nav, rc or "USD", sheet or BOOK_SHEET, top, weights.c1, as_of
        )

    @classmethod
    def from_workbook(cls, path: str | os.PathLike[str]) -> Book:
        """Read a saved book (.xlsx/.xlsm) after recomputing it in memory (the file is not changed)."""
        from xlhedge.calc.recompute import RecomputeOptions, recompute
        from xlhedge.workbook.filebook import FileBook

        fb = FileBook(path)
        recompute(fb, RecomputeOptions(write_status=False, estimate=False))
        return cls.from_bookio(fb)

    # ---------------------------------------------------------------- views
    @property
    def weights(self) -> pd.Series:
        return self.positions["weight"]

    def contributions(self) -> pd.DataFrame:
        """w_i · β_{i,f}: factors × positions, NAV fractions."""
        c = contributions(self.betas.to_numpy(), self.weights.to_numpy())
        return pd.DataFrame(c, index=self.betas.index, columns=self.betas.columns)

    def exposures(self) -> pd.DataFrame:
        """The book view (docs/methodology/factor-model.md): per factor, exposure (× NAV), in currency, and the
        largest contributor with its contribution and share of the factor's gross."""
        b, w = self.betas.to_numpy(), self.weights.to_numpy()
        e = exposures(b, w)
        c = contributions(b, w)
        out = pd.DataFrame({"exposure": e, "exposure_ccy": e * self.nav}, index=self.betas.index)
        if c.shape[1]:
            idx, top, share, gross = top_contributors(c)
            out["top_contributor"] = [self.betas.columns[j] if g > 0 else "" for j, g in zip(idx, gross)]
            out["top_contribution"] = top
            out["top_share"] = share
        return out

    def dv01(self) -> float:
        """Book DV01 in currency per +1bp (docs/methodology/factor-model.md); 0 when the book has no duration row."""
        if "duration" not in self.betas.index:
            return 0.0
        e = float(self.betas.loc["duration"].to_numpy() @ self.weights.to_numpy())
        return float(dv01(e, self.nav))

    def trades_view(self) -> pd.DataFrame:
        """One row per position: side, weight, notional and attributes (the source article's trades view)."""
        t = self.positions.copy()
        t.insert(0, "side", np.where(t["weight"] < 0, "short", "long"))
        t.insert(2, "notional", t["weight"] * self.nav)
        return t
