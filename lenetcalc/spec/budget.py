"""The bounds on expanding blocks, in one place: a hostile spec is refused early.

Two measures bound the work. Every layer entry that expansion visits (kept or left out
by `when`) costs one unit of MAX_LAYERS; every YAML value it copies (a long string costs
one more per 100 characters) costs one unit of MAX_WORK, so a block of huge layers
repeated many times is refused even when its layer count fits. An instance is refused
before its first copy when its copies cannot fit in what is left: a block's entries and
values per copy, nested literal repeats included, are known at load (Block.size,
Block.values). Blocks nest at most MAX_NESTING deep (checked at load, in blocks.py).
"""

from __future__ import annotations

from typing import Any

from ..errors import SpecError
from .fields import Marks, Path

MAX_LAYERS = 100_000  # layer entries visited while expanding blocks
MAX_WORK = 2_000_000  # YAML values copied while expanding (a 100,000-layer spec: ~1,000,000)
MAX_NESTING = 8  # blocks inside blocks; an instance in the spec's `layers` is level 1


def values_in(raw: Any) -> int:
    """The work of copying one raw value: its scalars, long strings costing more."""
    if isinstance(raw, dict):
        return 1 + sum(values_in(v) for v in raw.values())
    if isinstance(raw, list):
        return 1 + sum(values_in(v) for v in raw)
    return 1 + len(raw) // 100 if isinstance(raw, str) else 1


class Budget:
    """What is left of MAX_LAYERS and MAX_WORK while one spec expands."""

    def __init__(self, marks: Marks) -> None:
        self.marks, self.left, self.work = marks, MAX_LAYERS, MAX_WORK

    def plan(self, copies: int, size: int, values: int, path: Path, layer: str | None) -> None:
        """Refuse `copies` of a block of `size` entries and `values` values that cannot
        fit, before the first copy."""
        if copies * size > self.left:
            raise self._refused(path, layer)
        if copies * values > self.work:
            raise self._too_much_work(path, layer)

    def spend(self, path: Path, layer: str | None, values: int = 1) -> None:
        """One layer entry visited, copying `values` values."""
        self.left -= 1
        self.work -= values
        if self.left < 0:
            raise self._refused(path, layer)
        if self.work < 0:
            raise self._too_much_work(path, layer)

    def _refused(self, path: Path, layer: str | None) -> SpecError:
        message = f"the spec expands to more than {MAX_LAYERS:,} layers"
        return SpecError(message, self.marks.at(path), layer)

    def _too_much_work(self, path: Path, layer: str | None) -> SpecError:
        message = f"expanding the spec copies more than {MAX_WORK:,} values: refusing"
        return SpecError(message, self.marks.at(path), layer)
