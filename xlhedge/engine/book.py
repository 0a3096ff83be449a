"""A book: NAV plus positions, each with attributes, a weight and factor betas (docs/methodology/factor-model.md).

Build one from a tidy DataFrame (one row per position, :meth:`Book.from_frame`) or from
rows laid out like the Book sheet (:meth:`Book.from_rows`; the workbook doors read a
sheet into those rows, see :mod:`xlhedge.calc.bookread`). Every constructor validates
once and names the offending field or cell; the methods compute on the validated arrays
through :mod:`xlhedge.engine.factors`. The fields a position carries are the position
schema's (:mod:`xlhedge.engine.schema`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.errors import InputError
from xlhedge.engine.factors import contributions, dv01, exposures, top_contributors, vol_per_point
from xlhedge.engine.optionbook import GREEKS_COLUMNS, is_option, joint_scenarios, resolve_options, theta_budget
from xlhedge.engine.schema import ATTRIBUTE_COLUMNS, FIELD, factor_key, factor_label

__all__ = ["Book", "Place", "OptionInputs"]

#: ``place(row, position)`` -> the words naming a cell in an error (``"Book!D12"``).
Place = Callable[[int, int], str]


@dataclass(frozen=True)
class OptionInputs:
    """What the option positions of a book are valued with (docs/methodology/options.md).

    rate, div : risk-free rate and dividend yield, annual continuously compounded decimals
        (the Instruments sheet's option rate and dividend yield); ``div`` is ignored by Black-76.
    valuation_date : the date years to expiry count from (blank = the book's as-of date,
        else today).
    instruments : the catalogue an underlying that is not a position is looked up in
        (``None`` = the shipped one; a workbook passes its Instruments sheet).
    """

    rate: float = 0.0
    div: float = 0.0
    valuation_date: _dt.date | None = None
    instruments: Any = None


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
        Factors × positions (rows: ``equity``, ``duration``, ``usd``, ``commodity``,
        ``crypto``, ``vol``, then tilts, each keyed by
        :func:`~xlhedge.engine.schema.factor_key`: ``"Energy tilt"`` → ``"energy"``);
        blank = 0.
    nav : float
        NAV in the currency of record.
    record_currency : str
    as_of : datetime or None
        Date of the last decomposition (docs/methodology/checks.md ``STALE_HEDGE``).
    labels : mapping
        Factor key -> the row label as the book wrote it (``"energy"`` -> ``"Energy tilt"``);
        :meth:`factor_label` falls back to the standard label.
    greeks : DataFrame
        One row per option position (a position with an ``option_type``; index ticker,
        columns :data:`~xlhedge.engine.optionbook.GREEKS_COLUMNS`): its delta, vol and gamma
        exposure, premium and theta (docs/methodology/options.md). An option position's
        ``weight`` is its delta exposure and its betas come from its underlying
        (:func:`~xlhedge.engine.optionbook.resolve_options`); typed values are replaced.
    """

    positions: pd.DataFrame
    betas: pd.DataFrame
    nav: float
    record_currency: str = "USD"
    as_of: _dt.datetime | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    greeks: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(GREEKS_COLUMNS), index=pd.Index([], name="ticker"))
    )

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
        options: OptionInputs | None = None,
    ) -> Book:
        """One row per position: ``ticker`` (column or index), ``weight`` or ``notional``,
        attribute columns, and one column per factor beta.

        Option positions (an ``option_type`` column, docs/methodology/options.md) need
        ``underlying``, ``strike``, ``implied_vol``, ``contracts`` and ``expiry``; their weight
        and betas are computed (a blank weight is fine). ``options`` gives the rate, dividend
        yield, valuation date (default: ``as_of``, else today) and catalogue they use.

        Factor columns are the six core factor names present in the frame plus
        any listed in ``factors`` (tilts, by their column name). ``notional`` is converted
        with weight = notional / NAV (docs/methodology/factor-model.md).
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
        if "option_type" in df.columns and "weight" in df.columns:
            df["weight"] = [0.0 if is_option(o) else x for o, x in zip(df["option_type"], df["weight"])]
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
        attributes = {col: df[col].to_numpy() for col in ATTRIBUTE_COLUMNS if col in df.columns}
        return cls._build(tickers, w, b, names, attributes, nav_f, record_currency, as_of, options)

    @classmethod
    def from_rows(
        cls,
        grid: Any,
        labels: Sequence[str],
        attribute_rows: Mapping[str, int],
        weight_row: int,
        factor_rows: Sequence[int],
        nav: Any,
        record_currency: Any = "USD",
        *,
        place: Place,
        label_place: Callable[[int], str] | None = None,
        sheet: str = "Book",
        as_of: Any = None,
        options: OptionInputs | None = None,
    ) -> Book:
        """Rows laid out like the Book sheet: labels in column 0, then one column per position.

        ``attribute_rows`` maps field keys (:data:`~xlhedge.engine.schema.SHEET_FIELDS`) to
        their row in ``grid``; ``weight_row`` and ``factor_rows`` are the weight row and the
        beta rows. A position column counts when it has a ticker or a weight. ``place(i, j)``
        names row ``i`` of position column ``j`` in errors (the workbook doors pass the
        cell's address), ``label_place(i)`` the label cell of row ``i``; ``sheet`` names the
        range in errors about the whole range. ``options`` as in :meth:`from_frame`; an option
        column's weight and beta cells are replaced by the values computed from its Greeks.
        """
        g = coerce.grid(grid, sheet)
        rows = list(factor_rows)
        keys = [factor_key(labels[i]) for i in rows]
        for k, i in enumerate(rows):
            if keys[k] in keys[:k]:
                j = rows[keys.index(keys[k])]
                here = (lambda r: label_place(r)) if label_place else (lambda r: f"row {r + 1}")
                raise InputError(
                    f"{here(j)} ({labels[j]!r}) and {here(i)} ({labels[i]!r}) both name the factor "
                    f"{keys[k]!r}; rename one (each factor row needs its own name)",
                    where=sheet,
                )
        nav_f = coerce.scalar(nav, f"{sheet} NAV", minimum=0.0, strict_min=True)
        data = g[:, 1:]
        tick = data[attribute_rows["ticker"]]
        wrow = data[weight_row]
        used = [j for j in range(data.shape[1]) if not (coerce.is_blank(tick[j]) and coerce.is_blank(wrow[j]))]
        opt_row = attribute_rows.get("option_type")
        if opt_row is not None:  # computed from the Greeks: whatever the cells hold is replaced
            data = data.copy()
            for j in used:
                if is_option(data[opt_row, j]):
                    data[weight_row, j] = 0.0
                    data[list(factor_rows), j] = 0.0
        if not used:
            raise InputError("has no positions (no ticker or weight in any position column)", where=sheet)
        tickers = []
        for j in used:
            t = tick[j]
            if coerce.is_blank(t):
                raise InputError("a position with a weight needs a ticker", where=place(attribute_rows["ticker"], j))
            tickers.append(str(t).strip() if not isinstance(t, float) else f"{t:g}")
        sub = data[:, used]
        w = coerce.to_float(
            sub[weight_row : weight_row + 1],
            "weight",
            place=lambda i, j: f"at {place(weight_row, used[j])} ({tickers[j]})",
        )[0]
        if rows:
            b = coerce.to_float(
                sub[rows],
                "beta",
                place=lambda i, j: f"at {place(rows[i], used[j])} ({labels[rows[i]]}, {tickers[j]})",
            )
        else:
            b = np.zeros((0, len(used)))

        def at_row(i: int) -> Place:
            return lambda _i, j: f"at {place(i, used[j])} ({tickers[j]})"

        attributes: dict[str, Any] = {}
        for key, i in attribute_rows.items():
            if key == "ticker":
                continue
            f = FIELD[key]
            if f.kind == "num":
                attributes[key] = list(
                    coerce.to_float(
                        sub[i : i + 1],
                        f.label,
                        blank=np.nan,
                        place=at_row(i),
                    )[0]
                )
            else:  # text as read, dates stay dates
                attributes[key] = [None if coerce.is_blank(v) else v for v in sub[i]]
        # blank, or 0 from a formula pointing at an empty cell: the default
        no_rc = coerce.is_blank(record_currency) or (isinstance(record_currency, (int, float)) and not record_currency)
        rc = "USD" if no_rc else str(record_currency)
        at = as_of if isinstance(as_of, _dt.datetime) else None
        cell_of = {key: i for key, i in attribute_rows.items()}

        def opt_place(key: str, j: int) -> str:
            i = cell_of.get(key)
            return f"{place(i, used[j])} ({tickers[j]})" if i is not None else f"{FIELD[key].label} of {tickers[j]}"

        return cls._build(tickers, w, b, [labels[i] for i in rows], attributes, nav_f, rc, at, options, opt_place)

    @classmethod
    def _build(
        cls,
        tickers: list[str],
        weights: np.ndarray,
        betas: np.ndarray,
        factor_labels: list[str],
        attributes: Mapping[str, Any],
        nav: float,
        record_currency: str,
        as_of: _dt.datetime | None,
        options: OptionInputs | None = None,
        option_place: Callable[[str, int], str] | None = None,
    ) -> Book:
        keys = [factor_key(lab) for lab in factor_labels]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise InputError(f"has two rows for the factor {dup[0]!r}", where="betas")
        o = options or OptionInputs()
        val = o.valuation_date or (as_of.date() if isinstance(as_of, _dt.datetime) else None)
        ob = resolve_options(
            tickers,
            weights,
            betas,
            keys,
            attributes,
            nav,
            valuation_date=val,
            rate=o.rate,
            div=o.div,
            instruments=o.instruments,
            place=option_place,
        )
        weights, betas = ob.weights, ob.betas
        if len(ob.factors) > len(keys):
            factor_labels = [*factor_labels, "vol"]
        index = pd.Index(tickers, name="ticker")
        positions = pd.DataFrame({"weight": weights}, index=index)
        for key in ATTRIBUTE_COLUMNS:  # schema order
            if key in attributes:
                positions[key] = list(attributes[key])
        keys = [factor_key(lab) for lab in factor_labels]
        b = pd.DataFrame(betas, index=pd.Index(keys, name="factor"), columns=index)
        labels = {k: str(lab).strip() for k, lab in zip(keys, factor_labels)}
        return cls(positions, b, nav, record_currency.strip().upper(), as_of, labels, ob.greeks)

    def factor_label(self, key: str) -> str:
        """The row label of a factor as the book wrote it, else the standard label."""
        lab = self.labels.get(key)
        return lab if lab and key not in CORE_FACTORS else factor_label(key)

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
            out["top_contributor"] = [self.betas.columns[j] if g > 0 else "" for j, g in zip(idx.tolist(), gross)]
            out["top_contribution"] = top
            out["top_share"] = share
        return out

    def greeks_table(self) -> pd.DataFrame:
        """The Greeks table (docs/methodology/options.md): one row per option position and a
        ``Book`` total row; delta, vol and gamma exposure (× NAV), premium and theta per day
        (currency), theta per year (× NAV)."""
        cols = ["underlying", "option_type", "delta_exposure", "vol_exposure", "gamma_exposure"]
        cols += ["premium", "theta_day", "theta_year_nav"]
        t = self.greeks[cols].copy()
        total = t[cols[2:]].astype(float).sum()
        row: list[Any] = ["", "", *(float(x) for x in total)]
        t.loc["Book"] = pd.Series(row, index=cols)
        return t

    def joint_scenarios(
        self,
        scenarios: pd.DataFrame | None = None,
        hedges: Any = None,
        *,
        instruments: Any = None,
        rate: float = 0.0,
        div: float = 0.0,
    ) -> pd.DataFrame:
        """Joint SPX / VIX scenarios (docs/methodology/scenarios.md): every position but the options
        through its exposures, the options by full revaluation with their delta-only estimate and
        the convexity beside it, unhedged (the book as it stands) vs hedged (with ``hedges``, the
        recommended hedges: :func:`~xlhedge.engine.sizing.recommend_hedges`' table, e.g.
        ``xlhedge.calc.hedges.hedge_plan(book)["factors"]``; its options priced with ``rate`` and
        ``div`` from ``instruments``). Default scenarios normal −5% / +3 points and stress −20% /
        +25 points; :func:`~xlhedge.engine.optionbook.joint_scenarios` has the columns."""
        linear = [t for t in self.betas.columns if t not in self.greeks.index]
        c = self.contributions()[linear].sum(axis=1)
        return joint_scenarios(
            self.greeks,
            float(c.get("equity", 0.0)),
            float(c.get("vol", 0.0)),
            self.nav,
            scenarios,
            hedges,
            instruments=instruments,
            rate=rate,
            div=div,
        )

    def theta_budget(self, rate: float | None = None, regime: str = "normal") -> pd.DataFrame:
        """Annualised theta of the options held against their budget buckets (long puts: tail,
        VIX calls: long vol; :func:`~xlhedge.engine.optionbook.theta_budget`), the budget being
        :func:`~xlhedge.engine.budget.hedge_budget` at ``rate`` (default 3% of NAV) in ``regime``."""
        from xlhedge.engine.budget import BUDGET_RATE, hedge_budget

        b = hedge_budget(self.nav, BUDGET_RATE if rate is None else rate, regime)["amount"]
        return theta_budget(self.greeks, b, self.nav)

    def _row_exposure(self, factor: str) -> float:
        """Σ weight × beta of one factor row; 0 when the book has no such row."""
        if factor not in self.betas.index:
            return 0.0
        return float(self.betas.loc[factor].to_numpy() @ self.weights.to_numpy())

    def dv01(self) -> float:
        """Book DV01 in currency per +1bp (docs/methodology/factor-model.md); 0 when the book has no duration row."""
        return float(dv01(self._row_exposure("duration"), self.nav))

    def vol_per_point(self) -> float:
        """Book vol P&L in currency per +1 vol point (docs/methodology/factor-model.md): E_vol · NAV · 0.01;
        0 when the book has no vol row."""
        return float(vol_per_point(self._row_exposure("vol"), self.nav))

    def trades_view(self) -> pd.DataFrame:
        """One row per position: side, weight, notional and attributes (the source article's trades view)."""
        t = self.positions.copy()
        # An option's side is what is held (long or short contracts), not the sign of its delta
        # exposure (its weight): long puts are long protection with a negative weight.
        held = t["weight"].astype(float).to_numpy()
        if "contracts" in t.columns and not self.greeks.empty:
            n = pd.to_numeric(t["contracts"], errors="coerce").to_numpy(dtype=float)
            is_opt = t.index.isin(self.greeks.index) & np.isfinite(n)
            held = np.where(is_opt, n, held)
        t.insert(0, "side", np.where(held < 0, "short", "long"))
        t.insert(2, "notional", t["weight"] * self.nav)
        return t
