"""Version notes agree with the package: no page or docstring says a feature is new in, or
changed in, a version of ccrules after the one installed, and a hook added in a version did
not also change in it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator

import pytest
from tests.conftest import ROOT

import ccrules

#: "New in 0.2", "Changed in 0.3", ".. versionadded:: 0.2", "since 0.2", "ccrules>=0.2"
NOTE = re.compile(
    r"(?:\b(?:[Nn]ew|[Cc]hanged|[Dd]eprecated) in (?:version |v)?"
    r"|\bversion(?:added|changed)::\s*"
    r"|\b[Ss]ince (?:version |v)?"
    r"|\bccrules\s*(?:>=|==|~=)\s*)"
    r"(\d+(?:\.\d+)+)"
)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _texts() -> Iterator[tuple[str, str]]:
    yield "README.md", (ROOT / "README.md").read_text(encoding="utf-8")
    for folder, pattern in (
        ("docs", "*.md"),
        ("src/ccrules", "**/*.py"),
        ("plugins", "**/*.py"),
        ("examples/plugin-template", "**/*"),
    ):
        for path in sorted((ROOT / folder).glob(pattern)):
            if path.is_file() and path.suffix in {".md", ".py", ".toml"}:
                yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def notes(text: str) -> list[tuple[int, str]]:
    """(line, version) of every version note in ``text``."""
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(1)) for match in NOTE.finditer(text)
    ]


def test_the_package_has_one_version() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "ccrules.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", ccrules.__version__)


def test_no_doc_names_a_version_newer_than_the_package() -> None:
    package = _version(ccrules.__version__)
    newer = [
        f"{name}:{line}: {version}"
        for name, text in _texts()
        for line, version in notes(text)
        if _version(version) > package
    ]
    assert not newer, f"these name a version after ccrules {ccrules.__version__}: {newer}"


def test_a_hook_does_not_change_in_the_version_that_added_it() -> None:
    from ccrules import hookspecs

    for name in hookspecs.HOOK_STAGES:
        doc = getattr(hookspecs, name).__doc__ or ""
        added = re.findall(r"versionadded::\s*(\S+)", doc)
        changed = re.findall(r"versionchanged::\s*(\S+)", doc)
        assert len(added) == 1, f"{name}: one .. versionadded:: note"
        assert all(_version(c) > _version(added[0]) for c in changed), (
            f"{name}: changed in {changed} but added in {added[0]}; a change made before a "
            "hook's first release is part of it"
        )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("*New in 0.2.*", ["0.2"]),
        (".. versionchanged:: 0.3\n", ["0.3"]),
        ('dependencies = ["ccrules>=1.4"]', ["1.4"]),
        ("since version 2.0.1 it", ["2.0.1"]),
        ("a 0.2 share of 10.5 agents", []),
    ],
)
def test_version_notes_are_found(text: str, found: list[str]) -> None:
    assert [version for _, version in notes(text)] == found


def test_a_newer_note_would_fail() -> None:
    major, minor, _ = _version(ccrules.__version__)
    text = f"Intro.\n\n*New in {major}.{minor + 1}.*\n"
    assert [(line, _version(v) > _version(ccrules.__version__)) for line, v in notes(text)] == [
        (3, True)
    ]
