"""A group of centers: ``group.toml``, and planning every center-cycle as a task on Dask.

Each task runs what ``ccrules plan DIR`` runs (load the folder, plan with the inherited
review, record the plan in the center's history), so a center's plan is byte-identical to
planning it alone. A task never raises: it returns a :class:`CenterOutcome` saying whether the
center was planned, had bad input, or failed at run time, so one center cannot stop the
others. Dask is imported only when a group runs.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from ccrules._convert import converter, structure_problems
from ccrules._history_pg import store_problem
from ccrules._toml import locate, read_toml
from ccrules.errors import ConfigError, InputError, PluginError, Problem, ran_out
from ccrules.i18n import msg
from ccrules.model import Message

GROUP_FILE = "group.toml"

#: seconds to wait for a running scheduler before saying it cannot be reached
CONNECT_TIMEOUT = 10.0

#: a center's name names its plan file (``--out DIR``): no separators, no control characters
_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")

PLANNED, BAD_INPUT, FAILED = "planned", "bad-input", "failed"


@attrs.frozen
class CenterEntry:
    """One ``[[centers]]`` table of group.toml.

    :param name: the center's name in the group (unique).
    :param folder: the center folder, relative to group.toml (or absolute).
    :param cycle: the cycle to plan; default: the group's ``cycle``, else the latest.
    """

    name: str
    folder: str
    cycle: str | None = None


@attrs.frozen
class GroupHistory:
    """``[history]`` of group.toml: the store every center of the group records in.

    :param store: a PostgreSQL URL; wins over each center's own ``[history] store``.
    """

    store: str = ""


@attrs.frozen
class GroupConfig:
    """group.toml.

    :param centers: the centers of the group, in the order they are reported.
    :param cycle: the cycle every center plans unless its own ``cycle`` says otherwise.
    :param workers: worker processes of the local cluster (``--workers`` wins).
    :param history: the group's shared history store.
    """

    centers: tuple[CenterEntry, ...]
    cycle: str | None = None
    workers: int | None = None
    history: GroupHistory = GroupHistory()


@attrs.frozen
class Member:
    """A center of a loaded group: its name, its folder resolved, the cycle to plan, and
    the group's history store (``None``: where the center's center.toml says)."""

    name: str
    folder: Path
    cycle: str | None
    store: str | None = None


@attrs.frozen
class Group:
    """A loaded group.toml."""

    file: Path
    members: tuple[Member, ...]
    workers: int | None


def _where(text: str) -> Callable[[tuple[str | int, ...]], int | None]:
    return lambda path: locate(text, path)


def load_group(path: Path) -> Group:
    """Read and check group.toml; raise :class:`ConfigError` naming the line and key path of
    every problem (an unknown key, a missing folder, a center named twice)."""
    file = str(path)
    if not path.is_file():
        raise ConfigError(
            [
                Problem(
                    file=file,
                    message=f"no such group file; a group is described by a {GROUP_FILE} "
                    "(see docs/scale.md)",
                    code="missing-file",
                )
            ]
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            [Problem(file=file, message=f"not UTF-8 text: {error.reason}", code="encoding")]
        ) from None
    except OSError as error:
        from ccrules.errors import unreadable

        raise ConfigError([unreadable(file, error)]) from None
    data = read_toml(text, file)
    where = _where(text)
    try:
        config = converter.structure(data, GroupConfig)
    except Exception as error:  # cattrs raises an exception group of every wrong value
        raise ConfigError(structure_problems(error, file, locate=where)) from None
    problems: list[Problem] = []
    if config.workers is not None and config.workers < 1:
        problems.append(
            Problem(
                file=file,
                line=where(("workers",)),
                path="workers",
                message=f"workers: {config.workers} is not allowed; expected 1 or more",
                code="out-of-range",
            )
        )
    if not config.centers:
        problems.append(
            Problem(
                file=file,
                line=where(("centers",)),
                path="centers",
                message="centers: no centers; add a [[centers]] table with name and folder",
                code="no-centers",
            )
        )
    wrong = store_problem(config.history.store)
    if wrong is not None:
        problems.append(
            Problem(
                file=file,
                line=where(("history", "store")),
                path="history.store",
                message=f"history.store: {wrong}",
                code="bad-store",
            )
        )
    seen: dict[str, int] = {}
    members = []
    base = path.parent
    for index, entry in enumerate(config.centers):
        if entry.name in seen:
            problems.append(
                Problem(
                    file=file,
                    line=where(("centers", index, "name")),
                    path=f"centers[{index}].name",
                    message=f"centers[{index}].name: {entry.name!r} names "
                    f"centers[{seen[entry.name]}] already; give every center its own name",
                    code="duplicate-center",
                )
            )
        else:
            seen[entry.name] = index
        if _UNSAFE_NAME.search(entry.name) or entry.name.strip(". ") == "":
            problems.append(
                Problem(
                    file=file,
                    line=where(("centers", index, "name")),
                    path=f"centers[{index}].name",
                    message=f"centers[{index}].name: {entry.name!r} cannot name a file; "
                    "use letters, digits, Chinese, spaces, - or _ (no / \\ or control characters)",
                    code="not-allowed",
                )
            )
        folder = base / entry.folder
        if not folder.is_dir():
            problems.append(
                Problem(
                    file=file,
                    line=where(("centers", index, "folder")),
                    path=f"centers[{index}].folder",
                    message=f"centers[{index}].folder: no such folder {str(folder)!r} "
                    f"(folders are relative to {GROUP_FILE})",
                    code="missing-folder",
                )
            )
        store = config.history.store or None
        members.append(Member(entry.name, folder, entry.cycle or config.cycle, store))
    if problems:
        raise ConfigError(problems)
    return Group(path, tuple(members), config.workers)


@attrs.frozen
class CenterSummary:
    """The totals of one center's plan the group summary adds up."""

    needs: int
    sessions: int
    attendee_hours: float
    trainer_hours: float
    cost: float
    currency: str
    intervals_below_floor: int


