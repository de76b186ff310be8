"""Tiny integer expressions that evaluate *and* print themselves.

Every figure lenetcalc reports is built as an `Expr`, so the number in a table and the
arithmetic shown by `explain` come from the same code and cannot drift apart.
Values are Python ints: exact at any size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

Formatter = Callable[[int], str]

# Binding strength of each operator, for deciding where parentheses are needed.
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2}
_GLYPH = {"+": " + ", "-": " − ", "*": "·"}


class Expr:
    """An integer-valued arithmetic expression, immutable, its value computed once."""

    __slots__ = ("_value",)
    _value: int

    def value(self) -> int:
        """The exact integer this expression evaluates to."""
        return self._value

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

    # Arithmetic builds an `Op` directly, value included: summary evaluates ~40 of these
    # per layer, so each costs one object and no method calls.
    def __add__(self, other: Expr | int) -> Expr:
        b = other if isinstance(other, Expr) else Num(other)
        return Op._make("+", self, b, self._value + b._value)

    def __radd__(self, other: int) -> Expr:
        return Op._make("+", Num(other), self, other + self._value)

    def __sub__(self, other: Expr | int) -> Expr:
        b = other if isinstance(other, Expr) else Num(other)
        return Op._make("-", self, b, self._value - b._value)

    def __rsub__(self, other: int) -> Expr:
        return Op._make("-", Num(other), self, other - self._value)

    def __mul__(self, other: Expr | int) -> Expr:
        b = other if isinstance(other, Expr) else Num(other)
        return Op._make("*", self, b, self._value * b._value)

    def __rmul__(self, other: int) -> Expr:
        return Op._make("*", Num(other), self, other * self._value)

    def __floordiv__(self, other: Expr | int) -> Expr:
        b = other if isinstance(other, Expr) else Num(other)
        return Op._make("//", self, b, self._value // b._value)


def lift(x: Expr | int) -> Expr:
    """An `Expr` for x (ints become constants)."""
    return x if isinstance(x, Expr) else Num(x)


def total(terms: Sequence[Expr]) -> Expr:
    """The sum of terms (0 when there are none), printed as one flat sum."""
    if not terms:
        return Num(0)
    return terms[0] if len(terms) == 1 else Op("+", tuple(terms))


class Num(Expr):
    """A number, optionally with the symbol it stands for (`k_h`, `C_in`)."""

    __slots__ = ("n", "sym")

    def __init__(self, n: int, sym: str | None = None) -> None:
        self.n, self.sym, self._value = n, sym, n

    def __repr__(self) -> str:
        return f"Num({self.n!r}, {self.sym!r})"

    def render(self, symbolic: bool = False, fmt: Formatter = str) -> str:
        return self.sym if symbolic and self.sym else fmt(self.n)


class Named(Expr):
    """A sub-expression given a name: printed as its symbol or its value, derived apart."""

    __slots__ = ("inner", "sym")

    def __init__(self, sym: str, inner: Expr) -> None:
        self.sym, self.inner, self._value = sym, inner, inner._value

    def __repr__(self) -> str:
        return f"Named({self.sym!r}, {self.inner!r})"

    def render(self, symbolic: bool = False, fmt: Formatter = str) -> str:
        return self.sym if symbolic else fmt(self._value)

    def named(self) -> Iterator[Named]:
        yield self
        yield from self.inner.named()


class Op(Expr):
    """An operation: + − · or floor division. Immutable; evaluated on construction.

    A sum or product may hold many operands (`total` builds one flat sum), so printing a
    sum of thousands of terms does not recurse once per term.
    """

    __slots__ = ("args", "op")
    args: tuple[Expr, ...]

    def __init__(self, op: str, args: tuple[Expr, ...]) -> None:
        values = [a._value for a in args]
        if op in ("+", "*"):
            value = sum(values) if op == "+" else math.prod(values)
        else:
            a, b = values
            value = a - b if op == "-" else a // b
        self.op, self.args, self._value = op, args, value

    @classmethod
    def _make(cls, op: str, a: Expr, b: Expr, value: int) -> Op:
        """An Op whose value the caller computed (the arithmetic operators)."""
        out = cls.__new__(cls)
        out.op, out.args, out._value = op, (a, b), value
        return out

    def __repr__(self) -> str:
        return f"Op({self.op!r}, {self.args!r})"

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
        if self.op not in ("+", "*"):
            return None
        operands = self._chain()
        if all(not isinstance(e, Op) for e in operands):
            return None
        return _GLYPH[self.op].join(fmt(e.value()) for e in operands)

    def _chain(self) -> list[Expr]:
        """Operands of a run of this same (associative) operator: a + (b + c) -> [a, b, c]."""
        out: list[Expr] = []
        for arg in map(_shown, self.args):
            out.extend(arg._chain() if isinstance(arg, Op) and arg.op == self.op else [arg])
        return out

    def _exact(self, symbolic: bool) -> bool:
        """Whether a division prints as plain `/` (it divides exactly) rather than ⌊ ⌋."""
        left, right = self.args
        return not symbolic and left.value() % right.value() == 0

    def named(self) -> Iterator[Named]:
        for arg in self.args:
            yield from arg.named()


def _shown(e: Expr) -> Expr:
    """The tree behind a deferred expression, which is what gets printed."""
    return e.tree() if isinstance(e, Deferred) else e


def _wrap(e: Expr, min_precedence: int, symbolic: bool, fmt: Formatter) -> str:
    e = _shown(e)
    text = e.render(symbolic, fmt)
    floor_brackets = isinstance(e, Op) and e.op == "//" and not e._exact(symbolic)
    if isinstance(e, Op) and not floor_brackets and _PRECEDENCE[e.op] < min_precedence:
        return f"({text})"
    return text


class Deferred(Expr):
    """An expression whose value is known now and whose tree is built when first shown.

    For figures computed along every layer (the receptive field) that only `explain`
    prints: summary pays for an int and a closure, not a tree.
    """

    __slots__ = ("_build", "_tree")
    _tree: Expr | None

    def __init__(self, value: int, build: Callable[[], Expr]) -> None:
        self._value, self._build, self._tree = value, build, None

    def tree(self) -> Expr:
        """The expression itself, built once."""
        tree = self._tree
        if tree is None:
            tree = self._tree = self._build()
            assert tree._value == self._value, "a deferred tree disagrees with its value"
        return tree

    def __repr__(self) -> str:
        return f"Deferred({self._value!r})"

    def render(self, symbolic: bool = False, fmt: Formatter = str) -> str:
        return self.tree().render(symbolic, fmt)

    def named(self) -> Iterator[Named]:
        return self.tree().named()

    def partial(self, fmt: Formatter = str) -> str | None:
        return self.tree().partial(fmt)


ZERO = Num(0)  # an explicitly stated zero figure
