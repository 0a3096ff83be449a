"""The worksheet-function catalogue as Markdown, generated from the registry.

``python -m xlhedge.excel.catalogue`` prints it (the README pastes
its output), so the documented names, argument orders and argument help are
the ones Excel's function wizard shows.
"""

from __future__ import annotations

from xlhedge.functions.registry import WorksheetFunction, registry

__all__ = ["signature", "markdown"]


def _arg(wf: WorksheetFunction, name: str) -> str:
    from xlhedge.udfs import excel_arg_name  # the name Excel shows (a VBA-reserved word gets a "_")

    return excel_arg_name(name, wf.name)


def signature(wf: WorksheetFunction) -> str:
    """``NAME(a, b, [c])`` — optional arguments in brackets, as Excel writes them."""
    args = ", ".join(f"[{_arg(wf, a.name)}]" if a.optional else _arg(wf, a.name) for a in wf.args)
    return f"{wf.name}({args})"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown(functions: dict[str, WorksheetFunction] | None = None) -> str:
    """One summary table of every function, then one argument table per function."""
    functions = registry() if functions is None else functions
    lines = ["| Function | What it returns |", "|---|---|"]
    for wf in functions.values():
        lines.append(f"| `={signature(wf)}` | {_cell(wf.description)} |")
    for wf in functions.values():
        lines += [
            "",
            f"**`{signature(wf)}`** — {_cell(wf.description)}",
            "",
            "| Argument | Meaning (unit, sign) |",
            "|---|---|",
        ]
        for a in wf.args:
            name = f"`{_arg(wf, a.name)}`" + (" (optional)" if a.optional else "")
            lines.append(f"| {name} | {_cell(a.doc)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
