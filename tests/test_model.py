"""Every model survives the converter, in memory and through JSON text."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccrules import CenterConfig, converter
from ccrules.model import Need, Plan, Reason, Review, Role, Trainer
from ccrules.strategies import MODEL_CLASSES, from_model


def test_every_model_is_frozen_attrs() -> None:
    assert len(MODEL_CLASSES) >= 25
    for cls in MODEL_CLASSES:
        params = cls.__attrs_attrs__
        assert params, cls
        assert attrs.has(cls)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            instance = cls.__new__(cls)
            object.__setattr__  # noqa: B018 - frozen classes refuse normal setattr
            setattr(instance, params[0].name, None)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_trip(cls: type, data: st.DataObject) -> None:
    value = data.draw(from_model(cls))
    plain = converter.unstructure(value)
    assert converter.structure(plain, cls) == value
    text = json.dumps(plain, ensure_ascii=False)
    assert converter.structure(json.loads(text), cls) == value


@settings(max_examples=25, deadline=None)
@given(plan=from_model(Plan))
def test_plan_json_is_stable(plan: Plan) -> None:
    from ccrules import plan_from_json, plan_to_json

    text = plan_to_json(plan)
    assert plan_to_json(plan_from_json(text)) == text


@pytest.mark.parametrize("cls", [Plan, Review], ids=lambda c: c.__name__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_one_line_json_is_the_unstructured_form(cls: type, data: st.DataObject) -> None:
    # the history's one-line JSON encodes the objects a level at a time: the same text as
    # unstructuring first, and the same as the indented text read back
    from ccrules import plan_to_json, review_to_json
    from ccrules._planjson import PLAN_FORMAT, REVIEW_FORMAT

    value = data.draw(from_model(cls))
    write, tag = (plan_to_json, PLAN_FORMAT) if cls is Plan else (review_to_json, REVIEW_FORMAT)
    one_line = write(value, indent=None)
    plain = {"format": tag, **converter.unstructure(value)}
    assert one_line == json.dumps(plain, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert json.loads(one_line) == json.loads(write(value))


def test_center_config_round_trip() -> None:
    text = (
        '[center]\nname = "甲"\nmodel = "bpo"\nclient = "乙"\n'
        '[[cycles]]\nid = "c1"\nstart = 2026-01-05\nend = 2026-01-09\n'
        '[plugins]\nenabled = ["default"]\n[plugins.default.gaps]\nthreshold = 12\n'
    )
    from ccrules._center import parse_config

    config = parse_config(text)
    assert converter.structure(converter.unstructure(config), CenterConfig) == config
    assert config.plugins.settings == {"default": {"gaps": {"threshold": 12}}}


@pytest.mark.parametrize(
    ("cls", "value", "expected"),
    [
        (Need, {"id": 1}, "expected text"),
        (
            Reason,
            {
                "rule": "r",
                "plugin": "p",
                "version": "1",
                "text": "t",
                "facts": [{"name": "x", "value": [1]}],
            },
            "expected text, a number",
        ),
        (
            Role,
            {"id": "r", "name": "n", "requirements": [{"competency_id": "c", "level": "80"}]},
            "expected a number",
        ),
        (Trainer, {"id": "t", "name": "n", "kind": "wizard", "capacity_hours": 1}, "one of"),
    ],
)
def test_strict_structuring_names_the_problem(
    cls: type, value: dict[str, Any], expected: str
) -> None:
    from ccrules._convert import structure_problems

    with pytest.raises(Exception) as info:
        converter.structure(value, cls)
    messages = " | ".join(p.message for p in structure_problems(info.value, "x"))
    assert expected in messages


def test_equal_facts_read_back_are_one_object() -> None:
    from ccrules.model import Fact

    raw = {"name": "margin", "value": 5, "source": "plugins.default.trainers.margin"}
    first, second = converter.structure([dict(raw), dict(raw)], tuple[Fact, ...])
    assert first is second and first == Fact("margin", 5, "plugins.default.trainers.margin")
    # a value of another type is another fact (True, 1 and 1.0 are equal keys in Python)
    assert converter.structure({**raw, "value": True}, Fact).value is True
    assert converter.structure({**raw, "value": 5.0}, Fact).value == 5.0


@pytest.mark.parametrize(
    "raw",
    [{"name": "a", "value": [1]}, {"name": 1, "value": 1}, {"value": 1}, "text"],
    ids=["list value", "number name", "no name", "not a table"],
)
def test_a_bad_fact_is_still_refused(raw: object) -> None:
    from ccrules.model import Fact

    with pytest.raises(Exception) as caught:
        converter.structure(raw, Fact)
    assert not isinstance(caught.value, AssertionError)


def test_zero_and_minus_zero_facts_stay_apart() -> None:
    # -0.0 == 0.0 in Python, but JSON writes them apart: no cache may swap one for the other
    from ccrules._planjson import facts_json
    from ccrules._reasons import PluginRef
    from ccrules.model import Fact

    ref = PluginRef("p", "1")
    made = [ref.fact("x", value) for value in (0.0, -0.0, 0.0)]
    assert [repr(f.value) for f in made] == ["0.0", "-0.0", "0.0"]
    read = converter.structure([{"name": "x", "value": v} for v in (0.0, -0.0)], tuple[Fact, ...])
    assert [repr(f.value) for f in read] == ["0.0", "-0.0"]
    assert facts_json(tuple(made)) == json.dumps(converter.unstructure(tuple(made)))


@settings(max_examples=30, deadline=None)
@given(reason=from_model(Reason))
def test_decision_rows_hold_the_facts_unstructured(reason: Reason) -> None:
    from ccrules._planjson import facts_json

    expected = json.dumps(converter.unstructure(reason.facts), ensure_ascii=False)
    assert facts_json(reason.facts) == expected
    assert facts_json(reason.facts) == expected  # and again, from the cache
