"""Formula text -> a small expression tree.

Tokenising is openpyxl's :class:`~openpyxl.formula.tokenizer.Tokenizer` (a
well-kept port of the Excel formula grammar); this module builds the tree with
Excel's operator precedence and normalises function names, so that the forms
Excel stores for add-in functions — ``[1]!FACTOR_EXPOSURE(``,
``'C:\\...\\xlhedge.xlam'!FACTOR_EXPOSURE(``, ``_xludf.FACTOR_EXPOSURE(`` —
all read as ``FACTOR_EXPOSURE``.

Nodes are tuples: ``("num", x)``, ``("str", s)``, ``("bool", b)``,
``("err", code)``, ``("ref", text)``, ``("missing",)``, ``("array", rows)``,
``("call", NAME, args)``, ``("neg", x)``, ``("pct", x)``, ``("bin", op, a, b)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token, TokenizerError
from openpyxl.formula.translate import Translator, TranslatorError

from xlhedge.engine.errors import FormulaError

__all__ = ["parse", "function_name", "function_calls", "refs_in", "calls_in", "translate"]

Node = tuple[Any, ...]

_PREFIX = re.compile(r"^(?:'[^']*(?:''[^']*)*'!|\[\d+\]!|[^!(]*\.xla[m]?!|_xlfn\.|_xludf\.|_xlws\.)+", re.IGNORECASE)

_INFIX_PRECEDENCE = {
    "=": 1,
    "<>": 1,
    "<": 1,
    ">": 1,
    "<=": 1,
    ">=": 1,
    "&": 2,
    "+": 3,
    "-": 3,
    "*": 4,
    "/": 4,
    "^": 5,
}
# Excel: a prefix - or + binds tighter than every infix operator, ^ included (-2^2 = 4);
# % (postfix) tighter still (-50%^2 = 0.25).
_PREFIX_PRECEDENCE = max(_INFIX_PRECEDENCE.values()) + 1


def function_name(token_value: str) -> str:
    """``"[1]!factor_exposure("`` -> ``"FACTOR_EXPOSURE"``."""
    name = token_value[:-1] if token_value.endswith("(") else token_value
    # Strip nested prefixes such as _xlfn._xlws.SORT or 'path'!_xludf.NAME.
    prev = None
    while prev != name:
        prev = name
        name = _PREFIX.sub("", name)
    return name.upper()


@lru_cache(maxsize=4096)
def function_calls(text: str) -> frozenset[str]:
    """Names of the functions a formula calls, from its tokens alone (no parse, no name lookup).

    Only function-call tokens count (a name followed by ``(``, outside string
    literals); a sheet name, a defined name or a string that merely spells a
    function (``FLOOR(beta,1,2)``, ``"BETA"``, ``'BETA'!A1``) is not a call.
    What decides whether a formula is an xlhedge formula, even one xlhedge
    cannot parse; a formula the tokenizer cannot read calls nothing.
    """
    try:
        tokens = Tokenizer("=" + text if not text.startswith("=") else text).items
    except (TokenizerError, IndexError, ValueError):
        return frozenset()
    return frozenset(function_name(t.value) for t in tokens if t.type == Token.FUNC and t.subtype == Token.OPEN)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        try:
            tokens = Tokenizer("=" + text if not text.startswith("=") else text).items
        except TokenizerError as exc:
            raise FormulaError(f"cannot read the formula ={text} ({exc})") from None
        self.tokens = [t for t in tokens if t.type != Token.WSPACE]
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self) -> Token:
        t = self.peek()
        if t is None:
            raise FormulaError(f"the formula ={self.text} ends too early")
        self.i += 1
        return t

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaError("the formula is empty")
        node = self.expr(0)
        rest = self.peek()
        if rest is not None:
            raise FormulaError(f"cannot read the formula ={self.text} near {rest.value!r}")
        return node

    def expr(self, min_prec: int) -> Node:
        left = self.unary()
        while True:
            t = self.peek()
            if t is None or t.type != Token.OP_IN or t.value not in _INFIX_PRECEDENCE:
                if t is not None and t.type == Token.OP_IN:
                    raise FormulaError(f"the operator {t.value!r} in ={self.text} is not supported")
                return left
            prec = _INFIX_PRECEDENCE[t.value]
            if prec < min_prec:
                return left
            self.next()
            # ^ is left-associative in Excel too (2^3^2 = 64)
            right = self.expr(prec + 1)
            left = ("bin", t.value, left, right)

    def unary(self) -> Node:
        t = self.peek()
        if t is not None and t.type == Token.OP_PRE:
            self.next()
            # The operand binds tighter than any infix operator: -2^2 = (-2)^2 = 4, 2*-3^2 = 18.
            operand = self.expr(_PREFIX_PRECEDENCE)
            return ("neg", operand) if t.value == "-" else operand
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while (t := self.peek()) is not None and t.type == Token.OP_POST:
            self.next()
            node = ("pct", node)
        return node

    def primary(self) -> Node:
        t = self.next()
        if t.type == Token.OPERAND:
            return _operand(t)
        if t.type == Token.FUNC and t.subtype == Token.OPEN:
            name = function_name(t.value)
            args: list[Node] = []
            nxt = self.peek()
            if nxt is not None and nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE:
                self.next()
                return ("call", name, args)
            while True:
                p = self.peek()
                if p is not None and (
                    p.type == Token.SEP and p.subtype == Token.ARG or p.type == Token.FUNC and p.subtype == Token.CLOSE
                ):
                    args.append(("missing",))
                else:
                    args.append(self.expr(0))
                sep = self.next()
                if sep.type == Token.FUNC and sep.subtype == Token.CLOSE:
                    return ("call", name, args)
                if not (sep.type == Token.SEP and sep.subtype == Token.ARG):
                    raise FormulaError(f"cannot read the formula ={self.text} near {sep.value!r}")
        if t.type == Token.PAREN and t.subtype == Token.OPEN:
            node = self.expr(0)
            close = self.next()
            if close.type != Token.PAREN:
                raise FormulaError(f"unbalanced brackets in ={self.text}")
            return node
        if t.type == Token.ARRAY and t.subtype == Token.OPEN:
            rows: list[list[Node]] = [[]]
            while True:
                p = self.next()
                if p.type == Token.ARRAY and p.subtype == Token.CLOSE:
                    return ("array", rows)
                if p.type == Token.SEP:
                    if p.subtype == Token.ROW:
                        rows.append([])
                    continue
                if p.type == Token.OP_PRE and p.value == "-":
                    q = self.next()
                    rows[-1].append(("num", -float(q.value)))
                    continue
                rows[-1].append(_operand(p))
        raise FormulaError(f"cannot read the formula ={self.text} near {t.value!r}")


def _operand(t: Token) -> Node:
    if t.subtype == Token.NUMBER:
        return ("num", float(t.value))
    if t.subtype == Token.TEXT:
        return ("str", t.value[1:-1].replace('""', '"'))
    if t.subtype == Token.LOGICAL:
        return ("bool", t.value.upper() == "TRUE")
    if t.subtype == Token.ERROR:
        return ("err", t.value.upper())
    return ("ref", t.value)


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """Parse formula text (with or without the leading ``=``) into a tree."""
    return _Parser(text).parse()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, the root first (depth first)."""
    yield node
    if node[0] == "call":
        for a in node[2]:
            yield from walk(a)
    elif node[0] == "bin":
        yield from walk(node[2])
        yield from walk(node[3])
    elif node[0] in ("neg", "pct"):
        yield from walk(node[1])
    elif node[0] == "array":
        for row in node[1]:
            for x in row:
                yield from walk(x)


def refs_in(node: Node) -> list[str]:
    """Every reference or name used by a formula tree."""
    return [n[1] for n in walk(node) if n[0] == "ref"]


def calls_in(node: Node) -> set[str]:
    """Every function name called by a formula tree."""
    return {n[1] for n in walk(node) if n[0] == "call"}


def translate(formula: str, origin: str, dest: str) -> str:
    """Shift a shared formula's relative references from ``origin`` to ``dest`` (A1 cells)."""
    try:
        out = Translator("=" + formula, origin=origin).translate_formula(dest)
    except TranslatorError as exc:
        raise FormulaError(f"cannot expand the shared formula ={formula} to {dest} ({exc})") from None
    return out[1:]
