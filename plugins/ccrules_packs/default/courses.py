"""Courses stage: choose a format and group the attendees.

Seed 001: a gap shared across a team is a pre-shift share (face-to-face, short, daily); one
agent far behind gets 1:1 coaching; the rest go to group or self-paced formats.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import attrs

import ccrules
from ccrules import Center
from ccrules.i18n import clauses, msg
from ccrules.model import (
    Assembly,
    Course,
    Fact,
    Format,
    Message,
    Need,
    Reason,
    Session,
    Stage,
    Unplaced,
)
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.schedule import team_cap
from ccrules_packs.default.settings import CourseSettings, Settings

SETTINGS = "plugins.default.courses"
GROUP_FORMATS = (Format.CLASSROOM, Format.SHADOWING, Format.CASCADE)
SINGLE_FORMATS = (Format.COACHING, Format.MICRO_VIDEO)
THE_TEAM_LEAD = msg("the team lead")
THE_LEAD = msg("the lead")
THE_TEAM = msg("the team")


@attrs.define
class Seat:
    """One agent to train on one competency, and the needs that put them there."""

    agent_id: str
    team_id: str
    competency_id: str
    rank: int
    severity: float
    need_ids: list[str]
    due: dt.date | None = None
    course_id: str | None = None
    target: float | None = None
    current: float | None = None
    escalation: int = 0
    sources: set[str] = attrs.field(factory=set)
    owners: set[str] = attrs.field(factory=set)

    @property
    def gap(self) -> float | None:
        """Points from the level measured to the target, when both are known."""
        if self.target is None or self.current is None:
            return None
        return round(self.target - self.current, 4)


class _Builder:
    def __init__(self, center: Center) -> None:
        self.center = center
        self.sessions: list[Session] = []
        self.counters: dict[str, int] = {}
        self.shares: dict[tuple[str, str], int] = {}  # (course, team) -> index in sessions
        self.share_seats: dict[int, list[Seat]] = {}  # index of a share -> its seats

    def add(
        self,
        course: Course,
        seats: Sequence[Seat],
        reason: Reason,
        team_id: str | None = None,
        trainer_from: str | None = None,
    ) -> None:
        dues = [s.due for s in seats if s.due is not None]
        due = min(dues) if dues else None
        targets = [s.target for s in seats if s.target is not None]
        target = max(targets) if targets else None
        key = (course.id, team_id) if course.format is Format.PRE_SHIFT and team_id else None
        if key is not None and key in self.shares:
            # one share of a course per team: a rule's request and a team gap join it
            index = self.shares[key]
            self.share_seats[index].extend(seats)
            old = self.sessions[index]
            attendees = sorted({*old.attendees, *(s.agent_id for s in seats)})
            dues = [d for d in (old.due, due) if d is not None]
            targets = [t for t in (old.target_level, target) if t is not None]
            self.sessions[index] = attrs.evolve(
                old,
                target_level=max(targets) if targets else None,
                attendees=tuple(attendees),
                need_ids=(*old.need_ids, *(n for s in seats for n in s.need_ids)),
                rank=min(old.rank, *(s.rank for s in seats)),
                due=min(dues) if dues else None,
                reasons=(*old.reasons, reason),
            )
            return
        number = self.counters.get(course.id, 0) + 1
        self.counters[course.id] = number
        if key is not None:
            self.shares[key] = len(self.sessions)
            self.share_seats[len(self.sessions)] = list(seats)
        self.sessions.append(
            Session(
                id=f"{course.id}-{number:02d}",
                course_id=course.id,
                competency_id=course.competency_id,
                format=course.format,
                duration_minutes=course.duration_minutes,
                attendees=tuple(s.agent_id for s in seats),
                need_ids=tuple(n for s in seats for n in s.need_ids),
                rank=min(s.rank for s in seats),
                team_id=team_id,
                due=due,
                target_level=target,
                trainer_from=trainer_from,
                reasons=(reason,),
            )
        )

    def drop_shares(self, indexes: set[int]) -> None:
        """Remove the shares at ``indexes`` and number each course's sessions again."""
        self.sessions = [s for i, s in enumerate(self.sessions) if i not in indexes]
        self.shares = {}
        self.share_seats = {}
        counters: dict[str, int] = {}
        renumbered = []
        for session in self.sessions:
            counters[session.course_id] = counters.get(session.course_id, 0) + 1
            renumbered.append(
                attrs.evolve(session, id=f"{session.course_id}-{counters[session.course_id]:02d}")
            )
        self.sessions = renumbered
        self.counters = counters


