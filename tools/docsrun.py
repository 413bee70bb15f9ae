"""Run what the docs show, and write its real output back: docs that run.

    python tools/gendocs.py          # also rewrites the outputs shown in RUN_DOCS
    python tools/gendocs.py --check  # exit 1 if a shown output differs from a real run

Each document of ``RUN_DOCS`` runs on its own fresh temporary copy of ``examples/`` (without
any ``.ccrules/`` history or written report), from the copy's parent folder, so its commands
read as a user types them from the top folder of the repository:

- A ``console`` block holds ``$ command`` lines, each followed by its output. Every command
  is run in order with bash; what follows it is replaced by what it printed (stdout and
  stderr as a terminal shows them; for a pipeline, its stdout and then the stderr of its
  parts). Nothing is ever cut by hand: a long output is shortened by a visible command such
  as ``| head -n 20``, which really runs. Each command starts in the copy's top folder;
  write ``(cd DIR && ...)`` to run somewhere else.
- In docs/api.md every ``python`` block runs, in order, in one interpreter. A run of
  full-line comments right after code is the output of the code above it (up to the
  previous such run), and is replaced by what that code printed, one ``# `` line each.
- ``<!-- run: COMMAND -->`` on a line of its own runs a shell command that the reader does
  by hand and the prose describes (an edit of center.toml, a row changed in a CSV). Its output
  is not shown (a ``let`` may take a figure from it); it must succeed.
- ``<!-- install: examples/plugin-template -->`` installs a plugin package of the copy for the
  commands after it, the way ``pip install -e`` does (its entry points and its ``src/``).
- ``<!-- let: NAME /REGEX/ -->`` takes group 1 of REGEX in the output of the command above it
  (the last of its block);
  ``<!--=NAME-->...<!--/-->`` anywhere in the prose shows that value, so figures in prose
  come from the run too.
- ``<!-- excerpt: FILE TABLE... -->`` before a fenced block fills it with those TOML tables of
  FILE (header to the next header, trailing comments and blank lines left out).

Kept stable, so the same sources give the same docs on any machine:

- the environment is fixed: ``LANG=C.UTF-8``, ``TZ=UTC``, ``COLUMNS=100``, no ``CCRULES_*``
  or ``PYTEST_*`` variables, unbuffered Python;
- the clock that ccrules records in the history (plans made, approvals, reviews) is a
  fixed one: it starts at ``CLOCK_START`` and moves one minute each time it is read;
- ``DOCSRUN_VERBOSE=1`` lists each command with its time on stderr;
- the only figure normalised is pytest's run time (``7 passed in <time>``), which depends on
  the machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent

#: the documents whose commands and examples run, in the order gendocs writes them
RUN_DOCS = (
    "README.md",
    "docs/loop.md",
    "docs/writing-plugins.md",
    "docs/simulation.md",
    "docs/scale.md",
    "docs/api.md",
)
#: the first time the docs' clock gives
CLOCK_START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
#: the modules whose clock is the docs' clock (they read ``dt.datetime.now``)
CLOCKED_MODULES = ("ccrules._history",)
#: the documents whose ``python`` blocks run (their console blocks are not run)
PYTHON_DOCS = ("docs/api.md",)
#: a command that takes longer than this fails the run
TIMEOUT_SECONDS = 300

FENCE = re.compile(r"^(`{3,})(\S*)\s*$")
DIRECTIVE = re.compile(r"^<!-- (run|install|let|excerpt): (.*) -->\s*$")
LET = re.compile(r"^(\w[\w-]*) /(.*)/$")
INLINE = re.compile(r"<!--=(\w[\w-]*)-->(.*?)<!--/-->")
PYTEST_TIME = re.compile(r"(\d+ (?:passed|failed|skipped|errors?)\b[^\n]*?) in [\d.]+s\b")
IGNORED = shutil.ignore_patterns(
    ".ccrules", "__pycache__", ".pytest_cache", "*.egg-info", "build", "report-*.html"
)


class DocsRunError(Exception):
    """A command or example of a document cannot run as shown."""


@attrs.frozen
class Run:
    """The real output of a command."""

    output: str
    status: int


# --------------------------------------------------------------------------------------------
# the sandbox a document runs in


SITECUSTOMIZE = '''\
"""The docs runner's clock (tools/docsrun.py): it starts at {start} and moves one minute
each time ccrules reads it, counted in {counter}."""

import datetime as _dt
import importlib.abc
import importlib.machinery
import sys
import types

_COUNTER = {counter!r}
_START = _dt.datetime.fromisoformat({start!r})
_MODULES = {modules!r}


class _Clock(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        try:
            with open(_COUNTER, encoding="ascii") as file:
                ticks = int(file.read() or 0)
        except FileNotFoundError:
            ticks = 0
        with open(_COUNTER, "w", encoding="ascii") as file:
            file.write(str(ticks + 1))
        moment = _START + _dt.timedelta(minutes=ticks)
        return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)

    @classmethod
    def utcnow(cls):
        return cls.now(_dt.UTC).replace(tzinfo=None)


_CLOCKED = types.SimpleNamespace(**{{**vars(_dt), "datetime": _Clock}})


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name not in _MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            if getattr(module, "dt", None) is not _dt:
                raise RuntimeError(
                    f"tools/docsrun.py: {{name}} no longer reads the clock as dt.datetime.now; "
                    "update CLOCKED_MODULES"
                )
            module.dt = _CLOCKED

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Finder())
'''


class Sandbox:
    """A fresh copy of examples/ with a fixed environment, removed when done."""

    def __init__(self) -> None:
        self._temp = tempfile.TemporaryDirectory(prefix="ccrules-docs-")
        self.root = Path(self._temp.name) / "ccrules"
        self.root.mkdir()
        shutil.copytree(ROOT / "examples", self.root / "examples", ignore=IGNORED)
        self.tools = Path(self._temp.name) / "docsrun"
        self.tools.mkdir()
        (self.tools / "sitecustomize.py").write_text(
            SITECUSTOMIZE.format(
                start=CLOCK_START.isoformat(),
                counter=str(self.tools / "clock"),
                modules=CLOCKED_MODULES,
            ),
            encoding="utf-8",
        )
        self.python_path = [str(self.tools)]

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self._temp.cleanup()

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CCRULES_", "PYTEST_", "PYTHON", "LC_", "COV_"))
            and key not in {"LANG", "LANGUAGE", "TZ", "COLUMNS", "LINES", "VIRTUAL_ENV"}
        }
        bin_dir = str(Path(sys.executable).parent)
        env.update(
            PATH=os.pathsep.join([bin_dir, env.get("PATH", os.defpath)]),
            PYTHONPATH=os.pathsep.join(self.python_path),
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONHASHSEED="0",
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
            TZ="UTC",
            COLUMNS="100",
            TERM="dumb",
            NO_COLOR="1",
            HOME=str(self.tools),
        )
        return env

    def shell(self, command: str) -> Run:
        """Run a command as a user would in a terminal, from the copy's top folder."""
        piped = _is_pipeline(command)
        started = time.monotonic()
        try:
            done = subprocess.run(
                ["bash", "-o", "pipefail", "-c", command],
                cwd=self.root,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE if piped else subprocess.STDOUT,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise DocsRunError(f"`{command}` took more than {TIMEOUT_SECONDS} s") from error
        if os.environ.get("DOCSRUN_VERBOSE"):
            print(f"[{time.monotonic() - started:6.1f}s] {command}", file=sys.stderr)
        output = done.stdout.decode("utf-8")
        if piped and done.stderr:
            output = output + ("" if output.endswith("\n") or not output else "\n")
            output += done.stderr.decode("utf-8")
        if "Traceback (most recent call last)" in output or done.returncode in (126, 127):
            raise DocsRunError(f"`{command}` failed (exit {done.returncode}):\n{output}")
        return Run(output=self.stable(output), status=done.returncode)

    def stable(self, text: str) -> str:
        if str(self.root) in text or self._temp.name in text:
            raise DocsRunError(f"an output names the temporary folder:\n{text}")
        if str(ROOT) in text:
            raise DocsRunError(f"an output names this machine's checkout, {ROOT}:\n{text}")
        return PYTEST_TIME.sub(r"\1 in <time>", text)

    def install(self, package: str) -> None:
        """Install a plugin package of the copy as ``pip install -e`` would: its entry points
        are found through a dist-info folder, its code through ``src/``."""
        folder = self.root / package
        project = tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))["project"]
        name = re.sub(r"[-_.]+", "_", project["name"]).lower()
        version = project.get("version") or _dynamic_version(folder)
        info = self.tools / f"{name}-{version}.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {version}\n", "utf-8"
        )
        groups = project.get("entry-points", {})
        (info / "entry_points.txt").write_text(
            "".join(
                f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()) + "\n"
                for group, points in groups.items()
            ),
            encoding="utf-8",
        )
        self.python_path.append(str(folder / "src"))