@attrs.frozen
class CenterOutcome:
    """What one center's task returns: never an exception.

    :param status: ``planned``, ``bad-input`` or ``failed``.
    :param plan_json: the plan JSON exactly as ``ccrules plan --json`` prints it (only when
        asked for).
    :param plan_sha256: the SHA-256 of that JSON's UTF-8 bytes (when the JSON or its hash was
        asked for): compares plans without moving them between machines.
    :param problems: the input problems of a center with bad input.
    :param warnings: the input warnings (the plan ran).
    :param notes: messages for the operator (an approved cycle that was never evaluated).
    :param error: what failed at run time.
    """

    name: str
    folder: str
    status: str
    cycle: str | None = None
    summary: CenterSummary | None = None
    plan_json: str | None = None
    plan_sha256: str | None = None
    digest: str | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    notes: tuple[Message, ...] = ()
    error: str | None = None
    revision: int | None = None
    revision_created: bool = False
    seconds: float = 0.0


def plan_center(member: Member, record: bool, want_json: bool | str) -> CenterOutcome:
    """Plan one center as ``ccrules plan DIR`` does; the Dask task of a center-cycle.

    ``want_json``: ``True`` returns the plan JSON and its hash, ``"sha256"`` only the hash.
    History is recorded only once the plan succeeded; an error leaves the center as it was."""
    import hashlib

    from ccrules._engine import Engine
    from ccrules._history import History
    from ccrules._planjson import plan_to_json

    started = time.perf_counter()
    folder = str(member.folder)
    try:
        with Engine.from_folder(member.folder, cycle=member.cycle) as engine:
            history = History.open(member.folder, store=member.store, config=engine.config)
            previous, notes = _previous_review(history, engine)
            result = engine.plan(previous=previous)
            text = plan_to_json(result) if want_json else None
            sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
            revision = history.record(result, engine.inputs) if record else None
            s = result.summary
            summary = CenterSummary(
                needs=s.needs,
                sessions=s.sessions,
                attendee_hours=s.training_minutes / 60,
                trainer_hours=s.trainer_hours,
                cost=s.trainer_cost,
                currency=engine.config.currency,
                intervals_below_floor=s.intervals_below_floor,
            )
            return CenterOutcome(
                name=member.name,
                folder=folder,
                status=PLANNED,
                cycle=result.cycle.id,
                summary=summary,
                plan_json=text if want_json is True else None,
                plan_sha256=sha256,
                digest=result.digest,
                warnings=tuple(engine.warnings),
                notes=notes,
                revision=revision.revision if revision is not None else None,
                revision_created=revision.created if revision is not None else False,
                seconds=time.perf_counter() - started,
            )
    except InputError as error:
        return CenterOutcome(
            name=member.name,
            folder=folder,
            status=BAD_INPUT,
            cycle=member.cycle,
            problems=error.problems,
            warnings=error.warnings,
            seconds=time.perf_counter() - started,
        )
    except Exception as error:  # a plugin or the machine: this center fails, the others go on
        what = ran_out(error)
        detail = (
            str(error) if isinstance(error, PluginError) else f"{type(error).__name__}: {error}"
        )
        if what is not None:
            detail = f"ran out of {what}: {detail}"
        return CenterOutcome(
            name=member.name,
            folder=folder,
            status=FAILED,
            cycle=member.cycle,
            error=detail,
            seconds=time.perf_counter() - started,
        )


