"""Evaluation stage: the four Kirkpatrick levels (seed 000).

- ``evaluation.basic``, per session, course, trainer (the sessions they gave) and need (its
  agent in its session): ``attendance`` and ``satisfaction`` (level 1) and ``pass_rate``
  (level 2) from the outcomes; "not enough data" below ``min_responses`` answers (a need's
  figures are its agent's own and need no minimum).
- ``evaluation.comparison``, per session, course, trainer and the whole cycle (subject
  ``center``): ``behaviour`` (level 3), the change of QA on the trained competency from the
  plan's evidence window to the window after the cycle, against untrained agents with a
  similar baseline (a difference in differences, :mod:`ccrules_packs.default.stats`);
  ``improvement_rate`` (level 3, seed 000), the share of measured trainees who gained
  ``min_gain`` points or more; and ``results:<metric>`` (level 4, not for the center), the
  same difference in differences on each KPI mapped to the competency in
  ``[[plugins.default.kpis]]``. Per need, ``behaviour`` is its agent's change less the mean
  change of the comparison agents in its band.

Who is compared. The trained group of a subject is every attendee who attended (outcomes)
one of its sessions, measured per competency (a trainer or the center pools competencies:
their strata are keyed by competency and band, and an agent is measured once per
competency). The comparison pool of a competency is every active agent the plan never seated
in a session on it. Both need ``min_evaluations`` QA evaluations on the competency in each
window (one KPI period in each window for a KPI).

How many. ``n`` and ``compared`` of an effect, and ``min_group``, count distinct agents: an
agent trained on three competencies is one trained agent with three measures, and the reason
gives the measures when they differ. The 95% interval is clustered by agent (CR2, see
:mod:`ccrules_packs.default.stats`): one agent's measures are not independent evidence. Trained
agents whose band holds no comparison agent are left out of the effect; the reason counts
them and names them (the first ten, then "and N more"), and the fact ``unmatched_agents``
lists them all for the review's headline. The improvement rate is a share of measures (an
agent trained on two competencies counts on each); its ``n`` is measures, its ``compared``
agents.

Baseline bands. QA is compared within bands of ``band`` points of the before score. A KPI has
its own unit, so its bands are ``band`` per cent of the range of the metric's before values
over every agent measured in both windows (``band`` 10: ten bands across the range); a
metric whose before values are all equal is one band.

Direction. A QA gain, and a KPI whose threshold gives ``below`` (higher is better), count as
they are; for a KPI with ``above`` (lower is better) the effect's sign is flipped so that a
positive effect always means better.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

import ccrules
from ccrules import Center, Evidence
from ccrules.i18n import N_, msg
from ccrules.model import Evaluation, Fact, Message, MessageValue, Outcome, Plan, Session, Verdict
from ccrules_packs.default import windows
from ccrules_packs.default._meta import PLUGIN
from ccrules_packs.default.settings import EvaluationSettings, Settings
from ccrules_packs.default.stats import (
    Did,
    Key,
    Summary,
    band_index,
    compared_agents,
    did_strata,
    share_at_least,
)

SETTINGS = "plugins.default.evaluation"
BASIC = "evaluation.basic"
COMPARISON = "evaluation.comparison"
NOT_ENOUGH = Verdict.NOT_ENOUGH_DATA.value

#: a figure's reason by what it counts: (too few, enough)
COUNTED = {
    "ratings": (
        N_("Not enough data: {count} ratings, {minimum} needed."),
        N_("From {count} ratings."),
    ),
    "post-tests": (
        N_("Not enough data: {count} post-tests, {minimum} needed."),
        N_("From {count} post-tests."),
    ),
}
#: agents counted, by who they are: (agents only, agents and their measures)
AGENTS = {
    "trained": (
        N_("{agents} trained agents"),
        N_("{agents} trained agents ({units} agent-competency measures)"),
    ),
    "untrained": (
        N_("{agents} untrained agents"),
        N_("{agents} untrained agents ({units} agent-competency measures)"),
    ),
    "comparison": (
        N_("{agents} comparison agents"),
        N_("{agents} comparison agents ({units} agent-competency measures)"),
    ),
}
#: measures counted, by who they are: (one per agent, several for some agents)
MEASURES = {
    "untrained": (
        N_("{units} untrained agents"),
        N_("{units} measures of {agents} untrained agents"),
    ),
    "measured trained": (
        N_("{units} measured trained agents"),
        N_("{units} measures of {agents} measured trained agents"),
    ),
}
IN_THEIR_BAND = msg("in their band")
A_PERIOD = msg("a period in each window")

# --------------------------------------------------------------------------------------------
# Levels 1 and 2


def _measures(
    subject: str,
    subject_id: str,
    outcomes: Sequence[Outcome],
    invited: int,
    pass_mark: float,
    minimum: int,
    source: str,
) -> list[Evaluation]:
    attended = [o for o in outcomes if o.attended]
    ratings = [o.satisfaction for o in attended if o.satisfaction is not None]
    scores = [o.post_score for o in attended if o.post_score is not None]
    result = [
        Evaluation(
            subject,
            subject_id,
            1,
            "attendance",
            round(len(attended) / invited, 4) if invited else None,
            invited,
            (
                PLUGIN.reason(
                    BASIC,
                    msg(
                        "{attended} of {invited} invited attended.",
                        attended=len(attended),
                        invited=invited,
                    ),
                    PLUGIN.fact("attended", len(attended), source),
                    PLUGIN.fact("invited", invited),
                ),
            ),
            verdict="" if invited else NOT_ENOUGH,
        )
    ]

    def figure(
        metric: str, level: int, values: list[float], compute: float, what: str
    ) -> Evaluation:
        if len(values) < minimum:
            return Evaluation(
                subject,
                subject_id,
                level,
                metric,
                None,
                len(values),
                (
                    PLUGIN.reason(
                        BASIC,
                        msg(COUNTED[what][0], count=len(values), minimum=minimum),
                        PLUGIN.fact(what.replace("-", "_"), len(values), source),
                        PLUGIN.fact("min_responses", minimum, f"{SETTINGS}.min_responses"),
                    ),
                ),
                verdict=NOT_ENOUGH,
            )
        return Evaluation(
            subject,
            subject_id,
            level,
            metric,
            round(compute, 4),
            len(values),
            (
                PLUGIN.reason(
                    BASIC,
                    msg(COUNTED[what][1], count=len(values)),
                    PLUGIN.fact(what.replace("-", "_"), len(values), source),
                ),
            ),
        )

    result.append(
        figure(
            "satisfaction",
            1,
            [float(r) for r in ratings],
            sum(ratings) / len(ratings) if ratings else 0.0,
            "ratings",
        )
    )
    passed = sum(1 for s in scores if s >= pass_mark)
    result.append(
        figure(
            "pass_rate",
            2,
            [float(s) for s in scores],
            passed / len(scores) if scores else 0.0,
            "post-tests",
        )
    )
    return result


def _need_measures(
    need_id: str,
    agent_id: str,
    session_id: str,
    got: Outcome | None,
    pass_mark: float,
    source: str,
) -> list[Evaluation]:
    """A need's own figures: its agent's attendance, rating and post-test (n = 1)."""
    took = got is not None and got.attended

    def own(
        metric: str, level: int, value: float | None, text: Message, *facts: Fact
    ) -> Evaluation:
        return Evaluation(
            "need",
            need_id,
            level,
            metric,
            value,
            1 if value is not None else 0,
            (PLUGIN.reason(BASIC, text, *facts),),
            verdict="" if value is not None else NOT_ENOUGH,
        )

    result = [
        own(
            "attendance",
            1,
            1.0 if took else 0.0,
            msg("{agent} attended {session}.", agent=agent_id, session=session_id)
            if took
            else msg("{agent} did not attend {session}.", agent=agent_id, session=session_id),
            PLUGIN.fact("attended", took, source),
        )
    ]
    rating = got.satisfaction if took and got is not None else None
    result.append(
        own(
            "satisfaction",
            1,
            float(rating) if rating is not None else None,
            msg(
                "{agent} rated {session} {rating:g}.",
                agent=agent_id,
                session=session_id,
                rating=rating,
            )
            if rating is not None
            else msg(
                "Not enough data: no rating from {agent} for {session}.",
                agent=agent_id,
                session=session_id,
            ),
            PLUGIN.fact("satisfaction", rating, source),
        )
    )
    score = got.post_score if took and got is not None else None
    if score is None:
        text = msg(
            "Not enough data: no post-test from {agent} in {session}.",
            agent=agent_id,
            session=session_id,
        )
    elif score >= pass_mark:
        text = msg(
            "{agent} scored {score:g} in the post-test of {session}: passes the pass mark "
            "{pass_mark:g}.",
            agent=agent_id,
            score=score,
            session=session_id,
            pass_mark=pass_mark,
        )
    else:
        text = msg(
            "{agent} scored {score:g} in the post-test of {session}: is below the pass mark "
            "{pass_mark:g}.",
            agent=agent_id,
            score=score,
            session=session_id,
            pass_mark=pass_mark,
        )
    result.append(
        own(
            "pass_rate",
            2,
            (1.0 if score >= pass_mark else 0.0) if score is not None else None,
            text,
            PLUGIN.fact("post_score", score, source),
            PLUGIN.fact("pass_mark", pass_mark, f"{SETTINGS}.pass_mark"),
        )
    )
    return result


# --------------------------------------------------------------------------------------------
# Levels 3 and 4: against a comparison group

#: (agent id, competency or metric) -> (before, after) of agents measured in both windows
Measured = dict[tuple[str, str], tuple[float, float]]


def _measured(before: windows.Measures, after: windows.Measures, minimum: int) -> Measured:
    return {
        key: (before[key][0], after[key][0])
        for key in sorted(before)
        if key in after and before[key][1] >= minimum and after[key][1] >= minimum
    }


@attrs.frozen
class _Scale:
    """One measure compared (QA, or a KPI): the agents measured on it, its band width, and
    the comparison pool's strata per competency."""

    metric: str  #: ``behaviour`` or ``results:<metric>``
    label: str  #: what the reason calls it
    kpi: str | None  #: the KPI's metric id; ``None`` for QA
    measured: Measured  #: by (agent, competency) for QA, by (agent, metric) for a KPI
    width: float
    higher_is_better: bool
    #: competency -> (competency, band) -> the comparison agents' summary there
    control: Mapping[str, Mapping[Key, Summary]]
    #: (competency, band) -> comparison agents there who gained ``min_gain`` or more (QA)
    gained: Mapping[Key, int]

    def of(self, agent_id: str, competency_id: str) -> tuple[float, float] | None:
        return self.measured.get((agent_id, self.kpi or competency_id))


