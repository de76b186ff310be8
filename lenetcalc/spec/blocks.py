"""Block definitions: their fields, and the check that blocks nest without cycles.

A block's layers may be instances of other blocks (`block: NAME`), named in the spec
itself, so the blocks form a graph known at load: a block that uses itself, directly or
through others, is refused, and so is nesting deeper than MAX_NESTING.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..errors import SpecError
from .budget import MAX_LAYERS, MAX_NESTING, MAX_WORK, values_in
from .fields import Marks, Path, is_int, suggest

_FIELDS = ["params", "layers"]


@dataclass(frozen=True)
class Block:
    """One entry of `blocks`: parameters with defaults (None: required) and raw layers."""

    name: str
    params: dict[str, Any]
    layers: list[Any]
    # Layer entries one copy visits at least (nested literal repeats included), capped
    # just above MAX_LAYERS: what Budget.plan charges before the first copy.
    size: int = 1
    # Values one copy copies (budget.values_in), likewise: what Budget.plan charges.
    values: int = 1

    def path(self, m: int) -> Path:
        """Where layer `m` of this block stands in the spec."""
        return ("blocks", self.name, "layers", m)

    def uses(self) -> list[tuple[int, Any]]:
        """(index, block name) of each of its layers that is a block instance."""
        return [(m, raw["block"]) for m, raw in enumerate(self.layers) if is_instance(raw)]


def is_instance(entry: Any) -> bool:
    """Whether a layer entry instantiates a block."""
    return isinstance(entry, dict) and "block" in entry


def read_blocks(raw: Any, marks: Marks) -> dict[str, Block]:
    """The spec's `blocks`, checked for shape, names of used blocks, cycles and depth."""
    if not isinstance(raw, dict):
        raise SpecError("field 'blocks' must map block names to blocks", marks.at(("blocks",)))
    blocks = {name: _block(name, body, marks) for name, body in raw.items()}
    for block in blocks.values():
        for m, kind in block.uses():
            unknown_block(kind, blocks, (*block.path(m), "block"), marks, None)
    nesting = _Nesting(blocks, marks)
    nesting.check()
    return {
        name: replace(block, size=nesting.size[name], values=nesting.values[name])
        for name, block in blocks.items()
    }


def unknown_block(
    kind: Any, blocks: dict[str, Block], path: Path, marks: Marks, layer: str | None
) -> None:
    """Refuse an instance of a block that is not defined."""
    if isinstance(kind, str) and kind in blocks:
        return
    known = ", ".join(blocks) or "none defined"
    if not isinstance(kind, str):
        message = f"'block' must name a block ({known}), got {kind!r}"
        raise SpecError(message, marks.at(path), layer)
    hint = suggest(str(kind), list(blocks))
    raise SpecError(f"unknown block '{kind}'{hint} (blocks: {known})", marks.at(path), layer)


def _block(name: str, body: Any, marks: Marks) -> Block:
    where: Path = ("blocks", name)
    if not isinstance(body, dict) or not isinstance(body.get("layers"), list) or not body["layers"]:
        raise SpecError(f"block '{name}' must have a non-empty list of 'layers'", marks.at(where))
    unknown = sorted(set(body) - set(_FIELDS))
    if unknown:
        key = unknown[0]
        raise SpecError(
            f"unknown field '{key}' in block '{name}'{suggest(key, _FIELDS)}",
            marks.at((*where, key), key=True),
        )
    params = body.get("params", {})
    if not isinstance(params, dict):
        raise SpecError("a block's 'params' maps names to defaults", marks.at((*where, "params")))
    return Block(name, params, body["layers"])


class _Nesting:
    """A depth-first walk of the blocks graph; the walk never goes deeper than MAX_NESTING."""

    def __init__(self, blocks: dict[str, Block], marks: Marks) -> None:
        self.blocks, self.marks = blocks, marks
        self.depth: dict[str, int] = {}  # levels a block spans, itself included
        self.size: dict[str, int] = {}  # see Block.size
        self.values: dict[str, int] = {}  # see Block.values

    def check(self) -> None:
        for name in self.blocks:
            self._visit(name, [name])

    def _visit(self, name: str, chain: list[str]) -> int:
        if name not in self.depth:
            block, deepest = self.blocks[name], 0
            for m, kind in block.uses():
                path = (*block.path(m), "block")
                if kind in chain:
                    cycle = " -> ".join([*chain[chain.index(kind) :], kind])
                    self._refuse(path, f"block '{kind}' uses itself ({cycle}): blocks cannot recur")
                if len(chain) + self.depth.get(kind, 1) > MAX_NESTING:
                    self._refuse(
                        path,
                        f"blocks nest more than {MAX_NESTING} deep ({' -> '.join([*chain, kind])})",
                    )
                deepest = max(deepest, self._visit(kind, [*chain, kind]))
            self.depth[name] = 1 + deepest
            self.size[name] = min(MAX_LAYERS + 1, sum(map(self._cost, block.layers)))
            self.values[name] = min(MAX_WORK + 1, sum(map(self._work, block.layers)))
        return self.depth[name]

    def _cost(self, entry: Any) -> int:
        """Entries visited for one layer entry: an instance's copies, when `repeat` is literal."""
        if not is_instance(entry):
            return 1
        repeat = entry.get("repeat", 1)
        copies = repeat if is_int(repeat) and repeat > 0 else 1  # else known when expanded
        return 1 + min(copies, MAX_LAYERS + 1) * self.size[entry["block"]]

    def _work(self, entry: Any) -> int:
        """Values copied for one layer entry: an instance's copies, when `repeat` is literal."""
        if not is_instance(entry):
            return values_in(entry)
        repeat = entry.get("repeat", 1)
        copies = repeat if is_int(repeat) and repeat > 0 else 1  # else known when expanded
        return values_in(entry) + min(copies, MAX_WORK + 1) * self.values[entry["block"]]

    def _refuse(self, path: Path, message: str) -> None:
        raise SpecError(message, self.marks.at(path))
