"""Shared test helpers: tools that CI must have, small workbook builders."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """Path of an external program; skip when missing locally, fail under CI=true."""
    path = shutil.which(name)
    if path is None:
        msg = f"{name} is not installed (CI installs it in .ci/run)"
        if ON_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return path


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture
def example_book(tmp_path: Path) -> Path:
    """A copy of the shipped Figure 01 book (the tests pin its hand-worked numbers)."""
    from xlhedge.template import template_path

    p = tmp_path / "example.xlsx"
    shutil.copyfile(template_path("figure01"), p)
    return p
