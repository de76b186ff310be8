"""Expressions evaluate exactly and print with the right parentheses."""

from __future__ import annotations

import pytest

from lenetcalc.expr import Named, Num, total

k, c, f = Num(5, "k"), Num(1, "C_in"), Num(6, "filters")


@pytest.mark.parametrize(
    ("expr", "numbers", "symbols", "value"),
    [
        ((k * k * c + 1) * f, "(5·5·1 + 1)·6", "(k·k·C_in + 1)·filters", 156),
        ((Num(32, "H") - k) // Num(1, "s") + 1, "(32 − 5) / 1 + 1", "⌊(H − k) / s⌋ + 1", 28),
        ((Num(7) - Num(3)) // Num(2) + 1, "(7 − 3) / 2 + 1", "⌊(7 − 3) / 2⌋ + 1", 3),
        ((Num(8) - Num(3)) // Num(2) + 1, "⌊(8 − 3) / 2⌋ + 1", "⌊(8 − 3) / 2⌋ + 1", 3),
        (Num(10) - (Num(3) - Num(2)), "10 − (3 − 2)", "10 − (3 − 2)", 9),
        (Num(10) - Num(3) - Num(2), "10 − 3 − 2", "10 − 3 − 2", 5),
        (2 * (Num(3) * Num(4)), "2·3·4", "2·3·4", 24),
        (Named("params", Num(150) + 6) * 100, "156·100", "params·100", 15_600),
        (total([Num(1), Num(2), Num(3)]), "1 + 2 + 3", "1 + 2 + 3", 6),
        (total([]), "0", "0", 0),
    ],
)
def test_render_and_value(expr, numbers: str, symbols: str, value: int) -> None:
    assert expr.render() == numbers
    assert expr.render(symbolic=True) == symbols
    assert expr.value() == value


def test_named_subexpressions_are_found() -> None:
    inner = Named("H_out", (Num(32) - 5) // 1 + 1)
    expr = Named("params", Num(156)) * inner
    assert [n.sym for n in expr.named()] == ["params", "H_out"]


def test_formatter_applies_to_numbers() -> None:
    assert (Num(48120) + 1).render(fmt=lambda n: f"{n:,}") == "48,120 + 1"
