"""Checks of the pack's settings against the center's data, joined to the input gate."""

from __future__ import annotations

import ccrules
from ccrules import Center, Evidence, Problem
from ccrules.model import OperatingModel
from ccrules_packs.bpo.contract import approvals
from ccrules_packs.bpo.settings import Settings

ROOT = ("plugins", "bpo")


def _required_file(
    center: Center, evidence: Evidence, source: str, setting: str, columns: str
) -> list[Problem]:
    if evidence.has(source):
        return []
    return [
        center.config_problem(
            (*ROOT, setting),
            f"{setting} is true but data/{source}.csv is absent; add the file (columns "
            f"{columns}) or set {setting} = false under [plugins.bpo]",
            code="missing-file",
        )
    ]


@ccrules.hookimpl
def ccrules_check_inputs(center: Center, evidence: Evidence) -> list[Problem]:
    settings = center.settings(Settings)
    problems: list[Problem] = []
    if center.model is not OperatingModel.BPO:
        problems.append(
            center.config_problem(
                ("center", "model"),
                f"the bpo pack is enabled but the center's model is {center.model!r}; set "
                'model = "bpo" and client = "..." under [center], or disable the pack',
                severity="warning",
                code="model",
            )
        )
    elif not center.info.client:
        problems.append(
            center.config_problem(
                ("center", "client"),
                "a bpo center names its client; reasons and reports say 'the client' until "
                'client = "..." is set under [center]',
                severity="warning",
                code="missing-client",
            )
        )
    if settings.require_approval:
        problems += _required_file(
            center,
            evidence,
            "approved_courses",
            "require_approval",
            "course_id, approved_by, valid_until",
        )
    if settings.require_certification:
        problems += _required_file(
            center,
            evidence,
            "certified_trainers",
            "require_certification",
            "trainer_id, competency_id, valid_until",
        )
    if not settings.trainer_kinds:
        problems.append(
            center.config_problem(
                (*ROOT, "trainer_kinds"), "list at least one trainer kind; none keeps no trainer"
            )
        )
    for key in ("contracted_hours", "cost_per_hour"):
        value = getattr(settings, key)
        if value < 0:
            problems.append(
                center.config_problem((*ROOT, key), f"must be 0 or more, not {value:g}")
            )
    granted = (
        approvals(evidence)
        if settings.require_approval and evidence.has("approved_courses")
        else None
    )
    seen: set[str] = set()
    for index, mandate in enumerate(settings.mandated):
        path = (*ROOT, "mandated", index)
        if mandate.course not in center.courses:
            problems.append(
                center.config_problem(
                    (*path, "course"),
                    f"unknown course {mandate.course!r}; it is not in "
                    f"{center.source_of('courses')}",
                )
            )
        elif mandate.course in seen:
            problems.append(
                center.config_problem(
                    (*path, "course"),
                    f"course {mandate.course!r} is mandated twice; list its roles in one entry",
                )
            )
        elif granted is not None and not any(
            g.valid(center.cycle.start) for g in granted.get(mandate.course, ())
        ):
            problems.append(
                center.config_problem(
                    (*path, "course"),
                    f"mandated course {mandate.course!r} has no valid approval in "
                    f"{center.source_of('approved_courses')} on {center.cycle.start}; its "
                    "sessions will be removed until the client approves it",
                    severity="warning",
                    code="unapproved-mandate",
                )
            )
        seen.add(mandate.course)
        for number, role in enumerate(mandate.roles):
            if role not in center.roles:
                problems.append(
                    center.config_problem(
                        (*path, "roles", number),
                        f"unknown role {role!r}; it is not in {center.source_of('roles')}",
                    )
                )
        if mandate.every_days < 1:
            problems.append(center.config_problem((*path, "every_days"), "must be 1 or more"))
    return problems