def _dynamic_version(folder: Path) -> str:
    for init in sorted((folder / "src").glob("*/__init__.py")):
        match = re.search(r'^__version__ = "([^"]+)"', init.read_text("utf-8"), re.M)
        if match:
            return match.group(1)
    raise DocsRunError(f"{folder}: no version in pyproject.toml or src/*/__init__.py")


def _is_pipeline(command: str) -> bool:
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|&;<>()")
    try:
        return any(token == "|" for token in lexer)
    except ValueError:
        return "|" in command


# --------------------------------------------------------------------------------------------
# documents


def run_doc(path: str) -> str:
    """The document at ``path`` (relative to the repository) with every output real."""
    return run_text((ROOT / path).read_text(encoding="utf-8"), path)


def run_text(text: str, path: str, *, python: bool | None = None) -> str:
    """``text`` (the document ``path``) with every output real, run on a fresh sandbox:
    its python blocks when ``python`` (default: ``path`` is one of ``PYTHON_DOCS``), else
    its console blocks and directives."""
    with Sandbox() as sandbox:
        if python if python is not None else path in PYTHON_DOCS:
            return _run_python_doc(text, sandbox, path)
        return _run_console_doc(text, sandbox, path)


def _run_console_doc(text: str, sandbox: Sandbox, path: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    values: dict[str, str] = {}
    last: Run | None = None
    excerpt: list[str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        directive = DIRECTIVE.match(line)
        fence = FENCE.match(line)
        if directive:
            kind, argument = directive.groups()
            out.append(line)
            i += 1
            if kind == "run":
                last = sandbox.shell(argument)
                if last.status != 0:
                    raise DocsRunError(f"{path}: `{argument}` failed:\n{last.output}")
            elif kind == "install":
                sandbox.install(argument.strip())
            elif kind == "let":
                last = _let(argument, last, values, path)
            else:
                excerpt = argument.split()
            continue
        if not fence:
            out.append(line)
            i += 1
            continue
        end = _fence_end(lines, i, fence.group(1), path)
        body = lines[i + 1 : end]
        if excerpt is not None:
            body = _excerpt(sandbox, excerpt)
            excerpt = None
        elif fence.group(2) == "console" or (fence.group(2) == "" and _is_console(body)):
            body, last = _run_console(body, sandbox, path)
            fence_line = f"{fence.group(1)}console"
            out.append(fence_line)
            out.extend(body)
            out.append(lines[end])
            i = end + 1
            continue
        out.append(line)
        out.extend(body)
        out.append(lines[end])
        i = end + 1
    return _fill(out, values, path)


def _fence_end(lines: list[str], start: int, ticks: str, path: str) -> int:
    for end in range(start + 1, len(lines)):
        if lines[end].rstrip() == ticks:
            return end
    raise DocsRunError(f"{path}:{start + 1}: the fenced block is not closed")


def _is_console(body: list[str]) -> bool:
    return bool(body) and body[0].startswith("$ ")


def _run_console(body: list[str], sandbox: Sandbox, path: str) -> tuple[list[str], Run | None]:
    commands = [line[2:] for line in body if line.startswith("$ ")]
    if not body or not body[0].startswith("$ "):
        raise DocsRunError(f"{path}: a console block starts with `$ command`: {body[:1]}")
    result: list[str] = []
    last = None
    for command in commands:
        last = sandbox.shell(command)
        result.append(f"$ {command}")
        result.extend(line.rstrip() for line in last.output.splitlines())
    return result, last


def _let(argument: str, last: Run | None, values: dict[str, str], path: str) -> Run | None:
    match = LET.match(argument.strip())
    if not match:
        raise DocsRunError(f"{path}: write `<!-- let: NAME /REGEX/ -->`, not {argument!r}")
    name, pattern = match.groups()
    if last is None:
        raise DocsRunError(f"{path}: `let {name}` comes before any command")
    found = re.search(pattern, last.output, re.M)
    if not found:
        raise DocsRunError(f"{path}: `let {name}`: /{pattern}/ is not in:\n{last.output}")
    values[name] = found.group(1)
    return last


def _fill(lines: list[str], values: dict[str, str], path: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise DocsRunError(f"{path}: <!--={name}--> has no `<!-- let: {name} /.../ -->`")
        return f"<!--={name}-->{values[name]}<!--/-->"

    return "\n".join(INLINE.sub(value, line) for line in lines)


def _excerpt(sandbox: Sandbox, argument: list[str]) -> list[str]:
    file, *tables = argument
    text = (sandbox.root / file).read_text(encoding="utf-8").split("\n")
    headers = [i for i, line in enumerate(text) if re.match(r"^\[\[?[^\]]+\]\]?\s*(#.*)?$", line)]
    parts: list[list[str]] = []
    for n, start in enumerate(headers):
        name = text[start].split("#")[0].strip().strip("[]")
        if name not in tables:
            continue
        stop = headers[n + 1] if n + 1 < len(headers) else len(text)
        part = text[start:stop]
        while part and (not part[-1].strip() or part[-1].lstrip().startswith("#")):
            part.pop()
        parts.append(part)
    missing = set(tables) - {p[0].split("#")[0].strip().strip("[]") for p in parts}
    if missing:
        raise DocsRunError(f"{file} has no table {sorted(missing)}")
    body: list[str] = []
    for part in parts:
        body.extend([*([""] if body else []), *part])
    return body


# --------------------------------------------------------------------------------------------
# PYTHON_DOCS: the Python examples


DRIVER = """\
import json, sys

FILE = "<docs>"


class Lines:
    \"\"\"stdout that notes the line of the document that printed each piece\"\"\"

    def __init__(self):
        self.writes = []

    def write(self, text):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != FILE:
            frame = frame.f_back
        self.writes.append((frame.f_lineno if frame is not None else 0, text))
        return len(text)

    def flush(self):
        pass


blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
lines = Lines()
real, sys.stdout = sys.stdout, lines
try:
    for block in blocks:
        exec(compile(block, FILE, "exec"), namespace)
finally:
    sys.stdout = real
    json.dump(lines.writes, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


@attrs.frozen
class Shown:
    """The comment lines [start, end) of a document that show the output of the code above
    them, back to the previous shown output or the start of the block [block, start)."""

    block: int
    start: int
    end: int
    indent: str


def _python_blocks(lines: list[str], path: str) -> Iterator[tuple[int, int, list[Shown]]]:
    """Each python block as (first line, end line, its shown outputs)."""
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence or fence.group(2) != "python":
            i += 1
            continue
        end = _fence_end(lines, i, fence.group(1), path)
        shown: list[Shown] = []
        j = i + 1
        while j < end:
            if lines[j].lstrip().startswith("#") and _is_code(lines[j - 1]):
                k = j
                while k < end and lines[k].lstrip().startswith("#"):
                    k += 1
                indent = lines[j][: len(lines[j]) - len(lines[j].lstrip())]
                shown.append(Shown(block=i + 1, start=j, end=k, indent=indent))
                j = k
                continue
            j += 1
        yield i + 1, end, shown
        i = end + 1


def _is_code(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _run_python_doc(text: str, sandbox: Sandbox, path: str) -> str:
    lines = text.split("\n")
    blocks = list(_python_blocks(lines, path))
    # each block padded with empty lines, so that its line numbers are the document's
    source = sandbox.tools / "blocks.json"
    source.write_text(
        json.dumps(["\n" * start + "\n".join(lines[start:end]) for start, end, _ in blocks]),
        encoding="utf-8",
    )
    driver = sandbox.tools / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    result = sandbox.tools / "writes.json"
    done = _python(sandbox, driver, source, result)
    if done.status != 0:
        raise DocsRunError(f"{path}: an example failed:\n{done.output}")
    replaced: dict[int, tuple[int, list[str]]] = {}
    for line, piece in json.loads(result.read_text(encoding="utf-8")):
        at = line - 1
        block = next(((start, end, sh) for start, end, sh in blocks if start <= at < end), None)
        target = next((s for s in block[2] if s.start > at), None) if block else None
        if target is None:
            raise DocsRunError(
                f"{path}:{line}: this line prints {piece!r}; show it as # lines after it"
            )
        stop, pieces = replaced.get(target.start, (target.end, []))
        replaced[target.start] = (stop, [*pieces, piece])
    for _, _, shown in blocks:
        for s in shown:
            if s.start not in replaced:
                raise DocsRunError(f"{path}:{s.start + 1}: nothing above prints these # lines")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replaced:
            stop, pieces = replaced[i]
            indent = next(s.indent for _, _, sh in blocks for s in sh if s.start == i)
            text_out = sandbox.stable("".join(pieces))
            out.extend(f"{indent}# {line}".rstrip() for line in text_out.splitlines())
            i = stop
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _python(sandbox: Sandbox, driver: Path, source: Path, result: Path) -> Run:
    try:
        done = subprocess.run(
            [sys.executable, str(driver), str(source), str(result)],
            cwd=sandbox.root,
            env=sandbox.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise DocsRunError(f"the python examples took more than {TIMEOUT_SECONDS} s") from error
    return Run(output=(done.stdout + done.stderr).decode("utf-8"), status=done.returncode)


__all__ = [
    "CLOCK_START",
    "PYTHON_DOCS",
    "RUN_DOCS",
    "DocsRunError",
    "Sandbox",
    "run_doc",
    "run_text",
]