def _seats(center: Center, needs: Sequence[Need]) -> dict[tuple[str, str | None], list[Seat]]:
    """Seats by competency and requested course (``None``: the stage chooses), in the order
    of each group's best-ranked need. An agent has one seat per competency: two needs on it
    share the session, in the course the best-ranked need naming one asks for."""
    seats: dict[tuple[str, str], Seat] = {}
    for rank, need in enumerate(needs, start=1):
        key = (need.agent_id, need.competency_id)
        seat = seats.get(key)
        if seat is None:
            team = center.agents[need.agent_id].team_id
            seats[key] = Seat(
                need.agent_id,
                team,
                need.competency_id,
                rank,
                need.severity,
                [need.id],
                need.due,
                need.course_id,
                need.target_level,
                need.current_level,
                need.escalation,
                {need.source},
                {need.owner_team},
            )
        else:
            seat.need_ids.append(need.id)
            seat.severity = max(seat.severity, need.severity)
            seat.course_id = seat.course_id or need.course_id
            seat.escalation = max(seat.escalation, need.escalation)
            seat.sources.add(need.source)
            seat.owners.add(need.owner_team)
            if need.due is not None:
                seat.due = min(need.due, seat.due or need.due)
            if need.target_level is not None:
                seat.target = max(
                    need.target_level,
                    need.target_level if seat.target is None else seat.target,
                )
            if need.current_level is not None:
                seat.current = min(
                    need.current_level,
                    need.current_level if seat.current is None else seat.current,
                )
    groups: dict[tuple[str, str | None], list[Seat]] = {}
    for seat in seats.values():
        groups.setdefault((seat.competency_id, seat.course_id), []).append(seat)
    return groups


def _requested(
    center: Center, builder: _Builder, seats: list[Seat], course: Course, caps: dict[str, int]
) -> None:
    """Seat needs that name their course in it: a pre-shift share per team, groups for a
    group format, one session per agent otherwise."""
    source = center.source_of("courses")
    talk = center.settings(Settings).attrition.conversation_course

    def reason(text: Message, size: int) -> Reason:
        return PLUGIN.reason(
            "courses.requested",
            text,
            PLUGIN.fact("course_id", course.id, source),
            PLUGIN.fact("format", str(course.format), source),
            PLUGIN.fact("agents", size),
        )

    if course.format is Format.PRE_SHIFT:
        by_team: dict[str, list[Seat]] = {}
        for seat in seats:
            by_team.setdefault(seat.team_id, []).append(seat)
        for team_id in sorted(by_team, key=lambda t: (min(s.rank for s in by_team[t]), t)):
            group = sorted(by_team[team_id], key=lambda s: s.agent_id)
            builder.add(
                course,
                group,
                reason(
                    msg(
                        "The rule asked for {course} ({course_id}): one pre-shift share for team "
                        "{team}, {count} agent(s).",
                        course=course.title,
                        course_id=course.id,
                        team=center.teams[team_id].name,
                        count=len(group),
                    ),
                    len(group),
                ),
                team_id=team_id,
            )
    elif course.format in GROUP_FORMATS:
        for group in _groups(seats, max(1, course.max_group), caps):
            builder.add(
                course,
                group,
                reason(
                    msg(
                        "The rule asked for {course} ({course_id}): {count} agent(s) in {format} "
                        "sessions of at most {max_group}.",
                        course=course.title,
                        course_id=course.id,
                        count=len(seats),
                        format=course.format,
                        max_group=course.max_group,
                    ),
                    len(group),
                ),
            )
    else:
        for seat in sorted(seats, key=lambda s: (s.rank, s.agent_id)):
            # a supervisor conversation is the agent's own team lead's
            lead = "team-lead" if course.id == talk else None
            builder.add(
                course,
                [seat],
                reason(
                    msg(
                        "The rule asked for {course} ({course_id}), a {format} for one agent, "
                        "with their own team lead.",
                        course=course.title,
                        course_id=course.id,
                        format=course.format,
                    )
                    if lead
                    else msg(
                        "The rule asked for {course} ({course_id}), a {format} for one agent.",
                        course=course.title,
                        course_id=course.id,
                        format=course.format,
                    ),
                    1,
                ),
                trainer_from=lead,
            )


