"""Reading a Book from Book-sheet rows: factor keys, labels, collisions, defaults."""

from __future__ import annotations

import pytest

from xlhedge.calc.bookread import book_from_grid
from xlhedge.engine.errors import InputError
from xlhedge.engine.schema import factor_key


def _grid(*factor_rows: list) -> list[list]:
    return [
        ["Ticker", "A", "B"],
        ["Weight", 0.5, -0.25],
        ["Equity beta (SPX)", 1.0, 2.0],
        *factor_rows,
    ]


@pytest.mark.parametrize(
    "label, key",
    [
        ("Equity beta (SPX)", "equity"),
        ("Rate duration (years)", "duration"),
        ("Vol (per VIX point)", "vol"),
        ("vol per VIX point", "vol"),
        ("SPX", "equity"),
        ("Energy tilt", "energy"),
        ("energy", "energy"),
        ("Value (US)", "value_us"),
        ("Equity momentum", "equity_momentum"),
        ("-", "-"),
    ],
)
def test_factor_key(label, key):
    assert factor_key(label) == key


def test_tilts_with_qualifiers_are_separate_factors_and_keep_their_labels():
    book = book_from_grid(_grid(["Value (US)", 1.0, 0.0], ["Value (EU)", 0.0, 2.0]), nav=1e6)
    assert list(book.betas.index) == ["equity", "value_us", "value_eu"]
    assert [book.factor_label(k) for k in book.betas.index] == ["Equity beta (SPX)", "Value (US)", "Value (EU)"]
    e = book.exposures()["exposure"]
    assert e["value_us"] == pytest.approx(0.5) and e["value_eu"] == pytest.approx(-0.5)  # by hand: w · β


def test_two_rows_for_one_factor_name_both_label_cells():
    with pytest.raises(InputError) as err:
        book_from_grid(_grid(["Industrials", 1.0, 0.0], ["Industrials tilt", 0.0, 1.0]), nav=1e6, first_row=7)
    msg = str(err.value)
    assert "Book!A10 ('Industrials') and Book!A11 ('Industrials tilt')" in msg
    assert "'industrials'" in msg and "rename one" in msg


@pytest.mark.parametrize("rc, expected", [(None, "USD"), (0, "USD"), (0.0, "USD"), ("chf", "CHF")])
def test_record_currency_blank_or_zero_is_usd(rc, expected):
    assert book_from_grid(_grid(), nav=1e6, record_currency=rc).record_currency == expected
