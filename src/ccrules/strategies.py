"""Hypothesis strategies for plugin authors: model objects and whole small centers.

- :func:`from_model` (and :func:`for_class` / :func:`for_type` beneath it) builds any model
  class of :mod:`ccrules.model` from its own type hints, so a new field is covered the day it
  is added. Importing this module also registers them with hypothesis, so
  ``st.from_type(ccrules.model.Need)`` works.
- :func:`centers` draws whole small, valid centers (:class:`CenterData`): teams and their
  leads, agents named in Chinese and Latin letters, a competency model with role profiles,
  QA evaluations in the evidence window (some below the requirement, so needs are found),
  KPIs, a course catalogue covering every competency in several formats and trainers with
  skills. :meth:`CenterData.engine` loads one; :meth:`CenterData.write` writes it as a center
  folder for ``ccrules plan``.

Install hypothesis with ``pip install 'ccrules[testing]'``.
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "ccrules.strategies needs hypothesis: pip install 'ccrules[testing]'"
    ) from error

import csv
import datetime as dt
import enum
import tomllib
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ccrules import model
from ccrules._engine import Engine
from ccrules._schema import CORE_SOURCES
from ccrules._toml import dump_toml

__all__ = [
    "MODEL_CLASSES",
    "CenterData",
    "centers",
    "for_class",
    "for_type",
    "from_model",
]

T = TypeVar("T")

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
_NUMBER = st.floats(allow_nan=False, allow_infinity=False, width=64)


def for_type(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for values of the type hint ``tp``, as the model classes use them.

    Covers ``None``, text, booleans, integers, floats, dates, times, datetimes, enums, attrs
    classes, unions, ``tuple[X, ...]`` and mappings.

    :raises NotImplementedError: for any other type hint.
    """
    if tp is type(None):
        return st.none()
    if tp is str:
        return _TEXT
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(10**6), 10**6)
    if tp is float:
        return _NUMBER
    if tp is dt.datetime:
        return st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1))
    if tp is dt.date:
        return st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))
    if tp is dt.time:
        return st.times()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if tp is model.Message:
        return messages()
    if isinstance(tp, type) and attrs.has(tp):
        return for_class(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(for_type(a) for a in args))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(for_type(args[0]), max_size=3).map(tuple)
    if origin in (Mapping, dict):
        return st.dictionaries(for_type(args[0]), for_type(args[1]), max_size=3)
    raise NotImplementedError(f"no strategy for {tp!r}")


_FIELD_NAMES = st.lists(
    st.sampled_from(["agent", "score", "gap", "competency", "trainers", "kind"]),
    unique=True,
    max_size=3,
)
_SCALARS: st.SearchStrategy[model.MessageValue] = st.one_of(
    st.none(), _TEXT, st.booleans(), st.integers(-(10**6), 10**6), _NUMBER
)


def messages() -> st.SearchStrategy[model.Message]:
    """Messages: ids with up to three ``{name}`` fields around free text (Chinese too), whose
    values are text, numbers, lists or a nested term."""

    def build(names: list[str], words: str, draw_values: list[model.MessageValue]) -> model.Message:
        braces = words.replace("{", "(").replace("}", ")")
        message_id = braces + "".join(f" {{{name}}}" for name in names)
        return model.Message(message_id, tuple(draw_values[: len(names)]))

    values = st.lists(
        st.one_of(
            _SCALARS,
            st.lists(_SCALARS, max_size=3).map(tuple),
            _TEXT.map(lambda term: model.Message(term.replace("{", "(").replace("}", ")"))),
        ),
        min_size=3,
        max_size=3,
    )
    return st.builds(build, _FIELD_NAMES, _TEXT, values)


def for_class(cls: type[T]) -> st.SearchStrategy[T]:
    """A strategy building the attrs class ``cls`` from strategies for each of its fields.

    Field types are resolved in :mod:`ccrules.model`; every field, defaulted or not, is drawn.
    """
    klass: Any = cls
    if not attrs.has(klass):
        raise InvalidArgument(f"{cls!r} is not an attrs class")
    attrs.resolve_types(klass, globalns=vars(model))
    fields: dict[str, st.SearchStrategy[Any]] = {
        (f.alias or f.name): st.deferred(_deferred(f.type)) for f in attrs.fields(klass)
    }
    return st.builds(cls, **fields)


