"""Real market history shipped inside installed PyPI packages (test-only extras).

Nothing is downloaded and nothing is copied into the repository: the files are
read from the installed ``arch`` and ``skfolio`` packages, through xlhedge's
own CSV importer (so the importer is exercised on real downloads too):

* ``arch``: ``data/sp500/sp500.csv.gz`` (Yahoo shape, S&P 500 1999–2018),
  ``data/vix/vix.csv.gz`` (VIX closes 2014–2019, blanks on holidays),
  ``data/wti/wti.csv.gz`` (FRED ``DCOILWTICO`` 1986–2019, "." for missing);
* ``skfolio``: ``datasets/data/sp500_dataset.csv.gz`` (wide: 20 S&P 500
  constituents incl. XOM and CVX, 1990–2022) and ``sp500_index.csv.gz``.

A package that is not installed skips the test locally and fails it under
CI=true (CI installs the test extras).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import pytest

from xlhedge.engine.prices import PriceTable
from xlhedge.workbook.prices_csv import read_prices, read_prices_csv

from .conftest import ON_CI


def package_dir(name: str) -> Path:
    """Folder of an installed package, found without importing it (skfolio imports are slow)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        msg = f"{name} is not installed (pip install -e '.[test]')"
        if ON_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return Path(list(spec.submodule_search_locations)[0])


def arch_file(name: str) -> Path:
    return package_dir("arch") / "data" / name / f"{name}.csv.gz"


def skfolio_file(name: str) -> Path:
    return package_dir("skfolio") / "datasets" / "data" / f"{name}.csv.gz"


@functools.cache
def _vix() -> PriceTable:
    return read_prices_csv(arch_file("vix"))


def vix() -> PriceTable:
    arch_file("vix")
    return _vix()


@functools.cache
def _stocks_index_wti() -> PriceTable:
    return read_prices([skfolio_file("sp500_dataset"), skfolio_file("sp500_index"), arch_file("wti")])


def stocks_index_wti() -> PriceTable:
    """skfolio's 20 stocks + SP500 index + arch's FRED WTI, joined on dates (mismatched calendars)."""
    skfolio_file("sp500_index")
    arch_file("wti")
    return _stocks_index_wti()
