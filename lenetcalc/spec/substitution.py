"""A small, safe evaluator for `${...}` expressions in specs. Never `eval`.

Allowed: numbers, strings, true/false, names of variables, + - * / // %, unary minus,
comparisons, `and`/`or`/`not` and `a if condition else b`. Anything else (calls,
attributes, subscripts, powers, lambdas) is refused with a message saying what is allowed.

Arithmetic is exact: numbers are integers or fractions while an expression is evaluated
(0.9 is 9/10, `/` divides exactly), so a size never picks up a float's rounding.
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from ..errors import LenetcalcError

if TYPE_CHECKING:
    from fractions import Fraction

Value = int | float | bool | str
MAX_LENGTH = 200  # characters in one expression
MAX_DIGITS = 100  # digits in any intermediate number: products cannot run away
MAX_TEXT = 1_000  # characters in a value built by splicing references into text

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: lambda a, b: _fraction(a) / _fraction(b),  # exact: 10**20 / 5 stays exact
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ALLOWED = "numbers, names, + - * / // %, comparisons, and/or/not and `a if c else b`"
_REFERENCE = re.compile(r"\$\{([^{}]*)\}")


class ExpressionError(LenetcalcError):
    """An expression that is malformed, unsafe or refers to an unknown name."""


def evaluate(text: str, names: Mapping[str, Value]) -> Value:
    """The value of one expression, given the variables in scope."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters")
    return _plain(_eval(_parse(text.strip()), names))


def _plain(value: Any) -> Value:
    """A result as specs see it: a Fraction that is whole as an int (${width / 2} reads
    naturally as an integer), any other as a float that remembers its exact value;
    ints (bools) and text as they are."""
    if isinstance(value, (int, str)):
        return value
    exact = cast("Fraction", value)
    if exact.denominator == 1:
        return int(exact)
    shown = Fractional(exact)
    shown.exact = exact
    return shown


class Fractional(float):
    """A non-whole result: a float to the spec's fields, and its exact value again to a
    later expression (a variable `ratio: ${1/3}` times 96 is 32, not 31.999999999999996)."""

    exact: Fraction


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> ast.expr:
    """The parsed expression; cached, as a repeated block evaluates the same texts."""
    try:
        return ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError):  # ValueError: a NUL byte in the text
        raise ExpressionError(f"'{text}' is not an expression ({_ALLOWED})") from None


def substitute(value: str, names: Mapping[str, Value]) -> Value:
    """A spec string with its `${...}` replaced: the value itself when the whole string
    is one reference, else text with each reference's value spliced in."""
    whole = _REFERENCE.fullmatch(value.strip())
    if whole:
        return evaluate(whole.group(1), names)
    parts, size, end = [], 0, 0
    for m in _REFERENCE.finditer(value):
        piece = str(evaluate(m.group(1), names))
        parts += [value[end : m.start()], piece]
        size += m.start() - end + len(piece)
        end = m.end()
        if size > MAX_TEXT:  # checked as it grows: splicing must not amplify a spec
            break
    text = "".join(parts) + value[end:]
    if len(text) > MAX_TEXT:
        raise ExpressionError(f"text built by substitution is longer than {MAX_TEXT:,} characters")
    return text


def _eval(node: ast.expr, names: Mapping[str, Value]) -> Value:
    rule = _RULES.get(type(node))
    if rule is None:
        raise _refused(node)
    return rule(node, names)


def _refused(node: ast.expr) -> ExpressionError:
    what = type(node).__name__.lower()
    return ExpressionError(f"'{ast.unparse(node)}' is not allowed ({what}); use only {_ALLOWED}")


def _constant(node: Any, names: Mapping[str, Value]) -> Value:
    if not isinstance(node.value, (int, float, str)):
        raise _refused(node)
    return _checked(_exact(node.value))


def _exact(value: Any) -> Any:
    """A float as its shortest decimal (0.9 is 9/10, not the binary float's value), or
    the exact value it came from; anything else as it is."""
    if isinstance(value, Fractional):
        return value.exact
    if isinstance(value, float):
        try:
            return _fraction(repr(value))
        except (ValueError, OverflowError):
            raise ExpressionError(f"{value} is not a finite number") from None
    return value


