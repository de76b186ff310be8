"""The modern layer types and token shapes on small cases worked by hand."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import Result

from lenetcalc.errors import SpecError
from lenetcalc.report.analysis import LayerRecord
from lenetcalc.spec.reader import load_text

from conftest import spec


def only(layers: str, input_shape: str) -> LayerRecord:
    return spec(layers, input_shape).layers[-1]


def test_dense_applies_per_token_like_nn_linear() -> None:
    r = only("  - {name: d, type: dense, units: 5}", "[7, 4]")  # 7 tokens of 4 features
    assert r.output_shape == (7, 5)
    assert r.trainable_params == (4 + 1) * 5  # one 4 -> 5 layer, shared by the tokens
    assert r.connections == 7 * (4 + 1) * 5
    assert r.macs == 7 * 4 * 5
    assert r.flops == 2 * 7 * 4 * 5 + 7 * 5


def test_dense_on_a_map_still_flattens() -> None:
    r = only("  - {name: d, type: dense, units: 5}", "[2, 3, 4]")
    assert (r.output_shape, r.trainable_params) == ((5,), (2 * 3 * 4 + 1) * 5)


def test_layernorm_over_channels_and_over_features() -> None:
    maps = only("  - {name: n, type: layernorm}", "[6, 3, 3]")
    assert maps.trainable_params == 2 * 6 and maps.non_trainable_params == 0
    assert maps.connections == 2 * 6 * 3 * 3 and maps.macs == 0
    assert maps.flops == 7 * 6 * 3 * 3
    tokens = only("  - {name: n, type: layernorm}", "[197, 768]")
    assert tokens.trainable_params == 2 * 768  # ViT's LayerNorm(768): 1,536
    assert tokens.connections == 2 * 197 * 768


def test_layer_scale_is_one_trainable_factor_per_channel() -> None:
    r = only("  - {name: g, type: layer_scale}", "[96, 56, 56]")
    assert r.trainable_params == 96  # ConvNeXt-T stage 1's gamma
    assert (r.connections, r.macs, r.flops) == (96 * 56 * 56, 0, 96 * 56 * 56)


SE = """\
  - {name: conv, type: conv2d, filters: 8, kernel: 1}
  - {name: squeeze, type: pool, mode: avg, global: true}
  - {name: gate, type: conv2d, filters: 8, kernel: 1, activation: sigmoid}
  - {name: scale, type: multiply, inputs: [conv, gate]}
"""


def test_multiply_broadcasts_a_gate_over_a_map() -> None:
    r = only(SE, "[3, 5, 6]")
    assert r.input_shape == (8, 5, 6) and r.output_shape == (8, 5, 6)  # 8@1x1 × 8@5x6
    assert (r.trainable_params, r.connections, r.macs, r.product_macs) == (0, 0, 0, 0)
    assert r.flops == 8 * 5 * 6  # one multiply per element


def test_multiply_names_both_shapes_when_they_do_not_broadcast() -> None:
    layers = SE.replace("filters: 8, kernel: 1, activation", "filters: 4, kernel: 1, activation")
    with pytest.raises(SpecError, match=r"'conv' is 8@5x6 and 'gate' is 4@1x1"):
        spec(layers, "[3, 5, 6]")


def test_channel_slice_and_shuffle() -> None:
    r = only("  - {name: s, type: channel_slice, start: 58, channels: 58}", "[116, 28, 28]")
    assert r.output_shape == (58, 28, 28) and r.flops == 0
    r = only("  - {name: s, type: channel_shuffle, groups: 2}", "[116, 28, 28]")
    assert r.output_shape == (116, 28, 28) and r.connections == 0
    with pytest.raises(SpecError, match=r"maps 100\.\.116 do not exist"):
        spec("  - {name: s, type: channel_slice, start: 100, channels: 17}", "[116, 28, 28]")
    with pytest.raises(SpecError, match="3 groups do not divide 116 maps"):
        spec("  - {name: s, type: channel_shuffle, groups: 3}", "[116, 28, 28]")


def test_adaptive_pool_uses_pytorchs_windows() -> None:
    # 8 -> 7: windows [0,2) [1,3) ... [6,8), each 2 long: taps = 7·2 = 14 per axis.
    r = only("  - {name: p, type: adaptive_pool, mode: avg, output: 7}", "[512, 8, 8]")
    assert r.output_shape == (512, 7, 7) and r.trainable_params == 0
    assert r.flops == 512 * 14 * 14
    # 5 -> 3: windows [0,2) [1,4) [3,5), lengths 2 + 3 + 2 = 7; max compares area − 1.
    r = only("  - {name: p, type: adaptive_pool, mode: max, output: [3, 1]}", "[1, 5, 4]")
    assert r.output_shape == (1, 3, 1)
    assert r.flops == 7 * 4 - 3 * 1
    assert r.rf_size == (3, 4) and r.rf_jump == (2, 1)  # widest window 3, widest step 2


VIT_BLOCK = """\
  - {name: patches, type: conv2d, filters: 768, kernel: 16, stride: 16}
  - {name: tokens, type: tokens}
  - {name: cls, type: class_token}
  - {name: pos, type: position_embedding}
  - {name: attn, type: attention, heads: 12}
  - {name: head, type: select_token}
