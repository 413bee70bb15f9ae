"""The ``ccrules`` command line: the operator's way in.

Human summaries go to stdout, problems and progress to stderr; ``--json`` puts exactly one
JSON document on stdout. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click

from ccrules import __version__, hookspecs
from ccrules._center import (
    CONFIG_FILE,
    add_cycles,
    center_zone,
    config_problems,
    load_config,
    parse_config,
)
from ccrules._convert import converter
from ccrules._engine import Engine
from ccrules._gc import batch
from ccrules._history import HISTORY_DIR, History
from ccrules._manager import (
    LoadedPlugins,
    call_order,
    describe_installed,
    hook_kind,
    installed,
    new_manager,
)
from ccrules._planjson import (
    plan_json_blocks,
    plan_schema,
    review_json_blocks,
)
from ccrules._progress import StderrProgress
from ccrules._render import (
    LIST_ROWS,
    explain_data,
    explain_rule_data,
    explain_slot_data,
    find_slot,
    render_explain,
    render_inherited,
    render_plan,
    render_review,
    render_rule,
    render_slot,
    unknown_slot_message,
)
from ccrules.errors import (
    RAN_OUT_ADVICE,
    CcrulesError,
    InputError,
    PluginError,
    PluginInterrupted,
    Problem,
    code_text,
    ran_out,
    unreadable,
)
from ccrules.export import BYS, FORMATS, ExportSource, export_files, local_time
from ccrules.i18n import (
    LANGUAGES,
    N_,
    get_language,
    label,
    language,
    language_from_env,
    msg,
    tr,
)
from ccrules.model import Review
from ccrules.report import PlanSource, Pseudonyms, render_report, report_file_name

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILURE, EXIT_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C

EPILOG = """\b
Exit codes:
  0  success
  1  runtime failure (a plugin raised or exited, an internal error)
  2  bad usage or bad input (config, plugins or data); nothing was written
  130  interrupted (Ctrl-C) while a plugin ran; the plugin and hook are named

Docs: README.md (operators), docs/hooks.md (plugin authors), docs/api.md (integrators),
docs/data.md (every input file and column).
"""


# Control characters (an escape sequence in an agent's name can rewrite the terminal; a
# carriage return can hide the start of a line) and the bidirectional overrides, which can
# make text read differently from what it is. Tab and newline are layout and stay.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every character that could act on a terminal shown as an escape
    (``\\x1b``, ``\\u202e``) instead; Chinese and every other printable text unchanged."""
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text
    )


def echo(message: str | None = None, *, err: bool = False, nl: bool = True) -> None:
    """Print human-readable text (never JSON or a page: those are written as they are),
    with names and values from the center's files made :func:`visible`."""
    click.echo(None if message is None else visible(message), err=err, nl=nl)


def _print_problems(problems: tuple[Problem, ...], warnings: tuple[Problem, ...]) -> None:
    for warning in warnings:
        echo(warning.shown(), err=True)
    for problem in problems:
        echo(problem.shown(), err=True)
    if get_language() != "en":
        # what to do, once per kind of problem, in the operator's language
        done: set[str] = set()
        for problem in (*problems, *warnings):
            explained = code_text(problem.code, get_language())
            if explained is not None and problem.code not in done:
                done.add(problem.code)
                echo(f"  → {explained[1]}", err=True)


def _write_blocks(path: Path, blocks: Iterable[str]) -> None:
    """Write JSON text given in blocks to ``path`` (UTF-8)."""
    with path.open("w", encoding="utf-8") as file:
        for block in blocks:
            file.write(block)


def _echo_blocks(written: Path | None, blocks: Iterable[str]) -> None:
    """JSON text on stdout as it is: read back from the file just written (``--out``),
    else as its blocks are made."""
    if written is not None:
        with written.open(encoding="utf-8") as file:
            while block := file.read(1 << 20):
                click.echo(block, nl=False)
        return
    for block in blocks:
        click.echo(block, nl=False)