def _fraction(value: Any) -> Fraction:
    """An exact fraction. `fractions` loads with the first float or `/`: most specs
    (LeNet-5's among them) have none, and start-up stays without it."""
    from fractions import Fraction

    return Fraction(value)


def _name(node: Any, names: Mapping[str, Value]) -> Value:
    if node.id in ("true", "false"):
        return bool(node.id == "true")
    if node.id not in names:
        known = ", ".join(sorted(names)) or "none"
        raise ExpressionError(f"unknown name '{node.id}' (variables: {known})")
    value = _exact(names[node.id])
    # A number is held to the digit bound (a variable's 1e150 has 151 digits); text was
    # bounded where it was built.
    return value if isinstance(value, str) else _checked(value)


def _binary(node: Any, names: Mapping[str, Value]) -> Value:
    if type(node.op) not in _BINARY:
        raise _refused(node)
    left, right = _eval(node.left, names), _eval(node.right, names)
    texts = isinstance(left, str), isinstance(right, str)
    if any(texts) and not (all(texts) and isinstance(node.op, ast.Add)):
        # Only + joins texts: "a" * 10**9 would allocate before any check.
        raise ExpressionError(f"'{ast.unparse(node)}': text can only be joined with +")
    try:
        return _checked(_BINARY[type(node.op)](left, right))
    except ZeroDivisionError:
        raise ExpressionError(f"cannot compute {ast.unparse(node)}: division by zero") from None
    except (TypeError, OverflowError) as e:
        raise ExpressionError(f"cannot compute {ast.unparse(node)}: {e}") from None


def _unary(node: Any, names: Mapping[str, Value]) -> Value:
    if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        raise _refused(node)
    operand = _eval(node.operand, names)
    if isinstance(node.op, ast.Not):
        return not operand
    if isinstance(operand, str):
        raise ExpressionError(f"cannot negate the text '{operand}'")
    return -operand if isinstance(node.op, ast.USub) else operand


def _compare(node: Any, names: Mapping[str, Value]) -> Value:
    if not all(type(op) in _COMPARE for op in node.ops):
        raise _refused(node)
    left = _eval(node.left, names)
    for op, right_node in zip(node.ops, node.comparators, strict=True):
        right = _eval(right_node, names)
        try:
            holds = _COMPARE[type(op)](left, right)
        except TypeError:
            shown = f"{_plain(left)!r} with {_plain(right)!r}"  # 0.1, not Fraction(1, 10)
            raise ExpressionError(f"cannot compare {shown}") from None
        if not holds:
            return False
        left = right
    return True


def _boolean(node: Any, names: Mapping[str, Value]) -> Value:
    values = (_eval(v, names) for v in node.values)
    return all(values) if isinstance(node.op, ast.And) else any(values)


def _conditional(node: Any, names: Mapping[str, Value]) -> Value:
    return _eval(node.body if _eval(node.test, names) else node.orelse, names)


# The node types an expression may contain, each with its rule.
_RULES: dict[type[ast.expr], Callable[[Any, Mapping[str, Value]], Value]] = {
    ast.Constant: _constant,
    ast.Name: _name,
    ast.BinOp: _binary,
    ast.UnaryOp: _unary,
    ast.Compare: _compare,
    ast.BoolOp: _boolean,
    ast.IfExp: _conditional,
}


def _checked(value: Any) -> Value:
    # ints and Fractions both have a numerator and a denominator (an int's is 1)
    parts = () if isinstance(value, str) else (value.numerator, value.denominator)
    if any(p.bit_length() > MAX_DIGITS * 10 // 3 for p in parts):
        raise ExpressionError(f"a number in the expression has more than {MAX_DIGITS} digits")
    if isinstance(value, str) and len(value) > MAX_LENGTH:
        raise ExpressionError(f"text built by the expression is longer than {MAX_LENGTH}")
    return value  # type: ignore[no-any-return]
