"""The cycle report: one self-contained HTML page of a plan and its review, for people.

:func:`render_report` turns a :class:`~ccrules.model.Plan` (and, when the cycle was
evaluated, its :class:`~ccrules.model.Review`) into a page with inline SVG charts, every
chart's numbers in a table beside it, and a one-line reading per section. The page loads
nothing (no script, no font, no image from anywhere: its Content-Security-Policy forbids
it), so it opens from disk and can be mailed. ``ccrules report`` is the command around it.

Every data string is escaped; with ``redact`` every agent's id and name, and every
trainer's name, is replaced by a stable pseudonym (:class:`Pseudonyms`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from types import MappingProxyType

import attrs

from ccrules._center import TEAM_LEAD_OWNER, Center
from ccrules._html import (
    HEAT_STEPS,
    Bar,
    Block,
    Cell,
    Markup,
    Part,
    Series,
    bar_chart,
    calendar,
    el,
    heat_colour,
    heatmap,
    join,
    legend,
    line_chart,
    number,
    percent,
    redacting,
    scrolling,
    share_bar,
    table,
)
from ccrules._render import money, translated_rows
from ccrules.i18n import label, language, plugin_of, text
from ccrules.model import (
    CompetencyCategory,
    Plan,
    PriorityStatus,
    Reason,
    Report,
    Review,
    Session,
    TrainerStatus,
)

__all__ = [
    "LABELS",
    "LANGS",
    "SECTIONS",
    "PlanSource",
    "Pseudonyms",
    "render_report",
    "report_file_name",
]

#: The sections of the page, in order; each is a ``<section class="section" id=...>``.
SECTIONS = (
    "overview",
    "gaps",
    "needs",
    "upstream",
    "mix",
    "hours",
    "calendar",
    "service",
    "evaluation",
    "trainers",
    "escalations",
    "attrition",
    "unplaced",
    "reports",
)

#: ``--lang`` values: English and Simplified Chinese.
LANGS = ("en", "zh")

_HTML_LANG = {"en": "en", "zh": "zh-Hans"}

#: Tables longer than this show their first rows and count the rest.
TABLE_LIMIT = 200
#: Charts show at most this many bars (or heatmap rows): the largest, the rest in the table.
CHART_LIMIT = 40
#: trained agents an effect left out that the evaluation's reading names; the rest counted
LEFT_OUT_NAMES = 5


def _labels() -> Mapping[str, Mapping[str, str]]:
    text = resources.files("ccrules").joinpath("report_labels.toml").read_text(encoding="utf-8")
    return MappingProxyType({k: MappingProxyType(v) for k, v in tomllib.loads(text).items()})


#: Label texts by language, from ``report_labels.toml`` beside this module.
LABELS = _labels()


@attrs.frozen
class PlanSource:
    """Where the plan in a report comes from: the approved revision, or a draft."""

    approved: bool = False
    revision: int | None = None
    approved_by: str | None = None
    approved_at: str | None = None


#: Hex digits in a pseudonym (40 bits: about one shared prefix in 50 runs of 200,000 agents,
#: and that one is resolved by a longer pseudonym).
PSEUDONYM_DIGITS = 10


class Pseudonyms:
    """Stable pseudonyms for agents and trainers: the same key and id give the same
    pseudonym in every report, and nobody without the key can tell who is who.

    :param key: a secret of at least 16 bytes (``ccrules report --redact`` keeps one in
        ``DIR/.ccrules/redact.key``).
    :param center: whose agents and trainers to replace.
    """

    def __init__(self, key: bytes, center: Center) -> None:
        if len(key) < 16:
            raise ValueError("a pseudonym key needs at least 16 bytes")
        self._key = key
        self._aliases: dict[tuple[str, str], str] = {}
        self._assign("A", [agent.id for agent in center.agents.values()])
        self._assign("T", [trainer.id for trainer in center.trainers.values()])
        names: dict[str, str] = {}
        for agent in center.agents.values():
            alias = self.alias("A", agent.id)
            names[agent.id] = alias
            names.setdefault(agent.name, alias)
        for trainer in center.trainers.values():
            alias = self.alias("T", trainer.id)
            names.setdefault(trainer.name, alias)
            if trainer.agent_id is not None and trainer.agent_id in names:
                names[trainer.name] = names[trainer.agent_id]
        names = {k: v for k, v in names.items() if k.strip()}
        self._names = names
        # one pattern for all of them, as a trie (fast on thousands of names); ids and names
        # only where they stand alone, not inside a longer word or number; the longest name
        # wins where one holds another
        self._pattern = (
            re.compile(rf"(?<![0-9A-Za-z])(?:{_trie(names)})(?![0-9A-Za-z])") if names else None
        )
        self._seen: dict[str, str] = {}

    def _digest(self, prefix: str, ident: str) -> str:
        return hmac.new(self._key, f"{prefix}:{ident}".encode(), hashlib.sha256).hexdigest()

    def _assign(self, prefix: str, idents: Iterable[str]) -> None:
        # Taken in the order of their digests, not of the input, so that the same key and the
        # same people give the same pseudonyms in every run; where the first PSEUDONYM_DIGITS
        # digits of two digests agree (rare at 40 bits), the later one takes more digits.
        used: set[str] = set()
        for digest, ident in sorted({(self._digest(prefix, i), i) for i in idents}):
            width = PSEUDONYM_DIGITS
            while digest[:width] in used and width < len(digest):
                width += 1
            used.add(digest[:width])
            self._aliases[prefix, ident] = f"{prefix}-{digest[:width].upper()}"

    def alias(self, prefix: str, ident: str) -> str:
        """The pseudonym of ``ident`` (``prefix`` ``A`` for agents, ``T`` for trainers):
        unique among the center's agents (or trainers), and the same for the same key."""
        known = self._aliases.get((prefix, ident))
        if known is not None:
            return known
        return f"{prefix}-{self._digest(prefix, ident)[:PSEUDONYM_DIGITS].upper()}"

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        done = self._seen.get(text)
        if done is None:
            done = self._pattern.sub(lambda m: self._names[m.group(0)], text)
            if len(self._seen) < 100_000:
                self._seen[text] = done
        return done


def report_file_name(cycle_id: str, lang: str) -> str:
    """The report's file name in a center folder: ``report-CYCLE.html``, in Chinese
    ``report-CYCLE.zh.html`` (characters a file name should not hold become ``_``)."""
    safe = re.sub(r"[^0-9A-Za-z._-]+", "_", cycle_id)
    return f"report-{safe}.html" if lang == "en" else f"report-{safe}.{lang}.html"