def _scale(
    metric: str,
    label: str,
    kpi: str | None,
    measured: Measured,
    width: float,
    higher_is_better: bool,
    competencies: Iterable[str],
    pool: Sequence[str],
    seated: Mapping[str, frozenset[str]],
    min_gain: float,
) -> _Scale:
    """The scale with the comparison pool of each competency put in its bands: active agents
    never seated on the competency, measured in both windows."""
    control: dict[str, dict[Key, Summary]] = {}
    gained: dict[Key, int] = {}
    for competency_id in sorted(set(competencies)):
        seated_on = seated.get(competency_id, frozenset())
        groups: dict[Key, list[tuple[str, float, float]]] = defaultdict(list)
        for agent_id in pool:
            got = measured.get((agent_id, kpi or competency_id))
            if got is not None and agent_id not in seated_on:
                groups[(competency_id, band_index(got[0], width))].append((agent_id, *got))
        control[competency_id] = {k: Summary.of(groups[k]) for k in sorted(groups)}
        for key in sorted(groups):
            gained[key] = sum(1 for _, b, a in groups[key] if a - b >= min_gain)
    return _Scale(metric, label, kpi, measured, width, higher_is_better, control, gained)


def _verdict(result: Did) -> str:
    if result.effect is None or result.low is None or result.high is None:
        return NOT_ENOUGH
    if result.low > 0:
        return Verdict.IMPROVED.value
    if result.high < 0:
        return Verdict.WORSE.value
    return Verdict.NO_CLEAR_CHANGE.value