def _previous_review(history: Any, engine: Any) -> tuple[Any, tuple[Message, ...]]:
    """As ``ccrules plan`` inherits a review; the warning it prints becomes a note."""
    cycle = engine.center.cycle
    previous = history.previous_review(cycle)
    before = [c for c in engine.config.cycles if c.end < cycle.start]
    notes: tuple[Message, ...] = ()
    if before:
        last = max(before, key=lambda c: c.start)
        if (previous is None or previous.cycle.id != last.id) and history.approved(last.id):
            notes = (
                msg(
                    "warning: cycle {cycle} has an approved plan but no review, so nothing "
                    "carries from it. Run `{command}` first, then plan again.",
                    cycle=last.id,
                    command=f"ccrules evaluate {engine.center.folder} --cycle {last.id}",
                ),
            )
    return previous, notes


class SchedulerUnreachable(InputError):
    """The scheduler given by ``--scheduler`` did not answer in time."""

    def __init__(self, address: str, timeout: float, cause: BaseException) -> None:
        super().__init__(
            [
                Problem(
                    file=address,
                    message=f"no Dask scheduler answered at {address} within {timeout:g} s "
                    f"({type(cause).__name__}: {cause}); start one (`dask scheduler`) or "
                    "check the address, or leave out --scheduler to run on this machine",
                    code="unreachable-scheduler",
                )
            ]
        )
        self.address = address
        self.timeout = timeout
        self.cause = cause

    def __reduce__(self) -> Any:
        return (type(self), (self.address, self.timeout, self.cause))


