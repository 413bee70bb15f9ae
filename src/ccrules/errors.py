"""Errors ccrules raises, and the :class:`Problem` records the input gate collects.

Bad input never surfaces as a traceback: the gate collects every :class:`Problem` it finds,
then raises one :class:`InputError` holding them all. The CLI prints them and exits 2.
"""

from __future__ import annotations

import errno
import pickle
import tomllib
from collections.abc import Iterable
from importlib import resources

import attrs

from ccrules.i18n import N_, get_language

__all__ = [
    "CcrulesError",
    "ConfigError",
    "InputError",
    "PluginError",
    "PluginInterrupted",
    "PluginLoadError",
    "Problem",
]


@attrs.frozen(order=True)
class Problem:
    """One thing wrong with the inputs, located as precisely as the input allows.

    :param file: the file, relative to the center folder (``data/qa.csv``, ``center.toml``).
    :param line: 1-based line in a CSV or TOML file; for Parquet, the 1-based row.
    :param column: 1-based column in a CSV file.
    :param path: the key path in a TOML file (``plugins.default.gaps.threshold``) or the
        column name in a data file.
    :param message: what is wrong and what was expected.
    :param severity: ``error`` stops the run; ``warning`` is reported and the run goes on.
    :param code: a stable identifier of the kind of problem, for ``--json`` consumers.
    """

    file: str
    line: int | None = None
    column: int | None = None
    path: str | None = None
    message: str = ""
    severity: str = "error"
    code: str = "invalid"

    @property
    def location(self) -> str:
        """Where the problem is: ``file:line:column``, with the line and column when known."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        # The key path (or column) is part of the location; name it when the message does not.
        if self.path and self.path not in self.message:
            prefix += f"{self.path}: "
        return f"{self.location}: {prefix}{self.message}"

    def shown(self, lang: str | None = None) -> str:
        """The problem for an operator in ``lang`` (the current language when ``None``): in
        English, ``str(problem)``; in Chinese, the location, what the problem's code means in
        Chinese, and the detail with the values as ccrules found them."""
        lang = lang or get_language()
        explained = code_text(self.code, lang)
        if lang == "en" or explained is None:
            return str(self)
        prefix = "警告：" if self.severity == "warning" else ""
        if self.path and self.path not in self.message:
            prefix += f"{self.path}: "
        return f"{self.location}: {prefix}{explained[0].rstrip('。')}（{self.message}）"


_CODES: dict[str, dict[str, str]] = {}


def code_text(code: str, lang: str) -> tuple[str, str] | None:
    """What a problem code means and what to do about it, in ``lang`` (from
    problem_codes.toml); ``None`` for a code it does not list."""
    if not _CODES:
        data = resources.files("ccrules").joinpath("problem_codes.toml").read_text("utf-8")
        _CODES.update(tomllib.loads(data))
    entry = _CODES.get(code)
    if entry is None:
        return None
    suffix = "" if lang == "en" else f"_{lang}"
    return entry.get(f"what{suffix}", entry["what"]), entry.get(f"do{suffix}", entry["do"])


def unreadable(file: str, error: OSError) -> Problem:
    """The problem of a file that exists but cannot be opened (no permission, a lock, a
    broken disk): what the system said, and what to do next."""
    if isinstance(error, PermissionError):
        message = (
            "cannot be read: permission denied for the user running ccrules. Give that user "
            "read access (chmod a+r; a folder also needs a+x), or run ccrules as a user who "
            "can read it"
        )
    else:
        reason = error.strerror or type(error).__name__
        message = f"cannot be read: {reason}. Check the file and the disk, then run again"
    return Problem(file=file, message=message, code="unreadable")


_RAN_OUT_ERRNO = {
    errno.ENOMEM: "memory",
    errno.ENOSPC: "disk space",
    errno.EDQUOT: "disk space",
    errno.EMFILE: "open files",
    errno.ENFILE: "open files",
}
_RAN_OUT_WORDS = (
    ("can't start new thread", "threads"),
    ("failed to create thread", "threads"),
    ("out of memory", "memory"),
    ("could not allocate", "memory"),
    ("allocation failure", "memory"),
    ("no space left on device", "disk space"),
    ("disk quota exceeded", "disk space"),
    ("too many open files", "open files"),
)

#: what to do when the machine ran out of something, by what
RAN_OUT_ADVICE = {
    "memory": N_(
        "Lower memory_limit or threads under [evidence] in center.toml, close other "
        "programs, or run on a machine with more memory"
    ),
    "threads": N_(
        "Set threads under [evidence] in center.toml to a smaller number (2 or 4), or "
        "raise the limit on processes and threads (ulimit -u) for this user"
    ),
    "disk space": N_(
        "Free disk space in the temporary folder (TMPDIR) and the center folder, then run again"
    ),
    "open files": N_("Raise the open-file limit (ulimit -n) for this user, then run again"),
}
#: what can run out, as the messages name it
RAN_OUT = (N_("memory"), N_("threads"), N_("disk space"), N_("open files"))


def ran_out(error: BaseException) -> str | None:
    """What of the machine ran out, when ``error`` says so (``memory``, ``threads``, ``disk
    space``, ``open files``), else ``None``: a run that fails for want of resources is
    neither the input's fault nor a bug, and the operator can act on it."""
    if isinstance(error, PluginError):
        return ran_out(error.error)
    if isinstance(error, MemoryError) or type(error).__name__ == "OutOfMemoryException":
        return "memory"
    if isinstance(error, OSError) and error.errno in _RAN_OUT_ERRNO:
        return _RAN_OUT_ERRNO[error.errno]
    text = str(error).lower()
    for words, what in _RAN_OUT_WORDS:
        if words in text:
            return what
    return None