def _flipped(result: Did) -> Did:
    """The effect with its sign flipped (lower is better), so a positive effect is better."""
    return attrs.evolve(
        result,
        effect=-result.effect if result.effect is not None else None,
        low=-result.high if result.high is not None else None,
        high=-result.low if result.low is not None else None,
    )


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


@attrs.frozen
class _Context:
    settings: EvaluationSettings
    qa: str  #: the qa data file, for facts
    kpis: str  #: the kpis data file


def _number(value: float | None, qa: bool, sign: bool = False) -> str:
    if value is None:
        return "-"
    if qa:
        value = round(value, 1) + 0.0  # never "-0.0"
        return f"{value:+.1f}" if sign else f"{value:.1f}"
    return f"{value:+.4g}" if sign else f"{value:.4g}"


def _counted(agents: int, units: int, who: str) -> Message:
    """``30 trained agents``, with their measures when some are measured on several
    competencies: ``30 trained agents (37 agent-competency measures)`` (``who``: a key of
    :data:`AGENTS`)."""
    if units == agents:
        return msg(AGENTS[who][0], agents=agents)
    return msg(AGENTS[who][1], agents=agents, units=units)


def _both(result: Did) -> Message:
    """``4 trained and 20 comparison agents``, with the measures when some agent is measured
    on several competencies."""
    if (result.treated, result.compared) == (result.treated_units, result.compared_units):
        return msg(
            "{trained} trained and {compared} comparison agents",
            trained=result.treated,
            compared=result.compared,
        )
    return msg(
        "{trained} and {compared}",
        trained=_counted(result.treated, result.treated_units, "trained"),
        compared=_counted(result.compared, result.compared_units, "comparison"),
    )


