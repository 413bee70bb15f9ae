"""Plain-text views of a plan for operators, and the data behind ``ccrules explain``."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Any

from ccrules._center import Center
from ccrules._convert import converter
from ccrules.i18n import N_, msg, plugin_of, separator, text, tr
from ccrules.i18n import label as term
from ccrules.model import (
    Evaluation,
    FollowUpKind,
    Need,
    Plan,
    Reason,
    Review,
    ServiceInterval,
    Session,
    Stage,
    Unplaced,
)


def _name(items: Any, key: str | None, attribute: str = "name") -> str:
    """A display name from the center's reference data; the id itself when the data no
    longer has it (explaining an old revision after the files changed)."""
    item = items.get(key) if key is not None else None
    return str(getattr(item, attribute)) if item is not None else str(key)


#: words the views show as they come in the data, translated as terms: where needs come
#: from, what an evaluation measures, a plan's status
TERMS = (
    N_("qa"),
    N_("kpi"),
    N_("test-call"),
    N_("exam"),
    N_("release"),
    N_("release-lead"),
    N_("bot"),
    N_("theme"),
    N_("career"),
    N_("management"),
    N_("offer"),
    N_("strategy"),
    N_("feedback"),
    N_("recertification"),
    N_("mandate"),
    N_("carried"),
    N_("attrition"),
    N_("new-hire"),
    N_("request"),
    N_("attendance"),
    N_("satisfaction"),
    N_("pass_rate"),
    N_("behaviour"),
    N_("improvement_rate"),
    N_("results"),
    N_("uptake"),
    N_("approved"),
    N_("draft"),
    N_("seed"),
    N_("team"),
    N_("agent"),
)

_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def _day(moment: dt.date) -> str:
    """``Mon 2026-12-07`` in the current language (``周一 2026-12-07``)."""
    return f"{tr(_WEEKDAYS[moment.weekday()])} {moment:%Y-%m-%d}"


def _span(start: dt.datetime | None, end: dt.datetime | None) -> str:
    """``Mon 2026-12-07 09:00-10:00``, or that the session has no time."""
    if start is None or end is None:
        return tr("unscheduled")
    return f"{_day(start)} {start:%H:%M}-{end:%H:%M}"


def _at(moment: dt.datetime) -> str:
    return f"{_day(moment)} {moment:%H:%M}"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _trainer(center: Center, trainer_id: str | None, plan: Plan | None = None) -> str:
    if trainer_id is None:
        return tr("self-paced")
    trainer = center.trainers.get(trainer_id)
    if trainer is None and plan is not None:  # found in the evidence by a pack
        trainer = next((t for t in plan.trainers if t.id == trainer_id), None)
    return f"{trainer.name} ({term(trainer.kind)})" if trainer else trainer_id


def _who(center: Center, session: Session) -> str:
    if session.team_id and session.team_id in center.teams:
        return tr(
            "team {team}, {count} agent(s)",
            team=center.teams[session.team_id].name,
            count=len(session.attendees),
        )
    if len(session.attendees) == 1:
        agent = center.agents.get(session.attendees[0])
        return f"{agent.name} ({agent.id})" if agent else session.attendees[0]
    return tr("{count} agents", count=len(session.attendees))


#: sessions and unplaced items `ccrules plan` lists without --all
LIST_ROWS = 50


def _more(count: int, shown: int, what: str) -> list[str]:
    """``... 12 more sessions`` (``what``: a message id marked with N_)."""
    if count <= shown:
        return []
    return [
        "  "
        + tr(
            "... {count:,} more {what} (--all lists them; --json for the data)",
            count=count - shown,
            what=msg(what),
        )
    ]


def money(amount: float, currency: str = "") -> str:
    """A cost as shown everywhere: thousands separated, at most two decimals, then the
    center's currency code (``[center] currency``) when it has one: ``1,234.5 CNY``."""
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {currency}" if currency else text