def _team_shares(
    center: Center,
    builder: _Builder,
    seats: list[Seat],
    course: Course,
    settings: CourseSettings,
    coached: Sequence[Seat] = (),
) -> list[Seat]:
    """A share per team whose gap is a pattern: enough of the team, counting those far behind
    who get their own coaching (``coached``); they sit in the team's share too, their needs
    served by the coaching."""
    by_team: dict[str, list[Seat]] = {}
    for seat in seats:
        by_team.setdefault(seat.team_id, []).append(seat)
    also: dict[str, list[Seat]] = {}
    for seat in coached:
        also.setdefault(seat.team_id, []).append(attrs.evolve(seat, need_ids=[]))
    left: list[Seat] = []
    for team_id in sorted(by_team, key=lambda t: (min(s.rank for s in by_team[t]), t)):
        extra = also.get(team_id, [])
        group = [*by_team[team_id], *extra]
        size = len(center.members(team_id))
        ratio = len(group) / size if size else 0.0
        sitting_in: str | Message = ""
        if len(extra) == 1:
            sitting_in = msg(
                "; {agents} (far behind, coached on it) sits in too",
                agents=center.agents[extra[0].agent_id].name,
            )
        elif extra:
            sitting_in = msg(
                "; {agents} (far behind, coached on it) sit in too",
                agents=tuple(center.agents[s.agent_id].name for s in extra),
            )
        if (course.id, team_id) in builder.shares:
            builder.add(
                course,
                sorted(group, key=lambda s: s.agent_id),
                PLUGIN.reason(
                    "courses.team-share",
                    msg(
                        "{count} agent(s) of {team} with this gap join the team's share of this "
                        "course that a rule already asked for{sitting_in}.",
                        count=len(group),
                        team=center.teams[team_id].name,
                        sitting_in=sitting_in,
                    ),
                    PLUGIN.fact("agents_with_gap", len(group)),
                    PLUGIN.fact("team_size", size),
                ),
                team_id=team_id,
            )
        elif len(group) >= settings.share_min_agents and ratio >= settings.share_min_ratio:
            team = center.teams[team_id]
            builder.add(
                course,
                sorted(group, key=lambda s: s.agent_id),
                PLUGIN.reason(
                    "courses.team-share",
                    msg(
                        "{count} of {size} agents of {team} share this gap ({ratio:.0%}): one "
                        "pre-shift share for the team{sitting_in}.",
                        count=len(group),
                        size=size,
                        team=team.name,
                        ratio=ratio,
                        sitting_in=sitting_in,
                    ),
                    PLUGIN.fact("agents_with_gap", len(group)),
                    PLUGIN.fact("team_size", size),
                    PLUGIN.fact(
                        "min_agents", settings.share_min_agents, f"{SETTINGS}.share_min_agents"
                    ),
                    PLUGIN.fact(
                        "min_ratio", settings.share_min_ratio, f"{SETTINGS}.share_min_ratio"
                    ),
                ),
                team_id=team_id,
            )
        else:
            left.extend(by_team[team_id])
    return left


