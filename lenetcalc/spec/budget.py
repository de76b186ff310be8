"""The bounds on expanding blocks, in one place: a hostile spec is refused early.

Every layer entry that expansion visits (kept or left out by `when`) costs one unit of
MAX_LAYERS, and an instance is refused before its first copy when its copies cannot fit
in what is left (a block's size, nested literal repeats included, is known at load:
Block.size). Blocks nest at most MAX_NESTING deep (checked at load, in
blocks.py), so the work of expanding any spec is bounded by MAX_LAYERS visits.
"""

from __future__ import annotations

from ..errors import SpecError
from .fields import Marks, Path

MAX_LAYERS = 100_000  # layer entries visited while expanding blocks
MAX_NESTING = 8  # blocks inside blocks; an instance in the spec's `layers` is level 1


class Budget:
    """What is left of MAX_LAYERS while one spec expands."""

    def __init__(self, marks: Marks) -> None:
        self.marks, self.left = marks, MAX_LAYERS

    def plan(self, copies: int, size: int, path: Path, layer: str | None) -> None:
        """Refuse `copies` of a block of `size` entries that cannot fit, before the first."""
        if copies * size > self.left:
            raise self._refused(path, layer)

    def spend(self, path: Path, layer: str | None) -> None:
        """One layer entry visited."""
        self.left -= 1
        if self.left < 0:
            raise self._refused(path, layer)

    def _refused(self, path: Path, layer: str | None) -> SpecError:
        message = f"the spec expands to more than {MAX_LAYERS:,} layers"
        return SpecError(message, self.marks.at(path), layer)
