"""Needs stage: leads learn a release first (``cascade.leads-first``), their teams learn it
from them (``cascade.team-share``)."""

from __future__ import annotations

import datetime as dt

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import msg
from ccrules.model import Course, Fact, Format, Message, Need
from ccrules_packs.cascade._meta import PLUGIN
from ccrules_packs.cascade.releases import (
    LEAD_SOURCE,
    SETTINGS,
    SHARE_SOURCE,
    Release,
    TeamCascade,
    first_course,
    releases,
    window,
)
from ccrules_packs.cascade.settings import Settings

# A release's changes are new to every agent, whatever their QA says.
SEVERITY = 1.0


def lead_due(center: Center, release: Release, settings: Settings) -> dt.date:
    """Leads learn ``lead_days_before`` the release, but not before the cycle starts."""
    return max(release.date - dt.timedelta(days=settings.lead_days_before), center.cycle.start)


def share_due(center: Center, release: Release, settings: Settings) -> dt.date:
    """Teams learn by the release date, and at least a day after their lead could."""
    return max(release.date, lead_due(center, release, settings) + dt.timedelta(days=1))


def _release_facts(center: Center, release: Release, settings: Settings) -> tuple[Fact, ...]:
    source = f"release_changes <- {center.source_of('releases')}"
    low, high = window(center, settings)
    return (
        PLUGIN.fact("release_id", release.release_id, source),
        PLUGIN.fact("release_date", release.date, source),
        PLUGIN.fact("product", release.product, source),
        PLUGIN.fact("changes", release.changes, source),
        PLUGIN.fact("change_list", release.change_list, source),
        PLUGIN.fact("window_from", low, f"{SETTINGS}.grace_days"),
        PLUGIN.fact("window_to", high, f"{SETTINGS}.horizon_days"),
    )


def _headline(center: Center, release: Release) -> Message:
    name = center.competencies[release.competency_id].name
    if release.date >= center.cycle.start:
        return msg(
            "Release {release} ({product}) reaches customers on {date} with {changes} "
            "change(s) on {competency}",
            release=release.release_id,
            product=release.product,
            date=release.date.isoformat(),
            changes=release.changes,
            competency=name,
        )
    return msg(
        "Release {release} ({product}) reached customers on {date} with {changes} change(s) "
        "on {competency}",
        release=release.release_id,
        product=release.product,
        date=release.date.isoformat(),
        changes=release.changes,
        competency=name,
    )


def _chosen_later(formats: tuple[Format, ...], courses: str) -> Message:
    """Where a release is learned when the catalogue has no course of ``formats`` for it."""
    return msg(
        "in a course the courses stage chooses (no {formats} course for it in {source})",
        formats=formats,
        source=courses,
    )


def lead_needs(center: Center, release: Release, settings: Settings) -> list[Need]:
    course = first_course(center, release.competency_id, settings.lead_formats)
    due = lead_due(center, release, settings)
    courses = center.source_of("courses")
    where = (
        msg("in {format} course {course_id}", format=course.format, course_id=course.id)
        if course is not None
        else _chosen_later(settings.lead_formats, courses)
    )
    headline = _headline(center, release)
    needs = []
    for lead_id in release.leads:
        led = [t for t in release.teams if t.lead_id == lead_id]
        reach = sum(len(t.agents) for t in led)
        teams = tuple(center.teams[t.team_id].name for t in led)
        lead = center.agents[lead_id]
        reason = PLUGIN.reason(
            "cascade.leads-first",
            msg(
                "{headline}: {lead}, lead of {teams}, learns it first {where} by {due}, {days} "
                "day(s) ahead, to cascade it to {reach} agent(s).",
                headline=headline,
                lead=lead.name,
                teams=teams,
                where=where,
                due=due.isoformat(),
                days=settings.lead_days_before,
                reach=reach,
            ),
            *_release_facts(center, release, settings),
            PLUGIN.fact("teams", ", ".join(t.team_id for t in led), center.source_of("teams")),
            PLUGIN.fact("agents_to_reach", reach, center.source_of("role_profiles")),
            PLUGIN.fact("course_id", course.id if course else None, courses),
            PLUGIN.fact("due", due),
            PLUGIN.fact(
                "lead_days_before", settings.lead_days_before, f"{SETTINGS}.lead_days_before"
            ),
            PLUGIN.fact("priority", settings.lead_priority, f"{SETTINGS}.lead_priority"),
            PLUGIN.fact("mandatory", settings.lead_mandatory, f"{SETTINGS}.lead_mandatory"),
        )
        needs.append(
            Need(
                id=release.lead_need_id(lead_id),
                agent_id=lead_id,
                competency_id=release.competency_id,
                source=LEAD_SOURCE,
                severity=SEVERITY,
                priority=settings.lead_priority,
                owner_team=settings.owner,
                expires=release.date + dt.timedelta(days=settings.grace_days),
                due=due,
                course_id=course.id if course else None,
                mandatory=settings.lead_mandatory,
                reasons=(reason,),
            )
        )
    return needs