def far_behind(seat: Seat, settings: CourseSettings) -> Message | None:
    """Why a seat's own gap asks for individual training, or ``None``: a measured gap of
    ``coaching_gap`` points or more; for a need without levels (a KPI), its severity. A need
    with a target but no measured level is never "far behind": it is assessed first."""
    gap = seat.gap
    if gap is not None:
        if gap >= settings.coaching_gap:
            return msg(
                "{gap:g} points below the target {target:g}", gap=round(gap, 1), target=seat.target
            )
        return None
    if seat.target is None and seat.current is None and seat.severity >= settings.coaching_severity:
        return msg(
            "severity {severity:g} >= {limit:g}",
            severity=seat.severity,
            limit=settings.coaching_severity,
        )
    return None


def staffed_teams(center: Center) -> set[str]:
    """Teams with a trainer of their own in trainers.csv (one of their agents)."""
    return {
        center.agents[t.agent_id].team_id
        for t in center.trainers.values()
        if t.agent_id is not None and t.agent_id in center.agents
    }


def booster(center: Center, seat: Seat, staffed: set[str]) -> str | None:
    """The owner team that delivers a booster to this seat (seed 001: QA pairs with weak
    individuals), when it has a trainer of its own (``staffed``)."""
    owners = sorted(o for o in seat.owners if o in center.teams and o in staffed)
    return owners[0] if owners else None


def _individual(
    center: Center,
    builder: _Builder,
    seats: list[Seat],
    catalogue: Mapping[Format, Course],
    settings: CourseSettings,
    caps: dict[str, int],
) -> tuple[list[Seat], list[Seat]]:
    """Seats far behind get coaching (or a classroom), before any share is formed. Returns
    the seats left and the seats served."""
    far: list[tuple[Seat, Message]] = []
    left = []
    for seat in seats:
        why = far_behind(seat, settings)
        if why is None:
            left.append(seat)
        else:
            far.append((seat, why))
    if not far:
        return left, []

    def facts(seat: Seat) -> tuple[Fact, ...]:
        return (
            PLUGIN.fact("gap", seat.gap),
            PLUGIN.fact("severity", seat.severity),
            PLUGIN.fact("coaching_gap", settings.coaching_gap, f"{SETTINGS}.coaching_gap"),
            PLUGIN.fact(
                "coaching_severity", settings.coaching_severity, f"{SETTINGS}.coaching_severity"
            ),
        )

    coaching = catalogue.get(Format.COACHING)
    classroom = catalogue.get(Format.CLASSROOM)
    if coaching is not None:
        staffed = staffed_teams(center)  # once, not per seat
        for seat, why in far:
            owner = booster(center, seat, staffed)
            builder.add(
                coaching,
                [seat],
                PLUGIN.reason(
                    "courses.coaching",
                    msg(
                        "Far behind ({why}): 1:1 coaching, a booster from the owner team "
                        "{owner}, even if the team shares a lighter format on it.",
                        why=why,
                        owner=owner,
                    )
                    if owner
                    else msg(
                        "Far behind ({why}): 1:1 coaching, even if the team shares a lighter "
                        "format on it.",
                        why=why,
                    ),
                    *facts(seat),
                    PLUGIN.fact("owner_team", owner),
                ),
                trainer_from=owner,
            )
        return left, [seat for seat, _ in far]
    if classroom is not None:
        chosen = [seat for seat, _ in far]
        whys = dict((seat.agent_id, why) for seat, why in far)
        for group in _groups(chosen, max(1, classroom.max_group), caps):
            builder.add(
                classroom,
                group,
                PLUGIN.reason(
                    "courses.coaching",
                    msg(
                        "Far behind ({why}) and no 1:1 coaching in the catalogue: a classroom of "
                        "{count}, not the team's share.",
                        why=clauses([whys[s.agent_id] for s in group]),
                        count=len(group),
                    ),
                    *facts(group[0]),
                    PLUGIN.fact("group_size", len(group)),
                ),
            )
        return left, chosen
    return [*left, *(seat for seat, _ in far)], []