def _of_agents(units: int, agents: int, who: str) -> Message:
    """``62 trained agents``, or ``62 measures of 37 trained agents`` when some agents are
    measured on several competencies (``who``: a key of :data:`MEASURES`)."""
    if units == agents:
        return msg(MEASURES[who][0], units=units)
    return msg(MEASURES[who][1], units=units, agents=agents)


#: trained agents left out that a reason names; the rest are counted ("and 15 more")
NAMED = 10


def _named(agent_ids: Sequence[str], limit: int = NAMED) -> MessageValue:
    """``IN003, IN007 and IN012``; beyond ``limit``: ``IN003, ..., IN041 and 15 more``."""
    shown = tuple(agent_ids[:limit])
    rest = len(agent_ids) - len(shown)
    if rest:
        return msg("{agents} and {rest} more", agents=shown, rest=rest)
    if len(shown) > 1:
        return msg("{agents} and {last}", agents=shown[:-1], last=shown[-1])
    return "".join(shown)


def _compare(
    ctx: _Context,
    subject: str,
    subject_id: str,
    competencies: Sequence[str],
    members: Sequence[tuple[str, str]],
    scale: _Scale,
) -> list[Evaluation]:
    """Behaviour (QA) or results (a KPI) of one subject against the comparison pool, and for
    QA the improvement rate.

    :param competencies: the competencies the subject trained (and the KPI is mapped to).
    :param members: (competency, agent) of every trainee of the subject, sorted.
    """
    settings = ctx.settings
    qa = scale.kpi is None
    units: dict[Key, list[tuple[str, float, float]]] = defaultdict(list)
    for competency_id, agent_id in members:
        got = scale.of(agent_id, competency_id)
        if got is not None:
            units[(competency_id, band_index(got[0], scale.width))].append((agent_id, *got))
    treated = {k: Summary.of(units[k]) for k in sorted(units)}
    control: dict[Key, Summary] = {}
    for competency_id in competencies:
        control.update(scale.control.get(competency_id, {}))
    raw = did_strata(treated, control, settings.min_group)
    result = raw if scale.higher_is_better else _flipped(raw)
    verdict = _verdict(result)
    source = ctx.qa if qa else ctx.kpis
    if qa:
        what = msg("QA on {competencies}", competencies=tuple(competencies))
        bands = msg("bands of {band:g} points", band=settings.band)
        measured = msg(
            "{min_evaluations} or more QA evaluations in each window",
            min_evaluations=settings.min_evaluations,
        )
    else:
        what = (
            msg("{metric} (higher is better)", metric=scale.label)
            if scale.higher_is_better
            else msg("{metric} (lower is better)", metric=scale.label)
        )
        bands = msg(
            "bands of {width:.4g}, {band:g}% of its range", width=scale.width, band=settings.band
        )
        measured = A_PERIOD
    facts = [
        PLUGIN.fact("treated_before", raw.treated_before, source),
        PLUGIN.fact("treated_after", raw.treated_after, source),
        PLUGIN.fact("control_before", raw.control_before, source),
        PLUGIN.fact("control_after", raw.control_after, source),
        PLUGIN.fact("band", settings.band, f"{SETTINGS}.band"),
        PLUGIN.fact("min_group", settings.min_group, f"{SETTINGS}.min_group"),
    ]
    if qa:
        facts.append(
            PLUGIN.fact("min_evaluations", settings.min_evaluations, f"{SETTINGS}.min_evaluations")
        )
    left_out: MessageValue = ""
    if result.unmatched:
        left_out = msg(
            " {unmatched} trained agent(s) had no comparison agent {where} and are left out: "
            "{agents}.",
            unmatched=result.unmatched,
            where=IN_THEIR_BAND
            if result.unmatched_units == result.unmatched
            else msg(
                "in their band on {units} agent-competency measures",
                units=result.unmatched_units,
            ),
            agents=_named(result.unmatched_agents),
        )
    if result.effect is None:
        text = msg(
            "Not enough data on {what}: {agents} in the same {bands} have {measured}; "
            "{min_group} of each are needed.{left_out}",
            what=what,
            agents=_both(result),
            bands=bands,
            measured=measured,
            min_group=settings.min_group,
            left_out=left_out,
        )
    elif result.low is None or result.high is None:
        # every matched band holds one agent on each side: no spread to build an interval on
        text = msg(
            "Not enough data on {what}: {agents}, but a single agent on each side of every "
            "one of the {strata} bands they share, so the effect's interval cannot be "
            "estimated.{left_out}",
            what=what,
            agents=_both(result),
            strata=result.strata,
            left_out=left_out,
        )
    else:
        low, high = _number(result.low, qa, True), _number(result.high, qa, True)
        interval = (
            msg(
                "95% interval {low} to {high} (clustered by agent: {repeated} agents are "
                "measured on more than one competency)",
                low=low,
                high=high,
                repeated=result.repeated,
            )
            if result.repeated
            else msg("95% interval {low} to {high}", low=low, high=high)
        )
        effect = _number(result.effect, qa, True)
        text = msg(
            "{what} went from {trained_before} to {trained_after} for {trained} and from "
            "{compared_before} to {compared_after} for {untrained} in the same {bands}: an "
            "effect of {effect}, {interval}: {verdict}.{left_out}",
            what=what,
            trained_before=_number(raw.treated_before, qa),
            trained_after=_number(raw.treated_after, qa),
            trained=_counted(result.treated, result.treated_units, "trained"),
            compared_before=_number(raw.control_before, qa),
            compared_after=_number(raw.control_after, qa),
            untrained=_counted(result.compared, result.compared_units, "untrained"),
            bands=bands,
            effect=msg("{effect} points", effect=effect)
            if qa
            else effect
            if scale.higher_is_better
            else msg("{effect} (sign flipped: positive means it fell)", effect=effect),
            interval=interval,
            verdict=Verdict(verdict),
            left_out=left_out,
        )
    reason = PLUGIN.reason(
        COMPARISON,
        text,
        *facts,
        effect=result.effect,
        low=result.low,
        high=result.high,
        n=result.treated,
        n_units=result.treated_units,
        compared=result.compared,
        compared_units=result.compared_units,
        unmatched=result.unmatched,
        unmatched_units=result.unmatched_units,
        unmatched_agents=", ".join(result.unmatched_agents),
        clustered_agents=result.repeated,
        band_width=scale.width,
        higher_is_better=scale.higher_is_better,
    )
    found = [
        Evaluation(
            subject,
            subject_id,
            3 if qa else 4,
            scale.metric,
            _round(result.effect) if verdict != NOT_ENOUGH else None,
            result.treated,
            (reason,),
            low=_round(result.low),
            high=_round(result.high),
            compared=result.compared,
            verdict=verdict,
        )
    ]
    if qa:
        found.append(_improvement_rate(ctx, subject, subject_id, units, control, scale))
    return found


