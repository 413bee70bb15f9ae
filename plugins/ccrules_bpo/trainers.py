"""Trainers stage: the vendor decides who teaches, from the trainers the client certified.

A wrapper on ``ccrules_trainer_pool`` filters what every pack put in the pool: trainers of the
vendor's kinds only and, when certification is required, only the competencies the client
certified them for. The plan report ``bpo.trainers`` lists every pool trainer and why it was
kept or removed.
"""

from __future__ import annotations

import weakref
from collections.abc import Generator, Mapping

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.model import Reason, Report, Trainer
from ccrules_bpo._meta import PLUGIN
from ccrules_bpo.contract import Grant, certifications, client
from ccrules_bpo.settings import SETTINGS, Settings

RULE = "bpo.vendor-pool"


@attrs.frozen
class Screened:
    """One pool trainer as the rule found it.

    :param kept: the trainer as it goes into the pool (certified skills only); ``None`` when
        removed.
    :param dropped: competencies removed from its skills.
    """

    trainer: Trainer
    kept: Trainer | None
    dropped: tuple[str, ...]
    why: str


def screen(
    center: Center, settings: Settings, certs: Mapping[str, tuple[Grant, ...]], trainer: Trainer
) -> Screened:
    """Whether a trainer stays in the pool, with which skills, and why."""
    kinds = ", ".join(settings.trainer_kinds)
    if trainer.kind not in settings.trainer_kinds:
        return Screened(
            trainer,
            None,
            tuple(s.competency_id for s in trainer.skills),
            f"{trainer.kind} is not a trainer kind the vendor uses ({kinds}).",
        )
    if not settings.require_certification:
        return Screened(
            trainer, trainer, (), f"{trainer.kind} trainer; certification is not required."
        )
    day = center.cycle.start
    grants = certs.get(trainer.id, ())
    every = [g for g in grants if g.scope is None and g.valid(day)]
    if every:
        return Screened(
            trainer,
            trainer,
            (),
            f"certified by {client(center)} for every competency {every[0].until()}.",
        )
    kept, dropped, notes = [], [], []
    for skill in trainer.skills:
        own = [g for g in grants if g.scope == skill.competency_id]
        valid = [g for g in own if g.valid(day)]
        if valid:
            kept.append(skill)
            notes.append(f"{skill.competency_id} certified {valid[0].until()}")
        else:
            dropped.append(skill.competency_id)
            lapsed = [g.valid_until for g in own if g.valid_until is not None]
            lapsed += [g.valid_until for g in grants if g.scope is None and g.valid_until]
            notes.append(
                f"{skill.competency_id} certification lapsed on {max(lapsed)}"
                if lapsed
                else f"{skill.competency_id} not certified"
            )
    detail = "; ".join(notes) if notes else "no skills in trainer_skills"
    if not kept:
        return Screened(
            trainer,
            None,
            tuple(dropped),
            f"no skill certified by {client(center)} on {day}: {detail}.",
        )
    return Screened(
        trainer, attrs.evolve(trainer, skills=tuple(kept)), tuple(dropped), f"{detail}."
    )


_SCREENED: weakref.WeakKeyDictionary[Center, tuple[Screened, ...]] = weakref.WeakKeyDictionary()


@ccrules.hookimpl(wrapper=True)
def ccrules_trainer_pool(
    center: Center, evidence: Evidence
) -> Generator[None, list[list[Trainer] | None], list[list[Trainer]]]:
    parts = yield
    settings = center.settings(Settings)
    certs = (
        certifications(evidence)
        if settings.require_certification and evidence.has("certified_trainers")
        else {}
    )
    result: list[list[Trainer]] = []
    screened: list[Screened] = []
    for part in parts:
        kept: list[Trainer] = []
        for trainer in part or ():
            found = screen(center, settings, certs, trainer)
            screened.append(found)
            if found.kept is not None:
                kept.append(found.kept)
        result.append(kept)
    # kept for the bpo.trainers report of this plan
    _SCREENED[center] = tuple(sorted(screened, key=lambda s: s.trainer.id))
    return result


def _reason(center: Center, settings: Settings, kept: int, total: int) -> Reason:
    return PLUGIN.reason(
        RULE,
        f"{kept} of {total} pool trainers kept: the vendor's kinds "
        f"({', '.join(settings.trainer_kinds)})"
        + (
            f", certified by {client(center)} on {center.cycle.start}."
            if settings.require_certification
            else "; certification not required."
        ),
        PLUGIN.fact(
            "trainer_kinds", ", ".join(settings.trainer_kinds), f"{SETTINGS}.trainer_kinds"
        ),
        PLUGIN.fact(
            "require_certification",
            settings.require_certification,
            f"{SETTINGS}.require_certification",
        ),
        PLUGIN.fact("certifications", center.source_of("certified_trainers")),
        PLUGIN.fact("kept", kept),
        PLUGIN.fact("removed", total - kept),
    )


def trainers_report(center: Center) -> Report:
    """The ``bpo.trainers`` report: every trainer of the pool built for this plan."""
    settings = center.settings(Settings)
    screened = _SCREENED.get(center, ())
    rows = tuple(
        (
            s.trainer.id,
            s.trainer.name,
            str(s.trainer.kind),
            "kept" if s.kept is not None else "removed",
            ", ".join(k.competency_id for k in s.kept.skills) if s.kept is not None else "",
            ", ".join(s.dropped),
            s.why,
        )
        for s in screened
    )
    kept = sum(1 for s in screened if s.kept is not None)
    return Report(
        id="bpo.trainers",
        title=f"Trainer pool for {client(center)}",
        summary=f"{kept} of {len(screened)} pool trainers kept for {client(center)}; "
        f"{len(screened) - kept} removed.",
        columns=("trainer_id", "name", "kind", "status", "teaches", "dropped", "why"),
        rows=rows,
        reasons=(_reason(center, settings, kept, len(screened)),),
    )
