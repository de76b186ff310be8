"""Token sequences (tokens × features), as Vision Transformers use them.

A map becomes tokens (one per position), a learned class token is prepended, a learned
position embedding is added, and one token is selected for the head.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import GeometryError
from ..expr import ZERO, Expr, Num
from ..geometry import ReceptiveField, Shape
from ..spec.fields import Fields
from .base import (
    Layer,
    Sample,
    Settingless,
    Weightless,
    full_map_axes,
    random_map,
    random_tokens,
    size_of,
)

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Generator, Params


def token_shape(x: Shape, kind: str) -> tuple[int, int]:
    """(tokens, features), or a GeometryError for a map or a vector."""
    if len(x) != 2:
        raise GeometryError(
            f"{kind} needs a tokens x features input, got shape {list(x)}:"
            " turn a map into tokens first with a 'tokens' layer"
        )
    return (x[0], x[1])


@dataclass(frozen=True, kw_only=True)
class Tokens(Settingless, Weightless):
    """A C×H×W map as H·W tokens of C features (row by row), as ViT's patch embedding
    flattens its convolution's output."""

    type_name = "tokens"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        return random_map(rng), [{"name": "t", "type": cls.type_name}]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        if len(x) != 3:
            raise GeometryError(f"tokens reads a channels x height x width map, got {list(x)}")
        return (Num(x[1], "H") * Num(x[2], "W"), Num(x[0], "C"))

    def flops(self, x: Shape) -> Expr:
        return ZERO  # a reshape and transpose: no arithmetic

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        # Each token keeps its position's field; remember the whole map's for mixing layers.
        axes = full_map_axes(x)
        return replace(rf.kept(), whole=rf.through(axes)) if axes else rf.kept()

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        n, c = x.shape[:2]
        return x.reshape(n, c, -1).transpose(0, 2, 1), 0


@dataclass(frozen=True, kw_only=True)
class ClassToken(Settingless, Layer):
    """Prepends one learned token of D features: T×D becomes (T+1)×D."""

    type_name = "class_token"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        return random_tokens(rng), [{"name": "t", "type": cls.type_name}]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        tokens, features = token_shape(x, self.type_name)
        return (Num(tokens, "T") + 1, Num(features, "D"))

    def trainable_params(self, x: Shape) -> Expr:
        return Num(token_shape(x, self.type_name)[1], "D")

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        # Each learned value is used once, as a bias is: an output with no weighted input.
        return Num(x[1], "D")

    def macs(self, x: Shape) -> Expr:
        return ZERO

    def product_macs(self, x: Shape) -> Expr:
        return ZERO

    def flops(self, x: Shape) -> Expr:
        return ZERO  # a copy

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        return rf.kept()

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from ..witness.arrays import Param, uniform

        return {"token": Param(uniform(rng, (shape[1],), 1), True)}

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        import numpy as np

        token = np.broadcast_to(params["token"].value, (x.shape[0], 1, x.shape[2]))
        return np.concatenate([token.astype(x.dtype), x], axis=1), 0

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        """The learned token alone: each of its values is one use of a parameter."""
        return params["token"].value[None, :], 0


@dataclass(frozen=True, kw_only=True)
class PositionEmbedding(Settingless, Layer):
    """Adds a learned T×D table to the tokens: trainable values, but no weighted sum."""

    type_name = "position_embedding"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        return random_tokens(rng), [{"name": "t", "type": cls.type_name}]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        tokens, features = token_shape(x, self.type_name)
        return (Num(tokens, "T"), Num(features, "D"))

    def trainable_params(self, x: Shape) -> Expr:
        token_shape(x, self.type_name)
        return size_of(x)

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        # Each table entry is added once to its element: a bias use.
        return size_of(x)

    def macs(self, x: Shape) -> Expr:
        return ZERO  # an addition, not a weighted sum

    def product_macs(self, x: Shape) -> Expr:
        return ZERO

    def flops(self, x: Shape) -> Expr:
        return size_of(x)  # one addition per element

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        return rf.kept()

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from ..witness.arrays import Param, uniform

        return {"table": Param(uniform(rng, shape, 1), True)}

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x + params["table"].value, 0

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        """The table alone: one bias use per element."""
        return params["table"].value[None], 0


@dataclass(frozen=True, kw_only=True)
class SelectToken(Weightless):
    """One token's D features, as a vector for the head (ViT reads the class token, 0)."""

    type_name = "select_token"
    index: int = 0

    @classmethod
    def parse(cls, name: str, f: Fields) -> SelectToken:
        return cls(name=name, index=f.integer("index", 0, minimum=0))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_tokens(rng)
        return x, [{"name": "t", "type": cls.type_name, "index": rng.randrange(x[0])}]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        tokens, features = token_shape(x, self.type_name)
        if self.index >= tokens:
            raise GeometryError(
                f"token {self.index} does not exist: the input has tokens 0..{tokens - 1}",
                field=("index",),
            )
        return (Num(features, "D"),)

    def flops(self, x: Shape) -> Expr:
        return ZERO  # a copy

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        return rf.kept()

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x[:, self.index], 0
