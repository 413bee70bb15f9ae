"""Plan reports: the plan's cost against the contract, and the trainer pool."""

from __future__ import annotations

import ccrules
from ccrules import Center
from ccrules.i18n import N_, msg
from ccrules.model import FactValue, Plan, Report, Review, Trainer
from ccrules_packs.bpo._meta import PLUGIN
from ccrules_packs.bpo.contract import client
from ccrules_packs.bpo.courses import attendee_hours
from ccrules_packs.bpo.settings import SETTINGS, Settings
from ccrules_packs.bpo.trainers import trainers_report

RULE = "bpo.cost"
COLUMNS = (
    N_("course_id"),
    N_("title"),
    N_("sessions"),
    N_("attendees"),
    N_("attendee_hours"),
    N_("agent_cost"),
    N_("trainer_hours"),
    N_("trainer_cost"),
    N_("total_cost"),
)


def _money(value: float) -> float:
    return round(value, 2)


def cost_report(center: Center, plan: Plan) -> Report:
    settings = center.settings(Settings)
    rate = settings.cost_per_hour
    trainers: dict[str, Trainer] = {**center.trainers, **{t.id: t for t in plan.trainers}}
    totals: dict[str, list[float]] = {}  # course -> sessions, attendees, hours, trainer h, cost
    for session in plan.sessions:
        row = totals.setdefault(session.course_id, [0, 0, 0.0, 0.0, 0.0])
        row[0] += 1
        row[1] += len(session.attendees)
        row[2] += attendee_hours(session)
        if session.trainer_id is not None:
            hours = session.duration_minutes / 60
            row[3] += hours
            row[4] += hours * trainers[session.trainer_id].cost_per_hour
    rows: list[tuple[FactValue, ...]] = []
    grand = [0, 0, 0.0, 0.0, 0.0]
    for course_id in sorted(totals):
        count, people, hours, trainer_hours, trainer_cost = totals[course_id]
        rows.append(
            (
                course_id,
                center.courses[course_id].title,
                int(count),
                int(people),
                round(hours, 2),
                _money(hours * rate),
                round(trainer_hours, 2),
                _money(trainer_cost),
                _money(hours * rate + trainer_cost),
            )
        )
        for i, value in enumerate(totals[course_id]):
            grand[i] += value
    count, people, used, trainer_hours, trainer_cost = grand
    agent_cost = used * rate
    total = agent_cost + trainer_cost
    rows.append(
        (
            "total",
            "",
            int(count),
            int(people),
            round(used, 2),
            _money(agent_cost),
            round(trainer_hours, 2),
            _money(trainer_cost),
            _money(total),
        )
    )
    cap = settings.contracted_hours
    who = client(center)
    if cap > 0:
        against = msg(
            "{used:g} of the {cap:g} contracted attendee hours used ({share:.0%})",
            used=round(used, 2),
            cap=round(cap, 2),
            share=used / cap,
        )
    else:
        against = msg(
            "{used:g} attendee hours used, no contracted cap",
            used=round(used, 2),
        )
    summary = msg(
        "Training for {client} costs {total:g} this cycle: {agents:g} for agents' time and "
        "{trainers:g} for trainers; {against}.",
        client=who,
        total=_money(total),
        agents=_money(agent_cost),
        trainers=_money(trainer_cost),
        against=against,
    )
    return Report(
        id="bpo.cost",
        title=msg("Training cost for {client}", client=who),
        summary=summary,
        columns=COLUMNS,
        rows=tuple(rows),
        reasons=(
            PLUGIN.reason(
                RULE,
                msg(
                    "Agent cost is attendee hours x the contracted rate {rate:g}; trainer cost "
                    "is session hours x each trainer's rate; {against}.",
                    rate=rate,
                    against=against,
                ),
                PLUGIN.fact("cost_per_hour", rate, f"{SETTINGS}.cost_per_hour"),
                PLUGIN.fact("contracted_hours", cap, f"{SETTINGS}.contracted_hours"),
                PLUGIN.fact("used_hours", round(used, 4)),
                PLUGIN.fact("total_cost", _money(total)),
                PLUGIN.fact("trainers_named", len(plan.trainers), center.source_of("trainers")),
            ),
        ),
    )


@ccrules.hookimpl
def ccrules_plan_reports(center: Center, plan: Plan) -> list[Report]:
    return [cost_report(center, plan), trainers_report(center)]


RESULTS_RULE = "bpo.trainer-results"
RESULTS_COLUMNS = (
    N_("trainer_id"),
    N_("name"),
    N_("kind"),
    N_("sessions"),
    N_("trainees"),
    N_("pass_rate"),
    N_("satisfaction"),
    N_("improvement"),
    N_("score"),
    N_("status"),
)


def trainer_label(center: Center, trainer_id: str) -> str:
    """A trainer as a reason names them: the name, with the id in brackets ("王芳 (TR-10)");
    the id alone when the trainer is not in trainers.csv."""
    trainer = center.trainers.get(trainer_id)
    if trainer is None or not trainer.name or trainer.name == trainer_id:
        return trainer_id
    return f"{trainer.name} ({trainer_id})"


@ccrules.hookimpl
def ccrules_review_reports(center: Center, review: Review) -> list[Report]:
    """For the client: the results of the vendor's trainers this cycle, as the evaluation
    scored them (seed 000: the client holds the vendor to its trainers' results)."""
    if not review.trainers:
        return []
    rows: list[tuple[FactValue, ...]] = []
    for item in review.trainers:
        trainer = center.trainers.get(item.trainer_id)
        rows.append(
            (
                item.trainer_id,
                trainer.name if trainer else item.trainer_id,
                str(trainer.kind) if trainer else "",
                item.sessions,
                item.trainees,
                item.pass_rate,
                item.satisfaction,
                item.improvement,
                item.score,
                str(item.status),
            )
        )
    flagged = tuple(
        trainer_label(center, t.trainer_id) for t in review.trainers if t.status != "active"
    )
    scored = [t for t in review.trainers if t.score is not None]
    summary = (
        msg(
            "{trainers} vendor trainers delivered cycle {cycle} for {client}; {scored} scored; "
            "not in good standing: {flagged}.",
            trainers=len(review.trainers),
            cycle=review.cycle.id,
            client=client(center),
            scored=len(scored),
            flagged=flagged,
        )
        if flagged
        else msg(
            "{trainers} vendor trainers delivered cycle {cycle} for {client}; {scored} scored; "
            "all in good standing.",
            trainers=len(review.trainers),
            cycle=review.cycle.id,
            client=client(center),
            scored=len(scored),
        )
    )
    return [
        Report(
            id="bpo.trainer-results",
            title=msg("Vendor trainers' results for {client}", client=client(center)),
            summary=summary,
            columns=RESULTS_COLUMNS,
            rows=tuple(rows),
            reasons=(
                PLUGIN.reason(
                    RESULTS_RULE,
                    msg(
                        "The client sees each vendor trainer's pass rate, satisfaction, trainee "
                        "improvement against the comparison group, score and standing."
                    ),
                    trainers=len(rows),
                ),
            ),
        )
    ]
