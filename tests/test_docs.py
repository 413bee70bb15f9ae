"""Docs cannot drift: generated references are fresh, every hook is documented and tested,
every CLI command is documented, README's set-up commands are the ones CI runs."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import attrs
import pytest
from tests.conftest import ROOT

from ccrules import hookspecs
from ccrules._schema import CORE_SOURCES
from ccrules.cli import main as cli_main


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gendocs = _load(ROOT / "tools" / "gendocs.py", "gendocs")
readme_commands = _load(ROOT / ".ci" / "readme_commands.py", "readme_commands")
HOOKS = list(hookspecs.HOOK_STAGES)


@pytest.mark.parametrize("name", sorted(gendocs.GENERATORS))
def test_generated_doc_is_fresh(name: str) -> None:
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == gendocs.GENERATORS[name](), (
        f"docs/{name} is stale: run python tools/gendocs.py"
    )


def test_every_stage_has_hooks() -> None:
    stages = {str(s) for s in hookspecs.HOOK_STAGES.values()}
    assert stages >= {
        "evidence",
        "needs",
        "priorities",
        "courses",
        "trainers",
        "schedule",
        "evaluation",
        "close",
    }


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name: str) -> None:
    function = getattr(hookspecs, name)
    doc = gendocs.parse_doc(function.__doc__)
    assert doc.prose, f"{name}: say when it fires"
    parameters = list(inspect.signature(function).parameters)
    missing = [p for p in parameters if p not in doc.params]
    assert not missing, f"{name}: document {missing} with :param:"
    extra = [p for p in doc.params if p not in parameters]
    assert not extra, f"{name}: documents {extra}, which it does not take"
    firstresult = getattr(function, "ccrules_spec", {}).get("firstresult")
    stops = "Stops at first non-None result." in (function.__doc__ or "")
    assert bool(firstresult) == stops, f"{name}: say 'Stops at first non-None result.'"
    assert "versionadded" in (function.__doc__ or "")
    reference = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert f"### {name}\n" in reference
    assert gendocs.hook_signature(name) in reference


def _test_functions() -> set[str]:
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    return names


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name: str) -> None:
    assert f"test_hook_{name}" in _test_functions(), f"write test_hook_{name} (tests/test_hooks.py)"


@pytest.mark.parametrize("command", sorted(cli_main.commands))  # type: ignore[attr-defined]
def test_cli_command_is_documented(command: str) -> None:
    assert f"## ccrules {command}\n" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"ccrules {command}\b", readme), f"mention `ccrules {command}` in README.md"


def test_every_data_column_is_documented() -> None:
    for source in CORE_SOURCES:
        assert source.doc, source.name
        for column in source.columns:
            assert column.doc, f"{source.name}.{column.name}"


def _settings_classes(cls: type) -> list[type]:
    found = [cls]
    attrs.resolve_types(cls)
    for field in attrs.fields(cls):
        args = getattr(field.type, "__args__", ())
        inner = args[0] if args else field.type
        if isinstance(inner, type) and attrs.has(inner):
            found += _settings_classes(inner)
    return found


def test_every_default_pack_setting_is_documented() -> None:
    import ccrules_default

    for cls in _settings_classes(ccrules_default.Settings):
        doc = gendocs.parse_doc(cls.__doc__)
        for field in attrs.fields(cls):
            args = getattr(field.type, "__args__", ())
            inner = args[0] if args else field.type
            if isinstance(inner, type) and attrs.has(inner):
                continue
            assert field.name in doc.params, f"{cls.__name__}.{field.name}: add :param:"


def test_readme_has_exactly_two_setup_commands_and_ci_runs_them() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme_commands.setup_commands(readme)
    assert len(commands) == 2, commands
    main_job, tests = commands
    assert "ccrules plan examples/inhouse-fintech" in main_job
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".ci/readme_commands.py README.md" in ci
    assert 'run_fresh tests "${commands[1]}"' in ci


def test_plugin_authors_tutorial_covers_the_testing_api() -> None:
    """docs/writing-plugins.md walks through every fixture, every contract check and the
    commands an author runs; docs/testing.md (generated) is the reference."""
    from ccrules._contract import CHECKS

    tutorial = (ROOT / "docs" / "writing-plugins.md").read_text(encoding="utf-8")
    for name in ("ccrules_center", "ccrules_engine", "ccrules_recorder", "registered"):
        assert f"`{name}" in tutorial, f"docs/writing-plugins.md: show {name}"
    for check in CHECKS:
        assert f"  ok   {check}:" in tutorial, f"docs/writing-plugins.md: show check {check}"
    for command in ("ccrules plugins", "ccrules hooks", "ccrules explain", "ccrules check-plugin"):
        assert command in tutorial
    template = ROOT / "examples" / "plugin-template"
    code = "\n".join(p.read_text(encoding="utf-8") for p in template.rglob("*.py"))
    for block in re.findall(r"```python\n(.*?)```", tutorial, re.S):
        first = next(line for line in block.splitlines() if line.strip())
        if (
            first.startswith(("@ccrules.hookimpl", "def ", "@attrs"))
            and "night_minutes" not in block
        ):
            head = first.split("(")[0]  # the name; the tutorial may shorten type hints
            assert head in code, f"docs/writing-plugins.md shows code the template lacks: {first}"


@pytest.mark.parametrize("name", ["render_report", "PlanSource", "Pseudonyms", "SECTIONS"])
def test_report_api_is_documented(name: str) -> None:
    import ccrules.report

    assert name in ccrules.report.__all__ or hasattr(ccrules.report, name)
    assert name in (ROOT / "docs" / "api.md").read_text(encoding="utf-8"), (
        f"document ccrules.report.{name} in docs/api.md"
    )
