"""Docs cannot drift: generated references are fresh, every output README.md and docs/ show
is what a real run prints, every hook is documented and tested, every CLI command is
documented, README's set-up commands are the ones CI runs."""

from __future__ import annotations

import ast
import difflib
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


docsrun = _load(ROOT / "tools" / "docsrun.py", "docsrun")
gendocs = _load(ROOT / "tools" / "gendocs.py", "gendocs")
readme_commands = _load(ROOT / ".ci" / "readme_commands.py", "readme_commands")
HOOKS = list(hookspecs.HOOK_STAGES)


@pytest.mark.parametrize("name", sorted(gendocs.GENERATORS))
def test_generated_doc_is_fresh(name: str) -> None:
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == gendocs.GENERATORS[name](), (
        f"docs/{name} is stale: run python tools/gendocs.py"
    )


@pytest.mark.parametrize("path", docsrun.RUN_DOCS)
def test_shown_output_is_a_real_run(path: str) -> None:
    """Every command README.md and docs/ show runs, in order, on a fresh copy of examples/;
    what it prints is what the document shows (python tools/gendocs.py writes it)."""
    committed = (ROOT / path).read_text(encoding="utf-8")
    real = docsrun.run_doc(path)
    if committed != real:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(True), real.splitlines(True), "shown", "real run", n=1
            )
        )
        pytest.fail(f"{path} differs from a real run: python tools/gendocs.py {path}\n{diff}")


def _shows_commands(text: str) -> bool:
    return bool(re.search(r"^```console\n|^```\n\$ ", text, re.M))


def test_every_doc_that_shows_commands_runs_them() -> None:
    docs = ["README.md", *(f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md")))]
    showing = [p for p in docs if _shows_commands((ROOT / p).read_text(encoding="utf-8"))]
    assert showing, "the docs show no command"
    assert set(showing) <= set(docsrun.RUN_DOCS), "add them to RUN_DOCS in tools/docsrun.py"


def test_first_setup_command_leaves_the_examples_unchanged() -> None:
    """The tour starts right after the first set-up command: that command records nothing
    in examples/, so the tour's first plan is revision 1, as the runner shows it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme_commands.setup_commands(readme)[0]
    plan = first.split("&&")[-1].strip()
    assert plan.startswith("python -m ccrules plan examples/"), first
    with docsrun.Sandbox() as sandbox:
        before = sorted(p.relative_to(sandbox.root) for p in sandbox.root.rglob("*"))
        done = sandbox.shell(plan)
        after = sorted(p.relative_to(sandbox.root) for p in sandbox.root.rglob("*"))
    assert done.status == 0, done.output
    assert "Sessions" in done.output
    assert after == before, set(after) - set(before)


def _run(text: str, *, python: bool = False) -> str:
    return docsrun.run_text(text, "test.md", python=python)


def test_runner_writes_real_output_cuts_only_by_command_and_fills_figures() -> None:
    shown = (
        "Intro with <!--=count-->9<!--/--> lines.\n"
        "```console\n"
        "$ printf 'a\\nb\\nc\\n' | head -n 2\n"
        "made up\n"
        "...\n"
        "$ seq 3 | wc -l\n"
        "```\n"
        "<!-- let: count /^(\\d+)$/ -->\n"
        "<!-- run: echo hidden > note.txt -->\n"
        "```console\n"
        "$ cat note.txt\n"
        "```\n"
    )
    assert _run(shown) == (
        "Intro with <!--=count-->3<!--/--> lines.\n"
        "```console\n"
        "$ printf 'a\\nb\\nc\\n' | head -n 2\n"
        "a\n"
        "b\n"
        "$ seq 3 | wc -l\n"
        "3\n"
        "```\n"
        "<!-- let: count /^(\\d+)$/ -->\n"
        "<!-- run: echo hidden > note.txt -->\n"
        "```console\n"
        "$ cat note.txt\n"
        "hidden\n"
        "```\n"
    )


def test_runner_clock_is_fixed_and_moves_a_minute_a_reading() -> None:
    read = (
        "python -c 'from ccrules import _history; print(_history.dt.datetime.now(_history.dt.UTC))'"
    )
    shown = f"```console\n$ {read}\n$ {read}\n```\n"
    assert _run(shown).splitlines()[2::2] == [
        "2026-12-07 09:00:00+00:00",
        "2026-12-07 09:01:00+00:00",
    ]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("```console\n$ pwd\n```\n", "temporary folder"),
        ("```console\n$ no-such-command-here\n```\n", "failed (exit 127)"),
        ("<!-- run: false -->\n", "`false` failed"),
        ("```console\n$ echo 1\n```\n<!-- let: n /^(x)$/ -->\n", "/^(x)$/ is not in"),
        ("<!--=n-->1<!--/-->\n", "has no `<!-- let: n"),
        ("<!-- let: n /(1)/ -->\n", "comes before any command"),
        ("<!-- excerpt: examples/inhouse-fintech/center.toml nope -->\n```toml\n```\n", "nope"),
    ],
)
def test_runner_refuses_what_it_cannot_run(doc: str, message: str) -> None:
    with pytest.raises(docsrun.DocsRunError, match=re.escape(message)):
        _run(doc)


def test_runner_excerpt_is_the_file_s_tables() -> None:
    shown = "<!-- excerpt: examples/inhouse-fintech/center.toml center -->\n```toml\nold\n```\n"
    toml = (ROOT / "examples" / "inhouse-fintech" / "center.toml").read_text(encoding="utf-8")
    body = _run(shown).split("```toml\n")[1].split("```")[0]
    assert body.startswith("[center]\n")
    assert body.rstrip("\n") in toml
    assert "old" not in body


def test_runner_python_blocks_show_what_each_part_prints() -> None:
    shown = (
        "```python\n"
        "values = [1, 2]\n"
        "for v in values:\n"
        "    print(v)\n"
        "# 7\n"
        "\n"
        "# a note, not output\n"
        "with open('x.txt', 'w') as f:\n"
        "    print('in', file=f)\n"
        "    print(sum(values))\n"
        "    # 0\n"
        "    print('中文')\n"
        "    # 0\n"
        "```\n"
    )
    real = _run(shown, python=True)
    assert "    print(v)\n# 1\n# 2\n\n# a note, not output\n" in real
    assert "    print(sum(values))\n    # 3\n    print('中文')\n    # 中文\n" in real
    with pytest.raises(docsrun.DocsRunError, match="show it as # lines"):
        _run("```python\nprint(1)\n```\n", python=True)
    with pytest.raises(docsrun.DocsRunError, match="nothing above prints"):
        _run("```python\nx = 1\n# 1\n```\n", python=True)
    with pytest.raises(docsrun.DocsRunError, match="an example failed"):
        _run("```python\nraise ValueError('no')\n```\n", python=True)


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
    import ccrules_packs.default

    for cls in _settings_classes(ccrules_packs.default.Settings):
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