def handle_errors(function: F) -> F:
    """Turn ccrules errors into messages and exit codes, with no traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        traceback_wanted = bool(os.environ.get("CCRULES_TRACEBACK"))
        try:
            return function(*args, **kwargs)
        except InputError as error:
            _print_problems(error.problems, error.warnings)
            count = sum(1 for p in error.problems if p.code != "truncated")
            echo(
                tr("1 problem found; nothing was written. Fix it and run again.")
                if count == 1
                else tr(
                    "{count} problems found; nothing was written. Fix them and run again.",
                    count=count,
                ),
                err=True,
            )
            sys.exit(EXIT_INPUT)
        except PluginInterrupted as error:
            # Ctrl-C while a plugin ran: say which, and exit as shells expect of Ctrl-C
            if traceback_wanted:
                raise
            echo(tr("interrupted: {error}. Nothing was written.", error=str(error)), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # the reader went away (`ccrules plan DIR | head`): stop quietly, like other tools
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except Exception as error:
            if traceback_wanted:
                raise
            what = ran_out(error)
            if what is not None:
                # the machine, not the input and not a bug: say what ran out and what to do
                cause = str(error) if isinstance(error, PluginError) else _named(error)
                echo(
                    tr(
                        "ran out of {what}: {cause}. Nothing was written.",
                        what=msg(what),
                        cause=cause,
                    ),
                    err=True,
                )
                echo(f"{tr(RAN_OUT_ADVICE[what])}.", err=True)
            elif isinstance(error, PluginError):
                echo(f"error: {error}", err=True)
                echo(
                    tr("Nothing was written. Set CCRULES_TRACEBACK=1 to see where it failed."),
                    err=True,
                )
            elif isinstance(error, CcrulesError):
                echo(f"error: {error}", err=True)
            else:
                echo(f"internal error: {_named(error)}", err=True)
                echo(
                    tr(
                        "This is a bug in ccrules or a plugin. Set CCRULES_TRACEBACK=1 and run "
                        "again to see where."
                    ),
                    err=True,
                )
            sys.exit(EXIT_FAILURE)

    return wrapper  # type: ignore[return-value]


def _text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _named(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def _atomic_write(path: Path) -> Iterator[Path]:
    """Write to a temporary file beside ``path``; move it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temp_path = Path(temp)
    umask = os.umask(0)
    os.umask(umask)
    temp_path.chmod(0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
    try:
        yield temp_path
        os.replace(temp_path, path)
    finally:
        if temp_path.exists():
            temp_path.unlink()


center_dir = click.argument(
    "center", type=click.Path(file_okay=False, path_type=Path), metavar="DIR"
)
optional_center_dir = click.argument(
    "center", required=False, type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)
cycle_option = click.option(
    "--cycle", "cycle", metavar="ID", help="Cycle id from center.toml; default: the latest."
)
required_cycle_option = click.option(
    "--cycle", "cycle", metavar="ID", required=True, help="Cycle id from center.toml."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
max_errors_option = click.option(
    "--max-errors",
    default=200,
    show_default=True,
    type=click.IntRange(min=1),
    help="Stop reporting input problems after this many.",
)


def out_option(what: str) -> Callable[[F], F]:
    """``--out FILE``: write the command's JSON document to a file."""
    return click.option(
        "--out",
        "out",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Write the {what} JSON to FILE.",
    )


quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")

_LANG_HELP = (
    "Language of the output: en (English) or zh (Simplified Chinese); default from "
    "CCRULES_LANG, else LC_ALL / LANG (zh_* is Chinese)."
)


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """Render the command's text in the chosen language until the command ends."""
    chosen = value or language_from_env()
    ctx.with_resource(language(chosen))
    return chosen


def _lang(expose: bool) -> click.Option:
    return click.Option(
        ["--lang"],
        type=click.Choice(LANGUAGES),
        default=None,
        is_eager=True,
        expose_value=expose,
        callback=_set_language,
        help=_LANG_HELP,
    )


def lang_option(expose: bool = False) -> Callable[[F], F]:
    """``--lang en|zh`` (from the environment when not given); ``expose``: the command
    also takes the chosen language as ``lang``."""

    def decorate(function: F) -> F:
        function.__dict__.setdefault("__click_params__", []).append(_lang(expose))
        return function

    return decorate


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccrules")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Plan contact-center training from a folder of CSV exports, by swappable rules.

    A center folder holds center.toml (operating model, cycles, enabled rule packs and their
    settings) and data/ (agents, QA, KPIs, trainers, courses ... as CSV or Parquet).
    """
    # a command makes many objects and frees few until it ends: fewer cyclic collections
    ctx.with_resource(batch())


def _history_for_validate(center: Path) -> History:
    """The history validate checks: where center.toml says, else the folder's (center.toml's
    own problems, a bad [history] store among them, are reported with the rest)."""
    try:
        return History.open(center)
    except InputError:
        return History(center)


@main.command(epilog=EPILOG)
@center_dir
@cycle_option
@json_option
@quiet_option
@max_errors_option
@handle_errors
def validate(center: Path, cycle: str | None, as_json: bool, quiet: bool, max_errors: int) -> None:
    """Check a center folder's config, plugins and data; report every problem at once."""
    progress = StderrProgress(quiet)
    # the history is read by every command after validate: a broken one is reported here too
    stored = _history_for_validate(center).problems() if center.is_dir() else []
    try:
        engine = Engine.from_folder(center, cycle=cycle, max_errors=max_errors, progress=progress)
        if stored:
            engine.close()
            raise InputError(stored, engine.warnings)
    except InputError as error:
        problems = [*error.problems, *(p for p in stored if p not in error.problems)]
        if as_json:
            _emit_json(
                {
                    "ok": False,
                    "errors": converter.unstructure(problems),
                    "warnings": converter.unstructure(list(error.warnings)),
                }
            )
            sys.exit(EXIT_INPUT)
        raise InputError(problems, error.warnings) from None
    finally:
        progress.done()
    with engine:
        if as_json:
            _emit_json(
                {"ok": True, "errors": [], "warnings": converter.unstructure(list(engine.warnings))}
            )
            return
        _print_problems((), engine.warnings)
        c = engine.center
        echo(
            tr(
                "{center}: OK. {agents} agents in {teams} teams, {competencies} competencies, "
                "{courses} courses, {trainers} trainers; cycle {cycle} ({start} to {end}).",
                center=str(center),
                agents=len(c.agents),
                teams=len(c.teams),
                competencies=len(c.competencies),
                courses=len(c.courses),
                trainers=len(c.trainers),
                cycle=c.cycle.id,
                start=str(c.cycle.start),
                end=str(c.cycle.end),
            )
        )
        echo(tr("Next: {command}", command=f"ccrules plan {center}"))


@main.command(epilog=EPILOG)
@center_dir
@cycle_option
@out_option("plan")
@json_option
@click.option("--no-history", is_flag=True, help="Do not record the plan in DIR/.ccrules/.")
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why an approved plan is replanned; recorded with the new revision.",
)
@click.option(
    "--trace", is_flag=True, help="Print every hook call (plugins, time, results) on stderr."
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"List every session and every item not placed; without it the first "
    f"{LIST_ROWS} of each are listed and the rest counted.",
)
@quiet_option
@max_errors_option
@handle_errors
def plan(
    center: Path,
    cycle: str | None,
    out: Path | None,
    as_json: bool,
    no_history: bool,
    reason: str | None,
    trace: bool,
    show_all: bool,
    quiet: bool,
    max_errors: int,
) -> None:
    """Plan a cycle: needs, priorities, sessions, trainers and times, each with its reasons.

    The latest review of an earlier cycle (`ccrules evaluate`) carries in: its open needs
    with their escalation level, and its trainer standing.

    The plan is recorded in DIR/.ccrules/history.sqlite (or center.toml's [history] store)
    as a draft: a new revision when config, data or the inherited review changed since the
    cycle's last plan, nothing new when they did not. Once a plan is approved (`ccrules
    approve`), replanning needs --reason. Nothing is written when any input is wrong.
    """
    progress = StderrProgress(quiet)
    with _loaded(center, cycle, max_errors, progress) as engine:
        history = History.open(center, config=engine.config)
        previous = _previous_review(history, engine)
        result = engine.plan(previous=previous)
        progress("planned", None)
        if trace:
            for call in engine.trace:
                echo(
                    f"trace: {call.hook} [{', '.join(call.plugins) or '-'}] "
                    f"{call.duration_ms:.1f} ms, {call.results} result(s)",
                    err=True,
                )
        # the file moves into place only once the history is recorded too; JSON is written
        # in blocks, as it is made (a plan of 50,000 agents is 750 MB of it)
        with _atomic_write(out) if out is not None else nullcontext() as temp:
            if temp is not None:
                _write_blocks(temp, plan_json_blocks(result))
            revision = None if no_history else history.record(result, engine.inputs, reason=reason)
        if as_json:
            _echo_blocks(out, plan_json_blocks(result))
        else:
            echo(
                render_plan(
                    result,
                    engine.center,
                    rows=None if show_all else LIST_ROWS,
                    currency=engine.config.currency,
                )
            )
            if previous is not None:
                echo(render_inherited(previous))
        if revision is not None:
            state = (
                N_("recorded as revision {revision} ({status}) of cycle {cycle} in {path}")
                if revision.created
                else N_("unchanged since revision {revision} ({status}) of cycle {cycle} in {path}")
            )
            echo(
                tr(
                    state,
                    revision=revision.revision,
                    status=msg(revision.status),
                    cycle=revision.cycle_id,
                    path=history.location,
                ),
                err=True,
            )
            if revision.status == "draft" and not as_json:
                echo(
                    tr(
                        "Approve it to publish: {command}",
                        command=f"ccrules approve {center} --cycle {revision.cycle_id} --by NAME",
                    )
                )
        if out is not None:
            echo(tr("plan written to {path}", path=str(out)), err=True)
        if not as_json:
            echo(
                tr(
                    "Next: {command}  (why an agent is in a session; --slot SESSION_ID: why "
                    "that time)",
                    command=f"ccrules explain {center} AGENT_ID",
                )
            )