def render_plan(plan: Plan, center: Center, rows: int | None = None, *, currency: str = "") -> str:
    """The plan for a terminal: the summary, then the sessions, the pack reports and what
    was not placed; ``rows`` caps the sessions and the items not placed listed (a center of
    50,000 agents has 50,000 sessions), saying how many more there are. ``currency`` follows
    the trainers' cost."""
    s = plan.summary
    lines = [
        tr(
            "Plan for {center} ({model}), cycle {cycle}: {start} to {end}",
            center=plan.center.name,
            model=term(plan.center.model),
            cycle=plan.cycle.id,
            start=str(plan.cycle.start),
            end=str(plan.cycle.end),
        ),
        tr(
            "Evidence {start} to {end}; {agents} active agents, {with_needs} with needs",
            start=str(plan.cycle.evidence_from),
            end=str(plan.cycle.evidence_to),
            agents=s.agents,
            with_needs=s.agents_with_needs,
        ),
        tr(
            "Needs: {needs} ({by_source}); planned {planned}, deferred {deferred}",
            needs=s.needs,
            by_source=separator().join(f"{term(k)} {v}" for k, v in s.needs_by_source.items()),
            planned=s.needs_planned,
            deferred=s.needs_deferred,
        ),
        tr(
            "Sessions: {sessions} ({by_format}); {hours:.1f} attendee-hours",
            sessions=s.sessions,
            by_format=separator().join(f"{term(k)} {v}" for k, v in s.sessions_by_format.items()),
            hours=s.training_minutes / 60,
        ),
        tr(
            "Mix: business {business}, non-business {non_business}; trainers {hours:g} h, "
            "cost {cost}",
            business=_percent(s.business_minutes, s.training_minutes),
            non_business=_percent(s.non_business_minutes, s.training_minutes),
            hours=s.trainer_hours,
            cost=money(s.trainer_cost, currency),
        ),
        *_service_lines(plan),
        tr("Plugins: ") + separator().join(f"{p.name} {p.version}" for p in plan.plugins),
        tr("Digest: {digest}", digest=plan.digest),
    ]
    if plan.sessions:
        lines += ["", tr("Sessions")]
        shown = plan.sessions if rows is None else plan.sessions[:rows]
        for session in shown:
            kind = term(session.format)
            lines.append(
                f"  {_span(session.start, session.end)}  {kind}{' ' * (11 - _width(kind))}  "
                f"{_name(center.courses, session.course_id, 'title')} [{session.id}]  "
                + tr(
                    "{who}; trainer {trainer}",
                    who=_who(center, session),
                    trainer=_trainer(center, session.trainer_id, plan),
                )
            )
        lines += _more(len(plan.sessions), len(shown), N_("sessions"))
    for report in plan.reports:
        owner = plugin_of(report.id)
        lines += [
            "",
            f"{text(report.title, plugin=owner)} [{report.id}]",
            f"  {text(report.summary, plugin=owner)}",
        ]
        if report.rows:
            columns = tuple(term(column, owner) for column in report.columns)
            lines += _table(columns, translated_rows(report.rows[:REPORT_ROWS], owner), "  ")
            if len(report.rows) > REPORT_ROWS:
                lines.append(
                    "  "
                    + tr(
                        "... {count} more rows (--json for all)",
                        count=len(report.rows) - REPORT_ROWS,
                    )
                )
    if plan.unplaced:
        lines += ["", tr("Not placed ({count})", count=len(plan.unplaced))]
        listed = plan.unplaced if rows is None else plan.unplaced[:rows]
        for item in listed:
            why = text(item.reasons[0]) if item.reasons else ""
            lines.append(
                "  "
                + tr(
                    "{kind} {id} at {stage}: {why}",
                    kind=term(item.kind),
                    id=item.id,
                    stage=term(item.stage),
                    why=why,
                )
            )
        lines += _more(len(plan.unplaced), len(listed), N_("not placed"))
    return "\n".join(lines)


