"""The instrument catalogue: docs/methodology/sizing.md contracts present, published sizes, clear lookup errors."""

from __future__ import annotations

import pytest

from xlhedge.engine import instruments as I
from xlhedge.engine.errors import InputError
from xlhedge.functions.registry import registry

CATALOGUE_TICKERS = [
    "ES",
    "MES",
    "SPY",
    "SH",
    "SPX_PUT",
    "SPY_PUT",
    "XLE",
    "XLK",
    "XLF",
    "XLY",
    "TLT",
    "IEF",
    "SHY",
    "ZN",
    "ZB",
    "UUP",
    "6E",
    "6S",
    "6J",
    "6B",
    "6C",
    "6A",
    "CL",
    "MCL",
    "GC",
    "HG",
    "BTC",
    "MBT",
    "BTCUSDT",
    "BTCUSD",
    "ETHUSDT",
    "ETHUSD",
]


def test_every_spec_contract_is_shipped():
    table = I.instrument_table()
    assert set(CATALOGUE_TICKERS) <= set(table.index)
    assert set(table["kind"]) <= set(I.KINDS)
    assert {"perp_linear", "perp_inverse", "option", "inverse_etf", "etf", "future"} == set(table["kind"])


@pytest.mark.parametrize(
    "ticker, multiplier",
    [
        ("ES", 50),
        ("MES", 5),
        ("SPX_PUT", 100),
        ("SPY_PUT", 100),
        ("CL", 1000),
        ("MCL", 100),
        ("GC", 100),
        ("HG", 25_000),
        ("6E", 125_000),
        ("6S", 125_000),
        ("6J", 12_500_000),
        ("6B", 62_500),
        ("6C", 100_000),
        ("6A", 100_000),
        ("BTC", 5),
        ("MBT", 0.1),
    ],
)
def test_published_contract_sizes(ticker, multiplier):
    assert I.lookup(ticker).multiplier == multiplier


def test_rates_and_inverse_fields():
    assert I.lookup("TLT").duration == 17.0
    assert I.lookup("IEF").duration == 7.5
    assert I.lookup("SHY").duration == 1.9
    assert I.lookup("ZN").face == 100_000 and I.lookup("ZB").face == 100_000
    assert I.lookup("BTCUSD").face == 100 and I.lookup("BTCUSD").kind == "perp_inverse"
    assert I.lookup("SH").beta == -1.0
    assert I.lookup("ES").micro == "MES" and I.lookup("CL").micro == "MCL"
    # unit value: price × multiplier, the face for an inverse perp
    assert I.unit_value(I.lookup("ES")) == 6000 * 50
    assert I.unit_value(I.lookup("BTCUSD")) == 100


def test_prices_are_labelled_illustrative():
    assert "llustrative" in I.ILLUSTRATIVE_NOTE
    assert "llustrative" in I.__doc__


def test_lookup_case_insensitive_and_error_lists_tickers():
    assert I.lookup(" es ").ticker == "ES"
    with pytest.raises(InputError) as exc:
        I.lookup("NQ")
    assert "valid tickers" in str(exc.value) and "MES" in str(exc.value)


def test_catalogue_round_trips_through_a_dataframe():
    table = I.instrument_table()
    cat = I.catalogue(table)
    assert cat["ZN"] == I.lookup("ZN")
    assert cat["SPX_PUT"].strike == 5700


def test_bad_rows_are_reported():
    table = I.instrument_table()
    bad = table.copy()
    bad.loc["ES", "kind"] = "swap"
    with pytest.raises(InputError, match="future, etf, inverse_etf, option, perp_linear, perp_inverse"):
        I.catalogue(bad)
    bad = table.copy()
    bad.loc["SPY", "price"] = -1.0
    with pytest.raises(InputError, match="price must be > 0"):
        I.catalogue(bad)


def test_currency_futures_and_price_refresh():
    assert I.currency_future("eur").ticker == "6E"
    assert I.currency_future("SEK") is None
    cat = I.with_prices({"ES": 5000})
    assert cat["ES"].price == 5000 and I.lookup("ES").price == 6000  # defaults untouched


def test_instrument_worksheet_function():
    f = registry()["INSTRUMENT"]
    assert f.call("mes", "multiplier") == 5.0
    assert f.call("ES") == 6000.0
    assert f.call("NQ").startswith("#VALUE! INSTRUMENT:") and "ES, MES" in f.call("NQ")
    assert "expected one of name, factor" in f.call("ES", "colour")


def test_from_grid_needs_no_name_column_and_reports_bad_expiry():
    head = ["Ticker", "Factor", "Kind", "Price", "Multiplier", "Expiry"]
    cat = I.from_grid([head, ["X", "equity", "future", 10, 2, 46374]])
    assert cat["X"].name == "X" and str(cat["X"].expiry) == "2026-12-18"
    with pytest.raises(InputError, match=r"row 2 \(expiry\): expected a date"):
        I.from_grid([head, ["X", "equity", "future", 10, 2, 1e12]])
    with pytest.raises(InputError, match="needs a header row with the columns Price"):
        I.from_grid([head[:3], ["X", "equity", "future"]])
