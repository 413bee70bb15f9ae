"""The contract checks (``ccrules check-plugin``, ``ccrules.testing.assert_plugin_contract``)
catch each defect they claim to catch, and pass a plugin that has none."""

from __future__ import annotations

import itertools
import json
import types
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import Result

import ccrules
from ccrules import Center, Evidence
from ccrules._contract import CHECKS, check_plugin
from ccrules.model import Assembly, CarryOver, Need, RuleInfo, Stage
from ccrules.testing import assert_plugin_contract

VERSION = "1.2.0"
REF = ccrules.PluginRef("spy", VERSION)
RULE = "spy.first-agent"


def _need(center: Center, ref: ccrules.PluginRef = REF) -> Need:
    agent = next(iter(center.agents.values()))
    competency = next(iter(center.competencies))
    return Need(
        id=f"spy:{agent.id}:{competency}",
        agent_id=agent.id,
        competency_id=competency,
        source="spy",
        severity=0.5,
        priority=10,
        owner_team="team-lead",
        reasons=(ref.reason(RULE, "The first agent needs the first competency."),),
    )


def plugin(**hooks: Callable[..., Any]) -> types.SimpleNamespace:
    """A plugin object named spy at VERSION, declaring RULE, with the given hooks."""

    @ccrules.hookimpl
    def ccrules_rules() -> list[RuleInfo]:
        return [RuleInfo(RULE, Stage.NEEDS, "The first agent needs the first competency.")]

    hooks = {"ccrules_rules": ccrules_rules, **hooks}  # a test may declare others
    return types.SimpleNamespace(__name__="spy_plugin", __version__=VERSION, **hooks)


