"""Tiny integer expressions that evaluate *and* print themselves.

Every figure lenetcalc reports is built as an `Expr`, so the number in a table and the
arithmetic shown by `explain` come from the same code and cannot drift apart.
Values are Python ints: exact at any size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeGuard

Formatter = Callable[[int], str]

# Binding strength of each operator, for deciding where parentheses are needed.
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2}
_GLYPH = {"+": " + ", "-": " − ", "*": "·"}
_ASSOCIATIVE = ("+", "*")


class Expr:
    """An integer-valued arithmetic expression."""

    def value(self) -> int:
        """The exact integer this expression evaluates to."""
        raise NotImplementedError

    def render(self, symbolic: bool = False, fmt: Formatter = str) -> str:
        """The expression as text: with numbers, or with symbols where it has them."""
        raise NotImplementedError

    def named(self) -> Iterator[Named]:
        """Every `Named` sub-expression, outermost first."""
        return iter(())

    def partial(self, fmt: Formatter = str) -> str | None:
        """The top-level sum or product with each operand evaluated ("456 + 909 + 151").

        None when that would add nothing (every operand is already a plain number).
        """
        return None

    def __add__(self, other: Expr | int) -> Expr:
        return Op("+", (self, lift(other)))

    def __radd__(self, other: int) -> Expr:
        return Op("+", (lift(other), self))

    def __sub__(self, other: Expr | int) -> Expr:
        return Op("-", (self, lift(other)))

    def __rsub__(self, other: int) -> Expr:
        return Op("-", (lift(other), self))

    def __mul__(self, other: Expr | int) -> Expr:
        return Op("*", (self, lift(other)))

    def __rmul__(self, other: int) -> Expr:
        return Op("*", (lift(other), self))

    def __floordiv__(self, other: Expr | int) -> Expr:
        return Op("//", (self, lift(other)))


def lift(x: Expr | int) -> Expr:
    """An `Expr` for x (ints become constants)."""
    return x if isinstance(x, Expr) else Num(x)


def total(terms: Sequence[Expr]) -> Expr:
    """The sum of terms (0 when there are none), printed as one flat sum."""
    if not terms:
        return Num(0)
    return terms[0] if len(terms) == 1 else Op("+", tuple(terms))


@dataclass(frozen=True, eq=False)
class Num(Expr):
    """A number, optionally with the symbol it stands for (`k_h`, `C_in`)."""

    n: int
    sym: str | None = None

    def value(self) -> int:
        return self.n

    def render(self, symbolic: bool = False, fmt: Formatter = str) -> str:
        return self.sym if symbolic and self.sym else fmt(self.n)


@dataclass(frozen=True, eq=False)
class Named(Expr):
    """A sub-expression given a name: printed as its symbol or its value, derived apart."""

    sym: str
    inner: Expr

    def value(self) -> int:
        return self.inner.value()

    def render(self, symbolic: bool = False, fmt: Formatter = str) -> str:
        return self.sym if symbolic else fmt(self.value())

    def named(self) -> Iterator[Named]:
        yield self
        yield from self.inner.named()


class Op(Expr):
    """An operation: + − · or floor division. Immutable; evaluated on construction.

    Sums and products are kept flat (a + b + c holds three operands, not a nested pair),
    so printing a sum of thousands of terms does not recurse once per term.
    """

    __slots__ = ("_value", "args", "op")
    args: tuple[Expr, ...]

    def __init__(self, op: str, args: tuple[Expr, ...]) -> None:
        if op in _ASSOCIATIVE and (len(args) > 2 or _is_op(args[0], op) or _is_op(args[1], op)):
            args = tuple(p for a in args for p in (a.args if _is_op(a, op) else (a,)))
            values = [a.value() for a in args]
            value = sum(values) if op == "+" else math.prod(values)
        else:
            a, b = args[0].value(), args[1].value()
            value = a + b if op == "+" else a * b if op == "*" else a - b if op == "-" else a // b
        self.op, self.args, self._value = op, args, value

    def __repr__(self) -> str:
        return f"Op({self.op!r}, {self.args!r})"

    def value(self) -> int:
        return self._value

    def render(self, symbolic: bool = False, fmt: Formatter = str) -> str:
        if self.op == "//":
            left, right = self.args
            text = f"{_wrap(left, 2, symbolic, fmt)} / {_wrap(right, 3, symbolic, fmt)}"
            return text if self._exact(symbolic) else f"⌊{text}⌋"
        mine = _PRECEDENCE[self.op]
        # Left-associative: a right operand of equal precedence needs parentheses for −.
        right_min = mine + 1 if self.op == "-" else mine
        first, *rest = self.args
        parts = [
            _wrap(first, mine, symbolic, fmt),
            *(_wrap(e, right_min, symbolic, fmt) for e in rest),
        ]
        return _GLYPH[self.op].join(parts)

    def partial(self, fmt: Formatter = str) -> str | None:
        if self.op not in _ASSOCIATIVE or all(not isinstance(e, Op) for e in self.args):
            return None
        return _GLYPH[self.op].join(fmt(e.value()) for e in self.args)

    def _exact(self, symbolic: bool) -> bool:
        """Whether a division prints as plain `/` (it divides exactly) rather than ⌊ ⌋."""
        left, right = self.args
        return not symbolic and left.value() % right.value() == 0

    def named(self) -> Iterator[Named]:
        for arg in self.args:
            yield from arg.named()


def _is_op(e: Expr, op: str) -> TypeGuard[Op]:
    return isinstance(e, Op) and e.op == op


def _wrap(e: Expr, min_precedence: int, symbolic: bool, fmt: Formatter) -> str:
    text = e.render(symbolic, fmt)
    floor_brackets = isinstance(e, Op) and e.op == "//" and not e._exact(symbolic)
    if isinstance(e, Op) and not floor_brackets and _PRECEDENCE[e.op] < min_precedence:
        return f"({text})"
    return text


ZERO = Num(0)  # an explicitly stated zero figure