@main.command(epilog=EPILOG)
@center_dir
@click.argument("agent_id", metavar="[AGENT_ID]", required=False)
@click.option(
    "--rule",
    "rule",
    metavar="RULE_ID",
    help="Show every decision one rule made in the plan, with its reasons (see `ccrules rules`).",
)
@click.option(
    "--slot",
    "slot",
    metavar="SESSION_ID",
    help="Show why a session has its time (or none), with the service level of every queue "
    "interval it takes agents from. A split session's groups are SESSION_ID-1, -2 ...",
)
@cycle_option
@click.option(
    "--revision",
    type=click.IntRange(min=1),
    help="Explain a recorded revision instead of planning now.",
)
@json_option
@handle_errors
def explain(
    center: Path,
    agent_id: str | None,
    rule: str | None,
    slot: str | None,
    cycle: str | None,
    revision: int | None,
    as_json: bool,
) -> None:
    """Explain an agent's plan: needs with evidence and rule ids, sessions with trainer and
    time, each with its reasons (rule, plugin and version, facts). The plan is the one
    `ccrules plan` makes now (with the review it inherits), or a recorded --revision. With
    --rule, every decision one rule made instead. With --slot, why one session has its time:
    its reasons and, per queue interval it overlaps, the contacts, agents required, rostered
    and off in training, and the service level before and after against the floor."""
    import difflib

    if sum(given is not None for given in (agent_id, rule, slot)) != 1:
        raise click.UsageError(
            "give an AGENT_ID or --rule RULE_ID or --slot SESSION_ID (one of them)"
        )
    with Engine.from_folder(center, cycle=cycle) as engine:
        titles = {
            info.id: f"{label(info.title, plugin)} ({plugin})"
            for plugin, infos in engine.rules().items()
            for info in infos
        }
        if rule is not None and rule not in titles:
            close = difflib.get_close_matches(rule, list(titles), n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise InputError(
                [
                    Problem(
                        file="center.toml",
                        message=f"no enabled plugin declares rule {rule!r}.{hint} "
                        f"See `ccrules rules {center}`.",
                        code="unknown-rule",
                    )
                ]
            )
        if agent_id is not None and agent_id not in engine.center.agents:
            close = difflib.get_close_matches(agent_id, list(engine.center.agents), n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise InputError(
                [
                    Problem(
                        file=engine.center.source_of("agents"),
                        message=f"unknown agent {agent_id!r}.{hint}",
                        code="unknown-agent",
                    )
                ]
            )
        if revision is not None:
            recorded = History.open(center, config=engine.config).plan(
                engine.center.cycle.id, revision
            )
            if recorded is None:
                raise InputError(
                    [
                        Problem(
                            file=".ccrules/history.sqlite",
                            message=f"no revision {revision} of cycle {engine.center.cycle.id}; "
                            "see `ccrules plan` output for recorded revisions",
                            code="unknown-revision",
                        )
                    ]
                )
            result = recorded
        else:
            # the plan `ccrules plan` would record now: with the review it inherits
            history = History.open(center, config=engine.config)
            result = engine.plan(previous=_previous_review(history, engine))
        if slot is not None and find_slot(result, slot) is None:
            raise InputError(
                [
                    Problem(
                        file=".ccrules/history.sqlite"
                        if revision is not None
                        else f"cycle {result.cycle.id}",
                        message=unknown_slot_message(result, slot),
                        code="unknown-session",
                    )
                ]
            )
        if slot is not None:
            if as_json:
                _emit_json(explain_slot_data(result, engine.center, slot))
            else:
                echo(render_slot(result, engine.center, slot))
        elif rule is not None:
            if as_json:
                _emit_json(explain_rule_data(result, rule))
            else:
                echo(render_rule(result, rule, titles[rule]))
        elif agent_id is not None and as_json:
            _emit_json(explain_data(result, engine.center, agent_id))
        elif agent_id is not None:
            echo(render_explain(result, engine.center, agent_id))


@contextmanager
def _loaded(
    center: Path, cycle: str | None, max_errors: int, progress: StderrProgress
) -> Iterator[Engine]:
    """Load a center folder with progress on stderr, print its warnings, close it after."""
    try:
        engine = Engine.from_folder(center, cycle=cycle, max_errors=max_errors, progress=progress)
    finally:
        progress.done()
    with engine:
        _print_problems((), engine.warnings)
        yield engine


def _previous_review(history: History, engine: Engine) -> Review | None:
    """The latest review of a cycle that ended before the engine's cycle starts; warns when
    the cycle just before was approved but not evaluated."""
    cycle = engine.center.cycle
    previous = history.previous_review(cycle)
    before = [c for c in engine.config.cycles if c.end < cycle.start]
    if before:
        last = max(before, key=lambda c: c.start)
        if (previous is None or previous.cycle.id != last.id) and history.approved(last.id):
            echo(
                tr(
                    "warning: cycle {cycle} has an approved plan but no review, so nothing "
                    "carries from it. Run `{command}` first, then plan again.",
                    cycle=last.id,
                    command=f"ccrules evaluate {engine.center.folder} --cycle {last.id}",
                ),
                err=True,
            )
    return previous


def _no_approved_plan(history: History, cycle_id: str, folder: Path) -> InputError:
    revisions = history.revisions(cycle_id)
    if not revisions:
        message = tr(
            "no plan of cycle {cycle} is recorded; run `{plan}`, then `{approve}`",
            cycle=cycle_id,
            plan=f"ccrules plan {folder} --cycle {cycle_id}",
            approve=f"ccrules approve {folder} --cycle {cycle_id} --by NAME",
        )
    else:
        message = tr(
            "the plan of cycle {cycle} is a draft (revision {revision}); evaluate runs on an "
            "approved plan: `{approve}`",
            cycle=cycle_id,
            revision=revisions[-1].revision,
            approve=f"ccrules approve {folder} --cycle {cycle_id} --by NAME",
        )
    return InputError(
        [Problem(file=".ccrules/history.sqlite", message=message, code="not-approved")]
    )


@main.command(epilog=EPILOG)
@center_dir
@required_cycle_option
@click.option("--by", "by", metavar="NAME", required=True, help="Who approves the plan.")
@click.option(
    "--revision",
    type=click.IntRange(min=1),
    help="Approve this revision instead of the cycle's latest.",
)
@handle_errors
def approve(center: Path, cycle: str, by: str, revision: int | None) -> None:
    """Publish a cycle's plan: the draft becomes the approved plan, with who and when
    recorded in the history. `ccrules evaluate` runs only on an approved plan; an approved
    plan is replanned only as a new revision with --reason."""
    config, raw = load_config(center)
    config.cycle(cycle)  # an unknown cycle is a usage error, with the known ones listed
    zone = center_zone(config, raw.decode("utf-8-sig"))
    done = History.open(center, config=config).approve(cycle, by, revision)
    at = local_time(done.approved_at, zone)
    if not done.created:
        echo(
            tr(
                "revision {revision} of cycle {cycle} was already approved by {by} at {at}; "
                "nothing changed",
                revision=done.revision,
                cycle=cycle,
                by=str(done.approved_by),
                at=at,
            )
        )
        return
    echo(
        tr(
            "approved revision {revision} of cycle {cycle} (by {by} at {at})",
            revision=done.revision,
            cycle=cycle,
            by=str(done.approved_by),
            at=at,
        )
    )
    echo(
        tr(
            "Next: deliver it, put what happened in data/outcomes.csv, then `{command}`",
            command=f"ccrules evaluate {center} --cycle {cycle}",
        )
    )


@main.command(epilog=EPILOG)
@center_dir
@required_cycle_option
@out_option("review")
@json_option
@quiet_option
@max_errors_option
@handle_errors
def evaluate(
    center: Path, cycle: str, out: Path | None, as_json: bool, quiet: bool, max_errors: int
) -> None:
    """Evaluate a cycle's approved plan and close the cycle.

    Reads data/outcomes.csv (attendance, post-test, satisfaction per attendee) and the QA
    and KPI evidence of the window after the cycle; measures the four Kirkpatrick levels
    against a comparison group, makes the 50% + 50% check list, escalations, trainer
    scorecards and attrition warnings, and decides what carries into the next cycle.

    The review is recorded in DIR/.ccrules/history.sqlite (or center.toml's [history] store)
    in one transaction; re-running on the same inputs records nothing new. Nothing is
    written when any input is wrong.
    """
    history = History.open(center)
    progress = StderrProgress(quiet)
    with _loaded(center, cycle, max_errors, progress) as engine:
        found = history.approved(cycle)
        if found is None:
            raise _no_approved_plan(history, cycle, center)
        revision, approved_plan = found
        earlier = [r for r in history.latest_reviews() if r.cycle.id != cycle]
        review = engine.review(approved_plan, earlier=earlier, plan_revision=revision.revision)
        progress("evaluated", None)
        with _atomic_write(out) if out is not None else nullcontext() as temp:
            if temp is not None:
                _write_blocks(temp, review_json_blocks(review))
            record = history.record_review(review)
        if as_json:
            _echo_blocks(out, review_json_blocks(review))
        else:
            echo(render_review(review, engine.center))
        state = (
            N_("recorded as review {number} of cycle {cycle} in {path}")
            if record.created
            else N_("unchanged since review {number} of cycle {cycle} in {path}")
        )
        echo(
            tr(
                state,
                number=record.number,
                cycle=cycle,
                path=history.location,
            ),
            err=True,
        )
        if out is not None:
            echo(tr("review written to {path}", path=str(out)), err=True)
        if not as_json:
            later = sorted(
                (c for c in engine.config.cycles if c.start > engine.center.cycle.end),
                key=lambda c: c.start,
            )
            if later:
                echo(tr("Next: {command}", command=f"ccrules plan {center} --cycle {later[0].id}"))
            else:
                echo(
                    tr(
                        "Next: add the next cycle to {path} ([[cycles]]) and plan it",
                        path=str(center / CONFIG_FILE),
                    )
                )


@main.command(epilog=EPILOG)
@center_dir
@cycle_option
@click.option(
    "--out",
    "out",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write the page to FILE ('-': stdout); default: DIR/report-CYCLE.html "
    "(report-CYCLE.zh.html with --lang zh).",
)
@lang_option(expose=True)
@click.option(
    "--redact",
    is_flag=True,
    help="Replace agent ids and names, and trainer names, with stable pseudonyms (for "
    "sharing); the key is kept in DIR/.ccrules/redact.key.",
)
@quiet_option
@max_errors_option
@handle_errors
def report(
    center: Path,
    cycle: str | None,
    out: Path | None,
    lang: str,
    redact: bool,
    quiet: bool,
    max_errors: int,
) -> None:
    """Write the cycle's report: one self-contained HTML page with charts.

    Competency gaps by team, needs by source and owner, topics to fix upstream, the
    business / non-business mix, hours and cost, the week's calendar with service level
    before and after, and, once evaluated, the evaluation, trainer scorecards, escalations
    and the attrition watch-list. Every chart has its numbers in a table and a one-line
    reading. The page loads nothing from the network; open it from disk or mail it.

    The plan shown is the cycle's approved plan when there is one, else the draft that
    `ccrules plan` makes now (nothing is recorded). Nothing is written when any input is
    wrong.
    """
    progress = StderrProgress(quiet)
    with _loaded(center, cycle, max_errors, progress) as engine:
        history = History.open(center, config=engine.config)
        cycle_id = engine.center.cycle.id
        inherited = _previous_review(history, engine)
        found = history.approved(cycle_id)
        if found is not None:
            revision, shown = found
            source = PlanSource(
                approved=True,
                revision=revision.revision,
                approved_by=revision.approved_by,
                approved_at=local_time(revision.approved_at, engine.config.zone),
            )
        else:
            shown = engine.plan(previous=inherited)
            source = PlanSource()
            progress("planned", None)
        own = history.review(cycle_id)
        target = out if out is not None else _report_path(center, cycle_id, lang)
        key = _redact_key(center) if redact else None
        page = render_report(
            shown,
            engine.center,
            review=own,
            inherited=inherited,
            source=source,
            lang=lang,
            redact=Pseudonyms(key, engine.center) if key is not None else None,
            progress=lambda section: progress(f"drawing {section}", None),
            currency=engine.config.currency,
        )
        progress.done()
        if str(target) == "-":
            click.echo(page, nl=False)
            return
        try:
            with _atomic_write(target) as temp:
                temp.write_text(page, encoding="utf-8")
        except OSError as error:
            raise InputError(
                [
                    Problem(
                        file=str(target),
                        message=f"cannot write the report there: {error.strerror or error}; "
                        "choose another --out",
                        code="unwritable",
                    )
                ]
            ) from None
        echo(tr("report written to {path}", path=str(target)), err=True)
        echo(tr("Next: open {path} in a browser", path=str(target)))


def _scenario_file(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, Path]]:
    """``NAME=FILE`` pairs of ``--scenario``."""
    pairs = []
    for value in values:
        name, sep, file = value.partition("=")
        if not sep or not name.strip() or not file.strip():
            raise click.BadParameter(f"{value!r}: write it as NAME=FILE, e.g. strict=strict.toml")
        pairs.append((name.strip(), Path(file.strip())))
    return pairs


def _writable(path: Path | None, what: str) -> list[Problem]:
    """A file the command will write at the end: refuse a bad place before hours of work."""
    if path is None:
        return []
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not parent.is_dir() or not os.access(parent, os.W_OK):
        return [
            Problem(
                file=str(path),
                message=f"cannot write the {what} there (no such folder, not writable, or a "
                "folder of that name); choose another path",
                code="unwritable",
            )
        ]
    return []


@main.command(epilog=EPILOG)
@center_dir
@click.option(
    "--cycles",
    default=8,
    show_default=True,
    type=click.IntRange(1, 520),
    help="Cycles to simulate, from the center's latest.",
)
@click.option(
    "--runs",
    default=5,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Runs per scenario (each run draws other agents and luck).",
)
@click.option(
    "--seed",
    default=1,
    show_default=True,
    type=click.IntRange(0, 2**63 - 1),
    help="Seed of the random draws; the same seed gives the same result.",
)
@click.option(
    "--scenario",
    "scenario_files",
    multiple=True,
    metavar="NAME=FILE",
    callback=_scenario_file,
    help="A scenario: the center's config with the overrides in FILE (TOML: "
    "[plugins] and pack settings, [simulation]). Repeat for more.",
)
@click.option(
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Worker processes; the result is the same for any number.",
)
@json_option
@out_option("simulation")
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the comparison as a self-contained HTML page.",
)
@lang_option(expose=True)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep every simulated center folder in DIR/<scenario>/run-<n>, to open any "
    "cycle's plan, report and explain.",
)
@quiet_option
@handle_errors
def simulate(
    center: Path,
    cycles: int,
    runs: int,
    seed: int,
    scenario_files: list[tuple[str, Path]],
    jobs: int,
    as_json: bool,
    out: Path | None,
    html_out: Path | None,
    lang: str,
    keep: Path | None,
    quiet: bool,
) -> None:
    """Run the center's rules forward on a model of the center, and compare rule changes.

    Each cycle goes through the real loop: plan, approve, delivery, the next weeks' QA and
    KPIs from the model's true levels, evaluate, plan again. Scenarios (`--scenario`) are the
    center's config with overrides; `current` (the center as configured), `monthly-theme`
    (one classroom theme a month for everyone) and `none` (no training) always run. All
    scenarios see the same simulated agents and draws, so a difference comes from the rules.
    The model and the source of every parameter: docs/simulation.md. The center folder is
    only read.
    """
    from ccrules.simulate import simulate as run_simulation
    from ccrules.simulate._output import labels, render_html, render_table, to_json

    problems = _writable(out, "simulation JSON") + _writable(html_out, "page")
    if keep is not None and keep.exists() and any(keep.iterdir()):
        problems.append(
            Problem(
                file=str(keep),
                message="--keep needs an empty or new folder; this one holds files: choose another",
                code="not-empty",
            )
        )
    if problems:
        raise InputError(problems)
    progress = StderrProgress(quiet)
    result = run_simulation(
        center,
        cycles=cycles,
        runs=runs,
        seed=seed,
        scenario_files=scenario_files,
        jobs=jobs,
        keep=keep,
        progress=lambda message: progress(message, None),
    )
    progress.done()
    text = to_json(result)
    page = render_html(result, lang) if html_out is not None else ""
    for target, content in ((out, text), (html_out, page)):
        if target is None:
            continue
        with _atomic_write(target) as temp:
            temp.write_text(content, encoding="utf-8")
        echo(f"written to {target}", err=True)
    if as_json:
        click.echo(text, nl=False)
    else:
        echo(render_table(result, lang))
        if keep is not None:
            echo(labels(lang)["kept"].format(keep=keep, example=keep / "current" / "run-1"))


