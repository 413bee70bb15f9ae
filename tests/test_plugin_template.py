"""examples/plugin-template's own tests pass in the main suite too, with the package on the
path rather than installed (.ci/run also installs it in a fresh environment and runs them
there, with check_installed.py)."""

from __future__ import annotations

import pytest
from tests.conftest import ROOT

TEMPLATE = ROOT / "examples" / "plugin-template"


def test_template_tests_pass(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TEMPLATE / "src"))
    result = pytester.runpytest_inprocess(
        str(TEMPLATE / "tests"),
        "-p",
        "no:cacheprovider",
        "-W",
        "error",
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",  # in-process, ccrules is imported already
    )
    result.assert_outcomes(passed=7)