def _improvement_rate(
    ctx: _Context,
    subject: str,
    subject_id: str,
    units: Mapping[Key, Sequence[tuple[str, float, float]]],
    control: Mapping[Key, Summary],
    scale: _Scale,
) -> Evaluation:
    """Seed 000's improvement rate: the share of measured trainees who gained ``min_gain``
    QA points or more, per agent and competency (an agent trained on two competencies counts
    on each); the comparison agents' own rate, in the bands the trainees are in, is a fact.
    ``n`` is the measures the rate rests on, ``compared`` distinct comparison agents."""
    settings = ctx.settings
    changes = [a - b for key in sorted(units) for _, b, a in units[key]]
    rate, n = share_at_least(changes, settings.min_gain)
    agents = len({agent for key in units for agent, _, _ in units[key]})
    improved = sum(1 for c in changes if c >= settings.min_gain)
    matched = [k for k in sorted(units) if k in control]
    compared_units = sum(control[k].n for k in matched)
    compared = compared_agents(control, matched)
    compared_gained = sum(scale.gained.get(k, 0) for k in matched)
    control_rate = compared_gained / compared_units if compared_units else None
    facts = (
        PLUGIN.fact("improved", improved, ctx.qa),
        PLUGIN.fact("measured", n, ctx.qa),
        PLUGIN.fact("measured_agents", agents, ctx.qa),
        PLUGIN.fact("comparison_improved", compared_gained, ctx.qa),
        PLUGIN.fact("compared", compared, ctx.qa),
        PLUGIN.fact("compared_units", compared_units, ctx.qa),
        PLUGIN.fact("comparison_rate", control_rate),
        PLUGIN.fact("min_gain", settings.min_gain, f"{SETTINGS}.min_gain"),
        PLUGIN.fact("min_group", settings.min_group, f"{SETTINGS}.min_group"),
    )
    if rate is None or agents < settings.min_group:
        return Evaluation(
            subject,
            subject_id,
            3,
            "improvement_rate",
            None,
            n,
            (
                PLUGIN.reason(
                    COMPARISON,
                    msg(
                        "Not enough data: {agents} trained agents have {min_evaluations} or more "
                        "QA evaluations in each window; {min_group} are needed.",
                        agents=agents,
                        min_evaluations=settings.min_evaluations,
                        min_group=settings.min_group,
                    ),
                    *facts,
                ),
            ),
            compared=compared,
            verdict=NOT_ENOUGH,
        )
    measured = _of_agents(n, agents, "measured trained")
    text = (
        msg(
            "{improved} of {measured} ({rate:.0%}) gained {min_gain:g} QA points or more, "
            "against {compared_gained} of {compared} in the same bands ({compared_rate:.0%}).",
            improved=improved,
            measured=measured,
            rate=rate,
            min_gain=settings.min_gain,
            compared_gained=compared_gained,
            compared=_of_agents(compared_units, compared, "untrained"),
            compared_rate=control_rate,
        )
        if control_rate is not None
        else msg(
            "{improved} of {measured} ({rate:.0%}) gained {min_gain:g} QA points or more.",
            improved=improved,
            measured=measured,
            rate=rate,
            min_gain=settings.min_gain,
        )
    )
    return Evaluation(
        subject,
        subject_id,
        3,
        "improvement_rate",
        round(rate, 4),
        n,
        (PLUGIN.reason(COMPARISON, text, *facts),),
        compared=compared,
    )


