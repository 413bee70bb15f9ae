"""Open report pages in headless Chromium (Debian's ``chromium``) through Playwright, and
read back what a person would see: sections, text, console errors, dialogs, requests.

Playwright's own browser download is never used: the browser is ``/usr/bin/chromium`` (or
``CCRULES_CHROMIUM``). Without it the tests that need it are skipped, unless
``CCRULES_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes them fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest

FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # this machine's network is closed: without these Chromium keeps dialling Google
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

_SECTIONS_JS = """() => [...document.querySelectorAll('section.section')].map(s => ({
    id: s.id,
    state: s.dataset.state,
    h2: s.querySelector('h2') ? s.querySelector('h2').innerText : '',
    reading: s.querySelector('p.reading') ? s.querySelector('p.reading').innerText : '',
    empty: s.querySelector('p.empty') ? s.querySelector('p.empty').innerText : '',
    svg: s.querySelectorAll('svg').length,
    tables: s.querySelectorAll('table').length,
    tips: s.querySelectorAll('svg title').length,
    height: s.getBoundingClientRect().height,
}))"""


def chromium_path() -> str | None:
    """The Chromium to use, when there is one."""
    wanted = os.environ.get("CCRULES_CHROMIUM") or "/usr/bin/chromium"
    if Path(wanted).exists():
        return wanted
    return shutil.which("chromium")


def require_browser() -> str:
    """The Chromium path; skips the test without one (fails under CCRULES_REQUIRE_BROWSER)."""
    path = chromium_path()
    if path is not None:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            path = None
    if path is None:
        reason = (
            "needs Chromium and playwright: apt-get install chromium fonts-noto-cjk; "
            'pip install -e ".[test]"'
        )
        if os.environ.get("CCRULES_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@attrs.frozen
class Rendered:
    """What the browser saw of one page.

    :param console: ``(type, text)`` of every console message (CSP violations are errors).
    :param errors: uncaught page errors.
    :param dialogs: texts of alert / confirm / prompt dialogs (each dismissed).
    :param requests: every URL the page asked for that is not ``file:`` or ``data:``.
    :param text: the page's visible text with every ``<details>`` unfolded.
    :param sections: per ``section.section``: id, state, h2, reading, empty, counts of svg,
        tables and tooltips, and its height on screen.
    """

    console: tuple[tuple[str, str], ...]
    errors: tuple[str, ...]
    dialogs: tuple[str, ...]
    requests: tuple[str, ...]
    sections: tuple[dict[str, Any], ...]
    scripts: int
    lang: str
    text: str

    @property
    def console_errors(self) -> tuple[str, ...]:
        return tuple(text for kind, text in self.console if kind == "error")


class Browser:
    """One headless Chromium, many pages."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def evaluate(self, html_file: Path, script: str, *, width: int = 1280) -> Any:
        """Open ``html_file`` at ``width`` px, unfold every ``<details>``, and return what
        the JavaScript function ``script`` returns (layout measurements)."""
        page = self._browser.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(Path(html_file).resolve().as_uri(), wait_until="load")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            return page.evaluate(script)
        finally:
            page.close()

    def render(
        self,
        html_file: Path,
        screenshot: Path | None = None,
        *,
        width: int = 1280,
        height: int = 900,
        full_page: bool = False,
        clip_height: int | None = None,
    ) -> Rendered:
        page = self._browser.new_page(viewport={"width": width, "height": height})
        console: list[tuple[str, str]] = []
        errors: list[str] = []
        dialogs: list[str] = []
        requests: list[str] = []
        page.on("console", lambda message: console.append((message.type, message.text)))
        page.on("pageerror", lambda error: errors.append(str(error)))

        def dialog(d: Any) -> None:
            dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

        def request(r: Any) -> None:
            if not r.url.startswith(("file:", "data:")):
                requests.append(r.url)

        page.on("request", request)
        try:
            page.goto(Path(html_file).resolve().as_uri(), wait_until="load")
            sections = tuple(page.evaluate(_SECTIONS_JS))
            scripts = int(page.evaluate("document.scripts.length"))
            lang = str(page.evaluate("document.documentElement.lang"))
            if screenshot is not None:
                if clip_height is not None:
                    page.screenshot(
                        path=str(screenshot),
                        clip={"x": 0, "y": 0, "width": width, "height": clip_height},
                        full_page=True,
                    )
                else:
                    page.screenshot(path=str(screenshot), full_page=full_page)
            # what a reader sees with every "Numbers" table unfolded
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            text = str(page.evaluate("document.body.innerText"))
        finally:
            page.close()
        return Rendered(
            console=tuple(console),
            errors=tuple(errors),
            dialogs=tuple(dialogs),
            requests=tuple(requests),
            sections=sections,
            scripts=scripts,
            lang=lang,
            text=text,
        )


@contextmanager
def browser() -> Iterator[Browser]:
    """Start Playwright and Chromium; close both after (skips without a browser)."""
    path = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=list(FLAGS))
        try:
            yield Browser(chromium)
        finally:
            chromium.close()