def _how(
    center: Center, team: TeamCascade, course: Course | None, formats: tuple[Format, ...]
) -> Message:
    if course is None:
        return _chosen_later(formats, center.source_of("courses"))
    if course.format is Format.PRE_SHIFT:
        return msg(
            "at {team}'s pre-shift meeting ({course_id})",
            team=center.teams[team.team_id].name,
            course_id=course.id,
        )
    if course.format is Format.MICRO_VIDEO:
        if team.lead_id is not None:
            return msg(
                "at {team}'s pre-shift meeting (the content of the {minutes}-minute video "
                "{course_id}; the video itself only if they miss the meeting)",
                team=center.teams[team.team_id].name,
                minutes=course.duration_minutes,
                course_id=course.id,
            )
        return msg(
            "from the {minutes}-minute video {course_id}",
            minutes=course.duration_minutes,
            course_id=course.id,
        )
    return msg("in {format} course {course_id}", format=course.format, course_id=course.id)


def share_needs(center: Center, release: Release, settings: Settings) -> list[Need]:
    course = first_course(center, release.competency_id, settings.share_formats)
    due = share_due(center, release, settings)
    formats = ", ".join(settings.share_formats)
    profiles = center.source_of("role_profiles")
    headline = _headline(center, release)
    needs = []
    for team in release.teams:
        how = _how(center, team, course, settings.share_formats)
        if team.lead_id is not None:
            who = msg("from {lead}, who learns it first", lead=center.agents[team.lead_id].name)
        else:
            who = msg("without a lead learning it first ({why})", why=team.no_lead)
        for agent_id, level in team.agents:
            agent = center.agents[agent_id]
            role = center.roles[agent.role_id].name
            reason = PLUGIN.reason(
                "cascade.team-share",
                msg(
                    "{headline}, which {role} needs at {level:g}: {agent} learns it {how}, "
                    "{who}, by {due}.",
                    headline=headline,
                    role=role,
                    level=level,
                    agent=agent.name,
                    how=how,
                    who=who,
                    due=due.isoformat(),
                ),
                *_release_facts(center, release, settings),
                PLUGIN.fact("required_level", level, profiles),
                PLUGIN.fact("team_id", team.team_id, center.source_of("agents")),
                PLUGIN.fact("lead_id", team.lead_id, center.source_of("teams")),
                PLUGIN.fact(
                    "course_id", course.id if course else None, center.source_of("courses")
                ),
                PLUGIN.fact("share_formats", formats, f"{SETTINGS}.share_formats"),
                PLUGIN.fact("due", due),
                PLUGIN.fact("priority", settings.share_priority, f"{SETTINGS}.share_priority"),
                PLUGIN.fact("mandatory", settings.share_mandatory, f"{SETTINGS}.share_mandatory"),
            )
            needs.append(
                Need(
                    id=release.share_need_id(agent_id),
                    agent_id=agent_id,
                    competency_id=release.competency_id,
                    source=SHARE_SOURCE,
                    severity=SEVERITY,
                    priority=settings.share_priority,
                    owner_team=settings.owner,
                    target_level=level,
                    expires=release.date + dt.timedelta(days=settings.grace_days),
                    due=due,
                    course_id=course.id if course else None,
                    mandatory=settings.share_mandatory,
                    reasons=(reason,),
                )
            )
    return needs


@ccrules.hookimpl
def ccrules_needs(center: Center, evidence: Evidence) -> list[Need]:
    settings = center.settings(Settings)
    needs: list[Need] = []
    for release in releases(center, evidence, settings):
        needs += lead_needs(center, release, settings)
        needs += share_needs(center, release, settings)
    return needs
