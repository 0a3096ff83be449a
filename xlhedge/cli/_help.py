"""How ``--help`` names values: click's conventions instead of typer's type labels.

typer (0.2x) prints every option's Python type beside it (``--force <bool>``, ``--ratio
<list[str]>``) and wraps a required argument in braces on the usage line (``{book}``). xlhedge's
help shows what a user types instead: a flag shows nothing, a value its metavar when the option
sets one, else the value's kind in capitals (``PATH``, ``FLOAT``, ``TEXT``), and arguments read
``BOOK`` (required) or ``[OUT]`` (optional) as in click; a docstring's paragraphs are reflowed
to the terminal's width instead of breaking where the source line ended. :func:`install` applies this to typer's
parameter classes once; tests/test_cli_help.py checks every command's help screen.
"""

from __future__ import annotations

from typing import Any

from typer import core as _core
from typer import rich_utils as _rich_utils

__all__ = ["install", "value_name"]

_KINDS = {
    "str": "TEXT",
    "int": "INTEGER",
    "float": "FLOAT",
    "bool": "BOOLEAN",
    "path": "PATH",
    "file": "PATH",
    "directory": "DIR",
    "datetime": "DATE",
    "int range": "INTEGER",
    "float range": "FLOAT",
}


def value_name(label: str | None) -> str | None:
    """typer's ``<list[str]>`` / ``<int range>`` / ``<path>`` as ``TEXT`` / ``INTEGER`` / ``PATH``."""
    if not label:
        return label
    inner = label.strip("<>")
    if inner.startswith("list[") and inner.endswith("]"):
        inner = inner[5:-1]
    return _KINDS.get(inner, inner.upper())


def _option_type(self: Any, ctx: Any) -> str | None:
    if self.metavar is not None:
        return str(self.metavar)
    if self.is_flag or self.count:
        return None
    return value_name(self.display_type(ctx))


def _argument_type(self: Any, ctx: Any) -> str | None:
    return None  # the argument's name (BOOK, OUT) says it; its help text says the rest


def _usage_name(self: Any) -> str:
    name = str(self.metavar or self.name).upper()
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def _rich_name(self: Any) -> str:
    return str(self.metavar or self.name).upper() + ("..." if self.nargs != 1 else "")


def _raw_name(self: Any) -> str:
    return str(self.metavar or self.name).upper()


def _reflow(paragraphs: list[str], markup_mode: Any) -> str:
    """A docstring's later paragraphs, each joined into one line (the terminal wraps it), not broken
    wherever the source line ended; a paragraph starting with ``\\b`` keeps its lines (click's rule)."""
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def install() -> None:
    """Patch typer's option and argument classes (idempotent)."""
    _core.TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
    _core.TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]
    _core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
    _core.TyperArgument._rich_display_name = _rich_name  # type: ignore[method-assign]
    _core.TyperArgument.display_name_raw = property(_raw_name)  # type: ignore[assignment,method-assign]
    _rich_utils._fix_linebreaks = _reflow
