"""What the sheet builders share while the template is built."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from xlhedge.calc.layout import BookLayout

__all__ = ["TemplateContext"]


@dataclass
class TemplateContext:
    """What sheet builders share: the layout, the example data (if any), name registration."""

    wb: Workbook
    layout: BookLayout
    example: bool
    positions: tuple[dict, ...] = ()
    nav: float | None = None
    currency: str = "USD"
    as_of: _dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def define(self, name: str, ref: str) -> None:
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