def render_report(
    plan: Plan,
    center: Center,
    *,
    review: Review | None = None,
    inherited: Review | None = None,
    source: PlanSource = PlanSource(),
    lang: str = "en",
    redact: Callable[[str], str] | None = None,
    progress: Callable[[str], None] | None = None,
    currency: str = "",
) -> str:
    """The report page of one cycle, as HTML text.

    :param plan: the cycle's plan (the approved one when there is one).
    :param center: the loaded center (names of agents, teams, competencies, courses).
    :param review: the cycle's own review (``ccrules evaluate``), when it was evaluated.
    :param inherited: the review of the cycle before, whose escalations, trainer standing
        and attrition warnings this cycle inherits; shown when ``review`` is ``None``.
    :param source: approved revision or draft, for the page's header.
    :param lang: ``en`` or ``zh``.
    :param redact: a function every data string passes through (:class:`Pseudonyms`).
    :param progress: called with each section id as it is drawn.
    :param currency: the center's currency code (``[center] currency``), shown after every
        cost; empty shows plain numbers.
    :raises ValueError: for an unknown ``lang``.
    """
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    with redacting(redact), language(lang):
        page = _Page(
            plan,
            center,
            review,
            inherited,
            source,
            lang,
            redacted=redact is not None,
            currency=currency,
        )
        return page.render(progress)


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first, built as a trie so
    that it reads each character once instead of trying every word in turn."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(root)


# --- the page -------------------------------------------------------------------------------

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --band: #f6f8fa;
  --business: #3b6ea8; --non-business: #e0913a; --accent: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.45;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC",
  "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
