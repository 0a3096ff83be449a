"""A griffe extension for the API reference: the few reST habits of xlhedge's docstrings, as Markdown.

The docstrings are numpydoc, read by griffe for mkdocstrings. They also use a
handful of reST constructs that Markdown would print raw, so this extension
rewrites each docstring's text before it is parsed (the source is untouched):

* roles (``:func:`~xlhedge.engine.sizing.hedge_notional```, ``:data:`X```...)
  become inline code (the last name when the target starts with ``~``);
* a paragraph ending in ``::`` ends in ``:`` (the indented block after it is
  already a Markdown code block);
* ``.. warning::`` / ``.. note::`` become admonitions;
* simple reST tables (``=====  =====`` rules) become Markdown tables;
* in a Parameters section, ``name : text`` whose text is a description (it has
  an em dash, or it is a sentence) is split so the text lands in the
  description column; a paragraph after the parameters goes to a Notes section.

Loaded by ``mkdocs.yml`` (``extensions: [docs/_ext/griffe_rst.py:RstToMarkdown]``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|data|meth|attr|exc|obj|const):`(~?)([^`]+)`")
_RULE = re.compile(r"^\s*=+(\s+=+)+\s*$")
_DIRECTIVE = re.compile(r"^(\s*)\.\. (warning|note|important|tip)::\s*(.*)$")
_SECTION = re.compile(r"^\s*-{3,}\s*$")
_PARAM = re.compile(r"^(\s*)([A-Za-z_*][\w*]*(?:\s*,\s*[A-Za-z_*][\w*]*)*)\s+:\s+(.+)$")


def _role(m: re.Match[str]) -> str:
    tilde, target = m.group(1), m.group(2)
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def _table(lines: list[str]) -> list[str]:
    """A simple reST table (rule, header, rule, rows, rule) as a Markdown table."""
    rule = lines[0]
    spans = [(m.start(), m.end()) for m in re.finditer(r"=+", rule)]
    rules = [i for i, x in enumerate(lines) if _RULE.match(x)]
    if len(rules) != 3:
        return ["```text", *lines, "```"]

    def cells(line: str) -> list[str]:
        out = []
        for k, (a, _) in enumerate(spans):
            b = spans[k + 1][0] if k + 1 < len(spans) else len(line)
            out.append(line[a:b].strip())
        return out

    header = cells(lines[rules[0] + 1])
    rows: list[list[str]] = []
    for line in lines[rules[1] + 1 : rules[2]]:
        if not line.strip():
            continue
        c = cells(line)
        if c[0] or not rows:
            rows.append(c)
        else:
            rows[-1] = [f"{x} {y}".strip() for x, y in zip(rows[-1], c)]
    md = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return md


def _sentence(text: str) -> bool:
    return len(text.split()) > 3 or text.rstrip().endswith(".")


def convert(text: str) -> str:
    """The docstring ``text`` with its reST habits rewritten as Markdown."""
    text = _ROLE.sub(_role, text)
    lines = text.split("\n")
    out: list[str] = []
    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _SECTION.match(nxt) and line.strip():
            section = line.strip().lower()
            out += [line, nxt]
            i += 2
            continue
        if _RULE.match(line):
            j = i + 1
            seen = 1
            while j < len(lines) and seen < 3:
                if _RULE.match(lines[j]):
                    seen += 1
                j += 1
            out += _table(lines[i:j])
            i = j
            continue
        m = _DIRECTIVE.match(line)
        if m:
            indent, kind, rest = m.groups()
            out.append(f"{indent}!!! {kind}")
            body = [rest] if rest else []
            i += 1
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > len(indent)):
                body.append(lines[i].strip())
                i += 1
            while body and not body[-1]:
                body.pop()
            out += [f"{indent}    {b}" if b else "" for b in body]
            out.append("")
            continue
        if section == "parameters":
            pm = _PARAM.match(line)
            indented_next = nxt.strip() and len(nxt) - len(nxt.lstrip()) > len(line) - len(line.lstrip())
            if pm and not indented_next:
                indent, name, rest = pm.groups()
                if " — " in rest:
                    typ, desc = rest.split(" — ", 1)
                    out += [f"{indent}{name} : {typ.strip()}", f"{indent}    {desc.strip()}"]
                    i += 1
                    continue
                if _sentence(rest):
                    out += [f"{indent}{name}", f"{indent}    {rest.strip()}"]
                    i += 1
                    continue
            if (
                line.strip()
                and not pm
                and not indented_next
                and out
                and not out[-1].strip()
                and not line.startswith(" ")
            ):
                out += ["Notes", "-----"]
                section = "notes"
        elif section == "returns" and " — " in line and not line.startswith(" "):
            typ, desc = line.split(" — ", 1)
            out += [typ.strip(), f"    {desc.strip()}"]
            i += 1
            continue
        if line.rstrip().endswith("::") and not line.strip().startswith(".."):
            line = line.rstrip()[:-1]
        out.append(line)
        i += 1
    return "\n".join(out)


class RstToMarkdown(griffe.Extension):
    """Rewrite every docstring griffe loads (see the module docstring)."""

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)
