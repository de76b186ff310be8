"""Connection tables as LeNet-5's Table I draws them: input maps by output maps, X marks.

Output maps are grouped by how many input maps they read and whether those maps are
contiguous around the circle of input maps (map 5 is next to map 0), which is how the
paper describes C3: six read 3 contiguous maps, six read 4 contiguous, three read 4
non-contiguous, and one reads all six.
"""

from __future__ import annotations

from dataclasses import dataclass

ConnectionTable = tuple[tuple[int, ...], ...]

_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def contiguous(maps: tuple[int, ...], n_in: int) -> bool:
    """Whether `maps` form one run of neighbours on the circle of `n_in` input maps."""
    chosen = set(maps)
    # A cyclic run has exactly one start: a chosen map whose predecessor is not chosen.
    starts = [m for m in chosen if (m - 1) % n_in not in chosen]
    return len(starts) == 1


def kind(maps: tuple[int, ...], n_in: int) -> str:
    """The group an output map belongs to: "3 contiguous", "all six", ..."""
    n = len(set(maps))
    if n == n_in:
        return f"all {_WORDS[n] if n < len(_WORDS) else n}"
    return f"{n} {'contiguous' if contiguous(maps, n_in) else 'non-contiguous'}"


@dataclass(frozen=True)
class Group:
    """Output maps of one kind, in table order."""

    kind: str
    outputs: tuple[int, ...]


def groups(table: ConnectionTable, n_in: int) -> list[Group]:
    """The kinds of output map, in order of first appearance."""
    members: dict[str, list[int]] = {}
    for out, maps in enumerate(table):
        members.setdefault(kind(maps, n_in), []).append(out)
    return [Group(k, tuple(outs)) for k, outs in members.items()]


def spans(numbers: tuple[int, ...]) -> str:
    """Runs of consecutive numbers, compactly: 0-5, 9, 12-14."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def marks(table: ConnectionTable, n_in: int) -> list[list[bool]]:
    """rows[input map][output map]: whether that output map reads that input map."""
    rows = [[False] * len(table) for _ in range(n_in)]
    for out, maps in enumerate(table):
        for m in maps:
            rows[m][out] = True
    return rows


def to_text(table: ConnectionTable, n_in: int, layer: str, source: str) -> list[str]:
    """The table as terminal lines: a header of output maps, a row per input map, groups."""
    width = len(str(len(table) - 1)) + 1
    label = len(str(n_in - 1)) + 2
    lines = [
        f"connection table: rows are {source}'s maps, columns are {layer}'s maps, X = reads",
        " " * label + "".join(f"{out:>{width}}" for out in range(len(table))),
    ]
    for m, row in enumerate(marks(table, n_in)):
        cells = "".join(f"{'X' if x else '.':>{width}}" for x in row)
        lines.append(f"{m:>{label - 1}} {cells}")
    return lines + [describe(layer, g) for g in groups(table, n_in)]


def describe(layer: str, group: Group) -> str:
    """One line naming a group: "C3 maps 12-14: 4 non-contiguous"."""
    noun = "map" if len(group.outputs) == 1 else "maps"
    return f"{layer} {noun} {spans(group.outputs)}: {group.kind}"
