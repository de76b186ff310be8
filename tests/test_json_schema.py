"""Every command's JSON follows the JSON Schema shipped in the package."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import jsonschema
import pytest
from click.testing import Result

from lenetcalc.present.jsonout import SCHEMA_FILE, schema

Run = Callable[..., Result]
COMMANDS = [
    ("summary", "lenet5"),
    ("summary", "resnet18", "--depth", "1", "--dtype", "float16", "--batch", "8"),
    ("summary", "lenet5-mnist", "--verify"),
    ("export", "lenet5", "resnet18"),
    ("verify", "lenet5"),
    ("compare", "lenet5", "lenet5-modern", "lenet5-mnist"),
    ("compare", "lenet5", "lenet5-mnist", "--by-layer", "--metric", "macs"),
    ("explain", "lenet5", "C3"),
    ("reconcile", "resnet50"),
    ("reconcile", "--rules"),
    ("summary", "vit_b_16", "--as", "torchinfo"),
    ("explain", "lenet5", "--as", "fvcore"),
]


def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


def test_the_schema_ships_inside_the_package() -> None:
    assert resources.files("lenetcalc").joinpath(SCHEMA_FILE).is_file()


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_json_validates(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    validator().validate(data)
    assert data["schema_version"] == 1


def test_the_schema_refuses_what_is_not_the_contract(run: Run) -> None:
    data = json.loads(run("summary", "lenet5", "-f", "json").output)
    check = validator()
    data["layers"][0]["receptive_field"] = {"size": "5", "jump": [1, 1]}  # RF as text
    assert not check.is_valid(data)
    del data["layers"][0]["receptive_field"]
    assert not check.is_valid(data)
    fresh = json.loads(run("summary", "lenet5", "-f", "json").output)
    fresh["totals"]["trainable params"] = 60_000  # a display label as a key
    assert not check.is_valid(fresh)


def test_totals_carry_running_statistics_and_torchinfo_sizes(run: Run) -> None:
    data = json.loads(run("summary", "resnet50", "-f", "json").output)
    totals, memory = data["totals"], data["memory"]
    assert totals["params"] - totals["running_statistics"] == 25_557_032  # torchinfo's total
    assert memory["forward_backward_bytes"] == 177_831_744  # torchinfo: 177.83 MB
    assert memory["input_bytes"] == 3 * 224 * 224 * 4
