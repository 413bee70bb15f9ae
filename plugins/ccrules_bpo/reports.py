"""Plan reports: the plan's cost against the contract, and the trainer pool."""

from __future__ import annotations

import ccrules
from ccrules import Center
from ccrules.model import FactValue, Plan, Report, Review, Trainer
from ccrules_bpo._meta import PLUGIN
from ccrules_bpo.contract import client
from ccrules_bpo.courses import attendee_hours, hours_text
from ccrules_bpo.settings import SETTINGS, Settings
from ccrules_bpo.trainers import trainers_report

RULE = "bpo.cost"
COLUMNS = (
    "course_id",
    "title",
    "sessions",
    "attendees",
    "attendee_hours",
    "agent_cost",
    "trainer_hours",
    "trainer_cost",
    "total_cost",
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
        against = (
            f"{hours_text(used)} of the {hours_text(cap)} contracted attendee hours used "
            f"({used / cap:.0%})"
        )
    else:
        against = f"{hours_text(used)} attendee hours used, no contracted cap"
    summary = (
        f"Training for {who} costs {_money(total):g} this cycle: {_money(agent_cost):g} for "
        f"agents' time and {_money(trainer_cost):g} for trainers; {against}."
    )
    return Report(
        id="bpo.cost",
        title=f"Training cost for {who}",
        summary=summary,
        columns=COLUMNS,
        rows=tuple(rows),
        reasons=(
            PLUGIN.reason(
                RULE,
                f"Agent cost is attendee hours x the contracted rate {rate:g}; trainer cost "
                "is session hours x each trainer's rate; " + against + ".",
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
    "trainer_id",
    "name",
    "kind",
    "sessions",
    "trainees",
    "pass_rate",
    "satisfaction",
    "improvement",
    "score",
    "status",
)


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
    flagged = [t.trainer_id for t in review.trainers if t.status != "active"]
    scored = [t for t in review.trainers if t.score is not None]
    summary = (
        f"{len(review.trainers)} vendor trainers delivered cycle {review.cycle.id} for "
        f"{client(center)}; {len(scored)} scored"
        + (
            f"; not in good standing: {', '.join(flagged)}."
            if flagged
            else "; all in good standing."
        )
    )
    return [
        Report(
            id="bpo.trainer-results",
            title=f"Vendor trainers' results for {client(center)}",
            summary=summary,
            columns=RESULTS_COLUMNS,
            rows=tuple(rows),
            reasons=(
                PLUGIN.reason(
                    RESULTS_RULE,
                    "The client sees each vendor trainer's pass rate, satisfaction, trainee "
                    "improvement against the comparison group, score and standing.",
                    trainers=len(rows),
                ),
            ),
        )
    ]
