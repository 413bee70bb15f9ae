"""Plan reports: topics flagged upstream to their owner teams, the week's share plan, and the
bot's unanswered questions to write up. Review reports: methods the floor finds unusable, and
the courses that go into the new-hire courseware."""

from __future__ import annotations

from collections.abc import Sequence

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import N_, msg
from ccrules.model import FactValue, Format, Need, Plan, Reason, Report, Review, Session
from ccrules_packs.feedback._meta import PLUGIN
from ccrules_packs.feedback.bot_questions import bot_report
from ccrules_packs.feedback.courseware import courseware_report
from ccrules_packs.feedback.needs import (
    SETTINGS,
    TOPIC_RULE,
    UPSTREAM_RULE,
    TopicLoad,
    signal_rows,
    topic_loads,
)
from ccrules_packs.feedback.settings import Settings
from ccrules_packs.feedback.usability import unusable_report

SHARE_RULE = "feedback.share-plan"
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
#: the weekdays as terms of a message
WEEKDAY_TERMS = tuple(msg(day) for day in WEEKDAYS)
Row = tuple[FactValue, ...]


# --------------------------------------------------------------------------------------------
# feedback.upstream-flag


def upstream_report(center: Center, evidence: Evidence, settings: Settings) -> Report | None:
    upstream = settings.upstream
    if not upstream.enabled:
        return None
    flagged = [load for load in topic_loads(center, evidence, upstream) if load.flagged]
    if not flagged:
        return None
    withheld: dict[str, int] = {}
    for signal in signal_rows(center, evidence, settings.signals):
        withheld[signal.topic_id] = withheld.get(signal.topic_id, 0) + 1
    # the heaviest first: what the owner teams should fix first
    flagged.sort(key=lambda load: (-load.ratio, -load.contacts, load.topic_id))
    root = f"{SETTINGS}.upstream"
    topics = center.source_of("topics")
    rows: list[Row] = []
    reasons: list[Reason] = []
    for load in flagged:
        owner = _owner_name(center, load)
        held = withheld.get(load.topic_id, 0)
        owner_words = owner if load.owner_team_id is not None else NO_OWNER_TERM
        rows.append(
            (
                load.topic_id,
                load.name,
                load.owner_team_id,
                owner,
                center.competencies[load.competency_id].name,
                load.contacts,
                load.failed,
                load.dissatisfied,
                load.floor_help,
                load.baseline,
                load.ratio,
                load.agents,
                round(load.agent_share, 4),
                held,
            )
        )
        reasons.append(
            PLUGIN.reason(
                UPSTREAM_RULE,
                msg(
                    "{topic} ({topic_id}) had {contacts} problem contacts, {ratio:g}x the other "
                    "topics' median of {baseline:g}, from {agents} of {active} active agents "
                    "({share:.0%}): flagged to {owner} for a fix upstream; {withheld} agent "
                    "need(s) withheld.",
                    topic=load.name,
                    topic_id=load.topic_id,
                    contacts=load.contacts,
                    ratio=load.ratio,
                    baseline=load.baseline,
                    agents=load.agents,
                    active=load.active_agents,
                    share=load.agent_share,
                    owner=owner_words,
                    withheld=held,
                ),
                PLUGIN.fact("topic_id", load.topic_id, topics),
                PLUGIN.fact("topic", load.name, topics),
                PLUGIN.fact("owner_team", load.owner_team_id, topics),
                PLUGIN.fact("contacts", load.contacts, "topic_signals"),
                PLUGIN.fact("baseline", load.baseline, "topic_signals"),
                PLUGIN.fact("ratio", load.ratio),
                PLUGIN.fact("min_ratio", upstream.ratio, f"{root}.ratio"),
                PLUGIN.fact("agents", load.agents, "topic_signals"),
                PLUGIN.fact("min_agents", upstream.min_agents, f"{root}.min_agents"),
                PLUGIN.fact("agent_share", load.agent_share),
                PLUGIN.fact("min_agent_share", upstream.min_agent_share, f"{root}.min_agent_share"),
                PLUGIN.fact("needs_withheld", held),
            )
        )
    total = sum(withheld.get(load.topic_id, 0) for load in flagged)
    return Report(
        id="feedback.upstream-flags",
        title=msg("Topics to fix upstream, by owner team"),
        summary=msg(
            "{topics} topic(s) run at least {ratio:g}x the other topics' problem contacts "
            "across many agents: the owner teams should fix them upstream (a billing reminder, "
            "IVR self-service, a product or process fix) rather than train agents; {withheld} "
            "agent need(s) on them were withheld from training.",
            topics=len(flagged),
            ratio=upstream.ratio,
            withheld=total,
        ),
        columns=(
            N_("topic_id"),
            N_("topic"),
            N_("owner_team_id"),
            N_("owner_team"),
            N_("competency"),
            N_("contacts"),
            N_("failed_test_calls"),
            N_("dissatisfied"),
            N_("floor_help"),
            N_("baseline"),
            N_("ratio"),
            N_("agents"),
            N_("agent_share"),
            N_("needs_withheld"),
        ),
        rows=tuple(rows),
        reasons=tuple(reasons),
    )


#: who a topic without an owner team is flagged to
NO_OWNER = N_("no owner team (the center's management)")
NO_OWNER_TERM = msg(NO_OWNER)


def _owner_name(center: Center, load: TopicLoad) -> str:
    if load.owner_team_id is None:
        return NO_OWNER
    return center.teams[load.owner_team_id].name