@ccrules.hookimpl
def good_needs(center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> list[Need]:
    return [_need(center)]


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ccrules.testing.small_center(tmp_path_factory.mktemp("contract") / "center")


def failures(report: Any, check: str) -> list[str]:
    assert check in CHECKS
    return [f"{f.hook}: {f.message}" for f in report.failures if f.check == check]


def test_a_plugin_keeping_every_contract_passes(center: Path) -> None:
    report = check_plugin("spy", plugin(ccrules_needs=good_needs), center)
    assert report.ok, report.text()
    assert report.version == VERSION
    assert report.implemented == ("ccrules_needs", "ccrules_rules")
    assert report.exercised == ("ccrules_needs", "ccrules_rules")
    assert "all contracts hold" in report.text()


def test_unknown_hook_names_the_one_meant(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_need(center: Center) -> list[Need]:
        return []

    report = check_plugin("spy", plugin(ccrules_need=ccrules_need), center)
    assert failures(report, "hooks-known") == [
        "None: ccrules_need: no hook ccrules_need; did you mean ccrules_needs?"
    ]


def test_a_marked_function_under_another_name_must_name_its_hook(center: Path) -> None:
    @ccrules.hookimpl(specname="ccrules_nneds")
    def find_needs(center: Center) -> list[Need]:
        return []

    report = check_plugin("spy", plugin(find_needs=find_needs), center)
    assert "did you mean ccrules_needs?" in failures(report, "hooks-known")[0]


def test_unmarked_hook_function(center: Path) -> None:
    def ccrules_needs(
        center: Center, evidence: Evidence, carried: Sequence[CarryOver]
    ) -> list[Need]:
        return []

    report = check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center)
    assert failures(report, "hooks-marked") == [
        "ccrules_needs: ccrules_needs is not marked with @ccrules.hookimpl, so it is never called"
    ]
    assert not report.ok


def test_argument_the_hook_does_not_pass(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_needs(center: Center, evidence: Evidence, previous: object) -> list[Need]:
        return []

    (found,) = failures(
        check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center), "spec-arguments"
    )
    assert "takes previous; the hook passes only (center, evidence, carried)" in found


def test_default_values_on_hookimpl_parameters(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_needs(
        center: Center, evidence: Evidence, carried: Sequence[CarryOver] = ()
    ) -> list[Need]:
        return []

    (found,) = failures(
        check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center), "no-defaults"
    )
    assert "gives defaults to carried" in found


def test_wrapper_that_does_not_yield_and_generator_that_is_no_wrapper(center: Path) -> None:
    @ccrules.hookimpl(wrapper=True)
    def ccrules_prioritize(center: Center, needs: Sequence[Need]) -> None:
        return None

    @ccrules.hookimpl
    def ccrules_assemble_sessions(center: Center, needs: Sequence[Need]) -> Generator[None]:
        yield

    report = check_plugin(
        "spy",
        plugin(
            ccrules_prioritize=ccrules_prioritize,
            ccrules_assemble_sessions=ccrules_assemble_sessions,
        ),
        center,
    )
    found = failures(report, "wrappers")
    assert len(found) == 2
    assert "marked wrapper=True but does not `yield`" in found[1]
    assert "yields but is not marked" in found[0]


def test_result_of_the_wrong_type(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_needs(center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> Any:
        return [_need(center), {"agent_id": "A1"}]

    report = check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center)
    assert failures(report, "result-types") == [
        "ccrules_needs: it returned a list: the result[1] is a dict, expected Need"
    ]


def test_deciding_hook_returning_a_bare_object(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_assemble_sessions(center: Center, needs: Sequence[Need]) -> Any:
        return []  # an Assembly or None belongs here

    report = check_plugin(
        "spy", plugin(ccrules_assemble_sessions=ccrules_assemble_sessions), center
    )
    (found,) = failures(report, "result-types")
    assert "expected Assembly or None" in found


def test_reason_by_another_version_or_none_at_all(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_needs(
        center: Center, evidence: Evidence, carried: Sequence[CarryOver]
    ) -> list[Need]:
        stale = _need(center, ccrules.PluginRef("spy", "0.9"))
        return [stale, attrs.evolve(stale, id="spy:none", reasons=())]

    report = check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center)
    found = failures(report, "reasons")
    assert any("has no reason by spy 1.2.0 (its reasons name spy 0.9)" in f for f in found)
    assert any("Need 'spy:none' has no reason by spy 1.2.0 (it has no reason)" in f for f in found)


def test_a_wrapper_answers_for_what_it_changes_not_for_what_it_passes_on(center: Path) -> None:
    @ccrules.hookimpl(wrapper=True, specname="ccrules_assemble_sessions")
    def passes_on(center: Center, needs: Sequence[Need]) -> Generator[None, Assembly, Assembly]:
        return (yield)

    @ccrules.hookimpl(wrapper=True, specname="ccrules_assemble_sessions")
    def changes(center: Center, needs: Sequence[Need]) -> Generator[None, Assembly, Assembly]:
        assembly = yield
        sessions = tuple(
            attrs.evolve(s, duration_minutes=s.duration_minutes + 5) for s in assembly.sessions
        )
        return attrs.evolve(assembly, sessions=sessions)

    assert check_plugin("spy", plugin(adjust=passes_on), center).ok
    report = check_plugin("spy", plugin(adjust=changes), center)
    found = failures(report, "reasons")
    assert len(found) == 4, found  # three shown, the rest counted
    assert all(f.startswith("ccrules_assemble_sessions: Session ") for f in found[:3])
    assert found[3].endswith("more like these")


def test_nondeterministic_results(center: Path) -> None:
    counter = itertools.count()

    @ccrules.hookimpl
    def ccrules_needs(
        center: Center, evidence: Evidence, carried: Sequence[CarryOver]
    ) -> list[Need]:
        return [attrs.evolve(_need(center), severity=round(0.1 * (1 + next(counter) % 5), 1))]

    report = check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center)
    (found,) = failures(report, "deterministic")
    assert found.startswith("ccrules_needs: call ") and "returned something else" in found
    assert failures(report, "reasons") == []


def test_a_plugin_that_raises(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_needs(
        center: Center, evidence: Evidence, carried: Sequence[CarryOver]
    ) -> list[Need]:
        raise KeyError("C-404")

    (found,) = failures(check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center), "runs")
    assert found.startswith("ccrules_needs: planning:") and "C-404" in found


def test_a_reason_naming_a_rule_the_plugin_never_declared(center: Path) -> None:
    """The engine checks rule ids only for a plugin that declares some rules; check-plugin
    fails a plugin that declares none, or not the one its reasons name."""
    undeclared = types.SimpleNamespace(
        __name__="spy_plugin", __version__=VERSION, ccrules_needs=good_needs
    )
    report = check_plugin("spy", undeclared, center)
    assert not report.ok
    (found,) = failures(report, "rules-declared")
    assert found == (
        "ccrules_needs: rule 'spy.first-agent' of plugin 'spy' is not declared (none "
        "declared); declare it in ccrules_rules: RuleInfo('spy.first-agent', Stage.NEEDS, "
        '"what it does"), so that `ccrules rules` lists it and `ccrules explain --rule '
        "spy.first-agent` finds it"
    )
    assert "FAIL rules-declared" in report.text()

    @ccrules.hookimpl
    def ccrules_rules() -> list[RuleInfo]:
        return [RuleInfo("spy.other", Stage.NEEDS, "Another rule.")]

    report = check_plugin(
        "spy", plugin(ccrules_needs=good_needs, ccrules_rules=ccrules_rules), center
    )
    (found,) = failures(report, "rules-declared")
    assert "rule 'spy.first-agent' of plugin 'spy' is not declared (it declares spy.other)" in found
    # the engine refuses it too, once the plugin declares rules
    assert any("not among the rules plugin 'spy' declares" in f for f in failures(report, "runs"))


def test_rules_declared_looks_into_every_reason_of_a_result(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_needs(
        center: Center, evidence: Evidence, carried: Sequence[CarryOver]
    ) -> list[Need]:
        need = _need(center)
        extra = REF.reason("spy.hidden", "A second reason on the same need.")
        return [attrs.evolve(need, reasons=(*need.reasons, extra))]

    (found,) = failures(
        check_plugin("spy", plugin(ccrules_needs=ccrules_needs), center), "rules-declared"
    )
    assert "rule 'spy.hidden' of plugin 'spy'" in found


FIRST_PARTY = [
    ("default", "inhouse-fintech"),
    ("inhouse", "inhouse-fintech"),
    ("healthy-mix", "inhouse-fintech"),
    ("monthly-theme", "inhouse-fintech"),
    ("bpo", "bpo-inbound"),
    ("feedback", "telecom-hotline"),
    ("release-cascade", "tax-software-support"),
]


@pytest.mark.parametrize(("pack", "example"), FIRST_PARTY)
def test_first_party_pack_keeps_every_contract_on_its_example(pack: str, example: str) -> None:
    root = Path(__file__).resolve().parent.parent
    report = check_plugin(pack, center=root / "examples" / example)
    assert report.ok, report.text()
    if pack == "bpo":
        assert "ccrules_trainer_pool" in report.exercised


def test_every_first_party_pack_is_checked() -> None:
    from ccrules._manager import installed

    packs = {
        name for name, point in installed().items() if point.dist and point.dist.name == "ccrules"
    }
    assert packs == {pack for pack, _ in FIRST_PARTY}


def test_assert_plugin_contract_fails_the_test_with_the_report(center: Path) -> None:
    @ccrules.hookimpl
    def ccrules_needs(
        center: Center, evidence: Evidence, carried: Sequence[CarryOver]
    ) -> list[Need]:
        return [_need(center, ccrules.PluginRef("other", VERSION))]

    with pytest.raises(AssertionError, match=r"FAIL reasons"):
        assert_plugin_contract(plugin(ccrules_needs=ccrules_needs), name="spy", center=center)
    report = assert_plugin_contract(plugin(ccrules_needs=good_needs), name="spy", center=center)
    assert report.ok


def test_cli_check_plugin(cli: Callable[..., Result], center: Path) -> None:
    result = cli("check-plugin", "default", center)
    assert result.exit_code == 0, result.output
    assert "all contracts hold" in result.stdout
    data = json.loads(cli("check-plugin", "healthy-mix", center, "--json").stdout)
    assert data["ok"] is True and data["plugin"] == "healthy-mix"


def test_cli_check_plugin_bad_input(cli: Callable[..., Result], tmp_path: Path) -> None:
    unknown = cli("check-plugin", "defualt")
    assert unknown.exit_code == 2
    assert "unknown plugin 'defualt' (did you mean 'default'?)" in unknown.stderr
    assert "Traceback" not in unknown.output
    missing = cli("check-plugin", "default", tmp_path)
    assert missing.exit_code == 2
    assert f"{tmp_path / 'center.toml'}: no center.toml here" in missing.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_check_plugin_exits_1_on_a_broken_contract(
    cli: Callable[..., Result], center: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @ccrules.hookimpl
    def ccrules_needs(center: Center, evidence: Evidence, carried: Sequence[CarryOver]) -> Any:
        return ["not a need"]

    monkeypatch.setattr(
        "ccrules._contract._resolve", lambda name, _: (plugin(ccrules_needs=ccrules_needs), VERSION)
    )
    result = cli("check-plugin", "spy", center)
    assert result.exit_code == 1
    assert "FAIL result-types" in result.stdout
    assert "spy: fix the failures above" in result.stderr
