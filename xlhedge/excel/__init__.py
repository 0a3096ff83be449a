"""The Excel door: "Refresh book" on the open workbook, the add-in and the function catalogue.

The worksheet functions themselves are :mod:`xlhedge.udfs` (the module name users put in
xlwings' *UDF Modules* setting). Importing this package does not import xlwings: desktop
xlwings is the optional ``xlhedge[excel]`` extra (:func:`require_xlwings`), and the
xlwings Lite door (:mod:`xlhedge.excel.lite`) runs on the xlwings that Lite provides.
"""

from __future__ import annotations

import types

from xlhedge.engine.errors import XlhedgeError

__all__ = ["XLWINGS_MISSING", "require_xlwings"]

#: What a user without desktop xlwings is told (the CLI prints it as its one line).
XLWINGS_MISSING = (
    "the Excel add-in and the xlwings worksheet functions need xlwings: "
    "pip install 'xlhedge[excel]' (Excel on Windows or macOS); "
    "Excel on the web and on Mac can use xlwings Lite instead (`xlhedge lite build`, docs/lite.md)"
)


def require_xlwings() -> types.ModuleType:
    """The installed ``xlwings`` module, or an :class:`XlhedgeError` saying how to install it."""
    try:
        import xlwings
    except ImportError as exc:
        raise XlhedgeError(XLWINGS_MISSING) from exc
    return xlwings
