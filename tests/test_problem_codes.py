"""Every code a Problem carries is explained in src/ccrules/problem_codes.toml (which
docs/errors.md is generated from), in English and Chinese, and every code there is used."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODES = tomllib.loads((ROOT / "src" / "ccrules" / "problem_codes.toml").read_text("utf-8"))
AREAS = {"files", "rows", "settings", "loop", "plugins", "commands", "simulation"}
CODE = re.compile(r"^[a-z]+(-[a-z]+)*$")
# helpers that take the code as their last positional argument
POSITIONAL = {"_problem", "_report_rows"}


def _sources() -> list[Path]:
    return sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")])


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
        return node.value
    return None


def codes_in_code() -> dict[str, str]:
    """code -> the first file:line that gives it to a Problem."""
    found: dict[str, str] = {}

    def add(node: ast.expr | None, where: str) -> None:
        code = _literal(node)
        if code is not None:
            found.setdefault(code, where)

    for path in _sources():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        add(keyword.value, where)
                if _name(node.func) in POSITIONAL and node.args:
                    add(node.args[-1], where)
                if _name(node.func) == "append" and isinstance(node.func, ast.Attribute):
                    owner = node.func.value
                    if isinstance(owner, ast.Name) and owner.id == "checks" and node.args:
                        item = node.args[0]
                        if isinstance(item, ast.Tuple) and item.elts:
                            add(item.elts[-1], where)
            elif isinstance(node, ast.FunctionDef):
                arguments = node.args
                named = [*arguments.args, *arguments.kwonlyargs]
                defaults = [
                    *([None] * (len(arguments.args) - len(arguments.defaults))),
                    *arguments.defaults,
                    *arguments.kw_defaults,
                ]
                for argument, default in zip(named, defaults, strict=True):
                    if argument.arg == "code":
                        add(default, where)
    return found


def test_every_code_given_to_a_problem_is_explained() -> None:
    missing = {c: w for c, w in codes_in_code().items() if c not in CODES}
    assert not missing, f"explain these in src/ccrules/problem_codes.toml: {missing}"


def test_every_explained_code_is_used() -> None:
    text = "\n".join(p.read_text("utf-8") for p in _sources())
    unused = [c for c in CODES if f'"{c}"' not in text]
    assert not unused, f"no longer used, remove from problem_codes.toml: {unused}"


def test_every_code_says_what_and_what_to_do_in_both_languages() -> None:
    for code, entry in CODES.items():
        assert entry["area"] in AREAS, code
        for key in ("what", "do", "what_zh", "do_zh"):
            assert entry[key].strip(), (code, key)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["what_zh"]), code
