"""The layer contract, checked for every registered type on random valid uses.

A new type cannot land without stating every figure, a witness that agrees with its
formulas, and an entry in both docs.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lenetcalc.layers
from lenetcalc.layers import FAMILIES, LAYER_TYPES, Layer
from lenetcalc.report.analysis import analyze
from lenetcalc.spec.network import Network
from lenetcalc.spec.reader import load_text
from lenetcalc.witness import CHECKED, engine
from lenetcalc.witness.verify import verify

DOCS = Path(__file__).parent.parent / "docs"
FIGURES = (*CHECKED, "flops")  # what the witness measures, and FLOPs
TYPES = sorted(LAYER_TYPES)


def sampled(kind: str, rng: Random) -> Network:
    """A network whose last layer is a random valid use of `kind`."""
    shape, layers = LAYER_TYPES[kind].sample(rng)
    spec = {"name": f"sample-{kind}", "input": shape, "layers": layers}
    return load_text(json.dumps(spec), f"{kind}.yaml")  # JSON is YAML


@pytest.mark.parametrize("kind", TYPES)
def test_every_type_states_every_figure_and_has_a_witness(kind: str) -> None:
    cls = LAYER_TYPES[kind]
    assert not inspect.isabstract(cls), f"{kind}: {sorted(cls.__abstractmethods__)}"
    assert cls.type_name == kind


def test_a_type_that_forgets_a_figure_cannot_be_built() -> None:
    # States flops and nothing else: the other figures are not silently zero.
    namespace = {"type_name": "forgetful", "flops": lambda self, x: None}
    forgetful = type("Forgetful", (Layer,), namespace)
    with pytest.raises(TypeError, match=r"abstract.*connections"):
        forgetful(name="x")


@pytest.mark.parametrize("kind", TYPES)
def test_every_type_is_documented(kind: str) -> None:
    conventions = (DOCS / "conventions.md").read_text(encoding="utf-8")
    spec_format = (DOCS / "spec-format.md").read_text(encoding="utf-8")
    assert f"`{kind}`" in conventions.split("## Per layer type")[1], "conventions.md"
    assert f"| `{kind}` |" in spec_format, "spec-format.md's table of layer types"


@pytest.mark.parametrize("kind", TYPES)
@settings(max_examples=40, deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_witness_and_formulas_agree_on_random_uses(kind: str, rng: Random) -> None:
    network = sampled(kind, rng)
    result = verify(network, analyze(network), batch=rng.randint(1, 2), seed=rng.randint(0, 99))
    wrong = [(layer.name, c) for layer in result.layers for c in layer.checks if not c.agrees]
    assert wrong == []


@pytest.mark.parametrize("kind", TYPES)
def test_the_witness_never_calls_a_figure_method(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = sampled(kind, Random(kind))
    expected = [
        (r.output_shape, r.trainable_params, r.connections) for r in analyze(network).layers
    ]

    def forbidden(*args: object) -> None:
        raise AssertionError("the witness called a figure method")

    for cls in {type(layer) for layer in network.layers}:
        for klass in cls.__mro__:
            for figure in FIGURES:
                if figure in vars(klass):
                    monkeypatch.setattr(klass, figure, forbidden)
    observed = [(o.output_shape, o.trainable_params, o.connections) for o in engine.run(network)]
    assert observed == expected


def test_the_registry_finds_one_class_per_type_in_its_family() -> None:
    for name, family in FAMILIES.items():
        cls = LAYER_TYPES[name]
        assert cls.type_name == name and cls.__module__ == f"lenetcalc.layers.{family}"
    assert len(set(map(LAYER_TYPES.__getitem__, FAMILIES))) == len(FAMILIES) == len(LAYER_TYPES)


def test_every_layer_class_is_registered() -> None:
    # The other way round: a class that names a type nobody registered is unreachable.
    folder = Path(lenetcalc.layers.__file__).parent
    for module in sorted(p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "base")):
        for cls in vars(importlib.import_module(f"lenetcalc.layers.{module}")).values():
            own = isinstance(cls, type) and issubclass(cls, Layer) and "type_name" in vars(cls)
            if own and cls.__module__ == f"lenetcalc.layers.{module}":
                assert FAMILIES.get(cls.type_name) == module, cls