# --------------------------------------------------------------------------------------------
# feedback.share-plan


def _topics_of(
    session: Session,
    needs: dict[str, Need],
    names: dict[str, str],
    lessons: dict[str, list[str]],
) -> list[str]:
    """Topics a share answers: those of the feedback needs seated in it, else the topics
    whose lesson the course is."""
    found: set[str] = set()
    for need_id in session.need_ids:
        need = needs.get(need_id)
        if need is None:
            continue
        for reason in need.reasons:
            if reason.plugin == PLUGIN.name and reason.rule == TOPIC_RULE:
                found |= {str(f.value) for f in reason.facts if f.name == "topic_id"}
    chosen = sorted(t for t in found if t in names) or lessons.get(session.course_id, [])
    return chosen


def share_plan(center: Center, evidence: Evidence, plan: Plan) -> Report | None:
    placed = sorted(
        (s for s in plan.sessions if s.format is Format.PRE_SHIFT and s.start is not None),
        key=lambda s: (s.start, s.team_id or "", s.id),
    )
    missed = sorted(
        (
            u
            for u in plan.unplaced
            if u.session is not None and u.session.format is Format.PRE_SHIFT
        ),
        key=lambda u: (u.session.rank if u.session else 0, u.id),
    )
    if not placed and not missed:
        return None
    names: dict[str, str] = {}
    lessons: dict[str, list[str]] = {}
    for topic_id, name, course_id in evidence.sql(
        "SELECT topic_id, name, course_id FROM topics ORDER BY topic_id"
    ):
        names[topic_id] = name
        if course_id is not None:
            lessons.setdefault(course_id, []).append(topic_id)
    needs = {need.id: need for need in plan.needs}
    trainers = {trainer.id: trainer.name for trainer in plan.trainers}

    def row(session: Session, status: str) -> Row:
        topics = _topics_of(session, needs, names, lessons)
        team = center.teams[session.team_id] if session.team_id else None
        start = session.start
        return (
            start.date().isoformat() if start else None,
            WEEKDAYS[start.weekday()] if start else None,
            start.strftime("%H:%M") if start else None,
            session.team_id,
            team.name if team else None,
            session.course_id,
            center.courses[session.course_id].title,
            center.competencies[session.competency_id].name,
            ", ".join(topics),
            "; ".join(names[t] for t in topics),
            trainers.get(session.trainer_id or "", session.trainer_id),
            len(session.attendees),
            session.rank,
            status,
        )

    rows = [row(s, N_("planned")) for s in placed]
    for item in missed:
        assert item.session is not None
        why = " ".join(r.text for r in item.reasons) or "no reason given"
        rows.append(row(item.session, f"not placed ({item.stage}): {why}"))
    teams = sorted({s.team_id or "" for s in placed})
    if placed:
        first = placed[0].start
        last = placed[-1].start
        assert first is not None and last is not None
        told = msg(
            "{shares} pre-shift share(s) for {teams} team(s) from {first_weekday} {first_day} to "
            "{last_weekday} {last_day}, at most one a day per team at its shift start, most "
            "urgent first",
            shares=len(placed),
            teams=len(teams),
            first_weekday=WEEKDAY_TERMS[first.weekday()],
            first_day=first.date().isoformat(),
            last_weekday=WEEKDAY_TERMS[last.weekday()],
            last_day=last.date().isoformat(),
        )
    else:
        first = None
        told = NONE_PLACED
    summary = msg(
        "{placed}; {missed} share(s) could not be placed.", placed=told, missed=len(missed)
    )
    reason = PLUGIN.reason(
        SHARE_RULE,
        msg(
            "The week's share plan, published ahead of the cycle {cycle}: {summary}",
            cycle=center.cycle.id,
            summary=summary,
        ),
        PLUGIN.fact("shares", len(placed)),
        PLUGIN.fact("teams", len(teams)),
        PLUGIN.fact("first_day", first.date() if first else None),
        PLUGIN.fact("not_placed", len(missed)),
    )
    return Report(
        id="feedback.share-plan",
        title=msg(
            "Pre-shift share plan, {start} to {end}",
            start=center.cycle.start.isoformat(),
            end=center.cycle.end.isoformat(),
        ),
        summary=summary,
        columns=SHARE_COLUMNS,
        rows=tuple(rows),
        reasons=(reason,),
    )


SHARE_COLUMNS = (
    N_("date"),
    N_("weekday"),
    N_("start"),
    N_("team_id"),
    N_("team"),
    N_("course_id"),
    N_("course"),
    N_("competency"),
    N_("topic_ids"),
    N_("topics"),
    N_("trainer"),
    N_("agents"),
    N_("rank"),
    N_("status"),
)
NONE_PLACED = msg("No pre-shift share could be placed")


@ccrules.hookimpl
def ccrules_plan_reports(center: Center, evidence: Evidence, plan: Plan) -> list[Report]:
    settings = center.settings(Settings)
    found: Sequence[Report | None] = (
        upstream_report(center, evidence, settings),
        share_plan(center, evidence, plan) if settings.share_plan.enabled else None,
        bot_report(center, evidence, plan, settings.bot_questions),
    )
    return [report for report in found if report is not None]


@ccrules.hookimpl
def ccrules_review_reports(center: Center, review: Review) -> list[Report]:
    found = (unusable_report(center, review), courseware_report(center, review))
    return [report for report in found if report is not None]