def _report_path(center: Path, cycle_id: str, lang: str) -> Path:
    return center / report_file_name(cycle_id, lang)


def _redact_key(center: Path) -> bytes:
    """The center's pseudonym key: made once, kept beside the history, never in a report."""
    path = center / ".ccrules" / "redact.key"
    shown = f"{HISTORY_DIR}/redact.key"
    if path.exists():
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise InputError([unreadable(shown, error)]) from None
        try:
            key = bytes.fromhex(raw.decode("ascii").strip())
        except (UnicodeDecodeError, ValueError):
            key = b""
        if len(key) < 16:
            raise InputError(
                [
                    Problem(
                        file=shown,
                        message="the pseudonym key must be at least 32 hex digits; delete the "
                        "file to make a new one (pseudonyms then change)",
                        code="invalid",
                    )
                ]
            )
        return key
    key = os.urandom(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _atomic_write(path) as temp:
        temp.chmod(0o600)
        temp.write_text(key.hex() + "\n", encoding="ascii")
    return key


@main.command(epilog=EPILOG)
@center_dir
@json_option
@handle_errors
def history(center: Path, as_json: bool) -> None:
    """List the cycles in DIR/.ccrules/history.sqlite (or center.toml's [history] store):
    every plan revision (status, digest, when, who approved it, why it was replanned) and
    every review."""
    config, raw = load_config(center)
    store = History.open(center, config=config)
    zone = center_zone(config, raw.decode("utf-8-sig"))
    revisions = store.revisions()
    reviews = store.review_records()
    order = [c.id for c in sorted(config.cycles, key=lambda c: (c.start, c.id))]
    recorded = {r.cycle_id for r in revisions} | {r.cycle_id for r in reviews}
    cycles = [c for c in order if c in recorded] + sorted(recorded - set(order))
    data: list[dict[str, Any]] = [
        {
            "cycle": cycle_id,
            "revisions": [
                {
                    "revision": r.revision,
                    "status": r.status,
                    "digest": r.digest,
                    "created_at": r.created_at,
                    "approved_by": r.approved_by,
                    "approved_at": r.approved_at,
                    "reason": r.reason,
                }
                for r in revisions
                if r.cycle_id == cycle_id
            ],
            "reviews": [
                {
                    "review": r.number,
                    "plan_revision": r.plan_revision,
                    "digest": r.digest,
                    "previous": r.previous,
                    "created_at": r.created_at,
                }
                for r in reviews
                if r.cycle_id == cycle_id
            ],
        }
        for cycle_id in cycles
    ]
    if as_json:
        _emit_json({"history": store.location, "cycles": data})
        return
    if not data:
        echo(
            tr(
                "{center}: no history yet. Next: {command}",
                center=str(center),
                command=f"ccrules plan {center}",
            )
        )
        return
    for entry in data:
        echo(tr("cycle {cycle}", cycle=entry["cycle"]))
        for r in entry["revisions"]:
            status = tr(r["status"])
            line = "  " + tr(
                "plan revision {revision}",
                revision=f"{r['revision']:<3}",
            )
            line += f" {status}{' ' * (10 - _text_width(status))} {r['digest'][:19]}  "
            line += local_time(r["created_at"], zone)
            if r["approved_by"]:
                line += "  " + tr(
                    "approved by {by} at {at}",
                    by=r["approved_by"],
                    at=local_time(r["approved_at"], zone),
                )
            if r["reason"]:
                line += "  " + tr("reason: {reason}", reason=r["reason"])
            echo(line)
        for r in entry["reviews"]:
            after = tr(", continues {previous}", previous=r["previous"]) if r["previous"] else ""
            echo(
                "  "
                + tr(
                    "review {review} of plan revision {revision} {digest}  {at}",
                    review=f"{r['review']:<3}",
                    revision=f"{r['plan_revision']:<3}",
                    digest=r["digest"][:19],
                    at=local_time(r["created_at"], zone),
                )
                + after
            )


def _write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write an export's files under ``out``, all or nothing: a workbook through a temporary
    file, a folder of CSV or ics files built beside its place and swapped in whole (the
    previous export's folder goes, with files of groups that no longer exist)."""
    created = [p for p in (out, *out.parents) if not p.exists()]
    written: list[Path] = []
    folders = sorted({name.split("/")[0] for name in files if "/" in name})
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if "/" not in name:
                with _atomic_write(out / name) as temp:
                    temp.write_bytes(data)
                written.append(out / name)
        for folder in folders:
            target = out / folder
            build = Path(tempfile.mkdtemp(prefix=f".{folder}.", dir=out))
            try:
                for name, data in files.items():
                    if name.startswith(f"{folder}/"):
                        (build / name.split("/", 1)[1]).write_bytes(data)
                build.chmod(0o777 & ~_umask())
                old = None
                if target.exists():
                    old = Path(tempfile.mkdtemp(prefix=f".{folder}.old.", dir=out))
                    os.replace(target, old / folder)
                try:
                    os.replace(build, target)
                except OSError:
                    if old is not None:  # put the previous export back as it was
                        os.replace(old / folder, target)
                        shutil.rmtree(old)
                    raise
                if old is not None:
                    shutil.rmtree(old)
            finally:
                if build.exists():
                    shutil.rmtree(build)
            written.append(target)
    except OSError as error:
        for path in created:  # folders this export made, deepest first, when still empty
            with suppress(OSError):
                path.rmdir()
        raise InputError(
            [
                Problem(
                    file=str(getattr(error, "filename", None) or out),
                    message=f"cannot write the export there: {error.strerror or error}; "
                    "choose another --out",
                    code="unwritable",
                )
            ]
        ) from None
    return written


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@main.command(epilog=EPILOG)
@center_dir
@required_cycle_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="xlsx: one workbook, a sheet per group and an overview; csv or ics: one file per "
    "group (ics: calendar events in the center's time zone).",
)
@click.option(
    "--by",
    "by",
    type=click.Choice(BYS),
    default="team",
    show_default=True,
    help="One sheet or file per team (for its lead), per trainer, or per agent.",
)
@click.option(
    "--out",
    "out",
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="Folder to write to; default: DIR/exports/CYCLE/.",
)
@lang_option(expose=True)
@quiet_option
@max_errors_option
@handle_errors
def export(
    center: Path,
    cycle: str,
    fmt: str,
    by: str,
    out: Path | None,
    lang: str,
    quiet: bool,
    max_errors: int,
) -> None:
    """Write the cycle's schedule for the people who deliver and attend it: per team (its
    lead), trainer or agent, each session's date, start and end (the center's time zone,
    [center] timezone), course, format, trainer, attendees and teams.

    The plan is the cycle's approved plan when there is one, else a draft made now from the
    folder (nothing is recorded); stderr says which. Names are written as they are in the
    data, Chinese included. The same plan gives byte-identical files. Nothing is written when
    any input is wrong.
    """
    progress = StderrProgress(quiet)
    with _loaded(center, cycle, max_errors, progress) as engine:
        history = History.open(center, config=engine.config)
        found = history.approved(cycle)
        timezone = engine.config.timezone
        if found is not None:
            revision, shown = found
            source = ExportSource(
                approved=True,
                revision=revision.revision,
                approved_by=revision.approved_by,
                approved_at=revision.approved_at,
            )
            echo(
                tr(
                    "exporting the approved plan of cycle {cycle} (revision {revision}, approved "
                    "by {by} at {at})",
                    cycle=cycle,
                    revision=revision.revision,
                    by=str(revision.approved_by),
                    at=local_time(revision.approved_at, engine.config.zone),
                ),
                err=True,
            )
        else:
            shown = engine.plan(previous=_previous_review(history, engine))
            source = ExportSource()
            progress("planned", None)
            progress.done()
            echo(
                tr(
                    "exporting a draft of cycle {cycle} made now from {center}: no revision is "
                    "approved (nothing recorded)",
                    cycle=cycle,
                    center=str(center),
                ),
                err=True,
            )
        files = export_files(
            shown, engine.center, by=by, fmt=fmt, lang=lang, timezone=timezone, source=source
        )
        target = out if out is not None else center / "exports" / _safe_cycle(cycle)
        if target.exists() and not target.is_dir():
            raise InputError(
                [
                    Problem(
                        file=str(target),
                        message=tr("--out must be a folder, and this is a file; choose another"),
                        code="unwritable",
                    )
                ]
            )
        written = _write_files(target, files)
        groups = sum(1 for name in files if "/" in name) or len(files)
        for path in written:
            echo(tr("written: {path}", path=str(path)), err=True)
        placed = sum(1 for s in shown.sessions if s.start is not None)
        echo(
            tr(
                "{sessions} of cycle {cycle} by {by}, {files}, times in {zone}",
                sessions=msg("{count} session", count=placed)
                if placed == 1
                else msg("{count} sessions", count=placed),
                cycle=cycle,
                by=msg(by),
                files=msg("{count} {format} file", count=groups, format=fmt)
                if groups == 1
                else msg("{count} {format} files", count=groups, format=fmt),
                zone=timezone,
            )
        )
        echo(
            tr("Next: open {path}", path=str(written[0]))
            if written
            else tr("Next: nothing to open")
        )


def _safe_cycle(cycle_id: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "_", cycle_id)


@main.group(epilog=EPILOG)
def cycle() -> None:
    """Cycles of center.toml."""


@cycle.command("add", epilog=EPILOG)
@center_dir
@click.option(
    "--weeks",
    "count",
    type=click.IntRange(min=1, max=520),
    default=1,
    show_default=True,
    help="How many cycles to add (for weekly cycles, weeks).",
)
@handle_errors
def cycle_add(center: Path, count: int) -> None:
    """Append the next cycles to DIR/center.toml, after its last [[cycles]] entry.

    Each new cycle continues the last one's id (2026-W49 -> 2026-W50, across the end of an
    ISO year; 2026-12 -> 2027-01; run-7 -> run-8) and its dates (start and end moved by the
    spacing of the last two cycles, or by a week, a month, or the cycle's own length), with
    the same keys the last cycle sets. The rest of the file, comments included, is kept byte
    for byte. Nothing is written when the ids cannot be continued or the result would not be
    a valid center.toml.
    """
    _, raw = load_config(center)
    text = raw.decode("utf-8-sig")
    new_text, added = add_cycles(text, count)
    problems = [
        p for p in config_problems(parse_config(new_text), new_text) if p.severity == "error"
    ]
    if problems:
        raise InputError(problems)
    path = center / CONFIG_FILE
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    with _atomic_write(path) as temp:
        temp.write_bytes(bom + new_text.encode("utf-8"))
    for new in added:
        echo(
            tr(
                "added cycle {cycle}: {start} to {end}",
                cycle=new.id,
                start=str(new.start),
                end=str(new.end),
            )
        )
    echo(tr("Next: {command}", command=f"ccrules plan {center} --cycle {added[0].id}"))


def _enabled_of(center: Path | None) -> list[str] | None:
    if center is None:
        return None
    config, _ = load_config(center)
    return list(config.plugins.enabled)


def _center_plugins(center: Path) -> LoadedPlugins:
    """The plugins DIR enables, loaded and checked as a plan would load them."""
    from ccrules._manager import load_plugins
    from ccrules._toml import locate

    config, raw = load_config(center)
    text = raw.decode("utf-8-sig")
    return load_plugins(
        config.plugins.enabled, config.plugins.settings, locate=lambda p: locate(text, p)
    )


@main.command(epilog=EPILOG)
@optional_center_dir
@json_option
@handle_errors
def plugins(center: Path | None, as_json: bool) -> None:
    """List installed plugins: name, version, hooks implemented, and whether DIR enables
    them. With DIR, the enabled plugins come first, in center.toml order, and each hook
    shows where the plugin stands in its effective call order."""
    enabled = _enabled_of(center)
    infos = describe_installed(enabled)
    orders: dict[str, list[str]] = {}
    if center is not None:
        manager = _center_plugins(center).manager
        orders = {
            hook: [
                i.plugin + (" (wrapper)" if i.wrapper else "") for i in call_order(manager, hook)
            ]
            for hook in hookspecs.HOOK_STAGES
            if hook_kind(hook) != "per-plugin"  # called one plugin at a time, not in a chain
        }
        position = {name: index for index, name in enumerate(enabled or [])}
        infos.sort(key=lambda i: (i.name not in position, position.get(i.name, 0), i.name))
    if as_json:
        rows = converter.unstructure(infos)
        if center is not None:
            for row in rows:
                row["call_order"] = {
                    hook: orders[hook] for hook in row["hooks"] if row["enabled"] and hook in orders
                }
        _emit_json(rows)
        return
    if not infos:
        echo("No plugins installed in the 'ccrules' entry-point group.")
        return
    for info in infos:
        flag = ""
        if info.enabled is not None:
            flag = "  [enabled]" if info.enabled else "  [not enabled]"
        echo(f"{info.name} {info.version} ({info.module}){flag}")
        for hook in info.hooks:
            order = orders.get(hook) if info.enabled else None
            if not order or len(order) < 2:
                echo(f"    {hook}")
                continue
            mine = [str(n) for n, o in enumerate(order, 1) if o.split(" ")[0] == info.name]
            echo(f"    {hook}  {' and '.join(mine)} of {len(order)}: {' > '.join(order)}")
    if enabled is not None:
        missing = sorted(set(enabled) - {i.name for i in infos})
        for name in missing:
            echo(f"{name}: enabled in {CONFIG_FILE} but not installed", err=True)


@main.command(epilog=EPILOG)
@optional_center_dir
@json_option
@handle_errors
def hooks(center: Path | None, as_json: bool) -> None:
    """List every hook in loop order with its implementations in call order: those DIR
    enables, or every installed plugin's."""
    manager = new_manager()
    if center is not None:
        manager = _center_plugins(center).manager
    else:
        for name, point in reversed(list(installed().items())):
            try:
                manager.register(point.load(), name=name)
            except Exception as error:  # shown, not fatal: this is a listing
                echo(f"plugin {name!r} not listed: {type(error).__name__}: {error}", err=True)
    rows = []
    for name, stage in hookspecs.HOOK_STAGES.items():
        rows.append(
            {
                "name": name,
                "stage": str(stage),
                "kind": hook_kind(name),
                "firstresult": hook_kind(name) == "deciding",
                "implementations": converter.unstructure(list(call_order(manager, name))),
            }
        )
    if as_json:
        _emit_json(rows)
        return
    current = None
    for row in rows:
        if row["stage"] != current:
            current = row["stage"]
            echo(f"[{current}]")
        impls = ", ".join(
            i["plugin"] + (" (wrapper)" if i["wrapper"] else "") for i in row["implementations"]
        )
        echo(f"  {row['name']}  ({row['kind']}): {impls or '-'}")


@main.command(epilog=EPILOG)
@optional_center_dir
@json_option
@handle_errors
def rules(center: Path | None, as_json: bool) -> None:
    """List the rules of DIR's enabled plugins (or of every installed plugin): id, stage,
    priority and the seed article it comes from."""
    from ccrules._manager import load_plugins

    if center is not None:
        config, _ = load_config(center)
        names = list(config.plugins.enabled)
        settings = config.plugins.settings
    else:
        names = list(installed())
        settings = {}
    loaded = load_plugins(names, settings)
    rows = [
        {"plugin": plugin, **converter.unstructure(rule)}
        for plugin, plugin_rules in loaded.rules.items()
        for rule in plugin_rules
    ]
    if as_json:
        _emit_json(rows)
        return
    for row in rows:
        source = f"  [{tr('seed')} {row['source']}]" if row["source"] else ""
        echo(f"{row['plugin']}/{row['id']}  ({label(row['stage'])}){source}")
        echo(f"    {label(row['title'], row['plugin'])}")


@main.command("check-plugin", epilog=EPILOG)
@click.argument("name", metavar="NAME")
@optional_center_dir
@cycle_option
@json_option
@handle_errors
def check_plugin(name: str, center: Path | None, cycle: str | None, as_json: bool) -> None:
    """Check an installed plugin against the hook contracts: its hookimpls match the specs
    and give no defaults, its results have the declared types, everything it decides carries
    a reason naming it and its version, and two runs give the same results.

    It plans DIR (with NAME enabled first) and reviews the plan, twice; without DIR, a small
    synthetic center. Exit code 1 when a contract is broken."""
    from ccrules._contract import check_plugin as run_checks

    if center is not None and not (center / CONFIG_FILE).is_file():
        raise InputError(
            [
                Problem(
                    file=str(center / CONFIG_FILE),
                    message="no center.toml here; give the folder of a center",
                    code="missing-file",
                )
            ]
        )
    report = run_checks(name, None, center, cycle=cycle)
    if as_json:
        _emit_json(converter.unstructure(report) | {"ok": report.ok})
    else:
        echo(report.text())
    if not report.ok:
        echo(
            f"{name}: fix the failures above, then run `ccrules check-plugin {name}` again.",
            err=True,
        )
        sys.exit(EXIT_FAILURE)


@main.command(epilog=EPILOG)
@click.argument("name", type=click.Choice(["plan", "simulation"]))
@handle_errors
def schema(name: str) -> None:
    """Print the JSON Schema of a ccrules document (plan, simulation)."""
    if name == "simulation":
        from ccrules.simulate._output import simulation_schema

        _emit_json(simulation_schema())
        return
    _emit_json(plan_schema())


_INTERVAL_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600}


