"""Multi-head self-attention over tokens, as torch.nn.MultiheadAttention computes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import GeometryError
from ..expr import ZERO, Expr, Named, Num
from ..geometry import ReceptiveField, Shape
from ..spec.fields import Fields
from .base import Layer, Sample, random_tokens
from .tokens import token_shape

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Generator, Params


@dataclass(frozen=True, kw_only=True)
class SelfAttention(Layer):
    """T×D tokens: q, k, v = x·W_q, x·W_k, x·W_v (in_proj), per head softmax(q·kᵀ/√d)·v,
    heads joined, then ·W_o (out_proj); each projection D×D plus an optional bias.

    The projections are weighted sums (`macs`); q·kᵀ and the weights' product with v
    multiply activations by activations (`product_macs`): no weight, no connection.
    """

    type_name = "attention"
    heads: int
    bias: bool = True

    @classmethod
    def parse(cls, name: str, f: Fields) -> SelfAttention:
        return cls(name=name, heads=f.integer("heads"), bias=f.flag("bias", True))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        heads = rng.randint(1, 3)
        x = [random_tokens(rng)[0], heads * rng.randint(1, 4)]
        return x, [{"name": "t", "type": cls.type_name, "heads": heads, "bias": rng.random() < 0.5}]

    def _dims(self, x: Shape) -> tuple[Num, Num]:
        """(T, D), with D checked to split evenly into the heads."""
        tokens, features = token_shape(x, self.type_name)
        if features % self.heads:
            raise GeometryError(
                f"{self.heads} heads do not divide the {features} features", field=("heads",)
            )
        return Num(tokens, "T"), Num(features, "D")

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        return self._dims(x)

    def trainable_params(self, x: Shape) -> Expr:
        _, d = self._dims(x)
        # Four D×D projections (q, k, v in, and out), each with D biases if any.
        return Num(4, "projections") * (d + Num(int(self.bias), "bias")) * d

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        # Every projection weight and bias is used once per token; the activation
        # products have no weights, so they add no connections.
        t, _ = self._dims(x)
        return Named("params", self.trainable_params(x)) * t

    def macs(self, x: Shape) -> Expr:
        # One MAC per projection weight per token; bias excluded.
        t, d = self._dims(x)
        return Num(4, "projections") * t * d * d

    def product_macs(self, x: Shape) -> Expr:
        # Per head, q·kᵀ is T·T·d and weights·v is T·T·d; heads·d = D.
        t, d = self._dims(x)
        return Num(2, "qk_and_av") * t * t * d

    def flops(self, x: Shape) -> Expr:
        # Two per MAC of either kind, one per bias add; softmax and 1/√d not counted
        # (like activation functions).
        t, d = self._dims(x)
        flops = 2 * Named("MACs", self.macs(x)) + 2 * Named("products", self.product_macs(x))
        return flops + Num(4, "projections") * t * d if self.bias else flops

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        return rf.whole or rf.kept()  # every token reads every token

    # ---- witness -------------------------------------------------------------------

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from ..witness.arrays import Param, uniform

        d = shape[1]
        params = {
            "in_proj_weight": Param(uniform(rng, (d, 3 * d), d), True),
            "out_proj_weight": Param(uniform(rng, (d, d), d), True),
        }
        if self.bias:
            params["in_proj_bias"] = Param(uniform(rng, (3 * d,), 1), True)
            params["out_proj_bias"] = Param(uniform(rng, (d,), 1), True)
        return params

    def _project(self, x: Array, params: Params, which: str) -> tuple[Array, int]:
        w = params[f"{which}_weight"].value
        y = (x.reshape(-1, x.shape[-1]) @ w).reshape(*x.shape[:-1], -1)  # one 2-D BLAS call
        if f"{which}_bias" in params:
            y = y + params[f"{which}_bias"].value
        return y, x.shape[0] * x.shape[1] * w.size

    def _attend(self, x: Array, params: Params) -> tuple[Array, int, int]:
        """Output, projection MACs and activation-product MACs, counted from the arrays."""
        import numpy as np

        n, t, d = x.shape
        qkv, macs_in = self._project(x, params, "in_proj")
        # (q/k/v, sample, head, token, feature). einsum, not matmul: these products are
        # small, and BLAS threads cost more than they save on them.
        q, k, v = qkv.reshape(n, t, 3, self.heads, -1).transpose(2, 0, 3, 1, 4)
        scores = np.einsum("nhtd,nhsd->nhts", q, k) / np.sqrt(q.shape[-1])
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        weights /= weights.sum(-1, keepdims=True)
        joined = np.einsum("nhts,nhsd->nthd", weights, v).reshape(n, t, d)
        # q·kᵀ: one MAC per score per feature; weights·v: one per weight per feature.
        products = scores.size * q.shape[-1] + weights.size * v.shape[-1]
        y, macs_out = self._project(joined, params, "out_proj")
        return y, macs_in + macs_out, products

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        y, macs, _ = self._attend(x, params)
        return y, macs

    def witness_products(self, x: Array, params: Params) -> int:
        return self._attend(x, params)[2]

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        """Both projections' weighted sums (bias included), side by side: the counting
        pass sums their units, so every projection weight and bias use is counted."""
        import numpy as np

        qkv, macs_in = self._project(x, params, "in_proj")
        out, macs_out = self._project(np.ones_like(x), params, "out_proj")
        n = x.shape[0]
        return np.concatenate([qkv.reshape(n, -1), out.reshape(n, -1)], 1), macs_in + macs_out

    def witness_scratch(self, x: Shape) -> int:
        t, d = x
        return 6 * t * d + 3 * self.heads * t * t  # q, k, v and copies; scores and weights