def _need_behaviour(
    ctx: _Context,
    need_id: str,
    agent_id: str,
    competency_id: str,
    session_id: str,
    took: bool,
    scale: _Scale,
) -> Evaluation:
    """A need's behaviour: its agent's QA change less the mean change of the comparison
    agents in its band (n = 1)."""
    settings = ctx.settings
    got = scale.of(agent_id, competency_id)
    facts: list[Fact] = [
        PLUGIN.fact("min_group", settings.min_group, f"{SETTINGS}.min_group"),
        PLUGIN.fact("min_gain", settings.min_gain, f"{SETTINGS}.min_gain"),
        PLUGIN.fact("band", settings.band, f"{SETTINGS}.band"),
    ]

    def missing(text: Message, compared: int = 0) -> Evaluation:
        return Evaluation(
            "need",
            need_id,
            3,
            "behaviour",
            None,
            0,
            (PLUGIN.reason(COMPARISON, text, *facts),),
            compared=compared,
            verdict=NOT_ENOUGH,
        )

    if not took:
        return missing(
            msg(
                "Not enough data: {agent} did not attend {session}: no training effect to measure.",
                agent=agent_id,
                session=session_id,
            )
        )
    if got is None:
        facts.append(
            PLUGIN.fact("min_evaluations", settings.min_evaluations, f"{SETTINGS}.min_evaluations")
        )
        return missing(
            msg(
                "Not enough data: {agent} has fewer than {min_evaluations} QA evaluations on "
                "{competency} in the window before or after the cycle.",
                agent=agent_id,
                min_evaluations=settings.min_evaluations,
                competency=competency_id,
            )
        )
    before, after = got
    key = (competency_id, band_index(before, scale.width))
    band = scale.control.get(competency_id, {}).get(key)
    compared = band.n if band is not None else 0
    low_edge = key[1] * scale.width
    facts += [
        PLUGIN.fact("before", before, ctx.qa),
        PLUGIN.fact("after", after, ctx.qa),
        PLUGIN.fact("compared", compared, ctx.qa),
    ]
    if band is None or compared < settings.min_group:
        return missing(
            msg(
                "Not enough data: {compared} untrained agents with a QA baseline on "
                "{competency} of {low:g}-{high:g} were measured, {min_group} needed.",
                compared=compared,
                competency=competency_id,
                low=low_edge,
                high=low_edge + scale.width,
                min_group=settings.min_group,
            ),
            compared,
        )
    value = (after - before) - band.change
    if value >= settings.min_gain:
        verdict = Verdict.IMPROVED
    elif value <= -settings.min_gain:
        verdict = Verdict.WORSE
    else:
        verdict = Verdict.NO_CLEAR_CHANGE
    facts.append(PLUGIN.fact("comparison_change", band.change, ctx.qa))
    return Evaluation(
        "need",
        need_id,
        3,
        "behaviour",
        round(value, 4),
        1,
        (
            PLUGIN.reason(
                COMPARISON,
                msg(
                    "{agent}'s QA on {competency} went from {before:.1f} to {after:.1f} "
                    "({change:+.1f}); the {compared} untrained agents with a baseline of "
                    "{low:g}-{high:g} changed {comparison:+.1f} on average: {value:+.1f} "
                    "points, {verdict} (a gain of {min_gain:g} counts).",
                    agent=agent_id,
                    competency=competency_id,
                    before=before,
                    after=after,
                    change=after - before,
                    compared=compared,
                    low=low_edge,
                    high=low_edge + scale.width,
                    comparison=band.change,
                    value=value,
                    verdict=verdict,
                    min_gain=settings.min_gain,
                ),
                *facts,
            ),
        ),
        compared=compared,
        verdict=verdict.value,
    )