def local_cluster_options(workers: int) -> dict[str, Any]:
    """A LocalCluster of ``workers`` single-threaded processes, no dashboard. The scheduler's
    small HTTP server (health, metrics) takes any free local port: the default, 8787, is
    often taken on a shared machine, and Dask would warn and move."""
    return {
        "n_workers": workers,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
        "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    }


@contextmanager
def dask_client(
    scheduler: str | None, workers: int, timeout: float = CONNECT_TIMEOUT
) -> Iterator[Any]:
    """A Dask client: on a LocalCluster of ``workers`` single-threaded processes, or on the
    running scheduler at ``scheduler``; both closed when the block ends."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as error:
            raise SchedulerUnreachable(scheduler, timeout, error) from None
        try:
            yield client
        finally:
            client.close()  # type: ignore[no-untyped-call]
        return
    with (
        LocalCluster(**local_cluster_options(workers)) as cluster,  # type: ignore[no-untyped-call]
        Client(cluster, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def run_group(
    members: Sequence[Member],
    client: Any,
    *,
    record: bool = True,
    want_json: bool | str = False,
) -> tuple[CenterOutcome, ...]:
    """Plan every member as one Dask task on ``client``; the outcomes in the members' order.

    A task that dies with its worker is a failure of that center, not of the group."""
    futures = [
        client.submit(plan_center, member, record, want_json, key=f"plan-{index}-{member.name}")
        for index, member in enumerate(members)
    ]
    outcomes = []
    for member, future in zip(members, futures, strict=True):
        try:
            outcome = future.result()
        except Exception as error:  # the worker died or the task could not run
            outcome = CenterOutcome(
                name=member.name,
                folder=str(member.folder),
                status=FAILED,
                cycle=member.cycle,
                error=f"{type(error).__name__}: {error}",
            )
        outcomes.append(outcome)
    for future in futures:
        future.release()
    return tuple(outcomes)


def run_serial(
    members: Sequence[Member], *, record: bool = True, want_json: bool | str = False
) -> tuple[CenterOutcome, ...]:
    """The same plans, one after another in this process (the benchmark's baseline)."""
    return tuple(plan_center(member, record, want_json) for member in members)


def exit_code(outcomes: Sequence[CenterOutcome]) -> int:
    """0 when every center was planned; 1 when any failed at run time; else 2 when any had
    bad input."""
    statuses = {outcome.status for outcome in outcomes}
    if FAILED in statuses:
        return 1
    if BAD_INPUT in statuses:
        return 2
    return 0


def summary_json(group: Group, outcomes: Sequence[CenterOutcome]) -> dict[str, Any]:
    """The group summary as JSON: each center (status, totals, problems) and the totals of
    the centers planned. Costs add up only when every center counts in the same currency."""
    centers = []
    for outcome in outcomes:
        entry: dict[str, Any] = {
            "name": outcome.name,
            "folder": outcome.folder,
            "cycle": outcome.cycle,
            "status": outcome.status,
            "summary": converter.unstructure(outcome.summary) if outcome.summary else None,
            "digest": outcome.digest,
            "revision": outcome.revision,
            "problems": [converter.unstructure(p) for p in outcome.problems],
            "error": outcome.error,
        }
        centers.append(entry)
    return {
        "group": str(group.file),
        "centers": centers,
        "total": converter.unstructure(total(outcomes)),
        "planned": sum(1 for o in outcomes if o.status == PLANNED),
        "bad_input": sum(1 for o in outcomes if o.status == BAD_INPUT),
        "failed": sum(1 for o in outcomes if o.status == FAILED),
        "exit_code": exit_code(outcomes),
    }


@attrs.frozen
class GroupTotal:
    """The totals over the centers planned; ``cost`` is ``None`` when currencies differ."""

    centers: int
    needs: int
    sessions: int
    attendee_hours: float
    trainer_hours: float
    cost: float | None
    currency: str
    intervals_below_floor: int


def total(outcomes: Sequence[CenterOutcome]) -> GroupTotal:
    summaries = [o.summary for o in outcomes if o.summary is not None]
    currencies = {s.currency for s in summaries}
    same = len(currencies) <= 1
    return GroupTotal(
        centers=len(summaries),
        needs=sum(s.needs for s in summaries),
        sessions=sum(s.sessions for s in summaries),
        attendee_hours=round(math.fsum(s.attendee_hours for s in summaries), 6),
        trainer_hours=round(math.fsum(s.trainer_hours for s in summaries), 6),
        cost=round(math.fsum(s.cost for s in summaries), 6) if same else None,
        currency=next(iter(currencies)) if same and currencies else "",
        intervals_below_floor=sum(s.intervals_below_floor for s in summaries),
    )
