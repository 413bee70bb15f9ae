"""The Python blocks of docs/hooks.md, docs/writing-plugins.md and docs/api.md carry their
imports and run.

- Every block compiles, and every import in it resolves.
- hooks.md's blocks are complete programs: every name is imported or defined in the block.
  Its "plugin in twenty lines" is installed (a ``.dist-info`` entry point, as pip makes
  one) and ``ccrules check-plugin`` and ``ccrules explain --rule`` run on it.
- A writing-plugins.md block starting with a file of the template (``# src/...``,
  ``# tests/...``) is an excerpt of that file: its lines are in the file, in order, and any
  name it does not import or define itself is defined (not merely imported) there. Other
  blocks there are complete, and the two that are not part of the template run here.
- api.md's blocks run in order: a name a block does not import or define is a value an
  earlier block made, never a module or class an earlier block imported.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import os
import re
import subprocess
import symtable
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from tests.conftest import ROOT
from tests.installed import register

import ccrules
from ccrules._contract import check_plugin
from ccrules.testing import registered

DOCS = ROOT / "docs"
TEMPLATE = ROOT / "examples" / "plugin-template"
PAGES = ("hooks.md", "writing-plugins.md", "api.md")
BUILTINS = set(dir(builtins)) | {"__file__", "__name__"}
#: the first line of an excerpt of the template: the file it comes from
SOURCE = re.compile(r"# ((?:src|tests)/[\w/]+\.py)$")


@attrs.frozen
class Snippet:
    page: str
    line: int
    code: str

    @property
    def source(self) -> Path | None:
        """The template file an excerpt comes from, when its first line names one."""
        match = SOURCE.match(self.code.splitlines()[0])
        return TEMPLATE / match.group(1) if match else None

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def snippets(page: str) -> list[Snippet]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [
        Snippet(page, text.count("\n", 0, match.start()) + 2, match.group(1))
        for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    ]


ALL = [snippet for page in PAGES for snippet in snippets(page)]


def names(code: str) -> tuple[set[str], set[str], set[str]]:
    """(imported, defined, free): the names a block imports and defines at its top level,
    and those it uses from outside (builtins aside)."""
    table = symtable.symtable(code, "<snippet>", "exec")
    imported = {s.get_name() for s in table.get_symbols() if s.is_imported()}
    defined = {s.get_name() for s in table.get_symbols() if s.is_assigned() and not s.is_imported()}
    used = {s.get_name() for s in table.get_symbols() if s.is_referenced()}

    def walk(scope: symtable.SymbolTable) -> None:
        for child in scope.get_children():
            used.update(
                s.get_name() for s in child.get_symbols() if s.is_global() and s.is_referenced()
            )
            walk(child)

    walk(table)
    free = {n for n in used - imported - defined - BUILTINS if not n.startswith(".")}
    return imported, defined, free


@pytest.fixture
def template_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TEMPLATE / "src"))


@pytest.mark.parametrize("snippet", ALL, ids=str)
def test_every_snippet_compiles_and_its_imports_resolve(
    snippet: Snippet, template_on_path: None
) -> None:
    tree = ast.parse(snippet.code, filename=str(snippet))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)
        elif isinstance(node, ast.ImportFrom):
            assert node.module and node.level == 0, f"{snippet}: a relative import"
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name) or importlib.util.find_spec(
                    f"{node.module}.{alias.name}"
                ), f"{snippet}: {node.module} has no {alias.name}"


def _signature(snippet: Snippet) -> bool:
    """A hook's signature in hooks.md's reference: one ``def ...: ...`` line."""
    return bool(re.fullmatch(r"def ccrules_\w+\(.*\) -> .*: \.\.\.\n", snippet.code))


@pytest.mark.parametrize("snippet", [s for s in snippets("hooks.md") if not _signature(s)], ids=str)
def test_hooks_md_blocks_are_complete(snippet: Snippet) -> None:
    _, _, free = names(snippet.code)
    assert not free, f"{snippet}: import or define {sorted(free)}"


def _top_level_definitions(path: Path) -> set[str]:
    _, defined, _ = names(path.read_text(encoding="utf-8"))
    return defined


def _code_lines(code: str) -> list[str]:
    return [line.strip() for line in code.splitlines() if line.strip() not in ("", "...")]


@pytest.mark.parametrize("snippet", snippets("writing-plugins.md"), ids=str)
def test_writing_plugins_blocks_carry_their_imports(snippet: Snippet) -> None:
    _, _, free = names(snippet.code)
    source = snippet.source
    if source is None:
        assert not free, f"{snippet}: import or define {sorted(free)}"
        return
    assert source.is_file(), f"{snippet}: no {source.relative_to(ROOT)}"
    outside = free - _top_level_definitions(source)
    assert not outside, (
        f"{snippet}: import {sorted(outside)} in the block (as {source.name} does), or show "
        "where they are defined"
    )
    lines = iter(_code_lines(source.read_text(encoding="utf-8")))
    for shown in _code_lines(snippet.code)[1:]:
        assert any(line == shown for line in lines), (
            f"{snippet}: {shown!r} is not in {source.relative_to(ROOT)} (or not in this order)"
        )


def test_writing_plugins_names_the_files_its_excerpts_come_from() -> None:
    excerpts = [s for s in snippets("writing-plugins.md") if s.source is not None]
    files = {s.source.relative_to(TEMPLATE).as_posix() for s in excerpts if s.source}
    assert files >= {
        "src/ccrules_night_shift/__init__.py",
        "src/ccrules_night_shift/rule.py",
        "src/ccrules_night_shift/settings.py",
        "src/ccrules_night_shift/checks.py",
        "tests/test_night_shift.py",
    }


def test_api_md_blocks_use_only_values_of_earlier_blocks() -> None:
    values: set[str] = set()
    imports: set[str] = set()
    for snippet in snippets("api.md"):
        imported, defined, free = names(snippet.code)
        modules = sorted(free & (imports - values))
        assert not modules, f"{snippet}: import {modules} in this block too"
        unknown = sorted(free - values - imports)
        assert not unknown, f"{snippet}: {unknown} are neither imported nor made earlier"
        values |= defined
        imports |= imported


def test_a_missing_import_is_caught() -> None:
    _, _, free = names("import attrs\n\n@attrs.frozen\nclass A:\n    x: Need = None\n")
    assert free == {"Need"}
    _, _, free = names("def f(center: Center) -> list[int]:\n    return [len(x) for x in y]\n")
    assert free == {"Center", "y"}


# --------------------------------------------------------------------------------------------
# the blocks that are programs of their own run


def _block(page: str, marker: str) -> str:
    (found,) = [s.code for s in snippets(page) if marker in s.code]
    return found


def _module(code: str, name: str) -> ModuleType:
    module = ModuleType(name)
    exec(compile(code, f"<{name}>", "exec"), module.__dict__)
    return module


def _twenty_lines() -> tuple[str, dict[str, Any]]:
    text = (DOCS / "hooks.md").read_text(encoding="utf-8")
    section = text.split("## A plugin in twenty lines", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S)
    toml = re.search(r"```toml\n(.*?)```", section, flags=re.S)
    assert code and toml
    return code.group(1), tomllib.loads(toml.group(1))


@pytest.fixture(scope="module")
def twenty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The plugin installed as hooks.md packages it, and the small synthetic center of
    ``ccrules.testing``, enabling it with the settings hooks.md gives."""
    code, toml = _twenty_lines()
    work = tmp_path_factory.mktemp("twenty")
    project = toml["project"]
    (entry, target), *_ = project["entry-points"]["ccrules"].items()
    package = work / "site" / target
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(code, encoding="utf-8")
    register(work / "site", project["name"], project["version"], {entry: target})
    center = ccrules.testing.small_center(work / "center")
    config = (center / "center.toml").read_text(encoding="utf-8")
    enabled = ", ".join(f'"{n}"' for n in toml["plugins"]["enabled"])
    config, count = re.subn(r"^enabled = \[.*\]$", f"enabled = [{enabled}]", config, flags=re.M)
    assert count == 1
    settings = toml["plugins"][entry]
    config += f"\n[plugins.{entry}]\n" + "".join(f"{k} = {v!r}\n" for k, v in settings.items())
    (center / "center.toml").write_text(config, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(work / "site"), env.get("PYTHONPATH", "")])
    return center, package, env