def _deferred(tp: Any) -> Callable[[], st.SearchStrategy[Any]]:
    return lambda: for_type(tp)


#: Every public model class of :mod:`ccrules.model` (the frozen attrs classes).
MODEL_CLASSES: tuple[type, ...] = tuple(
    getattr(model, name)
    for name in model.__all__
    if isinstance(getattr(model, name), type) and attrs.has(getattr(model, name))
)

_BY_CLASS: dict[type, st.SearchStrategy[Any]] = {}


def from_model(cls: type[T]) -> st.SearchStrategy[T]:
    """A strategy for any public model class of :mod:`ccrules.model` (``from_model(Need)``).

    :raises InvalidArgument: for a class that is not one of :data:`MODEL_CLASSES`.
    """
    if cls not in MODEL_CLASSES:
        raise InvalidArgument(f"{cls!r} is not a model class of ccrules.model")
    strategy = _BY_CLASS.get(cls)
    if strategy is None:
        made = messages() if cls is model.Message else for_class(cls)
        strategy = _BY_CLASS[cls] = made
    return typing.cast(st.SearchStrategy[T], strategy)


def _register(cls: type[T]) -> None:
    st.register_type_strategy(cls, st.deferred(lambda: from_model(cls)))


for _cls in MODEL_CLASSES:
    _register(_cls)
del _cls


# --------------------------------------------------------------------------------------------
# Whole centers

_COLUMNS: dict[str, tuple[str, ...]] = {s.name: tuple(s.column_names) for s in CORE_SOURCES}

#: The files :func:`centers` fills, in dependency order.
_SOURCES = (
    "teams",
    "competencies",
    "roles",
    "role_profiles",
    "agents",
    "qa_items",
    "qa",
    "kpis",
    "trainers",
    "trainer_skills",
    "courses",
)

_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_WORD = st.one_of(
    st.builds(
        lambda f, g: f + g, st.sampled_from(_FAMILY), st.text(_GIVEN, min_size=1, max_size=2)
    ),
    st.text(_CHINESE, min_size=1, max_size=4),
    st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_LATIN[:26]),
        st.text(_LATIN[26:], min_size=1, max_size=7),
    ),
)
#: A person's or a thing's name: one or two words, Chinese or Latin, as operators write them.
_NAME = st.lists(_WORD, min_size=1, max_size=2).map(" ".join)

# format -> duration in minutes, largest group
_FORMATS: dict[str, tuple[int, int]] = {
    "pre-shift": (15, 30),
    "micro-video": (10, 1),
    "classroom": (60, 12),
    "coaching": (45, 1),
    "shadowing": (120, 1),
    "cascade": (30, 20),
}
_SHIFTS = (("08:00", "17:00"), ("09:00", "18:00"), ("13:00", "22:00"))
_MONDAYS = tuple(dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(0, 52, 4))
_WINDOW_DAYS = 90
_THRESHOLD = 10
_MIN_EVALUATIONS = 3
_KPI_METRIC = "fcr"
_KPI_BELOW = 0.7
_SUPPORT_TEAMS = (("QA", "质检组 Quality"), ("BUS", "业务支持组 Business support"))

Row = Mapping[str, object]