def _interval(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """An interval length with its unit (``900s``, ``15m``, ``30m``, ``1h``), in seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)\s*", value.lower())
    if match is None:
        raise click.BadParameter(f"{value!r} is not an interval; write it as 15m, 30m, 1h or 900s")
    seconds = float(match.group(1)) * _INTERVAL_UNITS[match.group(2)]
    if seconds <= 0 or seconds != int(seconds):
        raise click.BadParameter(f"{value!r} must be a whole number of seconds above 0")
    return int(seconds)


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number")
    return value


def _percent(share: float) -> str:
    return f"{share * 100:.4g}%"


def _duration(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


@main.command(epilog=EPILOG)
@click.option(
    "--contacts",
    type=click.FloatRange(min=0),
    required=True,
    metavar="N",
    callback=_finite,
    help="Contacts offered in the interval (a forecast may be fractional).",
)
@click.option(
    "--interval",
    "interval",
    default="30m",
    show_default=True,
    metavar="LENGTH",
    callback=_interval,
    help="Interval length: 15m, 30m, 1h, 900s ...",
)
@click.option(
    "--aht",
    type=click.FloatRange(min=0, min_open=True),
    required=True,
    metavar="SECONDS",
    callback=_finite,
    help="Average handle time of a contact, in seconds.",
)
@click.option(
    "--target",
    type=click.FloatRange(min=0),
    default=20,
    show_default=True,
    metavar="SECONDS",
    callback=_finite,
    help="Answer time of the service level: answered within this many seconds.",
)
@click.option(
    "--service-level",
    "goal",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=0.8,
    show_default=True,
    metavar="SHARE",
    callback=_finite,
    help="Share to answer within --target, 0-1 (0.8 for 80%).",
)
@click.option(
    "--shrinkage",
    type=click.FloatRange(min=0, max=1, max_open=True),
    default=0.0,
    show_default=True,
    metavar="SHARE",
    callback=_finite,
    help="Share of paid time off the phones (breaks, training, absence), 0-1.",
)
@click.option(
    "--max-occupancy",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=1.0,
    show_default=True,
    metavar="SHARE",
    callback=_finite,
    help="Highest share of time agents may spend on contacts, 0-1.",
)
@click.option(
    "--agents",
    type=click.IntRange(min=0),
    metavar="N",
    help="Show the figures for this many agents instead of the requirement.",
)
@json_option
@handle_errors
def staffing(
    contacts: float,
    interval: int,
    aht: float,
    target: float,
    goal: float,
    shrinkage: float,
    max_occupancy: float,
    agents: int | None,
    as_json: bool,
) -> None:
    """Erlang C: the agents an interval needs on the phones to answer in time.

    Gives the required agents (or, with --agents, the figures for that many), the service
    level, the probability a contact waits, the average speed of answer, occupancy, and the
    agents to schedule after shrinkage. Example: 100 contacts per 30 min of 180 s, 80% within
    20 s: `ccrules staffing --contacts 100 --aht 180 --shrinkage 0.3` gives 14 agents on the
    phones and 20 scheduled. The same calculation is `ccrules.erlang` in Python.
    """
    from ccrules import erlang

    try:
        required = erlang.required_agents(
            contacts, aht, interval, target, goal, max_occupancy, shrinkage
        )
        result = (
            required
            if agents is None
            else erlang.staffing(contacts, aht, interval, agents, target, shrinkage)
        )
        fewer = (
            erlang.staffing(contacts, aht, interval, result.agents - 1, target).service_level
            if result.agents > 0
            else None
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if as_json:
        data = converter.unstructure(result)
        data["asa_seconds"] = None if math.isinf(result.asa_seconds) else result.asa_seconds
        data["fewer_agents_service_level"] = fewer
        _emit_json(data)
        return
    goal_text = f"{_percent(goal)} answered within {target:g} s"
    if max_occupancy < 1:
        goal_text += f", occupancy at most {_percent(max_occupancy)}"
    rows = [
        (
            "Traffic",
            f"{result.traffic:.2f} Erlangs ({contacts:g} contacts x {aht:g} s / "
            f"{_duration(interval)})",
        ),
        (
            ("Required agents", f"{result.agents} on the phones ({goal_text})")
            if agents is None
            else ("Agents", f"{agents} on the phones ({required.agents} needed for {goal_text})")
        ),
        (
            "Service level",
            f"{result.service_level:.2%} within {target:g} s"
            + (f"   ({result.agents - 1} agents: {fewer:.2%})" if fewer is not None else ""),
        ),
        ("Wait probability", f"{result.wait_probability:.2%}"),
        (
            "Avg speed answer",
            f"{result.asa_seconds:.1f} s"
            if not math.isinf(result.asa_seconds)
            else "no answer in time: the queue grows while agents <= traffic",
        ),
        ("Occupancy", f"{result.occupancy:.1%}"),
        (
            "Scheduled",
            f"{result.scheduled} with {_percent(shrinkage)} shrinkage"
            if shrinkage
            else f"{result.scheduled} (no shrinkage given)",
        ),
    ]
    for name, value in rows:
        echo(f"{name:<18} {value}")


@main.command(epilog=EPILOG)
@click.argument("out_dir", metavar="OUT_DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--agents", type=click.IntRange(min=20), default=1000, show_default=True, help="Agents."
)
@click.option(
    "--qa-rows",
    type=click.IntRange(min=0),
    default=100_000,
    show_default=True,
    help="QA rows (scored form items, 20 per evaluation).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same files.")
@click.option(
    "--model",
    type=click.Choice(["inhouse", "bpo"]),
    default="inhouse",
    show_default=True,
    help="In-house center, or a BPO vendor serving a client.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="Format of the large files (QA, KPIs, test calls...).",
)
@quiet_option
@handle_errors
def synth(
    out_dir: Path, agents: int, qa_rows: int, seed: int, model: str, fmt: str, quiet: bool
) -> None:
    """Write a synthetic center folder that `ccrules plan` accepts: teams of 10-20 with leads
    and shifts, roles and profiles, weak competencies per team, lenient and harsh QA
    evaluators, every evidence file, trainers and courses. Deterministic per seed; rows
    stream to disk, so memory stays flat however large."""
    from ccrules._synth import SynthSpec, write_center

    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InputError(
            [
                Problem(
                    file=str(out_dir),
                    message="already exists and is not empty; choose a new folder",
                    code="exists",
                )
            ]
        )
    progress = StderrProgress(quiet)
    spec = SynthSpec(
        agents=agents,
        qa_rows=qa_rows,
        seed=seed,
        model="bpo" if model == "bpo" else "inhouse",
        format="parquet" if fmt == "parquet" else "csv",
    )
    # written beside the target and moved into place whole: no half-written center
    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=parent))
    try:
        write_center(staging / "center", spec, lambda message: progress(message, None))
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(staging / "center", out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    echo(f"{out_dir}: {agents:,} agents, {qa_rows:,} QA rows, {model} model, seed {seed}.")
    echo(f"Next: ccrules plan {out_dir}")


@main.group(epilog=EPILOG)
def group() -> None:
    """Plan, evaluate and report a group of centers (group.toml) as tasks on a Dask cluster
    (docs/scale.md)."""


def _group_cycle_option(default: str) -> Callable[[F], F]:
    return click.option(
        "--cycle",
        "cycle",
        metavar="ID",
        help=f"Cycle of every center; default: each center's cycle in GROUP, else the group's, "
        f"else {default}.",
    )


scheduler_option = click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="A running Dask scheduler (tcp://host:8786); default: a local cluster on this machine.",
)
workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes of the local cluster; default: workers in GROUP, else 2.",
)
connect_timeout_option = click.option(
    "--connect-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds to wait for --scheduler to answer.",
)


def _writable_folder(out_dir: Path, what: str) -> None:
    """Refuse an output folder that cannot be written before any center runs."""
    existing = out_dir if out_dir.exists() else out_dir.absolute().parent
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise InputError(
            [
                Problem(
                    file=str(out_dir),
                    message=f"cannot write the {what} there (not a folder, or not "
                    "writable); choose another folder",
                    code="unwritable",
                )
            ]
        )


def _print_outcomes(outcomes: Any) -> None:
    """Each center's warnings and notes, and what went wrong with a center not done, on
    stderr, each line starting with the center's name."""
    from ccrules.group import BAD_INPUT, FAILED
    from ccrules.i18n import text as render_text

    for outcome in outcomes:
        for warning in outcome.warnings:
            echo(f"{outcome.name}: {warning.shown()}", err=True)
        for note in outcome.notes:
            echo(f"{outcome.name}: {render_text(note)}", err=True)
        if outcome.status == BAD_INPUT:
            echo(
                tr(
                    "center {name} ({folder}): bad input; nothing was written for it:",
                    name=outcome.name,
                    folder=outcome.folder,
                ),
                err=True,
            )
            for problem in outcome.problems:
                echo(f"  {outcome.name}: {problem.shown()}", err=True)
        elif outcome.status == FAILED:
            echo(
                tr(
                    "center {name} ({folder}) failed: {error}. Nothing was written for it.",
                    name=outcome.name,
                    folder=outcome.folder,
                    error=outcome.error or "",
                ),
                err=True,
            )


def _exit_for(outcomes: Any, done: str, message: str) -> None:
    """Say how many centers were not done (``message`` with ``{bad}`` and ``{count}``) and
    exit with the group's code, when any was not."""
    from ccrules.group import exit_code

    code = exit_code(outcomes)
    if code != EXIT_OK:
        echo(
            tr(
                message,
                bad=sum(1 for o in outcomes if o.status != done),
                count=len(outcomes),
            ),
            err=True,
        )
        sys.exit(code)


@group.command("plan", epilog=EPILOG)
@click.argument("group_file", type=click.Path(dir_okay=False, path_type=Path), metavar="GROUP")
@_group_cycle_option("each center's latest")
@scheduler_option
@workers_option
@connect_timeout_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each planned center's plan JSON to DIR/NAME.json (as `ccrules plan --json`).",
)
@json_option
@click.option("--no-history", is_flag=True, help="Do not record the plans in each center.")
@handle_errors
def group_plan(
    group_file: Path,
    cycle: str | None,
    scheduler: str | None,
    workers: int | None,
    connect_timeout: float,
    out_dir: Path | None,
    as_json: bool,
    no_history: bool,
) -> None:
    """Plan every center of GROUP, each center-cycle a task on Dask: a center's plan (and
    history) is what `ccrules plan` gives on that center alone. One center's bad input or
    failure is reported with its name and does not stop the others.

    Exit code: 0 every center planned; 1 a center failed at run time; 2 a center had bad
    input (or GROUP did). Nothing is written for a center that was not planned.
    """
    from ccrules.group import PLANNED, dask_client, load_group, run_group, summary_json

    loaded = load_group(group_file)
    members = tuple(attrs.evolve(m, cycle=cycle or m.cycle) for m in loaded.members)
    if out_dir is not None:
        _writable_folder(out_dir, "plans")
    with dask_client(scheduler, workers or loaded.workers or 2, connect_timeout) as client:
        outcomes = run_group(members, client, record=not no_history, want_json=out_dir is not None)
    _print_outcomes(outcomes)
    for outcome in outcomes:
        if out_dir is not None and outcome.status == PLANNED and outcome.plan_json is not None:
            with _atomic_write(out_dir / f"{outcome.name}.json") as temp:
                temp.write_text(outcome.plan_json, encoding="utf-8")
    if as_json:
        _emit_json(summary_json(loaded, outcomes))
    else:
        echo(_group_table(outcomes))
    _exit_for(
        outcomes,
        PLANNED,
        N_(
            "{bad} of {count} centers not planned; fix them and run the group again "
            "(centers already planned stay as they are)."
        ),
    )


