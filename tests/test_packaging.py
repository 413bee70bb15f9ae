"""The release artefacts, built as a release builds them: an sdist that holds everything the
test suite reads (so that a packager can run the suite from it), and a wheel built from that
sdist that carries the package data, the plugins, the licence and the metadata.

The sdist is compared with ``git ls-files``; without a git checkout (for example inside an
unpacked sdist) these tests are skipped.
"""

from __future__ import annotations

import email
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NAME = PYPROJECT["project"]["name"]
#: Files setuptools writes into an sdist besides the tracked ones.
GENERATED = re.compile(r"^(PKG-INFO|setup\.cfg|[^/]+\.egg-info/[^/]+|src/[^/]+\.egg-info/[^/]+)$")
#: Tracked files an sdist need not hold: git's own.
NOT_SHIPPED = frozenset({".gitignore"})
#: What a run leaves in a working tree, planted in the copy that is packed: none may ship.
LITTER = (
    "examples/inhouse-fintech/.ccrules/history.sqlite",
    "tests/__pycache__/test_packaging.cpython-311.pyc",
    "plugins/ccrules_packs/default/__pycache__/__init__.cpython-311.pyc",
    ".hypothesis/examples/0/1",
    "build/lib/ccrules/__init__.py",
)


def _tracked() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs a git checkout of ccrules (git ls-files is what the sdist must hold)")
    return sorted(name for name in listed.split("\0") if name and (ROOT / name).is_file())


def _build(kind: str, source: Path, out: Path) -> Path:
    """``python -m build --{kind}`` without isolation (the suite runs offline; the test extra
    holds the build requirements); the one file it makes."""
    result = subprocess.run(
        [sys.executable, "-m", "build", f"--{kind}", "--no-isolation", "--outdir", str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (made,) = out.glob("*.tar.gz" if kind == "sdist" else "*.whl")
    return made


@attrs.frozen
class Built:
    tracked: tuple[str, ...]
    sdist: tuple[str, ...]  # paths inside the sdist's top folder
    wheel: tuple[str, ...]
    metadata: Message
    entry_points: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tracked = _tracked()
    work = tmp_path_factory.mktemp("packaging")
    # a clean checkout (a working tree's untracked files are no business of the sdist, and
    # an editable install's egg-info would fill in for a MANIFEST.in that misses files),
    # with what runs leave behind planted in it
    tree = work / "tree"
    for name in tracked:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tree / name)
    for litter in LITTER:
        (tree / litter).parent.mkdir(parents=True, exist_ok=True)
        (tree / litter).write_bytes(b"left over")
    sdist = _build("sdist", tree, work / "dist")
    with tarfile.open(sdist) as archive:
        names = [member.name for member in archive.getmembers() if member.isfile()]
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            archive.extractall(work / "unpacked", filter="data")
        else:
            archive.extractall(work / "unpacked")
    top = f"{sdist.name.removesuffix('.tar.gz')}/"
    inside = tuple(sorted(n[len(top) :] for n in names if n.startswith(top)))
    (unpacked,) = (work / "unpacked").iterdir()
    wheel = _build("wheel", unpacked, work / "wheel")
    with zipfile.ZipFile(wheel) as archive:
        files = tuple(sorted(archive.namelist()))
        info = next(n for n in files if n.endswith(".dist-info/METADATA")).rsplit("/", 1)[0]
        metadata = email.message_from_bytes(archive.read(f"{info}/METADATA"))
        entry_points = archive.read(f"{info}/entry_points.txt").decode("utf-8")
    return Built(tuple(tracked), inside, files, metadata, entry_points)


def test_the_sdist_holds_every_tracked_file_and_nothing_else(built: Built) -> None:
    shipped = set(built.sdist)
    missing = [n for n in built.tracked if n not in shipped and n not in NOT_SHIPPED]
    assert missing == []
    for folder in ("tests", "examples", "docs", "tools", "plugins", "benchmarks", "src", ".ci"):
        assert any(n.startswith(f"{folder}/") for n in shipped), folder
    for name in ("LICENSE", "README.md", "pyproject.toml", "MANIFEST.in"):
        assert name in shipped, name
    extra = sorted(n for n in shipped - set(built.tracked) if not GENERATED.match(n))
    assert extra == []  # no history, caches or build output from the working tree
    assert not any(litter in shipped for litter in LITTER)


def _packages() -> dict[str, Path]:
    """Every importable top-level package the project ships, by name: its folder."""
    found = {}
    for where in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["where"]:
        for init in sorted((ROOT / where).glob("*/__init__.py")):
            found[init.parent.name] = init.parent
    return found


def test_the_wheel_carries_every_module_and_data_file_of_every_package(built: Built) -> None:
    packages = _packages()
    assert {"ccrules", "ccrules_packs.default"} <= set(packages)
    wheel = set(built.wheel)
    for name, folder in packages.items():
        base = folder.relative_to(ROOT).as_posix()
        tracked = [t for t in built.tracked if t.startswith(f"{base}/")]
        assert f"{base}/py.typed" in tracked, name  # typed, for mypy users of the package
        missing = [t for t in tracked if f"{name}/{t[len(base) + 1 :]}" not in wheel]
        assert missing == [], name
    for data in (
        "ccrules/problem_codes.toml",
        "ccrules/report_labels.toml",
        "ccrules/schemas/plan.schema.json",
    ):
        assert data in wheel, data
    assert not any("__pycache__" in n or n.startswith(("tests/", "examples/")) for n in wheel)


def test_the_wheel_registers_every_plugin_and_the_pytest_plugin(built: Built) -> None:
    groups: dict[str, dict[str, str]] = {}
    group = ""
    for line in built.entry_points.splitlines():
        if line.startswith("["):
            group = line.strip("[]")
            groups[group] = {}
        elif "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            groups[group][key] = value
    declared = PYPROJECT["project"]["entry-points"]
    assert groups["ccrules"] == declared["ccrules"]
    assert groups["pytest11"] == declared["pytest11"]
    assert groups["console_scripts"] == PYPROJECT["project"]["scripts"]
    shipped = {n.split("/", 1)[0] for n in built.wheel}
    for module in declared["ccrules"].values():
        assert module.split(".")[0] in shipped, module


def test_the_metadata_names_licence_links_and_tested_pythons(built: Built) -> None:
    meta = built.metadata
    assert meta["License-Expression"] == "MIT"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in built.wheel)
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "The ccrules authors" in licence
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Issues", "Changelog"} <= set(urls)
    assert all(u.startswith("https://github.com/ccrules/ccrules") for u in urls.values())
    classifiers = set(meta.get_all("Classifier") or [])
    # the versions README says the suite passes on, and no other
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set up") :]
    tested = re.search(r"suite passes on ([^)]*)\)", setup)
    assert tested is not None
    versions = re.findall(r"3\.\d+", tested.group(1))
    listed = {c.rsplit(" :: ", 1)[1] for c in classifiers if re.match(r".*:: 3\.\d+$", c)}
    assert listed == set(versions) and len(versions) >= 3
    assert meta["Requires-Python"] == f">={min(versions, key=lambda v: int(v.split('.')[1]))}"
    for wanted in (
        "Operating System :: OS Independent",
        "Typing :: Typed",
        "Natural Language :: Chinese (Simplified)",
        "Natural Language :: English",
    ):
        assert wanted in classifiers, wanted
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    assert meta["Name"] == NAME