@attrs.frozen
class CenterData:
    """A whole small center drawn by :func:`centers`: center.toml text and the rows of every
    core data file it fills.

    :param config: center.toml text.
    :param data: rows per data source (``agents``, ``qa``, ...), each row a mapping of every
        documented column (docs/data.md) to its text; an empty text is no value.
    """

    config: str
    data: Mapping[str, tuple[Row, ...]]

    def config_with(self, plugins: Iterable[str]) -> str:
        """center.toml text with the names ``plugins`` first in ``[plugins] enabled``, ahead
        of the center's own (``default``)."""
        names = list(dict.fromkeys(plugins))
        if not names:
            return self.config
        table = tomllib.loads(self.config)
        enabled = [str(name) for name in table["plugins"]["enabled"]]
        table["plugins"]["enabled"] = [*names, *(n for n in enabled if n not in names)]
        return dump_toml(table)

    def engine(self, plugins: Mapping[str, object] | None = None) -> Engine:
        """Load the center with :meth:`ccrules.Engine.from_objects`; close it when done.

        :param plugins: plugin objects by name: their names are put first in
            ``[plugins] enabled``, ahead of the center's own (``default``).
        :raises InputError: when the rows or the config are refused.
        """
        config = self.config_with(plugins or ())
        return Engine.from_objects(config, self.data, plugins=plugins)

    def write(self, folder: Path) -> Path:
        """Write ``center.toml`` and ``data/<source>.csv`` (UTF-8) into ``folder``, for
        :meth:`ccrules.Engine.from_folder` and ``ccrules plan``; returns ``folder``."""
        folder = Path(folder)
        (folder / "data").mkdir(parents=True, exist_ok=True)
        (folder / "center.toml").write_text(self.config, encoding="utf-8")
        for name, rows in self.data.items():
            columns = _COLUMNS.get(name) or tuple(dict.fromkeys(k for r in rows for k in r))
            with (folder / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f, lineterminator="\n")
                writer.writerow(columns)
                for row in rows:
                    writer.writerow(
                        ["" if row.get(c) is None else str(row.get(c)) for c in columns]
                    )
        return folder


def centers(
    *,
    max_teams: int = 3,
    max_agents_per_team: int = 6,
    max_competencies: int = 4,
    plugins: Sequence[str] = ("default",),
) -> st.SearchStrategy[CenterData]:
    """A strategy of whole small, valid centers (:class:`CenterData`) that
    :meth:`ccrules.Engine.from_objects` accepts and plans without error.

    Each center has 1 to ``max_teams`` front-line teams of 2 to ``max_agents_per_team``
    agents (the first is the team lead) beside two support teams (``QA``, ``BUS``); 1 to
    ``max_competencies`` competencies with role profiles for agents (``AG``) and leads
    (``TL``); three or four QA evaluations per agent in the evidence window, at least one
    scored below the requirement so the plan has needs; monthly ``fcr`` KPIs; at least two
    course formats per competency; a full-time trainer teaching everything and the team leads
    as trainers. Plans take well under a second.

    :param plugins: the names enabled in ``[plugins] enabled``; the ``default`` pack's
        settings are written only when it is among them.
    """
    if max_teams < 1:
        raise InvalidArgument(f"max_teams={max_teams!r} must be at least 1")
    if max_agents_per_team < 2:
        raise InvalidArgument(f"max_agents_per_team={max_agents_per_team!r} must be at least 2")
    if max_competencies < 1:
        raise InvalidArgument(f"max_competencies={max_competencies!r} must be at least 1")
    if isinstance(plugins, str) or not plugins or not all(isinstance(p, str) for p in plugins):
        raise InvalidArgument(f"plugins={plugins!r} must be a non-empty sequence of names")
    return _centers(max_teams, max_agents_per_team, max_competencies, tuple(plugins))


def _date(day: dt.date) -> str:
    return day.isoformat()


