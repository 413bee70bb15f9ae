"""Plan reports: the plan's cost against the contract, and the trainer pool."""

from __future__ import annotations

import ccrules
from ccrules import Center
from ccrules.model import FactValue, Plan, Report, Trainer
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