header, main { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 0 0 4px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
.meta { color: var(--muted); margin: 2px 0; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; list-style: none;
  margin: 10px 0 14px; }
nav a { color: var(--business); text-decoration: none; }
section.section { padding: 18px 0 14px; border-bottom: 1px solid var(--line); }
.reading { font-size: 15px; margin: 4px 0 10px; }
.empty { color: var(--muted); font-style: italic; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.figure { background: var(--band); border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.figure b { display: block; font-size: 20px; }
.figure span { color: var(--muted); font-size: 12px; }
.scroll { overflow-x: auto; max-width: 100%; }
svg.chart { display: block; margin: 6px 0; }
svg text { font-size: 12px; fill: var(--ink); }
svg text.axis, svg text.mark { fill: var(--muted); font-size: 11px; }
svg text.value { fill: var(--muted); }
svg text.on-dark { fill: #ffffff; font-size: 11px; }
svg text.cell { font-size: 11px; }
svg rect.nil { fill: #fafbfc; stroke: #eef1f4; }
svg .bar { fill: var(--business); }
svg .bar-alt { fill: var(--non-business); }
svg .bar-bad { fill: var(--accent); }
svg .bar-muted { fill: #9aa5b1; }
svg .business { fill: var(--business); }
svg .non-business { fill: var(--non-business); }
svg line.target { stroke: var(--ink); stroke-dasharray: 4 3; }
svg line.grid { stroke: #eef1f4; }
svg line.floor { stroke: var(--accent); stroke-dasharray: 5 4; }
svg polyline { fill: none; stroke-width: 1.5; }
svg polyline.before { stroke: #9aa5b1; }
svg polyline.after { stroke: var(--business); }
svg circle.mark { fill: var(--non-business); }
svg .fmt-classroom { fill: #3b6ea8; } svg .fmt-coaching { fill: #6b4fa0; }
svg .fmt-micro-video { fill: #2f8f6b; } svg .fmt-pre-shift { fill: #e0913a; }
svg .fmt-shadowing { fill: #8a6d3b; } svg .fmt-cascade { fill: #b3261e; }
svg .fmt-other { fill: #59636e; }
.legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px; margin: 6px 0;
  color: var(--muted); font-size: 12px; }
.legend span { white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px;
  border-radius: 2px; vertical-align: -1px; }
.legend i.none { display: none; }
.legend i.line, .legend i.dashed { width: 18px; height: 0; border-radius: 0;
  border-top: 2px solid; vertical-align: 3px; }
.legend i.dashed { border-top-style: dashed; }
.legend i.dot { border-radius: 50%; }
.legend .fmt-classroom { background: #3b6ea8; } .legend .fmt-coaching { background: #6b4fa0; }
.legend .fmt-micro-video { background: #2f8f6b; } .legend .fmt-pre-shift { background: #e0913a; }
.legend .fmt-shadowing { background: #8a6d3b; } .legend .fmt-cascade { background: #b3261e; }
.legend .fmt-other { background: #59636e; }
.legend .before { border-color: #9aa5b1; } .legend .after { border-color: var(--business); }
.legend .floor { border-color: var(--accent); } .legend .target { border-color: var(--ink); }
.legend .mark { background: var(--non-business); }
.legend .bar, .legend .business { background: var(--business); }
.legend .bar-alt, .legend .non-business { background: var(--non-business); }
.legend .bar-bad { background: var(--accent); }
.legend .nil { background: #fafbfc; border: 1px solid #d1d9e0; }
details { margin: 6px 0 10px; }
summary { cursor: pointer; color: var(--business); }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left;
  vertical-align: top; word-break: keep-all; }
td { white-space: nowrap; }
td.text, tr.more td { white-space: normal; word-break: normal; overflow-wrap: break-word; }
td.text { min-width: 18em; }
th { background: var(--band); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.more td { color: var(--muted); font-style: italic; }
caption { text-align: left; color: var(--muted); padding: 2px 0; }
code { background: var(--band); padding: 0 3px; border-radius: 3px; }
.why { color: var(--muted); font-size: 12px; }
@media print { nav { display: none; } details { display: block; }
  section.section { break-inside: avoid-page; } }
"""

_UPSTREAM_REPORT = "feedback.upstream-flags"
_MIX_REPORT = "healthy-mix.mix"
_COST_REPORT = "bpo.cost"
_FORMATS = ("classroom", "coaching", "micro-video", "pre-shift", "shadowing", "cascade")
_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def _code_text(text: str) -> Markup:
    """Text with `backticks` shown as code; everything escaped."""
    parts = text.split("`")
    return join(el("code", None, p) if i % 2 else p for i, p in enumerate(parts))


def _why(reasons: Sequence[Reason]) -> Markup:
    """The first reason's text, its rule, plugin and version as a tooltip."""
    if not reasons:
        return Markup("")
    first = reasons[0]
    return el(
        "span",
        {"class": "why", "title": f"{first.rule} ({first.plugin} {first.version})"},
        text(first),
    )


class _Page:
    def __init__(
        self,
        plan: Plan,
        center: Center,
        review: Review | None,
        inherited: Review | None,
        source: PlanSource,
        lang: str,
        *,
        redacted: bool = False,
        currency: str = "",
    ) -> None:
        self.redacted = redacted
        self.currency = currency
        self.plan = plan
        self.center = center
        self.review = review
        self.inherited = inherited
        self.source = source
        self.lang = lang
        self.labels = LABELS[lang]
        self.reports = {r.id: r for r in plan.reports}

    # helpers ------------------------------------------------------------------------------

    def t(self, key: str, **values: object) -> str:
        text = self.labels[key]
        if values:
            text = text.format(**{k: _plain(v) for k, v in values.items()})
        return text

    def agent(self, agent_id: str) -> str:
        agent = self.center.agents.get(agent_id)
        return agent.name if agent is not None else agent_id

    def team(self, team_id: str | None) -> str:
        if team_id is None:
            return self.t("none")
        team = self.center.teams.get(team_id)
        return team.name if team is not None else team_id

    def team_of(self, agent_id: str) -> str | None:
        agent = self.center.agents.get(agent_id)
        return agent.team_id if agent is not None else None

    def competency(self, competency_id: str) -> str:
        competency = self.center.competencies.get(competency_id)
        return competency.name if competency is not None else competency_id

    def course(self, course_id: str) -> str:
        course = self.center.courses.get(course_id)
        return course.title if course is not None else course_id

    def trainer(self, trainer_id: str | None) -> str:
        if trainer_id is None:
            return self.t("none")
        trainer = self.center.trainers.get(trainer_id) or next(
            (t for t in self.plan.trainers if t.id == trainer_id), None
        )
        return trainer.name if trainer is not None else trainer_id

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[object]], **more: object
    ) -> Markup:
        return scrolling(
            table(
                [self.t(h) if h in self.labels else h for h in headers],
                rows,
                limit=TABLE_LIMIT,
                more=lambda count: self.t("more_rows", count=count),
                **more,  # type: ignore[arg-type]
            )
        )

    def bars(self, label: str, bars: Sequence[Bar], *, marker: float | None = None) -> Markup:
        """A bar chart of the first :data:`CHART_LIMIT` bars (they come largest first), with
        a note of how many more the table below holds."""
        if len(bars) <= CHART_LIMIT:
            return scrolling(bar_chart(label, bars, marker=marker))
        return join(
            scrolling(bar_chart(label, bars[:CHART_LIMIT], marker=marker)),
            el("p", {"class": "meta"}, self.t("chart_limit", shown=CHART_LIMIT, count=len(bars))),
        )

    def numbers(self, *tables: Markup, open: bool = False) -> Markup:
        """A chart's numbers, folded under it (unfolded with ``open``)."""
        return el("details", {"open": open}, el("summary", None, self.t("numbers")), *tables)

    def section(
        self, ident: str, reading: str | Markup | None, *body: object, empty: str | None = None
    ) -> Markup:
        state = "empty" if empty is not None else "data"
        return el(
            "section",
            {"class": "section", "id": ident, "data-state": state},
            el("h2", None, self.t(ident)),
            el(
                "p",
                {"class": "reading"},
                _code_text(reading)
                if isinstance(reading, str) and not isinstance(reading, Markup)
                else reading,
            )
            if reading is not None
            else None,
            el("p", {"class": "empty"}, _code_text(empty)) if empty is not None else None,
            *body,
        )

    # the page -----------------------------------------------------------------------------

    def render(self, progress: Callable[[str], None] | None) -> str:
        sections: list[Markup] = []
        for ident in SECTIONS:
            if progress is not None:
                progress(ident)
            sections.append(getattr(self, f"_{ident}")())
        plan = self.plan
        title = self.t("title", center=plan.center.name, cycle=plan.cycle.id)
        if self.source.approved:
            status = self.t(
                "approved",
                revision=self.source.revision,
                by=self.source.approved_by or "?",
                at=self.source.approved_at or "?",
            )
        else:
            status = self.t("draft")
        header = el(
            "header",
            None,
            el("h1", None, title),
            el("p", {"class": "meta"}, _code_text(status)),
            el(
                "p",
                {"class": "meta"},
                self.t("generated", version=plan.ccrules_version, digest=plan.digest[:19]),
            ),
            el("p", {"class": "meta"}, self.t("redacted")) if self.redacted else None,
            el(
                "nav",
                None,
                el(
                    "ol",
                    None,
                    [el("li", None, el("a", {"href": f"#{s}"}, self.t(s))) for s in SECTIONS],
                ),
            ),
        )
        document = join(
            Markup("<!DOCTYPE html>\n"),
            el(
                "html",
                {"lang": _HTML_LANG[self.lang]},
                el(
                    "head",
                    None,
                    el("meta", {"charset": "utf-8"}),
                    el("meta", {"http-equiv": "Content-Security-Policy", "content": _CSP}),
                    el(
                        "meta",
                        {"name": "viewport", "content": "width=device-width, initial-scale=1"},
                    ),
                    el("meta", {"name": "generator", "content": f"ccrules {plan.ccrules_version}"}),
                    el("title", None, title),
                    el("style", None, Markup(_CSS)),
                ),
                el("body", None, header, el("main", None, sections)),
            ),
            Markup("\n"),
        )
        return document.replace("><section", ">\n<section")

    # sections -----------------------------------------------------------------------------

    def _overview(self) -> Markup:
        plan, s = self.plan, self.plan.summary
        hours = s.training_minutes / 60
        figures = [
            ("agents", s.agents),
            ("agents_with_needs", s.agents_with_needs),
            ("needs_count", s.needs),
            ("planned", s.needs_planned),
            ("deferred", s.needs_deferred),
            ("sessions", s.sessions),
            ("attendee_hours", number(hours, 1)),
            ("trainer_hours", number(s.trainer_hours, 1)),
            ("trainer_cost", money(s.trainer_cost, self.currency)),
        ]
        facts = [
            ("center", plan.center.name),
            ("model", self.word(plan.center.model)),
            ("client", plan.center.client),
            ("cycle", plan.cycle.id),
            ("dates", f"{plan.cycle.start} – {plan.cycle.end}"),
            ("evidence", f"{plan.cycle.evidence_from} – {plan.cycle.evidence_to}"),
            ("plugins", ", ".join(f"{p.name} {p.version}" for p in plan.plugins)),
        ]
        inherited = (
            el("p", {"class": "meta"}, self.t("inherited_from", cycle=self.inherited.cycle.id))
            if self.review is None and self.inherited is not None
            else None
        )
        return self.section(
            "overview",
            self.t(
                "overview_reading",
                needs=s.needs,
                agents=s.agents,
                planned=s.needs_planned,
                sessions=s.sessions,
                hours=number(hours, 1),
                deferred=s.needs_deferred,
            ),
            el(
                "div",
                {"class": "figures"},
                [
                    el(
                        "div",
                        {"class": "figure"},
                        el("b", None, str(v)),
                        el("span", None, self.t(k)),
                    )
                    for k, v in figures
                ],
            ),
            self.table(["", ""], [(self.t(k), v) for k, v in facts if v], numeric=[False, False]),
            inherited,
        )

    def _gaps(self) -> Markup:
        needs = self.plan.needs
        if not needs:
            return self.section("gaps", None, empty=self.t("gaps_empty"))
        agents: dict[tuple[str, str], set[str]] = defaultdict(set)
        levels: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        for need in needs:
            team = self.team_of(need.agent_id) or "?"
            agents[team, need.competency_id].add(need.agent_id)
            if need.current_level is not None and need.target_level is not None:
                levels[team, need.competency_id].append((need.current_level, need.target_level))
        teams = sorted({t for t, _ in agents})
        load = Counter[str]()
        for (team, _), needing in agents.items():
            load[team] += len(needing)
        drawn = sorted(sorted(teams, key=lambda t: (-load[t], t))[:CHART_LIMIT])
        order = {c: i for i, c in enumerate(CompetencyCategory)}

        def category_rank(competency_id: str) -> tuple[int, str]:
            competency = self.center.competencies.get(competency_id)
            return (order[competency.category] if competency else 99, competency_id)

        competencies = sorted({c for _, c in agents}, key=category_rank)
        cells: dict[tuple[int, int], Cell] = {}
        rows: list[tuple[object, ...]] = []
        widest: tuple[float, int, str, str] | None = None
        row_of = {team: i for i, team in enumerate(drawn)}
        for team in teams:
            members = max(len(self.center.members(team)), 1)
            for j, competency in enumerate(competencies):
                who = agents.get((team, competency))
                if not who:
                    continue
                share = len(who) / members
                pairs = levels.get((team, competency), [])
                current = sum(p[0] for p in pairs) / len(pairs) if pairs else None
                target = sum(p[1] for p in pairs) / len(pairs) if pairs else None
                tip = self.t(
                    "gap_tip",
                    team=self.team(team),
                    competency=self.competency(competency),
                    count=len(who),
                    members=members,
                    share=percent(share, 0),
                    current=number(current, 1),
                    target=number(target, 1),
                )
                if team in row_of:
                    cells[row_of[team], j] = Cell(min(share, 1.0), str(len(who)), tip)
                rows.append(
                    (
                        self.team(team),
                        self.competency(competency),
                        members,
                        len(who),
                        percent(share, 0),
                        number(current, 1),
                        number(target, 1),
                    )
                )
                key = (share, len(who), team, competency)
                if widest is None or (key[0], key[1]) > (widest[0], widest[1]):
                    widest = key
        assert widest is not None
        share, count, team, competency = widest
        if len(rows) > TABLE_LIMIT:  # the widest gaps first when not all rows are shown
            rows.sort(key=lambda r: (-int(str(r[3])) / int(str(r[2])), str(r[0]), str(r[1])))
        return self.section(
            "gaps",
            self.t(
                "gaps_reading",
                team=self.team(team),
                competency=self.competency(competency),
                count=count,
                members=max(len(self.center.members(team)), 1),
                share=percent(share, 0),
            ),
            legend(
                [
                    ("heat-scale", "none", self.t("legend_heat")),
                    *(("heat", heat_colour(step), percent(step, 0)) for step in HEAT_STEPS),
                    ("nil", "box", self.t("legend_nil")),
                ]
            ),
            scrolling(
                heatmap(
                    self.t("gaps_chart"),
                    [self.team(t) for t in drawn],
                    [self.competency(c) for c in competencies],
                    cells,
                )
            ),
            el("p", {"class": "meta"}, self.t("chart_limit", shown=len(drawn), count=len(teams)))
            if len(drawn) < len(teams)
            else None,
            self.numbers(
                self.table(
                    [
                        "team",
                        "competency",
                        "members",
                        "with_need",
                        "share",
                        "mean_current",
                        "mean_target",
                    ],
                    rows,
                    numeric=[False, False, True, True, True, True, True],
                )
            ),
        )

    def _needs(self) -> Markup:
        needs = self.plan.needs
        if not needs:
            return self.section("needs", None, empty=self.t("needs_empty"))
        by_source = Counter(n.source for n in needs)
        by_owner = Counter(n.owner_team for n in needs)
        sources = sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))
        owners = sorted(by_owner.items(), key=lambda kv: (-kv[1], kv[0]))
        total = len(needs)
        return self.section(
            "needs",
            self.t(
                "needs_reading",
                source=self.need_source(sources[0][0]),
                count=sources[0][1],
                total=total,
                owner=self.owner(owners[0][0]),
                owned=owners[0][1],
            ),
            el("h3", None, self.t("by_source")),
            self.bars(
                self.t("by_source"),
                [
                    Bar(
                        self.need_source(k),
                        v,
                        f"{v} ({percent(v / total, 0)})",
                        f"{self.need_source(k)}: {self.t('count_of', count=v, total=total)}",
                    )
                    for k, v in sources
                ],
            ),
            el("h3", None, self.t("by_owner")),
            self.bars(
                self.t("by_owner"),
                [
                    Bar(
                        self.owner(k),
                        v,
                        str(v),
                        f"{self.owner(k)}: {self.t('count_of', count=v, total=total)}",
                        "bar-alt",
                    )
                    for k, v in owners
                ],
            ),
            self.numbers(
                self.table(
                    ["source", "count", "share"],
                    [(self.need_source(k), v, percent(v / total, 1)) for k, v in sources],
                ),
                self.table(
                    ["owner", "count", "share"],
                    [(self.owner(k), v, percent(v / total, 1)) for k, v in owners],
                ),
            ),
        )

    def word(self, value: str) -> str:
        """A model value (an enum's, or a verdict) in the page's language, else as it is."""
        return self.labels.get(f"value_{value}", str(value))

    def need_source(self, source: str) -> str:
        """A need's source as a label; a source no label names (a third-party pack's) as is."""
        return self.labels.get(f"source_{source}", source)

    def owner(self, owner_id: str) -> str:
        team = self.center.teams.get(owner_id)
        if team is not None:
            return team.name
        if owner_id == TEAM_LEAD_OWNER:
            return self.t("team_lead")
        for report in self.plan.reports:  # the feedback pack names topic owners
            if report.id == _UPSTREAM_REPORT and "owner_team_id" in report.columns:
                i, j = report.columns.index("owner_team_id"), report.columns.index("owner_team")
                for row in report.rows:
                    name = row[j]
                    if row[i] == owner_id and isinstance(name, str):
                        return name
        return owner_id

    def _upstream(self) -> Markup:
        report = self.reports.get(_UPSTREAM_REPORT)
        if report is None:
            return self.section("upstream", None, empty=self.t("upstream_empty"))
        rows = [dict(zip(report.columns, r, strict=False)) for r in report.rows]
        if not rows:
            return self.section("upstream", _summary(report), empty=self.t("upstream_none"))
        rows.sort(key=lambda r: (-_num(r.get("contacts")), str(r.get("topic_id"))))
        top = rows[0]
        return self.section(
            "upstream",
            self.t(
                "upstream_reading",
                count=len(rows),
                topic=top.get("topic"),
                contacts=top.get("contacts"),
                agents=top.get("agents"),
            ),
            self.bars(
                self.t("upstream_chart"),
                [
                    Bar(
                        str(r.get("topic")),
                        _num(r.get("contacts")),
                        f"{number(_num(r.get('contacts')))} ({number(_num(r.get('ratio')), 1)}×)",
                        f"{r.get('topic')}: {r.get('owner_team')}",
                        "bar-bad",
                    )
                    for r in rows
                ],
            ),
            self.table(
                ["topic", "owner", "contacts", "ratio", "agents", "withheld"],
                [
                    (
                        r.get("topic"),
                        r.get("owner_team"),
                        r.get("contacts"),
                        r.get("ratio"),
                        r.get("agents"),
                        r.get("needs_withheld"),
                    )
                    for r in rows
                ],
            ),
            el("p", {"class": "why"}, _summary(report)),
        )

    def _mix(self) -> Markup:
        s = self.plan.summary
        placed = s.business_minutes + s.non_business_minutes
        if placed <= 0:
            return self.section("mix", None, empty=self.t("mix_empty"))
        share = s.non_business_minutes / placed
        report = self.reports.get(_MIX_REPORT)
        marks: list[tuple[float, str]] = []
        target: float | None = None
        if report is not None and "kind" in report.columns:
            kind, ident, value = (report.columns.index(c) for c in ("kind", "id", "share"))
            for row in report.rows:
                if row[kind] != "benchmark" or not isinstance(row[value], (int, float)):
                    continue
                at = _num(row[value])
                label = self.labels.get(str(row[ident]), str(row[ident]))
                marks.append((at, f"{label} {percent(at, 0)}"))
                if row[ident] == "target":
                    target = at
        if target is not None:
            reading = self.t(
                "mix_reading_target",
                share=percent(share),
                verdict=self.t("meets" if share >= target else "misses"),
                target=percent(target, 0),
            )
        else:
            reading = self.t("mix_reading", share=percent(share))
        business, non_business = self.t("business"), self.t("non_business")
        parts = [  # non-business first, so that the target marks sit at their share
            Part(
                non_business, share, f"{non_business}: {s.non_business_minutes} min", "non-business"
            ),
            Part(business, 1 - share, f"{business}: {s.business_minutes} min", "business"),
        ]
        rows: list[tuple[object, ...]] = [
            (business, s.business_minutes, percent(1 - share)),
            (non_business, s.non_business_minutes, percent(share)),
        ]
        return self.section(
            "mix",
            reading,
            legend(
                [
                    ("non-business", "box", non_business),
                    ("business", "box", business),
                    *([("target", "dashed", self.t("legend_target"))] if marks else []),
                ]
            ),
            scrolling(share_bar(self.t("mix_chart"), parts, marks)),
            self.table(["kind", "minutes", "share"], rows),
            el("p", {"class": "why"}, _summary(report)) if report is not None else None,
        )

    def _hours(self) -> Markup:
        minutes: Counter[str] = Counter()
        sessions_of: Counter[str] = Counter()
        for session in self.plan.sessions:
            for agent_id in session.attendees:
                minutes[agent_id] += session.duration_minutes
                sessions_of[agent_id] += 1
        if not minutes:
            return self.section("hours", None, empty=self.t("hours_empty"))
        team_minutes: Counter[str] = Counter()
        team_agents: Counter[str] = Counter()
        for agent_id, value in minutes.items():
            team = self.team_of(agent_id) or "?"
            team_minutes[team] += value
            team_agents[team] += 1
        teams = sorted(team_minutes, key=lambda t: (-team_minutes[t], t))
        total = sum(minutes.values()) / 60
        busiest = teams[0]
        reading = self.t(
            "hours_reading",
            hours=number(total, 1),
            agents=len(minutes),
            per=number(total / len(minutes), 1),
            team=self.team(busiest),
            team_hours=number(team_minutes[busiest] / 60, 1),
        )
        # trainers' hours and cost from the sessions they teach
        trainer_minutes: Counter[str] = Counter()
        for session in self.plan.sessions:
            if session.trainer_id is not None:
                trainer_minutes[session.trainer_id] += session.duration_minutes
        rates = {t.id: t.cost_per_hour for t in self.plan.trainers}
        rates.update(
            {t.id: t.cost_per_hour for t in self.center.trainers.values() if t.id not in rates}
        )
        trainer_rows = [
            (
                self.trainer(t),
                number(m / 60, 2),
                money(rates.get(t, 0.0), self.currency),
                money(m / 60 * rates.get(t, 0.0), self.currency),
            )
            for t, m in sorted(trainer_minutes.items())
        ]
        reading += " " + self.t(
            "hours_cost",
            cost=money(self.plan.summary.trainer_cost, self.currency),
            trainer_hours=number(self.plan.summary.trainer_hours, 2),
        )
        body: list[Markup] = [
            self.bars(
                self.t("hours_team_chart"),
                [
                    Bar(
                        self.team(t),
                        team_minutes[t] / 60,
                        f"{number(team_minutes[t] / 60, 1)} h · "
                        f"{number(team_minutes[t] / 60 / team_agents[t], 1)} h/{self.t('agent')}",
                        self.t(
                            "team_hours_tip",
                            team=self.team(t),
                            hours=number(team_minutes[t] / 60, 2),
                            agents=team_agents[t],
                        ),
                    )
                    for t in teams
                ],
            ),
            self.numbers(
                self.table(
                    ["team", "members", "hours_col", "per_agent"],
                    [
                        (
                            self.team(t),
                            team_agents[t],
                            number(team_minutes[t] / 60, 2),
                            number(team_minutes[t] / 60 / team_agents[t], 2),
                        )
                        for t in teams
                    ],
                    numeric=[False, True, True, True],
                ),
                self.table(
                    ["agent", "name", "team", "sessions", "hours_col"],
                    [
                        (
                            a,
                            self.agent(a),
                            self.team(self.team_of(a)),
                            sessions_of[a],
                            number(minutes[a] / 60, 2),
                        )
                        for a in sorted(minutes, key=lambda a: (-minutes[a], a))
                    ],
                    numeric=[False, False, False, True, True],
                ),
            ),
        ]
        if trainer_rows:
            body.append(el("h3", None, self.t("trainer_cost")))
            body.append(
                self.table(
                    ["trainer", "hours_col", "cost_per_hour", "cost"],
                    trainer_rows,
                    numeric=[False, True, True, True],
                )
            )
        cost = self.reports.get(_COST_REPORT)
        if cost is not None and {"title", "total_cost"} <= set(cost.columns):
            title, total_cost = cost.columns.index("title"), cost.columns.index("total_cost")
            rows = sorted(  # per course; the report's own "total" row is in its table
                (r for r in cost.rows if r[0] != "total" and r[title]),
                key=lambda r: (-_num(r[total_cost]), str(r[title])),
            )
            body.append(el("h3", None, self.t("cost_chart")))
            body.append(el("p", {"class": "reading"}, _summary(cost)))
            body.append(
                self.bars(
                    self.t("cost_chart"),
                    [
                        Bar(
                            str(r[title]),
                            _num(r[total_cost]),
                            money(_num(r[total_cost]), self.currency),
                            f"{r[title]}: {money(_num(r[total_cost]), self.currency)}",
                            "bar-alt",
                        )
                        for r in rows
                    ],
                )
            )
            body.append(self.numbers(self._report_table(cost)))
        return self.section("hours", reading, *body)

    def _calendar(self) -> Markup:
        placed = [s for s in self.plan.sessions if s.start is not None and s.end is not None]
        if not placed:
            return self.section("calendar", None, empty=self.t("calendar_empty"))
        weekdays = _WEEKDAYS[self.lang]
        by_day = Counter(s.start.date() for s in placed if s.start is not None)
        first_day = min(by_day)
        last_day = max(by_day)
        busiest = min(by_day, key=lambda d: (-by_day[d], d))
        reading = self.t(
            "calendar_reading",
            sessions=len(placed),
            first=f"{weekdays[first_day.weekday()]} {first_day}",
            last=f"{weekdays[last_day.weekday()]} {last_day}",
            day=f"{weekdays[busiest.weekday()]} {busiest}",
            count=by_day[busiest],
        )
        charts: list[Markup] = []
        week = first_day - dt.timedelta(days=first_day.weekday())
        while week <= last_day:
            days = [week + dt.timedelta(days=i) for i in range(7)]
            in_week = [
                s
                for s in placed
                if s.start is not None and week <= s.start.date() < week + dt.timedelta(days=7)
            ]
            if in_week:
                shown = [d for d in days if d.weekday() < 5 or by_day.get(d)]
                index = {d: i for i, d in enumerate(shown)}
                blocks = [self._block(s, index) for s in in_week]
                charts.append(
                    calendar(
                        self.t("calendar_chart", week=str(week)),
                        [f"{weekdays[d.weekday()]} {d:%m-%d}" for d in shown],
                        [b for b in blocks if b is not None],
                    )
                )
            week += dt.timedelta(days=7)
        named: dict[str, list[str]] = {}  # formats no colour is kept for share the grey
        for name in sorted({s.format.value for s in placed}):
            named.setdefault(_format_class(name), []).append(self.word(name))
        chart_key = legend([(c, "box", " / ".join(words)) for c, words in sorted(named.items())])
        rows = [
            (
                s.id,
                f"{weekdays[s.start.weekday()]} {s.start:%Y-%m-%d %H:%M}" if s.start else "",
                f"{s.end:%H:%M}" if s.end else "",
                self.course(s.course_id),
                self.word(s.format),
                self.team(s.team_id) if s.team_id else self.t("none"),
                self.trainer(s.trainer_id),
                len(s.attendees),
            )
            for s in sorted(placed, key=lambda s: (s.start or dt.datetime.min, s.id))
        ]
        return self.section(
            "calendar",
            reading,
            chart_key,
            el("p", {"class": "meta"}, self.t("calendar_note")),
            *[scrolling(chart) for chart in charts],
            self.numbers(
                self.table(
                    ["session", "start", "end", "course", "format", "team", "trainer", "attendees"],
                    rows,
                    numeric=[False, False, False, False, False, False, False, True],
                )
            ),
        )

    def _block(self, session: Session, index: Mapping[dt.date, int]) -> Block | None:
        assert session.start is not None and session.end is not None
        day = index.get(session.start.date())
        if day is None:
            return None
        start = session.start.hour * 60 + session.start.minute
        end = start + max(int((session.end - session.start).total_seconds() // 60), 1)
        tip = (
            f"{session.start:%H:%M}–{session.end:%H:%M} {self.course(session.course_id)} "
            f"({self.word(session.format)}); {self.t('team')}: {self.team(session.team_id)}; "
            f"{self.t('trainer')}: {self.trainer(session.trainer_id)}; "
            f"{self.t('attendees')}: {len(session.attendees)} [{session.id}]"
        )
        return Block(
            day,
            start,
            min(end, 24 * 60),
            self.course(session.course_id),
            tip,
            _format_class(session.format.value),
        )

    def _service(self) -> Markup:
        service = self.plan.service
        if not service:
            return self.section("service", None, empty=self.t("service_empty"))
        queues = sorted({i.queue for i in service})
        low = min(service, key=lambda i: (i.service_level_after, i.start, i.queue))
        touched = [i for i in service if i.off > 0]
        below = sum(1 for i in service if i.service_level_after < i.floor)
        below_before = sum(1 for i in service if i.service_level_before < i.floor)
        reading = self.t(
            "service_reading",
            touched=len(touched),
            intervals=len(service),
            low=percent(low.service_level_after),
            queue=low.queue,
            when=f"{low.start:%Y-%m-%d %H:%M}",
            floor=percent(low.floor, 0),
            below=below,
            below_before=below_before,
        )
        lowest = min(min(i.service_level_after, i.service_level_before) for i in service)
        bottom = max(0.0, min(lowest, min(i.floor for i in service)) - 0.05)
        bottom = float(int(bottom * 10) / 10)
        charts: list[Markup] = []
        for queue in queues:
            intervals = sorted((i for i in service if i.queue == queue), key=lambda i: i.start)
            ticks: list[tuple[int, str]] = []
            seen: set[dt.date] = set()
            for index, interval in enumerate(intervals):
                if interval.start.date() not in seen:
                    seen.add(interval.start.date())
                    ticks.append((index, f"{interval.start:%m-%d}"))
            marks = [
                (
                    index,
                    interval.service_level_after,
                    f"{interval.start:%Y-%m-%d %H:%M}: {self.t('off')} "
                    f"{number(interval.off, 1)}, {percent(interval.service_level_before)} → "
                    f"{percent(interval.service_level_after)}",
                )
                for index, interval in enumerate(intervals)
                if interval.off > 0
            ]
            charts.append(el("h3", None, queue))
            charts.append(
                scrolling(
                    line_chart(
                        self.t("service_chart", queue=queue),
                        [
                            Series(
                                self.t("before"),
                                tuple(i.service_level_before for i in intervals),
                                "before",
                            ),
                            Series(
                                self.t("after"),
                                tuple(i.service_level_after for i in intervals),
                                "after",
                            ),
                        ],
                        floor=intervals[0].floor if intervals else None,
                        ticks=ticks,
                        marks=marks,
                        low=bottom,
                    )
                )
            )
        chart_key = legend(
            [
                ("before", "line", self.t("before")),
                ("after", "line", self.t("after")),
                ("floor", "dashed", self.t("floor")),
                ("mark", "dot", self.t("legend_mark")),
            ]
        )
        per_day: dict[tuple[str, dt.date], tuple[float, float]] = {}
        for i in service:
            key = (i.queue, i.start.date())
            before, after = per_day.get(key, (1.0, 1.0))
            per_day[key] = (min(before, i.service_level_before), min(after, i.service_level_after))
        day_rows = [
            (q, str(d), percent(b), percent(a)) for (q, d), (b, a) in sorted(per_day.items())
        ]
        touched_rows = [
            (
                i.queue,
                f"{i.start:%Y-%m-%d %H:%M}",
                i.required,
                number(i.available, 1),
                number(i.off, 1),
                percent(i.service_level_before),
                percent(i.service_level_after),
                percent(i.floor, 0),
            )
            for i in sorted(touched, key=lambda i: (i.start, i.queue))
        ]
        return self.section(
            "service",
            reading,
            chart_key,
            *charts,
            self.numbers(
                self.table(
                    ["queue", "interval", "sl_before", "sl_after"],
                    day_rows,
                    caption=self.t("lowest_per_day"),
                    numeric=[False, False, True, True],
                ),
                self.table(
                    [
                        "queue",
                        "interval",
                        "required",
                        "available",
                        "off",
                        "sl_before",
                        "sl_after",
                        "floor",
                    ],
                    touched_rows,
                    caption=self.t("touched_intervals"),
                    numeric=[False, False, True, True, True, True, True, True],
                ),
            ),
        )

    def _evaluation(self) -> Markup:
        review = self.review
        if review is None:
            return self.section(
                "evaluation", None, empty=self.t("evaluation_empty", cycle=self.plan.cycle.id)
            )
        center = [e for e in review.evaluations if e.subject == "center"]
        center.sort(key=lambda e: (e.level, e.metric))
        rows = [
            (
                e.level,
                e.metric,
                number(e.value, 2),
                f"{number(e.low, 2)} – {number(e.high, 2)}"
                if e.low is not None and e.high is not None
                else self.t("none"),
                e.n,
                e.compared,
                self.word(e.verdict) if e.verdict else self.t("none"),
                _why(e.reasons),
            )
            for e in center
        ]
        reading: str | None = None
        # an effect (it has a verdict) before a plain figure of the same level: its n counts
        # agents, the improvement rate's counts measures
        top = max(center, key=lambda e: (e.level, bool(e.verdict), e.n), default=None)
        if top is not None:
            reading = self.t(
                "evaluation_reading",
                level=top.level,
                metric=top.metric,
                value=number(top.value, 2),
                n=top.n,
                verdict=self.word(top.verdict) if top.verdict else self.t("none"),
            )
            missing = top.left_out
            if missing:
                names = "、" if self.lang == "zh" else ", "
                shown = names.join(self.agent(a) for a in missing[:LEFT_OUT_NAMES])
                if len(missing) > LEFT_OUT_NAMES:
                    shown = self.t("and_more", names=shown, count=len(missing) - LEFT_OUT_NAMES)
                reading += self.t("evaluation_left_out", count=len(missing), names=shown)
        follow = Counter(self.word(f.kind) for f in review.follow_ups)
        return self.section(
            "evaluation",
            reading,
            self.table(
                ["level", "metric", "value", "interval95", "n", "compared", "verdict", "why"],
                rows,
                numeric=[True, False, True, True, True, True, False, False],
            ),
            el("h3", None, self.t("follow_ups")),
            self.table(["follow_kind", "count"], sorted(follow.items())),
        )

    def _evaluated(self) -> Review | None:
        """The review whose standing this cycle shows: its own, else the one it inherits."""
        return self.review if self.review is not None else self.inherited

    def _from(self, review: Review) -> Markup | None:
        if review is self.review:
            return None
        return el("p", {"class": "meta"}, self.t("from_review", cycle=review.cycle.id))

    def _trainers(self) -> Markup:
        review = self._evaluated()
        if review is not None and review.trainers:
            scored = [t for t in review.trainers if t.score is not None]
            scored.sort(key=lambda t: (-(t.score or 0.0), t.trainer_id))
            flagged = sum(1 for t in review.trainers if t.status is not TrainerStatus.ACTIVE)
            reading = (
                self.t(
                    "trainers_reading",
                    count=len(scored),
                    best=self.trainer(scored[0].trainer_id),
                    best_score=number(scored[0].score, 2),
                    worst=self.trainer(scored[-1].trainer_id),
                    worst_score=number(scored[-1].score, 2),
                    flagged=flagged,
                )
                if scored
                else None
            )
            rows = [
                (
                    self.trainer(t.trainer_id),
                    self.word(t.status),
                    number(t.score, 2),
                    t.sessions,
                    t.trainees,
                    percent(t.pass_rate, 0),
                    number(t.satisfaction, 2),
                    number(t.improvement, 2),
                    _why(t.reasons),
                )
                for t in sorted(review.trainers, key=lambda t: t.trainer_id)
            ]
            flagged_key = [("bar-bad", "box", self.t("legend_flagged"))] if flagged else []
            return self.section(
                "trainers",
                reading,
                self._from(review),
                legend([("bar", "box", self.word(TrainerStatus.ACTIVE)), *flagged_key])
                if scored
                else None,
                self.bars(
                    self.t("trainers_chart"),
                    [
                        Bar(
                            self.trainer(t.trainer_id),
                            t.score or 0.0,
                            f"{number(t.score, 2)} · {self.word(t.status)}",
                            f"{self.trainer(t.trainer_id)}: {number(t.score, 2)} "
                            f"({self.word(t.status)})",
                            "bar" if t.status is TrainerStatus.ACTIVE else "bar-bad",
                        )
                        for t in scored
                    ],
                    marker=None,
                )
                if scored
                else None,
                self.numbers(
                    self.table(
                        [
                            "trainer",
                            "status",
                            "score",
                            "sessions",
                            "trainees",
                            "pass_rate",
                            "satisfaction",
                            "improvement",
                            "why",
                        ],
                        rows,
                        numeric=[False, False, True, True, True, True, True, True, False],
                    ),
                    open=len(rows) <= 20,
                ),
            )
        minutes: Counter[str] = Counter()
        for session in self.plan.sessions:
            if session.trainer_id is not None:
                minutes[session.trainer_id] += session.duration_minutes
        if not minutes:
            return self.section("trainers", None, empty=self.t("trainers_empty"))
        capacity = {t.id: t.capacity_hours for t in self.plan.trainers}
        order = sorted(minutes, key=lambda t: (-minutes[t], t))
        busiest = order[0]
        reading = self.t(
            "load_reading",
            count=len(minutes),
            hours=number(sum(minutes.values()) / 60, 1),
            busiest=self.trainer(busiest),
            busy_hours=number(minutes[busiest] / 60, 1),
            capacity=number(capacity.get(busiest), 1),
        )
        return self.section(
            "trainers",
            reading,
            self.bars(
                self.t("load_chart"),
                [
                    Bar(
                        self.trainer(t),
                        minutes[t] / 60,
                        f"{number(minutes[t] / 60, 1)} / {number(capacity.get(t), 1)} h",
                        f"{self.trainer(t)}: {number(minutes[t] / 60, 2)} of "
                        f"{number(capacity.get(t), 1)} h",
                    )
                    for t in order
                ],
            ),
            self.table(
                ["trainer", "assigned", "capacity"],
                [
                    (self.trainer(t), number(minutes[t] / 60, 2), number(capacity.get(t), 1))
                    for t in order
                ],
                numeric=[False, True, True],
            ),
        )

    def _escalations(self) -> Markup:
        review = self._evaluated()
        if review is None:
            return self.section(
                "escalations", None, empty=self.t("evaluation_empty", cycle=self.plan.cycle.id)
            )
        escalations = sorted(
            review.escalations, key=lambda e: (-e.level, e.team_id, e.agent_id, e.competency_id)
        )
        if not escalations:
            return self.section(
                "escalations", None, self._from(review), empty=self.t("escalations_empty")
            )
        levels = Counter(e.level for e in escalations)
        reading = self.t(
            "escalations_reading",
            count=len(escalations),
            check=levels.get(1, 0),
            lead=levels.get(2, 0),
            team=sum(v for k, v in levels.items() if k >= 3),
        )
        return self.section(
            "escalations",
            reading,
            self._from(review),
            legend(
                [
                    *([("bar-alt", "box", self.labels["level_1"])] if levels.get(1) else []),
                    *(
                        [("bar-bad", "box", self.t("legend_escalated"))]
                        if any(level >= 2 for level in levels)
                        else []
                    ),
                ]
            ),
            self.bars(
                self.t("escalations_chart"),
                [
                    Bar(
                        self.labels.get(f"level_{level}", str(level)),
                        levels[level],
                        str(levels[level]),
                        f"{level}: {levels[level]}",
                        "bar-bad" if level >= 2 else "bar-alt",
                    )
                    for level in sorted(levels)
                ],
            ),
            self.numbers(
                self.table(
                    ["agent", "name", "team", "competency", "failures", "level", "since", "why"],
                    [
                        (
                            e.agent_id,
                            self.agent(e.agent_id),
                            self.team(e.team_id),
                            self.competency(e.competency_id),
                            e.failures,
                            e.level,
                            e.since,
                            _why(e.reasons),
                        )
                        for e in escalations
                    ],
                    numeric=[False, False, False, False, True, True, False, False],
                ),
                open=len(escalations) <= 20,
            ),
        )

    def _attrition(self) -> Markup:
        review = self._evaluated()
        if review is None:
            return self.section("attrition", None, empty=self.t("attrition_empty"))
        warned = sorted(
            (a for a in review.attrition if a.warned), key=lambda a: (-a.risk, a.agent_id)
        )
        if not warned:
            return self.section(
                "attrition", None, self._from(review), empty=self.t("attrition_none")
            )
        reading = self.t(
            "attrition_reading",
            count=len(warned),
            horizon=str(max(a.horizon_end for a in warned)),
            agent=self.agent(warned[0].agent_id),
            risk=number(warned[0].risk, 2),
        )
        return self.section(
            "attrition",
            reading,
            self._from(review),
            self.bars(
                self.t("attrition_chart"),
                [
                    Bar(
                        self.agent(a.agent_id),
                        a.risk,
                        number(a.risk, 2),
                        f"{self.agent(a.agent_id)}: {number(a.risk, 2)}",
                        "bar-bad",
                    )
                    for a in warned
                ],
            ),
            self.numbers(
                self.table(
                    ["agent", "name", "team", "risk", "horizon", "why"],
                    [
                        (
                            a.agent_id,
                            self.agent(a.agent_id),
                            self.team(self.team_of(a.agent_id)),
                            number(a.risk, 2),
                            str(a.horizon_end),
                            _why(a.reasons),
                        )
                        for a in warned
                    ],
                    numeric=[False, False, False, True, False, False],
                ),
                open=len(warned) <= 20,
            ),
        )

    def _unplaced(self) -> Markup:
        unplaced = self.plan.unplaced
        needs = {n.id: n for n in self.plan.needs}
        deferred = [
            (p, needs[p.need_id])
            for p in self.plan.priorities
            if p.status is PriorityStatus.DEFERRED and p.need_id in needs
        ]
        if not unplaced and not deferred:
            return self.section("unplaced", None, empty=self.t("unplaced_empty"))
        if unplaced:
            first = text(unplaced[0].reasons[0]) if unplaced[0].reasons else unplaced[0].id
        else:
            first = text(deferred[0][0].reasons[0]) if deferred[0][0].reasons else ""
        reading = self.t("unplaced_reading", count=len(unplaced), deferred=len(deferred), why=first)
        body: list[Markup] = []
        if unplaced:
            body.append(
                self.numbers(
                    self.table(
                        ["item", "kind", "stage", "why"],
                        [(u.id, u.kind, u.stage.value, _why(u.reasons)) for u in unplaced],
                        numeric=[False, False, False, False],
                    ),
                    open=len(unplaced) <= 20,
                )
            )
        if deferred:
            body.append(el("h3", None, self.t("deferred_needs")))
            body.append(
                self.numbers(
                    self.table(
                        ["agent", "name", "competency", "source", "rank", "why"],
                        [
                            (
                                n.agent_id,
                                self.agent(n.agent_id),
                                self.competency(n.competency_id),
                                self.need_source(n.source),
                                p.rank,
                                _why(p.reasons),
                            )
                            for p, n in sorted(deferred, key=lambda pn: (pn[0].rank, pn[1].id))
                        ],
                        numeric=[False, False, False, False, True, False],
                    ),
                    open=len(deferred) <= 20,
                )
            )
        return self.section("unplaced", reading, *body)

    def _report_table(self, report: Report) -> Markup:
        owner = plugin_of(report.id)
        return self.table(
            [label(column, owner) for column in report.columns],
            [tuple(_cell(v) for v in row) for row in translated_rows(report.rows, owner)],
        )

    def _reports(self) -> Markup:
        reports = list(self.plan.reports)
        if self.review is not None:
            reports += list(self.review.reports)
        if not reports:
            return self.section("reports", None, empty=self.t("reports_empty"))
        body = []
        for report in reports:
            rule = report.reasons[0] if report.reasons else None
            body.append(
                el(
                    "h3",
                    {"id": f"report-{report.id}"},
                    text(report.title, plugin=plugin_of(report.id)),
                )
            )
            body.append(el("p", None, _summary(report)))
            if rule is not None:
                body.append(
                    el(
                        "p",
                        {"class": "why"},
                        f"{self.t('rule')}: {rule.rule} ({rule.plugin} {rule.version})",
                    )
                )
            if report.rows:
                body.append(self.numbers(self._report_table(report)))
        return self.section("reports", self.t("reports_reading", count=len(reports)), *body)


def _summary(report: Report) -> str:
    """A rule pack's report summary in the page's language."""
    return text(report.summary, plugin=plugin_of(report.id))


def _format_class(name: str) -> str:
    return f"fmt-{name}" if name in _FORMATS else "fmt-other"


def _num(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _cell(value: object) -> object:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value


def _plain(value: object) -> str:
    if isinstance(value, float):
        return number(value)
    return str(value)