@st.composite
def _centers(
    draw: st.DrawFn,
    max_teams: int,
    max_agents_per_team: int,
    max_competencies: int,
    plugins: tuple[str, ...],
) -> CenterData:
    start = draw(st.sampled_from(_MONDAYS), label="cycle start")
    evidence_to = start - dt.timedelta(days=1)
    evidence_from = evidence_to - dt.timedelta(days=_WINDOW_DAYS - 1)  # both days included

    # the competency model
    n_competencies = draw(st.integers(1, max_competencies), label="competencies")
    competency_ids = [f"C{k}" for k in range(1, n_competencies + 1)]
    competencies: list[Row] = []
    for cid in competency_ids:
        competencies.append(
            {
                "competency_id": cid,
                "name": draw(_NAME),
                "category": draw(st.sampled_from(("business", "non-business"))),
                "kind": draw(st.sampled_from(("knowledge", "skill", "attitude"))),
                "description": draw(st.one_of(st.just(""), _NAME)),
            }
        )
    roles: list[Row] = [
        {"role_id": "AG", "name": "坐席 Agent", "track": "front-line"},
        {"role_id": "TL", "name": "组长 Team lead", "track": "management"},
    ]
    required = {cid: draw(st.integers(60, 95), label=f"AG level {cid}") for cid in competency_ids}
    lead_competencies = draw(
        st.lists(st.sampled_from(competency_ids), unique=True, max_size=n_competencies)
    )
    role_profiles: list[Row] = [
        {"role_id": "AG", "competency_id": cid, "required_level": str(level)}
        for cid, level in required.items()
    ]
    role_profiles += [
        {"role_id": "TL", "competency_id": cid, "required_level": str(min(100, required[cid] + 5))}
        for cid in sorted(lead_competencies)
    ]
    lead_required = {cid: min(100, required[cid] + 5) for cid in lead_competencies}

    # teams and agents
    n_teams = draw(st.integers(1, max_teams), label="teams")
    teams: list[Row] = []
    agents: list[Row] = []
    leads: list[Mapping[str, object]] = []
    for t in range(1, n_teams + 1):
        team_id = f"T{t}"
        size = draw(st.integers(2, max_agents_per_team), label=f"agents of {team_id}")
        shift_start, shift_end = draw(st.sampled_from(_SHIFTS))
        members = [f"{team_id}A{k}" for k in range(1, size + 1)]
        teams.append(
            {
                "team_id": team_id,
                "name": draw(_NAME),
                "lead_id": members[0],
                "function": "front-line",
                "shift_start": shift_start,
                "shift_end": shift_end,
                "queue": "",
            }
        )
        for k, agent_id in enumerate(members):
            hired = start - dt.timedelta(days=draw(st.integers(100, 3000)))
            row = {
                "agent_id": agent_id,
                "name": draw(_NAME, label="agent name"),
                "team_id": team_id,
                "role_id": "TL" if k == 0 else "AG",
                "hire_date": _date(hired),
                # the lead and the first agent are always on the floor
                "status": "active" if k < 2 else draw(st.sampled_from(("active", "leave"))),
            }
            agents.append(row)
            if k == 0:
                leads.append(row)
    teams += [
        {
            "team_id": team_id,
            "name": name,
            "lead_id": "",
            "function": "support",
            "shift_start": "",
            "shift_end": "",
            "queue": "",
        }
        for team_id, name in _SUPPORT_TEAMS
    ]

    # the QA form and evaluations: per agent a level (points of 10) per competency
    qa_items: list[Row] = [
        {"item_id": f"I{cid}", "competency_id": cid, "name": draw(_NAME)} for cid in competency_ids
    ]
    evaluators = draw(st.lists(_NAME, min_size=1, max_size=2, unique=True), label="evaluators")
    qa: list[Row] = []
    weak = (agents[1]["agent_id"], competency_ids[0])  # the first agent of T1, on C1
    for agent in agents:
        agent_id = str(agent["agent_id"])
        is_lead = agent["role_id"] == "TL"
        scored = [c for c in competency_ids if not is_lead or c in lead_required] or competency_ids
        count = draw(st.integers(_MIN_EVALUATIONS, _MIN_EVALUATIONS + 1), label="evaluations")
        days = draw(
            st.lists(
                st.integers(0, _WINDOW_DAYS - 1), min_size=count, max_size=count, unique=True
            ).map(sorted),
            label="evaluation days",
        )
        levels = {}
        for cid in scored:
            if (agent_id, cid) == weak:
                need = required[cid] - _THRESHOLD - 1  # surely below the requirement
                levels[cid] = draw(st.integers(0, max(0, need // 10)), label="weak level")
            else:
                levels[cid] = draw(st.integers(0, 10), label=f"level {cid}")
        for n, day in enumerate(days, start=1):
            evaluation_id = f"E{agent_id}-{n}"
            evaluator = draw(st.sampled_from(evaluators))
            for cid in scored:
                qa.append(
                    {
                        "evaluation_id": evaluation_id,
                        "agent_id": agent_id,
                        "date": _date(evidence_from + dt.timedelta(days=day)),
                        "item_id": f"I{cid}",
                        "score": str(levels[cid]),
                        "max_score": "10",
                        "evaluator": evaluator,
                        "channel": draw(st.sampled_from(("voice", "chat", "ticket"))),
                        "contact_id": f"K{agent_id}-{n}",
                    }
                )

    # KPIs: first-contact resolution, per month that starts in the window
    periods = []
    month = dt.date(evidence_from.year, evidence_from.month, 1)
    while month <= evidence_to:
        if month >= evidence_from:
            periods.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    kpis: list[Row] = []
    for agent in agents:
        if agent["role_id"] == "TL" or not draw(st.booleans(), label="has KPIs"):
            continue
        value = draw(st.integers(50, 95), label="fcr") / 100
        kpis += [
            {
                "agent_id": agent["agent_id"],
                "period": _date(period),
                "metric": _KPI_METRIC,
                "value": f"{value:.2f}",
            }
            for period in periods
        ]
    kpi_competency = draw(st.sampled_from(competency_ids), label="KPI competency")

    # the trainer pool
    trainers: list[Row] = [
        {
            "trainer_id": "TR1",
            "name": draw(_NAME, label="trainer name"),
            "kind": "full-time",
            "agent_id": "",
            "capacity_hours": str(draw(st.integers(4, 40))),
            "cost_per_hour": str(draw(st.integers(0, 200))),
            "score": draw(st.sampled_from(("", "3.5", "4.2", "5"))),
        }
    ]
    trainer_skills: list[Row] = [
        {"trainer_id": "TR1", "competency_id": cid, "level": str(draw(st.integers(85, 100)))}
        for cid in competency_ids
    ]
    for n, lead in enumerate(leads, start=2):
        trainer_id = f"TR{n}"
        trainers.append(
            {
                "trainer_id": trainer_id,
                "name": lead["name"],
                "kind": "team-lead",
                "agent_id": lead["agent_id"],
                "capacity_hours": str(draw(st.integers(1, 6))),
                "cost_per_hour": "0",
                "score": "",
            }
        )
        taught = draw(st.lists(st.sampled_from(competency_ids), unique=True, max_size=2))
        trainer_skills += [
            {
                "trainer_id": trainer_id,
                "competency_id": cid,
                "level": str(draw(st.integers(80, 99))),
            }
            for cid in sorted(taught)
        ]

    # the course catalogue: every competency in two to four formats
    courses: list[Row] = []
    for competency in competencies:
        cid = str(competency["competency_id"])
        formats = draw(
            st.lists(st.sampled_from(sorted(_FORMATS)), min_size=2, max_size=4, unique=True),
            label=f"formats of {cid}",
        )
        for fmt in sorted(formats):
            minutes, group = _FORMATS[fmt]
            courses.append(
                {
                    "course_id": f"{cid}-{fmt}",
                    "title": draw(_NAME),
                    "competency_id": cid,
                    "format": fmt,
                    "duration_minutes": str(minutes),
                    "max_group": str(group),
                    "voluntary": "true"
                    if competency["category"] == "non-business" and draw(st.booleans())
                    else "false",
                }
            )

    table: dict[str, Any] = {
        "center": {"name": draw(_NAME, label="center name"), "model": "inhouse"},
        "cycles": [
            {
                "id": f"{start.isocalendar().year}-W{start.isocalendar().week:02d}",
                "start": start,
                "end": start + dt.timedelta(days=4),
            }
        ],
        "evidence": {"window_days": _WINDOW_DAYS},
        "plugins": {"enabled": list(plugins)},
    }
    if "default" in plugins:
        table["plugins"]["default"] = {
            "gaps": {"threshold": _THRESHOLD, "min_evaluations": _MIN_EVALUATIONS, "owner": "QA"},
            "kpis": [
                {
                    "metric": _KPI_METRIC,
                    "below": _KPI_BELOW,
                    "competency": kpi_competency,
                    "owner": "BUS",
                }
            ],
        }
    sources: dict[str, list[Row]] = {
        "teams": teams,
        "competencies": competencies,
        "roles": roles,
        "role_profiles": role_profiles,
        "agents": agents,
        "qa_items": qa_items,
        "qa": qa,
        "kpis": kpis,
        "trainers": trainers,
        "trainer_skills": trainer_skills,
        "courses": courses,
    }
    data = {
        name: tuple(
            types.MappingProxyType({c: row.get(c, "") for c in _COLUMNS[name]})
            for row in sources[name]
        )
        for name in _SOURCES
    }
    return CenterData(config=dump_toml(table), data=types.MappingProxyType(data))