FACE_TO_FACE_GROUPS = (Format.CLASSROOM, Format.SHADOWING)


def _escalated(
    center: Center,
    builder: _Builder,
    seats: list[Seat],
    catalogue: Mapping[Format, Course],
    caps: dict[str, int],
) -> list[Seat]:
    """Seed 001: at the second failure in a row the agent's own team lead re-delivers, face
    to face; at the third the whole team takes a session with the need's owner team. Seats
    this cannot serve (no face-to-face course) go back to the other rules."""
    left: list[Seat] = []
    team_level: dict[str, list[Seat]] = {}
    for seat in seats:
        if seat.escalation >= 3:
            team_level.setdefault(seat.team_id, []).append(seat)
    # level 3: one team session per team, the whole team attends
    for team_id in sorted(team_level, key=lambda t: (min(s.rank for s in team_level[t]), t)):
        group = team_level[team_id]
        team = center.teams[team_id]
        members = [a for a in center.members(team_id) if a.status == "active"]
        owners = sorted({o for s in group for o in s.owners if o in center.teams})
        owner = owners[0] if owners else "team-lead"
        trainer = (
            msg("the owner team {owner}", owner=owner) if owner != "team-lead" else THE_TEAM_LEAD
        )
        course = catalogue.get(Format.PRE_SHIFT) or next(
            (catalogue[f] for f in FACE_TO_FACE_GROUPS if f in catalogue), None
        )
        if course is None or not members:
            team_level.pop(team_id)
            continue
        # the members without a need sit in too: the whole team is the subject
        need_of = {s.agent_id: s for s in group}
        everyone = [
            need_of.get(a.id) or Seat(a.id, team_id, group[0].competency_id, group[0].rank, 0.0, [])
            for a in sorted(members, key=lambda a: a.id)
        ]
        for s in group:
            if s.agent_id not in {e.agent_id for e in everyone}:
                everyone.append(s)  # an agent the roster moved: keep their seat
        reason = PLUGIN.reason(
            "courses.escalated",
            msg(
                "Escalation level 3 on {competency}: {agents} failed three times in a row, so the "
                "whole team {team} ({size} agents) takes {course} ({format}) with {trainer}, and "
                "is checked after it.",
                competency=center.competencies[group[0].competency_id].name,
                agents=tuple(sorted(center.agents[s.agent_id].name for s in group)),
                team=team.name,
                size=len(everyone),
                course=course.title,
                format=course.format,
                trainer=trainer,
            ),
            PLUGIN.fact("escalation", 3),
            PLUGIN.fact("team_size", len(everyone)),
            PLUGIN.fact("owner_team", owner),
        )
        if course.format is Format.PRE_SHIFT:
            builder.add(course, everyone, reason, team_id=team_id, trainer_from=owner)
        else:
            for part in _groups(everyone, max(1, course.max_group), caps):
                builder.add(course, part, reason, trainer_from=owner)
    done = {s.agent_id for g in team_level.values() for s in g}
    # level 2: the own team lead, face to face
    coaching = catalogue.get(Format.COACHING)
    group_course = next((catalogue[f] for f in FACE_TO_FACE_GROUPS if f in catalogue), None)
    by_team: dict[str, list[Seat]] = {}
    for seat in seats:
        if seat.agent_id in done:
            continue
        if seat.escalation < 2:
            left.append(seat)
            continue
        name = center.competencies[seat.competency_id].name
        lead = center.teams[seat.team_id].lead_id
        lead_name = center.agents[lead].name if lead and lead in center.agents else THE_LEAD
        if coaching is not None:
            builder.add(
                coaching,
                [seat],
                PLUGIN.reason(
                    "courses.escalated",
                    msg(
                        "Escalation level {level} on {competency}: the team lead {lead} "
                        "re-delivers it face to face ({course}, 1:1) and is checked after it.",
                        level=seat.escalation,
                        competency=name,
                        lead=lead_name,
                        course=coaching.title,
                    ),
                    PLUGIN.fact("escalation", seat.escalation),
                    PLUGIN.fact("team_lead", lead),
                ),
                trainer_from="team-lead",
            )
        elif group_course is not None:
            by_team.setdefault(seat.team_id, []).append(seat)
        else:
            left.append(seat)
    for team_id in sorted(by_team):
        assert group_course is not None
        group = by_team[team_id]
        lead = center.teams[team_id].lead_id
        lead_name = center.agents[lead].name if lead and lead in center.agents else THE_LEAD
        for part in _groups(group, max(1, group_course.max_group), caps):
            builder.add(
                group_course,
                part,
                PLUGIN.reason(
                    "courses.escalated",
                    msg(
                        "Escalation level 2 on {competency}: the team lead {lead} re-delivers it "
                        "face to face ({course}, {format}, no 1:1 course in the catalogue) and "
                        "is checked after it.",
                        competency=center.competencies[part[0].competency_id].name,
                        lead=lead_name,
                        course=group_course.title,
                        format=group_course.format,
                    ),
                    PLUGIN.fact("escalation", 2),
                    PLUGIN.fact("team_lead", lead),
                    PLUGIN.fact("group_size", len(part)),
                ),
                trainer_from="team-lead",
            )
    return left