# --------------------------------------------------------------------------------------------
# The hook


def _kpi_width(measured: Measured, metric: str, band: float) -> float:
    """``band`` per cent of the range of the metric's before values; 1 when they are all
    equal (one band)."""
    values = [b for (_, m), (b, _) in measured.items() if m == metric]
    spread = max(values) - min(values) if values else 0.0
    width = band / 100 * spread
    return width if width > 0 and math.isfinite(width) else 1.0


@ccrules.hookimpl
def ccrules_evaluate(
    center: Center, evidence: Evidence, plan: Plan, outcomes: Sequence[Outcome]
) -> list[Evaluation]:
    pack = center.settings(Settings)
    settings = pack.evaluation
    source = center.source_of("outcomes")
    by_session: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_session[outcome.session_id].append(outcome)
    result: list[Evaluation] = []

    # levels 1 and 2: sessions, courses, trainers, needs
    groups: dict[tuple[str, str], list[Session]] = defaultdict(list)
    for session in plan.sessions:
        groups[("session", session.id)].append(session)
        groups[("course", session.course_id)].append(session)
        if session.trainer_id is not None:
            groups[("trainer", session.trainer_id)].append(session)
    for subject, subject_id in sorted(groups):
        sessions = groups[(subject, subject_id)]
        result.extend(
            _measures(
                subject,
                subject_id,
                [o for s in sessions for o in by_session.get(s.id, [])],
                sum(len(s.attendees) for s in sessions),
                settings.pass_mark,
                settings.min_responses,
                source,
            )
        )
    outcome_of = {(o.session_id, o.agent_id): o for o in outcomes}
    seated_needs = windows.seated(plan)
    for need, session in seated_needs:
        result.extend(
            _need_measures(
                need.id,
                need.agent_id,
                session.id,
                outcome_of.get((session.id, need.agent_id)),
                settings.pass_mark,
                source,
            )
        )
    if not plan.sessions:
        return result

    # levels 3 and 4: who was trained, who is compared
    took = windows.attended(outcomes)
    trainees: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    taught: dict[tuple[str, str], set[str]] = defaultdict(set)  # subject -> competencies
    for session in plan.sessions:
        taught[("session", session.id)].add(session.competency_id)
        taught[("course", session.course_id)].add(session.competency_id)
        if session.trainer_id is not None:
            taught[("trainer", session.trainer_id)].add(session.competency_id)
        taught[("center", plan.cycle.id)].add(session.competency_id)
        for agent_id in session.attendees:
            if (session.id, agent_id) in took:
                pair = (session.competency_id, agent_id)
                trainees[("session", session.id)].add(pair)
                trainees[("course", session.course_id)].add(pair)
                if session.trainer_id is not None:
                    trainees[("trainer", session.trainer_id)].add(pair)
                trainees[("center", plan.cycle.id)].add(pair)
    seated = windows.invited_by_competency(plan)
    trained_competencies = sorted(seated)
    pool = sorted(a.id for a in center.agents.values() if a.status == "active")
    before, after = windows.before(plan.cycle), windows.after(plan.cycle)
    qa_measured = _measured(
        windows.qa_scores(evidence, before),
        windows.qa_scores(evidence, after),
        settings.min_evaluations,
    )
    ctx = _Context(settings, center.source_of("qa"), center.source_of("kpis"))
    qa = _scale(
        "behaviour",
        "QA",
        None,
        qa_measured,
        settings.band,
        True,
        trained_competencies,
        pool,
        seated,
        settings.min_gain,
    )
    # KPIs mapped to a trained competency: the first threshold of a metric sets its direction
    kpi_competencies: dict[str, list[str]] = defaultdict(list)
    higher: dict[str, bool] = {}
    for threshold in pack.kpis:
        if threshold.competency in seated:
            kpi_competencies[threshold.metric].append(threshold.competency)
            higher.setdefault(threshold.metric, threshold.below is not None)
    kpi_scales: list[_Scale] = []
    if kpi_competencies:
        metrics = sorted(kpi_competencies)
        kpi_measured = _measured(
            windows.kpi_means(evidence, before, metrics),
            windows.kpi_means(evidence, after, metrics),
            1,
        )
        for metric in metrics:
            kpi_scales.append(
                _scale(
                    f"results:{metric}",
                    metric,
                    metric,
                    kpi_measured,
                    _kpi_width(kpi_measured, metric, settings.band),
                    higher[metric],
                    kpi_competencies[metric],
                    pool,
                    seated,
                    settings.min_gain,
                )
            )

    for subject, subject_id in sorted(taught):
        members = sorted(trainees.get((subject, subject_id), ()))
        competencies = sorted(taught[(subject, subject_id)])
        result.extend(_compare(ctx, subject, subject_id, competencies, members, qa))
        if subject == "center":
            continue
        for scale in kpi_scales:
            mapped = sorted(set(competencies) & set(kpi_competencies[scale.kpi or ""]))
            if mapped:
                served = [(c, a) for c, a in members if c in mapped]
                result.extend(_compare(ctx, subject, subject_id, mapped, served, scale))
    for need, session in seated_needs:
        result.append(
            _need_behaviour(
                ctx,
                need.id,
                need.agent_id,
                need.competency_id,
                session.id,
                (session.id, need.agent_id) in took,
                qa,
            )
        )
    return result