def _ccrules(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ccrules", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_the_twenty_line_plugin_keeps_every_contract(
    twenty: tuple[Path, Path, dict[str, str]],
) -> None:
    center, _, env = twenty
    done = _ccrules(env, "check-plugin", "my-center", str(center))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  ok   rules-declared:" in done.stdout
    assert done.stdout.rstrip().endswith("all contracts hold")


def test_explain_rule_works_for_the_twenty_line_plugin(
    twenty: tuple[Path, Path, dict[str, str]],
) -> None:
    center, _, env = twenty
    done = _ccrules(env, "explain", str(center), "--rule", "my-center.low-score")
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first == "my-center.low-score: A QA score below the threshold is a need. (my-center)"
    found = re.findall(
        r"^  (mine:\S+): my-center\.low-score \(my-center 1\.0\.0\): QA ", done.stdout, re.M
    )
    assert found, done.stdout[:2000]
    listed = _ccrules(env, "rules", str(center))
    assert "my-center/my-center.low-score  (needs)" in listed.stdout


def test_without_its_rules_the_twenty_line_plugin_fails_check_plugin(
    twenty: tuple[Path, Path, dict[str, str]],
) -> None:
    center, _, _ = twenty
    code, _ = _twenty_lines()
    plugin = _module(code, "my_center_rules_undeclared")
    del plugin.ccrules_rules
    report = check_plugin("my-center", plugin, center)
    (failure,) = [f for f in report.failures if f.check == "rules-declared"]
    assert "rule 'my-center.low-score' of plugin 'my-center' is not declared" in failure.message
    assert "declare it in ccrules_rules" in failure.message


def test_the_calibrated_score_function_gives_the_default_packs_figures() -> None:
    module = _module(_block("writing-plugins.md", "def calibrated_scores("), "calibrated")
    with ccrules.Engine.from_folder(ROOT / "examples" / "inhouse-fintech") as engine:
        plan = engine.plan()
        scores = {(a, c): s for a, c, s in module.calibrated_scores(engine.evidence)}
    compared = 0
    for need in plan.needs:
        for reason in need.reasons:
            if reason.rule == "needs.competency-gap":
                facts = {fact.name: fact.value for fact in reason.facts}
                assert facts["evaluator_bias"] != 0 or facts["qa_score"] == facts["raw_qa_score"]
                assert scores[(need.agent_id, need.competency_id)] == facts["qa_score"], need.id
                compared += 1
    assert compared > 10


def test_the_night_minutes_aggregate_gives_what_the_tutorial_says() -> None:
    module = _module(_block("writing-plugins.md", "def ccrules_aggregate_evidence("), "night")
    text = (DOCS / "writing-plugins.md").read_text(encoding="utf-8")
    query, shown = re.search(
        r'`evidence\.sql\("(SELECT [^"]+)"\)`\s+gives `(\[.*?\])`', text, re.S
    ).groups()
    telecom = ROOT / "examples" / "telecom-hotline"
    with ccrules.Engine.from_folder(telecom) as engine, registered(engine, module, "night"):
        engine.plan()
        rows = engine.evidence.sql(query)
    assert rows == ast.literal_eval(shown)