def _groups(seats: list[Seat], size: int, caps: dict[str, int]) -> list[list[Seat]]:
    """Balanced groups of at most ``size``, with at most ``caps[team]`` agents of one team in
    a group, so a session never takes more of a team off the phones than the schedule allows.
    """
    by_team: dict[str, list[Seat]] = {}
    for seat in sorted(seats, key=lambda s: (s.team_id, s.agent_id)):
        by_team.setdefault(seat.team_id, []).append(seat)
    count = max(
        math.ceil(len(seats) / size),
        *(math.ceil(len(group) / caps[team]) for team, group in by_team.items()),
    )
    groups: list[list[Seat]] = [[] for _ in range(count)]
    slot = 0
    for group in by_team.values():
        for seat in group:
            groups[slot % count].append(seat)
            slot += 1
    return [sorted(g, key=lambda s: s.agent_id) for g in groups if g]


def training_catalogue(center: Center, competency_id: str) -> Mapping[Format, Course]:
    """The courses a need on a competency may be trained in: required ones (a voluntary
    course is the agent's choice), and not the supervisor conversation."""
    talk = center.settings(Settings).attrition.conversation_course
    return {
        fmt: course
        for fmt, course in center.catalogue(competency_id, required=True).items()
        if course.id != talk
    }


def fallback_order(center: Center, competency_id: str, settings: CourseSettings) -> list[Format]:
    """The fallback list for a competency: no micro-video for kinds multimedia does not
    train; a micro-video first only when the face-to-face factor is below 1."""
    kind = center.competencies[competency_id].kind
    order = [
        f
        for f in settings.fallback
        if f is not Format.MICRO_VIDEO or kind in settings.multimedia_kinds
    ]
    if settings.face_to_face_factor < 1 and Format.MICRO_VIDEO in order:
        order.remove(Format.MICRO_VIDEO)
        order.insert(0, Format.MICRO_VIDEO)
    return order


