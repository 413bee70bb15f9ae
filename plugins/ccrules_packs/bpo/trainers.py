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
from ccrules.i18n import N_, clauses, msg
from ccrules.model import Message, Reason, Report, Trainer
from ccrules_packs.bpo._meta import PLUGIN
from ccrules_packs.bpo.contract import Grant, certifications, client
from ccrules_packs.bpo.settings import SETTINGS, Settings

RULE = "bpo.vendor-pool"
COLUMNS = (
    N_("trainer_id"),
    N_("name"),
    N_("kind"),
    N_("status"),
    N_("teaches"),
    N_("dropped"),
    N_("why"),
)


@attrs.frozen
class Screened:
    """One pool trainer as the rule found it.

    :param kept: the trainer as it goes into the pool (certified skills only); ``None`` when
        removed.
    :param dropped: competencies removed from its skills.
    :param why: why, as a message; the report's ``why`` cell holds its English text
        (report cells are data, not messages).
    """

    trainer: Trainer
    kept: Trainer | None
    dropped: tuple[str, ...]
    why: Message


def screen(
    center: Center, settings: Settings, certs: Mapping[str, tuple[Grant, ...]], trainer: Trainer
) -> Screened:
    """Whether a trainer stays in the pool, with which skills, and why."""
    if trainer.kind not in settings.trainer_kinds:
        return Screened(
            trainer,
            None,
            tuple(s.competency_id for s in trainer.skills),
            msg(
                "{kind} is not a trainer kind the vendor uses ({kinds}).",
                kind=trainer.kind,
                kinds=settings.trainer_kinds,
            ),
        )
    if not settings.require_certification:
        return Screened(
            trainer,
            trainer,
            (),
            msg("{kind} trainer; certification is not required.", kind=trainer.kind),
        )
    day = center.cycle.start
    grants = certs.get(trainer.id, ())
    every = [g for g in grants if g.scope is None and g.valid(day)]
    if every:
        return Screened(
            trainer,
            trainer,
            (),
            msg(
                "certified by {client} for every competency {until}.",
                client=client(center),
                until=every[0].until(),
            ),
        )
    kept, dropped = [], []
    notes: list[Message] = []
    for skill in trainer.skills:
        own = [g for g in grants if g.scope == skill.competency_id]
        valid = [g for g in own if g.valid(day)]
        if valid:
            kept.append(skill)
            notes.append(
                msg(
                    "{competency} certified {until}",
                    competency=skill.competency_id,
                    until=valid[0].until(),
                )
            )
        else:
            dropped.append(skill.competency_id)
            lapsed = [g.valid_until for g in own if g.valid_until is not None]
            lapsed += [g.valid_until for g in grants if g.scope is None and g.valid_until]
            notes.append(
                msg(
                    "{competency} certification lapsed on {day}",
                    competency=skill.competency_id,
                    day=max(lapsed).isoformat(),
                )
                if lapsed
                else msg("{competency} not certified", competency=skill.competency_id)
            )
    detail = clauses(notes) if notes else msg("no skills in trainer_skills")
    if not kept:
        return Screened(
            trainer,
            None,
            tuple(dropped),
            msg(
                "no skill certified by {client} on {day}: {detail}.",
                client=client(center),
                day=day.isoformat(),
                detail=detail,
            ),
        )
    return Screened(
        trainer,
        attrs.evolve(trainer, skills=tuple(kept)),
        tuple(dropped),
        msg("{detail}.", detail=detail),
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
    text = (
        msg(
            "{kept} of {total} pool trainers kept: the vendor's kinds ({kinds}), certified by "
            "{client} on {day}.",
            kept=kept,
            total=total,
            kinds=settings.trainer_kinds,
            client=client(center),
            day=center.cycle.start.isoformat(),
        )
        if settings.require_certification
        else msg(
            "{kept} of {total} pool trainers kept: the vendor's kinds ({kinds}); certification "
            "not required.",
            kept=kept,
            total=total,
            kinds=settings.trainer_kinds,
        )
    )
    return PLUGIN.reason(
        RULE,
        text,
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
            s.why.render(),
        )
        for s in screened
    )
    kept = sum(1 for s in screened if s.kept is not None)
    return Report(
        id="bpo.trainers",
        title=msg("Trainer pool for {client}", client=client(center)),
        summary=msg(
            "{kept} of {total} pool trainers kept for {client}; {removed} removed.",
            kept=kept,
            total=len(screened),
            client=client(center),
            removed=len(screened) - kept,
        ),
        columns=COLUMNS,
        rows=rows,
        reasons=(_reason(center, settings, kept, len(screened)),),
    )
