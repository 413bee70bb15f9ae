"""A group of centers: ``group.toml``, and planning, evaluating and reporting every
center-cycle as a task on Dask.

Each task runs what the single-center command runs: :func:`plan_center` what ``ccrules plan
DIR`` runs (load the folder, plan with the inherited review, record the plan in the center's
history), :func:`evaluate_center` what ``ccrules evaluate DIR --cycle ID`` runs, and
:func:`report_center` what ``ccrules report DIR`` renders, so each center's result is
byte-identical to running the command on it alone. A task never raises: it returns a
:class:`CenterOutcome` saying whether the center was done, had bad input, or failed at run
time, so one center cannot stop the others. Dask is imported only when a group runs.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from ccrules._center import EvidenceConfig, warehouse_problems
from ccrules._convert import converter, structure_problems
from ccrules._history_pg import store_problem
from ccrules._toml import locate, read_toml
from ccrules._warehouse import WarehouseDefaults
from ccrules.errors import ConfigError, InputError, PluginError, Problem, ran_out
from ccrules.i18n import msg, tr
from ccrules.model import Message

GROUP_FILE = "group.toml"

#: seconds to wait for a running scheduler before saying it cannot be reached
CONNECT_TIMEOUT = 10.0

#: a center's name names its plan file (``--out DIR``): no separators, no control characters
_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")

PLANNED, BAD_INPUT, FAILED = "planned", "bad-input", "failed"
EVALUATED, REPORTED = "evaluated", "reported"


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
    :param evidence: the group's shared warehouse (docs/scale.md).
    """

    centers: tuple[CenterEntry, ...]
    cycle: str | None = None
    workers: int | None = None
    history: GroupHistory = GroupHistory()
    evidence: WarehouseDefaults = attrs.field(factory=WarehouseDefaults)