@group.command("evaluate", epilog=EPILOG)
@click.argument("group_file", type=click.Path(dir_okay=False, path_type=Path), metavar="GROUP")
@_group_cycle_option("each center's latest cycle with an approved plan")
@scheduler_option
@workers_option
@connect_timeout_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each evaluated center's review JSON to DIR/NAME.json (as `ccrules evaluate "
    "--json`).",
)
@json_option
@click.option("--no-history", is_flag=True, help="Do not record the reviews in each center.")
@handle_errors
def group_evaluate(
    group_file: Path,
    cycle: str | None,
    scheduler: str | None,
    workers: int | None,
    connect_timeout: float,
    out_dir: Path | None,
    as_json: bool,
    no_history: bool,
) -> None:
    """Evaluate every center of GROUP, each center-cycle a task on Dask: a center's review
    (and history) is what `ccrules evaluate` gives on that center alone, recorded only once
    it succeeded. One center's bad input or failure is reported with its name and does not
    stop the others.

    The summary gives, per center and in total, the sessions reviewed, the needs met and
    carried into the next cycle, escalations and on-site checks, and the behaviour effect
    against the comparison group with its verdict.

    Exit code: 0 every center evaluated; 1 a center failed at run time; 2 a center had bad
    input (no approved plan, or wrong data) or GROUP did. Nothing is written for a center
    that was not evaluated.
    """
    from ccrules.group import (
        EVALUATED,
        dask_client,
        evaluate_center,
        load_group,
        run_tasks,
        summary_json,
    )

    loaded = load_group(group_file)
    members = tuple(attrs.evolve(m, cycle=cycle or m.cycle) for m in loaded.members)
    if out_dir is not None:
        _writable_folder(out_dir, "reviews")
    with dask_client(scheduler, workers or loaded.workers or 2, connect_timeout) as client:
        outcomes = run_tasks(
            members,
            client,
            "evaluate",
            evaluate_center,
            not no_history,
            out_dir is not None,
            get_language(),
        )
    _print_outcomes(outcomes)
    for outcome in outcomes:
        if out_dir is not None and outcome.status == EVALUATED and outcome.review_json is not None:
            with _atomic_write(out_dir / f"{outcome.name}.json") as temp:
                temp.write_text(outcome.review_json, encoding="utf-8")
    if as_json:
        _emit_json(summary_json(loaded, outcomes, EVALUATED))
    else:
        echo(_evaluate_table(outcomes))
    _exit_for(
        outcomes,
        EVALUATED,
        N_(
            "{bad} of {count} centers not evaluated; fix them and run the group again "
            "(reviews already recorded stay as they are)."
        ),
    )