def _fallback(
    center: Center,
    builder: _Builder,
    seats: list[Seat],
    catalogue: Mapping[Format, Course],
    settings: CourseSettings,
    caps: dict[str, int],
    note: str | Message = "",
) -> list[Seat]:
    """Seat ``seats`` in the first format of the fallback list that fits them; ``note``
    opens each reason (why they are here). Returns the seats no format took."""
    order = fallback_order(center, seats[0].competency_id, settings) if seats else []
    kind = center.competencies[seats[0].competency_id].kind if seats else None
    for forced in (False, True):
        for fmt in order:
            course = catalogue.get(fmt)
            if course is None or not seats:
                continue
            if fmt in GROUP_FORMATS:
                if len(seats) < settings.min_group and not forced:
                    continue
                for group in _groups(seats, max(1, course.max_group), caps):
                    small = len(seats) < settings.min_group
                    text = (
                        msg(
                            "{note}{count} agent(s) with this gap, grouped into {format} sessions "
                            "(fewer than {min_group}, but no other format is in the catalogue).",
                            note=note,
                            count=len(seats),
                            format=fmt,
                            min_group=settings.min_group,
                        )
                        if small
                        else msg(
                            "{note}{count} agent(s) with this gap, grouped into {format} sessions "
                            "of at most {max_group}, at most a team's share off the phones in "
                            "each.",
                            note=note,
                            count=len(seats),
                            format=fmt,
                            max_group=course.max_group,
                        )
                    )
                    builder.add(
                        course,
                        group,
                        PLUGIN.reason(
                            "courses.group",
                            text,
                            PLUGIN.fact("group_size", len(group)),
                            PLUGIN.fact("max_group", course.max_group, center.source_of("courses")),
                            PLUGIN.fact("min_group", settings.min_group, f"{SETTINGS}.min_group"),
                        ),
                    )
                return []
            mastery = (
                msg(
                    " (face-to-face gives {factor:g}x the mastery of multimedia, but no "
                    "face-to-face format fits so few)",
                    factor=settings.face_to_face_factor,
                )
                if fmt is Format.MICRO_VIDEO and settings.face_to_face_factor >= 1
                else ""
            )
            for seat in seats:
                builder.add(
                    course,
                    [seat],
                    PLUGIN.reason(
                        "courses.group",
                        msg(
                            "{note}{format}: the first format of the fallback list that fits "
                            "{count} agent(s) with this {kind} gap{mastery}.",
                            note=note,
                            format=fmt,
                            count=len(seats),
                            kind=kind,
                            mastery=mastery,
                        ),
                        PLUGIN.fact("agents", len(seats)),
                        PLUGIN.fact("fallback", ", ".join(order), f"{SETTINGS}.fallback"),
                        PLUGIN.fact("competency_kind", str(kind)),
                        PLUGIN.fact(
                            "multimedia_kinds",
                            ", ".join(settings.multimedia_kinds),
                            f"{SETTINGS}.multimedia_kinds",
                        ),
                        PLUGIN.fact(
                            "face_to_face_factor",
                            settings.face_to_face_factor,
                            f"{SETTINGS}.face_to_face_factor",
                        ),
                    ),
                )
            return []
    return seats