"""


def test_vit_embedding_and_one_attention_layer() -> None:
    by = {r.name: r for r in spec(VIT_BLOCK, "[3, 224, 224]").layers}
    assert by["patches"].output_shape == (768, 14, 14)
    assert by["tokens"].output_shape == (14 * 14, 768)
    assert by["cls"].output_shape == (197, 768) and by["cls"].trainable_params == 768
    assert by["cls"].connections == 768  # each learned value used once, like a bias
    assert by["pos"].trainable_params == 197 * 768 == 151_296
    assert (by["pos"].connections, by["pos"].macs) == (197 * 768, 0)
    attn = by["attn"]
    assert attn.trainable_params == 4 * (768 + 1) * 768 == 2_362_368
    assert attn.macs == 4 * 197 * 768 * 768  # in_proj q, k, v and out_proj
    assert attn.product_macs == 2 * 197 * 197 * 768 == 59_610_624  # QKᵀ and AV
    assert attn.connections == 197 * 2_362_368  # products have no weights
    assert attn.flops == 2 * attn.macs + 2 * attn.product_macs + 4 * 197 * 768
    assert attn.rf_size == (224, 224)  # every token sees the whole image
    assert by["head"].output_shape == (768,)


def test_attention_heads_must_divide_the_features() -> None:
    with pytest.raises(SpecError, match="5 heads do not divide the 768 features"):
        spec("  - {name: a, type: attention, heads: 5}", "[197, 768]")


def test_token_layers_refuse_maps() -> None:
    with pytest.raises(SpecError, match="attention needs a tokens x features input"):
        spec("  - {name: a, type: attention, heads: 2}", "[4, 8, 8]")


def test_gelu_is_the_exact_erf_form() -> None:
    import numpy as np

    from lenetcalc.witness.arrays import activated

    # GELU(1) = Φ(1) = 0.841344746..., GELU(−1) = −(1 − Φ(1)) = −0.158655254...
    values = activated("gelu", np.array([1.0, -1.0, 0.0]))
    assert np.allclose(values, [0.8413447, -0.1586553, 0.0], atol=1e-6)


def test_tokens_input_from_a_spec_and_the_command_line(run: Callable[..., Result]) -> None:
    network = load_text(
        "name: t\ninput: [197, 768]\nlayers:\n  - {name: n, type: layernorm}\n", "t"
    )
    assert network.input_shape == (197, 768)
    result = run("summary", "tests/specs/vit_b_32.yaml", "--set", "input=3x224x224")
    assert "input 3@224x224" in result.output
    totals = json.loads(run("summary", "vit_b_16", "--format", "json").output)["totals"]
    # 12 blocks · 2 products (QKᵀ, AV) · 197 · 197 · 768, beside the weighted sums.
    assert totals["product_macs"] == 12 * 2 * 197 * 197 * 768 == 715_327_488
    assert totals["macs"] + totals["product_macs"] == 17_563_828_224  # published 17.564 G