@attrs.frozen
class Member:
    """A center of a loaded group: its name, its folder resolved, the cycle to plan, and
    the group's history store (``None``: where the center's center.toml says) and its
    warehouse (for a center.toml that names none)."""

    name: str
    folder: Path
    cycle: str | None
    store: str | None = None
    warehouse: WarehouseDefaults | None = None


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
    shared = config.evidence
    problems.extend(
        warehouse_problems(
            EvidenceConfig(
                warehouse=shared.warehouse,
                tables=shared.tables,
                center_column=shared.center_column,
            ),
            file,
            where,
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
        members.append(
            Member(
                entry.name,
                folder,
                entry.cycle or config.cycle,
                store,
                shared if shared.warehouse else None,
            )
        )
    if config.history.store and not problems:
        problems.extend(_shared_ids(members, file, where))
    if problems:
        raise ConfigError(problems)
    return Group(path, tuple(members), config.workers)


def _shared_ids(
    members: Sequence[Member], file: str, where: Callable[[tuple[str | int, ...]], int | None]
) -> list[Problem]:
    """Centers of one shared history store are told apart by their ``[center] id``: two
    with the same id would write into each other's history. (A center.toml that cannot be
    read is left to its own task, which reports it.)"""
    from ccrules._center import load_config

    first: dict[str, int] = {}
    problems = []
    for index, member in enumerate(members):
        try:
            center_id = load_config(member.folder)[0].center_id
        except ConfigError:
            continue
        if not center_id:
            continue
        if center_id in first:
            problems.append(
                Problem(
                    file=file,
                    line=where(("centers", index, "folder")),
                    path=f"centers[{index}].folder",
                    message=f"centers[{index}]: [center] id {center_id!r} is also "
                    f"centers[{first[center_id]}]'s; centers sharing [history] store are told "
                    "apart by their id: give each its own in its center.toml",
                    code="duplicate-center",
                )
            )
        else:
            first[center_id] = index
    return problems


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
class Figure:
    """A headline figure of a review, as ``ccrules evaluate`` prints it: one center-level
    evaluation (behaviour against the comparison group, improvement rate, results)."""

    metric: str
    level: int
    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    compared: int = 0
    verdict: str = ""


@attrs.frozen
class ReviewSummary:
    """The totals of one center's review the group summary adds up.

    :param plan_revision: the approved revision that was evaluated.
    :param sessions: the sessions of that plan, each reviewed.
    :param needs: the needs of that plan; ``needs_met`` closed, ``needs_carried`` open (the
        next cycle inherits them), ``escalated`` of those at level 2 or more.
    :param on_site_checks: the 50% + 50% check's on-site checks; ``recordings`` to review.
    :param escalations: agents and competencies at escalation level 1 or more.
    :param figures: the center-level evaluations, in the review's order.
    """

    plan_revision: int
    sessions: int
    needs: int
    needs_met: int
    needs_carried: int
    escalated: int
    on_site_checks: int
    recordings: int
    escalations: int
    trainers_scored: int
    trainers_on_probation: int
    trainers_removed: int
    attrition_warned: int
    figures: tuple[Figure, ...] = ()


def review_summary(review: Any, sessions: int) -> ReviewSummary:
    """The :class:`ReviewSummary` of a :class:`~ccrules.model.Review` of a plan with
    ``sessions`` sessions, counted as ``ccrules evaluate`` counts them."""
    from ccrules.model import FollowUpKind

    carried = review.carried
    open_ = review.open
    return ReviewSummary(
        plan_revision=review.plan_revision,
        sessions=sessions,
        needs=len(carried),
        needs_met=len(carried) - len(open_),
        needs_carried=len(open_),
        escalated=sum(1 for c in open_ if c.escalation >= 2),
        on_site_checks=sum(1 for f in review.follow_ups if f.kind is FollowUpKind.ON_SITE),
        recordings=sum(1 for f in review.follow_ups if f.kind is FollowUpKind.RECORDING),
        escalations=sum(1 for x in review.escalations if x.level > 0),
        trainers_scored=sum(1 for t in review.trainers if t.score is not None),
        trainers_on_probation=sum(1 for t in review.trainers if t.status == "probation"),
        trainers_removed=sum(1 for t in review.trainers if t.status == "removed"),
        attrition_warned=sum(1 for a in review.attrition if a.warned),
        figures=tuple(
            Figure(
                metric=e.metric,
                level=e.level,
                value=e.value,
                n=e.n,
                low=e.low,
                high=e.high,
                compared=e.compared,
                verdict=str(e.verdict),
            )
            for e in review.evaluations
            if e.subject == "center"
        ),
    )


@attrs.frozen
class CenterOutcome:
    """What one center's task returns: never an exception.

    :param status: ``planned`` (or ``evaluated``, ``reported``), ``bad-input`` or ``failed``.
    :param summary: the totals of the center's plan (of the plan shown, for a report).
    :param plan_json: the plan JSON exactly as ``ccrules plan --json`` prints it (only when
        asked for).
    :param plan_sha256: the SHA-256 of that JSON's UTF-8 bytes (when the JSON or its hash was
        asked for): compares plans without moving them between machines.
    :param review: the totals of the center's review (evaluate; report once evaluated).
    :param review_json: the review JSON exactly as ``ccrules evaluate --json`` prints it (only
        when asked for); ``review_sha256`` its hash, as ``plan_sha256``.
    :param review_number: the review's number in the center's history (``None`` when not
        recorded); ``review_created`` whether this run recorded it.
    :param approved_revision: the approved revision a report shows (``None``: a draft).
    :param page: the report page exactly as ``ccrules report`` writes it; ``page_name`` its
        file name there.
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
    review: ReviewSummary | None = None
    review_json: str | None = None
    review_sha256: str | None = None
    review_number: int | None = None
    review_created: bool = False
    approved_revision: int | None = None
    page: str | None = None
    page_name: str | None = None


def _guarded(member: Member, work: Callable[[], CenterOutcome]) -> CenterOutcome:
    """``work()``, with bad input and run-time failures turned into outcomes that name them."""
    started = time.perf_counter()
    folder = str(member.folder)
    try:
        outcome = work()
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
    return attrs.evolve(outcome, seconds=time.perf_counter() - started)


def _plan_summary(summary: Any, currency: str) -> CenterSummary:
    return CenterSummary(
        needs=summary.needs,
        sessions=summary.sessions,
        attendee_hours=summary.training_minutes / 60,
        trainer_hours=summary.trainer_hours,
        cost=summary.trainer_cost,
        currency=currency,
        intervals_below_floor=summary.intervals_below_floor,
    )


def plan_center(member: Member, record: bool, want_json: bool | str) -> CenterOutcome:
    """Plan one center as ``ccrules plan DIR`` does; the Dask task of a center-cycle.

    ``want_json``: ``True`` returns the plan JSON and its hash, ``"sha256"`` only the hash.
    History is recorded only once the plan succeeded; an error leaves the center as it was."""
    import hashlib

    from ccrules._engine import Engine
    from ccrules._history import History
    from ccrules._planjson import plan_to_json

    def work() -> CenterOutcome:
        with Engine.from_folder(
            member.folder, cycle=member.cycle, warehouse=member.warehouse
        ) as engine:
            history = History.open(member.folder, store=member.store, config=engine.config)
            previous, notes = _previous_review(history, engine)
            result = engine.plan(previous=previous)
            text = plan_to_json(result) if want_json else None
            sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
            revision = history.record(result, engine.inputs) if record else None
            return CenterOutcome(
                name=member.name,
                folder=str(member.folder),
                status=PLANNED,
                cycle=result.cycle.id,
                summary=_plan_summary(result.summary, engine.config.currency),
                plan_json=text if want_json is True else None,
                plan_sha256=sha256,
                digest=result.digest,
                warnings=tuple(engine.warnings),
                notes=notes,
                revision=revision.revision if revision is not None else None,
                revision_created=revision.created if revision is not None else False,
            )

    return _guarded(member, work)


def _latest_approved(folder: Path, history: Any) -> str:
    """The latest cycle (by start) of ``folder``'s center.toml with an approved plan: what a
    group evaluates when no cycle is given. :class:`InputError` when none is approved."""
    from ccrules._center import load_config

    approved = {r.cycle_id for r in history.revisions() if r.status == "approved"}
    config, _ = load_config(folder)
    cycles = [c for c in config.cycles if c.id in approved]
    if not cycles:
        raise InputError(
            [
                Problem(
                    file=".ccrules/history.sqlite",
                    message=tr(
                        "no cycle has an approved plan to evaluate; plan and approve one "
                        "(`{approve}`), or give --cycle",
                        approve=f"ccrules approve {folder} --cycle ID --by NAME",
                    ),
                    code="nothing-to-evaluate",
                )
            ]
        )
    return max(cycles, key=lambda c: (c.start, c.id)).id


def evaluate_center(
    member: Member, record: bool, want_json: bool | str, lang: str = "en"
) -> CenterOutcome:
    """Evaluate one center's approved plan as ``ccrules evaluate DIR --cycle ID`` does; the
    Dask task of a center-cycle. Without a cycle, the latest cycle with an approved plan.

    ``want_json`` as for :func:`plan_center`. The review is recorded (with ``record``) only once
    it succeeded; an error leaves the center as it was. ``lang``: the operator's language,
    for the messages made here."""
    import hashlib

    from ccrules._engine import Engine
    from ccrules._history import History
    from ccrules._planjson import review_to_json
    from ccrules.i18n import language

    def work() -> CenterOutcome:
        history = History.open(member.folder, store=member.store)
        cycle = member.cycle
        if cycle is None:
            cycle = _latest_approved(member.folder, history)
        with Engine.from_folder(member.folder, cycle=cycle, warehouse=member.warehouse) as engine:
            found = history.approved(cycle)
            if found is None:
                from ccrules.cli import _no_approved_plan

                raise _no_approved_plan(history, cycle, member.folder)
            revision, approved_plan = found
            earlier = [r for r in history.latest_reviews() if r.cycle.id != cycle]
            review = engine.review(approved_plan, earlier=earlier, plan_revision=revision.revision)
            text = review_to_json(review) if want_json else None
            sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
            record_ = history.record_review(review) if record else None
            return CenterOutcome(
                name=member.name,
                folder=str(member.folder),
                status=EVALUATED,
                cycle=cycle,
                digest=review.digest,
                review=review_summary(review, len(approved_plan.sessions)),
                review_json=text if want_json is True else None,
                review_sha256=sha256,
                review_number=record_.number if record_ is not None else None,
                review_created=record_.created if record_ is not None else False,
                approved_revision=revision.revision,
                warnings=tuple(engine.warnings),
            )

    with language(lang):
        return _guarded(member, work)


def report_center(member: Member, lang: str) -> CenterOutcome:
    """Render one center's report page as ``ccrules report DIR --lang LANG`` does; the Dask
    task of a center-cycle. Nothing is written: the page comes back in the outcome."""
    from ccrules._engine import Engine
    from ccrules._history import History
    from ccrules.export import local_time
    from ccrules.i18n import language
    from ccrules.report import PlanSource, render_report, report_file_name

    def work() -> CenterOutcome:
        with Engine.from_folder(
            member.folder, cycle=member.cycle, warehouse=member.warehouse
        ) as engine:
            history = History.open(member.folder, store=member.store, config=engine.config)
            cycle_id = engine.center.cycle.id
            inherited, notes = _previous_review(history, engine)
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
            own = history.review(cycle_id)
            page = render_report(
                shown,
                engine.center,
                review=own,
                inherited=inherited,
                source=source,
                lang=lang,
                currency=engine.config.currency,
            )
            return CenterOutcome(
                name=member.name,
                folder=str(member.folder),
                status=REPORTED,
                cycle=cycle_id,
                summary=_plan_summary(shown.summary, engine.config.currency),
                digest=shown.digest,
                review=review_summary(own, len(shown.sessions)) if own is not None else None,
                approved_revision=source.revision,
                page=page,
                page_name=report_file_name(cycle_id, lang),
                warnings=tuple(engine.warnings),
                notes=notes,
            )

    with language(lang):
        return _guarded(member, work)


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
    often taken on a shared machine, and Dask would warn and move. Dask's own log lines
    below CRITICAL are not printed: a worker's heartbeat racing the cluster's shutdown logs
    a traceback that says nothing to an operator (a task that fails is reported with its
    center all the same)."""
    return {
        "silence_logs": logging.CRITICAL,
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
    return run_tasks(members, client, "plan", plan_center, record, want_json)


def run_tasks(
    members: Sequence[Member],
    client: Any,
    kind: str,
    task: Callable[..., CenterOutcome],
    *args: Any,
) -> tuple[CenterOutcome, ...]:
    """``task(member, *args)`` for every member, each one Dask task on ``client`` (its key
    ``KIND-INDEX-NAME``); the outcomes in the members' order. A task that dies with its
    worker is a failure of that center, not of the group."""
    futures = [
        client.submit(task, member, *args, key=f"{kind}-{index}-{member.name}")
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
    """0 when every center was done (planned, evaluated, reported); 1 when any failed at run
    time; else 2 when any had bad input."""
    statuses = {outcome.status for outcome in outcomes}
    if FAILED in statuses:
        return 1
    if BAD_INPUT in statuses:
        return 2
    return 0


def summary_json(
    group: Group, outcomes: Sequence[CenterOutcome], done: str = PLANNED
) -> dict[str, Any]:
    """The group summary as JSON: each center (status, totals, problems) and the totals of
    the centers done. Costs add up only when every center counts in the same currency.

    ``done``: the status of a center done: ``planned`` (``group plan``), ``evaluated``
    (``group evaluate``: each center's review and the review totals instead of the plan's)
    or ``reported`` (``group report``: the plan's totals, the review's once evaluated, and
    the page written)."""
    centers = []
    for outcome in outcomes:
        entry: dict[str, Any] = {
            "name": outcome.name,
            "folder": outcome.folder,
            "cycle": outcome.cycle,
            "status": outcome.status,
        }
        if done != EVALUATED:
            entry["summary"] = converter.unstructure(outcome.summary) if outcome.summary else None
        entry["digest"] = outcome.digest
        if done == PLANNED:
            entry["revision"] = outcome.revision
        else:
            entry["approved_revision"] = outcome.approved_revision
            entry["review"] = converter.unstructure(outcome.review) if outcome.review else None
        if done == EVALUATED:
            entry["review_number"] = outcome.review_number
            entry["review_recorded"] = outcome.review_created
        if done == REPORTED:
            entry["page"] = (
                f"{outcome.name}/{outcome.page_name}" if outcome.page_name is not None else None
            )
        entry["problems"] = [converter.unstructure(p) for p in outcome.problems]
        entry["error"] = outcome.error
        centers.append(entry)
    summary: dict[str, Any] = {"group": str(group.file), "centers": centers}
    if done != EVALUATED:
        summary["total"] = converter.unstructure(total(outcomes))
    if done != PLANNED:
        summary["review_total"] = converter.unstructure(review_total(outcomes))
    summary[done.replace("-", "_")] = sum(1 for o in outcomes if o.status == done)
    summary["bad_input"] = sum(1 for o in outcomes if o.status == BAD_INPUT)
    summary["failed"] = sum(1 for o in outcomes if o.status == FAILED)
    summary["exit_code"] = exit_code(outcomes)
    return summary


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


@attrs.frozen
class ReviewTotal:
    """The totals over the centers with a review (figures stay per center: an effect
    measured against one center's comparison group does not add up across centers)."""

    centers: int
    sessions: int
    needs: int
    needs_met: int
    needs_carried: int
    escalated: int
    on_site_checks: int
    recordings: int
    escalations: int
    trainers_on_probation: int
    trainers_removed: int
    attrition_warned: int


def review_total(outcomes: Sequence[CenterOutcome]) -> ReviewTotal:
    reviews = [o.review for o in outcomes if o.review is not None]
    return ReviewTotal(
        centers=len(reviews),
        sessions=sum(r.sessions for r in reviews),
        needs=sum(r.needs for r in reviews),
        needs_met=sum(r.needs_met for r in reviews),
        needs_carried=sum(r.needs_carried for r in reviews),
        escalated=sum(r.escalated for r in reviews),
        on_site_checks=sum(r.on_site_checks for r in reviews),
        recordings=sum(r.recordings for r in reviews),
        escalations=sum(r.escalations for r in reviews),
        trainers_on_probation=sum(r.trainers_on_probation for r in reviews),
        trainers_removed=sum(r.trainers_removed for r in reviews),
        attrition_warned=sum(r.attrition_warned for r in reviews),
    )