@ccrules.hookimpl
def ccrules_assemble_sessions(center: Center, needs: Sequence[Need]) -> Assembly:
    pack = center.settings(Settings)
    settings = pack.courses
    # Only front-line teams are capped off the phones (the schedule's rule); a support team's
    # agents may all sit in one session.
    caps = {
        team_id: team_cap(len(center.members(team_id)), pack.schedule.max_team_share_off)
        if team.function == "front-line"
        else max(1, len(center.members(team_id)))
        for team_id, team in center.teams.items()
    }
    builder = _Builder(center)
    unplaced: list[Unplaced] = []
    groups = _seats(center, needs)
    # Escalated seats first: whatever course was asked for before, the team lead or the
    # owner team now delivers it face to face (seed 001).
    for key, seats in groups.items():
        if any(s.escalation >= 2 for s in seats):
            back = _escalated(
                center,
                builder,
                [s for s in seats if s.escalation >= 2],
                training_catalogue(center, key[0]),
                caps,
            )
            groups[key] = [*(s for s in seats if s.escalation < 2), *back]
    # requested courses next, so a team gap joins a share a rule already asked for
    for (_, course_id), seats in groups.items():
        if course_id is not None and seats:
            _requested(center, builder, seats, center.courses[course_id], caps)
    for (competency_id, course_id), seats in groups.items():
        if course_id is not None or not seats:
            continue
        catalogue = training_catalogue(center, competency_id)
        # The individual far behind first: a share of a few minutes does not close a gap
        # this far.
        left, coached = _individual(center, builder, list(seats), catalogue, settings, caps)
        if Format.PRE_SHIFT in catalogue:
            left = _team_shares(
                center, builder, left, catalogue[Format.PRE_SHIFT], settings, coached
            )
        left = _fallback(center, builder, left, catalogue, settings, caps)
        name = center.competencies[competency_id].name
        if catalogue:
            # A course exists, but in no format that could take these agents (a share the
            # team is too few for, or formats left out of the fallback list).
            text = msg(
                "No course for {competency} ({competency_id}) fits: the catalogue has {formats} "
                "and the fallback list for this {kind} competency is {fallback}; add a course "
                "in a fallback format.",
                competency=name,
                competency_id=competency_id,
                formats=tuple(sorted(catalogue)),
                kind=center.competencies[competency_id].kind,
                fallback=tuple(fallback_order(center, competency_id, settings)),
            )
        elif center.catalogue(competency_id):
            text = msg(
                "Only voluntary courses train {competency} ({competency_id}) in {courses}: a "
                "voluntary course is the agent's choice, not where a need a rule found is "
                "trained; add a required course.",
                competency=name,
                competency_id=competency_id,
                courses=center.source_of("courses"),
            )
        else:
            text = msg(
                "No course for {competency} ({competency_id}) in {courses}; add one to train "
                "this need.",
                competency=name,
                competency_id=competency_id,
                courses=center.source_of("courses"),
            )
        unplaced += _no_course(left, competency_id, text)
    unplaced += _small_shares(center, builder, settings, caps)
    return Assembly(sessions=tuple(builder.sessions), unplaced=tuple(unplaced))


def _no_course(seats: Sequence[Seat], competency_id: str, text: Message) -> list[Unplaced]:
    unplaced = []
    for seat in seats:
        for need_id in seat.need_ids:
            unplaced.append(
                Unplaced(
                    kind="need",
                    id=need_id,
                    stage=Stage.COURSES,
                    reasons=(
                        PLUGIN.reason(
                            "courses.no-course",
                            text,
                            PLUGIN.fact("competency_id", competency_id),
                        ),
                    ),
                )
            )
    return unplaced


def _small_shares(
    center: Center, builder: _Builder, settings: CourseSettings, caps: dict[str, int]
) -> list[Unplaced]:
    """A share with fewer than ``share_min_attendees`` is no team meeting: its agents take the
    course's next format of the fallback list instead (seed 001)."""
    small = {
        i
        for i, session in enumerate(builder.sessions)
        if i in builder.share_seats and len(session.attendees) < settings.share_min_attendees
    }
    if not small:
        return []
    moved = [(builder.sessions[i], builder.share_seats[i]) for i in sorted(small)]
    builder.drop_shares(small)
    unplaced: list[Unplaced] = []
    for session, seats in moved:
        team = center.teams[session.team_id].name if session.team_id else THE_TEAM
        catalogue: dict[Format, Course] = {
            f: c
            for f, c in training_catalogue(center, session.competency_id).items()
            if f is not Format.PRE_SHIFT
        }
        # those far behind only sat in: their needs have their own coaching
        seats = [seat for seat in seats if seat.need_ids]
        if not seats:
            continue
        note = msg(
            "A pre-shift share of {course_id} for {team} would gather {count} attendee(s), "
            "fewer than {minimum} (share_min_attendees): no share is held, and ",
            course_id=session.course_id,
            team=team,
            count=len(session.attendees),
            minimum=settings.share_min_attendees,
        )
        left = _fallback(center, builder, list(seats), catalogue, settings, caps, note)
        if left:
            unplaced += _no_course(
                left,
                session.competency_id,
                msg(
                    "{note}no other format of {competency_id} in {courses} fits them; add a "
                    "course in a fallback format ({fallback}).",
                    note=note,
                    competency_id=session.competency_id,
                    courses=center.source_of("courses"),
                    fallback=tuple(fallback_order(center, session.competency_id, settings)),
                ),
            )
    return unplaced
