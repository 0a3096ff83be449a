"""Rebuild the shipped files: ``python -m xlhedge.template [FOLDER]`` (default: the repo's templates/)."""

from __future__ import annotations

import sys
from pathlib import Path

from xlhedge.template import EXAMPLE_FILE, FIGURE01_FILE, TEMPLATE_FILE, build_workbook

folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "templates"
build_workbook(folder / TEMPLATE_FILE)
build_workbook(folder / EXAMPLE_FILE, example=True)
build_workbook(folder / FIGURE01_FILE, example="figure01")
print(f"wrote {folder / TEMPLATE_FILE}, {folder / EXAMPLE_FILE} and {folder / FIGURE01_FILE}")
