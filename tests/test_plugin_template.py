"""examples/plugin-template works wherever it is copied: a copy outside the repository runs
its own test suite and its end-to-end check, with the package registered as pip registers
it (an entry point in a ``.dist-info``), in a subprocess of the current environment. .ci/run
also installs it in a fresh environment and runs both there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT
from tests.installed import register

TEMPLATE = ROOT / "examples" / "plugin-template"
SKIP = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.egg-info", ".ccrules", "build")


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The template copied to a temporary folder outside the repository, registered as an
    installed distribution, and the environment a user's shell would have."""
    work = tmp_path_factory.mktemp("elsewhere")
    assert not work.resolve().is_relative_to(ROOT.resolve())
    folder = work / "my-center-rules"
    shutil.copytree(TEMPLATE, folder, ignore=SKIP)
    site = work / "site"
    register(site, "ccrules-night-shift", "0.1.0", {"night-shift": "ccrules_night_shift"})
    env = dict(os.environ)
    path = [str(folder / "src"), str(site), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(path).rstrip(os.pathsep)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    return folder, env


def run(folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


def test_the_template_names_nothing_outside_its_folder() -> None:
    for path in sorted(TEMPLATE.rglob("*")):
        if path.suffix in {".py", ".toml", ".md"}:
            text = path.read_text(encoding="utf-8")
            name = path.relative_to(TEMPLATE)
            assert "telecom-hotline" not in text, f"{name} names a repository example"
            if path.suffix != ".md":  # a README may link to the docs it came with
                assert not re.search(r"parents\[[2-9]\]|\.\./", text), f"{name} looks outside"


def test_the_copy_imports_itself_not_the_repository(copied: tuple[Path, dict[str, str]]) -> None:
    folder, env = copied
    done = run(
        folder,
        env,
        "-c",
        "import ccrules_night_shift, ccrules._manager as m; "
        "print(ccrules_night_shift.__file__); print(m.installed()['night-shift'].value)",
    )
    assert done.returncode == 0, done.stderr
    where, value = done.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(folder.resolve())
    assert value == "ccrules_night_shift"


def test_the_copied_template_passes_its_own_tests(copied: tuple[Path, dict[str, str]]) -> None:
    folder, env = copied
    done = run(folder, env, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(r"\b7 passed\b", done.stdout), done.stdout[-2000:]


def test_the_copied_template_checks_itself_end_to_end(copied: tuple[Path, dict[str, str]]) -> None:
    folder, env = copied
    done = run(folder, env, "check_installed.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(
        "night-shift 0.1.0 is installed and enabled on a copy of the template's test center"
    )
    assert "3 micro-video session(s) for T6 agents" in done.stdout
    assert list((folder / "tests" / "center").rglob(".ccrules")) == []  # it planned a copy
    missing = run(folder, env, "check_installed.py", str(folder / "nowhere"))
    assert missing.returncode == 2
    assert "no center.toml here" in missing.stderr