@group.command("report", epilog=EPILOG)
@click.argument("group_file", type=click.Path(dir_okay=False, path_type=Path), metavar="GROUP")
@_group_cycle_option("each center's latest")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the group page (DIR/index.html) and of each center's report "
    "(DIR/NAME/report-CYCLE.html); default: group-report beside GROUP.",
)
@scheduler_option
@workers_option
@connect_timeout_option
@json_option
@lang_option(expose=True)
@handle_errors
def group_report(
    group_file: Path,
    cycle: str | None,
    out_dir: Path | None,
    scheduler: str | None,
    workers: int | None,
    connect_timeout: float,
    as_json: bool,
    lang: str,
) -> None:
    """Write every center's report and the group page, each center-cycle a task on Dask.

    Each center's report is the page `ccrules report` writes for that center alone (same
    bytes), written to DIR/NAME/ (NAME: the center's name in GROUP). DIR/index.html is the
    group page: the group's needs, sessions, hours, cost and intervals below the floor (and
    the reviews' figures once centers were evaluated), one row per center linking its report,
    and each center that did not complete named with what went wrong. Self-contained, like
    the center report; nothing is recorded in any center.

    Exit code: 0 every center reported; 1 a center failed at run time; 2 a center had bad
    input (or GROUP did). Nothing is written for a center that did not complete; the group
    page is written all the same.
    """
    from ccrules.group import (
        REPORTED,
        dask_client,
        load_group,
        report_center,
        run_tasks,
        summary_json,
    )
    from ccrules.group_report import INDEX, render_group_page

    loaded = load_group(group_file)
    members = tuple(attrs.evolve(m, cycle=cycle or m.cycle) for m in loaded.members)
    target = out_dir if out_dir is not None else group_file.parent / "group-report"
    _writable_folder(target, "reports")
    with dask_client(scheduler, workers or loaded.workers or 2, connect_timeout) as client:
        outcomes = run_tasks(members, client, "report", report_center, lang)
    _print_outcomes(outcomes)
    for outcome in outcomes:
        if outcome.status == REPORTED and outcome.page is not None and outcome.page_name:
            with _atomic_write(target / outcome.name / outcome.page_name) as temp:
                temp.write_text(outcome.page, encoding="utf-8")
    name = group_file.absolute().parent.name or str(group_file)
    with _atomic_write(target / INDEX) as temp:
        temp.write_text(render_group_page(name, outcomes, lang), encoding="utf-8")
    if as_json:
        _emit_json(summary_json(loaded, outcomes, REPORTED))
    else:
        echo(_group_table(outcomes, REPORTED))
    echo(tr("group page written to {path}", path=str(target / INDEX)), err=True)
    _exit_for(
        outcomes,
        REPORTED,
        N_(
            "{bad} of {count} centers not reported; fix them and run the group report again "
            "(reports already written stay as they are)."
        ),
    )
    if not as_json:
        echo(tr("Next: open {path} in a browser", path=str(target / INDEX)))