def _service_lines(plan: Plan) -> list[str]:
    """The service level in one line, when the plan has a forecast to measure it by."""
    if not plan.service:
        return []
    s = plan.summary
    before = s.intervals_below_floor_before
    checked = (
        N_(
            "Service level: {intervals} queue interval checked against the forecast; training "
            "leaves {below} below the floor ({before} {verb} below before training)"
        )
        if s.intervals == 1
        else N_(
            "Service level: {intervals} queue intervals checked against the forecast; training "
            "leaves {below} below the floor ({before} {verb} below before training)"
        )
    )
    line = tr(
        checked,
        intervals=s.intervals,
        below=s.intervals_below_floor,
        before=before,
        verb=msg("was") if before == 1 else msg("were"),
    )
    trained = [i for i in plan.service if i.off > 0]
    if trained:
        low = min(trained, key=lambda i: (i.service_level_after, i.start, i.queue))
        line += tr(
            "; lowest with training {level} ({queue}, {at}, floor {floor})",
            level=_share(low.service_level_after),
            queue=low.queue,
            at=_at(low.start),
            floor=_share(low.floor),
        )
    return [line + tr(".")]


REPORT_ROWS = 12


def translated_rows(rows: Sequence[Sequence[object]], plugin: str) -> list[tuple[object, ...]]:
    """A pack report's rows with the words its plugin marked for translation (a status, a
    kind) in the reader's language; names, ids and numbers as they are."""
    return [
        tuple(term(cell, plugin) if isinstance(cell, str) else cell for cell in row) for row in rows
    ]


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]], indent: str) -> list[str]:
    """A plain-text table; widths count wide (CJK) characters as two columns."""
    cells = [list(columns), *([_cell(v) for v in row] for row in rows)]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(columns))]
    return [
        indent
        + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in cells
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _reason_lines(reason: Reason, indent: str) -> list[str]:
    lines = [f"{indent}{reason.rule} ({reason.plugin} {reason.version}): {text(reason)}"]
    for fact in reason.facts:
        source = f"  [{fact.source}]" if fact.source else ""
        lines.append(f"{indent}    {fact.name} = {fact.value}{source}")
    return lines


def _agent_parts(plan: Plan, agent_id: str) -> tuple[list[Need], list[Session], list[Unplaced]]:
    """The agent's needs, placed sessions, and unplaced items (needs and sessions)."""
    needs = [n for n in plan.needs if n.agent_id == agent_id]
    need_ids = {n.id for n in needs}
    sessions = list(plan.sessions_of(agent_id))
    unplaced = [
        u
        for u in plan.unplaced
        if u.id in need_ids or (u.session is not None and agent_id in u.session.attendees)
    ]
    return needs, sessions, unplaced


def explain_data(plan: Plan, center: Center, agent_id: str) -> dict[str, Any]:
    """An agent's part of the plan, with every reason, as JSON-ready data."""
    needs, sessions, unplaced = _agent_parts(plan, agent_id)
    priorities = {p.need_id: p for p in plan.priorities}
    agent = center.agents[agent_id]
    return {
        "agent": converter.unstructure(agent),
        "cycle": converter.unstructure(plan.cycle),
        "digest": plan.digest,
        "needs": [
            {
                **converter.unstructure(need),
                "priority_decision": converter.unstructure(priorities.get(need.id)),
            }
            for need in needs
        ],
        "sessions": converter.unstructure(sessions),
        "unplaced": converter.unstructure(unplaced),
    }


def render_explain(plan: Plan, center: Center, agent_id: str) -> str:
    agent = center.agents[agent_id]
    needs, sessions, unplaced_items = _agent_parts(plan, agent_id)
    priorities = {p.need_id: p for p in plan.priorities}
    unplaced = {u.id: u for u in unplaced_items if u.kind == "need"}
    stuck = [u for u in unplaced_items if u.kind == "session"]
    lines = [
        tr(
            "{agent} ({id}), team {team}, role {role}",
            agent=agent.name,
            id=agent.id,
            team=_name(center.teams, agent.team_id),
            role=_name(center.roles, agent.role_id),
        ),
        tr(
            "Cycle {cycle} ({start} to {end}); evidence {evidence_from} to {evidence_to}; "
            "plan {digest}",
            cycle=plan.cycle.id,
            start=str(plan.cycle.start),
            end=str(plan.cycle.end),
            evidence_from=str(plan.cycle.evidence_from),
            evidence_to=str(plan.cycle.evidence_to),
            digest=plan.digest[:19],
        ),
        "",
        tr("Needs ({count})", count=len(needs)),
    ]
    if not needs:
        lines.append("  " + tr("none: no rule found a need for this agent in the evidence window"))
    for need in needs:
        priority = priorities.get(need.id)
        status = (
            tr("{status}, rank {rank}", status=term(priority.status), rank=priority.rank)
            if priority
            else tr("no priority")
        )
        lines.append(
            f"  {need.id}: "
            + tr(
                "{competency} - severity {severity:g}, priority {priority}, owner {owner}, "
                "{status}",
                competency=_name(center.competencies, need.competency_id),
                severity=need.severity,
                priority=need.priority,
                owner=need.owner_team,
                status=status,
            )
        )
        for reason in need.reasons:
            lines += _reason_lines(reason, "    ")
        if priority:
            for reason in priority.reasons:
                lines += _reason_lines(reason, "    ")
        if need.id in unplaced:
            for reason in unplaced[need.id].reasons:
                lines += _reason_lines(reason, "    " + tr("not placed: "))
    lines += ["", tr("Sessions ({count})", count=len(sessions))]
    if not sessions:
        lines.append("  " + tr("none"))
    for session in sessions:
        lines.append(
            f"  {session.id}: "
            + tr(
                "{course} ({format}, {minutes} min) {when}, trainer {trainer}, {count} attendee(s)",
                course=_name(center.courses, session.course_id, "title"),
                format=term(session.format),
                minutes=session.duration_minutes,
                when=_span(session.start, session.end),
                trainer=_trainer(center, session.trainer_id, plan),
                count=len(session.attendees),
            )
        )
        for label, reasons in (
            (N_("course"), session.reasons),
            (N_("trainer"), session.trainer_reasons),
            (N_("time"), session.slot_reasons),
        ):
            for reason in reasons:
                lines += _reason_lines(reason, f"    {tr(label)}: ")
    if stuck:
        lines += ["", tr("Sessions not placed ({count})", count=len(stuck))]
        for item in stuck:
            assert item.session is not None
            title = _name(center.courses, item.session.course_id, "title")
            lines.append(
                f"  {item.id}: "
                + tr(
                    "{course} ({format}), stopped at {stage}",
                    course=title,
                    format=term(item.session.format),
                    stage=term(item.stage),
                )
            )
            for reason in item.reasons:
                lines += _reason_lines(reason, "    ")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# explain --rule: every decision one rule made


#: what a rule decides on, as ``explain --rule`` groups it
DECISION_KINDS = (
    N_("need"),
    N_("priority"),
    N_("session"),
    N_("trainer"),
    N_("time"),
    N_("unplaced need"),
    N_("unplaced session"),
    N_("report"),
)


def rule_decisions(plan: Plan, rule: str) -> list[tuple[str, str, Reason]]:
    """Every reason of ``rule`` in the plan, as (what it decided on, its id, the reason)."""
    found: list[tuple[str, str, Reason]] = []

    def scan(kind: str, item_id: str, reasons: Sequence[Reason]) -> None:
        found.extend((kind, item_id, r) for r in reasons if r.rule == rule)

    for need in plan.needs:
        scan("need", need.id, need.reasons)
    for priority in plan.priorities:
        scan("priority", priority.need_id, priority.reasons)
    for session in plan.sessions:
        scan("session", session.id, session.reasons)
        scan("trainer", session.id, session.trainer_reasons)
        scan("time", session.id, session.slot_reasons)
    for item in plan.unplaced:
        scan(f"unplaced {item.kind}", item.id, item.reasons)
    for report in plan.reports:
        scan("report", report.id, report.reasons)
    return found


def explain_rule_data(plan: Plan, rule: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "cycle": converter.unstructure(plan.cycle),
        "digest": plan.digest,
        "decisions": [
            {"on": kind, "id": item_id, "reason": converter.unstructure(reason)}
            for kind, item_id, reason in rule_decisions(plan, rule)
        ],
    }


def render_rule(plan: Plan, rule: str, title: str, limit: int = 10) -> str:
    decisions = rule_decisions(plan, rule)
    lines = [
        f"{rule}: {title}",
        tr("Cycle {cycle}; plan {digest}", cycle=plan.cycle.id, digest=plan.digest[:19]),
        "",
    ]
    if not decisions:
        lines.append(
            tr(
                "No decision by this rule in this plan: its conditions were not met by the "
                "evidence, or its settings turn it off."
            )
        )
        return "\n".join(lines)
    by_kind: dict[str, list[tuple[str, Reason]]] = {}
    for kind, item_id, reason in decisions:
        by_kind.setdefault(kind, []).append((item_id, reason))
    for kind, items in by_kind.items():
        lines.append(f"{term(kind)} ({len(items)})")
        for number, (item_id, reason) in enumerate(items[:limit]):
            if number < 3:
                detail = _reason_lines(reason, "    ")
                lines += [f"  {item_id}: {detail[0].strip()}", *detail[1:]]
            else:
                lines.append(f"  {item_id}: {text(reason)}")
        if len(items) > limit:
            lines.append("  " + tr("... {count} more (--json for all)", count=len(items) - limit))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# explain --slot: why a session has its time, with the service-level numbers behind it


def slot_ids(plan: Plan) -> list[str]:
    """Every session id the plan knows: placed sessions in time order, then unplaced ones."""
    return [s.id for s in plan.sessions] + [u.id for u in plan.unplaced if u.kind == "session"]


def find_slot(plan: Plan, session_id: str) -> Session | Unplaced | None:
    """The placed session ``session_id``, else the unplaced session of that id, else None."""
    for session in plan.sessions:
        if session.id == session_id:
            return session
    for item in plan.unplaced:
        if item.kind == "session" and item.id == session_id and item.session is not None:
            return item
    return None


def unknown_slot_message(plan: Plan, session_id: str, shown: int = 8) -> str:
    """``no session X in the plan; sessions: ...``: the first few ids, the groups of a split
    session first, with the nearest ids as a hint."""
    import difflib

    ids = slot_ids(plan)
    if not ids:
        return f"no session {session_id!r} in the plan; the plan has no sessions"
    groups = [i for i in ids if i.startswith(f"{session_id}-")]
    listed = groups + [i for i in ids if i not in groups]
    more = f", ... ({len(ids)} in all)" if len(listed) > shown else ""
    if groups:
        hint = f" It was split into {len(groups)} group(s); explain one of them."
    else:
        close = difflib.get_close_matches(session_id, ids, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
    return (
        f"no session {session_id!r} in the plan; sessions: {', '.join(listed[:shown])}{more}.{hint}"
    )


def slot_intervals(plan: Plan, session: Session) -> tuple[list[ServiceInterval], bool]:
    """The queue intervals of ``plan.service`` the session's time overlaps: those training
    takes agents off (``off > 0``, every session counted), or all of them when none is; and
    whether the rows are that ``off > 0`` selection."""
    if session.start is None or session.end is None:
        return [], False
    start, end = session.start, session.end
    touched = [i for i in plan.service if i.start < end and start < i.end]
    off = [i for i in touched if i.off > 0]
    return (off, True) if off else (touched, False)


def _below(interval: ServiceInterval) -> bool:
    return interval.service_level_after < interval.floor


def _slot_parts(
    plan: Plan, found: Session | Unplaced
) -> tuple[Session, Unplaced | None, tuple[Reason, ...]]:
    """The session (as far as it got), its unplaced record if any, and why its time."""
    if isinstance(found, Unplaced):
        assert found.session is not None
        return found.session, found, found.reasons
    return found, None, found.slot_reasons


def explain_slot_data(plan: Plan, center: Center, session_id: str) -> dict[str, Any]:
    """Why session ``session_id`` has its time (or none), with the queue intervals it touches,
    as JSON-ready data. ``session_id`` must be in the plan (see :func:`find_slot`)."""
    found = find_slot(plan, session_id)
    if found is None:
        raise KeyError(session_id)
    session, unplaced, reasons = _slot_parts(plan, found)
    rows, off_only = slot_intervals(plan, session) if unplaced is None else ([], False)
    course = center.courses.get(session.course_id)
    trainer = center.trainers.get(session.trainer_id) if session.trainer_id else None
    if trainer is None and session.trainer_id is not None:
        trainer = next((t for t in plan.trainers if t.id == session.trainer_id), None)
    return {
        "session_id": session_id,
        "placed": unplaced is None,
        "cycle": converter.unstructure(plan.cycle),
        "digest": plan.digest,
        "session": converter.unstructure(session),
        "course": converter.unstructure(course) if course else None,
        "attendees": [
            {
                "agent_id": agent_id,
                "name": _name(center.agents, agent_id),
                "team_id": agent.team_id if (agent := center.agents.get(agent_id)) else None,
            }
            for agent_id in session.attendees
        ],
        "trainer": converter.unstructure(trainer) if trainer else None,
        "unplaced": (
            {"stage": str(unplaced.stage), "reasons": converter.unstructure(unplaced.reasons)}
            if unplaced
            else None
        ),
        "slot_reasons": converter.unstructure(reasons),
        "intervals_with_training_only": off_only,
        "intervals": [{**converter.unstructure(row), "below_floor": _below(row)} for row in rows],
    }


def _mark(interval: ServiceInterval) -> str:
    if not _below(interval):
        return ""
    before = interval.service_level_before < interval.floor
    return tr("below floor (before training too)") if before else tr("below floor")


def _share(value: float) -> str:
    return f"{100 * value:.1f}%"


def _agents(value: float) -> str:
    return f"{round(value, 2):g}"


def render_slot(plan: Plan, center: Center, session_id: str) -> str:
    found = find_slot(plan, session_id)
    if found is None:
        raise KeyError(session_id)
    session, unplaced, reasons = _slot_parts(plan, found)
    title = _name(center.courses, session.course_id, "title")
    if unplaced is not None:
        when = tr("not placed (stopped at {stage})", stage=term(unplaced.stage))
    else:
        when = _span(session.start, session.end)
    trainer = (
        tr("none fits (see below)")
        if unplaced is not None and session.trainer_id is None and unplaced.stage == Stage.TRAINERS
        else _trainer(center, session.trainer_id, plan)
    )
    team = tr("; team {team}", team=_name(center.teams, session.team_id)) if session.team_id else ""
    names = separator().join(
        f"{_name(center.agents, a)} ({a})" if a in center.agents else a for a in session.attendees
    )
    lines = [
        tr(
            "Session {id}: {course} [{course_id}] ({format}, {minutes} min), {when}",
            id=session.id,
            course=title,
            course_id=session.course_id,
            format=term(session.format),
            minutes=session.duration_minutes,
            when=when,
        ),
        tr(
            "Cycle {cycle} ({start} to {end}); plan {digest}",
            cycle=plan.cycle.id,
            start=str(plan.cycle.start),
            end=str(plan.cycle.end),
            digest=plan.digest[:19],
        ),
        tr("Attendees ({count}): {names}", count=len(session.attendees), names=names) + team,
        tr("Trainer: {trainer}", trainer=trainer),
        "",
        tr("Why it has no time") if unplaced is not None else tr("Why this time"),
    ]
    if not reasons:
        lines.append("  " + tr("no reason recorded"))
    for reason in reasons:
        lines += _reason_lines(reason, "  ")
    if unplaced is not None:
        return "\n".join(lines)
    rows, off_only = slot_intervals(plan, session)
    lines.append("")
    if not rows:
        lines.append(
            tr("No queue interval to show: the plan has no forecast (no traffic data)")
            if not plan.service
            else tr("No queue interval of the forecast overlaps this time.")
        )
        return "\n".join(lines)
    if off_only:
        lines += tr(
            "Queue intervals it overlaps where training takes agents off the phones. off and SL\n"
            "after count every session of the plan, so they can differ from the figures of the\n"
            "reasons, given when this session was placed."
        ).splitlines()
    else:
        lines.append(
            tr("Queue intervals it overlaps (no training takes agents off the phones there):")
        )
    columns = tuple(
        tr(column) if column else column
        for column in (
            N_("queue"),
            N_("interval"),
            N_("contacts"),
            N_("required"),
            N_("rostered"),
            N_("available"),
            N_("off"),
            N_("SL before"),
            N_("SL after"),
            N_("floor"),
            "",
        )
    )
    table = [
        (
            row.queue,
            _span(row.start, row.end),
            f"{row.contacts:g}",
            row.required,
            _agents(row.rostered),
            _agents(row.available),
            _agents(row.off),
            _share(row.service_level_before),
            _share(row.service_level_after),
            _share(row.floor),
            _mark(row),
        )
        for row in rows
    ]
    lines += _table(columns, table, "  ")
    below = sum(1 for row in rows if _below(row))
    if below:
        lines.append(
            "  " + tr("{below} of these interval(s) below the floor with training.", below=below)
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The review of a cycle (``ccrules evaluate``)


def _figure(evaluation: Evaluation | None) -> str:
    if evaluation is None:
        return "-"
    if evaluation.value is None:
        return tr("not enough data")
    value = evaluation.value
    if evaluation.metric in ("attendance", "pass_rate", "improvement_rate"):
        return f"{value:.0%}"
    if evaluation.low is not None and evaluation.high is not None:
        # round first: -0.04 is shown as +0.0, never -0.0
        low, high = round(evaluation.low, 1) + 0.0, round(evaluation.high, 1) + 0.0
        return f"{round(value, 1) + 0.0:+.1f} [{low:+.1f}, {high:+.1f}]"
    return f"{value:.2f}"


#: left-out trainees a headline names; the rest are counted
HEADLINE_NAMES = 5


def _effect_line(label: str, e: Evaluation, center: Center) -> str:
    if e.value is None:
        line = tr(
            "{label}: not enough data ({n} trained, {compared} compared agents)",
            label=label,
            n=e.n,
            compared=e.compared,
        )
    else:
        line = tr(
            "{label}: {figure}, {n} trained vs {compared} compared agents: {verdict}",
            label=label,
            figure=_figure(e),
            n=e.n,
            compared=e.compared,
            verdict=term(e.verdict) if e.verdict else "-",
        )
    missing = e.left_out
    if missing:
        shown = separator().join(
            f"{a} {_name(center.agents, a)}" if a in center.agents else a
            for a in missing[:HEADLINE_NAMES]
        )
        more = (
            tr(" and {count} more", count=len(missing) - HEADLINE_NAMES)
            if len(missing) > HEADLINE_NAMES
            else ""
        )
        line += tr(
            "; {count} trained agent(s) left out, no comparison agent in their band: {names}",
            count=len(missing),
            names=shown,
        )
        line += more
    return line


def render_review(review: Review, center: Center) -> str:
    """A cycle's review for an operator: the four levels, the check list, escalations,
    trainers, the attrition watch and what carries on."""
    lines = [
        tr(
            "Review of cycle {cycle} ({start} to {end}), plan revision {revision}; behaviour "
            "and results measured {measured_from} to {measured_to}",
            cycle=review.cycle.id,
            start=str(review.cycle.start),
            end=str(review.cycle.end),
            revision=review.plan_revision,
            measured_from=str(review.cycle.end + dt.timedelta(days=1)),
            measured_to=str(review.as_of),
        )
    ]
    figures = {(e.subject, e.subject_id, e.metric): e for e in review.evaluations}
    whole = [e for e in review.evaluations if e.subject == "center"]
    for e in whole:
        if e.metric == "behaviour":
            label = tr("Behaviour (L3, QA points vs comparison group)")
        elif e.metric == "improvement_rate":
            label = tr("Improvement rate (L3)")
        else:
            label = f"{term(e.metric)} (L{e.level})"
        if e.low is not None or e.verdict == "not enough data":
            lines.append(_effect_line(label, e, center))
        else:
            lines.append(f"{label}: {_figure(e)} (n={e.n})")
    courses = sorted({e.subject_id for e in review.evaluations if e.subject == "course"})
    if courses:
        lines.append(tr("By course:"))
        rows = [
            (
                course,
                _figure(figures.get(("course", course, "attendance"))),
                _figure(figures.get(("course", course, "satisfaction"))),
                _figure(figures.get(("course", course, "pass_rate"))),
                _figure(figures.get(("course", course, "behaviour"))),
                _verdict(figures.get(("course", course, "behaviour"))),
            )
            for course in courses
        ]
        lines += _table(
            tuple(
                tr(column)
                for column in (
                    N_("course"),
                    N_("attended"),
                    N_("L1 rating"),
                    N_("L2 pass"),
                    N_("L3 effect [95%]"),
                    N_("verdict"),
                )
            ),
            rows,
            "  ",
        )
    on_site = [f for f in review.follow_ups if f.kind is FollowUpKind.ON_SITE]
    recordings = [f for f in review.follow_ups if f.kind is FollowUpKind.RECORDING]
    whys = sorted({f.why for f in on_site})
    counts = separator().join(f"{sum(1 for f in on_site if f.why == w)} {term(w)}" for w in whys)
    lines.append(
        tr("50% + 50% check: {count} on-site checks", count=len(on_site))
        + (f" ({counts})" if counts else "")
        + tr(", {count} recordings to review", count=len(recordings))
    )
    active = [x for x in review.escalations if x.level > 0]
    if review.escalations:
        levels = separator().join(
            tr("{count} at level {level}", count=sum(1 for x in active if x.level == n), level=n)
            for n in (1, 2, 3)
        )
        cleared = len(review.escalations) - len(active)
        lines.append(tr("Escalations: {levels}; {cleared} cleared", levels=levels, cleared=cleared))
    if review.trainers:
        scored = [t for t in review.trainers if t.score is not None]
        probation = [
            _trainer_name(center, t.trainer_id) for t in review.trainers if t.status == "probation"
        ]
        removed = [
            _trainer_name(center, t.trainer_id) for t in review.trainers if t.status == "removed"
        ]
        lines.append(
            tr(
                "Trainers: {scored} scored; on probation: {probation}; removed: {removed}",
                scored=len(scored),
                probation=separator().join(probation) or tr("none"),
                removed=separator().join(removed) or tr("none"),
            )
        )
    warned = [a for a in review.attrition if a.warned]
    if review.attrition:
        names = separator().join(
            f"{_name(center.agents, a.agent_id)} ({a.risk:.2f})"
            for a in sorted(warned, key=lambda a: (-a.risk, a.agent_id))[:5]
        )
        more = tr(" and {count} more", count=len(warned) - 5) if len(warned) > 5 else ""
        lines.append(
            tr(
                "Attrition watch: {warned} warned of {count} with a signal",
                warned=len(warned),
                count=len(review.attrition),
            )
            + (f": {names}{more}" if names else "")
        )
    if review.warnings is not None:
        lines.append(tr("Earlier warnings: {text}", text=text(review.warnings.reasons[0])))
    open_ = review.open
    escalated = sum(1 for c in open_ if c.escalation >= 2)
    lines.append(
        tr(
            "Next cycle inherits {open} open needs ({escalated} escalated to the team lead or "
            "team); {closed} closed",
            open=len(open_),
            escalated=escalated,
            closed=len(review.carried) - len(open_),
        )
    )
    for report in review.reports:
        summary = text(report.summary, plugin=plugin_of(report.id))
        lines.append(tr("Report {id}: {summary}", id=report.id, summary=summary))
    return "\n".join(lines)


def _verdict(evaluation: Evaluation | None) -> str:
    if evaluation is None or not evaluation.verdict:
        return "-"
    return term(evaluation.verdict)


def _trainer_name(center: Center, trainer_id: str) -> str:
    """A trainer by name, the id in brackets; the id alone when the data no longer has it."""
    trainer = center.trainers.get(trainer_id)
    return f"{trainer.name} ({trainer_id})" if trainer is not None else trainer_id


def render_inherited(previous: Review) -> str:
    """One line: what a plan took over from the previous cycle's review."""
    probation = sum(1 for t in previous.trainers if t.status == "probation")
    removed = sum(1 for t in previous.trainers if t.status == "removed")
    escalated = sum(1 for c in previous.open if c.escalation >= 2)
    return tr(
        "Inherited from the review of {cycle}: {open} open needs ({escalated} escalated), "
        "trainers on probation {probation}, removed {removed}",
        cycle=previous.cycle.id,
        open=len(previous.open),
        escalated=escalated,
        probation=probation,
        removed=removed,
    )