class CcrulesError(Exception):
    """Base of every error ccrules raises on purpose."""


class InputError(CcrulesError):
    """The center's configuration or data is wrong; nothing was run or written.

    :ivar problems: every error found (warnings are in :attr:`warnings`).
    """

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        self.problems = tuple(problems)
        self.warnings = tuple(warnings)
        count = len(self.problems)
        first = f": {self.problems[0]}" if self.problems else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the inputs{first}")

    def __reduce__(
        self,
    ) -> tuple[type[InputError], tuple[tuple[Problem, ...], tuple[Problem, ...]]]:
        # rebuilt from its problems when it crosses processes (``ccrules simulate --jobs``)
        return (type(self), (self.problems, self.warnings))


class ConfigError(InputError):
    """center.toml (or a plugin's settings in it) is wrong."""


class PluginLoadError(InputError):
    """A plugin named in center.toml cannot be found or does not fit the hook specs."""


class PluginError(CcrulesError):
    """A plugin raised while a stage ran.

    :ivar plugin: the plugin's name, when it could be told from the traceback.
    :ivar hook: the hook being called.
    """

    def __init__(self, hook: str, plugin: str | None, error: BaseException) -> None:
        self.hook = hook
        self.plugin = plugin
        self.error = error
        who = f"plugin {plugin!r}" if plugin else "a plugin"
        super().__init__(f"{who} failed in {hook}: {type(error).__name__}: {error}")

    def __reduce__(self) -> tuple[type[PluginError], tuple[str, str | None, BaseException]]:
        # crosses process boundaries (``ccrules simulate --jobs``): keep the cause when it
        # pickles, else its words
        error = self.error
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        return (type(self), (self.hook, self.plugin, error))


class PluginInterrupted(KeyboardInterrupt):
    """Ctrl-C arrived while a plugin's hook ran.

    Still a :class:`KeyboardInterrupt`, so a caller's own Ctrl-C handling is unchanged, but it
    names what was running: the CLI prints the plugin and hook and exits 130, the usual code
    for Ctrl-C. Nothing is written.

    :ivar plugin: the plugin's name, when it could be told from the traceback.
    :ivar hook: the hook being called.
    """

    def __init__(self, hook: str, plugin: str | None) -> None:
        self.hook = hook
        self.plugin = plugin
        who = f"plugin {plugin!r}" if plugin else "a plugin"
        super().__init__(f"interrupted while {who} ran {hook}")

    def __reduce__(self) -> tuple[type[PluginInterrupted], tuple[str, str | None]]:
        return (type(self), (self.hook, self.plugin))