def _evaluate_table(outcomes: Any) -> str:
    """The group's reviews for a terminal: one row per center, then the total."""
    from ccrules._render import _figure
    from ccrules.group import review_total
    from ccrules.i18n import label as term
    from ccrules.model import Evaluation

    header = (
        tr("Center"),
        tr("Cycle"),
        tr("Status"),
        tr("Sessions"),
        tr("Needs met"),
        tr("Carried"),
        tr("Escalated"),
        tr("On-site checks"),
        tr("L3 effect [95%]"),
        tr("Verdict"),
    )
    status_words = {
        "evaluated": N_("evaluated"),
        "bad-input": N_("bad input"),
        "failed": N_("failed"),
    }
    rows = []
    for o in outcomes:
        r = o.review
        if r is None:
            rows.append((o.name, o.cycle or "-", tr(status_words[o.status]), *("-",) * 7))
            continue
        behaviour = next((f for f in r.figures if f.metric == "behaviour"), None)
        effect = (
            Evaluation(
                subject="center",
                subject_id=o.cycle or "",
                level=behaviour.level,
                metric=behaviour.metric,
                value=behaviour.value,
                n=behaviour.n,
                low=behaviour.low,
                high=behaviour.high,
                compared=behaviour.compared,
                verdict=behaviour.verdict,
            )
            if behaviour is not None
            else None
        )
        rows.append(
            (
                o.name,
                o.cycle or "-",
                tr(status_words[o.status]),
                str(r.sessions),
                str(r.needs_met),
                str(r.needs_carried),
                str(r.escalated),
                str(r.on_site_checks),
                _figure(effect),
                term(behaviour.verdict) if behaviour is not None and behaviour.verdict else "-",
            )
        )
    t = review_total(outcomes)
    rows.append(
        (
            tr("Total ({count} evaluated)", count=t.centers),
            "",
            "",
            str(t.sessions),
            str(t.needs_met),
            str(t.needs_carried),
            str(t.escalated),
            str(t.on_site_checks),
            "",
            "",
        )
    )
    return _aligned(header, rows, left=3, right_until=8)


def _group_table(outcomes: Any, done: str = "planned") -> str:
    """The group summary for a terminal: one row per center, then the total."""
    from ccrules._render import money
    from ccrules.group import total

    header = (
        tr("Center"),
        tr("Cycle"),
        tr("Status"),
        tr("Needs"),
        tr("Sessions"),
        tr("Attendee h"),
        tr("Trainer h"),
        tr("Cost"),
        tr("Below floor"),
    )
    status_words = {
        "planned": N_("planned"),
        "reported": N_("reported"),
        "bad-input": N_("bad input"),
        "failed": N_("failed"),
    }
    rows = []
    for o in outcomes:
        s = o.summary
        rows.append(
            (
                o.name,
                o.cycle or "-",
                tr(status_words[o.status]),
                *(
                    (
                        str(s.needs),
                        str(s.sessions),
                        f"{s.attendee_hours:.1f}",
                        f"{s.trainer_hours:g}",
                        money(s.cost, s.currency),
                        str(s.intervals_below_floor),
                    )
                    if s is not None
                    else ("-",) * 6
                ),
            )
        )
    t = total(outcomes)
    rows.append(
        (
            tr("Total ({count} planned)", count=t.centers)
            if done == "planned"
            else tr("Total ({count} reported)", count=t.centers),
            "",
            "",
            str(t.needs),
            str(t.sessions),
            f"{t.attendee_hours:.1f}",
            f"{t.trainer_hours:g}",
            money(t.cost, t.currency) if t.cost is not None else tr("mixed currencies"),
            str(t.intervals_below_floor),
        )
    )
    return _aligned(header, rows, left=3)


def _aligned(
    header: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    *,
    left: int,
    right_until: int | None = None,
) -> str:
    """Rows as aligned columns: the first ``left`` columns (and those from ``right_until``
    on) aligned left, the others right; CJK characters take two columns."""
    widths = [max(_text_width(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _text_width(cell))
            at_left = i < left or (right_until is not None and i >= right_until)
            cells.append(cell + pad if at_left else pad + cell)
        return "  ".join(cells).rstrip()

    return "\n".join([line(header), *(line(row) for row in rows)])


if __name__ == "__main__":  # pragma: no cover
    main()


# Every command speaks the operator's language: those that do not take it as a value still
# render their text (summaries, reasons, errors and hints) in it.
def _speaking(command: click.Command) -> None:
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _speaking(sub)
    elif not any(param.name == "lang" for param in command.params):
        command.params.append(_lang(False))


for _command in main.commands.values():
    _speaking(_command)
