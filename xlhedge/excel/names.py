"""The argument names Excel shows for the worksheet functions.

xlwings declares the VBA wrapper of each function with the Python argument
names, so a name that VBA reserves (``currency``, ``exit``...) would stop the
whole VBA module of wrappers from compiling. :func:`excel_arg_name` gives such
an argument a trailing ``_`` in Excel; the value is passed by position, so only
the label changes.

Used by :mod:`xlhedge.udfs` (what Excel registers) and by
:mod:`xlhedge.excel.catalogue` (what the docs print), so both show the same
names. This module imports nothing else: the catalogue can be generated on a
machine without xlwings.
"""

from __future__ import annotations

__all__ = ["VBA_RESERVED", "excel_arg_name"]

#: Words VBA reserves (and names the generated VBA wrapper uses itself): an argument
#: with one of these names would stop the whole VBA module of wrappers from compiling.
VBA_RESERVED = frozenset(
    w.lower()
    for w in """And As Boolean ByRef Byte ByVal Call Case Class Const Currency Date Declare Dim Do
    Double Each Else ElseIf Empty End Enum Eqv Erase Error Event Exit False For Friend Function Get
    Global GoSub GoTo If Imp Implements In Integer Is Let Like Long LongLong LongPtr Loop LSet Me Mod
    New Next Not Nothing Null On Option Optional Or ParamArray Preserve Private Property Public
    RaiseEvent ReDim Rem Resume Return RSet Select Set Single Static Step Stop String Sub Then To True
    Type TypeOf Until Variant Wend While With WithEvents Xor
    Array Application ThisWorkbook ActiveWorkbook XLPy Err failed caller""".split()
)


def excel_arg_name(name: str, function: str = "") -> str:
    """The argument name Excel shows: the Python name, made a legal VBA identifier.

    ``currency`` -> ``currency_``, ``exit`` -> ``exit_``; the value is passed
    by position, so only the label changes.
    """
    out = name.lstrip("_") or "arg"
    if not out[0].isalpha():
        out = "a" + out
    if out.lower() in VBA_RESERVED or out.lower() == function.lower():
        out += "_"
    return out[:255]
